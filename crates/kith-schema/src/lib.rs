//! The facts Kith extracts from one document, and the vocabulary they share.
//!
//! This crate is the boundary between text processing (`kith-nlp`) and the graph
//! (`kith-graph`): the NLP layer produces a [`DocumentFacts`] per document and the graph
//! folds them in. Neither side needs the other. Everything here is plain data with serde
//! derives, so facts can also travel as JSON lines between processes: one `DocumentFacts`
//! per line (version 1), or its lossless compact form ([`CompactFacts`], version 2), told
//! apart by [`is_compact_line`].
//!
//! Offsets in this crate are **character offsets** (Unicode scalar values, as Python counts
//! them) into the document's text, half-open `[start, end)`.
//!
//! Predicates that have a Wikidata property keep its id ([`wikidata_property`]: `works-for`
//! → `P108`), from the table in `data/schema/` (see the [`wikidata`] module).

#![warn(missing_docs)]

pub mod compact;
pub mod wikidata;

pub use arcstr::ArcStr;
pub use compact::{is_compact_line, CompactFacts, COMPACT_VERSION};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
pub use wikidata::{
    wikidata_label, wikidata_properties, wikidata_property, WikidataProperty, WIKIDATA_DIRECT_NS,
};

/// What kind of thing an entity is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EntityType {
    /// A person, named (*Marco Rubio*).
    Person,
    /// A company, government body, party, armed group or other organisation.
    Organization,
    /// A country or other geopolitical entity (`gpe` among [`EntityType::parse`]'s short forms).
    Country,
    /// A place that is not a country: a city, a region.
    Location,
    /// Something that happens: an attack, a summit, an election.
    Event,
    /// A position or title, named after what it belongs to (*Defence Minister of Pakistan*).
    Role,
    /// Any other named thing (`misc`).
    Other,
}

impl EntityType {
    /// Every entity type, in declaration order.
    pub const ALL: [EntityType; 7] = [
        EntityType::Person,
        EntityType::Organization,
        EntityType::Country,
        EntityType::Location,
        EntityType::Event,
        EntityType::Role,
        EntityType::Other,
    ];

    /// The type's name as Kith writes it (`Person`, `Organization`, ...): also its `Display`.
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
    /// The text states that the relation holds.
    Affirmed,
    /// The text denies it ("did not meet", "denied that ...").
    Negated,
}

/// How the text presents a relation: as a fact, as someone's report, as a plan, or as a
/// condition ("if India attacks ...": neither stated to happen nor planned).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    /// Stated as a fact.
    Asserted,
    /// Attributed to a source ("said", "according to").
    Reported,
    /// Announced or expected, not yet done ("will", "is expected to").
    Planned,
    /// Stated under a condition ("if India attacks ...").
    Conditional,
}

macro_rules! str_enum {
    ($ty:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        impl $ty {
            /// The value's lower-case (kebab-case) name, as serialised: also its `Display`.
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
    /// First character of the span.
    pub start: u32,
    /// One past the last character of the span.
    pub end: u32,
}

impl CharSpan {
    /// The span `[start, end)`; `start` must not be after `end` (checked in debug builds).
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

    /// The id as text.
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
    /// The document's id.
    pub id: DocId,
    /// Its title, when the input gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Its URL, when the input gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Its publication date as the input wrote it, when it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Where the document came from (a path, `path:line` for JSON lines, or `-`).
    pub source: String,
    /// Length of the text in characters.
    pub chars: u32,
    /// Number of sentences the pipeline found in the text.
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
    /// A relative pronoun, by the noun its clause describes (*X, who ...*).
    RelativePronoun,
    /// Another name for the entity known to a component (a gazetteer variant).
    Alias,
}
str_enum!(ResolvedBy {
    PartialName => "partial-name",
    Acronym => "acronym",
    Title => "title",
    Pronoun => "pronoun",
    RelativePronoun => "relative-pronoun",
    Alias => "alias",
});

/// One place in one document where an entity is named.
#[derive(Clone, Debug, PartialEq, PartialOrd, Serialize, Deserialize)]
pub struct Mention {
    /// The document that names the entity.
    pub doc: DocId,
    /// Index of the sentence (from 0) in that document.
    pub sentence: u32,
    /// Where the mention is in the document's text.
    pub span: CharSpan,
    /// The text as written (shared: a graph points equal texts at one allocation).
    pub text: ArcStr,
    /// How sure the extractor is of the mention, from 0 to 1.
    pub confidence: f32,
    /// How the mention joined its entity, when a coreference rule linked it; `None` for a
    /// mention that names the entity itself. Absent in files written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<ResolvedBy>,
}

/// Sentence-level evidence for a relation.
#[derive(Clone, Debug, PartialEq, PartialOrd, Serialize, Deserialize)]
pub struct Evidence {
    /// The document that states the relation.
    pub doc: DocId,
    /// Index of the sentence (from 0) in that document.
    pub sentence: u32,
    /// The span of the evidence (the sentence, or the part of it that states the fact).
    pub span: CharSpan,
    /// Shared: a graph points the evidence of one sentence at one allocation.
    pub sentence_text: ArcStr,
    /// How sure the extractor is of this evidence, from 0 to 1.
    pub confidence: f32,
}

/// An entity as one document knows it, with every place the document names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityFacts {
    /// What kind of thing the entity is.
    pub kind: EntityType,
    /// The fullest name the document uses for it.
    pub name: String,
    /// Other names the document uses (not including `name`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Identifiers in external registries, e.g. `iso3166-1:alpha2` → `IN`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub external_ids: BTreeMap<String, String>,
    /// Every place the document names it.
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
    /// The predicate's family, when it belongs to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<RelationClass>,
    /// Whether the text affirms or denies the relation.
    pub polarity: Polarity,
    /// Whether the text states, reports, plans or supposes it.
    pub modality: Modality,
    /// How sure the extractor is of the relation, from 0 to 1.
    pub confidence: f32,
    /// The sentence that states it.
    pub evidence: Evidence,
}

/// A sentence's place and text, kept for sentences that name two or more entities so that
/// co-occurrence edges can cite them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentenceFacts {
    /// Index of the sentence (from 0) in the document.
    pub index: u32,
    /// Where the sentence (or the part of it cited as evidence) is in the document's text.
    pub span: CharSpan,
    /// The text of that span.
    pub text: ArcStr,
}

/// Everything extracted from one document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentFacts {
    /// What extracted the facts: the Kith version, its pipeline components and the
    /// fingerprints of their models. Facts from different producers are not merged, since
    /// the same text would give different entities.
    pub producer: String,
    /// What the graph records about the document.
    pub document: DocumentInfo,
    /// The document's entities; relations refer to them by index.
    pub entities: Vec<EntityFacts>,
    /// The relations the document states between its entities.
    pub relations: Vec<RelationFacts>,
    /// Sentences naming two or more entities, sorted by index.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sentences: Vec<SentenceFacts>,
}

/// Why a confidence cannot be one: not a finite number from 0 to 1 (an f32 read from
/// `1e39` is infinite, and JSON would write it as `null`), or negative zero.
pub fn confidence_problem(value: f32) -> Option<String> {
    (!(0.0..=1.0).contains(&value) || value.is_sign_negative())
        .then(|| format!("is {value}, not a number from 0 to 1"))
}

/// Why a span cannot be one in a text of `chars` characters: start after end, or past the end.
pub fn span_problem(span: CharSpan, chars: u32) -> Option<String> {
    if span.start > span.end {
        Some(format!(
            "starts at {} after its end {}",
            span.start, span.end
        ))
    } else if span.end > chars {
        Some(format!(
            "ends at {}, past the document's {chars} characters",
            span.end
        ))
    } else {
        None
    }
}

/// Why a name cannot be one: empty, or only white space.
pub fn name_problem(name: &str) -> Option<String> {
    name.trim().is_empty().then(|| "is empty".to_string())
}

impl DocumentFacts {
    /// Check what the types cannot: confidences from 0 to 1, spans ordered and within the
    /// text, names and predicates not empty, mentions and evidence of this document,
    /// relations between its entities. The error names the field (`relations[0].confidence
    /// is inf, ...`).
    pub fn check(&self) -> Result<(), String> {
        let doc = &self.document;
        let chars = doc.chars;
        let fail = |field: String, problem: Option<String>| match problem {
            Some(p) => Err(format!("{field} {p}")),
            None => Ok(()),
        };
        let of_this_document = |id: &DocId| {
            (id != &doc.id).then(|| format!("is {:?}, not this document's id {:?}", id.0, doc.id.0))
        };
        for (i, entity) in self.entities.iter().enumerate() {
            fail(format!("entities[{i}].name"), name_problem(&entity.name))?;
            for (j, m) in entity.mentions.iter().enumerate() {
                let at = format!("entities[{i}].mentions[{j}]");
                fail(format!("{at}.doc"), of_this_document(&m.doc))?;
                fail(format!("{at}.span"), span_problem(m.span, chars))?;
                fail(format!("{at}.confidence"), confidence_problem(m.confidence))?;
            }
        }
        let n = self.entities.len();
        for (i, r) in self.relations.iter().enumerate() {
            let at = format!("relations[{i}]");
            for (end, index) in [("subject", r.subject), ("object", r.object)] {
                if index >= n {
                    return Err(format!(
                        "{at}.{end} is entity {index}, past the {n} entities"
                    ));
                }
            }
            fail(format!("{at}.predicate"), name_problem(&r.predicate))?;
            fail(format!("{at}.confidence"), confidence_problem(r.confidence))?;
            let e = &r.evidence;
            fail(format!("{at}.evidence.doc"), of_this_document(&e.doc))?;
            fail(format!("{at}.evidence.span"), span_problem(e.span, chars))?;
            fail(
                format!("{at}.evidence.confidence"),
                confidence_problem(e.confidence),
            )?;
        }
        for (i, s) in self.sentences.iter().enumerate() {
            fail(format!("sentences[{i}].span"), span_problem(s.span, chars))?;
        }
        Ok(())
    }
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
