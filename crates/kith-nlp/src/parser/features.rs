//! Parser features, hashed ([`crate::model::FeatureHasher`]) and never built as strings.
//!
//! * Action features (Zhang & Nivre 2011, adapted to arc-hybrid, where `s1` is the other
//!   candidate head of `s0`): words, tags and relations of `s0 s1 s2 b0 b1 b2`, of the
//!   leftmost/rightmost dependents of `s0` and `s1`, of the two leftmost of `b0`; word and
//!   tag pairs and tag triples; distances `s0–b0` and `s1–s0`; valencies; relation sets of
//!   dependents; word clusters of `s0 s1 b0 b1`.
//! * Relation features, computed once an arc is chosen: head and dependent words, tags and
//!   clusters, direction and distance, the dependent's own (complete) dependents and the
//!   relations the head already has on that side.
//!
//! Template ids are the order of the pushes below; [`FEATURES_VERSION`] is stored in model
//! files and checked at load, so a model trained with other templates is refused.

use super::transition::{State, NONE};
use crate::model::WordClusters;
use crate::model::{fhash, FeatureHasher};

/// Bumped whenever a template changes.
pub const FEATURES_VERSION: u32 = 3;

/// A word as features see it.
#[derive(Clone, Copy, Debug)]
pub struct Tok {
    /// Lower case, digits normalised.
    pub w: u64,
    /// XPOS, UPOS (hashed).
    pub p: u64,
    pub u: u64,
    /// Clusters at 64, 256 and 1024 classes (or a "none" value).
    pub c64: u64,
    pub c256: u64,
    pub c1024: u64,
    /// Last 3 characters (lower case).
    pub suf: u64,
}

const NO_LABEL: u64 = 0xFFFF;

/// Lower-cased form with numbers collapsed (`1984` → `!YEAR`, `3.5` → `!NUM`).
fn norm(word: &str) -> String {
    if word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        let digits = word.chars().filter(|c| c.is_ascii_digit()).count();
        return if digits == 4 && word.len() == 4 {
            "!YEAR".into()
        } else {
            "!NUM".into()
        };
    }
    word.to_lowercase()
}

fn suffix(w: &str, n: usize) -> &str {
    let start = w.char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i);
    &w[start..]
}

/// Features of each word, then the root (index `n`) and padding (index `n + 1`).
pub fn prepare(
    words: &[&str],
    xpos: &[&str],
    upos: &[&str],
    clusters: Option<&WordClusters>,
    out: &mut Vec<Tok>,
) {
    out.clear();
    for (i, w) in words.iter().enumerate() {
        let lower = norm(w);
        let (c64, c256, c1024) = match clusters.and_then(|c| c.get(w)) {
            Some(c) => (c[0] as u64, c[1] as u64, c[2] as u64),
            None => (2000, 2000, 2000),
        };
        out.push(Tok {
            w: fhash(&lower),
            p: fhash(xpos[i]),
            u: fhash(upos[i]),
            c64,
            c256,
            c1024,
            suf: fhash(suffix(&lower, 3)),
        });
    }
    let special = |s: &str| {
        let h = fhash(s);
        Tok {
            w: h,
            p: h,
            u: h,
            c64: h,
            c256: h,
            c1024: h,
            suf: h,
        }
    };
    out.push(special("<ROOT>"));
    out.push(special("<NONE>"));
}

/// The token slot of an item (padding for [`NONE`]).
#[inline]
fn at(toks: &[Tok], i: u32) -> &Tok {
    if i == NONE {
        &toks[toks.len() - 1]
    } else {
        &toks[i as usize]
    }
}

#[inline]
fn dist(a: u32, b: u32) -> u64 {
    if a == NONE || b == NONE {
        return 99;
    }
    let d = a.abs_diff(b) as u64;
    if d < 6 {
        d
    } else if d < 10 {
        6
    } else {
        7
    }
}

/// Features of the next action.
pub fn action_features(toks: &[Tok], st: &State, out: &mut Vec<u64>) {
    out.clear();
    let mut t = 0u32;
    macro_rules! f {
        ($($x:expr),*) => {{
            t += 1;
            out.push(FeatureHasher::new(t)$(.int($x))*.finish());
        }};
    }
    let label = |i: u32| -> u64 {
        if i == NONE || i >= st.n || st.heads[i as usize] == NONE {
            NO_LABEL
        } else {
            st.labels[i as usize] as u64
        }
    };
    let lc = |i: u32, k: usize| {
        if i == NONE {
            NONE
        } else {
            st.lc[i as usize][k]
        }
    };
    let rc = |i: u32, k: usize| {
        if i == NONE {
            NONE
        } else {
            st.rc[i as usize][k]
        }
    };
    let (s0i, s1i, s2i, b0i) = (st.s(0), st.s(1), st.s(2), st.b0);
    let b1i = if b0i < st.n { b0i + 1 } else { NONE };
    let b2i = if b0i + 1 < st.n { b0i + 2 } else { NONE };
    let (s0, s1, s2, b0, b1, b2) = (
        at(toks, s0i),
        at(toks, s1i),
        at(toks, s2i),
        at(toks, b0i),
        at(toks, b1i),
        at(toks, b2i),
    );
    let (s0li, s0ri, s0l2i, s0r2i) = (lc(s0i, 0), rc(s0i, 0), lc(s0i, 1), rc(s0i, 1));
    let (s1li, s1ri) = (lc(s1i, 0), rc(s1i, 0));
    let (b0li, b0l2i) = (lc(b0i, 0), lc(b0i, 1));
    let (s0l, s0r, s0l2, s0r2, s1l, s1r, b0l, b0l2) = (
        at(toks, s0li),
        at(toks, s0ri),
        at(toks, s0l2i),
        at(toks, s0r2i),
        at(toks, s1li),
        at(toks, s1ri),
        at(toks, b0li),
        at(toks, b0l2i),
    );

    f!();
    // Single words.
    f!(s0.w, s0.p);
    f!(s0.w);
    f!(s0.p);
    f!(b0.w, b0.p);
    f!(b0.w);
    f!(b0.p);
    f!(b1.w, b1.p);
    f!(b1.w);
    f!(b1.p);
    f!(b2.w, b2.p);
    f!(b2.w);
    f!(b2.p);
    f!(s1.w, s1.p);
    f!(s1.w);
    f!(s1.p);
    f!(s2.p);
    f!(s2.w);
    f!(s0.u);
    f!(b0.u);
    f!(s1.u);
    f!(s0.suf);
    f!(b0.suf);
    // Pairs.
    f!(s0.w, s0.p, b0.w, b0.p);
    f!(s0.w, s0.p, b0.w);
    f!(s0.w, b0.w, b0.p);
    f!(s0.w, s0.p, b0.p);
    f!(s0.p, b0.w, b0.p);
    f!(s0.w, b0.w);
    f!(s0.p, b0.p);
    f!(b0.p, b1.p);
    f!(s1.w, s1.p, s0.w, s0.p);
    f!(s1.w, s0.w);
    f!(s1.p, s0.p);
    f!(s1.w, s0.p);
    f!(s1.p, s0.w);
    f!(s1.p, b0.p);
    f!(s1.w, b0.w);
    // Triples.
    f!(b0.p, b1.p, b2.p);
    f!(s0.p, b0.p, b1.p);
    f!(s1.p, s0.p, b0.p);
    f!(s2.p, s1.p, s0.p);
    f!(s1.p, s0.p, b0.p, b1.p);
    f!(s0.p, s0l.p, b0.p);
    f!(s0.p, s0r.p, b0.p);
    f!(s0.p, b0.p, b0l.p);
    f!(s1.p, s0.p, s0l.p);
    f!(s1.p, s0.p, s0r.p);
    f!(s1.p, s1r.p, s0.p);
    f!(s1.p, s1l.p, s0.p);
    // Distance.
    let d = dist(s0i, b0i);
    f!(s0.w, d);
    f!(s0.p, d);
    f!(b0.w, d);
    f!(b0.p, d);
    f!(s0.w, b0.w, d);
    f!(s0.p, b0.p, d);
    let d1 = dist(s1i, s0i);
    f!(s1.p, s0.p, d1);
    f!(s1.w, s0.w, d1);
    f!(s0.w, d1);
    f!(s1.p, d1);
    // Valency.
    let val = |i: u32, left: bool| -> u64 {
        if i == NONE {
            99
        } else if left {
            st.lval[i as usize] as u64
        } else {
            st.rval[i as usize] as u64
        }
    };
    f!(s0.w, val(s0i, false));
    f!(s0.p, val(s0i, false));
    f!(s0.w, val(s0i, true));
    f!(s0.p, val(s0i, true));
    f!(b0.w, val(b0i, true));
    f!(b0.p, val(b0i, true));
    f!(s1.p, val(s1i, false));
    f!(s1.w, val(s1i, false));
    // Dependents: words, tags, relations.
    f!(s0l.w);
    f!(s0l.p);
    f!(label(s0li));
    f!(s0r.w);
    f!(s0r.p);
    f!(label(s0ri));
    f!(b0l.w);
    f!(b0l.p);
    f!(label(b0li));
    f!(s1l.p);
    f!(label(s1li));
    f!(s1r.p);
    f!(label(s1ri));
    f!(s1r.w);
    f!(label(s0i));
    f!(label(s1i));
    f!(s0l2.w);
    f!(s0l2.p);
    f!(label(s0l2i));
    f!(s0r2.w);
    f!(s0r2.p);
    f!(label(s0r2i));
    f!(b0l2.w);
    f!(b0l2.p);
    f!(label(b0l2i));
    f!(s0.p, s0l.p, s0l2.p);
    f!(s0.p, s0r.p, s0r2.p);
    f!(b0.p, b0l.p, b0l2.p);
    f!(s0.p, label(s0li), label(s0l2i));
    f!(s0.p, label(s0ri), label(s0r2i));
    f!(b0.p, label(b0li), label(b0l2i));
    f!(s0.p, label(s0ri), b0.p);
    f!(s1.p, label(s1ri), s0.p);
    // Relation sets.
    let set = |i: u32, left: bool| -> u64 {
        if i == NONE {
            99
        } else if left {
            st.lset[i as usize]
        } else {
            st.rset[i as usize]
        }
    };
    f!(s0.w, set(s0i, false));
    f!(s0.p, set(s0i, false));
    f!(s0.w, set(s0i, true));
    f!(s0.p, set(s0i, true));
    f!(b0.w, set(b0i, true));
    f!(b0.p, set(b0i, true));
    f!(s1.p, set(s1i, false));
    f!(s1.p, set(s1i, true));
    // Clusters.
    f!(s0.c256);
    f!(b0.c256);
    f!(s1.c256);
    f!(b1.c256);
    f!(s0.c1024);
    f!(b0.c1024);
    f!(s0.c256, b0.c256);
    f!(s1.c256, s0.c256);
    f!(s0.c1024, b0.p);
    f!(s0.p, b0.c1024);
    f!(s1.c1024, s0.p);
    f!(s1.p, s0.c1024);
    // Clusters as word back-off in pairs and triples (Koo, Carreras & Collins 2008).
    f!(s0.c1024, b0.c1024);
    f!(s1.c1024, s0.c1024);
    f!(s0.c64, b0.c64, s1.c64);
    f!(s0.c256, b0.p, b1.p);
    f!(s0.p, b0.c256, b1.p);
    f!(s1.c256, s0.p, b0.p);
    f!(s1.p, s0.c256, b0.p);
    f!(s1.p, s0.p, b0.c256);
    f!(s0.c256, s0r.p, b0.p);
    f!(s0.c256, b0.c256, d);
    f!(s1.c256, s0.c256, d1);
    f!(b0.c256, b0l.p, s0.p);
    // Words around s0 (b0 is s0's right neighbour only after reductions).
    let s0n = if s0i != NONE && s0i + 1 < st.n {
        s0i + 1
    } else {
        NONE
    };
    let s0p = if s0i != NONE && s0i > 0 {
        s0i - 1
    } else {
        NONE
    };
    f!(s0.p, at(toks, s0n).p, b0.p);
    f!(s0.p, at(toks, s0p).p, b0.p);
    f!(s0.p, at(toks, s0n).p);
    f!(b0.p, at(toks, if b0i > 0 { b0i - 1 } else { NONE }).p);
}

/// Features of the relation of the arc `head → dep` (the dependent's dependents are
/// complete: it is being popped).
pub fn label_features(toks: &[Tok], st: &State, head: u32, dep: u32, out: &mut Vec<u64>) {
    out.clear();
    let mut t = 1000u32;
    macro_rules! f {
        ($($x:expr),*) => {{
            t += 1;
            out.push(FeatureHasher::new(t)$(.int($x))*.finish());
        }};
    }
    let (h, d) = (at(toks, head), at(toks, dep));
    let dir = (dep < head) as u64;
    let dd = dist(head, dep);
    let lab = |i: u32| -> u64 {
        if i == NONE || i >= st.n || st.heads[i as usize] == NONE {
            NO_LABEL
        } else {
            st.labels[i as usize] as u64
        }
    };
    let (dl, dr, dl2, dr2) = (
        st.lc[dep as usize][0],
        st.rc[dep as usize][0],
        st.lc[dep as usize][1],
        st.rc[dep as usize][1],
    );
    let hside = if dir == 1 {
        st.lset[head as usize]
    } else {
        st.rset[head as usize]
    };
    let hother = if dir == 1 {
        st.rset[head as usize]
    } else {
        st.lset[head as usize]
    };
    f!();
    f!(dir);
    f!(h.w);
    f!(h.p);
    f!(d.w);
    f!(d.p);
    f!(d.w, d.p);
    f!(h.w, h.p);
    f!(h.p, d.p, dir);
    f!(h.w, d.p, dir);
    f!(h.p, d.w, dir);
    f!(h.w, d.w, dir);
    f!(h.p, d.p, dd, dir);
    f!(h.u, d.u, dir);
    f!(d.u, dir);
    f!(d.p, dir);
    f!(d.w, dir);
    f!(h.p, dir);
    f!(d.suf, d.p);
    f!(d.c256, dir);
    f!(d.c1024, dir);
    f!(h.c256, d.p, dir);
    f!(h.c1024, dir);
    f!(h.c1024, d.c1024, dir);
    f!(h.c256, d.c256, dir);
    f!(h.c64, d.p, at(toks, dl).w);
    f!(d.c256, at(toks, dl).w);
    // The dependent's own dependents.
    f!(st.lset[dep as usize], d.p);
    f!(st.rset[dep as usize], d.p);
    f!(st.lset[dep as usize], st.rset[dep as usize], d.u);
    f!(lab(dl), d.p);
    f!(lab(dr), d.p);
    f!(lab(dl2), lab(dl), d.p);
    f!(lab(dr), lab(dr2), d.p);
    f!(at(toks, dl).w, d.p);
    f!(at(toks, dl).w, d.p, h.p);
    f!(at(toks, dl).w, at(toks, dl2).w);
    f!(at(toks, dl).p, d.p, h.p);
    f!(at(toks, dr).p, d.p);
    f!(
        st.lval[dep as usize] as u64,
        st.rval[dep as usize] as u64,
        d.p
    );
    // The head's relations so far.
    f!(hside, d.p, dir);
    f!(hother, h.p);
    f!(hside, hother, d.u, h.u);
    f!(lab(head), d.p);
    f!(lab(head), h.p, d.p);
    // Neighbours.
    let prev = |i: u32| if i > 0 && i != NONE { i - 1 } else { NONE };
    let next = |i: u32| {
        if i != NONE && i + 1 < st.n {
            i + 1
        } else {
            NONE
        }
    };
    f!(at(toks, prev(dep)).w, d.p);
    f!(at(toks, prev(dep)).p, d.p, dir);
    f!(at(toks, next(dep)).p, d.p, dir);
    f!(at(toks, prev(dep)).w, at(toks, dl).w, d.p);
    f!(h.p, at(toks, next(head)).p, d.p);
    f!((head == st.n) as u64, d.p);
    // The head's dependent next to this one on the same side (a `cc` before a `conj`).
    let sib = if dir == 1 {
        st.lc[head as usize][0]
    } else {
        st.rc[head as usize][0]
    };
    f!(lab(sib), d.p, dir);
    f!(lab(sib), at(toks, sib).p, d.p, h.p);
    f!(lab(sib), at(toks, sib).w, d.u);
    let hval = if dir == 1 {
        st.lval[head as usize]
    } else {
        st.rval[head as usize]
    } as u64;
    f!(hval.min(4), h.p, d.p, dir);
    f!(h.p, d.p, at(toks, dl).p, at(toks, dr).p);
    f!(h.w, d.w, at(toks, dl).w);
}
