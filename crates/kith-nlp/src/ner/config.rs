//! Training settings ([`NerTrainConfig`]) and what a model file records of them
//! ([`NerMeta`]).

use super::features::FeatureSwitches;
use super::lexicon::Lexicon;
use super::{NerModel, TaggedDocument};
use crate::model::{ClusterStyle, WeightsKind, WordClusters};
use std::sync::Arc;

/// Receives training progress messages (the library never prints).
pub type ProgressFn = Arc<dyn Fn(&str) + Send + Sync>;

/// Settings of [`NerModel::train`]; the serialisable part is recorded in the model.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct NerTrainConfig {
    /// Epochs of the final pass; with dev data the best epoch is kept.
    pub iterations: usize,
    /// Epochs of the pass-1 models used for jackknifing (0: same as `iterations`).
    pub pass1_iterations: usize,
    /// Seed of the training shuffles (and of dropout).
    pub seed: u64,
    /// Features seen fewer times in training are dropped.
    pub min_count: u32,
    /// A word joins a name list after this many occurrences in that role.
    pub name_list_min_count: u32,
    /// Folds for jackknifed pass-1 labels and name lists.
    pub folds: usize,
    /// The feature templates to use.
    pub features: FeatureSwitches,
    /// Storage of the shipped weights.
    pub weights: WeightsKind,
    /// Weight rows whose largest |averaged weight| is below this are dropped from the
    /// shipped model (size and load time; 0 keeps every non-zero row).
    pub prune: f32,
    /// Names of the training data, recorded in the model.
    pub data: Vec<String>,
    /// Perceptrons per pass, trained on different shuffles (seeds `seed + m * 1000`) and
    /// averaged into one table (1: a single model); the jackknife's fold models are
    /// ensembles too. Tagging costs the same.
    #[serde(skip_serializing_if = "is_one")]
    pub ensemble: usize,
    /// Loss-augmented training: in training decodes, each wrong label of a token scores
    /// this much more (0: the plain perceptron).
    #[serde(skip_serializing_if = "is_zero")]
    pub margin: f32,
    /// Probability that a training token's word and lower-case features are hidden in an
    /// update (word dropout: the model learns to name unseen words from their shape,
    /// affixes, clusters and context).
    #[serde(skip_serializing_if = "is_zero")]
    pub word_dropout: f32,
    /// Probability that each emission feature of a training token (pass 1 and pass 2) is
    /// left out of an update (feature dropout, as the POS tagger's; transition weights are
    /// kept; tagging uses every feature). In [0, 1): see [`NerTrainConfig::check`].
    #[serde(skip_serializing_if = "is_zero")]
    pub feature_dropout: f32,
    /// Store the whole cluster table rather than only the words whose cluster features
    /// carry weight. `kith train` sets it for a voting config and its members: members
    /// trained with the same table then store it once (see [`NerModel::to_model_file`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub keep_clusters: bool,
    /// Trainings run at once (0: the machine's cores). The model does not depend on it.
    #[serde(skip)]
    pub threads: usize,
    /// Extra labelled documents whose entity names only feed the name lists (not
    /// trained on); record their names in `data`.
    #[serde(skip)]
    pub name_list_docs: Option<Arc<Vec<TaggedDocument>>>,
    /// Times each training document is seen per epoch (oversampling; aligned with the
    /// documents; missing entries count 1). Copies share their document's fold.
    #[serde(skip)]
    pub doc_repeat: Option<Arc<Vec<u32>>>,
    /// Word clusters (from `data/clusters/clusters.tsv`); stored in the model, pruned.
    #[serde(skip)]
    pub clusters: Option<Arc<WordClusters>>,
    /// External lexicons (the config's `lexicons` files); stored in the model.
    #[serde(skip)]
    pub lexicon: Option<Arc<Lexicon>>,
    /// An inner NER model whose labels become features (stacking; the config's `stack`);
    /// stored whole in the model file. It must not stack a model itself.
    #[serde(skip)]
    pub stack: Option<Arc<NerModel>>,
    /// Progress messages (the library never prints).
    #[serde(skip)]
    pub progress: Option<ProgressFn>,
}

impl Default for NerTrainConfig {
    fn default() -> Self {
        NerTrainConfig {
            iterations: 10,
            pass1_iterations: 0,
            seed: 1,
            min_count: 1,
            name_list_min_count: 1,
            folds: 2,
            features: FeatureSwitches::default(),
            weights: WeightsKind::I16,
            prune: 0.0,
            data: Vec::new(),
            ensemble: 1,
            margin: 0.0,
            word_dropout: 0.0,
            feature_dropout: 0.0,
            keep_clusters: false,
            threads: 0,
            name_list_docs: None,
            doc_repeat: None,
            clusters: None,
            lexicon: None,
            stack: None,
            progress: None,
        }
    }
}

impl NerTrainConfig {
    /// Refuses settings outside their range, naming the setting (`[ner]` in a config).
    pub fn check(&self) -> Result<(), String> {
        for (name, p) in [
            ("word_dropout", self.word_dropout),
            ("feature_dropout", self.feature_dropout),
        ] {
            if !(0.0..1.0).contains(&p) {
                return Err(format!("{name} = {p}: expected a probability in [0, 1)"));
            }
        }
        if self.stack.as_ref().is_some_and(|m| m.stack.is_some()) {
            return Err(STACK_DEPTH.into());
        }
        // NER files store a cluster table as `u16` ids, which only an NER-style table has.
        if self
            .clusters
            .as_ref()
            .is_some_and(|c| c.style() != ClusterStyle::Ner)
        {
            return Err(CLUSTER_STYLE.into());
        }
        // A voting inner model would be written whole into `stack` and then refused on
        // load (an inner model may not vote): refused here, before any training.
        if self.stack.as_ref().is_some_and(|m| !m.voters.is_empty()) {
            return Err(STACK_VOTES.into());
        }
        self.features.check()
    }
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

fn is_zero(x: &f32) -> bool {
    *x == 0.0
}

impl std::fmt::Debug for NerTrainConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NerTrainConfig")
            .field("iterations", &self.iterations)
            .field("pass1_iterations", &self.pass1_iterations)
            .field("seed", &self.seed)
            .field("min_count", &self.min_count)
            .field("folds", &self.folds)
            .field("features", &self.features)
            .field("weights", &self.weights)
            .field("prune", &self.prune)
            .field("ensemble", &self.ensemble)
            .field("margin", &self.margin)
            .field("word_dropout", &self.word_dropout)
            .field("feature_dropout", &self.feature_dropout)
            .field("clusters", &self.clusters.as_ref().map(|c| c.len()))
            .field("lexicon", &self.lexicon.as_ref().map(|l| l.summary()))
            .field("stack", &self.stack.as_ref().map(|m| m.meta.data.clone()))
            .finish()
    }
}

/// What a model file records besides its tables.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NerMeta {
    /// The BILOU label names, in class order.
    pub labels: Vec<String>,
    /// The feature templates the model uses.
    pub features: FeatureSwitches,
    /// Names of the training data.
    pub data: Vec<String>,
    /// The serialisable part of the [`NerTrainConfig`] it was trained with.
    pub config: serde_json::Value,
    /// Dev F1 per epoch of pass 1 (empty without dev data).
    pub dev_f1_pass1: Vec<f32>,
    /// Dev F1 per epoch of pass 2 (empty without dev data).
    pub dev_f1_pass2: Vec<f32>,
    /// The epoch of pass 1 kept, from 1: the best on dev, or the last without dev data.
    pub best_epoch_pass1: usize,
    /// The epoch of pass 2 kept, as for pass 1 (0 when the model has no pass 2).
    pub best_epoch_pass2: usize,
    /// Confidence = sigmoid(margin / temperature - offset).
    pub temperature: f32,
    /// See `temperature`.
    pub offset: f32,
    /// External lexicons stored in the file: list name and entry count (absent in files
    /// written before lexicons existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lexicons: Vec<(String, usize)>,
    /// With an ensemble: dev F1 of the averaged pass 1 and pass 2 (the per-epoch figures
    /// above are member 0's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dev_f1_ensemble: Vec<f32>,
    /// With stacking: the inner model's training data (the model itself is section
    /// `stack`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stack_data: Vec<String>,
    /// With voting: the training data of each further member (the members themselves are
    /// the `vote` sections, in this order).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vote_data: Vec<Vec<String>>,
}

/// Why a stacked model is refused: one level only, so loading and tagging are bounded.
pub(super) const STACK_DEPTH: &str =
    "stack: the inner model stacks a model itself; only one level of stacking is allowed";
/// Why a voting model is refused: members do not vote, so loading and tagging are bounded.
pub(super) const VOTE_DEPTH: &str =
    "vote: a member model holds voting members itself; only one level of voting is allowed";
/// Why a cluster table read for the POS tagger or the parser is refused.
const CLUSTER_STYLE: &str =
    "clusters: read in the POS tagger's style; the NER model reads them with WordClusters::load";
/// Why a stacked model is refused: its inner model neither stacks nor votes.
pub(super) const STACK_VOTES: &str =
    "stack: the inner model holds voting members; an inner model may not vote";
