//! `kith eval relations --format redocred FILE`: facts between entities on Re-DocRED
//! (`kith_train::relations::redocred` says how they are matched), as a table or JSON.

use super::relation_model::{fact_table, prf_json};
use crate::cli::EvalArgs;
use anyhow::{bail, Result};
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
    if args.json {
        let v = serde_json::json!({
            "svo_baseline": args.svo_baseline,
            "documents": report.documents,
            "per_predicate": report.per_predicate.iter().map(|(k, v)| (k.clone(), prf_json(v))).collect::<serde_json::Map<_, _>>(),
            "micro": prf_json(&report.overall),
            "pairs": prf_json(&report.pairs),
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
    for line in fact_table(&report.per_predicate, &report.overall, &report.pairs) {
        out!("{line}");
    }
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
