//! One module per subcommand; each turns parsed arguments into a library call (training
//! and evaluation: `kith_train`) and prints its result.

/// Prints a line on stdout; a closed pipe (`| head`) ends output quietly instead of
/// panicking. Used by commands whose output is often piped (`bench`, `eval`).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(ExitCode::SUCCESS);
            }
            return Err(anyhow::Error::from(e).context("cannot write to stdout"));
        }
    }};
}

mod bench;
mod build;
mod eval;
mod eval_coref;
mod eval_parser;
mod eval_redocred;
mod eval_relations;
mod eval_sentences;
mod explain;
mod export;
mod merge;
mod models;
mod query;
mod relation_model;
mod train;

use crate::cli::{Cli, Command, GraphTargetArgs};
use crate::output::{one_line, plural, RunSummary};
use anyhow::{Context, Result};
use kith_graph::{AddOutcome, GraphOptions, KnowledgeGraph};
use kith_schema::DocumentFacts;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `--models DIR`, when given.
static MODELS_DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
/// `--rules-only`: build without models, knowingly.
static RULES_ONLY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A models directory named by the user: `--models`, else `$KITH_MODELS` (when set and not
/// empty), with the option that named it; `None` means the models built into the binary.
pub(crate) fn models_dir() -> Option<(PathBuf, &'static str)> {
    if let Some(dir) = MODELS_DIR.get() {
        return Some((dir.clone(), "--models"));
    }
    std::env::var_os("KITH_MODELS")
        .filter(|v| !v.is_empty())
        .map(|v| (v.into(), "KITH_MODELS"))
}

/// The models directory of the developer commands (`eval`, `bench`), which read model
/// files by path: the user's ([`models_dir`]), else the source tree's `models/` (these
/// commands score and time models being trained in a checkout; `build` does not use it).
pub(crate) fn dev_models_dir() -> PathBuf {
    models_dir()
        .map(|(dir, _)| dir)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("models"))
}

/// The pipeline `build` and `extract` run: with `--rules-only`, rules and gazetteers;
/// else every model of the user's models directory ([`models_dir`]) or, without one, the
/// models built into the binary (`kith-models`). A directory lacking a model is an error
/// naming it, never a quiet fallback to a weaker pipeline.
pub(crate) fn pipeline() -> Result<kith_nlp::Pipeline> {
    if RULES_ONLY.load(std::sync::atomic::Ordering::Relaxed) {
        eprintln!("kith: --rules-only: no models; entities from gazetteers and capitalisation rules, relations from rules");
        return Ok(kith_nlp::default_pipeline());
    }
    let Some((dir, from)) = models_dir() else {
        return kith_nlp::english_pipeline_from_bytes(Path::new("<built-in models>"), |f| {
            kith_models::embedded(f)
        })
        .context("cannot load the models built into kith");
    };
    let missing: Vec<&str> = kith_models::MODELS
        .iter()
        .map(|m| m.file)
        .filter(|f| !dir.join(f).is_file())
        .collect();
    if !missing.is_empty() {
        let all: Vec<&str> = kith_models::MODELS.iter().map(|m| m.file).collect();
        anyhow::bail!(
            "the models directory {} (from {from}) lacks {}; point {from} at a directory \
             holding {}, leave --models and KITH_MODELS unset to use the models built into \
             kith, or pass --rules-only to build with rules and gazetteers only (fewer and \
             worse entities and relations)",
            dir.display(),
            missing.join(", "),
            all.join(", ")
        );
    }
    kith_nlp::english_pipeline(&dir)
        .with_context(|| format!("cannot load the models in {} (from {from})", dir.display()))
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    if let Some(dir) = cli.models {
        let _ = MODELS_DIR.set(dir);
    }
    RULES_ONLY.store(cli.rules_only, std::sync::atomic::Ordering::Relaxed);
    match cli.command {
        Command::Train(args) => train::train(args),
        Command::Eval(args) => eval::eval(args),
        Command::Bench(args) => bench::bench(args),
        Command::Models(args) => models::models(args),
        Command::Build(args) => build::build(args),
        Command::Extract(args) => build::extract(args),
        Command::Merge(args) => merge::merge(args),
        Command::Neighbors(args) => query::neighbors(args),
        Command::Path(args) => query::path(args),
        Command::Stats(args) => query::stats(args),
        Command::Explain(args) => explain::explain(args),
        Command::Export(args) => export::export(args),
        Command::Render(args) => export::render(args),
    }
}

pub(crate) fn load_graph(path: &Path) -> Result<KnowledgeGraph> {
    // The graph error names the file; it is one line, so escaping it whole escapes a line
    // break or terminal escape in that name (main keeps the line breaks of messages).
    KnowledgeGraph::load(path)
        .map_err(|e| anyhow::anyhow!("cannot read graph {}", one_line(&e.to_string())))
}

/// The graph a `build` or `merge` adds to: the one at `into`, or a new one.
pub(crate) fn open_target(target: &GraphTargetArgs) -> Result<KnowledgeGraph> {
    let graph = match &target.into {
        // A graph that does not exist yet is started, so one command line serves the
        // first run and every later one.
        Some(path) if path.exists() => load_graph(path)?,
        _ => KnowledgeGraph::new(GraphOptions {
            cooccurrence: target.cooccurrence,
        }),
    };
    if target.cooccurrence && !graph.options().cooccurrence {
        anyhow::bail!(
            "{} was built without --cooccurrence; rebuild it to add co-occurrence edges",
            target.output_path().display()
        );
    }
    Ok(graph)
}

/// Add one document's facts; facts with values no document can have are skipped, facts
/// from another producer stop the run (all documents after them would be refused too).
pub(crate) fn add_facts(
    graph: &mut KnowledgeGraph,
    facts: DocumentFacts,
    summary: &mut RunSummary,
) -> Result<()> {
    if let Err(problem) = facts.check() {
        summary.skip(format!("{}: {problem}", facts.document.source));
        return Ok(());
    }
    if let Some(known) = graph.document(&facts.document.id) {
        if !same_document(known, &facts.document) {
            let (source, id) = (&facts.document.source, &facts.document.id);
            summary.skip(conflict(source, id, &known.source));
            return Ok(());
        }
    }
    let id = facts.document.id.clone();
    match graph
        .add_document(facts)
        .with_context(|| format!("document {id}"))?
    {
        AddOutcome::Added => summary.added += 1,
        AddOutcome::AlreadyPresent => summary.already_present += 1,
    }
    Ok(())
}

/// Whether two records of a document with one id describe the same text (wherever it
/// was read from).
fn same_document(a: &kith_schema::DocumentInfo, b: &kith_schema::DocumentInfo) -> bool {
    (&a.title, &a.url, &a.published, a.chars, a.sentences)
        == (&b.title, &b.url, &b.published, b.chars, b.sentences)
}

/// The skip message of a document whose id is already another document's.
pub(crate) fn conflict(source: &str, id: &kith_schema::DocId, first: &str) -> String {
    format!(
        "{source}: conflict: document id {:?} is already the document at {first}, with another text",
        id.as_str()
    )
}

/// Report the run, then write the graph unless the run failed.
pub(crate) fn save_target(
    graph: &KnowledgeGraph,
    output: &Path,
    summary: &RunSummary,
    strict: bool,
) -> Result<ExitCode> {
    summary.report();
    if let Some(code) = summary.failure(strict) {
        eprintln!("kith: graph not written");
        return Ok(code);
    }
    graph
        .save(output)
        .with_context(|| format!("cannot write {}", output.display()))?;
    eprintln!(
        "kith: wrote {} ({}, {}, {})",
        output.display(),
        plural(graph.documents().len(), "document", "documents"),
        plural(graph.entities().len(), "entity", "entities"),
        plural(graph.relations().len(), "relation", "relations")
    );
    Ok(ExitCode::SUCCESS)
}
