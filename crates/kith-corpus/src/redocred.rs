//! Re-DocRED (document-level relation extraction on Wikipedia introductions, Wikidata
//! properties): a JSON array of documents, each with `sents` (token lists),
//! `vertexSet` (entities: lists of mentions with `sent_id`, token `pos` within the
//! sentence and `type`) and `labels` (`h`, `t` entity indices and `r`, the property).
//!
//! The tokens are joined into text (a space between tokens, none before closing
//! punctuation or after an opening bracket) and mentions become byte spans of it, so the
//! pipeline reads text as it would any document. Facts are between entities, not
//! mentions; only properties that a Kith predicate stands for
//! ([`kith_schema::wikidata_properties`]) are kept, in the predicate's (Wikidata's)
//! direction. Re-DocRED re-annotated DocRED's missing facts, so other pairs are negatives.

use crate::knowledgenet::{overlaps, KnFact};
use crate::CorpusError;
use kith_nlp::Doc;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

/// One Re-DocRED document.
#[derive(Clone, Debug)]
pub struct RedocredDocument {
    /// Its title.
    pub title: String,
    /// The tokens joined into text.
    pub text: String,
    /// Byte ranges of its sentences in `text`.
    pub sentences: Vec<Range<usize>>,
    /// Each entity's mentions: (sentence, byte span).
    pub entities: Vec<Vec<(usize, Range<usize>)>>,
    /// Gold facts whose property a Kith predicate stands for.
    pub facts: Vec<RedocredFact>,
}

/// A gold fact between two entities of a document.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RedocredFact {
    /// The Kith predicate.
    pub predicate: String,
    /// The subject entity (index into [`RedocredDocument::entities`]).
    pub subject: usize,
    /// The object entity.
    pub object: usize,
    /// The sentences the annotators say state it (indices into
    /// [`RedocredDocument::sentences`]).
    pub evidence: Vec<usize>,
}

impl RedocredDocument {
    /// Whether some sentence mentions both entities: a fact a sentence-level extractor
    /// could find.
    pub fn share_a_sentence(&self, a: usize, b: usize) -> bool {
        self.entities[a]
            .iter()
            .any(|(s, _)| self.entities[b].iter().any(|(t, _)| s == t))
    }
}

/// The gold entity each mention of an analysed document stands for: the one a mention of
/// which it overlaps, or (a pronoun, which Re-DocRED does not mark) the one the other
/// mentions of its pipeline entity (same kind and name) stand for.
pub fn gold_entities(gold: &RedocredDocument, doc: &Doc) -> Vec<Option<usize>> {
    let overlapping: Vec<Option<usize>> = doc
        .entities
        .iter()
        .map(|e| {
            gold.entities
                .iter()
                .position(|mentions| mentions.iter().any(|(_, s)| overlaps(s, &(e.start..e.end))))
        })
        .collect();
    let key = |m: usize| {
        let e = &doc.entities[m];
        (e.kind, doc.entity_name(e).to_lowercase())
    };
    let mut by_key = BTreeMap::new();
    for (m, g) in overlapping.iter().enumerate() {
        if let Some(g) = g {
            by_key.entry(key(m)).or_insert(*g);
        }
    }
    (0..doc.entities.len())
        .map(|m| overlapping[m].or_else(|| by_key.get(&key(m)).copied()))
        .collect()
}

/// The gold facts as facts between the analysed document's mentions (KnowledgeNet's
/// form, for training labels): every pair of mentions in one sentence standing for the
/// two entities of a gold fact (both ways for *spouse-of*), in a sentence the annotators
/// give as its evidence; and apart, the pairs in other sentences, which may or may not
/// state it (evidence lists are not exhaustive), to be left out of training.
pub fn mention_facts(gold: &RedocredDocument, doc: &Doc) -> (Vec<KnFact>, Vec<KnFact>) {
    let entity = gold_entities(gold, doc);
    let gold_sentence = |byte: usize| gold.sentences.iter().position(|s| s.contains(&byte));
    let (mut out, mut unstated) = (Vec::new(), Vec::new());
    for sentence in &doc.sentences {
        let range = doc.entities_in(sentence);
        let (first, last) = (range.start, range.end);
        for i in first..last {
            for j in first..last {
                let (Some(a), Some(b)) = (entity[i], entity[j]) else {
                    continue;
                };
                let stated = |f: &RedocredFact| {
                    let (s, o) = (&doc.entities[i], &doc.entities[j]);
                    [s.start, o.start]
                        .iter()
                        .all(|&b| gold_sentence(b).is_some_and(|k| f.evidence.contains(&k)))
                };
                for f in &gold.facts {
                    let forward = f.subject == a && f.object == b;
                    let backward = f.predicate == "spouse-of" && f.subject == b && f.object == a;
                    if i != j && (forward || backward) {
                        let (s, o) = (&doc.entities[i], &doc.entities[j]);
                        let fact = KnFact {
                            predicate: f.predicate.clone(),
                            subject: s.start..s.end,
                            object: o.start..o.end,
                        };
                        if stated(f) {
                            out.push(fact);
                        } else {
                            unstated.push(fact);
                        }
                    }
                }
            }
        }
    }
    (out, unstated)
}

#[derive(serde::Deserialize)]
struct Document {
    title: String,
    sents: Vec<Vec<String>>,
    #[serde(rename = "vertexSet")]
    vertex_set: Vec<Vec<Mention>>,
    labels: Vec<Label>,
}

#[derive(serde::Deserialize)]
struct Mention {
    sent_id: usize,
    pos: [usize; 2],
}

#[derive(serde::Deserialize)]
struct Label {
    h: usize,
    t: usize,
    r: String,
    #[serde(default)]
    evidence: Vec<usize>,
}

/// Tokens after which no space is written.
const OPENING: &[&str] = &["(", "[", "{", "$", "``", "\u{201c}"];
/// Tokens before which no space is written.
const CLOSING: &[&str] = &[
    ",", ".", ";", ":", ")", "]", "}", "!", "?", "%", "'s", "n't", "''", "\u{201d}", "'",
];

/// Reads a Re-DocRED file (`dev_revised.json`). A mention or fact pointing outside its
/// document is an error naming the document.
pub fn read_redocred(path: &Path) -> Result<Vec<RedocredDocument>, CorpusError> {
    let text = crate::error::read_text(path)?;
    let docs: Vec<Document> = serde_json::from_str(&text)
        .map_err(|e| CorpusError::malformed(path, e.line(), e.to_string()))?;
    let properties = kith_schema::wikidata_properties();
    let mut out = Vec::with_capacity(docs.len());
    for (n, d) in docs.into_iter().enumerate() {
        let bad =
            |m: String| CorpusError::malformed(path, 1, format!("document {n} ({}): {m}", d.title));
        let mut text = String::new();
        let mut sentences = Vec::new();
        // Byte span of each token of each sentence.
        let mut spans: Vec<Vec<Range<usize>>> = Vec::new();
        for sentence in &d.sents {
            if !text.is_empty() {
                text.push(' ');
            }
            let start = text.len();
            let mut tokens = Vec::with_capacity(sentence.len());
            let mut previous: Option<&str> = None;
            for token in sentence {
                let glued = previous.is_none_or(|p| OPENING.contains(&p))
                    || CLOSING.contains(&token.as_str());
                if !glued {
                    text.push(' ');
                }
                let at = text.len();
                text.push_str(token);
                tokens.push(at..text.len());
                previous = Some(token);
            }
            sentences.push(start..text.len());
            spans.push(tokens);
        }
        let mut entities = Vec::with_capacity(d.vertex_set.len());
        for mentions in &d.vertex_set {
            let mut out = Vec::with_capacity(mentions.len());
            for m in mentions {
                let tokens = spans.get(m.sent_id).ok_or_else(|| {
                    bad(format!(
                        "mention in sentence {} of {}",
                        m.sent_id,
                        spans.len()
                    ))
                })?;
                let [a, b] = m.pos;
                if a >= b || b > tokens.len() {
                    return Err(bad(format!(
                        "mention tokens {a}..{b} outside sentence {} ({} tokens)",
                        m.sent_id,
                        tokens.len()
                    )));
                }
                out.push((m.sent_id, tokens[a].start..tokens[b - 1].end));
            }
            entities.push(out);
        }
        let mut facts = Vec::new();
        for l in &d.labels {
            if l.h >= entities.len() || l.t >= entities.len() {
                return Err(bad(format!(
                    "fact {} between entities {} and {} of {}",
                    l.r,
                    l.h,
                    l.t,
                    entities.len()
                )));
            }
            if let Some(p) = properties.iter().find(|p| p.id == l.r) {
                facts.push(RedocredFact {
                    predicate: p.predicate.to_string(),
                    subject: l.h,
                    object: l.t,
                    evidence: l.evidence.clone(),
                });
            }
        }
        facts.sort();
        // One fact annotated twice keeps the evidence of both.
        facts.dedup_by(|later, kept| {
            let same = (&later.predicate, later.subject, later.object)
                == (&kept.predicate, kept.subject, kept.object);
            if same {
                kept.evidence.append(&mut later.evidence);
                kept.evidence.sort_unstable();
                kept.evidence.dedup();
            }
            same
        });
        out.push(RedocredDocument {
            title: d.title,
            text,
            sentences,
            entities,
            facts,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_become_text_with_mention_spans_and_mapped_facts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.json");
        std::fs::write(
            &path,
            r#"[{"title": "T", "sents": [["Ada", "Lovelace", "(", "born", "in", "London", ")", "married", "William", "King", "."]],
               "vertexSet": [[{"sent_id": 0, "pos": [0, 2], "name": "Ada Lovelace", "type": "PER"}],
                             [{"sent_id": 0, "pos": [5, 6], "name": "London", "type": "LOC"}],
                             [{"sent_id": 0, "pos": [8, 10], "name": "William King", "type": "PER"}]],
               "labels": [{"h": 0, "t": 1, "r": "P19", "evidence": [0]},
                          {"h": 0, "t": 2, "r": "P26", "evidence": [0]},
                          {"h": 0, "t": 1, "r": "P1412", "evidence": [0]}]}]"#,
        )
        .unwrap();
        let docs = read_redocred(&path).unwrap();
        let d = &docs[0];
        assert_eq!(
            d.text,
            "Ada Lovelace (born in London) married William King."
        );
        assert_eq!(&d.text[d.entities[1][0].1.clone()], "London");
        assert_eq!(&d.text[d.entities[2][0].1.clone()], "William King");
        let facts: Vec<(&str, usize, usize)> = d
            .facts
            .iter()
            .map(|f| (f.predicate.as_str(), f.subject, f.object))
            .collect();
        // P1412 (languages spoken) has no Kith predicate.
        assert_eq!(facts, [("born-in", 0, 1), ("spouse-of", 0, 2)]);
        assert!(d.share_a_sentence(0, 2));
    }

    #[test]
    fn a_mention_outside_its_sentence_names_the_document() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.json");
        std::fs::write(
            &path,
            r#"[{"title": "Broken", "sents": [["A", "b"]],
               "vertexSet": [[{"sent_id": 0, "pos": [1, 5]}]], "labels": []}]"#,
        )
        .unwrap();
        let err = read_redocred(&path).unwrap_err().to_string();
        assert!(
            err.contains("Broken") && err.contains("outside sentence 0"),
            "{err}"
        );
    }
}
