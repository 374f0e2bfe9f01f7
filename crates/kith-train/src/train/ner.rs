//! NER training, with voting members.

use super::TrainOptions;
use crate::config::{resolve, Config, LoadedConfig, Source};
use crate::data::{read_ner_sources, read_ner_sources_repeat, source_files};
use crate::error::{bail, Error, Result, ResultExt};
use crate::progress::{Event, Progress};
use kith_nlp::train::NerTrainConfig;
use kith_nlp::NerModel;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(super) fn train(
    config: &LoadedConfig,
    options: &TrainOptions,
    data: &Path,
    clusters_path: Option<&Path>,
    output: &Path,
    progress: &Progress,
) -> Result<()> {
    // Every config (members too) is read and checked, and its lists, inner model and
    // clusters loaded, before any training: a bad member fails in seconds, not after
    // the models before it have trained.
    let mut own = NerJob::prepare(
        options,
        &config.path,
        &config.config,
        &config.dir,
        data,
        clusters_path,
        progress,
    )?;
    let mut members = config
        .config
        .vote
        .iter()
        .map(|m| load_vote_member(options, config, m, progress))
        .collect::<Result<Vec<_>>>()?;
    // Whole cluster tables, so that members trained with the same one store it once.
    if !members.is_empty() {
        for job in std::iter::once(&mut own).chain(&mut members) {
            job.cfg.keep_clusters = true;
        }
    }
    let mut model = own.train(progress)?;
    if !members.is_empty() {
        let mut voters = Vec::new();
        for m in members {
            progress.emit(Event::VotingMember {
                config: &m.config_path,
            });
            voters.push(m.train(progress)?);
        }
        model = model
            .with_voters(voters)
            .map_err(|e| Error::msg(format!("{}: {e}", config.path.display())))?;
    }
    model
        .save(output)
        .with_context(|| format!("cannot write {}", output.display()))?;
    Ok(())
}

/// One NER model to train, its config read and checked: the training settings (with the
/// lists, inner model and clusters loaded) and the data to read.
struct NerJob {
    /// The config file, for errors and progress.
    config_path: PathBuf,
    cfg: NerTrainConfig,
    data: PathBuf,
    train: Vec<Source>,
    dev: Vec<Source>,
}

impl NerJob {
    /// Reads what one config describes apart from its voting members and its data files'
    /// contents (read by [`NerJob::train`]); `options` gives `--epochs` and
    /// `--dev-as-train`.
    fn prepare(
        options: &TrainOptions,
        config_path: &Path,
        config: &Config,
        dir: &Path,
        data: &Path,
        clusters_path: Option<&Path>,
        progress: &Progress,
    ) -> Result<NerJob> {
        let named = |e: String| Error::msg(format!("{}: {e}", config_path.display()));
        // Lists first: a bad list file fails before anything bulky is read.
        let lexicon = if config.lexicons.is_empty() {
            None
        } else {
            let paths: Vec<PathBuf> = config.lexicons.iter().map(|p| resolve(dir, p)).collect();
            Some(Arc::new(
                kith_nlp::train::Lexicon::load(&paths)
                    .with_context(|| format!("{}: lexicons", config_path.display()))?,
            ))
        };
        let stack = match &config.stack {
            Some(p) => Some(Arc::new(
                NerModel::load(&resolve(dir, p))
                    .with_context(|| format!("{}: stack", config_path.display()))?,
            )),
            None => None,
        };
        let mut cfg: NerTrainConfig = match &config.ner {
            Some(v) => v
                .clone()
                .try_into()
                .with_context(|| format!("{}: invalid [ner] table", config_path.display()))?,
            None => NerTrainConfig::default(),
        };
        if let Some(seed) = config.seed {
            cfg.seed = seed;
        }
        if let Some(e) = options.epochs.or(config.epochs) {
            cfg.iterations = e;
        }
        cfg.stack = stack;
        cfg.check().map_err(|e| named(format!("[ner] {e}")))?;
        let (train, dev) = if options.dev_as_train {
            if config.dev.is_empty() {
                return Err(named(
                    "--dev-as-train: no [[dev]] data to add to the training data".into(),
                ));
            }
            (
                config.train.iter().chain(&config.dev).cloned().collect(),
                Vec::new(),
            )
        } else {
            (config.train.clone(), config.dev.clone())
        };
        // Paths and genre filters now; the files' contents when this model trains.
        for src in train.iter().chain(&dev) {
            source_files(data, src).with_context(|| format!("{}: data", config_path.display()))?;
        }
        if let Some(p) = clusters_path {
            cfg.clusters = Some(Arc::new(kith_nlp::train::WordClusters::load(p)?));
        }
        cfg.lexicon = lexicon;
        let progress = progress.clone();
        cfg.progress = Some(Arc::new(move |m: &str| progress.emit(Event::NerMessage(m))));
        Ok(NerJob {
            config_path: config_path.to_path_buf(),
            cfg,
            data: data.to_path_buf(),
            train,
            dev,
        })
    }

    /// Reads the data and trains.
    fn train(mut self, progress: &Progress) -> Result<NerModel> {
        let (train, train_names, repeat) = read_ner_sources_repeat(&self.data, &self.train)?;
        let (dev, _) = read_ner_sources(&self.data, &self.dev)?;
        progress.emit(Event::NerTraining {
            documents: train.len(),
            sentences: train.iter().map(|d| d.sentences.len()).sum::<usize>(),
            dev_documents: dev.len(),
        });
        self.cfg.data = train_names;
        if repeat.iter().any(|&r| r > 1) {
            self.cfg.doc_repeat = Some(Arc::new(repeat));
        }
        Ok(NerModel::train(
            &train,
            (!dev.is_empty()).then_some(dev.as_slice()),
            &self.cfg,
        ))
    }
}

/// Reads and checks a voting member's config (relative to the voting config's folder):
/// its own data folder and clusters, its `output` unused; `--data`, `--epochs` and
/// `--dev-as-train` apply to it too. A member may not vote itself.
fn load_vote_member(
    options: &TrainOptions,
    voting: &LoadedConfig,
    member: &Path,
    progress: &Progress,
) -> Result<NerJob> {
    let path = voting.resolve(member);
    let loaded =
        LoadedConfig::load(&path).with_context(|| format!("{}: vote", voting.path.display()))?;
    let config = &loaded.config;
    if config.task.as_deref().is_some_and(|t| t != "ner") {
        bail!(
            "{}: vote: {} is not an NER config",
            voting.path.display(),
            path.display()
        );
    }
    if !config.vote.is_empty() {
        bail!(
            "{}: vote: {} votes itself; only one level of voting is allowed",
            voting.path.display(),
            path.display()
        );
    }
    loaded.check("ner")?;
    let data = loaded.data_dir(options.data.as_deref());
    let clusters = config.clusters.as_ref().map(|c| loaded.resolve(c));
    NerJob::prepare(
        options,
        &path,
        config,
        &loaded.dir,
        &data,
        clusters.as_deref(),
        progress,
    )
}
