//! The relation model's training (`kith train relations --config FILE`) and its
//! end-to-end evaluation on KnowledgeNet (`kith eval relations --format knowledgenet`),
//! with cross-validation over the files given (each scored by a model trained on the
//! others); and on re3d (`kith eval relations --format re3d`, pairs only: [`eval_re3d`]).
//!
//! # Config format
//!
//! ```toml
//! task = "relations"
//! data = "../../../shared/data"   # relative to the config; `--data DIR` overrides
//! output = "../relations-en.kmodel"
//! seed = 1
//!
//! [[train]]
//! format = "knowledgenet"         # or "redocred" (Re-DocRED JSON: facts between entities)
//! path = "knowledgenet/fold1.jsonl"  #    or "fewrel" (FewRel JSON: one labelled pair a sentence)
//!
//! [[train]]
//! format = "fewrel"
//! path = "fewrel/val_wiki.json"
//! fold = false                    # always trained on, never a held-out fold
//!
//! [relations]
//! epochs = 10                     # passes over the data
//! ensemble = 3                    # perceptrons averaged (seeds seed, seed + 1, ...)
//! threshold = -4.0                # margin over "no relation" a predicate needs
//! prune = 0.0                     # weight rows below this |weight| dropped
//! pronoun_stand_ins = true         # train on KnowledgeNet's unresolved pronouns too
//! ```
//!
//! Passages are analysed by the pipeline given without its relation model (its rules'
//! relations are features), so the same pipeline and data give the same model bytes.

use super::fewrel::fewrel_passage;
use super::stand_ins::add_pronoun_stand_ins;
use crate::error::{bail, Result, ResultExt};
use crate::progress::{Event, Progress};
use kith_corpus::fewrel::read_fewrel;
use kith_corpus::knowledgenet::{
    knowledgenet_labels, read_knowledgenet, FactScores, KnFact, KnPassage, KNOWLEDGENET_PREDICATES,
};
use kith_corpus::re3d::read_re3d_all;
use kith_corpus::redocred::{mention_facts, read_redocred};
use kith_corpus::relation_data::{labelled_examples, relations_as_facts};
use kith_nlp::train::{fit_calibration, train_relation_model, Example, RelationTrainSettings};
use kith_nlp::{Doc, Pipeline, RelationSpan};
use kith_schema::{DocId, EntityType};
use rayon::prelude::*;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A relation training config (see the module documentation).
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RelationConfig {
    /// `relations` when given.
    pub task: Option<String>,
    /// The data directory, relative to the config.
    pub data: PathBuf,
    /// Where the model is written, relative to the config.
    pub output: PathBuf,
    /// First seed.
    #[serde(default = "one")]
    pub seed: u64,
    /// Training data.
    pub train: Vec<RelationSource>,
    /// Training settings.
    #[serde(default)]
    pub relations: RelationSettings,
}

fn one() -> u64 {
    1
}

/// One training file.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RelationSource {
    /// Its format: `knowledgenet`, `redocred` or `fewrel`.
    pub format: String,
    /// Its path, relative to the data directory.
    pub path: PathBuf,
    /// Whether it is a fold of the cross-validation (held out in turn and scored);
    /// otherwise every fold's model is trained on it too.
    #[serde(default = "yes")]
    pub fold: bool,
}

fn yes() -> bool {
    true
}

/// The formats of relation training data.
pub const RELATION_FORMATS: &[&str] = &["knowledgenet", "redocred", "fewrel"];

/// The `[relations]` table.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct RelationSettings {
    /// Passes over the data.
    #[serde(default = "default_epochs")]
    pub epochs: usize,
    /// Perceptrons averaged into the model.
    #[serde(default = "default_ensemble")]
    pub ensemble: usize,
    /// Margin over "no relation" a predicate needs.
    #[serde(default = "default_threshold")]
    pub threshold: f32,
    /// Weight rows whose largest |weight| is below this are dropped.
    #[serde(default)]
    pub prune: f32,
    /// Train on KnowledgeNet passages with stand-ins for the pronouns whose antecedent
    /// the passage lacks ([`add_pronoun_stand_ins`]); held-out passages are scored as the
    /// pipeline reads them.
    #[serde(default)]
    pub pronoun_stand_ins: bool,
}

fn default_epochs() -> usize {
    RelationTrainSettings::default().epochs
}

fn default_ensemble() -> usize {
    RelationTrainSettings::default().ensemble
}

fn default_threshold() -> f32 {
    RelationTrainSettings::default().threshold
}

impl Default for RelationSettings {
    fn default() -> Self {
        RelationSettings {
            epochs: default_epochs(),
            ensemble: default_ensemble(),
            threshold: default_threshold(),
            prune: 0.0,
            pronoun_stand_ins: false,
        }
    }
}

impl RelationSettings {
    fn with_seed(&self, seed: u64) -> RelationTrainSettings {
        RelationTrainSettings {
            epochs: self.epochs,
            ensemble: self.ensemble,
            seed,
            threshold: self.threshold,
            prune: self.prune,
        }
    }
}

/// What `kith train relations` may override.
#[derive(Debug, Clone, Default)]
pub struct RelationTrainOptions {
    /// Write the model here instead of the config's `output`.
    pub output: Option<PathBuf>,
    /// The data folder instead of the config's `data`.
    pub data: Option<PathBuf>,
    /// The number of epochs instead of the config's.
    pub epochs: Option<usize>,
}

/// What a relation training run wrote.
#[derive(Debug, Clone)]
pub struct RelationTrainReport {
    /// The model file.
    pub output: PathBuf,
    /// Its number of predicates.
    pub labels: usize,
    /// Its fingerprint.
    pub fingerprint: String,
    /// With several training files: each one's scores by a model trained on the others.
    pub cv_per_file: Vec<(PathBuf, FactScores)>,
}

/// Trains the relation model a config describes on passages analysed by `pipeline`
/// (without its relation model) and writes it.
pub fn train_relations(
    config_path: &Path,
    options: &RelationTrainOptions,
    pipeline: Pipeline,
    progress: &Progress,
) -> Result<RelationTrainReport> {
    let text = std::fs::read_to_string(config_path)
        .with_context(|| format!("cannot read {}", config_path.display()))?;
    let config: RelationConfig = toml::from_str(&text).with_context(|| {
        format!(
            "{}: invalid relation training config",
            config_path.display()
        )
    })?;
    if let Some(t) = &config.task {
        if t != "relations" {
            bail!(
                "{} is a `{t}` config, not `relations`",
                config_path.display()
            );
        }
    }
    if config.train.is_empty() {
        bail!("{}: no [[train]] data", config_path.display());
    }
    let dir = config_path.parent().unwrap_or(Path::new("."));
    let data = options
        .data
        .clone()
        .unwrap_or_else(|| dir.join(&config.data));
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| dir.join(&config.output));
    let mut files = Vec::new();
    for source in &config.train {
        if !RELATION_FORMATS.contains(&source.format.as_str()) {
            bail!(
                "{}: unknown relation data format `{}` (expected one of {})",
                config_path.display(),
                source.format,
                RELATION_FORMATS.join(", ")
            );
        }
        files.push((source.format.clone(), data.join(&source.path), source.fold));
    }
    let mut settings = config.relations.with_seed(config.seed);
    if let Some(e) = options.epochs {
        settings.epochs = e;
    }
    let pipeline = pipeline.without("relation-model");
    let mut folds: Vec<Vec<(Doc, KnPassage)>> = Vec::new();
    let mut always: Vec<(Doc, KnPassage)> = Vec::new();
    let mut fold_files = Vec::new();
    for (format, path, fold) in &files {
        let analysed = analyse_file(&pipeline, format, path)?;
        if *fold {
            folds.push(analysed);
            fold_files.push(path.clone());
        } else {
            always.extend(analysed);
        }
    }
    // With several files, each scored by a model trained on the others: the figures the
    // file records (`kith models` shows them).
    let mut cv = FactScores::default();
    let mut cv_per_file = Vec::new();
    let mut calibration = None;
    let stand_ins = StandIns {
        train: config.relations.pronoun_stand_ins,
        eval: false,
    };
    let labels = knowledgenet_labels();
    let fold_examples: Vec<Vec<Example>> = folds
        .iter()
        .map(|f| training_examples(f, stand_ins, &labels))
        .collect();
    let always_examples = training_examples(&always, stand_ins, &labels);
    if folds.len() >= 2 {
        let held_out = cross_validate(
            &folds,
            &fold_examples,
            &always_examples,
            &settings,
            stand_ins,
            false,
        );
        for (path, scores) in fold_files.iter().zip(held_out.scores) {
            cv.merge(&scores);
            cv_per_file.push((path.clone(), scores));
        }
        calibration = fit_calibration(&held_out.margins);
    }
    let passages = folds.iter().map(Vec::len).sum::<usize>() + always.len();
    let examples: Vec<Example> = fold_examples
        .into_iter()
        .flatten()
        .chain(always_examples)
        .collect();
    progress.emit(Event::RelationData {
        passages,
        pairs: examples.len(),
        positive: examples.iter().filter(|e| e.gold > 0).count(),
    });
    let mut meta = serde_json::json!({
        "data": config.train.iter().map(|t| format!("{}:{}", t.format, t.path.display())).collect::<Vec<_>>(),
        "analysis_pipeline": pipeline.fingerprint(),
        "epochs": settings.epochs, "ensemble": settings.ensemble, "seed": settings.seed,
    });
    if stand_ins.train {
        meta["pronoun_stand_ins"] = serde_json::json!(true);
    }
    if folds.len() >= 2 {
        let round = |x: f64| (x * 100.0).round() / 100.0;
        meta["cv_folds"] = serde_json::json!(folds.len());
        meta["cv_micro_precision"] = serde_json::json!(round(cv.overall.precision()));
        meta["cv_micro_recall"] = serde_json::json!(round(cv.overall.recall()));
        meta["cv_micro_f1"] = serde_json::json!(round(cv.overall.f1()));
        meta["cv_pairs_f1"] = serde_json::json!(round(cv.pairs.f1()));
    }
    // Confidences read as probabilities of being right, fitted on the held-out folds.
    if let Some((a, b)) = calibration {
        meta["calibration"] = serde_json::json!([a, b]);
    }
    let model = train_relation_model(labels, examples, &settings, meta);
    model
        .save(&output)
        .with_context(|| format!("cannot write {}", output.display()))?;
    Ok(RelationTrainReport {
        output,
        labels: model.labels().len(),
        fingerprint: model.fingerprint(),
        cv_per_file,
    })
}

/// How `kith eval relations --format knowledgenet` scores.
#[derive(Debug, Clone, Default)]
pub struct KnowledgenetOptions {
    /// Cross-validate: each file scored by a model trained on the others.
    pub folds: bool,
    /// Training epochs of each fold's model.
    pub epochs: Option<usize>,
    /// Margin over "no relation" each fold's model needs.
    pub threshold: Option<f32>,
    /// Collect each passage's missed gold facts and spurious predictions
    /// ([`KnowledgenetReport::errors`]).
    pub show_errors: bool,
    /// Score the subject-verb-object baseline instead: the pipeline's mentions and parse,
    /// no relation rules or model, one relation per verb between its subject and each
    /// object or oblique mention (`kith_nlp::train::svo_baseline`).
    pub svo_baseline: bool,
    /// With [`KnowledgenetOptions::folds`]: where stand-ins for pronouns whose antecedent
    /// the passage lacks are added ([`add_pronoun_stand_ins`]).
    pub stand_ins: StandIns,
    /// With [`KnowledgenetOptions::folds`]: (format, file) of data every fold's model is
    /// trained on too.
    pub train_also: Vec<(String, PathBuf)>,
}

/// Which passages of a cross-validation get stand-ins for pronouns whose antecedent
/// the passage lacks ([`add_pronoun_stand_ins`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StandIns {
    /// The passages models are trained on.
    pub train: bool,
    /// The held-out passages scored (then facts with a pronoun end count as found
    /// when joined to the stand-in, as coreference would in the whole document).
    pub eval: bool,
}

impl StandIns {
    /// `doc`, with stand-ins when `wanted`.
    fn apply<'a>(&self, doc: &'a Doc, wanted: bool) -> std::borrow::Cow<'a, Doc> {
        if !wanted {
            return std::borrow::Cow::Borrowed(doc);
        }
        let mut doc = doc.clone();
        add_pronoun_stand_ins(&mut doc);
        std::borrow::Cow::Owned(doc)
    }
}

/// Scores of a KnowledgeNet evaluation: over all files and per file.
#[derive(Debug, Clone, Default)]
pub struct KnowledgenetReport {
    /// All files together.
    pub total: FactScores,
    /// Each file's scores, in the order given.
    pub per_file: Vec<(PathBuf, FactScores)>,
    /// With [`KnowledgenetOptions::show_errors`]: missed and spurious facts, in file and
    /// passage order.
    pub errors: Vec<FactError>,
    /// With [`KnowledgenetOptions::folds`]: how often the model's held-out relations were
    /// right, by the confidence a calibration fitted on them states.
    pub calibration: Vec<CalibrationRow>,
}

/// A gold fact the evaluated system missed, or a fact it predicted that no gold fact
/// matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactError {
    /// Missed (`true`) or spurious.
    pub missed: bool,
    /// The predicate.
    pub predicate: String,
    /// The subject's text.
    pub subject: String,
    /// The object's text.
    pub object: String,
    /// The types of the pipeline's mentions overlapping the subject and the object
    /// (`None` where no mention overlaps it: no relation layer could find the fact).
    pub types: (Option<EntityType>, Option<EntityType>),
    /// The passage.
    pub passage: String,
}

fn fact_errors(doc: &Doc, gold: &[KnFact], predicted: &[KnFact]) -> Vec<FactError> {
    let same = |p: &KnFact, g: &KnFact| p.matches(g);
    let type_at = |span: &std::ops::Range<usize>| {
        doc.entities
            .iter()
            .find(|e| e.start < span.end && span.start < e.end)
            .map(|e| e.kind)
    };
    let error = |f: &KnFact, missed: bool| FactError {
        missed,
        predicate: f.predicate.clone(),
        subject: doc.text[f.subject.clone()].to_string(),
        object: doc.text[f.object.clone()].to_string(),
        types: (type_at(&f.subject), type_at(&f.object)),
        passage: doc.text.clone(),
    };
    let mut out: Vec<FactError> = gold
        .iter()
        .filter(|g| !predicted.iter().any(|p| same(p, g)))
        .map(|g| error(g, true))
        .collect();
    out.extend(
        predicted
            .iter()
            .filter(|p| !gold.iter().any(|g| same(p, g)))
            .map(|p| error(p, false)),
    );
    out
}

/// Scores `pipeline` on KnowledgeNet files end to end from text, or with
/// [`KnowledgenetOptions::folds`] each file by a model trained on the others (the
/// pipeline's own relation model left out).
pub fn eval_knowledgenet(
    pipeline: Pipeline,
    files: &[PathBuf],
    options: &KnowledgenetOptions,
) -> Result<KnowledgenetReport> {
    let known: Vec<&str> = KNOWLEDGENET_PREDICATES.iter().map(|p| p.1).collect();
    let folds = read_all(files)?;
    let mut report = KnowledgenetReport::default();
    if options.svo_baseline {
        let pipeline = pipeline.without("relation-model").without("relation-rules");
        for (file, fold) in files.iter().zip(folds) {
            let mut scores = FactScores::default();
            for (doc, p) in analyse(&pipeline, fold) {
                let any = relations_as_facts(&doc, &kith_nlp::train::svo_baseline(&doc));
                scores.add(&p.facts, &[], &any, &mention_spans(&doc));
            }
            report.total.merge(&scores);
            report.per_file.push((file.clone(), scores));
        }
        return Ok(report);
    }
    if !options.folds {
        for (file, fold) in files.iter().zip(folds) {
            let mut scores = FactScores::default();
            for (doc, p) in analyse(&pipeline, fold) {
                let (mapped, any) = predictions(&doc, &[], &known);
                scores.add(&p.facts, &mapped, &any, &mention_spans(&doc));
                if options.show_errors {
                    report.errors.extend(fact_errors(&doc, &p.facts, &mapped));
                }
            }
            report.total.merge(&scores);
            report.per_file.push((file.clone(), scores));
        }
        return Ok(report);
    }
    if files.len() < 2 {
        bail!("--folds needs at least two files: each is scored by a model trained on the others");
    }
    let pipeline = pipeline.without("relation-model");
    let analysed: Vec<Vec<(Doc, KnPassage)>> =
        folds.into_iter().map(|f| analyse(&pipeline, f)).collect();
    let defaults = RelationSettings::default();
    let settings = RelationTrainSettings {
        epochs: options.epochs.unwrap_or(defaults.epochs),
        threshold: options.threshold.unwrap_or(defaults.threshold),
        ..defaults.with_seed(1)
    };
    let mut always = Vec::new();
    for (format, path) in &options.train_also {
        if !RELATION_FORMATS.contains(&format.as_str()) {
            bail!(
                "--train-also {format}:{}: unknown relation data format (expected one of {})",
                path.display(),
                RELATION_FORMATS.join(", ")
            );
        }
        always.extend(analyse_file(&pipeline, format, path)?);
    }
    let labels = knowledgenet_labels();
    let fold_examples: Vec<Vec<Example>> = analysed
        .iter()
        .map(|f| training_examples(f, options.stand_ins, &labels))
        .collect();
    let held_out = cross_validate(
        &analysed,
        &fold_examples,
        &training_examples(&always, options.stand_ins, &labels),
        &settings,
        options.stand_ins,
        options.show_errors,
    );
    report.errors = held_out.errors;
    report.calibration = calibration_table(&held_out.margins);
    for (file, scores) in files.iter().zip(held_out.scores) {
        report.total.merge(&scores);
        report.per_file.push((file.clone(), scores));
    }
    Ok(report)
}

/// What cross-validation gives: each fold's scores by a model trained on the others.
struct HeldOut {
    scores: Vec<FactScores>,
    /// With `show_errors`: missed and spurious facts.
    errors: Vec<FactError>,
    /// Each relation the fold models added: its margin and whether a gold fact matches it.
    margins: Vec<(f32, bool)>,
}

/// The labelled candidate pairs of analysed passages, as training reads them (with
/// stand-ins when `stand_ins.train`).
fn training_examples(
    passages: &[(Doc, KnPassage)],
    stand_ins: StandIns,
    labels: &[kith_nlp::train::RelationLabel],
) -> Vec<Example> {
    passages
        .iter()
        .flat_map(|(doc, p)| {
            let doc = stand_ins.apply(doc, stand_ins.train);
            labelled_examples(&doc, &p.facts, &p.unlabelled, labels)
        })
        .collect()
}

/// Each fold of `analysed` scored by a model trained on the other folds' examples
/// (`fold_examples`, in the same order) and `always` (and, with `show_errors`, the missed
/// and spurious facts).
fn cross_validate(
    analysed: &[Vec<(Doc, KnPassage)>],
    fold_examples: &[Vec<Example>],
    always: &[Example],
    settings: &RelationTrainSettings,
    stand_ins: StandIns,
    show_errors: bool,
) -> HeldOut {
    let known: Vec<&str> = KNOWLEDGENET_PREDICATES.iter().map(|p| p.1).collect();
    let labels = knowledgenet_labels();
    let mut per_fold = Vec::new();
    let mut errors = Vec::new();
    let mut margins = Vec::new();
    for (k, held) in analysed.iter().enumerate() {
        let examples: Vec<Example> = fold_examples
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != k)
            .flat_map(|(_, f)| f.iter())
            .chain(always)
            .cloned()
            .collect();
        let model = train_relation_model(labels.clone(), examples, settings, serde_json::json!({}));
        let mut scores = FactScores::default();
        for (doc, p) in held {
            let doc = &*stand_ins.apply(doc, stand_ins.eval);
            let scored = model.scored_relations(doc);
            for (relation, margin) in &scored {
                let facts = relations_as_facts(doc, std::slice::from_ref(relation));
                let right = facts.iter().any(|f| p.facts.iter().any(|g| f.matches(g)));
                if !facts.is_empty() {
                    margins.push((*margin, right));
                }
            }
            let added: Vec<_> = scored.into_iter().map(|(r, _)| r).collect();
            let (mapped, any) = predictions(doc, &added, &known);
            scores.add(&p.facts, &mapped, &any, &mention_spans(doc));
            if show_errors {
                errors.extend(fact_errors(doc, &p.facts, &mapped));
            }
        }
        per_fold.push(scores);
    }
    HeldOut {
        scores: per_fold,
        errors,
        margins,
    }
}

/// One row of a calibration table: held-out relations whose stated confidence falls in
/// `low..high`, and how many of them were right.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationRow {
    /// Lower bound of the confidence bucket.
    pub low: f32,
    /// Upper bound (exclusive, but 1.0 included in the last bucket).
    pub high: f32,
    /// Relations in the bucket.
    pub relations: usize,
    /// Of them, those a gold fact matches.
    pub right: usize,
    /// Their mean stated confidence.
    pub mean_confidence: f64,
}

/// The held-out relations bucketed by the confidence a model calibrated on them (fitted
/// over all folds' margins) would state, with how often each bucket was right: a
/// calibrated model's buckets are right about as often as they say.
fn calibration_table(margins: &[(f32, bool)]) -> Vec<CalibrationRow> {
    let Some((a, b)) = fit_calibration(margins) else {
        return Vec::new();
    };
    let bounds = [0.0f32, 0.2, 0.4, 0.6, 0.8, 1.0];
    let mut rows: Vec<CalibrationRow> = bounds
        .windows(2)
        .map(|w| CalibrationRow {
            low: w[0],
            high: w[1],
            relations: 0,
            right: 0,
            mean_confidence: 0.0,
        })
        .collect();
    for &(m, right) in margins {
        let p = 1.0 / (1.0 + (-(a * m + b)).exp());
        let k = rows
            .iter()
            .position(|r| p < r.high)
            .unwrap_or(rows.len() - 1);
        rows[k].relations += 1;
        rows[k].right += right as usize;
        rows[k].mean_confidence += p as f64;
    }
    for r in &mut rows {
        if r.relations > 0 {
            r.mean_confidence /= r.relations as f64;
        }
    }
    rows
}

/// How `kith eval relations --format re3d` scores.
#[derive(Debug, Clone, Default)]
pub struct Re3dOptions {
    /// Score the subject-verb-object baseline instead (as [`KnowledgenetOptions::svo_baseline`]).
    pub svo_baseline: bool,
}

/// Scores of a re3d evaluation: over all source folders and per folder. Only the pair
/// figures ([`FactScores::pairs`]) and [`FactScores::reachable`] mean something: re3d's
/// relation types are not Kith predicates.
#[derive(Debug, Clone, Default)]
pub struct Re3dReport {
    /// All folders together.
    pub total: FactScores,
    /// Relations skipped on reading, all folders together (spans outside the text).
    pub skipped: usize,
    /// Each folder's scores and skipped relations, in the order given.
    pub per_source: Vec<(PathBuf, FactScores, usize)>,
}

/// Scores `pipeline` end to end from text on re3d source folders: relations of any
/// predicate (either direction) joining the ends of a gold relation, and the gold
/// relations whose ends are both among the pipeline's mentions.
pub fn eval_re3d(
    pipeline: Pipeline,
    dirs: &[PathBuf],
    options: &Re3dOptions,
) -> Result<Re3dReport> {
    let sources = read_re3d_all(dirs)?;
    let pipeline = if options.svo_baseline {
        pipeline.without("relation-model").without("relation-rules")
    } else {
        pipeline
    };
    let mut report = Re3dReport::default();
    for source in sources {
        let passages = source
            .documents
            .into_iter()
            .map(|d| KnPassage {
                fold: 0,
                doc: d.id,
                text: d.text,
                facts: d.facts,
                unlabelled: Vec::new(),
            })
            .collect();
        let mut scores = FactScores::default();
        for (doc, p) in analyse(&pipeline, passages) {
            let any = if options.svo_baseline {
                relations_as_facts(&doc, &kith_nlp::train::svo_baseline(&doc))
            } else {
                relations_as_facts(&doc, &doc.relations)
            };
            scores.add(&p.facts, &[], &any, &mention_spans(&doc));
        }
        report.total.merge(&scores);
        report.skipped += source.skipped;
        report.per_source.push((source.dir, scores, source.skipped));
    }
    Ok(report)
}

/// Each passage analysed by the pipeline, with its gold facts.
fn analyse(pipeline: &Pipeline, passages: Vec<KnPassage>) -> Vec<(Doc, KnPassage)> {
    analyse_with(pipeline, passages, |p| (p.text.clone(), p.doc.clone()))
}

/// Each item's (text, source) analysed by the pipeline (in parallel, in order), with the
/// item.
pub(super) fn analyse_with<T: Send>(
    pipeline: &Pipeline,
    items: Vec<T>,
    text_and_source: impl Fn(&T) -> (String, String) + Sync,
) -> Vec<(Doc, T)> {
    items
        .into_par_iter()
        .map(|item| {
            let (text, source) = text_and_source(&item);
            let mut doc = Doc::new(DocId::from_content(&text), text, source);
            pipeline.run(&mut doc);
            (doc, item)
        })
        .collect()
}

/// A training file analysed, with its gold facts between the pipeline's mentions:
/// KnowledgeNet's as given, Re-DocRED's entity facts on each pair of mentions standing
/// for their entities ([`mention_facts`]).
fn analyse_file(pipeline: &Pipeline, format: &str, path: &Path) -> Result<Vec<(Doc, KnPassage)>> {
    if format == "knowledgenet" {
        return Ok(analyse(pipeline, read_knowledgenet(path)?));
    }
    if format == "fewrel" {
        let analysed = analyse_with(pipeline, read_fewrel(path)?, |s| {
            (s.text.clone(), s.property.clone())
        });
        return Ok(analysed
            .into_iter()
            .map(|(doc, s)| {
                let passage = fewrel_passage(&doc, &s);
                (doc, passage)
            })
            .collect());
    }
    Ok(read_redocred(path)?
        .into_par_iter()
        .map(|d| {
            let mut doc = Doc::new(DocId::from_content(&d.text), d.text.clone(), &d.title);
            pipeline.run(&mut doc);
            let (facts, unlabelled) = mention_facts(&d, &doc);
            let passage = KnPassage {
                fold: 0,
                doc: d.title,
                text: d.text,
                facts,
                unlabelled,
            };
            (doc, passage)
        })
        .collect())
}

fn read_all(files: &[PathBuf]) -> Result<Vec<Vec<KnPassage>>> {
    files.iter().map(|f| Ok(read_knowledgenet(f)?)).collect()
}

pub(super) fn mention_spans(doc: &Doc) -> Vec<std::ops::Range<usize>> {
    doc.entities.iter().map(|e| e.start..e.end).collect()
}

/// The facts of an analysed passage, with the relations a fold's model `added`: those
/// whose predicate KnowledgeNet knows, and all.
fn predictions(doc: &Doc, added: &[RelationSpan], known: &[&str]) -> (Vec<KnFact>, Vec<KnFact>) {
    let mut relations = doc.relations.clone();
    relations.extend_from_slice(added);
    let any = relations_as_facts(doc, &relations);
    let mapped = any
        .iter()
        .filter(|f| known.contains(&f.predicate.as_str()))
        .cloned()
        .collect();
    (mapped, any)
}
