//! Majority voting over the spans of several NER models (a voting ensemble).
//!
//! Members that differ in their features (word clusters of other origins) or seeds make
//! different mistakes; a span that more than half of them give is kept. Unlike the seed
//! ensemble (`[ner] ensemble`), which averages weights of one feature set into one table,
//! voting combines whole taggers, each decoded on its own, at the cost of running each.

use super::labels::TYPES;
use super::NerSpan;
use std::collections::BTreeMap;

/// The spans that more than half of `members` (each member's spans of the same tokens)
/// give with the same boundaries and type. Overlapping winners are resolved by votes, then
/// by position (earlier start, then shorter), so the result does not depend on anything
/// but the members' spans. Confidence: the members' confidences for that span summed and
/// divided by the number of members (a member without the span counts 0). Sorted by start.
pub(crate) fn majority(members: &[Vec<NerSpan>]) -> Vec<NerSpan> {
    let n = members.len();
    // (start, end, type index) → (votes, confidence sum)
    let mut tally: BTreeMap<(usize, usize, usize), (usize, f32)> = BTreeMap::new();
    for spans in members {
        for &(s, e, kind, conf) in spans {
            let t = TYPES.iter().position(|&k| k == kind).unwrap_or(usize::MAX);
            let entry = tally.entry((s, e, t)).or_insert((0, 0.0));
            entry.0 += 1;
            entry.1 += conf;
        }
    }
    let mut winners: Vec<((usize, usize, usize), (usize, f32))> = tally
        .into_iter()
        .filter(|(_, (votes, _))| votes * 2 > n)
        .collect();
    // Stable sort: equal votes keep the key order (start, end, type).
    winners.sort_by_key(|(_, (votes, _))| std::cmp::Reverse(*votes));
    // Tokens already in a kept span (linear in the tokens covered, not in spans squared).
    let mut taken = vec![false; winners.iter().map(|((_, e, _), _)| *e).max().unwrap_or(0)];
    let mut kept: Vec<NerSpan> = Vec::new();
    for ((s, e, t), (_, conf)) in winners {
        let Some(&kind) = TYPES.get(t) else { continue };
        if s >= e || taken[s..e].iter().any(|&x| x) {
            continue;
        }
        taken[s..e].fill(true);
        kept.push((s, e, kind, conf / n as f32));
    }
    kept.sort_by_key(|&(s, e, _, _)| (s, e));
    kept
}
