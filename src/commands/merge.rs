//! `kith merge`: fold fact files (JSON lines of document facts) into a graph.

use crate::cli::MergeArgs;
use crate::output::RunSummary;
use anyhow::Result;
use kith_schema::DocumentFacts;
use std::io::{BufRead, BufReader, Read};
use std::process::ExitCode;

pub fn merge(args: MergeArgs) -> Result<ExitCode> {
    let output = args.output.clone().or_else(|| args.into.clone()).expect("clap requires -o or --into");
    let mut graph = super::open_target(args.into.as_deref(), &output, args.cooccurrence)?;
    let mut summary = RunSummary::default();
    for name in &args.facts {
        let reader: Box<dyn Read> = if name == "-" {
            Box::new(std::io::stdin())
        } else {
            match std::fs::File::open(name) {
                Ok(file) => Box::new(file),
                Err(e) => {
                    summary.skip(format!("{name}: {e}"));
                    continue;
                }
            }
        };
        read_facts(name, reader, &mut summary, |facts, summary| super::add_facts(&mut graph, facts, summary));
    }
    super::save_target(&graph, &output, &summary, args.strict)
}

fn read_facts(
    name: &str,
    reader: impl Read,
    summary: &mut RunSummary,
    mut consume: impl FnMut(DocumentFacts, &mut RunSummary),
) {
    let mut reader = BufReader::new(reader);
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
            Ok(facts) => match facts_problem(&facts) {
                None => consume(facts, summary),
                Some(problem) => summary.skip(format!("{name}:{number}: {problem}")),
            },
            Err(e) => summary.skip(format!("{name}:{number}: not document facts: {e}")),
        }
    }
}

/// Facts that parse but cannot be right: relations pointing at entities that do not exist.
fn facts_problem(facts: &DocumentFacts) -> Option<String> {
    let n = facts.entities.len();
    facts
        .relations
        .iter()
        .position(|r| r.subject >= n || r.object >= n)
        .map(|i| format!("relation {i} refers to an entity index past the {n} entities"))
}
