//! The training config: one TOML file per model (`models/configs/*.toml`), read by
//! `kith train pos|ner|parser --config FILE`.
//!
//! ```toml
//! task = "pos"                          # or "ner", "parser"; must match the command
//! data = "../../../shared/data"         # base of the data paths (relative to this file; --data overrides)
//! output = "../pos-en.kmodel"           # relative to this file (-o overrides)
//! clusters = "../../data/clusters/clusters.tsv"   # optional, relative to this file
//! lexicons = ["../../data/gazetteer/lex-city.txt"] # NER: name lists stored in the model (relative to this file)
//! stack = "../ner-en.kmodel"            # NER: an NER model whose labels are features, stored in the model
//! vote = ["member-2.toml"]              # NER: configs of further models, trained too and stored in the
//!                                       # model; tagging keeps the spans most members give
//! seed = 1
//! epochs = 8
//! joint = true                          # POS: one classifier over UPOS+XPOS pairs
//! feature_dropout = 0.25                # POS: share of features left out of each training step
//!
//! [[train]]
//! format = "conllu"                     # POS, parser: conllu; NER: conll2003 wikigold btc wnut17 wikiann gum
//! path = "gum/train"                    # a file or a directory (relative to `data`)
//! genres = "permissive"                 # GUM directories: permissive (default) or all
//! repeat = 4                            # NER: each document seen 4 times per epoch (oversampling)
//!
//! [[dev]]                               # POS, NER: scored after each epoch; parser: report only
//! format = "conllu"
//! path = "gum/dev"
//!
//! [ner]                                 # NER only: NerTrainConfig fields (iterations, folds, prune,
//!                                       # ensemble, feature_dropout, word_dropout, margin, ...)
//! [ner.features]                        # NER only: FeatureSwitches (doc_context, lexicons, ...)
//!
//! [parser]                              # parser only: ParserSettings
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
//!
//! The top-level POS settings (`joint`, `dict_*`, `ensemble`, `prune`, `feature_dropout`)
//! are refused in an NER or parser config rather than ignored: NER's `ensemble`, `prune`
//! and `feature_dropout` live under `[ner]`, the parser's `ensemble` and `prune` under
//! `[parser]`. Likewise `lexicons`, `stack` and `vote` are refused outside an NER config,
//! and an unknown key anywhere is an error.
//!
//! [`Config`] is the file's schema, [`Source`] one `[[train]]` or `[[dev]]` entry,
//! [`ParserSettings`] the `[parser]` table; the `[ner]` table is
//! [`kith_nlp::train::NerTrainConfig`] (with [`kith_nlp::train::FeatureSwitches`] under
//! `[ner.features]`). [`LoadedConfig::load`] reads a file; [`crate::data`] resolves its
//! data paths.

use crate::error::{bail, Error, Result, ResultExt};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A training config file (see the [module documentation](self) for the format). Paths
/// are as written: relative ones are relative to the file's folder ([`resolve`]), the
/// data paths of [`Source`]s to [`Config::data`].
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `pos`, `ner` or `parser`: when given, must be the task trained.
    pub task: Option<String>,
    /// The base folder of the data paths (default: the config's folder); `--data`
    /// overrides it.
    pub data: Option<PathBuf>,
    /// Where the model is written; `-o` overrides it. Unused in a voting member's config.
    pub output: PathBuf,
    /// Word clusters (a TSV of word and cluster bit string), stored in the model.
    pub clusters: Option<PathBuf>,
    /// NER: external name lists (one entry a line), stored in the model.
    #[serde(default)]
    pub lexicons: Vec<PathBuf>,
    /// NER: an inner NER model whose labels are features (stacking), stored in the model.
    pub stack: Option<PathBuf>,
    /// NER: configs of further models (relative to this file), trained by the same
    /// command and stored in the model; tagging keeps the spans most of the members give.
    #[serde(default)]
    pub vote: Vec<PathBuf>,
    /// The training seed (POS and parser ensembles use `seed`, `seed + 1`, ...).
    pub seed: Option<u64>,
    /// Passes over the training data (NER: `[ner] iterations`); `--epochs` overrides it.
    pub epochs: Option<usize>,
    /// POS: one classifier over UPOS+XPOS pairs (default true).
    pub joint: Option<bool>,
    /// POS tag dictionary: minimum count (see `PosTrainConfig`).
    pub dict_min_count: Option<usize>,
    /// POS tag dictionary: majority share (see `PosTrainConfig`).
    pub dict_min_share: Option<f64>,
    /// POS: frozen weight rows whose largest |weight| is below this are dropped.
    pub prune: Option<f32>,
    /// POS: models trained with seeds `seed..seed + ensemble`, weights averaged into one.
    pub ensemble: Option<usize>,
    /// POS: probability of leaving a feature out of a training step.
    pub feature_dropout: Option<f32>,
    /// The training data, in order.
    #[serde(default)]
    pub train: Vec<Source>,
    /// The development data (best epoch and calibration for NER, per-epoch scores).
    #[serde(default)]
    pub dev: Vec<Source>,
    /// NER only: the `[ner]` table, a [`kith_nlp::train::NerTrainConfig`] (read when training,
    /// so that its errors name the table).
    pub ner: Option<toml::Value>,
    /// Parser only: the `[parser]` table, [`ParserSettings`] (read when training).
    pub parser: Option<toml::Value>,
}

/// One `[[train]]` or `[[dev]]` entry: a data file or folder and its format.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// POS and parser: `conllu`; NER: a `kith_corpus::read_ner` format (`conll2003`,
    /// `wikigold`, `btc`, `wnut17`, `wikiann`, `gum`, `conll04`, ...).
    pub format: String,
    /// A file or a folder, relative to the config's data folder.
    pub path: PathBuf,
    /// GUM folders: `permissive` (the default: genres whose licence allows a shipped
    /// model) or `all`.
    pub genres: Option<String>,
    /// NER: times each document of this source is seen per training epoch (oversampling).
    pub repeat: Option<u32>,
}

/// The `[parser]` table of a parser config.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct ParserSettings {
    /// A POS model (relative to the config) that tags the dev data as at run time;
    /// absent: dev is parsed with its gold tags.
    pub pos_model: Option<PathBuf>,
    /// `ParserTrainConfig::explore_from`: the epoch from which the dynamic oracle follows
    /// the parser's own predictions.
    pub explore_from: Option<usize>,
    /// `ParserTrainConfig::explore_p`: how often it follows them.
    pub explore_p: Option<f64>,
    /// Action weight rows whose largest |weight| is below this are dropped.
    pub prune: Option<f32>,
    /// Relation weight rows whose largest |weight| is below this are dropped.
    pub label_prune: Option<f32>,
    /// Models (seeds `seed`, `seed + 1`, ...) averaged into one.
    pub ensemble: Option<usize>,
    /// Train on POS tags predicted by models that did not see the sentence: the training
    /// data is cut into this many contiguous folds, a POS model is trained on the others
    /// with `pos_config` and tags each fold (jackknifing). Absent or 0: gold tags.
    pub jackknife: Option<usize>,
    /// The POS training config used for jackknifing (relative to this file).
    pub pos_config: Option<PathBuf>,
    /// With `jackknife`: also keep the sentences with their gold tags (twice the data).
    pub keep_gold: Option<bool>,
}

/// A config file read: its path, its contents and the folder its relative paths start
/// from.
#[derive(Debug)]
pub struct LoadedConfig {
    /// The file, as given (for messages).
    pub path: PathBuf,
    /// Its contents.
    pub config: Config,
    /// Its folder (`.` for a bare file name).
    pub dir: PathBuf,
}

impl LoadedConfig {
    /// Reads and parses a config file; nothing it names is read yet.
    pub fn load(path: &Path) -> Result<LoadedConfig> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config {}", path.display()))?;
        let config: Config = toml::from_str(&text)
            .with_context(|| format!("{}: invalid training config", path.display()))?;
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        Ok(LoadedConfig {
            path: path.to_path_buf(),
            config,
            dir,
        })
    }

    /// A path of the config, relative to its folder unless absolute.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        resolve(&self.dir, p)
    }

    /// The data folder: `data_override` (`--data`), else the config's `data` (relative
    /// to it), else its folder.
    pub fn data_dir(&self, data_override: Option<&Path>) -> PathBuf {
        match data_override {
            Some(d) => d.to_path_buf(),
            None => self.resolve(self.config.data.as_deref().unwrap_or(Path::new("."))),
        }
    }

    /// Refuses a config without training data or with settings `task` (`pos`, `ner`,
    /// `parser`) would not read.
    pub fn check(&self, task: &str) -> Result<()> {
        if self.config.train.is_empty() {
            bail!("{}: no [[train]] data", self.path.display());
        }
        check_task_fields(&self.config, task)
            .map_err(|e| Error::msg(format!("{}: {e}", self.path.display())))
    }
}

/// `p` relative to `base` unless absolute.
pub fn resolve(base: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}

/// Refuses top-level settings the task would ignore: they are POS training's (NER reads its
/// `ensemble`, `prune` and `feature_dropout` from `[ner]`, the parser its `ensemble` and
/// `prune` from `[parser]`), and a silently ignored setting would train a model other than
/// the one the config describes.
fn check_task_fields(config: &Config, task: &str) -> Result<(), String> {
    if task != "pos" {
        let pos_only = [
            ("joint", config.joint.is_some()),
            ("dict_min_count", config.dict_min_count.is_some()),
            ("dict_min_share", config.dict_min_share.is_some()),
            ("ensemble", config.ensemble.is_some()),
            ("prune", config.prune.is_some()),
            ("feature_dropout", config.feature_dropout.is_some()),
        ];
        if let Some((name, _)) = pos_only.iter().find(|(_, set)| *set) {
            let hint = match (task, *name) {
                ("ner", "ensemble" | "prune" | "feature_dropout") => "; write it under [ner]",
                ("parser", "ensemble" | "prune") => "; write it under [parser]",
                _ => "",
            };
            return Err(format!(
                "top-level `{name}` is not read by {task} training{hint}"
            ));
        }
    }
    if task != "ner" && !config.lexicons.is_empty() {
        return Err(format!(
            "`lexicons` are NER features; a {task} model does not use them"
        ));
    }
    if task != "ner" && !config.vote.is_empty() {
        return Err(format!(
            "`vote` names NER configs; a {task} model does not vote"
        ));
    }
    if task != "ner" && config.stack.is_some() {
        return Err(format!("`stack` names an NER model whose labels are NER features; a {task} model does not use them"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Config {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn pos_settings_are_refused_elsewhere_with_a_hint() {
        let c = parse("output = \"m\"\nensemble = 3\n");
        assert_eq!(
            check_task_fields(&c, "ner").unwrap_err(),
            "top-level `ensemble` is not read by ner training; write it under [ner]"
        );
        assert!(check_task_fields(&c, "pos").is_ok());
        let c = parse("output = \"m\"\nvote = [\"a.toml\"]\n");
        assert!(check_task_fields(&c, "ner").is_ok());
        assert!(check_task_fields(&c, "parser").is_err());
    }

    #[test]
    fn unknown_keys_are_errors() {
        assert!(toml::from_str::<Config>("output = \"m\"\nepoch = 3\n").is_err());
    }

    #[test]
    fn paths_are_relative_to_the_config() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "output = \"m\"\ndata = \"d\"\n").unwrap();
        let c = LoadedConfig::load(&path).unwrap();
        assert_eq!(c.data_dir(None), dir.path().join("d"));
        assert_eq!(c.data_dir(Some(Path::new("/x"))), Path::new("/x"));
        assert_eq!(c.resolve(Path::new("/abs")), Path::new("/abs"));
        assert_eq!(c.resolve(Path::new("m")), dir.path().join("m"));
    }
}
