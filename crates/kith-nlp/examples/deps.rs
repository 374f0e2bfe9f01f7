//! Print each token's POS tag and dependency arc, then the entity spans and their sources, as the English pipeline (with the models
//! in `models/`) analyses a text: `cargo run --release -p kith-nlp --example deps -- "text"`.

use kith_nlp::{english_pipeline, Doc};
use kith_schema::DocId;

fn main() {
    let text = std::env::args().nth(1).expect("usage: deps TEXT");
    let models = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
    let pipeline = english_pipeline(&models).unwrap_or_else(|e| panic!("{e}"));
    let mut doc = Doc::new(DocId::from_content(&text), text, "-");
    pipeline.run(&mut doc);
    for (i, token) in doc.tokens.iter().enumerate() {
        let pos = doc.pos.get(i).map_or("-", |p| p.xpos);
        let (head, label) = doc.deps.get(i).map_or((None, "-"), |d| (d.head, d.label));
        let head = head.map_or("root".to_string(), |h| format!("{h} {}", doc.token_text(h)));
        println!(
            "{i:>3} {:<16} {pos:<5} {label:<12} {head}",
            &doc.text[token.start..token.end]
        );
    }
    for e in &doc.entities {
        println!(
            "entity {:?} {} [{}] by {}",
            e.tokens,
            doc.span_text(e),
            e.kind.as_str(),
            e.source
        );
    }
}
