//! POS training: greedy averaged perceptrons on the tagger's own predicted history,
//! seed ensembles and feature dropout.

use super::features::{dynamic_features, prepare, static_features, AmbClasses, Tok, START, START2};
use super::head::Head;
use super::{PosModel, PosSentence};
use crate::model::{
    argmax, fhash, ClusterStyle, FeatureHasher, KeyMap, Perceptron, Rng, WeightSum, Weights,
    WeightsKind, WordClusters,
};
use std::collections::BTreeMap;

/// Training settings.
#[derive(Clone, Debug)]
pub struct PosTrainConfig {
    /// Passes over the training data.
    pub epochs: usize,
    /// Seed of the training shuffles (and of feature dropout).
    pub seed: u64,
    /// One classifier over `UPOS XPOS` pairs (true) or one per tag set.
    pub joint: bool,
    /// Word clusters to use as features (stored in the model).
    pub clusters: Option<WordClusters>,
    /// Frozen rows whose largest |weight| is below this are dropped.
    pub prune: f32,
    /// Tag dictionary: minimum count of a word, and (below) minimum share of its
    /// majority label, for the word to get that label without scoring.
    pub dict_min_count: usize,
    /// Tag dictionary: see `dict_min_count`.
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
        // The model file packs the ids as only a table in the POS style holds them.
        assert!(
            cfg.clusters
                .as_ref()
                .is_none_or(|c| c.style() == ClusterStyle::Syntax),
            "POS clusters are read with WordClusters::from_tsv"
        );
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
        clusters: Option<WordClusters>,
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
}
