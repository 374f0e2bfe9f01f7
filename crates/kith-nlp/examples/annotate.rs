//! Print the entities and relations the default pipeline finds in a text file or stdin:
//! `cargo run -p kith-nlp --example annotate -- FILE`.

use kith_nlp::{default_pipeline, Doc};
use kith_schema::DocId;
use std::io::Read;

fn main() {
    let mut text = String::new();
    match std::env::args().nth(1) {
        Some(path) => {
            text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
        }
        None => {
            std::io::stdin()
                .read_to_string(&mut text)
                .expect("stdin is UTF-8");
        }
    }
    let mut doc = Doc::new(DocId::from_content(&text), text, "input");
    default_pipeline().run(&mut doc);
    for (i, sentence) in doc.sentences.iter().enumerate() {
        println!(
            "[{i}] {}",
            doc.text[sentence.start..sentence.end].replace('\n', " ")
        );
    }
    for e in &doc.entities {
        println!(
            "{:<14} {:<40} {:.2} {} {:?}",
            e.kind.as_str(),
            doc.span_text(e),
            e.confidence,
            e.source,
            e.canonical
        );
    }
    for r in &doc.relations {
        let name = |i: usize| doc.span_text(&doc.entities[i]).to_string();
        println!(
            "{} -{}-> {} ({}, {}) [s{}]",
            name(r.subject),
            r.predicate,
            name(r.object),
            r.polarity,
            r.modality,
            r.sentence
        );
    }
}
