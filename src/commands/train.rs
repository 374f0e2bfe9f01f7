//! `kith train pos|ner|parser --config FILE`: reproduce a model from its TOML config.
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
//! format = "conllu"                     # POS: conllu; NER: conll2003 wikigold btc wnut17 wikiann gum
//! path = "gum/train"                    # a file or a directory (relative to `data`)
//! genres = "permissive"                 # GUM directories: permissive (default) or all
//! repeat = 4                            # NER: each document seen 4 times per epoch (oversampling)
//!
//! [[dev]]
//! format = "conllu"
//! path = "gum/dev"
//!
//! [ner]                                 # NER only: NerTrainConfig fields (iterations, folds, prune,
//!                                       # ensemble, feature_dropout, word_dropout, margin, ...)
//! [ner.features]                        # NER only: FeatureSwitches (doc_context, lexicons, ...)
//! ```
//!
//! The top-level POS settings (`joint`, `dict_*`, `ensemble`, `prune`, `feature_dropout`)
//! are refused in an NER or parser config rather than ignored: NER's `ensemble`, `prune`
//! and `feature_dropout` live under `[ner]`, the parser's `ensemble` and `prune` under
//! `[parser]`.

use crate::cli::{TaskArg, TrainArgs};
use anyhow::{bail, Context, Result};
use kith_corpus::{GumFilter, PosSentence, TaggedDocument};
use kith_nlp::pos::{Clusters, PosModel, PosTrainConfig};
use kith_nlp::{NerModel, NerTrainConfig};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct Config {
    pub task: Option<String>,
    pub data: Option<PathBuf>,
    pub output: PathBuf,
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
    pub seed: Option<u64>,
    pub epochs: Option<usize>,
    pub joint: Option<bool>,
    /// POS tag dictionary: minimum count and majority share (see `PosTrainConfig`).
    pub dict_min_count: Option<usize>,
    pub dict_min_share: Option<f64>,
    /// POS: frozen weight rows whose largest |weight| is below this are dropped.
    pub prune: Option<f32>,
    /// POS: models trained with seeds `seed..seed + ensemble`, weights averaged into one.
    pub ensemble: Option<usize>,
    /// POS: probability of leaving a feature out of a training step.
    pub feature_dropout: Option<f32>,
    #[serde(default)]
    pub train: Vec<Source>,
    #[serde(default)]
    pub dev: Vec<Source>,
    pub ner: Option<toml::Value>,
    /// Parser only: `ParserSettings` (see train_parser.rs).
    pub parser: Option<toml::Value>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct Source {
    pub format: String,
    pub path: PathBuf,
    pub genres: Option<String>,
    /// NER: times each document of this source is seen per training epoch (oversampling).
    pub repeat: Option<u32>,
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

pub(crate) fn resolve(base: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}

/// The files of a source: the file itself, the filtered GUM files of a GUM directory, or
/// every file of another directory (sorted).
pub(crate) fn source_files(data: &Path, src: &Source) -> Result<Vec<PathBuf>> {
    let path = resolve(data, &src.path);
    if path.is_file() {
        return Ok(vec![path]);
    }
    if !path.is_dir() {
        bail!("data path {} does not exist", path.display());
    }
    let filter = match src.genres.as_deref() {
        None | Some("permissive") => GumFilter::Permissive,
        Some("all") => GumFilter::AllUnmasked,
        Some(other) => bail!("genres = \"{other}\": expected \"permissive\" or \"all\""),
    };
    let gum = kith_corpus::gum_files(&path, filter)?;
    if !gum.is_empty() {
        return Ok(gum);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&path)
        .with_context(|| format!("cannot list {}", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no data files in {}", path.display());
    }
    Ok(files)
}

pub(crate) fn read_pos_sources(
    data: &Path,
    sources: &[Source],
) -> Result<(Vec<PosSentence>, Vec<String>)> {
    let mut out = Vec::new();
    let mut names = Vec::new();
    for src in sources {
        if src.format != "conllu" {
            bail!(
                "POS data must have format = \"conllu\" (found \"{}\")",
                src.format
            );
        }
        let files = source_files(data, src)?;
        for f in &files {
            out.extend(kith_corpus::read_conllu_pos(f)?);
        }
        names.push(format!("{} ({} files)", src.path.display(), files.len()));
    }
    Ok((out, names))
}

pub(crate) fn read_ner_sources(
    data: &Path,
    sources: &[Source],
) -> Result<(Vec<TaggedDocument>, Vec<String>)> {
    let (docs, names, _) = read_ner_sources_repeat(data, sources)?;
    Ok((docs, names))
}

/// As [`read_ner_sources`], with each document's `repeat` count.
pub(crate) fn read_ner_sources_repeat(
    data: &Path,
    sources: &[Source],
) -> Result<(Vec<TaggedDocument>, Vec<String>, Vec<u32>)> {
    let mut out = Vec::new();
    let mut names = Vec::new();
    let mut repeat = Vec::new();
    for src in sources {
        let files = source_files(data, src)?;
        let before = out.len();
        for f in &files {
            out.extend(kith_corpus::read_ner(&src.format, f)?);
        }
        let r = src.repeat.unwrap_or(1).max(1);
        repeat.resize(out.len(), r);
        let times = if r > 1 {
            format!(", ×{r}")
        } else {
            String::new()
        };
        names.push(format!(
            "{} {} ({} files, {} documents{times})",
            src.format,
            src.path.display(),
            files.len(),
            out.len() - before
        ));
    }
    Ok((out, names, repeat))
}

pub(crate) fn load_config(path: &Path) -> Result<(Config, PathBuf)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read config {}", path.display()))?;
    let config: Config = toml::from_str(&text)
        .with_context(|| format!("{}: invalid training config", path.display()))?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    Ok((config, dir))
}

/// The data folder of a config: `--data`, else the config's `data` (relative to it).
fn data_dir(args: &TrainArgs, config: &Config, dir: &Path) -> PathBuf {
    match &args.data {
        Some(d) => d.clone(),
        None => resolve(dir, config.data.as_deref().unwrap_or(Path::new("."))),
    }
}

/// Refuses a config without training data or with settings `task` would not read.
fn check_config(config: &Config, path: &Path, task: &str) -> Result<()> {
    if config.train.is_empty() {
        bail!("{}: no [[train]] data", path.display());
    }
    check_task_fields(config, task).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

pub fn train(args: TrainArgs) -> Result<ExitCode> {
    let (config, dir) = load_config(&args.config)?;
    let task = match args.task {
        TaskArg::Pos => "pos",
        TaskArg::Ner => "ner",
        TaskArg::Coref => bail!(
            "coreference is rule-based and has no model to train; `kith eval coref` scores it"
        ),
        TaskArg::Relations => {
            bail!("relations are rule-based: there is no relation model to train")
        }
        TaskArg::Parser => "parser",
        TaskArg::Sentences => {
            bail!("sentence splitting is rule-based and has no model to train; `kith eval sentences` scores it")
        }
    };
    if let Some(t) = &config.task {
        if t != task {
            bail!("{} is a `{t}` config, not `{task}`", args.config.display());
        }
    }
    let data = data_dir(&args, &config, &dir);
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| resolve(&dir, &config.output));
    check_config(&config, &args.config, task)?;
    if args.dev_as_train && task != "ner" {
        bail!("--dev-as-train is an NER training option; {task} training does not read it");
    }
    let clusters_path = config.clusters.as_ref().map(|c| resolve(&dir, c));
    let started = Instant::now();
    match args.task {
        TaskArg::Parser => {
            super::train_parser::train(&args, &config, &data, clusters_path.as_deref(), &output)?
        }
        TaskArg::Pos => {
            if let Some(p) = config.feature_dropout.filter(|p| !(0.0..1.0).contains(p)) {
                bail!(
                    "{}: feature_dropout = {p}: expected a probability in [0, 1)",
                    args.config.display()
                );
            }
            let (train, train_names) = read_pos_sources(&data, &config.train)?;
            let (dev, _) = read_pos_sources(&data, &config.dev)?;
            eprintln!(
                "kith: POS training on {} sentences ({} tokens), dev {} sentences",
                train.len(),
                train.iter().map(|s| s.words.len()).sum::<usize>(),
                dev.len()
            );
            let clusters = match &clusters_path {
                Some(p) => Some(Clusters::from_tsv(p)?),
                None => None,
            };
            let cfg = PosTrainConfig {
                epochs: args.epochs.or(config.epochs).unwrap_or(8),
                seed: config.seed.unwrap_or(1),
                joint: config.joint.unwrap_or(true),
                clusters,
                ..PosTrainConfig::default()
            };
            let cfg = PosTrainConfig {
                dict_min_count: config.dict_min_count.unwrap_or(cfg.dict_min_count),
                dict_min_share: config.dict_min_share.unwrap_or(cfg.dict_min_share),
                prune: config.prune.unwrap_or(cfg.prune),
                ensemble: config.ensemble.unwrap_or(1).max(1),
                feature_dropout: config.feature_dropout.unwrap_or(cfg.feature_dropout),
                ..cfg
            };
            let mut last_dev = None;
            let mut model = PosModel::train(&train, &dev, &cfg, |epoch, acc, dev| {
                let train = acc.map(|a| format!("  train {a:.2}%")).unwrap_or_default();
                let dev_part = dev
                    .map(|(u, x)| format!("  dev UPOS {u:.2}%  XPOS {x:.2}%"))
                    .unwrap_or_default();
                eprintln!("epoch {epoch:>2}:{train}{dev_part}");
                last_dev = dev;
            });
            model.set_meta("data", serde_json::json!(train_names));
            if let Some((u, x)) = last_dev {
                model.set_meta("dev_upos", serde_json::json!((u * 100.0).round() / 100.0));
                model.set_meta("dev_xpos", serde_json::json!((x * 100.0).round() / 100.0));
            }
            model
                .save(&output)
                .with_context(|| format!("cannot write {}", output.display()))?;
        }
        TaskArg::Relations => unreachable!("refused above"),
        TaskArg::Ner => {
            // Every config (members too) is read and checked, and its lists, inner model and
            // clusters loaded, before any training: a bad member fails in seconds, not after
            // the models before it have trained.
            let mut own = NerJob::prepare(
                &args,
                &args.config,
                &config,
                &dir,
                &data,
                clusters_path.as_deref(),
            )?;
            let mut members = config
                .vote
                .iter()
                .map(|m| load_vote_member(&args, &dir, m))
                .collect::<Result<Vec<_>>>()?;
            // Whole cluster tables, so that members trained with the same one store it once.
            if !members.is_empty() {
                for job in std::iter::once(&mut own).chain(&mut members) {
                    job.cfg.keep_clusters = true;
                }
            }
            let mut model = own.train()?;
            if !members.is_empty() {
                let mut voters = Vec::new();
                for m in members {
                    eprintln!("kith: voting member {}", m.config_path.display());
                    voters.push(m.train()?);
                }
                model = model
                    .with_voters(voters)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", args.config.display()))?;
            }
            model
                .save(&output)
                .with_context(|| format!("cannot write {}", output.display()))?;
        }
        TaskArg::Coref | TaskArg::Sentences => unreachable!("refused when the task was read"),
    }
    let size = std::fs::metadata(&output).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "kith: wrote {} ({:.1} MB) in {:.1} s",
        output.display(),
        size as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
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
    /// contents (read by [`NerJob::train`]); `args` gives `--epochs` and `--dev-as-train`.
    fn prepare(
        args: &TrainArgs,
        config_path: &Path,
        config: &Config,
        dir: &Path,
        data: &Path,
        clusters_path: Option<&Path>,
    ) -> Result<NerJob> {
        let named = |e: String| anyhow::anyhow!("{}: {e}", config_path.display());
        // Lists first: a bad list file fails before anything bulky is read.
        let lexicon = if config.lexicons.is_empty() {
            None
        } else {
            let paths: Vec<PathBuf> = config.lexicons.iter().map(|p| resolve(dir, p)).collect();
            Some(Arc::new(
                kith_nlp::ner::Lexicon::load(&paths)
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
        if let Some(e) = args.epochs.or(config.epochs) {
            cfg.iterations = e;
        }
        cfg.stack = stack;
        cfg.check().map_err(|e| named(format!("[ner] {e}")))?;
        let (train, dev) = if args.dev_as_train {
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
            cfg.clusters = Some(Arc::new(kith_nlp::ner::WordClusters::load(p)?));
        }
        cfg.lexicon = lexicon;
        cfg.progress = Some(Arc::new(|m: &str| eprintln!("{m}")));
        Ok(NerJob {
            config_path: config_path.to_path_buf(),
            cfg,
            data: data.to_path_buf(),
            train,
            dev,
        })
    }

    /// Reads the data and trains.
    fn train(mut self) -> Result<NerModel> {
        let (train, train_names, repeat) = read_ner_sources_repeat(&self.data, &self.train)?;
        let (dev, _) = read_ner_sources(&self.data, &self.dev)?;
        eprintln!(
            "kith: NER training on {} documents ({} sentences), dev {} documents",
            train.len(),
            train.iter().map(|d| d.sentences.len()).sum::<usize>(),
            dev.len()
        );
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
fn load_vote_member(args: &TrainArgs, dir: &Path, member: &Path) -> Result<NerJob> {
    let path = resolve(dir, member);
    let (config, member_dir) =
        load_config(&path).with_context(|| format!("{}: vote", args.config.display()))?;
    if config.task.as_deref().is_some_and(|t| t != "ner") {
        bail!(
            "{}: vote: {} is not an NER config",
            args.config.display(),
            path.display()
        );
    }
    if !config.vote.is_empty() {
        bail!(
            "{}: vote: {} votes itself; only one level of voting is allowed",
            args.config.display(),
            path.display()
        );
    }
    check_config(&config, &path, "ner")?;
    let data = data_dir(args, &config, &member_dir);
    let clusters = config.clusters.as_ref().map(|c| resolve(&member_dir, c));
    NerJob::prepare(
        args,
        &path,
        &config,
        &member_dir,
        &data,
        clusters.as_deref(),
    )
}
