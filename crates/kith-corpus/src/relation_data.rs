//! Gold relation facts aligned with an analysed document: labelled candidate pairs for
//! training the relation model, and the document's relations as facts for scoring.
//!
//! A candidate pair (subject mention, object mention) takes the label of a gold fact
//! whose subject span overlaps the subject mention and whose object span overlaps the
//! object mention; other pairs are "no relation".

use crate::knowledgenet::{overlaps, KnFact};
use kith_nlp::train::{allowed_classes, candidates_where, Example, RelationLabel};
use kith_nlp::{Doc, RelationSpan};
use kith_schema::Polarity;

/// The labelled candidate pairs of an analysed document whose types some label takes:
/// class `k + 1` for a pair that a gold fact with predicate `labels[k]` joins, 0 otherwise. Gold facts whose predicate is
/// not among the labels are ignored (their pairs are negatives). A pair that no gold fact
/// joins but an `unlabelled` one does is left out: it is neither.
pub fn labelled_examples(
    doc: &Doc,
    gold: &[KnFact],
    unlabelled: &[KnFact],
    labels: &[RelationLabel],
) -> Vec<Example> {
    let takes = |s, o| labels.iter().any(|l: &RelationLabel| l.fits(s, o));
    candidates_where(doc, takes)
        .into_iter()
        .filter_map(|c| {
            let (s, o) = (&doc.entities[c.subject], &doc.entities[c.object]);
            let allowed = allowed_classes(labels, s.kind, o.kind);
            if allowed.len() == 1 {
                return None;
            }
            let gold = gold
                .iter()
                .filter(|g| overlaps(&g.subject, &(s.start..s.end)))
                .filter(|g| overlaps(&g.object, &(o.start..o.end)))
                .find_map(|g| labels.iter().position(|l| l.predicate == g.predicate))
                .map_or(0, |k| k + 1);
            let unknown = || {
                unlabelled.iter().any(|g| {
                    overlaps(&g.subject, &(s.start..s.end))
                        && overlaps(&g.object, &(o.start..o.end))
                })
            };
            if gold == 0 && unknown() {
                return None;
            }
            // A gold fact between mentions of types the predicate does not take (a
            // tagging error) teaches nothing the model may predict.
            let gold = if allowed.contains(&gold) { gold } else { 0 };
            Some(Example {
                features: c.features,
                gold,
                allowed,
            })
        })
        .collect()
}

/// Relations as facts with byte spans; negated relations are not claims and are left out.
///
/// A relation joins two entities, not two strings: it counts for every pair of their
/// mentions in its sentence (a pronoun or a repeated name resolved to the same entity),
/// as the graph would hold it. KnowledgeNet and re3d annotate each such mention pair.
pub fn relations_as_facts(doc: &Doc, relations: &[RelationSpan]) -> Vec<KnFact> {
    let key = |m: usize| {
        let e = &doc.entities[m];
        let name = e
            .canonical
            .clone()
            .unwrap_or_else(|| doc.span_text(e).to_string());
        (e.kind, name.to_lowercase())
    };
    let in_sentence = |m: usize, sentence: usize| {
        let s = &doc.sentences[sentence];
        s.tokens.contains(&doc.entities[m].tokens.start)
    };
    let mut out: Vec<KnFact> = Vec::new();
    for r in relations.iter().filter(|r| r.polarity != Polarity::Negated) {
        let same = |m: usize| -> Vec<usize> {
            let k = key(m);
            (0..doc.entities.len())
                .filter(|&n| n == m || (in_sentence(n, r.sentence) && key(n) == k))
                .collect()
        };
        for s in same(r.subject) {
            for o in same(r.object) {
                let (a, b) = (&doc.entities[s], &doc.entities[o]);
                if s == o || (a.start < b.end && b.start < a.end) {
                    continue;
                }
                let fact = KnFact {
                    predicate: r.predicate.clone(),
                    subject: a.start..a.end,
                    object: b.start..b.end,
                };
                if !out.contains(&fact) {
                    out.push(fact);
                }
            }
        }
    }
    out
}
