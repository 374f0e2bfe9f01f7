//! A model file (`--models DIR`, `kith eval --model`, `kith models`): the first byte picks
//! the kind (POS, parser, NER, relations), the rest is the file. A mutated file almost
//! always fails its checksum before any section is read, so the input is also re-sealed
//! (parsed without the checksum, written with a correct one) to reach each model's own
//! section readers. A model that loads is written back and re-read to the same bytes, and
//! runs on a sentence without panicking ("a bad file is a ModelError, never a panic").
#![no_main]

use kith_nlp::train::{ModelFile, ModelView};
use kith_nlp::{
    Doc, NerModel, NerTagger, ParserModel, Pipeline, PosModel, PosTag, RelationModel,
    RelationTagger, Tokenizer,
};
use kith_schema::DocId;
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::Arc;

const PATH: &str = "fuzz.kmodel";
const WORDS: [&str; 7] = ["Marco", "Rubio", "met", "the", "Prime", "Minister", "."];
const TEXT: &str = "Marco Rubio met Shehbaz Sharif in Washington. He spoke with India.";

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    load(which, bytes);
    if let Ok(view) = ModelView::parse_nested(bytes, Path::new(PATH), None) {
        let sealed = ModelFile {
            kind: view.kind,
            meta: view.meta,
            sections: view
                .sections
                .into_iter()
                .map(|(name, b)| (name, b.to_vec()))
                .collect(),
        }
        .to_bytes();
        load(which, &sealed);
    }
});

fn load(which: u8, bytes: &[u8]) {
    let path = Path::new(PATH);
    match which % 4 {
        0 => {
            let Ok(model) = PosModel::from_bytes(bytes, path) else {
                return;
            };
            let written = model.to_bytes();
            let again = PosModel::from_bytes(&written, path).expect("a written POS model re-reads");
            assert!(again.to_bytes() == written, "POS model bytes change");
            assert_eq!(model.tag(&WORDS).len(), WORDS.len());
        }
        1 => {
            let Ok(model) = ParserModel::from_bytes(bytes, path) else {
                return;
            };
            let written = model.to_bytes();
            let again =
                ParserModel::from_bytes(&written, path).expect("a written parser model re-reads");
            assert!(again.to_bytes() == written, "parser model bytes change");
            let tags: Vec<PosTag> = WORDS.iter().map(|_| PosTag::new("NOUN", "NN")).collect();
            let arcs = model.parse(&WORDS, &tags);
            assert_eq!(arcs.len(), WORDS.len());
            assert!(arcs
                .iter()
                .all(|(head, _)| head.is_none_or(|h| h < WORDS.len())));
            assert_eq!(arcs.iter().filter(|(head, _)| head.is_none()).count(), 1);
        }
        2 => {
            let Ok(model) = NerModel::from_bytes(bytes, path) else {
                return;
            };
            let written = model.to_bytes();
            let again = NerModel::from_bytes(&written, path).expect("a written NER model re-reads");
            assert!(again.to_bytes() == written, "NER model bytes change");
            run(Pipeline::new()
                .with(Tokenizer)
                .with(NerTagger::new(Arc::new(model))));
        }
        _ => {
            let Ok(model) = RelationModel::from_bytes(bytes, path) else {
                return;
            };
            let written = model.to_bytes();
            let again = RelationModel::from_bytes(&written, path)
                .expect("a written relation model re-reads");
            assert!(again.to_bytes() == written, "relation model bytes change");
            run(kith_nlp::default_pipeline().with(RelationTagger::new(model)));
        }
    }
}

/// Runs a pipeline holding the loaded model; its facts pass the merge check.
fn run(pipeline: Pipeline) {
    let mut doc = Doc::new(DocId::from_content(TEXT), TEXT, "fuzz");
    let facts = pipeline.extract(&mut doc);
    facts
        .check()
        .unwrap_or_else(|e| panic!("facts of a loaded model fail the check: {e}"));
}
