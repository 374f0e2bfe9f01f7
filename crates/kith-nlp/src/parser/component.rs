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
        // The clusters the parser looked up for its features, kept as a layer when its
        // model has a table.
        let with_clusters = self.model.clusters().is_some();
        let mut clusters = vec![[NO_CLUSTER; 3]; if with_clusters { doc.tokens.len() } else { 0 }];
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
                if with_clusters {
                    for (i, tok) in segment.clone().zip(&scratch.toks) {
                        clusters[i] = [tok.c64, tok.c256, tok.c1024].map(|c| {
                            u16::try_from(c)
                                .ok()
                                .filter(|&c| c < 1024)
                                .unwrap_or(NO_CLUSTER)
                        });
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
        doc.clusters = clusters;
    }
}
