//! The pipeline `kith build` runs by default: the models built into the binary (POS,
//! parser, NER, relation model; `kith-models`) around the rules, on any text; see
//! `pipeline_checks.rs` for what it asserts. Slower per input than the rules alone.
#![no_main]

#[path = "pipeline_checks.rs"]
mod pipeline_checks;

use kith_nlp::{english_pipeline_from_bytes, Pipeline};
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| {
        english_pipeline_from_bytes(Path::new("<built-in models>"), kith_models::embedded)
            .expect("the built-in models load")
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        pipeline_checks::check(pipeline(), text);
    }
});
