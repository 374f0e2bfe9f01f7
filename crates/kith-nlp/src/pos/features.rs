//! POS features: per-token hashes computed once, then the static templates (word,
//! affixes, shape, window, clusters, ambiguity classes) and the dynamic ones (the two
//! previous predicted tags).

use crate::model::WordClusters;
use crate::model::{fhash, FeatureHasher, KeyMap};

/// Ambiguity classes: fhash(word) → hash of the labels the word had in training (each
/// at least 5% of its occurrences), a feature for the word and its right neighbours
/// whose tags are not predicted yet.
pub(super) type AmbClasses = KeyMap<u64>;

pub(super) const START: u64 = u64::MAX - 1;
pub(super) const START2: u64 = u64::MAX - 2;

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
pub(super) struct Tok {
    pub word: u64,
    lower: u64,
    suf: [u64; 4],
    pre1: u64,
    pre2: u64,
    pre3: u64,
    shape: u64,
    flags: u64,
    clusters: Option<[u32; 4]>,
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

pub(super) fn prepare(
    words: &[&str],
    clusters: Option<&WordClusters>,
    amb: &AmbClasses,
) -> Vec<Tok> {
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
pub(super) fn static_features(toks: &[Tok], i: usize, out: &mut Vec<u64>) {
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
        out.push(f(T_ROW).int(c[3] as u64).finish());
        out.push(f(T_C1024).int(c[2] as u64).finish());
        out.push(f(T_C256).int(c[1] as u64).finish());
        out.push(f(T_C64).int(c[0] as u64).finish());
    }
    if let Some(c) = cl(i - 1) {
        out.push(f(T_C256_1).int(c[1] as u64).finish());
        out.push(f(T_C1024_1).int(c[2] as u64).finish());
    }
    if let Some(c) = cl(i + 1) {
        out.push(f(T_C256P1).int(c[1] as u64).finish());
        out.push(f(T_C1024P1).int(c[2] as u64).finish());
    }
}

pub(super) fn dynamic_features(toks: &[Tok], i: usize, p1: u64, p2: u64, out: &mut Vec<u64>) {
    out.clear();
    out.push(f(T_P1).int(p1).finish());
    out.push(f(T_P2).int(p2).finish());
    out.push(f(T_P12).int(p1).int(p2).finish());
    out.push(f(T_P1_W).int(p1).int(toks[i].lower).finish());
    out.push(f(T_P1_SUF3).int(p1).int(toks[i].suf[2]).finish());
}
