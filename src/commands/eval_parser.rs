//! `kith eval parser FILE|DIR... [--model M] [--gold-pos]`: UAS and LAS on CoNLL-U trees,
//! punctuation (gold UPOS `PUNCT`) excluded, parsing with the POS model's tags unless
//! `--gold-pos` (`kith_train::eval::parser`).

use super::eval::model_path;
use crate::cli::EvalArgs;
use anyhow::Result;
use kith_nlp::{PARSER_MODEL_FILE, POS_MODEL_FILE};
use std::path::PathBuf;
use std::process::ExitCode;

pub(crate) fn eval_parser(args: &EvalArgs, files: &[PathBuf]) -> Result<ExitCode> {
    let path = model_path(args, PARSER_MODEL_FILE);
    let pos = (!args.gold_pos).then(|| {
        args.pos_model
            .clone()
            .unwrap_or_else(|| super::dev_models_dir().join(POS_MODEL_FILE))
    });
    let report = kith_train::eval::parser::evaluate(&path, pos.as_deref(), files)?;
    let scores = &report.scores;
    let tags = match &pos {
        Some(p) => format!("predicted by {}", p.display()),
        None => "gold".to_string(),
    };
    let r2 = |x: f64| (x * 100.0).round() / 100.0;
    if args.json {
        let per: serde_json::Map<String, serde_json::Value> = report
            .per_label
            .iter()
            .map(|(l, (n, c))| {
                (
                    l.clone(),
                    serde_json::json!({"words": n, "las": r2(100.0 * *c as f64 / *n as f64)}),
                )
            })
            .collect();
        let v = serde_json::json!({
            "model": path.display().to_string(), "files": files.len(), "tags": tags, "tokens": report.tokens,
            "words_scored": scores.words, "uas": r2(scores.uas()), "las": r2(scores.las()), "la": r2(scores.la()),
            "sentences": scores.sentences, "per_relation": per,
        });
        out!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        out!(
            "model {} on {} files, tags {}",
            path.display(),
            files.len(),
            tags
        );
        out!("{scores}");
        let list: Vec<String> = report
            .top_losses(10)
            .iter()
            .map(|(l, (n, c))| format!("{l} {:.1}% of {n}", 100.0 * *c as f64 / *n as f64))
            .collect();
        out!(
            "relations losing most words (LAS per gold relation): {}",
            list.join(", ")
        );
        let list: Vec<String> = report
            .top_confusions(10)
            .iter()
            .map(|((g, p), n)| format!("{g}→{p} {n}"))
            .collect();
        out!(
            "most frequent relation errors on right heads (gold→predicted): {}",
            list.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
