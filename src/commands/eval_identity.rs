//! `kith eval identity GUM_DIR|FILE...` and `kith eval identity --format ecbplus DIR`:
//! how well a graph of many documents makes each real thing one node
//! (`kith_train::eval::identity` documents the alignment and the scores).

use crate::cli::{EvalArgs, EvalFormatArg};
use anyhow::{bail, Result};
use kith_corpus::ClusterScores;
use kith_train::eval::identity::{evaluate, parse_split, IdentityData, IdentityEvalOptions};
use std::process::ExitCode;

fn scores_json(s: &ClusterScores) -> serde_json::Value {
    let r2 = |x: f64| (x * 100.0).round() / 100.0;
    serde_json::json!({
        "items": s.items, "gold_entities": s.gold_entities, "nodes": s.nodes,
        "b3": {"precision": r2(s.b_cubed.precision), "recall": r2(s.b_cubed.recall), "f1": r2(s.b_cubed.f1)},
        "pairwise": {"precision": r2(s.pairwise.precision), "recall": r2(s.pairwise.recall), "f1": r2(s.pairwise.f1)},
        "split_gold": s.split_gold, "mixed_nodes": s.mixed_nodes,
    })
}

fn row(name: &str, s: &ClusterScores) -> String {
    format!(
        "{name:<14} {:>6} {:>6} {:>6}   B3 P {:>6.2} R {:>6.2} F1 {:>6.2}   pairs P {:>6.2} R {:>6.2} F1 {:>6.2}   split {:>4} mixed {:>4}",
        s.items, s.gold_entities, s.nodes, s.b_cubed.precision, s.b_cubed.recall, s.b_cubed.f1,
        s.pairwise.precision, s.pairwise.recall, s.pairwise.f1, s.split_gold, s.mixed_nodes
    )
}

pub fn eval_identity(args: &EvalArgs) -> Result<ExitCode> {
    let data = match args.format {
        EvalFormatArg::Ecbplus => {
            let [dir] = args.files.as_slice() else {
                bail!("--format ecbplus takes one folder (the one holding ECB+/)");
            };
            let Some(split) = parse_split(&args.split) else {
                bail!("--split {:?}: expected train, dev or all", args.split);
            };
            if !dir.join("ECB+").is_dir() {
                bail!("{}: no ECB+/ folder inside", dir.display());
            }
            IdentityData::Ecbplus(dir.clone(), split)
        }
        EvalFormatArg::Conll | EvalFormatArg::Conllu => {
            IdentityData::Gum(kith_train::data::eval_files(&args.files)?)
        }
        other => bail!("eval identity reads GUM CoNLL-U or --format ecbplus, not {other:?}"),
    };
    let options = IdentityEvalOptions {
        exact_names_only: args.no_cross_document,
        aliases: super::read_aliases(args.aliases.as_deref())?,
    };
    let pipeline = super::pipeline()?;
    let r = evaluate(&pipeline, &data, &options)?;
    if args.show_errors {
        for line in &r.errors {
            out!("{line}");
        }
        out!("");
    }
    if args.json {
        let classes: serde_json::Map<String, serde_json::Value> = r
            .by_class
            .iter()
            .map(|(c, s)| (c.clone(), scores_json(s)))
            .collect();
        let v = serde_json::json!({
            "pipeline": pipeline.fingerprint(), "documents": r.documents, "graphs": r.graphs,
            "cross_document": !args.no_cross_document, "joins": r.joins, "nodes": r.nodes,
            "gold_items": r.gold_items, "scored_items": r.scored_items,
            "overall": scores_json(&r.overall), "by_class": classes,
        });
        out!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    out!(
        "{} documents, {} graph(s), {} nodes; cross-document resolution {} ({} joins)",
        r.documents,
        r.graphs,
        r.nodes,
        if args.no_cross_document { "off" } else { "on" },
        r.joins
    );
    out!(
        "items (gold entity x document): {} in gold, {} aligned to a node and scored",
        r.gold_items,
        r.scored_items
    );
    out!(
        "{:<14} {:>6} {:>6} {:>6}",
        "CLASS",
        "ITEMS",
        "GOLD",
        "NODES"
    );
    let overall = if matches!(data, IdentityData::Ecbplus(..)) {
        "entities"
    } else {
        "all"
    };
    out!("{}", row(overall, &r.overall));
    for (class, s) in &r.by_class {
        out!("{}", row(class, s));
    }
    Ok(ExitCode::SUCCESS)
}
