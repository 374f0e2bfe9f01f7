//! The run-time index of the weight tables (POS heads, NER's fused passes, the parser's
//! action and relation tables) and of the word-cluster tables: key → a small value, by open addressing with linear probing on the
//! key's low bits (keys are already well-mixed hashes), at most half full, so that a lookup
//! touches one cache line and the lookups of one classifier call can be prefetched together
//! before any is read. The NER word-cluster tables (up to ~700k words, one lookup a token)
//! are built up to four fifths full instead: half the memory and a tenth less load time
//! for no measurable tagging cost (`examples/ner_speed.rs`: ~589k tokens/s either way). Key 0 marks an empty slot (a feature hashing to 0 is unknown:
//! probability 2^-64).
//!
//! Written here rather than taken from a hash-map crate because the callers need the
//! slot's address before the lookup (to prefetch it) and the value stored inline.

use super::prefetch;

#[derive(Clone, Debug, Default)]
pub(crate) struct Slots<V> {
    slots: Vec<(u64, V)>,
    mask: usize,
    /// Entries held.
    len: usize,
}

impl<V: Copy + Default> Slots<V> {
    /// The index of `len` entries (`len` sizes it: at most half full, at least 16 slots).
    pub fn build(len: usize, entries: impl Iterator<Item = (u64, V)>) -> Slots<V> {
        Slots::build_sized((len * 2).next_power_of_two().max(16), entries)
    }

    /// [`Slots::build`] at most four fifths full: for large tables that are looked up once
    /// a token, where half the memory is worth a probe or two more.
    pub fn build_packed(len: usize, entries: impl Iterator<Item = (u64, V)>) -> Slots<V> {
        Slots::build_sized((len + len / 4).next_power_of_two().max(16), entries)
    }

    fn build_sized(cap: usize, entries: impl Iterator<Item = (u64, V)>) -> Slots<V> {
        let mask = cap - 1;
        let mut slots = vec![(0u64, V::default()); cap];
        let mut held = 0;
        for (key, value) in entries.filter(|(key, _)| *key != 0) {
            let mut i = key as usize & mask;
            while slots[i].0 != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = (key, value);
            held += 1;
        }
        Slots {
            slots,
            mask,
            len: held,
        }
    }

    /// Entries held (`(key, value)` in slot order: callers that write them sort first).
    pub fn iter(&self) -> impl Iterator<Item = (u64, V)> + '_ {
        self.slots.iter().copied().filter(|(key, _)| *key != 0)
    }

    /// An empty index for at most `len` entries, filled with [`Slots::get_or_insert`]
    /// (the NER lexicon's trie, built at load without an intermediate hash map).
    pub fn with_capacity(len: usize) -> Slots<V> {
        let cap = (len * 2).next_power_of_two().max(16);
        Slots {
            slots: vec![(0u64, V::default()); cap],
            mask: cap - 1,
            len: 0,
        }
    }

    /// The value of `key`, inserted as `make()` if absent; `None` for key 0 (it marks an
    /// empty slot) or when the index is full (callers size it with [`Slots::with_capacity`]
    /// from an upper bound and turn `None` into an error: the keys come from input files).
    pub fn get_or_insert(&mut self, key: u64, make: impl FnOnce() -> V) -> Option<&mut V> {
        if key == 0 || self.slots.is_empty() {
            return None;
        }
        let mut i = key as usize & self.mask;
        let mut probes = 0;
        while self.slots[i].0 != key {
            if self.slots[i].0 == 0 {
                self.slots[i] = (key, make());
                self.len += 1;
                break;
            }
            probes += 1;
            if probes > self.mask {
                return None;
            }
            i = (i + 1) & self.mask;
        }
        Some(&mut self.slots[i].1)
    }

    /// No slots (a default, never built, index).
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Entries held.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Hints the CPU to fetch the slot where the probe for `key` starts.
    #[inline]
    pub fn prefetch(&self, key: u64) {
        prefetch(&self.slots[key as usize & self.mask]);
    }

    /// The value of `key`, if the index holds it.
    #[inline]
    pub fn get(&self, key: u64) -> Option<V> {
        let mut i = key as usize & self.mask;
        loop {
            let (k, v) = self.slots[i];
            if k == key && key != 0 {
                return Some(v);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }
}

impl Slots<u32> {
    /// Resolves `keys` to their values (`u32::MAX`: unknown) into `out`: every slot is
    /// prefetched first, then `fetch` is called on every found value (to prefetch what it
    /// points at, a weight row), so that the memory accesses of a whole classifier call or
    /// sentence overlap instead of stalling one by one. A never-built index resolves
    /// nothing.
    pub fn resolve(&self, keys: &[u64], out: &mut Vec<u32>, mut fetch: impl FnMut(u32)) {
        out.clear();
        if self.is_empty() {
            out.resize(keys.len(), u32::MAX);
            return;
        }
        for &k in keys {
            self.prefetch(k);
        }
        for &k in keys {
            let r = self.get(k).unwrap_or(u32::MAX);
            if r != u32::MAX {
                fetch(r);
            }
            out.push(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_or_insert_refuses_key_zero_and_a_full_index() {
        let mut s: Slots<u32> = Slots::with_capacity(2);
        assert!(s.get_or_insert(0, || 1).is_none());
        *s.get_or_insert(5, || 1).unwrap() += 10;
        assert_eq!(s.get(5), Some(11));
        assert_eq!(
            *s.get_or_insert(5, || 99).unwrap(),
            11,
            "present: make() not used"
        );
        // 16 slots (the minimum): 16 distinct keys fill it, the 17th is refused.
        for k in 6..21 {
            assert!(s.get_or_insert(k, || k as u32).is_some());
        }
        assert!(s.get_or_insert(100, || 0).is_none());
        assert_eq!(s.get(20), Some(20));
        assert!(
            Slots::<u32>::default().get_or_insert(1, || 0).is_none(),
            "never built"
        );
    }
}
