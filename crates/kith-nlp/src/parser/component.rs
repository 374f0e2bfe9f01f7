//! The pipeline component.

use super::{ParserModel, Scratch};
use crate::model::ModelError;
use crate::PosTag;
use crate::{Component, Dependency, Doc, NO_CLUSTER};
use std::path::Path;

/// Parses each sentence of a document with its predicted tags ([`Doc::pos`]) and fills
/// [`Doc::deps`]. Without tags (no POS tagger ran) the layer stays empty.
pub struct DependencyParser {
    model: ParserModel,
    fingerprint: String,
}

impl DependencyParser {
    /// The component over a loaded model.
    pub fn new(model: ParserModel) -> DependencyParser {
        let fingerprint = model.fingerprint();
        DependencyParser { model, fingerprint }
    }

    /// The component over the parser model file at `path`.
    pub fn load(path: &Path) -> Result<DependencyParser, ModelError> {
        Ok(DependencyParser::new(ParserModel::load(path)?))
    }

    /// Its model.
    pub fn model(&self) -> &ParserModel {
        &self.model
    }
}

impl Component for DependencyParser {
    fn name(&self) -> &'static str {
        "parser"
    }

    fn fingerprint(&self) -> String {
        format!("parser:{}", self.fingerprint)
    }

    fn process(&self, doc: &mut Doc) {
        doc.deps.clear();
        doc.clusters.clear();
        if doc.pos.len() != doc.tokens.len() || doc.tokens.is_empty() {
            return;
        }
        let mut deps = vec![
            Dependency {
                head: None,
                label: "dep"
            };
            doc.tokens.len()
        ];
        let mut scratch = Scratch::default();
        let mut words: Vec<&str> = Vec::new();
        let mut tags: Vec<PosTag> = Vec::new();
        for (index, s) in doc.sentences.iter().enumerate() {
            let range = s.tokens.start.min(doc.tokens.len())..s.tokens.end.min(doc.tokens.len());
            // A dateline is parsed on its own and hangs from the sentence's root, so that
            // "WASHINGTON" is never read as the subject of what follows.
            let segments = match doc.dateline_dash(index).filter(|&d| d + 1 < range.end) {
                Some(dash) => vec![range.start..dash + 1, dash + 1..range.end],
                None => vec![range.clone()],
            };
            let mut roots = Vec::new();
            for segment in segments {
                words.clear();
                words.extend(
                    segment
                        .clone()
                        .map(|i| &doc.text[doc.tokens[i].start..doc.tokens[i].end]),
                );
                tags.clear();
                tags.extend_from_slice(&doc.pos[segment.clone()]);
                for (i, (head, label)) in
                    segment
                        .clone()
                        .zip(self.model.parse_with(&words, &tags, &mut scratch))
                {
                    deps[i] = Dependency {
                        head: head.map(|h| segment.start + h),
                        label,
                    };
                    if head.is_none() {
                        roots.push(i);
                    }
                }
            }
            if let [dateline, body] = roots[..] {
                deps[dateline] = Dependency {
                    head: Some(body),
                    label: "parataxis",
                };
            }
        }
        doc.deps = deps;
        if let Some(table) = self.model.clusters() {
            doc.clusters = doc
                .tokens
                .iter()
                .map(|t| match table.get(&doc.text[t.start..t.end]) {
                    Some(c) => [c[0] as u16, c[1] as u16, c[2] as u16],
                    None => [NO_CLUSTER; 3],
                })
                .collect();
        }
    }
}
