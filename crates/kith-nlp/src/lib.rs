//! Kith's text layer.
//!
//! One [`Doc`] carries a document's text and every annotation on it: tokens, sentences,
//! entity spans and relations. A [`Pipeline`] runs [`Component`]s in order, each adding one
//! layer, so taggers are interchangeable: the gazetteer, the statistical NER model and the
//! transformer tagger (crate `kith-transformer`) all write the same [`EntitySpan`]s.
//!
//! Offsets inside a `Doc` are byte offsets into `Doc::text`; [`Doc::to_facts`] turns them
//! into the character offsets that leave this crate.

mod doc;
pub mod gazetteer;
pub mod model;
pub mod ner;
pub mod parser;
mod pipeline;
pub mod pos;
mod sentences;
mod tokenize;

pub use doc::{
    Chain, ChainPerson, Dependency, Doc, EntitySpan, Group, PosTag, RelationSpan, Sentence, Token,
    TokenKind,
};
pub use gazetteer::{Country, Gazetteer, GazetteerTagger, Role};
pub use pipeline::{Component, Pipeline};
pub use sentences::split_sentences;
pub use tokenize::{tokenize, Tokenizer};

mod coref;
mod defaults;
pub mod events;
mod facts;
pub mod mentions;
mod names;
mod normalise;
pub mod relations;

pub use coref::{Coreference, FEMALE_NAMES, MALE_NAMES};
pub use defaults::{
    default_pipeline, english_pipeline, english_pipeline_with_ner, NER_MODEL_FILE,
    PARSER_MODEL_FILE, POS_MODEL_FILE, RELATION_MODEL_FILE,
};
pub use events::EventNames;
pub use facts::{CharOffsets, MAX_EVIDENCE_BYTES};
pub use names::NameTagger;
pub use ner::{NerModel, NerTagger, NerTrainConfig, TaggedDocument, TaggedSentence};
pub use parser::{DependencyParser, ParserModel};
pub use pos::{PosModel, PosTagger};
pub use relations::model::{RelationModel, RelationTagger};
pub use relations::RelationRules;
