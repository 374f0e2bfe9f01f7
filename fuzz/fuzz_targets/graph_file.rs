//! A graph file (`kith build --into`, `kith merge`, every query command reads one): what
//! the reader accepts is written back and re-read to the same bytes, and the queries the
//! commands run on it (stats, neighbours, explain) do not panic.
#![no_main]

use kith_graph::KnowledgeGraph;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(graph) = KnowledgeGraph::from_slice(data, Path::new("fuzz.json")) else {
        return;
    };
    let mut bytes = Vec::new();
    graph.write_json(&mut bytes).expect("a graph serialises");
    let read = KnowledgeGraph::from_slice(&bytes, Path::new("fuzz.json"))
        .unwrap_or_else(|e| panic!("an accepted graph is refused once written back: {e}"));
    let mut rewritten = Vec::new();
    read.write_json(&mut rewritten).expect("a graph serialises");
    assert!(
        bytes == rewritten,
        "graph bytes change in a write and re-read"
    );

    let _ = graph.stats(5);
    let query = kith_graph::NeighborQuery::default();
    for entity in graph.entities().take(4) {
        let _ = graph.neighbors(&entity.id, &query);
        let _ = graph.explain_entity(entity);
    }
});
