//! One module per subcommand; each turns parsed arguments into library calls and output.

mod build;
mod export;
mod merge;
mod query;

use crate::cli::{Cli, Command};
use anyhow::{Context, Result};
use crate::output::RunSummary;
use kith_graph::{AddOutcome, GraphOptions, KnowledgeGraph};
use kith_schema::DocumentFacts;
use std::path::Path;
use std::process::ExitCode;

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build(args) => build::build(args),
        Command::Extract(args) => build::extract(args),
        Command::Merge(args) => merge::merge(args),
        Command::Neighbors(args) => query::neighbors(args),
        Command::Path(args) => query::path(args),
        Command::Stats(args) => query::stats(args),
        Command::Export(args) => export::export(args),
        Command::Render(args) => export::render(args),
    }
}

pub(crate) fn load_graph(path: &Path) -> Result<KnowledgeGraph> {
    KnowledgeGraph::load(path).with_context(|| format!("cannot read graph {}", path.display()))
}

/// The graph a `build` or `merge` adds to: the one at `into`, or a new one.
pub(crate) fn open_target(into: Option<&Path>, output: &Path, cooccurrence: bool) -> Result<KnowledgeGraph> {
    let graph = match into {
        Some(path) => load_graph(path)?,
        None => KnowledgeGraph::new(GraphOptions { cooccurrence }),
    };
    if cooccurrence && !graph.options().cooccurrence {
        anyhow::bail!("{} was built without --cooccurrence; rebuild it to add co-occurrence edges", output.display());
    }
    Ok(graph)
}

/// Add one document's facts; facts from another producer stop the run (all documents
/// after them would be refused too).
pub(crate) fn add_facts(graph: &mut KnowledgeGraph, facts: DocumentFacts, summary: &mut RunSummary) -> Result<()> {
    let id = facts.document.id.clone();
    match graph.add_document(facts).with_context(|| format!("document {id}"))? {
        AddOutcome::Added => summary.added += 1,
        AddOutcome::AlreadyPresent => summary.already_present += 1,
    }
    Ok(())
}

/// Report the run, then write the graph unless the run failed.
pub(crate) fn save_target(graph: &KnowledgeGraph, output: &Path, summary: &RunSummary, strict: bool) -> Result<ExitCode> {
    summary.report();
    if let Some(code) = summary.failure(strict) {
        eprintln!("kith: graph not written");
        return Ok(code);
    }
    graph.save(output).with_context(|| format!("cannot write {}", output.display()))?;
    eprintln!(
        "kith: wrote {} ({} documents, {} entities, {} relations)",
        output.display(),
        graph.documents().len(),
        graph.entities().len(),
        graph.relations().len()
    );
    Ok(ExitCode::SUCCESS)
}
