//! Reading a store: the whole graph (for exports), or only the rows a query needs, found
//! through the indexes, as a small [`KnowledgeGraph`] that the in-memory queries then run
//! on, so both kinds of graph file answer alike.

use super::schema::parse_enum;
use super::{Counts, GraphStore};
use crate::error::GraphError;
use crate::merge::normalize_name;
use crate::model::{Entity, EntityId, KnowledgeGraph, Relation, RelationId};
use crate::provenance::Provenance;
use crate::query::{NeighborQuery, Stats};
use kith_schema::{ArcStr, CharSpan, DocId, DocumentInfo, Evidence, Mention};
use rusqlite::{Connection, Row};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The part of a store a query needs, with the mention and evidence totals of what it
/// loaded without them.
#[derive(Debug)]
pub struct Subgraph {
    /// The entities and relations loaded.
    pub graph: KnowledgeGraph,
    /// Totals for entities loaded without their mentions and relations without evidence.
    pub counts: Counts,
}

pub(crate) fn document_row(r: &Row) -> rusqlite::Result<DocumentInfo> {
    Ok(DocumentInfo {
        id: DocId(ArcStr::from(r.get::<_, String>(0)?)),
        title: r.get(1)?,
        url: r.get(2)?,
        published: r.get(3)?,
        source: r.get(4)?,
        chars: r.get(5)?,
        sentences: r.get(6)?,
    })
}

/// Shared copies of document ids and texts by row id, so a loaded graph shares strings as
/// a built one does.
#[derive(Default)]
struct Strings {
    docs: HashMap<i64, DocId>,
    texts: HashMap<i64, ArcStr>,
}

impl Strings {
    fn doc(&mut self, conn: &Connection, row: i64) -> rusqlite::Result<DocId> {
        if let Some(id) = self.docs.get(&row) {
            return Ok(id.clone());
        }
        let id: String = conn
            .prepare_cached("SELECT id FROM documents WHERE rowid = ?1")?
            .query_row([row], |r| r.get(0))?;
        let id = DocId(ArcStr::from(id));
        self.docs.insert(row, id.clone());
        Ok(id)
    }

    fn text(&mut self, conn: &Connection, row: i64) -> rusqlite::Result<ArcStr> {
        if let Some(text) = self.texts.get(&row) {
            return Ok(text.clone());
        }
        let text: String = conn
            .prepare_cached("SELECT text FROM texts WHERE rowid = ?1")?
            .query_row([row], |r| r.get(0))?;
        let text = ArcStr::from(text);
        self.texts.insert(row, text.clone());
        Ok(text)
    }
}

/// A relation row without its evidence: (row, relation, subject row, object row, evidence
/// count). Columns as [`RELATION_COLUMNS`] selects them.
type RelationRow = (i64, Relation, i64, i64, usize);

const RELATION_COLUMNS: &str = "r.rowid, r.id, s.id, o.id, r.predicate, r.class, r.polarity, \
     r.modality, r.confidence, r.evidence, r.subject, r.object \
     FROM relations r JOIN entities s ON s.rowid = r.subject JOIN entities o ON o.rowid = r.object";

fn relation_row(r: &Row) -> rusqlite::Result<RelationRow> {
    let class: Option<String> = r.get(5)?;
    let relation = Relation {
        id: RelationId(r.get(1)?),
        subject: EntityId(r.get(2)?),
        object: EntityId(r.get(3)?),
        predicate: r.get(4)?,
        class: class.as_deref().map(parse_enum).transpose()?,
        polarity: parse_enum(&r.get::<_, String>(6)?)?,
        modality: parse_enum(&r.get::<_, String>(7)?)?,
        confidence: f32::from_bits(r.get(8)?),
        evidence: Provenance::default(),
    };
    Ok((
        r.get(0)?,
        relation,
        r.get(10)?,
        r.get(11)?,
        r.get::<_, i64>(9)? as usize,
    ))
}

impl GraphStore {
    /// The whole graph, as [`KnowledgeGraph::load`] reads a JSON graph file: for exports.
    pub fn load(&self) -> Result<KnowledgeGraph, GraphError> {
        self.read(|conn| self.load_all(conn))
    }

    /// Run `f` in one read transaction, so everything it reads is one committed state.
    fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, GraphError>,
    ) -> Result<T, GraphError> {
        self.conn
            .execute_batch("BEGIN DEFERRED")
            .map_err(|e| self.error(e))?;
        let result = f(&self.conn);
        let end = self.conn.execute_batch("COMMIT").map_err(|e| self.error(e));
        let value = result?;
        end?;
        Ok(value)
    }

    fn load_all(&self, conn: &Connection) -> Result<KnowledgeGraph, GraphError> {
        let sql = |e| self.error(e);
        let mut graph = KnowledgeGraph::new(self.options()?);
        graph.producer = self.producer()?;
        let mut strings = Strings::default();
        {
            let mut stmt = conn
                .prepare("SELECT id, title, url, published, source, chars, sentences, rowid FROM documents")
                .map_err(sql)?;
            let mut rows = stmt.query([]).map_err(sql)?;
            while let Some(row) = rows.next().map_err(sql)? {
                let doc = document_row(row).map_err(sql)?;
                strings
                    .docs
                    .insert(row.get(7).map_err(sql)?, doc.id.clone());
                graph.documents.insert(doc.id.clone(), doc);
            }
            let mut stmt = conn.prepare("SELECT rowid, text FROM texts").map_err(sql)?;
            let mut rows = stmt.query([]).map_err(sql)?;
            while let Some(row) = rows.next().map_err(sql)? {
                let text: String = row.get(1).map_err(sql)?;
                strings
                    .texts
                    .insert(row.get(0).map_err(sql)?, ArcStr::from(text));
            }
        }
        let mut entities: BTreeMap<i64, Entity> = BTreeMap::new();
        {
            let mut stmt = conn
                .prepare("SELECT rowid, id, kind, name FROM entities")
                .map_err(sql)?;
            let mut rows = stmt.query([]).map_err(sql)?;
            while let Some(row) = rows.next().map_err(sql)? {
                let kind: String = row.get(2).map_err(sql)?;
                entities.insert(
                    row.get(0).map_err(sql)?,
                    Entity {
                        id: EntityId(row.get(1).map_err(sql)?),
                        kind: parse_enum(&kind).map_err(sql)?,
                        name: row.get(3).map_err(sql)?,
                        aliases: BTreeSet::new(),
                        external_ids: BTreeMap::new(),
                        mentions: Provenance::default(),
                    },
                );
            }
            let mut stmt = conn
                .prepare("SELECT entity, alias FROM aliases")
                .map_err(sql)?;
            let mut rows = stmt.query([]).map_err(sql)?;
            while let Some(row) = rows.next().map_err(sql)? {
                if let Some(e) = entities.get_mut(&row.get(0).map_err(sql)?) {
                    e.aliases.insert(row.get(1).map_err(sql)?);
                }
            }
            let mut stmt = conn
                .prepare("SELECT entity, registry, value FROM external_ids")
                .map_err(sql)?;
            let mut rows = stmt.query([]).map_err(sql)?;
            while let Some(row) = rows.next().map_err(sql)? {
                if let Some(e) = entities.get_mut(&row.get(0).map_err(sql)?) {
                    e.external_ids
                        .insert(row.get(1).map_err(sql)?, row.get(2).map_err(sql)?);
                }
            }
            let mut stmt = conn
                .prepare(
                    "SELECT entity, doc, sentence, start, end, text, confidence, resolved_by FROM mentions",
                )
                .map_err(sql)?;
            let mut rows = stmt.query([]).map_err(sql)?;
            let mut current: Option<(i64, Vec<Mention>)> = None;
            let flush = |entities: &mut BTreeMap<i64, Entity>,
                         held: Option<(i64, Vec<Mention>)>| {
                if let Some((row, mentions)) = held {
                    if let Some(e) = entities.get_mut(&row) {
                        e.mentions = mentions.into_iter().collect();
                    }
                }
            };
            while let Some(row) = rows.next().map_err(sql)? {
                let entity: i64 = row.get(0).map_err(sql)?;
                let mention = mention_row(conn, &mut strings, row).map_err(sql)?;
                match &mut current {
                    Some((held, list)) if *held == entity => list.push(mention),
                    _ => {
                        let held = current.replace((entity, vec![mention]));
                        flush(&mut entities, held);
                    }
                }
            }
            flush(&mut entities, current);
        }
        let mut relations: BTreeMap<i64, Relation> = BTreeMap::new();
        {
            let mut stmt = conn
                .prepare(&format!("SELECT {RELATION_COLUMNS}"))
                .map_err(sql)?;
            let mut rows = stmt.query([]).map_err(sql)?;
            while let Some(row) = rows.next().map_err(sql)? {
                let (rowid, relation, ..) = relation_row(row).map_err(sql)?;
                relations.insert(rowid, relation);
            }
            let mut stmt = conn
                .prepare(
                    "SELECT relation, doc, sentence, start, end, text, confidence FROM evidence",
                )
                .map_err(sql)?;
            let mut rows = stmt.query([]).map_err(sql)?;
            let mut current: Option<(i64, Vec<Evidence>)> = None;
            let flush = |relations: &mut BTreeMap<i64, Relation>,
                         held: Option<(i64, Vec<Evidence>)>| {
                if let Some((row, evidence)) = held {
                    if let Some(r) = relations.get_mut(&row) {
                        r.evidence = evidence.into_iter().collect();
                    }
                }
            };
            while let Some(row) = rows.next().map_err(sql)? {
                let relation: i64 = row.get(0).map_err(sql)?;
                let evidence = evidence_row(conn, &mut strings, row).map_err(sql)?;
                match &mut current {
                    Some((held, list)) if *held == relation => list.push(evidence),
                    _ => {
                        let held = current.replace((relation, vec![evidence]));
                        flush(&mut relations, held);
                    }
                }
            }
            flush(&mut relations, current);
        }
        graph.units = read_units(conn, &mut strings, &entities, &relations).map_err(sql)?;
        for text in strings.texts.values() {
            graph.texts.share(text);
        }
        graph.entities = entities.into_values().map(|e| (e.id.clone(), e)).collect();
        graph.relations = relations.into_values().map(|r| (r.id.clone(), r)).collect();
        Ok(graph)
    }

    /// The id of the one entity `name` denotes, by the rules of [`KnowledgeGraph::resolve`],
    /// through the name and alias indexes.
    pub fn resolve(&self, name: &str) -> Result<EntityId, GraphError> {
        let wanted = normalize_name(name);
        let sql = |e| self.error(e);
        let found = |query: &str| -> Result<Vec<(String, String, String)>, GraphError> {
            let mut stmt = self.conn.prepare_cached(query).map_err(sql)?;
            let rows = stmt
                .query_map([&wanted], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .map_err(sql)?;
            rows.collect::<rusqlite::Result<Vec<_>>>().map_err(sql)
        };
        let mut pool = found("SELECT id, name, kind FROM entities WHERE norm = ?1 ORDER BY id")?;
        if pool.is_empty() {
            pool = found(
                "SELECT DISTINCT e.id, e.name, e.kind FROM aliases a JOIN entities e ON e.rowid = a.entity \
                 WHERE a.norm = ?1 ORDER BY e.id",
            )?;
        }
        match pool.as_slice() {
            [] => Err(GraphError::UnknownEntity(name.to_string())),
            [(id, ..)] => Ok(EntityId(id.clone())),
            many => Err(GraphError::Ambiguous {
                name: name.to_string(),
                candidates: many
                    .iter()
                    .map(|(id, name, kind)| format!("{name} ({kind}, {id})"))
                    .collect(),
            }),
        }
    }

    /// Every entity without its mentions or relations, with its aliases: what a lookup
    /// that goes beyond [`GraphStore::resolve`]'s exact names (partial names, accents,
    /// suggestions) needs; in id order.
    pub fn entity_names(&self) -> Result<Vec<Entity>, GraphError> {
        self.read(|conn| {
            let sql = |e| self.error(e);
            let mut aliases: HashMap<i64, Vec<String>> = HashMap::new();
            let mut stmt = conn
                .prepare("SELECT entity, alias FROM aliases ORDER BY entity, alias")
                .map_err(sql)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
                .map_err(sql)?;
            for row in rows {
                let (entity, alias) = row.map_err(sql)?;
                aliases.entry(entity).or_default().push(alias);
            }
            let mut stmt = conn
                .prepare("SELECT rowid, id, kind, name FROM entities ORDER BY id")
                .map_err(sql)?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                })
                .map_err(sql)?;
            let mut out = Vec::new();
            for row in rows {
                let (rowid, id, kind, name) = row.map_err(sql)?;
                out.push(Entity {
                    id: EntityId(id),
                    kind: parse_enum(&kind).map_err(sql)?,
                    name,
                    aliases: aliases
                        .remove(&rowid)
                        .unwrap_or_default()
                        .into_iter()
                        .collect(),
                    external_ids: BTreeMap::new(),
                    mentions: Default::default(),
                });
            }
            Ok(out)
        })
    }

    /// The entity with its mentions, alone in a graph: what [`KnowledgeGraph::explain`]
    /// needs.
    pub fn entity_graph(&self, id: &EntityId) -> Result<KnowledgeGraph, GraphError> {
        self.read(|conn| {
            let mut graph = KnowledgeGraph::new(self.options()?);
            let mut strings = Strings::default();
            let row = self.entity_row_of(conn, id)?;
            let entity = self
                .entity(conn, row, true, &mut strings)
                .map_err(|e| self.error(e))?;
            graph.entities.insert(entity.id.clone(), entity);
            self.add_documents(conn, &strings, &mut graph)?;
            Ok(graph)
        })
    }

    /// The records of the documents a partly read graph's mentions and evidence cite
    /// (query output names them by source).
    fn add_documents(
        &self,
        conn: &Connection,
        strings: &Strings,
        graph: &mut KnowledgeGraph,
    ) -> Result<(), GraphError> {
        let sql = |e| self.error(e);
        let mut rows: Vec<i64> = strings.docs.keys().copied().collect();
        rows.sort_unstable();
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, title, url, published, source, chars, sentences FROM documents WHERE rowid = ?1",
            )
            .map_err(sql)?;
        for row in rows {
            let doc = stmt.query_row([row], document_row).map_err(sql)?;
            graph.documents.insert(doc.id.clone(), doc);
        }
        Ok(())
    }

    fn entity_row_of(&self, conn: &Connection, id: &EntityId) -> Result<i64, GraphError> {
        conn.prepare_cached("SELECT rowid FROM entities WHERE id = ?1")
            .and_then(|mut s| s.query_row([&id.0], |r| r.get(0)))
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => GraphError::UnknownEntity(id.0.clone()),
                e => self.error(e),
            })
    }

    /// One entity by row id, with its mentions or without.
    fn entity(
        &self,
        conn: &Connection,
        row: i64,
        with_mentions: bool,
        strings: &mut Strings,
    ) -> rusqlite::Result<Entity> {
        let (id, kind, name): (String, String, String) = conn
            .prepare_cached("SELECT id, kind, name FROM entities WHERE rowid = ?1")?
            .query_row([row], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let aliases = conn
            .prepare_cached("SELECT alias FROM aliases WHERE entity = ?1")?
            .query_map([row], |r| r.get(0))?
            .collect::<rusqlite::Result<BTreeSet<String>>>()?;
        let external_ids = conn
            .prepare_cached("SELECT registry, value FROM external_ids WHERE entity = ?1")?
            .query_map([row], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<BTreeMap<String, String>>>()?;
        let mut mentions = Vec::new();
        if with_mentions {
            let mut stmt = conn.prepare_cached(
                "SELECT entity, doc, sentence, start, end, text, confidence, resolved_by \
                 FROM mentions WHERE entity = ?1",
            )?;
            let mut rows = stmt.query([row])?;
            while let Some(r) = rows.next()? {
                mentions.push(mention_row(conn, strings, r)?);
            }
        }
        Ok(Entity {
            id: EntityId(id),
            kind: parse_enum(&kind)?,
            name,
            aliases,
            external_ids,
            mentions: mentions.into_iter().collect(),
        })
    }

    /// Relations touching the entity at `row` whose predicate is among `predicates` (any
    /// when empty).
    fn adjacent(
        &self,
        conn: &Connection,
        row: i64,
        predicates: &[String],
    ) -> rusqlite::Result<Vec<RelationRow>> {
        let mut out = Vec::new();
        for column in ["subject", "object"] {
            let mut stmt =
                conn.prepare_cached(&format!("SELECT {RELATION_COLUMNS} WHERE r.{column} = ?1"))?;
            for found in stmt.query_map([row], relation_row)? {
                let found = found?;
                if predicates.is_empty() || predicates.contains(&found.1.predicate) {
                    out.push(found);
                }
            }
        }
        Ok(out)
    }

    fn evidence_of(
        &self,
        conn: &Connection,
        row: i64,
        strings: &mut Strings,
    ) -> rusqlite::Result<Provenance<Evidence>> {
        let mut stmt = conn.prepare_cached(
            "SELECT relation, doc, sentence, start, end, text, confidence FROM evidence WHERE relation = ?1",
        )?;
        let mut rows = stmt.query([row])?;
        let mut items = Vec::new();
        while let Some(r) = rows.next()? {
            items.push(evidence_row(conn, strings, r)?);
        }
        Ok(items.into_iter().collect())
    }

    /// Everything [`KnowledgeGraph::neighbors`] reads for `start` and `query`: the entities
    /// within `query.depth` hops as the query walks them, and every relation the walk
    /// follows out of them (with evidence when `evidence`), found by the subject and object
    /// indexes. The other entities are not read.
    pub fn neighborhood(
        &self,
        start: &EntityId,
        query: &NeighborQuery,
        evidence: bool,
    ) -> Result<Subgraph, GraphError> {
        self.read(|conn| {
            let start = self.entity_row_of(conn, start)?;
            let mut walk = Walk::new(self, conn)?;
            walk.add_entity(start).map_err(|e| self.error(e))?;
            let mut depth_of: HashMap<i64, usize> = HashMap::from([(start, 0)]);
            let mut frontier = vec![start];
            for depth in 1..=query.depth.max(1) {
                let mut reached = BTreeSet::new();
                for from in frontier {
                    for row in walk.expand(from, &query.predicates, evidence)? {
                        if depth_of.get(&row).is_some_and(|d| *d < depth) {
                            continue;
                        }
                        let kind = walk.kind(row);
                        if !query.types.is_empty() && !query.types.contains(&kind) {
                            continue;
                        }
                        reached.insert(row);
                    }
                }
                for row in &reached {
                    depth_of.insert(*row, depth);
                }
                frontier = reached.into_iter().collect();
            }
            walk.finish()
        })
    }

    /// Everything [`KnowledgeGraph::path`] reads to find a path from `from` to `to`: the
    /// entities out to one hop past the distance between them and every relation of those
    /// within that distance, so the search takes the same steps as on the whole graph.
    /// Without a path, just the two entities.
    pub fn path_graph(&self, from: &EntityId, to: &EntityId) -> Result<Subgraph, GraphError> {
        self.read(|conn| {
            let (from, to) = (
                self.entity_row_of(conn, from)?,
                self.entity_row_of(conn, to)?,
            );
            let mut walk = Walk::new(self, conn)?;
            walk.add_entity(from).map_err(|e| self.error(e))?;
            walk.add_entity(to).map_err(|e| self.error(e))?;
            let mut seen: BTreeSet<i64> = BTreeSet::from([from]);
            let mut frontier = vec![from];
            let mut found = from == to;
            while !frontier.is_empty() {
                let mut next = BTreeSet::new();
                for row in &frontier {
                    for other in walk.expand(*row, &[], false)? {
                        if seen.insert(other) {
                            next.insert(other);
                        }
                    }
                }
                if found {
                    // The ring one past the goal's distance is read; its nodes are not
                    // expanded further.
                    break;
                }
                found = next.contains(&to);
                frontier = next.into_iter().collect();
            }
            if !found {
                let mut walk = Walk::new(self, conn)?;
                walk.add_entity(from).map_err(|e| self.error(e))?;
                walk.add_entity(to).map_err(|e| self.error(e))?;
                return walk.finish();
            }
            walk.finish()
        })
    }

    /// Counts and rankings, as [`KnowledgeGraph::stats`] gives them, by aggregate queries.
    pub fn stats(&self, top: usize) -> Result<Stats, GraphError> {
        self.read(|conn| {
            let sql = |e| self.error(e);
            let count = |q: &str| -> Result<usize, GraphError> {
                conn.query_row(q, [], |r| r.get::<_, i64>(0))
                    .map(|n| n as usize)
                    .map_err(sql)
            };
            let mut entities_by_type = BTreeMap::new();
            let mut stmt = conn
                .prepare("SELECT kind, COUNT(*) FROM entities GROUP BY kind")
                .map_err(sql)?;
            for row in stmt
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
                .map_err(sql)?
            {
                let (kind, n) = row.map_err(sql)?;
                let kind: kith_schema::EntityType = parse_enum(&kind).map_err(sql)?;
                entities_by_type.insert(kind.to_string(), n as usize);
            }
            let mut stmt = conn
                .prepare(
                    "WITH ends (e, o) AS (SELECT subject, object FROM relations \
                                          UNION SELECT object, subject FROM relations), \
                          degree (e, n) AS (SELECT e, COUNT(*) FROM ends GROUP BY e) \
                     SELECT x.name, x.kind, COALESCE(d.n, 0) AS n FROM entities x \
                     LEFT JOIN degree d ON d.e = x.rowid ORDER BY n DESC, x.name, x.id LIMIT ?1",
                )
                .map_err(sql)?;
            let top_entities = stmt
                .query_map([top as i64], |r| {
                    let kind: kith_schema::EntityType = parse_enum(&r.get::<_, String>(1)?)?;
                    Ok((r.get(0)?, kind.to_string(), r.get::<_, i64>(2)? as usize))
                })
                .map_err(sql)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(sql)?;
            let mut stmt = conn
                .prepare(
                    "SELECT predicate, COUNT(*), SUM(evidence) FROM relations GROUP BY predicate",
                )
                .map_err(sql)?;
            let mut predicates = stmt
                .query_map([], |r| {
                    let p: String = r.get(0)?;
                    let wikidata = kith_schema::wikidata_property(&p);
                    Ok((
                        p,
                        r.get::<_, i64>(1)? as usize,
                        r.get::<_, i64>(2)? as usize,
                        wikidata,
                    ))
                })
                .map_err(sql)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(sql)?;
            predicates.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
            Ok(Stats {
                documents: count("SELECT COUNT(*) FROM documents")?,
                entities: count("SELECT COUNT(*) FROM entities")?,
                relations: count("SELECT COUNT(*) FROM relations")?,
                mentions: count("SELECT COALESCE(SUM(mentions), 0) FROM entities")?,
                entities_by_type,
                top_entities,
                predicates,
            })
        })
    }
}

/// A subgraph being read: entities by row, relations by row, the totals left out.
struct Walk<'s> {
    store: &'s GraphStore,
    conn: &'s Connection,
    graph: KnowledgeGraph,
    entities: HashMap<i64, (EntityId, kith_schema::EntityType)>,
    relations: BTreeSet<i64>,
    counts: Counts,
    strings: Strings,
}

impl<'s> Walk<'s> {
    fn new(store: &'s GraphStore, conn: &'s Connection) -> Result<Self, GraphError> {
        Ok(Walk {
            store,
            conn,
            graph: KnowledgeGraph::new(store.options()?),
            entities: HashMap::new(),
            relations: BTreeSet::new(),
            counts: Counts::default(),
            strings: Strings::default(),
        })
    }

    fn add_entity(&mut self, row: i64) -> rusqlite::Result<()> {
        if self.entities.contains_key(&row) {
            return Ok(());
        }
        let entity = self
            .store
            .entity(self.conn, row, false, &mut self.strings)?;
        let total: i64 = self
            .conn
            .prepare_cached("SELECT mentions FROM entities WHERE rowid = ?1")?
            .query_row([row], |r| r.get(0))?;
        self.counts
            .mentions
            .insert(entity.id.clone(), total as usize);
        self.entities.insert(row, (entity.id.clone(), entity.kind));
        self.graph.entities.insert(entity.id.clone(), entity);
        Ok(())
    }

    fn kind(&self, row: i64) -> kith_schema::EntityType {
        self.entities[&row].1
    }

    /// Read the relations of `row` (and the entities at their other ends); the other ends.
    fn expand(
        &mut self,
        row: i64,
        predicates: &[String],
        evidence: bool,
    ) -> Result<Vec<i64>, GraphError> {
        let sql = |e| self.store.error(e);
        let found = self
            .store
            .adjacent(self.conn, row, predicates)
            .map_err(sql)?;
        let mut others = Vec::with_capacity(found.len());
        for (rel_row, mut relation, subject, object, total) in found {
            let other = if subject == row { object } else { subject };
            self.add_entity(other).map_err(sql)?;
            others.push(other);
            if self.relations.insert(rel_row) {
                if evidence {
                    relation.evidence = self
                        .store
                        .evidence_of(self.conn, rel_row, &mut self.strings)
                        .map_err(sql)?;
                }
                self.counts.evidence.insert(relation.id.clone(), total);
                self.graph.relations.insert(relation.id.clone(), relation);
            }
        }
        Ok(others)
    }

    /// The subgraph, with the records of the documents its mentions and evidence cite
    /// (their sources name them in query output).
    fn finish(mut self) -> Result<Subgraph, GraphError> {
        self.store
            .add_documents(self.conn, &self.strings, &mut self.graph)?;
        Ok(Subgraph {
            graph: self.graph,
            counts: self.counts,
        })
    }
}

fn mention_row(conn: &Connection, strings: &mut Strings, r: &Row) -> rusqlite::Result<Mention> {
    let resolved: Option<String> = r.get(7)?;
    Ok(Mention {
        doc: strings.doc(conn, r.get(1)?)?,
        sentence: r.get(2)?,
        span: CharSpan::new(r.get(3)?, r.get(4)?),
        text: strings.text(conn, r.get(5)?)?,
        confidence: f32::from_bits(r.get(6)?),
        resolved_by: resolved.as_deref().map(parse_enum).transpose()?,
    })
}

fn evidence_row(conn: &Connection, strings: &mut Strings, r: &Row) -> rusqlite::Result<Evidence> {
    Ok(Evidence {
        doc: strings.doc(conn, r.get(1)?)?,
        sentence: r.get(2)?,
        span: CharSpan::new(r.get(3)?, r.get(4)?),
        sentence_text: strings.text(conn, r.get(5)?)?,
        confidence: f32::from_bits(r.get(6)?),
    })
}

/// The shares a store keeps (see `units.rs`), with document ids for rows.
fn read_units(
    conn: &Connection,
    strings: &mut Strings,
    entities: &BTreeMap<i64, Entity>,
    relations: &BTreeMap<i64, Relation>,
) -> rusqlite::Result<crate::units::Units> {
    use crate::units::{Shares, Units};
    let corrupt = |what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Integer,
            format!("a unit names a missing {what}").into(),
        )
    };
    let mut units = Units::default();
    if !super::schema::has_units(conn)? {
        let mut stmt = conn.prepare("SELECT id FROM documents")?;
        let ids = stmt.query_map([], |r| r.get::<_, String>(0))?;
        for id in ids {
            units.legacy.insert(DocId(id?.into()));
        }
        return Ok(units);
    }
    let mut stmt = conn.prepare(
        "SELECT d.id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.doc = d.rowid)",
    )?;
    let ids = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for id in ids {
        units.legacy.insert(DocId(id?.into()));
    }
    let mut stmt = conn.prepare("SELECT entity, shares FROM entity_shares")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let entity = entities
            .get(&row.get(0)?)
            .ok_or_else(|| corrupt("entity"))?;
        let shares: Shares<crate::units::EntityUnit, i64> = parse_shares(row.get(1)?)?;
        units
            .entities
            .insert(entity.id.clone(), name_docs(conn, strings, shares)?);
    }
    let mut stmt = conn.prepare("SELECT relation, shares FROM relation_shares")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let relation = relations
            .get(&row.get(0)?)
            .ok_or_else(|| corrupt("relation"))?;
        let shares: Shares<crate::units::RelationUnit, i64> = parse_shares(row.get(1)?)?;
        units
            .relations
            .insert(relation.id.clone(), name_docs(conn, strings, shares)?);
    }
    let mut stmt = conn.prepare("SELECT entity, doc FROM bare_units")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let entity = entities
            .get(&row.get(0)?)
            .ok_or_else(|| corrupt("entity"))?;
        let doc = strings.doc(conn, row.get(1)?)?;
        units.bare.entry(entity.id.clone()).or_default().insert(doc);
    }
    Ok(units)
}

fn parse_shares<S: serde::de::DeserializeOwned>(
    text: String,
) -> rusqlite::Result<crate::units::Shares<S, i64>> {
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Shares with document ids for rows.
fn name_docs<S: Ord + Clone>(
    conn: &Connection,
    strings: &mut Strings,
    shares: crate::units::Shares<S, i64>,
) -> rusqlite::Result<crate::units::Shares<S, DocId>> {
    let mut named: HashMap<i64, DocId> = HashMap::new();
    for (_, rows) in &shares.others {
        for &row in rows {
            named.insert(row, strings.doc(conn, row)?);
        }
    }
    Ok(shares
        .map_docs(|row| named.get(&row).cloned())
        .expect("every row named above"))
}
