//! The statistical named-entity recognizer.
//!
//! A two-pass structured averaged perceptron over BILOU labels (O plus B/I/L/U of Person,
//! Organization, Location, Event, Other), decoded by first-order Viterbi under
//! valid-transition constraints (`labels.rs`).
//!
//! * Pass 1 tags every sentence of a document with local features (`features.rs`: word,
//!   lower case, 1–4 character prefixes and suffixes, long and short word shape,
//!   sentence-initial, headline (all-caps sentence), ±2 word window and shapes,
//!   gazetteer membership from [`crate::GazetteerTagger`]'s spans, name lists derived
//!   from the training data, word clusters, and learned label transitions).
//! * Pass 2 adds document-level features from pass 1's output (Ratinov & Roth style):
//!   pass-1 labels of the token and its neighbours, and, for a capitalised word, the
//!   majority type pass 1 gave its *other* occurrences in the document and the type of
//!   multi-token names they were part of — so `Rubio` after `Marco Rubio` leans Person.
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
//! * Voting (optional, `vote.rs`): further whole models stored in the file (sections
//!   `vote`), each decoded on its own; the spans more than half of all the members give
//!   are kept. Members may stack; they may not vote themselves.
//!
//! **Runtime**: the two passes' weight tables are fused at load into one open-addressing
//! table ([`Fused`]): one lookup per static feature in pass 1 also gathers its pass-2
//! weights, so pass 2 only looks up its few document features; lookups are resolved a
//! sentence at a time with prefetching. Buffers are reused across sentences.
//!
//! **Training options** beyond the features: per-document oversampling
//! ([`NerTrainConfig::doc_repeat`], `repeat = N` on a `kith train` source; copies share
//! their document's fold), pruning of small weight rows ([`NerTrainConfig::prune`]),
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

mod features;
mod labels;
pub mod lexicon;
mod train;
mod vote;

pub use features::{FeatureSwitches, NameLists, WordClusters};
pub use labels::{N_LABELS as NER_LABELS, TYPES as NER_TYPES};
pub use lexicon::Lexicon;

use crate::model::format::{Reader, Writer};
use crate::model::{prefetch_lines, ModelError, ModelFile, ModelView, Slots, Weights, WeightsKind};
use crate::{Component, Doc, EntitySpan, Gazetteer, GazetteerTagger, Sentence, Token, TokenKind};
use features::{doc_topic, lexicon_codes, sentence_features, token_infos, DocStats, TokInfo};
use kith_schema::{DocId, EntityType};
use labels::{bilou_spans, Decoder, N_LABELS, TYPES};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The model kind written in NER model files.
pub const NER_KIND: &str = "ner";
/// The `source` of spans the recognizer writes.
pub const NER_SOURCE: &str = "ner";
/// Sentences longer than this are decoded in pieces (bounds memory; keeps linear time).
const MAX_PIECE: usize = 1000;

/// A sentence with one BIO tag per word (`B-Person`, `I-Organization`, `O`, ...; the usual
/// data-set type names `PER`, `ORG`, `LOC`, `MISC` are accepted too).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TaggedSentence {
    pub words: Vec<String>,
    pub tags: Vec<String>,
}

/// A document of tagged sentences (document-level features look across its sentences).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TaggedDocument {
    pub sentences: Vec<TaggedSentence>,
}

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
    pub seed: u64,
    /// Features seen fewer times in training are dropped.
    pub min_count: u32,
    /// A word joins a name list after this many occurrences in that role.
    pub name_list_min_count: u32,
    /// Folds for jackknifed pass-1 labels and name lists.
    pub folds: usize,
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
    pub labels: Vec<String>,
    pub features: FeatureSwitches,
    pub data: Vec<String>,
    pub config: serde_json::Value,
    /// Dev F1 per epoch of pass 1 and pass 2 (empty without dev data).
    pub dev_f1_pass1: Vec<f32>,
    pub dev_f1_pass2: Vec<f32>,
    pub best_epoch_pass1: usize,
    pub best_epoch_pass2: usize,
    /// Confidence = sigmoid(margin / temperature - offset).
    pub temperature: f32,
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
const STACK_DEPTH: &str =
    "stack: the inner model stacks a model itself; only one level of stacking is allowed";
/// Why a voting model is refused: members do not vote, so loading and tagging are bounded.
const VOTE_DEPTH: &str =
    "vote: a member model holds voting members itself; only one level of voting is allowed";
/// Why a stacked model is refused: its inner model neither stacks nor votes.
const STACK_VOTES: &str =
    "stack: the inner model holds voting members; an inner model may not vote";

/// Where a model file sits, for the sections it may hold.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Nesting {
    /// A file of its own: may stack and vote.
    Top,
    /// A voting member: may stack, not vote.
    Voter,
    /// A stacked inner model: neither.
    Inner,
}

/// The tables a voting member may share with the model and the members before it.
const SHARED_TABLES: [&str; 3] = ["names", "clusters16", "lexicon"];
/// Why a shared cluster table is refused.
const SAME_NO_CLUSTERS: &str = "section `same`: the member it names holds no section `clusters16`";
/// Why a shared lexicon is refused.
const SAME_NO_LEXICON: &str = "section `same`: the member it names holds no section `lexicon`";

/// A model's tables as parsed, for the voting members after it that share them.
#[derive(Clone)]
struct Tables {
    names: Arc<NameLists>,
    clusters: Option<Arc<WordClusters>>,
    lexicon: Arc<Lexicon>,
}

/// Moves `file`'s tables that equal one in `held` into a section `same` (table name and
/// holder, in `SHARED_TABLES` order) and records the others as held by `holder`.
fn share_tables(file: &mut ModelFile, held: &mut Vec<(String, Vec<u8>, u32)>, holder: u32) {
    let mut same = Writer::default();
    let mut count = 0u32;
    for table in SHARED_TABLES {
        let Some(at) = file.sections.iter().position(|(n, _)| n == table) else {
            continue;
        };
        match held
            .iter()
            .find(|(n, b, _)| n == table && *b == file.sections[at].1)
        {
            Some((_, _, h)) => {
                same.str(table);
                same.u32(*h);
                count += 1;
                file.sections.remove(at);
            }
            None => held.push((table.to_string(), file.sections[at].1.clone(), holder)),
        }
    }
    if count > 0 {
        let mut w = Writer::default();
        w.u32(count);
        w.bytes(&same.buf);
        file.sections.insert(0, ("same".to_string(), w.buf));
    }
}

/// Section `same`: each shared table's name and holder (an index into `earlier`), every
/// name one of `SHARED_TABLES`, once, and not also a section of `file`.
fn read_same(
    r: &mut Reader<'_>,
    file: &ModelView<'_>,
    earlier: &[Tables],
) -> Result<Vec<(String, Tables)>, ModelError> {
    let count = r.u32()? as usize;
    let mut out: Vec<(String, Tables)> = Vec::new();
    for _ in 0..count {
        let table = r.string()?;
        let holder = r.u32()? as usize;
        if !SHARED_TABLES.contains(&table.as_str()) || out.iter().any(|(t, _)| *t == table) {
            return Err(r.corrupt(format!(
                "section `same`: unexpected or repeated table `{table}`"
            )));
        }
        // The older wide `clusters` section is a cluster table too.
        let held = |n: &str| n == table || (table == "clusters16" && n == "clusters");
        if file.sections.iter().any(|(n, _)| held(n)) {
            return Err(r.corrupt(format!(
                "section `same`: table `{table}` is also a section of its own"
            )));
        }
        let Some(t) = earlier.get(holder) else {
            return Err(r.corrupt(format!(
                "section `same`: table `{table}` refers to member {holder}, but only {} precede this one",
                earlier.len()
            )));
        };
        out.push((table, t.clone()));
    }
    if !r.at_end() {
        return Err(r.corrupt("section `same`: bytes after the last entry".into()));
    }
    Ok(out)
}

/// Section `section` of a file read by `read`, if the file holds it; errors name it.
fn own_table<T>(
    name: &Path,
    file: &ModelView<'_>,
    section: &str,
    read: impl FnOnce(&mut Reader<'_>) -> Result<T, ModelError>,
) -> Result<Option<Arc<T>>, ModelError> {
    let Some((_, b)) = file.sections.iter().find(|(n, _)| n == section) else {
        return Ok(None);
    };
    read(&mut Reader::new(b, name))
        .map(|t| Some(Arc::new(t)))
        .map_err(|e| in_section(section, e))
}

/// A damaged or truncated section's error, naming the section: a voting file holds
/// several tables of each kind, and the file name alone does not say which one failed.
fn in_section(section: &str, e: ModelError) -> ModelError {
    match e {
        ModelError::Corrupt { path, message } if !message.starts_with("section `") => {
            ModelError::Corrupt { path, message: format!("section `{section}`: {message}") }
        }
        ModelError::Truncated { path, offset, needed } => ModelError::Corrupt {
            path,
            message: format!("section `{section}` is truncated ({needed} more bytes needed at offset {offset} of the section)"),
        },
        e => e,
    }
}

/// The tables of each of `files` (a file, then its voting members), in order: a file's
/// own table sections, or those its section `same` shares with the files before it.
fn read_tables(files: &[(&Path, &ModelView<'_>)]) -> Result<Vec<Tables>, ModelError> {
    let mut tables: Vec<Tables> = Vec::with_capacity(files.len());
    for (name, file) in files {
        let corrupt = |m: String| ModelError::Corrupt {
            path: name.to_path_buf(),
            message: m,
        };
        let same = match file.sections.iter().find(|(n, _)| n == "same") {
            Some((_, b)) => read_same(&mut Reader::new(b, name), file, &tables)?,
            None => Vec::new(),
        };
        let shared = |table: &str| same.iter().find(|(s, _)| s == table).map(|(_, t)| t);
        let names = match shared("names") {
            Some(t) => t.names.clone(),
            None => own_table(name, file, "names", NameLists::read_from)?
                .ok_or_else(|| corrupt("missing section `names`".into()))?,
        };
        // The older `clusters` section (u32 ids) counts only without `clusters16`.
        let clusters = match shared("clusters16") {
            Some(t) => Some(
                t.clusters
                    .clone()
                    .ok_or_else(|| corrupt(SAME_NO_CLUSTERS.into()))?,
            ),
            None => match own_table(name, file, "clusters16", |r| {
                WordClusters::read_from(r, false)
            })? {
                Some(own) => Some(own),
                None => own_table(name, file, "clusters", |r| WordClusters::read_from(r, true))?,
            },
        };
        // Lexicons are written only when not empty, so an empty one has no holder.
        let lexicon = match shared("lexicon") {
            Some(t) if t.lexicon.is_empty() => return Err(corrupt(SAME_NO_LEXICON.into())),
            Some(t) => t.lexicon.clone(),
            None => own_table(name, file, "lexicon", Lexicon::read_from)?.unwrap_or_default(),
        };
        tables.push(Tables {
            names,
            clusters,
            lexicon,
        });
    }
    Ok(tables)
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

/// Pass-1 and pass-2 weights fused: key → one row of `2 * N_LABELS` quantised weights
/// (pass 1's, then pass 2's; `N_LABELS` without pass 2), each pass with its own scale.
///
/// The index ([`Slots`]: key → row) is prefetched a sentence at a time.
#[derive(Clone, Debug, Default)]
struct Fused {
    slots: Slots<u32>,
    w: Vec<i16>,
    width: usize,
    scale1: f32,
    scale2: f32,
}

impl Fused {
    fn build(pass1: &Weights, pass2: Option<&Weights>) -> Fused {
        let n = N_LABELS;
        let width = if pass2.is_some() { 2 * n } else { n };
        let (q1, scale1) = pass1.as_i16();
        let (q2, scale2) = match pass2 {
            Some(w) => w.as_i16(),
            None => (std::borrow::Cow::Borrowed(&[][..]), 1.0),
        };
        let k1 = pass1.keys();
        let k2: &[u64] = pass2.map_or(&[], |w| w.keys());
        let mut keys: Vec<u64> = Vec::with_capacity(k1.len().max(k2.len()) * 5 / 4);
        let mut w: Vec<i16> = Vec::with_capacity((k1.len().max(k2.len()) * 5 / 4) * width);
        let (mut i, mut j) = (0, 0);
        while i < k1.len() || j < k2.len() {
            let a = k1.get(i).copied();
            let b = k2.get(j).copied();
            let key = match (a, b) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) => a,
                (None, Some(b)) => b,
                (None, None) => unreachable!(),
            };
            let at = w.len();
            w.resize(at + width, 0);
            if a == Some(key) {
                w[at..at + n].copy_from_slice(&q1[i * n..i * n + n]);
                i += 1;
            }
            if b == Some(key) {
                w[at + n..at + 2 * n].copy_from_slice(&q2[j * n..j * n + n]);
                j += 1;
            }
            keys.push(key);
        }
        let slots = Slots::build(
            keys.len(),
            keys.iter().enumerate().map(|(row, &key)| (key, row as u32)),
        );
        Fused {
            slots,
            w,
            width,
            scale1,
            scale2,
        }
    }

    /// Resolves `keys` to rows (`u32::MAX`: unknown) into `out`, prefetching slots first
    /// and then the rows' weights, so that the memory accesses overlap.
    fn resolve(&self, keys: &[u64], out: &mut Vec<u32>) {
        self.slots
            .resolve(keys, out, |r| prefetch_lines(self.row_at(r)));
    }

    #[inline]
    fn row_at(&self, r: u32) -> &[i16] {
        &self.w[r as usize * self.width..r as usize * self.width + self.width]
    }
}

/// `acc += row` over one pass's labels (fixed length: vectorised).
#[inline(always)]
fn add_row(acc: &mut [i32; N_LABELS], row: &[i16]) {
    let row: &[i16; N_LABELS] = row.try_into().expect("row of N_LABELS weights");
    for c in 0..N_LABELS {
        acc[c] += row[c] as i32;
    }
}

/// Something that scores features (training or frozen weights).
pub(crate) trait Scorer {
    fn add(&self, feats: &[u64], out: &mut [f32]);
    fn weight(&self, key: u64, class: usize) -> f32;
}

impl Scorer for Weights {
    #[inline]
    fn add(&self, feats: &[u64], out: &mut [f32]) {
        self.add_scores(feats, out)
    }
    fn weight(&self, key: u64, class: usize) -> f32 {
        Weights::weight(self, key, class)
    }
}

pub(crate) fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// An entity found in a sentence: tokens `start..end`, type, confidence.
pub type NerSpan = (usize, usize, EntityType, f32);

impl NerModel {
    /// Trains on `docs`; with `dev`, keeps the best epoch of each pass by dev entity F1
    /// and fits the confidence calibration. Deterministic for a given config and data.
    pub fn train(
        docs: &[TaggedDocument],
        dev: Option<&[TaggedDocument]>,
        config: &NerTrainConfig,
    ) -> NerModel {
        let log = |m: &str| {
            if let Some(p) = &config.progress {
                p(m)
            }
        };
        let mut sw = config.features;
        if config.clusters.is_none() {
            sw.clusters = false;
        }
        let lexicon = config.lexicon.clone().unwrap_or_default();
        if lexicon.is_empty() {
            sw.lexicons = false;
        }
        // A nested inner model is refused by `check`; here it is dropped, never recursed.
        let stack = config.stack.clone().filter(|m| m.stack.is_none());
        sw.stack = stack.is_some();
        let folds = config.folds.max(2);
        let mut fold_of: Vec<usize> = (0..docs.len()).map(|d| d % folds).collect();
        crate::model::Rng::new(config.seed ^ 0xF01D).shuffle(&mut fold_of);
        let lists = if sw.name_lists {
            train::fold_name_lists(
                docs,
                &fold_of,
                folds,
                config.name_list_min_count.max(1),
                config.name_list_docs.as_deref().map(Vec::as_slice),
            )
        } else {
            vec![NameLists::default(); folds + 1]
        };
        let full_names = lists[folds].clone();
        // A model shell holding what feature extraction needs.
        let mut model = NerModel::assemble(
            sw,
            Arc::new(full_names),
            config.clusters.clone(),
            if sw.lexicons { lexicon } else { Arc::default() },
            stack.clone(),
            Weights::from_parts(N_LABELS, vec![], vec![], WeightsKind::F32),
            None,
            NerMeta {
                labels: (0..N_LABELS as u8).map(labels::label_name).collect(),
                features: sw,
                data: config.data.clone(),
                config: serde_json::to_value(config).unwrap_or_default(),
                dev_f1_pass1: vec![],
                dev_f1_pass2: vec![],
                best_epoch_pass1: 0,
                best_epoch_pass2: 0,
                temperature: 1.0,
                offset: 0.0,
                lexicons: Vec::new(),
                dev_f1_ensemble: vec![],
                stack_data: stack
                    .as_ref()
                    .map(|m| m.meta.data.clone())
                    .unwrap_or_default(),
                vote_data: Vec::new(),
            },
        );
        let mut sents = Vec::new();
        let own_fold = |d: usize| &lists[fold_of[d]];
        train::prepare(docs, &own_fold, &model, &mut sents);
        if let Some(rep) = &config.doc_repeat {
            for s in &mut sents {
                s.repeat = rep.get(s.doc).copied().unwrap_or(1).max(1);
            }
        }
        let dropped = train::prune_rare(&mut sents, false, config.min_count);
        log(&format!(
            "{} training sentences, {} rare features dropped",
            sents.len(),
            dropped
        ));
        let mut gold_counts = [0usize; TYPES.len()];
        let mut gold_seen = [0usize; TYPES.len()];
        for s in &sents {
            for (_, _, t) in bilou_spans(&s.gold) {
                gold_counts[t] += 1;
                gold_seen[t] += s.repeat as usize;
            }
        }
        log(&format!(
            "training spans (seen per epoch): {}",
            TYPES
                .iter()
                .enumerate()
                .map(|(t, ty)| format!("{} {} ({})", ty.as_str(), gold_counts[t], gold_seen[t]))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        let mut dev_sents = Vec::new();
        if let Some(dev) = dev {
            let full = |_: usize| &lists[folds];
            train::prepare(dev, &full, &model, &mut dev_sents);
        }
        let iterations = config.iterations.max(1);
        let p1_iterations = if config.pass1_iterations == 0 {
            iterations
        } else {
            config.pass1_iterations
        };
        let members = config.ensemble.max(1);
        let opts = train::PassOptions {
            margin: config.margin,
            word_dropout: config.word_dropout,
            feature_dropout: config.feature_dropout,
        };
        let threads = match config.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        // One pass's members: weights of member 0 as the single model has them; members of
        // an ensemble are kept in f32 and averaged, then pruned and quantised once.
        let member_kind = if members > 1 {
            WeightsKind::F32
        } else {
            config.weights
        };
        let finish = |ws: Vec<Weights>| -> Weights {
            if members > 1 {
                train::mean_of(&ws, config.prune, config.weights)
            } else {
                let w = ws.into_iter().next().expect("one member");
                if config.prune > 0.0 {
                    w.pruned(config.prune)
                } else {
                    w
                }
            }
        };
        let member_log = |m: usize, s: &str| {
            if members > 1 {
                log(&format!("member {}: {s}", m + 1))
            } else {
                log(s)
            }
        };
        let all: Vec<&train::Sent> = sents.iter().collect();
        let dev_refs: Vec<&train::Sent> = dev_sents.iter().collect();
        // Pass 1: the members on everything and, for jackknifing, on all folds but one;
        // one queue, so that the cores stay busy.
        let sent_fold: Vec<usize> = sents.iter().map(|s| fold_of[s.doc]).collect();
        let fold_jobs = if sw.document { folds * members } else { 0 };
        log("pass 1");
        let results = train::par_map(members + fold_jobs, threads, |j| {
            if j < members {
                let seed = config.seed + j as u64 * train::MEMBER_SEED_STEP;
                train::train_pass(
                    &all,
                    &dev_refs,
                    false,
                    iterations,
                    seed,
                    member_kind,
                    &opts,
                    &|s: &str| member_log(j, s),
                )
            } else {
                let (k, m) = ((j - members) / members, (j - members) % members);
                let part: Vec<&train::Sent> = sents
                    .iter()
                    .zip(&sent_fold)
                    .filter(|(_, f)| **f != k)
                    .map(|(s, _)| s)
                    .collect();
                let seed = config.seed + 1 + k as u64 + m as u64 * train::MEMBER_SEED_STEP;
                train::train_pass(
                    &part,
                    &[],
                    false,
                    p1_iterations,
                    seed,
                    WeightsKind::F32,
                    &opts,
                    &|_: &str| {},
                )
            }
        });
        let mut results = results.into_iter();
        let first: Vec<(Weights, Vec<f32>, usize)> = results.by_ref().take(members).collect();
        let fold_models: Vec<Weights> = (0..fold_jobs / members.max(1))
            .map(|_| {
                let ws: Vec<Weights> = results.by_ref().take(members).map(|r| r.0).collect();
                if ws.len() == 1 {
                    ws.into_iter().next().unwrap()
                } else {
                    train::mean_of(&ws, 0.0, WeightsKind::F32)
                }
            })
            .collect();
        let (dev1, best1) = (first[0].1.clone(), first[0].2);
        let w1 = finish(first.into_iter().map(|r| r.0).collect());
        model.meta.dev_f1_pass1 = dev1;
        model.meta.best_epoch_pass1 = best1;
        let dev_f1 = |w: &Weights, second: bool| {
            let (labels, _) = train::decode_all(w, &dev_refs, second);
            train::f1_of(&labels, &dev_refs)
        };
        if members > 1 && !dev_refs.is_empty() {
            let f = dev_f1(&w1, false);
            log(&format!("pass 1 ensemble of {members}: dev F1 {f:.2}"));
            model.meta.dev_f1_ensemble.push(f);
        }
        let mut final_labels: Option<train::Decoded> = None;
        if sw.document {
            // Jackknifed pass-1 labels of the training data: each fold decoded by the
            // (ensemble) model of the other folds.
            let mut labels: Vec<Vec<u8>> = vec![Vec::new(); sents.len()];
            for (k, w) in fold_models.iter().enumerate() {
                let held: Vec<usize> = (0..sents.len()).filter(|&i| sent_fold[i] == k).collect();
                let refs: Vec<&train::Sent> = held.iter().map(|&i| &sents[i]).collect();
                for (i, l) in held.into_iter().zip(train::decode_all(w, &refs, false).0) {
                    labels[i] = l;
                }
            }
            drop(fold_models);
            drop(all);
            log("jackknifed pass-1 labels done");
            train::add_doc_features(&mut sents, &labels, &sw);
            train::prune_rare(&mut sents, true, config.min_count);
            drop(dev_refs);
            if !dev_sents.is_empty() {
                let dev_refs: Vec<&train::Sent> = dev_sents.iter().collect();
                let (dev_labels, _) = train::decode_all(&w1, &dev_refs, false);
                train::add_doc_features(&mut dev_sents, &dev_labels, &sw);
            }
            log("pass 2");
            let all: Vec<&train::Sent> = sents.iter().collect();
            let dev_refs: Vec<&train::Sent> = dev_sents.iter().collect();
            let second = train::par_map(members, threads, |m| {
                let seed = config.seed + 100 + m as u64 * train::MEMBER_SEED_STEP;
                train::train_pass(
                    &all,
                    &dev_refs,
                    true,
                    iterations,
                    seed,
                    member_kind,
                    &opts,
                    &|s: &str| member_log(m, s),
                )
            });
            let (dev2, best2) = (second[0].1.clone(), second[0].2);
            let w2 = finish(second.into_iter().map(|r| r.0).collect());
            log(&format!(
                "weights kept: pass 1 {} rows, pass 2 {} rows",
                w1.len(),
                w2.len()
            ));
            model.meta.dev_f1_pass2 = dev2;
            model.meta.best_epoch_pass2 = best2;
            if !dev_refs.is_empty() {
                let decoded = train::decode_all(&w2, &dev_refs, true);
                if members > 1 {
                    let f = train::f1_of(&decoded.0, &dev_refs);
                    log(&format!("pass 2 ensemble of {members}: dev F1 {f:.2}"));
                    model.meta.dev_f1_ensemble.push(f);
                }
                final_labels = Some(decoded);
            }
            model.pass2 = Some(w2);
        } else if !dev_refs.is_empty() {
            final_labels = Some(train::decode_all(&w1, &dev_refs, false));
        }
        model.pass1 = w1;
        if let Some((labels, margins)) = final_labels {
            let dev_refs: Vec<&train::Sent> = dev_sents.iter().collect();
            let (t, c) = train::calibrate(&dev_refs, &labels, &margins);
            model.meta.temperature = t;
            model.meta.offset = c;
        }
        // Keep only the cluster entries whose features carry weight.
        if let Some(clusters) = model.clusters.as_mut().filter(|_| !config.keep_clusters) {
            let (p1, p2) = (&model.pass1, &model.pass2);
            Arc::make_mut(clusters).retain(|ids| {
                WordClusters::feature_keys(ids)
                    .iter()
                    .any(|k| p1.contains(*k) || p2.as_ref().is_some_and(|w| w.contains(*k)))
            });
        }
        model.meta.lexicons = model.lexicon.summary();
        let NerModel {
            switches,
            names,
            clusters,
            lexicon,
            stack,
            pass1,
            pass2,
            meta,
            ..
        } = model;
        NerModel::assemble(
            switches, names, clusters, lexicon, stack, pass1, pass2, meta,
        )
    }

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

    pub fn meta(&self) -> &NerMeta {
        &self.meta
    }

    /// Entities of one sentence of words (the sentence is its own document).
    pub fn tag_words(&self, words: &[&str]) -> Vec<NerSpan> {
        let gaz = gazetteer_codes_for_words(words, std::slice::from_ref(&(0..words.len())));
        self.tag_ranges(words, std::slice::from_ref(&(0..words.len())), &gaz)
    }

    /// Entities of each sentence of a document (token offsets within each sentence),
    /// with document-level features across the sentences.
    pub fn tag_document(&self, sentences: &[Vec<&str>]) -> Vec<Vec<NerSpan>> {
        let words: Vec<&str> = sentences.iter().flatten().copied().collect();
        let mut ranges = Vec::new();
        let mut at = 0;
        for s in sentences {
            ranges.push(at..at + s.len());
            at += s.len();
        }
        let gaz = gazetteer_codes_for_words(&words, &ranges);
        let spans = self.tag_ranges(&words, &ranges, &gaz);
        let mut out: Vec<Vec<NerSpan>> = vec![Vec::new(); sentences.len()];
        for (s, e, t, c) in spans {
            let i = ranges.partition_point(|r| r.end <= s);
            out[i].push((s - ranges[i].start, e - ranges[i].start, t, c));
        }
        out
    }

    /// Entities over document tokens `words`, sentences `ranges` (token ranges, sorted),
    /// gazetteer codes per token. Spans never cross a sentence. With voters, the majority
    /// of this model's and the voters' spans.
    pub(crate) fn tag_ranges(
        &self,
        words: &[&str],
        ranges: &[Range<usize>],
        gaz: &[u8],
    ) -> Vec<NerSpan> {
        let own = self.tag_ranges_alone(words, ranges, gaz);
        if self.voters.is_empty() {
            return own;
        }
        let mut all = vec![own];
        all.extend(
            self.voters
                .iter()
                .map(|m| m.tag_ranges_alone(words, ranges, gaz)),
        );
        vote::majority(&all)
    }

    /// [`NerModel::tag_ranges`] of this model alone, without its voters.
    fn tag_ranges_alone(
        &self,
        words: &[&str],
        ranges: &[Range<usize>],
        gaz: &[u8],
    ) -> Vec<NerSpan> {
        let mut infos: Vec<TokInfo> = Vec::new();
        token_infos(
            words,
            gaz,
            &self.names,
            self.clusters.as_deref(),
            &self.switches,
            &mut infos,
        );
        if self.switches.lexicons {
            lexicon_codes(&self.lexicon, words, ranges, &mut infos, &mut Vec::new());
        }
        let stack = self.stack_types(words, ranges, gaz);
        let topic = doc_topic(&infos, &self.switches);
        // Pieces: sentences, split when very long.
        let mut pieces: Vec<Range<usize>> = Vec::new();
        for r in ranges {
            let r = r.start.min(words.len())..r.end.min(words.len());
            let mut s = r.start;
            while s < r.end {
                let e = (s + MAX_PIECE).min(r.end);
                pieces.push(s..e);
                s = e;
            }
        }
        let n = N_LABELS;
        let total = words.len();
        let fused = &self.fused;
        let two = self.pass2.is_some() && self.decoder2.is_some();
        let mut labels = vec![0u8; total];
        let mut margins = vec![0f32; total];
        // Pass-2 scores of the static features, gathered during pass 1 (same lookups).
        let mut static2: Vec<i32> = if two { vec![0; total * n] } else { Vec::new() };
        let (mut feats, mut offs, mut rows) = (Vec::new(), Vec::new(), Vec::new());
        let (mut emis, mut out, mut m) = (Vec::new(), Vec::new(), Vec::new());
        let mut decoder = self.decoder1.clone();
        for p in &pieces {
            feats.clear();
            offs.clear();
            sentence_features(
                &words[p.clone()],
                &infos[p.clone()],
                stack.get(p.clone()).unwrap_or(&[]),
                topic,
                &self.switches,
                &mut feats,
                &mut offs,
            );
            emis.clear();
            emis.resize(p.len() * n, 0.0);
            fused.resolve(&feats, &mut rows);
            for t in 0..p.len() {
                let mut a1 = [0i32; N_LABELS];
                let mut a2 = [0i32; N_LABELS];
                for &r in &rows[offs[t] as usize..offs[t + 1] as usize] {
                    if r != u32::MAX {
                        let row = fused.row_at(r);
                        add_row(&mut a1, &row[..n]);
                        if two {
                            add_row(&mut a2, &row[n..2 * n]);
                        }
                    }
                }
                for (e, a) in emis[t * n..t * n + n].iter_mut().zip(&a1) {
                    *e = *a as f32 * fused.scale1;
                }
                if two {
                    static2[(p.start + t) * n..(p.start + t + 1) * n].copy_from_slice(&a2);
                }
            }
            decoder.decode(&emis, &mut out, (!two).then_some(&mut m));
            labels[p.clone()].copy_from_slice(&out);
            if !two {
                margins[p.clone()].copy_from_slice(&m);
            }
        }
        if let (true, Some(d2)) = (two, &self.decoder2) {
            let stats = DocStats::build(
                pieces
                    .iter()
                    .map(|p| (&infos[p.clone()], &labels[p.clone()])),
                &self.switches,
            );
            let mut decoder = d2.clone();
            for p in &pieces {
                feats.clear();
                offs.clear();
                stats.features(&infos[p.clone()], &labels[p.clone()], &mut feats, &mut offs);
                emis.clear();
                emis.resize(p.len() * n, 0.0);
                fused.resolve(&feats, &mut rows);
                for t in 0..p.len() {
                    let mut a2 = [0i32; N_LABELS];
                    a2.copy_from_slice(&static2[(p.start + t) * n..(p.start + t + 1) * n]);
                    for &r in &rows[offs[t] as usize..offs[t + 1] as usize] {
                        if r != u32::MAX {
                            add_row(&mut a2, &fused.row_at(r)[n..2 * n]);
                        }
                    }
                    for (e, a) in emis[t * n..t * n + n].iter_mut().zip(&a2) {
                        *e = *a as f32 * fused.scale2;
                    }
                }
                decoder.decode(&emis, &mut out, Some(&mut m));
                labels[p.clone()].copy_from_slice(&out);
                margins[p.clone()].copy_from_slice(&m);
            }
        }
        let mut spans = Vec::new();
        for p in &pieces {
            for (s, e, t) in bilou_spans(&labels[p.clone()]) {
                let m = margins[p.start + s..p.start + e]
                    .iter()
                    .copied()
                    .fold(f32::INFINITY, f32::min);
                let conf = sigmoid(m / self.meta.temperature.max(1e-3) - self.meta.offset);
                spans.push((p.start + s, p.start + e, TYPES[t], conf));
            }
        }
        spans
    }

    /// With stacking, the type (index in `TYPES` + 1; 0: none) the inner model gives each
    /// of `words`, tagging the same sentences with the same gazetteer codes as the outer
    /// model sees; without, nothing (no allocation).
    pub(crate) fn stack_types(
        &self,
        words: &[&str],
        ranges: &[Range<usize>],
        gaz: &[u8],
    ) -> Vec<u8> {
        let Some(inner) = self.stack.as_deref().filter(|_| self.switches.stack) else {
            return Vec::new();
        };
        let mut types = vec![0u8; words.len()];
        for (s, e, kind, _) in inner.tag_ranges(words, ranges, gaz) {
            let Some(t) = labels::type_of(kind) else {
                continue;
            };
            let e = e.min(types.len());
            types[s.min(e)..e].fill(t as u8 + 1);
        }
        types
    }

    /// The inner model of a stacked model.
    pub fn stacked(&self) -> Option<&NerModel> {
        self.stack.as_deref()
    }

    /// The model as a file. A voting file stores its weight tables sparse (rows as their
    /// non-zero entries) and each shared table once: a member whose names, clusters or
    /// lexicon equal an earlier member's (or this model's) holds, in section `same`, the
    /// index of that member (0: this model) instead of the table.
    pub fn to_model_file(&self) -> ModelFile {
        let sparse = !self.voters.is_empty();
        let mut file = self.own_file(sparse);
        let mut held: Vec<(String, Vec<u8>, u32)> = Vec::new();
        share_tables(&mut file, &mut held, 0);
        for (i, voter) in self.voters.iter().enumerate() {
            // Whole files, one section each, in member order.
            let mut member = voter.own_file(true);
            share_tables(&mut member, &mut held, i as u32 + 1);
            file.push_section("vote", member.to_bytes());
        }
        file
    }

    /// This model's own sections (no voting members); weight tables sparse or dense.
    fn own_file(&self, sparse: bool) -> ModelFile {
        let mut file = ModelFile::new(
            NER_KIND,
            serde_json::to_value(&self.meta).expect("metadata serialises"),
        );
        let mut w = Writer::default();
        self.names.write_to(&mut w);
        file.push_section("names", w.buf);
        if let Some(c) = &self.clusters {
            let mut w = Writer::default();
            c.write_to(&mut w);
            file.push_section("clusters16", w.buf);
        }
        if !self.lexicon.is_empty() {
            let mut w = Writer::default();
            self.lexicon.write_to(&mut w);
            file.push_section("lexicon", w.buf);
        }
        if let Some(inner) = &self.stack {
            // The whole inner file, checksum and all: the outer file stays self-contained.
            file.push_section("stack", inner.to_bytes());
        }
        let passes = [("pass1", Some(&self.pass1)), ("pass2", self.pass2.as_ref())];
        for (section, weights) in passes {
            let Some(weights) = weights else { continue };
            let mut w = Writer::default();
            // Sparse rows hold `i16` values: an `f32` table stays dense, so that a member
            // loads as it was trained rather than quantised.
            if sparse && weights.kind() == WeightsKind::I16 {
                weights.write_sparse_to(&mut w);
                file.push_section(format!("{section}.sparse"), w.buf);
            } else {
                weights.write_to(&mut w);
                file.push_section(section, w.buf);
            }
        }
        file
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_model_file().to_bytes()
    }

    /// Writes the model (temporary file + rename).
    pub fn save(&self, path: &Path) -> Result<(), ModelError> {
        self.to_model_file().save(path)
    }

    pub fn load(path: &Path) -> Result<NerModel, ModelError> {
        let bytes = ModelFile::read_bytes(path)?;
        NerModel::from_bytes(&bytes, path)
    }

    /// Parses a model held in memory; `name` is used in errors.
    pub fn from_bytes(bytes: &[u8], name: &Path) -> Result<NerModel, ModelError> {
        NerModel::parse(bytes, name, Nesting::Top)
    }

    /// [`NerModel::from_bytes`]; an inner model holding a `stack` section of its own, or a
    /// voter holding `vote` sections, is refused before those sections are parsed, so
    /// nesting costs no deeper recursion. The tables of the file and of its voting members
    /// are read first, then their weights. One thread: loading is bound by page faults on
    /// fresh memory, and two threads loaded a nine-member file slower (~580 against ~420 ms
    /// in a fresh process; `examples/lexicon_load.rs`).
    fn parse(bytes: &[u8], name: &Path, nesting: Nesting) -> Result<NerModel, ModelError> {
        let file = ModelView::parse(bytes, name, Some(NER_KIND))?;
        let members = NerModel::member_files(&file, name, nesting)?;
        let files: Vec<(&Path, &ModelView<'_>)> = std::iter::once((name, &file))
            .chain(members.iter().map(|(n, f)| (n.as_path(), f)))
            .collect();
        let tables = read_tables(&files)?;
        let mut models =
            files
                .iter()
                .zip(&tables)
                .enumerate()
                .map(|(i, ((name, file), tables))| {
                    let nesting = if i == 0 { nesting } else { Nesting::Voter };
                    NerModel::parse_with_tables(file, name, nesting, tables.clone())
                });
        let mut model = models.next().expect("the file's own model")?;
        for (i, voter) in models.enumerate() {
            let voter = voter?;
            // `with_voters` writes each member's data into the metadata: a difference means
            // sections were swapped or replaced after the file was written.
            if voter.meta.data != model.meta.vote_data[i] {
                let message = format!(
                    "the metadata's data of voting member {} disagrees with section `vote` {}",
                    i + 1,
                    i + 1
                );
                return Err(ModelError::Corrupt {
                    path: name.to_path_buf(),
                    message,
                });
            }
            model.voters.push(voter);
        }
        Ok(model)
    }

    /// The `vote` sections of a file, as files: as many as its metadata names, only in a
    /// file of its own (a voter or an inner model holding some is refused before they are
    /// parsed), none holding `vote` sections itself.
    fn member_files<'a>(
        file: &ModelView<'a>,
        name: &Path,
        nesting: Nesting,
    ) -> Result<Vec<(PathBuf, ModelView<'a>)>, ModelError> {
        let corrupt = |m: String| ModelError::Corrupt {
            path: name.to_path_buf(),
            message: m,
        };
        let sections: Vec<&[u8]> = file
            .sections
            .iter()
            .filter(|(n, _)| n == "vote")
            .map(|(_, b)| *b)
            .collect();
        if !sections.is_empty() {
            match nesting {
                Nesting::Top => {}
                Nesting::Voter => return Err(corrupt(VOTE_DEPTH.into())),
                Nesting::Inner => return Err(corrupt(STACK_VOTES.into())),
            }
        }
        let meta: NerMeta = serde_json::from_value(file.meta.clone())
            .map_err(|e| corrupt(format!("metadata: {e}")))?;
        if sections.len() != meta.vote_data.len() {
            return Err(corrupt(format!(
                "the metadata names {} voting members but the file holds {} `vote` sections",
                meta.vote_data.len(),
                sections.len()
            )));
        }
        let mut files = Vec::with_capacity(sections.len());
        for (i, b) in sections.into_iter().enumerate() {
            let voter_name =
                PathBuf::from(format!("{} (section `vote` {})", name.display(), i + 1));
            let voter = ModelView::parse_nested(b, &voter_name, Some(NER_KIND))?;
            if voter.sections.iter().any(|(n, _)| n == "vote") {
                return Err(ModelError::Corrupt {
                    path: voter_name,
                    message: VOTE_DEPTH.into(),
                });
            }
            files.push((voter_name, voter));
        }
        Ok(files)
    }

    /// The rest of [`NerModel::parse`], once the tables are read.
    fn parse_with_tables(
        file: &ModelView<'_>,
        name: &Path,
        nesting: Nesting,
        tables: Tables,
    ) -> Result<NerModel, ModelError> {
        let corrupt = |m: String| ModelError::Corrupt {
            path: name.to_path_buf(),
            message: m,
        };
        let mut meta: NerMeta = serde_json::from_value(file.meta.clone())
            .map_err(|e| corrupt(format!("metadata: {e}")))?;
        let read_all = |section: &str| -> Result<Option<Reader<'_>>, ModelError> {
            Ok(file
                .sections
                .iter()
                .find(|(n, _)| n == section)
                .map(|(_, b)| Reader::new(b, name)))
        };
        // Files from before lexicons existed read the switch as its default (on).
        meta.features.lexicons &= !tables.lexicon.is_empty();
        let stack = match file.sections.iter().find(|(n, _)| n == "stack") {
            Some(_) if nesting == Nesting::Inner => return Err(corrupt(STACK_DEPTH.into())),
            Some((_, b)) => {
                let inner_name =
                    std::path::PathBuf::from(format!("{} (section `stack`)", name.display()));
                Some(Arc::new(NerModel::parse(b, &inner_name, Nesting::Inner)?))
            }
            None => None,
        };
        if meta.features.stack != stack.is_some() {
            return Err(corrupt(
                "the stacking switch and section `stack` disagree".into(),
            ));
        }
        // A table must fill its section: bytes left over mean a count was damaged.
        let whole = |section: &str, r: &Reader<'_>, w: Weights| match r.rest().len() {
            0 => Ok(Some(w)),
            left => Err(corrupt(format!(
                "section `{section}`: {left} bytes after the table"
            ))),
        };
        let weights = |plain: &str| -> Result<Option<Weights>, ModelError> {
            let sparse = format!("{plain}.sparse");
            match (read_all(plain)?, read_all(&sparse)?) {
                (Some(_), Some(_)) => Err(corrupt(format!(
                    "sections `{plain}` and `{sparse}` both present"
                ))),
                (Some(mut r), None) => {
                    let w = Weights::read_from(&mut r).map_err(|e| in_section(plain, e))?;
                    whole(plain, &r, w)
                }
                (None, Some(mut r)) => {
                    let w = Weights::read_sparse_from(&mut r, N_LABELS)
                        .map_err(|e| in_section(&sparse, e))?;
                    whole(&sparse, &r, w)
                }
                (None, None) => Ok(None),
            }
        };
        let pass1 = weights("pass1")?.ok_or_else(|| corrupt("missing section `pass1`".into()))?;
        let pass2 = weights("pass2")?;
        if pass1.n_classes() != N_LABELS
            || pass2.as_ref().is_some_and(|w| w.n_classes() != N_LABELS)
        {
            return Err(corrupt(format!(
                "weights for {} labels, expected {N_LABELS}",
                pass1.n_classes()
            )));
        }
        if meta.features.document != pass2.is_some() {
            return Err(corrupt(
                "document features and pass-2 weights disagree".into(),
            ));
        }
        let Tables {
            names,
            clusters,
            lexicon,
        } = tables;
        Ok(NerModel::assemble(
            meta.features,
            names,
            clusters,
            lexicon,
            stack,
            pass1,
            pass2,
            meta,
        ))
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

/// Gazetteer codes of words joined by spaces, sentence by sentence (as at tagging time).
pub(crate) fn gazetteer_codes_for_words(words: &[&str], ranges: &[Range<usize>]) -> Vec<u8> {
    let mut text = String::new();
    let mut tokens = Vec::with_capacity(words.len());
    for w in words {
        if !text.is_empty() {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(w);
        tokens.push(Token {
            start,
            end: text.len(),
            kind: TokenKind::Word,
        });
    }
    let mut doc = Doc::new(DocId("".into()), text, "-");
    doc.sentences = ranges
        .iter()
        .filter(|r| r.start < r.end && r.end <= tokens.len())
        .map(|r| Sentence {
            start: tokens[r.start].start,
            end: tokens[r.end - 1].end,
            tokens: r.clone(),
        })
        .collect();
    doc.tokens = tokens;
    GazetteerTagger::default().process(&mut doc);
    gazetteer_codes(&doc)
}

/// Gazetteer codes per token of a `Doc` from the spans the gazetteer wrote.
fn gazetteer_codes(doc: &Doc) -> Vec<u8> {
    let mut codes = vec![features::GAZ_NONE; doc.tokens.len()];
    for span in &doc.entities {
        let range = span.tokens.start.min(codes.len())..span.tokens.end.min(codes.len());
        match span.kind {
            EntityType::Country => {
                let demonym = matches!(
                    Gazetteer::builtin().lookup(doc.span_text(span)),
                    Some(crate::gazetteer::GazetteerMatch::Country { demonym: true, .. })
                );
                for (j, t) in range.enumerate() {
                    codes[t] = if demonym {
                        features::GAZ_DEMONYM
                    } else if j == 0 {
                        features::GAZ_COUNTRY_B
                    } else {
                        features::GAZ_COUNTRY_I
                    };
                }
            }
            EntityType::Role => range.for_each(|t| codes[t] = features::GAZ_ROLE),
            _ => {}
        }
    }
    codes
}

/// The pipeline component: tags Person, Organization, Location, Event and Other spans
/// with a [`NerModel`], leaving spans already in the document (countries, roles) as they
/// are: a predicted span overlapping one is dropped.
#[derive(Clone)]
pub struct NerTagger {
    model: Arc<NerModel>,
    /// The model file's checksum in hex, so that facts from another model are told apart.
    fingerprint: String,
}

/// The checksum a model file ends with, in hex.
fn file_checksum(bytes: &[u8]) -> String {
    let tail: [u8; 8] = bytes[bytes.len().saturating_sub(8)..]
        .try_into()
        .unwrap_or([0; 8]);
    format!("{:016x}", u64::from_le_bytes(tail))
}

impl NerTagger {
    pub fn new(model: Arc<NerModel>) -> NerTagger {
        let fingerprint = file_checksum(&model.to_bytes());
        NerTagger { model, fingerprint }
    }

    pub fn load(path: &Path) -> Result<NerTagger, ModelError> {
        let bytes = ModelFile::read_bytes(path)?;
        let model = Arc::new(NerModel::from_bytes(&bytes, path)?);
        Ok(NerTagger {
            model,
            fingerprint: file_checksum(&bytes),
        })
    }

    pub fn model(&self) -> &NerModel {
        &self.model
    }
}

/// Head words that make a name an organisation whatever the model's type: no person or
/// place name ends in them (*State Department*, *The Resistance Front*). Deliberately
/// short: *Union*, *Bank*, *Court* also end places (*Soviet Union*, *West Bank*, *Earls Court*).
const INSTITUTION_HEADS: &[&str] = &[
    "Department",
    "Ministry",
    "Agency",
    "Council",
    "Party",
    "Committee",
    "Commission",
    "Organization",
    "Organisation",
    "Association",
    "Institute",
    "Foundation",
    "Federation",
    "Front",
    "Brigade",
    "Corporation",
    "Corp.",
    "Inc.",
    "Ltd.",
];

/// The model's type of a name, or Organization when its last word is an institution's.
/// Applied after [`superseded_spans`], which reads the model's own type (public so that
/// `kith eval ner` scores what [`NerTagger`] writes).
pub fn institution_type(last_word: &str, kind: EntityType) -> EntityType {
    match kind {
        EntityType::Person | EntityType::Location if INSTITUTION_HEADS.contains(&last_word) => {
            EntityType::Organization
        }
        _ => kind,
    }
}

/// Indices (sorted) of the gazetteer spans that a predicted name contains and replaces:
/// a place named after the country or region that opens it (*Mexico City*, *Panama
/// City*), an organisation whose name ends in or holds a place it does not open with
/// (*Bank of America*, *Air India*), and a person whose name holds a title word not in a
/// title's place (*Martin Luther King Jr.*: the role does not open the name). Elsewhere the
/// gazetteer's spans stand (*US State Department* stays *US* + *State Department*, with
/// its relation).
fn superseded_spans(doc: &Doc, predicted: &[(usize, usize, EntityType, f32)]) -> Vec<usize> {
    if !doc.relations.is_empty() {
        return Vec::new(); // relations name spans by index: never remove under them
    }
    let mut out = Vec::new();
    for &(start, end, kind, _) in predicted {
        let first = doc.entities.partition_point(|e| e.tokens.end <= start);
        // A prediction replaces a span only when it overlaps that one span alone.
        let mut inside =
            (first..doc.entities.len()).take_while(|&i| doc.entities[i].tokens.start < end);
        let (Some(only), None) = (inside.next(), inside.next()) else {
            continue;
        };
        let e = &doc.entities[only];
        let within = e.tokens.start >= start && e.tokens.end <= end && e.tokens.len() < end - start;
        if !within || e.source != "gazetteer" {
            continue;
        }
        // "Panama City": the predicted name goes on past the place with a capitalised word.
        let capitalised_after = e.tokens.end < end
            && e.tokens.end < doc.tokens.len()
            && doc
                .token_text(e.tokens.end)
                .chars()
                .next()
                .is_some_and(char::is_uppercase);
        let place = kind == EntityType::Location
            && matches!(e.kind, EntityType::Country | EntityType::Location)
            && e.tokens.start == start
            && capitalised_after;
        let person =
            kind == EntityType::Person && e.kind == EntityType::Role && e.tokens.start > start;
        let organisation = kind == EntityType::Organization
            && matches!(e.kind, EntityType::Country | EntityType::Location)
            && e.tokens.start > start;
        if place || person || organisation {
            out.push(only);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

impl Component for NerTagger {
    fn name(&self) -> &'static str {
        NER_SOURCE
    }

    fn fingerprint(&self) -> String {
        format!("{NER_SOURCE}:{}", self.fingerprint)
    }

    fn process(&self, doc: &mut Doc) {
        if doc.tokens.is_empty() {
            return;
        }
        let words: Vec<&str> = (0..doc.tokens.len()).map(|i| doc.token_text(i)).collect();
        let ranges: Vec<Range<usize>> = if doc.sentences.is_empty() {
            std::iter::once(0..doc.tokens.len()).collect()
        } else {
            doc.sentences.iter().map(|s| s.tokens.clone()).collect()
        };
        let gaz = gazetteer_codes(doc);
        let spans = self.model.tag_ranges(&words, &ranges, &gaz);
        drop(words);
        let superseded = superseded_spans(doc, &spans);
        if !superseded.is_empty() {
            let mut index = 0;
            doc.entities.retain(|_| {
                index += 1;
                superseded.binary_search(&(index - 1)).is_err()
            });
        }
        let mut taken = vec![false; doc.tokens.len()];
        for e in &doc.entities {
            for t in e.tokens.start.min(taken.len())..e.tokens.end.min(taken.len()) {
                taken[t] = true;
            }
        }
        // A symbol or punctuation mark at a span's edge is no part of the name (a Markdown
        // heading's "#" before "State Department"): the span keeps its words only.
        let is_mark = |t: usize| matches!(doc.tokens[t].kind, TokenKind::Punct | TokenKind::Symbol);
        let found: Vec<EntitySpan> = spans
            .into_iter()
            .filter_map(|(mut s, mut e, kind, confidence)| {
                while s < e && is_mark(s) {
                    s += 1;
                }
                while e > s && is_mark(e - 1) {
                    e -= 1;
                }
                (s < e).then_some((s, e, kind, confidence))
            })
            .filter(|(s, e, _, _)| !taken[*s..*e].iter().any(|&x| x))
            .map(|(s, e, kind, confidence)| {
                (
                    s,
                    e,
                    institution_type(doc.token_text(e - 1), kind),
                    confidence,
                )
            })
            .map(|(s, e, kind, confidence)| EntitySpan {
                tokens: s..e,
                start: doc.tokens[s].start,
                end: doc.tokens[e - 1].end,
                kind,
                confidence,
                source: NER_SOURCE,
                canonical: None,
                external_ids: BTreeMap::new(),
                resolved_by: None,
            })
            .collect();
        doc.add_entities(found);
    }
}

#[cfg(test)]
mod tests;
