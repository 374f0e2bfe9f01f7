//! Parser model files: kind [`PARSER_KIND`]; metadata holds the relation names and the
//! feature-template version; sections `actions` and `relations` (weight tables) and
//! `clusters` (when trained with them).

use super::features::FEATURES_VERSION;
use super::{ud_relation, ParserModel, PARSER_KIND};
use crate::model::format::{Reader, Writer};
use crate::model::{
    saved_model_methods, ClusterEncoding, ModelError, ModelFile, ModelView, SavedModel, Weights,
    WordClusters,
};
use std::path::Path;

impl SavedModel for ParserModel {
    const KIND: &'static str = PARSER_KIND;

    fn to_model_file(&self) -> ModelFile {
        let mut meta = self.meta.clone();
        if !meta.is_object() {
            meta = serde_json::json!({});
        }
        meta["labels"] = serde_json::json!(self.labels);
        meta["features_version"] = serde_json::json!(FEATURES_VERSION);
        let mut file = ModelFile::new(PARSER_KIND, meta);
        for (name, table) in [("actions", &self.actions), ("relations", &self.relations)] {
            let mut w = Writer::default();
            table.write_to(&mut w);
            file.push_section(name, w.buf);
        }
        if let Some(c) = &self.clusters {
            let mut w = Writer::default();
            c.write_to(&mut w);
            file.push_section("clusters", w.buf);
        }
        file
    }

    /// Refuses other feature templates besides what every model refuses.
    fn from_model_view(file: &ModelView<'_>, path: &Path) -> Result<ParserModel, ModelError> {
        let corrupt = |m: String| ModelError::Corrupt {
            path: path.to_path_buf(),
            message: m,
        };
        let version = file.meta.get("features_version").and_then(|v| v.as_u64());
        if version != Some(FEATURES_VERSION as u64) {
            return Err(corrupt(format!(
                "parser feature templates version {}, but this build of Kith uses version {FEATURES_VERSION}; retrain the model",
                version.map_or("(none)".to_string(), |v| v.to_string())
            )));
        }
        let names: Vec<String> = file
            .meta
            .get("labels")
            .and_then(|l| serde_json::from_value(l.clone()).ok())
            .ok_or_else(|| corrupt("metadata lacks `labels`".into()))?;
        let mut labels = Vec::with_capacity(names.len());
        for n in &names {
            labels.push(ud_relation(n).ok_or_else(|| corrupt(format!("unknown relation `{n}`")))?);
        }
        if !labels.contains(&"root") {
            return Err(corrupt("relations lack `root`".into()));
        }
        let table = |name: &str| -> Result<Weights, ModelError> {
            let mut r = Reader::new(file.section(name, path)?, path);
            let w = Weights::read_from(&mut r)?;
            if !r.at_end() {
                return Err(r.corrupt(format!("trailing bytes in section `{name}`")));
            }
            Ok(w)
        };
        let actions = table("actions")?;
        let relations = table("relations")?;
        if actions.n_classes() != super::transition::N_ACTIONS {
            return Err(corrupt(format!(
                "action table has {} classes",
                actions.n_classes()
            )));
        }
        if relations.n_classes() != labels.len() {
            return Err(corrupt("relation table and relation names disagree".into()));
        }
        let clusters = match file.optional("clusters") {
            Some(b) => Some(WordClusters::read_from(
                &mut Reader::new(b, path),
                ClusterEncoding::Packed,
            )?),
            None => None,
        };
        let model = ParserModel {
            labels,
            actions,
            relations,
            clusters,
            meta: file.meta.clone(),
            checksum: Some(file.checksum),
            tables: std::sync::OnceLock::new(),
        };
        // Built now, so that loading pays for it rather than the first document.
        model.tables();
        Ok(model)
    }

    fn file_checksum(&self) -> Option<u64> {
        self.checksum
    }
}

saved_model_methods!(ParserModel);
