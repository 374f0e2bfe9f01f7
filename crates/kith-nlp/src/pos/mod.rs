//! Part-of-speech tagging: a greedy left-to-right averaged-perceptron tagger (Honnibal's
//! design) predicting Universal POS (UPOS) and Penn Treebank tags (XPOS).
//!
//! * Features (`features`): the word, its lower-case form, prefix (1) and suffixes (1–4), word shape,
//!   capitalisation and position flags, the words (lower case) and suffixes at ±1 and ±2,
//!   the two previous predicted tags (alone, together and with the word), and distributional
//!   word clusters (k-means of spaCy's `en_core_web_md` vectors at 64/256/1024 clusters,
//!   `data/clusters/`) of the word and its neighbours when the model was trained with them.
//! * Labels: one classifier over joint `UPOS XPOS` pairs (the default: measured better
//!   and faster than two classifiers on GUM dev, see `models/README.md`), or two
//!   (`PosTrainConfig::joint = false`).
//! * Tag dictionary (`head`): words seen at least 20 times in training with one label at least
//!   97% of the time get it without scoring.
//! * Training (`train`): greedy, on the tagger's own predicted history; `PosTrainConfig::ensemble`
//!   models (seeds `seed`, `seed + 1`, ...) are averaged into one weight table (the
//!   shipped model averages 3: +0.07 UPOS / +0.16 XPOS on GUM dev at no tagging cost).
//!   `PosTrainConfig::feature_dropout` leaves each feature out of a training step with
//!   that probability (seeded), so that weight is spread over redundant features instead
//!   of a few sparse ones fitting 77k training tokens: +0.28 UPOS on the held-out slice of
//!   train at 0.25 (models/README.md). Tagging always uses every feature.
//! * Scoring (`head`): `i16` tables with at most 128 labels are scored with a stack accumulator
//!   (no allocation per token).
//! * Model file (`io`): kind `pos` in the [`crate::model`] format; the cluster table, when used,
//!   is stored inside it so a model file is self-contained.
//!
//! [`PosTagger`] is the pipeline component (name `pos`): it fills [`Doc::pos`], one
//! [`PosTag`] per token.
//!
//! [`Doc::pos`]: crate::Doc::pos

mod component;
mod features;
mod head;
mod io;
#[cfg(test)]
mod tests;
mod train;

pub use crate::doc::PosTag;
pub use component::PosTagger;
pub use train::PosTrainConfig;

use crate::model::{argmax, ModelFile, WordClusters};
use features::{dynamic_features, prepare, static_features, AmbClasses, START, START2};
use head::Head;

/// A training or evaluation sentence: words with gold UPOS and XPOS.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PosSentence {
    /// The words.
    pub words: Vec<String>,
    /// One Universal POS tag per word.
    pub upos: Vec<String>,
    /// One Penn Treebank tag per word.
    pub xpos: Vec<String>,
}

/// A trained POS model.
#[derive(Clone, Debug)]
pub struct PosModel {
    joint: bool,
    heads: Vec<Head>,
    clusters: Option<WordClusters>,
    amb: AmbClasses,
    /// Per head, label → (upos, xpos) parts (joint) or one part.
    tags: Vec<Vec<PosTag>>,
    meta: serde_json::Value,
    /// The checksum of the file the model was read from.
    checksum: Option<u64>,
}

impl PosModel {
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

    /// Rows in the weight tables.
    pub fn n_features(&self) -> usize {
        self.heads.iter().map(|h| h.weights.len()).sum()
    }
}
