//! `kith eval relations --format redocred FILE`: facts between entities on Re-DocRED
//! (`kith_train::relations::redocred` says how they are matched), as a table or JSON.

use crate::cli::EvalArgs;
use anyhow::{bail, Result};
use kith_corpus::knowledgenet::FactPrf;
use kith_train::relations::redocred::{eval_redocred as evaluate, RedocredOptions};
use std::path::PathBuf;
use std::process::ExitCode;

pub fn eval_redocred(args: &EvalArgs, files: &[PathBuf]) -> Result<ExitCode> {
    let [file] = files else {
        bail!("--format redocred reads one Re-DocRED JSON file (dev_revised.json)");
    };
    let options = RedocredOptions {
        svo_baseline: args.svo_baseline,
        show_errors: args.show_errors,
    };
    let report = evaluate(super::pipeline()?, file, &options)?;
    let prf = |p: &FactPrf| {
        serde_json::json!({"precision": p.precision(), "recall": p.recall(), "f1": p.f1(),
            "gold": p.gold, "found": p.found, "predicted": p.predicted,
            "predicted_correct": p.predicted_correct})
    };
    if args.json {
        let v = serde_json::json!({
            "svo_baseline": args.svo_baseline,
            "documents": report.documents,
            "per_predicate": report.per_predicate.iter().map(|(k, v)| (k.clone(), prf(v))).collect::<serde_json::Map<_, _>>(),
            "micro": prf(&report.overall),
            "pairs": prf(&report.pairs),
            "reachable": report.reachable,
            "cross_sentence": report.cross_sentence,
            "cross_sentence_found": report.cross_sentence_found,
        });
        out!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    for (missed, predicate, subject, object, title) in &report.errors {
        out!(
            "{} {:<24} {} -> {}\t| {}",
            if *missed { "-" } else { "+" },
            predicate,
            subject,
            object,
            title
        );
    }
    out!(
        "Re-DocRED facts between entities, end to end from text ({} documents){}",
        report.documents,
        if args.svo_baseline {
            " (subject-verb-object baseline: pairs only)"
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
    for (k, v) in &report.per_predicate {
        out!("{}", row(k, v));
    }
    out!("{}", row("micro", &report.overall));
    out!("{}", row("pairs (any predicate)", &report.pairs));
    out!(
        "reachable: {} of {} gold facts have both entities among the pipeline's mentions ({:.1}%)",
        report.reachable,
        report.overall.gold,
        100.0 * report.reachable as f64 / report.overall.gold.max(1) as f64,
    );
    out!(
        "not in recall: {} facts between entities no sentence names together ({} of them found, counted right)",
        report.cross_sentence,
        report.cross_sentence_found
    );
    Ok(ExitCode::SUCCESS)
}
