//! Progress of long runs: the library reports [`Event`]s through a [`Progress`] the caller
//! gives, and the caller (the binary) decides how to show them.

use std::path::Path;
use std::sync::Arc;

/// Something a training or evaluation run reports while it runs.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Event<'a> {
    /// POS training starts: training sentences and tokens, dev sentences.
    PosTraining {
        /// Training sentences.
        sentences: usize,
        /// Training tokens.
        tokens: usize,
        /// Dev sentences.
        dev_sentences: usize,
    },
    /// A POS training epoch ended.
    PosEpoch {
        /// The epoch, from 1.
        epoch: usize,
        /// Training accuracy in percent, when measured.
        train: Option<f64>,
        /// Dev UPOS and XPOS accuracy in percent, with dev data.
        dev: Option<(f64, f64)>,
    },
    /// One NER model's training starts: its training documents and sentences, dev
    /// documents.
    NerTraining {
        /// Training documents.
        documents: usize,
        /// Training sentences.
        sentences: usize,
        /// Dev documents.
        dev_documents: usize,
    },
    /// A line of NER training progress, as `kith_nlp::NerModel::train` words it.
    NerMessage(&'a str),
    /// A voting member's training starts (after the model that holds it).
    VotingMember {
        /// The member's config file.
        config: &'a Path,
    },
    /// Jackknifing: one fold of the parser's training data was tagged by a POS model
    /// trained on the others.
    JackknifeFold {
        /// The fold, from 1.
        fold: usize,
        /// Folds in all.
        folds: usize,
        /// Sentences in this fold.
        sentences: usize,
    },
    /// Jackknifing is done: share of training tokens whose predicted UPOS and XPOS are
    /// both the gold ones, in percent.
    JackknifeAccuracy {
        /// The share, in percent.
        percent: f64,
    },
    /// Parser training starts.
    ParserTraining {
        /// Training sentences.
        sentences: usize,
        /// Training words.
        words: usize,
        /// Dev sentences.
        dev_sentences: usize,
        /// Whether dev is parsed with predicted tags (else gold ones).
        predicted_tags: bool,
    },
    /// A parser training epoch ended.
    ParserEpoch {
        /// The epoch, from 1.
        epoch: usize,
        /// Share of training arcs right, in percent, when measured.
        train: Option<f64>,
        /// Dev UAS and LAS in percent, with dev data.
        dev: Option<(f64, f64)>,
    },
    /// The CoNLL04 relation classifier's training data was read.
    ClassifierData {
        /// Candidate pairs found.
        pairs: usize,
        /// The CoNLL04 file.
        path: &'a Path,
    },
    /// Relation-model training data analysed.
    RelationData {
        /// Passages read.
        passages: usize,
        /// Candidate pairs whose types some predicate takes.
        pairs: usize,
        /// Pairs a gold fact joins.
        positive: usize,
    },
}

/// Where a run reports its [`Event`]s: a shared callback (NER training calls it from its
/// own threads).
#[derive(Clone)]
pub struct Progress(Arc<dyn Fn(&Event<'_>) + Send + Sync>);

impl Progress {
    /// Reports each event to `f`.
    pub fn new(f: impl Fn(&Event<'_>) + Send + Sync + 'static) -> Progress {
        Progress(Arc::new(f))
    }

    /// Reports nothing.
    pub fn silent() -> Progress {
        Progress::new(|_| {})
    }

    pub(crate) fn emit(&self, event: Event<'_>) {
        (self.0)(&event)
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}
