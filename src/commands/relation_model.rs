//! `kith train relations --config FILE` and `kith eval relations --format knowledgenet`:
//! the relation model trained on KnowledgeNet facts and scored end to end from text,
//! with cross-validation over the files given (`--folds`: each file in turn held out).

use crate::cli::{EvalArgs, TrainArgs};
use anyhow::{bail, Context, Result};
use kith_corpus::knowledgenet::{
    knowledgenet_labels, read_knowledgenet, FactPrf, FactScores, KnFact, KnPassage,
    KNOWLEDGENET_PREDICATES,
};
use kith_corpus::relation_data::{labelled_examples, relations_as_facts};
use kith_nlp::relations::model::train::{train, Example, RelationTrainSettings};
use kith_nlp::relations::model::{RelationLabel, RelationModel};
use kith_nlp::{Doc, Pipeline};
use kith_schema::DocId;
use rayon::prelude::*;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A relation training config (`models/configs/relations-en.toml`); paths are relative to
/// the config file.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct RelationConfig {
    task: Option<String>,
    /// The data directory (`--data` overrides).
    data: PathBuf,
    /// Where the model is written (`-o` overrides).
    output: PathBuf,
    #[serde(default = "one")]
    seed: u64,
    train: Vec<DataSource>,
    #[serde(default)]
    relations: Settings,
}

fn one() -> u64 {
    1
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct DataSource {
    /// Only `knowledgenet` so far.
    format: String,
    path: PathBuf,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default = "default_epochs")]
    epochs: usize,
    #[serde(default = "default_ensemble")]
    ensemble: usize,
    #[serde(default)]
    threshold: f32,
    #[serde(default)]
    prune: f32,
}

fn default_epochs() -> usize {
    RelationTrainSettings::default().epochs
}

fn default_ensemble() -> usize {
    RelationTrainSettings::default().ensemble
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            epochs: default_epochs(),
            ensemble: default_ensemble(),
            threshold: 0.0,
            prune: 0.0,
        }
    }
}

/// The predicates the model chooses among: KnowledgeNet's, in its order.
fn labels() -> Vec<RelationLabel> {
    knowledgenet_labels()
}

/// The analysis pipeline: the models directory's pipeline without a relation model.
fn analysis_pipeline() -> Result<Pipeline> {
    Ok(super::pipeline()?.without("relation-model"))
}

/// Each passage analysed by the pipeline, with its gold facts.
fn analyse(pipeline: &Pipeline, passages: Vec<KnPassage>) -> Vec<(Doc, KnPassage)> {
    passages
        .into_par_iter()
        .map(|p| {
            let mut doc = Doc::new(DocId::from_content(&p.text), p.text.clone(), &p.doc);
            pipeline.run(&mut doc);
            (doc, p)
        })
        .collect()
}

fn mention_spans(doc: &Doc) -> Vec<std::ops::Range<usize>> {
    doc.entities.iter().map(|e| e.start..e.end).collect()
}

fn read_all(files: &[PathBuf]) -> Result<Vec<Vec<KnPassage>>> {
    files
        .iter()
        .map(|f| read_knowledgenet(f).with_context(|| format!("cannot read {}", f.display())))
        .collect()
}

fn examples(docs: &[(Doc, KnPassage)], labels: &[RelationLabel]) -> Vec<Example> {
    docs.iter()
        .flat_map(|(doc, p)| labelled_examples(doc, &p.facts, labels))
        .collect()
}

fn settings(s: &Settings, seed: u64) -> RelationTrainSettings {
    RelationTrainSettings {
        epochs: s.epochs,
        ensemble: s.ensemble,
        seed,
        threshold: s.threshold,
        prune: s.prune,
    }
}

pub fn train_relations(args: &TrainArgs) -> Result<ExitCode> {
    let text = std::fs::read_to_string(&args.config)
        .with_context(|| format!("cannot read {}", args.config.display()))?;
    let config: RelationConfig =
        toml::from_str(&text).with_context(|| format!("{}", args.config.display()))?;
    if let Some(t) = &config.task {
        if t != "relations" {
            bail!(
                "{} is a `{t}` config, not `relations`",
                args.config.display()
            );
        }
    }
    if config.train.is_empty() {
        bail!("{}: no [[train]] data", args.config.display());
    }
    let dir = args.config.parent().unwrap_or(Path::new("."));
    let data = args.data.clone().unwrap_or_else(|| dir.join(&config.data));
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| dir.join(&config.output));
    let mut files = Vec::new();
    for source in &config.train {
        if source.format != "knowledgenet" {
            bail!(
                "{}: unknown relation data format `{}` (expected knowledgenet)",
                args.config.display(),
                source.format
            );
        }
        files.push(data.join(&source.path));
    }
    let mut s = settings(&config.relations, config.seed);
    if let Some(e) = args.epochs {
        s.epochs = e;
    }
    let pipeline = analysis_pipeline()?;
    let passages: Vec<KnPassage> = read_all(&files)?.into_iter().flatten().collect();
    let docs = analyse(&pipeline, passages);
    let labels = labels();
    let data_examples = examples(&docs, &labels);
    eprintln!(
        "kith: relations: {} passages, {} candidate pairs ({} positive)",
        docs.len(),
        data_examples.len(),
        data_examples.iter().filter(|e| e.gold > 0).count()
    );
    let meta = serde_json::json!({
        "data": config.train.iter().map(|t| format!("{}:{}", t.format, t.path.display())).collect::<Vec<_>>(),
        "analysis_pipeline": pipeline.fingerprint(),
        "epochs": s.epochs, "ensemble": s.ensemble, "seed": s.seed,
    });
    let model = train(labels, data_examples, &s, meta);
    model
        .save(&output)
        .with_context(|| format!("cannot write {}", output.display()))?;
    out!(
        "kith: wrote {} ({} labels, fingerprint {})",
        output.display(),
        model.labels().len(),
        model.fingerprint()
    );
    Ok(ExitCode::SUCCESS)
}

/// The facts of an analysed passage: those whose predicate KnowledgeNet knows, and all.
fn predictions(
    doc: &Doc,
    model: Option<&RelationModel>,
    known: &[&str],
) -> (Vec<KnFact>, Vec<KnFact>) {
    let mut relations = doc.relations.clone();
    if let Some(m) = model {
        relations.extend(m.relations(doc));
    }
    let any = relations_as_facts(doc, &relations);
    let mapped = any
        .iter()
        .filter(|f| known.contains(&f.predicate.as_str()))
        .cloned()
        .collect();
    (mapped, any)
}

/// `kith eval relations --format knowledgenet FILE...`: the pipeline (with the models
/// directory's relation model), or with `--folds` each file scored by a model trained on
/// the others.
pub fn eval_knowledgenet(args: &EvalArgs, files: &[PathBuf]) -> Result<ExitCode> {
    let known: Vec<&str> = KNOWLEDGENET_PREDICATES.iter().map(|p| p.1).collect();
    let folds = read_all(files)?;
    let mut total = FactScores::default();
    let mut per_fold = Vec::new();
    if args.folds {
        if files.len() < 2 {
            bail!(
                "--folds needs at least two files: each is scored by a model trained on the others"
            );
        }
        let pipeline = analysis_pipeline()?;
        let analysed: Vec<Vec<(Doc, KnPassage)>> =
            folds.into_iter().map(|f| analyse(&pipeline, f)).collect();
        let labels = labels();
        let s = settings(&Settings::default(), 1);
        let s = RelationTrainSettings {
            epochs: args.epochs.unwrap_or(s.epochs),
            threshold: args.threshold.unwrap_or(s.threshold),
            ..s
        };
        for (k, held) in analysed.iter().enumerate() {
            let train_docs: Vec<&(Doc, KnPassage)> = analysed
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != k)
                .flat_map(|(_, f)| f.iter())
                .collect();
            let data: Vec<Example> = train_docs
                .iter()
                .flat_map(|(doc, p)| labelled_examples(doc, &p.facts, &labels))
                .collect();
            let model = train(labels.clone(), data, &s, serde_json::json!({}));
            let mut scores = FactScores::default();
            for (doc, p) in held {
                let (mapped, any) = predictions(doc, Some(&model), &known);
                scores.add(&p.facts, &mapped, &any, &mention_spans(doc));
            }
            total.merge(&scores);
            per_fold.push((files[k].clone(), scores));
        }
    } else {
        let pipeline = super::pipeline()?;
        for (k, fold) in folds.into_iter().enumerate() {
            let mut scores = FactScores::default();
            for (doc, p) in analyse(&pipeline, fold) {
                let (mapped, any) = predictions(&doc, None, &known);
                scores.add(&p.facts, &mapped, &any, &mention_spans(&doc));
            }
            total.merge(&scores);
            per_fold.push((files[k].clone(), scores));
        }
    }
    let prf = |p: &FactPrf| {
        serde_json::json!({"precision": p.precision(), "recall": p.recall(), "f1": p.f1(),
            "gold": p.gold, "found": p.found, "predicted": p.predicted, "predicted_correct": p.predicted_correct})
    };
    if args.json {
        let v = serde_json::json!({
            "folds": args.folds,
            "per_predicate": total.per_predicate.iter().map(|(k, v)| (k.clone(), prf(v))).collect::<serde_json::Map<_, _>>(),
            "micro": prf(&total.overall),
            "pairs": prf(&total.pairs), "reachable": total.reachable,
            "per_file": per_fold.iter().map(|(f, s)| serde_json::json!({"file": f.display().to_string(), "micro": prf(&s.overall), "pairs": prf(&s.pairs)})).collect::<Vec<_>>(),
        });
        out!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    out!(
        "KnowledgeNet facts, end to end from text{}",
        if args.folds {
            " (cross-validated: each file scored by a model trained on the others)"
        } else {
            ""
        }
    );
    out!(
        "{:<26} {:>9} {:>9} {:>9} {:>6} {:>6}",
        "predicate",
        "precision",
        "recall",
        "F1",
        "gold",
        "pred"
    );
    let row = |name: &str, p: &FactPrf| {
        format!(
            "{:<26} {:>9.2} {:>9.2} {:>9.2} {:>6} {:>6}",
            name,
            p.precision(),
            p.recall(),
            p.f1(),
            p.gold,
            p.predicted
        )
    };
    for (k, v) in &total.per_predicate {
        out!("{}", row(k, v));
    }
    out!("{}", row("micro", &total.overall));
    out!("{}", row("pairs (any predicate)", &total.pairs));
    out!(
        "reachable: {} of {} gold facts have both ends among the pipeline's mentions ({:.1}%)",
        total.reachable,
        total.overall.gold,
        100.0 * total.reachable as f64 / total.overall.gold.max(1) as f64
    );
    for (f, s) in &per_fold {
        out!(
            "{}: micro F1 {:.2}, pairs F1 {:.2}",
            f.display(),
            s.overall.f1(),
            s.pairs.f1()
        );
    }
    Ok(ExitCode::SUCCESS)
}
