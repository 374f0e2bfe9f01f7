//! CoNLL-U dependency trees for the parser: form, UPOS, XPOS, head and relation of every
//! syntactic word (multi-word token lines `1-2` and empty nodes `1.1` are skipped).

use crate::conll::parse_conllu_line;
use crate::error::read_text;
use crate::CorpusError;
use kith_nlp::train::DepSentence;
use std::path::Path;

/// Reads a CoNLL-U file's dependency trees. Heads must be numbers within the sentence and
/// relations non-empty; anything else is an error naming `file:line`.
pub fn read_conllu_trees(path: &Path) -> Result<Vec<DepSentence>, CorpusError> {
    let text = read_text(path)?;
    let mut out = Vec::new();
    let mut sent = DepSentence::default();
    // Raw heads (0 = root) and the line of each token, checked when the sentence ends.
    let mut raw_heads: Vec<(usize, usize)> = Vec::new();
    let finish = |sent: &mut DepSentence,
                  raw_heads: &mut Vec<(usize, usize)>,
                  out: &mut Vec<DepSentence>|
     -> Result<(), CorpusError> {
        if sent.words.is_empty() {
            return Ok(());
        }
        let n = sent.words.len();
        for &(h, line) in raw_heads.iter() {
            if h > n {
                return Err(CorpusError::malformed(
                    path,
                    line,
                    format!("head {h} is outside the sentence of {n} words"),
                ));
            }
            sent.heads.push(if h == 0 { None } else { Some(h - 1) });
        }
        for (i, h) in sent.heads.iter().enumerate() {
            if *h == Some(i) {
                return Err(CorpusError::malformed(
                    path,
                    raw_heads[i].1,
                    "word is its own head",
                ));
            }
        }
        raw_heads.clear();
        out.push(std::mem::take(sent));
        Ok(())
    };
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            finish(&mut sent, &mut raw_heads, &mut out)?;
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let Some((id, tok)) = parse_conllu_line(path, line_no, line)? else {
            continue;
        };
        if id != sent.words.len() + 1 {
            return Err(CorpusError::malformed(
                path,
                line_no,
                format!(
                    "token id {id} out of sequence (expected {})",
                    sent.words.len() + 1
                ),
            ));
        }
        let Some(head) = tok.head else {
            return Err(CorpusError::malformed(
                path,
                line_no,
                "no head (`_` in the HEAD column)",
            ));
        };
        if tok.deprel.is_empty() || tok.deprel == "_" {
            return Err(CorpusError::malformed(
                path,
                line_no,
                "no relation (DEPREL column)",
            ));
        }
        sent.words.push(tok.form.to_string());
        sent.upos.push(tok.upos.to_string());
        sent.xpos.push(tok.xpos.to_string());
        sent.labels.push(tok.deprel.to_string());
        raw_heads.push((head, line_no));
    }
    finish(&mut sent, &mut raw_heads, &mut out)?;
    Ok(out)
}

/// Attachment scores: UAS (head right) and LAS (head and relation right, subtype
/// included), over words whose gold UPOS is not `PUNCT` (the usual convention).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DepScores {
    /// Scored words (gold UPOS not PUNCT).
    pub words: usize,
    /// Scored words whose head is right.
    pub head_correct: usize,
    /// Scored words whose head and relation are both right.
    pub labeled_correct: usize,
    /// Scored words whose relation (ignoring the head) is right.
    pub label_correct: usize,
    /// Sentences scored.
    pub sentences: usize,
    /// Sentences whose every scored word has the right head and relation.
    pub exact: usize,
}

impl DepScores {
    /// Adds one sentence: gold UPOS, heads (sentence word index or `None` for the root)
    /// and relations, and predicted heads and relations (same length).
    pub fn add_sentence(
        &mut self,
        gold_upos: &[&str],
        gold_heads: &[Option<usize>],
        gold_labels: &[&str],
        heads: &[Option<usize>],
        labels: &[&str],
    ) {
        let mut all = true;
        for i in 0..gold_heads.len() {
            if gold_upos[i] == "PUNCT" {
                continue;
            }
            self.words += 1;
            let h = gold_heads[i] == heads[i];
            let l = gold_labels[i] == labels[i];
            self.head_correct += h as usize;
            self.label_correct += l as usize;
            self.labeled_correct += (h && l) as usize;
            all &= h && l;
        }
        self.sentences += 1;
        self.exact += all as usize;
    }

    fn pct(x: usize, n: usize) -> f64 {
        if n == 0 {
            0.0
        } else {
            100.0 * x as f64 / n as f64
        }
    }

    /// Unlabelled attachment score, in percent of scored words.
    pub fn uas(&self) -> f64 {
        Self::pct(self.head_correct, self.words)
    }

    /// Labelled attachment score, in percent of scored words.
    pub fn las(&self) -> f64 {
        Self::pct(self.labeled_correct, self.words)
    }

    /// Relation accuracy (LA).
    pub fn la(&self) -> f64 {
        Self::pct(self.label_correct, self.words)
    }
}

impl std::fmt::Display for DepScores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "UAS {:.2}%  LAS {:.2}%  LA {:.2}%  ({} words without punctuation, {} sentences, {:.1}% exact)",
            self.uas(),
            self.las(),
            self.la(),
            self.words,
            self.sentences,
            Self::pct(self.exact, self.sentences)
        )
    }
}
