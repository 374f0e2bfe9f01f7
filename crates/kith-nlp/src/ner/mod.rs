//! The statistical named-entity recognizer.
//!
//! A two-pass structured averaged perceptron over BILOU labels (O plus B/I/L/U of Person,
//! Organization, Location, Event, Other), decoded by first-order Viterbi under
//! valid-transition constraints (`labels`).
//!
//! * Pass 1 tags every sentence of a document with local features (`features`: word,
//!   lower case, 1–4 character prefixes and suffixes, long and short word shape,
//!   sentence-initial, headline (all-caps sentence), ±2 word window and shapes,
//!   gazetteer membership from [`crate::GazetteerTagger`]'s spans, name lists derived
//!   from the training data (`name_lists`), word clusters, and learned label transitions).
//! * Pass 2 adds document-level features from pass 1's output (Ratinov & Roth style):
//!   pass-1 labels of the token and its neighbours, and, for a capitalised word, the
//!   majority type pass 1 gave its *other* occurrences in the document and the type of
//!   multi-token names they were part of (`document`) — so `Rubio` after `Marco Rubio`
//!   leans Person.
//!   Optional (switches): context aggregation — the lower-case words at ±1, ±2 around the
//!   word's other capitalised occurrences — and the share of each type pass 1 gave them;
//!   the document's topic (its first word) × cluster, shape, lexicon codes (both passes)
//!   and pass-1 label. Pass-1 switches measured on CoNLL-2003 and left off: sentence type
//!   (tables, line-ups) and character n-grams.
//!   To train pass 2 on realistic pass-1 output, pass-1 labels of the training data come
//!   from models trained on the other folds (jackknifing); name lists are jackknifed the
//!   same way, so features never see their own sentence's gold labels.
//! * Stacking (optional, Florian et al. 2003): an inner NER model trained on other data,
//!   stored whole in the file (section `stack`), tags the document first; its type of
//!   each token is a feature of both passes. The inner model may not stack one itself.
//! * Voting (optional, `vote`): further whole models stored in the file (sections
//!   `vote`), each decoded on its own; the spans more than half of all the members give
//!   are kept. Members may stack; they may not vote themselves.
//!
//! **Runtime** (`decode`): the two passes' weight tables are fused at load into one
//! open-addressing table (`fused`): one lookup per static feature in pass 1 also
//! gathers its pass-2 weights, so pass 2 only looks up its few document features; lookups
//! are resolved a sentence at a time with prefetching. Buffers are reused across
//! sentences.
//!
//! **Training** (`train`, settings in `config`) options beyond the features:
//! per-document oversampling ([`NerTrainConfig::doc_repeat`], `repeat = N` on a
//! `kith train` source; copies share their document's fold), pruning of small weight rows ([`NerTrainConfig::prune`]),
//! seed ensembles ([`NerTrainConfig::ensemble`]: each pass, and each jackknife fold model,
//! is the mean of N perceptrons trained on different shuffles, trained in parallel and
//! summed in member order, so the bytes do not depend on the thread count), feature
//! dropout ([`NerTrainConfig::feature_dropout`]: each emission feature of a training token
//! left out of an update, from its own seeded stream, so shuffles and bytes stay
//! reproducible; transition weights kept), and two learning tweaks measured and left off
//! ([`NerTrainConfig::margin`], [`NerTrainConfig::word_dropout`]).
//!
//! **Confidence** of a span: `sigmoid(m / T - c)`, where `m` is the smallest, over the
//! span's tokens, max-marginal margin — the score of the best path minus the score of
//! the best valid path that labels that token differently — and `T`, `c` are fitted on
//! dev data at training (log loss of "this span is exactly right"; `T = 1, c = 0`
//! without dev data).
//!
//! Model files are read and written in `io`; [`NerTagger`] (`component`) is the
//! pipeline component.

mod component;
mod config;
mod consistency;
mod decode;
mod document;
mod features;
mod fused;
mod io;
mod labels;
pub(crate) mod lexicon;
mod name_lists;
mod train;
mod vote;

pub use crate::model::WordClusters;
pub use component::{institution_type, NerTagger};
pub use config::{NerMeta, NerTrainConfig, ProgressFn};
pub use consistency::one_type_per_name;
pub use features::FeatureSwitches;
pub use lexicon::Lexicon;
pub use name_lists::NameLists;

use crate::model::Weights;
use config::VOTE_DEPTH;
use fused::Fused;
use labels::Decoder;
use std::sync::Arc;

/// The model kind written in NER model files.
pub const NER_KIND: &str = "ner";
/// The `source` of spans the recognizer writes.
pub const NER_SOURCE: &str = "ner";

/// A sentence with one BIO tag per word (`B-Person`, `I-Organization`, `O`, ...; the usual
/// data-set type names `PER`, `ORG`, `LOC`, `MISC` are accepted too).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TaggedSentence {
    /// The words.
    pub words: Vec<String>,
    /// One BIO tag per word.
    pub tags: Vec<String>,
}

/// A document of tagged sentences (document-level features look across its sentences).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TaggedDocument {
    /// The sentences, in document order.
    pub sentences: Vec<TaggedSentence>,
}

/// A trained recognizer.
#[derive(Clone, Debug)]
pub struct NerModel {
    switches: FeatureSwitches,
    /// The tables below are shared (`Arc`) by voting members that hold the same ones.
    names: Arc<NameLists>,
    clusters: Option<Arc<WordClusters>>,
    lexicon: Arc<Lexicon>,
    /// Stacking: the inner model run first, whose types are features (`stack_types`).
    stack: Option<Arc<NerModel>>,
    /// Voting: the further members; this model is the first. Empty: no voting.
    voters: Vec<NerModel>,
    pass1: Weights,
    pass2: Option<Weights>,
    decoder1: Decoder,
    decoder2: Option<Decoder>,
    /// Both passes' weights in one table (one lookup per static feature serves both).
    fused: Fused,
    meta: NerMeta,
}

pub use crate::doc::NerSpan;

impl NerModel {
    #[allow(clippy::too_many_arguments)]
    fn assemble(
        switches: FeatureSwitches,
        names: Arc<NameLists>,
        clusters: Option<Arc<WordClusters>>,
        lexicon: Arc<Lexicon>,
        stack: Option<Arc<NerModel>>,
        pass1: Weights,
        pass2: Option<Weights>,
        meta: NerMeta,
    ) -> NerModel {
        let decoder1 = train::decoder_of(&pass1);
        let decoder2 = pass2.as_ref().map(train::decoder_of);
        let fused = Fused::build(&pass1, pass2.as_ref());
        NerModel {
            switches,
            names,
            clusters,
            lexicon,
            stack,
            voters: Vec::new(),
            pass1,
            pass2,
            decoder1,
            decoder2,
            fused,
            meta,
        }
    }

    /// This model as the first member of a voting ensemble with `voters` (see `vote.rs`).
    /// Refused when a voter holds members of its own: voting is one level deep.
    pub fn with_voters(mut self, voters: Vec<NerModel>) -> Result<NerModel, String> {
        if voters.iter().any(|m| !m.voters.is_empty()) {
            return Err(VOTE_DEPTH.into());
        }
        self.voters.extend(voters);
        self.meta.vote_data = self.voters.iter().map(|m| m.meta.data.clone()).collect();
        Ok(self)
    }

    /// The further members of a voting model (empty without voting).
    pub fn voters(&self) -> &[NerModel] {
        &self.voters
    }

    /// What the model file records besides its tables: labels, features, training data
    /// and scores.
    pub fn meta(&self) -> &NerMeta {
        &self.meta
    }

    /// The inner model of a stacked model.
    pub fn stacked(&self) -> Option<&NerModel> {
        self.stack.as_deref()
    }

    /// Rows in the weight tables (pass 1, pass 2), name-list words, cluster words.
    pub fn sizes(&self) -> (usize, usize, usize, usize) {
        (
            self.pass1.len(),
            self.pass2.as_ref().map_or(0, |w| w.len()),
            self.names.entries.len(),
            self.clusters.as_ref().map_or(0, |c| c.len()),
        )
    }
}

#[cfg(test)]
mod tests;
