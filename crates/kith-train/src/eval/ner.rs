//! `kith eval ner`: exact span and type, micro-averaged (conlleval), of the NER model as
//! the pipeline runs it (the event-name rules first, unless left out; sentences in
//! capitals re-cased from the rest of the document, one type per name per document).
//!
//! Column files (CoNLL, WikiANN) are scored in their own label set when it is CoNLL's
//! (PER, ORG, LOC, MISC): the model's Kith types map back (Person→PER,
//! Organization→ORG, Location→LOC, Other and Event→MISC). Other column files (WNUT-17
//! types) and GUM CoNLL-U files are mapped to Kith types and scored in those.

use crate::error::Result;
use kith_corpus::{chunks, spans_to_bio, to_conll_type, Chunk, EntityScores, TaggedDocument};
use kith_nlp::NerModel;
use std::path::{Path, PathBuf};

/// How gold NER files are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoldFormat {
    /// Column files: CoNLL-2003 / wikigold / BTC / WNUT (word first, tag last).
    Conll,
    /// CoNLL-U: GUM entity mentions.
    Conllu,
    /// `index word tag` lines (WikiANN).
    Wikiann,
    /// CoNLL04 JSON.
    Conll04,
}

/// What `kith eval ner` scores, and how.
#[derive(Debug, Clone)]
pub struct NerEvalOptions {
    /// The gold files' format.
    pub format: GoldFormat,
    /// Score in CoNLL-2003 types even when the gold data does not use them.
    pub conll_types: bool,
    /// Score only these entity types (gold and prediction alike); empty: all.
    pub only: Vec<String>,
    /// Score the model alone, without the event-name rules.
    pub no_event_rules: bool,
    /// Collect each sentence's missed and spurious entities ([`NerReport::errors`]).
    pub show_errors: bool,
    /// Collect every token's gold and predicted tag ([`NerReport::predictions`]).
    pub predictions: bool,
}

/// A missed or spurious entity of one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NerError {
    /// Missed (in gold, not predicted) rather than spurious.
    pub missed: bool,
    /// The entity's type.
    pub kind: String,
    /// Its words, joined by spaces.
    pub text: String,
    /// A spurious entity with the span of a gold one: the gold type.
    pub gold_kind: Option<String>,
    /// The sentence's words, joined by spaces.
    pub sentence: String,
}

/// The scores of an NER model.
#[derive(Debug, Clone, Default)]
pub struct NerReport {
    /// Documents scored.
    pub documents: usize,
    /// Whether scores are in CoNLL-2003 types (else Kith types).
    pub conll_types: bool,
    /// The scores.
    pub scores: EntityScores,
    /// With [`NerEvalOptions::show_errors`]: the errors, sentence by sentence.
    pub errors: Vec<NerError>,
    /// With [`NerEvalOptions::predictions`]: every token as a `word gold predicted` line,
    /// a blank line after each sentence and `-DOCSTART- O O` before each document (the
    /// layout of the CoNLL `conlleval` script).
    pub predictions: Option<String>,
}

/// Whether gold types are CoNLL's.
fn conll_label_set(docs: &[TaggedDocument]) -> bool {
    docs.iter()
        .flat_map(|d| &d.sentences)
        .flat_map(|s| chunks(&s.tags))
        .any(|c| matches!(c.kind.as_str(), "PER" | "ORG" | "LOC" | "MISC"))
}

fn read_gold(format: GoldFormat, path: &Path) -> Result<Vec<TaggedDocument>> {
    Ok(match format {
        GoldFormat::Conllu => kith_corpus::read_gum_ner(path)?,
        GoldFormat::Conll => kith_corpus::read_conll_raw(path)?,
        GoldFormat::Wikiann => kith_corpus::read_wikiann_raw(path)?,
        GoldFormat::Conll04 => kith_corpus::conll04::read_conll04_ner(path)?,
    })
}

/// A sentence's missed and spurious entities, with the gold type of a wrongly typed
/// span.
fn ner_errors(words: &[String], gold: &[String], pred: &[String], out: &mut Vec<NerError>) {
    let (g, p) = (chunks(gold), chunks(pred));
    let text = |c: &Chunk| words[c.start..c.end].join(" ");
    let sentence = words.join(" ");
    for c in g.iter().filter(|c| !p.contains(c)) {
        out.push(NerError {
            missed: true,
            kind: c.kind.clone(),
            text: text(c),
            gold_kind: None,
            sentence: sentence.clone(),
        });
    }
    for c in p.iter().filter(|c| !g.contains(c)) {
        let gold_kind = g
            .iter()
            .find(|x| x.start == c.start && x.end == c.end)
            .map(|x| x.kind.clone());
        out.push(NerError {
            missed: false,
            kind: c.kind.clone(),
            text: text(c),
            gold_kind,
            sentence: sentence.clone(),
        });
    }
}

/// `word gold predicted` lines of one sentence and the blank line after it. conlleval
/// splits lines at whitespace, so a word holding some (CoNLL-U allows it) has it written
/// as `_`, and an empty word is `_`: either would otherwise shift the columns.
fn push_prediction_lines(out: &mut String, words: &[String], gold: &[String], pred: &[String]) {
    for ((w, g), p) in words.iter().zip(gold).zip(pred) {
        if w.is_empty() {
            out.push('_');
        } else {
            out.extend(w.chars().map(|c| if c.is_whitespace() { '_' } else { c }));
        }
        for tag in [g, p] {
            out.push(' ');
            out.push_str(tag);
        }
        out.push('\n');
    }
    out.push('\n');
}

/// [`kith_nlp::train::one_type_per_name`] over a document's sentences (spans in sentence
/// offsets, as `NerModel::tag_document` gives them).
fn one_type_per_document_name(
    sentences: &[Vec<&str>],
    predicted: Vec<Vec<kith_nlp::train::NerSpan>>,
) -> Vec<Vec<kith_nlp::train::NerSpan>> {
    let words: Vec<&str> = sentences.iter().flatten().copied().collect();
    let mut offsets = Vec::with_capacity(sentences.len());
    let mut at = 0;
    for s in sentences {
        offsets.push(at);
        at += s.len();
    }
    let mut flat: Vec<kith_nlp::train::NerSpan> = predicted
        .iter()
        .zip(&offsets)
        .flat_map(|(spans, &o)| spans.iter().map(move |&(s, e, k, c)| (s + o, e + o, k, c)))
        .collect();
    kith_nlp::train::one_type_per_name(&words, &mut flat);
    let mut flat = flat.into_iter();
    predicted
        .iter()
        .zip(&offsets)
        .map(|(spans, &o)| {
            spans
                .iter()
                .map(|_| {
                    let (s, e, k, c) = flat.next().expect("one per span");
                    (s - o, e - o, k, c)
                })
                .collect()
        })
        .collect()
}

/// Tags the documents of `files` with the model at `model` (the event-name rules first,
/// as the pipeline does, unless [`NerEvalOptions::no_event_rules`]) and scores it.
pub fn evaluate(model: &Path, files: &[PathBuf], options: &NerEvalOptions) -> Result<NerReport> {
    let model = NerModel::load(model)?;
    let mut docs = Vec::new();
    for f in files {
        docs.extend(read_gold(options.format, f)?);
    }
    let conll_types =
        options.conll_types || (options.format != GoldFormat::Conllu && conll_label_set(&docs));
    let mut scores = EntityScores::default();
    let mut errors = Vec::new();
    let mut predictions = String::new();
    for doc in &docs {
        if options.predictions {
            predictions.push_str("-DOCSTART- O O\n\n");
        }
        let sentences: Vec<Vec<&str>> = doc
            .sentences
            .iter()
            .map(|s| s.words.iter().map(String::as_str).collect())
            .collect();
        // As the pipeline tags: sentences in capitals re-cased from the others, then one
        // type per name across the document.
        let recased = kith_nlp::train::recase_sentences(&sentences);
        let recased: Vec<Vec<&str>> = recased
            .iter()
            .map(|s| s.iter().map(String::as_str).collect())
            .collect();
        let predicted = model.tag_document(&recased);
        let predicted = one_type_per_document_name(&recased, predicted);
        // What the pipeline does: event names by rule first, the model's spans elsewhere.
        let events = if options.no_event_rules {
            vec![Vec::new(); sentences.len()]
        } else {
            kith_nlp::train::document_event_names(&sentences)
        };
        for ((s, spans), events) in doc.sentences.iter().zip(predicted).zip(&events) {
            let spans = kith_nlp::train::with_event_names(events, spans);
            let pred_chunks: Vec<Chunk> = spans
                .iter()
                .map(|&(start, end, kind, _)| {
                    (
                        start,
                        end,
                        kith_nlp::train::institution_type(&s.words[end - 1], kind),
                    )
                })
                .map(|(start, end, kind)| Chunk {
                    start,
                    end,
                    kind: if conll_types {
                        to_conll_type(kind.as_str()).to_string()
                    } else {
                        kind.as_str().to_string()
                    },
                })
                .collect();
            let pred = spans_to_bio(s.words.len(), &pred_chunks);
            let gold: Vec<String> = if conll_types || options.format == GoldFormat::Conllu {
                s.tags.clone()
            } else {
                // Column files in another label set (WNUT-17 types): map gold to Kith types.
                let mapped: Vec<Chunk> = chunks(&s.tags)
                    .into_iter()
                    .filter_map(|c| {
                        kith_corpus::wnut_to_kith(&c.kind)
                            .or_else(|| kith_corpus::conll_to_kith(&c.kind))
                            .or(Some(c.kind.as_str()).filter(|k| {
                                ["Person", "Organization", "Location", "Event", "Other"].contains(k)
                            }))
                            .map(|k| Chunk {
                                kind: k.to_string(),
                                ..c.clone()
                            })
                    })
                    .collect();
                spans_to_bio(s.words.len(), &mapped)
            };
            let keep = |tags: &[String]| {
                let kept: Vec<Chunk> = chunks(tags)
                    .into_iter()
                    .filter(|c| options.only.is_empty() || options.only.contains(&c.kind))
                    .collect();
                spans_to_bio(tags.len(), &kept)
            };
            let (gold, pred) = if options.only.is_empty() {
                (gold, pred)
            } else {
                (keep(&gold), keep(&pred))
            };
            if options.show_errors {
                ner_errors(&s.words, &gold, &pred, &mut errors);
            }
            if options.predictions {
                push_prediction_lines(&mut predictions, &s.words, &gold, &pred);
            }
            scores.add_sentence(&gold, &pred);
        }
    }
    Ok(NerReport {
        documents: docs.len(),
        conll_types,
        scores,
        errors,
        predictions: options.predictions.then_some(predictions),
    })
}

#[cfg(test)]
mod tests {
    use super::push_prediction_lines;

    #[test]
    fn prediction_lines_keep_three_columns() {
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut out = String::new();
        let words = owned(&["New York", "", "rose", "\u{a0}"]);
        push_prediction_lines(
            &mut out,
            &words,
            &owned(&["B-LOC", "O", "O", "O"]),
            &owned(&["B-LOC", "O", "B-PER", "O"]),
        );
        assert_eq!(out, "New_York B-LOC B-LOC\n_ O O\nrose O B-PER\n_ O O\n\n");
        assert!(out
            .lines()
            .filter(|l| !l.is_empty())
            .all(|l| l.split_whitespace().count() == 3));
    }
}
