//! `kith export` and `kith render`.

use crate::cli::{ExportArgs, FormatArg, RenderArgs, RendererArg};
use crate::output::one_line;
use anyhow::{bail, Context, Result};
use kith_export::{Format, RenderOptions, Renderer};
use std::io::Write;
use std::process::ExitCode;

fn format(arg: FormatArg) -> Format {
    match arg {
        FormatArg::Json => unreachable!("the JSON graph file is written by kith-graph"),
        FormatArg::Dot => Format::Dot,
        FormatArg::Graphml => Format::Graphml,
        FormatArg::Gexf => Format::Gexf,
        FormatArg::Jsonld => Format::Jsonld,
        FormatArg::Cypher => Format::Cypher,
        FormatArg::Neo4jCsv => Format::Neo4jCsv,
        FormatArg::Html => Format::Html,
    }
}

pub fn export(args: ExportArgs) -> Result<ExitCode> {
    // The JSON graph file is the stored union (it can be merged into again); every
    // other export draws the graph with identities resolved across documents.
    if let FormatArg::Json = args.format {
        let graph = super::load_graph(&args.graph)?;
        match &args.output {
            Some(path) => {
                graph
                    .save(path)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                eprintln!("kith: wrote {}", path.display());
            }
            None => {
                let stdout = std::io::stdout();
                let mut out = std::io::BufWriter::new(stdout.lock());
                graph
                    .write_json(&mut out)
                    .map_err(std::io::Error::from)
                    .and_then(|()| out.write_all(b"\n"))
                    .and_then(|()| out.flush())
                    .context("cannot write to stdout")?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let graph = super::load_view(&args.graph)?;
    let format = format(args.format);
    match &args.output {
        Some(path) => {
            let written = kith_export::export_to_path(&graph, format, path)?;
            for file in written {
                eprintln!("kith: wrote {}", one_line(&file.display().to_string()));
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
    // The focus is looked up like any query name, then handed on by id.
    let focus = match &args.focus {
        Some(name) => Some(
            crate::lookup::Names::new(&graph)
                .resolve(name)?
                .id
                .0
                .clone(),
        ),
        None => None,
    };
    let options = RenderOptions {
        focus,
        depth: args.depth.max(1),
        max_nodes: args.max_nodes.max(1),
        include_cooccurrence: args.cooccurrence,
    };
    let prefer = args.renderer.map(|r| match r {
        RendererArg::Graphviz => Renderer::Graphviz,
        RendererArg::Builtin => Renderer::Builtin,
    });
    let used = kith_export::render(&graph, &options, &args.output, prefer)?;
    eprintln!(
        "kith: drew {} with {used}",
        one_line(&args.output.display().to_string())
    );
    Ok(ExitCode::SUCCESS)
}
