use std::path::PathBuf;

/// What can go wrong reading, writing or querying a graph.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    /// A graph file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not JSON with Kith's graph `format` field: `reason` says what was found.
    #[error("{path}: not a Kith graph file: {reason}")]
    NotAGraph {
        /// The file.
        path: PathBuf,
        /// Why it is not one.
        reason: String,
    },
    /// A graph file of another format version than this build reads.
    #[error("{path}: graph file format version {found}, but this kith reads version {expected}; rebuild the graph with this version")]
    WrongVersion {
        /// The file.
        path: PathBuf,
        /// The version in the file.
        found: u32,
        /// The version this build reads and writes.
        expected: u32,
    },
    /// The file has Kith's graph `format` field but is malformed: no version, or content that
    /// does not parse.
    #[error("{path}: corrupt graph file: {reason}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// Facts (or a graph) from another producer than the graph's own: merging them would mix
    /// entities that different pipelines cut differently.
    #[error("facts made by {found:?} cannot join a graph made by {expected:?}: the same text gives different entities under another pipeline or model; extract everything with one version, or build a new graph")]
    ProducerMismatch {
        /// The graph's producer.
        expected: String,
        /// The producer of the facts or graph being added.
        found: String,
    },
    /// Facts that break a rule of the format (a confidence out of range, a span past the
    /// document's end, an empty name, a reference to no entity).
    #[error("document {document}: {reason}")]
    InvalidFacts {
        /// The document's id.
        document: String,
        /// What is wrong, naming the field.
        reason: String,
    },
    /// Another process held the graph store's write lock for longer than the busy timeout.
    #[error("{path}: the graph store is being written by another process; gave up after waiting {seconds:.0} s (try again when it has finished)")]
    Busy {
        /// The store.
        path: PathBuf,
        /// How long it waited.
        seconds: f64,
    },
    /// The graph store could not be read or written (an SQLite error other than a lock).
    #[error("{path}: graph store: {reason}")]
    Store {
        /// The store.
        path: PathBuf,
        /// SQLite's message.
        reason: String,
    },
    /// An alias file line that does not parse.
    #[error("{source_name}:{line}: {reason}")]
    BadAliases {
        /// The file (or other source) of the table.
        source_name: String,
        /// The line, from 1.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// No document in the graph has this id or source.
    #[error("no document in the graph has the id or source {0:?}")]
    UnknownDocument(String),
    /// The document was added by a Kith that did not record what each document
    /// contributes, so it cannot be taken out exactly.
    #[error("document {0} was added before Kith kept documents as units (what each one contributed), so it cannot be taken out exactly; rebuild the graph from its documents")]
    NotAUnit(String),
    /// No entity has the given name or alias.
    #[error("no entity matches {0:?}")]
    UnknownEntity(String),
    /// Several entities match the given name.
    #[error("{name:?} is ambiguous; candidates: {}", candidates.join(", "))]
    Ambiguous {
        /// The name looked up.
        name: String,
        /// The entities it could mean, each as `name (type, id)`.
        candidates: Vec<String>,
    },
}
