//! FewRel (`val_wiki.json`): Wikipedia sentences grouped by Wikidata property, each with
//! one head and one tail entity (`h`, `t`: name, id and the token indices of its
//! mentions) between which the property holds.
//!
//! The tokens are joined with one space into text, and each sentence becomes a passage
//! whose one labelled pair is head and tail: the property's Kith predicate when it has one
//! (*spouse* both ways; *mother* as *parent-of* from the tail), "no relation" for the
//! properties Kith has no predicate for. *Member of* is left unlabelled: KnowledgeNet,
//! which the relation model also learns from, counts membership as *works-for*. Every
//! other pair of a sentence is unlabelled, as FewRel annotates one pair a sentence.

use crate::knowledgenet::KnFact;
use crate::CorpusError;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

/// One FewRel sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FewRelSentence {
    /// The Wikidata property between head and tail (`P26`).
    pub property: String,
    /// The tokens joined with spaces.
    pub text: String,
    /// Byte span of the head's first mention.
    pub head: Range<usize>,
    /// Byte span of the tail's first mention.
    pub tail: Range<usize>,
}

/// What FewRel's pair says in Kith's terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FewRelLabel {
    /// Facts with a Kith predicate, in Kith's direction.
    Facts(Vec<KnFact>),
    /// The pair holds none of Kith's predicates (either way).
    NoRelation,
    /// The property may be one of Kith's predicates or not: neither label.
    Unlabelled,
}

impl FewRelSentence {
    /// The sentence's labelled pair in Kith's terms.
    pub fn label(&self) -> FewRelLabel {
        let fact = |predicate: &str, subject: &Range<usize>, object: &Range<usize>| KnFact {
            predicate: predicate.to_string(),
            subject: subject.clone(),
            object: object.clone(),
        };
        match self.property.as_str() {
            "P463" => FewRelLabel::Unlabelled,
            // Mother (P25): the tail is the head's parent.
            "P25" => FewRelLabel::Facts(vec![fact("parent-of", &self.tail, &self.head)]),
            id => match kith_schema::wikidata_properties()
                .iter()
                .find(|p| p.id == id)
            {
                Some(p) if p.predicate == "spouse-of" => FewRelLabel::Facts(vec![
                    fact(p.predicate, &self.head, &self.tail),
                    fact(p.predicate, &self.tail, &self.head),
                ]),
                Some(p) => FewRelLabel::Facts(vec![fact(p.predicate, &self.head, &self.tail)]),
                None => FewRelLabel::NoRelation,
            },
        }
    }
}

#[derive(serde::Deserialize)]
struct Instance {
    tokens: Vec<String>,
    h: Entity,
    t: Entity,
}

/// `[name, id, [[token indices of a mention], ...]]`.
#[derive(serde::Deserialize)]
struct Entity(String, serde::de::IgnoredAny, Vec<Vec<usize>>);

/// Reads a FewRel file, properties in id order and sentences in file order. An entity
/// pointing outside its sentence is an error naming the property and sentence.
pub fn read_fewrel(path: &Path) -> Result<Vec<FewRelSentence>, CorpusError> {
    let text = crate::error::read_text(path)?;
    let data: BTreeMap<String, Vec<Instance>> = serde_json::from_str(&text)
        .map_err(|e| CorpusError::malformed(path, e.line(), e.to_string()))?;
    let mut out = Vec::new();
    for (property, instances) in data {
        for (n, instance) in instances.into_iter().enumerate() {
            let mut text = String::new();
            let mut spans = Vec::with_capacity(instance.tokens.len());
            for token in &instance.tokens {
                if !text.is_empty() {
                    text.push(' ');
                }
                spans.push(text.len()..text.len() + token.len());
                text.push_str(token);
            }
            let span = |e: &Entity, which: &str| {
                let tokens = e.2.first().filter(|t| !t.is_empty());
                let bad = || {
                    CorpusError::malformed(
                        path,
                        1,
                        format!("{property} sentence {n}: {which} entity `{}` has no tokens in the sentence", e.0),
                    )
                };
                let tokens = tokens.ok_or_else(bad)?;
                let first = spans.get(*tokens.iter().min().unwrap()).ok_or_else(bad)?;
                let last = spans.get(*tokens.iter().max().unwrap()).ok_or_else(bad)?;
                Ok::<_, CorpusError>(first.start..last.end)
            };
            let head = span(&instance.h, "head")?;
            let tail = span(&instance.t, "tail")?;
            out.push(FewRelSentence {
                property: property.clone(),
                text,
                head,
                tail,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(json: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut f, json.as_bytes()).unwrap();
        f
    }

    #[test]
    fn sentences_become_text_with_head_and_tail_spans_and_kith_labels() {
        let f = write(
            r#"{"P26": [{"tokens": ["Ann", "Lee", "married", "Bo", "Park", "."],
                         "h": ["ann lee", "Q1", [[0, 1]]], "t": ["bo park", "Q2", [[3, 4]]]}],
                "P25": [{"tokens": ["Bo", "is", "the", "son", "of", "Ann", "."],
                         "h": ["bo", "Q2", [[0]]], "t": ["ann", "Q1", [[5]]]}],
                "P59": [{"tokens": ["Vega", "is", "in", "Lyra", "."],
                         "h": ["vega", "Q3", [[0]]], "t": ["lyra", "Q4", [[3]]]}]}"#,
        );
        let s = read_fewrel(f.path()).unwrap();
        assert_eq!(s.len(), 3);
        let spouse = s.iter().find(|x| x.property == "P26").unwrap();
        assert_eq!(&spouse.text[spouse.head.clone()], "Ann Lee");
        assert_eq!(&spouse.text[spouse.tail.clone()], "Bo Park");
        let FewRelLabel::Facts(facts) = spouse.label() else {
            panic!("spouse is a Kith predicate")
        };
        assert_eq!(facts.len(), 2);
        let mother = s.iter().find(|x| x.property == "P25").unwrap();
        let FewRelLabel::Facts(facts) = mother.label() else {
            panic!("mother is parent-of")
        };
        assert_eq!(facts[0].predicate, "parent-of");
        assert_eq!(&mother.text[facts[0].subject.clone()], "Ann");
        let other = s.iter().find(|x| x.property == "P59").unwrap();
        assert_eq!(other.label(), FewRelLabel::NoRelation);
    }

    #[test]
    fn an_entity_outside_its_sentence_is_an_error_naming_it() {
        let f = write(
            r#"{"P26": [{"tokens": ["Ann"], "h": ["ann", "Q1", [[0]]], "t": ["bo", "Q2", [[7]]]}]}"#,
        );
        let e = read_fewrel(f.path()).unwrap_err().to_string();
        assert!(e.contains("P26 sentence 0") && e.contains("`bo`"), "{e}");
    }
}
