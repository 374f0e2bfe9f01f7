//! The model files of a models directory, as `kith models` lists them: size, fingerprint
//! and the scores their training recorded.

use crate::error::Result;
use kith_nlp::train::{ModelFile, ModelView};
use kith_nlp::{NER_MODEL_FILE, PARSER_MODEL_FILE, POS_MODEL_FILE, RELATION_MODEL_FILE};
use std::path::{Path, PathBuf};

/// The model files the pipeline loads from a models directory, in pipeline order.
pub const MODEL_FILES: [&str; 4] = [
    POS_MODEL_FILE,
    PARSER_MODEL_FILE,
    NER_MODEL_FILE,
    RELATION_MODEL_FILE,
];

/// One model file.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelSummary {
    /// The file.
    pub path: PathBuf,
    /// Its kind (`pos`, `parser`, `ner`, `relations`).
    pub kind: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// The file's checksum in hex: the model's fingerprint, which the pipeline
    /// fingerprint recorded in facts names (`pos:<fingerprint>`, ...).
    pub fingerprint: String,
    /// The scores its metadata holds, by key (its `dev_*` and `best_epoch_*` keys, in
    /// the file's order): dev UPOS/XPOS accuracy for POS, dev UAS/LAS (and the tags used) for the
    /// parser, dev F1 per epoch of each pass and the best epochs for NER, cross-validated
    /// KnowledgeNet scores (`cv_*`) for the relation model.
    pub scores: Vec<(String, serde_json::Value)>,
}

/// Whether a metadata key holds a score.
fn is_score(key: &str) -> bool {
    key.starts_with("dev_") || key.starts_with("best_epoch") || key.starts_with("cv_")
}

/// Reads one model file's header (the file's checksum is verified).
pub fn summary(path: &Path) -> Result<ModelSummary> {
    summary_of_bytes(&ModelFile::read_bytes(path)?, path)
}

/// [`summary`] of a model file's bytes held in memory (a model built into the binary);
/// `path` names it.
pub fn summary_of_bytes(bytes: &[u8], path: &Path) -> Result<ModelSummary> {
    let view = ModelView::parse(bytes, path, None)?;
    let tail: [u8; 8] = bytes[bytes.len() - 8..]
        .try_into()
        .expect("a parsed model file ends in its checksum");
    let scores = view
        .meta
        .as_object()
        .map(|meta| {
            meta.iter()
                .filter(|(k, _)| is_score(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    Ok(ModelSummary {
        path: path.to_path_buf(),
        kind: view.kind,
        bytes: bytes.len() as u64,
        fingerprint: format!("{:016x}", u64::from_le_bytes(tail)),
        scores,
    })
}

/// The model files of `dir` ([`MODEL_FILES`], those that are there).
pub fn list(dir: &Path) -> Result<Vec<ModelSummary>> {
    MODEL_FILES
        .iter()
        .map(|name| dir.join(name))
        .filter(|path| path.is_file())
        .map(|path| summary(&path))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kith_nlp::train::{PosSentence, PosTrainConfig};
    use kith_nlp::PosModel;

    #[test]
    fn a_model_is_listed_with_its_fingerprint_and_scores() {
        let dir = tempfile::tempdir().unwrap();
        assert!(list(dir.path()).unwrap().is_empty());
        let sentence = PosSentence {
            words: vec!["the".into(), "dog".into()],
            upos: vec!["DET".into(), "NOUN".into()],
            xpos: vec!["DT".into(), "NN".into()],
        };
        let cfg = PosTrainConfig {
            epochs: 1,
            ..PosTrainConfig::default()
        };
        let mut model = PosModel::train(&[sentence], &[], &cfg, |_, _, _| {});
        model.set_meta("dev_upos", serde_json::json!(97.5));
        model.set_meta("data", serde_json::json!(["x"]));
        model.save(&dir.path().join(POS_MODEL_FILE)).unwrap();
        let loaded = PosModel::load(&dir.path().join(POS_MODEL_FILE)).unwrap();
        let found = list(dir.path()).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, "pos");
        assert_eq!(found[0].fingerprint, loaded.fingerprint());
        assert_eq!(
            found[0].scores,
            vec![("dev_upos".to_string(), serde_json::json!(97.5))]
        );
        std::fs::write(dir.path().join(NER_MODEL_FILE), b"not a model").unwrap();
        assert!(list(dir.path()).is_err());
    }
}
