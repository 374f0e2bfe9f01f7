//! The compact facts line (version 2): the same [`DocumentFacts`], in fewer bytes.
//!
//! A version 1 line is `DocumentFacts` as serde writes it: every mention repeats the
//! document id, every relation's evidence repeats the document id and the whole sentence
//! text. On news, evidence texts were a fifth of the bytes and ids, keys and names most of
//! the rest. A version 2 line starts with `{"v":2,` and writes each thing once:
//!
//! ```text
//! {"v":2,"producer":"...","document":{...as in version 1...},
//!  "entities":[["Country","Pakistan",[[3,431,439,0.95],[10,1775,1784,0.85,1]],
//!               ["Pakistani"],{"iso3166-1:alpha2":"PK",...}]],
//!  "relations":[[2,3,"in-contact-with","communication",0.65,0]],
//!  "sentences":[[0,0,123,"The Plains of Arafat ..."]],
//!  "cited":[[5,800,950,"..."]]}
//! ```
//!
//! - an entity is `[kind, name, mentions, aliases, external_ids]`, the last two left out
//!   when empty (aliases written `[]` when only external ids follow);
//! - a mention is `[sentence, start, end, confidence]`, then, when needed, its text (`0`
//!   for the entity's name, the default; `k` for `aliases[k-1]`; else the text itself) and
//!   its `resolved_by`; its document is the line's;
//! - a relation is `[subject, object, predicate, class or null, confidence, evidence]`,
//!   then, when any differs from its default, `{"polarity": ..., "modality": ...,
//!   "evidence_confidence": ...}` (defaults `affirmed`, `asserted`, the relation's
//!   confidence); `evidence` is an index into `sentences` followed by `cited`, which give
//!   the evidence's sentence index, span and text; its document is the line's;
//! - `sentences` are the version 1 `sentences` (`[index, start, end, text]`, in order),
//!   `cited` the evidence texts that are not among them.
//!
//! [`CompactFacts::from_facts`] and [`CompactFacts::into_facts`] convert without loss: the
//! facts read back are equal to those written (tested on every sample), so a graph merged
//! from either version is the same bytes. Facts that cannot be written this way (a mention
//! or evidence of another document, which [`DocumentFacts::check`] refuses anyway) are
//! written as version 1. Readers tell the versions apart by [`is_compact_line`].

use crate::{
    ArcStr, CharSpan, DocId, DocumentFacts, DocumentInfo, EntityFacts, EntityType, Evidence,
    Mention, Modality, Polarity, RelationClass, RelationFacts, ResolvedBy, SentenceFacts,
};
use serde::de::{self, SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// The version a compact line carries in its `v` field.
pub const COMPACT_VERSION: u32 = 2;

/// Whether a facts line is compact (version 2 or later): its first key is `"v"`, written
/// first without white space (`{"v":`), after optional leading white space. Any other line
/// is read as version 1, plain [`DocumentFacts`].
pub fn is_compact_line(line: &[u8]) -> bool {
    let start = line
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(line.len());
    line[start..].starts_with(b"{\"v\":")
}

/// One document's facts as a compact line: see the module documentation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompactFacts {
    /// The line format's version, [`COMPACT_VERSION`].
    pub v: u32,
    /// As [`DocumentFacts::producer`].
    pub producer: String,
    /// As [`DocumentFacts::document`].
    pub document: DocumentInfo,
    /// The entities, with compact mentions.
    pub entities: Vec<CompactEntity>,
    /// The relations, evidence by reference.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<CompactRelation>,
    /// [`DocumentFacts::sentences`], in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sentences: Vec<CompactText>,
    /// Evidence texts that are not among `sentences`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cited: Vec<CompactText>,
}

/// An entity of a compact line: `[kind, name, mentions, aliases?, external_ids?]`.
#[derive(Clone, Debug, PartialEq)]
pub struct CompactEntity {
    /// As [`EntityFacts::kind`].
    pub kind: EntityType,
    /// As [`EntityFacts::name`].
    pub name: String,
    /// The mentions, without their document.
    pub mentions: Vec<CompactMention>,
    /// As [`EntityFacts::aliases`].
    pub aliases: Vec<String>,
    /// As [`EntityFacts::external_ids`].
    pub external_ids: BTreeMap<String, String>,
}

/// A mention's text: the entity's name (`0`), an alias (`k`: `aliases[k-1]`) or itself.
#[derive(Clone, Debug, PartialEq)]
pub enum TextRef {
    /// `0` for the name, `k` for `aliases[k-1]`.
    Name(u32),
    /// The text as written.
    Text(ArcStr),
}

/// A mention of a compact line: `[sentence, start, end, confidence, text?, resolved_by?]`.
#[derive(Clone, Debug, PartialEq)]
pub struct CompactMention {
    /// As [`Mention::sentence`].
    pub sentence: u32,
    /// As [`Mention::span`].
    pub span: CharSpan,
    /// As [`Mention::confidence`].
    pub confidence: f32,
    /// The text, by reference when it is a name of the entity.
    pub text: TextRef,
    /// As [`Mention::resolved_by`].
    pub resolved_by: Option<ResolvedBy>,
}

/// A relation of a compact line: `[subject, object, predicate, class, confidence,
/// evidence, extras?]`.
#[derive(Clone, Debug, PartialEq)]
pub struct CompactRelation {
    /// As [`RelationFacts::subject`].
    pub subject: usize,
    /// As [`RelationFacts::object`].
    pub object: usize,
    /// As [`RelationFacts::predicate`].
    pub predicate: String,
    /// As [`RelationFacts::class`].
    pub class: Option<RelationClass>,
    /// As [`RelationFacts::confidence`].
    pub confidence: f32,
    /// Index into the line's `sentences` followed by `cited`.
    pub evidence: usize,
    /// What differs from the defaults.
    pub extras: RelationExtras,
}

/// The rarely needed parts of a compact relation, each absent when it is the default.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RelationExtras {
    /// As [`RelationFacts::polarity`]; default `affirmed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polarity: Option<Polarity>,
    /// As [`RelationFacts::modality`]; default `asserted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modality: Option<Modality>,
    /// As [`Evidence::confidence`]; default the relation's confidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_confidence: Option<f32>,
}

impl RelationExtras {
    fn is_empty(&self) -> bool {
        self == &RelationExtras::default()
    }
}

/// A sentence or cited text of a compact line: `[index, start, end, text]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompactText(pub u32, pub u32, pub u32, pub ArcStr);

impl CompactFacts {
    /// The compact form of `facts`, or `None` when a mention or evidence names another
    /// document than the facts' own (such facts are written as version 1).
    pub fn from_facts(facts: &DocumentFacts) -> Option<CompactFacts> {
        let id = &facts.document.id;
        let sentences: Vec<CompactText> = facts
            .sentences
            .iter()
            .map(|s| CompactText(s.index, s.span.start, s.span.end, s.text.clone()))
            .collect();
        let mut cited = Vec::new();
        let mut places: HashMap<(u32, u32, u32, &str), usize> = HashMap::new();
        for (i, s) in facts.sentences.iter().enumerate() {
            places
                .entry((s.index, s.span.start, s.span.end, &s.text))
                .or_insert(i);
        }
        let mut entities = Vec::with_capacity(facts.entities.len());
        for e in &facts.entities {
            let mut mentions = Vec::with_capacity(e.mentions.len());
            for m in &e.mentions {
                if &m.doc != id {
                    return None;
                }
                let text = if *m.text == *e.name {
                    TextRef::Name(0)
                } else {
                    match e.aliases.iter().position(|a| *a == *m.text) {
                        Some(k) => TextRef::Name(k as u32 + 1),
                        None => TextRef::Text(m.text.clone()),
                    }
                };
                mentions.push(CompactMention {
                    sentence: m.sentence,
                    span: m.span,
                    confidence: m.confidence,
                    text,
                    resolved_by: m.resolved_by,
                });
            }
            entities.push(CompactEntity {
                kind: e.kind,
                name: e.name.clone(),
                aliases: e.aliases.clone(),
                external_ids: e.external_ids.clone(),
                mentions,
            });
        }
        let mut relations = Vec::with_capacity(facts.relations.len());
        for r in &facts.relations {
            let ev = &r.evidence;
            if &ev.doc != id {
                return None;
            }
            let key = (ev.sentence, ev.span.start, ev.span.end, &*ev.sentence_text);
            let evidence = *places.entry(key).or_insert_with(|| {
                cited.push(CompactText(
                    ev.sentence,
                    ev.span.start,
                    ev.span.end,
                    ev.sentence_text.clone(),
                ));
                sentences.len() + cited.len() - 1
            });
            let extras = RelationExtras {
                polarity: (r.polarity != Polarity::Affirmed).then_some(r.polarity),
                modality: (r.modality != Modality::Asserted).then_some(r.modality),
                evidence_confidence: (ev.confidence.to_bits() != r.confidence.to_bits())
                    .then_some(ev.confidence),
            };
            relations.push(CompactRelation {
                subject: r.subject,
                object: r.object,
                predicate: r.predicate.clone(),
                class: r.class,
                confidence: r.confidence,
                evidence,
                extras,
            });
        }
        Some(CompactFacts {
            v: COMPACT_VERSION,
            producer: facts.producer.clone(),
            document: facts.document.clone(),
            entities,
            relations,
            sentences,
            cited,
        })
    }

    /// The facts this line holds; an error names what is wrong (a version this reader does
    /// not know, a reference past its table). The facts still need [`DocumentFacts::check`].
    pub fn into_facts(self) -> Result<DocumentFacts, String> {
        if self.v != COMPACT_VERSION {
            return Err(format!(
                "facts line version {} (this kith reads versions 1 and {COMPACT_VERSION})",
                self.v
            ));
        }
        let id: DocId = self.document.id.clone();
        let mut entities = Vec::with_capacity(self.entities.len());
        for (i, e) in self.entities.into_iter().enumerate() {
            let name: ArcStr = e.name.as_str().into();
            let aliases: Vec<ArcStr> = e.aliases.iter().map(|a| a.as_str().into()).collect();
            let mut mentions = Vec::with_capacity(e.mentions.len());
            for (j, m) in e.mentions.into_iter().enumerate() {
                let text = match m.text {
                    TextRef::Name(0) => name.clone(),
                    TextRef::Name(k) => aliases.get(k as usize - 1).cloned().ok_or_else(|| {
                        format!(
                            "entities[{i}].mentions[{j}] names alias {k}, past the {} aliases",
                            aliases.len()
                        )
                    })?,
                    TextRef::Text(t) => t,
                };
                mentions.push(Mention {
                    doc: id.clone(),
                    sentence: m.sentence,
                    span: m.span,
                    text,
                    confidence: m.confidence,
                    resolved_by: m.resolved_by,
                });
            }
            entities.push(EntityFacts {
                kind: e.kind,
                name: e.name,
                aliases: e.aliases,
                external_ids: e.external_ids,
                mentions,
            });
        }
        let texts = self.sentences.len() + self.cited.len();
        let mut relations = Vec::with_capacity(self.relations.len());
        for (i, r) in self.relations.into_iter().enumerate() {
            let CompactText(sentence, start, end, text) = self
                .sentences
                .get(r.evidence)
                .or_else(|| self.cited.get(r.evidence - self.sentences.len()))
                .ok_or_else(|| {
                    format!(
                        "relations[{i}] cites text {}, past the {texts} texts",
                        r.evidence
                    )
                })?
                .clone();
            relations.push(RelationFacts {
                subject: r.subject,
                object: r.object,
                predicate: r.predicate,
                class: r.class,
                polarity: r.extras.polarity.unwrap_or(Polarity::Affirmed),
                modality: r.extras.modality.unwrap_or(Modality::Asserted),
                confidence: r.confidence,
                evidence: Evidence {
                    doc: id.clone(),
                    sentence,
                    span: CharSpan { start, end },
                    sentence_text: text,
                    confidence: r.extras.evidence_confidence.unwrap_or(r.confidence),
                },
            });
        }
        let sentences = self
            .sentences
            .into_iter()
            .map(|CompactText(index, start, end, text)| SentenceFacts {
                index,
                span: CharSpan { start, end },
                text,
            })
            .collect();
        Ok(DocumentFacts {
            producer: self.producer,
            document: self.document,
            entities,
            relations,
            sentences,
        })
    }
}

impl Serialize for CompactEntity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let tail = if !self.external_ids.is_empty() {
            2
        } else {
            usize::from(!self.aliases.is_empty())
        };
        let mut seq = serializer.serialize_seq(Some(3 + tail))?;
        seq.serialize_element(&self.kind)?;
        seq.serialize_element(&self.name)?;
        seq.serialize_element(&self.mentions)?;
        if tail >= 1 {
            seq.serialize_element(&self.aliases)?;
        }
        if tail >= 2 {
            seq.serialize_element(&self.external_ids)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for CompactEntity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CompactEntity;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an entity [kind, name, mentions, aliases?, external_ids?]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<CompactEntity, A::Error> {
                let missing = |n| de::Error::invalid_length(n, &self);
                let entity = CompactEntity {
                    kind: seq.next_element()?.ok_or_else(|| missing(0))?,
                    name: seq.next_element()?.ok_or_else(|| missing(1))?,
                    mentions: seq.next_element()?.ok_or_else(|| missing(2))?,
                    aliases: seq.next_element()?.unwrap_or_default(),
                    external_ids: seq.next_element()?.unwrap_or_default(),
                };
                if seq.next_element::<de::IgnoredAny>()?.is_some() {
                    return Err(de::Error::invalid_length(6, &self));
                }
                Ok(entity)
            }
        }
        deserializer.deserialize_seq(V)
    }
}

impl Serialize for CompactMention {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let tail = match (&self.text, self.resolved_by) {
            (_, Some(_)) => 2,
            (TextRef::Name(0), None) => 0,
            _ => 1,
        };
        let mut seq = serializer.serialize_seq(Some(4 + tail))?;
        seq.serialize_element(&self.sentence)?;
        seq.serialize_element(&self.span.start)?;
        seq.serialize_element(&self.span.end)?;
        seq.serialize_element(&self.confidence)?;
        if tail >= 1 {
            match &self.text {
                TextRef::Name(k) => seq.serialize_element(k)?,
                TextRef::Text(t) => seq.serialize_element(t.as_str())?,
            }
        }
        if let Some(r) = self.resolved_by {
            seq.serialize_element(&r)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for TextRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TextRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a name index or a mention text")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<TextRef, E> {
                u32::try_from(v)
                    .map(TextRef::Name)
                    .map_err(|_| E::custom(format!("name index {v} is too large")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TextRef, E> {
                Ok(TextRef::Text(v.into()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for CompactMention {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CompactMention;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mention [sentence, start, end, confidence, text?, resolved_by?]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<CompactMention, A::Error> {
                let missing = |n| de::Error::invalid_length(n, &self);
                let sentence = seq.next_element()?.ok_or_else(|| missing(0))?;
                let start = seq.next_element()?.ok_or_else(|| missing(1))?;
                let end = seq.next_element()?.ok_or_else(|| missing(2))?;
                let confidence = seq.next_element()?.ok_or_else(|| missing(3))?;
                let text = seq.next_element()?.unwrap_or(TextRef::Name(0));
                let resolved_by = seq.next_element()?;
                if seq.next_element::<de::IgnoredAny>()?.is_some() {
                    return Err(de::Error::invalid_length(7, &self));
                }
                Ok(CompactMention {
                    sentence,
                    span: CharSpan { start, end },
                    confidence,
                    text,
                    resolved_by,
                })
            }
        }
        deserializer.deserialize_seq(V)
    }
}

impl Serialize for CompactRelation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let extras = !self.extras.is_empty();
        let mut seq = serializer.serialize_seq(Some(6 + usize::from(extras)))?;
        seq.serialize_element(&self.subject)?;
        seq.serialize_element(&self.object)?;
        seq.serialize_element(&self.predicate)?;
        seq.serialize_element(&self.class)?;
        seq.serialize_element(&self.confidence)?;
        seq.serialize_element(&self.evidence)?;
        if extras {
            seq.serialize_element(&self.extras)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for CompactRelation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CompactRelation;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a relation [subject, object, predicate, class, confidence, evidence, extras?]",
                )
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<CompactRelation, A::Error> {
                let missing = |n| de::Error::invalid_length(n, &self);
                let relation = CompactRelation {
                    subject: seq.next_element()?.ok_or_else(|| missing(0))?,
                    object: seq.next_element()?.ok_or_else(|| missing(1))?,
                    predicate: seq.next_element()?.ok_or_else(|| missing(2))?,
                    class: seq.next_element()?.ok_or_else(|| missing(3))?,
                    confidence: seq.next_element()?.ok_or_else(|| missing(4))?,
                    evidence: seq.next_element()?.ok_or_else(|| missing(5))?,
                    extras: seq.next_element()?.unwrap_or_default(),
                };
                if seq.next_element::<de::IgnoredAny>()?.is_some() {
                    return Err(de::Error::invalid_length(8, &self));
                }
                Ok(relation)
            }
        }
        deserializer.deserialize_seq(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> DocumentFacts {
        let doc = DocId("d1".into());
        let mention = |sentence, start, end, text: &str, resolved_by| Mention {
            doc: doc.clone(),
            sentence,
            span: CharSpan::new(start, end),
            text: text.into(),
            confidence: 0.9268405,
            resolved_by,
        };
        let evidence = |sentence, start, end, text: &str, confidence| Evidence {
            doc: doc.clone(),
            sentence,
            span: CharSpan::new(start, end),
            sentence_text: text.into(),
            confidence,
        };
        let relation = |subject, object, polarity, modality, evidence| RelationFacts {
            subject,
            object,
            predicate: "speak-with".into(),
            class: Some(RelationClass::Communication),
            polarity,
            modality,
            confidence: 0.65,
            evidence,
        };
        DocumentFacts {
            producer: "test".into(),
            document: DocumentInfo {
                id: doc.clone(),
                title: Some("T".into()),
                url: None,
                published: None,
                source: "-:1".into(),
                chars: 60,
                sentences: 3,
            },
            entities: vec![
                EntityFacts {
                    kind: EntityType::Person,
                    name: "Marco Rubio".into(),
                    aliases: vec!["Rubio".into()],
                    external_ids: BTreeMap::new(),
                    mentions: vec![
                        mention(0, 0, 11, "Marco Rubio", None),
                        mention(1, 20, 25, "Rubio", Some(ResolvedBy::PartialName)),
                        mention(2, 40, 42, "he", Some(ResolvedBy::Pronoun)),
                        mention(2, 44, 46, "Marco Rubio", Some(ResolvedBy::Title)),
                    ],
                },
                EntityFacts {
                    kind: EntityType::Country,
                    name: "India".into(),
                    aliases: vec![],
                    external_ids: [("iso3166-1:alpha2".to_string(), "IN".to_string())].into(),
                    mentions: vec![mention(0, 12, 17, "India", None)],
                },
            ],
            relations: vec![
                relation(
                    0,
                    1,
                    Polarity::Affirmed,
                    Modality::Asserted,
                    evidence(0, 0, 18, "Marco Rubio India.", 0.65),
                ),
                relation(
                    1,
                    0,
                    Polarity::Negated,
                    Modality::Reported,
                    evidence(1, 19, 30, "Rubio said.", 0.5),
                ),
                relation(
                    0,
                    1,
                    Polarity::Affirmed,
                    Modality::Planned,
                    evidence(1, 19, 30, "Rubio said.", 0.65),
                ),
            ],
            sentences: vec![SentenceFacts {
                index: 0,
                span: CharSpan::new(0, 18),
                text: "Marco Rubio India.".into(),
            }],
        }
    }

    #[test]
    fn compact_lines_read_back_as_the_same_facts() {
        let facts = facts();
        let compact = CompactFacts::from_facts(&facts).unwrap();
        assert_eq!(compact.cited.len(), 1, "the second sentence is cited once");
        assert_eq!(compact.relations[1].evidence, 1);
        assert_eq!(compact.relations[2].evidence, 1);
        let line = serde_json::to_string(&compact).unwrap();
        assert!(line.starts_with("{\"v\":2,"), "{line}");
        assert!(is_compact_line(line.as_bytes()));
        assert!(line.contains(r#"[[0,0,11,0.9268405],[1,20,25,0.9268405,1,"partial-name"],[2,40,42,0.9268405,"he","pronoun"],[2,44,46,0.9268405,0,"title"]]"#), "{line}");
        let read: CompactFacts = serde_json::from_str(&line).unwrap();
        assert_eq!(read, compact);
        assert_eq!(read.into_facts().unwrap(), facts);
        let v1 = serde_json::to_string(&facts).unwrap();
        assert!(!is_compact_line(v1.as_bytes()));
        assert!(line.len() < v1.len());
    }

    #[test]
    fn facts_naming_another_document_stay_version_1() {
        let mut facts = facts();
        facts.relations[0].evidence.doc = DocId("d2".into());
        assert!(CompactFacts::from_facts(&facts).is_none());
        let mut facts = self::facts();
        facts.entities[1].mentions[0].doc = DocId("d2".into());
        assert!(CompactFacts::from_facts(&facts).is_none());
    }

    #[test]
    fn bad_compact_lines_are_errors() {
        let line = serde_json::to_string(&CompactFacts::from_facts(&facts()).unwrap()).unwrap();
        let read = |l: &str| {
            serde_json::from_str::<CompactFacts>(l)
                .map_err(|e| e.to_string())
                .and_then(CompactFacts::into_facts)
        };
        let newer = line.replacen("{\"v\":2,", "{\"v\":3,", 1);
        assert!(read(&newer).unwrap_err().contains("version 3"));
        let past_alias = line.replacen("0.9268405,1,", "0.9268405,7,", 1);
        assert!(read(&past_alias).unwrap_err().contains("alias 7"));
        let past_text = line.replacen("0.65,1,", "0.65,9,", 1);
        assert!(
            read(&past_text).unwrap_err().contains("text 9"),
            "{past_text}"
        );
        let short = line.replacen("[0,0,11,0.9268405]", "[0,0,11]", 1);
        assert!(read(&short).is_err());
        assert!(is_compact_line(b"  {\"v\":2}"));
        assert!(!is_compact_line(b"{\"producer\":\"x\",\"v\":2}"));
    }
}
