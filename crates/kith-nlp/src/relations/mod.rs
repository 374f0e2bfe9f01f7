//! The rule-based relation layer.
//!
//! * **Mentions beyond names** ([`crate::mentions`]): event noun phrases with a named
//!   modifier become Event entities ("the Pahalgam terror attack" → *Pahalgam terror
//!   attack*, located-in Pahalgam); roles take the country or organisation that qualifies
//!   them ("Pakistan's Defence Minister" → *Defence Minister of Pakistan*), and a role
//!   qualified by coordinated names is split into one role per name ("the foreign ministers
//!   of India and Pakistan" → *Foreign Minister of India*, *Foreign Minister of Pakistan*,
//!   two entities with the same mention).
//! * **Nominal relations**: titles and appositions (`holds-position`, and
//!   `affiliated-with` / `works-for` / `spokesperson-of` the role's qualifier), places
//!   ("Aiken, S.C." → located-in; "a bank in Boston" → based-in; "Ann Lee of Boston" →
//!   lives-in), and a place right before an organisation or person ("U.S. Congress" →
//!   based-in).
//! * **Verb-mediated relations**: with a dependency layer (`Doc::deps`), subject and
//!   object or prepositional object of a verb, through control and raising verbs
//!   (`xcomp`), auxiliaries, passives with agents and coordination (`conj`); without one,
//!   surface patterns between nearby mentions. Noun phrases can be predicates too ("was in
//!   contact with India"), and an object that is a speech act stands for its author
//!   ("rejected India's accusations" → *reject India*).
//!
//! Every relation carries polarity (negation: "not", "never", "denied that ...") and
//! modality (plans: "will", "is expected to"; reports: "said", "according to"; conditions:
//! "if", "unless"), read from the relation's verb and the clauses governing it, never from
//! elsewhere in the sentence (`polarity.rs`).
//!
//! # Predicates and classes
//!
//! | predicate | class | between | Wikidata |
//! |---|---|---|---|
//! | `holds-position` | role-affiliation | person → role | P39 (position held) |
//! | `affiliated-with`, `works-for`, `spokesperson-of` | role-affiliation | person → organisation or country | `works-for`: P108 (employer) |
//! | `position-of` | role-affiliation | role → the country or organisation qualifying it | |
//! | `lives-in`, `born-in` | located-in | person → place | P551 (residence), P19 (place of birth) |
//! | `located-in`, `based-in` | located-in | place, event or organisation → place | P131 (located in the administrative territorial entity), P159 (headquarters location) |
//! | `speak-with`, `meet`, `call`, `visit`, `tell`, `ask`, `urge`, `hold-talks-with`, `in-contact-with`, `interview` | communication | | |
//! | `accuse`, `blame`, `condemn`, `reject`, `attack`, `threaten`, `warn`, `criticise`, `kill` | conflict | | |
//! | `support`, `praise`, `thank` | support | | |
//!
//! The Wikidata column is `kith_schema::wikidata_property` (the table in
//! `data/schema/wikidata-properties.tsv`); the exports and `kith stats` carry the id.
//!
//! `kith_corpus::to_conll04_relation` maps these onto CoNLL04's types for evaluation.

mod dependency;
mod lexicon;
pub mod model;
pub mod open;
mod places;
mod polarity;
mod roles;
mod surface;
#[cfg(test)]
mod tests;
mod titles;

pub use dependency::svo_baseline;
use dependency::*;
use lexicon::*;
use places::*;
use polarity::*;
use roles::*;
use surface::*;
use titles::*;

use crate::{mentions, Component, Doc, EntitySpan, RelationSpan};
use kith_schema::{EntityType, Modality, Polarity, RelationClass};
use std::collections::BTreeMap;

/// The rule-based relation component: titles and appositions, places, qualified roles,
/// verb-mediated relations over the dependency layer (closed verb lists, then open verb
/// predicates) or surface patterns without one, each with its polarity and modality.
pub struct RelationRules;

/// Most mentions coordinated with an object ("B, C and D"); a longer list is cut, which
/// keeps the rules linear on run-on lists.
const MAX_COORDINATED: usize = 32;

/// Most tokens between two mentions that a verb phrase may span.
const MAX_GAP: usize = 10;

impl Component for RelationRules {
    fn name(&self) -> &'static str {
        "relation-rules"
    }

    fn process(&self, doc: &mut Doc) {
        let events = mentions::add_event_mentions(doc);
        mentions::add_event_descriptions(doc);
        let qualifiers = mentions::role_qualifiers(doc);
        let mut found = Vec::new();
        let index_at = |doc: &Doc, start: usize| doc.entities.partition_point(|e| e.start < start);
        for (event, modifier) in events {
            let (e, m) = (index_at(doc, event), index_at(doc, modifier));
            // A code with digits ("G20 summit") names a group or series, not a place,
            // whatever type a tagger gave it.
            let code = doc
                .span_text(&doc.entities[m])
                .bytes()
                .any(|b| b.is_ascii_digit());
            if matches!(
                doc.entities[m].kind,
                EntityType::Location | EntityType::Country
            ) && !code
            {
                let sentence = doc.sentence_of_token(doc.entities[e].tokens.start);
                found.push(relation(
                    e,
                    m,
                    "located-in",
                    RelationClass::LocatedIn,
                    sentence,
                    0.7,
                ));
            }
        }
        for (index, sentence) in doc.sentences.iter().enumerate() {
            let range = doc.entities_in(sentence);
            let (first, last) = (range.start, range.end);
            if last - first < 2 {
                continue;
            }
            titles(doc, index, first..last, &qualifiers, &mut found);
            places(doc, index, first..last, &mut found);
            if doc.deps.len() == doc.tokens.len() && !doc.deps.is_empty() {
                // Arcs first; where they relate nothing, the surface patterns may (a tagging
                // error such as "stands" read as a plural noun derails the parse).
                let mut by_arcs = Vec::new();
                dependency_relations(doc, index, &mut by_arcs);
                let mut by_words = Vec::new();
                verb_phrases(doc, index, first..last, &mut by_words);
                let related = |a: usize, b: usize| {
                    by_arcs.iter().any(|r: &RelationSpan| {
                        (r.subject == a && r.object == b) || (r.subject == b && r.object == a)
                    })
                };
                by_words.retain(|r| !related(r.subject, r.object));
                found.extend(by_arcs);
                found.extend(by_words);
            } else {
                verb_phrases(doc, index, first..last, &mut found);
            }
        }
        for (r, quals) in qualifiers.iter().enumerate() {
            for &q in quals {
                let sentence = doc.sentence_of_token(doc.entities[r].tokens.start);
                found.push(relation(
                    r,
                    q,
                    "position-of",
                    RelationClass::RoleAffiliation,
                    sentence,
                    0.75,
                ));
            }
        }
        let key = |r: &RelationSpan| (r.sentence, r.subject, r.object, r.predicate.clone());
        found.sort_by(|a, b| {
            key(a)
                .cmp(&key(b))
                .then(b.polarity.cmp(&a.polarity))
                .then(a.modality.cmp(&b.modality))
        });
        found.dedup_by(|a, b| key(a) == key(b));
        doc.relations.extend(found);
        split_roles(doc, &qualifiers);
        // "you asked him", both resolved to one person, or "both countries" holding the
        // subject itself: an entity is not related to itself.
        let same = |r: &RelationSpan| {
            let (a, b) = (&doc.entities[r.subject], &doc.entities[r.object]);
            a.kind == b.kind
                && mentions::name_of(doc, a).to_lowercase()
                    == mentions::name_of(doc, b).to_lowercase()
        };
        let keep: Vec<bool> = doc.relations.iter().map(|r| !same(r)).collect();
        let mut keep = keep.into_iter();
        doc.relations.retain(|_| keep.next().unwrap_or(true));
    }
}

fn relation(
    subject: usize,
    object: usize,
    predicate: &str,
    class: RelationClass,
    sentence: usize,
    confidence: f32,
) -> RelationSpan {
    RelationSpan {
        subject,
        object,
        predicate: predicate.to_string(),
        class: Some(class),
        polarity: Polarity::Affirmed,
        modality: Modality::Asserted,
        confidence,
        sentence,
    }
}

/// Tokens strictly between two spans, as lower-case words; no more than one past
/// [`MAX_GAP`], since no rule looks further.
fn between(doc: &Doc, a: &EntitySpan, b: &EntitySpan) -> Vec<String> {
    (a.tokens.end..b.tokens.start)
        .take(MAX_GAP + 1)
        .map(|t| doc.token_text(t).to_lowercase())
        .collect()
}

fn content_between(doc: &Doc, a: &EntitySpan, b: &EntitySpan) -> Vec<String> {
    between(doc, a, b)
        .into_iter()
        .enumerate()
        .filter(|(i, w)| {
            let article = matches!(w.as_str(), "a" | "an" | "the");
            let number = doc.tokens[a.tokens.end + i].kind == crate::TokenKind::Number;
            !article && !number
        })
        .map(|(_, w)| w)
        .collect()
}

fn role_name(doc: &Doc, span: &EntitySpan) -> String {
    span.canonical
        .clone()
        .unwrap_or_else(|| doc.span_text(span).to_string())
        .to_lowercase()
}

fn is_agent(kind: EntityType) -> bool {
    matches!(
        kind,
        EntityType::Person | EntityType::Organization | EntityType::Country
    )
}

fn is_place(kind: EntityType) -> bool {
    matches!(kind, EntityType::Location | EntityType::Country)
}
