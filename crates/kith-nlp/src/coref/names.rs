//! Passes 1 and 2: partial names (*Rubio* → *Marco Rubio*) and acronyms (*LeT* →
//! *Lashkar-e-Taiba*), each resolved to the one fuller name of the document it can be.

use crate::{Doc, EntitySpan};
use kith_schema::{EntityType, ResolvedBy};
use std::collections::HashMap;

/// Words a name's initials may skip: *Ministry of External Affairs* → *MEA*.
const CONNECTORS: &[&str] = &["of", "the", "and", "for", "de", "&", "e", "al"];

fn resolvable(span: &EntitySpan) -> bool {
    span.canonical.is_none() && span.source != "gazetteer" && span.kind != EntityType::Role
}

/// Pass 1: one-word spans that are part of exactly one fuller person name, and one-word
/// events that end exactly one fuller event name.
pub(super) fn partial_names(doc: &mut Doc) {
    let mut full: HashMap<String, Vec<String>> = HashMap::new();
    for span in doc
        .entities
        .iter()
        .filter(|s| s.kind == EntityType::Person && s.tokens.len() > 1 && s.resolved_by.is_none())
    {
        let name = doc.entity_name(span);
        for t in [span.tokens.start, span.tokens.end - 1] {
            let names = full.entry(doc.token_text(t).to_string()).or_default();
            if !names.contains(&name) {
                names.push(name.clone());
            }
        }
    }
    for i in 0..doc.entities.len() {
        let span = &doc.entities[i];
        if span.tokens.len() != 1 || !resolvable(span) {
            continue;
        }
        let Some([name]) = full
            .get(doc.token_text(span.tokens.start))
            .map(Vec::as_slice)
        else {
            continue;
        };
        let name = name.clone();
        let span = &mut doc.entities[i];
        span.kind = EntityType::Person;
        span.canonical = Some(name);
        span.resolved_by = Some(ResolvedBy::PartialName);
    }
    // Events: a one-word event that ends exactly one fuller event name (*Maria* after
    // *Hurricane Maria*, *Games* after *Commonwealth Games*).
    let mut full: HashMap<&str, Vec<String>> = HashMap::new();
    for span in doc
        .entities
        .iter()
        .filter(|s| s.kind == EntityType::Event && s.tokens.len() > 1 && s.resolved_by.is_none())
    {
        let names = full.entry(doc.token_text(span.tokens.end - 1)).or_default();
        let name = doc.entity_name(span);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let resolved: Vec<(usize, String)> = doc
        .entities
        .iter()
        .enumerate()
        .filter(|(_, s)| s.kind == EntityType::Event && s.tokens.len() == 1 && resolvable(s))
        .filter_map(
            |(i, s)| match full.get(doc.token_text(s.tokens.start)).map(Vec::as_slice) {
                Some([name]) => Some((i, name.clone())),
                _ => None,
            },
        )
        .collect();
    for (i, name) in resolved {
        doc.entities[i].canonical = Some(name);
        doc.entities[i].resolved_by = Some(ResolvedBy::PartialName);
    }
}

/// The letters of an acronym (*LeT* → `let`), or `None` if the word is not one: two to
/// eight letters (dots allowed), at least two of them capitals.
fn acronym_letters(word: &str) -> Option<String> {
    let letters: String = word.chars().filter(|c| *c != '.').collect();
    let capitals = letters.chars().filter(|c| c.is_uppercase()).count();
    let ok = (2..=8).contains(&letters.chars().count())
        && capitals >= 2
        && letters.chars().all(char::is_alphabetic);
    ok.then(|| letters.to_lowercase())
}

/// A name's initials, lower case: with every word, and without connectors.
pub(super) fn initials(name: &str) -> [String; 2] {
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .collect();
    let all = words
        .iter()
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_lowercase)
        .collect();
    let content = words
        .iter()
        .filter(|w| !CONNECTORS.contains(&w.to_lowercase().as_str()))
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_lowercase)
        .collect();
    [all, content]
}

/// Pass 2: acronyms of exactly one longer name of the document.
pub(super) fn acronyms(doc: &mut Doc) {
    let mut long: HashMap<String, Vec<(String, EntityType)>> = HashMap::new();
    for span in &doc.entities {
        let name = doc.entity_name(span);
        if span.kind == EntityType::Role
            || span.kind == EntityType::Person
            || !name.contains([' ', '-'])
        {
            continue;
        }
        for key in initials(&name) {
            if key.chars().count() < 2 {
                continue;
            }
            let entry = long.entry(key).or_default();
            if !entry.iter().any(|(n, _)| *n == name) {
                entry.push((name.clone(), span.kind));
            }
        }
    }
    for i in 0..doc.entities.len() {
        let span = &doc.entities[i];
        if !resolvable(span) {
            continue;
        }
        let Some(letters) = acronym_letters(doc.span_text(span)) else {
            continue;
        };
        let Some([(name, kind)]) = long.get(&letters).map(Vec::as_slice) else {
            continue;
        };
        let (name, kind) = (name.clone(), *kind);
        let span = &mut doc.entities[i];
        span.kind = kind;
        span.canonical = Some(name);
        span.resolved_by = Some(ResolvedBy::Acronym);
    }
}
