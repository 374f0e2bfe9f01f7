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
    /// Platt scaling of margins into probabilities (`meta.calibration`: `[a, b]`, the
    /// probability of a margin `m` is `1 / (1 + exp(-(a m + b)))`), fitted on held-out
    /// predictions when the model was trained with cross-validation.
    calibration: Option<(f32, f32)>,
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
            calibration: calibration_of(&meta),
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
        self.scored_relations(doc)
            .into_iter()
            .map(|(r, _)| r)
            .collect()
    }

    /// [`RelationModel::relations`] with each one's margin over "no relation".
    pub fn scored_relations(&self, doc: &Doc) -> Vec<(RelationSpan, f32)> {
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
            let relation = RelationSpan {
                subject: c.subject,
                object: c.object,
                predicate: label.predicate.clone(),
                class: label.class,
                polarity: governor_polarity(doc, c.governor),
                modality: Modality::Asserted,
                confidence: self.confidence(p.margin),
                sentence: c.sentence,
            };
            out.push((relation, p.margin));
        }
        out
    }
}

impl RelationModel {
    /// How likely a relation with this margin is right: the fitted calibration when the
    /// model has one, else a logistic curve that only orders margins. Rounded to three
    /// decimals.
    pub fn confidence(&self, margin: f32) -> f32 {
        let (a, b) = self.calibration.unwrap_or((0.25, 0.0));
        let p = 1.0 / (1.0 + (-(a * margin + b)).exp());
        (p * 1000.0).round() / 1000.0
    }
}

/// `meta.calibration` as `(a, b)`, when it holds two finite numbers.
fn calibration_of(meta: &serde_json::Value) -> Option<(f32, f32)> {
    let pair = meta.get("calibration")?.as_array()?;
    let a = pair.first()?.as_f64()? as f32;
    let b = pair.get(1)?.as_f64()? as f32;
    (pair.len() == 2 && a.is_finite() && b.is_finite()).then_some((a, b))
}

/// Platt scaling: the `(a, b)` that make `1 / (1 + exp(-(a m + b)))` the likeliest
/// probability of being right for held-out predictions `(margin m, right)`, with Platt's
/// smoothed targets so that a perfectly separated set still gives finite values. Newton's
/// method on the two parameters; deterministic.
pub fn fit_calibration(scored: &[(f32, bool)]) -> Option<(f32, f32)> {
    let positives = scored.iter().filter(|s| s.1).count() as f64;
    let negatives = scored.len() as f64 - positives;
    if positives == 0.0 || negatives == 0.0 {
        return None;
    }
    let high = (positives + 1.0) / (positives + 2.0);
    let low = 1.0 / (negatives + 2.0);
    let (mut a, mut b) = (0.0f64, 0.0f64);
    for _ in 0..100 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for &(m, right) in scored {
            let m = m as f64;
            let t = if right { high } else { low };
            let p = 1.0 / (1.0 + (-(a * m + b)).exp());
            let w = (p * (1.0 - p)).max(1e-12);
            ga += (p - t) * m;
            gb += p - t;
            haa += w * m * m;
            hab += w * m;
            hbb += w;
        }
        // A little ridge keeps the step defined when every margin is the same.
        let (haa, hbb) = (haa + 1e-9, hbb + 1e-9);
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-18 {
            break;
        }
        let da = (hbb * ga - hab * gb) / det;
        let db = (haa * gb - hab * ga) / det;
        a -= da;
        b -= db;
        if da.abs() < 1e-9 && db.abs() < 1e-9 {
            break;
        }
    }
    (a.is_finite() && b.is_finite()).then_some((a as f32, b as f32))
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
