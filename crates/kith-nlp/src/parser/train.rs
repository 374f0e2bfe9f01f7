//! Training: online averaged perceptrons with a dynamic oracle and exploration.

use super::features::{action_features, label_features, prepare, FEATURES_VERSION};
use super::transition::{State, LEFT, NONE, N_ACTIONS, RIGHT};
use super::{best_valid, ud_relation, DepSentence, ParserModel};
use crate::model::{ClusterStyle, WordClusters};
use crate::model::{Perceptron, Rng, WeightSum, WeightsKind};
use crate::PosTag;
use std::collections::BTreeMap;

/// Training settings.
#[derive(Clone, Debug)]
pub struct ParserTrainConfig {
    /// Passes over the training data.
    pub epochs: usize,
    /// Seed of the training shuffles and of exploration.
    pub seed: u64,
    /// From this epoch on (1-based), the parser follows its own prediction with
    /// probability [`ParserTrainConfig::explore_p`] instead of the oracle's best action.
    pub explore_from: usize,
    /// See `explore_from`.
    pub explore_p: f64,
    /// Frozen rows whose largest |weight| is below this are dropped (action table).
    pub prune: f32,
    /// The same for the relation table.
    pub label_prune: f32,
    /// Word clusters to use as features (stored in the model).
    pub clusters: Option<WordClusters>,
    /// Models trained with seeds `seed..seed + ensemble` whose weights are averaged into
    /// one model (1: a single model). Parsing costs the same.
    pub ensemble: usize,
}

impl Default for ParserTrainConfig {
    fn default() -> ParserTrainConfig {
        ParserTrainConfig {
            epochs: 15,
            seed: 1,
            explore_from: 2,
            explore_p: 0.9,
            prune: 0.0,
            label_prune: 0.0,
            clusters: None,
            ensemble: 1,
        }
    }
}

/// A training sentence made ready: words as features see them, gold heads (root = `n`),
/// gold children and relation ids.
struct Prepared {
    toks: Vec<super::features::Tok>,
    gold: Vec<u32>,
    children: Vec<Vec<u32>>,
    labels: Vec<u16>,
}

impl ParserModel {
    /// Trains on `train` (its own tags are the input: gold, or predicted ones put there by
    /// the caller). After each epoch `on_epoch(epoch, train_uas, dev)` gets the share of
    /// training words whose chosen arc was right and, with `dev` sentences, the dev
    /// (UAS, LAS) of the averaged model, parsed with `dev_tags` (or the dev's tags); an
    /// ensemble reports once, for the averaged members, with no training share.
    /// Fails on a relation not in `UD_RELATIONS`.
    pub fn train(
        train: &[DepSentence],
        dev: &[DepSentence],
        dev_tags: Option<&[Vec<PosTag>]>,
        cfg: &ParserTrainConfig,
        mut on_epoch: impl FnMut(usize, Option<f64>, Option<(f64, f64)>),
    ) -> Result<ParserModel, String> {
        // The model file packs the ids as only a table in the parser's style holds them.
        if cfg
            .clusters
            .as_ref()
            .is_some_and(|c| c.style() != ClusterStyle::Syntax)
        {
            return Err("clusters: read in the NER model's style; the parser reads them with WordClusters::from_tsv".into());
        }
        if cfg.ensemble <= 1 {
            return Self::train_single(train, dev, dev_tags, cfg, &mut on_epoch, true);
        }
        let k = cfg.ensemble;
        let mut sums: Option<[WeightSum; 2]> = None;
        let mut first: Option<ParserModel> = None;
        for m in 0..k {
            let member_cfg = ParserTrainConfig {
                seed: cfg.seed + m as u64,
                ensemble: 1,
                ..cfg.clone()
            };
            let member =
                Self::train_single(train, &[], None, &member_cfg, &mut |_, _, _| {}, false)?;
            let sums = sums.get_or_insert_with(|| {
                [
                    WeightSum::new(member.actions.n_classes()),
                    WeightSum::new(member.relations.n_classes()),
                ]
            });
            sums[0].add(&member.actions);
            sums[1].add(&member.relations);
            first.get_or_insert(member);
        }
        let mut model = first.expect("at least one member");
        let sums = sums.expect("at least one member");
        if !dev.is_empty() {
            model.set_weights(
                sums[0].mean(0.0, WeightsKind::F32),
                sums[1].mean(0.0, WeightsKind::F32),
            );
            on_epoch(cfg.epochs, None, Some(model.attachment(dev, dev_tags)));
        }
        model.set_weights(
            sums[0].mean(cfg.prune, WeightsKind::I16),
            sums[1].mean(cfg.label_prune, WeightsKind::I16),
        );
        model.meta["ensemble"] = serde_json::json!(k);
        model.meta["prune"] = serde_json::json!(cfg.prune);
        model.meta["label_prune"] = serde_json::json!(cfg.label_prune);
        Ok(model)
    }

    fn train_single(
        train: &[DepSentence],
        dev: &[DepSentence],
        dev_tags: Option<&[Vec<PosTag>]>,
        cfg: &ParserTrainConfig,
        on_epoch: &mut dyn FnMut(usize, Option<f64>, Option<(f64, f64)>),
        freeze: bool,
    ) -> Result<ParserModel, String> {
        let mut names: BTreeMap<&str, u16> = BTreeMap::new();
        for s in train {
            if s.words.len() != s.heads.len()
                || s.words.len() != s.labels.len()
                || s.words.len() != s.upos.len()
                || s.words.len() != s.xpos.len()
            {
                return Err("a training sentence has columns of different lengths".into());
            }
            for l in &s.labels {
                names.entry(l.as_str()).or_insert(0);
            }
        }
        names.entry("root").or_insert(0);
        let mut labels = Vec::new();
        for (i, (name, id)) in names.iter_mut().enumerate() {
            *id = i as u16;
            labels.push(ud_relation(name).ok_or_else(|| {
                format!("relation `{name}` is not a Universal Dependencies relation Kith knows")
            })?);
        }
        let root = names["root"];
        let prepared: Vec<Prepared> = train
            .iter()
            .map(|s| {
                let n = s.words.len();
                let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
                let xpos: Vec<&str> = s.xpos.iter().map(String::as_str).collect();
                let upos: Vec<&str> = s.upos.iter().map(String::as_str).collect();
                let mut toks = Vec::new();
                prepare(&words, &xpos, &upos, cfg.clusters.as_ref(), &mut toks);
                let gold: Vec<u32> = s
                    .heads
                    .iter()
                    .map(|h| h.map_or(n as u32, |h| h as u32))
                    .collect();
                let mut children = vec![Vec::new(); n + 1];
                for (d, &h) in gold.iter().enumerate() {
                    children[h as usize].push(d as u32);
                }
                let labels = s.labels.iter().map(|l| names[l.as_str()]).collect();
                Prepared {
                    toks,
                    gold,
                    children,
                    labels,
                }
            })
            .collect();

        let mut actions = Perceptron::new(N_ACTIONS);
        let mut relations = Perceptron::new(labels.len());
        let mut model = ParserModel {
            labels: labels.clone(),
            actions: actions.averaged(0.0, WeightsKind::F32),
            relations: relations.averaged(0.0, WeightsKind::F32),
            clusters: cfg.clusters.clone(),
            meta: serde_json::Value::Null,
            checksum: None,
            tables: std::sync::OnceLock::new(),
        };
        let mut order: Vec<usize> = (0..prepared.len()).collect();
        let mut rng = Rng::new(cfg.seed);
        let mut feats = Vec::with_capacity(160);
        let mut lfeats = Vec::with_capacity(64);
        let mut lscores = vec![0f32; labels.len()];
        let mut state = State::new(0);
        for epoch in 1..=cfg.epochs {
            rng.shuffle(&mut order);
            let explore = epoch >= cfg.explore_from;
            let (mut right, mut total) = (0usize, 0usize);
            for &si in &order {
                let p = &prepared[si];
                let n = p.gold.len();
                state.reset(n);
                while !state.terminal() {
                    action_features(&p.toks, &state, &mut feats);
                    let mut scores = [0f32; N_ACTIONS];
                    actions.scores(&feats, &mut scores);
                    let valid = state.valid();
                    let pred = best_valid(&scores, valid);
                    let costs = state.costs(&p.gold, &p.children);
                    let min = *costs.iter().min().expect("actions");
                    let mut best = usize::MAX;
                    for a in 0..N_ACTIONS {
                        if costs[a] == min && (best == usize::MAX || scores[a] > scores[best]) {
                            best = a;
                        }
                    }
                    if costs[pred] > min {
                        actions.update(&feats, best, 1.0);
                        actions.update(&feats, pred, -1.0);
                    }
                    actions.tick();
                    let next = if explore && rng.below(1_000_000) < (cfg.explore_p * 1e6) as usize {
                        pred
                    } else {
                        best
                    };
                    let mut label = 0;
                    if next == LEFT || next == RIGHT {
                        let (h, d) = state.arc(next);
                        total += 1;
                        right += (p.gold[d as usize] == h) as usize;
                        if h == n as u32 {
                            label = root;
                        } else {
                            label_features(&p.toks, &state, h, d, &mut lfeats);
                            relations.scores(&lfeats, &mut lscores);
                            label = model.best_label(&lscores, false);
                            if p.gold[d as usize] == h {
                                let g = p.labels[d as usize];
                                if g != label && g != root {
                                    relations.update(&lfeats, g as usize, 1.0);
                                    relations.update(&lfeats, label as usize, -1.0);
                                }
                                relations.tick();
                            }
                        }
                    }
                    state.apply(next, label);
                }
                debug_assert!(state.heads.iter().all(|&h| h != NONE));
            }
            let train_uas = if total == 0 {
                0.0
            } else {
                100.0 * right as f64 / total as f64
            };
            let dev_scores = if dev.is_empty() {
                None
            } else {
                model.set_weights(
                    actions.averaged(0.0, WeightsKind::F32),
                    relations.averaged(0.0, WeightsKind::F32),
                );
                Some(model.attachment(dev, dev_tags))
            };
            on_epoch(epoch, Some(train_uas), dev_scores);
        }
        if freeze {
            model.set_weights(
                actions.averaged(cfg.prune, WeightsKind::I16),
                relations.averaged(cfg.label_prune, WeightsKind::I16),
            );
        } else {
            model.set_weights(
                actions.averaged(0.0, WeightsKind::F32),
                relations.averaged(0.0, WeightsKind::F32),
            );
        }
        model.meta = serde_json::json!({
            "epochs": cfg.epochs,
            "seed": cfg.seed,
            "explore_from": cfg.explore_from,
            "explore_p": cfg.explore_p,
            "prune": cfg.prune,
            "label_prune": cfg.label_prune,
            "clusters": cfg.clusters.as_ref().map(|c| c.len()),
            "features_version": FEATURES_VERSION,
            "train_sentences": train.len(),
            "train_words": train.iter().map(|s| s.words.len()).sum::<usize>(),
        });
        Ok(model)
    }
}
