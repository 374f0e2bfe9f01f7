//! Queries: finding entities by name, neighbourhoods, paths and statistics.

use crate::error::GraphError;
use crate::merge::{identity_key_of, normalize_name};
use crate::model::{Entity, EntityId, KnowledgeGraph, Relation};
use kith_schema::{DocId, EntityType, Mention};
use petgraph::graph::{NodeIndex, UnGraph};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// What to include in a neighbourhood.
#[derive(Clone, Debug)]
pub struct NeighborQuery {
    /// How many hops out (at least 1).
    pub depth: usize,
    /// Only neighbours of these types (all when empty).
    pub types: Vec<EntityType>,
    /// Only relations with these predicates (all when empty).
    pub predicates: Vec<String>,
}

impl Default for NeighborQuery {
    fn default() -> Self {
        NeighborQuery {
            depth: 1,
            types: Vec::new(),
            predicates: Vec::new(),
        }
    }
}

/// An entity reached from the queried one, and the relations that reached it.
#[derive(Clone, Debug, Serialize)]
pub struct Neighbor<'g> {
    /// The entity reached.
    pub entity: &'g Entity,
    /// How many hops from the queried entity it is (1 for a direct neighbour).
    pub depth: usize,
    /// Relations between it and an entity one hop closer to the start.
    pub relations: Vec<&'g Relation>,
}

/// One step of a path: the relation taken and the entity it leads to.
#[derive(Clone, Debug, Serialize)]
pub struct PathStep<'g> {
    /// The relation followed.
    pub relation: &'g Relation,
    /// The entity it leads to.
    pub entity: &'g Entity,
}

/// Counts and rankings over a graph.
#[derive(Clone, Debug, Serialize)]
pub struct Stats {
    /// Number of documents.
    pub documents: usize,
    /// Number of entities.
    pub entities: usize,
    /// Number of relations, co-occurrence edges included.
    pub relations: usize,
    /// Number of mentions of all entities.
    pub mentions: usize,
    /// Number of entities of each type, by type name.
    pub entities_by_type: BTreeMap<String, usize>,
    /// Entities with the most distinct neighbours: (name, type, degree).
    pub top_entities: Vec<(String, String, usize)>,
    /// Predicates by number of relations and of evidence: (predicate, relations, evidence,
    /// Wikidata property id or `None`, see [`kith_schema::wikidata_property`]). In JSON, an
    /// array `["works-for", 3, 4, "P108"]`, `["meet", 1, 1, null]`.
    pub predicates: Vec<(String, usize, usize, Option<&'static str>)>,
}

/// How an entity was put together: the key that merged it across documents, the
/// documents, and its mentions grouped by the rule that attached them.
#[derive(Clone, Debug, Serialize)]
pub struct Explanation<'g> {
    /// The entity explained.
    pub entity: &'g Entity,
    /// What made mentions in different documents one entity: `name=<normalised name>` or
    /// `<registry>=<id>` (see `identity_key` in merge.rs).
    pub identity_key: String,
    /// The documents that mention it, sorted.
    pub documents: Vec<&'g DocId>,
    /// Mentions by rule: `name` for mentions that name the entity themselves, else the
    /// coreference rule (`partial-name`, `acronym`, `title`, `pronoun`, `relative-pronoun`, `alias`); each list
    /// in document, sentence and span order.
    pub mentions_by_rule: BTreeMap<&'static str, Vec<&'g Mention>>,
}

impl KnowledgeGraph {
    /// The explanation of the one entity `name` denotes (see [`KnowledgeGraph::resolve`]).
    pub fn explain(&self, name: &str) -> Result<Explanation<'_>, GraphError> {
        Ok(self.explain_entity(self.resolve(name)?))
    }

    /// The explanation of `entity` (one of this graph's, found by any lookup).
    pub fn explain_entity<'g>(&'g self, entity: &'g Entity) -> Explanation<'g> {
        let mut mentions_by_rule: BTreeMap<&'static str, Vec<&Mention>> = BTreeMap::new();
        for mention in &entity.mentions {
            let rule = mention.resolved_by.map_or("name", |r| r.as_str());
            mentions_by_rule.entry(rule).or_default().push(mention);
        }
        Explanation {
            entity,
            identity_key: identity_key_of(&entity.external_ids, &entity.name),
            documents: entity.documents().into_iter().collect(),
            mentions_by_rule,
        }
    }

    /// Entities whose canonical name or an alias equals `name`, ignoring case and spacing.
    pub fn find(&self, name: &str) -> Vec<&Entity> {
        self.entities
            .values()
            .filter(|e| e.is_named(name))
            .collect()
    }

    /// The one entity `name` denotes: exact matches on canonical names win over aliases;
    /// several candidates give [`GraphError::Ambiguous`] listing them.
    pub fn resolve(&self, name: &str) -> Result<&Entity, GraphError> {
        let found = self.find(name);
        let wanted = normalize_name(name);
        let canonical: Vec<&Entity> = found
            .iter()
            .copied()
            .filter(|e| normalize_name(&e.name) == wanted)
            .collect();
        let pool = if canonical.is_empty() {
            found
        } else {
            canonical
        };
        match pool.as_slice() {
            [] => Err(GraphError::UnknownEntity(name.to_string())),
            [one] => Ok(one),
            many => Err(GraphError::Ambiguous {
                name: name.to_string(),
                candidates: many
                    .iter()
                    .map(|e| format!("{} ({}, {})", e.name, e.kind, e.id))
                    .collect(),
            }),
        }
    }

    /// The entities within `query.depth` hops of `start`, nearest first, then by name.
    pub fn neighbors(&self, start: &EntityId, query: &NeighborQuery) -> Vec<Neighbor<'_>> {
        let adjacency = self.adjacency(&query.predicates);
        let mut depth_of: HashMap<&EntityId, usize> = HashMap::from([(start, 0)]);
        let mut frontier = vec![start];
        let mut found = Vec::new();
        for depth in 1..=query.depth.max(1) {
            let mut reached: BTreeMap<&EntityId, Vec<&Relation>> = BTreeMap::new();
            for from in &frontier {
                for (to, relation) in adjacency.get(from).into_iter().flatten() {
                    if depth_of.get(to).is_some_and(|d| *d < depth) {
                        continue;
                    }
                    let entity = &self.entities[*to];
                    if !query.types.is_empty() && !query.types.contains(&entity.kind) {
                        continue;
                    }
                    reached.entry(to).or_default().push(relation);
                }
            }
            frontier = reached.keys().copied().collect();
            for (id, mut relations) in reached {
                depth_of.insert(id, depth);
                relations.sort_by(|a, b| a.id.cmp(&b.id));
                relations.dedup_by(|a, b| a.id == b.id);
                found.push(Neighbor {
                    entity: &self.entities[id],
                    depth,
                    relations,
                });
            }
        }
        found.sort_by(|a, b| {
            (a.depth, &a.entity.name, &a.entity.id).cmp(&(b.depth, &b.entity.name, &b.entity.id))
        });
        found
    }

    /// A shortest path from `from` to `to`, following relations in either direction.
    pub fn path(&self, from: &EntityId, to: &EntityId) -> Option<Vec<PathStep<'_>>> {
        let (graph, index) = self.petgraph();
        let (start, goal) = (*index.get(from)?, *index.get(to)?);
        let (_, nodes) =
            petgraph::algo::astar(&graph, start, |n| n == goal, |_| 1usize, |_| 0usize)?;
        let steps = nodes
            .windows(2)
            .map(|pair| {
                let edge = graph
                    .find_edge(pair[0], pair[1])
                    .expect("astar follows edges");
                PathStep {
                    relation: graph[edge],
                    entity: &self.entities[&graph[pair[1]].id],
                }
            })
            .collect();
        Some(steps)
    }

    /// The graph as an undirected petgraph, one node per entity and one edge per relation.
    /// Nodes and edges are added in id order, so traversals are deterministic.
    pub fn petgraph(&self) -> (UnGraph<&Entity, &Relation>, HashMap<&EntityId, NodeIndex>) {
        let mut graph = UnGraph::with_capacity(self.entities.len(), self.relations.len());
        let index: HashMap<&EntityId, NodeIndex> = self
            .entities
            .values()
            .map(|e| (&e.id, graph.add_node(e)))
            .collect();
        for relation in self.relations.values() {
            graph.add_edge(index[&relation.subject], index[&relation.object], relation);
        }
        (graph, index)
    }

    /// Counts over the graph, with the `top` entities by number of distinct neighbours and every
    /// predicate, most evidence first.
    pub fn stats(&self, top: usize) -> Stats {
        let mut entities_by_type = BTreeMap::new();
        for entity in self.entities.values() {
            *entities_by_type.entry(entity.kind.to_string()).or_insert(0) += 1;
        }
        let adjacency = self.adjacency(&[]);
        let mut degrees: Vec<(String, String, usize)> = self
            .entities
            .values()
            .map(|e| {
                let mut others: Vec<&EntityId> = adjacency
                    .get(&e.id)
                    .into_iter()
                    .flatten()
                    .map(|(to, _)| *to)
                    .collect();
                others.sort();
                others.dedup();
                (e.name.clone(), e.kind.to_string(), others.len())
            })
            .collect();
        degrees.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        degrees.truncate(top);
        let mut predicates: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for relation in self.relations.values() {
            let entry = predicates.entry(&relation.predicate).or_default();
            entry.0 += 1;
            entry.1 += relation.count();
        }
        let mut predicates: Vec<(String, usize, usize, Option<&'static str>)> = predicates
            .into_iter()
            .map(|(p, (r, e))| (p.to_string(), r, e, kith_schema::wikidata_property(p)))
            .collect();
        predicates.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        Stats {
            documents: self.documents.len(),
            entities: self.entities.len(),
            relations: self.relations.len(),
            mentions: self.entities.values().map(Entity::mention_count).sum(),
            entities_by_type,
            top_entities: degrees,
            predicates,
        }
    }

    /// For each entity, the (other end, relation) pairs touching it, in relation-id order.
    fn adjacency(&self, predicates: &[String]) -> HashMap<&EntityId, Vec<(&EntityId, &Relation)>> {
        let mut adjacency: HashMap<&EntityId, Vec<(&EntityId, &Relation)>> = HashMap::new();
        for relation in self.relations.values() {
            if !predicates.is_empty() && !predicates.contains(&relation.predicate) {
                continue;
            }
            adjacency
                .entry(&relation.subject)
                .or_default()
                .push((&relation.object, relation));
            adjacency
                .entry(&relation.object)
                .or_default()
                .push((&relation.subject, relation));
        }
        adjacency
    }
}
