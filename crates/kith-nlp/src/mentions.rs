//! Mentions that are not names: event noun phrases ("the Pahalgam terror attack", "the
//! G20 summit") and the country or organisation that qualifies a role ("the foreign
//! ministers of India and Pakistan", "Pakistan's Defence Minister").
//!
//! Both run inside the relation layer ([`crate::RelationRules`]), since what they find is
//! only worth a node when a relation can attach to it.

use crate::{Doc, EntitySpan};
use kith_schema::{EntityType, ResolvedBy};
use std::collections::BTreeMap;

/// Nouns that head an event mention.
const EVENT_NOUNS: &[&str] = &[
    "attack",
    "attacks",
    "summit",
    "election",
    "elections",
    "talks",
    "visit",
    "briefing",
    "interview",
    "strike",
    "strikes",
    "bombing",
    "bombings",
    "shooting",
    "massacre",
    "war",
    "ceasefire",
    "conference",
    "meeting",
    "protest",
    "protests",
    "invasion",
    "raid",
    "crisis",
    "referendum",
    "earthquake",
    "floods",
    "flood",
    "negotiations",
    "offensive",
    "assault",
    "ambush",
    "blast",
    "explosion",
    "riots",
    "games",
    "festival",
    "trial",
    "hearing",
];

/// Lower-case words that may stand between a named modifier and an event noun ("terror",
/// "suicide", "air"); more than two and it is no longer one noun phrase.
const MAX_EVENT_MODIFIERS: usize = 2;

/// Words that end a noun phrase's modifiers: an event noun after them is not modified by
/// the name before them.
const NOT_MODIFIERS: &[&str] = &[
    "the",
    "a",
    "an",
    "and",
    "or",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "with",
    "by",
    "from",
    "after",
    "before",
    "is",
    "was",
    "are",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "said",
    "says",
    "that",
    "this",
    "which",
    "who",
    "will",
    "would",
    "not",
    "its",
    "his",
    "her",
    "their",
    "since",
    "during",
    "following",
    "over",
    "about",
    "into",
];

/// Entity types whose name can qualify an event ("Pahalgam attack", "G20 summit").
fn qualifies_event(kind: EntityType) -> bool {
    matches!(
        kind,
        EntityType::Location
            | EntityType::Country
            | EntityType::Organization
            | EntityType::Other
            | EntityType::Event
    )
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
            while start > sentence.tokens.start
                && noun - start < MAX_EVENT_MODIFIERS
                && is_modifier_word(doc, start - 1)
            {
                start -= 1;
            }
            // The entity that ends right before the modifiers, if any.
            while e < doc.entities.len() && doc.entities[e].tokens.end < start {
                e += 1;
            }
            let Some(name) = doc.entities.get(e).filter(|n| n.tokens.end == start) else {
                continue;
            };
            if !qualifies_event(name.kind)
                || start < sentence.tokens.start
                || doc.overlaps_entity(doc.tokens[start].start, doc.tokens[noun].end)
            {
                continue;
            }
            let (from, to) = (doc.tokens[start].start, doc.tokens[noun].end);
            let written = &doc.text[name.start..name.end];
            let qualifier = name
                .canonical
                .as_deref()
                .filter(|_| name.kind != EntityType::Country)
                .unwrap_or(written);
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

/// How many sentences back a definite event description ("the attack") may find the event
/// it refers to; as far as a title looks for its holder ([`crate::coref`]).
pub(crate) const EVENT_WINDOW: usize = 12;

/// Definite descriptions of events named earlier: "the attack" (or "the deadly attack")
/// after "the Pahalgam terror attack" is that attack. Each becomes an
/// [`EntityType::Event`] span covering the description, named after the latest event of the
/// document within [`EVENT_WINDOW`] sentences whose head noun is the description's (an
/// attack is not a summit; *attacks* are not one *attack*), and marked
/// [`ResolvedBy::Title`] like other descriptions. Not when a name or an *of* phrase follows
/// the noun ("the attack of 2008", "the summit Leaders' Forum"), which says which event it
/// is there, nor when the noun modifies another ("the attack helicopter"). One pass over
/// the document, after [`add_event_mentions`].
pub fn add_event_descriptions(doc: &mut Doc) {
    // Events in document order: (last token, sentence, head noun, name).
    let events: Vec<(usize, usize, String, String)> = doc
        .entities
        .iter()
        .filter(|e| e.kind == EntityType::Event)
        .map(|e| {
            let name = name_of(doc, e);
            let head = name.rsplit(' ').next().unwrap_or_default().to_lowercase();
            (
                e.tokens.end - 1,
                doc.sentence_of_token(e.tokens.start),
                head,
                name,
            )
        })
        .collect();
    if events.is_empty() {
        return;
    }
    let mut latest: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut next_event = 0;
    let mut found = Vec::new();
    for (s, sentence) in doc.sentences.iter().enumerate() {
        let mut t = sentence.tokens.start;
        while t < sentence.tokens.end {
            while next_event < events.len() && events[next_event].0 < t {
                let (_, es, head, name) = &events[next_event];
                latest.insert(head.clone(), (*es, name.clone()));
                next_event += 1;
            }
            let Some(noun) = described_event(doc, t, sentence.tokens.end) else {
                t += 1;
                continue;
            };
            let head = doc.token_text(noun).to_lowercase();
            let Some((_, name)) = latest
                .get(&head)
                .filter(|(at, _)| at + EVENT_WINDOW >= s)
                .cloned()
            else {
                t += 1;
                continue;
            };
            found.push(EntitySpan {
                tokens: t..noun + 1,
                start: doc.tokens[t].start,
                end: doc.tokens[noun].end,
                kind: EntityType::Event,
                confidence: 0.55,
                source: "relation-rules",
                canonical: Some(name.clone()),
                external_ids: BTreeMap::new(),
                resolved_by: Some(ResolvedBy::Title),
            });
            // A later "the attack" refers to the same one, from here on.
            latest.insert(head, (s, name));
            t = noun + 1;
        }
    }
    doc.add_entities(found);
}

/// The event noun of a definite description starting at `t` (*the* [up to
/// [`MAX_EVENT_MODIFIERS`] modifiers] event noun), when no entity covers it and nothing
/// after the noun names the event itself or makes the noun a modifier.
fn described_event(doc: &Doc, t: usize, end: usize) -> Option<usize> {
    if !matches!(doc.token_text(t), "the" | "The") {
        return None;
    }
    let noun = (t + 1..(t + 2 + MAX_EVENT_MODIFIERS).min(end))
        .take_while(|&n| n == t + 1 || is_modifier_word(doc, n - 1))
        .find(|&n| EVENT_NOUNS.contains(&doc.token_text(n)))?;
    if doc.overlaps_entity(doc.tokens[t].start, doc.tokens[noun].end) {
        return None;
    }
    if noun + 1 < end {
        let next = doc.token_text(noun + 1);
        let names_it = next == "of" || next.chars().next().is_some_and(char::is_uppercase);
        let modifies = doc
            .pos
            .get(noun + 1)
            .is_some_and(|p| matches!(p.upos, "NOUN" | "PROPN"));
        if names_it || modifies {
            return None;
        }
    }
    Some(noun)
}

/// A lower-case word that can modify a noun inside its phrase ("terror", "suicide").
fn is_modifier_word(doc: &Doc, t: usize) -> bool {
    let word = doc.token_text(t);
    let lower = word.chars().next().is_some_and(char::is_lowercase)
        && word.chars().all(|c| c.is_alphabetic() || c == '-');
    if !lower
        || NOT_MODIFIERS.contains(&word)
        || doc.overlaps_entity(doc.tokens[t].start, doc.tokens[t].end)
    {
        return false;
    }
    // With tags, only nouns and adjectives modify; without, any other lower-case word.
    doc.pos
        .get(t)
        .is_none_or(|p| matches!(p.upos, "NOUN" | "ADJ" | "PROPN"))
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
        if let Some(first) = doc
            .entities
            .get(r + 1)
            .filter(|q| q.tokens.end <= sentence.tokens.end)
        {
            let gap = words_between(doc, role.tokens.end, first.tokens.start);
            let gap: Vec<&str> = gap.iter().map(String::as_str).collect();
            if matches!(
                gap.as_slice(),
                ["of" | "for" | "at"] | ["of" | "for" | "at", "the"]
            ) && is_qualifier(first.kind)
            {
                out[r].push(r + 1);
                let mut last = r + 1;
                // A list longer than a few dozen names is no coordination of qualifiers.
                while let Some(next) = doc.entities.get(last + 1).filter(|n| {
                    n.kind == first.kind && n.tokens.end <= sentence.tokens.end && last - r < 32
                }) {
                    let gap = words_between(doc, doc.entities[last].tokens.end, next.tokens.start);
                    let gap: Vec<&str> = gap.iter().map(String::as_str).collect();
                    if !matches!(
                        gap.as_slice(),
                        ["and"] | [","] | [",", "and"] | ["and", "the"]
                    ) {
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
    matches!(
        kind,
        EntityType::Country | EntityType::Organization | EntityType::Location
    )
}

/// Lower-case words of tokens `[from, to)`.
pub(crate) fn words_between(doc: &Doc, from: usize, to: usize) -> Vec<String> {
    (from..to)
        .map(|t| doc.token_text(t).to_lowercase())
        .collect()
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
    span.canonical
        .clone()
        .unwrap_or_else(|| doc.span_text(span).to_string())
}
