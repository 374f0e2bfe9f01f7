//! Mentions that are not names: event noun phrases ("the Pahalgam terror attack", "the
//! G20 summit") and the country or organisation that qualifies a role ("the foreign
//! ministers of India and Pakistan", "Pakistan's Defence Minister").
//!
//! Both run inside the relation layer ([`crate::RelationRules`]), since what they find is
//! only worth a node when a relation can attach to it.

use crate::{Doc, EntitySpan};
use kith_schema::EntityType;
use std::collections::BTreeMap;

/// Nouns that head an event mention.
const EVENT_NOUNS: &[&str] = &[
    "attack", "attacks", "summit", "election", "elections", "talks", "visit", "briefing",
    "interview", "strike", "strikes", "bombing", "bombings", "shooting", "massacre", "war",
    "ceasefire", "conference", "meeting", "protest", "protests", "invasion", "raid", "crisis",
    "referendum", "earthquake", "floods", "flood", "negotiations", "offensive", "assault",
    "ambush", "blast", "explosion", "riots", "games", "festival", "trial", "hearing",
];

/// Lower-case words that may stand between a named modifier and an event noun ("terror",
/// "suicide", "air"); more than two and it is no longer one noun phrase.
const MAX_EVENT_MODIFIERS: usize = 2;

/// Words that end a noun phrase's modifiers: an event noun after them is not modified by
/// the name before them.
const NOT_MODIFIERS: &[&str] = &[
    "the", "a", "an", "and", "or", "of", "in", "on", "at", "to", "for", "with", "by", "from",
    "after", "before", "is", "was", "are", "were", "be", "been", "has", "have", "had", "said",
    "says", "that", "this", "which", "who", "will", "would", "not", "its", "his", "her",
    "their", "since", "during", "following", "over", "about", "into",
];

/// Entity types whose name can qualify an event ("Pahalgam attack", "G20 summit").
fn qualifies_event(kind: EntityType) -> bool {
    matches!(kind, EntityType::Location | EntityType::Country | EntityType::Organization | EntityType::Other | EntityType::Event)
}

/// Adds an [`EntityType::Event`] span for each event noun phrase with a named modifier:
/// the span covers the lower-case words from after the name to the event noun, and its
/// canonical name includes the name ("Pahalgam terror attack"), so the name keeps its own
/// span and type. Returns (event span start byte, modifier span start byte) pairs, so the
/// caller can relate each event to its modifier once indices settle.
pub fn add_event_mentions(doc: &mut Doc) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut pairs = Vec::new();
    let mut e = 0;
    for sentence in &doc.sentences {
        for noun in sentence.tokens.clone() {
            let word = doc.token_text(noun);
            if !EVENT_NOUNS.contains(&word) {
                continue;
            }
            let mut start = noun;
            while start > sentence.tokens.start && noun - start < MAX_EVENT_MODIFIERS && is_modifier_word(doc, start - 1) {
                start -= 1;
            }
            // The entity that ends right before the modifiers, if any.
            while e < doc.entities.len() && doc.entities[e].tokens.end < start {
                e += 1;
            }
            let Some(name) = doc.entities.get(e).filter(|n| n.tokens.end == start) else { continue };
            if !qualifies_event(name.kind) || start < sentence.tokens.start || doc.overlaps_entity(doc.tokens[start].start, doc.tokens[noun].end) {
                continue;
            }
            let (from, to) = (doc.tokens[start].start, doc.tokens[noun].end);
            let written = &doc.text[name.start..name.end];
            let qualifier = name.canonical.as_deref().filter(|_| name.kind != EntityType::Country).unwrap_or(written);
            found.push(EntitySpan {
                tokens: start..noun + 1,
                start: from,
                end: to,
                kind: EntityType::Event,
                confidence: 0.6,
                source: "relation-rules",
                canonical: Some(format!("{qualifier} {}", &doc.text[from..to])),
                external_ids: BTreeMap::new(),
                resolved_by: None,
            });
            pairs.push((from, name.start));
        }
    }
    doc.add_entities(found);
    pairs
}

/// A lower-case word that can modify a noun inside its phrase ("terror", "suicide").
fn is_modifier_word(doc: &Doc, t: usize) -> bool {
    let word = doc.token_text(t);
    let lower = word.chars().next().is_some_and(char::is_lowercase) && word.chars().all(|c| c.is_alphabetic() || c == '-');
    if !lower || NOT_MODIFIERS.contains(&word) || doc.overlaps_entity(doc.tokens[t].start, doc.tokens[t].end) {
        return false;
    }
    // With tags, only nouns and adjectives modify; without, any other lower-case word.
    doc.pos.get(t).is_none_or(|p| matches!(p.upos, "NOUN" | "ADJ" | "PROPN"))
}

/// For each entity, the countries, organisations or places that qualify it when it is a
/// role (empty otherwise): after it, `of [the] X [, Y] [and Z]` (coordination gives one
/// qualifier each); else right before it, `X` or `X's` ("Pakistan's Defence Minister",
/// "US State Department spokesperson", "Indian Foreign Minister").
pub fn role_qualifiers(doc: &Doc) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); doc.entities.len()];
    for (r, role) in doc.entities.iter().enumerate() {
        if role.kind != EntityType::Role {
            continue;
        }
        let sentence = &doc.sentences[doc.sentence_of_token(role.tokens.start)];
        if let Some(first) = doc.entities.get(r + 1).filter(|q| q.tokens.end <= sentence.tokens.end) {
            let gap = words_between(doc, role.tokens.end, first.tokens.start);
            let gap: Vec<&str> = gap.iter().map(String::as_str).collect();
            if matches!(gap.as_slice(), ["of" | "for" | "at"] | ["of" | "for" | "at", "the"]) && is_qualifier(first.kind) {
                out[r].push(r + 1);
                let mut last = r + 1;
                // A list longer than a few dozen names is no coordination of qualifiers.
                while let Some(next) = doc.entities.get(last + 1).filter(|n| n.kind == first.kind && n.tokens.end <= sentence.tokens.end && last - r < 32) {
                    let gap = words_between(doc, doc.entities[last].tokens.end, next.tokens.start);
                    let gap: Vec<&str> = gap.iter().map(String::as_str).collect();
                    if !matches!(gap.as_slice(), ["and"] | [","] | [",", "and"] | ["and", "the"]) {
                        break;
                    }
                    last += 1;
                    out[r].push(last);
                }
                continue;
            }
        }
        if r > 0 {
            let before = &doc.entities[r - 1];
            let gap = words_between(doc, before.tokens.end, role.tokens.start);
            if before.tokens.start >= sentence.tokens.start
                && is_qualifier(before.kind)
                && (gap.is_empty() || gap == ["'s"] || gap == ["’s"])
            {
                out[r].push(r - 1);
            }
        }
    }
    out
}

fn is_qualifier(kind: EntityType) -> bool {
    matches!(kind, EntityType::Country | EntityType::Organization | EntityType::Location)
}

/// Lower-case words of tokens `[from, to)`.
pub(crate) fn words_between(doc: &Doc, from: usize, to: usize) -> Vec<String> {
    (from..to).map(|t| doc.token_text(t).to_lowercase()).collect()
}

/// The name a role takes with its qualifier: "Foreign Minister of India"; a role that
/// already has an "of" reads better with the qualifier first ("United States Secretary
/// of State").
pub fn qualified_role_name(role: &str, qualifier: &str) -> String {
    if role.contains(" of ") {
        format!("{qualifier} {role}")
    } else {
        format!("{role} of {qualifier}")
    }
}

/// The name an entity is known by: its canonical name, else its text.
pub(crate) fn name_of(doc: &Doc, span: &EntitySpan) -> String {
    span.canonical.clone().unwrap_or_else(|| doc.span_text(span).to_string())
}
