//! Documents as units: what each document contributed to the merged values, so that a
//! document can be taken out again exactly.
//!
//! Mentions and evidence name their document, so taking a document out of them is
//! filtering. The other merged values are folds over documents that cannot be undone from
//! the result: an entity's name (the preferred of every document's), aliases and external
//! ids, a relation's class and confidence (maxima). A [`Unit`] keeps each document's
//! share of those, and taking documents out refolds the touched entities and relations
//! from the units that remain. The fold is the one [`crate::merge`] makes, and it is
//! associative and commutative, so the graph after [`KnowledgeGraph::remove_documents`] is
//! the graph a build of the remaining documents gives (external ids aside where two
//! documents give one registry different values: the merge keeps the first, and
//! refolding takes documents in id order).

use crate::error::GraphError;
use crate::model::{Entity, EntityId, KnowledgeGraph, Relation, RelationId};
use kith_schema::{DocId, RelationClass};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One document's share of the merged values of the entities and relations it names.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Unit {
    /// The entities it names, with the names and ids it gives them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) entities: BTreeMap<EntityId, EntityUnit>,
    /// The relations (co-occurrence edges included) it states.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) relations: BTreeMap<RelationId, RelationUnit>,
}

/// The names and ids one document gives an entity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct EntityUnit {
    /// The preferred of the names the document gives as an entity's name.
    pub(crate) name: String,
    /// Every other name it uses for it.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub(crate) aliases: BTreeSet<String>,
    /// Its external ids.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) external_ids: BTreeMap<String, String>,
}

/// The class and confidence one document gives a relation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct RelationUnit {
    /// The highest class it gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) class: Option<RelationClass>,
    /// The highest confidence it gives.
    pub(crate) confidence: f32,
}

impl EntityUnit {
    /// The document's share of `entity` (its names and ids, not its mentions).
    pub(crate) fn of(entity: &Entity) -> EntityUnit {
        let mut aliases = entity.aliases.clone();
        aliases.remove(&entity.name);
        EntityUnit {
            name: entity.name.clone(),
            aliases,
            external_ids: entity.external_ids.clone(),
        }
    }

    /// Fold another share in by [`Entity::absorb`]'s rules.
    pub(crate) fn absorb(&mut self, other: EntityUnit) {
        let mut entity = self.to_entity(EntityId(String::new()), kith_schema::EntityType::Other);
        entity.absorb(other.to_entity(EntityId(String::new()), kith_schema::EntityType::Other));
        *self = EntityUnit::of(&entity);
    }

    fn to_entity(&self, id: EntityId, kind: kith_schema::EntityType) -> Entity {
        Entity {
            id,
            kind,
            name: self.name.clone(),
            aliases: self.aliases.clone(),
            external_ids: self.external_ids.clone(),
            mentions: Default::default(),
        }
    }
}

impl RelationUnit {
    /// The document's share of `relation` (its class and confidence).
    pub(crate) fn of(relation: &Relation) -> RelationUnit {
        RelationUnit {
            class: relation.class,
            confidence: relation.confidence,
        }
    }

    /// Fold another share in by [`Relation::absorb`]'s rules.
    pub(crate) fn absorb(&mut self, other: RelationUnit) {
        self.class = self.class.max(other.class);
        self.confidence = self.confidence.max(other.confidence);
    }
}

impl Unit {
    pub(crate) fn add_entity(&mut self, entity: &Entity) {
        let share = EntityUnit::of(entity);
        match self.entities.get_mut(&entity.id) {
            Some(known) => known.absorb(share),
            None => {
                self.entities.insert(entity.id.clone(), share);
            }
        }
    }

    pub(crate) fn add_relation(&mut self, relation: &Relation) {
        let share = RelationUnit::of(relation);
        match self.relations.get_mut(&relation.id) {
            Some(known) => known.absorb(share),
            None => {
                self.relations.insert(relation.id.clone(), share);
            }
        }
    }
}

/// What [`KnowledgeGraph::remove_documents`] took out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RemoveCounts {
    /// Documents taken out.
    pub documents: usize,
    /// Entities no remaining document names, taken out with them.
    pub entities: usize,
    /// Relations no remaining document states, taken out with them.
    pub relations: usize,
}

impl KnowledgeGraph {
    /// Whether the graph knows what the document contributed, so that
    /// [`Self::remove_documents`] can take it out (documents added by a Kith before units
    /// existed cannot be).
    pub fn is_unit(&self, id: &DocId) -> bool {
        self.units.contains_key(id)
    }

    /// The documents whose source is `source`, sorted by id.
    pub fn documents_with_source(&self, source: &str) -> Vec<&kith_schema::DocumentInfo> {
        self.documents
            .values()
            .filter(|d| d.source == source)
            .collect()
    }

    /// Take documents out: their mentions and evidence, the entities and relations only
    /// they gave, and their share of names, ids, classes and confidences, so the graph is
    /// the one the remaining documents build. All or nothing: an id the graph does not
    /// have, or a document without its unit, is an error and nothing changes.
    pub fn remove_documents(&mut self, ids: &[DocId]) -> Result<RemoveCounts, GraphError> {
        let ids: BTreeSet<&DocId> = ids.iter().collect();
        for id in &ids {
            if !self.documents.contains_key(*id) {
                return Err(GraphError::UnknownDocument(id.to_string()));
            }
            if !self.units.contains_key(*id) {
                return Err(GraphError::NotAUnit(id.to_string()));
            }
        }
        let mut counts = RemoveCounts::default();
        let mut entities: BTreeSet<EntityId> = BTreeSet::new();
        let mut relations: BTreeSet<RelationId> = BTreeSet::new();
        for id in &ids {
            let unit = self.units.remove(*id).expect("checked above");
            self.documents.remove(*id);
            counts.documents += 1;
            entities.extend(unit.entities.into_keys());
            relations.extend(unit.relations.into_keys());
        }
        // The remaining documents' shares of what the removed ones touched.
        let mut entity_shares: BTreeMap<&EntityId, EntityUnit> = BTreeMap::new();
        let mut relation_shares: BTreeMap<&RelationId, RelationUnit> = BTreeMap::new();
        for unit in self.units.values() {
            for (id, share) in &unit.entities {
                if let Some(id) = entities.get(id) {
                    match entity_shares.get_mut(id) {
                        Some(known) => known.absorb(share.clone()),
                        None => {
                            entity_shares.insert(id, share.clone());
                        }
                    }
                }
            }
            for (id, share) in &unit.relations {
                if let Some(id) = relations.get(id) {
                    match relation_shares.get_mut(id) {
                        Some(known) => known.absorb(*share),
                        None => {
                            relation_shares.insert(id, *share);
                        }
                    }
                }
            }
        }
        let gone = |doc: &DocId| ids.contains(doc);
        for id in &relations {
            let Some(share) = relation_shares.get(id) else {
                counts.relations += usize::from(self.relations.remove(id).is_some());
                continue;
            };
            if let Some(relation) = self.relations.get_mut(id) {
                relation.evidence.retain(|e| !gone(&e.doc));
                relation.class = share.class;
                relation.confidence = share.confidence;
            }
        }
        for id in &entities {
            let Some(share) = entity_shares.remove(id) else {
                counts.entities += usize::from(self.entities.remove(id).is_some());
                continue;
            };
            if let Some(entity) = self.entities.get_mut(id) {
                entity.mentions.retain(|m| !gone(&m.doc));
                entity.name = share.name;
                entity.aliases = share.aliases;
                entity.external_ids = share.external_ids;
            }
        }
        if self.documents.is_empty() {
            self.producer = None;
        }
        Ok(counts)
    }
}
