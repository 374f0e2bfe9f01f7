//! The facts Kith extracts from one document, and the vocabulary they share.
//!
//! This crate is the boundary between text processing (`kith-nlp`) and the graph
//! (`kith-graph`): the NLP layer produces a [`DocumentFacts`] per document and the graph
//! folds them in. Neither side needs the other. Everything here is plain data with serde
//! derives, so facts can also travel as JSON lines between processes.
//!
//! Offsets in this crate are **character offsets** (Unicode scalar values, as Python counts
//! them) into the document's text, half-open `[start, end)`.

pub use arcstr::ArcStr;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;

/// What kind of thing an entity is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EntityType {
    Person,
    Organization,
    Country,
    Location,
    Event,
    Role,
    Other,
}

impl EntityType {
    pub const ALL: [EntityType; 7] = [
        EntityType::Person,
        EntityType::Organization,
        EntityType::Country,
        EntityType::Location,
        EntityType::Event,
        EntityType::Role,
        EntityType::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "Person",
            EntityType::Organization => "Organization",
            EntityType::Country => "Country",
            EntityType::Location => "Location",
            EntityType::Event => "Event",
            EntityType::Role => "Role",
            EntityType::Other => "Other",
        }
    }

    /// Case-insensitive parse of a type name, also accepting common short forms
    /// (`per`, `org`, `loc`, `gpe`).
    pub fn parse(name: &str) -> Option<EntityType> {
        let lower = name.to_ascii_lowercase();
        Some(match lower.as_str() {
            "person" | "per" | "people" => EntityType::Person,
            "organization" | "organisation" | "org" => EntityType::Organization,
            "country" | "gpe" => EntityType::Country,
            "location" | "loc" | "place" => EntityType::Location,
            "event" => EntityType::Event,
            "role" | "title" => EntityType::Role,
            "other" | "misc" => EntityType::Other,
            _ => return None,
        })
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether the text affirms or denies a relation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    Affirmed,
    Negated,
}

/// How the text presents a relation: as a fact, as someone's report, as a plan, or as a
/// condition ("if India attacks ...": neither stated to happen nor planned).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    Asserted,
    Reported,
    Planned,
    Conditional,
}

macro_rules! str_enum {
    ($ty:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        impl $ty {
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $text),* }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
str_enum!(Polarity { Affirmed => "affirmed", Negated => "negated" });
str_enum!(Modality {
    Asserted => "asserted",
    Reported => "reported",
    Planned => "planned",
    Conditional => "conditional",
});

/// A coarse family of predicates, so that users can filter without knowing every verb.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RelationClass {
    /// Holds a position, works for, is a member or spokesperson of.
    RoleAffiliation,
    /// Is located in or happened in.
    LocatedIn,
    /// Speaks with, meets, calls, visits, briefs.
    Communication,
    /// Attacks, accuses, condemns, threatens.
    Conflict,
    /// Supports, praises, helps, signs with.
    Support,
    /// Two entities named in one sentence, with no predicate read from the text.
    CoOccurrence,
}
str_enum!(RelationClass {
    RoleAffiliation => "role-affiliation",
    LocatedIn => "located-in",
    Communication => "communication",
    Conflict => "conflict",
    Support => "support",
    CoOccurrence => "co-occurrence",
});

/// A half-open range of character offsets `[start, end)` into a document's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CharSpan {
    pub start: u32,
    pub end: u32,
}

impl CharSpan {
    pub fn new(start: u32, end: u32) -> CharSpan {
        debug_assert!(start <= end, "span start {start} after end {end}");
        CharSpan { start, end }
    }
}

/// A document's stable identifier: its JSONL `id`, or a hash of its content.
///
/// Shared and thin ([`ArcStr`], one pointer wide) because a graph holds one copy per
/// mention and piece of evidence: the graph points all of a document's copies at one
/// allocation.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocId(pub ArcStr);

impl DocId {
    /// The id of a document without one of its own: the first 16 hex digits of the SHA-256
    /// of its text, so the same article always gets the same id, in any process or order.
    pub fn from_content(text: &str) -> DocId {
        let digest = Sha256::digest(text.as_bytes());
        DocId(format!("sha256:{}", hex(&digest[..8])).into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Lower-case hex of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    use fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// What the graph records about a document.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub id: DocId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Where the document came from (a path, `path:line` for JSON lines, or `-`).
    pub source: String,
    /// Length of the text in characters.
    pub chars: u32,
    pub sentences: u32,
}

/// How a mention joined its entity when it does not name it in full: the coreference
/// rule that linked it to the entity's other mentions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResolvedBy {
    /// A part of a fuller name in the same document (*Rubio* → *Marco Rubio*).
    PartialName,
    /// An acronym of a longer name (*LeT* ↔ *Lashkar-e-Taiba*).
    Acronym,
    /// A title or definite description (*the secretary*, *the group*).
    Title,
    /// A pronoun (*he*, *its*, *they*).
    Pronoun,
    /// Another name for the entity known to a component (a gazetteer variant).
    Alias,
}
str_enum!(ResolvedBy {
    PartialName => "partial-name",
    Acronym => "acronym",
    Title => "title",
    Pronoun => "pronoun",
    Alias => "alias",
});

/// One place in one document where an entity is named.
#[derive(Clone, Debug, PartialEq, PartialOrd, Serialize, Deserialize)]
pub struct Mention {
    pub doc: DocId,
    pub sentence: u32,
    pub span: CharSpan,
    /// The text as written (shared: a graph points equal texts at one allocation).
    pub text: ArcStr,
    pub confidence: f32,
    /// How the mention joined its entity, when a coreference rule linked it; `None` for a
    /// mention that names the entity itself. Absent in files written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<ResolvedBy>,
}

/// Sentence-level evidence for a relation.
#[derive(Clone, Debug, PartialEq, PartialOrd, Serialize, Deserialize)]
pub struct Evidence {
    pub doc: DocId,
    pub sentence: u32,
    /// The span of the evidence (the sentence, or the part of it that states the fact).
    pub span: CharSpan,
    /// Shared: a graph points the evidence of one sentence at one allocation.
    pub sentence_text: ArcStr,
    pub confidence: f32,
}

/// An entity as one document knows it, with every place the document names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityFacts {
    pub kind: EntityType,
    /// The fullest name the document uses for it.
    pub name: String,
    /// Other names the document uses (not including `name`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Identifiers in external registries, e.g. `iso3166-1:alpha2` → `IN`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub external_ids: BTreeMap<String, String>,
    pub mentions: Vec<Mention>,
}

/// A relation as one document states it, between two of its entities.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelationFacts {
    /// Index into [`DocumentFacts::entities`].
    pub subject: usize,
    /// Index into [`DocumentFacts::entities`].
    pub object: usize,
    /// Normalised predicate, lower-case and hyphenated (`speak-with`, `spokesperson-of`).
    pub predicate: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<RelationClass>,
    pub polarity: Polarity,
    pub modality: Modality,
    pub confidence: f32,
    pub evidence: Evidence,
}

/// A sentence's place and text, kept for sentences that name two or more entities so that
/// co-occurrence edges can cite them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentenceFacts {
    pub index: u32,
    pub span: CharSpan,
    pub text: ArcStr,
}

/// Everything extracted from one document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentFacts {
    /// What extracted the facts: the Kith version, its pipeline components and the
    /// fingerprints of their models. Facts from different producers are not merged, since
    /// the same text would give different entities.
    pub producer: String,
    pub document: DocumentInfo,
    pub entities: Vec<EntityFacts>,
    pub relations: Vec<RelationFacts>,
    /// Sentences naming two or more entities, sorted by index.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sentences: Vec<SentenceFacts>,
}

/// Normalise a predicate to Kith's form: lower case, words joined by single hyphens.
pub fn normalize_predicate(raw: &str) -> String {
    raw.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A graph of a million news articles holds some forty million mentions: their size is
    /// most of its memory (the 4 GB budget of the scale issue).
    #[test]
    fn mentions_and_evidence_stay_small() {
        assert!(
            std::mem::size_of::<Mention>() <= 40,
            "{}",
            std::mem::size_of::<Mention>()
        );
        assert!(
            std::mem::size_of::<Evidence>() <= 40,
            "{}",
            std::mem::size_of::<Evidence>()
        );
        assert_eq!(std::mem::size_of::<DocId>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn content_ids_are_stable_and_distinct() {
        let a = DocId::from_content("Rubio spoke.");
        assert_eq!(a, DocId::from_content("Rubio spoke."));
        assert_ne!(a, DocId::from_content("Rubio spoke!"));
        assert!(a.as_str().starts_with("sha256:") && a.as_str().len() == 7 + 16);
    }

    #[test]
    fn predicates_normalise() {
        assert_eq!(normalize_predicate("Speak  With"), "speak-with");
        assert_eq!(normalize_predicate("spokesperson_of"), "spokesperson-of");
    }

    #[test]
    fn entity_types_parse_short_forms() {
        assert_eq!(EntityType::parse("PER"), Some(EntityType::Person));
        assert_eq!(EntityType::parse("gpe"), Some(EntityType::Country));
        assert_eq!(EntityType::parse("nonsense"), None);
    }

    #[test]
    fn modalities_have_stable_names() {
        for m in [
            Modality::Asserted,
            Modality::Reported,
            Modality::Planned,
            Modality::Conditional,
        ] {
            let json = serde_json::to_string(&m).unwrap();
            assert_eq!(json, format!("\"{}\"", m.as_str()));
            assert_eq!(serde_json::from_str::<Modality>(&json).unwrap(), m);
        }
        assert_eq!(Modality::Conditional.as_str(), "conditional");
    }

    #[test]
    fn facts_round_trip_through_json() {
        let facts = DocumentFacts {
            producer: "test".into(),
            document: DocumentInfo {
                id: DocId("d1".into()),
                title: None,
                url: None,
                published: None,
                source: "a.txt".into(),
                chars: 5,
                sentences: 1,
            },
            entities: vec![],
            relations: vec![],
            sentences: vec![],
        };
        let json = serde_json::to_string(&facts).unwrap();
        assert_eq!(serde_json::from_str::<DocumentFacts>(&json).unwrap(), facts);
    }
}
