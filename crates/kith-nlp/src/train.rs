//! Training and evaluation: what `kith-train` and `kith-corpus` build models and scores
//! with, re-exported from the crate's internals.
//!
//! * Training data: [`PosSentence`] (POS), [`DepSentence`] (parser), [`TaggedDocument`] /
//!   [`TaggedSentence`] (NER), [`Example`] (relation model).
//! * Settings: [`PosTrainConfig`], [`ParserTrainConfig`], [`NerTrainConfig`] (with
//!   [`FeatureSwitches`], [`WordClusters`] and [`Lexicon`]), [`RelationTrainSettings`].
//!   The trainers are `PosModel::train`, `ParserModel::train`, `NerModel::train` and
//!   [`train_relation_model`].
//! * Relation-model data: [`RelationLabel`], [`allowed_classes`], [`candidates`] /
//!   [`Candidate`].
//! * Evaluation helpers: [`document_event_names`], [`with_event_names`],
//!   [`institution_type`], [`recase_sentences`], [`one_type_per_name`].
//! * Building blocks of the linear models, for measurement classifiers trained outside
//!   this crate: [`FeatureHasher`], [`Perceptron`], [`WeightSum`], [`Weights`],
//!   [`WeightsKind`], [`argmax`], [`Rng`].
//! * The model-file container, for tools that read any model file: [`ModelFile`],
//!   [`ModelView`], [`FileBytes`].

pub use crate::casing::recase_sentences;
pub use crate::events::{document_event_names, with_event_names};
pub use crate::model::format::FileBytes;
pub use crate::model::{
    argmax, ClusterStyle, FeatureHasher, ModelFile, ModelView, Perceptron, Rng, WeightSum, Weights,
    WeightsKind, WordClusters,
};
pub use crate::ner::lexicon::LexiconError;
pub use crate::ner::{
    institution_type, one_type_per_name, FeatureSwitches, Lexicon, NerMeta, NerSpan,
    NerTrainConfig, ProgressFn, TaggedDocument, TaggedSentence,
};
pub use crate::parser::{DepSentence, ParserTrainConfig};
pub use crate::pos::{PosSentence, PosTrainConfig};
pub use crate::relations::model::features::{
    candidates, candidates_where, dependency_path, Candidate, DepPath,
};
pub use crate::relations::model::train::{
    train as train_relation_model, Example, RelationTrainSettings,
};
pub use crate::relations::model::{allowed_classes, fit_calibration, Prediction, RelationLabel};
pub use crate::relations::svo_baseline;
