//! Adding a graph to a store: the union rules of `merge.rs`, applied row by row inside one
//! transaction, touching only the rows of what is added.

use super::schema::{enum_text, parse_enum, text_hash};
use super::{store_error, GraphStore};
use crate::error::GraphError;
use crate::model::{Entity, EntityId, KnowledgeGraph};
use crate::provenance::Provenance;
use kith_schema::{ArcStr, RelationClass};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use std::collections::{BTreeSet, HashMap};

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

    let mut docs: HashMap<ArcStr, i64> = HashMap::new();
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

    let mut entity_rows: HashMap<&EntityId, i64> = HashMap::with_capacity(graph.entities.len());
    for entity in graph.entities.values() {
        let (row, new) = upsert_entity(tx, entity)?;
        counts.entities += usize::from(new);
        entity_rows.insert(&entity.id, row);
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
        let row = match existing {
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
                tx.last_insert_rowid()
            }
            Some((row, class, confidence)) => {
                let old_class: Option<RelationClass> =
                    class.as_deref().map(parse_enum).transpose()?;
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
                row
            }
        };
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

/// Insert an entity's row, aliases and external ids, or fold them into the stored ones by
/// [`Entity::absorb`]'s rules. Returns its row id and whether it was new.
fn upsert_entity(tx: &Connection, entity: &Entity) -> Result<(i64, bool), Failure> {
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
        return Ok((row, true));
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
    // The stored value of a registry wins, as in `Entity::absorb`.
    for (registry, value) in &entity.external_ids {
        insert_id.execute((row, registry, value))?;
    }
    Ok((row, false))
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
