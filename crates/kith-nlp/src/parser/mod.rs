//! Labeled dependency parsing: a greedy transition-based parser (arc-hybrid with the root
//! at the end, [`transition`]) trained with a dynamic oracle and averaged perceptrons.
//!
//! * Two classifiers: one picks the action (`SHIFT`, `LEFT`, `RIGHT`) from rich
//!   Zhang & Nivre style features ([`features::action_features`]); when the action makes
//!   an arc, a second one picks its Universal Dependencies relation (with subtypes:
//!   `nsubj:pass`, `obl:tmod`, ...) from features of the head, the dependent and the
//!   dependent's complete subtree ([`features::label_features`]). Splitting them keeps the
//!   action table at 3 weights per feature instead of one per (action, relation) pair —
//!   about 35x smaller and faster — and the relation classifier sees the dependent's
//!   finished dependents (its `case` word decides `obl` vs `obl:tmod`, say).
//! * Input: words and their predicted XPOS/UPOS ([`crate::Doc::pos`]); word clusters
//!   (`data/clusters/`) when the model was trained with them (stored in the file).
//! * Training ([`train`]): online, Goldberg & Nivre's dynamic oracle with exploration —
//!   from the second epoch the parser follows its own (possibly wrong) predictions, so it
//!   learns to continue well after mistakes, as it must at run time.
//! * Time: `2n` transitions for `n` words, each a fixed number of feature lookups: linear,
//!   whatever the sentence (2,000 words, lists of names, pure punctuation).
//! * Model file: kind [`PARSER_KIND`] ([`io`]), `i16` weights, relation names in the
//!   metadata, checked against [`UD_RELATIONS`] at load.
//!
//! [`DependencyParser`] is the pipeline component (name `parser`): it fills [`Doc::deps`].
//!
//! [`Doc::deps`]: crate::Doc::deps

mod component;
mod features;
mod io;
mod table;
#[cfg(test)]
mod tests;
mod train;
mod transition;

pub use component::DependencyParser;
pub use train::ParserTrainConfig;

use crate::model::{argmax, Weights, WordClusters};
use crate::PosTag;
use features::{action_features, label_features, prepare, Tok};
use table::{ActionTable, RowTable};
use transition::{State, LEFT, NONE, N_ACTIONS, RIGHT};

/// The model kind written in parser model files.
pub const PARSER_KIND: &str = "parser";

/// Universal Dependencies relations, with the subtypes GUM and EWT use. Relations of a
/// model are interned here (so [`crate::Dependency::label`] can be `&'static str`); a
/// model naming a relation not listed is refused at load.
pub const UD_RELATIONS: &[&str] = &[
    "acl",
    "acl:relcl",
    "advcl",
    "advcl:relcl",
    "advmod",
    "amod",
    "appos",
    "aux",
    "aux:pass",
    "case",
    "cc",
    "cc:preconj",
    "ccomp",
    "clf",
    "compound",
    "compound:prt",
    "conj",
    "cop",
    "csubj",
    "csubj:outer",
    "csubj:pass",
    "dep",
    "det",
    "det:poss",
    "det:predet",
    "discourse",
    "dislocated",
    "expl",
    "fixed",
    "flat",
    "flat:foreign",
    "goeswith",
    "iobj",
    "list",
    "mark",
    "nmod",
    "nmod:desc",
    "nmod:npmod",
    "nmod:poss",
    "nmod:tmod",
    "nmod:unmarked",
    "nsubj",
    "nsubj:outer",
    "nsubj:pass",
    "nummod",
    "obj",
    "obl",
    "obl:agent",
    "obl:npmod",
    "obl:tmod",
    "obl:unmarked",
    "orphan",
    "parataxis",
    "punct",
    "reparandum",
    "root",
    "vocative",
    "xcomp",
];

/// The interned relation name, if it is one of [`UD_RELATIONS`].
pub fn ud_relation(name: &str) -> Option<&'static str> {
    UD_RELATIONS.iter().find(|r| **r == name).copied()
}

/// A sentence with its dependency tree: words, gold tags, heads (word index in the
/// sentence, `None` for the root) and relations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DepSentence {
    /// The words.
    pub words: Vec<String>,
    /// One Universal POS tag per word.
    pub upos: Vec<String>,
    /// One Penn Treebank tag per word.
    pub xpos: Vec<String>,
    /// One head per word: a word index in the sentence, `None` for the root.
    pub heads: Vec<Option<usize>>,
    /// One Universal Dependencies relation per word (the arc to its head).
    pub labels: Vec<String>,
}

impl DepSentence {
    /// The gold tags as [`PosTag`]s.
    pub fn tags(&self) -> Vec<PosTag> {
        self.upos
            .iter()
            .zip(&self.xpos)
            .map(|(u, x)| PosTag::new(u, x))
            .collect()
    }
}

/// One word's parse: head (word index in the sentence, `None` for the root) and relation.
pub type WordArc = (Option<usize>, &'static str);

/// A trained parser.
#[derive(Clone, Debug)]
pub struct ParserModel {
    /// Relation names, by id.
    labels: Vec<&'static str>,
    actions: Weights,
    relations: Weights,
    clusters: Option<WordClusters>,
    meta: serde_json::Value,
    /// Checksum of the file it was read from.
    checksum: Option<u64>,
    /// The run-time form of `actions` and `relations`, built on first use (at load for a
    /// model read from a file).
    tables: std::sync::OnceLock<(ActionTable, RowTable)>,
}

/// Reusable buffers of one parse.
#[derive(Default)]
struct Scratch {
    toks: Vec<Tok>,
    feats: Vec<u64>,
    state: Option<State>,
    scores: Vec<f32>,
    rows: Vec<u32>,
}

impl ParserModel {
    /// Relation names the model predicts.
    pub fn labels(&self) -> &[&'static str] {
        &self.labels
    }

    /// The word clusters the model was trained with, if any.
    pub fn clusters(&self) -> Option<&WordClusters> {
        self.clusters.as_ref()
    }

    /// Parses one sentence given its tags (one per word); returns one arc per word.
    pub fn parse(&self, words: &[&str], tags: &[PosTag]) -> Vec<WordArc> {
        let mut scratch = Scratch::default();
        self.parse_with(words, tags, &mut scratch)
    }

    fn parse_with(&self, words: &[&str], tags: &[PosTag], sc: &mut Scratch) -> Vec<WordArc> {
        assert_eq!(words.len(), tags.len(), "one tag per word");
        let n = words.len();
        if n == 0 {
            return Vec::new();
        }
        let xpos: Vec<&str> = tags.iter().map(|t| t.xpos).collect();
        let upos: Vec<&str> = tags.iter().map(|t| t.upos).collect();
        prepare(words, &xpos, &upos, self.clusters.as_ref(), &mut sc.toks);
        let st = sc.state.get_or_insert_with(|| State::new(0));
        st.reset(n);
        sc.scores.resize(self.labels.len(), 0.0);
        let (actions, relations) = self.tables();
        while !st.terminal() {
            action_features(&sc.toks, st, &mut sc.feats);
            let action_scores = actions.scores(&sc.feats);
            let action = best_valid(&action_scores, st.valid());
            let label = if action == LEFT || action == RIGHT {
                let (h, d) = st.arc(action);
                label_features(&sc.toks, st, h, d, &mut sc.feats);
                relations.scores(&sc.feats, &mut sc.rows, &mut sc.scores);
                self.best_label(&sc.scores, h == st.n)
            } else {
                0
            };
            st.apply(action, label);
        }
        (0..n)
            .map(|i| {
                (
                    if st.heads[i] == st.n || st.heads[i] == NONE {
                        None
                    } else {
                        Some(st.heads[i] as usize)
                    },
                    self.labels[st.labels[i] as usize],
                )
            })
            .collect()
    }

    fn tables(&self) -> &(ActionTable, RowTable) {
        self.tables.get_or_init(|| {
            (
                ActionTable::build(&self.actions),
                RowTable::build(&self.relations),
            )
        })
    }

    /// Sets the weight tables (training).
    fn set_weights(&mut self, actions: Weights, relations: Weights) {
        self.actions = actions;
        self.relations = relations;
        self.tables = std::sync::OnceLock::new();
    }

    /// The best relation; `root` exactly when the head is the root.
    fn best_label(&self, scores: &[f32], to_root: bool) -> u16 {
        let root = self.labels.iter().position(|l| *l == "root");
        match (to_root, root) {
            (true, Some(r)) => r as u16,
            (false, Some(r)) => {
                let mut best = usize::MAX;
                for (i, s) in scores.iter().enumerate() {
                    if i != r && (best == usize::MAX || *s > scores[best]) {
                        best = i;
                    }
                }
                best as u16
            }
            (_, None) => argmax(scores) as u16,
        }
    }

    /// Unlabeled and labeled attachment scores (percent, punctuation by gold UPOS
    /// excluded) on gold trees, parsed with `tags` (one per sentence) or the gold tags.
    pub fn attachment(&self, sents: &[DepSentence], tags: Option<&[Vec<PosTag>]>) -> (f64, f64) {
        let mut sc = Scratch::default();
        let (mut n, mut u, mut l) = (0usize, 0usize, 0usize);
        for (k, s) in sents.iter().enumerate() {
            let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
            let gold_tags;
            let t = match tags {
                Some(t) => &t[k],
                None => {
                    gold_tags = s.tags();
                    &gold_tags
                }
            };
            for (i, (h, lab)) in self.parse_with(&words, t, &mut sc).into_iter().enumerate() {
                if s.upos[i] == "PUNCT" {
                    continue;
                }
                n += 1;
                if h == s.heads[i] {
                    u += 1;
                    l += (lab == s.labels[i]) as usize;
                }
            }
        }
        if n == 0 {
            (0.0, 0.0)
        } else {
            (100.0 * u as f64 / n as f64, 100.0 * l as f64 / n as f64)
        }
    }

    /// Training facts and scores recorded in the file (JSON).
    pub fn meta(&self) -> &serde_json::Value {
        &self.meta
    }

    /// Adds a key to the metadata (e.g. dev scores, data description).
    pub fn set_meta(&mut self, key: &str, value: serde_json::Value) {
        crate::model::ModelFile::set_meta(&mut self.meta, key, value);
    }

    /// Rows in the two weight tables.
    pub fn n_features(&self) -> (usize, usize) {
        (self.actions.len(), self.relations.len())
    }
}

/// The highest-scoring valid action (the first on ties).
#[inline]
fn best_valid(scores: &[f32; N_ACTIONS], valid: [bool; N_ACTIONS]) -> usize {
    let mut best = usize::MAX;
    for a in 0..N_ACTIONS {
        if valid[a] && (best == usize::MAX || scores[a] > scores[best]) {
            best = a;
        }
    }
    best
}
