//! Training of the two-pass structured averaged perceptron.

use crate::model::{KeyMap, Perceptron, Rng, WeightSum, Weights, WeightsKind};
use crate::ner::decode::{gazetteer_codes_for_words, sigmoid};
use crate::ner::document::DocStats;
use crate::ner::features::{
    doc_topic, identity_keys, lexicon_codes, sentence_features, token_infos, trans_key,
    FeatureSwitches, TokInfo,
};
use crate::ner::labels::{bilou_spans, bio_spans, spans_to_bilou, Decoder, N_LABELS};
use crate::ner::name_lists::NameLists;
use crate::ner::{NerModel, TaggedDocument};

/// Something that scores features (training or frozen weights).
pub(crate) trait Scorer {
    fn add(&self, feats: &[u64], out: &mut [f32]);
    fn weight(&self, key: u64, class: usize) -> f32;
}

impl Scorer for Weights {
    #[inline]
    fn add(&self, feats: &[u64], out: &mut [f32]) {
        self.add_scores(feats, out)
    }
    fn weight(&self, key: u64, class: usize) -> f32 {
        Weights::weight(self, key, class)
    }
}

/// One sentence's features: token `t` is `feats[offs[t]..offs[t+1]]`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Feats {
    pub feats: Vec<u64>,
    pub offs: Vec<u32>,
}

impl Feats {
    pub fn token(&self, t: usize) -> &[u64] {
        &self.feats[self.offs[t] as usize..self.offs[t + 1] as usize]
    }
    pub fn len(&self) -> usize {
        self.offs.len().saturating_sub(1)
    }
    fn retain(&mut self, keep: impl Fn(u64) -> bool) {
        let mut out = Vec::with_capacity(self.feats.len());
        let mut offs = Vec::with_capacity(self.offs.len());
        offs.push(0);
        for t in 0..self.len() {
            out.extend(self.token(t).iter().copied().filter(|k| keep(*k)));
            offs.push(out.len() as u32);
        }
        self.feats = out;
        self.offs = offs;
    }
}

/// A prepared sentence.
pub(crate) struct Sent {
    pub doc: usize,
    pub infos: Vec<TokInfo>,
    pub gold: Vec<u8>,
    pub stat: Feats,
    pub docf: Feats,
    /// Times seen per epoch (oversampling).
    pub repeat: u32,
}

/// Emission scores of a sentence (`len * N_LABELS`).
pub(crate) fn emissions<S: Scorer>(s: &S, parts: &[&Feats], out: &mut Vec<f32>) {
    let len = parts[0].len();
    out.clear();
    out.resize(len * N_LABELS, 0.0);
    for t in 0..len {
        let row = &mut out[t * N_LABELS..(t + 1) * N_LABELS];
        for p in parts {
            s.add(p.token(t), row);
        }
    }
}

pub(crate) fn decoder_of<S: Scorer>(s: &S) -> Decoder {
    let keys: Vec<u64> = (0..=N_LABELS).map(trans_key).collect();
    Decoder::new(|p, y| s.weight(keys[p], y))
}

impl Scorer for Perceptron {
    fn add(&self, feats: &[u64], out: &mut [f32]) {
        self.add_scores(feats, out)
    }
    fn weight(&self, key: u64, class: usize) -> f32 {
        Perceptron::weight(self, key, class)
    }
}

struct Counts {
    tp: usize,
    pred: usize,
    gold: usize,
}

impl Counts {
    fn f1(&self) -> f32 {
        let p = self.tp as f32 / self.pred.max(1) as f32;
        let r = self.tp as f32 / self.gold.max(1) as f32;
        if p + r == 0.0 {
            0.0
        } else {
            200.0 * p * r / (p + r)
        }
    }
}

fn count(pred: &[u8], gold: &[u8], c: &mut Counts) {
    let p = bilou_spans(pred);
    let g = bilou_spans(gold);
    c.pred += p.len();
    c.gold += g.len();
    let gs: std::collections::HashSet<_> = g.into_iter().collect();
    c.tp += p.iter().filter(|s| gs.contains(s)).count();
}

/// Labels and margins of each decoded sentence.
pub(crate) type Decoded = (Vec<Vec<u8>>, Vec<Vec<f32>>);

/// Decodes sentences with a scorer, returning labels and margins.
pub(crate) fn decode_all<S: Scorer>(s: &S, sents: &[&Sent], second: bool) -> Decoded {
    let mut decoder = decoder_of(s);
    let mut emis = Vec::new();
    let mut labels = Vec::new();
    let mut margins = Vec::new();
    for sent in sents {
        let parts: Vec<&Feats> = if second {
            vec![&sent.stat, &sent.docf]
        } else {
            vec![&sent.stat]
        };
        emissions(s, &parts, &mut emis);
        let mut out = Vec::new();
        let mut m = Vec::new();
        decoder.decode(&emis, &mut out, Some(&mut m));
        labels.push(out);
        margins.push(m);
    }
    (labels, margins)
}

pub(crate) fn f1_of(labels: &[Vec<u8>], sents: &[&Sent]) -> f32 {
    let mut c = Counts {
        tp: 0,
        pred: 0,
        gold: 0,
    };
    for (l, s) in labels.iter().zip(sents) {
        count(l, &s.gold, &mut c);
    }
    c.f1()
}

/// Training options of a pass beyond the data and seed.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct PassOptions {
    /// Loss-augmented decoding: head start of each wrong label.
    pub margin: f32,
    /// Probability that a training token's word and lower-case features are hidden.
    pub word_dropout: f32,
    /// Probability that each emission feature of a training token (static and document
    /// features) is left out of an update.
    pub feature_dropout: f32,
}

/// Copies `src` into `out`, keeping each feature when the next draw of `rng` is below
/// `keep_below` (one draw a feature, in order, so the mask depends on the seed alone).
fn thin(src: &Feats, rng: &mut Rng, keep_below: u64, out: &mut Feats) {
    out.feats.clear();
    out.offs.clear();
    out.offs.push(0);
    for t in 0..src.len() {
        out.feats.extend(
            src.token(t)
                .iter()
                .copied()
                .filter(|_| rng.next_u64() < keep_below),
        );
        out.offs.push(out.feats.len() as u32);
    }
}

/// Trains one pass; returns the averaged weights of the best epoch on dev (or the last)
/// and the dev F1 of each epoch.
/// Copies the static features of `s` into `out`, hiding a token's word and lower-case
/// features when a draw of `rng` (one a token, in order) falls below `per_million` in a
/// million: word dropout, so that the model learns to name words it has not seen.
fn hide_identity(s: &Sent, rng: &mut Rng, per_million: usize, out: &mut Feats) {
    out.feats.clear();
    out.offs.clear();
    out.offs.push(0);
    for t in 0..s.stat.len() {
        let feats = s.stat.token(t);
        if rng.below(1_000_000) < per_million {
            let ids = identity_keys(&s.infos[t]);
            out.feats.extend(feats.iter().filter(|k| !ids.contains(k)));
        } else {
            out.feats.extend_from_slice(feats);
        }
        out.offs.push(out.feats.len() as u32);
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn train_pass(
    train: &[&Sent],
    dev: &[&Sent],
    second: bool,
    iterations: usize,
    seed: u64,
    kind: WeightsKind,
    opts: &PassOptions,
    log: &dyn Fn(&str),
) -> (Weights, Vec<f32>, usize) {
    let margin = opts.margin;
    // Word dropout draws from its own stream, so the shuffles stay those of the plain
    // trainer.
    let mut drop_rng = Rng::new(seed ^ 0x000D_20F0);
    let drop_per_million = (opts.word_dropout.clamp(0.0, 1.0) * 1e6) as usize;
    let mut masked = Feats::default();
    // Feature dropout (as the POS tagger's): the perceptron otherwise leans on sparse
    // conjunctions that separate the training data. Its own stream again, so neither the
    // shuffles nor word dropout's draws change; off, nothing is drawn and the trainer is
    // the plain one. Transition weights are never dropped: ~70 dense label-bigram weights
    // seen in every sentence, nothing sparse to overfit, and the decoder's path structure.
    let feature_dropout = opts.feature_dropout > 0.0;
    let mut fdrop_rng = Rng::new(seed ^ 0xFEA7_D20F_0000);
    let keep_below = ((1.0 - opts.feature_dropout.clamp(0.0, 1.0) as f64) * u64::MAX as f64) as u64;
    let (mut thin_stat, mut thin_docf) = (Feats::default(), Feats::default());
    let mut p = Perceptron::new(N_LABELS);
    let mut order: Vec<usize> = (0..train.len())
        .flat_map(|i| std::iter::repeat_n(i, train[i].repeat.max(1) as usize))
        .collect();
    let mut rng = Rng::new(seed);
    let mut emis = Vec::new();
    let mut pred = Vec::new();
    let mut best: Option<(f32, Weights, usize)> = None;
    let mut scores = Vec::new();
    let start_key = trans_key(N_LABELS);
    let keys: Vec<u64> = (0..=N_LABELS).map(trans_key).collect();
    for epoch in 0..iterations.max(1) {
        rng.shuffle(&mut order);
        let mut errors = 0usize;
        let mut tokens = 0usize;
        for &i in &order {
            let s = train[i];
            let stat = if drop_per_million > 0 {
                hide_identity(s, &mut drop_rng, drop_per_million, &mut masked);
                &masked
            } else {
                &s.stat
            };
            let (stat, docf) = if feature_dropout {
                thin(stat, &mut fdrop_rng, keep_below, &mut thin_stat);
                if second {
                    thin(&s.docf, &mut fdrop_rng, keep_below, &mut thin_docf);
                }
                (&thin_stat, &thin_docf)
            } else {
                (stat, &s.docf)
            };
            // Decoding and the update below both see the same (masked) features.
            let parts: Vec<&Feats> = if second { vec![stat, docf] } else { vec![stat] };
            emissions(&p, &parts, &mut emis);
            if margin > 0.0 {
                // Loss-augmented decoding: every wrong label of a token gets a head start of
                // `margin`, so a sentence is updated until gold wins by that much per token
                // (the perceptron otherwise stops learning once training is separable).
                for (t, &g) in s.gold.iter().enumerate() {
                    for (y, e) in emis[t * N_LABELS..(t + 1) * N_LABELS]
                        .iter_mut()
                        .enumerate()
                    {
                        if y != g as usize {
                            *e += margin;
                        }
                    }
                }
            }
            let mut decoder = Decoder::new(|a, y| p.weight(keys[a], y));
            decoder.decode(&emis, &mut pred, None);
            tokens += s.gold.len();
            if pred != s.gold {
                for t in 0..s.gold.len() {
                    let (g, q) = (s.gold[t] as usize, pred[t] as usize);
                    if g != q {
                        errors += 1;
                        for part in &parts {
                            p.update(part.token(t), g, 1.0);
                            p.update(part.token(t), q, -1.0);
                        }
                    }
                    let pg = if t > 0 {
                        keys[s.gold[t - 1] as usize]
                    } else {
                        start_key
                    };
                    let pp = if t > 0 {
                        keys[pred[t - 1] as usize]
                    } else {
                        start_key
                    };
                    if (pg, g) != (pp, q) {
                        p.update_one(pg, g, 1.0);
                        p.update_one(pp, q, -1.0);
                    }
                }
            }
            p.tick();
        }
        let msg = format!(
            "epoch {}: {} token errors of {} ({} features)",
            epoch + 1,
            errors,
            tokens,
            p.len()
        );
        if dev.is_empty() {
            log(&msg);
            if epoch + 1 == iterations.max(1) {
                best = Some((0.0, p.averaged(0.0, kind), epoch + 1));
            }
            continue;
        }
        let w = p.averaged(0.0, WeightsKind::F32);
        let (labels, _) = decode_all(&w, dev, second);
        let f1 = f1_of(&labels, dev);
        scores.push(f1);
        log(&format!("{msg}; dev F1 {f1:.2}"));
        if best.as_ref().is_none_or(|b| f1 > b.0) {
            best = Some((f1, w, epoch + 1));
        }
    }
    let (_, w, epoch) = best.unwrap();
    (
        if w.kind() == kind { w } else { w.to_kind(kind) },
        scores,
        epoch,
    )
}

/// Seed offset between ensemble members (member `m` of a pass seeded `s` uses
/// `s + m * MEMBER_SEED_STEP`): far from the offsets between passes and folds (`+1 + k`,
/// `+100`), so no two trainings share a shuffle. Member 0 is the single model.
pub(crate) const MEMBER_SEED_STEP: u64 = 1000;

/// Runs jobs `0..jobs` on at most `threads` threads (0: one per core) and returns their
/// results in job order, so that what is built from them does not depend on the thread
/// count.
pub(crate) fn par_map<T: Send>(
    jobs: usize,
    threads: usize,
    f: impl Fn(usize) -> T + Sync,
) -> Vec<T> {
    use rayon::prelude::*;
    let run = || (0..jobs).into_par_iter().map(&f).collect();
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(run),
        // No thread could be started: the same jobs, one after another.
        Err(_) => (0..jobs).map(f).collect(),
    }
}

/// Ensemble members' averaged weights (`F32`, in member order) averaged again into one
/// table, as the POS tagger's and the parser's ensembles: one table costs what one model
/// costs at tagging time, and the mean of perceptrons trained on different shuffles is
/// steadier than any of them.
pub(crate) fn mean_of(members: &[Weights], prune: f32, kind: WeightsKind) -> Weights {
    let mut sum = WeightSum::new(N_LABELS);
    for w in members {
        sum.add(w);
    }
    sum.mean(prune, kind)
}

/// Prepares documents: gold labels, gazetteer codes, infos and static features with the
/// given name lists per document.
pub(crate) fn prepare<'n>(
    docs: &[TaggedDocument],
    names_of: &dyn Fn(usize) -> &'n NameLists,
    model: &NerModel,
    out: &mut Vec<Sent>,
) {
    for (d, doc) in docs.iter().enumerate() {
        let words: Vec<&str> = doc
            .sentences
            .iter()
            .flat_map(|s| s.words.iter().map(String::as_str))
            .collect();
        let ranges: Vec<std::ops::Range<usize>> = {
            let mut at = 0;
            doc.sentences
                .iter()
                .map(|s| {
                    at += s.words.len();
                    at - s.words.len()..at
                })
                .collect()
        };
        let gaz = gazetteer_codes_for_words(&words, &ranges);
        let names = names_of(d);
        let mut infos = Vec::new();
        token_infos(
            &words,
            &gaz,
            names,
            model.clusters.as_deref(),
            &model.switches,
            &mut infos,
        );
        if model.switches.lexicons {
            lexicon_codes(&model.lexicon, &words, &ranges, &mut infos, &mut Vec::new());
        }
        // Stacking: the inner model tags the whole document, as at tagging time.
        let stack = model.stack_types(&words, &ranges, &gaz);
        let topic = doc_topic(&infos, &model.switches);
        for (s, r) in doc.sentences.iter().zip(&ranges) {
            let n = s.words.len().min(s.tags.len());
            if n == 0 {
                continue;
            }
            let ws: Vec<&str> = words[r.start..r.start + n].to_vec();
            let mut stat = Feats::default();
            sentence_features(
                &ws,
                &infos[r.start..r.start + n],
                stack.get(r.start..r.start + n).unwrap_or(&[]),
                topic,
                &model.switches,
                &mut stat.feats,
                &mut stat.offs,
            );
            let gold = spans_to_bilou(n, &bio_spans(&s.tags[..n]));
            out.push(Sent {
                doc: d,
                infos: infos[r.start..r.start + n].to_vec(),
                gold,
                stat,
                docf: Feats::default(),
                repeat: 1,
            });
        }
    }
}

/// Drops features seen fewer than `min` times in `sents` (from the chosen part).
pub(crate) fn prune_rare(sents: &mut [Sent], second: bool, min: u32) -> usize {
    if min <= 1 {
        return 0;
    }
    let mut counts: KeyMap<u32> = KeyMap::default();
    for s in sents.iter() {
        let f = if second { &s.docf } else { &s.stat };
        for k in &f.feats {
            *counts.entry(*k).or_default() += 1;
        }
    }
    let before = counts.len();
    counts.retain(|_, c| *c >= min);
    for s in sents.iter_mut() {
        let f = if second { &mut s.docf } else { &mut s.stat };
        f.retain(|k| counts.contains_key(&k));
    }
    before - counts.len()
}

/// Adds pass-2 document features to sentences from pass-1 labels.
pub(crate) fn add_doc_features(sents: &mut [Sent], labels: &[Vec<u8>], sw: &FeatureSwitches) {
    let mut by_doc: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, s) in sents.iter().enumerate() {
        by_doc.entry(s.doc).or_default().push(i);
    }
    for idx in by_doc.values() {
        let stats = DocStats::build(
            idx.iter()
                .map(|&i| (sents[i].infos.as_slice(), labels[i].as_slice())),
            sw,
        );
        for &i in idx {
            let mut f = Feats::default();
            stats.features(&sents[i].infos, &labels[i], &mut f.feats, &mut f.offs);
            sents[i].docf = f;
        }
    }
}

/// Name lists of each fold, built from the other folds.
pub(crate) fn fold_name_lists(
    docs: &[TaggedDocument],
    fold_of: &[usize],
    folds: usize,
    min: u32,
    extra: Option<&[TaggedDocument]>,
) -> Vec<NameLists> {
    let extra = extra.map(|e| {
        let labelled = labelled_of(e);
        NameLists::build(
            labelled
                .iter()
                .flat_map(|s| s.iter().map(|(w, l)| (w.as_slice(), l.as_slice()))),
            min,
        )
    });
    let labelled = labelled_of(docs);
    let lists_without = |k: Option<usize>| {
        let own = NameLists::build(
            labelled
                .iter()
                .enumerate()
                .filter(|(d, _)| Some(fold_of[*d]) != k)
                .flat_map(|(_, s)| s.iter().map(|(w, l)| (w.as_slice(), l.as_slice()))),
            min,
        );
        match &extra {
            Some(e) => own.union(e),
            None => own,
        }
    };
    let mut out: Vec<NameLists> = (0..folds).map(|k| lists_without(Some(k))).collect();
    out.push(lists_without(None));
    out
}

#[allow(clippy::type_complexity)]
fn labelled_of(docs: &[TaggedDocument]) -> Vec<Vec<(Vec<String>, Vec<u8>)>> {
    docs.iter()
        .map(|d| {
            d.sentences
                .iter()
                .map(|s| {
                    let n = s.words.len().min(s.tags.len());
                    (
                        s.words[..n].to_vec(),
                        spans_to_bilou(n, &bio_spans(&s.tags[..n])),
                    )
                })
                .collect()
        })
        .collect()
}

/// Chooses the confidence temperature minimising log loss of "this predicted span is
/// right" on dev: confidence = sigmoid(min token margin / T).
pub(crate) fn calibrate(dev: &[&Sent], labels: &[Vec<u8>], margins: &[Vec<f32>]) -> (f32, f32) {
    let mut samples = Vec::new();
    for ((s, l), m) in dev.iter().zip(labels).zip(margins) {
        let gold: std::collections::HashSet<_> = bilou_spans(&s.gold).into_iter().collect();
        for span in bilou_spans(l) {
            let margin = m[span.0..span.1]
                .iter()
                .copied()
                .fold(f32::INFINITY, f32::min);
            samples.push((margin, gold.contains(&span)));
        }
    }
    if samples.is_empty() {
        return (1.0, 0.0);
    }
    let mut best = (f64::INFINITY, 1.0f32, 0.0f32);
    for i in 0..60 {
        let t = 0.05f32 * 1.15f32.powi(i);
        for j in 0..=16 {
            let c = -4.0 + 0.5 * j as f32;
            let loss: f64 = samples
                .iter()
                .map(|&(m, ok)| {
                    let p = (sigmoid(m / t - c) as f64).clamp(1e-6, 1.0 - 1e-6);
                    if ok {
                        -p.ln()
                    } else {
                        -(1.0 - p).ln()
                    }
                })
                .sum();
            if loss < best.0 {
                best = (loss, t, c);
            }
        }
    }
    (best.1, best.2)
}
