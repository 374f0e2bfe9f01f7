//! Adding a graph to a store: the union rules of `merge.rs`, applied row by row inside one
//! transaction, touching only the rows of what is added.

use super::schema::{decode_rows, encode_rows};
use super::schema::{enum_text, parse_enum, text_hash};
use super::{store_error, GraphStore};
use crate::error::GraphError;
use crate::model::{Entity, EntityId, KnowledgeGraph};
use crate::provenance::Provenance;
use crate::units::{
    combine, entity_support, relation_support, EntityUnit, Groups, RelationUnit, RemoveCounts,
    Shares, Side,
};
use kith_schema::{ArcStr, DocId, DocumentInfo, RelationClass};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What [`GraphStore::merge`] changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MergeCounts {
    /// Documents that were new to the store.
    pub documents: usize,
    /// Entities that were new to the store.
    pub entities: usize,
    /// Relations that were new to the store.
    pub relations: usize,
}

/// Why applying failed: SQLite, or a rule of the graph (producers).
enum Failure {
    Sql(rusqlite::Error),
    Graph(GraphError),
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Self {
        Failure::Sql(e)
    }
}

impl GraphStore {
    /// Add a graph to the store in one transaction: afterwards the store holds the union
    /// that [`KnowledgeGraph::merge`] would give. Waits for another writer up to the busy
    /// timeout; a graph from another producer is refused and nothing changes. Inside a
    /// transaction opened by [`GraphStore::begin`], it becomes part of that one.
    pub fn merge(&mut self, graph: &KnowledgeGraph) -> Result<MergeCounts, GraphError> {
        let (path, timeout) = (self.path.clone(), self.busy_timeout);
        let fail = |e| store_error(&path, e, timeout);
        let unwrap = |e| match e {
            Failure::Sql(e) => fail(e),
            Failure::Graph(e) => e,
        };
        if !self.conn.is_autocommit() {
            let savepoint = self.conn.savepoint().map_err(fail)?;
            let counts = apply(&savepoint, graph).map_err(unwrap)?;
            savepoint.commit().map_err(fail)?;
            return Ok(counts);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        let counts = apply(&tx, graph).map_err(unwrap)?;
        tx.commit().map_err(fail)?;
        Ok(counts)
    }

    /// Take the write lock and open a transaction that later [`GraphStore::merge`]s join,
    /// until [`GraphStore::commit`]: to add more than fits in memory at once, atomically.
    /// Dropping the store without committing rolls everything back.
    pub fn begin(&mut self) -> Result<(), GraphError> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.error(e))
    }

    /// Commit the transaction [`GraphStore::begin`] opened (nothing to do without one).
    pub fn commit(&mut self) -> Result<(), GraphError> {
        if self.conn.is_autocommit() {
            return Ok(());
        }
        self.conn.execute_batch("COMMIT").map_err(|e| self.error(e))
    }
}

fn apply(tx: &Connection, graph: &KnowledgeGraph) -> Result<MergeCounts, Failure> {
    let mut counts = MergeCounts::default();
    let ours: Option<String> = tx
        .query_row("SELECT value FROM meta WHERE key = 'producer'", [], |r| {
            r.get(0)
        })
        .optional()?;
    match (ours, &graph.producer) {
        (Some(ours), Some(theirs)) if ours != *theirs => {
            return Err(Failure::Graph(GraphError::ProducerMismatch {
                expected: ours,
                found: theirs.clone(),
            }))
        }
        (None, Some(theirs)) => {
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('producer', ?1)",
                [theirs],
            )?;
        }
        _ => {}
    }
    if graph.options.cooccurrence {
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('cooccurrence', 'true')",
            [],
        )?;
    }

    tx.execute_batch(super::schema::UNITS_SCHEMA)?;
    let mut docs: HashMap<ArcStr, i64> = HashMap::new();
    // Documents new to the store; those that are units, with the rows of the entities and
    // relations they name.
    let mut new_docs: HashSet<i64> = HashSet::new();
    let mut new_units: HashMap<i64, (Vec<i64>, Vec<i64>)> = HashMap::new();
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO documents (id, title, url, published, source, chars, sentences) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO NOTHING",
        )?;
        let mut select = tx.prepare_cached("SELECT rowid FROM documents WHERE id = ?1")?;
        for d in graph.documents.values() {
            let added = insert.execute((
                d.id.as_str(),
                &d.title,
                &d.url,
                &d.published,
                &d.source,
                d.chars,
                d.sentences,
            ))?;
            let row = if added == 1 {
                counts.documents += 1;
                new_docs.insert(tx.last_insert_rowid());
                if !graph.units.legacy.contains(&d.id) {
                    new_units.insert(tx.last_insert_rowid(), Default::default());
                }
                tx.last_insert_rowid()
            } else {
                select.query_row([d.id.as_str()], |r| r.get(0))?
            };
            docs.insert(d.id.0.clone(), row);
        }
    }
    let doc_row = |doc: &kith_schema::DocId| -> Result<i64, Failure> {
        docs.get(&doc.0).copied().ok_or_else(|| {
            Failure::Graph(GraphError::InvalidFacts {
                document: doc.to_string(),
                reason: "mentioned, but not among the graph's documents".into(),
            })
        })
    };
    let mut texts = Texts::new(tx)?;
    // The few rows with kept shares, so the others need no look-up.
    let shared = |table: &str, key: &str| -> rusqlite::Result<HashSet<i64>> {
        tx.prepare(&format!("SELECT {key} FROM {table}"))?
            .query_map([], |r| r.get(0))?
            .collect()
    };
    let (entities_shared, relations_shared) = (
        shared("entity_shares", "entity")?,
        shared("relation_shares", "relation")?,
    );

    let mut entity_rows: HashMap<&EntityId, i64> = HashMap::with_capacity(graph.entities.len());
    for entity in graph.entities.values() {
        let (row, stored) = upsert_entity(tx, entity)?;
        counts.entities += usize::from(stored.is_none());
        entity_rows.insert(&entity.id, row);
        let bare = graph.units.bare.get(&entity.id);
        let support = entity_support(entity, bare)
            .iter()
            .map(&doc_row)
            .collect::<Result<Vec<i64>, _>>()?;
        let mut old_docs = false;
        for &doc in &support {
            match new_units.get_mut(&doc) {
                Some(lists) => lists.0.push(row),
                None => old_docs |= !new_docs.contains(&doc),
            }
        }
        let record = batch_shares(graph.units.entities.get(&entity.id), doc_row)?;
        let kept = match stored {
            None => record,
            Some(value) => {
                let stored_record = match entities_shared.contains(&row) {
                    true => read_shares(tx, "entity_shares", "entity", row)?,
                    false => None,
                };
                let had = stored_record.is_some();
                let kept = combine(
                    Side {
                        record: stored_record,
                        value,
                    },
                    Side {
                        record,
                        value: EntityUnit::of(entity),
                    },
                    !old_docs,
                    || entity_docs(tx, row),
                    || Ok(support.clone()),
                )?;
                if had && kept.is_none() {
                    tx.prepare_cached("DELETE FROM entity_shares WHERE entity = ?1")?
                        .execute([row])?;
                }
                kept
            }
        };
        if let Some(kept) = kept {
            write_shares(tx, "entity_shares", row, &kept)?;
        }
        for doc in bare.into_iter().flatten() {
            let doc = doc_row(doc)?;
            if new_docs.contains(&doc) {
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO bare_units (entity, doc) VALUES (?1, ?2)",
                )?
                .execute((row, doc))?;
            }
        }
        let mut insert = tx.prepare_cached(
            "INSERT INTO mentions (entity, doc, sentence, start, end, text, confidence, resolved_by) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING",
        )?;
        let mut added = 0i64;
        for m in &entity.mentions {
            let doc = doc_row(&m.doc)?;
            let text = texts.id(&m.text)?;
            let resolved = m.resolved_by.map(|r| enum_text(&r));
            let key = (row, doc, m.sentence, m.span.start, m.span.end);
            let values = (text, m.confidence.to_bits(), &resolved);
            if insert.execute((
                key.0, key.1, key.2, key.3, key.4, values.0, values.1, values.2,
            ))? == 1
            {
                added += 1;
                continue;
            }
            // The same place in the same document: keep the mention that outranks.
            let (old_confidence, old_text): (u32, String) = tx
                .prepare_cached(
                    "SELECT m.confidence, t.text FROM mentions m JOIN texts t ON t.rowid = m.text \
                     WHERE m.entity = ?1 AND m.doc = ?2 AND m.sentence = ?3 AND m.start = ?4 AND m.end = ?5",
                )?
                .query_row(key, |r| Ok((r.get(0)?, r.get(1)?)))?;
            if (m.confidence, m.text.as_str()) > (f32::from_bits(old_confidence), old_text.as_str())
            {
                tx.prepare_cached(
                    "UPDATE mentions SET text = ?6, confidence = ?7, resolved_by = ?8 \
                     WHERE entity = ?1 AND doc = ?2 AND sentence = ?3 AND start = ?4 AND end = ?5",
                )?
                .execute((
                    key.0, key.1, key.2, key.3, key.4, values.0, values.1, values.2,
                ))?;
            }
        }
        if added > 0 {
            tx.prepare_cached("UPDATE entities SET mentions = mentions + ?1 WHERE rowid = ?2")?
                .execute((added, row))?;
        }
    }

    for relation in graph.relations.values() {
        let end = |id: &EntityId| -> Result<i64, Failure> {
            match entity_rows.get(id) {
                Some(row) => Ok(*row),
                None => Ok(tx
                    .prepare_cached("SELECT rowid FROM entities WHERE id = ?1")?
                    .query_row([&id.0], |r| r.get(0))?),
            }
        };
        let existing: Option<(i64, Option<String>, u32)> = tx
            .prepare_cached("SELECT rowid, class, confidence FROM relations WHERE id = ?1")?
            .query_row([&relation.id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let support = relation_support(relation)
            .iter()
            .map(&doc_row)
            .collect::<Result<Vec<i64>, _>>()?;
        let old_docs = support.iter().any(|d| !new_docs.contains(d));
        let record = batch_shares(graph.units.relations.get(&relation.id), doc_row)?;
        let (row, kept) = match existing {
            None => {
                counts.relations += 1;
                tx.prepare_cached(
                    "INSERT INTO relations (id, subject, object, predicate, class, polarity, modality, confidence, evidence) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)",
                )?
                .execute((
                    &relation.id.0,
                    end(&relation.subject)?,
                    end(&relation.object)?,
                    &relation.predicate,
                    relation.class.map(|c| enum_text(&c)),
                    relation.polarity.as_str(),
                    relation.modality.as_str(),
                    relation.confidence.to_bits(),
                ))?;
                (tx.last_insert_rowid(), record)
            }
            Some((row, class, confidence)) => {
                let old_class: Option<RelationClass> =
                    class.as_deref().map(parse_enum).transpose()?;
                let stored_record = match relations_shared.contains(&row) {
                    true => read_shares(tx, "relation_shares", "relation", row)?,
                    false => None,
                };
                let had = stored_record.is_some();
                let kept = combine(
                    Side {
                        record: stored_record,
                        value: RelationUnit {
                            class: old_class,
                            confidence: f32::from_bits(confidence),
                        },
                    },
                    Side {
                        record,
                        value: RelationUnit::of(relation),
                    },
                    !old_docs,
                    || relation_docs(tx, row),
                    || Ok(support.clone()),
                )?;
                if had && kept.is_none() {
                    tx.prepare_cached("DELETE FROM relation_shares WHERE relation = ?1")?
                        .execute([row])?;
                }
                let class = old_class.max(relation.class);
                let confidence = f32::from_bits(confidence).max(relation.confidence);
                tx.prepare_cached(
                    "UPDATE relations SET class = ?1, confidence = ?2 WHERE rowid = ?3",
                )?
                .execute((
                    class.map(|c| enum_text(&c)),
                    confidence.to_bits(),
                    row,
                ))?;
                (row, kept)
            }
        };
        if let Some(kept) = kept {
            write_shares(tx, "relation_shares", row, &kept)?;
        }
        for doc in &support {
            if let Some(lists) = new_units.get_mut(doc) {
                lists.1.push(row);
            }
        }
        let mut insert = tx.prepare_cached(
            "INSERT INTO evidence (relation, doc, sentence, start, end, text, confidence) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
        )?;
        let mut added = 0i64;
        for e in &relation.evidence {
            let key = (row, doc_row(&e.doc)?, e.sentence, e.span.start, e.span.end);
            let text = texts.id(&e.sentence_text)?;
            if insert.execute((
                key.0,
                key.1,
                key.2,
                key.3,
                key.4,
                text,
                e.confidence.to_bits(),
            ))? == 1
            {
                added += 1;
                continue;
            }
            let (old_confidence, old_text): (u32, String) = tx
                .prepare_cached(
                    "SELECT e.confidence, t.text FROM evidence e JOIN texts t ON t.rowid = e.text \
                     WHERE e.relation = ?1 AND e.doc = ?2 AND e.sentence = ?3 AND e.start = ?4 AND e.end = ?5",
                )?
                .query_row(key, |r| Ok((r.get(0)?, r.get(1)?)))?;
            if (e.confidence, e.sentence_text.as_str())
                > (f32::from_bits(old_confidence), old_text.as_str())
            {
                tx.prepare_cached(
                    "UPDATE evidence SET text = ?6, confidence = ?7 \
                     WHERE relation = ?1 AND doc = ?2 AND sentence = ?3 AND start = ?4 AND end = ?5",
                )?
                .execute((
                    key.0,
                    key.1,
                    key.2,
                    key.3,
                    key.4,
                    text,
                    e.confidence.to_bits(),
                ))?;
            }
        }
        if added > 0 {
            tx.prepare_cached("UPDATE relations SET evidence = evidence + ?1 WHERE rowid = ?2")?
                .execute((added, row))?;
        }
    }
    for (doc, (entities, relations)) in new_units {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO units (doc, entities, relations) VALUES (?1, ?2, ?3)",
        )?
        .execute((doc, encode_rows(entities), encode_rows(relations)))?;
    }
    for (key, added) in [
        ("documents", counts.documents),
        ("entities", counts.entities),
        ("relations", counts.relations),
    ] {
        tx.prepare_cached(
            "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + ?1 AS TEXT) WHERE key = ?2",
        )?
        .execute((added as i64, key))?;
    }
    Ok(counts)
}

/// A batch's shares with document rows for ids.
fn batch_shares<S: Clone>(
    shares: Option<&Shares<S, DocId>>,
    doc_row: impl Fn(&DocId) -> Result<i64, Failure>,
) -> Result<Option<Shares<S, i64>>, Failure> {
    let Some(shares) = shares else {
        return Ok(None);
    };
    let mut others = Vec::with_capacity(shares.others.len());
    for (share, docs) in &shares.others {
        let mut rows = docs.iter().map(&doc_row).collect::<Result<Vec<i64>, _>>()?;
        rows.sort_unstable();
        others.push((share.clone(), rows));
    }
    Ok(Some(Shares {
        default: shares.default.clone(),
        count: shares.count,
        others,
    }))
}

/// The shares a store keeps for an entity or relation, if any.
fn read_shares<S: serde::de::DeserializeOwned>(
    tx: &Connection,
    table: &str,
    key: &str,
    row: i64,
) -> Result<Option<Shares<S, i64>>, Failure> {
    let text: Option<String> = tx
        .prepare_cached(&format!("SELECT shares FROM {table} WHERE {key} = ?1"))?
        .query_row([row], |r| r.get(0))
        .optional()?;
    text.map(|t| {
        serde_json::from_str(&t).map_err(|e| {
            Failure::Sql(rusqlite::Error::FromSqlConversionFailure(
                0,
                rusqlite::types::Type::Text,
                Box::new(e),
            ))
        })
    })
    .transpose()
}

fn write_shares<S: serde::Serialize>(
    tx: &Connection,
    table: &str,
    row: i64,
    shares: &Shares<S, i64>,
) -> Result<(), Failure> {
    let text = serde_json::to_string(shares).expect("shares serialise");
    tx.prepare_cached(&format!("INSERT OR REPLACE INTO {table} VALUES (?1, ?2)"))?
        .execute((row, text))?;
    Ok(())
}

/// The documents that support a stored entity: those of its mentions and bare rows.
fn entity_docs(tx: &Connection, entity: i64) -> Result<Vec<i64>, Failure> {
    Ok(tx
        .prepare_cached(
            "SELECT DISTINCT doc FROM mentions WHERE entity = ?1 \
             UNION SELECT doc FROM bare_units WHERE entity = ?1 ORDER BY 1",
        )?
        .query_map([entity], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The documents that support a stored relation: those of its evidence.
fn relation_docs(tx: &Connection, relation: i64) -> Result<Vec<i64>, Failure> {
    Ok(tx
        .prepare_cached("SELECT DISTINCT doc FROM evidence WHERE relation = ?1 ORDER BY 1")?
        .query_map([relation], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Insert an entity's row, aliases and external ids, or fold them into the stored ones by
/// [`Entity::absorb`]'s rules. Returns its row id and, where it was stored already, the
/// share its stored names and ids make.
fn upsert_entity(tx: &Connection, entity: &Entity) -> Result<(i64, Option<EntityUnit>), Failure> {
    let existing: Option<(i64, String)> = tx
        .prepare_cached("SELECT rowid, name FROM entities WHERE id = ?1")?
        .query_row([&entity.id.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let mut insert_alias = tx.prepare_cached(
        "INSERT OR IGNORE INTO aliases (entity, alias, norm) VALUES (?1, ?2, ?3)",
    )?;
    let mut insert_id = tx.prepare_cached(
        "INSERT OR IGNORE INTO external_ids (entity, registry, value) VALUES (?1, ?2, ?3)",
    )?;
    let Some((row, name)) = existing else {
        tx.prepare_cached(
            "INSERT INTO entities (id, kind, name, norm, mentions) VALUES (?1, ?2, ?3, ?4, 0)",
        )?
        .execute((
            &entity.id.0,
            entity.kind.as_str(),
            &entity.name,
            crate::merge::normalize_name(&entity.name),
        ))?;
        let row = tx.last_insert_rowid();
        for alias in entity.aliases.iter().filter(|a| **a != entity.name) {
            insert_alias.execute((row, alias, crate::merge::normalize_name(alias)))?;
        }
        for (registry, value) in &entity.external_ids {
            insert_id.execute((row, registry, value))?;
        }
        return Ok((row, None));
    };
    let aliases: BTreeSet<String> = tx
        .prepare_cached("SELECT alias FROM aliases WHERE entity = ?1")?
        .query_map([row], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut merged = Entity {
        id: entity.id.clone(),
        kind: entity.kind,
        name: name.clone(),
        aliases: aliases.clone(),
        external_ids: Default::default(),
        mentions: Provenance::default(),
    };
    merged.absorb(Entity {
        id: entity.id.clone(),
        kind: entity.kind,
        name: entity.name.clone(),
        aliases: entity.aliases.clone(),
        external_ids: Default::default(),
        mentions: Provenance::default(),
    });
    if merged.name != name {
        tx.prepare_cached("UPDATE entities SET name = ?1, norm = ?2 WHERE rowid = ?3")?
            .execute((
                &merged.name,
                crate::merge::normalize_name(&merged.name),
                row,
            ))?;
    }
    for gone in aliases.difference(&merged.aliases) {
        tx.prepare_cached("DELETE FROM aliases WHERE entity = ?1 AND alias = ?2")?
            .execute((row, gone))?;
    }
    for new in merged.aliases.difference(&aliases) {
        insert_alias.execute((row, new, crate::merge::normalize_name(new)))?;
    }
    let external_ids: std::collections::BTreeMap<String, String> = tx
        .prepare_cached("SELECT registry, value FROM external_ids WHERE entity = ?1")?
        .query_map([row], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    // The stored value of a registry wins, as in `Entity::absorb`.
    for (registry, value) in &entity.external_ids {
        insert_id.execute((row, registry, value))?;
    }
    let mut stored_aliases = aliases;
    stored_aliases.remove(&name);
    Ok((
        row,
        Some(EntityUnit {
            name,
            aliases: stored_aliases,
            external_ids,
        }),
    ))
}

/// The `texts` table seen through a cache: each distinct text stored once.
struct Texts<'t> {
    tx: &'t Connection,
    cache: HashMap<ArcStr, i64>,
}

impl<'t> Texts<'t> {
    fn new(tx: &'t Connection) -> rusqlite::Result<Self> {
        Ok(Texts {
            tx,
            cache: HashMap::new(),
        })
    }

    fn id(&mut self, text: &ArcStr) -> rusqlite::Result<i64> {
        if let Some(id) = self.cache.get(text) {
            return Ok(*id);
        }
        let hash = text_hash(text);
        let mut select = self
            .tx
            .prepare_cached("SELECT rowid, text FROM texts WHERE hash = ?1")?;
        let mut found = None;
        let mut rows = select.query([hash])?;
        while let Some(row) = rows.next()? {
            let stored: String = row.get(1)?;
            if stored == text.as_str() {
                found = Some(row.get(0)?);
                break;
            }
        }
        let id = match found {
            Some(id) => id,
            None => {
                self.tx
                    .prepare_cached("INSERT INTO texts (hash, text) VALUES (?1, ?2)")?
                    .execute((hash, text.as_str()))?;
                self.tx.last_insert_rowid()
            }
        };
        self.cache.insert(text.clone(), id);
        Ok(id)
    }
}

impl GraphStore {
    /// The documents whose source is `source` (through the source index), sorted by id.
    pub fn documents_with_source(&self, source: &str) -> Result<Vec<DocumentInfo>, GraphError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, title, url, published, source, chars, sentences FROM documents \
                 WHERE source = ?1 ORDER BY id",
            )
            .map_err(|e| self.error(e))?;
        let found = stmt
            .query_map([source], super::read::document_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.error(e))?;
        Ok(found)
    }

    /// Whether the store knows what the document contributed, so that
    /// [`GraphStore::remove_documents`] can take it out.
    pub fn is_unit(&self, id: &DocId) -> Result<bool, GraphError> {
        if !super::schema::has_units(&self.conn).map_err(|e| self.error(e))? {
            return Ok(false);
        }
        self.conn
            .query_row(
                "SELECT count(*) FROM units u JOIN documents d ON d.rowid = u.doc WHERE d.id = ?1",
                [id.as_str()],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .map_err(|e| self.error(e))
    }

    /// Take documents out in one transaction, by [`KnowledgeGraph::remove_documents`]'s
    /// rules, touching only the rows of what they named: afterwards the store holds the
    /// graph the remaining documents build. An id the store does not have, or a document
    /// without its unit, is an error and nothing changes. Inside a transaction opened by
    /// [`GraphStore::begin`], it becomes part of that one.
    pub fn remove_documents(&mut self, ids: &[DocId]) -> Result<RemoveCounts, GraphError> {
        let (path, timeout) = (self.path.clone(), self.busy_timeout);
        let fail = |e| store_error(&path, e, timeout);
        let unwrap = |e| match e {
            Failure::Sql(e) => fail(e),
            Failure::Graph(e) => e,
        };
        if !self.conn.is_autocommit() {
            let savepoint = self.conn.savepoint().map_err(fail)?;
            let counts = remove(&savepoint, ids).map_err(unwrap)?;
            savepoint.commit().map_err(fail)?;
            return Ok(counts);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        let counts = remove(&tx, ids).map_err(unwrap)?;
        tx.commit().map_err(fail)?;
        Ok(counts)
    }
}

fn remove(tx: &Connection, ids: &[DocId]) -> Result<RemoveCounts, Failure> {
    tx.execute_batch(super::schema::UNITS_SCHEMA)?;
    let mut counts = RemoveCounts::default();
    // What each removed document names: entity or relation row → the removed documents.
    let mut entities: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
    let mut relations: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
    let mut rows: BTreeSet<i64> = BTreeSet::new();
    for id in ids.iter().collect::<BTreeSet<_>>() {
        let row: Option<i64> = tx
            .prepare_cached("SELECT rowid FROM documents WHERE id = ?1")?
            .query_row([id.as_str()], |r| r.get(0))
            .optional()?;
        let Some(row) = row else {
            return Err(Failure::Graph(GraphError::UnknownDocument(id.to_string())));
        };
        let unit: Option<(Vec<u8>, Vec<u8>)> = tx
            .prepare_cached("SELECT entities, relations FROM units WHERE doc = ?1")?
            .query_row([row], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((named, stated)) = unit else {
            return Err(Failure::Graph(GraphError::NotAUnit(id.to_string())));
        };
        for entity in decode_rows(&named) {
            entities.entry(entity).or_default().insert(row);
        }
        for relation in decode_rows(&stated) {
            relations.entry(relation).or_default().insert(row);
        }
        rows.insert(row);
    }
    for &doc in &rows {
        for sql in [
            "DELETE FROM units WHERE doc = ?1",
            "DELETE FROM documents WHERE rowid = ?1",
        ] {
            tx.prepare_cached(sql)?.execute([doc])?;
        }
        counts.documents += 1;
    }
    for (&relation, gone) in &relations {
        for &doc in gone {
            tx.prepare_cached("DELETE FROM evidence WHERE relation = ?1 AND doc = ?2")?
                .execute((relation, doc))?;
        }
        let record: Option<Shares<RelationUnit, i64>> =
            read_shares(tx, "relation_shares", "relation", relation)?;
        let (shares, kept) = match record {
            None => {
                let left: bool = tx
                    .prepare_cached("SELECT EXISTS (SELECT 1 FROM evidence WHERE relation = ?1)")?
                    .query_row([relation], |r| r.get(0))?;
                (left.then_some(Vec::new()), None)
            }
            Some(record) => {
                let canon = refold(record, gone, || relation_docs(tx, relation))?;
                let kept = canon.record;
                (Some(canon.shares).filter(|s| !s.is_empty()), Some(kept))
            }
        };
        let Some(shares) = shares else {
            for sql in [
                "DELETE FROM evidence WHERE relation = ?1",
                "DELETE FROM relation_shares WHERE relation = ?1",
            ] {
                tx.prepare_cached(sql)?.execute([relation])?;
            }
            counts.relations += tx
                .prepare_cached("DELETE FROM relations WHERE rowid = ?1")?
                .execute([relation])?;
            continue;
        };
        tx.prepare_cached(
            "UPDATE relations SET evidence = (SELECT count(*) FROM evidence WHERE relation = ?1) \
             WHERE rowid = ?1",
        )?
        .execute([relation])?;
        // Shares were kept: the documents disagreed, and the value is refolded.
        if let Some(kept) = kept {
            let value = RelationUnit::fold(&shares).expect("some share is left");
            tx.prepare_cached("UPDATE relations SET class = ?1, confidence = ?2 WHERE rowid = ?3")?
                .execute((
                    value.class.map(|c| enum_text(&c)),
                    value.confidence.to_bits(),
                    relation,
                ))?;
            match kept {
                Some(kept) => write_shares(tx, "relation_shares", relation, &kept)?,
                None => {
                    tx.prepare_cached("DELETE FROM relation_shares WHERE relation = ?1")?
                        .execute([relation])?;
                }
            }
        }
    }
    for (&entity, gone) in &entities {
        for &doc in gone {
            for sql in [
                "DELETE FROM mentions WHERE entity = ?1 AND doc = ?2",
                "DELETE FROM bare_units WHERE entity = ?1 AND doc = ?2",
            ] {
                tx.prepare_cached(sql)?.execute((entity, doc))?;
            }
        }
        let record: Option<Shares<EntityUnit, i64>> =
            read_shares(tx, "entity_shares", "entity", entity)?;
        let (shares, kept) = match record {
            None => {
                let left: bool = tx
                    .prepare_cached(
                        "SELECT EXISTS (SELECT 1 FROM mentions WHERE entity = ?1) \
                         OR EXISTS (SELECT 1 FROM bare_units WHERE entity = ?1)",
                    )?
                    .query_row([entity], |r| r.get(0))?;
                (left.then_some(Vec::new()), None)
            }
            Some(record) => {
                let canon = refold(record, gone, || entity_docs(tx, entity))?;
                let kept = canon.record;
                (Some(canon.shares).filter(|s| !s.is_empty()), Some(kept))
            }
        };
        let Some(shares) = shares else {
            for sql in [
                "DELETE FROM mentions WHERE entity = ?1",
                "DELETE FROM aliases WHERE entity = ?1",
                "DELETE FROM external_ids WHERE entity = ?1",
                "DELETE FROM entity_shares WHERE entity = ?1",
            ] {
                tx.prepare_cached(sql)?.execute([entity])?;
            }
            counts.entities += tx
                .prepare_cached("DELETE FROM entities WHERE rowid = ?1")?
                .execute([entity])?;
            continue;
        };
        tx.prepare_cached(
            "UPDATE entities SET mentions = (SELECT count(*) FROM mentions WHERE entity = ?1) \
             WHERE rowid = ?1",
        )?
        .execute([entity])?;
        let Some(kept) = kept else {
            continue;
        };
        // Shares were kept: the documents disagreed, and the value is refolded.
        let value = EntityUnit::fold(&shares).expect("some share is left");
        for sql in [
            "DELETE FROM aliases WHERE entity = ?1",
            "DELETE FROM external_ids WHERE entity = ?1",
        ] {
            tx.prepare_cached(sql)?.execute([entity])?;
        }
        tx.prepare_cached("UPDATE entities SET name = ?1, norm = ?2 WHERE rowid = ?3")?
            .execute((
                &value.name,
                crate::merge::normalize_name(&value.name),
                entity,
            ))?;
        let mut insert_alias = tx.prepare_cached(
            "INSERT OR IGNORE INTO aliases (entity, alias, norm) VALUES (?1, ?2, ?3)",
        )?;
        for alias in &value.aliases {
            insert_alias.execute((entity, alias, crate::merge::normalize_name(alias)))?;
        }
        let mut insert_id = tx.prepare_cached(
            "INSERT OR IGNORE INTO external_ids (entity, registry, value) VALUES (?1, ?2, ?3)",
        )?;
        for (registry, value) in &value.external_ids {
            insert_id.execute((entity, registry, value))?;
        }
        match kept {
            Some(kept) => write_shares(tx, "entity_shares", entity, &kept)?,
            None => {
                tx.prepare_cached("DELETE FROM entity_shares WHERE entity = ?1")?
                    .execute([entity])?;
            }
        }
    }
    for (key, removed) in [
        ("documents", counts.documents),
        ("entities", counts.entities),
        ("relations", counts.relations),
    ] {
        tx.prepare_cached(
            "UPDATE meta SET value = CAST(CAST(value AS INTEGER) - ?1 AS TEXT) WHERE key = ?2",
        )?
        .execute((removed as i64, key))?;
    }
    // An empty graph has no producer, as a graph built from no documents.
    let left: i64 = tx.query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?;
    if left == 0 {
        tx.execute("DELETE FROM meta WHERE key = 'producer'", [])?;
    }
    Ok(counts)
}

/// Kept shares without the removed documents (each supported it), in canonical form: by
/// counts where that settles it, else from the documents that remain (`support`, asked
/// after the removed documents' rows are gone).
fn refold<S: Ord + Clone>(
    record: Shares<S, i64>,
    gone: &BTreeSet<i64>,
    support: impl FnOnce() -> Result<Vec<i64>, Failure>,
) -> Result<crate::units::Canon<S, i64>, Failure> {
    let default = record.default.clone();
    let mut groups = Groups::of(Some(record.clone()), default, 0);
    groups.remove(gone);
    if let Ok(canon) = groups.canonical() {
        return Ok(canon);
    }
    let mut record = record;
    for (_, docs) in &mut record.others {
        docs.retain(|d| !gone.contains(d));
    }
    let value = record.default.clone();
    Ok(Shares::of_map(Shares::expand(
        Some(&record),
        &value,
        support()?,
    )))
}
