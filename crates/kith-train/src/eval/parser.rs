//! `kith eval parser`: UAS and LAS on CoNLL-U trees, punctuation (gold UPOS `PUNCT`)
//! excluded, parsing with a POS model's tags or the gold ones.

use crate::error::Result;
use kith_corpus::{DepScores, DepSentence};
use kith_nlp::{ParserModel, PosModel, PosTag};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The scores of a parser.
#[derive(Debug, Clone, Default)]
pub struct ParserReport {
    /// Attachment scores.
    pub scores: DepScores,
    /// Tokens read, punctuation included.
    pub tokens: usize,
    /// Per gold relation: (words, labeled correct).
    pub per_label: BTreeMap<String, (usize, usize)>,
    /// Words with the right head and the wrong relation, by (gold, predicted) relation.
    pub confusions: BTreeMap<(String, &'static str), usize>,
}

impl ParserReport {
    /// The `n` gold relations losing most words (gold minus labeled correct), ties in
    /// relation order.
    pub fn top_losses(&self, n: usize) -> Vec<(&String, &(usize, usize))> {
        let mut top: Vec<(&String, &(usize, usize))> = self.per_label.iter().collect();
        top.sort_by(|a, b| (b.1 .0 - b.1 .1).cmp(&(a.1 .0 - a.1 .1)).then(a.0.cmp(b.0)));
        top.truncate(n);
        top
    }

    /// The `n` most frequent relation confusions on right heads, most frequent first.
    pub fn top_confusions(&self, n: usize) -> Vec<(&(String, &'static str), usize)> {
        let mut conf: Vec<_> = self.confusions.iter().map(|(k, v)| (k, *v)).collect();
        conf.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        conf.truncate(n);
        conf
    }
}

/// Tags every sentence with a POS model.
pub fn predicted_tags(model: &PosModel, sents: &[DepSentence]) -> Vec<Vec<PosTag>> {
    sents
        .iter()
        .map(|s| {
            let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
            model.tag(&words)
        })
        .collect()
}

/// Parses the sentences of CoNLL-U `files` with the parser at `model`, tagged by the POS
/// model at `pos_model` (gold tags without one), and scores it.
pub fn evaluate(model: &Path, pos_model: Option<&Path>, files: &[PathBuf]) -> Result<ParserReport> {
    let model = ParserModel::load(model)?;
    let pos = pos_model.map(PosModel::load).transpose()?;
    let mut report = ParserReport::default();
    for f in files {
        for s in kith_corpus::read_conllu_trees(f)? {
            let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
            let tags = match &pos {
                Some(m) => m.tag(&words),
                None => s.tags(),
            };
            let arcs = model.parse(&words, &tags);
            let heads: Vec<Option<usize>> = arcs.iter().map(|a| a.0).collect();
            let labels: Vec<&str> = arcs.iter().map(|a| a.1).collect();
            let gu: Vec<&str> = s.upos.iter().map(String::as_str).collect();
            let gl: Vec<&str> = s.labels.iter().map(String::as_str).collect();
            report
                .scores
                .add_sentence(&gu, &s.heads, &gl, &heads, &labels);
            report.tokens += words.len();
            for i in 0..words.len() {
                if gu[i] != "PUNCT" {
                    let e = report.per_label.entry(gl[i].to_string()).or_default();
                    e.0 += 1;
                    e.1 += (heads[i] == s.heads[i] && labels[i] == gl[i]) as usize;
                    if heads[i] == s.heads[i] && labels[i] != gl[i] {
                        *report
                            .confusions
                            .entry((gl[i].to_string(), labels[i]))
                            .or_default() += 1;
                    }
                }
            }
        }
    }
    Ok(report)
}
