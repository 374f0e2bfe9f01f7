//! The POS pipeline component.

use super::{PosModel, PosTag};
use crate::model::ModelError;
use crate::{Component, Doc};
use std::path::Path;

/// The pipeline component: tags each sentence's tokens and fills [`Doc::pos`].
pub struct PosTagger {
    model: PosModel,
    fingerprint: String,
}

impl PosTagger {
    /// The component over a loaded model.
    pub fn new(model: PosModel) -> PosTagger {
        let fingerprint = model.fingerprint();
        PosTagger { model, fingerprint }
    }

    /// The component over the POS model file at `path`.
    pub fn load(path: &Path) -> Result<PosTagger, ModelError> {
        Ok(PosTagger::new(PosModel::load(path)?))
    }

    /// Its model.
    pub fn model(&self) -> &PosModel {
        &self.model
    }
}

impl Component for PosTagger {
    fn name(&self) -> &'static str {
        "pos"
    }

    fn fingerprint(&self) -> String {
        format!("pos:{}", self.fingerprint)
    }

    fn process(&self, doc: &mut Doc) {
        let mut pos = vec![
            PosTag {
                upos: "X",
                xpos: "XX"
            };
            doc.tokens.len()
        ];
        let mut words: Vec<&str> = Vec::new();
        for s in &doc.sentences {
            words.clear();
            let range = s.tokens.start.min(doc.tokens.len())..s.tokens.end.min(doc.tokens.len());
            words.extend(
                range
                    .clone()
                    .map(|i| &doc.text[doc.tokens[i].start..doc.tokens[i].end]),
            );
            for (i, t) in range.zip(self.model.tag(&words)) {
                pos[i] = t;
            }
        }
        doc.pos = pos;
    }
}
