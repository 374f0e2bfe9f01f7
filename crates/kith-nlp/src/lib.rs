//! Kith's text layer.
//!
//! One [`Doc`] carries a document's text and every annotation on it: tokens, sentences,
//! entity spans and relations. A [`Pipeline`] runs [`Component`]s in order, each adding one
//! layer, so taggers are interchangeable: the gazetteer, the statistical NER model and the
//! transformer tagger (crate `kith-transformer`) all write the same [`EntitySpan`]s.
//!
//! Offsets inside a `Doc` are byte offsets into `Doc::text`; [`Doc::to_facts`] turns them
//! into the character offsets that leave this crate.
//!
//! The crate root is the run-time API:
//! * the document and its layers: [`Doc`], [`Token`], [`Sentence`], [`PosTag`],
//!   [`Dependency`], [`EntitySpan`], [`RelationSpan`], [`Chain`], [`Group`], [`Metadata`];
//! * [`Pipeline`] and [`Component`], and the ready-made pipelines [`default_pipeline`],
//!   [`english_pipeline`] and [`english_pipeline_with_ner`] (which load the model files
//!   named by [`POS_MODEL_FILE`], [`PARSER_MODEL_FILE`], [`NER_MODEL_FILE`] and
//!   [`RELATION_MODEL_FILE`]);
//! * the components: [`Tokenizer`], [`PosTagger`], [`DependencyParser`], [`Credits`],
//!   [`Datelines`], [`EventNames`],
//!   [`GazetteerTagger`], [`NerTagger`], [`NameTagger`], [`Coreference`],
//!   [`RelationRules`] and [`RelationTagger`];
//! * the statistical models they load: [`PosModel`], [`ParserModel`], [`NerModel`],
//!   [`RelationModel`], and [`ModelError`].
//!
//! Training and evaluation code imports from [`train`].

#![warn(missing_docs)]

mod casing;
mod coref;
mod credits;
mod datelines;
mod defaults;
mod doc;
mod events;
mod facts;
mod gazetteer;
mod mentions;
mod model;
mod names;
mod ner;
mod normalise;
mod parser;
mod pipeline;
mod pos;
mod relations;
mod sentences;
mod tokenize;
pub mod train;

pub use coref::Coreference;
pub use credits::Credits;
pub use datelines::Datelines;
pub use defaults::{
    default_pipeline, english_pipeline, english_pipeline_from_bytes, english_pipeline_with_ner,
    NER_MODEL_FILE, PARSER_MODEL_FILE, POS_MODEL_FILE, RELATION_MODEL_FILE,
};
pub use doc::{
    Chain, ChainPerson, Dependency, Doc, EntitySpan, Group, Metadata, MetadataKind, PosTag,
    RelationSpan, Sentence, Token, TokenKind, NO_CLUSTER,
};
pub use events::EventNames;
pub use facts::CharOffsets;
pub use gazetteer::{Country, Gazetteer, GazetteerError, GazetteerMatch, GazetteerTagger, Role};
pub use model::ModelError;
pub use names::NameTagger;
pub use ner::{NerModel, NerTagger};
pub use parser::{DependencyParser, ParserModel};
pub use pipeline::{Component, Pipeline};
pub use pos::{PosModel, PosTagger};
pub use relations::model::{RelationModel, RelationTagger};
pub use relations::RelationRules;
pub use sentences::split_sentences;
pub use tokenize::{tokenize, Tokenizer};
