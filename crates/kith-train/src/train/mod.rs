//! Training jobs: a model reproduced from its [config](crate::config), deterministically,
//! and written atomically.
//!
//! [`train`] checks the config for the task, reads the data it names and trains:
//! - POS ([`kith_nlp::PosModel`]): dev scores per epoch, the last recorded in the model;
//! - NER ([`kith_nlp::NerModel`]): the config and each voting member's config is read and
//!   checked — lists, inner model, clusters, data paths — before any of them trains, so
//!   that a bad member fails in seconds; `--dev-as-train` adds the dev data to the
//!   training data of each;
//! - parser ([`kith_nlp::ParserModel`]): optionally on POS tags predicted by held-out
//!   models (jackknifing), dev parsed with a POS model's tags as at run time.

mod ner;
mod parser;
mod pos;

use crate::config::LoadedConfig;
use crate::error::{bail, Result};
use crate::progress::Progress;
use std::path::PathBuf;

/// A model `kith train` trains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// The POS tagger.
    Pos,
    /// The named-entity tagger.
    Ner,
    /// The dependency parser.
    Parser,
}

impl Task {
    /// The name a config's `task` gives: `pos`, `ner` or `parser`.
    pub fn name(self) -> &'static str {
        match self {
            Task::Pos => "pos",
            Task::Ner => "ner",
            Task::Parser => "parser",
        }
    }
}

/// What the command line changes in a config.
#[derive(Debug, Clone, Default)]
pub struct TrainOptions {
    /// Write the model here instead of the config's `output`.
    pub output: Option<PathBuf>,
    /// The data folder instead of the config's `data` (voting members' too).
    pub data: Option<PathBuf>,
    /// The number of epochs instead of the config's (voting members' too).
    pub epochs: Option<usize>,
    /// NER: train on the `[[train]]` and `[[dev]]` data together (voting members too);
    /// a config without `[[dev]]` is refused.
    pub dev_as_train: bool,
}

/// What a training run did.
#[derive(Debug, Clone)]
pub struct TrainReport {
    /// The model file written.
    pub output: PathBuf,
}

/// Trains the model `config` describes and writes it to its output; reports progress to
/// `progress`.
pub fn train(
    task: Task,
    config: &LoadedConfig,
    options: &TrainOptions,
    progress: &Progress,
) -> Result<TrainReport> {
    let name = task.name();
    if let Some(t) = &config.config.task {
        if t != name {
            bail!("{} is a `{t}` config, not `{name}`", config.path.display());
        }
    }
    let data = config.data_dir(options.data.as_deref());
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| config.resolve(&config.config.output));
    config.check(name)?;
    if options.dev_as_train && task != Task::Ner {
        bail!("--dev-as-train is an NER training option; {name} training does not read it");
    }
    let clusters = config.config.clusters.as_ref().map(|c| config.resolve(c));
    match task {
        Task::Pos => pos::train(
            config,
            options,
            &data,
            clusters.as_deref(),
            &output,
            progress,
        )?,
        Task::Ner => ner::train(
            config,
            options,
            &data,
            clusters.as_deref(),
            &output,
            progress,
        )?,
        Task::Parser => parser::train(
            config,
            options,
            &data,
            clusters.as_deref(),
            &output,
            progress,
        )?,
    }
    Ok(TrainReport { output })
}
