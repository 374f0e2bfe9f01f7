//! Turning an annotated [`Doc`] into the [`DocumentFacts`] that leave this crate, with byte
//! offsets converted to character offsets.

use crate::Doc;
use kith_schema::{
    CharSpan, DocumentFacts, EntityFacts, EntityType, Evidence, Mention, RelationFacts, ResolvedBy,
    SentenceFacts,
};
use std::collections::{BTreeMap, BTreeSet};

/// Longest evidence text cited whole; see [`Doc::evidence_window`].
pub const MAX_EVIDENCE_BYTES: usize = 1_000;

/// Converts byte offsets of one text to character offsets. Offsets must be asked for in
/// any order; each answer costs the distance from the nearest earlier answer, so a sorted
/// sweep is linear.
pub struct CharOffsets<'t> {
    text: &'t str,
    /// Known (byte, char) pairs, sorted by byte.
    known: Vec<(usize, u32)>,
}

impl<'t> CharOffsets<'t> {
    /// A converter for offsets into `text`.
    pub fn new(text: &'t str) -> CharOffsets<'t> {
        CharOffsets {
            text,
            known: vec![(0, 0)],
        }
    }

    /// The character offset of byte offset `byte` (clamped to the text's length; it
    /// must fall on a character boundary).
    pub fn char_offset(&mut self, byte: usize) -> u32 {
        let byte = byte.min(self.text.len());
        let at = self.known.partition_point(|(b, _)| *b <= byte) - 1;
        let (from_byte, from_char) = self.known[at];
        let chars = from_char + self.text[from_byte..byte].chars().count() as u32;
        self.known.insert(at + 1, (byte, chars));
        if self.known.len() > 4096 {
            // Keep the lookup cheap on huge documents: forget all but every 64th point.
            self.known = self.known.iter().copied().step_by(64).collect();
        }
        chars
    }

    /// The byte range `start..end` as a character span.
    pub fn span(&mut self, start: usize, end: usize) -> CharSpan {
        CharSpan::new(self.char_offset(start), self.char_offset(end))
    }
}

impl Doc {
    /// The facts this document states, with an empty producer (see
    /// [`crate::Pipeline::extract`], which fills it in): one entity per distinct (type, canonical name), with
    /// all its mentions, and its relations with their evidence sentences. A sentence longer
    /// than 1,000 bytes (a run-on "sentence" without punctuation) is not cited whole: the
    /// evidence is the relation's mentions with some context, at most 1,000 bytes, cut at
    /// token boundaries.
    pub fn to_facts(&self) -> DocumentFacts {
        let mut offsets = CharOffsets::new(&self.text);
        let mut entity_index: BTreeMap<(EntityType, String), usize> = BTreeMap::new();
        let mut entities: Vec<EntityFacts> = Vec::new();
        let mut span_entity = Vec::with_capacity(self.entities.len());
        for span in &self.entities {
            let written = self.span_text(span);
            let name = self.entity_name(span);
            let key = (span.kind, name.to_lowercase());
            let index = *entity_index.entry(key).or_insert_with(|| {
                entities.push(EntityFacts {
                    kind: span.kind,
                    name: name.clone(),
                    aliases: Vec::new(),
                    external_ids: span.external_ids.clone(),
                    mentions: Vec::new(),
                });
                entities.len() - 1
            });
            span_entity.push(index);
            let entity = &mut entities[index];
            // A pronoun or a description ("he", "the secretary") is not another name for
            // the entity: recorded as a mention, never as an alias that queries would match.
            let is_name = !matches!(
                span.resolved_by,
                Some(ResolvedBy::Pronoun | ResolvedBy::RelativePronoun | ResolvedBy::Title)
            );
            if is_name && written != entity.name && !entity.aliases.iter().any(|a| a == written) {
                entity.aliases.push(written.to_string());
            }
            let sentence = self.sentence_of_token(span.tokens.start) as u32;
            entity.mentions.push(Mention {
                doc: self.id.clone(),
                sentence,
                span: offsets.span(span.start, span.end),
                text: written.into(),
                confidence: span.confidence,
                resolved_by: span.resolved_by,
            });
        }
        for entity in &mut entities {
            entity.aliases.sort();
            // A full name naming exactly one US official (or one whose state the document
            // names) gets the official's Wikidata id: an identity key across documents.
            if entity.kind == EntityType::Person && entity.external_ids.is_empty() {
                let officials = crate::gazetteer::officials::Officials::builtin();
                if let Some(qid) = officials.id(&entity.name, &self.text) {
                    entity.external_ids.insert(
                        crate::gazetteer::officials::WIKIDATA.to_string(),
                        qid.to_string(),
                    );
                }
            }
        }
        let relations = self
            .relations
            .iter()
            .map(|r| {
                let (subject, object) = (&self.entities[r.subject], &self.entities[r.object]);
                let (start, end) = self.evidence_window(
                    r.sentence,
                    subject.start.min(object.start),
                    subject.end.max(object.end),
                );
                RelationFacts {
                    subject: span_entity[r.subject],
                    object: span_entity[r.object],
                    predicate: r.predicate.clone(),
                    class: r.class,
                    polarity: r.polarity,
                    modality: r.modality,
                    confidence: r.confidence,
                    evidence: Evidence {
                        doc: self.id.clone(),
                        sentence: r.sentence as u32,
                        span: offsets.span(start, end),
                        sentence_text: self.text[start..end].into(),
                        confidence: r.confidence,
                    },
                }
            })
            .collect();
        DocumentFacts {
            producer: String::new(),
            document: self.info(),
            sentences: self.sentences_naming_several(&span_entity, &mut offsets),
            entities,
            relations,
        }
    }

    fn sentences_naming_several(
        &self,
        span_entity: &[usize],
        offsets: &mut CharOffsets<'_>,
    ) -> Vec<SentenceFacts> {
        let mut named: BTreeMap<usize, (BTreeSet<usize>, usize, usize)> = BTreeMap::new();
        for (span, entity) in self.entities.iter().zip(span_entity) {
            let entry = named
                .entry(self.sentence_of_token(span.tokens.start))
                .or_insert_with(|| (BTreeSet::new(), span.start, span.end));
            entry.0.insert(*entity);
            entry.2 = span.end;
        }
        named
            .into_iter()
            .filter(|(_, (entities, _, _))| entities.len() > 1)
            .map(|(index, (_, first, last))| {
                let (start, end) = self.evidence_window(index, first, last);
                SentenceFacts {
                    index: index as u32,
                    span: offsets.span(start, end),
                    text: self.text[start..end].into(),
                }
            })
            .collect()
    }

    /// The byte range to cite as evidence for something stated between `focus_start` and
    /// `focus_end` of a sentence: the whole sentence, unless it is longer than
    /// [`MAX_EVIDENCE_BYTES`] (a run-on "sentence" without punctuation), in which case the
    /// focus with some context, no longer than the limit, cut at token boundaries. Without
    /// the cut, every relation in a megabyte-long sentence would copy the megabyte.
    fn evidence_window(
        &self,
        sentence: usize,
        focus_start: usize,
        focus_end: usize,
    ) -> (usize, usize) {
        let s = &self.sentences[sentence];
        if s.end - s.start <= MAX_EVIDENCE_BYTES {
            return (s.start, s.end);
        }
        let context = MAX_EVIDENCE_BYTES / 4;
        let tokens = &self.tokens[s.tokens.clone()];
        let want_start = focus_start.saturating_sub(context).max(s.start);
        let want_end = (focus_end + context)
            .min(s.end)
            .min(want_start + MAX_EVIDENCE_BYTES)
            .max(focus_start);
        let first = tokens
            .partition_point(|t| t.start < want_start)
            .min(tokens.len() - 1);
        let last = tokens.partition_point(|t| t.end <= want_end).max(first + 1);
        (tokens[first].start, tokens[last - 1].end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_count_scalar_values() {
        let text = "Ça 😀 and India";
        let mut offsets = CharOffsets::new(text);
        let india = text.find("India").unwrap();
        assert_eq!(offsets.char_offset(india), 9);
        assert_eq!(offsets.char_offset(0), 0);
        assert_eq!(offsets.char_offset(text.len()), 14);
        assert_eq!(offsets.char_offset(3), 2);
    }
}
