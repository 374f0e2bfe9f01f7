//! The graph file format.
//!
//! A graph file is one JSON object:
//!
//! ```json
//! {"format": "kith-graph", "version": 1, "options": {"cooccurrence": false},
//!  "producer": "kith-nlp 0.1.0 [tokenizer, gazetteer, ...]",
//!  "documents": [DocumentInfo...], "entities": [Entity...], "relations": [Relation...],
//!  "units": {"entities": {EntityId: Shares}, "relations": {RelationId: Shares},
//!            "bare": {EntityId: [DocId...]}, "legacy": [DocId...]}}
//! Shares: {"default": share, "count": n, "others": [[share, [DocId...]]...]}
//! ```
//!
//! `units` holds what documents contributed to names, ids, classes and confidences where
//! they disagree (see `units.rs`), so that each can be taken out again; it is written for
//! every graph with documents, its parts only where they have something. A file without
//! it (written before it existed) still reads, and its documents cannot be taken out.
//!
//! Arrays are sorted by id, so the same graph always gives the same bytes. `format` and
//! `version` are read first: a file of another format or version is refused with a clear
//! error rather than misread. Field meanings are those of [`crate::Entity`],
//! [`crate::Relation`] and [`kith_schema::DocumentInfo`]; offsets are character offsets.
//!
//! Files are written atomically: to a temporary file in the same directory, then renamed
//! over the target, so an interrupted write leaves the previous graph intact.

use crate::error::GraphError;
use crate::identity::IdentitySettings;
use crate::model::{Entity, GraphOptions, KnowledgeGraph, Relation};
use crate::units::Units;
use kith_schema::DocumentInfo;
use serde::{Deserialize, Serialize};
use std::io::{BufWriter, Write};
use std::path::Path;

/// The value of the `format` field.
pub const FORMAT: &str = "kith-graph";
/// The version this code reads and writes.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u32,
    options: GraphOptions,
    #[serde(skip_serializing_if = "IdentitySettings::is_default")]
    identity: &'a IdentitySettings,
    #[serde(skip_serializing_if = "Option::is_none")]
    producer: Option<&'a str>,
    documents: Vec<&'a DocumentInfo>,
    entities: Vec<&'a Entity>,
    relations: Vec<&'a Relation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    units: Option<&'a Units>,
}

#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
}

#[derive(Deserialize)]
struct FileIn {
    #[serde(default)]
    options: GraphOptions,
    #[serde(default)]
    identity: IdentitySettings,
    #[serde(default)]
    producer: Option<String>,
    documents: Vec<DocumentInfo>,
    entities: Vec<Entity>,
    relations: Vec<Relation>,
    #[serde(default)]
    units: Option<Units>,
}

impl KnowledgeGraph {
    /// Write the graph as JSON to any writer.
    pub fn write_json(&self, writer: impl Write) -> serde_json::Result<()> {
        let out = FileOut {
            format: FORMAT,
            version: VERSION,
            options: self.options,
            identity: &self.identity,
            producer: self.producer.as_deref(),
            documents: self.documents.values().collect(),
            entities: self.entities.values().collect(),
            relations: self.relations.values().collect(),
            units: (!self.documents.is_empty()).then_some(&self.units),
        };
        serde_json::to_writer(writer, &out)
    }

    /// Write the graph to `path` atomically.
    pub fn save(&self, path: &Path) -> Result<(), GraphError> {
        write_atomically(path, |w| {
            self.write_json(&mut *w).map_err(std::io::Error::from)?;
            w.write_all(b"\n")
        })
    }

    /// Read a graph file, checking its format and version.
    pub fn load(path: &Path) -> Result<KnowledgeGraph, GraphError> {
        let bytes = std::fs::read(path).map_err(|source| GraphError::Io {
            path: path.into(),
            source,
        })?;
        KnowledgeGraph::from_slice(&bytes, path)
    }

    /// Parse graph-file bytes; `path` is only used in error messages.
    pub fn from_slice(bytes: &[u8], path: &Path) -> Result<KnowledgeGraph, GraphError> {
        let header: Header = serde_json::from_slice(bytes).map_err(|e| {
            let offset = byte_offset(bytes, e.line(), e.column());
            let ours = sniff_format(bytes).as_deref() == Some(FORMAT);
            if ours && e.is_eof() {
                GraphError::Corrupt {
                    path: path.into(),
                    reason: format!(
                        "truncated: the file ends at byte offset {} ({e})",
                        bytes.len()
                    ),
                }
            } else if ours {
                GraphError::Corrupt {
                    path: path.into(),
                    reason: format!("at byte offset {offset}: {e}"),
                }
            } else {
                GraphError::NotAGraph {
                    path: path.into(),
                    reason: e.to_string(),
                }
            }
        })?;
        match (header.format.as_deref(), header.version) {
            (Some(FORMAT), Some(VERSION)) => {}
            (Some(FORMAT), Some(found)) => {
                return Err(GraphError::WrongVersion {
                    path: path.into(),
                    found,
                    expected: VERSION,
                })
            }
            (Some(FORMAT), None) => {
                return Err(GraphError::Corrupt {
                    path: path.into(),
                    reason: "no version field".into(),
                })
            }
            (other, _) => {
                return Err(GraphError::NotAGraph {
                    path: path.into(),
                    reason: format!("format field is {other:?}, expected {FORMAT:?}"),
                })
            }
        }
        let file: FileIn = serde_json::from_slice(bytes).map_err(|e| GraphError::Corrupt {
            path: path.into(),
            reason: e.to_string(),
        })?;
        let corrupt = |reason: String| GraphError::Corrupt {
            path: path.into(),
            reason,
        };
        check_contents(&file).map_err(corrupt)?;
        let units = file.units.unwrap_or_else(|| Units {
            legacy: file.documents.iter().map(|d| d.id.clone()).collect(),
            ..Units::default()
        });
        let mut graph = KnowledgeGraph {
            options: file.options,
            producer: file.producer,
            identity: file.identity,
            documents: file
                .documents
                .into_iter()
                .map(|d| (d.id.clone(), d))
                .collect(),
            entities: file
                .entities
                .into_iter()
                .map(|e| (e.id.clone(), e))
                .collect(),
            relations: file
                .relations
                .into_iter()
                .map(|r| (r.id.clone(), r))
                .collect(),
            units,
            texts: Default::default(),
        };
        let (mut entities, mut relations) = (
            std::mem::take(&mut graph.entities),
            std::mem::take(&mut graph.relations),
        );
        graph.share_strings(entities.values_mut(), relations.values_mut());
        (graph.entities, graph.relations) = (entities, relations);
        graph.check_references().map_err(corrupt)?;
        Ok(graph)
    }

    fn check_references(&self) -> Result<(), String> {
        let units = &self.units;
        let docs = units
            .entities
            .values()
            .flat_map(|s| s.others.iter().flat_map(|(_, docs)| docs))
            .chain(
                units
                    .relations
                    .values()
                    .flat_map(|s| s.others.iter().flat_map(|(_, docs)| docs)),
            )
            .chain(units.bare.values().flatten())
            .chain(&units.legacy);
        for doc in docs {
            if !self.documents.contains_key(doc) {
                return Err(format!("units name a document not in the graph: {doc}"));
            }
        }
        for id in units.entities.keys().chain(units.bare.keys()) {
            if !self.entities.contains_key(id) {
                return Err(format!("units name an entity not in the graph: {id}"));
            }
        }
        for id in units.relations.keys() {
            if !self.relations.contains_key(id) {
                return Err(format!("units name a relation not in the graph: {id}"));
            }
        }
        for relation in self.relations.values() {
            for end in [&relation.subject, &relation.object] {
                if !self.entities.contains_key(end) {
                    return Err(format!(
                        "relation {} refers to missing entity {}",
                        relation.id, end
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The start of this process's temporary file names: `.kith-<pid>-`, so that a later run
/// can tell the files of a killed one ([`remove_stale_temporaries`]).
pub fn temporary_prefix() -> String {
    format!(".kith-{}-", std::process::id())
}

/// Removes the temporary files a killed Kith process left in `dir` (`.kith-<pid>-*.tmp`,
/// and SQLite's `-journal`/`-wal`/`-shm` files beside them, whose process no longer runs)
/// and returns them. A process that still runs keeps its files. Only where `/proc` tells
/// which processes run (Linux); elsewhere nothing is removed.
pub fn remove_stale_temporaries(dir: &Path) -> Vec<std::path::PathBuf> {
    let proc = Path::new("/proc/self");
    if !proc.exists() {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let Some(rest) = name.strip_prefix(".kith-") else {
            continue;
        };
        let Some((pid, tail)) = rest.split_once('-') else {
            continue;
        };
        let temporary = tail.ends_with(".tmp")
            || [".tmp-journal", ".tmp-wal", ".tmp-shm"]
                .iter()
                .any(|s| tail.ends_with(s));
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if !temporary || Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        if std::fs::remove_file(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    removed.sort();
    removed
}

/// Write a file through a temporary file in the same directory and a rename, so readers
/// never see a half-written file and a failure leaves the old one in place.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<&mut std::fs::File>) -> std::io::Result<()>,
) -> Result<(), GraphError> {
    let io_err = |source| GraphError::Io {
        path: path.into(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let prefix = temporary_prefix();
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // tempfile creates files readable by the owner only; a graph is an ordinary file, so it
    // keeps the permissions of the file it replaces, or gets the usual rw-r--r--.
    #[cfg(unix)]
    let permissions = match std::fs::metadata(path) {
        Ok(existing) => existing.permissions(),
        Err(_) => std::os::unix::fs::PermissionsExt::from_mode(0o644),
    };
    #[cfg(unix)]
    builder.permissions(permissions);
    let mut temp = builder.tempfile_in(dir).map_err(io_err)?;
    {
        let mut writer = BufWriter::new(temp.as_file_mut());
        write(&mut writer).map_err(io_err)?;
        writer.flush().map_err(io_err)?;
    }
    temp.as_file().sync_all().map_err(io_err)?;
    temp.persist(path).map_err(|e| io_err(e.error))?;
    Ok(())
}

/// Check what the types cannot, naming the field: ids unique, confidences from 0 to 1,
/// spans ordered and within their document, names not empty, mentions and evidence of
/// documents in the file.
fn check_contents(file: &FileIn) -> Result<(), String> {
    use kith_schema::{confidence_problem, name_problem, span_problem};
    use std::collections::{BTreeMap, BTreeSet};
    let fail = |field: String, problem: Option<String>| match problem {
        Some(p) => Err(format!("{field} {p}")),
        None => Ok(()),
    };
    let mut chars = BTreeMap::new();
    for (i, d) in file.documents.iter().enumerate() {
        if chars.insert(&d.id, d.chars).is_some() {
            return Err(format!("documents[{i}]: duplicate document id {}", d.id));
        }
    }
    let place = |at: &str, doc: &kith_schema::DocId, span, confidence| {
        let Some(&chars) = chars.get(doc) else {
            return Err(format!("{at}.doc is {doc}, not a document in the file"));
        };
        fail(format!("{at}.span"), span_problem(span, chars))?;
        fail(format!("{at}.confidence"), confidence_problem(confidence))
    };
    let mut ids = BTreeSet::new();
    for (i, e) in file.entities.iter().enumerate() {
        let at = format!("entities[{i}] ({})", e.id);
        if !ids.insert(&e.id) {
            return Err(format!("{at}: duplicate entity id {}", e.id));
        }
        fail(format!("{at}.name"), name_problem(&e.name))?;
        for (j, m) in e.mentions.iter().enumerate() {
            place(&format!("{at}.mentions[{j}]"), &m.doc, m.span, m.confidence)?;
        }
    }
    let mut ids = BTreeSet::new();
    for (i, r) in file.relations.iter().enumerate() {
        let at = format!("relations[{i}] ({})", r.id);
        if !ids.insert(&r.id) {
            return Err(format!("{at}: duplicate relation id {}", r.id));
        }
        fail(format!("{at}.predicate"), name_problem(&r.predicate))?;
        fail(format!("{at}.confidence"), confidence_problem(r.confidence))?;
        for (j, e) in r.evidence.iter().enumerate() {
            place(&format!("{at}.evidence[{j}]"), &e.doc, e.span, e.confidence)?;
        }
    }
    Ok(())
}

/// The 0-based byte offset of serde_json's 1-based line and column (a column counts bytes).
fn byte_offset(bytes: &[u8], line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(line - 2)
            .map_or(bytes.len(), |(i, _)| i + 1)
    };
    (line_start + column.saturating_sub(1)).min(bytes.len())
}

/// The `format` field of the first JSON value read from `reader`, when that value is an
/// object with one: a graph file has it (`kith-graph`), in any key order and layout, and a
/// line of document facts has not. Read only as far as needed, so a graph that turns out
/// corrupt or truncated further on still shows what it is.
pub fn sniff_format(reader: impl std::io::Read) -> Option<String> {
    use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
    use std::cell::RefCell;
    struct Shape<'a>(&'a RefCell<Option<String>>);
    impl<'de> Visitor<'de> for Shape<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<String>()? {
                if key == "format" && self.0.borrow().is_none() {
                    if let serde_json::Value::String(format) = map.next_value()? {
                        *self.0.borrow_mut() = Some(format);
                        return Ok(());
                    }
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(())
        }
    }
    let format = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_reader(reader);
    let _ = (&mut de).deserialize_map(Shape(&format));
    format.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_temporaries_of_dead_processes_go_and_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join(format!("{}abc.tmp", temporary_prefix()));
        // Above any Linux pid_max: no process has this id.
        let dead = dir.path().join(".kith-4294967295-abc.tmp");
        let dead_journal = dir.path().join(".kith-4294967295-abd.tmp-journal");
        let other = dir.path().join(".kith-notapid.tmp");
        for f in [&live, &dead, &dead_journal, &other] {
            std::fs::write(f, "x").unwrap();
        }
        let removed = remove_stale_temporaries(dir.path());
        assert_eq!(removed, vec![dead.clone(), dead_journal.clone()]);
        assert!(live.exists() && other.exists());
        assert!(!dead.exists() && !dead_journal.exists());
    }
}
