//! The NER pipeline component, and the rules that reconcile its spans with the
//! gazetteer's.

use super::consistency::one_type_per_name;
use super::decode::gazetteer_codes;
use super::{NerModel, NER_SOURCE};
use crate::model::format::stored_checksum;
use crate::model::{ModelError, ModelFile};
use crate::{Component, Doc, EntitySpan, TokenKind};
use kith_schema::EntityType;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

/// The pipeline component: tags Person, Organization, Location, Event and Other spans
/// with a [`NerModel`], leaving spans already in the document (countries, roles) as they
/// are: a predicted span overlapping one is dropped.
#[derive(Clone)]
pub struct NerTagger {
    model: Arc<NerModel>,
    /// The model file's checksum in hex, so that facts from another model are told apart.
    fingerprint: String,
}

impl NerTagger {
    /// The component over `model`, fingerprinted by the checksum of its bytes.
    pub fn new(model: Arc<NerModel>) -> NerTagger {
        let fingerprint = model.fingerprint();
        NerTagger { model, fingerprint }
    }

    /// The component over the model file at `path`, fingerprinted by the file's checksum.
    pub fn load(path: &Path) -> Result<NerTagger, ModelError> {
        let bytes = ModelFile::read_bytes(path)?;
        NerTagger::from_bytes(&bytes, path)
    }

    /// The component over a model file's bytes (`path` names them in errors),
    /// fingerprinted by their checksum as [`NerTagger::load`] does.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<NerTagger, ModelError> {
        let model = Arc::new(NerModel::from_bytes(bytes, path)?);
        Ok(NerTagger {
            model,
            fingerprint: format!("{:016x}", stored_checksum(bytes)),
        })
    }

    /// The model it tags with.
    pub fn model(&self) -> &NerModel {
        &self.model
    }
}

/// Head words that make a name an organisation whatever the model's type: no person or
/// place name ends in them (*State Department*, *The Resistance Front*). Deliberately
/// short: *Union*, *Bank*, *Court* also end places (*Soviet Union*, *West Bank*, *Earls Court*);
/// *Times*, *Post*, *News* end newspapers and broadcasters, not people or places.
const INSTITUTION_HEADS: &[&str] = &[
    "Department",
    "Ministry",
    "Agency",
    "Council",
    "Party",
    "Committee",
    "Commission",
    "Organization",
    "Organisation",
    "Association",
    "Institute",
    "Foundation",
    "Federation",
    "Front",
    "Brigade",
    "Corporation",
    "Corp.",
    "Inc.",
    "Ltd.",
    // Added by measurement (docs/experiments/2026-12-06-names-and-types.md): GUM dev
    // 73.91 -> 74.18 F1, GUM train's non-permissive genres 68.87 -> 68.93, CoNLL-2003
    // testa 69.54 -> 69.58, testb 67.29 -> 67.31. *Union* was measured and left out
    // (GUM dev -0.13: *Soviet Union*).
    "Authority",
    "Group",
    "Inc",
    "Ltd",
    "Plc",
    "PLC",
    "LLC",
    "Co",
    "Co.",
    "Company",
    "Limited",
    "School",
    "University",
    "College",
    "Academy",
    "Journal",
    "Bulletin",
    "Times",
    "Post",
    "News",
    "Magazine",
];

/// The model's type of a name, or Organization when its last word is an institution's.
/// Applied after `superseded_spans`, which reads the model's own type (public so that
/// `kith eval ner` scores what [`NerTagger`] writes).
pub fn institution_type(last_word: &str, kind: EntityType) -> EntityType {
    match kind {
        EntityType::Person | EntityType::Location if INSTITUTION_HEADS.contains(&last_word) => {
            EntityType::Organization
        }
        _ => kind,
    }
}

/// Indices (sorted) of the gazetteer spans that a predicted name contains and replaces:
/// a place named after the country or region that opens it (*Mexico City*, *Panama
/// City*), an organisation whose name ends in or holds a place it does not open with
/// (*Bank of America*, *Air India*), and a person whose name holds a title word not in a
/// title's place (*Martin Luther King Jr.*: the role does not open the name). Elsewhere the
/// gazetteer's spans stand (*US State Department* stays *US* + *State Department*, with
/// its relation).
pub(super) fn superseded_spans(
    doc: &Doc,
    predicted: &[(usize, usize, EntityType, f32)],
) -> Vec<usize> {
    if !doc.relations.is_empty() {
        return Vec::new(); // relations name spans by index: never remove under them
    }
    let mut out = Vec::new();
    for &(start, end, kind, _) in predicted {
        let first = doc.entities.partition_point(|e| e.tokens.end <= start);
        // A prediction replaces a span only when it overlaps that one span alone.
        let mut inside =
            (first..doc.entities.len()).take_while(|&i| doc.entities[i].tokens.start < end);
        let (Some(only), None) = (inside.next(), inside.next()) else {
            continue;
        };
        let e = &doc.entities[only];
        let within = e.tokens.start >= start && e.tokens.end <= end && e.tokens.len() < end - start;
        if !within || e.source != "gazetteer" {
            continue;
        }
        // "Panama City": the predicted name goes on past the place with a capitalised word.
        let capitalised_after = e.tokens.end < end
            && e.tokens.end < doc.tokens.len()
            && doc
                .token_text(e.tokens.end)
                .chars()
                .next()
                .is_some_and(char::is_uppercase);
        let place = kind == EntityType::Location
            && matches!(e.kind, EntityType::Country | EntityType::Location)
            && e.tokens.start == start
            && capitalised_after;
        let person =
            kind == EntityType::Person && e.kind == EntityType::Role && e.tokens.start > start;
        let organisation = kind == EntityType::Organization
            && matches!(e.kind, EntityType::Country | EntityType::Location)
            && e.tokens.start > start;
        if place || person || organisation {
            out.push(only);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

impl Component for NerTagger {
    fn name(&self) -> &'static str {
        NER_SOURCE
    }

    fn fingerprint(&self) -> String {
        format!("{NER_SOURCE}:{}", self.fingerprint)
    }

    fn process(&self, doc: &mut Doc) {
        if doc.tokens.is_empty() {
            return;
        }
        // Capitals lines re-cased from the body, so a headline yields no name the body
        // would not; offsets still come from the document's tokens.
        let recased = crate::casing::recased_words(doc);
        let words: Vec<&str> = (0..doc.tokens.len())
            .map(|i| recased[i].as_deref().unwrap_or(doc.token_text(i)))
            .collect();
        let ranges: Vec<Range<usize>> = if doc.sentences.is_empty() {
            std::iter::once(0..doc.tokens.len()).collect()
        } else {
            doc.sentences.iter().map(|s| s.tokens.clone()).collect()
        };
        let gaz = gazetteer_codes(doc);
        let mut spans = self.model.tag_ranges(&words, &ranges, &gaz);
        one_type_per_name(&words, &mut spans);
        drop(words);
        let superseded = superseded_spans(doc, &spans);
        if !superseded.is_empty() {
            let mut index = 0;
            doc.entities.retain(|_| {
                index += 1;
                superseded.binary_search(&(index - 1)).is_err()
            });
        }
        let mut taken = vec![false; doc.tokens.len()];
        for e in &doc.entities {
            for t in e.tokens.start.min(taken.len())..e.tokens.end.min(taken.len()) {
                taken[t] = true;
            }
        }
        // A symbol or punctuation mark at a span's edge is no part of the name (a Markdown
        // heading's "#" before "State Department"): the span keeps its words only.
        let is_mark = |t: usize| matches!(doc.tokens[t].kind, TokenKind::Punct | TokenKind::Symbol);
        let found: Vec<EntitySpan> = spans
            .into_iter()
            .filter_map(|(mut s, mut e, kind, confidence)| {
                while s < e && is_mark(s) {
                    s += 1;
                }
                while e > s && is_mark(e - 1) {
                    e -= 1;
                }
                (s < e).then_some((s, e, kind, confidence))
            })
            .filter(|(s, e, _, _)| !taken[*s..*e].iter().any(|&x| x))
            .map(|(s, e, kind, confidence)| {
                (
                    s,
                    e,
                    institution_type(doc.token_text(e - 1), kind),
                    confidence,
                )
            })
            .map(|(s, e, kind, confidence)| EntitySpan {
                tokens: s..e,
                start: doc.tokens[s].start,
                end: doc.tokens[e - 1].end,
                kind,
                confidence,
                source: NER_SOURCE,
                // A headline's name as the body spells it (*FERRYTOWN*: *Ferrytown*).
                canonical: crate::casing::recased_name(doc, &recased, s..e),
                external_ids: BTreeMap::new(),
                resolved_by: None,
            })
            .collect();
        doc.add_entities(found);
    }
}
