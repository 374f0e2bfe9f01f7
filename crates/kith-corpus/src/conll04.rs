//! CoNLL04 (Roth & Yih 2004) in the JSON layout of the SpERT/TablERT releases, and strict
//! end-to-end relation scoring.
//!
//! A file is one JSON array of sentences `{tokens, tags, relations, orig_id}`: `tags` are
//! BILOU over the types `Peop`, `Org`, `Loc`, `Other`; each relation is
//! `{head, tail, type}` where `head` and `tail` index the sentence's entities in the order
//! their tags give them, and `type` is one of [`CONLL04_RELATIONS`]. Relations are
//! directed (`Work_For`: person → organisation; `Kill`: killer → victim; `OrgBased_In`:
//! organisation → place; `Live_In`: person → place; `Located_In`: place → place).
//!
//! CoNLL04 is for research use only: Kith measures on it and never ships a model trained
//! on it.
//!
//! Scoring is the *strict* end-to-end measure: a predicted relation is correct when both
//! entities have the gold span and type and the relation has the gold type and direction.

use crate::conll::{chunks, spans_to_bio, valid_tag, Chunk};
use crate::error::{read_text, CorpusError};
use crate::score::Prf;
use kith_nlp::train::{TaggedDocument, TaggedSentence};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The entity types of CoNLL04.
pub const CONLL04_ENTITIES: &[&str] = &["Peop", "Org", "Loc", "Other"];
/// The relation types of CoNLL04.
pub const CONLL04_RELATIONS: &[&str] =
    &["Work_For", "Kill", "OrgBased_In", "Live_In", "Located_In"];

/// An entity of a sentence: tokens `[start, end)` and CoNLL04 type.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Re04Entity {
    /// First token of the entity.
    pub start: usize,
    /// One past its last token.
    pub end: usize,
    /// Its CoNLL04 type (one of [`CONLL04_ENTITIES`]).
    pub kind: String,
}

/// A directed relation between two entities of a sentence (indices into its entities).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Re04Relation {
    /// Index of its first argument (the subject) in the sentence's entities.
    pub head: usize,
    /// Index of its second argument (the object).
    pub tail: usize,
    /// Its CoNLL04 type (one of [`CONLL04_RELATIONS`]).
    pub kind: String,
}

/// One annotated sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct Re04Sentence {
    /// The sentence's words.
    pub tokens: Vec<String>,
    /// Its gold entities.
    pub entities: Vec<Re04Entity>,
    /// Its gold relations.
    pub relations: Vec<Re04Relation>,
    /// The id in the original corpus.
    pub orig_id: Option<u64>,
}

#[derive(Deserialize)]
struct RawSentence {
    tokens: Vec<String>,
    tags: Vec<String>,
    #[serde(default)]
    relations: Vec<RawRelation>,
    #[serde(default)]
    orig_id: Option<u64>,
}

#[derive(Deserialize)]
struct RawRelation {
    head: usize,
    tail: usize,
    #[serde(rename = "type")]
    kind: String,
}

/// Reads a CoNLL04 JSON file. Errors name the file and the line (of the JSON syntax error,
/// or of the sentence's opening brace for a sentence that breaks the format's rules).
pub fn read_conll04(path: &Path) -> Result<Vec<Re04Sentence>, CorpusError> {
    let text = read_text(path)?;
    parse_conll04(&text, path)
}

/// [`read_conll04`] on text already read; `path` names it in errors.
pub fn parse_conll04(text: &str, path: &Path) -> Result<Vec<Re04Sentence>, CorpusError> {
    let raw: Vec<RawSentence> = serde_json::from_str(text)
        .map_err(|e| CorpusError::malformed(path, e.line(), format!("not CoNLL04 JSON: {e}")))?;
    let lines = sentence_lines(text);
    raw.into_iter()
        .enumerate()
        .map(|(i, s)| {
            let line = lines.get(i).copied().unwrap_or(1);
            let bad = |reason: String| {
                CorpusError::malformed(path, line, format!("sentence {}: {reason}", i + 1))
            };
            if s.tokens.len() != s.tags.len() {
                return Err(bad(format!(
                    "{} tokens but {} tags",
                    s.tokens.len(),
                    s.tags.len()
                )));
            }
            if let Some(tag) = s.tags.iter().find(|t| !valid_tag(t)) {
                return Err(bad(format!("malformed tag `{tag}`")));
            }
            let entities: Vec<Re04Entity> = chunks(&s.tags)
                .into_iter()
                .map(|c| Re04Entity {
                    start: c.start,
                    end: c.end,
                    kind: c.kind,
                })
                .collect();
            if let Some(e) = entities
                .iter()
                .find(|e| !CONLL04_ENTITIES.contains(&e.kind.as_str()))
            {
                return Err(bad(format!(
                    "unknown entity type `{}` (expected one of {})",
                    e.kind,
                    CONLL04_ENTITIES.join(", ")
                )));
            }
            let mut relations = Vec::with_capacity(s.relations.len());
            for r in s.relations {
                if r.head >= entities.len() || r.tail >= entities.len() {
                    return Err(bad(format!(
                        "relation {} -> {} names an entity the sentence lacks ({} entities)",
                        r.head,
                        r.tail,
                        entities.len()
                    )));
                }
                if !CONLL04_RELATIONS.contains(&r.kind.as_str()) {
                    return Err(bad(format!(
                        "unknown relation type `{}` (expected one of {})",
                        r.kind,
                        CONLL04_RELATIONS.join(", ")
                    )));
                }
                relations.push(Re04Relation {
                    head: r.head,
                    tail: r.tail,
                    kind: r.kind,
                });
            }
            Ok(Re04Sentence {
                tokens: s.tokens,
                entities,
                relations,
                orig_id: s.orig_id,
            })
        })
        .collect()
}

/// CoNLL04 as NER training or evaluation data: one document per sentence (the sentences
/// are unrelated), types mapped to Kith's with [`to_kith_entity`], BIO tags.
pub fn read_conll04_ner(path: &Path) -> Result<Vec<TaggedDocument>, CorpusError> {
    Ok(read_conll04(path)?
        .into_iter()
        .map(|s| {
            let spans: Vec<Chunk> = s
                .entities
                .iter()
                .map(|e| Chunk {
                    start: e.start,
                    end: e.end,
                    kind: to_kith_entity(&e.kind).to_string(),
                })
                .collect();
            let tags = spans_to_bio(s.tokens.len(), &spans);
            TaggedDocument {
                sentences: vec![TaggedSentence {
                    words: s.tokens,
                    tags,
                }],
            }
        })
        .collect())
}

/// The Kith type of a CoNLL04 entity type (the inverse of [`to_conll04_entity`] on
/// Kith's NER types).
pub fn to_kith_entity(kind: &str) -> &'static str {
    match kind {
        "Peop" => "Person",
        "Org" => "Organization",
        "Loc" => "Location",
        _ => "Other",
    }
}

/// The line of each top-level array element's opening brace, found by a single scan that
/// skips strings; used only to name lines in errors.
fn sentence_lines(text: &str) -> Vec<usize> {
    let (mut line, mut depth, mut in_string, mut escaped) = (1, 0usize, false, false);
    let mut out = Vec::new();
    for c in text.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            if c == '\n' {
                line += 1;
            }
            continue;
        }
        match c {
            '\n' => line += 1,
            '"' => in_string = true,
            '{' | '[' => {
                if c == '{' && depth == 1 {
                    out.push(line);
                }
                depth += 1;
            }
            '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    out
}

/// A relation with both ends written out, as strict scoring compares them.
pub type StrictRelation = (Re04Entity, Re04Entity, String);

/// Strict end-to-end relation scores, per relation type and micro-averaged, plus entity
/// scores (exact span and type) of the same predictions.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RelationScores {
    /// Relation scores per relation type.
    pub per_type: BTreeMap<String, Prf>,
    /// Relation scores over all types (micro-averaged).
    pub overall: Prf,
    /// Entity scores per entity type.
    pub entities: BTreeMap<String, Prf>,
    /// Entity scores over all types (micro-averaged).
    pub entities_overall: Prf,
    /// Gold relations whose two entities were both predicted (span and type): the most a
    /// relation extractor over these entities could find.
    pub reachable: usize,
}

impl RelationScores {
    /// Adds one sentence: gold entities and relations, and the predicted ones (each a set;
    /// duplicates count once).
    pub fn add_sentence(
        &mut self,
        gold_entities: &[Re04Entity],
        gold: &[StrictRelation],
        predicted_entities: &[Re04Entity],
        predicted: &[StrictRelation],
    ) {
        let (ge, pe): (BTreeSet<_>, BTreeSet<_>) = (
            gold_entities.iter().collect(),
            predicted_entities.iter().collect(),
        );
        count(
            &ge,
            &pe,
            |e| e.kind.clone(),
            &mut self.entities,
            &mut self.entities_overall,
        );
        let (g, p): (BTreeSet<_>, BTreeSet<_>) =
            (gold.iter().collect(), predicted.iter().collect());
        self.reachable += g
            .iter()
            .filter(|r| pe.contains(&r.0) && pe.contains(&r.1))
            .count();
        count(
            &g,
            &p,
            |r| r.2.clone(),
            &mut self.per_type,
            &mut self.overall,
        );
    }
}

fn count<T: Ord>(
    gold: &BTreeSet<&T>,
    predicted: &BTreeSet<&T>,
    kind: impl Fn(&T) -> String,
    per_type: &mut BTreeMap<String, Prf>,
    overall: &mut Prf,
) {
    for g in gold {
        let e = per_type.entry(kind(g)).or_default();
        e.gold += 1;
        overall.gold += 1;
        if predicted.contains(g) {
            e.correct += 1;
            overall.correct += 1;
        }
    }
    for p in predicted {
        per_type.entry(kind(p)).or_default().predicted += 1;
        overall.predicted += 1;
    }
}

/// The gold relations of a sentence written out for [`RelationScores::add_sentence`].
pub fn strict_relations(
    entities: &[Re04Entity],
    relations: &[Re04Relation],
) -> Vec<StrictRelation> {
    relations
        .iter()
        .map(|r| {
            (
                entities[r.head].clone(),
                entities[r.tail].clone(),
                r.kind.clone(),
            )
        })
        .collect()
}

/// The CoNLL04 type of a Kith entity type: Person → Peop, Organization → Org, Country and
/// Location → Loc, Event and Other → Other; roles are not CoNLL04 entities (`None`).
pub fn to_conll04_entity(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "Person" => "Peop",
        "Organization" => "Org",
        "Country" | "Location" => "Loc",
        "Event" | "Other" => "Other",
        _ => return None,
    })
}

/// The CoNLL04 relation a Kith relation states, given its predicate and the CoNLL04 types
/// of its subject and object (already mapped by [`to_conll04_entity`]); `None` when it
/// states none of the five. Directions are Kith's and CoNLL04's alike (subject = head).
///
/// | Kith predicate | subject → object | CoNLL04 |
/// |---|---|---|
/// | `kill` | Peop → Peop | Kill |
/// | `works-for`, `affiliated-with`, `spokesperson-of`, `member-of`, `leads` | Peop → Org | Work_For |
/// | `affiliated-with`, `lives-in`, `born-in` | Peop → Loc | Live_In |
/// | `based-in`, `located-in`, `affiliated-with` | Org → Loc | OrgBased_In |
/// | `located-in` | Loc → Loc | Located_In |
pub fn to_conll04_relation(predicate: &str, subject: &str, object: &str) -> Option<&'static str> {
    Some(match (subject, object, predicate) {
        ("Peop", "Peop", "kill") => "Kill",
        (
            "Peop",
            "Org",
            "works-for" | "affiliated-with" | "spokesperson-of" | "member-of" | "leads",
        ) => "Work_For",
        ("Peop", "Loc", "affiliated-with" | "lives-in" | "born-in") => "Live_In",
        ("Org", "Loc", "based-in" | "located-in" | "affiliated-with") => "OrgBased_In",
        ("Loc", "Loc", "located-in") => "Located_In",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"[
  {"tokens": ["Ann", "Lee", "works", "for", "Acme", "in", "Oslo", "."],
   "tags": ["B-Peop", "L-Peop", "O", "O", "U-Org", "O", "U-Loc", "O"],
   "relations": [{"head": 0, "tail": 1, "type": "Work_For"}, {"head": 1, "tail": 2, "type": "OrgBased_In"}],
   "orig_id": 7},
  {"tokens": ["Rain", "."], "tags": ["O", "O"], "relations": []}
]"#;

    #[test]
    fn reads_entities_in_tag_order_and_relations_between_them() {
        let s = parse_conll04(SAMPLE, Path::new("x.json")).unwrap();
        assert_eq!(s.len(), 2);
        let kinds: Vec<(usize, usize, &str)> = s[0]
            .entities
            .iter()
            .map(|e| (e.start, e.end, e.kind.as_str()))
            .collect();
        assert_eq!(kinds, [(0, 2, "Peop"), (4, 5, "Org"), (6, 7, "Loc")]);
        assert_eq!(
            s[0].relations[1],
            Re04Relation {
                head: 1,
                tail: 2,
                kind: "OrgBased_In".into()
            }
        );
        assert_eq!(s[0].orig_id, Some(7));
    }

    #[test]
    fn as_ner_data_each_sentence_is_a_document_in_kith_types() {
        let dir = std::env::temp_dir().join(format!("kith-conll04-ner-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("train.json");
        std::fs::write(&path, SAMPLE).unwrap();
        let docs = read_conll04_ner(&path).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(docs.len(), 2);
        let first = &docs[0].sentences[0];
        assert_eq!(first.tags[..2], ["B-Person", "I-Person"]);
        assert_eq!(first.tags[4], "B-Organization");
        assert_eq!(first.tags[6], "B-Location");
        assert_eq!(first.words.len(), first.tags.len());
    }

    #[test]
    fn bad_sentences_name_file_and_line() {
        let bad = SAMPLE.replace(r#""tail": 2"#, r#""tail": 9"#);
        let e = parse_conll04(&bad, Path::new("dev.json"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("dev.json:2:") && e.contains("entity the sentence lacks"),
            "{e}"
        );
        let bad = SAMPLE
            .replace("\"Kill\"", "")
            .replace("OrgBased_In", "Owns");
        let e = parse_conll04(&bad, Path::new("dev.json"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown relation type `Owns`"), "{e}");
        let bad = SAMPLE.replace(r#""O", "O"]"#, r#""O"]"#);
        let e = parse_conll04(&bad, Path::new("dev.json"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("dev.json:6:") && e.contains("2 tokens but 1 tags"),
            "{e}"
        );
        let e = parse_conll04("[{\"tokens\": [}", Path::new("dev.json"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("dev.json:1:"), "{e}");
    }

    #[test]
    fn strict_scoring_needs_spans_types_and_direction() {
        let s = &parse_conll04(SAMPLE, Path::new("x.json")).unwrap()[0];
        let gold = strict_relations(&s.entities, &s.relations);
        let mut predicted = gold.clone();
        // Reversed direction: wrong.
        predicted[1] = (gold[1].1.clone(), gold[1].0.clone(), "OrgBased_In".into());
        // Wrong span of the person: wrong.
        let mut short = s.entities.clone();
        short[0].end = 1;
        predicted[0] = (short[0].clone(), s.entities[1].clone(), "Work_For".into());
        let mut scores = RelationScores::default();
        scores.add_sentence(&s.entities, &gold, &short, &predicted);
        assert_eq!(
            scores.overall,
            Prf {
                correct: 0,
                predicted: 2,
                gold: 2
            }
        );
        let mut scores = RelationScores::default();
        scores.add_sentence(&s.entities, &gold, &s.entities, &gold);
        assert_eq!(scores.overall.f1(), 100.0);
        assert_eq!(
            scores.entities_overall,
            Prf {
                correct: 3,
                predicted: 3,
                gold: 3
            }
        );
        assert_eq!(
            scores.per_type["Work_For"],
            Prf {
                correct: 1,
                predicted: 1,
                gold: 1
            }
        );
    }
}
