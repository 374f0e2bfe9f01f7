//! Writes the seed corpora of the fuzz targets (`fuzz/`) into `fuzz/seeds/TARGET/`: small
//! valid inputs of every kind, so that fuzzing starts from files the readers accept (a
//! random byte string rarely gets past a JSON parser or a model header). Models are
//! trained here on a few sentences, so each seed is a few kilobytes where a shipped model
//! is megabytes. `cargo run --release --example fuzz_seeds` from the repository root (an
//! example of this crate rather than a binary of the fuzz crate: a program built with the
//! fuzzing instrumentation links only as a fuzz target). The output is deterministic.

use kith_graph::{GraphOptions, KnowledgeGraph};
use kith_nlp::train::{
    train_relation_model, DepSentence, Example, NerTrainConfig, ParserTrainConfig, PosSentence,
    PosTrainConfig, RelationLabel, RelationTrainSettings, TaggedDocument, TaggedSentence,
};
use kith_nlp::{default_pipeline, Doc, NerModel, ParserModel, PosModel};
use kith_schema::{DocId, EntityType};
use std::path::Path;

const TEXTS: [&str; 3] = [
    "Marco Rubio spoke with Shehbaz Sharif on Tuesday. He urged Pakistan to talk to India.",
    "State Department spokesperson Tammy Bruce said the United States was in contact with both countries.",
    "The Iraq War ended in 2011. Mr. Smith, the CEO of Acme Corp., visited Paris, France.",
];

fn write(target: &str, name: &str, bytes: &[u8]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    std::fs::create_dir_all(&dir).expect("seed folder");
    std::fs::write(dir.join(name), bytes).expect("seed file");
}

/// `words` with the given tags: (word, UPOS, XPOS, head, relation) per word.
fn sentence(rows: &[(&str, &str, &str, Option<usize>, &str)]) -> DepSentence {
    DepSentence {
        words: rows.iter().map(|r| r.0.to_string()).collect(),
        upos: rows.iter().map(|r| r.1.to_string()).collect(),
        xpos: rows.iter().map(|r| r.2.to_string()).collect(),
        heads: rows.iter().map(|r| r.3).collect(),
        labels: rows.iter().map(|r| r.4.to_string()).collect(),
    }
}

fn treebank() -> Vec<DepSentence> {
    vec![
        sentence(&[
            ("Rubio", "PROPN", "NNP", Some(1), "nsubj"),
            ("met", "VERB", "VBD", None, "root"),
            ("Sharif", "PROPN", "NNP", Some(1), "obj"),
            (".", "PUNCT", ".", Some(1), "punct"),
        ]),
        sentence(&[
            ("The", "DET", "DT", Some(1), "det"),
            ("minister", "NOUN", "NN", Some(2), "nsubj"),
            ("spoke", "VERB", "VBD", None, "root"),
            ("today", "NOUN", "NN", Some(2), "obl:tmod"),
            (".", "PUNCT", ".", Some(2), "punct"),
        ]),
        sentence(&[
            ("India", "PROPN", "NNP", Some(1), "nsubj"),
            ("was", "AUX", "VBD", None, "root"),
            ("attacked", "VERB", "VBN", Some(1), "xcomp"),
            (".", "PUNCT", ".", Some(1), "punct"),
        ]),
    ]
}

fn models() {
    let trees = treebank();
    let pos_data: Vec<PosSentence> = trees
        .iter()
        .map(|s| PosSentence {
            words: s.words.clone(),
            upos: s.upos.clone(),
            xpos: s.xpos.clone(),
        })
        .collect();
    let pos = PosModel::train(&pos_data, &[], &PosTrainConfig::default(), |_, _, _| {});
    let parser = ParserModel::train(
        &trees,
        &[],
        None,
        &ParserTrainConfig::default(),
        |_, _, _| {},
    )
    .expect("toy parser trains");
    let ner_docs = vec![TaggedDocument {
        sentences: vec![
            TaggedSentence {
                words: ["Marco", "Rubio", "visited", "Paris", "."]
                    .map(String::from)
                    .to_vec(),
                tags: ["B-PER", "I-PER", "O", "B-LOC", "O"]
                    .map(String::from)
                    .to_vec(),
            },
            TaggedSentence {
                words: ["Acme", "Corp", "hired", "Smith", "."]
                    .map(String::from)
                    .to_vec(),
                tags: ["B-ORG", "I-ORG", "O", "B-PER", "O"]
                    .map(String::from)
                    .to_vec(),
            },
        ],
    }];
    let ner = NerModel::train(&ner_docs, None, &NerTrainConfig::default());
    let labels = vec![RelationLabel {
        predicate: "works-for".into(),
        class: None,
        subjects: vec![EntityType::Person],
        objects: vec![EntityType::Organization],
    }];
    let examples = vec![
        Example {
            features: vec![1, 2, 3],
            gold: 1,
            allowed: vec![0, 1],
        },
        Example {
            features: vec![4, 5, 6],
            gold: 0,
            allowed: vec![0, 1],
        },
    ];
    let relations = train_relation_model(
        labels,
        examples,
        &RelationTrainSettings::default(),
        serde_json::json!({}),
    );
    // The target's first byte picks the kind: 0 POS, 1 parser, 2 NER, 3 relations.
    for (kind, name, bytes) in [
        (0u8, "pos", pos.to_bytes()),
        (1, "parser", parser.to_bytes()),
        (2, "ner", ner.to_bytes()),
        (3, "relations", relations.to_bytes()),
    ] {
        write(
            "model_file",
            &format!("{name}.kmodel"),
            &[&[kind], &bytes[..]].concat(),
        );
    }
}

fn main() {
    models();
    let pipeline = default_pipeline();
    let mut graph = KnowledgeGraph::new(GraphOptions { cooccurrence: true });
    for (i, text) in TEXTS.iter().enumerate() {
        let mut doc = Doc::new(DocId::from_content(text), *text, format!("seed-{i}.txt"));
        let facts = pipeline.extract(&mut doc);
        let line = serde_json::to_vec(&facts).expect("facts serialise");
        write("facts_line", &format!("facts-{i}.json"), &line);
        let compact = kith_schema::CompactFacts::from_facts(&facts).expect("facts of one document");
        let line = serde_json::to_vec(&compact).expect("compact facts serialise");
        write("facts_line", &format!("compact-{i}.json"), &line);
        graph.add_document(facts).expect("seed facts merge");
        write("pipeline", &format!("text-{i}.txt"), text.as_bytes());
        write("pipeline_models", &format!("text-{i}.txt"), text.as_bytes());
    }
    let mut bytes = Vec::new();
    graph.write_json(&mut bytes).expect("graph serialises");
    write("graph_file", "graph.json", &bytes);

    let html = format!(
        "<!doctype html><html><head><title>Talks</title>\
         <meta property=\"article:published_time\" content=\"2025-05-01\"></head>\
         <body><nav>Home | News</nav><article><h1>Talks</h1><p>{}</p><pre>a  b</pre>\
         <p>{}</p><script>var x = 1;</script></article></body></html>",
        TEXTS[0], TEXTS[1]
    );
    write("html", "page.html", html.as_bytes());
    let jsonl = format!(
        "{{\"id\": \"a\", \"text\": \"{}\", \"title\": \"T\"}}\n{{\"id\": 7, \"text\": \"{}\"}}\n",
        TEXTS[0], TEXTS[1]
    );
    // The ingest target's first byte: 0 standard input, then .txt, .md, .html, .jsonl.
    write(
        "ingest",
        "stdin.jsonl",
        &[b"\x00", jsonl.as_bytes()].concat(),
    );
    write(
        "ingest",
        "stdin.txt",
        &[b"\x00", TEXTS[2].as_bytes()].concat(),
    );
    write(
        "ingest",
        "file.txt",
        &[b"\x01", TEXTS[0].as_bytes()].concat(),
    );
    write(
        "ingest",
        "file.md",
        &[b"\x02# Title\n\n", TEXTS[1].as_bytes()].concat(),
    );
    write("ingest", "file.html", &[b"\x03", html.as_bytes()].concat());
    write(
        "ingest",
        "file.jsonl",
        &[b"\x04", jsonl.as_bytes()].concat(),
    );
}
