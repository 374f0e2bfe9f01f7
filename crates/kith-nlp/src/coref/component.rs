//! The coreference pipeline component.

use super::names::{acronyms, partial_names};
use super::relatives::relative_pronouns;
use super::sweep::titles_and_pronouns;
use crate::{Component, Doc};
use kith_schema::ResolvedBy;

/// The coreference pipeline component (name `coref`): links partial names, acronyms,
/// titles, descriptions and pronouns to the entities the document names, and fills
/// [`Doc::coref`] and [`Doc::groups`]. It runs after the taggers and before the relation
/// components, so that "He met X" gives a relation for the person "he" refers to.
pub struct Coreference;

impl Component for Coreference {
    fn name(&self) -> &'static str {
        "coref"
    }

    fn process(&self, doc: &mut Doc) {
        partial_names(doc);
        acronyms(doc);
        let (added, chains, groups) = titles_and_pronouns(doc);
        doc.add_entities(added);
        let relatives = relative_pronouns(doc);
        doc.add_entities(relatives);
        doc.coref = chains;
        // A group whose span did not make it (overlapping an earlier one) is no mention.
        doc.groups = groups
            .into_iter()
            .filter(|g| {
                let i = doc
                    .entities
                    .partition_point(|e| e.tokens.start < g.tokens.start);
                doc.entities.get(i).is_some_and(|e| {
                    e.tokens == g.tokens && e.resolved_by == Some(ResolvedBy::Title)
                })
            })
            .collect();
    }
}
