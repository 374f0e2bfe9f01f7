//! `kith merge`: fold fact files (JSON lines of document facts, as `kith extract` writes
//! them) and graph files (JSON or stores) into one graph. Any grouping and order gives the same graph.

use crate::cli::MergeArgs;
use crate::output::RunSummary;
use anyhow::{Context, Result};
use kith_graph::KnowledgeGraph;
use kith_schema::DocumentFacts;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::ExitCode;

pub fn merge(args: MergeArgs) -> Result<ExitCode> {
    let mut target = super::open_target(&args.target)?;
    let mut summary = RunSummary::default();
    for name in &args.facts {
        if name != "-" && kith_graph::store::is_store(Path::new(name)) {
            let part = super::load_graph(Path::new(name))?;
            merge_graph(&mut target, part, name, &mut summary)?;
            continue;
        }
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
        let mut recording = Recording {
            inner: &mut reader,
            seen: Vec::new(),
        };
        let format = kith_graph::file::sniff_format(&mut recording);
        let Recording { seen, .. } = recording;
        if format.is_some() {
            let mut bytes = seen;
            reader
                .read_to_end(&mut bytes)
                .with_context(|| format!("cannot read {name}"))?;
            let part = KnowledgeGraph::from_slice(&bytes, Path::new(name))?;
            merge_graph(&mut target, part, name, &mut summary)?;
            continue;
        }
        let reader = BufReader::new(std::io::Cursor::new(seen).chain(reader));
        read_facts(name, reader, &mut summary, |facts, summary| {
            super::add_facts(&mut target, facts, summary)
        })?;
    }
    super::save_target(&mut target, &summary, args.strict)
}

/// A reader that keeps a copy of what is read through it, to read it again.
struct Recording<R> {
    inner: R,
    seen: Vec<u8>,
}

impl<R: Read> Read for Recording<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.seen.extend_from_slice(&buf[..n]);
        Ok(n)
    }
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

/// Folds a whole graph (a JSON graph file or a store named among the inputs) into the
/// target, counting its documents as added.
fn merge_graph(
    target: &mut super::Target,
    part: KnowledgeGraph,
    name: &str,
    summary: &mut RunSummary,
) -> Result<()> {
    summary.added += part.documents().len();
    target
        .graph
        .merge(part)
        .with_context(|| format!("cannot merge {name}"))?;
    target.flush_if_large()
}
