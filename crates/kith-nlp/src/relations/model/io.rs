//! Relation model files: kind [`RELATIONS_KIND`]; metadata holds the labels (predicate
//! and class), the decision threshold and the feature-template version; section `weights`
//! holds the weight table.

use super::{RelationLabel, RelationModel, RELATIONS_KIND};
use crate::model::format::{Reader, Writer};
use crate::model::{saved_model_methods, ModelError, ModelFile, ModelView, SavedModel, Weights};
use kith_schema::{EntityType, RelationClass};
use std::path::Path;

/// Version of the feature templates in [`super::features`]; a model trained on others is
/// refused.
const FEATURES_VERSION: u64 = 1;

impl SavedModel for RelationModel {
    const KIND: &'static str = RELATIONS_KIND;

    fn to_model_file(&self) -> ModelFile {
        let mut meta = self.meta.clone();
        if !meta.is_object() {
            meta = serde_json::json!({});
        }
        meta["labels"] = self
            .labels
            .iter()
            .map(|l| {
                serde_json::json!({
                    "predicate": l.predicate,
                    "class": l.class.map(|c| c.as_str()),
                    "subjects": l.subjects.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
                    "objects": l.objects.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
                })
            })
            .collect();
        meta["threshold"] = serde_json::json!(self.threshold);
        meta["features_version"] = serde_json::json!(FEATURES_VERSION);
        let mut file = ModelFile::new(RELATIONS_KIND, meta);
        let mut w = Writer::default();
        self.weights.write_to(&mut w);
        file.push_section("weights", w.buf);
        file
    }

    /// Refuses other feature templates, unknown classes and types, and a weight table
    /// that does not fit the labels, besides what every model refuses.
    fn from_model_view(file: &ModelView<'_>, path: &Path) -> Result<RelationModel, ModelError> {
        let corrupt = |m: String| ModelError::Corrupt {
            path: path.to_path_buf(),
            message: m,
        };
        let version = file.meta.get("features_version").and_then(|v| v.as_u64());
        if version != Some(FEATURES_VERSION) {
            return Err(corrupt(format!(
                "relation feature templates version {}, but this build of Kith uses version {FEATURES_VERSION}; retrain the model",
                version.map_or("(none)".to_string(), |v| v.to_string())
            )));
        }
        let entries = file
            .meta
            .get("labels")
            .and_then(|l| l.as_array())
            .ok_or_else(|| corrupt("metadata lacks `labels`".into()))?;
        let mut labels = Vec::with_capacity(entries.len());
        for e in entries {
            let predicate = e
                .get("predicate")
                .and_then(|p| p.as_str())
                .filter(|p| !p.is_empty())
                .ok_or_else(|| corrupt(format!("label without a predicate: {e}")))?;
            let class = match e.get("class") {
                None | Some(serde_json::Value::Null) => None,
                Some(c) => {
                    let name = c.as_str().unwrap_or_default();
                    Some(class_named(name).ok_or_else(|| {
                        corrupt(format!("unknown class `{c}` of predicate `{predicate}`"))
                    })?)
                }
            };
            let kinds = |field: &str| -> Result<Vec<EntityType>, ModelError> {
                let names = e
                    .get(field)
                    .and_then(|v| v.as_array())
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| {
                        corrupt(format!("label `{predicate}` lacks its `{field}` types"))
                    })?;
                names
                    .iter()
                    .map(|n| {
                        n.as_str().and_then(EntityType::parse).ok_or_else(|| {
                            corrupt(format!("unknown entity type {n} in label `{predicate}`"))
                        })
                    })
                    .collect()
            };
            labels.push(RelationLabel {
                predicate: predicate.to_string(),
                class,
                subjects: kinds("subjects")?,
                objects: kinds("objects")?,
            });
        }
        let threshold = file
            .meta
            .get("threshold")
            .and_then(|t| t.as_f64())
            .filter(|t| t.is_finite())
            .ok_or_else(|| corrupt("metadata lacks a finite `threshold`".into()))?
            as f32;
        let mut r = Reader::new(file.section("weights", path)?, path);
        let weights = Weights::read_from(&mut r)?;
        if !r.at_end() {
            return Err(r.corrupt("trailing bytes in section `weights`".into()));
        }
        if weights.n_classes() != labels.len() + 1 {
            return Err(corrupt(format!(
                "weight table has {} classes for {} labels",
                weights.n_classes(),
                labels.len()
            )));
        }
        Ok(RelationModel {
            labels,
            weights,
            threshold,
            calibration: super::calibration_of(&file.meta),
            meta: file.meta.clone(),
            checksum: Some(file.checksum),
        })
    }

    fn file_checksum(&self) -> Option<u64> {
        self.checksum
    }
}

saved_model_methods!(RelationModel);
/// The class spelled `name` in files.
pub(crate) fn class_named(name: &str) -> Option<RelationClass> {
    [
        RelationClass::RoleAffiliation,
        RelationClass::LocatedIn,
        RelationClass::Communication,
        RelationClass::Conflict,
        RelationClass::Support,
        RelationClass::CoOccurrence,
    ]
    .into_iter()
    .find(|c| c.as_str() == name)
}
