//! [`TransformerNer`]: a BERT token classifier as a pipeline component.

use crate::labels::{decode, parse_label, Label};
use crate::TransformerError;
use kith_nlp::{
    Component, Doc, EntitySpan, GazetteerTagger, NameTagger, Pipeline, RelationRules, Tokenizer,
};
use rust_bert::bert::BertConfig;
use rust_bert::pipelines::common::{ModelResource, ModelType, TokenizerOption};
use rust_bert::pipelines::token_classification::{
    LabelAggregationOption, TokenClassificationConfig, TokenClassificationModel,
};
use rust_bert::resources::{LocalResource, ResourceProvider};
use rust_tokenizers::Mask;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The model configuration: rust-bert's `BertConfig`, with `id2label`.
pub const CONFIG_FILE: &str = "config.json";
/// The WordPiece vocabulary, one piece per line.
pub const VOCAB_FILE: &str = "vocab.txt";
/// Weights files, in order of preference (tch loads either by extension).
pub const WEIGHTS_FILES: [&str; 2] = ["rust_model.ot", "model.safetensors"];
/// The model `TransformerNer::load_default` (feature `remote`) fetches: rust-bert's
/// `TokenClassificationConfig::default()`, BERT-large (cased) fine-tuned on CoNLL-03
/// English (CoNLL-03 labels, read from its `config.json` `id2label` like any model).
pub const DEFAULT_MODEL: &str = "dbmdz/bert-large-cased-finetuned-conll03-english";
/// Optional Hugging Face tokenizer settings: only `do_lower_case` is read (default false:
/// CoNLL-03 NER models are cased).
const TOKENIZER_CONFIG_FILE: &str = "tokenizer_config.json";

/// What the component records as the source of its spans.
const SOURCE: &str = "transformer-ner";

/// How documents are cut and batched.
#[derive(Clone, Copy, Debug)]
pub struct TransformerOptions {
    /// Most wordpieces in one window, without `[CLS]` and `[SEP]` (capped at the model's
    /// `max_position_embeddings - 2`). A sentence longer than this is cut into windows.
    pub window: usize,
    /// Wordpieces shared by consecutive windows of one long sentence. Each word takes its
    /// label from the window where it sits farther from the edge (the overlap is split in
    /// the middle), so every word keeps some context on both sides.
    pub overlap: usize,
    /// Windows (sentences or parts of long sentences) per forward pass.
    pub batch_size: usize,
    /// Where to run the model (default: CUDA when available, else CPU).
    pub device: tch::Device,
}

impl Default for TransformerOptions {
    fn default() -> Self {
        TransformerOptions {
            window: 256,
            overlap: 64,
            batch_size: 16,
            device: tch::Device::cuda_if_available(),
        }
    }
}

/// One word's prediction: byte range `[start, end)` of the text, label index and its
/// probability.
#[derive(Clone, Debug, PartialEq)]
pub struct WordPrediction {
    /// First byte of the word in the text.
    pub start: usize,
    /// Byte after the word's last.
    pub end: usize,
    /// Index of the label in the model's `id2label`.
    pub label: usize,
    /// The label's probability.
    pub score: f32,
}

/// A window of one segment: what the model reads and which words it labels.
#[derive(Clone, Debug)]
struct Window {
    /// Character range of the segment read by the model.
    chars: Range<usize>,
    /// Character range in which words starting there take this window's labels.
    owns: Range<usize>,
}

/// Named-entity recognition by a BERT token classifier loaded from local files.
///
/// Runs after the tokenizer and the gazetteer (its spans snap to the Doc's tokens and never
/// overlap spans already there, so gazetteer countries and roles win), and writes
/// [`EntitySpan`]s with source `transformer-ner` and the mean word probability as
/// confidence, keeping `doc.entities` sorted.
pub struct TransformerNer {
    model: Mutex<TokenClassificationModel>,
    labels: Vec<String>,
    parsed: Vec<Label>,
    options: TransformerOptions,
    fingerprint: String,
    origin: Origin,
    /// The weights file read (for the hub model, in rust-bert's cache).
    weights: PathBuf,
}

/// Where a model came from: named in errors and `Debug`.
#[derive(Clone, Debug)]
enum Origin {
    /// A model directory (`--model-dir`).
    Dir(PathBuf),
    /// A model of the model hub, by name, through rust-bert's remote resources.
    #[cfg_attr(not(feature = "remote"), allow(dead_code))]
    Hub(&'static str),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Dir(dir) => write!(f, "{}", dir.display()),
            Origin::Hub(name) => write!(f, "model hub {name}"),
        }
    }
}

impl std::fmt::Debug for TransformerNer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransformerNer")
            .field("origin", &self.origin)
            .field("weights", &self.weights)
            .field("labels", &self.labels)
            .field("options", &self.options)
            .finish()
    }
}

impl TransformerNer {
    /// Load a model directory with the default options.
    pub fn load(dir: impl AsRef<Path>) -> Result<TransformerNer, TransformerError> {
        TransformerNer::load_with(dir, TransformerOptions::default())
    }

    /// Load a model directory: `rust_model.ot` or `model.safetensors`, `config.json` with
    /// `id2label`, `vocab.txt`, and optionally `tokenizer_config.json`.
    pub fn load_with(
        dir: impl AsRef<Path>,
        options: TransformerOptions,
    ) -> Result<TransformerNer, TransformerError> {
        let dir = dir.as_ref().to_path_buf();
        if !dir.is_dir() {
            return Err(TransformerError::MissingDir { path: dir });
        }
        let config_path = dir.join(CONFIG_FILE);
        if !config_path.is_file() {
            return Err(TransformerError::MissingFile {
                path: config_path,
                what: "the model configuration (config.json with id2label)",
            });
        }
        let vocab_path = dir.join(VOCAB_FILE);
        if !vocab_path.is_file() {
            return Err(TransformerError::MissingFile {
                path: vocab_path,
                what: "the WordPiece vocabulary (vocab.txt)",
            });
        }
        let weights_path = WEIGHTS_FILES
            .iter()
            .map(|name| dir.join(name))
            .find(|path| path.is_file())
            .ok_or_else(|| TransformerError::NoWeights { dir: dir.clone() })?;
        let tokenizer_config_path = dir.join(TOKENIZER_CONFIG_FILE);
        let tokenizer_config = if tokenizer_config_path.is_file() {
            read(&tokenizer_config_path)?
        } else {
            Vec::new()
        };
        let lower_case = lower_case(&tokenizer_config_path, &tokenizer_config)?;
        let config = TokenClassificationConfig::new(
            ModelType::Bert,
            ModelResource::Torch(Box::new(LocalResource::from(weights_path))),
            LocalResource::from(config_path),
            LocalResource::from(vocab_path),
            None,
            lower_case,
            None,
            None,
            LabelAggregationOption::First,
        );
        TransformerNer::from_config(config, options, Origin::Dir(dir), &tokenizer_config)
    }

    /// Load rust-bert's default token classifier, `TokenClassificationConfig::default()`:
    /// [`DEFAULT_MODEL`], BERT-large (cased) fine-tuned on CoNLL-03 English, fetched from the
    /// model hub into rust-bert's cache (`$RUSTBERT_CACHE`, default `~/.cache/.rustbert`) on
    /// first use (about 1.3 GB). Read through the same label mapping, windowing and span code
    /// as a model directory. Without the network the error is
    /// [`TransformerError::Fetch`], naming the model and the file.
    #[cfg(feature = "remote")]
    pub fn load_default() -> Result<TransformerNer, TransformerError> {
        TransformerNer::load_default_with(TransformerOptions::default())
    }

    /// [`TransformerNer::load_default`] with options.
    #[cfg(feature = "remote")]
    pub fn load_default_with(
        options: TransformerOptions,
    ) -> Result<TransformerNer, TransformerError> {
        TransformerNer::from_config(
            TokenClassificationConfig::default(),
            options,
            Origin::Hub(DEFAULT_MODEL),
            &[],
        )
    }

    /// The one way a `TransformerNer` is made, whatever the model's origin: resolve the
    /// configuration's resources to local files (fetching remote ones), check them, and load
    /// the model from exactly those files. `tokenizer_config` (bytes of
    /// `tokenizer_config.json`, if any) only enters the fingerprint; `config.lower_case`
    /// already says what it meant.
    fn from_config(
        mut config: TokenClassificationConfig,
        options: TransformerOptions,
        origin: Origin,
        tokenizer_config: &[u8],
    ) -> Result<TransformerNer, TransformerError> {
        if config.model_type != ModelType::Bert {
            return Err(TransformerError::Config {
                path: PathBuf::from(origin.to_string()),
                reason: format!(
                    "model type {:?} is not supported: only BERT token classifiers",
                    config.model_type
                ),
            });
        }
        // Small files first: without the network, fail before the weights.
        let config_path = resolve(
            &config.config_resource,
            "the configuration (config.json)",
            &origin,
        )?;
        let vocab_path = resolve(
            &config.vocab_resource,
            "the vocabulary (vocab.txt)",
            &origin,
        )?;
        let config_bytes = read(&config_path)?;
        let bert_config = parse_config(&config_path, &config_bytes)?;
        let labels = labels_of(&config_path, &bert_config)?;
        let vocab_bytes = read(&vocab_path)?;

        let vocab_str = path_str(&vocab_path)?;
        let tokenizer = TokenizerOption::from_file(
            ModelType::Bert,
            vocab_str,
            None,
            config.lower_case,
            config.strip_accents,
            config.add_prefix_space,
        )
        .map_err(|e| TransformerError::Vocab {
            path: vocab_path.clone(),
            reason: e.to_string(),
        })?;
        if tokenizer.get_pad_id().is_none() {
            return Err(TransformerError::Vocab {
                path: vocab_path,
                reason: "no [PAD] token".into(),
            });
        }
        let max_positions = usize::try_from(bert_config.max_position_embeddings).unwrap_or(0);
        if max_positions < 3 {
            return Err(TransformerError::Config {
                path: config_path,
                reason: format!(
                    "max_position_embeddings is {max_positions}: too small to hold a window"
                ),
            });
        }
        let window = options.window.clamp(1, max_positions - 2);
        let overlap = options.overlap.min(window / 2);
        let options = TransformerOptions {
            window,
            overlap,
            batch_size: options.batch_size.max(1),
            ..options
        };

        let weights_path = resolve(
            &config.model_resource,
            "the weights (rust_model.ot)",
            &origin,
        )?;
        let weights_len = std::fs::metadata(&weights_path)
            .map_err(|e| io(&weights_path, e))?
            .len();
        if weights_len == 0 {
            return Err(TransformerError::Weights {
                path: weights_path,
                reason: "empty file".into(),
            });
        }
        // rust-bert reads exactly the files resolved, checked and hashed here (and does not
        // ask the hub again).
        config.model_resource =
            ModelResource::Torch(Box::new(LocalResource::from(weights_path.clone())));
        config.config_resource = Box::new(LocalResource::from(config_path.clone()));
        config.vocab_resource = Box::new(LocalResource::from(vocab_path.clone()));
        config.merges_resource = None;
        config.device = options.device;
        // rust-bert 0.23's predict mislabels features past its first batch (it indexes all
        // features with the index within the batch), so it gets one batch per call: we
        // never pass more than `options.batch_size` windows, each short enough to be one
        // feature.
        config.batch_size = usize::MAX;
        let loaded = catch_unwind(AssertUnwindSafe(|| {
            TokenClassificationModel::new_with_tokenizer(config, tokenizer)
        }));
        let model = match loaded {
            Ok(Ok(model)) => model,
            Ok(Err(e)) => {
                return Err(TransformerError::Weights {
                    path: weights_path,
                    reason: e.to_string(),
                })
            }
            Err(panic) => {
                return Err(TransformerError::Weights {
                    path: weights_path,
                    reason: panic_message(panic),
                })
            }
        };

        let weights_name = match &origin {
            Origin::Dir(_) => weights_path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            // The cache names files by hash: name the model instead.
            Origin::Hub(name) => format!("{name}/rust_model.ot"),
        };
        let mut files = Sha256::new();
        for bytes in [&config_bytes[..], &vocab_bytes[..], tokenizer_config] {
            files.update((bytes.len() as u64).to_le_bytes());
            files.update(bytes);
        }
        let fingerprint = format!(
            "{SOURCE}[{weights_name} sha256:{}; config+vocab sha256:{}; window {}/{}]",
            short_hex(&hash_file(&weights_path)?),
            short_hex(&files.finalize()),
            options.window,
            options.overlap,
        );
        let parsed = labels.iter().map(|l| parse_label(l)).collect();
        Ok(TransformerNer {
            model: Mutex::new(model),
            labels,
            parsed,
            options,
            fingerprint,
            origin,
            weights: weights_path,
        })
    }

    /// The model's labels, by index (`id2label`).
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The options in force (window and overlap capped by the model's positions).
    pub fn options(&self) -> TransformerOptions {
        self.options
    }

    /// The directory the weights were loaded from: the model directory, or for the hub
    /// model the directory of rust-bert's cache that holds them.
    pub fn dir(&self) -> &Path {
        self.weights.parent().unwrap_or(Path::new(""))
    }

    /// Where the model came from: the model directory, or `model hub NAME`.
    pub fn source(&self) -> String {
        self.origin.to_string()
    }

    /// Byte ranges of `text[segment]` that the model reads, window by window: consecutive
    /// windows overlap and together cover the whole segment.
    pub fn windows(&self, text: &str, segment: Range<usize>) -> Vec<Range<usize>> {
        let seg = &text[segment.clone()];
        let bytes = byte_offsets(seg);
        let model = self.lock();
        plan_windows(model.get_tokenizer(), seg, self.options)
            .into_iter()
            .map(|w| segment.start + bytes[w.chars.start]..segment.start + bytes[w.chars.end])
            .collect()
    }

    /// Label every word of `text`, reading each of `segments` (byte ranges, e.g. sentences)
    /// on its own, windowed when long. Words come in text order, with byte offsets.
    pub fn predict_words(&self, text: &str, segments: &[Range<usize>]) -> Vec<Vec<WordPrediction>> {
        let model = self.lock();
        let tokenizer = model.get_tokenizer();
        // Every window of every segment, in order: (segment index, window).
        let mut jobs: Vec<(usize, Window)> = Vec::new();
        for (s, segment) in segments.iter().enumerate() {
            let seg = &text[segment.clone()];
            if seg.trim().is_empty() {
                continue;
            }
            jobs.extend(
                plan_windows(tokenizer, seg, self.options)
                    .into_iter()
                    .map(|w| (s, w)),
            );
        }
        let chars: Vec<Vec<usize>> = segments
            .iter()
            .map(|r| byte_offsets(&text[r.clone()]))
            .collect();
        let mut words: Vec<Vec<WordPrediction>> = vec![Vec::new(); segments.len()];
        for batch in jobs.chunks(self.options.batch_size) {
            let inputs: Vec<&str> = batch
                .iter()
                .map(|(s, w)| {
                    let (seg, b) = (&text[segments[*s].clone()], &chars[*s]);
                    &seg[b[w.chars.start]..b[w.chars.end]]
                })
                .collect();
            let outputs = model.predict(&inputs, false, false);
            for ((s, window), tokens) in batch.iter().zip(outputs) {
                let (base, b) = (segments[*s].start, &chars[*s]);
                let out = &mut words[*s];
                let mut owned = false;
                for token in tokens {
                    let Some(offset) = token.offset else { continue };
                    let (begin, end) = (
                        window.chars.start + offset.begin as usize,
                        window.chars.start + offset.end as usize,
                    );
                    let end = end.min(b.len() - 1);
                    if token.mask == Mask::Continuation {
                        // Part of the previous word: extends it if this window labelled it.
                        if owned {
                            if let Some(last) = out.last_mut() {
                                last.end = last.end.max(base + b[end]);
                            }
                        }
                        continue;
                    }
                    owned = window.owns.contains(&begin);
                    if owned {
                        out.push(WordPrediction {
                            start: base + b[begin],
                            end: base + b[end],
                            label: usize::try_from(token.label_index).unwrap_or(0),
                            score: token.score as f32,
                        });
                    }
                }
            }
        }
        words
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, TokenClassificationModel> {
        // A panic while predicting leaves the model unchanged (inference only).
        self.model
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The entity spans the model finds in `doc` (before overlap checks).
    fn spans(&self, doc: &Doc) -> Vec<EntitySpan> {
        let segments = segments_of(doc);
        let predictions = self.predict_words(&doc.text, &segments);
        let mut spans = Vec::new();
        for words in predictions {
            let labels: Vec<Label> = words
                .iter()
                .map(|w| self.parsed.get(w.label).copied().unwrap_or(Label::Outside))
                .collect();
            for chunk in decode(&labels) {
                let chunk_words = &words[chunk.words.clone()];
                let (start, end) = (chunk_words[0].start, chunk_words[chunk_words.len() - 1].end);
                // Snap to the Doc's tokens: every token the entity touches.
                let first = doc.tokens.partition_point(|t| t.end <= start);
                let last = doc.tokens.partition_point(|t| t.start < end);
                if first >= last {
                    continue;
                }
                let confidence =
                    chunk_words.iter().map(|w| w.score).sum::<f32>() / chunk_words.len() as f32;
                spans.push(EntitySpan {
                    tokens: first..last,
                    start: doc.tokens[first].start,
                    end: doc.tokens[last - 1].end,
                    kind: chunk.kind,
                    confidence,
                    source: SOURCE,
                    canonical: None,
                    external_ids: BTreeMap::new(),
                    resolved_by: None,
                });
            }
        }
        spans
    }
}

impl Component for TransformerNer {
    fn name(&self) -> &'static str {
        SOURCE
    }

    fn fingerprint(&self) -> String {
        self.fingerprint.clone()
    }

    fn process(&self, doc: &mut Doc) {
        // Gazetteer countries and roles, already on the document, win.
        doc.add_entities(self.spans(doc));
    }
}

/// The pipeline `kith build --ner transformer` runs: the default pipeline with the model
/// in the statistical tagger's place — tokens and sentences, gazetteer countries and roles,
/// the model's entities, rule-based names for what it leaves, relations.
pub fn transformer_pipeline(ner: TransformerNer) -> Pipeline {
    Pipeline::new()
        .with(Tokenizer)
        .with(GazetteerTagger::default())
        .with(ner)
        .with(NameTagger)
        .with(RelationRules)
}

/// The byte ranges the model reads one by one: the Doc's sentences, each extended to the
/// next one's start (and the first to 0, the last to the end), so every byte of the text
/// is in exactly one segment. The whole text when there are no sentences.
fn segments_of(doc: &Doc) -> Vec<Range<usize>> {
    if doc.sentences.is_empty() {
        return std::iter::once(0..doc.text.len()).collect();
    }
    let starts: Vec<usize> = std::iter::once(0)
        .chain(doc.sentences.iter().skip(1).map(|s| s.start))
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(i, &start)| start..starts.get(i + 1).copied().unwrap_or(doc.text.len()))
        .filter(|r| r.start < r.end)
        .collect()
}

/// Byte offset of each character of `text`, and `text.len()` at the end.
fn byte_offsets(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect()
}

/// Cut a segment into windows of at most `window` wordpieces, consecutive ones sharing
/// about `overlap` pieces, cut only at word starts; each owns the words up to the middle of
/// its overlap with the next. Character ranges; together they cover the whole segment.
fn plan_windows(
    tokenizer: &TokenizerOption,
    seg: &str,
    options: TransformerOptions,
) -> Vec<Window> {
    let n_chars = seg.chars().count();
    let tokens = tokenizer.tokenize_with_offsets(seg);
    let pieces: Vec<(usize, bool)> = tokens
        .offsets
        .iter()
        .zip(&tokens.masks)
        .filter_map(|(offset, mask)| {
            offset.map(|o| (o.begin as usize, *mask != Mask::Continuation))
        })
        .collect();
    let n = pieces.len();
    if n <= options.window {
        return vec![Window {
            chars: 0..n_chars,
            owns: 0..n_chars,
        }];
    }
    let is_word_start = |i: usize| i >= n || pieces[i].1;
    // Window starts, then ends, then ownership cuts, as piece indices.
    let mut starts = vec![0];
    loop {
        let s = *starts.last().expect("one start");
        if s + options.window >= n {
            break;
        }
        let mut next = s + options.window - options.overlap.min(options.window - 1);
        while next > s + 1 && !is_word_start(next) {
            next -= 1;
        }
        starts.push(next);
    }
    let last = starts.len() - 1;
    let ends: Vec<usize> = (0..=last)
        .map(|k| {
            if k == last {
                return n;
            }
            let mut end = (starts[k] + options.window).min(n);
            while end > starts[k + 1] && !is_word_start(end) {
                end -= 1;
            }
            end
        })
        .collect();
    let cuts: Vec<usize> = (0..last)
        .map(|k| {
            let mut cut = (starts[k + 1] + ends[k]) / 2;
            while cut > starts[k + 1] && !is_word_start(cut) {
                cut -= 1;
            }
            cut
        })
        .collect();
    let char_at = |piece: usize| if piece >= n { n_chars } else { pieces[piece].0 };
    (0..=last)
        .map(|k| Window {
            chars: if k == 0 { 0 } else { char_at(starts[k]) }..if k == last {
                n_chars
            } else {
                char_at(ends[k])
            },
            owns: if k == 0 { 0 } else { char_at(cuts[k - 1]) }..if k == last {
                usize::MAX
            } else {
                char_at(cuts[k])
            },
        })
        .collect()
}

fn io(path: &Path, source: std::io::Error) -> TransformerError {
    TransformerError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The local path of one of a configuration's resources: itself for a local file; for a
/// remote one, the cached copy, fetched first when needed. rust-bert's cache can panic
/// (no home directory, cache not writable): that is an error too.
fn resolve<R: ResourceProvider + ?Sized>(
    resource: &R,
    what: &'static str,
    origin: &Origin,
) -> Result<PathBuf, TransformerError> {
    let resolved = catch_unwind(AssertUnwindSafe(|| resource.get_local_path()));
    let reason = match resolved {
        Ok(Ok(path)) => return Ok(path),
        Ok(Err(e)) => error_chain(&e),
        Err(panic) => panic_message(panic),
    };
    Err(match origin {
        Origin::Dir(dir) => TransformerError::MissingFile {
            path: dir.clone(),
            what,
        },
        Origin::Hub(model) => TransformerError::Fetch {
            model,
            what,
            reason,
        },
    })
}

/// An error and its sources, `: `-separated (a download error says what failed only in
/// its sources).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        let text = e.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = e.source();
    }
    message
}

fn panic_message(panic: Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "the loader panicked".into())
}

fn read(path: &Path) -> Result<Vec<u8>, TransformerError> {
    std::fs::read(path).map_err(|e| io(path, e))
}

fn path_str(path: &Path) -> Result<&str, TransformerError> {
    path.to_str().ok_or_else(|| TransformerError::MissingFile {
        path: path.to_path_buf(),
        what: "a UTF-8 path",
    })
}

fn parse_config(path: &Path, bytes: &[u8]) -> Result<BertConfig, TransformerError> {
    let bad = |reason: String| TransformerError::Config {
        path: path.to_path_buf(),
        reason,
    };
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| bad(format!("not JSON: {e}")))?;
    if let Some(model_type) = value.get("model_type").and_then(|v| v.as_str()) {
        if model_type != "bert" {
            return Err(bad(format!("model_type {model_type:?} is not supported: only BERT token classifiers (model_type \"bert\")")));
        }
    }
    serde_json::from_value(value).map_err(|e| bad(format!("not a BERT configuration: {e}")))
}

fn labels_of(path: &Path, config: &BertConfig) -> Result<Vec<String>, TransformerError> {
    let bad = |reason: String| TransformerError::Config {
        path: path.to_path_buf(),
        reason,
    };
    let id2label = config
        .id2label
        .as_ref()
        .filter(|m| !m.is_empty())
        .ok_or_else(|| bad("no id2label: the model's labels (e.g. {\"0\": \"O\", \"1\": \"B-PER\", ...}) are needed".into()))?;
    (0..id2label.len() as i64)
        .map(|i| {
            id2label.get(&i).cloned().ok_or_else(|| {
                bad(format!(
                    "id2label has no label {i}: ids must be 0..{}",
                    id2label.len()
                ))
            })
        })
        .collect()
}

fn lower_case(path: &Path, bytes: &[u8]) -> Result<bool, TransformerError> {
    if bytes.is_empty() {
        return Ok(false);
    }
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| TransformerError::Config {
            path: path.to_path_buf(),
            reason: format!("not JSON: {e}"),
        })?;
    Ok(value
        .get("do_lower_case")
        .and_then(|v| v.as_bool())
        .unwrap_or(false))
}

fn hash_file(path: &Path) -> Result<Vec<u8>, TransformerError> {
    let mut file = std::fs::File::open(path).map_err(|e| io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 1 << 20];
    loop {
        let n = file.read(&mut buffer).map_err(|e| io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher.finalize().to_vec())
}

fn short_hex(bytes: &[u8]) -> String {
    bytes.iter().take(8).map(|b| format!("{b:02x}")).collect()
}
