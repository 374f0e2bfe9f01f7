//! POS training.

use super::TrainOptions;
use crate::config::LoadedConfig;
use crate::data::read_pos_sources;
use crate::error::{bail, Result, ResultExt};
use crate::progress::{Event, Progress};
use kith_nlp::train::{PosTrainConfig, WordClusters};
use kith_nlp::PosModel;
use std::path::Path;

pub(super) fn train(
    config: &LoadedConfig,
    options: &TrainOptions,
    data: &Path,
    clusters_path: Option<&Path>,
    output: &Path,
    progress: &Progress,
) -> Result<()> {
    let c = &config.config;
    if let Some(p) = c.feature_dropout.filter(|p| !(0.0..1.0).contains(p)) {
        bail!(
            "{}: feature_dropout = {p}: expected a probability in [0, 1)",
            config.path.display()
        );
    }
    let (train, train_names) = read_pos_sources(data, &c.train)?;
    let (dev, _) = read_pos_sources(data, &c.dev)?;
    progress.emit(Event::PosTraining {
        sentences: train.len(),
        tokens: train.iter().map(|s| s.words.len()).sum::<usize>(),
        dev_sentences: dev.len(),
    });
    let clusters = match clusters_path {
        Some(p) => Some(WordClusters::from_tsv(p)?),
        None => None,
    };
    let cfg = PosTrainConfig {
        epochs: options.epochs.or(c.epochs).unwrap_or(8),
        seed: c.seed.unwrap_or(1),
        joint: c.joint.unwrap_or(true),
        clusters,
        ..PosTrainConfig::default()
    };
    let cfg = PosTrainConfig {
        dict_min_count: c.dict_min_count.unwrap_or(cfg.dict_min_count),
        dict_min_share: c.dict_min_share.unwrap_or(cfg.dict_min_share),
        prune: c.prune.unwrap_or(cfg.prune),
        ensemble: c.ensemble.unwrap_or(1).max(1),
        feature_dropout: c.feature_dropout.unwrap_or(cfg.feature_dropout),
        ..cfg
    };
    let mut last_dev = None;
    let mut model = PosModel::train(&train, &dev, &cfg, |epoch, train, dev| {
        progress.emit(Event::PosEpoch { epoch, train, dev });
        last_dev = dev;
    });
    model.set_meta("data", serde_json::json!(train_names));
    if let Some((u, x)) = last_dev {
        model.set_meta("dev_upos", serde_json::json!((u * 100.0).round() / 100.0));
        model.set_meta("dev_xpos", serde_json::json!((x * 100.0).round() / 100.0));
    }
    model
        .save(output)
        .with_context(|| format!("cannot write {}", output.display()))?;
    Ok(())
}

/// The POS training settings of a `kith train pos` config, as jackknifing reads them.
pub(super) fn pos_train_config(path: &Path) -> Result<PosTrainConfig> {
    let loaded = LoadedConfig::load(path)?;
    let c = &loaded.config;
    let d = PosTrainConfig::default();
    Ok(PosTrainConfig {
        epochs: c.epochs.unwrap_or(d.epochs),
        seed: c.seed.unwrap_or(d.seed),
        joint: c.joint.unwrap_or(d.joint),
        clusters: match &c.clusters {
            Some(p) => Some(WordClusters::from_tsv(&loaded.resolve(p))?),
            None => None,
        },
        prune: c.prune.unwrap_or(d.prune),
        dict_min_count: c.dict_min_count.unwrap_or(d.dict_min_count),
        dict_min_share: c.dict_min_share.unwrap_or(d.dict_min_share),
        ensemble: c.ensemble.unwrap_or(1).max(1),
        feature_dropout: c.feature_dropout.unwrap_or(d.feature_dropout),
    })
}
