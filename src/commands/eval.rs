//! `kith eval ner|pos FILE...`: standard scores of a model on gold-tokenized data
//! (`kith_train::eval`), printed as tables or JSON. `eval coref`, `eval parser` and
//! `eval relations` have modules of their own.

use crate::cli::{EvalArgs, EvalFormatArg, TaskArg};
use anyhow::Result;
use kith_corpus::Prf;
use kith_nlp::{NER_MODEL_FILE, POS_MODEL_FILE};
use kith_train::eval::ner::{GoldFormat, NerEvalOptions};
use std::path::PathBuf;
use std::process::ExitCode;

pub(super) fn prf_json(p: &Prf) -> serde_json::Value {
    let r2 = |x: f64| (x * 100.0).round() / 100.0;
    serde_json::json!({
        "precision": r2(p.precision()), "recall": r2(p.recall()), "f1": r2(p.f1()),
        "gold": p.gold, "predicted": p.predicted, "correct": p.correct,
    })
}

pub fn eval(args: EvalArgs) -> Result<ExitCode> {
    if args.task == TaskArg::Relations && args.format == EvalFormatArg::Re3d {
        // re3d sources are folders, not files to expand.
        return super::relation_model::eval_re3d(&args, &args.files);
    }
    if args.task == TaskArg::Identity {
        return super::eval_identity::eval_identity(&args);
    }
    let files = kith_train::data::eval_files(&args.files)?;
    match args.task {
        TaskArg::Pos => eval_pos(&args, &files),
        TaskArg::Ner => eval_ner(&args, &files),
        TaskArg::Coref => super::eval_coref::eval_coref(&args, &files),
        TaskArg::Relations => super::eval_relations::eval(&args, &files),
        TaskArg::Parser => super::eval_parser::eval_parser(&args, &files),
        TaskArg::Sentences => super::eval_sentences::eval_sentences(&args, &files),
        TaskArg::Identity => unreachable!("handled above"),
    }
}

pub(crate) fn model_path(args: &EvalArgs, default: &str) -> PathBuf {
    args.model
        .clone()
        .unwrap_or_else(|| super::dev_models_dir().join(default))
}

fn eval_pos(args: &EvalArgs, files: &[PathBuf]) -> Result<ExitCode> {
    let path = model_path(args, POS_MODEL_FILE);
    let report = kith_train::eval::pos::evaluate(&path, files)?;
    let scores = &report.scores;
    if args.json {
        let r2 = |x: f64| (x * 100.0).round() / 100.0;
        let v = serde_json::json!({
            "model": path.display().to_string(), "files": files.len(), "tokens": scores.tokens,
            "upos_accuracy": r2(scores.upos_accuracy()), "xpos_accuracy": r2(scores.xpos_accuracy()),
            "both_accuracy": r2(scores.both_accuracy()),
        });
        out!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        out!("model {} on {} files", path.display(), files.len());
        out!("{scores}");
        let list: Vec<String> = report
            .top_confusions(10)
            .iter()
            .map(|((g, p), n)| format!("{g}→{p} {n}"))
            .collect();
        out!(
            "most frequent UPOS errors (gold→predicted): {}",
            list.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints missed (`-`) and spurious (`+`) entities, with the gold type of a wrongly typed
/// span. A closed pipe ends the printing, not the evaluation.
fn show_ner_errors(errors: &[kith_train::eval::ner::NerError]) -> Result<ExitCode> {
    for e in errors {
        if e.missed {
            out!("- {:<12} {}\t| {}", e.kind, e.text, e.sentence);
        } else {
            let typed = e
                .gold_kind
                .as_ref()
                .map(|k| format!(" (gold {k})"))
                .unwrap_or_default();
            out!("+ {:<12} {}{typed}\t| {}", e.kind, e.text, e.sentence);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn eval_ner(args: &EvalArgs, files: &[PathBuf]) -> Result<ExitCode> {
    let path = model_path(args, NER_MODEL_FILE);
    let options = NerEvalOptions {
        format: match args.format {
            EvalFormatArg::Conll => GoldFormat::Conll,
            EvalFormatArg::Conllu => GoldFormat::Conllu,
            EvalFormatArg::Wikiann => GoldFormat::Wikiann,
            EvalFormatArg::Conll04 => GoldFormat::Conll04,
            EvalFormatArg::Knowledgenet => anyhow::bail!(
                "KnowledgeNet holds relation facts, not entity labels: use `kith eval relations --format knowledgenet`"
            ),
            EvalFormatArg::Re3d => anyhow::bail!(
                "re3d is scored on relation pairs here: use `kith eval relations --format re3d`"
            ),
            EvalFormatArg::Redocred => anyhow::bail!(
                "Re-DocRED holds relation facts here: use `kith eval relations --format redocred`"
            ),
            EvalFormatArg::Ecbplus => anyhow::bail!(
                "ECB+ is scored on cross-document identity: use `kith eval identity --format ecbplus`"
            ),
            EvalFormatArg::Fewrel => anyhow::bail!(
                "FewRel holds relation pairs, not entity labels: use `kith eval relations --format fewrel`"
            ),
            EvalFormatArg::Crossre => anyhow::bail!(
                "CrossRE is scored on relation pairs here: use `kith eval relations --format crossre`"
            ),
        },
        conll_types: args.conll_types,
        only: args.only.clone(),
        no_event_rules: args.no_event_rules,
        show_errors: args.show_errors,
        predictions: args.predictions.is_some(),
    };
    let report = kith_train::eval::ner::evaluate(&path, files, &options)?;
    show_ner_errors(&report.errors)?;
    if let (Some(out), Some(predictions)) = (&args.predictions, &report.predictions) {
        kith_graph::file::write_atomically(out, |w| {
            std::io::Write::write_all(w, predictions.as_bytes())
        })?;
    }
    let scores = &report.scores;
    let conll_types = report.conll_types;
    if args.json {
        let per_type: serde_json::Map<String, serde_json::Value> = scores
            .per_type
            .iter()
            .map(|(k, v)| (k.clone(), prf_json(v)))
            .collect();
        let v = serde_json::json!({
            "model": path.display().to_string(), "files": files.len(), "documents": report.documents,
            "label_set": if conll_types { "conll" } else { "kith" },
            "per_type": per_type, "overall": prf_json(&scores.overall),
            "tokens": scores.tokens, "token_accuracy": (scores.token_accuracy() * 100.0).round() / 100.0,
        });
        out!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        out!(
            "model {} on {} files ({} documents), {} labels",
            path.display(),
            files.len(),
            report.documents,
            if conll_types { "CoNLL" } else { "Kith" }
        );
        out!("{scores}");
    }
    Ok(ExitCode::SUCCESS)
}
