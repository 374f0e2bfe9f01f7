//! Sentence boundaries: the running text and gold sentences of CoNLL-U documents, and the
//! scores of a splitter against them.
//!
//! # Running text
//!
//! [`read_conllu_sentences`] rebuilds each document (`# newdoc`) from its word forms, as
//! the text before tokenization would have read: within a sentence, tokens joined by a
//! space unless `SpaceAfter=No` (a multi-word token such as *don't* is written once, as
//! its range line gives it); sentences of one paragraph joined by a space; a new paragraph
//! (`# newpar`, not GUM's `# newpar_block`) after a blank line. A file without `# newdoc`
//! is one document. Documents whose word forms are masked (GUM's reddit texts, all `_`)
//! are left out.
//!
//! # Scores
//!
//! [`SentenceScores::add_document`] compares predicted and gold sentences as byte spans
//! of the running text, whitespace around them ignored: a predicted sentence is correct
//! when a gold sentence has the same start and end (precision over predicted sentences,
//! recall over gold ones). Boundaries are scored too: the ends of a document's sentences
//! but the last, so that a document read as one sentence scores no boundary at all.

use crate::error::read_text;
use crate::score::Prf;
use crate::CorpusError;
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::Path;

/// A document of a CoNLL-U file: its running text and its gold sentences.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SentenceDocument {
    /// The `# newdoc id` (empty when the file has none).
    pub id: String,
    /// The running text, rebuilt from the word forms (see the module docs).
    pub text: String,
    /// Gold sentences as byte spans `[start, end)` of `text`, in order.
    pub sentences: Vec<(usize, usize)>,
}

impl SentenceDocument {
    /// The same document with a single line break between paragraphs instead of a blank
    /// line, as much scraped news is laid out: what a splitter must then find without the
    /// blank line's help.
    pub fn with_line_paragraphs(&self) -> SentenceDocument {
        let mut text = String::with_capacity(self.text.len());
        let mut sentences = Vec::with_capacity(self.sentences.len());
        let mut previous_end = 0;
        for &(start, end) in &self.sentences {
            let gap = &self.text[previous_end..start];
            text.push_str(if gap.contains('\n') { "\n" } else { gap });
            let at = text.len();
            text.push_str(&self.text[start..end]);
            sentences.push((at, text.len()));
            previous_end = end;
        }
        SentenceDocument {
            id: self.id.clone(),
            text,
            sentences,
        }
    }
}

/// Reads a CoNLL-U file into documents with their running text and gold sentences (see
/// the module docs).
pub fn read_conllu_sentences(path: &Path) -> Result<Vec<SentenceDocument>, CorpusError> {
    let text = read_text(path)?;
    parse_conllu_sentences(&text, path)
}

/// [`read_conllu_sentences`] on text already read; `path` names it in errors.
pub fn parse_conllu_sentences(
    text: &str,
    path: &Path,
) -> Result<Vec<SentenceDocument>, CorpusError> {
    let mut docs = Vec::new();
    let mut doc = SentenceDocument::default();
    let mut new_paragraph = false;
    // The sentence being read: its text, and the end of the last multi-word token range.
    let mut sentence = String::new();
    let mut range_end = 0usize;
    let mut masked = true;
    let finish = |doc: &mut SentenceDocument, docs: &mut Vec<SentenceDocument>, masked: bool| {
        let taken = std::mem::take(doc);
        if !taken.sentences.is_empty() && !masked {
            docs.push(taken);
        }
    };
    let end_sentence = |doc: &mut SentenceDocument, sentence: &mut String, para: &mut bool| {
        let s = sentence.trim_end();
        if s.is_empty() {
            sentence.clear();
            return;
        }
        if !doc.text.is_empty() {
            doc.text.push_str(if *para { "\n\n" } else { " " });
        }
        let start = doc.text.len();
        doc.text.push_str(s);
        doc.sentences.push((start, doc.text.len()));
        sentence.clear();
        *para = false;
    };
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = line.strip_prefix('#') {
            let rest = rest.trim_start();
            if let Some(id) = rest.strip_prefix("newdoc") {
                end_sentence(&mut doc, &mut sentence, &mut new_paragraph);
                finish(&mut doc, &mut docs, masked);
                masked = true;
                new_paragraph = false;
                doc.id = id
                    .trim_start()
                    .strip_prefix("id")
                    .and_then(|r| r.trim_start().strip_prefix('='))
                    .unwrap_or("")
                    .trim()
                    .to_string();
            } else if rest
                .strip_prefix("newpar")
                .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '=']))
            {
                new_paragraph = true;
            }
            continue;
        }
        if line.trim().is_empty() {
            end_sentence(&mut doc, &mut sentence, &mut new_paragraph);
            range_end = 0;
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(CorpusError::malformed(
                path,
                line_no,
                format!(
                    "expected 10 tab-separated CoNLL-U columns, found {}",
                    cols.len()
                ),
            ));
        }
        let id = cols[0];
        if id.contains('.') {
            continue; // an empty node: no word of the text
        }
        let number = |s: &str| {
            s.parse::<usize>().map_err(|_| {
                CorpusError::malformed(path, line_no, format!("token id `{id}` is not a number"))
            })
        };
        if let Some((first, last)) = id.split_once('-') {
            let (_, last) = (number(first)?, number(last)?);
            range_end = last;
        } else if number(id)? <= range_end {
            continue; // a word of a multi-word token already written
        }
        let form = cols[1];
        if form.chars().any(|c| c != '_') {
            masked = false;
        }
        sentence.push_str(form);
        if !cols[9].split('|').any(|f| f == "SpaceAfter=No") {
            sentence.push(' ');
        }
    }
    end_sentence(&mut doc, &mut sentence, &mut new_paragraph);
    finish(&mut doc, &mut docs, masked);
    Ok(docs)
}

/// Where a predicted sentence boundary and the gold ones disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum BoundaryError {
    /// A gold sentence ends at this byte and the prediction runs on.
    Missed(usize),
    /// A predicted sentence ends at this byte inside a gold sentence.
    Spurious(usize),
}

/// Sentence and boundary scores, summed over documents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SentenceScores {
    /// Documents scored.
    pub documents: usize,
    /// Sentences whose start and end both match.
    pub sentences: Prf,
    /// Sentence ends other than each document's last.
    pub boundaries: Prf,
}

/// A span with the whitespace around it left out.
fn trimmed(text: &str, (start, end): (usize, usize)) -> (usize, usize) {
    let Some(s) = text.get(start..end) else {
        return (start, end);
    };
    let lead = s.len() - s.trim_start().len();
    let inner = s.trim();
    (start + lead, start + lead + inner.len())
}

impl SentenceScores {
    /// Adds one document's gold and predicted sentences (byte spans of `text`); returns
    /// where the boundaries disagree, in text order.
    pub fn add_document(
        &mut self,
        text: &str,
        gold: &[(usize, usize)],
        predicted: &[(usize, usize)],
    ) -> Vec<BoundaryError> {
        let clean = |spans: &[(usize, usize)]| -> Vec<(usize, usize)> {
            spans
                .iter()
                .map(|&s| trimmed(text, s))
                .filter(|(s, e)| e > s)
                .collect()
        };
        let (gold, predicted) = (clean(gold), clean(predicted));
        let gold_set: BTreeSet<(usize, usize)> = gold.iter().copied().collect();
        self.documents += 1;
        self.sentences.gold += gold.len();
        self.sentences.predicted += predicted.len();
        self.sentences.correct += predicted.iter().filter(|s| gold_set.contains(s)).count();
        let ends = |spans: &[(usize, usize)]| -> BTreeSet<usize> {
            spans
                .iter()
                .take(spans.len().saturating_sub(1))
                .map(|s| s.1)
                .collect()
        };
        let (gold_ends, predicted_ends) = (ends(&gold), ends(&predicted));
        self.boundaries.gold += gold_ends.len();
        self.boundaries.predicted += predicted_ends.len();
        self.boundaries.correct += gold_ends.intersection(&predicted_ends).count();
        let mut errors: Vec<BoundaryError> = gold_ends
            .difference(&predicted_ends)
            .map(|&e| BoundaryError::Missed(e))
            .chain(
                predicted_ends
                    .difference(&gold_ends)
                    .map(|&e| BoundaryError::Spurious(e)),
            )
            .collect();
        errors.sort_by_key(|e| match *e {
            BoundaryError::Missed(at) | BoundaryError::Spurious(at) => at,
        });
        errors
    }
}

/// Kith's sentences of a text (its tokenizer and splitter), as byte spans.
pub fn kith_sentences(text: &str) -> Vec<(usize, usize)> {
    let tokens = kith_nlp::tokenize(text);
    kith_nlp::split_sentences(text, &tokens)
        .iter()
        .map(|s| (s.start, s.end))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, form: &str, misc: &str) -> String {
        format!("{id}\t{form}\t_\tX\tX\t_\t0\troot\t_\t{misc}\n")
    }

    fn parse(text: &str) -> Vec<SentenceDocument> {
        parse_conllu_sentences(text, Path::new("test.conllu")).unwrap()
    }

    #[test]
    fn documents_paragraphs_and_spacing() {
        let mut text = String::from("# newdoc id = d1\n# newpar\n# text = Hi there.\n");
        text += &row("1", "Hi", "_");
        text += &row("2", "there", "SpaceAfter=No");
        text += &row("3", ".", "_");
        text += "\n# text = I don't.\n";
        text += &row("1", "I", "_");
        text += &row("2-3", "don't", "SpaceAfter=No");
        text += &row("2", "do", "_");
        text += &row("3", "n't", "_");
        text += &row("4", ".", "_");
        text += "\n# newpar_block = p (1 s)\n# newpar\n";
        text += &row("1", "Bye", "_");
        text += "\n# newdoc id = d2\n";
        text += &row("1", "Next", "_");
        text += "\n";
        let docs = parse(&text);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "d1");
        assert_eq!(docs[0].text, "Hi there. I don't.\n\nBye");
        let spans: Vec<&str> = docs[0]
            .sentences
            .iter()
            .map(|&(s, e)| &docs[0].text[s..e])
            .collect();
        assert_eq!(spans, vec!["Hi there.", "I don't.", "Bye"]);
        assert_eq!(docs[1].text, "Next");
        let lines = docs[0].with_line_paragraphs();
        assert_eq!(lines.text, "Hi there. I don't.\nBye");
        assert_eq!(lines.sentences, vec![(0, 9), (10, 18), (19, 22)]);
    }

    #[test]
    fn masked_documents_are_left_out() {
        let mut text = String::from("# newdoc id = r\n");
        text += &row("1", "___", "_");
        text += &row("2", "_", "_");
        text += "\n";
        assert!(parse(&text).is_empty());
    }

    #[test]
    fn bad_lines_are_errors() {
        let err = parse_conllu_sentences("1\tword\n", Path::new("x.conllu")).unwrap_err();
        assert!(err.to_string().contains("x.conllu:1"), "{err}");
        assert!(parse_conllu_sentences(&row("a", "w", "_"), Path::new("x")).is_err());
    }

    #[test]
    fn scores_count_exact_sentences_and_boundaries() {
        let text = "One two. Three four. Five.";
        let gold = [(0, 8), (9, 20), (21, 26)];
        let mut scores = SentenceScores::default();
        // The last two read as one; surrounding whitespace ignored.
        let errors = scores.add_document(text, &gold, &[(0, 9), (9, 26)]);
        assert_eq!(scores.sentences.correct, 1);
        assert_eq!(scores.sentences.predicted, 2);
        assert_eq!(scores.sentences.gold, 3);
        assert_eq!(scores.boundaries.correct, 1);
        assert_eq!(scores.boundaries.gold, 2);
        assert_eq!(errors, vec![BoundaryError::Missed(20)]);
        let errors = scores.add_document(text, &gold, &[(0, 4), (4, 8), (9, 20), (21, 26)]);
        assert_eq!(errors, vec![BoundaryError::Spurious(3)]);
        assert_eq!(scores.documents, 2);
    }

    #[test]
    fn kith_splits_plain_sentences() {
        let text = "It rained. Then it stopped.\n\nNew paragraph";
        let got = kith_sentences(text);
        assert_eq!(got.len(), 3);
        assert_eq!(&text[got[2].0..got[2].1], "New paragraph");
    }
}
