//! Kith as a library: text in, graph out, a neighbours query.
//!
//! Run with `cargo run --example library`.

use kith_graph::{GraphOptions, KnowledgeGraph, NeighborQuery};
use kith_nlp::{default_pipeline, Doc};
use kith_schema::DocId;

fn main() {
    let articles = [
        "US Secretary of State Marco Rubio will speak with Indian Foreign Minister Subrahmanyam Jaishankar on Monday.",
        "Pakistani Prime Minister Shehbaz Sharif spoke with Marco Rubio by telephone.",
    ];
    let pipeline = default_pipeline();
    let mut graph = KnowledgeGraph::new(GraphOptions::default());
    for (i, text) in articles.iter().enumerate() {
        let mut doc = Doc::new(DocId::from_content(text), *text, format!("article-{i}"));
        graph
            .add_document(pipeline.extract(&mut doc))
            .expect("one pipeline, one producer");
    }
    let rubio = graph.resolve("Rubio").expect("Rubio is in the graph");
    println!("{} ({}) is connected to:", rubio.name, rubio.kind);
    for neighbor in graph.neighbors(&rubio.id, &NeighborQuery::default()) {
        for relation in &neighbor.relations {
            let subject = &graph.entity(&relation.subject).unwrap().name;
            let object = &graph.entity(&relation.object).unwrap().name;
            println!(
                "  {subject} -{}-> {object} ({})",
                relation.predicate, relation.modality
            );
        }
    }
}
