//! Pass 2's document features: what pass 1 predicted for the other occurrences of a word
//! in the document (majority type, multi-token names, contexts, type distribution) and
//! whether it also appears in lower case.

use super::features::{
    doc_topic, FeatureSwitches, TokInfo, BOS, EOS, T_DOC_CTX, T_DOC_DIST, T_DOC_LONG, T_DOC_LOWER,
    T_DOC_MAJ, T_DOC_MAJ_SHORT, T_P1, T_P1_M1, T_P1_P1, T_TOPIC_CL2, T_TOPIC_LEX2, T_TOPIC_P1,
    T_TOPIC_SHORT2,
};
use super::labels::{parts, N_LABELS};
use crate::model::{FeatureHasher, KeyMap};

/// What pass 1 predicted across a document, indexed for document features.
#[derive(Default)]
pub struct DocStats {
    /// Lower key of a capitalised token → token counts per type (inside pass-1 spans),
    /// counts inside multi-token spans per type, and occurrences.
    map: KeyMap<([u16; 5], [u16; 5], u16)>,
    /// Lower keys of words seen in lower case (not capitalised) in the document.
    lower: KeyMap<()>,
    /// Lower key of a capitalised word → the lower keys at -2, -1, +1, +2 of its first
    /// [`MAX_CONTEXTS`] occurrences.
    contexts: KeyMap<Vec<[u64; 4]>>,
    doc_lower: bool,
    doc_distribution: bool,
    /// [`doc_topic`] of the document.
    topic: Option<u64>,
}

/// Occurrences of a word whose contexts are aggregated: bounds the features of a token
/// (4 per occurrence), so a document costs linear time however often a name repeats.
const MAX_CONTEXTS: usize = 16;

/// Lower keys at -2, -1, +1, +2 around token `i` of a sentence.
fn context_of(infos: &[TokInfo], i: usize) -> [u64; 4] {
    let at = |j: isize| -> u64 {
        if j < 0 {
            BOS
        } else if j as usize >= infos.len() {
            EOS
        } else {
            infos[j as usize].l
        }
    };
    let i = i as isize;
    [at(i - 2), at(i - 1), at(i + 1), at(i + 2)]
}

impl DocStats {
    /// From every sentence's infos and pass-1 labels.
    pub fn build<'a>(
        sentences: impl Iterator<Item = (&'a [TokInfo], &'a [u8])>,
        sw: &FeatureSwitches,
    ) -> DocStats {
        let doc_lower = sw.doc_lower;
        let mut map: KeyMap<([u16; 5], [u16; 5], u16)> = KeyMap::default();
        let mut lower: KeyMap<()> = KeyMap::default();
        let mut contexts: KeyMap<Vec<[u64; 4]>> = KeyMap::default();
        let mut topic = None;
        for (infos, labels) in sentences {
            if topic.is_none() {
                topic = doc_topic(infos, sw);
            }
            for (i, (info, &label)) in infos.iter().zip(labels).enumerate() {
                if sw.doc_context && info.cap {
                    let c = contexts.entry(info.l).or_default();
                    if c.len() < MAX_CONTEXTS {
                        c.push(context_of(infos, i));
                    }
                }
                if !info.cap {
                    if doc_lower && info.w == info.l {
                        lower.insert(info.l, ());
                    }
                    continue;
                }
                let e = map.entry(info.l).or_default();
                e.2 = e.2.saturating_add(1);
                if let Some((t, pos)) = parts(label) {
                    e.0[t] = e.0[t].saturating_add(1);
                    if pos != super::labels::U {
                        e.1[t] = e.1[t].saturating_add(1);
                    }
                }
            }
        }
        DocStats {
            map,
            lower,
            contexts,
            doc_lower,
            doc_distribution: sw.doc_distribution,
            topic,
        }
    }

    /// Document features of one sentence, appended as for [`sentence_features`].
    pub fn features(
        &self,
        infos: &[TokInfo],
        labels: &[u8],
        feats: &mut Vec<u64>,
        offs: &mut Vec<u32>,
    ) {
        offs.push(feats.len() as u32);
        let n = infos.len();
        for i in 0..n {
            let f = |t: u32| FeatureHasher::new(t);
            let lab = labels[i] as u64;
            let prev = if i > 0 {
                labels[i - 1] as u64
            } else {
                N_LABELS as u64
            };
            let next = if i + 1 < n {
                labels[i + 1] as u64
            } else {
                N_LABELS as u64 + 1
            };
            feats.push(f(T_P1).int(lab).finish());
            feats.push(f(T_P1_M1).int(prev).int(lab).finish());
            feats.push(f(T_P1_P1).int(lab).int(next).finish());
            let info = &infos[i];
            if let (Some(topic), true) = (self.topic, info.cap) {
                feats.push(f(T_TOPIC_CL2).int(topic).int(info.cl[1] as u64).finish());
                feats.push(f(T_TOPIC_P1).int(topic).int(lab).finish());
                feats.push(f(T_TOPIC_SHORT2).int(topic).int(info.short).finish());
                if info.lex != 0 {
                    feats.push(f(T_TOPIC_LEX2).int(topic).int(info.lex as u64).finish());
                }
            }
            if self.doc_lower && info.cap && self.lower.contains_key(&info.l) {
                feats.push(f(T_DOC_LOWER).int((i == 0) as u64).int(lab).finish());
            }
            if info.cap {
                if let Some((types, long, total)) = self.map.get(&info.l) {
                    // Others: remove this token's own contribution.
                    let mut others = *types;
                    let mut others_long = *long;
                    if let Some((t, pos)) = parts(labels[i]) {
                        others[t] = others[t].saturating_sub(1);
                        if pos != super::labels::U {
                            others_long[t] = others_long[t].saturating_sub(1);
                        }
                    }
                    let occurrences = total.saturating_sub(1);
                    if let Some(t) = argmax_nonzero(&others) {
                        let frac = others[t] as f32 / occurrences.max(1) as f32;
                        let bucket = if frac >= 0.5 { 1 } else { 0 };
                        feats.push(f(T_DOC_MAJ).int(t as u64).int(bucket).finish());
                        feats.push(f(T_DOC_MAJ_SHORT).int(t as u64).int(info.short).finish());
                    }
                    if let Some(t) = argmax_nonzero(&others_long) {
                        feats.push(f(T_DOC_LONG).int(t as u64).finish());
                    }
                    if self.doc_distribution && occurrences > 0 {
                        // Types, and no type (5), by their share in quarters (1..=4).
                        let occurrences = occurrences as u32;
                        let typed: u32 = others.iter().map(|&c| c as u32).sum();
                        let none = occurrences.saturating_sub(typed);
                        let counts = others.map(u32::from);
                        for (t, &c) in counts.iter().chain(std::iter::once(&none)).enumerate() {
                            if c > 0 {
                                let q = (4 * c).div_ceil(occurrences).min(4);
                                feats.push(f(T_DOC_DIST).int(t as u64).int(q as u64).finish());
                            }
                        }
                    }
                }
                if let Some(ctxs) = self.contexts.get(&info.l) {
                    // Other occurrences' contexts: skip this token's own (once), emit each
                    // (offset, word) once.
                    let own = context_of(infos, i);
                    let at = feats.len();
                    let mut skipped = false;
                    for c in ctxs {
                        if !skipped && *c == own {
                            skipped = true;
                            continue;
                        }
                        for (o, &l) in c.iter().enumerate() {
                            feats.push(f(T_DOC_CTX + o as u32).int(l).finish());
                        }
                    }
                    let tail = &mut feats[at..];
                    tail.sort_unstable();
                    let kept = dedup_in_place(tail);
                    feats.truncate(at + kept);
                }
            }
            offs.push(feats.len() as u32);
        }
    }
}

/// Removes repeats from a sorted slice, moving the distinct values to its front; returns
/// how many there are.
fn dedup_in_place(v: &mut [u64]) -> usize {
    if v.is_empty() {
        return 0;
    }
    let mut w = 1;
    for r in 1..v.len() {
        if v[r] != v[w - 1] {
            v[w] = v[r];
            w += 1;
        }
    }
    w
}

fn argmax_nonzero(v: &[u16; 5]) -> Option<usize> {
    let mut best = None;
    let mut best_v = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > best_v {
            best_v = x;
            best = Some(i);
        }
    }
    best
}
