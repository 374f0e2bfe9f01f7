//! Dependency parser training, with POS jackknifing.

use super::pos::pos_train_config;
use super::TrainOptions;
use crate::config::{LoadedConfig, ParserSettings};
use crate::data::read_tree_sources;
use crate::error::{Error, Result, ResultExt};
use crate::eval::parser::predicted_tags;
use crate::progress::{Event, Progress};
use kith_corpus::DepSentence;
use kith_nlp::train::{ParserTrainConfig, PosSentence, WordClusters};
use kith_nlp::{ParserModel, PosModel};
use std::path::Path;

/// Replaces the tags of `train` with those of POS models trained without them: `k`
/// contiguous folds (neighbouring sentences are mostly of one document), each tagged by a
/// model trained on the other folds.
fn jackknife(
    train: &mut [DepSentence],
    k: usize,
    pos_config: &Path,
    progress: &Progress,
) -> Result<()> {
    let cfg = pos_train_config(pos_config)?;
    let n = train.len();
    let mut correct = 0usize;
    let mut total = 0usize;
    for fold in 0..k {
        let (start, end) = (fold * n / k, (fold + 1) * n / k);
        let rest: Vec<PosSentence> = train[..start]
            .iter()
            .chain(&train[end..])
            .map(|s| PosSentence {
                words: s.words.clone(),
                upos: s.upos.clone(),
                xpos: s.xpos.clone(),
            })
            .collect();
        let model = PosModel::train(&rest, &[], &cfg, |_, _, _| {});
        for s in &mut train[start..end] {
            let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
            let tags = model.tag(&words);
            for (i, t) in tags.iter().enumerate() {
                correct += (t.upos == s.upos[i] && t.xpos == s.xpos[i]) as usize;
                total += 1;
                s.upos[i] = t.upos.to_string();
                s.xpos[i] = t.xpos.to_string();
            }
        }
        progress.emit(Event::JackknifeFold {
            fold: fold + 1,
            folds: k,
            sentences: end - start,
        });
    }
    progress.emit(Event::JackknifeAccuracy {
        percent: 100.0 * correct as f64 / total.max(1) as f64,
    });
    Ok(())
}

pub(super) fn train(
    config: &LoadedConfig,
    options: &TrainOptions,
    data: &Path,
    clusters: Option<&Path>,
    output: &Path,
    progress: &Progress,
) -> Result<()> {
    let c = &config.config;
    let settings: ParserSettings = match &c.parser {
        Some(v) => v
            .clone()
            .try_into()
            .with_context(|| format!("{}: invalid [parser] table", config.path.display()))?,
        None => ParserSettings::default(),
    };
    let (mut train, train_names) = read_tree_sources(data, &c.train)?;
    if let Some(k) = settings.jackknife.filter(|&k| k > 1) {
        let pos_config = settings.pos_config.as_ref().ok_or_else(|| {
            Error::msg(format!(
                "{}: `jackknife` needs `pos_config`",
                config.path.display()
            ))
        })?;
        let gold = settings.keep_gold.unwrap_or(false).then(|| train.clone());
        jackknife(&mut train, k, &config.resolve(pos_config), progress)?;
        if let Some(gold) = gold {
            train.extend(gold);
        }
    }
    let (dev, _) = read_tree_sources(data, &c.dev)?;
    let dev_tags = match &settings.pos_model {
        Some(p) => {
            let p = config.resolve(p);
            let pos = PosModel::load(&p)?;
            Some(predicted_tags(&pos, &dev))
        }
        None => None,
    };
    progress.emit(Event::ParserTraining {
        sentences: train.len(),
        words: train.iter().map(|s| s.words.len()).sum::<usize>(),
        dev_sentences: dev.len(),
        predicted_tags: dev_tags.is_some(),
    });
    let d = ParserTrainConfig::default();
    let cfg = ParserTrainConfig {
        epochs: options.epochs.or(c.epochs).unwrap_or(d.epochs),
        seed: c.seed.unwrap_or(d.seed),
        explore_from: settings.explore_from.unwrap_or(d.explore_from),
        explore_p: settings.explore_p.unwrap_or(d.explore_p),
        prune: settings.prune.unwrap_or(d.prune),
        label_prune: settings.label_prune.unwrap_or(d.label_prune),
        ensemble: settings.ensemble.unwrap_or(1).max(1),
        clusters: match clusters {
            Some(p) => Some(WordClusters::from_tsv(p)?),
            None => None,
        },
    };
    let mut last_dev = None;
    let mut model = ParserModel::train(
        &train,
        &dev,
        dev_tags.as_deref(),
        &cfg,
        |epoch, train, dev| {
            progress.emit(Event::ParserEpoch { epoch, train, dev });
            last_dev = dev;
        },
    )
    .map_err(|e| Error::msg(format!("{}: {e}", config.path.display())))?;
    model.set_meta("data", serde_json::json!(train_names));
    if let Some((u, l)) = last_dev {
        model.set_meta("dev_uas", serde_json::json!((u * 100.0).round() / 100.0));
        model.set_meta("dev_las", serde_json::json!((l * 100.0).round() / 100.0));
        model.set_meta(
            "dev_tags",
            serde_json::json!(if dev_tags.is_some() {
                "predicted"
            } else {
                "gold"
            }),
        );
    }
    model
        .save(output)
        .with_context(|| format!("cannot write {}", output.display()))?;
    Ok(())
}
