use std::path::PathBuf;

/// What can go wrong reading, writing or querying a graph.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a Kith graph file: {reason}")]
    NotAGraph { path: PathBuf, reason: String },
    #[error("{path}: graph file format version {found}, but this kith reads version {expected}; rebuild the graph with this version")]
    WrongVersion {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    #[error("{path}: corrupt graph file: {reason}")]
    Corrupt { path: PathBuf, reason: String },
    #[error("facts made by {found:?} cannot join a graph made by {expected:?}: the same text gives different entities under another pipeline or model; extract everything with one version, or build a new graph")]
    ProducerMismatch { expected: String, found: String },
    #[error("document {document}: {reason}")]
    InvalidFacts { document: String, reason: String },
    #[error("no entity matches {0:?}")]
    UnknownEntity(String),
    #[error("{name:?} is ambiguous; candidates: {}", candidates.join(", "))]
    Ambiguous {
        name: String,
        candidates: Vec<String>,
    },
}
