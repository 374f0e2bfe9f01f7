//! Kith's knowledge graph.
//!
//! A [`KnowledgeGraph`] folds the [`DocumentFacts`](kith_schema::DocumentFacts) of many
//! documents into one set of entities and relations, keeping provenance on every one of
//! them: each mention and each piece of evidence names its document, sentence, character
//! span and confidence. It answers queries (neighbours, paths, statistics) through petgraph,
//! and reads and writes a versioned JSON file format (see [`file`](mod@file)) and an indexed,
//! transactional SQLite store that queries read without loading it (see [`store`]).
//!
//! Identifiers are computed from content (entity type and name or external id; relation
//! ends, predicate and flags), never from the order in which documents arrive, so merging
//! is associative and commutative and the same input always gives the same bytes.
//!
//! This crate knows nothing of text processing: it sees only the facts.

#![warn(missing_docs)]

mod error;
pub mod file;
pub mod identity;
mod intern;
mod merge;
mod model;
mod provenance;
mod query;
pub mod store;
mod units;

pub use error::GraphError;
pub use kith_schema as schema;
pub use merge::{AddOutcome, MAX_COOCCURRING};
pub use model::{
    Entity, EntityId, GraphOptions, KnowledgeGraph, Relation, RelationId, COOCCURRENCE_PREDICATE,
};
pub use provenance::{Located, Provenance};
pub use query::{Explanation, Neighbor, NeighborQuery, PathStep, Stats};
pub use store::GraphStore;
pub use units::RemoveCounts;
