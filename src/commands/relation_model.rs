//! `kith train relations --config FILE`, `kith eval relations --format knowledgenet` and
//! `kith eval relations --format re3d` (`kith_train::relations::model`).

use crate::cli::{EvalArgs, TrainArgs};
use anyhow::{Context, Result};
use kith_corpus::knowledgenet::{FactPrf, FactScores};
use kith_train::relations::model::{
    eval_knowledgenet as evaluate, eval_re3d as evaluate_re3d, train_relations as train,
    KnowledgenetOptions, Re3dOptions, RelationTrainOptions, StandIns,
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
    let report = train(
        &args.config,
        &options,
        super::analysis_pipeline()?,
        &progress,
    )?;
    for (file, scores) in &report.cv_per_file {
        out!(
            "kith: cross-validation: {} scored by a model trained on the other files: micro P {:.2} R {:.2} F1 {:.2}, pairs F1 {:.2}",
            file.display(),
            scores.overall.precision(),
            scores.overall.recall(),
            scores.overall.f1(),
            scores.pairs.f1()
        );
    }
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
        train_also: args
            .train_also
            .iter()
            .map(|t| match t.split_once(':') {
                Some((format, path)) => Ok((format.to_string(), path.into())),
                None => anyhow::bail!("--train-also {t}: expected FORMAT:FILE (fewrel:PATH)"),
            })
            .collect::<Result<_>>()?,
        stand_ins: StandIns {
            train: args.pronoun_stand_ins.is_some(),
            eval: args.pronoun_stand_ins.as_deref() == Some("all"),
        },
    };
    // Cross-validation and the baseline never read the relation model.
    let pipeline = if args.folds || args.svo_baseline {
        super::analysis_pipeline()?
    } else {
        super::pipeline()?
    };
    let report = evaluate(pipeline, files, &options)?;
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
            "micro_annotated": prf(&total.annotated),
            "pairs": prf(&total.pairs),
            "reachable": total.reachable,
            "calibration": report.calibration.iter().map(|r| serde_json::json!({"low": r.low, "high": r.high, "relations": r.relations, "right": r.right, "mean_confidence": r.mean_confidence})).collect::<Vec<_>>(),
            "per_file": report.per_file.iter().map(|(f, s)| serde_json::json!({"file": f.display().to_string(), "micro": prf(&s.overall), "pairs": prf(&s.pairs)})).collect::<Vec<_>>(),
        });
        out!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    // `~` marks a missed fact that no relation layer could find: an end is no mention.
    let kind = |k: Option<kith_schema::EntityType>| k.map_or("-".to_string(), |k| format!("{k:?}"));
    for e in &report.errors {
        let mark = match (e.missed, e.types) {
            (false, _) => "+",
            (true, (Some(_), Some(_))) => "-",
            (true, _) => "~",
        };
        out!(
            "{mark} {:<24} {} ({}) -> {} ({})\t| {}",
            e.predicate,
            e.subject,
            kind(e.types.0),
            e.object,
            kind(e.types.1),
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
    for line in fact_table(&total.per_predicate, &total.overall, &total.pairs) {
        out!("{line}");
    }
    out!(
        "{}",
        fact_row("micro, annotated properties", &total.annotated)
    );
    out!(
        "  (only predictions whose predicate the passage has a gold fact of: KnowledgeNet's scorer counts only each passage's annotated properties)"
    );
    out!("{}", reachable_line(total));
    for (f, s) in &report.per_file {
        out!(
            "{}: micro F1 {:.2}, pairs F1 {:.2}",
            f.display(),
            s.overall.f1(),
            s.pairs.f1()
        );
    }
    if !report.calibration.is_empty() {
        out!("calibration of the model's held-out relations (confidence → how often right):");
        for r in &report.calibration {
            let right = 100.0 * r.right as f64 / r.relations.max(1) as f64;
            out!(
                "  {:.1}-{:.1}: {:>5} relations, mean confidence {:.3}, right {:.1}%",
                r.low,
                r.high,
                r.relations,
                r.mean_confidence,
                right
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The lines of a fact-scores table: a header, one row per predicate, the micro average
/// and the pairs joined with any predicate.
pub(super) fn fact_table(
    per_predicate: &std::collections::BTreeMap<String, FactPrf>,
    micro: &FactPrf,
    pairs: &FactPrf,
) -> Vec<String> {
    let row = fact_row;
    let mut lines = vec![format!(
        "{:<26} {:>9} {:>9} {:>9} {:>6} {:>6}",
        "predicate", "precision", "recall", "F1", "gold", "pred"
    )];
    lines.extend(per_predicate.iter().map(|(k, v)| row(k, v)));
    lines.push(row("micro", micro));
    lines.push(row("pairs (any predicate)", pairs));
    lines
}

/// One row of a fact-scores table.
fn fact_row(name: &str, p: &FactPrf) -> String {
    format!(
        "{:<26} {:>9.2} {:>9.2} {:>9.2} {:>6} {:>6}",
        name,
        p.precision(),
        p.recall(),
        p.f1(),
        p.gold,
        p.predicted
    )
}

pub(super) fn prf_json(p: &FactPrf) -> serde_json::Value {
    serde_json::json!({"precision": p.precision(), "recall": p.recall(), "f1": p.f1(),
        "gold": p.gold, "found": p.found, "predicted": p.predicted, "predicted_correct": p.predicted_correct})
}

pub fn eval_fewrel(args: &EvalArgs, files: &[std::path::PathBuf]) -> Result<ExitCode> {
    let [file] = files else {
        anyhow::bail!(
            "kith eval relations --format fewrel reads one FewRel JSON file (val_wiki.json)"
        );
    };
    let report =
        kith_train::relations::fewrel::eval_fewrel(super::pipeline()?, file, args.svo_baseline)?;
    let total = &report.scores;
    if args.json {
        let v = serde_json::json!({
            "svo_baseline": args.svo_baseline,
            "sentences": report.sentences, "left_out": report.left_out,
            "per_predicate": total.per_predicate.iter().map(|(k, v)| (k.clone(), prf_json(v))).collect::<serde_json::Map<_, _>>(),
            "micro": prf_json(&total.overall),
            "pairs": prf_json(&total.pairs),
            "reachable": total.reachable,
        });
        out!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    out!(
        "FewRel, end to end from text: facts between each sentence's head and tail{} ({} sentences; {} of *member of* left out)",
        if args.svo_baseline { " (subject-verb-object baseline: pairs only)" } else { "" },
        report.sentences,
        report.left_out
    );
    for line in fact_table(&total.per_predicate, &total.overall, &total.pairs) {
        out!("{line}");
    }
    out!("{}", reachable_line(total));
    Ok(ExitCode::SUCCESS)
}

pub fn eval_crossre(args: &EvalArgs, files: &[std::path::PathBuf]) -> Result<ExitCode> {
    let per_file =
        kith_train::relations::crossre::eval_crossre(super::pipeline()?, files, args.svo_baseline)?;
    let mut total = FactScores::default();
    for (_, s) in &per_file {
        total.merge(s);
    }
    if args.json {
        let v = serde_json::json!({
            "svo_baseline": args.svo_baseline,
            "pairs": prf_json(&total.pairs),
            "per_file": per_file.iter().map(|(f, s)| serde_json::json!({
                "file": f.display().to_string(), "pairs": prf_json(&s.pairs)})).collect::<Vec<_>>(),
        });
        out!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    out!(
        "CrossRE, pairs given the gold entities{}",
        if args.svo_baseline {
            " (subject-verb-object baseline)"
        } else {
            ""
        }
    );
    let rows: Vec<(String, &FactScores)> = per_file
        .iter()
        .map(|(f, s)| (f.display().to_string(), s))
        .collect();
    for line in pairs_table("file", &rows, &total) {
        out!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn eval_re3d(args: &EvalArgs, dirs: &[std::path::PathBuf]) -> Result<ExitCode> {
    let options = Re3dOptions {
        svo_baseline: args.svo_baseline,
    };
    let dirs = re3d_dirs(dirs)?;
    let report = evaluate_re3d(super::pipeline()?, &dirs, &options)?;
    let total = &report.total;
    if args.json {
        let v = serde_json::json!({
            "svo_baseline": args.svo_baseline,
            "pairs": prf_json(&total.pairs),
            "reachable": total.reachable,
            "skipped": report.skipped,
            "per_source": report.per_source.iter().map(|(d, s, skipped)| serde_json::json!({
                "source": d.display().to_string(), "pairs": prf_json(&s.pairs),
                "reachable": s.reachable, "skipped": skipped})).collect::<Vec<_>>(),
        });
        out!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    out!(
        "re3d relations, end to end from text, pairs only{}",
        if args.svo_baseline {
            " (subject-verb-object baseline)"
        } else {
            ""
        }
    );
    let rows: Vec<(String, &FactScores)> = report
        .per_source
        .iter()
        .map(|(d, s, _)| {
            let name = d.file_name().map_or_else(
                || d.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            (name, s)
        })
        .collect();
    for line in pairs_table("source", &rows, total) {
        out!("{line}");
    }
    out!(
        "reachable: {} of {} gold relations have both ends among the pipeline's mentions ({:.1}%)",
        total.reachable,
        total.pairs.gold,
        reachable_pct(total)
    );
    if report.skipped > 0 {
        out!(
            "skipped: {} relations with spans outside their document",
            report.skipped
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// How many gold facts a relation layer over the pipeline's mentions could find.
fn reachable_line(s: &FactScores) -> String {
    format!(
        "reachable: {} of {} gold facts have both ends among the pipeline's mentions ({:.1}%)",
        s.reachable,
        s.overall.gold,
        100.0 * s.reachable as f64 / s.overall.gold.max(1) as f64
    )
}

/// Share of the gold pairs both of whose ends are mentions, in percent.
fn reachable_pct(s: &FactScores) -> f64 {
    100.0 * s.reachable as f64 / s.pairs.gold.max(1) as f64
}

/// The lines of a pairs table: a header, one row per file or source, and the total.
fn pairs_table(column: &str, rows: &[(String, &FactScores)], total: &FactScores) -> Vec<String> {
    let row = |name: &str, s: &FactScores| {
        let p = &s.pairs;
        format!(
            "{:<44} {:>9.2} {:>9.2} {:>9.2} {:>6} {:>6} {:>8.1}%",
            name,
            p.precision(),
            p.recall(),
            p.f1(),
            p.gold,
            p.predicted,
            reachable_pct(s)
        )
    };
    let mut lines = vec![format!(
        "{:<44} {:>9} {:>9} {:>9} {:>6} {:>6} {:>9}",
        column, "precision", "recall", "F1", "gold", "pred", "reachable"
    )];
    lines.extend(rows.iter().map(|(name, s)| row(name, s)));
    lines.push(row("pairs (any predicate)", total));
    lines
}

/// The re3d source folders named: a folder holding `documents.json`, or a folder whose
/// subfolders hold one (the data set's root); plain files (the root's README) are skipped
/// with a note.
fn re3d_dirs(paths: &[std::path::PathBuf]) -> Result<Vec<std::path::PathBuf>> {
    let mut dirs = Vec::new();
    for p in paths {
        if p.join("documents.json").is_file() {
            dirs.push(p.clone());
        } else if p.is_dir() {
            let mut subs: Vec<_> = std::fs::read_dir(p)
                .with_context(|| format!("{}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|d| d.join("documents.json").is_file())
                .collect();
            if subs.is_empty() {
                anyhow::bail!(
                    "{}: not a re3d source folder (no documents.json in it or its subfolders)",
                    p.display()
                );
            }
            subs.sort();
            dirs.extend(subs);
        } else if p.is_file() {
            eprintln!("kith: skipping {}: not a re3d source folder", p.display());
        } else {
            anyhow::bail!("{}: no such folder", p.display());
        }
    }
    Ok(dirs)
}
