//! `kith eval relations`: strict end-to-end relation scores of a real pipeline (the
//! models directory's POS and NER models, gazetteers, rules) on CoNLL04, and the CoNLL04
//! relation classifier kept for measurement ([`conll04_classifier`]).
//!
//! Each sentence's text is its tokens joined by spaces (none before closing punctuation
//! and clitics such as "'s": [`detokenize`]); the pipeline runs on that text as on any
//! document, and its spans are mapped back onto the gold tokens ([`analyse`]: a span
//! covers the tokens it overlaps, so a span cut inside a token can only be wrong). Entity
//! types and relations map onto CoNLL04's with `kith_corpus::to_conll04_entity` and
//! `to_conll04_relation`; negated relations are not predictions. A relation counts when
//! both entities have the gold span and type and the relation has the gold type and
//! direction (strict, as SpERT and the data README report it).
//!
//! Two conventions of CoNLL04's annotation are followed: a capitalised "President" right
//! before a person's name is part of the name ("President Lincoln"), as in 43 of the 60
//! cases in its training set (other titles stay outside, as Kith writes them); and
//! nationality words ("French", "Mexican"), which Kith tags as their country, are not
//! entities, as in two thirds of the cases in its training set.

pub mod conll04_classifier;
pub mod crossre;
pub mod fewrel;
pub mod model;
pub mod redocred;
pub mod stand_ins;

use crate::error::Result;
use crate::progress::{Event, Progress};
use kith_corpus::conll04::{strict_relations, StrictRelation};
use kith_corpus::{
    read_conll04, to_conll04_entity, to_conll04_relation, Re04Entity, RelationScores,
};
use kith_nlp::train::Weights;
use kith_nlp::Doc;
use kith_schema::{DocId, EntityType, Polarity, ResolvedBy};
use std::path::{Path, PathBuf};

/// What `kith eval relations` measures besides the rules.
#[derive(Debug, Clone, Default)]
pub struct RelationEvalOptions {
    /// Also train the measurement-only classifier on this CoNLL04 file and score it.
    pub classifier_train: Option<PathBuf>,
    /// Collect each sentence's missed and spurious entities and relations
    /// ([`RelationReport::errors`]).
    pub show_errors: bool,
}

/// Strict CoNLL04 scores of a pipeline.
#[derive(Debug, Clone, Default)]
pub struct RelationReport {
    /// Sentences scored.
    pub sentences: usize,
    /// The relations of the rules (and the entities, on which every table agrees).
    pub rules: RelationScores,
    /// With [`RelationEvalOptions::classifier_train`]: the classifier's scores.
    pub classifier: Option<ClassifierScores>,
    /// With [`RelationEvalOptions::show_errors`]: the sentences with errors, in order.
    pub errors: Vec<SentenceErrors>,
}

/// The scores of the measurement-only classifier.
#[derive(Debug, Clone, Default)]
pub struct ClassifierScores {
    /// The classifier's relations.
    pub relations: RelationScores,
    /// The union of the rules' and the classifier's relations.
    pub with_rules: RelationScores,
}

/// A sentence's missed and spurious entities and relations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SentenceErrors {
    /// The sentence's gold tokens.
    pub tokens: Vec<String>,
    /// The rules' relation errors.
    pub rules: RelationErrors,
    /// Entities missed and spurious.
    pub entities: EntityErrors,
    /// The classifier's relation errors, when one was trained.
    pub classifier: Option<RelationErrors>,
}

/// Missed and spurious relations of one sentence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RelationErrors {
    /// Gold relations not predicted, each with whether the pipeline found both its
    /// entities (then the miss is the relation layer's).
    pub missed: Vec<(StrictRelation, bool)>,
    /// Predicted relations not in gold.
    pub spurious: Vec<StrictRelation>,
}

impl RelationErrors {
    /// No relation missed or spurious.
    pub fn is_empty(&self) -> bool {
        self.missed.is_empty() && self.spurious.is_empty()
    }

    fn new(gold: &[StrictRelation], entities: &[Re04Entity], predicted: &[StrictRelation]) -> Self {
        RelationErrors {
            missed: gold
                .iter()
                .filter(|g| !predicted.contains(g))
                .map(|r| {
                    let found = entities.contains(&r.0) && entities.contains(&r.1);
                    (r.clone(), found)
                })
                .collect(),
            spurious: predicted
                .iter()
                .filter(|p| !gold.contains(p))
                .cloned()
                .collect(),
        }
    }
}

/// Missed and spurious entities of one sentence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntityErrors {
    /// Gold entities not found.
    pub missed: Vec<Re04Entity>,
    /// Entities found that are not gold.
    pub spurious: Vec<Re04Entity>,
}

impl EntityErrors {
    /// No entity missed or spurious.
    pub fn is_empty(&self) -> bool {
        self.missed.is_empty() && self.spurious.is_empty()
    }
}

/// Runs `pipeline` on the sentences of CoNLL04 `files` and scores its entities and
/// relations strictly; with a classifier to train, reports its training data to
/// `progress` ([`Event::ClassifierData`]) before scoring.
pub fn evaluate(
    pipeline: &kith_nlp::Pipeline,
    files: &[PathBuf],
    options: &RelationEvalOptions,
    progress: &Progress,
) -> Result<RelationReport> {
    // Measurement only: a classifier trained on CoNLL04 train, kept in memory.
    let classifier = options
        .classifier_train
        .as_deref()
        .map(|path| train_classifier(pipeline, path, progress))
        .transpose()?;
    let mut report = RelationReport::default();
    let mut learned = RelationScores::default();
    let mut both = RelationScores::default();
    for f in files {
        for s in read_conll04(f)? {
            report.sentences += 1;
            let (doc, mapped) = analyse(pipeline, &s.tokens);
            let (entities, relations) = rule_relations(&doc, &mapped);
            let gold = strict_relations(&s.entities, &s.relations);
            let mut errors = options.show_errors.then(|| SentenceErrors {
                tokens: s.tokens.clone(),
                rules: RelationErrors::new(&gold, &entities, &relations),
                entities: EntityErrors {
                    missed: s
                        .entities
                        .iter()
                        .filter(|g| !entities.contains(g))
                        .cloned()
                        .collect(),
                    spurious: entities
                        .iter()
                        .filter(|f| !s.entities.contains(f))
                        .cloned()
                        .collect(),
                },
                classifier: None,
            });
            report
                .rules
                .add_sentence(&s.entities, &gold, &entities, &relations);
            if let Some(weights) = &classifier {
                let predicted = conll04_classifier::predict(
                    weights,
                    &conll04_classifier::candidates(&doc, &mapped, &[]),
                );
                if let Some(errors) = &mut errors {
                    errors.classifier = Some(RelationErrors::new(&gold, &entities, &predicted));
                }
                learned.add_sentence(&s.entities, &gold, &entities, &predicted);
                let mut union = relations.clone();
                union.extend(predicted);
                union.sort();
                union.dedup();
                both.add_sentence(&s.entities, &gold, &entities, &union);
            }
            if let Some(errors) = errors {
                let none = errors.rules.is_empty()
                    && errors.entities.is_empty()
                    && errors
                        .classifier
                        .as_ref()
                        .is_none_or(RelationErrors::is_empty);
                if !none {
                    report.errors.push(errors);
                }
            }
        }
    }
    report.classifier = classifier.map(|_| ClassifierScores {
        relations: learned,
        with_rules: both,
    });
    Ok(report)
}

/// Trains the measurement-only relation classifier on the candidate pairs the pipeline
/// finds in a CoNLL04 file, labelled by its gold relations.
fn train_classifier(
    pipeline: &kith_nlp::Pipeline,
    path: &Path,
    progress: &Progress,
) -> Result<Weights> {
    let mut data = Vec::new();
    for s in read_conll04(path)? {
        let (doc, mapped) = analyse(pipeline, &s.tokens);
        data.extend(conll04_classifier::candidates(
            &doc,
            &mapped,
            &strict_relations(&s.entities, &s.relations),
        ));
    }
    progress.emit(Event::ClassifierData {
        pairs: data.len(),
        path,
    });
    Ok(conll04_classifier::train(data, CLASSIFIER_EPOCHS))
}

/// Passes over CoNLL04 train of the measurement-only classifier.
const CLASSIFIER_EPOCHS: usize = 10;

/// The pipeline run on one sentence of gold tokens, and the CoNLL04 entity (on the gold
/// tokens) of each of its entity spans, if it has one.
pub fn analyse(pipeline: &kith_nlp::Pipeline, tokens: &[String]) -> (Doc, Vec<Option<Re04Entity>>) {
    let (text, bounds) = detokenize(tokens);
    let mut doc = Doc::new(DocId::from_content(&text), text, "conll04");
    pipeline.run(&mut doc);
    let to_gold = |start: usize, end: usize| {
        let first = bounds.partition_point(|&(_, e)| e <= start);
        let last = bounds.partition_point(|&(s, _)| s < end);
        (first < last).then_some((first, last))
    };
    let mapped: Vec<Option<Re04Entity>> = doc
        .entities
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let kind = to_conll04_entity(e.kind.as_str())?;
            // CoNLL04 annotates names only: a pronoun or a description ("the secretary")
            // that coreference joined to a name is not one of its entities.
            if is_demonym(&doc, e)
                || matches!(
                    e.resolved_by,
                    Some(ResolvedBy::Pronoun | ResolvedBy::RelativePronoun | ResolvedBy::Title)
                )
            {
                return None;
            }
            // CoNLL04 writes "President" into the name it precedes ("President Lincoln";
            // 43 of 60 times in train), other titles mostly not: follow its convention.
            let president = i > 0 && {
                let before = &doc.entities[i - 1];
                before.kind == EntityType::Role
                    && doc.span_text(before) == "President"
                    && before.tokens.end == e.tokens.start
            };
            let from = if president && e.kind == EntityType::Person {
                doc.entities[i - 1].start
            } else {
                e.start
            };
            let (start, end) = to_gold(from, e.end)?;
            Some(Re04Entity {
                start,
                end,
                kind: kind.to_string(),
            })
        })
        .collect();
    (doc, mapped)
}

/// The CoNLL04 entities and the relations the rules found between them.
pub fn rule_relations(
    doc: &Doc,
    mapped: &[Option<Re04Entity>],
) -> (Vec<Re04Entity>, Vec<StrictRelation>) {
    let mut relations: Vec<StrictRelation> = doc
        .relations
        .iter()
        .filter(|r| r.polarity == Polarity::Affirmed)
        .filter_map(|r| {
            let (s, o) = (mapped[r.subject].as_ref()?, mapped[r.object].as_ref()?);
            let kind = to_conll04_relation(&r.predicate, &s.kind, &o.kind)?;
            Some((s.clone(), o.clone(), kind.to_string()))
        })
        .collect();
    relations.sort();
    relations.dedup();
    let mut entities: Vec<Re04Entity> = mapped.iter().flatten().cloned().collect();
    entities.sort();
    entities.dedup();
    (entities, relations)
}

/// A nationality word tagged as its country ("French", "Mexican"): CoNLL04 leaves these
/// untagged (78 of the 117 in its train set that Kith's gazetteer knows), so they are not
/// CoNLL04 entities.
fn is_demonym(doc: &Doc, span: &kith_nlp::EntitySpan) -> bool {
    span.kind == EntityType::Country
        && span
            .canonical
            .as_deref()
            .and_then(|name| kith_nlp::Gazetteer::builtin().lookup_country(name))
            .is_some_and(|c| {
                let written = doc.span_text(span);
                c.demonyms.iter().any(|d| d == written)
            })
}

/// The sentence as running text, with the byte range of each gold token in it: tokens
/// are joined by a space, except before closing punctuation and clitics ("China 's" →
/// "China's", "them ," → "them,") and after an opening bracket, so the pipeline reads
/// text as it reads news rather than a column of tokens.
pub fn detokenize(tokens: &[String]) -> (String, Vec<(usize, usize)>) {
    const ATTACH_LEFT: &[&str] = &[
        ",", ".", ";", ":", "?", "!", ")", "'s", "'", "n't", "%", "'re", "'ll", "'ve", "'d", "'m",
    ];
    let mut text = String::new();
    let mut bounds = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        let glued = i == 0
            || ATTACH_LEFT.contains(&t.as_str())
            || tokens[i - 1] == "("
            || tokens[i - 1] == "$";
        if !glued {
            text.push(' ');
        }
        bounds.push((text.len(), text.len() + t.len()));
        text.push_str(t);
    }
    (text, bounds)
}

#[cfg(test)]
mod tests {
    use super::detokenize;

    #[test]
    fn tokens_are_joined_as_running_text() {
        let tokens: Vec<String> = ["He", "said", "(", "China", "'s", "$", "5", ")", "."]
            .iter()
            .map(|t| t.to_string())
            .collect();
        let (text, bounds) = detokenize(&tokens);
        assert_eq!(text, "He said (China's $5).");
        for (t, (s, e)) in tokens.iter().zip(&bounds) {
            assert_eq!(&text[*s..*e], t);
        }
    }
}
