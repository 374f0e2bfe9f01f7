//! Folding documents' facts into the graph.
//!
//! Every operation here is a set union keyed by content-derived ids, with ties broken by
//! total orders (minimum name, maximum confidence), so adding documents or merging graphs
//! in any grouping and order gives the same graph.

use crate::error::GraphError;
use crate::model::{
    short_hash, Entity, EntityId, KnowledgeGraph, Relation, RelationId, COOCCURRENCE_PREDICATE,
};
use crate::units::{combine, entity_support, relation_support, EntityUnit, RelationUnit, Side};
use kith_schema::{
    DocumentFacts, EntityFacts, EntityType, Evidence, Mention, Modality, Polarity, RelationClass,
};
use std::collections::{BTreeMap, BTreeSet};

/// What [`KnowledgeGraph::add_document`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddOutcome {
    /// The document was new and its facts are now in the graph.
    Added,
    /// A document with this id was already in the graph; nothing changed.
    AlreadyPresent,
}

/// Case- and space-insensitive form of a name, used to match and identify entities.
pub fn normalize_name(name: &str) -> String {
    name.split_whitespace()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The key that makes two entities the same: a registry id where there is one (the first
/// by key order, so `iso3166-1:alpha2` for countries), else the normalised name.
fn identity_key(entity: &EntityFacts) -> String {
    identity_key_of(&entity.external_ids, &entity.name)
}

/// [`identity_key`] from an entity's ids and name. Aliases never enter it: two people
/// whose documents both call them "Smith" (as a short form of different full names)
/// stay two entities.
pub(crate) fn identity_key_of(external_ids: &BTreeMap<String, String>, name: &str) -> String {
    match external_ids.iter().next() {
        Some((registry, value)) => format!("{registry}={value}"),
        None => format!("name={}", normalize_name(name)),
    }
}

pub(crate) fn entity_id(kind: EntityType, key: &str) -> EntityId {
    EntityId(short_hash("e", &[kind.as_str(), key]))
}

pub(crate) fn relation_id(
    subject: &EntityId,
    predicate: &str,
    object: &EntityId,
    polarity: Polarity,
    modality: Modality,
) -> RelationId {
    RelationId(short_hash(
        "r",
        &[
            &subject.0,
            predicate,
            &object.0,
            polarity.as_str(),
            modality.as_str(),
        ],
    ))
}

/// The preferred of two names for the same entity: one not in capitals (datelines and
/// headlines shout), then the longer, then the smaller.
fn preferred_name(a: String, b: String) -> String {
    let shouted = |n: &String| {
        n.chars().filter(|c| c.is_alphabetic()).count() > 3 && !n.chars().any(char::is_lowercase)
    };
    let key = |n: &String| (shouted(n), std::cmp::Reverse(n.chars().count()), n.clone());
    if key(&a) <= key(&b) {
        a
    } else {
        b
    }
}

impl Entity {
    pub(crate) fn absorb(&mut self, other: Entity) {
        debug_assert_eq!(self.id, other.id);
        let old_name = std::mem::take(&mut self.name);
        self.aliases.extend(other.aliases);
        self.aliases.insert(old_name.clone());
        self.aliases.insert(other.name.clone());
        self.name = preferred_name(old_name, other.name);
        self.aliases.remove(&self.name);
        for (registry, value) in other.external_ids {
            self.external_ids.entry(registry).or_insert(value);
        }
        self.mentions.absorb(other.mentions);
    }
}

/// Whether two entities' names and ids make the same share (see `units.rs`).
fn same_names(a: &Entity, b: &Entity) -> bool {
    a.name == b.name
        && a.external_ids == b.external_ids
        && a.aliases
            .iter()
            .filter(|x| **x != a.name)
            .eq(b.aliases.iter().filter(|x| **x != b.name))
}

impl Relation {
    pub(crate) fn absorb(&mut self, other: Relation) {
        debug_assert_eq!(self.id, other.id);
        self.confidence = self.confidence.max(other.confidence);
        self.class = self.class.max(other.class);
        self.evidence.absorb(other.evidence);
    }
}

impl KnowledgeGraph {
    /// Add one document's facts. A document whose id is already present is left as it was;
    /// facts from another producer than the graph's, or with values no document can have
    /// (see [`DocumentFacts::check`]), are refused.
    pub fn add_document(&mut self, mut facts: DocumentFacts) -> Result<AddOutcome, GraphError> {
        facts.check().map_err(|reason| GraphError::InvalidFacts {
            document: facts.document.id.to_string(),
            reason,
        })?;
        self.adopt_producer(Some(&facts.producer))?;
        if self.documents.contains_key(&facts.document.id) {
            return Ok(AddOutcome::AlreadyPresent);
        }
        crate::intern::share_document_strings(&mut facts, &mut self.texts);
        let ids: Vec<EntityId> = facts
            .entities
            .iter()
            .map(|e| entity_id(e.kind, &identity_key(e)))
            .collect();
        let mut relations: Vec<Relation> = Vec::new();
        if self.options.cooccurrence {
            relations.extend(cooccurrences(&ids, &facts));
        }
        relations.extend(
            facts
                .relations
                .into_iter()
                .filter(|r| {
                    r.subject < ids.len() && r.object < ids.len() && ids[r.subject] != ids[r.object]
                })
                .map(|r| {
                    let (subject, object) = (ids[r.subject].clone(), ids[r.object].clone());
                    Relation {
                        id: relation_id(&subject, &r.predicate, &object, r.polarity, r.modality),
                        subject,
                        object,
                        predicate: r.predicate,
                        class: r.class,
                        polarity: r.polarity,
                        modality: r.modality,
                        confidence: r.evidence.confidence.max(r.confidence),
                        evidence: [Evidence {
                            confidence: r.confidence,
                            ..r.evidence
                        }]
                        .into_iter()
                        .collect(),
                    }
                }),
        );
        let entities: Vec<Entity> = ids
            .into_iter()
            .zip(facts.entities)
            .map(|(id, facts)| Entity {
                id,
                kind: facts.kind,
                name: facts.name,
                aliases: facts.aliases.into_iter().collect(),
                external_ids: facts.external_ids,
                mentions: facts.mentions.into_iter().collect(),
            })
            .collect();
        // The document's shares, noted against the graph as it was before it.
        let doc = &facts.document.id;
        let mut order: Vec<&Entity> = entities.iter().collect();
        order.sort_by(|a, b| a.id.cmp(&b.id));
        for group in order.chunk_by(|a, b| a.id == b.id) {
            let id = &group[0].id;
            let mentioned = group.iter().any(|e| !e.mentions.is_empty());
            // Most often: one entry, nothing kept, and the graph's value agrees.
            let agrees = group.len() == 1
                && !self.units.entities.contains_key(id)
                && self
                    .entities
                    .get(id)
                    .is_none_or(|known| same_names(known, group[0]));
            if agrees && mentioned {
                continue;
            }
            let mut share = EntityUnit::of(group[0]);
            for entity in &group[1..] {
                share.absorb(&EntityUnit::of(entity));
            }
            self.note_entity_share(doc, id, share, mentioned);
        }
        let mut shares: BTreeMap<&RelationId, RelationUnit> = BTreeMap::new();
        for relation in &relations {
            let share = RelationUnit::of(relation);
            match shares.get_mut(&relation.id) {
                Some(known) => known.absorb(&share),
                None => {
                    shares.insert(&relation.id, share);
                }
            }
        }
        for (id, share) in shares {
            self.note_relation_share(doc, id, share);
        }
        for entity in entities {
            self.insert_entity(entity);
        }
        for relation in relations {
            self.insert_relation(relation);
        }
        self.documents
            .insert(facts.document.id.clone(), facts.document);
        Ok(AddOutcome::Added)
    }

    fn adopt_producer(&mut self, producer: Option<&String>) -> Result<(), GraphError> {
        match (&self.producer, producer) {
            (Some(ours), Some(theirs)) if ours != theirs => Err(GraphError::ProducerMismatch {
                expected: ours.clone(),
                found: theirs.clone(),
            }),
            (None, Some(theirs)) => {
                self.producer = Some(theirs.clone());
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Merge another graph into this one. Associative and commutative; documents present
    /// in both are kept once. Graphs from different producers are refused.
    pub fn merge(&mut self, other: KnowledgeGraph) -> Result<(), GraphError> {
        self.adopt_producer(other.producer.as_ref())?;
        self.options.cooccurrence |= other.options.cooccurrence;
        self.identity.merge(&other.identity);
        let disjoint = other
            .documents
            .keys()
            .all(|id| !self.documents.contains_key(id));
        for (id, doc) in other.documents {
            self.documents.entry(id).or_insert(doc);
        }
        let mut units = other.units;
        self.units.legacy.append(&mut units.legacy);
        let (mut entities, mut relations) = (other.entities, other.relations);
        self.share_strings(entities.values_mut(), relations.values_mut());
        for entity in entities.into_values() {
            let theirs = units.entities.remove(&entity.id);
            let their_bare = units.bare.remove(&entity.id);
            let kept = match self.entities.get(&entity.id) {
                None => theirs,
                Some(mine) => {
                    let my_bare = self.units.bare.get(&entity.id);
                    combine::<_, _, ()>(
                        Side {
                            record: self.units.entities.remove(&entity.id),
                            value: EntityUnit::of(mine),
                        },
                        Side {
                            record: theirs,
                            value: EntityUnit::of(&entity),
                        },
                        disjoint,
                        || Ok(entity_support(mine, my_bare)),
                        || Ok(entity_support(&entity, their_bare.as_ref())),
                    )
                    .expect("no errors in memory")
                }
            };
            if let Some(kept) = kept {
                self.units.entities.insert(entity.id.clone(), kept);
            }
            if let Some(bare) = their_bare {
                self.units
                    .bare
                    .entry(entity.id.clone())
                    .or_default()
                    .extend(bare);
            }
            self.insert_entity(entity);
        }
        for relation in relations.into_values() {
            let theirs = units.relations.remove(&relation.id);
            let kept = match self.relations.get(&relation.id) {
                None => theirs,
                Some(mine) => combine::<_, _, ()>(
                    Side {
                        record: self.units.relations.remove(&relation.id),
                        value: RelationUnit::of(mine),
                    },
                    Side {
                        record: theirs,
                        value: RelationUnit::of(&relation),
                    },
                    disjoint,
                    || Ok(relation_support(mine)),
                    || Ok(relation_support(&relation)),
                )
                .expect("no errors in memory"),
            };
            if let Some(kept) = kept {
                self.units.relations.insert(relation.id.clone(), kept);
            }
            self.insert_relation(relation);
        }
        Ok(())
    }

    fn insert_entity(&mut self, entity: Entity) {
        match self.entities.get_mut(&entity.id) {
            Some(existing) => existing.absorb(entity),
            None => {
                let mut entity = entity;
                entity.aliases.remove(&entity.name);
                self.entities.insert(entity.id.clone(), entity);
            }
        }
    }

    fn insert_relation(&mut self, relation: Relation) {
        match self.relations.get_mut(&relation.id) {
            Some(existing) => existing.absorb(relation),
            None => {
                self.relations.insert(relation.id.clone(), relation);
            }
        }
    }
}

/// Sentences naming more distinct entities than this are lists, not statements, and would
/// add edges by the square of their length: they give no co-occurrence edges.
pub const MAX_COOCCURRING: usize = 50;

/// One undirected, weighted edge per pair of distinct entities named in the same sentence,
/// with the sentence's mentions as evidence. Ends are ordered by id so the edge is the same
/// whichever entity comes first.
fn cooccurrences(ids: &[EntityId], facts: &DocumentFacts) -> Vec<Relation> {
    let entities = &facts.entities;
    let mut by_sentence: BTreeMap<(&kith_schema::DocId, u32), BTreeMap<&EntityId, &Mention>> =
        BTreeMap::new();
    for (id, entity) in ids.iter().zip(entities) {
        for mention in &entity.mentions {
            by_sentence
                .entry((&mention.doc, mention.sentence))
                .or_default()
                .entry(id)
                .or_insert(mention);
        }
    }
    let mut edges = Vec::new();
    for ((doc, sentence), present) in by_sentence {
        let present: Vec<(&EntityId, &Mention)> = present.into_iter().collect();
        let stated = facts.sentences.iter().find(|s| s.index == sentence);
        let (span, sentence_text) = match stated {
            Some(s) => (s.span, s.text.clone()),
            None => {
                let start = present.iter().map(|(_, m)| m.span.start).min().unwrap_or(0);
                let end = present.iter().map(|(_, m)| m.span.end).max().unwrap_or(0);
                (kith_schema::CharSpan::new(start, end), "".into())
            }
        };
        let named: BTreeSet<&EntityId> = present.iter().map(|(id, _)| *id).collect();
        if named.len() > MAX_COOCCURRING {
            continue;
        }
        for (i, a) in named.iter().enumerate() {
            for b in named.iter().skip(i + 1) {
                let confidence = present
                    .iter()
                    .filter(|(id, _)| id == a || id == b)
                    .map(|(_, m)| m.confidence)
                    .fold(1.0f32, f32::min);
                let (subject, object) = ((*a).clone(), (*b).clone());
                edges.push(Relation {
                    id: relation_id(
                        &subject,
                        COOCCURRENCE_PREDICATE,
                        &object,
                        Polarity::Affirmed,
                        Modality::Asserted,
                    ),
                    subject,
                    object,
                    predicate: COOCCURRENCE_PREDICATE.to_string(),
                    class: Some(RelationClass::CoOccurrence),
                    polarity: Polarity::Affirmed,
                    modality: Modality::Asserted,
                    confidence,
                    evidence: [Evidence {
                        doc: doc.clone(),
                        sentence,
                        span,
                        sentence_text: sentence_text.clone(),
                        confidence,
                    }]
                    .into_iter()
                    .collect(),
                });
            }
        }
    }
    edges
}
