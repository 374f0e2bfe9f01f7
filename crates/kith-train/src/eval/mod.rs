//! Evaluation: the scoring loops behind `kith eval`, each returning a report (scores and
//! what a reader needs to judge them) for the caller to print. Files are read with
//! `kith_corpus`'s readers and scored with its scorers; [`crate::data::eval_files`]
//! expands the paths given.

pub mod coref;
pub mod identity;
pub mod ner;
pub mod parser;
pub mod pos;
