//! `kith eval ner|pos FILE...`: standard scores of a model on gold-tokenized data.
//!
//! NER: exact span and type, micro-averaged (conlleval). Column files (`--format conll`,
//! `wikiann`) are scored in their own label set when it is CoNLL's (PER, ORG, LOC, MISC):
//! the model's Kith types map back (Person→PER, Organization→ORG, Location→LOC, Other and
//! Event→MISC). Other column files (WNUT-17 types) and GUM CoNLL-U files are mapped to
//! Kith types and scored in those. POS: UPOS and XPOS token accuracy.

use crate::cli::{EvalArgs, EvalFormatArg, TaskArg};
use anyhow::{Context, Result};
use kith_corpus::{
    chunks, spans_to_bio, to_conll_type, Chunk, EntityScores, PosScores, Prf, TaggedDocument,
};
use kith_nlp::{NerModel, PosModel, NER_MODEL_FILE, POS_MODEL_FILE};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Files of the arguments: files as given, directories expanded to their sorted files
/// (GUM directories: every genre with real word forms).
fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let gum = kith_corpus::gum_files(p, kith_corpus::GumFilter::AllUnmasked)?;
            if !gum.is_empty() {
                out.extend(gum);
                continue;
            }
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("cannot list {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            files.sort();
            out.extend(files);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

pub(super) fn prf_json(p: &Prf) -> serde_json::Value {
    let r2 = |x: f64| (x * 100.0).round() / 100.0;
    serde_json::json!({
        "precision": r2(p.precision()), "recall": r2(p.recall()), "f1": r2(p.f1()),
        "gold": p.gold, "predicted": p.predicted, "correct": p.correct,
    })
}

pub fn eval(args: EvalArgs) -> Result<ExitCode> {
    let files = expand(&args.files)?;
    match args.task {
        TaskArg::Pos => eval_pos(&args, &files),
        TaskArg::Ner => eval_ner(&args, &files),
        TaskArg::Coref => super::eval_coref::eval_coref(&args, &files),
        TaskArg::Relations => super::eval_relations::eval(&args, &files),
        TaskArg::Parser => super::eval_parser::eval_parser(&args, &files),
        TaskArg::Sentences => super::eval_sentences::eval_sentences(&args, &files),
    }
}

pub(crate) fn model_path(args: &EvalArgs, default: &str) -> PathBuf {
    args.model
        .clone()
        .unwrap_or_else(|| super::models_dir().join(default))
}

fn eval_pos(args: &EvalArgs, files: &[PathBuf]) -> Result<ExitCode> {
    let path = model_path(args, POS_MODEL_FILE);
    let model = PosModel::load(&path)?;
    let mut scores = PosScores::default();
    let mut confusions: std::collections::BTreeMap<(String, String), usize> =
        std::collections::BTreeMap::new();
    for f in files {
        for s in kith_corpus::read_conllu_pos(f)? {
            let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
            let tags = model.tag(&words);
            let upos: Vec<&str> = tags.iter().map(|t| t.upos).collect();
            let xpos: Vec<&str> = tags.iter().map(|t| t.xpos).collect();
            let gu: Vec<&str> = s.upos.iter().map(String::as_str).collect();
            let gx: Vec<&str> = s.xpos.iter().map(String::as_str).collect();
            scores.add_sentence(&gu, &gx, &upos, &xpos);
            for (g, p) in gu.iter().zip(&upos) {
                if g != p {
                    *confusions
                        .entry((g.to_string(), p.to_string()))
                        .or_default() += 1;
                }
            }
        }
    }
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
        let mut top: Vec<_> = confusions.into_iter().collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let list: Vec<String> = top
            .iter()
            .take(10)
            .map(|((g, p), n)| format!("{g}→{p} {n}"))
            .collect();
        out!(
            "most frequent UPOS errors (gold→predicted): {}",
            list.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether gold types are CoNLL's.
fn conll_label_set(docs: &[TaggedDocument]) -> bool {
    docs.iter()
        .flat_map(|d| &d.sentences)
        .flat_map(|s| chunks(&s.tags))
        .any(|c| matches!(c.kind.as_str(), "PER" | "ORG" | "LOC" | "MISC"))
}

fn read_gold(format: EvalFormatArg, path: &Path) -> Result<Vec<TaggedDocument>> {
    Ok(match format {
        EvalFormatArg::Conllu => kith_corpus::read_gum_ner(path)?,
        EvalFormatArg::Conll => kith_corpus::read_conll_raw(path)?,
        EvalFormatArg::Wikiann => kith_corpus::read_wikiann_raw(path)?,
        EvalFormatArg::Conll04 => kith_corpus::conll04::read_conll04_ner(path)?,
    })
}

/// Prints a sentence's missed (`-`) and spurious (`+`) entities, with the gold type of a
/// wrongly typed span.
fn show_ner_errors(words: &[String], gold: &[String], pred: &[String]) -> Result<ExitCode> {
    let (g, p) = (chunks(gold), chunks(pred));
    let text = |c: &Chunk| words[c.start..c.end].join(" ");
    for c in g.iter().filter(|c| !p.contains(c)) {
        out!("- {:<12} {}\t| {}", c.kind, text(c), words.join(" "));
    }
    for c in p.iter().filter(|c| !g.contains(c)) {
        let typed = g
            .iter()
            .find(|x| x.start == c.start && x.end == c.end)
            .map(|x| format!(" (gold {})", x.kind))
            .unwrap_or_default();
        out!("+ {:<12} {}{typed}\t| {}", c.kind, text(c), words.join(" "));
    }
    Ok(ExitCode::SUCCESS)
}

/// `word gold predicted` lines of one sentence and the blank line after it. conlleval
/// splits lines at whitespace, so a word holding some (CoNLL-U allows it) has it written
/// as `_`, and an empty word is `_`: either would otherwise shift the columns.
fn push_prediction_lines(out: &mut String, words: &[String], gold: &[String], pred: &[String]) {
    for ((w, g), p) in words.iter().zip(gold).zip(pred) {
        if w.is_empty() {
            out.push('_');
        } else {
            out.extend(w.chars().map(|c| if c.is_whitespace() { '_' } else { c }));
        }
        for tag in [g, p] {
            out.push(' ');
            out.push_str(tag);
        }
        out.push('\n');
    }
    out.push('\n');
}

fn eval_ner(args: &EvalArgs, files: &[PathBuf]) -> Result<ExitCode> {
    let path = model_path(args, NER_MODEL_FILE);
    let model = NerModel::load(&path)?;
    let mut docs = Vec::new();
    for f in files {
        docs.extend(read_gold(args.format, f)?);
    }
    let conll_types =
        args.conll_types || (args.format != EvalFormatArg::Conllu && conll_label_set(&docs));
    let mut scores = EntityScores::default();
    let mut predictions = String::new();
    for doc in &docs {
        if args.predictions.is_some() {
            predictions.push_str("-DOCSTART- O O\n\n");
        }
        let sentences: Vec<Vec<&str>> = doc
            .sentences
            .iter()
            .map(|s| s.words.iter().map(String::as_str).collect())
            .collect();
        let predicted = model.tag_document(&sentences);
        // What the pipeline does: event names by rule first, the model's spans elsewhere.
        let events = if args.no_event_rules {
            vec![Vec::new(); sentences.len()]
        } else {
            kith_nlp::events::document_event_names(&sentences)
        };
        for ((s, spans), events) in doc.sentences.iter().zip(predicted).zip(&events) {
            let spans = kith_nlp::events::with_event_names(events, spans);
            let pred_chunks: Vec<Chunk> = spans
                .iter()
                .map(|&(start, end, kind, _)| {
                    (
                        start,
                        end,
                        kith_nlp::ner::institution_type(&s.words[end - 1], kind),
                    )
                })
                .map(|(start, end, kind)| Chunk {
                    start,
                    end,
                    kind: if conll_types {
                        to_conll_type(kind.as_str()).to_string()
                    } else {
                        kind.as_str().to_string()
                    },
                })
                .collect();
            let pred = spans_to_bio(s.words.len(), &pred_chunks);
            let gold: Vec<String> = if conll_types || args.format == EvalFormatArg::Conllu {
                s.tags.clone()
            } else {
                // Column files in another label set (WNUT-17 types): map gold to Kith types.
                let mapped: Vec<Chunk> = chunks(&s.tags)
                    .into_iter()
                    .filter_map(|c| {
                        kith_corpus::wnut_to_kith(&c.kind)
                            .or_else(|| kith_corpus::conll_to_kith(&c.kind))
                            .or(Some(c.kind.as_str()).filter(|k| {
                                ["Person", "Organization", "Location", "Event", "Other"].contains(k)
                            }))
                            .map(|k| Chunk {
                                kind: k.to_string(),
                                ..c.clone()
                            })
                    })
                    .collect();
                spans_to_bio(s.words.len(), &mapped)
            };
            let keep = |tags: &[String]| {
                let kept: Vec<Chunk> = chunks(tags)
                    .into_iter()
                    .filter(|c| args.only.is_empty() || args.only.contains(&c.kind))
                    .collect();
                spans_to_bio(tags.len(), &kept)
            };
            let (gold, pred) = if args.only.is_empty() {
                (gold, pred)
            } else {
                (keep(&gold), keep(&pred))
            };
            if args.show_errors {
                show_ner_errors(&s.words, &gold, &pred)?;
            }
            if args.predictions.is_some() {
                push_prediction_lines(&mut predictions, &s.words, &gold, &pred);
            }
            scores.add_sentence(&gold, &pred);
        }
    }
    if let Some(out) = &args.predictions {
        kith_graph::file::write_atomically(out, |w| {
            std::io::Write::write_all(w, predictions.as_bytes())
        })?;
    }
    if args.json {
        let per_type: serde_json::Map<String, serde_json::Value> = scores
            .per_type
            .iter()
            .map(|(k, v)| (k.clone(), prf_json(v)))
            .collect();
        let v = serde_json::json!({
            "model": path.display().to_string(), "files": files.len(), "documents": docs.len(),
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
            docs.len(),
            if conll_types { "CoNLL" } else { "Kith" }
        );
        out!("{scores}");
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::push_prediction_lines;

    #[test]
    fn prediction_lines_keep_three_columns() {
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut out = String::new();
        let words = owned(&["New York", "", "rose", "\u{a0}"]);
        push_prediction_lines(
            &mut out,
            &words,
            &owned(&["B-LOC", "O", "O", "O"]),
            &owned(&["B-LOC", "O", "B-PER", "O"]),
        );
        assert_eq!(out, "New_York B-LOC B-LOC\n_ O O\nrose O B-PER\n_ O O\n\n");
        assert!(out
            .lines()
            .filter(|l| !l.is_empty())
            .all(|l| l.split_whitespace().count() == 3));
    }
}
