//! `kith eval parser FILE|DIR... [--model M] [--gold-pos]`: UAS and LAS on CoNLL-U trees,
//! punctuation (gold UPOS `PUNCT`) excluded, parsing with the POS model's tags unless
//! `--gold-pos`.

use super::eval::model_path;
use crate::cli::EvalArgs;
use anyhow::Result;
use kith_corpus::DepScores;
use kith_nlp::{ParserModel, PosModel, PARSER_MODEL_FILE, POS_MODEL_FILE};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

pub(crate) fn eval_parser(args: &EvalArgs, files: &[PathBuf]) -> Result<ExitCode> {
    let path = model_path(args, PARSER_MODEL_FILE);
    let model = ParserModel::load(&path)?;
    let pos = if args.gold_pos {
        None
    } else {
        let p = args
            .pos_model
            .clone()
            .unwrap_or_else(|| super::models_dir().join(POS_MODEL_FILE));
        Some((PosModel::load(&p)?, p))
    };
    let mut scores = DepScores::default();
    // Per gold relation: (words, labeled correct).
    let mut per_label: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    // (gold, predicted) relation of words with the right head and the wrong relation.
    let mut confusions: BTreeMap<(String, &'static str), usize> = BTreeMap::new();
    let mut tokens = 0usize;
    for f in files {
        for s in kith_corpus::read_conllu_trees(f)? {
            let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
            let tags = match &pos {
                Some((m, _)) => m.tag(&words),
                None => s.tags(),
            };
            let arcs = model.parse(&words, &tags);
            let heads: Vec<Option<usize>> = arcs.iter().map(|a| a.0).collect();
            let labels: Vec<&str> = arcs.iter().map(|a| a.1).collect();
            let gu: Vec<&str> = s.upos.iter().map(String::as_str).collect();
            let gl: Vec<&str> = s.labels.iter().map(String::as_str).collect();
            scores.add_sentence(&gu, &s.heads, &gl, &heads, &labels);
            tokens += words.len();
            for i in 0..words.len() {
                if gu[i] != "PUNCT" {
                    let e = per_label.entry(gl[i].to_string()).or_default();
                    e.0 += 1;
                    e.1 += (heads[i] == s.heads[i] && labels[i] == gl[i]) as usize;
                    if heads[i] == s.heads[i] && labels[i] != gl[i] {
                        *confusions
                            .entry((gl[i].to_string(), labels[i]))
                            .or_default() += 1;
                    }
                }
            }
        }
    }
    let tags = match &pos {
        Some((_, p)) => format!("predicted by {}", p.display()),
        None => "gold".to_string(),
    };
    let r2 = |x: f64| (x * 100.0).round() / 100.0;
    if args.json {
        let per: serde_json::Map<String, serde_json::Value> = per_label
            .iter()
            .map(|(l, (n, c))| {
                (
                    l.clone(),
                    serde_json::json!({"words": n, "las": r2(100.0 * *c as f64 / *n as f64)}),
                )
            })
            .collect();
        let v = serde_json::json!({
            "model": path.display().to_string(), "files": files.len(), "tags": tags, "tokens": tokens,
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
        let mut top: Vec<(&String, &(usize, usize))> = per_label.iter().collect();
        top.sort_by(|a, b| (b.1 .0 - b.1 .1).cmp(&(a.1 .0 - a.1 .1)).then(a.0.cmp(b.0)));
        let list: Vec<String> = top
            .iter()
            .take(10)
            .map(|(l, (n, c))| format!("{l} {:.1}% of {n}", 100.0 * *c as f64 / *n as f64))
            .collect();
        out!(
            "relations losing most words (LAS per gold relation): {}",
            list.join(", ")
        );
        let mut conf: Vec<_> = confusions.into_iter().collect();
        conf.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let list: Vec<String> = conf
            .iter()
            .take(10)
            .map(|((g, p), n)| format!("{g}→{p} {n}"))
            .collect();
        out!(
            "most frequent relation errors on right heads (gold→predicted): {}",
            list.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
