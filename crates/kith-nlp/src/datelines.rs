//! Datelines: the place (and agency) a wire report opens with, *SAO PAULO -*,
//! *BRASILIA, March 3 (Kith Wire) -*, *REDMOND, Wash. -*.
//!
//! Without this rule the capitals read as a name and join the words after them
//! (*REDMOND Microsoft*), or a tagger types the agency as a person. [`Datelines`] runs
//! before the other taggers, so its spans stand: the place is a `Location` named in title
//! case (*Sao Paulo*, so it is the same entity as the body's *Sao Paulo*), the agency in
//! parentheses an `Organization`; the date between them is left alone.
//!
//! A dateline is recognised only at the start of a paragraph (the document's start or
//! after a line break), as one to four words in capitals, optionally a comma and up to six
//! tokens (a date, a state: *Calif.*), optionally an agency in parentheses, then a dash on
//! the same line; without a date or an agency, at most two words. A capitals headline
//! without a dash is not a dateline.

use crate::doc::{Doc, EntitySpan};
use crate::pipeline::Component;
use kith_schema::EntityType;
use std::collections::BTreeMap;

/// The component (see the module documentation).
#[derive(Clone, Copy, Debug, Default)]
pub struct Datelines;

/// The source name recorded on its spans.
const SOURCE: &str = "datelines";

fn is_dash(t: &str) -> bool {
    matches!(t, "-" | "--" | "\u{2013}" | "\u{2014}")
}

/// A word in capitals: two letters or more, none lower case (*SAO*, *D.C.*).
fn is_capitals(t: &str) -> bool {
    t.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !t.chars().any(char::is_lowercase)
        && t.chars()
            .all(|c| c.is_alphabetic() || c == '.' || c == '\'' || c == '-')
}

/// *SAO PAULO* → *Sao Paulo*; words with full stops (*D.C.*) stay as written.
fn title_case(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| {
            if w.contains('.') {
                return w.to_string();
            }
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Datelines {
    /// The dateline spans of `doc` (place, then agency), for each paragraph that opens
    /// with one.
    fn find(doc: &Doc) -> Vec<EntitySpan> {
        let text = doc.text.as_str();
        let tokens = &doc.tokens;
        let word = |i: usize| &text[tokens[i].start..tokens[i].end];
        let same_line = |a: usize, b: usize| !text[tokens[a].end..tokens[b].start].contains('\n');
        let mut found = Vec::new();
        for i in 0..tokens.len() {
            let opens = i == 0 || text[tokens[i - 1].end..tokens[i].start].contains('\n');
            if !opens {
                continue;
            }
            let mut j = i;
            while j < tokens.len()
                && j < i + 4
                && is_capitals(word(j))
                && (j == i || same_line(j - 1, j))
            {
                j += 1;
            }
            if j == i || j >= tokens.len() {
                continue;
            }
            let place = i..j;
            let mut k = j;
            let dated = word(k) == ",";
            if dated {
                let mut m = k + 1;
                while m < tokens.len()
                    && m <= k + 6
                    && same_line(m - 1, m)
                    && !is_dash(word(m))
                    && word(m) != "("
                {
                    m += 1;
                }
                k = m;
            }
            let mut agency = None;
            if k < tokens.len() && word(k) == "(" && same_line(k - 1, k) {
                let mut m = k + 1;
                while m < tokens.len() && m <= k + 6 && word(m) != ")" && same_line(m - 1, m) {
                    m += 1;
                }
                if m < tokens.len() && word(m) == ")" && m > k + 1 {
                    agency = Some(k + 1..m);
                    k = m + 1;
                }
            }
            if k >= tokens.len() || !is_dash(word(k)) || !same_line(k - 1, k) {
                continue;
            }
            // Three capital words and a dash with neither date nor agency is more often a
            // headline (*COLTS TOP CHIEFS - ...*, ECB+) than a city.
            if !dated && agency.is_none() && place.len() > 2 {
                continue;
            }
            let words: Vec<&str> = place.clone().map(word).collect();
            found.push(span(
                doc,
                place,
                EntityType::Location,
                Some(title_case(&words)),
            ));
            if let Some(agency) = agency {
                found.push(span(doc, agency, EntityType::Organization, None));
            }
        }
        found
    }
}

fn span(
    doc: &Doc,
    tokens: std::ops::Range<usize>,
    kind: EntityType,
    canonical: Option<String>,
) -> EntitySpan {
    EntitySpan {
        start: doc.tokens[tokens.start].start,
        end: doc.tokens[tokens.end - 1].end,
        tokens,
        kind,
        confidence: 0.9,
        source: SOURCE,
        canonical,
        external_ids: BTreeMap::new(),
        resolved_by: None,
    }
}

impl Component for Datelines {
    fn name(&self) -> &'static str {
        SOURCE
    }

    fn process(&self, doc: &mut Doc) {
        let found = Datelines::find(doc);
        doc.add_entities(found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Pipeline, Tokenizer};

    fn spans(text: &str) -> Vec<(EntityType, String, String)> {
        let mut doc = Doc::new(
            kith_schema::DocId("d".into()),
            text.to_string(),
            "d".to_string(),
        );
        Pipeline::new()
            .with(Tokenizer)
            .with(Datelines)
            .run(&mut doc);
        doc.entities
            .iter()
            .map(|e| {
                (
                    e.kind,
                    text[e.start..e.end].to_string(),
                    e.canonical.clone().unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn datelines_give_the_place_and_the_agency() {
        assert_eq!(
            spans("SAO PAULO - Prices rose."),
            vec![(EntityType::Location, "SAO PAULO".into(), "Sao Paulo".into())]
        );
        assert_eq!(
            spans("Title\n\nBRASILIA, March 3 (Kith Wire) - Lula met Erdogan."),
            vec![
                (EntityType::Location, "BRASILIA".into(), "Brasilia".into()),
                (EntityType::Organization, "Kith Wire".into(), String::new()),
            ]
        );
        assert_eq!(
            spans("REDMOND, Wash. \u{2014} Microsoft said."),
            vec![(EntityType::Location, "REDMOND".into(), "Redmond".into())]
        );
    }

    #[test]
    fn capitals_without_a_dash_or_inside_a_line_are_not_datelines() {
        assert!(spans("ADMITS SUPPORTING MILITANTS\n\nThe minister spoke.").is_empty());
        assert!(spans("COLTS TOP CHIEFS - Indianapolis won.").is_empty());
        assert!(spans("He said NATO - and others - agreed.").is_empty());
        assert!(spans("Lula met ERDOGAN - twice.").is_empty());
    }
}
