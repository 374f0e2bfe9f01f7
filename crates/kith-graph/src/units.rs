//! Documents as units: what each document contributed to the merged values, so that a
//! document can be taken out again exactly.
//!
//! Mentions and evidence name their document, so taking a document out of them is
//! filtering. The other merged values are folds over documents that cannot be undone from
//! the result: an entity's name (the preferred of every document's), aliases and external
//! ids, a relation's class and confidence (maxima). Each document has a share of those
//! ([`EntityUnit`], [`RelationUnit`]), and taking documents out refolds the touched
//! entities and relations from the shares of the documents that remain. The fold is the
//! one [`crate::merge`] makes, associative, commutative and idempotent, so the graph after
//! [`KnowledgeGraph::remove_documents`] is the graph a build of the remaining documents
//! gives (external ids aside where two documents give one registry different values: the
//! merge keeps the first, and refolding takes shares in their order below).
//!
//! Shares cost next to nothing, because they are kept only where documents disagree. The
//! documents that support an entity are those of its mentions (and, for a document that
//! names it without a mention, a [`Units::bare`] entry); those of a relation, those of its
//! evidence. While every supporting document gives the same share, that share is the
//! merged value itself and nothing is kept. Once they differ, [`Shares`] keeps the share
//! most of them give (`default`, with how many give it) and lists only the documents that
//! give another. The form is canonical — the default is the largest group, ties to the
//! smallest share — so a graph holds the same shares however its documents came together,
//! and a build, a merge, a store and a removal all write the same bytes.

use crate::error::GraphError;
use crate::model::{Entity, EntityId, KnowledgeGraph, Relation, RelationId};
use kith_schema::{DocId, RelationClass};
use serde::{Deserialize, Serialize};
use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BTreeSet};

/// The shares a graph keeps (see the module docs). Unknown fields are refused, so a file
/// of another form of units is not misread as one whose documents all agree.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Units {
    /// Entities whose documents gave them different names or ids.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) entities: BTreeMap<EntityId, Shares<EntityUnit, DocId>>,
    /// Relations whose documents gave them different classes or confidences.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) relations: BTreeMap<RelationId, Shares<RelationUnit, DocId>>,
    /// Documents that name an entity without a mention of it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) bare: BTreeMap<EntityId, BTreeSet<DocId>>,
    /// Documents added before units existed: what they gave is not known, so they cannot
    /// be taken out.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub(crate) legacy: BTreeSet<DocId>,
}

/// The shares of one entity or relation whose documents disagree: `count` documents give
/// `default` (those supporting it that no other group lists), each of `others` lists the
/// documents that give its share. Canonical: `default` is the largest group (ties to the
/// smallest share), `others` are sorted by share and their documents sorted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Shares<S, D> {
    pub(crate) default: S,
    pub(crate) count: u32,
    pub(crate) others: Vec<(S, Vec<D>)>,
}

/// The names and ids one document gives an entity.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub(crate) struct RelationUnit {
    /// The highest class it gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) class: Option<RelationClass>,
    /// The highest confidence it gives.
    pub(crate) confidence: f32,
}

impl RelationUnit {
    fn key(&self) -> (Option<RelationClass>, u32) {
        (self.class, self.confidence.to_bits())
    }
}

impl PartialEq for RelationUnit {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}
impl Eq for RelationUnit {}
impl PartialOrd for RelationUnit {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for RelationUnit {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl EntityUnit {
    /// The share `entity`'s names and ids make (its merged value, or one document's).
    pub(crate) fn of(entity: &Entity) -> EntityUnit {
        let mut aliases = entity.aliases.clone();
        aliases.remove(&entity.name);
        EntityUnit {
            name: entity.name.clone(),
            aliases,
            external_ids: entity.external_ids.clone(),
        }
    }

    /// Whether this is the share `entity`'s names and ids make ([`Self::of`], uncopied).
    pub(crate) fn is_value_of(&self, entity: &Entity) -> bool {
        self.name == entity.name
            && self.external_ids == entity.external_ids
            && self.aliases.len()
                == entity.aliases.len() - usize::from(entity.aliases.contains(&entity.name))
            && entity
                .aliases
                .iter()
                .filter(|a| **a != entity.name)
                .eq(self.aliases.iter())
    }

    /// Fold another share in by [`Entity::absorb`]'s rules.
    pub(crate) fn absorb(&mut self, other: &EntityUnit) {
        let mut entity = self.to_entity();
        entity.absorb(other.to_entity());
        *self = EntityUnit::of(&entity);
    }

    fn to_entity(&self) -> Entity {
        Entity {
            id: EntityId(String::new()),
            kind: kith_schema::EntityType::Other,
            name: self.name.clone(),
            aliases: self.aliases.clone(),
            external_ids: self.external_ids.clone(),
            mentions: Default::default(),
        }
    }

    /// The fold of shares, in order; none for none.
    pub(crate) fn fold<'a>(shares: impl IntoIterator<Item = &'a EntityUnit>) -> Option<Self> {
        let mut shares = shares.into_iter();
        let mut folded = shares.next()?.clone();
        for share in shares {
            folded.absorb(share);
        }
        Some(folded)
    }
}

impl RelationUnit {
    /// The share `relation`'s class and confidence make.
    pub(crate) fn of(relation: &Relation) -> RelationUnit {
        RelationUnit {
            class: relation.class,
            confidence: relation.confidence,
        }
    }

    /// Fold another share in by [`Relation::absorb`]'s rules.
    pub(crate) fn absorb(&mut self, other: &RelationUnit) {
        self.class = self.class.max(other.class);
        self.confidence = self.confidence.max(other.confidence);
    }

    /// The fold of shares; none for none.
    pub(crate) fn fold<'a>(shares: impl IntoIterator<Item = &'a RelationUnit>) -> Option<Self> {
        let mut shares = shares.into_iter();
        let mut folded = *shares.next()?;
        for share in shares {
            folded.absorb(share);
        }
        Some(folded)
    }
}

/// Shares in canonical form, and the distinct shares in folding order (the default's
/// first); no shares when no document supports it any more.
pub(crate) struct Canon<S, D> {
    pub(crate) record: Option<Shares<S, D>>,
    pub(crate) shares: Vec<S>,
}

impl<S: Ord + Clone, D: Ord + Clone> Shares<S, D> {
    /// The canonical shares of documents' shares.
    pub(crate) fn of_map(map: impl IntoIterator<Item = (D, S)>) -> Canon<S, D> {
        let mut listed: BTreeMap<S, Vec<D>> = BTreeMap::new();
        for (doc, share) in map {
            listed.entry(share).or_default().push(doc);
        }
        match (Groups {
            counted: None,
            listed,
        })
        .canonical()
        {
            Ok(canon) => canon,
            Err(_) => unreachable!("without a counted group the form is always canonical"),
        }
    }

    /// Every supporting document's share, given the kept shares (none: all give `value`).
    pub(crate) fn expand(
        record: Option<&Self>,
        value: &S,
        support: impl IntoIterator<Item = D>,
    ) -> BTreeMap<D, S> {
        let listed: BTreeMap<&D, &S> = record
            .iter()
            .flat_map(|r| r.others.iter())
            .flat_map(|(share, docs)| docs.iter().map(move |d| (d, share)))
            .collect();
        let default = record.map_or(value, |r| &r.default);
        support
            .into_iter()
            .map(|d| {
                let share = listed.get(&d).copied().unwrap_or(default).clone();
                (d, share)
            })
            .collect()
    }

    /// The same shares with documents named otherwise (sorted again).
    pub(crate) fn map_docs<E: Ord>(
        self,
        mut f: impl FnMut(D) -> Option<E>,
    ) -> Option<Shares<S, E>> {
        let mut others = Vec::with_capacity(self.others.len());
        for (share, docs) in self.others {
            let mut docs: Vec<E> = docs.into_iter().map(&mut f).collect::<Option<_>>()?;
            docs.sort();
            others.push((share, docs));
        }
        Some(Shares {
            default: self.default,
            count: self.count,
            others,
        })
    }
}

/// Shares being combined: at most one group known by its count only.
pub(crate) struct Groups<S, D> {
    counted: Option<(S, u32)>,
    listed: BTreeMap<S, Vec<D>>,
}

impl<S: Ord + Clone, D: Ord + Clone> Groups<S, D> {
    /// The groups of kept shares, or of `count` documents that all give `value`.
    pub(crate) fn of(record: Option<Shares<S, D>>, value: S, count: u32) -> Self {
        match record {
            None => Groups {
                counted: Some((value, count)),
                listed: BTreeMap::new(),
            },
            Some(r) => Groups {
                counted: Some((r.default, r.count)),
                listed: r.others.into_iter().collect(),
            },
        }
    }

    /// Both sets of groups (of disjoint documents); none where each has a counted group
    /// of a different share, which only expanding can tell apart.
    fn join(mut self, other: Self) -> Option<Self> {
        for (share, docs) in other.listed {
            self.listed.entry(share).or_default().extend(docs);
        }
        self.counted = match (self.counted, other.counted) {
            (Some(a), Some(b)) if a.0 != b.0 => return None,
            (Some(a), Some(b)) => Some((a.0, a.1 + b.1)),
            (a, None) => a,
            (None, b) => b,
        };
        Some(self)
    }

    /// Take documents out (each one supported it): from the group that lists it, else
    /// from the counted one.
    pub(crate) fn remove(&mut self, gone: &BTreeSet<D>) {
        let mut unlisted = gone.len();
        for docs in self.listed.values_mut() {
            let before = docs.len();
            docs.retain(|d| !gone.contains(d));
            unlisted -= before - docs.len();
        }
        if let Some((_, n)) = &mut self.counted {
            *n = n.saturating_sub(unlisted as u32);
        }
    }

    /// The canonical form; an error where the default is a listed group while another is
    /// counted (whose documents only expanding can name).
    pub(crate) fn canonical(self) -> Result<Canon<S, D>, ()> {
        let Groups {
            mut counted,
            mut listed,
        } = self;
        if let Some((share, n)) = &mut counted {
            if let Some(docs) = listed.remove(share) {
                *n += docs.len() as u32;
            }
        }
        listed.retain(|_, docs| !docs.is_empty());
        if counted.as_ref().is_some_and(|(_, n)| *n == 0) {
            counted = None;
        }
        let rank = |share: &S, n: usize| (n, Reverse(share.clone()));
        let best = listed
            .iter()
            .max_by(|a, b| (a.1.len(), Reverse(a.0)).cmp(&(b.1.len(), Reverse(b.0))))
            .map(|(share, docs)| (share.clone(), docs.len()));
        let (default, count) = match (counted, best) {
            (None, None) => {
                return Ok(Canon {
                    record: None,
                    shares: Vec::new(),
                })
            }
            (Some((share, _)), None) => {
                return Ok(Canon {
                    record: None,
                    shares: vec![share],
                })
            }
            (Some((share, n)), Some((b, len))) => {
                if rank(&b, len) > rank(&share, n as usize) {
                    return Err(());
                }
                (share, n)
            }
            (None, Some((b, len))) => {
                listed.remove(&b);
                (b, len as u32)
            }
        };
        if listed.is_empty() {
            return Ok(Canon {
                record: None,
                shares: vec![default],
            });
        }
        let mut shares = vec![default.clone()];
        let others = listed
            .into_iter()
            .map(|(share, mut docs)| {
                docs.sort();
                docs.dedup();
                shares.push(share.clone());
                (share, docs)
            })
            .collect();
        Ok(Canon {
            record: Some(Shares {
                default,
                count,
                others,
            }),
            shares,
        })
    }
}

/// One side of a combination: its kept shares and merged value.
pub(crate) struct Side<S, D> {
    pub(crate) record: Option<Shares<S, D>>,
    pub(crate) value: S,
}

/// The shares of an entity or relation both sides support. `disjoint`: no document is on
/// both sides. The supports are asked for only when a side's documents must be named or
/// counted (rarely: when documents first disagree, or the default group changes).
pub(crate) fn combine<S: Ord + Clone, D: Ord + Clone, E>(
    a: Side<S, D>,
    b: Side<S, D>,
    disjoint: bool,
    mut a_support: impl FnMut() -> Result<Vec<D>, E>,
    mut b_support: impl FnMut() -> Result<Vec<D>, E>,
) -> Result<Option<Shares<S, D>>, E> {
    if a.record.is_none() && b.record.is_none() && a.value == b.value {
        return Ok(None);
    }
    if disjoint {
        // The common case: one side keeps shares, the other's documents all give one share,
        // which joins its group in place.
        match (a.record, b.record) {
            (Some(mut record), None) => {
                if record.try_add(b.value.clone(), &mut b_support)? {
                    return Ok(Some(record));
                }
                return expand_both(Some(record), a.value, None, b.value, a_support, b_support);
            }
            (None, Some(mut record)) => {
                if record.try_add(a.value.clone(), &mut a_support)? {
                    return Ok(Some(record));
                }
                return expand_both(None, a.value, Some(record), b.value, a_support, b_support);
            }
            (ra, rb) => {
                let na = match ra {
                    Some(_) => 0,
                    None => a_support()?.len() as u32,
                };
                let nb = match rb {
                    Some(_) => 0,
                    None => b_support()?.len() as u32,
                };
                let ga = Groups::of(ra.clone(), a.value.clone(), na);
                let gb = Groups::of(rb.clone(), b.value.clone(), nb);
                if let Some(Ok(canon)) = ga.join(gb).map(Groups::canonical) {
                    return Ok(canon.record);
                }
                return expand_both(ra, a.value, rb, b.value, a_support, b_support);
            }
        }
    }
    expand_both(a.record, a.value, b.record, b.value, a_support, b_support)
}

fn expand_both<S: Ord + Clone, D: Ord + Clone, E>(
    ra: Option<Shares<S, D>>,
    va: S,
    rb: Option<Shares<S, D>>,
    vb: S,
    mut a_support: impl FnMut() -> Result<Vec<D>, E>,
    mut b_support: impl FnMut() -> Result<Vec<D>, E>,
) -> Result<Option<Shares<S, D>>, E> {
    let mut map = Shares::expand(ra.as_ref(), &va, a_support()?);
    for (doc, share) in Shares::expand(rb.as_ref(), &vb, b_support()?) {
        map.entry(doc).or_insert(share);
    }
    Ok(Shares::of_map(map).record)
}

impl<S: Ord + Clone, D: Ord + Clone> Shares<S, D> {
    /// Add documents (new to it) that all give `share`, where the form stays canonical
    /// (the default stays the largest group); false, and nothing changed, where it would
    /// not. The documents are asked for only when they must be listed.
    fn try_add<E>(
        &mut self,
        share: S,
        docs: &mut impl FnMut() -> Result<Vec<D>, E>,
    ) -> Result<bool, E> {
        let docs = docs()?;
        if share == self.default {
            self.count += docs.len() as u32;
            return Ok(true);
        }
        let at = self.others.binary_search_by(|(s, _)| s.cmp(&share));
        let len = docs.len() + at.map_or(0, |i| self.others[i].1.len());
        if (len, Reverse(&share)) > (self.count as usize, Reverse(&self.default)) {
            return Ok(false);
        }
        match at {
            Ok(i) => {
                let listed = &mut self.others[i].1;
                if let [doc] = docs.as_slice() {
                    // One document at a time (a build): no sorting of a long list.
                    if let Err(at) = listed.binary_search(doc) {
                        listed.insert(at, doc.clone());
                    }
                } else {
                    listed.extend(docs);
                    listed.sort();
                    listed.dedup();
                }
            }
            Err(i) => {
                let mut docs = docs;
                docs.sort();
                docs.dedup();
                self.others.insert(i, (share, docs));
            }
        }
        Ok(true)
    }
}

/// The documents that support an entity: those of its mentions and bare entries.
pub(crate) fn entity_support(entity: &Entity, bare: Option<&BTreeSet<DocId>>) -> Vec<DocId> {
    let mut docs: BTreeSet<DocId> = bare.cloned().unwrap_or_default();
    let mut last: Option<&DocId> = None;
    for m in entity.mentions.iter() {
        if last != Some(&m.doc) {
            docs.insert(m.doc.clone());
            last = Some(&m.doc);
        }
    }
    docs.into_iter().collect()
}

/// The documents that support a relation: those of its evidence.
pub(crate) fn relation_support(relation: &Relation) -> Vec<DocId> {
    let mut docs: Vec<DocId> = relation.evidence.iter().map(|e| e.doc.clone()).collect();
    docs.sort();
    docs.dedup();
    docs
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
        self.documents.contains_key(id) && !self.units.legacy.contains(id)
    }

    /// The documents whose source is `source`, sorted by id.
    pub fn documents_with_source(&self, source: &str) -> Vec<&kith_schema::DocumentInfo> {
        self.documents
            .values()
            .filter(|d| d.source == source)
            .collect()
    }

    /// Record a new document's share of an entity, before its facts are folded in.
    pub(crate) fn note_entity_share(
        &mut self,
        doc: &DocId,
        id: &EntityId,
        share: EntityUnit,
        mentioned: bool,
    ) {
        if let Some(entity) = self.entities.get(id) {
            let bare = self.units.bare.get(id);
            let record = self.units.entities.remove(id);
            // Most often: no shares kept, and the document agrees.
            if record.is_none() && share.is_value_of(entity) {
                if !mentioned {
                    self.units
                        .bare
                        .entry(id.clone())
                        .or_default()
                        .insert(doc.clone());
                }
                return;
            }
            let value = EntityUnit::of(entity);
            let kept = combine::<_, _, ()>(
                Side { record, value },
                Side {
                    record: None,
                    value: share,
                },
                true,
                || Ok(entity_support(entity, bare)),
                || Ok(vec![doc.clone()]),
            )
            .expect("no errors in memory");
            if let Some(kept) = kept {
                self.units.entities.insert(id.clone(), kept);
            }
        }
        if !mentioned {
            self.units
                .bare
                .entry(id.clone())
                .or_default()
                .insert(doc.clone());
        }
    }

    /// Record a new document's share of a relation, before it is folded in.
    pub(crate) fn note_relation_share(
        &mut self,
        doc: &DocId,
        id: &RelationId,
        share: RelationUnit,
    ) {
        let Some(relation) = self.relations.get(id) else {
            return;
        };
        let record = self.units.relations.remove(id);
        let value = RelationUnit::of(relation);
        let kept = combine::<_, _, ()>(
            Side { record, value },
            Side {
                record: None,
                value: share,
            },
            true,
            || Ok(relation_support(relation)),
            || Ok(vec![doc.clone()]),
        )
        .expect("no errors in memory");
        if let Some(kept) = kept {
            self.units.relations.insert(id.clone(), kept);
        }
    }

    /// Take documents out: their mentions and evidence, the entities and relations only
    /// they gave, and their share of names, ids, classes and confidences, so the graph is
    /// the one the remaining documents build. All or nothing: an id the graph does not
    /// have, or a document without its unit, is an error and nothing changes.
    pub fn remove_documents(&mut self, ids: &[DocId]) -> Result<RemoveCounts, GraphError> {
        let gone: BTreeSet<DocId> = ids.iter().cloned().collect();
        for id in &gone {
            if !self.documents.contains_key(id) {
                return Err(GraphError::UnknownDocument(id.to_string()));
            }
            if !self.is_unit(id) {
                return Err(GraphError::NotAUnit(id.to_string()));
            }
        }
        let mut counts = RemoveCounts::default();
        for id in &gone {
            self.documents.remove(id);
            counts.documents += 1;
        }
        let touched: Vec<EntityId> = self
            .entities
            .values()
            .filter(|e| {
                e.mentions.iter().any(|m| gone.contains(&m.doc))
                    || self
                        .units
                        .bare
                        .get(&e.id)
                        .is_some_and(|b| b.iter().any(|d| gone.contains(d)))
            })
            .map(|e| e.id.clone())
            .collect();
        for id in touched {
            let entity = self.entities.get_mut(&id).expect("listed above");
            let support = entity_support(entity, self.units.bare.get(&id));
            let record = self.units.entities.remove(&id);
            let mut map = Shares::expand(record.as_ref(), &EntityUnit::of(entity), support);
            map.retain(|d, _| !gone.contains(d));
            let canon = Shares::of_map(map);
            if let Some(bare) = self.units.bare.get_mut(&id) {
                bare.retain(|d| !gone.contains(d));
                if bare.is_empty() {
                    self.units.bare.remove(&id);
                }
            }
            let Some(value) = EntityUnit::fold(&canon.shares) else {
                self.entities.remove(&id);
                counts.entities += 1;
                continue;
            };
            entity.mentions.retain(|m| !gone.contains(&m.doc));
            entity.name = value.name;
            entity.aliases = value.aliases;
            entity.external_ids = value.external_ids;
            if let Some(record) = canon.record {
                self.units.entities.insert(id, record);
            }
        }
        let touched: Vec<RelationId> = self
            .relations
            .values()
            .filter(|r| r.evidence.iter().any(|e| gone.contains(&e.doc)))
            .map(|r| r.id.clone())
            .collect();
        for id in touched {
            let relation = self.relations.get_mut(&id).expect("listed above");
            let support = relation_support(relation);
            let record = self.units.relations.remove(&id);
            let mut map = Shares::expand(record.as_ref(), &RelationUnit::of(relation), support);
            map.retain(|d, _| !gone.contains(d));
            let canon = Shares::of_map(map);
            let Some(value) = RelationUnit::fold(&canon.shares) else {
                self.relations.remove(&id);
                counts.relations += 1;
                continue;
            };
            relation.evidence.retain(|e| !gone.contains(&e.doc));
            relation.class = value.class;
            relation.confidence = value.confidence;
            if let Some(record) = canon.record {
                self.units.relations.insert(id, record);
            }
        }
        if self.documents.is_empty() {
            self.producer = None;
        }
        Ok(counts)
    }
}
