//! NER features: the template ids of both passes, the switches, and the sentence
//! features: per-token hashes computed once (with name-list bits, word clusters,
//! gazetteer membership and lexicon codes), then templates over a ±2 window. Pass 2's
//! document features are built in `document`, the name lists in `name_lists`.
//!
//! Every feature is a `u64` key from [`FeatureHasher`]; no string is allocated per token
//! except in [`lower_key`] for words with non-ASCII upper case.

use super::lexicon::Lexicon;
use super::name_lists::NameLists;
use crate::model::{fhash, FeatureHasher, WordClusters, NO_CLUSTER};

// Template ids (stable: part of the model format).
const T_BIAS: u32 = 1;
const T_WORD: u32 = 2;
const T_LOWER: u32 = 3;
const T_SHAPE: u32 = 4;
const T_SHORT: u32 = 5;
const T_PRE: u32 = 6; // + 0..4
const T_SUF: u32 = 10; // + 0..4
const T_L_M1: u32 = 14;
const T_L_P1: u32 = 15;
const T_L_M2: u32 = 16;
const T_L_P2: u32 = 17;
const T_SHORT3: u32 = 18;
const T_SHAPE_M1: u32 = 19;
const T_SHAPE_P1: u32 = 20;
const T_BI_M1: u32 = 21;
const T_BI_P1: u32 = 22;
const T_FIRST: u32 = 23;
const T_HEADLINE: u32 = 24;
const T_GAZ: u32 = 25;
const T_GAZ_M1: u32 = 26;
const T_GAZ_P1: u32 = 27;
const T_NAMES: u32 = 28;
const T_NAMES_M1: u32 = 29;
const T_NAMES_P1: u32 = 30;
const T_CL: u32 = 31; // + 0..4
const T_CL_M1: u32 = 35; // + 0..2 (c256, c1024)
const T_CL_P1: u32 = 37;
const T_LM1_SHORT: u32 = 39;
const T_SHORT_LP1: u32 = 40;
const T_HEAD_LOWER: u32 = 41;
const T_NAMES_SHORT: u32 = 42;
// Document features.
pub(super) const T_P1: u32 = 60;
pub(super) const T_P1_M1: u32 = 61;
pub(super) const T_P1_P1: u32 = 62;
pub(super) const T_DOC_MAJ: u32 = 63;
pub(super) const T_DOC_LONG: u32 = 64;
pub(super) const T_DOC_MAJ_SHORT: u32 = 65;
pub(super) const T_DOC_LOWER: u32 = 66;
pub(super) const T_DOC_CTX: u32 = 67; // + offset -2, -1, +1, +2 as 0..4
                                      // A number of its own: with T_LEX_M1's (both hash two small ints, type or list and
                                      // quarter or code) their keys would coincide when both switches are on.
pub(super) const T_DOC_DIST: u32 = 77;
// Document topic (switch `doc_topic`): the document's first word × the token's c256
// cluster, short shape and lexicon codes; in pass 2 also × the token's pass-1 label.
pub(super) const T_TOPIC_CL2: u32 = 78;
pub(super) const T_TOPIC_P1: u32 = 79;
pub(super) const T_TOPIC_LEX2: u32 = 80;
pub(super) const T_TOPIC_SHORT2: u32 = 81;
const T_TOPIC_CL: u32 = 83;
const T_TOPIC_SHORT: u32 = 84;
const T_TOPIC_LEX: u32 = 85;
const T_CL_M2: u32 = 43; // + 0..2
const T_CL_P2: u32 = 45;
const T_CL_BI_M1: u32 = 47;
const T_CL_BI_P1: u32 = 48;
// Sentence type (switch `sentence_type`): the sentence's class (share of number tokens,
// any lower-case word, length) × the word's short shape, × its c256 cluster, × its
// position; the nearest number token within 4 on each side (distance, short shape) × the
// word's short shape.
const T_SENT_SHORT: u32 = 50;
const T_SENT_CL: u32 = 51;
const T_SENT_POS: u32 = 52;
const T_NUM_L: u32 = 53;
const T_NUM_R: u32 = 54;
// Character n-grams of the lower-cased word with boundary marks (switch `char_ngrams`):
// 55 for 3-grams, 56 for 4-grams, 57 for 5-grams.
const T_NGRAM: u32 = 55;
// External lexicons (`lexicon.rs`): list and position code of the token, of ±1, and code
// × short shape.
// T_LEX shares 70 with T_DOC_CTX + 3 (offset +2): kept, because the CoNLL-2003 model uses
// both and its keys do not coincide (two parts hashed against one: a collision only by
// chance, as between any two features); renumbering would change that model's bytes.
const T_LEX: u32 = 70;
const T_LEX_M1: u32 = 71;
const T_LEX_P1: u32 = 72;
const T_LEX_SHORT: u32 = 73;
const T_LEX_JOINT: u32 = 74;
const T_LEX_LM1: u32 = 75;
const T_LEX_LP1: u32 = 76;
/// Transition features: key of label `p` (or start) as the previous label.
const T_TRANS: u32 = 90;
// Stacking (switch `stack`): the type the inner NER model (stored in the file) gave the
// token (0: none). Its BILOU label, the labels at ±1, label × shape, × c256 cluster, × word,
// × topic, × pass-1 label and the span's confidence were measured on CoNLL-2003 and did
// no better (docs/experiments/2026-12-06-ner-stacking.md).
const T_STACK: u32 = 91;

pub fn trans_key(prev: usize) -> u64 {
    FeatureHasher::new(T_TRANS).int(prev as u64).finish()
}

pub(super) const BOS: u64 = 0xB05;
pub(super) const EOS: u64 = 0xE05;

/// Which feature groups are on (stored in the model's metadata).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct FeatureSwitches {
    /// The word's 1–4 character prefixes and suffixes.
    pub affixes: bool,
    /// The lower-case words at ±1 and ±2, the neighbours' shapes, and word bigrams.
    pub window: bool,
    /// Gazetteer membership of the token and its neighbours.
    pub gazetteer: bool,
    /// Name lists derived from the training data (jackknifed in training).
    pub name_lists: bool,
    /// Word clusters of the token and its neighbours (when the model has a table).
    pub clusters: bool,
    /// Pass 2: document-level features from pass 1's output (without it the model has
    /// one pass).
    pub document: bool,
    /// Wider cluster context: clusters of the words at ±2 and cluster bigrams with ±1.
    pub wide_clusters: bool,
    /// Document feature: a capitalised word also seen in lower case in the document.
    pub doc_lower: bool,
    /// External lexicons stored in the model (no effect when it holds none). Written only
    /// when on, so that the metadata of a model without lexicons has no such key (as in the
    /// shipped `ner-en.kmodel`, a format version 1 file).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub lexicons: bool,
    /// With `lexicons`: also the token's codes in all lists as one feature (a name that is
    /// both a city and a surname).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub lexicon_joint: bool,
    /// With `lexicons`: the token's codes × the lower-case words at -1 and +1 (*beat* +
    /// a city: a team, not a place).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub lexicon_context: bool,
    /// Document features (Ratinov & Roth's context aggregation): the lower-case words at
    /// ±1, ±2 around the other occurrences of the same capitalised word.
    // Not written when off, so that models trained without it keep their bytes.
    #[serde(skip_serializing_if = "is_false")]
    pub doc_context: bool,
    /// Document features (Ratinov & Roth's extended prediction history, over all other
    /// occurrences): the share of each type pass 1 gave the word's other capitalised
    /// occurrences, in quarters.
    #[serde(skip_serializing_if = "is_false")]
    pub doc_distribution: bool,
    /// What kind of sentence the word is in — prose, headline, a results table or a line-up
    /// (share of number tokens, any lower-case word, length) — conjoined with the word's
    /// shape, cluster and position, and the nearest number tokens: in *Leeds 2 Coventry 1*
    /// the names are teams, in prose the same words are towns.
    #[serde(skip_serializing_if = "is_false")]
    pub sentence_type: bool,
    /// Character n-grams of the lower-cased word, with boundary marks, from 3 up to this
    /// length (0: off; 3, 4 or 5): the pieces of an unseen foreign name that say person,
    /// place or company (*-ovic*, *-sson*, *-burg*), beyond the prefixes and suffixes.
    #[serde(skip_serializing_if = "is_zero_u8")]
    pub char_ngrams: u8,
    /// The document's first word — in news-wire copy the headline's, often the desk or
    /// sport (*SOCCER -*, *CRICKET -*) — conjoined, for capitalised tokens, with the
    /// token's cluster, shape and lexicon codes, and in pass 2 with its pass-1 label: in a
    /// soccer report a town's name is a team.
    #[serde(skip_serializing_if = "is_false")]
    pub doc_topic: bool,
    /// Stacking: the type an inner NER model stored in the file (section `stack`), run
    /// first on the same words, gives each token is a feature — Florian et al.'s use of a
    /// tagger trained on other data. Set by training when the config names a `stack` model.
    #[serde(skip_serializing_if = "is_false")]
    pub stack: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero_u8(n: &u8) -> bool {
    *n == 0
}

impl FeatureSwitches {
    /// Refuses values outside their range, naming the switch.
    pub fn check(&self) -> Result<(), String> {
        if self.char_ngrams != 0 && !(3..=5).contains(&self.char_ngrams) {
            return Err(format!(
                "features.char_ngrams = {}: expected 0 (off), 3, 4 or 5",
                self.char_ngrams
            ));
        }
        Ok(())
    }
}

impl Default for FeatureSwitches {
    fn default() -> Self {
        FeatureSwitches {
            affixes: true,
            window: true,
            gazetteer: true,
            name_lists: true,
            clusters: true,
            document: true,
            wide_clusters: false,
            doc_lower: false,
            lexicons: true,
            lexicon_joint: false,
            lexicon_context: false,
            doc_context: false,
            doc_distribution: false,
            sentence_type: false,
            char_ngrams: 0,
            doc_topic: false,
            stack: false,
        }
    }
}

/// Key of a word as written.
#[inline]
pub fn word_key(w: &str) -> u64 {
    fhash(w)
}

/// Key of a word's lower-case form.
#[inline]
pub fn lower_key(w: &str) -> u64 {
    if w.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
        if w.is_ascii() {
            let mut buf = [0u8; 64];
            if w.len() <= 64 {
                let b = &mut buf[..w.len()];
                b.copy_from_slice(w.as_bytes());
                b.make_ascii_lowercase();
                return fhash(std::str::from_utf8(b).unwrap());
            }
        }
        fhash(&w.to_lowercase())
    } else {
        fhash(w)
    }
}

/// Word shape with runs capped at 4 (`Xxxxx` for `Washington`), and the short shape
/// with runs collapsed (`Xx`).
fn shapes(w: &str) -> (u64, u64) {
    let mut long = FeatureHasher::new(0);
    let mut short = FeatureHasher::new(0);
    let mut last = 0u8;
    let mut run = 0;
    let mut n = 0;
    for c in w.chars() {
        let k = if c.is_uppercase() {
            b'X'
        } else if c.is_lowercase() {
            b'x'
        } else if c.is_ascii_digit() {
            b'd'
        } else if c.is_alphabetic() {
            b'a'
        } else if (c as u32) < 128 {
            c as u8
        } else {
            b'*'
        };
        if k == last {
            run += 1;
        } else {
            run = 1;
            short = short.int(k as u64);
        }
        if run <= 4 {
            long = long.int(k as u64);
        }
        last = k;
        n += 1;
        if n > 64 {
            break;
        }
    }
    (long.finish(), short.finish())
}

/// Gazetteer membership of a token, from the spans the gazetteer wrote.
pub const GAZ_NONE: u8 = 0;
pub const GAZ_COUNTRY_B: u8 = 1;
pub const GAZ_COUNTRY_I: u8 = 2;
pub const GAZ_DEMONYM: u8 = 3;
pub const GAZ_ROLE: u8 = 4;

/// Keys of the cluster features a word with these ids fires (for pruning the table).
pub fn cluster_feature_keys(ids: &[u32; 4]) -> [u64; 4] {
    std::array::from_fn(|g| {
        FeatureHasher::new(T_CL + g as u32)
            .int(ids[g] as u64)
            .finish()
    })
}

/// What the extractor needs to know about one token.
#[derive(Clone, Copy, Debug)]
pub struct TokInfo {
    pub w: u64,
    pub l: u64,
    pub shape: u64,
    pub short: u64,
    pub gaz: u8,
    pub names: u8,
    pub cap: bool,
    pub cl: [u32; 4],
    /// Lexicon codes, 4 bits per list (`lexicon::LEX_B`..`LEX_U`; 0: none).
    pub lex: u32,
    /// A number token (digits, no letters); set only with `sentence_type`.
    pub num: bool,
}

impl TokInfo {
    fn pad(v: u64) -> TokInfo {
        TokInfo {
            w: v,
            l: v,
            shape: v,
            short: v,
            gaz: 255,
            names: 255,
            cap: false,
            cl: [v as u32; 4],
            lex: 0,
            num: false,
        }
    }
}

/// Whether a token is a number: a digit and no letter (`1996`, `6-82`, `1.069`; not `H1`).
fn is_number(w: &str) -> bool {
    let mut digit = false;
    for c in w.chars() {
        if c.is_alphabetic() {
            return false;
        }
        digit |= c.is_ascii_digit();
    }
    digit
}

/// The sentence's class for `sentence_type`: share of number tokens (none, < 20 %,
/// < 40 %, more), whether any word starts lower-case, and length (≤ 3, ≤ 8, ≤ 20, more).
fn sentence_class(words: &[&str], infos: &[TokInfo]) -> u64 {
    let n = words.len();
    let nums = infos.iter().filter(|t| t.num).count();
    let share = match nums * 10 {
        0 => 0,
        x if x < 2 * n => 1,
        x if x < 4 * n => 2,
        _ => 3,
    };
    let lower = words
        .iter()
        .any(|w| w.chars().next().is_some_and(char::is_lowercase)) as u64;
    let len = match n {
        0..=3 => 0,
        4..=8 => 1,
        9..=20 => 2,
        _ => 3,
    };
    share | lower << 2 | len << 3
}

/// Position of token `i` of `n` for `sentence_type`: first, second, last, other.
fn position_bucket(i: usize, n: usize) -> u64 {
    if i == 0 {
        0
    } else if i + 1 == n {
        2
    } else if i == 1 {
        1
    } else {
        3
    }
}

/// Pushes the `sentence_type` features of token `i` of the sentence `infos`, whose
/// [`sentence_class`] is `class`.
fn push_sentence_type(feats: &mut Vec<u64>, infos: &[TokInfo], i: usize, class: u64) {
    let f = |t: u32| FeatureHasher::new(t);
    let (n, me) = (infos.len(), &infos[i]);
    feats.push(f(T_SENT_SHORT).int(class).int(me.short).finish());
    if me.cl[1] != u32::MAX {
        feats.push(f(T_SENT_CL).int(class).int(me.cl[1] as u64).finish());
    }
    feats.push(f(T_SENT_POS).int(class).int(position_bucket(i, n)).finish());
    // Nearest number within 4 tokens each way: bounded, so linear time.
    if let Some(d) = (1..=4usize.min(i)).find(|&d| infos[i - d].num) {
        feats.push(
            f(T_NUM_L)
                .int(d as u64)
                .int(infos[i - d].short)
                .int(me.short)
                .finish(),
        );
    }
    if let Some(d) = (1..=4usize.min(n - 1 - i)).find(|&d| infos[i + d].num) {
        feats.push(
            f(T_NUM_R)
                .int(d as u64)
                .int(infos[i + d].short)
                .int(me.short)
                .finish(),
        );
    }
}

/// Longest word whose n-grams are taken (in characters): bounds a token's features.
const MAX_NGRAM_CHARS: usize = 32;
const NGRAM_START: u64 = 1 << 32;
const NGRAM_END: u64 = 2 << 32;

/// Pushes the hashed character n-grams (3..=`max`) of `w` lower-cased, between boundary
/// marks; words without a letter have none (their shape says enough). Hashes characters
/// one by one, so no string is allocated.
fn push_ngrams(feats: &mut Vec<u64>, w: &str, max: u8) {
    if !w.chars().any(char::is_alphabetic) {
        return;
    }
    let mut cs = [0u64; MAX_NGRAM_CHARS + 2];
    let mut k = 0;
    cs[k] = NGRAM_START;
    k += 1;
    for c in w.chars().take(MAX_NGRAM_CHARS) {
        // The first character of the lower case (`İ` lower-cases to two).
        cs[k] = c.to_lowercase().next().unwrap_or(c) as u64;
        k += 1;
    }
    cs[k] = NGRAM_END;
    k += 1;
    for n in 3..=(max as usize) {
        let t = T_NGRAM + (n - 3) as u32;
        for win in cs[..k].windows(n) {
            let h = win.iter().fold(FeatureHasher::new(t), |h, &c| h.int(c));
            feats.push(h.finish());
        }
    }
}

/// Sets the lexicon codes of `infos` (from [`token_infos`]), sentence by sentence (a match
/// never crosses a sentence); headline sentences also match upper-case forms.
pub fn lexicon_codes(
    lexicon: &Lexicon,
    words: &[&str],
    ranges: &[std::ops::Range<usize>],
    infos: &mut [TokInfo],
    codes: &mut Vec<u32>,
) {
    if lexicon.is_empty() {
        return;
    }
    for r in ranges {
        let r = r.start.min(infos.len())..r.end.min(infos.len());
        let n = r.len();
        if n == 0 {
            continue;
        }
        let infos = &mut infos[r.clone()];
        codes.clear();
        codes.resize(n, 0);
        lexicon.codes(
            n,
            |i| infos[i].w,
            |i| infos[i].cap,
            is_headline(&words[r]),
            codes,
        );
        for (info, &c) in infos.iter_mut().zip(codes.iter()) {
            info.lex = c;
        }
    }
}

/// Pushes one key per list with a code in `code` (template `t`, list, code, `extra`).
#[inline]
fn push_lex(feats: &mut Vec<u64>, t: u32, mut code: u32, extra: Option<u64>) {
    let mut list = 0u64;
    while code != 0 {
        let c = code & 0xF;
        if c != 0 {
            let h = FeatureHasher::new(t).int(list).int(c as u64);
            feats.push(match extra {
                Some(x) => h.int(x).finish(),
                None => h.finish(),
            });
        }
        code >>= 4;
        list += 1;
    }
}

/// Token infos of `words`, with gazetteer codes given.
pub fn token_infos(
    words: &[&str],
    gaz: &[u8],
    names: &NameLists,
    clusters: Option<&WordClusters>,
    sw: &FeatureSwitches,
    out: &mut Vec<TokInfo>,
) {
    out.clear();
    let clusters = clusters.filter(|_| sw.clusters);
    for (i, w) in words.iter().enumerate() {
        let wk = word_key(w);
        let lk = lower_key(w);
        if let Some(c) = clusters {
            c.prefetch(wk);
        }
        let (shape, short) = shapes(w);
        let cap = w.chars().next().is_some_and(|c| c.is_uppercase());
        out.push(TokInfo {
            w: wk,
            l: lk,
            shape,
            short,
            gaz: if sw.gazetteer {
                gaz.get(i).copied().unwrap_or(0)
            } else {
                0
            },
            // Name lists hold capitalised words only.
            names: if sw.name_lists && cap {
                names.get(wk)
            } else {
                0
            },
            cap,
            cl: NO_CLUSTER,
            lex: 0,
            num: sw.sentence_type && is_number(w),
        });
    }
    // Looked up after every token's slot was prefetched (a 470k-word table misses the cache).
    if let Some(c) = clusters {
        for info in out.iter_mut() {
            info.cl = c.get_keys(info.w, info.l);
        }
    }
}

/// Keys of the features naming the word itself (as written, lower case): what word
/// dropout hides in training.
pub(crate) fn identity_keys(info: &TokInfo) -> [u64; 2] {
    [
        FeatureHasher::new(T_WORD).int(info.w).finish(),
        FeatureHasher::new(T_LOWER).int(info.l).finish(),
    ]
}

/// Whether a sentence reads as a headline: at least two words with letters and none with
/// a lower-case letter.
pub fn is_headline(words: &[&str]) -> bool {
    let mut letters = 0;
    for w in words {
        if w.chars().any(|c| c.is_lowercase()) {
            return false;
        }
        if w.chars().any(|c| c.is_alphabetic()) {
            letters += 1;
        }
    }
    letters >= 2
}

/// The document's topic for `doc_topic`: the lower-case key of its first token (`infos`
/// of the whole document), or `None` when the switch is off.
pub fn doc_topic(infos: &[TokInfo], sw: &FeatureSwitches) -> Option<u64> {
    infos.first().filter(|_| sw.doc_topic).map(|t| t.l)
}

/// Features of one sentence (`words` and their `infos`), appended to `feats`, with
/// `offs` receiving each token's end offset (so token `t` is `offs[t]..offs[t+1]` with
/// `offs[0]` pushed first). `topic`: [`doc_topic`] of the sentence's document; `stack`:
/// the inner model's type of each token with stacking (`NerModel::stack_types`; else empty).
#[allow(clippy::too_many_arguments)]
pub fn sentence_features(
    words: &[&str],
    infos: &[TokInfo],
    stack: &[u8],
    topic: Option<u64>,
    sw: &FeatureSwitches,
    feats: &mut Vec<u64>,
    offs: &mut Vec<u32>,
) {
    let n = words.len();
    let topic = topic.filter(|_| sw.doc_topic);
    let headline = is_headline(words);
    let class = if sw.sentence_type {
        sentence_class(words, infos)
    } else {
        0
    };
    let bos = TokInfo::pad(BOS);
    let eos = TokInfo::pad(EOS);
    let at = |j: isize| -> &TokInfo {
        if j < 0 {
            &bos
        } else if j as usize >= n {
            &eos
        } else {
            &infos[j as usize]
        }
    };
    offs.push(feats.len() as u32);
    for i in 0..n {
        let w = words[i];
        let me = &infos[i];
        let (m1, p1) = (at(i as isize - 1), at(i as isize + 1));
        let f = |t: u32| FeatureHasher::new(t);
        feats.push(f(T_BIAS).finish());
        feats.push(f(T_WORD).int(me.w).finish());
        feats.push(f(T_LOWER).int(me.l).finish());
        feats.push(f(T_SHAPE).int(me.shape).finish());
        feats.push(f(T_SHORT).int(me.short).finish());
        if sw.affixes {
            let mut ends = [0usize; 4];
            let mut k = 0;
            for (b, c) in w.char_indices().skip(1).take(4) {
                let _ = c;
                ends[k] = b;
                k += 1;
            }
            // Prefixes of 1..=4 chars (when shorter than the word).
            for (j, &e) in ends[..k].iter().enumerate() {
                feats.push(f(T_PRE + j as u32).str(&w[..e]).finish());
            }
            let mut starts = [0usize; 4];
            let mut k = 0;
            for (b, _) in w.char_indices().rev().take(5) {
                if k < 4 && b > 0 {
                    starts[k] = b;
                    k += 1;
                }
            }
            for (j, &s) in starts[..k].iter().enumerate() {
                feats.push(f(T_SUF + j as u32).str(&w[s..]).finish());
            }
        }
        if sw.window {
            let (m2, p2) = (at(i as isize - 2), at(i as isize + 2));
            feats.push(f(T_L_M1).int(m1.l).finish());
            feats.push(f(T_L_P1).int(p1.l).finish());
            feats.push(f(T_L_M2).int(m2.l).finish());
            feats.push(f(T_L_P2).int(p2.l).finish());
            feats.push(
                f(T_SHORT3)
                    .int(m1.short)
                    .int(me.short)
                    .int(p1.short)
                    .finish(),
            );
            feats.push(f(T_SHAPE_M1).int(m1.shape).finish());
            feats.push(f(T_SHAPE_P1).int(p1.shape).finish());
            feats.push(f(T_BI_M1).int(m1.l).int(me.l).finish());
            feats.push(f(T_BI_P1).int(me.l).int(p1.l).finish());
            feats.push(f(T_LM1_SHORT).int(m1.l).int(me.short).finish());
            feats.push(f(T_SHORT_LP1).int(me.short).int(p1.l).finish());
        }
        if i == 0 {
            feats.push(f(T_FIRST).int(me.short).finish());
        }
        if headline {
            feats.push(f(T_HEADLINE).int(me.short).finish());
            feats.push(f(T_HEAD_LOWER).int(me.l).finish());
        }
        if sw.gazetteer {
            if me.gaz != 0 {
                feats.push(f(T_GAZ).int(me.gaz as u64).finish());
            }
            if m1.gaz != 0 {
                feats.push(f(T_GAZ_M1).int(m1.gaz as u64).finish());
            }
            if p1.gaz != 0 {
                feats.push(f(T_GAZ_P1).int(p1.gaz as u64).finish());
            }
        }
        if sw.name_lists {
            if me.names != 0 {
                feats.push(f(T_NAMES).int(me.names as u64).finish());
                feats.push(f(T_NAMES_SHORT).int(me.names as u64).int(me.short).finish());
            }
            if m1.names != 0 {
                feats.push(f(T_NAMES_M1).int(m1.names as u64).finish());
            }
            if p1.names != 0 {
                feats.push(f(T_NAMES_P1).int(p1.names as u64).finish());
            }
        }
        if sw.lexicons {
            push_lex(feats, T_LEX, me.lex, None);
            push_lex(feats, T_LEX_M1, m1.lex, None);
            push_lex(feats, T_LEX_P1, p1.lex, None);
            push_lex(feats, T_LEX_SHORT, me.lex, Some(me.short));
            if sw.lexicon_context && me.lex != 0 {
                push_lex(feats, T_LEX_LM1, me.lex, Some(m1.l));
                push_lex(feats, T_LEX_LP1, me.lex, Some(p1.l));
            }
            if sw.lexicon_joint && me.lex != 0 {
                feats.push(f(T_LEX_JOINT).int(me.lex as u64).finish());
            }
        }
        if sw.clusters && me.cl != NO_CLUSTER {
            for g in 0..4 {
                feats.push(f(T_CL + g as u32).int(me.cl[g] as u64).finish());
            }
        }
        if sw.clusters {
            for (g, c) in [1usize, 2].into_iter().enumerate() {
                if m1.cl[c] != u32::MAX {
                    feats.push(f(T_CL_M1 + g as u32).int(m1.cl[c] as u64).finish());
                }
                if p1.cl[c] != u32::MAX {
                    feats.push(f(T_CL_P1 + g as u32).int(p1.cl[c] as u64).finish());
                }
            }
            if sw.wide_clusters {
                let (m2, p2) = (at(i as isize - 2), at(i as isize + 2));
                for (g, c) in [1usize, 2].into_iter().enumerate() {
                    if m2.cl[c] != u32::MAX {
                        feats.push(f(T_CL_M2 + g as u32).int(m2.cl[c] as u64).finish());
                    }
                    if p2.cl[c] != u32::MAX {
                        feats.push(f(T_CL_P2 + g as u32).int(p2.cl[c] as u64).finish());
                    }
                }
                feats.push(
                    f(T_CL_BI_M1)
                        .int(m1.cl[1] as u64)
                        .int(me.cl[1] as u64)
                        .finish(),
                );
                feats.push(
                    f(T_CL_BI_P1)
                        .int(me.cl[1] as u64)
                        .int(p1.cl[1] as u64)
                        .finish(),
                );
            }
        }
        if sw.sentence_type {
            push_sentence_type(feats, &infos[..n], i, class);
        }
        if sw.char_ngrams >= 3 {
            push_ngrams(feats, w, sw.char_ngrams.min(5));
        }
        if sw.stack {
            // Tokens past the labels given (none without stacking) read as untyped.
            feats.push(
                f(T_STACK)
                    .int(stack.get(i).copied().unwrap_or(0) as u64)
                    .finish(),
            );
        }
        if let (Some(topic), true) = (topic, me.cap) {
            feats.push(f(T_TOPIC_CL).int(topic).int(me.cl[1] as u64).finish());
            feats.push(f(T_TOPIC_SHORT).int(topic).int(me.short).finish());
            if me.lex != 0 {
                feats.push(f(T_TOPIC_LEX).int(topic).int(me.lex as u64).finish());
            }
        }
        offs.push(feats.len() as u32);
    }
}

#[cfg(test)]
mod template_tests {
    use super::*;

    /// Feature templates (with the offsets some add) take distinct numbers, so that two
    /// features hashing the same parts never share a weight. The one overlap allowed is
    /// documented at `T_LEX`.
    #[test]
    fn templates_do_not_overlap() {
        let ranges: &[(&str, u32, u32)] = &[
            ("BIAS", T_BIAS, 1),
            ("WORD", T_WORD, 1),
            ("LOWER", T_LOWER, 1),
            ("SHAPE", T_SHAPE, 1),
            ("SHORT", T_SHORT, 1),
            ("PRE", T_PRE, 4),
            ("SUF", T_SUF, 4),
            ("L_M1", T_L_M1, 1),
            ("L_P1", T_L_P1, 1),
            ("L_M2", T_L_M2, 1),
            ("L_P2", T_L_P2, 1),
            ("SHORT3", T_SHORT3, 1),
            ("SHAPE_M1", T_SHAPE_M1, 1),
            ("SHAPE_P1", T_SHAPE_P1, 1),
            ("BI_M1", T_BI_M1, 1),
            ("BI_P1", T_BI_P1, 1),
            ("FIRST", T_FIRST, 1),
            ("HEADLINE", T_HEADLINE, 1),
            ("GAZ", T_GAZ, 1),
            ("GAZ_M1", T_GAZ_M1, 1),
            ("GAZ_P1", T_GAZ_P1, 1),
            ("NAMES", T_NAMES, 1),
            ("NAMES_M1", T_NAMES_M1, 1),
            ("NAMES_P1", T_NAMES_P1, 1),
            ("CL", T_CL, 4),
            ("CL_M1", T_CL_M1, 2),
            ("CL_P1", T_CL_P1, 2),
            ("LM1_SHORT", T_LM1_SHORT, 1),
            ("SHORT_LP1", T_SHORT_LP1, 1),
            ("HEAD_LOWER", T_HEAD_LOWER, 1),
            ("NAMES_SHORT", T_NAMES_SHORT, 1),
            ("CL_M2", T_CL_M2, 2),
            ("CL_P2", T_CL_P2, 2),
            ("CL_BI_M1", T_CL_BI_M1, 1),
            ("CL_BI_P1", T_CL_BI_P1, 1),
            ("P1", T_P1, 1),
            ("P1_M1", T_P1_M1, 1),
            ("P1_P1", T_P1_P1, 1),
            ("DOC_MAJ", T_DOC_MAJ, 1),
            ("DOC_LONG", T_DOC_LONG, 1),
            ("DOC_MAJ_SHORT", T_DOC_MAJ_SHORT, 1),
            ("DOC_LOWER", T_DOC_LOWER, 1),
            ("DOC_CTX", T_DOC_CTX, 4),
            ("DOC_DIST", T_DOC_DIST, 1),
            ("LEX", T_LEX, 1),
            ("LEX_M1", T_LEX_M1, 1),
            ("LEX_P1", T_LEX_P1, 1),
            ("LEX_SHORT", T_LEX_SHORT, 1),
            ("LEX_JOINT", T_LEX_JOINT, 1),
            ("LEX_LM1", T_LEX_LM1, 1),
            ("LEX_LP1", T_LEX_LP1, 1),
            ("SENT_SHORT", T_SENT_SHORT, 1),
            ("SENT_CL", T_SENT_CL, 1),
            ("SENT_POS", T_SENT_POS, 1),
            ("NUM_L", T_NUM_L, 1),
            ("NUM_R", T_NUM_R, 1),
            ("NGRAM", T_NGRAM, 3),
            ("TOPIC_CL2", T_TOPIC_CL2, 1),
            ("TOPIC_P1", T_TOPIC_P1, 1),
            ("TOPIC_LEX2", T_TOPIC_LEX2, 1),
            ("TOPIC_SHORT2", T_TOPIC_SHORT2, 1),
            ("TOPIC_CL", T_TOPIC_CL, 1),
            ("TOPIC_SHORT", T_TOPIC_SHORT, 1),
            ("TOPIC_LEX", T_TOPIC_LEX, 1),
            ("STACK", T_STACK, 1),
            ("TRANS", T_TRANS, 1),
        ];
        let allowed = |a: &str, b: &str| matches!((a, b), ("DOC_CTX", "LEX") | ("LEX", "DOC_CTX"));
        for (i, &(a, sa, na)) in ranges.iter().enumerate() {
            for &(b, sb, nb) in &ranges[i + 1..] {
                let overlap = sa < sb + nb && sb < sa + na;
                assert!(
                    !overlap || allowed(a, b),
                    "templates {a} ({sa}+{na}) and {b} ({sb}+{nb}) overlap"
                );
            }
        }
    }
}
