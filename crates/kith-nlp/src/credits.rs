//! Bylines and photo credits: who wrote an article and who took its pictures are facts
//! about the page, not what it reports. Read as text, *By Anna Schmidt, Berlin
//! correspondent* gives *Anna Schmidt works-for Berlin*, and *(Kith Wire photo)* a person
//! called *Kith Wire*. [`Credits`] runs first and marks such spans as [`Metadata`];
//! [`Doc::add_entities`] then keeps every tagger's entities out of them, so they give no
//! entities and no facts. A byline's author is kept on the span ([`Metadata::person`]).
//!
//! What is read, on one line each:
//! * a line *By NAME[ and NAME][, DESCRIPTION]* (a name: two to four capitalised words;
//!   a description: at most eight tokens);
//! * a line opening *Reporting by*, *Additional reporting by*, *Editing by*, *Writing by*,
//!   *Compiled by*, *Text by*;
//! * a line *NAME, DESCRIPTION* where the description names a journalist's job
//!   (*correspondent*, *reporter*, *editor*, ...), among the first four or last three
//!   lines of the document;
//! * *Photo:*, *Photo by*, *Picture:*, *Image:*, *Credit:*, *Photograph:* (and their
//!   plurals and *Photo credit:*) at a line's or sentence's start, to the line's end (at
//!   most fifteen tokens);
//! * parentheses or brackets on one line of at most ten tokens holding *photo*,
//!   *picture*, *image* or *credit* (*(Kith Wire photo)*, *(AP Photo/Jane Doe)*).

use crate::doc::{Doc, Metadata, MetadataKind};
use crate::pipeline::Component;
use crate::TokenKind;
use std::ops::Range;

/// The component (see the module documentation).
#[derive(Clone, Copy, Debug, Default)]
pub struct Credits;

/// Words that make a credit out of what follows them (with `:` or `by`).
const CREDIT_WORDS: &[&str] = &[
    "photo",
    "photos",
    "photograph",
    "photographs",
    "picture",
    "pictures",
    "image",
    "images",
    "credit",
    "video",
];

/// What a credit in parentheses holds (a word, lower-cased, or a part of one beside a
/// slash).
const CREDIT_MARKS: &[&str] = &[
    "photo",
    "photos",
    "photograph",
    "picture",
    "pictures",
    "image",
    "images",
    "credit",
];

/// Jobs that make *NAME, DESCRIPTION* a signature.
const JOURNALIST_WORDS: &[&str] = &[
    "correspondent",
    "correspondents",
    "reporter",
    "reporters",
    "editor",
    "editors",
    "writer",
    "journalist",
    "columnist",
    "contributor",
    "photographer",
    "bureau",
    "reporting",
];

/// Openings of a wire service's credit line (lower case, before *by*).
const REPORTING_OPENINGS: &[&[&str]] = &[
    &["reporting"],
    &["additional", "reporting"],
    &["editing"],
    &["writing"],
    &["compiled"],
    &["text"],
];

/// Longest description after a byline's name.
const MAX_DESCRIPTION: usize = 8;

struct Lines<'a> {
    doc: &'a Doc,
}

impl<'a> Lines<'a> {
    fn word(&self, i: usize) -> &'a str {
        self.doc.token_text(i)
    }

    /// The document's lines as token ranges (tokens between line breaks).
    fn ranges(&self) -> Vec<Range<usize>> {
        let (text, tokens) = (self.doc.text.as_str(), &self.doc.tokens);
        let mut out = Vec::new();
        let mut start = 0;
        for i in 1..=tokens.len() {
            if i == tokens.len() || text[tokens[i - 1].end..tokens[i].start].contains('\n') {
                out.push(start..i);
                start = i;
            }
        }
        out
    }

    fn is_capitalised_word(&self, i: usize) -> bool {
        self.doc.tokens[i].kind == TokenKind::Word
            && self.word(i).chars().next().is_some_and(char::is_uppercase)
    }

    /// The end of a personal name of two to four capitalised words starting at `i` (an
    /// initial *J.* counts as a word), within `limit`.
    fn name_end(&self, i: usize, limit: usize) -> Option<usize> {
        let mut j = i;
        while j < limit
            && j < i + 4
            && self.is_capitalised_word(j)
            && !self.word(j).eq_ignore_ascii_case("and")
        {
            j += 1;
        }
        (j >= i + 2).then_some(j)
    }

    /// Names joined by *and* or commas' *&*: the end of the last.
    fn names_end(&self, i: usize, limit: usize) -> Option<usize> {
        let mut end = self.name_end(i, limit)?;
        while end + 1 < limit
            && (self.word(end).eq_ignore_ascii_case("and") || self.word(end) == "&")
        {
            match self.name_end(end + 1, limit) {
                Some(e) => end = e,
                None => break,
            }
        }
        Some(end)
    }

    /// `line` is *By NAME[, DESCRIPTION]*: the name's tokens.
    fn byline(&self, line: &Range<usize>) -> Option<Range<usize>> {
        if line.len() < 3 || !self.word(line.start).eq_ignore_ascii_case("by") {
            return None;
        }
        let name = line.start + 1..self.names_end(line.start + 1, line.end)?;
        self.description_ends(name.end, line.end).then_some(name)
    }

    /// The line goes on from `at` to `end` with nothing, or with a comma (or dash) and a
    /// short description with no sentence inside it.
    fn description_ends(&self, at: usize, end: usize) -> bool {
        if at == end {
            return true;
        }
        matches!(self.word(at), "," | "-" | "\u{2013}" | "\u{2014}" | "|")
            && end - at - 1 <= MAX_DESCRIPTION
            && end > at + 1
            && !(at + 1..end - 1).any(|t| matches!(self.word(t), "." | "!" | "?" | ";"))
    }

    /// `line` is *NAME, DESCRIPTION* naming a journalist's job: the name's tokens.
    fn signature(&self, line: &Range<usize>) -> Option<Range<usize>> {
        let name = line.start..self.names_end(line.start, line.end)?;
        let described = name.end < line.end
            && self.description_ends(name.end, line.end)
            && (name.end + 1..line.end)
                .any(|t| JOURNALIST_WORDS.contains(&self.word(t).to_lowercase().as_str()));
        described.then_some(name)
    }

    /// `line` opens *Reporting by ...* (or another wire credit opening).
    fn reporting_line(&self, line: &Range<usize>) -> bool {
        REPORTING_OPENINGS.iter().any(|opening| {
            let by = line.start + opening.len();
            by + 1 < line.end
                && opening
                    .iter()
                    .enumerate()
                    .all(|(k, w)| self.word(line.start + k).eq_ignore_ascii_case(w))
                && self.word(by).eq_ignore_ascii_case("by")
                && self.is_capitalised_word(by + 1)
        })
    }

    /// Credits opening with a credit word at `i` (a line's or sentence's start), to the
    /// line's end.
    fn credit_line(&self, i: usize, line: &Range<usize>) -> Option<Range<usize>> {
        let opens = i == line.start || matches!(self.word(i - 1), "." | "!" | "?" | "|" | ")");
        if !opens || !self.is_capitalised_word(i) || line.end - i > 15 {
            return None;
        }
        let mut j = i;
        let lower = |t: usize| self.word(t).to_lowercase();
        if !CREDIT_WORDS.contains(&lower(j).as_str()) {
            return None;
        }
        j += 1;
        if j < line.end && lower(j) == "credit" {
            j += 1;
        }
        let marked = j + 1 < line.end && (self.word(j) == ":" || lower(j) == "by");
        marked.then_some(i..line.end)
    }

    /// A credit in parentheses or brackets opening at `i`, within the line.
    fn credit_in_brackets(&self, i: usize, line: &Range<usize>) -> Option<Range<usize>> {
        let close = match self.word(i) {
            "(" => ")",
            "[" => "]",
            _ => return None,
        };
        let end = (i + 1..line.end.min(i + 12)).find(|&t| self.word(t) == close)?;
        // A credit word, alone or beside a slash (*Photo/Jane*), not inside another word
        // (*accredited*, *UniCredit*); and no lower-case opening (*(left in picture)*).
        let marked = (i + 1..end).any(|t| {
            let w = self.word(t).to_lowercase();
            w.split('/').any(|part| CREDIT_MARKS.contains(&part))
        });
        let opens_lower = end > i + 1
            && self
                .word(i + 1)
                .chars()
                .next()
                .is_some_and(char::is_lowercase);
        (marked && !opens_lower).then_some(i..end + 1)
    }
}

impl Credits {
    /// The bylines and credits of `doc`, sorted and not overlapping.
    pub(crate) fn find(doc: &Doc) -> Vec<Metadata> {
        let lines = Lines { doc };
        let ranges = lines.ranges();
        let mut found: Vec<(MetadataKind, Range<usize>, Option<Range<usize>>)> = Vec::new();
        for (n, line) in ranges.iter().enumerate() {
            if line.is_empty() {
                continue;
            }
            if let Some(name) = lines.byline(line) {
                found.push((MetadataKind::Byline, line.clone(), Some(name)));
                continue;
            }
            if lines.reporting_line(line) {
                found.push((MetadataKind::Byline, line.clone(), None));
                continue;
            }
            if n < 4 || n + 3 >= ranges.len() {
                if let Some(name) = lines.signature(line) {
                    found.push((MetadataKind::Byline, line.clone(), Some(name)));
                    continue;
                }
            }
            let mut i = line.start;
            while i < line.end {
                if let Some(credit) = lines
                    .credit_line(i, line)
                    .or_else(|| lines.credit_in_brackets(i, line))
                {
                    i = credit.end;
                    found.push((MetadataKind::Credit, credit, None));
                } else {
                    i += 1;
                }
            }
        }
        found
            .into_iter()
            .map(|(kind, tokens, person)| Metadata {
                kind,
                start: doc.tokens[tokens.start].start,
                end: doc.tokens[tokens.end - 1].end,
                tokens,
                person,
            })
            .collect()
    }
}

impl Component for Credits {
    fn name(&self) -> &'static str {
        "credits"
    }

    fn process(&self, doc: &mut Doc) {
        let found = Credits::find(doc);
        doc.metadata = found;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Pipeline, Tokenizer};

    /// (kind, text, person) of each metadata span.
    fn metadata(text: &str) -> Vec<(MetadataKind, String, Option<String>)> {
        let mut doc = Doc::new(kith_schema::DocId("d".into()), text, "d");
        Pipeline::new().with(Tokenizer).with(Credits).run(&mut doc);
        let words = |r: &Range<usize>| {
            text[doc.tokens[r.start].start..doc.tokens[r.end - 1].end].to_string()
        };
        doc.metadata
            .iter()
            .map(|m| {
                (
                    m.kind,
                    text[m.start..m.end].to_string(),
                    m.person.as_ref().map(words),
                )
            })
            .collect()
    }

    #[test]
    fn bylines_are_metadata_with_their_author() {
        assert_eq!(
            metadata(
                "Harbour plan approved\nBy Anna Schmidt, Berlin correspondent\n\nThe council met."
            ),
            vec![(
                MetadataKind::Byline,
                "By Anna Schmidt, Berlin correspondent".into(),
                Some("Anna Schmidt".into())
            )]
        );
        assert_eq!(
            metadata("BY OLE BERG AND MIA LUND\nThe council met.")[0].2,
            Some("OLE BERG AND MIA LUND".into())
        );
        let signed = metadata("The council met.\nIt voted.\n\nLena Hoffmann, Vienna correspondent");
        assert_eq!(signed[0].1, "Lena Hoffmann, Vienna correspondent");
        assert_eq!(
            metadata("The council met.\nReporting by Ole Berg; Editing by Mia Lund")[0].1,
            "Reporting by Ole Berg; Editing by Mia Lund"
        );
    }

    #[test]
    fn photo_credits_are_metadata() {
        let found = metadata(
            "The mayor spoke. (Kith Wire photo)\nPhoto: Jane Doe/Harbour Pictures\n\
             The quay at dawn. Picture by Tom Lee\nThe boats [AP Photo/Jane Doe] left.",
        );
        let texts: Vec<&str> = found.iter().map(|m| m.1.as_str()).collect();
        assert_eq!(
            texts,
            [
                "(Kith Wire photo)",
                "Photo: Jane Doe/Harbour Pictures",
                "Picture by Tom Lee",
                "[AP Photo/Jane Doe]"
            ]
        );
        assert!(found.iter().all(|m| m.0 == MetadataKind::Credit));
    }

    #[test]
    fn sentences_that_look_alike_are_not_metadata() {
        assert!(metadata("By Monday, the talks had collapsed.").is_empty());
        assert!(metadata("By Anna Schmidt's own account, the talks failed. It rained.").is_empty());
        assert!(metadata("Anna Schmidt, the mayor, said the talks had failed.").is_empty());
        assert!(metadata("The photo was taken in Berlin (Germany).").is_empty());
        assert!(metadata("He said the photo: a fake, made by Anna Schmidt in a long and winding studio session of many hours today.").is_empty());
        assert!(metadata("Pictures of the harbour were shown.").is_empty());
        assert!(
            metadata("Ole Berg (a FIFA-accredited referee) and Mia Lund (now UniCredit) met.")
                .is_empty()
        );
        assert!(metadata("Ole Berg (left in picture) met Mia Lund.").is_empty());
    }
}
