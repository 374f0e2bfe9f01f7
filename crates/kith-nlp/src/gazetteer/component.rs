//! [`GazetteerTagger`], the pipeline component that tags countries, demonyms and roles.

use super::matcher::{first_rough_token, fold_start, Gazetteer, Target};
use crate::{Component, Doc, EntitySpan};
use kith_schema::EntityType;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// Confidence of a country found by one of its names.
pub const COUNTRY_CONFIDENCE: f32 = 0.95;

/// Confidence of a country found by a demonym (`Indian`), a weaker sign of the country.
pub const DEMONYM_CONFIDENCE: f32 = 0.85;

/// Confidence of a role title.
pub const ROLE_CONFIDENCE: f32 = 0.9;

enum GazetteerRef {
    Builtin(&'static Gazetteer),
    Shared(Arc<Gazetteer>),
}

impl Deref for GazetteerRef {
    type Target = Gazetteer;
    fn deref(&self) -> &Gazetteer {
        match self {
            GazetteerRef::Builtin(g) => g,
            GazetteerRef::Shared(g) => g,
        }
    }
}

/// Tags countries, demonyms and roles: a greedy longest match over each sentence's tokens.
///
/// Writes [`EntitySpan`]s with source `gazetteer`: countries and demonyms as
/// [`EntityType::Country`] with the canonical short name and ISO codes in `external_ids`,
/// roles as [`EntityType::Role`] with the title-cased role. A match that would overlap a
/// span already in `doc.entities` is skipped (a shorter match at the same place may still
/// be taken). Keeps `doc.entities` sorted by start, and relation indices pointing at the
/// same spans.
pub struct GazetteerTagger {
    gazetteer: GazetteerRef,
}

impl Default for GazetteerTagger {
    fn default() -> Self {
        GazetteerTagger::new()
    }
}

impl fmt::Debug for GazetteerTagger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GazetteerTagger")
            .field("countries", &self.gazetteer.countries.len())
            .field("roles", &self.gazetteer.roles.len())
            .finish()
    }
}

impl GazetteerTagger {
    /// A tagger over [`Gazetteer::builtin`].
    pub fn new() -> GazetteerTagger {
        GazetteerTagger {
            gazetteer: GazetteerRef::Builtin(Gazetteer::builtin()),
        }
    }

    /// A tagger over another gazetteer.
    pub fn with_gazetteer(gazetteer: Arc<Gazetteer>) -> GazetteerTagger {
        GazetteerTagger {
            gazetteer: GazetteerRef::Shared(gazetteer),
        }
    }

    /// The gazetteer it tags with.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    fn span(&self, doc: &Doc, tokens: std::ops::Range<usize>, target: Target) -> EntitySpan {
        let (start, end) = (
            doc.tokens[tokens.start].start,
            doc.tokens[tokens.end - 1].end,
        );
        let (kind, confidence, canonical, external_ids) = match target {
            Target::Country { index, demonym } => {
                let country = &self.gazetteer.countries[index];
                let confidence = if demonym {
                    DEMONYM_CONFIDENCE
                } else {
                    COUNTRY_CONFIDENCE
                };
                (
                    EntityType::Country,
                    confidence,
                    country.name.clone(),
                    country.external_ids(),
                )
            }
            Target::Role(index) => {
                let role = &self.gazetteer.roles[index];
                (
                    EntityType::Role,
                    ROLE_CONFIDENCE,
                    role.canonical.clone(),
                    BTreeMap::new(),
                )
            }
            Target::Block => unreachable!("block phrases make no spans"),
        };
        EntitySpan {
            tokens,
            start,
            end,
            kind,
            confidence,
            source: "gazetteer",
            canonical: Some(canonical),
            external_ids,
            resolved_by: None,
        }
    }
}

impl Component for GazetteerTagger {
    fn name(&self) -> &'static str {
        "gazetteer"
    }

    fn process(&self, doc: &mut Doc) {
        let ranges: Vec<std::ops::Range<usize>> = if doc.sentences.is_empty() {
            std::iter::once(0..doc.tokens.len()).collect()
        } else {
            doc.sentences.iter().map(|s| s.tokens.clone()).collect()
        };
        let mut found = Vec::new();
        for range in ranges {
            let mut i = range.start;
            while i < range.end.min(doc.tokens.len()) {
                let folded = fold_start(doc.token_text(i));
                let Some(&max_tokens) = self.gazetteer.first_words.get(first_rough_token(&folded))
                else {
                    i += 1;
                    continue;
                };
                let longest = max_tokens.min(range.end.min(doc.tokens.len()) - i);
                let mut next = i + 1;
                for len in (1..=longest).rev() {
                    let (start, end) = (doc.tokens[i].start, doc.tokens[i + len - 1].end);
                    let Some(target) = self.gazetteer.find(&doc.text[start..end]) else {
                        continue;
                    };
                    if target == Target::Block {
                        next = i + len;
                        break;
                    }
                    if doc.overlaps_entity(start, end) {
                        continue;
                    }
                    found.push(self.span(doc, i..i + len, target));
                    next = i + len;
                    break;
                }
                i = next;
            }
        }
        doc.add_entities(found);
    }
}
