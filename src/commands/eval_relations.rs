//! `kith eval relations FILE --format conll04`: strict end-to-end relation scores of the
//! real pipeline on CoNLL04 (`kith_train::relations` documents the alignment and the
//! conventions followed), printed as tables or JSON.

use crate::cli::{EvalArgs, EvalFormatArg};
use anyhow::{bail, Context, Result};
use kith_corpus::conll04::StrictRelation;
use kith_corpus::{Prf, Re04Entity, RelationScores};
use kith_train::relations::{RelationErrors, RelationEvalOptions, SentenceErrors};
use kith_train::{Event, Progress};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn eval(args: &EvalArgs, files: &[PathBuf]) -> Result<ExitCode> {
    if args.format == EvalFormatArg::Knowledgenet {
        return super::relation_model::eval_knowledgenet(args, files);
    }
    if args.format == EvalFormatArg::Re3d {
        return super::relation_model::eval_re3d(args, files);
    }
    if args.format == EvalFormatArg::Redocred {
        return super::eval_redocred::eval_redocred(args, files);
    }
    if args.format == EvalFormatArg::Fewrel {
        return super::relation_model::eval_fewrel(args, files);
    }
    if args.format == EvalFormatArg::Crossre {
        return super::relation_model::eval_crossre(args, files);
    }
    if args.format != EvalFormatArg::Conll04 {
        bail!("kith eval relations reads CoNLL04 JSON, KnowledgeNet JSON lines, re3d folders, Re-DocRED JSON, FewRel JSON or CrossRE JSON lines: add --format conll04, --format knowledgenet, --format re3d, --format redocred, --format fewrel or --format crossre");
    }
    let pipeline = relation_pipeline(args.model.as_deref())?;
    let options = RelationEvalOptions {
        classifier_train: args.classifier_train.clone(),
        show_errors: args.show_errors,
    };
    let progress = Progress::new(|event| {
        if let Event::ClassifierData { pairs, path } = event {
            eprintln!(
                "kith: relation classifier: {pairs} candidate pairs from {}",
                path.display()
            );
        }
    });
    let report = kith_train::relations::evaluate(&pipeline, files, &options, &progress)?;
    let scores = &report.rules;
    let classifier = report.classifier.as_ref();
    if args.json {
        let prf = |p: &Prf| super::eval::prf_json(p);
        let table = |scores: &RelationScores| {
            serde_json::json!({
                "per_type": scores.per_type.iter().map(|(k, v)| (k.clone(), prf(v))).collect::<serde_json::Map<_, _>>(),
                "micro": prf(&scores.overall), "reachable": scores.reachable,
            })
        };
        let mut v = serde_json::json!({
            "pipeline": pipeline.fingerprint(), "files": files.len(), "sentences": report.sentences,
            "relations": table(scores),
            "entities": { "per_type": scores.entities.iter().map(|(k, v)| (k.clone(), prf(v))).collect::<serde_json::Map<_, _>>(),
                          "micro": prf(&scores.entities_overall) },
        });
        if let Some(c) = classifier {
            v["classifier_relations"] = table(&c.relations);
            v["rules_and_classifier_relations"] = table(&c.with_rules);
        }
        out!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    for sentence in &report.errors {
        for e in error_lines(sentence) {
            out!("{e}");
        }
    }
    out!(
        "pipeline {} on {} files ({} sentences), strict CoNLL04 scoring",
        pipeline.fingerprint(),
        files.len(),
        report.sentences
    );
    let row = |name: &str, p: &Prf| {
        format!(
            "{:<12} {:>9.2} {:>9.2} {:>9.2} {:>6} {:>6} {:>6}",
            name,
            p.precision(),
            p.recall(),
            p.f1(),
            p.gold,
            p.predicted,
            p.correct
        )
    };
    let tables = [
        ("relation", Some(scores)),
        ("classifier", classifier.map(|c| &c.relations)),
        ("rules+class.", classifier.map(|c| &c.with_rules)),
    ];
    for (title, table) in tables {
        let Some(table) = table else { continue };
        if title == "classifier" {
            out!(
                "relation classifier trained on {} (measurement only: never saved or shipped)",
                args.classifier_train
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            );
        }
        out!(
            "{:<12} {:>9} {:>9} {:>9} {:>6} {:>6} {:>6}",
            title,
            "precision",
            "recall",
            "F1",
            "gold",
            "pred",
            "right"
        );
        for (kind, p) in &table.per_type {
            out!("{}", row(kind, p));
        }
        out!("{}", row("micro", &table.overall));
    }
    out!(
        "gold relations with both entities found: {} of {} (recall ceiling {:.2})",
        scores.reachable,
        scores.overall.gold,
        100.0 * scores.reachable as f64 / scores.overall.gold.max(1) as f64
    );
    out!("{:<12} {:>9} {:>9} {:>9}", "entity", "", "", "");
    for (kind, p) in &scores.entities {
        out!("{}", row(kind, p));
    }
    out!("{}", row("micro", &scores.entities_overall));
    Ok(ExitCode::SUCCESS)
}

/// The full pipeline, with the NER model `ner` in place of the shipped one when given
/// (a model trained for the benchmark).
fn relation_pipeline(ner: Option<&Path>) -> Result<kith_nlp::Pipeline> {
    let Some(ner) = ner else {
        return super::pipeline();
    };
    if !ner.is_file() {
        bail!("NER model {} does not exist", ner.display());
    }
    let dir = super::dev_models_dir();
    kith_nlp::english_pipeline_with_ner(&dir, ner).with_context(|| {
        format!(
            "cannot load the models in {} with NER model {}",
            dir.display(),
            ner.display()
        )
    })
}

/// The `--show-errors` lines of one sentence: its relation errors under a `# tokens`
/// header (`missed *` marks a miss whose two entities the pipeline found), its entity
/// errors, then the classifier's relation errors, each line marked `classifier`.
fn error_lines(sentence: &SentenceErrors) -> Vec<String> {
    let tokens = &sentence.tokens;
    let words = |e: &Re04Entity| format!("{} [{}]", tokens[e.start..e.end].join(" "), e.kind);
    let header = || format!("# {}", tokens.join(" "));
    let relation_lines = |errors: &RelationErrors| {
        let line = |tag: &str, r: &StrictRelation| {
            format!("{tag} {} --{}--> {}", words(&r.0), r.2, words(&r.1))
        };
        let mut out = Vec::new();
        if errors.is_empty() {
            return out;
        }
        out.push(header());
        out.extend(
            errors
                .missed
                .iter()
                .map(|(r, found)| line(if *found { "  missed *" } else { "  missed  " }, r)),
        );
        out.extend(errors.spurious.iter().map(|r| line("  spurious", r)));
        out
    };
    let mut lines = relation_lines(&sentence.rules);
    let entities = &sentence.entities;
    let entity_lines: Vec<String> = entities
        .missed
        .iter()
        .map(|e| format!("  entity missed   {}", words(e)))
        .chain(
            entities
                .spurious
                .iter()
                .map(|e| format!("  entity spurious {}", words(e))),
        )
        .collect();
    if lines.is_empty() && !entity_lines.is_empty() {
        lines.push(header());
    }
    lines.extend(entity_lines);
    if let Some(classifier) = &sentence.classifier {
        lines.extend(
            relation_lines(classifier)
                .into_iter()
                .map(|l| format!("classifier {l}")),
        );
    }
    lines
}
