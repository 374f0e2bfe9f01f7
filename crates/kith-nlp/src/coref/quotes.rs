//! Quotation speakers: the person a quotation is attributed to (*"I will stay," Asif
//! said*), whom its *I* refers to.

use crate::Doc;
use kith_schema::EntityType;

/// Verbs that attribute a quotation to its speaker.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "asked",
    "explained",
    "stated",
    "wrote",
    "insisted",
    "replied",
    "continued",
    "noted",
    "recalled",
];

/// For each token inside a quotation attributed to a named person (*"I will stay," Asif
/// said*; *Asif said: "I will stay."*), that person's span; `None` elsewhere. A straight
/// quote mark opens or closes by turns; curly ones say which they do. Attribution: a
/// person next to a speech verb within four tokens after the closing mark, else before
/// the opening one.
pub(super) fn quote_speakers(doc: &Doc, span_at: &[Option<usize>]) -> Vec<Option<usize>> {
    let mut out = vec![None; doc.tokens.len()];
    let mut open: Option<usize> = None;
    let mut quotes = Vec::new();
    for t in 0..doc.tokens.len() {
        match (doc.token_text(t), open) {
            ("“" | "\"" | "``", None) => open = Some(t),
            ("”" | "\"" | "''", Some(start)) => {
                quotes.push((start, t));
                open = None;
            }
            _ => {}
        }
    }
    let person_at = |t: usize| {
        span_at
            .get(t)
            .copied()
            .flatten()
            .filter(|&i| doc.entities[i].kind == EntityType::Person)
    };
    // The person span ending at each token.
    let mut person_ending = vec![None; doc.tokens.len()];
    for (i, e) in doc
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EntityType::Person)
    {
        person_ending[e.tokens.end - 1] = Some(i);
    }
    let is_speech = |t: usize| {
        t < doc.tokens.len() && SPEECH_VERBS.contains(&doc.token_text(t).to_lowercase().as_str())
    };
    for (start, end) in quotes {
        let after = (end + 1..(end + 5).min(doc.tokens.len())).find_map(|t| {
            let i = person_at(t)?;
            let next = doc.entities[i].tokens.end;
            (is_speech(next) || (t > 0 && is_speech(t - 1))).then_some(i)
        });
        let before = || {
            (start.saturating_sub(4)..start).rev().find_map(|t| {
                let verb = (t + 1..start).any(is_speech);
                person_ending[t].filter(|_| verb)
            })
        };
        if let Some(speaker) = after.or_else(before) {
            for slot in &mut out[start + 1..end] {
                *slot = Some(speaker);
            }
        }
    }
    out
}
