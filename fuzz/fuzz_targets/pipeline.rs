//! The rules pipeline (`kith build --rules-only`: tokenizer, event names, gazetteer,
//! names, coreference, relation rules) on any text; see `pipeline_checks.rs` for what it
//! asserts.
#![no_main]

#[path = "pipeline_checks.rs"]
mod pipeline_checks;

use kith_nlp::{default_pipeline, Pipeline};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(default_pipeline)
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        pipeline_checks::check(pipeline(), text);
    }
});
