//! Rewrites facts lines (version 1 or compact, from stdin) as compact lines (version 2) on
//! stdout, or as version 1 lines with `--v1`, checking on every line that the compact form
//! reads back as the same facts. For facts files written before `kith extract --compact`:
//!
//! ```sh
//! cargo run --release --example compact_facts < facts.jsonl > facts.v2.jsonl
//! ```
//!
//! (`kith merge` reads both versions, so rewriting is only a matter of size.)

use kith_schema::{is_compact_line, CompactFacts, DocumentFacts};
use std::io::{BufRead, BufWriter, Write};

fn main() {
    let v1 = std::env::args().any(|a| a == "--v1");
    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::new(std::io::stdout().lock());
    let (mut lines, mut compact) = (0usize, 0usize);
    for (number, line) in stdin.lines().enumerate() {
        let line = line.expect("stdin reads");
        if line.trim().is_empty() {
            continue;
        }
        let at = number + 1;
        let facts: DocumentFacts = if is_compact_line(line.as_bytes()) {
            let c: CompactFacts = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("line {at}: not compact facts: {e}"));
            c.into_facts().unwrap_or_else(|e| panic!("line {at}: {e}"))
        } else {
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("line {at}: not facts: {e}"))
        };
        lines += 1;
        let written = match CompactFacts::from_facts(&facts).filter(|_| !v1) {
            Some(c) => {
                let text = serde_json::to_string(&c).expect("facts serialise");
                let again: CompactFacts = serde_json::from_str(&text).expect("compact re-reads");
                let again = again.into_facts().expect("compact converts back");
                assert!(
                    again == facts,
                    "line {at}: facts change through the compact form"
                );
                compact += 1;
                text
            }
            None => serde_json::to_string(&facts).expect("facts serialise"),
        };
        writeln!(out, "{written}").expect("stdout writes");
    }
    out.flush().expect("stdout writes");
    eprintln!("compact_facts: {lines} lines, {compact} written compact");
}
