//! Qualified roles split per qualifier ("the foreign ministers of India and Pakistan") and group mentions split per member, with their relations copied.

use super::*;

/// Names each qualified role after its qualifier and splits a role qualified by several
/// coordinated names into one span per name, and a group mention ([`crate::Group`]: "both
/// countries") into one span per member (same tokens, next to each other in
/// `doc.entities`), copying every relation of the span onto each copy except the
/// `position-of` relations, which go to their own qualifier only. A role qualified by a
/// group ("the foreign ministers of both countries") is one role per member.
pub(super) fn split_roles(doc: &mut Doc, qualifiers: &[Vec<usize>]) {
    // The members of each group span.
    let mut members: Vec<Vec<(EntityType, String)>> = vec![Vec::new(); doc.entities.len()];
    for group in &doc.groups {
        let i = doc
            .entities
            .partition_point(|e| e.tokens.start < group.tokens.start);
        if doc
            .entities
            .get(i)
            .is_some_and(|e| e.tokens == group.tokens)
        {
            members[i] = group.members.clone();
        }
    }
    if qualifiers.iter().all(Vec::is_empty) && members.iter().all(Vec::is_empty) {
        return;
    }
    let copies_of = span_copies(doc, qualifiers, &members);
    // New index of each old entity and of each of its copies.
    let mut copies: Vec<Vec<usize>> = Vec::with_capacity(doc.entities.len());
    let mut qualified_by: Vec<Option<(usize, usize)>> = Vec::with_capacity(doc.entities.len());
    let mut entities = Vec::with_capacity(doc.entities.len());
    for (old, span) in std::mem::take(&mut doc.entities).into_iter().enumerate() {
        if copies_of[old].is_empty() {
            copies.push(vec![entities.len()]);
            qualified_by.push(None);
            entities.push(span);
            continue;
        }
        let mut at = Vec::new();
        for (kind, name, qualifier) in &copies_of[old] {
            at.push(entities.len());
            qualified_by.push(*qualifier);
            entities.push(EntitySpan {
                kind: *kind,
                canonical: Some(name.clone()),
                ..span.clone()
            });
        }
        copies.push(at);
    }
    let mut relations = Vec::with_capacity(doc.relations.len());
    for r in std::mem::take(&mut doc.relations) {
        if r.predicate == "position-of" {
            // Each copy of the role with the copy of the qualifier it is named after.
            for &s in &copies[r.subject] {
                if let Some((q, k)) = qualified_by[s].filter(|(q, _)| *q == r.object) {
                    let o = copies[q].get(k).copied().unwrap_or(copies[q][0]);
                    relations.push(RelationSpan {
                        subject: s,
                        object: o,
                        ..r.clone()
                    });
                }
            }
            continue;
        }
        for &s in &copies[r.subject] {
            for &o in &copies[r.object] {
                relations.push(RelationSpan {
                    subject: s,
                    object: o,
                    ..r.clone()
                });
            }
        }
    }
    doc.entities = entities;
    doc.relations = relations;
}

/// One copy of a span that [`split_roles`] splits: its type, its name, and for a role the
/// qualifier it is named after with which member of that qualifier (0 unless a group).
type SpanCopy = (EntityType, String, Option<(usize, usize)>);

/// The copies each span is split into (none: the span stays as it is): a group span gives
/// one per member; a role one per qualifier, and one per member of a group qualifier.
pub(super) fn span_copies(
    doc: &Doc,
    qualifiers: &[Vec<usize>],
    members: &[Vec<(EntityType, String)>],
) -> Vec<Vec<SpanCopy>> {
    (0..doc.entities.len())
        .map(|i| {
            let span = &doc.entities[i];
            if !members[i].is_empty() {
                return members[i]
                    .iter()
                    .map(|(kind, name)| (*kind, name.clone(), None))
                    .collect();
            }
            let role = mentions::name_of(doc, span);
            let mut out = Vec::new();
            for &q in &qualifiers[i] {
                if members[q].is_empty() {
                    out.push((
                        span.kind,
                        mentions::qualified_role_name(
                            &role,
                            &mentions::name_of(doc, &doc.entities[q]),
                        ),
                        Some((q, 0)),
                    ));
                } else {
                    for (k, (_, name)) in members[q].iter().enumerate() {
                        out.push((
                            span.kind,
                            mentions::qualified_role_name(&role, name),
                            Some((q, k)),
                        ));
                    }
                }
            }
            out
        })
        .collect()
}
