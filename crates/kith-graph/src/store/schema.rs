//! The store's tables and indexes, and the checks made when one is opened.

use crate::error::GraphError;
use crate::model::GraphOptions;
use rusqlite::Connection;
use std::path::Path;

/// The `format` value in `meta`.
pub(crate) const FORMAT: &str = "kith-graph-store";
/// The schema version this code reads and writes.
pub(crate) const VERSION: u32 = 1;
/// SQLite's `application_id` of a Kith store ("KITH"), so `file` and other tools can tell it.
const APPLICATION_ID: i64 = 0x4B49_5448;

/// Confidences are the bits of their `f32` (a REAL column would store -0.0 as 0 and
/// round-trip through `f64`). Every table is keyed by integer row ids internally (documents, texts, entities,
/// relations) so that the many rows of mentions and evidence repeat small integers, not
/// strings; the content ids (`e…`, `r…`, document ids) are unique columns.
const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE documents (
    rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT, url TEXT,
    published TEXT, source TEXT NOT NULL, chars INTEGER NOT NULL, sentences INTEGER NOT NULL);
CREATE INDEX documents_by_source ON documents (source);
CREATE TABLE texts (rowid INTEGER PRIMARY KEY, hash INTEGER NOT NULL, text TEXT NOT NULL);
CREATE INDEX texts_by_hash ON texts (hash);
CREATE TABLE entities (
    rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
    name TEXT NOT NULL, norm TEXT NOT NULL, mentions INTEGER NOT NULL);
CREATE INDEX entities_by_norm ON entities (norm);
CREATE TABLE aliases (
    entity INTEGER NOT NULL, alias TEXT NOT NULL, norm TEXT NOT NULL,
    PRIMARY KEY (entity, alias)) WITHOUT ROWID;
CREATE INDEX aliases_by_norm ON aliases (norm);
CREATE TABLE external_ids (
    entity INTEGER NOT NULL, registry TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (entity, registry)) WITHOUT ROWID;
CREATE TABLE mentions (
    entity INTEGER NOT NULL, doc INTEGER NOT NULL, sentence INTEGER NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, text INTEGER NOT NULL,
    confidence INTEGER NOT NULL, resolved_by TEXT,
    PRIMARY KEY (entity, doc, sentence, start, end)) WITHOUT ROWID;
CREATE TABLE relations (
    rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, subject INTEGER NOT NULL,
    object INTEGER NOT NULL, predicate TEXT NOT NULL, class TEXT, polarity TEXT NOT NULL,
    modality TEXT NOT NULL, confidence INTEGER NOT NULL, evidence INTEGER NOT NULL);
CREATE INDEX relations_by_subject ON relations (subject);
CREATE INDEX relations_by_object ON relations (object);
CREATE TABLE evidence (
    relation INTEGER NOT NULL, doc INTEGER NOT NULL, sentence INTEGER NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, text INTEGER NOT NULL,
    confidence INTEGER NOT NULL,
    PRIMARY KEY (relation, doc, sentence, start, end)) WITHOUT ROWID;
";

/// Documents as units (see `units.rs`): `units` has a row for each document whose
/// contribution is known (documents added before these tables existed have none), with
/// the rows of the entities and relations it names (sorted, as varint deltas), so that it
/// can be taken out without a scan; `entity_shares` and `relation_shares` hold, as JSON
/// with document rows, the shares of the few entities and relations whose documents
/// disagree; `bare_units` the documents that name an entity without a mention of it.
/// Created with the store, and on the first write to an older one.
pub(crate) const UNITS_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS units (
    doc INTEGER PRIMARY KEY, entities BLOB NOT NULL, relations BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS entity_shares (entity INTEGER PRIMARY KEY, shares TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS relation_shares (relation INTEGER PRIMARY KEY, shares TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bare_units (
    entity INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (entity, doc)) WITHOUT ROWID;
";

/// Rows as sorted varint deltas (a `units` row's lists).
pub(crate) fn encode_rows(mut rows: Vec<i64>) -> Vec<u8> {
    rows.sort_unstable();
    rows.dedup();
    let mut out = Vec::with_capacity(rows.len() * 2);
    let mut last = 0i64;
    for row in rows {
        let mut delta = (row - last) as u64;
        last = row;
        loop {
            let byte = (delta & 0x7f) as u8;
            delta >>= 7;
            if delta == 0 {
                out.push(byte);
                break;
            }
            out.push(byte | 0x80);
        }
    }
    out
}

/// The rows [`encode_rows`] encoded.
pub(crate) fn decode_rows(bytes: &[u8]) -> Vec<i64> {
    let mut rows = Vec::new();
    let (mut last, mut delta, mut shift) = (0i64, 0u64, 0u32);
    for &byte in bytes {
        delta |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            last += delta as i64;
            rows.push(last);
            (delta, shift) = (0, 0);
        } else {
            shift += 7;
        }
    }
    rows
}

/// Whether the store has the units tables (a store written before them has not).
pub(crate) fn has_units(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'units'",
        [],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

/// Create the tables of an empty store.
pub(crate) fn create(conn: &mut Connection, options: GraphOptions) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID};"))?;
    tx.execute_batch(SCHEMA)?;
    tx.execute_batch(UNITS_SCHEMA)?;
    for (key, value) in [
        ("format", FORMAT.to_string()),
        ("version", VERSION.to_string()),
        ("cooccurrence", options.cooccurrence.to_string()),
        ("documents", "0".into()),
        ("entities", "0".into()),
        ("relations", "0".into()),
    ] {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)",
            (key, value),
        )?;
    }
    tx.commit()
}

/// Check that an opened SQLite file is a Kith store of this version.
pub(crate) fn check(conn: &Connection, path: &Path) -> Result<(), GraphError> {
    let not_ours = |reason: String| GraphError::NotAGraph {
        path: path.into(),
        reason,
    };
    let application: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| super::sql_error(path, e))?;
    if application != APPLICATION_ID {
        return Err(not_ours(format!(
            "an SQLite database, but not a Kith graph store (application id {application:#x})"
        )));
    }
    let meta = |key: &str| -> Result<Option<String>, GraphError> {
        use rusqlite::OptionalExtension;
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| GraphError::Corrupt {
                path: path.into(),
                reason: format!("no readable meta table: {e}"),
            })
    };
    if meta("format")?.as_deref() != Some(FORMAT) {
        return Err(not_ours(format!("meta.format is not {FORMAT:?}")));
    }
    match meta("version")?.map(|v| v.parse::<u32>()) {
        Some(Ok(VERSION)) => Ok(()),
        Some(Ok(found)) => Err(GraphError::WrongVersion {
            path: path.into(),
            found,
            expected: VERSION,
        }),
        _ => Err(GraphError::Corrupt {
            path: path.into(),
            reason: "no readable version in meta".into(),
        }),
    }
}

/// An enum's serialised name (`planned`, `Person`, `partial-name`), as stored.
pub(crate) fn enum_text<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => unreachable!("enums serialise as strings, got {other:?}"),
    }
}

/// The enum value of a stored name; a name this build does not know is corruption.
pub(crate) fn parse_enum<T: serde::de::DeserializeOwned>(text: &str) -> rusqlite::Result<T> {
    serde_json::from_value(serde_json::Value::String(text.to_string())).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// The 64-bit key a text is found by (the first 8 bytes of its SHA-256); equal keys are
/// compared by text, so a collision costs a row, never a wrong text.
pub(crate) fn text_hash(text: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(text.as_bytes());
    i64::from_le_bytes(digest[..8].try_into().expect("8 bytes"))
}
