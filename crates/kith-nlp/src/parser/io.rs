//! Parser model files: kind [`PARSER_KIND`]; metadata holds the relation names and the
//! feature-template version; sections `actions` and `relations` (weight tables) and
//! `clusters` (when trained with them).

use super::features::FEATURES_VERSION;
use super::{ud_relation, ParserModel, PARSER_KIND};
use crate::model::format::{Reader, Writer};
use crate::model::{ModelError, ModelFile, Weights};
use crate::pos::Clusters;
use std::path::Path;

impl ParserModel {
    fn to_file(&self) -> ModelFile {
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

    /// The model as file bytes (deterministic).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_file().to_bytes()
    }

    /// Writes the model atomically.
    pub fn save(&self, path: &Path) -> Result<(), ModelError> {
        self.to_file().save(path)
    }

    /// Reads a parser model file.
    pub fn load(path: &Path) -> Result<ParserModel, ModelError> {
        let bytes = ModelFile::read_bytes(path)?;
        ParserModel::from_bytes(&bytes, path)
    }

    /// Parses model bytes; `path` names the file in errors. Refuses other kinds, other
    /// format versions, other feature templates and damaged files.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<ParserModel, ModelError> {
        let file = ModelFile::from_bytes(bytes, path, Some(PARSER_KIND))?;
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
        let clusters = match file.sections.iter().find(|(n, _)| n == "clusters") {
            Some((_, b)) => Some(Clusters::read_from(&mut Reader::new(b, path))?),
            None => None,
        };
        let checksum = Some(u64::from_le_bytes(
            bytes[bytes.len() - 8..].try_into().expect("8 bytes"),
        ));
        let model = ParserModel {
            labels,
            actions,
            relations,
            clusters,
            meta: file.meta,
            checksum,
            tables: std::sync::OnceLock::new(),
        };
        // Built now, so that loading pays for it rather than the first document.
        model.tables();
        Ok(model)
    }

    /// What identifies this model in a pipeline fingerprint: its file checksum in hex
    /// (computed from the bytes for a model that was never saved).
    pub fn fingerprint(&self) -> String {
        let sum = self.checksum.unwrap_or_else(|| {
            let b = self.to_bytes();
            u64::from_le_bytes(b[b.len() - 8..].try_into().expect("8 bytes"))
        });
        format!("{sum:016x}")
    }
}
