//! `kith export` and `kith render`.

use crate::cli::{ExportArgs, FormatArg, RenderArgs, RendererArg};
use anyhow::{bail, Context, Result};
use kith_export::{Format, RenderOptions, Renderer};
use std::io::Write;
use std::process::ExitCode;

fn format(arg: FormatArg) -> Format {
    match arg {
        FormatArg::Dot => Format::Dot,
        FormatArg::Graphml => Format::Graphml,
        FormatArg::Gexf => Format::Gexf,
        FormatArg::Jsonld => Format::Jsonld,
        FormatArg::Cypher => Format::Cypher,
        FormatArg::Neo4jCsv => Format::Neo4jCsv,
    }
}

pub fn export(args: ExportArgs) -> Result<ExitCode> {
    let graph = super::load_view(&args.graph)?;
    let format = format(args.format);
    match &args.output {
        Some(path) => {
            let written = kith_export::export_to_path(&graph, format, path)?;
            for file in written {
                eprintln!("kith: wrote {}", file.display());
            }
        }
        None if matches!(format, Format::Neo4jCsv) => {
            bail!("neo4j-csv writes several files: give a directory with -o")
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            kith_export::write(&graph, format, &mut out)?;
            out.flush().context("cannot write to stdout")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn render(args: RenderArgs) -> Result<ExitCode> {
    let graph = super::load_view(&args.graph)?;
    let options = RenderOptions {
        focus: args.focus.clone(),
        depth: args.depth.max(1),
        max_nodes: args.max_nodes.max(1),
        include_cooccurrence: args.cooccurrence,
    };
    let prefer = args.renderer.map(|r| match r {
        RendererArg::Graphviz => Renderer::Graphviz,
        RendererArg::Builtin => Renderer::Builtin,
    });
    let used = kith_export::render(&graph, &options, &args.output, prefer)?;
    eprintln!("kith: drew {} with {used}", args.output.display());
    Ok(ExitCode::SUCCESS)
}
