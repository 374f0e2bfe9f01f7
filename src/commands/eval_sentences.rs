//! `kith eval sentences FILE|DIR... [--json] [--show-errors]`: Kith's sentence splitter
//! against the sentences of CoNLL-U documents (EWT, GUM), each document's running text
//! rebuilt from its word forms and paragraphs ([`kith_corpus::sentences`]); scored a
//! second time with paragraphs separated by a single line break instead of a blank line.

use crate::cli::EvalArgs;
use anyhow::Result;
use kith_corpus::{kith_sentences, read_conllu_sentences, BoundaryError, SentenceScores};
use std::path::PathBuf;
use std::process::ExitCode;

/// Characters of text shown on each side of a boundary error.
const CONTEXT: usize = 40;

pub(crate) fn eval_sentences(args: &EvalArgs, files: &[PathBuf]) -> Result<ExitCode> {
    let mut scores = SentenceScores::default();
    // The same documents with a single line break between paragraphs.
    let mut line_scores = SentenceScores::default();
    for f in files {
        for doc in read_conllu_sentences(f)? {
            let lines = doc.with_line_paragraphs();
            line_scores.add_document(&lines.text, &lines.sentences, &kith_sentences(&lines.text));
            let predicted = kith_sentences(&doc.text);
            let errors = scores.add_document(&doc.text, &doc.sentences, &predicted);
            if args.show_errors {
                for e in errors {
                    let (kind, at) = match e {
                        BoundaryError::Missed(at) => ("missed", at),
                        BoundaryError::Spurious(at) => ("spurious", at),
                    };
                    let left: String = doc.text[..at].chars().rev().take(CONTEXT).collect();
                    let left: String = left.chars().rev().collect();
                    let right: String = doc.text[at..].chars().take(CONTEXT).collect();
                    let show = |s: &str| s.replace('\n', "⏎");
                    out!("{kind:8} {}: {}‖{}", doc.id, show(&left), show(&right));
                }
            }
        }
    }
    let r2 = |x: f64| (x * 100.0).round() / 100.0;
    if args.json {
        let v = serde_json::json!({
            "files": files.len(),
            "documents": scores.documents,
            "sentences": super::eval::prf_json(&scores.sentences),
            "boundaries": super::eval::prf_json(&scores.boundaries),
            "line_break_paragraphs": {
                "sentences": super::eval::prf_json(&line_scores.sentences),
                "boundaries": super::eval::prf_json(&line_scores.boundaries),
            },
        });
        out!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        let s = &scores.sentences;
        let b = &scores.boundaries;
        out!("{} files, {} documents", files.len(), scores.documents);
        out!(
            "sentences   P {:.2}  R {:.2}  F1 {:.2}  (gold {}, predicted {}, correct {})",
            r2(s.precision()),
            r2(s.recall()),
            r2(s.f1()),
            s.gold,
            s.predicted,
            s.correct
        );
        out!(
            "boundaries  P {:.2}  R {:.2}  F1 {:.2}  (gold {}, predicted {}, correct {})",
            r2(b.precision()),
            r2(b.recall()),
            r2(b.f1()),
            b.gold,
            b.predicted,
            b.correct
        );
        let l = &line_scores.sentences;
        out!(
            "sentences with one line break between paragraphs (no blank line)  P {:.2}  R {:.2}  F1 {:.2}",
            r2(l.precision()),
            r2(l.recall()),
            r2(l.f1())
        );
    }
    Ok(ExitCode::SUCCESS)
}
