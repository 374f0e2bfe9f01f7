//! One line of `kith extract` output (`kith merge` reads these from anywhere): parsed as
//! `DocumentFacts` (version 1) or as a compact line (version 2, `{"v":2,...`), then
//! checked as merge checks it. Facts that pass the check are written back in both versions
//! and re-read as the same facts, and fold into a graph whose file re-reads to the same
//! bytes (so nothing a check admits can make an unreadable graph).
#![no_main]

use kith_graph::{GraphOptions, KnowledgeGraph};
use kith_schema::{is_compact_line, CompactFacts, DocumentFacts};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let facts = if is_compact_line(data) {
        match serde_json::from_slice::<CompactFacts>(data).map(CompactFacts::into_facts) {
            Ok(Ok(facts)) => facts,
            _ => return,
        }
    } else {
        match serde_json::from_slice::<DocumentFacts>(data) {
            Ok(facts) => facts,
            Err(_) => return,
        }
    };
    if facts.check().is_err() {
        return;
    }
    let line = serde_json::to_vec(&facts).expect("checked facts serialise");
    let again: DocumentFacts = serde_json::from_slice(&line).expect("written facts re-read");
    assert_eq!(facts, again, "facts change in a write and re-read");
    again.check().expect("re-read facts pass the check");
    let compact = CompactFacts::from_facts(&facts).expect("checked facts have a compact form");
    let line = serde_json::to_vec(&compact).expect("compact facts serialise");
    assert!(is_compact_line(&line), "a compact line is recognised");
    let again = serde_json::from_slice::<CompactFacts>(&line)
        .expect("written compact facts re-read")
        .into_facts()
        .expect("written compact facts convert back");
    assert_eq!(facts, again, "facts change in a compact write and re-read");

    // Both graph options: co-occurrence edges are built from the facts' sentences.
    for cooccurrence in [false, true] {
        let mut graph = KnowledgeGraph::new(GraphOptions { cooccurrence });
        if graph.add_document(facts.clone()).is_err() {
            continue;
        }
        let mut bytes = Vec::new();
        graph.write_json(&mut bytes).expect("a graph serialises");
        let read = KnowledgeGraph::from_slice(&bytes, Path::new("fuzz.json"))
            .unwrap_or_else(|e| panic!("a graph of checked facts is refused on re-reading: {e}"));
        let mut rewritten = Vec::new();
        read.write_json(&mut rewritten).expect("a graph serialises");
        assert!(
            bytes == rewritten,
            "graph bytes change in a write and re-read"
        );
    }
});
