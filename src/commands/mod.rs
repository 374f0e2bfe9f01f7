//! One module per subcommand; each turns parsed arguments into library calls and output.

mod build;
mod export;
mod merge;
mod query;

use crate::cli::{Cli, Command};
use anyhow::{Context, Result};
use kith_graph::KnowledgeGraph;
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
