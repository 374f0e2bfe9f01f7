//! External name lists (gazetteers of cities, regions, first and last names, companies) as
//! NER features, after Ratinov & Roth (2009): each token gets, per list, its position in
//! the longest entry of that list matching there (B, I, L or U), and the tagger's features
//! read those codes (`features.rs`, templates `T_LEX*`).
//!
//! The lists are read by the trainer from the files a config names and stored in the model
//! file (section `lexicon`), so tagging needs no data file. At load they become a trie whose
//! edges live in one open-addressing table ([`Slots`]) keyed by hash(parent node, token
//! key): matching from a token is one lookup per matched token and stops at the first
//! miss, so a sentence costs at most `n * MAX_ENTRY_TOKENS` lookups (linear), and usually
//! one per capitalised token, with no allocation.
//!
//! Matching is case-sensitive as the entries are written, plus, in headline sentences (no
//! lower-case letter; see [`super::features::is_headline`]), the upper-case form of each
//! entry (`NEW YORK` in a headline matches `New York`; in running text `US` does not match
//! an entry `Us`).

use super::features::word_key;
use crate::model::format::{ModelError, Reader, Writer};
use crate::model::{FeatureHasher, Slots};
use crate::normalise;
use std::borrow::Cow;
use std::path::Path;

/// Lists a lexicon holds at most (a token's codes are 4 bits per list in a `u32`).
pub const MAX_LISTS: usize = 8;
/// Tokens an entry holds at most (bounds the walk from each token).
pub const MAX_ENTRY_TOKENS: usize = 8;

/// Position codes of a token in a matched entry (4 bits per list; 0: no match).
pub const LEX_B: u32 = 1;
pub const LEX_I: u32 = 2;
pub const LEX_L: u32 = 3;
pub const LEX_U: u32 = 4;

/// Template of the trie's edge keys (not a feature: never reaches a weight table).
const T_EDGE: u32 = 0x7E1E;

#[inline]
fn edge_key(node: u32, token_key: u64) -> u64 {
    FeatureHasher::new(T_EDGE)
        .int(node as u64)
        .int(token_key)
        .finish()
}

/// Why list files could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// A list file could not be read.
    #[error("{path}: cannot read lexicon file: {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A line of a list file is not a valid entry.
    #[error("{path}: line {line}: {message}")]
    Line {
        /// The file.
        path: std::path::PathBuf,
        /// The line, from 1.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The lists together are refused (see [`Lexicon::from_lists`]).
    #[error("{0}")]
    Lists(String),
}

/// Named lists of entries, and the trie that matches them.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    /// (list name, entries: tokens joined by single spaces, sorted, distinct).
    lists: Vec<(String, Vec<String>)>,
    /// Edge key → (child node, lists ending at the child: bit `l` as written, bit `8 + l`
    /// through the entry's upper-case form only).
    trie: Slots<(u32, u16)>,
    /// Every entry starts with an upper-case letter: matches start at capitalised tokens only.
    capitalised: bool,
}

impl PartialEq for Lexicon {
    fn eq(&self, other: &Lexicon) -> bool {
        self.lists == other.lists
    }
}

impl Lexicon {
    /// From named lists of entries (tokens separated by whitespace). Entries are normalised
    /// (single spaces), sorted and deduplicated; the error names the list and entry.
    pub fn from_lists(lists: Vec<(String, Vec<String>)>) -> Result<Lexicon, String> {
        if lists.len() > MAX_LISTS {
            return Err(format!(
                "{} lists, at most {MAX_LISTS} are supported",
                lists.len()
            ));
        }
        let mut norm = Vec::with_capacity(lists.len());
        let mut tokens_total = 0usize;
        for (name, entries) in lists {
            let mut out: Vec<String> = Vec::with_capacity(entries.len());
            for e in entries {
                let n = e.split_whitespace().count();
                if n == 0 {
                    continue;
                }
                if n > MAX_ENTRY_TOKENS {
                    return Err(format!(
                        "list `{name}`: entry `{e}` has more than {MAX_ENTRY_TOKENS} tokens"
                    ));
                }
                tokens_total += n;
                // Already normalised (the usual case, and always so in a model file): kept
                // as it is, without a new allocation.
                let spaced = match normalise::spaces(&e) {
                    Cow::Borrowed(_) => None,
                    Cow::Owned(spaced) => Some(spaced),
                };
                out.push(spaced.unwrap_or(e));
            }
            if out.windows(2).any(|w| w[0] >= w[1]) {
                out.sort_unstable();
                out.dedup();
            }
            norm.push((name, out));
        }
        // Every token of every entry, as written and in upper case, adds at most one edge.
        let mut trie: Slots<(u32, u16)> = Slots::with_capacity(2 * tokens_total);
        let mut nodes = 1u32;
        let mut capitalised = true;
        let mut upper = String::new();
        let mut insert =
            |entry: &str, bit: u16, trie: &mut Slots<(u32, u16)>| -> Result<(), String> {
                let mut node = 0u32;
                let mut toks = entry.split(' ').peekable();
                while let Some(tok) = toks.next() {
                    // `None` only for an edge key hashing to 0 (probability 2^-64 an edge) or a
                    // full table (impossible with the capacity above): refused, never a panic.
                    let slot = trie
                        .get_or_insert(edge_key(node, word_key(tok)), || {
                            nodes += 1;
                            (nodes - 1, 0)
                        })
                        .ok_or_else(|| {
                            format!("entry `{entry}` cannot be indexed (edge key 0 or table full)")
                        })?;
                    if toks.peek().is_none() {
                        slot.1 |= bit;
                    }
                    node = slot.0;
                }
                Ok(())
            };
        for (l, (_, entries)) in norm.iter().enumerate() {
            for e in entries {
                capitalised &= e.chars().next().is_some_and(char::is_uppercase);
                insert(e, 1 << l, &mut trie)?;
                upper.clear();
                if e.is_ascii() {
                    upper.push_str(e);
                    upper.make_ascii_uppercase();
                } else {
                    upper.extend(e.chars().flat_map(char::to_uppercase));
                }
                if upper != *e {
                    insert(&upper, 1 << (8 + l), &mut trie)?;
                }
            }
        }
        Ok(Lexicon {
            lists: norm,
            trie,
            capitalised,
        })
    }

    /// Reads list files: one entry a line (tokens separated by spaces; empty lines and
    /// lines starting with `#` skipped); a list is named by its file stem.
    pub fn load(paths: &[impl AsRef<Path>]) -> Result<Lexicon, LexiconError> {
        let mut lists = Vec::new();
        for p in paths {
            let path = p.as_ref();
            let text = std::fs::read_to_string(path).map_err(|source| LexiconError::Io {
                path: path.to_path_buf(),
                source,
            })?;
            let mut entries = Vec::new();
            for (n, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                if line.split_whitespace().count() > MAX_ENTRY_TOKENS {
                    return Err(LexiconError::Line {
                        path: path.to_path_buf(),
                        line: n + 1,
                        message: format!("an entry has at most {MAX_ENTRY_TOKENS} tokens"),
                    });
                }
                entries.push(line.to_string());
            }
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            lists.push((name, entries));
        }
        Lexicon::from_lists(lists).map_err(LexiconError::Lists)
    }

    /// Whether it holds no list.
    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }

    /// Names and entry counts of the lists.
    pub fn summary(&self) -> Vec<(String, usize)> {
        self.lists
            .iter()
            .map(|(n, e)| (n.clone(), e.len()))
            .collect()
    }

    /// Codes of one sentence's tokens (4 bits per list, [`LEX_B`]..[`LEX_U`]) into `out`:
    /// per list, the longest entry starting at the first token not yet inside a match of
    /// that list, left to right. `key(i)` is [`word_key`] of token `i`, `cap(i)` whether
    /// it starts with an upper-case letter; `headline` also matches upper-case forms.
    pub(crate) fn codes(
        &self,
        n: usize,
        key: impl Fn(usize) -> u64,
        cap: impl Fn(usize) -> bool,
        headline: bool,
        out: &mut [u32],
    ) {
        let out = &mut out[..n];
        out.fill(0);
        if self.lists.is_empty() {
            return;
        }
        let mask: u16 = if headline { 0xFFFF } else { 0x00FF };
        // The first lookup from each token does not depend on the others: fetch their
        // slots ahead so that the cache misses overlap (as the weight tables do).
        for i in 0..n {
            if !self.capitalised || cap(i) {
                self.trie.prefetch(edge_key(0, key(i)));
            }
        }
        // Per list: the first token not covered by a match of that list.
        let mut free = [0usize; MAX_LISTS];
        for i in 0..n {
            if self.capitalised && !cap(i) {
                continue;
            }
            // Longest match length per list from token i.
            let mut best = [0u8; MAX_LISTS];
            let mut any = false;
            let mut node = 0u32;
            let mut j = i;
            while j < n && j - i < MAX_ENTRY_TOKENS {
                let Some((child, ends)) = self.trie.get(edge_key(node, key(j))) else {
                    break;
                };
                let ends = ends & mask;
                let mut lists = (ends | (ends >> 8)) & 0xFF;
                while lists != 0 {
                    let l = lists.trailing_zeros() as usize;
                    best[l] = (j + 1 - i) as u8;
                    any = true;
                    lists &= lists - 1;
                }
                node = child;
                j += 1;
            }
            if !any {
                continue;
            }
            for l in 0..self.lists.len() {
                let len = best[l] as usize;
                if len == 0 || i < free[l] {
                    continue;
                }
                let shift = 4 * l as u32;
                if len == 1 {
                    out[i] |= LEX_U << shift;
                } else {
                    out[i] |= LEX_B << shift;
                    for c in &mut out[i + 1..i + len - 1] {
                        *c |= LEX_I << shift;
                    }
                    out[i + len - 1] |= LEX_L << shift;
                }
                free[l] = i + len;
            }
        }
    }

    /// Section `lexicon`: `lists u32`, per list: name, `entries u32`, entries (strings).
    pub(crate) fn write_to(&self, w: &mut Writer) {
        w.u32(self.lists.len() as u32);
        for (name, entries) in &self.lists {
            w.str(name);
            w.u32(entries.len() as u32);
            for e in entries {
                w.str(e);
            }
        }
    }

    pub(crate) fn read_from(r: &mut Reader<'_>) -> Result<Lexicon, ModelError> {
        let n = r.u32()? as usize;
        if n > MAX_LISTS {
            return Err(r.corrupt(format!("lexicon of {n} lists, at most {MAX_LISTS}")));
        }
        let mut lists = Vec::with_capacity(n);
        for _ in 0..n {
            let name = r.string()?;
            let count = r.u32()? as usize;
            r.need(count.saturating_mul(4))?;
            let mut entries = Vec::with_capacity(count);
            for _ in 0..count {
                entries.push(r.string()?);
            }
            if entries.windows(2).any(|w| w[0] >= w[1]) {
                return Err(r.corrupt(format!("lexicon list `{name}` is not sorted")));
            }
            lists.push((name, entries));
        }
        Lexicon::from_lists(lists).map_err(|m| r.corrupt(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::features::{lexicon_codes, TokInfo};

    fn lex(lists: &[(&str, &[&str])]) -> Lexicon {
        Lexicon::from_lists(
            lists
                .iter()
                .map(|(n, e)| (n.to_string(), e.iter().map(|s| s.to_string()).collect()))
                .collect(),
        )
        .unwrap()
    }

    /// Codes of a sentence given as space-separated tokens, per list as letters (`-BILU`).
    fn codes(lex: &Lexicon, sentence: &str, headline: bool) -> Vec<String> {
        let words: Vec<&str> = sentence.split(' ').collect();
        let mut out = vec![0u32; words.len()];
        lex.codes(
            words.len(),
            |i| word_key(words[i]),
            |i| words[i].chars().next().is_some_and(char::is_uppercase),
            headline,
            &mut out,
        );
        (0..lex.lists.len())
            .map(|l| {
                out.iter()
                    .map(|c| ['-', 'B', 'I', 'L', 'U'][((c >> (4 * l)) & 0xF) as usize])
                    .collect()
            })
            .collect()
    }

    #[test]
    fn longest_match_wins_left_to_right() {
        let l = lex(&[(
            "city",
            &[
                "New York",
                "New York City",
                "York",
                "Santa Cruz de Tenerife",
            ],
        )]);
        assert_eq!(
            codes(&l, "He left New York City for York .", false),
            ["--BIL-U-"]
        );
        assert_eq!(codes(&l, "New York is big", false), ["BL--"]);
        // A prefix of an entry is no match; the walk stops at the first miss.
        assert_eq!(codes(&l, "Santa Cruz de Palma", false), ["----"]);
        assert_eq!(codes(&l, "Santa Cruz de Tenerife", false), ["BIIL"]);
    }

    #[test]
    fn overlapping_entries_within_and_across_lists() {
        // Same list: "A B" is taken from the left, "B C" overlaps it and is skipped.
        let l = lex(&[("one", &["Alpha Beta", "Beta Gamma"])]);
        assert_eq!(codes(&l, "Alpha Beta Gamma", false), ["BL-"]);
        // Different lists match independently; a token carries both codes.
        let l = lex(&[("one", &["Alpha Beta"]), ("two", &["Beta Gamma", "Beta"])]);
        assert_eq!(codes(&l, "Alpha Beta Gamma", false), ["BL-", "-BL"]);
        assert_eq!(codes(&l, "Beta Beta", false), ["--", "UU"]);
    }

    #[test]
    fn case_sensitive_except_upper_case_in_headlines() {
        let l = lex(&[("city", &["New York", "NATO"])]);
        assert_eq!(codes(&l, "new york", false), ["--"]);
        assert_eq!(codes(&l, "NEW YORK", false), ["--"]);
        assert_eq!(codes(&l, "NEW YORK", true), ["BL"]);
        assert_eq!(codes(&l, "New York", true), ["BL"]);
        // An entry written in capitals matches as written anywhere.
        assert_eq!(codes(&l, "the NATO summit", false), ["-U-"]);
    }

    #[test]
    fn matches_stay_inside_sentences_and_headlines_are_per_sentence() {
        let l = lex(&[("city", &["New York"])]);
        let words = ["in", "New", "York", "NEW", "YORK", "WINS"];
        let mut infos: Vec<TokInfo> = Vec::new();
        let sw = crate::ner::FeatureSwitches::default();
        crate::ner::features::token_infos(
            &words,
            &[0; 6],
            &Default::default(),
            None,
            &sw,
            &mut infos,
        );
        // Sentence split inside the first name: no match across the boundary.
        lexicon_codes(&l, &words, &[0..2, 2..3, 3..6], &mut infos, &mut Vec::new());
        assert_eq!(
            infos.iter().map(|i| i.lex).collect::<Vec<_>>(),
            [0, 0, 0, LEX_B, LEX_L, 0]
        );
        lexicon_codes(&l, &words, &[0..3, 3..6], &mut infos, &mut Vec::new());
        assert_eq!(
            infos.iter().map(|i| i.lex).collect::<Vec<_>>(),
            [0, LEX_B, LEX_L, LEX_B, LEX_L, 0]
        );
    }

    #[test]
    fn round_trip_and_refusals() {
        let l = lex(&[("city", &["New York", "Zürich"]), ("first", &["Anna"])]);
        let mut w = Writer::default();
        l.write_to(&mut w);
        let path = Path::new("m.kmodel");
        let back = Lexicon::read_from(&mut Reader::new(&w.buf, path)).unwrap();
        assert_eq!(back, l);
        assert_eq!(
            codes(&back, "Anna left Zürich for New York", false),
            codes(&l, "Anna left Zürich for New York", false)
        );
        // Truncated.
        assert!(Lexicon::read_from(&mut Reader::new(&w.buf[..w.buf.len() - 3], path)).is_err());
        // Too many lists, too long an entry.
        let many: Vec<(String, Vec<String>)> = (0..=MAX_LISTS)
            .map(|i| (i.to_string(), vec!["A".into()]))
            .collect();
        assert!(Lexicon::from_lists(many).is_err());
        let long = vec![("x".to_string(), vec!["A B C D E F G H I".to_string()])];
        assert!(Lexicon::from_lists(long)
            .unwrap_err()
            .contains("more than 8 tokens"));
    }

    /// A damaged `lexicon` section is refused with an error or read as some other valid
    /// lexicon, never a panic: every truncation, and every byte set to 0x00, 0x7F or 0xFF.
    #[test]
    fn damaged_sections_never_panic() {
        let l = lex(&[
            ("city", &["New York", "Zürich"]),
            ("first", &["Anna", "Bo"]),
        ]);
        let mut w = Writer::default();
        l.write_to(&mut w);
        let path = Path::new("m.kmodel");
        for end in 0..w.buf.len() {
            assert!(
                Lexicon::read_from(&mut Reader::new(&w.buf[..end], path)).is_err(),
                "truncated at {end}"
            );
        }
        let mut refused = 0;
        for i in 0..w.buf.len() {
            for b in [0x00, 0x7F, 0xFF] {
                let mut bytes = w.buf.clone();
                bytes[i] = b;
                refused += Lexicon::read_from(&mut Reader::new(&bytes, path)).is_err() as usize;
            }
        }
        assert!(refused > 0);
        // Entries out of order are refused, naming the list.
        let mut w = Writer::default();
        w.u32(1);
        w.str("city");
        w.u32(2);
        w.str("Paris");
        w.str("Berlin");
        let err = Lexicon::read_from(&mut Reader::new(&w.buf, path))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("m.kmodel") && err.contains("`city` is not sorted"),
            "{err}"
        );
    }

    #[test]
    fn load_names_the_file_and_line() {
        let dir = std::env::temp_dir().join(format!("kith-lexicon-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("lex-city.txt");
        std::fs::write(&good, "# cities\nNew York\n\nBerlin\n").unwrap();
        let bad = dir.join("lex-bad.txt");
        std::fs::write(&bad, "Berlin\nA B C D E F G H I J\n").unwrap();
        let l = Lexicon::load(&[&good]).unwrap();
        assert_eq!(l.summary(), [("lex-city".to_string(), 2)]);
        let err = Lexicon::load(&[&good, &bad]).unwrap_err().to_string();
        assert!(
            err.contains("lex-bad.txt") && err.contains("line 2"),
            "{err}"
        );
        let err = Lexicon::load(&[dir.join("missing.txt")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing.txt"), "{err}");
    }
}
