//! One classifier of the POS model (labels, weights, tag dictionary) and its run-time
//! scoring.

use crate::model::{prefetch_lines, KeyMap, Slots, Weights};

/// One classifier: labels, weights and tag dictionary.
#[derive(Clone, Debug)]
pub(super) struct Head {
    pub labels: Vec<String>,
    pub weights: Weights,
    /// fhash(word) → label.
    pub dict: KeyMap<u16>,
    /// Key → row of an `I16` table with at most [`MAX_FUSED`] labels (scored here with a
    /// stack accumulator; empty otherwise, and [`Weights::scores`] is used). [`Slots`],
    /// so that a sentence's lookups can be prefetched before any is read.
    index: Slots<u32>,
}

/// Widest label set scored with the stack accumulator (joint POS labels: 76 on GUM).
const MAX_FUSED: usize = 128;

impl Head {
    pub fn new(labels: Vec<String>, weights: Weights, dict: KeyMap<u16>) -> Head {
        let index = if weights.quantised().is_some() && weights.n_classes() <= MAX_FUSED {
            Slots::build(
                weights.len(),
                weights
                    .keys()
                    .iter()
                    .enumerate()
                    .map(|(i, &k)| (k, i as u32)),
            )
        } else {
            Slots::default()
        };
        Head {
            labels,
            weights,
            dict,
            index,
        }
    }

    /// Resolves `keys` to rows (`u32::MAX`: unknown) into `out`, every slot and then every
    /// found row prefetched first ([`Slots::resolve`]): tagging is bound by these cache
    /// misses. `None` when the head has no row index (f32 weights during training).
    pub fn resolve(&self, keys: &[u64], out: &mut Vec<u32>) -> Option<()> {
        let (q, _) = self
            .weights
            .quantised()
            .filter(|_| !self.index.is_empty())?;
        let n = self.weights.n_classes();
        self.index.resolve(keys, out, |r| {
            prefetch_lines(&q[r as usize * n..(r as usize + 1) * n])
        });
        Some(())
    }

    /// Scores of every label from resolved static `rows` and the dynamic `feats` (looked
    /// up here), as [`Weights::scores`] would give for both key lists together.
    #[inline]
    pub fn scores_resolved(&self, rows: &[u32], feats: &[u64], out: &mut [f32]) {
        let (q, scale) = self
            .weights
            .quantised()
            .expect("resolve succeeded: quantised weights");
        let n = self.weights.n_classes();
        let mut acc = [0i32; MAX_FUSED];
        let acc = &mut acc[..n];
        let found = feats.iter().filter_map(|k| self.index.get(*k));
        for row in rows.iter().copied().filter(|&r| r != u32::MAX).chain(found) {
            let row = &q[row as usize * n..row as usize * n + n];
            for (a, w) in acc.iter_mut().zip(row) {
                *a += *w as i32;
            }
        }
        for (o, a) in out.iter_mut().zip(acc.iter()) {
            *o = *a as f32 * scale;
        }
    }
}
