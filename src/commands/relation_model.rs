//! `kith train relations --config FILE` and `kith eval relations --format knowledgenet`
//! (`kith_train::relations::model`).

use crate::cli::{EvalArgs, TrainArgs};
use anyhow::Result;
use kith_corpus::knowledgenet::FactPrf;
use kith_train::relations::model::{
    eval_knowledgenet as evaluate, train_relations as train, KnowledgenetOptions,
    RelationTrainOptions,
};
use kith_train::{Event, Progress};
use std::process::ExitCode;

pub fn train_relations(args: &TrainArgs) -> Result<ExitCode> {
    let options = RelationTrainOptions {
        output: args.output.clone(),
        data: args.data.clone(),
        epochs: args.epochs,
    };
    let progress = Progress::new(|event| {
        if let Event::RelationData {
            passages,
            pairs,
            positive,
        } = event
        {
            eprintln!(
                "kith: relations: {passages} passages, {pairs} candidate pairs ({positive} positive)"
            );
        }
    });
    let report = train(&args.config, &options, super::pipeline()?, &progress)?;
    out!(
        "kith: wrote {} ({} labels, fingerprint {})",
        report.output.display(),
        report.labels,
        report.fingerprint
    );
    Ok(ExitCode::SUCCESS)
}

pub fn eval_knowledgenet(args: &EvalArgs, files: &[std::path::PathBuf]) -> Result<ExitCode> {
    let options = KnowledgenetOptions {
        folds: args.folds,
        epochs: args.epochs,
        threshold: args.threshold,
        svo_baseline: args.svo_baseline,
        show_errors: args.show_errors,
    };
    let report = evaluate(super::pipeline()?, files, &options)?;
    let total = &report.total;
    let prf = |p: &FactPrf| {
        serde_json::json!({"precision": p.precision(), "recall": p.recall(), "f1": p.f1(),
            "gold": p.gold, "found": p.found, "predicted": p.predicted, "predicted_correct": p.predicted_correct})
    };
    if args.json {
        let v = serde_json::json!({
            "folds": args.folds,
            "per_predicate": total.per_predicate.iter().map(|(k, v)| (k.clone(), prf(v))).collect::<serde_json::Map<_, _>>(),
            "micro": prf(&total.overall),
            "pairs": prf(&total.pairs),
            "reachable": total.reachable,
            "per_file": report.per_file.iter().map(|(f, s)| serde_json::json!({"file": f.display().to_string(), "micro": prf(&s.overall), "pairs": prf(&s.pairs)})).collect::<Vec<_>>(),
        });
        out!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    for e in &report.errors {
        out!(
            "{} {:<24} {} -> {}\t| {}",
            if e.missed { "-" } else { "+" },
            e.predicate,
            e.subject,
            e.object,
            e.passage.replace('\n', " ")
        );
    }
    out!(
        "KnowledgeNet facts, end to end from text{}",
        if args.svo_baseline {
            " (subject-verb-object baseline: pairs only)"
        } else if args.folds {
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
    for (f, s) in &report.per_file {
        out!(
            "{}: micro F1 {:.2}, pairs F1 {:.2}",
            f.display(),
            s.overall.f1(),
            s.pairs.f1()
        );
    }
    Ok(ExitCode::SUCCESS)
}
