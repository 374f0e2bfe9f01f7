//! Run-time weight tables of the parser, built at load from the file's [`Weights`].
//!
//! Parsing is bound by memory latency: each transition looks up ~170 hashed features in
//! tables of a million rows, and nearly every lookup misses the cache. Here the lookups of
//! one classifier call are resolved together: every slot is prefetched first, then read,
//! so the misses overlap instead of queueing one after another.
//!
//! * [`ActionTable`]: the 3 action weights live inside the slot (`key`, 3 × `i16`): one
//!   cache line per feature.
//! * [`RowTable`]: slots hold `(key, row)`; the row's weights are prefetched once found.
//!
//! Both index their keys with [`Slots`] (open addressing, at most half full).

use crate::model::{prefetch_lines, Slots, Weights};

/// Key → 3 action weights, stored in the slot.
#[derive(Clone, Debug, Default)]
pub struct ActionTable {
    slots: Slots<[i16; 3]>,
    scale: f32,
}

impl ActionTable {
    pub fn build(w: &Weights) -> ActionTable {
        assert_eq!(w.n_classes(), 3, "action tables have 3 classes");
        let (q, scale) = w.as_i16();
        let rows = w
            .keys()
            .iter()
            .enumerate()
            .map(|(r, &key)| (key, [q[r * 3], q[r * 3 + 1], q[r * 3 + 2]]));
        ActionTable {
            slots: Slots::build(w.len(), rows),
            scale,
        }
    }

    /// Scores of the 3 actions for `keys`.
    #[inline]
    pub fn scores(&self, keys: &[u64]) -> [f32; 3] {
        for &k in keys {
            self.slots.prefetch(k);
        }
        let mut acc = [0i32; 3];
        for w in keys.iter().filter_map(|&key| self.slots.get(key)) {
            acc[0] += w[0] as i32;
            acc[1] += w[1] as i32;
            acc[2] += w[2] as i32;
        }
        [
            acc[0] as f32 * self.scale,
            acc[1] as f32 * self.scale,
            acc[2] as f32 * self.scale,
        ]
    }
}

/// Key → row of `width` weights.
#[derive(Clone, Debug, Default)]
pub struct RowTable {
    slots: Slots<u32>,
    w: Vec<i16>,
    width: usize,
    scale: f32,
}

impl RowTable {
    pub fn build(w: &Weights) -> RowTable {
        let (q, scale) = w.as_i16();
        let slots = Slots::build(
            w.len(),
            w.keys().iter().enumerate().map(|(r, &key)| (key, r as u32)),
        );
        RowTable {
            slots,
            w: q.into_owned(),
            width: w.n_classes(),
            scale,
        }
    }

    /// Scores of every class for `keys` into `out` (len `width`); `rows` is scratch.
    pub fn scores(&self, keys: &[u64], rows: &mut Vec<u32>, out: &mut [f32]) {
        let row = |r: u32| &self.w[r as usize * self.width..(r as usize + 1) * self.width];
        self.slots.resolve(keys, rows, |r| prefetch_lines(row(r)));
        let mut acc = [0i32; 128];
        let wide = self.width > acc.len();
        let mut acc_vec = if wide {
            vec![0i32; self.width]
        } else {
            Vec::new()
        };
        let acc: &mut [i32] = if wide {
            &mut acc_vec
        } else {
            &mut acc[..self.width]
        };
        for &r in rows.iter().filter(|&&r| r != u32::MAX) {
            for (a, v) in acc.iter_mut().zip(row(r)) {
                *a += *v as i32;
            }
        }
        for (o, a) in out.iter_mut().zip(acc.iter()) {
            *o = *a as f32 * self.scale;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FeatureHasher, WeightsKind};

    /// The tables score exactly as the weight table they were built from (up to i16
    /// rounding, which `I16` tables already have).
    #[test]
    fn tables_score_like_weights() {
        let keys: Vec<u64> = {
            let mut k: Vec<u64> = (0..500u64)
                .map(|i| FeatureHasher::new(3).int(i).finish())
                .collect();
            k.sort_unstable();
            k
        };
        for n in [3usize, 51] {
            let values: Vec<f32> = (0..keys.len() * n)
                .map(|i| ((i * 7919) % 201) as f32 - 100.0)
                .collect();
            let w = Weights::from_parts(n, keys.clone(), values, WeightsKind::I16);
            let probe: Vec<u64> = keys
                .iter()
                .step_by(3)
                .copied()
                .chain([1, 2, 12345])
                .collect();
            let mut want = vec![0f32; n];
            w.scores(&probe, &mut want);
            let mut got = vec![0f32; n];
            if n == 3 {
                got.copy_from_slice(&ActionTable::build(&w).scores(&probe));
            } else {
                RowTable::build(&w).scores(&probe, &mut Vec::new(), &mut got);
            }
            for (a, b) in want.iter().zip(&got) {
                assert!((a - b).abs() <= 1e-3 * a.abs().max(1.0), "{a} {b}");
            }
        }
    }
}
