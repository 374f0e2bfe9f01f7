//! Kith's transformer NER backend: a BERT token classifier (rust-bert 0.23, libtorch 2.4.0)
//! loaded from local files, as a [`kith_nlp::Component`] that writes the same
//! [`kith_nlp::EntitySpan`]s as the rule-based and statistical taggers.
//!
//! Everything here is behind the `torch` feature (off by default): without it the crate is
//! empty, so the default workspace build needs no libtorch. See
//! `docs/transformer.md` for setting up libtorch (`scripts/setup-torch.sh`).
//!
//! * [`TransformerNer`] — loads `rust_model.ot` or `model.safetensors`, `config.json` (with
//!   `id2label`) and `vocab.txt` from a directory, through rust-bert's
//!   `TokenClassificationModel`; windows long sentences with overlap, batches windows, maps
//!   word labels back to byte offsets in `Doc::text` and snaps them to the Doc's tokens.
//!   With the `remote` feature, `TransformerNer::load_default` fetches rust-bert's default
//!   CoNLL-03 model ([`DEFAULT_MODEL`]) from the model hub instead; both paths build the
//!   component from a rust-bert `TokenClassificationConfig` the same way.
//! * [`labels`] — model labels (`B-PER`, `I-ORG`, `MISC`, ...) onto Kith's entity types.
//! * [`tiny`] — writes a tiny BERT token classifier with random weights in rust-bert's
//!   variable layout: the fixture of the tests and the benchmark, and a way to try the
//!   backend without real weights.

#![warn(missing_docs)]

#[cfg(feature = "torch")]
mod error;
#[cfg(feature = "torch")]
pub mod labels;
#[cfg(feature = "torch")]
mod ner;
#[cfg(feature = "torch")]
pub mod tiny;

#[cfg(feature = "torch")]
pub use error::TransformerError;
#[cfg(feature = "torch")]
pub use ner::{
    transformer_pipeline, TransformerNer, TransformerOptions, WordPrediction, CONFIG_FILE,
    DEFAULT_MODEL, VOCAB_FILE, WEIGHTS_FILES,
};
