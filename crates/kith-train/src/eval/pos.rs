//! `kith eval pos`: UPOS and XPOS token accuracy on CoNLL-U files.

use crate::error::Result;
use kith_corpus::PosScores;
use kith_nlp::PosModel;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The scores of a POS model.
#[derive(Debug, Clone, Default)]
pub struct PosReport {
    /// Token accuracies.
    pub scores: PosScores,
    /// Tokens by (gold UPOS, predicted UPOS), for the wrongly tagged ones.
    pub confusions: BTreeMap<(String, String), usize>,
}

impl PosReport {
    /// The `n` most frequent UPOS confusions, most frequent first (ties in tag order).
    pub fn top_confusions(&self, n: usize) -> Vec<(&(String, String), usize)> {
        let mut top: Vec<_> = self.confusions.iter().map(|(k, v)| (k, *v)).collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        top.truncate(n);
        top
    }
}

/// Tags the sentences of CoNLL-U `files` with the model at `model` and scores it.
pub fn evaluate(model: &Path, files: &[PathBuf]) -> Result<PosReport> {
    let model = PosModel::load(model)?;
    let mut report = PosReport::default();
    for f in files {
        for s in kith_corpus::read_conllu_pos(f)? {
            let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
            let tags = model.tag(&words);
            let upos: Vec<&str> = tags.iter().map(|t| t.upos).collect();
            let xpos: Vec<&str> = tags.iter().map(|t| t.xpos).collect();
            let gu: Vec<&str> = s.upos.iter().map(String::as_str).collect();
            let gx: Vec<&str> = s.xpos.iter().map(String::as_str).collect();
            report.scores.add_sentence(&gu, &gx, &upos, &xpos);
            for (g, p) in gu.iter().zip(&upos) {
                if g != p {
                    *report
                        .confusions
                        .entry((g.to_string(), p.to_string()))
                        .or_default() += 1;
                }
            }
        }
    }
    Ok(report)
}
