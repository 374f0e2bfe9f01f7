//! The graph store: a [`KnowledgeGraph`] persisted in an indexed SQLite file, updated in
//! place by transactions and queried without loading it whole.
//!
//! The store persists exactly the content of a [`KnowledgeGraph`]: the same ids (computed
//! from content by the in-memory merge), names, aliases, external ids, mentions, evidence
//! and documents. Adding a graph to a store ([`GraphStore::merge`]) applies the same union
//! rules as [`KnowledgeGraph::merge`] row by row (preferred name, alias union, first
//! external id per registry, one mention or piece of evidence per place keeping the one
//! that outranks, highest confidence and class), touching only the rows of the entities,
//! relations and documents it brings. So a store built in any order and grouping loads
//! ([`GraphStore::load`]) to the graph a whole build gives, and exports byte-identically;
//! the SQLite pages themselves are not byte-identical.
//!
//! Tables (see `schema.rs`): `meta` (format, version, options, producer), `documents`,
//! `texts` (each distinct mention text and evidence sentence once, found by a hash),
//! `entities` (with the normalised name and the mention count), `aliases` (with their
//! normalised form), `external_ids`, `mentions`, `relations` (with the evidence count)
//! and `evidence`. Indexes: names and aliases by normalised form, relations by subject and
//! by object, documents by source; mentions and evidence are keyed by their entity or
//! relation first, so an entity's mentions and a relation's evidence are one range. No
//! index finds mentions by document: no query needs one, and at a million articles it
//! would cost over a third of the file (see docs/experiments/2026-12-06-graph-store.md).
//!
//! Concurrency: every change is one `BEGIN IMMEDIATE` transaction in SQLite's rollback
//! journal mode, so readers see the graph before or after it, never between; a second
//! writer waits up to the busy timeout, then fails with [`GraphError::Busy`]; a killed
//! writer leaves a hot journal that the next opener rolls back to the last commit.

mod read;
mod schema;
mod write;

use crate::error::GraphError;
use crate::model::{EntityId, GraphOptions, KnowledgeGraph, Relation};
use kith_schema::{DocId, DocumentInfo};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use read::Subgraph;
pub use write::MergeCounts;

/// The first 16 bytes of every SQLite database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// How long a writer waits for another writer (or a reader, at commit) by default.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// Whether the file at `path` is an SQLite database (and so, if Kith's, a graph store):
/// its first 16 bytes are SQLite's magic header. `false` for a missing or short file.
pub fn is_store(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == SQLITE_MAGIC
}

/// A Kith graph store: one SQLite file. See the [module documentation](self).
pub struct GraphStore {
    conn: Connection,
    path: PathBuf,
    busy_timeout: Duration,
}

impl std::fmt::Debug for GraphStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphStore")
            .field("path", &self.path)
            .finish()
    }
}

impl GraphStore {
    /// Create an empty store at `path`, which must not exist yet.
    pub fn create(path: &Path, options: GraphOptions) -> Result<GraphStore, GraphError> {
        if path.exists() {
            return Err(GraphError::Io {
                path: path.into(),
                source: std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "a file is already there",
                ),
            });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| sql_error(path, e))?;
        let mut store = GraphStore {
            conn,
            path: path.into(),
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
        };
        store.configure()?;
        schema::create(&mut store.conn, options).map_err(|e| sql_error(path, e))?;
        Ok(store)
    }

    /// Open an existing store for reading and writing, checking that it is a Kith graph
    /// store of this version.
    pub fn open(path: &Path) -> Result<GraphStore, GraphError> {
        if !path.exists() {
            return Err(GraphError::Io {
                path: path.into(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| sql_error(path, e))?;
        let mut store = GraphStore {
            conn,
            path: path.into(),
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
        };
        store.configure()?;
        schema::check(&store.conn, path)?;
        Ok(store)
    }

    /// Wait at most this long for another process's write lock before failing with
    /// [`GraphError::Busy`].
    pub fn set_busy_timeout(&mut self, timeout: Duration) -> Result<(), GraphError> {
        self.busy_timeout = timeout;
        self.conn
            .busy_timeout(timeout)
            .map_err(|e| sql_error(&self.path, e))
    }

    fn configure(&mut self) -> Result<(), GraphError> {
        let path = self.path.clone();
        self.conn
            .busy_timeout(self.busy_timeout)
            .map_err(|e| sql_error(&path, e))?;
        // Rollback journal, not WAL: a store is one self-contained file (no -wal/-shm
        // beside it that a rename could pair with another database), and readers still
        // only ever see committed transactions. FULL sync makes a commit survive power
        // loss, not only a killed process.
        self.conn
            .execute_batch(
                "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL; \
                 PRAGMA foreign_keys = OFF; PRAGMA cache_size = -65536;",
            )
            .map_err(|e| self.error(e))
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The options the graph was created with.
    pub fn options(&self) -> Result<GraphOptions, GraphError> {
        Ok(GraphOptions {
            cooccurrence: self.meta("cooccurrence")?.as_deref() == Some("true"),
        })
    }

    /// What extracted the facts in it; `None` while it is empty.
    pub fn producer(&self) -> Result<Option<String>, GraphError> {
        self.meta("producer")
    }

    fn meta(&self, key: &str) -> Result<Option<String>, GraphError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.error(e))
    }

    /// The document with this id, if the store has it.
    pub fn document(&self, id: &DocId) -> Result<Option<DocumentInfo>, GraphError> {
        self.conn
            .query_row(
                "SELECT id, title, url, published, source, chars, sentences FROM documents WHERE id = ?1",
                [id.as_str()],
                read::document_row,
            )
            .optional()
            .map_err(|e| self.error(e))
    }

    /// Numbers of documents, entities and relations, kept in `meta` by every write (so
    /// reading them costs no scan).
    pub fn counts(&self) -> Result<(usize, usize, usize), GraphError> {
        let count = |key: &str| -> Result<usize, GraphError> {
            let value = self.meta(key)?.unwrap_or_default();
            value.parse().map_err(|_| GraphError::Corrupt {
                path: self.path.clone(),
                reason: format!("meta.{key} is {value:?}, not a count"),
            })
        };
        Ok((count("documents")?, count("entities")?, count("relations")?))
    }

    /// Write a whole graph as a new store at `path`, atomically: into a temporary file in
    /// the same directory, then renamed over `path`.
    pub fn save_new(graph: &KnowledgeGraph, path: &Path) -> Result<(), GraphError> {
        let mut new = NewStore::create(path, graph.options())?;
        new.store().merge(graph)?;
        new.finish()
    }

    /// Copy this store's committed graph to a new store at `path` with `graph` added, atomically
    /// (temporary file and rename): `kith build --into A -o B`.
    pub fn save_copy_with(&self, graph: &KnowledgeGraph, path: &Path) -> Result<(), GraphError> {
        let mut new = self.copy_to(path)?;
        new.store().merge(graph)?;
        new.finish()
    }

    /// A copy of this store's committed graph, to become the store at `path` when
    /// [`NewStore::finish`]ed.
    pub fn copy_to(&self, path: &Path) -> Result<NewStore, GraphError> {
        let temp = temp_path(path)?;
        self.conn
            .execute("VACUUM INTO ?1", [temp.to_string_lossy().as_ref()])
            .map_err(|e| self.error(e))?;
        let store = GraphStore::open(&temp);
        NewStore::around(temp, path, store)
    }

    pub(crate) fn error(&self, e: rusqlite::Error) -> GraphError {
        store_error(&self.path, e, self.busy_timeout)
    }
}

/// A store being written under a temporary name beside its final path, which it takes
/// (by a rename) only when finished: until then nobody sees it, and dropping it removes it.
#[derive(Debug)]
pub struct NewStore {
    store: Option<GraphStore>,
    temp: Option<tempfile::TempPath>,
    path: PathBuf,
}

impl NewStore {
    /// An empty store, to become the one at `path`.
    pub fn create(path: &Path, options: GraphOptions) -> Result<NewStore, GraphError> {
        let temp = temp_path(path)?;
        let store = GraphStore::create(&temp, options);
        NewStore::around(temp, path, store)
    }

    fn around(
        temp: tempfile::TempPath,
        path: &Path,
        store: Result<GraphStore, GraphError>,
    ) -> Result<NewStore, GraphError> {
        let mut new = NewStore {
            store: None,
            temp: Some(temp),
            path: path.into(),
        };
        new.store = Some(store?);
        Ok(new)
    }

    /// The store being filled, to read.
    pub fn get(&self) -> &GraphStore {
        self.store.as_ref().expect("present until finished")
    }

    /// The store being filled.
    pub fn store(&mut self) -> &mut GraphStore {
        self.store.as_mut().expect("present until finished")
    }

    /// Close the store, make it durable and rename it over the final path.
    pub fn finish(mut self) -> Result<(), GraphError> {
        let mut store = self.store.take().expect("present until finished");
        store.commit()?;
        drop(store);
        let temp = self.temp.take().expect("present until finished");
        sync_file(&temp)?;
        temp.persist(&self.path).map_err(|e| GraphError::Io {
            path: self.path.clone(),
            source: e.error,
        })
    }
}

impl Drop for NewStore {
    fn drop(&mut self) {
        self.store.take();
        if let Some(temp) = self.temp.take() {
            let journal = PathBuf::from(format!("{}-journal", temp.display()));
            let _ = std::fs::remove_file(journal);
        }
    }
}

/// A free name for a temporary store beside `path` (the file itself is created by SQLite).
fn temp_path(path: &Path) -> Result<tempfile::TempPath, GraphError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let temp = tempfile::Builder::new()
        .prefix(&crate::file::temporary_prefix())
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|source| GraphError::Io {
            path: path.into(),
            source,
        })?
        .into_temp_path();
    // SQLite wants to create the file itself (VACUUM INTO refuses an existing one).
    std::fs::remove_file(&temp).map_err(|source| GraphError::Io {
        path: path.into(),
        source,
    })?;
    Ok(temp)
}

fn sync_file(path: &Path) -> Result<(), GraphError> {
    let io = |source| GraphError::Io {
        path: path.into(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    file.sync_all().map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).map_err(io)?;
    }
    Ok(())
}

fn sql_error(path: &Path, e: rusqlite::Error) -> GraphError {
    store_error(path, e, DEFAULT_BUSY_TIMEOUT)
}

fn store_error(path: &Path, e: rusqlite::Error, timeout: Duration) -> GraphError {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => GraphError::Busy {
            path: path.into(),
            seconds: timeout.as_secs_f64(),
        },
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => GraphError::Corrupt {
            path: path.into(),
            reason: e.to_string(),
        },
        _ => GraphError::Store {
            path: path.into(),
            reason: e.to_string(),
        },
    }
}

/// Counts of mentions and evidence that a [`Subgraph`] leaves out, so that queries can print
/// the totals without loading every mention.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    pub(crate) mentions: BTreeMap<EntityId, usize>,
    pub(crate) evidence: BTreeMap<crate::model::RelationId, usize>,
}

impl Counts {
    /// How many mentions the entity has in the whole graph.
    pub fn mentions(&self, entity: &crate::Entity) -> usize {
        self.mentions
            .get(&entity.id)
            .copied()
            .unwrap_or_else(|| entity.mention_count())
    }

    /// How many pieces of evidence the relation has in the whole graph.
    pub fn evidence(&self, relation: &Relation) -> usize {
        self.evidence
            .get(&relation.id)
            .copied()
            .unwrap_or_else(|| relation.count())
    }
}
