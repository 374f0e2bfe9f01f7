//! `kith eval coref DIR|FILE...`: coreference scores of the real pipeline on GUM
//! (`kith_train::eval::coref` documents the alignment and the scores).

use crate::cli::EvalArgs;
use anyhow::Result;
use kith_corpus::{CorefScores, Ratio};
use std::path::PathBuf;
use std::process::ExitCode;

fn ratio_json(r: &Ratio) -> serde_json::Value {
    let r2 = |x: f64| (x * 100.0).round() / 100.0;
    serde_json::json!({"precision": r2(r.precision()), "recall": r2(r.recall()), "f1": r2(r.f1())})
}

fn scores_json(s: &CorefScores) -> serde_json::Value {
    serde_json::json!({
        "muc": ratio_json(&s.muc), "b3": ratio_json(&s.b3), "ceafe": ratio_json(&s.ceafe),
        "conll_f1": (s.conll_f1() * 100.0).round() / 100.0,
    })
}

pub fn eval_coref(args: &EvalArgs, files: &[PathBuf]) -> Result<ExitCode> {
    let pipeline = super::pipeline()?;
    let r = kith_train::eval::coref::evaluate(&pipeline, files)?;
    let (gold, system, aligned) = (r.gold_mentions, r.system_mentions, r.aligned_mentions);
    let (pronouns, chained, third_gold) = (
        r.pronouns_resolved,
        r.chain_mentions,
        r.third_person_gold_mentions,
    );
    if args.json {
        let v = serde_json::json!({
            "pipeline": pipeline.fingerprint(), "files": files.len(), "documents": r.documents,
            "gold_mentions": gold, "system_mentions": system, "aligned_mentions": aligned,
            "pronouns_resolved": pronouns, "unnamed_chain_mentions": chained,
            "singletons_removed": scores_json(&r.singletons_removed), "singletons_kept": scores_json(&r.singletons_kept),
            "without_first_second_person": {"gold_mentions": third_gold, "singletons_removed": scores_json(&r.third_person)},
        });
        out!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    out!(
        "pipeline {} on {} files ({} documents)",
        pipeline.fingerprint(),
        files.len(),
        r.documents
    );
    out!(
        "mentions: {gold} gold (head PROPN or PRON), {system} system ({pronouns} pronouns resolved to names, {chained} in unnamed chains), {aligned} aligned"
    );
    let third_label = format!("without first- and second-person pronouns ({third_gold} gold mentions), singletons removed");
    for (label, s) in [
        ("singletons removed (CoNLL-2012)", &r.singletons_removed),
        ("singletons kept", &r.singletons_kept),
        (third_label.as_str(), &r.third_person),
    ] {
        out!("\n{label}");
        out!(
            "{:<8} {:>9} {:>9} {:>9}",
            "metric",
            "precision",
            "recall",
            "F1"
        );
        for (name, r) in [("MUC", &s.muc), ("B3", &s.b3), ("CEAF-e", &s.ceafe)] {
            out!(
                "{:<8} {:>9.2} {:>9.2} {:>9.2}",
                name,
                r.precision(),
                r.recall(),
                r.f1()
            );
        }
        out!("{:<8} {:>9} {:>9} {:>9.2}", "CoNLL", "", "", s.conll_f1());
    }
    Ok(ExitCode::SUCCESS)
}
