//! The relation model: an averaged perceptron that reads each candidate pair of mentions
//! in a sentence ([`features`]) and chooses one predicate or none. It runs after the rules
//! ([`super::RelationRules`]), reads their relations as features and adds the relations
//! they did not find; the rules stay as a fallback.
//!
//! * `features` — candidate pairs and their hashed features;
//! * `train` — training from labelled candidates (seeded, deterministic);
//! * `io` — the `relations` model file;
//! * [`RelationTagger`] — the pipeline component.

pub mod features;
mod io;
pub mod train;

use crate::model::Weights;
use crate::{Component, Doc, RelationSpan};
use kith_schema::{EntityType, Modality, Polarity, RelationClass};

/// Model-file kind of relation models.
pub const RELATIONS_KIND: &str = "relations";

/// One predicate the model can choose, with its class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelationLabel {
    /// The Kith predicate (`works-for`).
    pub predicate: String,
    /// Its class, when it has one.
    pub class: Option<RelationClass>,
    /// The entity types its subject may have.
    pub subjects: Vec<EntityType>,
    /// The entity types its object may have.
    pub objects: Vec<EntityType>,
}

impl RelationLabel {
    /// Whether a subject and an object of these types may take this predicate.
    pub fn fits(&self, subject: EntityType, object: EntityType) -> bool {
        self.subjects.contains(&subject) && self.objects.contains(&object)
    }
}

/// The classes (0 = no relation, `k + 1` = `labels[k]`) a pair of these types may take.
pub fn allowed_classes(
    labels: &[RelationLabel],
    subject: EntityType,
    object: EntityType,
) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            labels
                .iter()
                .enumerate()
                .filter(|(_, l)| l.fits(subject, object))
                .map(|(k, _)| k + 1),
        )
        .collect()
}

/// A trained relation model: class 0 is "no relation", class `k` is `labels[k - 1]`.
#[derive(Clone, Debug)]
pub struct RelationModel {
    labels: Vec<RelationLabel>,
    weights: Weights,
    /// Smallest margin of a predicate's score over "no relation" that yields a relation.
    threshold: f32,
    meta: serde_json::Value,
    checksum: Option<u64>,
}

/// One relation the model predicts for a candidate pair.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// Index into the model's labels.
    pub label: usize,
    /// The score margin over "no relation".
    pub margin: f32,
}

impl RelationModel {
    /// A model from its parts; `weights` has one class more than `labels`.
    pub fn new(
        labels: Vec<RelationLabel>,
        weights: Weights,
        threshold: f32,
        meta: serde_json::Value,
    ) -> RelationModel {
        assert_eq!(weights.n_classes(), labels.len() + 1);
        RelationModel {
            labels,
            weights,
            threshold,
            meta,
            checksum: None,
        }
    }

    /// The predicates this model chooses among.
    pub fn labels(&self) -> &[RelationLabel] {
        &self.labels
    }

    /// The margin a predicate needs over "no relation".
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// The same model with another decision threshold.
    pub fn with_threshold(mut self, threshold: f32) -> RelationModel {
        self.threshold = threshold;
        self.checksum = None;
        self
    }

    /// Metadata stored in the file (training data, scores).
    pub fn meta(&self) -> &serde_json::Value {
        &self.meta
    }

    /// The best predicate among the `allowed` classes ([`allowed_classes`]) for a
    /// candidate's features, if it beats "no relation" by the threshold.
    pub fn predict(&self, features: &[u64], allowed: &[usize]) -> Option<Prediction> {
        let mut scores = vec![0.0f32; self.labels.len() + 1];
        self.weights.scores(features, &mut scores);
        let (best, score) =
            allowed
                .iter()
                .filter(|&&c| c > 0)
                .fold((0, f32::NEG_INFINITY), |acc, &c| {
                    if scores[c] > acc.1 {
                        (c, scores[c])
                    } else {
                        acc
                    }
                });
        let margin = score - scores[0];
        (best > 0 && margin > self.threshold).then_some(Prediction {
            label: best - 1,
            margin,
        })
    }

    /// The relations the model adds to an analysed document: those of its candidate
    /// pairs that no relation of the same predicate already joins.
    pub fn relations(&self, doc: &Doc) -> Vec<RelationSpan> {
        let mut out = Vec::new();
        let takes = |s: EntityType, o: EntityType| self.labels.iter().any(|l| l.fits(s, o));
        for c in features::candidates_where(doc, takes) {
            let (s, o) = (doc.entities[c.subject].kind, doc.entities[c.object].kind);
            let allowed = allowed_classes(&self.labels, s, o);
            let Some(p) = self.predict(&c.features, &allowed) else {
                continue;
            };
            let label = &self.labels[p.label];
            let known = doc.relations.iter().any(|r| {
                r.subject == c.subject && r.object == c.object && r.predicate == label.predicate
            });
            if known {
                continue;
            }
            out.push(RelationSpan {
                subject: c.subject,
                object: c.object,
                predicate: label.predicate.clone(),
                class: label.class,
                polarity: governor_polarity(doc, c.governor),
                modality: Modality::Asserted,
                confidence: confidence(p.margin),
                sentence: c.sentence,
            });
        }
        out
    }
}

/// A margin mapped into (0.5, 1): a logistic curve, so that a larger lead over "no
/// relation" reads as more confident.
fn confidence(margin: f32) -> f32 {
    let p = 1.0 / (1.0 + (-margin / 4.0).exp());
    (p * 1000.0).round() / 1000.0
}

/// Negated when the word governing both mentions has a negation among its own
/// dependents ("X did not join Y"); a negation elsewhere in the sentence does not count.
fn governor_polarity(doc: &Doc, governor: Option<usize>) -> Polarity {
    let Some(g) = governor else {
        return Polarity::Affirmed;
    };
    let sentence = &doc.sentences[doc.sentence_of_token(g)];
    let negated = sentence.tokens.clone().any(|t| {
        doc.deps[t].head == Some(g)
            && matches!(
                doc.token_text(t).to_lowercase().as_str(),
                "not" | "n't" | "never" | "no"
            )
    });
    if negated {
        Polarity::Negated
    } else {
        Polarity::Affirmed
    }
}

/// The pipeline component: adds the model's relations after the rules.
pub struct RelationTagger {
    model: RelationModel,
    fingerprint: String,
}

impl RelationTagger {
    /// A component over a model.
    pub fn new(model: RelationModel) -> RelationTagger {
        let fingerprint = format!("{RELATIONS_KIND}:{}", model.fingerprint());
        RelationTagger { model, fingerprint }
    }

    /// Loads a relation model file.
    pub fn load(path: &std::path::Path) -> Result<RelationTagger, crate::model::ModelError> {
        Ok(RelationTagger::new(RelationModel::load(path)?))
    }

    /// The model.
    pub fn model(&self) -> &RelationModel {
        &self.model
    }
}

impl Component for RelationTagger {
    fn name(&self) -> &'static str {
        "relation-model"
    }

    fn fingerprint(&self) -> String {
        self.fingerprint.clone()
    }

    fn process(&self, doc: &mut Doc) {
        let found = self.model.relations(doc);
        doc.relations.extend(found);
        let key = |r: &RelationSpan| (r.sentence, r.subject, r.object);
        doc.relations.sort_by(|a, b| {
            key(a)
                .cmp(&key(b))
                .then_with(|| a.predicate.cmp(&b.predicate))
        });
    }
}
