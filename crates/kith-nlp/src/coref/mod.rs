//! Within-document coreference: partial names, acronyms, titles and definite
//! descriptions, and pronouns, each linked to an entity the document names.
//!
//! [`Coreference`] runs after the taggers and before the relation rules, so that "He
//! met X" gives a relation for the person "he" refers to. It works in six passes:
//!
//! 1. **Partial names** ([`names`]) — a one-word span that is the first or last word of
//!    exactly one fuller person name in the document (*Rubio* → *Marco Rubio*). The
//!    name tagger does this for its own spans; this pass does it for every tagger's (a
//!    model's *Rubio*).
//! 2. **Acronyms** ([`names`]) — a span of capitals that spells the initials of exactly
//!    one longer name in the document, case-insensitively, with or without its
//!    connectors (*LeT* ↔ *Lashkar-e-Taiba*). Country short forms (*US*) are the
//!    gazetteer's variants.
//! 3. **Titles and definite descriptions** ([`titles`]) — *the secretary* (a role after
//!    *the*) is the person last named with a role sharing its main word (*Secretary
//!    Rubio*, *US Secretary of State Marco Rubio*); *the group*, *the company*, *the
//!    department*, *the country* are the last organisation (or country) named, when its
//!    name fits the noun, and *the war*, *the festival*, *the summit*, *the storm*, ...
//!    the last named event that fits.
//! 4. **Pronouns** ([`pronouns`]) — *he, him, his, himself, she, her, hers, herself*
//!    for people, *it, its, itself* for organisations and countries, *they, them,
//!    their, theirs, themselves* for organisations; with number and gender agreement. A
//!    person's gender comes from an honorific before a mention (*Mr*, *Mrs*, *Ms*), a
//!    given name ([`MALE_NAMES`](entities::MALE_NAMES), [`FEMALE_NAMES`](entities::FEMALE_NAMES), lists this project wrote) and
//!    pronouns already resolved to them. The antecedent is the most salient compatible
//!    entity of the [`WINDOW`](pronouns::WINDOW) sentences before (each mention counts
//!    [`DECAY`](pronouns::DECAY)^(sentences back), as in Lappin and Leass's
//!    recency-weighted salience); an object pronoun skips its own clause's subject, a
//!    reflexive takes the nearest mention. *I*, *me*, *my* inside a quotation
//!    attributed to a named person (*"I will stay," Asif said*, [`quotes`]) are that
//!    person.
//! 5. **Chains without a name** ([`Doc::coref`], [`sweep`]) — every other first-person
//!    singular pronoun of the document (the writer's or interviewee's *I*) forms one
//!    chain, and so do *we*/*us*/*our* and *you*/*your*, unless the first person
//!    introduces itself (*I'm Jane Doe*, *my name is Jane Doe*, with a person span
//!    there): then its *I*s are spans of that person. A *he*, *she*, *it* (not a dummy
//!    *it*) or *they* that no named entity takes joins the chain of the last such
//!    pronoun of its kind when that is at most [`UNNAMED_GAP`](sweep::UNNAMED_GAP)
//!    sentences back. These chains are coreference (scored by `kith eval coref`) but
//!    never graph entities: [`Doc::to_facts`] reads spans only.
//! 6. **Relative pronouns** ([`relatives`]) — *who*, *which*, *that*, *where* take the
//!    entity their relative clause describes, from the parse (*X was a banker who
//!    joined Y*: *who* is X, so the clause's relations are X's).
//!
//! Every decision is recorded in [`EntitySpan::resolved_by`]; spans found by passes 1–3
//! are changed in place (their `kind` and `canonical`), pronouns and descriptions that
//! no tagger marked are added through [`Doc::add_entities`]. [`Doc::to_facts`] groups
//! spans by (kind, canonical), so every resolved mention joins its antecedent's entity.
//! The passes are linear in the document apart from the window search, bounded by
//! [`WINDOW`](pronouns::WINDOW) sentences of mentions (and at most [`MAX_CANDIDATES`]
//! of them).

mod component;
mod entities;
mod names;
mod pronouns;
mod quotes;
mod relatives;
mod sweep;
#[cfg(test)]
mod tests;
mod titles;

pub use component::Coreference;

use crate::{Doc, EntitySpan};
use kith_schema::{EntityType, ResolvedBy};
use std::collections::BTreeMap;

/// Most earlier mentions a pronoun or title weighs, so that a run-on "sentence" of a
/// megabyte (no punctuation) costs linear time, not quadratic.
const MAX_CANDIDATES: usize = 200;

/// One mention seen so far, in document order.
struct Seen {
    token: usize,
    /// One past the mention's last token.
    end: usize,
    sentence: usize,
    key: (EntityType, String),
}

fn key_of(doc: &Doc, span: &EntitySpan) -> (EntityType, String) {
    (span.kind, doc.entity_name(span))
}

fn is_the(doc: &Doc, token: usize) -> bool {
    matches!(doc.token_text(token), "the" | "The")
}

fn new_span(
    doc: &Doc,
    tokens: std::ops::Range<usize>,
    key: &(EntityType, String),
    rule: ResolvedBy,
    confidence: f32,
) -> EntitySpan {
    EntitySpan {
        start: doc.tokens[tokens.start].start,
        end: doc.tokens[tokens.end - 1].end,
        tokens,
        kind: key.0,
        confidence,
        source: "coref",
        canonical: Some(key.1.clone()),
        external_ids: BTreeMap::new(),
        resolved_by: Some(rule),
    }
}
