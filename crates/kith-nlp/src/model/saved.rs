//! [`SavedModel`]: what every model kept in a [`ModelFile`] (POS, parser, NER) shares —
//! its kind, its sections, writing the lowest format version that holds them, and a
//! checked load.

use super::format::{ModelError, ModelFile, ModelView};
use std::path::Path;

/// A model saved as a [`ModelFile`].
///
/// A model says how it becomes a file ([`SavedModel::to_model_file`]) and how it is read
/// back from one ([`SavedModel::from_model_view`]); bytes, saving and loading are the
/// same for every model. The format version written is the lowest whose readers know
/// every section of the file ([`ModelFile::version`]); a load checks the header, the
/// version, the kind and the checksum before the model reads its sections.
///
/// The models also have these methods without the trait in scope (see
/// `saved_model_methods!`).
pub trait SavedModel: Sized {
    /// The kind written in the file header; a file of another kind is refused at load.
    const KIND: &'static str;

    /// The model as a file: metadata and sections in a fixed order, so that equal models
    /// give equal bytes.
    fn to_model_file(&self) -> ModelFile;

    /// The model from a file of kind [`SavedModel::KIND`] whose header, format version and
    /// checksum were checked; refuses metadata and sections that make no model. `path`
    /// names the file in errors.
    fn from_model_view(file: &ModelView<'_>, path: &Path) -> Result<Self, ModelError>;

    /// The checksum of the file the model was read from, for a model that keeps it (the
    /// POS tagger and the parser do; an NER model does not, and [`crate::NerTagger::load`]
    /// takes it from the file's bytes).
    fn file_checksum(&self) -> Option<u64> {
        None
    }

    /// The model as file bytes (deterministic).
    fn to_bytes(&self) -> Vec<u8> {
        self.to_model_file().to_bytes()
    }

    /// Writes the model atomically (a temporary file, then a rename).
    fn save(&self, path: &Path) -> Result<(), ModelError> {
        self.to_model_file().save(path)
    }

    /// Reads a model file of this kind.
    fn load(path: &Path) -> Result<Self, ModelError> {
        let bytes = ModelFile::read_bytes(path)?;
        Self::from_bytes(&bytes, path)
    }

    /// Parses model bytes; `path` names the file in errors. Refuses files that are not
    /// models, other format versions, other kinds and damaged files.
    fn from_bytes(bytes: &[u8], path: &Path) -> Result<Self, ModelError> {
        let file = ModelView::parse(bytes, path, Some(Self::KIND))?;
        Self::from_model_view(&file, path)
    }

    /// What identifies the model in a pipeline fingerprint: [`SavedModel::file_checksum`]
    /// in hex, else the checksum of the model's own bytes.
    fn fingerprint(&self) -> String {
        let sum = self
            .file_checksum()
            .unwrap_or_else(|| super::format::stored_checksum(&self.to_bytes()));
        format!("{sum:016x}")
    }
}

/// Gives a [`SavedModel`] the trait's methods (but [`SavedModel::from_model_view`]) as
/// inherent ones (`PosModel::load(path)`, `model.save(path)`), so that callers need not
/// import the trait.
macro_rules! saved_model_methods {
    ($model:ty) => {
        impl $model {
            /// The model as a file (see [`SavedModel::to_model_file`]).
            ///
            /// [`SavedModel::to_model_file`]: $crate::model::SavedModel::to_model_file
            pub fn to_model_file(&self) -> $crate::model::ModelFile {
                $crate::model::SavedModel::to_model_file(self)
            }

            /// The model as file bytes (deterministic).
            pub fn to_bytes(&self) -> Vec<u8> {
                $crate::model::SavedModel::to_bytes(self)
            }

            /// Writes the model atomically (a temporary file, then a rename).
            pub fn save(&self, path: &std::path::Path) -> Result<(), $crate::model::ModelError> {
                $crate::model::SavedModel::save(self, path)
            }

            /// Reads a model file of this kind.
            pub fn load(path: &std::path::Path) -> Result<Self, $crate::model::ModelError> {
                <Self as $crate::model::SavedModel>::load(path)
            }

            /// Parses model bytes; `path` names the file in errors. Refuses files that are
            /// not models, other format versions, other kinds and damaged files.
            pub fn from_bytes(
                bytes: &[u8],
                path: &std::path::Path,
            ) -> Result<Self, $crate::model::ModelError> {
                <Self as $crate::model::SavedModel>::from_bytes(bytes, path)
            }

            /// What identifies the model in a pipeline fingerprint (see
            /// [`SavedModel::fingerprint`]).
            ///
            /// [`SavedModel::fingerprint`]: $crate::model::SavedModel::fingerprint
            pub fn fingerprint(&self) -> String {
                $crate::model::SavedModel::fingerprint(self)
            }
        }
    };
}
pub(crate) use saved_model_methods;
