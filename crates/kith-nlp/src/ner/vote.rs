//! Majority voting over the spans of several NER models (a voting ensemble).
//!
//! Members that differ in their features (word clusters of other origins) or seeds make
//! different mistakes; a span that more than half of them give is kept. Unlike the seed
//! ensemble (`[ner] ensemble`), which averages weights of one feature set into one table,
//! voting combines whole taggers, each decoded on its own, at the cost of running each.

use super::labels::{type_of, TYPES};
use crate::doc::NerSpan;
use std::collections::BTreeMap;

/// The spans that more than half of `members` (each member's spans of the same tokens,
/// never overlapping within a member) give with the same boundaries and type, sorted by
/// start. Kept spans never overlap: two spans with a majority each would share a member,
/// whose own spans do not overlap. Confidence: the members' confidences for the span
/// summed and divided by the number of members (a member without the span counts 0).
pub(crate) fn majority(members: &[Vec<NerSpan>]) -> Vec<NerSpan> {
    // (start, end, type index) → (votes, confidence sum); the map's order is the output's.
    let mut tally: BTreeMap<(usize, usize, usize), (usize, f32)> = BTreeMap::new();
    for spans in members {
        for &(s, e, kind, conf) in spans {
            let Some(t) = type_of(kind) else { continue };
            let entry = tally.entry((s, e, t)).or_insert((0, 0.0));
            entry.0 += 1;
            entry.1 += conf;
        }
    }
    let n = members.len();
    tally
        .into_iter()
        .filter(|(_, (votes, _))| votes * 2 > n)
        .map(|((s, e, t), (_, conf))| (s, e, TYPES[t], conf / n as f32))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kith_schema::EntityType::{Location as Loc, Organization as Org, Person as Per};

    #[test]
    fn keeps_the_spans_most_members_give() {
        let a = vec![(0, 2, Per, 0.9), (3, 4, Loc, 0.6), (6, 7, Org, 0.3)];
        let b = vec![(0, 2, Per, 0.6), (3, 4, Org, 0.8)];
        let c = vec![(0, 1, Per, 0.5), (3, 4, Loc, 0.9), (6, 7, Org, 0.6)];
        let kept = majority(&[a.clone(), b.clone(), c]);
        let expected = [(0, 2, Per, 0.5), (3, 4, Loc, 0.5), (6, 7, Org, 0.3)];
        assert_eq!(kept.len(), expected.len(), "{kept:?}");
        for (k, x) in kept.iter().zip(expected) {
            assert_eq!((k.0, k.1, k.2), (x.0, x.1, x.2));
            assert!((k.3 - x.3).abs() < 1e-6, "{kept:?}");
        }
        // Two members: both must agree (half is no majority).
        assert_eq!(
            majority(&[a.clone(), b])
                .iter()
                .map(|s| (s.0, s.1, s.2))
                .collect::<Vec<_>>(),
            [(0, 2, Per)]
        );
        // One member: its own spans.
        assert_eq!(majority(std::slice::from_ref(&a)), a);
        assert!(majority(&[]).is_empty());
    }

    #[test]
    fn the_order_of_the_members_does_not_matter() {
        let a = vec![(0, 2, Per, 0.25), (5, 6, Loc, 0.5)];
        let b = vec![(0, 2, Per, 0.5), (4, 6, Loc, 0.5)];
        let c = vec![(1, 2, Per, 0.5), (4, 6, Loc, 0.75)];
        let one = majority(&[a.clone(), b.clone(), c.clone()]);
        assert_eq!(one, majority(&[c, a, b]));
        assert_eq!(one, [(0, 2, Per, 0.25), (4, 6, Loc, 0.41666666)]);
    }
}
