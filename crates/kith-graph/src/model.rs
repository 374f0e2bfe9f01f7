use crate::provenance::Provenance;
use kith_schema::{
    hex, DocId, DocumentInfo, EntityType, Evidence, Mention, Modality, Polarity, RelationClass,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The predicate of co-occurrence edges.
pub const COOCCURRENCE_PREDICATE: &str = "co-occurs-with";

/// An entity's stable id: a hash of its type and its identity key (an external id when it
/// has one, else its normalised name). Independent of document order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntityId(pub String);

/// A relation's stable id: a hash of its ends, predicate, polarity and modality.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RelationId(pub String);

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for RelationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub(crate) fn short_hash(prefix: &str, parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    format!("{prefix}{}", hex(&hasher.finalize()[..8]))
}

/// A person, organisation, place, event or role, merged over every document naming it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Its content-derived id.
    pub id: EntityId,
    /// What kind of thing it is.
    pub kind: EntityType,
    /// The canonical name.
    pub name: String,
    /// Every other name used for it, sorted.
    pub aliases: BTreeSet<String>,
    /// Identifiers in external registries, e.g. `iso3166-1:alpha2` → `IN`.
    pub external_ids: BTreeMap<String, String>,
    /// Every mention, sorted by document, sentence and span.
    pub mentions: Provenance<Mention>,
}

impl Entity {
    /// How many mentions it has, over all documents.
    pub fn mention_count(&self) -> usize {
        self.mentions.len()
    }

    /// The documents that mention it, sorted.
    pub fn documents(&self) -> BTreeSet<&DocId> {
        self.mentions.iter().map(|m| &m.doc).collect()
    }

    /// Whether `name` is its canonical name or one of its aliases, ignoring case.
    pub fn is_named(&self, name: &str) -> bool {
        let wanted = crate::merge::normalize_name(name);
        crate::merge::normalize_name(&self.name) == wanted
            || self
                .aliases
                .iter()
                .any(|a| crate::merge::normalize_name(a) == wanted)
    }
}

/// A directed, typed fact between two entities, with every sentence that states it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    /// Its content-derived id.
    pub id: RelationId,
    /// The entity the relation goes from.
    pub subject: EntityId,
    /// The entity it goes to.
    pub object: EntityId,
    /// Normalised predicate (`speak-with`), or [`COOCCURRENCE_PREDICATE`].
    pub predicate: String,
    /// The predicate's family, when it belongs to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<RelationClass>,
    /// Whether the text affirms or denies it.
    pub polarity: Polarity,
    /// Whether the text states, reports, plans or supposes it.
    pub modality: Modality,
    /// The highest confidence of any of its evidence.
    pub confidence: f32,
    /// Every piece of evidence, sorted by document, sentence and span.
    pub evidence: Provenance<Evidence>,
}

impl Relation {
    /// How many times the fact is stated (for co-occurrence edges: the weight).
    pub fn count(&self) -> usize {
        self.evidence.len()
    }

    /// Whether this is a co-occurrence edge rather than a stated fact.
    pub fn is_cooccurrence(&self) -> bool {
        self.class == Some(RelationClass::CoOccurrence)
    }
}

/// Choices fixed when a graph is created.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphOptions {
    /// Add weighted co-occurrence edges between entities named in one sentence.
    #[serde(default)]
    pub cooccurrence: bool,
}

/// Entities and relations merged across documents.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KnowledgeGraph {
    pub(crate) options: GraphOptions,
    /// What extracted the facts in it (see [`kith_schema::DocumentFacts::producer`]); none
    /// while the graph is empty.
    pub(crate) producer: Option<String>,
    pub(crate) documents: BTreeMap<DocId, DocumentInfo>,
    pub(crate) entities: BTreeMap<EntityId, Entity>,
    pub(crate) relations: BTreeMap<RelationId, Relation>,
    /// What documents contributed where they disagree, so that they can be taken out
    /// again (see [`crate::units`]).
    pub(crate) units: crate::units::Units,
    /// Shared copies of mention texts (see `intern`).
    pub(crate) texts: crate::intern::Interner,
    /// How identities are resolved across documents when the graph is read (see
    /// [`crate::identity`]).
    pub(crate) identity: crate::identity::IdentitySettings,
}

impl KnowledgeGraph {
    /// An empty graph with these options.
    pub fn new(options: GraphOptions) -> KnowledgeGraph {
        KnowledgeGraph {
            options,
            ..KnowledgeGraph::default()
        }
    }

    /// An empty graph that will only take facts of `producer` (as a graph holding such
    /// facts would): for collecting what is to be added to a stored graph.
    pub fn with_producer(options: GraphOptions, producer: Option<String>) -> KnowledgeGraph {
        KnowledgeGraph {
            options,
            producer,
            ..KnowledgeGraph::default()
        }
    }

    /// The options the graph was created with.
    pub fn options(&self) -> GraphOptions {
        self.options
    }

    /// How identities are resolved across documents (see [`crate::identity`]).
    pub fn identity_settings(&self) -> &crate::identity::IdentitySettings {
        &self.identity
    }

    /// Changes how identities are resolved: `cross_document` off if given `false`, the
    /// alias table's rules added (stored with the graph, so later reads apply them).
    pub fn set_identity(
        &mut self,
        cross_document: Option<bool>,
        aliases: &crate::identity::AliasTable,
    ) {
        if let Some(on) = cross_document {
            self.identity.cross_document = on;
        }
        self.identity.aliases.extend(aliases);
    }

    /// The graph with cross-document identities resolved (see [`crate::identity`]): what
    /// queries and exports should read. The decisions are in [`Self::resolve_identities`].
    pub fn resolved(&self) -> KnowledgeGraph {
        self.resolve_identities().graph
    }

    /// The resolved graph and every decision made for it: the one call into
    /// [`crate::identity::resolve`], with the settings stored in the graph.
    pub fn resolve_identities(&self) -> crate::identity::Resolution {
        crate::identity::resolve(self, &self.identity)
    }

    /// What extracted the facts in it (see [`kith_schema::DocumentFacts::producer`]); `None`
    /// while the graph is empty.
    pub fn producer(&self) -> Option<&str> {
        self.producer.as_deref()
    }

    /// Documents, sorted by id.
    pub fn documents(&self) -> impl ExactSizeIterator<Item = &DocumentInfo> {
        self.documents.values()
    }

    /// The document with this id, if the graph has it.
    pub fn document(&self, id: &DocId) -> Option<&DocumentInfo> {
        self.documents.get(id)
    }

    /// Whether the graph has a document with this id.
    pub fn contains_document(&self, id: &DocId) -> bool {
        self.documents.contains_key(id)
    }

    /// Entities, sorted by id.
    pub fn entities(&self) -> impl ExactSizeIterator<Item = &Entity> {
        self.entities.values()
    }

    /// The entity with this id, if any.
    pub fn entity(&self, id: &EntityId) -> Option<&Entity> {
        self.entities.get(id)
    }

    /// Relations (including co-occurrence edges), sorted by id.
    pub fn relations(&self) -> impl ExactSizeIterator<Item = &Relation> {
        self.relations.values()
    }

    /// The relation with this id, if any.
    pub fn relation(&self, id: &RelationId) -> Option<&Relation> {
        self.relations.get(id)
    }
}
