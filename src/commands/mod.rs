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
mod eval_identity;
mod eval_parser;
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
use crate::output::RunSummary;
use anyhow::{Context, Result};
use kith_graph::{AddOutcome, GraphOptions, KnowledgeGraph};
use kith_schema::DocumentFacts;
use std::path::Path;
use std::process::ExitCode;

/// The models directory: `--models`, else `$KITH_MODELS`, else `<source tree>/models`.
static MODELS_DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

pub(crate) fn models_dir() -> std::path::PathBuf {
    MODELS_DIR
        .get()
        .cloned()
        .or_else(|| std::env::var_os("KITH_MODELS").map(Into::into))
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("models"))
}

/// The pipeline `build` and `extract` run: the English models in [`models_dir`] when
/// present (POS, NER), rules and gazetteers always.
pub(crate) fn pipeline() -> Result<kith_nlp::Pipeline> {
    let dir = models_dir();
    kith_nlp::english_pipeline(&dir)
        .with_context(|| format!("cannot load the models in {}", dir.display()))
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    if let Some(dir) = cli.models {
        let _ = MODELS_DIR.set(dir);
    }
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

/// The graph file as stored: the exact-key union of its documents, what `build --into`
/// and `merge` add to.
pub(crate) fn load_graph(path: &Path) -> Result<KnowledgeGraph> {
    KnowledgeGraph::load(path).with_context(|| format!("cannot read graph {}", path.display()))
}

/// The graph as queries and exports read it: identities resolved across documents with
/// the settings stored in it (`kith_graph::identity`).
pub(crate) fn load_view(path: &Path) -> Result<KnowledgeGraph> {
    Ok(load_graph(path)?.resolved())
}

/// The alias table of `--aliases FILE`, or an empty one.
pub(crate) fn read_aliases(path: Option<&Path>) -> Result<kith_graph::identity::AliasTable> {
    let Some(path) = path else {
        return Ok(Default::default());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read alias file {}", path.display()))?;
    Ok(kith_graph::identity::AliasTable::parse(
        &text,
        &path.display().to_string(),
    )?)
}

/// The graph a `build` or `merge` adds to: the one at `into`, or a new one.
pub(crate) fn open_target(target: &GraphTargetArgs) -> Result<KnowledgeGraph> {
    let mut graph = match &target.into {
        Some(path) => load_graph(path)?,
        None => KnowledgeGraph::new(GraphOptions {
            cooccurrence: target.cooccurrence,
        }),
    };
    let aliases = read_aliases(target.aliases.as_deref())?;
    graph.set_identity(target.no_cross_document.then_some(false), &aliases);
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
        "kith: wrote {} ({} documents, {} entities, {} relations)",
        output.display(),
        graph.documents().len(),
        graph.entities().len(),
        graph.relations().len()
    );
    Ok(ExitCode::SUCCESS)
}
