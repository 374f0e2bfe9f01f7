//! Linear models and model files shared by the statistical models (POS tagger, parser,
//! NER).
//!
//! * [`FeatureHasher`] / [`fhash`]: features are never strings at tagging time. A feature
//!   is a template id plus parts, hashed incrementally into a `u64` key. The hash is
//!   defined here (not taken from a crate) because model files store the keys: it must
//!   never change under a dependency upgrade. Changing it means bumping
//!   [`format::FORMAT_VERSION`].
//! * [`Perceptron`]: a multi-class averaged perceptron for training (lazy averaging with
//!   timestamps), frozen into a [`Weights`] table for tagging.
//! * [`format`]: the versioned binary model file (`KITHMODL`); [`SavedModel`]: what every
//!   model kept in one shares (kind, sections, bytes, checked load).
//! * [`WordClusters`]: the word-cluster table the POS tagger, the parser and the NER model
//!   read.
//! * [`Rng`]: a tiny seeded PRNG (SplitMix64) for deterministic shuffling.
//! * `Slots`: the open-addressing index the run-time weight tables share.

mod clusters;
pub(crate) mod format;
mod perceptron;
mod saved;
mod slots;

pub use clusters::{ClusterEncoding, ClusterStyle, WordClusters, NO_CLUSTER};
pub use format::{ModelError, ModelFile, ModelView};
pub use perceptron::{Perceptron, WeightSum, Weights, WeightsKind};
pub(crate) use saved::saved_model_methods;
pub use saved::SavedModel;
pub(crate) use slots::Slots;

/// Hints the CPU to fetch the cache line of `x` (no effect on other targets).
#[inline(always)]
pub(crate) fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint; it never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
            x as *const T as *const i8,
        )
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// Hints the CPU to fetch every cache line of `row` (a weight row spans several).
#[inline(always)]
pub(crate) fn prefetch_lines<T>(row: &[T]) {
    let step = (64 / std::mem::size_of::<T>().max(1)).max(1);
    for x in row.iter().step_by(step) {
        prefetch(x);
    }
    if let Some(last) = row.last() {
        prefetch(last);
    }
}

/// The index of the highest score (the first, on ties).
pub fn argmax(scores: &[f32]) -> usize {
    let mut best = 0;
    for (i, score) in scores.iter().enumerate().skip(1) {
        if *score > scores[best] {
            best = i;
        }
    }
    best
}

use std::hash::{BuildHasherDefault, Hasher};

/// Multiplier of the FxHash family, with a final avalanche (SplitMix64 finaliser) so that
/// keys spread well when used directly as hash-map keys.
const K: u64 = 0xf135_7aea_2e62_a9c5;

/// Incremental hasher of one feature: `FeatureHasher::new(TEMPLATE).str(word).finish()`.
///
/// Stable across platforms and releases (see the module docs).
#[derive(Clone, Copy, Debug)]
pub struct FeatureHasher {
    h: u64,
}

impl FeatureHasher {
    /// Starts the key of a feature of template `template`.
    #[inline]
    pub fn new(template: u32) -> FeatureHasher {
        FeatureHasher {
            h: (template as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15),
        }
    }

    #[inline]
    fn add(&mut self, x: u64) {
        self.h = (self.h.rotate_left(26) ^ x).wrapping_mul(K);
    }

    /// Adds an integer part (a label id, a cluster id, a flag, an already-hashed value).
    #[inline]
    pub fn int(mut self, x: u64) -> FeatureHasher {
        self.add(x);
        self
    }

    /// Adds a string part (its length too, so `("ab","c")` differs from `("a","bc")`).
    #[inline]
    pub fn str(mut self, s: &str) -> FeatureHasher {
        self.bytes(s.as_bytes());
        self
    }

    #[inline]
    fn bytes(&mut self, mut b: &[u8]) {
        self.add(b.len() as u64);
        while b.len() >= 8 {
            self.add(u64::from_le_bytes([
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
            ]));
            b = &b[8..];
        }
        if !b.is_empty() {
            let mut last = [0u8; 8];
            last[..b.len()].copy_from_slice(b);
            self.add(u64::from_le_bytes(last));
        }
    }

    /// The key.
    #[inline]
    pub fn finish(self) -> u64 {
        let mut z = self.h;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// The hash of a string on its own, used as a pre-hashed part (`int(fhash(word))`).
#[inline]
pub fn fhash(s: &str) -> u64 {
    FeatureHasher::new(u32::MAX).str(s).finish()
}

/// Feature keys are already well-mixed hashes: the hash map uses them as they are.
#[derive(Default, Clone, Copy)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ b as u64;
        }
    }
    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A `HashMap` keyed by feature keys.
pub type KeyMap<V> = std::collections::HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

/// SplitMix64: small, fast, stable seeded PRNG for shuffling training data.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`: equal seeds give equal streams.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next number of the stream.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Fisher–Yates.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable_and_distinguish_parts() {
        let a = FeatureHasher::new(1).str("ab").str("c").finish();
        let b = FeatureHasher::new(1).str("a").str("bc").finish();
        let c = FeatureHasher::new(2).str("ab").str("c").finish();
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, FeatureHasher::new(1).str("ab").str("c").finish());
        // Pinned value: model files depend on it.
        assert_eq!(fhash("Rubio"), 12450158598641460303);
        assert_ne!(fhash("Rubio"), fhash("rubio"));
    }

    #[test]
    fn rng_is_seeded() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let mut x: Vec<u32> = (0..50).collect();
        let mut y = x.clone();
        a.shuffle(&mut x);
        b.shuffle(&mut y);
        assert_eq!(x, y);
        assert_ne!(x, (0..50).collect::<Vec<_>>());
    }
}
