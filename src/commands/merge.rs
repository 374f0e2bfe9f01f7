//! `kith merge`: fold fact files (JSON lines of document facts, as `kith extract` writes
//! them) and graph files into one graph. Any grouping and order gives the same graph.

use crate::cli::MergeArgs;
use crate::output::RunSummary;
use anyhow::{Context, Result};
use kith_graph::KnowledgeGraph;
use kith_schema::DocumentFacts;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::ExitCode;

pub fn merge(args: MergeArgs) -> Result<ExitCode> {
    let output = args.target.output_path();
    let mut graph = super::open_target(&args.target)?;
    let mut summary = RunSummary::default();
    for name in &args.facts {
        let mut reader: Box<dyn BufRead> = if name == "-" {
            Box::new(BufReader::new(std::io::stdin()))
        } else {
            match std::fs::File::open(name) {
                Ok(file) => Box::new(BufReader::new(file)),
                Err(e) => {
                    summary.skip(format!("{name}: {e}"));
                    continue;
                }
            }
        };
        if is_graph_file(&mut reader).with_context(|| format!("cannot read {name}"))? {
            let mut bytes = Vec::new();
            reader
                .read_to_end(&mut bytes)
                .with_context(|| format!("cannot read {name}"))?;
            let part = KnowledgeGraph::from_slice(&bytes, Path::new(name))?;
            summary.added += part.documents().len();
            graph
                .merge(part)
                .with_context(|| format!("cannot merge {name}"))?;
            continue;
        }
        read_facts(name, reader, &mut summary, |facts, summary| {
            super::add_facts(&mut graph, facts, summary)
        })?;
    }
    super::save_target(&graph, output, &summary, args.strict)
}

/// Whether the input starts like a graph file rather than a line of facts.
fn is_graph_file(reader: &mut dyn BufRead) -> std::io::Result<bool> {
    let start = reader.fill_buf()?;
    let head = String::from_utf8_lossy(&start[..start.len().min(64)]);
    Ok(head
        .trim_start()
        .starts_with(&format!("{{\"format\":\"{}\"", kith_graph::file::FORMAT)))
}

fn read_facts(
    name: &str,
    mut reader: impl BufRead,
    summary: &mut RunSummary,
    mut consume: impl FnMut(DocumentFacts, &mut RunSummary) -> Result<()>,
) -> Result<()> {
    let mut line = Vec::new();
    for number in 1.. {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                summary.skip(format!("{name}:{number}: {e}"));
                break;
            }
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<DocumentFacts>(&line) {
            Ok(facts) => match facts.check() {
                Ok(()) => consume(facts, summary).with_context(|| format!("{name}:{number}"))?,
                Err(problem) => summary.skip(format!("{name}:{number}: {problem}")),
            },
            Err(e) => summary.skip(format!("{name}:{number}: not document facts: {e}")),
        }
    }
    Ok(())
}
