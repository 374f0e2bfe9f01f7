//! A tiny BERT token classifier with random weights, written in rust-bert's variable layout
//! (`rust_model.ot` from a tch `VarStore`, `config.json` with `id2label`, `vocab.txt`).
//!
//! No model hub is reachable from Kith's machines, so the tests and the benchmark make
//! their own model and load it through the real loading code. With random weights a model
//! labels words arbitrarily; to make assertions about labels meaningful, a [`TinySpec`] can
//! *rig* the model: a few vocabulary words get embeddings pointing along one label's
//! direction and the classifier reads those directions, while the rest stays random (the
//! encoder's random weights are scaled down so the residual path carries a word's identity
//! through). It can also add to the classifier's bias so one label dominates everywhere.

use rust_bert::bert::{BertConfig, BertForTokenClassification};
use rust_bert::Activation;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tch::{nn, Device, Kind, Tensor};

/// CoNLL-2003 labels in the usual order.
pub const CONLL_LABELS: [&str; 9] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];

/// Special pieces, first in the vocabulary.
const SPECIAL: [&str; 5] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

/// Common words of news text, so that most words are one piece; anything else falls back to
/// single letters and `##` letters, also in the vocabulary.
const WORDS: &str = "the of and to a in for is on that by with as at from his her it was were \
be been has have had are this said says say will would not but or an its their they he she we \
who which after before about over into than more most also new year years two three first last \
week day today official officials minister president foreign state government talks meeting met \
meet visit visited country countries city people police army group party news report reported \
told spoke speak spokesperson statement agreed plan plans planned during between against under \
war peace trade security deal summit leaders leader talk called call since while when where why \
how what there here our your my one all some many any other such only just then now up out no \
yes very can could should may might must do does did make made take took see saw go went come \
came back down off again still even well long short high low big small great good bad early late \
Marco Rubio Tammy Bruce Reuters State Department Washington Paris London Olympics Games Prime \
Minister India Pakistan France China Ministry External Affairs United Nations Council Monday \
Tuesday Wednesday Thursday Friday Saturday Sunday";

/// What to write: sizes, labels, vocabulary and rigging.
#[derive(Clone, Debug)]
pub struct TinySpec {
    /// Width of the hidden states.
    pub hidden_size: i64,
    /// Transformer layers.
    pub num_hidden_layers: i64,
    /// Attention heads per layer.
    pub num_attention_heads: i64,
    /// Width of the feed-forward layers.
    pub intermediate_size: i64,
    /// Longest input, in word pieces.
    pub max_position_embeddings: i64,
    /// Seed of the weights (a SplitMix64 stream: the same spec writes the same file).
    pub seed: u64,
    /// The labels of the classifier head, in order (`id2label`).
    pub labels: Vec<String>,
    /// Whole words and `##` pieces after the special pieces (default: common news words,
    /// letters and digits, `##` letters).
    pub vocab: Vec<String>,
    /// Words the model is made to label: (vocabulary word, label index). Needs
    /// `hidden_size > labels.len()`.
    pub rigged: Vec<(String, usize)>,
    /// Added to the classifier bias: (label index, value).
    pub bias: Vec<(usize, f64)>,
    /// Scale of the encoder's random weights (1.0: plain random; rigging uses 0.05).
    pub encoder_scale: f64,
    /// Write `model.safetensors` instead of `rust_model.ot`.
    pub safetensors: bool,
}

impl TinySpec {
    /// A tiny (hidden 32, one layer) model with random weights and the CoNLL labels.
    pub fn random(seed: u64) -> TinySpec {
        TinySpec {
            hidden_size: 32,
            num_hidden_layers: 1,
            num_attention_heads: 2,
            intermediate_size: 64,
            max_position_embeddings: 512,
            seed,
            labels: CONLL_LABELS.iter().map(|s| s.to_string()).collect(),
            vocab: default_vocab(),
            rigged: Vec::new(),
            bias: Vec::new(),
            encoder_scale: 1.0,
            safetensors: false,
        }
    }

    /// [`TinySpec::random`] rigged to label a few names: `Marco` B-PER, `Rubio` I-PER,
    /// `Tammy` B-PER, `Bruce` I-PER, `Reuters` B-ORG, `Washington` B-LOC, `Paris` B-LOC,
    /// `France` B-LOC (a country: the gazetteer must win), `Olympics` B-MISC; everything
    /// else O.
    pub fn rigged(seed: u64) -> TinySpec {
        let rig = [
            ("Marco", "B-PER"),
            ("Rubio", "I-PER"),
            ("Tammy", "B-PER"),
            ("Bruce", "I-PER"),
            ("Reuters", "B-ORG"),
            ("Washington", "B-LOC"),
            ("Paris", "B-LOC"),
            ("France", "B-LOC"),
            ("Olympics", "B-MISC"),
        ];
        let mut spec = TinySpec::random(seed);
        spec.encoder_scale = 0.05;
        spec.rigged = rig
            .iter()
            .map(|(w, l)| {
                (
                    w.to_string(),
                    CONLL_LABELS
                        .iter()
                        .position(|x| x == l)
                        .expect("a CoNLL label"),
                )
            })
            .collect();
        spec
    }

    /// A BERT-base-sized encoder (hidden 768, 12 layers, 12 heads) with random weights and
    /// the small vocabulary: for measuring speed, not quality.
    pub fn base_sized(seed: u64) -> TinySpec {
        TinySpec {
            hidden_size: 768,
            num_hidden_layers: 12,
            num_attention_heads: 12,
            intermediate_size: 3072,
            ..TinySpec::random(seed)
        }
    }

    fn config(&self, vocab_size: i64) -> BertConfig {
        BertConfig {
            hidden_act: Activation::gelu,
            attention_probs_dropout_prob: 0.1,
            hidden_dropout_prob: 0.1,
            hidden_size: self.hidden_size,
            initializer_range: 0.02,
            intermediate_size: self.intermediate_size,
            max_position_embeddings: self.max_position_embeddings,
            num_attention_heads: self.num_attention_heads,
            num_hidden_layers: self.num_hidden_layers,
            type_vocab_size: 2,
            vocab_size,
            output_attentions: None,
            output_hidden_states: None,
            is_decoder: None,
            id2label: Some(
                self.labels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (i as i64, l.clone()))
                    .collect(),
            ),
            label2id: Some(
                self.labels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (l.clone(), i as i64))
                    .collect(),
            ),
        }
    }
}

/// The default vocabulary: common words, letters and digits, `##` letters and digits,
/// punctuation.
pub fn default_vocab() -> Vec<String> {
    let mut vocab: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !vocab.contains(&s) {
            vocab.push(s);
        }
    };
    for c in ".,;:!?'\"()[]-/&%$#@*+=<>_".chars() {
        push(c.to_string());
    }
    for w in WORDS.split_whitespace() {
        push(w.to_string());
        let mut cap = w.to_string();
        cap[..1].make_ascii_uppercase();
        push(cap);
    }
    for c in ('a'..='z').chain('A'..='Z').chain('0'..='9') {
        push(c.to_string());
        push(format!("##{c}"));
    }
    for piece in ["##s", "##ed", "##ing", "##er", "##ly", "##ion", "##ton"] {
        push(piece.to_string());
    }
    vocab
}

/// Write `config.json`, `vocab.txt` and the weights into `dir` (created if needed);
/// returns the weights file.
pub fn write_model(
    dir: &Path,
    spec: &TinySpec,
) -> Result<PathBuf, Box<dyn std::error::Error + Send + Sync>> {
    std::fs::create_dir_all(dir)?;
    let vocab: Vec<String> = SPECIAL
        .iter()
        .map(|s| s.to_string())
        .chain(spec.vocab.iter().cloned())
        .collect();
    std::fs::write(dir.join(crate::VOCAB_FILE), vocab.join("\n") + "\n")?;
    let config = spec.config(vocab.len() as i64);
    let mut json = serde_json::json!({
        "model_type": "bert",
        "architectures": ["BertForTokenClassification"],
        "hidden_act": "gelu",
        "attention_probs_dropout_prob": config.attention_probs_dropout_prob,
        "hidden_dropout_prob": config.hidden_dropout_prob,
        "hidden_size": config.hidden_size,
        "initializer_range": config.initializer_range,
        "intermediate_size": config.intermediate_size,
        "max_position_embeddings": config.max_position_embeddings,
        "num_attention_heads": config.num_attention_heads,
        "num_hidden_layers": config.num_hidden_layers,
        "type_vocab_size": config.type_vocab_size,
        "vocab_size": config.vocab_size,
    });
    let id2label: serde_json::Map<String, serde_json::Value> = spec
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| (i.to_string(), l.clone().into()))
        .collect();
    let label2id: serde_json::Map<String, serde_json::Value> = spec
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.clone(), i.into()))
        .collect();
    json["id2label"] = id2label.into();
    json["label2id"] = label2id.into();
    std::fs::write(
        dir.join(crate::CONFIG_FILE),
        serde_json::to_string_pretty(&json)? + "\n",
    )?;

    let vs = nn::VarStore::new(Device::Cpu);
    let _model = BertForTokenClassification::new(vs.root(), &config)?;
    let mut rng = SplitMix64(spec.seed);
    let variables: HashMap<String, Tensor> = vs.variables();
    let mut names: Vec<&String> = variables.keys().collect();
    names.sort();
    let n_labels = spec.labels.len() as i64;
    let rig = !spec.rigged.is_empty();
    if rig && spec.hidden_size <= n_labels {
        return Err("rigging needs hidden_size > number of labels".into());
    }
    let index: HashMap<&str, i64> = vocab
        .iter()
        .enumerate()
        .map(|(i, w)| (w.as_str(), i as i64))
        .collect();
    tch::no_grad(|| -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        for name in names {
            let var = &variables[name];
            let size = var.size();
            let numel: i64 = size.iter().product();
            let fan_in = *size.last().unwrap_or(&1) as f64;
            let mut values: Vec<f32> = if name.ends_with("LayerNorm.weight") {
                vec![1.0; numel as usize]
            } else if name.ends_with("LayerNorm.bias") {
                vec![0.0; numel as usize]
            } else if name.contains("embeddings") {
                (0..numel).map(|_| rng.symmetric() * 1.7).collect()
            } else {
                let scale = if name.starts_with("bert.encoder") {
                    spec.encoder_scale
                } else {
                    1.0
                };
                let bound = scale * (3.0 / fan_in).sqrt();
                (0..numel)
                    .map(|_| (rng.symmetric() as f64 * bound) as f32)
                    .collect()
            };
            let hidden = spec.hidden_size as usize;
            if rig
                && name.contains("embeddings")
                && name.ends_with(".weight")
                && !name.contains("LayerNorm")
            {
                // Label directions (dims 1..labels) are silent in every embedding ...
                for row in values.chunks_mut(hidden) {
                    row[1..n_labels as usize].iter_mut().for_each(|v| *v = 0.0);
                }
                // ... but the rigged words', which point along their label's.
                if name.ends_with("word_embeddings.weight") {
                    for (word, label) in &spec.rigged {
                        let i = *index.get(word.as_str()).ok_or_else(|| {
                            format!("rigged word {word:?} is not in the vocabulary")
                        })?;
                        let row = &mut values[i as usize * hidden..(i as usize + 1) * hidden];
                        row.iter_mut().for_each(|v| *v = 0.0);
                        row[*label] = 10.0;
                    }
                }
            }
            if rig && name == "classifier.weight" {
                values.iter_mut().for_each(|v| *v = 0.0);
                for label in 1..n_labels as usize {
                    values[label * hidden + label] = 2.0;
                }
            }
            if name == "classifier.bias" {
                if rig {
                    values.iter_mut().for_each(|v| *v = 0.0);
                    values[0] = 3.0;
                }
                for (label, add) in &spec.bias {
                    values[*label] += *add as f32;
                }
            }
            let tensor = Tensor::from_slice(&values)
                .reshape(&size)
                .to_kind(Kind::Float);
            let mut var = var.shallow_clone();
            var.copy_(&tensor);
        }
        Ok(())
    })?;
    let weights = dir.join(if spec.safetensors {
        "model.safetensors"
    } else {
        "rust_model.ot"
    });
    vs.save(&weights)?;
    Ok(weights)
}

/// SplitMix64: a tiny deterministic generator, so the same spec writes the same weights.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [-1, 1).
    fn symmetric(&mut self) -> f32 {
        ((self.next() >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
    }
}
