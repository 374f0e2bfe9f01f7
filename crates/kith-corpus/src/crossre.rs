//! CrossRE (`<domain>-<split>.json`, JSON lines): one sentence a line as tokens, its
//! entities (`ner`: first and last token, type) and relations between them (`relations`:
//! the two entities' token bounds and a label such as `role`, `physical`, `part-of`).
//!
//! The tokens are joined with one space into text, entities become byte spans of it with
//! a Kith type ([`kith_type`]), and relations become unordered pairs of entities: CrossRE
//! is scored here on pairs, whatever the label (its labels are not Kith's predicates).

use crate::CorpusError;
use kith_schema::EntityType;
use std::ops::Range;
use std::path::Path;

/// One CrossRE sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrossreSentence {
    /// `doc_key`.
    pub key: String,
    /// The tokens joined with spaces.
    pub text: String,
    /// Gold entities: byte span and CrossRE type, in file order.
    pub entities: Vec<(Range<usize>, String)>,
    /// Related pairs of entities (indices into `entities`, smaller first), deduplicated.
    pub pairs: Vec<(usize, usize)>,
}

/// The Kith type of a CrossRE entity type (its domains name people, organisations and
/// places by role: *politician*, *politicalparty*, *band*).
pub fn kith_type(crossre: &str) -> EntityType {
    match crossre {
        "person" | "politician" | "researcher" | "scientist" | "writer" | "musicalartist" => {
            EntityType::Person
        }
        "organisation" | "politicalparty" | "university" | "band" | "recordlabel" => {
            EntityType::Organization
        }
        "country" => EntityType::Country,
        "location" => EntityType::Location,
        "event" | "election" | "conference" => EntityType::Event,
        _ => EntityType::Other,
    }
}

#[derive(serde::Deserialize)]
struct Line {
    doc_key: String,
    sentence: Vec<String>,
    ner: Vec<(usize, usize, String)>,
    relations: Vec<serde_json::Value>,
}

/// Reads a CrossRE file. A line that is not a CrossRE sentence, or an entity or relation
/// outside its sentence, is an error naming the file and line.
pub fn read_crossre(path: &Path) -> Result<Vec<CrossreSentence>, CorpusError> {
    let text = crate::error::read_text(path)?;
    let mut out = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let bad = |m: String| CorpusError::malformed(path, n + 1, m);
        let line: Line = serde_json::from_str(raw).map_err(|e| bad(e.to_string()))?;
        let mut text = String::new();
        let mut spans = Vec::with_capacity(line.sentence.len());
        for token in &line.sentence {
            if !text.is_empty() {
                text.push(' ');
            }
            spans.push(text.len()..text.len() + token.len());
            text.push_str(token);
        }
        let span = |a: usize, b: usize| {
            if a > b || b >= spans.len() {
                return Err(bad(format!(
                    "tokens {a}..={b} outside the sentence ({} tokens)",
                    spans.len()
                )));
            }
            Ok(spans[a].start..spans[b].end)
        };
        let mut entities = Vec::with_capacity(line.ner.len());
        for (a, b, kind) in &line.ner {
            entities.push((span(*a, *b)?, kind.clone()));
        }
        let mut pairs = Vec::new();
        for r in &line.relations {
            let bounds: Option<Vec<usize>> = r.as_array().filter(|a| a.len() >= 5).map(|a| {
                a[..4]
                    .iter()
                    .filter_map(|v| v.as_u64())
                    .map(|v| v as usize)
                    .collect()
            });
            let Some([a, b, c, d]) = bounds
                .as_deref()
                .and_then(|v| <[usize; 4]>::try_from(v).ok())
            else {
                return Err(bad(format!(
                    "relation {r} is not [start, end, start, end, label, ...]"
                )));
            };
            let find = |x: usize, y: usize| {
                line.ner
                    .iter()
                    .position(|e| e.0 == x && e.1 == y)
                    .ok_or_else(|| {
                        bad(format!(
                            "relation end {x}..={y} is not an entity of the line"
                        ))
                    })
            };
            let (i, j) = (find(a, b)?, find(c, d)?);
            if i != j {
                pairs.push((i.min(j), i.max(j)));
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        out.push(CrossreSentence {
            key: line.doc_key,
            text,
            entities,
            pairs,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_give_typed_spans_and_deduplicated_pairs() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(
            &mut f,
            br#"{"doc_key": "d1", "sentence": ["Ann", "Lee", "leads", "the", "Green", "Party", "."], "ner": [[0, 1, "politician"], [4, 5, "politicalparty"]], "relations": [[0, 1, 4, 5, "role", "", false, false], [4, 5, 0, 1, "part-of", "", false, false]]}
"#,
        )
        .unwrap();
        let s = read_crossre(f.path()).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(&s[0].text[s[0].entities[0].0.clone()], "Ann Lee");
        assert_eq!(kith_type(&s[0].entities[1].1), EntityType::Organization);
        assert_eq!(s[0].pairs, vec![(0, 1)]);
    }

    #[test]
    fn a_relation_between_non_entities_is_an_error_naming_the_line() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(
            &mut f,
            b"{\"doc_key\": \"d\", \"sentence\": [\"A\", \"b\"], \"ner\": [[0, 0, \"person\"]], \"relations\": [[0, 0, 1, 1, \"role\"]]}\n",
        )
        .unwrap();
        let e = read_crossre(f.path()).unwrap_err().to_string();
        assert!(e.contains(":1:") && e.contains("1..=1"), "{e}");
    }
}
