//! Word clusters as the POS tagger and the parser read them.

use crate::model::format::{Reader, Writer};
use crate::model::{fhash, KeyMap, ModelError, Slots};
use std::path::Path;

/// Word clusters: word → (c64, c256, c1024), looked up by exact form, then lower case,
/// then title case.
#[derive(Clone, Debug, Default)]
pub struct Clusters {
    /// fhash(word) → c64 << 40 | c256 << 30 | c1024 << 20 | vector row. [`Slots`], so that
    /// a sentence's lookups can be prefetched together (a 470k-word table misses the cache).
    map: Slots<u64>,
}

impl Clusters {
    /// Reads `word<TAB>c64<TAB>c256<TAB>c1024<TAB>row` lines (`data/clusters/clusters.tsv`).
    pub fn from_tsv(path: &Path) -> Result<Clusters, ModelError> {
        let text = std::fs::read_to_string(path).map_err(|source| ModelError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut map = KeyMap::default();
        for (n, line) in text.lines().enumerate() {
            let cols: Vec<&str> = line.split('\t').collect();
            let bad = || ModelError::Corrupt {
                path: path.to_path_buf(),
                message: format!("line {}: expected word and three cluster ids", n + 1),
            };
            if cols.len() < 5 {
                return Err(bad());
            }
            let c: Vec<u64> = cols[1..5]
                .iter()
                .map(|c| c.parse::<u64>())
                .collect::<Result<_, _>>()
                .map_err(|_| bad())?;
            if c[0] >= 1024 || c[1] >= 1024 || c[2] >= 1024 || c[3] >= 1 << 20 {
                return Err(bad());
            }
            map.insert(fhash(cols[0]), c[0] << 40 | c[1] << 30 | c[2] << 20 | c[3]);
        }
        let mut entries: Vec<(u64, u64)> = map.into_iter().collect();
        entries.sort_unstable();
        Ok(Clusters::from_entries(entries))
    }

    fn from_entries(entries: Vec<(u64, u64)>) -> Clusters {
        Clusters {
            map: Slots::build(entries.len(), entries.into_iter()),
        }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.len() == 0
    }

    /// Hints the CPU to fetch where the lookup of a word with this `fhash` starts.
    #[inline]
    pub(crate) fn prefetch(&self, word_hash: u64) {
        if !self.map.is_empty() {
            self.map.prefetch(word_hash);
        }
    }

    /// The packed clusters of a word (as written, else lower-cased, else title-cased), or
    /// `None`. `word_hash` is `fhash(word)`.
    pub(crate) fn get_hashed(&self, word: &str, word_hash: u64) -> Option<u64> {
        if self.map.is_empty() {
            return None;
        }
        if let Some(c) = self.map.get(word_hash) {
            return Some(c);
        }
        let lower = word.to_lowercase();
        if lower != word {
            if let Some(c) = self.map.get(fhash(&lower)) {
                return Some(c);
            }
        }
        let mut chars = lower.chars();
        let title: String = chars
            .next()
            .map(|f| f.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        if title != word {
            return self.map.get(fhash(&title));
        }
        None
    }

    /// The packed clusters of a word, or `None`.
    pub fn get(&self, word: &str) -> Option<u64> {
        self.get_hashed(word, fhash(word))
    }

    pub(crate) fn write_to(&self, w: &mut Writer) {
        let mut entries: Vec<(u64, u64)> = self.map.iter().collect();
        entries.sort_unstable();
        w.u32(entries.len() as u32);
        for (k, _) in &entries {
            w.u64(*k);
        }
        for (_, v) in &entries {
            w.u64(*v);
        }
    }

    pub(crate) fn read_from(r: &mut Reader<'_>) -> Result<Clusters, ModelError> {
        let n = r.u32()? as usize;
        r.need(n.saturating_mul(16))?;
        let mut keys = Vec::with_capacity(n);
        for _ in 0..n {
            keys.push(r.u64()?);
        }
        let mut entries = Vec::with_capacity(n);
        for k in keys {
            entries.push((k, r.u64()?));
        }
        Ok(Clusters::from_entries(entries))
    }
}
