//! Training: averaged perceptrons over labelled candidates, one per seed, each in its own
//! seeded order, averaged into one table; the same data gives the same bytes.

use super::{RelationLabel, RelationModel};
use crate::model::{argmax, Perceptron, Rng, WeightSum, WeightsKind};

/// One labelled candidate: its features and its class (0 = no relation, `k` = label
/// `k - 1`).
#[derive(Clone, Debug)]
pub struct Example {
    /// Hashed feature keys ([`super::features::Candidate::features`]).
    pub features: Vec<u64>,
    /// The gold class.
    pub gold: usize,
    /// The classes its entity types allow ([`super::allowed_classes`]), 0 first.
    pub allowed: Vec<usize>,
}

/// Training settings.
#[derive(Clone, Debug)]
pub struct RelationTrainSettings {
    /// Passes over the data.
    pub epochs: usize,
    /// Perceptrons averaged into the model (seeds `seed`, `seed + 1`, ...).
    pub ensemble: usize,
    /// First seed.
    pub seed: u64,
    /// Margin over "no relation" a predicate needs.
    pub threshold: f32,
    /// Weight rows whose largest |weight| is below this are dropped.
    pub prune: f32,
}

impl Default for RelationTrainSettings {
    fn default() -> Self {
        RelationTrainSettings {
            epochs: 10,
            ensemble: 3,
            seed: 1,
            // The shipped config's: the best F0.5 in cross-validation on KnowledgeNet.
            threshold: -4.0,
            prune: 0.0,
        }
    }
}

/// Trains a model choosing among `labels` on `data`.
pub fn train(
    labels: Vec<RelationLabel>,
    mut data: Vec<Example>,
    settings: &RelationTrainSettings,
    meta: serde_json::Value,
) -> RelationModel {
    let classes = labels.len() + 1;
    let mut sum = WeightSum::new(classes);
    for k in 0..settings.ensemble.max(1) {
        let mut model = Perceptron::new(classes);
        let mut rng = Rng::new(settings.seed + k as u64);
        let mut scores = vec![0.0; classes];
        for _ in 0..settings.epochs {
            rng.shuffle(&mut data);
            for e in &data {
                model.tick();
                model.scores(&e.features, &mut scores);
                let masked: Vec<f32> = e.allowed.iter().map(|&c| scores[c]).collect();
                let guess = e.allowed[argmax(&masked)];
                if guess != e.gold {
                    model.update(&e.features, e.gold, 1.0);
                    model.update(&e.features, guess, -1.0);
                }
            }
        }
        sum.add(&model.averaged(0.0, WeightsKind::F32));
    }
    let weights = sum.mean(settings.prune, WeightsKind::I16);
    RelationModel::new(labels, weights, settings.threshold, meta)
}
