//! Part-of-speech tagging: a greedy left-to-right averaged-perceptron tagger (Honnibal's
//! design) predicting Universal POS (UPOS) and Penn Treebank tags (XPOS).
//!
//! * Features: the word, its lower-case form, prefix (1) and suffixes (1–4), word shape,
//!   capitalisation and position flags, the words (lower case) and suffixes at ±1 and ±2,
//!   the two previous predicted tags (alone, together and with the word), and distributional
//!   word clusters (k-means of spaCy's `en_core_web_md` vectors at 64/256/1024 clusters,
//!   `data/clusters/`) of the word and its neighbours when the model was trained with them.
//! * Labels: one classifier over joint `UPOS XPOS` pairs (the default: measured better
//!   and faster than two classifiers on GUM dev, see
//!   `docs/experiments/2026-12-06-pos-tagger.md`), or two (`PosTrainConfig::joint = false`).
//! * Tag dictionary: words seen at least 20 times in training with one label at least
//!   97% of the time get it without scoring.
//! * Training: greedy, on the tagger's own predicted history; `PosTrainConfig::ensemble`
//!   models (seeds `seed`, `seed + 1`, ...) are averaged into one weight table (the
//!   shipped model averages 3: +0.07 UPOS / +0.16 XPOS on GUM dev at no tagging cost).
//!   `PosTrainConfig::feature_dropout` leaves each feature out of a training step with
//!   that probability (seeded), so that weight is spread over redundant features instead
//!   of a few sparse ones fitting 77k training tokens: +0.28 UPOS on the held-out slice of
//!   train at 0.25 (`docs/experiments/2026-12-06-pos-tagger.md`). Tagging always uses
//!   every feature.
//! * Scoring: `i16` tables with at most 128 labels are scored with a stack accumulator
//!   (no allocation per token).
//! * Model file: kind `pos` in the [`crate::model`] format; the cluster table, when used,
//!   is stored inside it so a model file is self-contained.
//!
//! [`PosTagger`] is the pipeline component (name `pos`): it fills [`Doc::pos`], one
//! [`PosTag`] per token.

use crate::model::format::{Reader, Writer};
use crate::model::{
    argmax, fhash, prefetch_lines, FeatureHasher, KeyMap, ModelError, ModelFile, Perceptron, Rng,
    Slots, WeightSum, Weights, WeightsKind,
};
use crate::{Component, Doc};
use std::collections::BTreeMap;
use std::path::Path;

/// The 17 Universal POS tags (plus `X` for anything unknown).
pub const UPOS_TAGS: &[&str] = &[
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
    "PUNCT", "SCONJ", "SYM", "VERB", "X",
];

/// Penn Treebank tags as used by GUM/OntoNotes (`XX` for anything unknown).
pub const XPOS_TAGS: &[&str] = &[
    "$", "''", ",", "-LRB-", "-RRB-", ".", ":", "ADD", "AFX", "CC", "CD", "DT", "EX", "FW", "GW",
    "HYPH", "IN", "JJ", "JJR", "JJS", "LS", "MD", "NFP", "NN", "NNP", "NNPS", "NNS", "PDT", "POS",
    "PRP", "PRP$", "RB", "RBR", "RBS", "RP", "SYM", "TO", "UH", "VB", "VBD", "VBG", "VBN", "VBP",
    "VBZ", "WDT", "WP", "WP$", "WRB", "XX", "``",
];

fn intern(tags: &'static [&'static str], tag: &str, unknown: &'static str) -> &'static str {
    tags.iter().find(|t| **t == tag).copied().unwrap_or(unknown)
}

/// The POS tags of one token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PosTag {
    /// One of [`UPOS_TAGS`].
    pub upos: &'static str,
    /// One of [`XPOS_TAGS`].
    pub xpos: &'static str,
}

impl PosTag {
    pub fn new(upos: &str, xpos: &str) -> PosTag {
        PosTag {
            upos: intern(UPOS_TAGS, upos, "X"),
            xpos: intern(XPOS_TAGS, xpos, "XX"),
        }
    }
}

/// A training or evaluation sentence: words with gold UPOS and XPOS.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PosSentence {
    pub words: Vec<String>,
    pub upos: Vec<String>,
    pub xpos: Vec<String>,
}

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
    fn prefetch(&self, word_hash: u64) {
        if !self.map.is_empty() {
            self.map.prefetch(word_hash);
        }
    }

    /// The packed clusters of a word (as written, else lower-cased, else title-cased), or
    /// `None`. `word_hash` is `fhash(word)`.
    fn get_hashed(&self, word: &str, word_hash: u64) -> Option<u64> {
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

/// Training settings.
#[derive(Clone, Debug)]
pub struct PosTrainConfig {
    pub epochs: usize,
    pub seed: u64,
    /// One classifier over `UPOS XPOS` pairs (true) or one per tag set.
    pub joint: bool,
    /// Word clusters to use as features (stored in the model).
    pub clusters: Option<Clusters>,
    /// Frozen rows whose largest |weight| is below this are dropped.
    pub prune: f32,
    /// Tag dictionary: minimum count and minimum share of the majority label.
    pub dict_min_count: usize,
    pub dict_min_share: f64,
    /// Models trained with seeds `seed..seed + ensemble` and averaged into one weight
    /// table (1: a single model).
    pub ensemble: usize,
    /// Probability that a feature is left out of one training step (scoring and update);
    /// tagging always uses all features. 0: off.
    pub feature_dropout: f32,
}

impl Default for PosTrainConfig {
    fn default() -> PosTrainConfig {
        PosTrainConfig {
            epochs: 8,
            seed: 1,
            joint: true,
            clusters: None,
            prune: 0.0,
            dict_min_count: 20,
            dict_min_share: 0.97,
            ensemble: 1,
            feature_dropout: 0.0,
        }
    }
}

/// One classifier: labels, weights and tag dictionary.
#[derive(Clone, Debug)]
struct Head {
    labels: Vec<String>,
    weights: Weights,
    /// fhash(word) → label.
    dict: KeyMap<u16>,
    /// Key → row of an `I16` table with at most [`MAX_FUSED`] labels (scored here with a
    /// stack accumulator; empty otherwise, and [`Weights::scores`] is used). [`Slots`],
    /// so that a sentence's lookups can be prefetched before any is read.
    index: Slots<u32>,
}

/// Widest label set scored with the stack accumulator (joint POS labels: 76 on GUM).
const MAX_FUSED: usize = 128;

impl Head {
    fn new(labels: Vec<String>, weights: Weights, dict: KeyMap<u16>) -> Head {
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
    fn resolve(&self, keys: &[u64], out: &mut Vec<u32>) -> Option<()> {
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
    fn scores_resolved(&self, rows: &[u32], feats: &[u64], out: &mut [f32]) {
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

/// Ambiguity classes: fhash(word) → hash of the labels the word had in training (each
/// at least 5% of its occurrences), a feature for the word and its right neighbours
/// whose tags are not predicted yet.
type AmbClasses = KeyMap<u64>;

/// Words rarer than this get no class, so that training sees unknown words as tagging does.
const AMB_MIN_COUNT: usize = 10;

fn build_amb(sents: &[PosSentence], joint: bool) -> AmbClasses {
    let mut counts: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    for s in sents {
        let labels = head_labels(s, joint).swap_remove(0);
        for (w, l) in s.words.iter().zip(labels) {
            *counts.entry(w.as_str()).or_default().entry(l).or_default() += 1;
        }
    }
    let mut out = AmbClasses::default();
    for (w, c) in counts {
        let total: usize = c.values().sum();
        if total < AMB_MIN_COUNT {
            continue;
        }
        let mut h = FeatureHasher::new(u32::MAX - 1);
        for (l, n) in &c {
            if *n * 20 >= total {
                h = h.str(l);
            }
        }
        out.insert(fhash(w), h.finish());
    }
    out
}

/// A trained POS model.
#[derive(Clone, Debug)]
pub struct PosModel {
    joint: bool,
    heads: Vec<Head>,
    clusters: Option<Clusters>,
    amb: AmbClasses,
    /// Per head, label → (upos, xpos) parts (joint) or one part.
    tags: Vec<Vec<PosTag>>,
    meta: serde_json::Value,
    /// The file's checksum (its last 8 bytes), once saved or loaded.
    checksum: Option<u64>,
}

const START: u64 = u64::MAX - 1;
const START2: u64 = u64::MAX - 2;

// Feature templates.
const T_BIAS: u32 = 0;
const T_WORD: u32 = 1;
const T_LOWER: u32 = 2;
const T_SUF1: u32 = 3;
const T_SUF2: u32 = 4;
const T_SUF3: u32 = 5;
const T_SUF4: u32 = 6;
const T_PRE1: u32 = 7;
const T_SHAPE: u32 = 8;
const T_FLAGS: u32 = 9;
const T_W_1: u32 = 10;
const T_W_2: u32 = 11;
const T_W1: u32 = 12;
const T_W2: u32 = 13;
const T_SUF3_1: u32 = 14;
const T_SUF3P1: u32 = 15;
const T_C1024: u32 = 16;
const T_C256: u32 = 17;
const T_C64: u32 = 18;
const T_C256_1: u32 = 19;
const T_C256P1: u32 = 20;
const T_W_1_W: u32 = 21;
const T_W_W1: u32 = 22;
const T_SHAPE_1: u32 = 23;
const T_SHAPEP1: u32 = 24;
const T_ROW: u32 = 25;
const T_PRE2: u32 = 26;
const T_PRE3: u32 = 27;
const T_C1024_1: u32 = 28;
const T_C1024P1: u32 = 29;
const T_AMB: u32 = 35;
const T_AMB1: u32 = 36;
const T_AMB2: u32 = 37;
const T_AMB_AMB1: u32 = 38;
const T_P1: u32 = 30;
const T_P2: u32 = 31;
const T_P12: u32 = 32;
const T_P1_W: u32 = 33;
const T_P1_SUF3: u32 = 34;

/// Per-token precomputed hashes.
#[derive(Clone, Copy)]
struct Tok {
    word: u64,
    lower: u64,
    suf: [u64; 4],
    pre1: u64,
    pre2: u64,
    pre3: u64,
    shape: u64,
    flags: u64,
    clusters: Option<u64>,
    amb: u64,
}

fn shape_of(w: &str) -> String {
    let mut out = String::new();
    let mut last = '\0';
    let mut run = 0;
    for c in w.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else if c.is_alphabetic() {
            'a'
        } else {
            c
        };
        if s == last {
            run += 1;
            if run > 2 {
                continue;
            }
        } else {
            run = 1;
            last = s;
        }
        out.push(s);
        if out.len() > 12 {
            break;
        }
    }
    out
}

fn suffix(w: &str, n: usize) -> &str {
    let mut idx = w.len();
    for (count, (i, _)) in w.char_indices().rev().enumerate() {
        idx = i;
        if count + 1 == n {
            break;
        }
    }
    &w[idx..]
}

fn prefix(w: &str, n: usize) -> &str {
    match w.char_indices().nth(n) {
        Some((i, _)) => &w[..i],
        None => w,
    }
}

/// `lower` is already lower-cased.
fn norm_lower(lower: &str) -> String {
    let lower = lower.to_string();
    if lower.chars().all(|c| c.is_ascii_digit()) && !lower.is_empty() {
        return if lower.len() == 4 {
            "!YEAR".into()
        } else {
            "!DIGITS".into()
        };
    }
    if lower.chars().next().is_some_and(|c| c.is_ascii_digit())
        && lower.chars().any(|c| c.is_ascii_digit())
    {
        return "!NUMLIKE".into();
    }
    lower
}

fn prepare(words: &[&str], clusters: Option<&Clusters>, amb: &AmbClasses) -> Vec<Tok> {
    let hashes: Vec<u64> = words.iter().map(|w| fhash(w)).collect();
    if let Some(c) = clusters {
        hashes.iter().for_each(|&h| c.prefetch(h));
    }
    words
        .iter()
        .zip(&hashes)
        .enumerate()
        .map(|(i, (w, &word))| {
            let lw = w.to_lowercase();
            let lower = norm_lower(&lw);
            let first_upper = w.chars().next().is_some_and(|c| c.is_uppercase());
            let all_upper =
                w.chars().any(|c| c.is_alphabetic()) && !w.chars().any(|c| c.is_lowercase());
            let has_digit = w.chars().any(|c| c.is_ascii_digit());
            let has_hyphen = w.contains('-');
            let flags = (first_upper as u64)
                | (all_upper as u64) << 1
                | (has_digit as u64) << 2
                | (has_hyphen as u64) << 3
                | ((i == 0) as u64) << 4;
            Tok {
                word,
                lower: fhash(&lower),
                suf: [
                    fhash(suffix(&lw, 1)),
                    fhash(suffix(&lw, 2)),
                    fhash(suffix(&lw, 3)),
                    fhash(suffix(&lw, 4)),
                ],
                pre1: fhash(prefix(w, 1)),
                pre2: fhash(prefix(&lw, 2)),
                pre3: fhash(prefix(&lw, 3)),
                shape: fhash(&shape_of(w)),
                flags,
                clusters: clusters.and_then(|c| c.get_hashed(w, word)),
                amb: amb.get(&word).copied().unwrap_or(0),
            }
        })
        .collect()
}

fn f(t: u32) -> FeatureHasher {
    FeatureHasher::new(t)
}

/// Features that do not depend on predicted tags.
fn static_features(toks: &[Tok], i: usize, out: &mut Vec<u64>) {
    out.clear();
    let t = &toks[i];
    let get = |j: isize| -> Option<&Tok> {
        if j < 0 {
            None
        } else {
            toks.get(j as usize)
        }
    };
    let lw = |j: isize, pad: u64| get(j).map_or(pad, |t| t.lower);
    out.push(f(T_BIAS).finish());
    out.push(f(T_WORD).int(t.word).finish());
    out.push(f(T_LOWER).int(t.lower).finish());
    out.push(f(T_SUF1).int(t.suf[0]).finish());
    out.push(f(T_SUF2).int(t.suf[1]).finish());
    out.push(f(T_SUF3).int(t.suf[2]).finish());
    out.push(f(T_SUF4).int(t.suf[3]).finish());
    out.push(f(T_PRE1).int(t.pre1).finish());
    out.push(f(T_PRE2).int(t.pre2).finish());
    out.push(f(T_PRE3).int(t.pre3).finish());
    out.push(f(T_SHAPE).int(t.shape).finish());
    out.push(f(T_FLAGS).int(t.flags).finish());
    let i = i as isize;
    out.push(f(T_W_1).int(lw(i - 1, START)).finish());
    out.push(f(T_W_2).int(lw(i - 2, START2)).finish());
    out.push(f(T_W1).int(lw(i + 1, START)).finish());
    out.push(f(T_W2).int(lw(i + 2, START2)).finish());
    out.push(
        f(T_SUF3_1)
            .int(get(i - 1).map_or(START, |t| t.suf[2]))
            .finish(),
    );
    out.push(
        f(T_SUF3P1)
            .int(get(i + 1).map_or(START, |t| t.suf[2]))
            .finish(),
    );
    out.push(f(T_W_1_W).int(lw(i - 1, START)).int(t.lower).finish());
    out.push(f(T_W_W1).int(t.lower).int(lw(i + 1, START)).finish());
    out.push(
        f(T_SHAPE_1)
            .int(get(i - 1).map_or(START, |t| t.shape))
            .finish(),
    );
    out.push(
        f(T_SHAPEP1)
            .int(get(i + 1).map_or(START, |t| t.shape))
            .finish(),
    );
    let amb = |j: isize| get(j).map_or(START, |t| t.amb);
    out.push(f(T_AMB).int(t.amb).finish());
    out.push(f(T_AMB1).int(amb(i + 1)).finish());
    out.push(f(T_AMB2).int(amb(i + 2)).finish());
    out.push(f(T_AMB_AMB1).int(t.amb).int(amb(i + 1)).finish());
    let cl = |j: isize| get(j).and_then(|t| t.clusters);
    if let Some(c) = t.clusters {
        out.push(f(T_ROW).int(c & 0xF_FFFF).finish());
        out.push(f(T_C1024).int((c >> 20) & 1023).finish());
        out.push(f(T_C256).int((c >> 30) & 1023).finish());
        out.push(f(T_C64).int(c >> 40).finish());
    }
    if let Some(c) = cl(i - 1) {
        out.push(f(T_C256_1).int((c >> 30) & 1023).finish());
        out.push(f(T_C1024_1).int((c >> 20) & 1023).finish());
    }
    if let Some(c) = cl(i + 1) {
        out.push(f(T_C256P1).int((c >> 30) & 1023).finish());
        out.push(f(T_C1024P1).int((c >> 20) & 1023).finish());
    }
}

fn dynamic_features(toks: &[Tok], i: usize, p1: u64, p2: u64, out: &mut Vec<u64>) {
    out.clear();
    out.push(f(T_P1).int(p1).finish());
    out.push(f(T_P2).int(p2).finish());
    out.push(f(T_P12).int(p1).int(p2).finish());
    out.push(f(T_P1_W).int(p1).int(toks[i].lower).finish());
    out.push(f(T_P1_SUF3).int(p1).int(toks[i].suf[2]).finish());
}

/// Label sequences of one sentence for each head.
fn head_labels(s: &PosSentence, joint: bool) -> Vec<Vec<String>> {
    if joint {
        vec![s
            .upos
            .iter()
            .zip(&s.xpos)
            .map(|(u, x)| format!("{u} {x}"))
            .collect()]
    } else {
        vec![s.upos.clone(), s.xpos.clone()]
    }
}

fn build_dict(
    sents: &[PosSentence],
    joint: bool,
    head: usize,
    labels: &BTreeMap<String, u16>,
    cfg: &PosTrainConfig,
) -> KeyMap<u16> {
    let mut counts: BTreeMap<&str, BTreeMap<u16, usize>> = BTreeMap::new();
    let label_seqs: Vec<Vec<String>> = sents
        .iter()
        .map(|s| head_labels(s, joint).swap_remove(head))
        .collect();
    for (s, ls) in sents.iter().zip(&label_seqs) {
        for (w, l) in s.words.iter().zip(ls) {
            *counts
                .entry(w.as_str())
                .or_default()
                .entry(labels[l])
                .or_default() += 1;
        }
    }
    let mut dict = KeyMap::default();
    for (w, c) in counts {
        let total: usize = c.values().sum();
        let (&best, &n) = c
            .iter()
            .max_by_key(|(l, n)| (**n, std::cmp::Reverse(**l)))
            .unwrap();
        if total >= cfg.dict_min_count && n as f64 / total as f64 >= cfg.dict_min_share {
            dict.insert(fhash(w), best);
        }
    }
    dict
}

impl PosModel {
    /// Trains on `train`, printing nothing; `on_epoch(epoch, train_accuracy, dev_scores)` is
    /// called after each epoch with the dev (UPOS, XPOS) accuracy of the averaged model
    /// (an ensemble calls it once, for the averaged members, with no train accuracy).
    pub fn train(
        train: &[PosSentence],
        dev: &[PosSentence],
        cfg: &PosTrainConfig,
        mut on_epoch: impl FnMut(usize, Option<f64>, Option<(f64, f64)>),
    ) -> PosModel {
        if cfg.ensemble > 1 {
            return Self::train_ensemble(train, dev, cfg, &mut on_epoch);
        }
        Self::train_single(train, dev, cfg, &mut on_epoch)
    }

    fn train_single(
        train: &[PosSentence],
        dev: &[PosSentence],
        cfg: &PosTrainConfig,
        on_epoch: &mut dyn FnMut(usize, Option<f64>, Option<(f64, f64)>),
    ) -> PosModel {
        let n_heads = if cfg.joint { 1 } else { 2 };
        let mut label_maps: Vec<BTreeMap<String, u16>> = vec![BTreeMap::new(); n_heads];
        for s in train {
            for (h, seq) in head_labels(s, cfg.joint).into_iter().enumerate() {
                for l in seq {
                    label_maps[h].entry(l).or_insert(0);
                }
            }
        }
        for m in &mut label_maps {
            for (i, v) in m.values_mut().enumerate() {
                *v = i as u16;
            }
            if m.is_empty() {
                m.insert("X".into(), 0);
            }
        }
        let amb = build_amb(train, cfg.joint);
        let dicts: Vec<KeyMap<u16>> = (0..n_heads)
            .map(|h| build_dict(train, cfg.joint, h, &label_maps[h], cfg))
            .collect();
        let mut percs: Vec<Perceptron> = label_maps
            .iter()
            .map(|m| Perceptron::new(m.len()))
            .collect();
        let prepared: Vec<(Vec<Tok>, Vec<Vec<u16>>)> = train
            .iter()
            .map(|s| {
                let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
                let gold = head_labels(s, cfg.joint)
                    .into_iter()
                    .enumerate()
                    .map(|(h, seq)| seq.iter().map(|l| label_maps[h][l]).collect())
                    .collect();
                (prepare(&words, cfg.clusters.as_ref(), &amb), gold)
            })
            .collect();
        let mut order: Vec<usize> = (0..prepared.len()).collect();
        let mut rng = Rng::new(cfg.seed);
        // Its own stream, so that dropout does not change the shuffles.
        let mut drop_rng = Rng::new(cfg.seed ^ 0xD509_0FF5_u64);
        let keep_below =
            ((1.0 - cfg.feature_dropout.clamp(0.0, 1.0) as f64) * u64::MAX as f64) as u64;
        let dropout = cfg.feature_dropout > 0.0;
        let mut feats = Vec::new();
        let mut dyn_feats = Vec::new();
        let mut model = PosModel::empty(cfg.joint, &label_maps, cfg.clusters.clone(), amb.clone());
        for epoch in 1..=cfg.epochs {
            rng.shuffle(&mut order);
            let (mut correct, mut total) = (0usize, 0usize);
            for &si in &order {
                let (toks, gold) = &prepared[si];
                for (h, p) in percs.iter_mut().enumerate() {
                    let n = p.n_classes();
                    let mut scores = vec![0f32; n];
                    let (mut p1, mut p2) = (START, START2);
                    for i in 0..toks.len() {
                        let g = gold[h][i] as usize;
                        let guess = if let Some(&d) = dicts[h].get(&toks[i].word) {
                            d as usize
                        } else {
                            static_features(toks, i, &mut feats);
                            dynamic_features(toks, i, p1, p2, &mut dyn_feats);
                            if dropout {
                                feats.retain(|_| drop_rng.next_u64() < keep_below);
                                dyn_feats.retain(|_| drop_rng.next_u64() < keep_below);
                            }
                            p.scores(&feats, &mut scores);
                            p.add_scores(&dyn_feats, &mut scores);
                            let guess = argmax(&scores);
                            if guess != g {
                                p.update(&feats, g, 1.0);
                                p.update(&dyn_feats, g, 1.0);
                                p.update(&feats, guess, -1.0);
                                p.update(&dyn_feats, guess, -1.0);
                            }
                            guess
                        };
                        correct += (guess == g) as usize;
                        total += 1;
                        p2 = p1;
                        p1 = guess as u64;
                    }
                    p.tick();
                }
            }
            let train_acc = if total == 0 {
                0.0
            } else {
                100.0 * correct as f64 / total as f64
            };
            let dev_scores = if dev.is_empty() {
                None
            } else {
                model.set_weights(&percs, &dicts, 0.0, WeightsKind::F32);
                Some(model.accuracy(dev))
            };
            on_epoch(epoch, Some(train_acc), dev_scores);
        }
        model.set_weights(&percs, &dicts, cfg.prune, WeightsKind::I16);
        model.meta = serde_json::json!({
            "joint": cfg.joint,
            "epochs": cfg.epochs,
            "seed": cfg.seed,
            "clusters": cfg.clusters.as_ref().map(|c| c.len()),
            "train_sentences": train.len(),
        });
        if dropout {
            model.meta["feature_dropout"] = serde_json::json!(cfg.feature_dropout);
        }
        model
    }

    /// `cfg.ensemble` models (seeds `seed`, `seed + 1`, ...) whose averaged weights are
    /// averaged again, then pruned and quantised.
    fn train_ensemble(
        train: &[PosSentence],
        dev: &[PosSentence],
        cfg: &PosTrainConfig,
        on_epoch: &mut dyn FnMut(usize, Option<f64>, Option<(f64, f64)>),
    ) -> PosModel {
        let k = cfg.ensemble;
        let mut merged: Option<PosModel> = None;
        let mut sums: Vec<WeightSum> = Vec::new();
        for m in 0..k {
            let member_cfg = PosTrainConfig {
                seed: cfg.seed + m as u64,
                ensemble: 1,
                prune: 0.0,
                ..cfg.clone()
            };
            let member = Self::train_single(train, &[], &member_cfg, &mut |_, _, _| {});
            if sums.is_empty() {
                sums = member
                    .heads
                    .iter()
                    .map(|h| WeightSum::new(h.weights.n_classes()))
                    .collect();
            }
            for (sum, head) in sums.iter_mut().zip(&member.heads) {
                sum.add(&head.weights);
            }
            merged.get_or_insert(member);
        }
        let mut model = merged.expect("at least one member");
        let build = |kind: WeightsKind, prune: f32, model: &PosModel| -> Vec<Head> {
            model
                .heads
                .iter()
                .zip(&sums)
                .map(|(head, sum)| {
                    Head::new(
                        head.labels.clone(),
                        sum.mean(prune, kind),
                        head.dict.clone(),
                    )
                })
                .collect()
        };
        if !dev.is_empty() {
            model.heads = build(WeightsKind::F32, 0.0, &model);
            on_epoch(cfg.epochs, None, Some(model.accuracy(dev)));
        }
        model.heads = build(WeightsKind::I16, cfg.prune, &model);
        model.meta["ensemble"] = serde_json::json!(k);
        model.meta["seed"] = serde_json::json!(cfg.seed);
        model
    }

    fn empty(
        joint: bool,
        label_maps: &[BTreeMap<String, u16>],
        clusters: Option<Clusters>,
        amb: AmbClasses,
    ) -> PosModel {
        let heads: Vec<Head> = label_maps
            .iter()
            .map(|m| {
                let mut labels = vec![String::new(); m.len()];
                for (l, &i) in m {
                    labels[i as usize] = l.clone();
                }
                Head::new(
                    labels,
                    Weights::from_parts(m.len().max(1), vec![], vec![], WeightsKind::F32),
                    KeyMap::default(),
                )
            })
            .collect();
        let tags = Self::tag_tables(joint, &heads);
        PosModel {
            joint,
            heads,
            clusters,
            amb,
            tags,
            meta: serde_json::Value::Null,
            checksum: None,
        }
    }

    fn tag_tables(joint: bool, heads: &[Head]) -> Vec<Vec<PosTag>> {
        heads
            .iter()
            .enumerate()
            .map(|(h, head)| {
                head.labels
                    .iter()
                    .map(|l| {
                        if joint {
                            let (u, x) = l.split_once(' ').unwrap_or((l, "XX"));
                            PosTag::new(u, x)
                        } else if h == 0 {
                            PosTag::new(l, "XX")
                        } else {
                            PosTag::new("X", l)
                        }
                    })
                    .collect()
            })
            .collect()
    }

    fn set_weights(
        &mut self,
        percs: &[Perceptron],
        dicts: &[KeyMap<u16>],
        prune: f32,
        kind: WeightsKind,
    ) {
        for ((head, p), d) in self.heads.iter_mut().zip(percs).zip(dicts) {
            *head = Head::new(
                std::mem::take(&mut head.labels),
                p.averaged(prune, kind),
                d.clone(),
            );
        }
    }

    /// Tags words; returns one [`PosTag`] per word.
    pub fn tag(&self, words: &[&str]) -> Vec<PosTag> {
        let toks = prepare(words, self.clusters.as_ref(), &self.amb);
        let mut out = vec![
            PosTag {
                upos: "X",
                xpos: "XX"
            };
            words.len()
        ];
        let mut feats = Vec::with_capacity(48);
        let mut dyn_feats = Vec::with_capacity(8);
        let mut scores = Vec::new();
        let mut labels = Vec::with_capacity(toks.len());
        // Static features of the tokens the tag dictionary does not fix, all at once, so
        // that their lookups are prefetched together (`Head::resolve`).
        let (mut keys, mut offs, mut rows) =
            (Vec::new(), Vec::with_capacity(toks.len() + 1), Vec::new());
        // Tag-dictionary labels (`None`: scored), looked up once per token.
        let mut fixed: Vec<Option<u16>> = Vec::with_capacity(toks.len());
        for (h, head) in self.heads.iter().enumerate() {
            scores.resize(head.weights.n_classes(), 0.0);
            labels.clear();
            keys.clear();
            offs.clear();
            offs.push(0);
            fixed.clear();
            for i in 0..toks.len() {
                let d = head.dict.get(&toks[i].word).copied();
                if d.is_none() {
                    static_features(&toks, i, &mut feats);
                    keys.extend_from_slice(&feats);
                }
                fixed.push(d);
                offs.push(keys.len());
            }
            let resolved = head.resolve(&keys, &mut rows).is_some();
            let (mut p1, mut p2) = (START, START2);
            for i in 0..toks.len() {
                let label = if let Some(d) = fixed[i] {
                    d as usize
                } else if resolved {
                    dynamic_features(&toks, i, p1, p2, &mut dyn_feats);
                    head.scores_resolved(&rows[offs[i]..offs[i + 1]], &dyn_feats, &mut scores);
                    argmax(&scores)
                } else {
                    feats.clear();
                    feats.extend_from_slice(&keys[offs[i]..offs[i + 1]]);
                    dynamic_features(&toks, i, p1, p2, &mut dyn_feats);
                    feats.extend_from_slice(&dyn_feats);
                    head.weights.scores(&feats, &mut scores);
                    argmax(&scores)
                };
                labels.push(label);
                p2 = p1;
                p1 = label as u64;
            }
            for (i, &label) in labels.iter().enumerate() {
                let tag = self.tags[h][label];
                if self.joint {
                    out[i] = tag;
                } else if h == 0 {
                    out[i].upos = tag.upos;
                } else {
                    out[i].xpos = tag.xpos;
                }
            }
        }
        out
    }

    /// (UPOS, XPOS) accuracy in percent on gold sentences.
    pub fn accuracy(&self, sents: &[PosSentence]) -> (f64, f64) {
        let (mut u, mut x, mut n) = (0usize, 0usize, 0usize);
        for s in sents {
            let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
            for (i, t) in self.tag(&words).iter().enumerate() {
                u += (t.upos == s.upos[i]) as usize;
                x += (t.xpos == s.xpos[i]) as usize;
                n += 1;
            }
        }
        if n == 0 {
            (0.0, 0.0)
        } else {
            (100.0 * u as f64 / n as f64, 100.0 * x as f64 / n as f64)
        }
    }

    /// Training facts and scores recorded in the file (JSON).
    pub fn meta(&self) -> &serde_json::Value {
        &self.meta
    }

    /// Adds a key to the metadata (e.g. dev scores, data description).
    pub fn set_meta(&mut self, key: &str, value: serde_json::Value) {
        ModelFile::set_meta(&mut self.meta, key, value);
    }

    /// What identifies this model in a pipeline fingerprint: its file checksum in hex
    /// (computed from the bytes for a model that was never saved).
    pub fn fingerprint(&self) -> String {
        let sum = self.checksum.unwrap_or_else(|| {
            let b = self.to_bytes();
            u64::from_le_bytes(b[b.len() - 8..].try_into().expect("8 bytes"))
        });
        format!("{sum:016x}")
    }

    /// Rows in the weight tables.
    pub fn n_features(&self) -> usize {
        self.heads.iter().map(|h| h.weights.len()).sum()
    }

    fn to_file(&self) -> ModelFile {
        let mut meta = self.meta.clone();
        if !meta.is_object() {
            meta = serde_json::json!({});
        }
        meta["joint"] = serde_json::json!(self.joint);
        meta["labels"] = serde_json::json!(self
            .heads
            .iter()
            .map(|h| h.labels.clone())
            .collect::<Vec<_>>());
        let mut file = ModelFile::new("pos", meta);
        for (h, head) in self.heads.iter().enumerate() {
            let mut w = Writer::default();
            head.weights.write_to(&mut w);
            file.push_section(format!("weights{h}"), w.buf);
            let mut w = Writer::default();
            let mut d: Vec<(u64, u16)> = head.dict.iter().map(|(k, v)| (*k, *v)).collect();
            d.sort_unstable();
            w.u32(d.len() as u32);
            for (k, v) in d {
                w.u64(k);
                w.u16(v);
            }
            file.push_section(format!("dict{h}"), w.buf);
        }
        let mut w = Writer::default();
        let mut a: Vec<(u64, u64)> = self.amb.iter().map(|(k, v)| (*k, *v)).collect();
        a.sort_unstable();
        w.u32(a.len() as u32);
        for (k, v) in a {
            w.u64(k);
            w.u64(v);
        }
        file.push_section("ambiguity", w.buf);
        if let Some(c) = &self.clusters {
            let mut w = Writer::default();
            c.write_to(&mut w);
            file.push_section("clusters", w.buf);
        }
        file
    }

    /// The model as file bytes (deterministic).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_file().to_bytes()
    }

    /// Writes the model atomically.
    pub fn save(&self, path: &Path) -> Result<(), ModelError> {
        self.to_file().save(path)
    }

    /// Reads a `pos` model file.
    pub fn load(path: &Path) -> Result<PosModel, ModelError> {
        let bytes = ModelFile::read_bytes(path)?;
        PosModel::from_bytes(&bytes, path)
    }

    /// Parses model bytes; `path` names the file in errors.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<PosModel, ModelError> {
        let file = ModelFile::from_bytes(bytes, path, Some("pos"))?;
        let corrupt = |m: &str| ModelError::Corrupt {
            path: path.to_path_buf(),
            message: m.to_string(),
        };
        let joint = file
            .meta
            .get("joint")
            .and_then(|j| j.as_bool())
            .ok_or_else(|| corrupt("metadata lacks `joint`"))?;
        let labels: Vec<Vec<String>> = file
            .meta
            .get("labels")
            .and_then(|l| serde_json::from_value(l.clone()).ok())
            .ok_or_else(|| corrupt("metadata lacks `labels`"))?;
        if labels.len() != if joint { 1 } else { 2 } {
            return Err(corrupt("wrong number of label sets"));
        }
        let mut heads = Vec::new();
        for (h, labels) in labels.into_iter().enumerate() {
            let sec = file.section(&format!("weights{h}"), path)?;
            let mut r = Reader::new(sec, path);
            let weights = Weights::read_from(&mut r)?;
            if weights.n_classes() != labels.len() {
                return Err(corrupt("weight table and labels disagree"));
            }
            let sec = file.section(&format!("dict{h}"), path)?;
            let mut r = Reader::new(sec, path);
            let n = r.u32()? as usize;
            r.need(n.saturating_mul(10))?;
            let mut dict = KeyMap::default();
            for _ in 0..n {
                let k = r.u64()?;
                let v = r.u16()?;
                if v as usize >= labels.len() {
                    return Err(corrupt("tag dictionary label out of range"));
                }
                dict.insert(k, v);
            }
            heads.push(Head::new(labels, weights, dict));
        }
        let clusters = match file.sections.iter().find(|(n, _)| n == "clusters") {
            Some((_, b)) => Some(Clusters::read_from(&mut Reader::new(b, path))?),
            None => None,
        };
        let mut r = Reader::new(file.section("ambiguity", path)?, path);
        let n = r.u32()? as usize;
        r.need(n.saturating_mul(16))?;
        let mut amb = AmbClasses::default();
        amb.reserve(n);
        for _ in 0..n {
            let k = r.u64()?;
            amb.insert(k, r.u64()?);
        }
        let tags = Self::tag_tables(joint, &heads);
        let checksum = Some(u64::from_le_bytes(
            bytes[bytes.len() - 8..].try_into().expect("8 bytes"),
        ));
        Ok(PosModel {
            joint,
            heads,
            clusters,
            amb,
            tags,
            meta: file.meta,
            checksum,
        })
    }
}

/// The pipeline component: tags each sentence's tokens and fills [`Doc::pos`].
pub struct PosTagger {
    model: PosModel,
    fingerprint: String,
}

impl PosTagger {
    pub fn new(model: PosModel) -> PosTagger {
        let fingerprint = model.fingerprint();
        PosTagger { model, fingerprint }
    }

    pub fn load(path: &Path) -> Result<PosTagger, ModelError> {
        Ok(PosTagger::new(PosModel::load(path)?))
    }

    pub fn model(&self) -> &PosModel {
        &self.model
    }
}

impl Component for PosTagger {
    fn name(&self) -> &'static str {
        "pos"
    }

    fn fingerprint(&self) -> String {
        format!("pos:{}", self.fingerprint)
    }

    fn process(&self, doc: &mut Doc) {
        let mut pos = vec![
            PosTag {
                upos: "X",
                xpos: "XX"
            };
            doc.tokens.len()
        ];
        let mut words: Vec<&str> = Vec::new();
        for s in &doc.sentences {
            words.clear();
            let range = s.tokens.start.min(doc.tokens.len())..s.tokens.end.min(doc.tokens.len());
            words.extend(
                range
                    .clone()
                    .map(|i| &doc.text[doc.tokens[i].start..doc.tokens[i].end]),
            );
            for (i, t) in range.zip(self.model.tag(&words)) {
                pos[i] = t;
            }
        }
        doc.pos = pos;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(s: &str) -> PosSentence {
        let mut out = PosSentence::default();
        for tok in s.split_whitespace() {
            let mut p = tok.split('/');
            out.words.push(p.next().unwrap().to_string());
            out.upos.push(p.next().unwrap().to_string());
            out.xpos.push(p.next().unwrap().to_string());
        }
        out
    }

    fn data() -> Vec<PosSentence> {
        [
            "the/DET/DT dog/NOUN/NN runs/VERB/VBZ ./PUNCT/.",
            "a/DET/DT cat/NOUN/NN sleeps/VERB/VBZ ./PUNCT/.",
            "Anna/PROPN/NNP sees/VERB/VBZ the/DET/DT cat/NOUN/NN ./PUNCT/.",
            "the/DET/DT cats/NOUN/NNS run/VERB/VBP ./PUNCT/.",
            "Berlin/PROPN/NNP sleeps/VERB/VBZ ./PUNCT/.",
            "dogs/NOUN/NNS see/VERB/VBP a/DET/DT dog/NOUN/NN ./PUNCT/.",
        ]
        .iter()
        .map(|s| sent(s))
        .collect()
    }

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("kith-pos-test-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn cfg(joint: bool) -> PosTrainConfig {
        PosTrainConfig {
            epochs: 10,
            joint,
            dict_min_count: 3,
            ..PosTrainConfig::default()
        }
    }

    #[test]
    fn learns_saves_loads_and_is_deterministic() {
        let train = data();
        for joint in [true, false] {
            let mut epochs = 0;
            let model = PosModel::train(&train, &train[..2], &cfg(joint), |_, _, dev| {
                epochs += 1;
                assert!(dev.is_some());
            });
            assert_eq!(epochs, 10);
            let (u, x) = model.accuracy(&train);
            assert!(u > 95.0 && x > 95.0, "joint={joint}: {u} {x}");
            let tags = model.tag(&["the", "cat", "runs", "."]);
            assert_eq!(
                tags.iter().map(|t| t.upos).collect::<Vec<_>>(),
                ["DET", "NOUN", "VERB", "PUNCT"]
            );
            assert_eq!(tags[1].xpos, "NN");
            let bytes = model.to_bytes();
            let again = PosModel::train(&train, &train[..2], &cfg(joint), |_, _, _| {});
            assert_eq!(
                bytes,
                again.to_bytes(),
                "same data and seed give the same bytes"
            );
            let dir = temp_dir("roundtrip");
            let path = dir.join("pos.kmodel");
            model.save(&path).unwrap();
            let loaded = PosModel::load(&path).unwrap();
            assert_eq!(loaded.tag(&["the", "cat", "runs", "."]), tags);
            assert_eq!(loaded.to_bytes(), bytes);
            std::fs::remove_dir_all(&dir).unwrap();
        }
    }

    #[test]
    fn ensemble_learns_and_is_deterministic() {
        let train = data();
        let cfg = PosTrainConfig {
            ensemble: 3,
            ..cfg(true)
        };
        let mut calls = 0;
        let model = PosModel::train(&train, &train[..2], &cfg, |_, _, dev| {
            calls += 1;
            assert!(dev.is_some());
        });
        assert_eq!(calls, 1, "one report, for the averaged model");
        let (u, x) = model.accuracy(&train);
        assert!(u > 95.0 && x > 95.0, "{u} {x}");
        assert_eq!(model.meta()["ensemble"], 3);
        let again = PosModel::train(&train, &[], &cfg, |_, _, _| {});
        assert_eq!(model.to_bytes(), again.to_bytes());
        let loaded = PosModel::from_bytes(&model.to_bytes(), Path::new("m")).unwrap();
        assert_eq!(
            loaded.tag(&["the", "cat", "runs", "."]),
            model.tag(&["the", "cat", "runs", "."])
        );
    }

    #[test]
    fn feature_dropout_is_seeded_and_still_learns() {
        let train = data();
        let plain = PosModel::train(&train, &[], &cfg(true), |_, _, _| {});
        let cfg = PosTrainConfig {
            feature_dropout: 0.25,
            ..cfg(true)
        };
        let model = PosModel::train(&train, &[], &cfg, |_, _, _| {});
        assert_eq!(model.meta()["feature_dropout"], 0.25);
        let (u, x) = model.accuracy(&train);
        assert!(u > 95.0 && x > 95.0, "{u} {x}");
        assert_ne!(
            model.to_bytes(),
            plain.to_bytes(),
            "dropout changes the updates"
        );
        assert_eq!(
            model.to_bytes(),
            PosModel::train(&train, &[], &cfg, |_, _, _| {}).to_bytes(),
            "seeded"
        );
    }

    #[test]
    fn refuses_corrupt_and_foreign_files() {
        let model = PosModel::train(&data(), &[], &cfg(true), |_, _, _| {});
        let mut bytes = model.to_bytes();
        let n = bytes.len();
        bytes[n / 2] ^= 0x55;
        let e = PosModel::from_bytes(&bytes, Path::new("x.kmodel"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("x.kmodel"), "{e}");
        let e = PosModel::from_bytes(&bytes[..n / 3], Path::new("x.kmodel"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("x.kmodel"), "{e}");
        let other = ModelFile::new("ner", serde_json::json!({})).to_bytes();
        let e = PosModel::from_bytes(&other, Path::new("y.kmodel"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("`ner` model, expected a `pos` model"), "{e}");
    }

    #[test]
    fn component_fills_doc_pos_and_survives_odd_input() {
        let model = PosModel::train(&data(), &[], &cfg(true), |_, _, _| {});
        let pipeline = crate::Pipeline::new()
            .with(crate::Tokenizer)
            .with(PosTagger::new(model.clone()));
        for text in [
            "",
            "the cat runs.",
            "ÄÖÜ 😀 \u{7} ЖЖ 漢字",
            &"word ".repeat(20000),
        ] {
            let mut doc = Doc::new(kith_schema::DocId::from_content(text), text, "-");
            pipeline.run(&mut doc);
            assert_eq!(doc.pos.len(), doc.tokens.len());
        }
        let mut doc = Doc::new(kith_schema::DocId::from_content("x"), "the cat runs.", "-");
        pipeline.run(&mut doc);
        assert_eq!(doc.pos[1], PosTag::new("NOUN", "NN"));
        let fp = pipeline.fingerprint();
        assert!(fp.contains(&format!("pos:{}", model.fingerprint())), "{fp}");
        let loaded = PosModel::from_bytes(&model.to_bytes(), Path::new("m")).unwrap();
        assert_eq!(loaded.fingerprint(), model.fingerprint());
    }

    #[test]
    fn clusters_read_and_look_up_by_case() {
        let dir = temp_dir("clusters");
        let p = dir.join("c.tsv");
        std::fs::write(&p, "berlin\t1\t2\t3\t4\nDog\t5\t6\t7\t8\n").unwrap();
        let c = Clusters::from_tsv(&p).unwrap();
        assert_eq!(c.get("Berlin"), Some(1 << 40 | 2 << 30 | 3 << 20 | 4));
        assert_eq!(c.get("DOG"), Some(5 << 40 | 6 << 30 | 7 << 20 | 8));
        assert_eq!(c.get("cat"), None);
        std::fs::write(&p, "x\t1\n").unwrap();
        assert!(Clusters::from_tsv(&p)
            .unwrap_err()
            .to_string()
            .contains("line 1"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
