//! Distributional word clusters (`data/clusters/`): word → four ids (`c64`, `c256`,
//! `c1024` and the vector row), read from `word<TAB>c64<TAB>c256<TAB>c1024<TAB>row` files
//! and stored inside the model files that use them, so that a model file is
//! self-contained.
//!
//! One table type for the POS tagger, the parser and the NER model, with a
//! [`ClusterStyle`] saying how the file was read, how the ids are packed and how a word
//! missing as written is looked up: the shipped models were trained with those rules and
//! their files store those forms.

use super::format::{ModelError, Reader, Writer};
use super::{fhash, Slots};
use std::path::Path;

/// How a table reads its file, packs its ids and looks words up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClusterStyle {
    /// The POS tagger's and the parser's: every line is an entry (`#` is a word), a later
    /// line for a word replaces an earlier one, `c64`, `c256` and `c1024` are below 1024
    /// and rows below 2^20; a word missing as written is looked up lower-cased, then
    /// title-cased. Model files hold the ids packed in one `u64` (`ClusterEncoding::Packed`).
    #[default]
    Syntax,
    /// The NER model's: blank lines and lines starting with `#` are skipped, fields are
    /// trimmed, the first line of a word is kept and ids are below 65535; a word missing as
    /// written is looked up lower-cased. Model files hold four `u16`
    /// (`ClusterEncoding::U16`). The table is indexed up to four fifths full rather than
    /// half: it is large and looked up once a token.
    Ner,
}

/// How a model file section holds a table's ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClusterEncoding {
    /// `c64 << 40 | c256 << 30 | c1024 << 20 | row` in a `u64` (POS and parser section
    /// `clusters`); read as a [`ClusterStyle::Syntax`] table.
    Packed,
    /// Four `u16` (NER section `clusters16`); read as a [`ClusterStyle::Ner`] table.
    U16,
    /// Four `u32` (the older NER section `clusters`); read as a [`ClusterStyle::Ner`]
    /// table.
    U32,
}

/// The ids of a word missing from the table, where callers keep "none" in the ids
/// themselves (the NER features).
pub const NO_CLUSTER: [u32; 4] = [u32::MAX; 4];

impl ClusterStyle {
    /// The ids packed into one `u64` as the table stores them.
    #[inline]
    fn pack(self, ids: [u32; 4]) -> u64 {
        let [a, b, c, r] = ids.map(u64::from);
        match self {
            ClusterStyle::Syntax => a << 40 | b << 30 | c << 20 | r,
            ClusterStyle::Ner => a << 48 | b << 32 | c << 16 | r,
        }
    }

    #[inline]
    fn unpack(self, v: u64) -> [u32; 4] {
        match self {
            ClusterStyle::Syntax => [
                (v >> 40) as u32,
                ((v >> 30) & 1023) as u32,
                ((v >> 20) & 1023) as u32,
                (v & 0xF_FFFF) as u32,
            ],
            ClusterStyle::Ner => [
                (v >> 48) as u32,
                ((v >> 32) & 0xFFFF) as u32,
                ((v >> 16) & 0xFFFF) as u32,
                (v & 0xFFFF) as u32,
            ],
        }
    }

    /// Whether id `column` (0: `c64` .. 3: the row) may be `id`.
    fn fits(self, column: usize, id: u32) -> bool {
        match self {
            ClusterStyle::Syntax if column < 3 => id < 1024,
            ClusterStyle::Syntax => id < 1 << 20,
            ClusterStyle::Ner => id < u16::MAX as u32,
        }
    }
}

/// Word clusters: `fhash(word)` → `[c64, c256, c1024, row]`.
#[derive(Clone, Debug, Default)]
pub struct WordClusters {
    /// Key → the ids packed as [`ClusterStyle::pack`] does. [`Slots`], so that a
    /// sentence's lookups can be prefetched together (a 700k-word table misses the cache).
    index: Slots<u64>,
    style: ClusterStyle,
}

/// Equal tables have the same style and entries (the index is derived from them).
impl PartialEq for WordClusters {
    fn eq(&self, other: &Self) -> bool {
        self.style == other.style && self.entries() == other.entries()
    }
}

impl WordClusters {
    /// Reads a clusters TSV file (`word<TAB>c64<TAB>c256<TAB>c1024<TAB>row`) under the
    /// rules of `style`. A malformed line is an error naming the file and line.
    pub fn read_tsv(path: &Path, style: ClusterStyle) -> Result<WordClusters, ModelError> {
        let text = std::fs::read_to_string(path).map_err(|source| ModelError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut entries: Vec<(u64, u64)> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if style == ClusterStyle::Ner && (line.is_empty() || line.starts_with('#')) {
                continue;
            }
            let bad = |message: &str| ModelError::Corrupt {
                path: path.to_path_buf(),
                message: format!("line {}: {message}", n + 1),
            };
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() < 5 {
                return Err(bad(match style {
                    ClusterStyle::Syntax => "expected word and three cluster ids",
                    ClusterStyle::Ner => "expected word, c64, c256, c1024, row separated by tabs",
                }));
            }
            let mut ids = [0u32; 4];
            for (i, field) in fields[1..5].iter().enumerate() {
                let id = match style {
                    ClusterStyle::Syntax => field.parse::<u32>().ok(),
                    ClusterStyle::Ner => field.trim().parse::<u32>().ok(),
                };
                ids[i] = match id.filter(|&id| style.fits(i, id)) {
                    Some(id) => id,
                    None => {
                        return Err(bad(&match style {
                            ClusterStyle::Syntax => "expected word and three cluster ids".into(),
                            ClusterStyle::Ner => {
                                format!("`{field}` is not a cluster id (0..65534)")
                            }
                        }))
                    }
                };
            }
            entries.push((fhash(fields[0]), style.pack(ids)));
        }
        // A word given twice: the POS tagger and parser keep its last line, NER its first.
        if style == ClusterStyle::Syntax {
            entries.reverse();
        }
        entries.sort_by_key(|e| e.0);
        entries.dedup_by_key(|e| e.0);
        Ok(WordClusters::from_sorted(entries, style))
    }

    /// [`WordClusters::read_tsv`] in the POS tagger's and parser's style.
    pub fn from_tsv(path: &Path) -> Result<WordClusters, ModelError> {
        WordClusters::read_tsv(path, ClusterStyle::Syntax)
    }

    /// [`WordClusters::read_tsv`] in the NER model's style.
    pub fn load(path: &Path) -> Result<WordClusters, ModelError> {
        WordClusters::read_tsv(path, ClusterStyle::Ner)
    }

    /// The table of entries (key, packed ids) sorted by key.
    fn from_sorted(entries: Vec<(u64, u64)>, style: ClusterStyle) -> WordClusters {
        let n = entries.len();
        let index = match style {
            ClusterStyle::Syntax => Slots::build(n, entries.into_iter()),
            ClusterStyle::Ner => Slots::build_packed(n, entries.into_iter()),
        };
        WordClusters { index, style }
    }

    /// How the table was read.
    pub fn style(&self) -> ClusterStyle {
        self.style
    }

    /// Words in the table.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// No words.
    pub fn is_empty(&self) -> bool {
        self.index.len() == 0
    }

    /// The entries (key, packed ids) sorted by key: the order of the model file.
    fn entries(&self) -> Vec<(u64, u64)> {
        let mut entries: Vec<(u64, u64)> = self.index.iter().collect();
        entries.sort_unstable_by_key(|e| e.0);
        entries
    }

    /// The ids of `word` as its style looks it up, or `None`.
    pub fn get(&self, word: &str) -> Option<[u32; 4]> {
        self.get_hashed(word, fhash(word))
    }

    /// [`WordClusters::get`] with `word_key = fhash(word)` already computed.
    pub(crate) fn get_hashed(&self, word: &str, word_key: u64) -> Option<[u32; 4]> {
        if self.is_empty() {
            return None;
        }
        if let Some(v) = self.index.get(word_key) {
            return Some(self.style.unpack(v));
        }
        let lower = word.to_lowercase();
        if lower != word {
            if let Some(v) = self.index.get(fhash(&lower)) {
                return Some(self.style.unpack(v));
            }
        }
        if self.style == ClusterStyle::Syntax {
            let mut chars = lower.chars();
            let title: String = chars
                .next()
                .map(|f| f.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
            if title != word {
                return self.index.get(fhash(&title)).map(|v| self.style.unpack(v));
            }
        }
        None
    }

    /// The ids of the word with key `word_key`, else of its lower-case form (key
    /// `lower_key`), else [`NO_CLUSTER`]: the NER lookup, with both keys computed by the
    /// caller.
    #[inline]
    pub(crate) fn get_keys(&self, word_key: u64, lower_key: u64) -> [u32; 4] {
        if self.is_empty() {
            return NO_CLUSTER;
        }
        let hit = self.index.get(word_key).or_else(|| {
            if lower_key != word_key {
                self.index.get(lower_key)
            } else {
                None
            }
        });
        match hit {
            Some(v) => self.style.unpack(v),
            None => NO_CLUSTER,
        }
    }

    /// Hints the CPU to fetch where the lookup of `word_key` starts.
    #[inline]
    pub(crate) fn prefetch(&self, word_key: u64) {
        if !self.is_empty() {
            self.index.prefetch(word_key);
        }
    }

    /// Keeps only the entries whose ids `keep` accepts (e.g. ids that have weights).
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&[u32; 4]) -> bool) {
        let style = self.style;
        let entries = self
            .entries()
            .into_iter()
            .filter(|(_, v)| keep(&style.unpack(*v)))
            .collect();
        *self = WordClusters::from_sorted(entries, style);
    }

    /// Writes the table in its style's encoding: `n u32`, keys `u64 * n`, then the packed
    /// ids `u64 * n` ([`ClusterStyle::Syntax`]) or the ids `u16 * 4n`
    /// ([`ClusterStyle::Ner`]), little-endian, sorted by key.
    pub(crate) fn write_to(&self, out: &mut Writer) {
        let entries = self.entries();
        out.u32(entries.len() as u32);
        for (k, _) in &entries {
            out.u64(*k);
        }
        for (_, v) in &entries {
            match self.style {
                ClusterStyle::Syntax => out.u64(*v),
                ClusterStyle::Ner => {
                    for id in self.style.unpack(*v) {
                        out.u16(id as u16);
                    }
                }
            }
        }
    }

    /// Reads a table written in `encoding`. The NER encodings must hold sorted keys and ids
    /// below 65535.
    pub(crate) fn read_from(
        r: &mut Reader<'_>,
        encoding: ClusterEncoding,
    ) -> Result<WordClusters, ModelError> {
        let n = r.u32()? as usize;
        if encoding == ClusterEncoding::Packed {
            r.need(n.saturating_mul(16))?;
            let mut keys = Vec::with_capacity(n);
            for _ in 0..n {
                keys.push(r.u64()?);
            }
            let mut entries = Vec::with_capacity(n);
            for k in keys {
                entries.push((k, r.u64()?));
            }
            return Ok(WordClusters::from_sorted(entries, ClusterStyle::Syntax));
        }
        let width = if encoding == ClusterEncoding::U32 {
            4
        } else {
            2
        };
        r.need(n.saturating_mul(8 + 4 * width))?;
        let keys: Vec<u64> = r
            .take(n * 8)?
            .chunks_exact(8)
            .map(|b| u64::from_le_bytes(b.try_into().unwrap()))
            .collect();
        let raw = r.take(n * 4 * width)?;
        let mut packed = Vec::with_capacity(n);
        for row in raw.chunks_exact(4 * width) {
            let mut ids = [0u32; 4];
            for (g, id) in ids.iter_mut().enumerate() {
                let x = if width == 4 {
                    u32::from_le_bytes(row[g * 4..g * 4 + 4].try_into().unwrap())
                } else {
                    u16::from_le_bytes([row[g * 2], row[g * 2 + 1]]) as u32
                };
                if x >= u16::MAX as u32 {
                    return Err(r.corrupt(format!("cluster id {x} out of range")));
                }
                *id = x;
            }
            packed.push(ClusterStyle::Ner.pack(ids));
        }
        if keys.windows(2).any(|w| w[0] >= w[1]) {
            return Err(r.corrupt("cluster keys are not sorted".into()));
        }
        Ok(WordClusters::from_sorted(
            keys.into_iter().zip(packed).collect(),
            ClusterStyle::Ner,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_tsv(name: &str, text: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("kith-clusters-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn round_trip(c: &WordClusters, encoding: ClusterEncoding) -> WordClusters {
        let mut w = Writer::default();
        c.write_to(&mut w);
        let name = Path::new("m");
        let mut r = Reader::new(&w.buf, name);
        let back = WordClusters::read_from(&mut r, encoding).unwrap();
        assert!(r.at_end());
        back
    }

    #[test]
    fn the_syntax_style_reads_every_line_and_looks_up_by_case() {
        let p = temp_tsv(
            "syntax.tsv",
            "berlin\t1\t2\t3\t4\nDog\t5\t6\t7\t8\n#\t9\t9\t9\t9\nDog\t5\t6\t7\t9\n",
        );
        let c = WordClusters::from_tsv(&p).unwrap();
        assert_eq!(c.style(), ClusterStyle::Syntax);
        assert_eq!(c.get("Berlin"), Some([1, 2, 3, 4]), "lower case");
        assert_eq!(
            c.get("DOG"),
            Some([5, 6, 7, 9]),
            "title case; the last line wins"
        );
        assert_eq!(c.get("#"), Some([9, 9, 9, 9]), "`#` is a word");
        assert_eq!(c.get("cat"), None);
        assert_eq!(round_trip(&c, ClusterEncoding::Packed), c);
        std::fs::write(&p, "x\t1\n").unwrap();
        let err = WordClusters::from_tsv(&p).unwrap_err().to_string();
        assert!(err.contains("line 1"), "{err}");
        std::fs::write(&p, "x\t1024\t1\t1\t1\n").unwrap();
        assert!(WordClusters::from_tsv(&p).is_err(), "ids below 1024");
    }

    #[test]
    fn the_ner_style_skips_comments_keeps_first_lines_and_wide_ids() {
        let p = temp_tsv(
            "ner.tsv",
            "# comment\n\nberlin\t1\t2\t3\t4\nDog\t 5\t6\t7\t65000\nDog\t1\t1\t1\t1\n",
        );
        let c = WordClusters::load(&p).unwrap();
        assert_eq!(c.style(), ClusterStyle::Ner);
        assert_eq!(c.len(), 2);
        assert_eq!(c.get("Berlin"), Some([1, 2, 3, 4]), "lower case");
        assert_eq!(c.get("Dog"), Some([5, 6, 7, 65000]), "the first line wins");
        assert_eq!(c.get("DOG"), None, "no title-case lookup");
        let (w, l) = (fhash("BERLIN"), fhash("berlin"));
        assert_eq!(c.get_keys(w, l), [1, 2, 3, 4]);
        assert_eq!(c.get_keys(w, w), NO_CLUSTER);
        assert_eq!(round_trip(&c, ClusterEncoding::U16), c);
        std::fs::write(&p, "x\t1\t1\t1\t65535\n").unwrap();
        let err = WordClusters::load(&p).unwrap_err().to_string();
        assert!(err.contains("line 1") && err.contains("65535"), "{err}");
    }
}
