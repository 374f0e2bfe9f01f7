//! Scores of entity clusters across documents: B-cubed and pairwise precision, recall and
//! F1 over *items*, an item being one gold entity as one document knows it (its mentions
//! there); plus the gold entities split over several system nodes and the system nodes
//! that join different gold entities.
//!
//! Items rather than mentions, so that what is scored is the linking of documents:
//! within-document coreference (scored by `kith eval coref`) decides nothing here but
//! which node an item's mentions mostly went to.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Precision, recall and F1, in percent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct ClusterPrf {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
}

impl ClusterPrf {
    fn of(precision: f64, recall: f64) -> ClusterPrf {
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        ClusterPrf {
            precision: 100.0 * precision,
            recall: 100.0 * recall,
            f1: 100.0 * f1,
        }
    }
}

/// Scores of one clustering of items against gold.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ClusterScores {
    /// Items scored.
    pub items: usize,
    /// Gold entities among them.
    pub gold_entities: usize,
    /// System nodes among them.
    pub nodes: usize,
    /// B-cubed.
    pub b_cubed: ClusterPrf,
    /// Pairwise: pairs of items in one node against pairs in one gold entity.
    pub pairwise: ClusterPrf,
    /// Gold entities whose items lie in more than one node.
    pub split_gold: usize,
    /// Nodes holding items of more than one gold entity.
    pub mixed_nodes: usize,
}

/// Scores items given as (gold entity, system node) pairs; the order does not matter.
pub fn score_clusters<G: Ord, S: Ord>(items: &[(G, S)]) -> ClusterScores {
    let mut gold: BTreeMap<&G, BTreeMap<&S, usize>> = BTreeMap::new();
    let mut system: BTreeMap<&S, BTreeMap<&G, usize>> = BTreeMap::new();
    for (g, s) in items {
        *gold.entry(g).or_default().entry(s).or_default() += 1;
        *system.entry(s).or_default().entry(g).or_default() += 1;
    }
    let n = items.len() as f64;
    let (mut precision, mut recall) = (0.0, 0.0);
    for (g, s) in items {
        let overlap = gold[g][s] as f64;
        precision += overlap / system[s].values().sum::<usize>() as f64;
        recall += overlap / gold[g].values().sum::<usize>() as f64;
    }
    let pairs = |count: usize| (count * count.saturating_sub(1) / 2) as f64;
    let correct: f64 = gold
        .values()
        .flat_map(|nodes| nodes.values())
        .map(|&c| pairs(c))
        .sum();
    let gold_pairs: f64 = gold.values().map(|m| pairs(m.values().sum())).sum();
    let system_pairs: f64 = system.values().map(|m| pairs(m.values().sum())).sum();
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 1.0 };
    ClusterScores {
        items: items.len(),
        gold_entities: gold.len(),
        nodes: system.len(),
        b_cubed: if items.is_empty() {
            ClusterPrf::default()
        } else {
            ClusterPrf::of(precision / n, recall / n)
        },
        pairwise: ClusterPrf::of(ratio(correct, system_pairs), ratio(correct, gold_pairs)),
        split_gold: gold.values().filter(|m| m.len() > 1).count(),
        mixed_nodes: system.values().filter(|m| m.len() > 1).count(),
    }
}

/// The gold entities split over several nodes (gold → its nodes) and the nodes mixing
/// gold entities (node → its gold entities), for error listings.
pub fn cluster_errors<G: Ord + Clone, S: Ord + Clone>(
    items: &[(G, S)],
) -> (BTreeMap<G, BTreeSet<S>>, BTreeMap<S, BTreeSet<G>>) {
    let mut gold: BTreeMap<G, BTreeSet<S>> = BTreeMap::new();
    let mut system: BTreeMap<S, BTreeSet<G>> = BTreeMap::new();
    for (g, s) in items {
        gold.entry(g.clone()).or_default().insert(s.clone());
        system.entry(s.clone()).or_default().insert(g.clone());
    }
    gold.retain(|_, s| s.len() > 1);
    system.retain(|_, g| g.len() > 1);
    (gold, system)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_clustering_scores_100() {
        let items = [("a", 1), ("a", 1), ("b", 2)];
        let s = score_clusters(&items);
        assert_eq!(s.b_cubed.f1, 100.0);
        assert_eq!(s.pairwise.f1, 100.0);
        assert_eq!((s.split_gold, s.mixed_nodes), (0, 0));
    }

    #[test]
    fn b_cubed_and_pairwise_by_hand() {
        // Gold {1,2,3} {4}; system {1,2} {3,4}.
        let items = [("a", "x"), ("a", "x"), ("a", "y"), ("b", "y")];
        let s = score_clusters(&items);
        // Precision: 1, 1, 1/2, 1/2 → 3/4. Recall: 2/3, 2/3, 1/3, 1 → 2/3.
        assert!((s.b_cubed.precision - 75.0).abs() < 1e-9);
        assert!((s.b_cubed.recall - 200.0 / 3.0).abs() < 1e-9);
        // Pairs: system 2, gold 3, correct 1.
        assert!((s.pairwise.precision - 50.0).abs() < 1e-9);
        assert!((s.pairwise.recall - 100.0 / 3.0).abs() < 1e-9);
        assert_eq!((s.split_gold, s.mixed_nodes), (1, 1));
        let (split, mixed) = cluster_errors(&items);
        assert_eq!(split["a"].len(), 2);
        assert_eq!(mixed["y"].len(), 2);
    }
}
