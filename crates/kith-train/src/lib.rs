//! Training and evaluation for Kith: everything behind `kith train`, `kith eval`,
//! `kith bench` and `kith models` except argument parsing and printing.
//!
//! - [`config`] — the training-config schema, one TOML file per model (the format is
//!   documented there), read by [`config::LoadedConfig::load`];
//! - [`data`] — data-source resolution: a config's `[[train]]` and `[[dev]]` paths
//!   (relative to its data folder, which `--data` overrides; GUM folders filtered by
//!   licence) read into training examples, and the files an evaluation reads;
//! - [`train`](mod@train) — training jobs ([`train::train`]): POS, NER (with voting
//!   members and `--dev-as-train`), parser (with POS jackknifing); the model file is
//!   written by the job;
//! - [`eval`] — the scoring loops of `kith eval pos|ner|parser|coref`, each returning a
//!   report;
//! - [`relations`] — `kith eval relations`: CoNLL04 sentences detokenised, run through
//!   the pipeline and aligned with the gold tokens, scored strictly; and the
//!   measurement-only CoNLL04 relation classifier
//!   ([`relations::conll04_classifier`]);
//! - [`bench`](mod@bench) — tagging throughput of the pipelines;
//! - [`models`] — the model files of a models directory and the scores they record.
//!
//! Like every library crate of Kith, this one never prints and never exits: results are
//! returned as structured reports, progress of long runs goes to a [`Progress`]
//! callback as [`Event`]s, and errors are [`Error`]s whose chain of causes the caller
//! prints.

#![warn(missing_docs)]

pub mod bench;
pub mod config;
pub mod data;
mod error;
pub mod eval;
pub mod models;
mod progress;
pub mod relations;
pub mod train;

pub use error::{Error, Result};
pub use progress::{Event, Progress};
pub use train::{train, Task, TrainOptions, TrainReport};
