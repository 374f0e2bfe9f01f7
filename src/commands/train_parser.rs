//! `kith train parser --config FILE`: the dependency parser's part of `kith train`.
//!
//! ```toml
//! task = "parser"
//! data = "../../../shared/data"
//! output = "../parser-en.kmodel"
//! clusters = "../../data/clusters/clusters.tsv"
//! seed = 1
//! epochs = 15
//!
//! [[train]]
//! format = "conllu"
//! path = "gum/train"
//! genres = "permissive"
//!
//! [[dev]]                               # scored after each epoch (report only)
//! format = "conllu"
//! path = "gum/dev"
//!
//! [parser]
//! pos_model = "../pos-en.kmodel"        # tags dev with it (as at run time); absent: gold tags
//! explore_from = 2                      # ParserTrainConfig fields
//! explore_p = 0.9
//! prune = 0.0
//! label_prune = 0.0
//! ensemble = 3                          # seeds 1, 2, 3 averaged into one model
//! jackknife = 10                        # train on POS tags predicted by held-out models
//! pos_config = "pos-en.toml"            # ... trained with this config
//! keep_gold = false                     # also train on the gold-tagged copies
//! ```

use super::train::{resolve, source_files, Config};
use crate::cli::TrainArgs;
use anyhow::{anyhow, bail, Context, Result};
use kith_corpus::DepSentence;
use kith_nlp::parser::ParserTrainConfig;
use kith_nlp::pos::{Clusters, PosSentence, PosTag, PosTrainConfig};
use kith_nlp::{ParserModel, PosModel};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The `[parser]` table.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
struct ParserSettings {
    pos_model: Option<PathBuf>,
    explore_from: Option<usize>,
    explore_p: Option<f64>,
    prune: Option<f32>,
    label_prune: Option<f32>,
    /// Models (seeds `seed`, `seed + 1`, ...) averaged into one.
    ensemble: Option<usize>,
    /// Train on POS tags predicted by models that did not see the sentence: the training
    /// data is cut into this many contiguous folds, a POS model is trained on the others
    /// with `pos_config` and tags each fold (jackknifing). Absent or 0: gold tags.
    jackknife: Option<usize>,
    /// The POS training config used for jackknifing (relative to this file).
    pos_config: Option<PathBuf>,
    /// With `jackknife`: also keep the sentences with their gold tags (twice the data).
    keep_gold: Option<bool>,
}

pub(crate) fn read_tree_sources(
    data: &Path,
    sources: &[super::train::Source],
) -> Result<(Vec<DepSentence>, Vec<String>)> {
    let mut out = Vec::new();
    let mut names = Vec::new();
    for src in sources {
        if src.format != "conllu" {
            bail!(
                "parser data must have format = \"conllu\" (found \"{}\")",
                src.format
            );
        }
        let files = source_files(data, src)?;
        let before = out.len();
        for f in &files {
            out.extend(kith_corpus::read_conllu_trees(f)?);
        }
        names.push(format!(
            "{} ({} files, {} sentences)",
            src.path.display(),
            files.len(),
            out.len() - before
        ));
    }
    Ok((out, names))
}

/// Tags every sentence with a POS model.
pub(crate) fn predicted_tags(model: &PosModel, sents: &[DepSentence]) -> Vec<Vec<PosTag>> {
    sents
        .iter()
        .map(|s| {
            let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
            model.tag(&words)
        })
        .collect()
}

/// The POS training settings of a `kith train pos` config.
fn pos_train_config(path: &Path) -> Result<PosTrainConfig> {
    let (c, dir) = super::train::load_config(path)?;
    let d = PosTrainConfig::default();
    Ok(PosTrainConfig {
        epochs: c.epochs.unwrap_or(d.epochs),
        seed: c.seed.unwrap_or(d.seed),
        joint: c.joint.unwrap_or(d.joint),
        clusters: match &c.clusters {
            Some(p) => Some(Clusters::from_tsv(&resolve(&dir, p))?),
            None => None,
        },
        prune: c.prune.unwrap_or(d.prune),
        dict_min_count: c.dict_min_count.unwrap_or(d.dict_min_count),
        dict_min_share: c.dict_min_share.unwrap_or(d.dict_min_share),
        ensemble: c.ensemble.unwrap_or(1).max(1),
        feature_dropout: c.feature_dropout.unwrap_or(d.feature_dropout),
    })
}

/// Replaces the tags of `train` with those of POS models trained without them: `k`
/// contiguous folds (neighbouring sentences are mostly of one document), each tagged by a
/// model trained on the other folds.
fn jackknife(train: &mut [DepSentence], k: usize, pos_config: &Path) -> Result<()> {
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
        eprintln!(
            "jackknife: fold {}/{k} tagged ({} sentences)",
            fold + 1,
            end - start
        );
    }
    eprintln!(
        "jackknife: training tags {:.2}% right (UPOS and XPOS)",
        100.0 * correct as f64 / total.max(1) as f64
    );
    Ok(())
}

pub(crate) fn train(
    args: &TrainArgs,
    config: &Config,
    data: &Path,
    clusters: Option<&Path>,
    output: &Path,
) -> Result<()> {
    let dir = args
        .config
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let settings: ParserSettings = match &config.parser {
        Some(v) => v
            .clone()
            .try_into()
            .with_context(|| format!("{}: invalid [parser] table", args.config.display()))?,
        None => ParserSettings::default(),
    };
    let (mut train, train_names) = read_tree_sources(data, &config.train)?;
    if let Some(k) = settings.jackknife.filter(|&k| k > 1) {
        let pos_config = settings
            .pos_config
            .as_ref()
            .ok_or_else(|| anyhow!("{}: `jackknife` needs `pos_config`", args.config.display()))?;
        let gold = settings.keep_gold.unwrap_or(false).then(|| train.clone());
        jackknife(&mut train, k, &resolve(dir, pos_config))?;
        if let Some(gold) = gold {
            train.extend(gold);
        }
    }
    let (dev, _) = read_tree_sources(data, &config.dev)?;
    let dev_tags = match &settings.pos_model {
        Some(p) => {
            let p = resolve(dir, p);
            let pos = PosModel::load(&p)?;
            Some(predicted_tags(&pos, &dev))
        }
        None => None,
    };
    eprintln!(
        "kith: parser training on {} sentences ({} words), dev {} sentences ({} tags)",
        train.len(),
        train.iter().map(|s| s.words.len()).sum::<usize>(),
        dev.len(),
        if dev_tags.is_some() {
            "predicted"
        } else {
            "gold"
        }
    );
    let d = ParserTrainConfig::default();
    let cfg = ParserTrainConfig {
        epochs: args.epochs.or(config.epochs).unwrap_or(d.epochs),
        seed: config.seed.unwrap_or(d.seed),
        explore_from: settings.explore_from.unwrap_or(d.explore_from),
        explore_p: settings.explore_p.unwrap_or(d.explore_p),
        prune: settings.prune.unwrap_or(d.prune),
        label_prune: settings.label_prune.unwrap_or(d.label_prune),
        ensemble: settings.ensemble.unwrap_or(1).max(1),
        clusters: match clusters {
            Some(p) => Some(Clusters::from_tsv(p)?),
            None => None,
        },
    };
    let mut last_dev = None;
    let mut model = ParserModel::train(
        &train,
        &dev,
        dev_tags.as_deref(),
        &cfg,
        |epoch, train_uas, dev| {
            let train = train_uas
                .map(|a| format!("  train arcs {a:.2}%"))
                .unwrap_or_default();
            let dev_part = dev
                .map(|(u, l)| format!("  dev UAS {u:.2}%  LAS {l:.2}%"))
                .unwrap_or_default();
            eprintln!("epoch {epoch:>2}:{train}{dev_part}");
            last_dev = dev;
        },
    )
    .map_err(|e| anyhow!("{}: {e}", args.config.display()))?;
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
