//! The names `neighbors`, `path`, `explain` and `render --focus` accept: an index of the
//! graph's entities ([`kith_lookup`]) with the country gazetteer's variants as other
//! names, and the messages of a failed lookup.

use anyhow::{bail, Result};
use kith_graph::store::GraphStore;
use kith_graph::{Entity, EntityId, GraphError, KnowledgeGraph};
use kith_lookup::{Candidate, Lookup, NameIndex};

/// The entities of one graph, indexed by name.
pub(crate) struct Names<'g> {
    entities: usize,
    index: NameIndex<&'g Entity>,
}

impl<'g> Names<'g> {
    pub(crate) fn new(graph: &'g KnowledgeGraph) -> Names<'g> {
        Names::of(graph.entities())
    }

    /// An index of these entities (their names and aliases; mentions are not read).
    pub(crate) fn of(entities: impl Iterator<Item = &'g Entity>) -> Names<'g> {
        let mut count = 0;
        let index = NameIndex::new(entities.map(|e| {
            count += 1;
            Candidate {
                key: e,
                id: e.id.0.clone(),
                kind: e.kind,
                name: e.name.clone(),
                aliases: e.aliases.iter().cloned().collect(),
            }
        }));
        Names {
            entities: count,
            index,
        }
    }

    /// The one entity `query` names, or an error listing the candidates (ambiguous) or
    /// the closest names (none).
    pub(crate) fn resolve(&self, query: &str) -> Result<&'g Entity> {
        match self.index.lookup(query, &country_names) {
            Lookup::Found(entity, _) => Ok(entity),
            Lookup::Ambiguous(candidates, _) => {
                let lines: Vec<String> = candidates.iter().map(|e| candidate(e)).collect();
                bail!(
                    "{query:?} is ambiguous: it matches {} entities; name one by its id or as \"Name (Type)\", e.g. {:?}:\n  {}",
                    candidates.len(), // never 1: one candidate is a match
                    format!("{} ({})", candidates[0].name, candidates[0].kind),
                    lines.join("\n  ")
                )
            }
            Lookup::NotFound(suggestions) if suggestions.is_empty() => bail!(
                "no entity matches {query:?} among the {} of the graph (kith stats lists the best-connected ones)",
                crate::output::plural(self.entities, "entity", "entities")
            ),
            Lookup::NotFound(suggestions) => {
                let lines: Vec<String> = suggestions.iter().map(|e| candidate(e)).collect();
                bail!(
                    "no entity matches {query:?}; did you mean:\n  {}",
                    lines.join("\n  ")
                )
            }
        }
    }
}

/// The entity `query` names in a store: its exact name or alias from the store's indexes,
/// else the same lookup as on a graph file over every entity's names (an id, `Name
/// (Type)`, a partial or accent-free name, suggestions).
pub(crate) fn resolve_in_store(store: &GraphStore, query: &str) -> Result<EntityId> {
    match store.resolve(query) {
        Ok(id) => Ok(id),
        Err(GraphError::UnknownEntity(_) | GraphError::Ambiguous { .. }) => {
            let entities = store.entity_names()?;
            Ok(Names::of(entities.iter()).resolve(query)?.id.clone())
        }
        Err(e) => Err(e.into()),
    }
}

/// `Name (Type, id)`: what the ambiguity message lists, accepted back as a query.
fn candidate(entity: &Entity) -> String {
    format!("{} ({}, {})", entity.name, entity.kind, entity.id.0)
}

/// The gazetteer's names of the country `query` names (*UK*, *U.S.*, *USA*, *Britain*),
/// tried as typed and in the capitalisation the gazetteer's case rules expect (`uk` →
/// `UK`; the rules keep lower-case `us` and `in` from being countries in running text).
fn country_names(query: &str) -> Vec<String> {
    let gazetteer = kith_nlp::Gazetteer::builtin();
    let upper = query.to_uppercase();
    let title: String = query
        .split_whitespace()
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ");
    let Some(country) = [query, upper.as_str(), title.as_str()]
        .into_iter()
        .find_map(|q| gazetteer.lookup_country(q))
    else {
        return Vec::new();
    };
    let mut names = vec![country.name.clone(), country.official_name.clone()];
    names.extend(country.variants.iter().cloned());
    names
}
