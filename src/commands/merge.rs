//! `kith merge`: fold fact files (JSON lines of document facts, as `kith extract` writes
//! them: version 1 or compact lines, either zstd-compressed or not) and graph files (JSON or
//! stores) into one graph. Any grouping and order gives the same graph.

use crate::cli::MergeArgs;
use crate::output::RunSummary;
use anyhow::{Context, Result};
use kith_graph::KnowledgeGraph;
use kith_schema::{CompactFacts, DocumentFacts};
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
        let reader: Box<dyn BufRead> = if name == "-" {
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
        let mut reader = match unzstd(reader) {
            Ok(reader) => reader,
            Err(e) => {
                summary.skip(format!("{name}: {e}"));
                continue;
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

/// The first bytes of a zstd frame.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

/// `reader` decompressed when it starts with zstd's magic number (`kith extract --compress`,
/// or any zstd file: concatenated frames are read one after the other), else as it is.
fn unzstd(mut reader: Box<dyn BufRead>) -> std::io::Result<Box<dyn BufRead>> {
    let mut head = Vec::with_capacity(ZSTD_MAGIC.len());
    (&mut reader)
        .take(ZSTD_MAGIC.len() as u64)
        .read_to_end(&mut head)?;
    let compressed = head == ZSTD_MAGIC;
    let reader = BufReader::new(std::io::Cursor::new(head).chain(reader));
    Ok(if compressed {
        Box::new(BufReader::new(zstd::Decoder::with_buffer(reader)?))
    } else {
        Box::new(reader)
    })
}

/// One line of facts: a compact line (version 2, `{"v":2,...`) or `DocumentFacts` as
/// JSON (version 1), not yet checked.
fn parse_facts_line(line: &[u8]) -> Result<DocumentFacts, String> {
    if kith_schema::is_compact_line(line) {
        serde_json::from_slice::<CompactFacts>(line)
            .map_err(|e| format!("not compact document facts: {e}"))?
            .into_facts()
    } else {
        serde_json::from_slice::<DocumentFacts>(line)
            .map_err(|e| format!("not document facts: {e}"))
    }
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
        match parse_facts_line(&line) {
            Ok(facts) => match facts.check() {
                Ok(()) => consume(facts, summary).with_context(|| format!("{name}:{number}"))?,
                Err(problem) => summary.skip(format!("{name}:{number}: {problem}")),
            },
            Err(e) => summary.skip(format!("{name}:{number}: {e}")),
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
