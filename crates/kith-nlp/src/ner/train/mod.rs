//! Training of the recognizer ([`NerModel::train`]): pass 1 on local features, with
//! jackknifed fold models labelling the training data for pass 2 on document features,
//! seed ensembles, and the confidence calibration on dev data.

mod pass;

pub(crate) use pass::decoder_of;
#[cfg(test)]
pub(crate) use pass::{emissions, Feats};

use super::config::NerTrainConfig;
use super::features::cluster_feature_keys;
use super::labels::{self, bilou_spans, N_LABELS, TYPES};
use super::name_lists::NameLists;
use super::{NerMeta, NerModel, TaggedDocument};
use crate::model::{Weights, WeightsKind};
use std::sync::Arc;

impl NerModel {
    /// Trains on `docs`; with `dev`, keeps the best epoch of each pass by dev entity F1
    /// and fits the confidence calibration. Deterministic for a given config and data.
    pub fn train(
        docs: &[TaggedDocument],
        dev: Option<&[TaggedDocument]>,
        config: &NerTrainConfig,
    ) -> NerModel {
        let log = |m: &str| {
            if let Some(p) = &config.progress {
                p(m)
            }
        };
        let mut sw = config.features;
        if config.clusters.is_none() {
            sw.clusters = false;
        }
        let lexicon = config.lexicon.clone().unwrap_or_default();
        if lexicon.is_empty() {
            sw.lexicons = false;
        }
        // A nested inner model is refused by `check`; here it is dropped, never recursed.
        let stack = config.stack.clone().filter(|m| m.stack.is_none());
        sw.stack = stack.is_some();
        let folds = config.folds.max(2);
        let mut fold_of: Vec<usize> = (0..docs.len()).map(|d| d % folds).collect();
        crate::model::Rng::new(config.seed ^ 0xF01D).shuffle(&mut fold_of);
        let lists = if sw.name_lists {
            pass::fold_name_lists(
                docs,
                &fold_of,
                folds,
                config.name_list_min_count.max(1),
                config.name_list_docs.as_deref().map(Vec::as_slice),
            )
        } else {
            vec![NameLists::default(); folds + 1]
        };
        let full_names = lists[folds].clone();
        // A model shell holding what feature extraction needs.
        let mut model = NerModel::assemble(
            sw,
            Arc::new(full_names),
            config.clusters.clone(),
            if sw.lexicons { lexicon } else { Arc::default() },
            stack.clone(),
            Weights::from_parts(N_LABELS, vec![], vec![], WeightsKind::F32),
            None,
            NerMeta {
                labels: (0..N_LABELS as u8).map(labels::label_name).collect(),
                features: sw,
                data: config.data.clone(),
                config: serde_json::to_value(config).unwrap_or_default(),
                dev_f1_pass1: vec![],
                dev_f1_pass2: vec![],
                best_epoch_pass1: 0,
                best_epoch_pass2: 0,
                temperature: 1.0,
                offset: 0.0,
                lexicons: Vec::new(),
                dev_f1_ensemble: vec![],
                stack_data: stack
                    .as_ref()
                    .map(|m| m.meta.data.clone())
                    .unwrap_or_default(),
                vote_data: Vec::new(),
            },
        );
        let mut sents = Vec::new();
        let own_fold = |d: usize| &lists[fold_of[d]];
        pass::prepare(docs, &own_fold, &model, &mut sents);
        if let Some(rep) = &config.doc_repeat {
            for s in &mut sents {
                s.repeat = rep.get(s.doc).copied().unwrap_or(1).max(1);
            }
        }
        let dropped = pass::prune_rare(&mut sents, false, config.min_count);
        log(&format!(
            "{} training sentences, {} rare features dropped",
            sents.len(),
            dropped
        ));
        let mut gold_counts = [0usize; TYPES.len()];
        let mut gold_seen = [0usize; TYPES.len()];
        for s in &sents {
            for (_, _, t) in bilou_spans(&s.gold) {
                gold_counts[t] += 1;
                gold_seen[t] += s.repeat as usize;
            }
        }
        log(&format!(
            "training spans (seen per epoch): {}",
            TYPES
                .iter()
                .enumerate()
                .map(|(t, ty)| format!("{} {} ({})", ty.as_str(), gold_counts[t], gold_seen[t]))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        let mut dev_sents = Vec::new();
        if let Some(dev) = dev {
            let full = |_: usize| &lists[folds];
            pass::prepare(dev, &full, &model, &mut dev_sents);
        }
        let iterations = config.iterations.max(1);
        let p1_iterations = if config.pass1_iterations == 0 {
            iterations
        } else {
            config.pass1_iterations
        };
        let members = config.ensemble.max(1);
        let opts = pass::PassOptions {
            margin: config.margin,
            word_dropout: config.word_dropout,
            feature_dropout: config.feature_dropout,
        };
        let threads = match config.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        // One pass's members: weights of member 0 as the single model has them; members of
        // an ensemble are kept in f32 and averaged, then pruned and quantised once.
        let member_kind = if members > 1 {
            WeightsKind::F32
        } else {
            config.weights
        };
        let finish = |ws: Vec<Weights>| -> Weights {
            if members > 1 {
                pass::mean_of(&ws, config.prune, config.weights)
            } else {
                let w = ws.into_iter().next().expect("one member");
                if config.prune > 0.0 {
                    w.pruned(config.prune)
                } else {
                    w
                }
            }
        };
        let member_log = |m: usize, s: &str| {
            if members > 1 {
                log(&format!("member {}: {s}", m + 1))
            } else {
                log(s)
            }
        };
        let all: Vec<&pass::Sent> = sents.iter().collect();
        let dev_refs: Vec<&pass::Sent> = dev_sents.iter().collect();
        // Pass 1: the members on everything and, for jackknifing, on all folds but one;
        // one queue, so that the cores stay busy.
        let sent_fold: Vec<usize> = sents.iter().map(|s| fold_of[s.doc]).collect();
        let fold_jobs = if sw.document { folds * members } else { 0 };
        log("pass 1");
        let results = pass::par_map(members + fold_jobs, threads, |j| {
            if j < members {
                let seed = config.seed + j as u64 * pass::MEMBER_SEED_STEP;
                pass::train_pass(
                    &all,
                    &dev_refs,
                    false,
                    iterations,
                    seed,
                    member_kind,
                    &opts,
                    &|s: &str| member_log(j, s),
                )
            } else {
                let (k, m) = ((j - members) / members, (j - members) % members);
                let part: Vec<&pass::Sent> = sents
                    .iter()
                    .zip(&sent_fold)
                    .filter(|(_, f)| **f != k)
                    .map(|(s, _)| s)
                    .collect();
                let seed = config.seed + 1 + k as u64 + m as u64 * pass::MEMBER_SEED_STEP;
                pass::train_pass(
                    &part,
                    &[],
                    false,
                    p1_iterations,
                    seed,
                    WeightsKind::F32,
                    &opts,
                    &|_: &str| {},
                )
            }
        });
        let mut results = results.into_iter();
        let first: Vec<(Weights, Vec<f32>, usize)> = results.by_ref().take(members).collect();
        let fold_models: Vec<Weights> = (0..fold_jobs / members.max(1))
            .map(|_| {
                let ws: Vec<Weights> = results.by_ref().take(members).map(|r| r.0).collect();
                if ws.len() == 1 {
                    ws.into_iter().next().unwrap()
                } else {
                    pass::mean_of(&ws, 0.0, WeightsKind::F32)
                }
            })
            .collect();
        let (dev1, best1) = (first[0].1.clone(), first[0].2);
        let w1 = finish(first.into_iter().map(|r| r.0).collect());
        model.meta.dev_f1_pass1 = dev1;
        model.meta.best_epoch_pass1 = best1;
        let dev_f1 = |w: &Weights, second: bool| {
            let (labels, _) = pass::decode_all(w, &dev_refs, second);
            pass::f1_of(&labels, &dev_refs)
        };
        if members > 1 && !dev_refs.is_empty() {
            let f = dev_f1(&w1, false);
            log(&format!("pass 1 ensemble of {members}: dev F1 {f:.2}"));
            model.meta.dev_f1_ensemble.push(f);
        }
        let mut final_labels: Option<pass::Decoded> = None;
        if sw.document {
            // Jackknifed pass-1 labels of the training data: each fold decoded by the
            // (ensemble) model of the other folds.
            let mut labels: Vec<Vec<u8>> = vec![Vec::new(); sents.len()];
            for (k, w) in fold_models.iter().enumerate() {
                let held: Vec<usize> = (0..sents.len()).filter(|&i| sent_fold[i] == k).collect();
                let refs: Vec<&pass::Sent> = held.iter().map(|&i| &sents[i]).collect();
                for (i, l) in held.into_iter().zip(pass::decode_all(w, &refs, false).0) {
                    labels[i] = l;
                }
            }
            drop(fold_models);
            drop(all);
            log("jackknifed pass-1 labels done");
            pass::add_doc_features(&mut sents, &labels, &sw);
            pass::prune_rare(&mut sents, true, config.min_count);
            drop(dev_refs);
            if !dev_sents.is_empty() {
                let dev_refs: Vec<&pass::Sent> = dev_sents.iter().collect();
                let (dev_labels, _) = pass::decode_all(&w1, &dev_refs, false);
                pass::add_doc_features(&mut dev_sents, &dev_labels, &sw);
            }
            log("pass 2");
            let all: Vec<&pass::Sent> = sents.iter().collect();
            let dev_refs: Vec<&pass::Sent> = dev_sents.iter().collect();
            let second = pass::par_map(members, threads, |m| {
                let seed = config.seed + 100 + m as u64 * pass::MEMBER_SEED_STEP;
                pass::train_pass(
                    &all,
                    &dev_refs,
                    true,
                    iterations,
                    seed,
                    member_kind,
                    &opts,
                    &|s: &str| member_log(m, s),
                )
            });
            let (dev2, best2) = (second[0].1.clone(), second[0].2);
            let w2 = finish(second.into_iter().map(|r| r.0).collect());
            log(&format!(
                "weights kept: pass 1 {} rows, pass 2 {} rows",
                w1.len(),
                w2.len()
            ));
            model.meta.dev_f1_pass2 = dev2;
            model.meta.best_epoch_pass2 = best2;
            if !dev_refs.is_empty() {
                let decoded = pass::decode_all(&w2, &dev_refs, true);
                if members > 1 {
                    let f = pass::f1_of(&decoded.0, &dev_refs);
                    log(&format!("pass 2 ensemble of {members}: dev F1 {f:.2}"));
                    model.meta.dev_f1_ensemble.push(f);
                }
                final_labels = Some(decoded);
            }
            model.pass2 = Some(w2);
        } else if !dev_refs.is_empty() {
            final_labels = Some(pass::decode_all(&w1, &dev_refs, false));
        }
        model.pass1 = w1;
        if let Some((labels, margins)) = final_labels {
            let dev_refs: Vec<&pass::Sent> = dev_sents.iter().collect();
            let (t, c) = pass::calibrate(&dev_refs, &labels, &margins);
            model.meta.temperature = t;
            model.meta.offset = c;
        }
        // Keep only the cluster entries whose features carry weight.
        if let Some(clusters) = model.clusters.as_mut().filter(|_| !config.keep_clusters) {
            let (p1, p2) = (&model.pass1, &model.pass2);
            Arc::make_mut(clusters).retain(|ids| {
                cluster_feature_keys(ids)
                    .iter()
                    .any(|k| p1.contains(*k) || p2.as_ref().is_some_and(|w| w.contains(*k)))
            });
        }
        model.meta.lexicons = model.lexicon.summary();
        let NerModel {
            switches,
            names,
            clusters,
            lexicon,
            stack,
            pass1,
            pass2,
            meta,
            ..
        } = model;
        NerModel::assemble(
            switches, names, clusters, lexicon, stack, pass1, pass2, meta,
        )
    }
}
