//! Pass 4: pronouns, with the agreement, salience and clause rules that choose their
//! antecedent, and the first person's self-introduction.

use super::entities::{Cluster, Gender, FEMALE_HONORIFICS, MALE_HONORIFICS};
use super::{key_of, Seen, MAX_CANDIDATES};
use crate::{ChainPerson, Doc};
use kith_schema::EntityType;
use std::collections::BTreeMap;

/// How many sentences before a pronoun's own its antecedent may be. Chosen on GUM train
/// (`kith eval coref`: CoNLL F1 37.5 at 3 sentences, 39.2 at 8, 39.6 at 12, 39.7 at 20).
pub const WINDOW: usize = 12;

/// How many sentences back *it* and *they* may look. Shorter than [`WINDOW`] on purpose:
/// on GUM dev, *it*/*its*/*they*/*their*/*them* joined the right named entity 9 times and
/// a wrong (or unnamed) one 286 times with a 12-sentence reach; with 2 sentences, 10 and
/// 150. Since unresolved pronouns form chains of their own ([`UNNAMED_GAP`]), a short
/// reach also scores better: CoNLL F1 on GUM train 63.74 at 12 sentences, 64.80 at 4,
/// 65.46 at 2, 65.80 at 1, 66.19 at 0. One sentence, not 0, so that news' "Pakistan
/// rejected the claim. It said ..." still gives Pakistan a relation.
const THING_WINDOW: usize = 1;

/// How much a mention's weight in a pronoun's choice falls per sentence back. Chosen on
/// GUM train with [`WINDOW`]: salience (0.5 per sentence) gave CoNLL F1 39.95 against
/// 39.66 for the leftmost mention of the nearest sentence.
pub(super) const DECAY: f64 = 0.5;

/// Tokens beyond which an object pronoun and a subject are taken to be in different
/// clauses without looking for the break between them.
const MAX_CLAUSE: usize = 40;

/// What a pronoun can refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Referent {
    Person(Gender),
    /// *it*: an organisation or country.
    Thing,
    /// *they*: an organisation (news writes "the ministry said they ...").
    Plural,
    /// *I*, *me*, *my*: inside a quotation, the person it is attributed to.
    Speaker,
}

/// A pronoun's referent, and whether it is the object form that cannot take its own
/// clause's subject as antecedent (*Rubio told him*).
pub(super) fn pronoun(word: &str) -> Option<(Referent, bool)> {
    Some(match word {
        "he" | "his" | "himself" => (Referent::Person(Gender::Male), false),
        "him" => (Referent::Person(Gender::Male), true),
        "she" | "hers" | "herself" | "her" => (Referent::Person(Gender::Female), false),
        "it" | "its" | "itself" => (Referent::Thing, false),
        "they" | "their" | "theirs" | "themselves" => (Referent::Plural, false),
        "i" | "my" | "mine" | "myself" => (Referent::Speaker, false),
        "me" => (Referent::Speaker, true),
        "them" => (Referent::Plural, true),
        _ => return None,
    })
}

/// Verbs after which *it* may be a dummy subject (*it is likely that*); see [`pleonastic_it`].
const PLEONASTIC_NEXT: &[&str] = &[
    "is", "was", "'s", "’s", "seems", "seemed", "appears", "appeared", "remains", "takes", "took",
    "would", "will", "may", "might", "could", "has", "had",
];

/// Whether *it* at `t` (sentence ending at `end`) is a dummy subject: before a raising
/// verb (*it seems*), or before *is*/*was*/... with *that*, *to* or a *wh*-word within
/// the next four tokens (*it is likely that*, *it was hard to*, *it is unclear what*).
/// On GUM train (CoNLL F1) 65.92, against 65.80 for every *it* before such a verb and
/// 65.85 for no dummy *it* at all: *it was late*, *it is a big company* refer.
pub(super) fn pleonastic_it(doc: &Doc, t: usize, end: usize) -> bool {
    let next = |i: usize| (i < end).then(|| doc.token_text(i).to_lowercase());
    let Some(verb) = next(t + 1) else {
        return false;
    };
    if RAISING.contains(&verb.as_str()) {
        return true;
    }
    PLEONASTIC_NEXT.contains(&verb.as_str())
        && (t + 2..(t + 6).min(end)).any(|i| {
            matches!(
                doc.token_text(i),
                "that" | "to" | "what" | "whether" | "how" | "why" | "if" | "when"
            )
        })
}

/// Verbs after which *it* is always a dummy subject.
const RAISING: &[&str] = &["seems", "seemed", "appears", "appeared"];

/// Tokens that end a clause, so that an object pronoun after them may take a subject
/// before them (*Rubio said Modi told him*).
const CLAUSE_BREAKS: &[&str] = &[
    ",", "that", "said", "says", "and", "but", "who", "when", "because", "after", "before",
    "while", "if", ";", ":",
];

/// Whether a cluster can be what a pronoun refers to.
fn agrees(referent: Referent, kind: EntityType, cluster: &Cluster) -> bool {
    match referent {
        Referent::Person(gender) => {
            kind == EntityType::Person
                && cluster
                    .gender
                    .is_none_or(|g| g == Gender::Unknown || g == gender)
        }
        Referent::Thing => matches!(kind, EntityType::Organization | EntityType::Country),
        Referent::Plural => kind == EntityType::Organization,
        Referent::Speaker => false,
    }
}

/// The chain a first- or second-person pronoun outside a quotation joins.
pub(super) fn person_of(word: &str) -> Option<ChainPerson> {
    Some(match word {
        "i" | "me" | "my" | "mine" | "myself" => ChainPerson::First,
        "we" | "us" | "our" | "ours" | "ourselves" => ChainPerson::FirstPlural,
        "you" | "your" | "yours" | "yourself" | "yourselves" => ChainPerson::Second,
        _ => return None,
    })
}

/// The chain kind of a third-person pronoun that no named entity takes.
pub(super) fn third_person(referent: Referent) -> Option<ChainPerson> {
    match referent {
        Referent::Person(Gender::Male) => Some(ChainPerson::Masculine),
        Referent::Person(Gender::Female) => Some(ChainPerson::Feminine),
        Referent::Person(Gender::Unknown) => None,
        Referent::Thing => Some(ChainPerson::Neuter),
        Referent::Plural => Some(ChainPerson::Plural),
        Referent::Speaker => None,
    }
}

/// The person a first-person pronoun at `t` introduces itself as: *I am Jane Doe*,
/// *I'm Jane Doe*, *my name is Jane Doe* (a person span right after).
pub(super) fn self_introduction(
    doc: &Doc,
    t: usize,
    span_at: &[Option<usize>],
) -> Option<(EntityType, String)> {
    let word = |i: usize| (i < doc.tokens.len()).then(|| doc.token_text(i).to_lowercase());
    let name_at = match word(t)?.as_str() {
        "i" if matches!(word(t + 1)?.as_str(), "am" | "'m" | "’m") => t + 2,
        "my" if word(t + 1)? == "name" && matches!(word(t + 2)?.as_str(), "is" | "'s" | "’s") => {
            t + 3
        }
        _ => return None,
    };
    // An honorific before the name (*I'm Mrs. Okafor*) may stand outside the name's span.
    let mut name_at = name_at;
    while name_at < doc.tokens.len() && name_at < t + 6 && span_at[name_at].is_none() {
        let w = doc.token_text(name_at);
        if !(MALE_HONORIFICS.contains(&w) || FEMALE_HONORIFICS.contains(&w) || w == ".") {
            return None;
        }
        name_at += 1;
    }
    let span = &doc.entities[span_at.get(name_at).copied().flatten()?];
    (span.kind == EntityType::Person).then(|| key_of(doc, span))
}

/// Whether the POS layer (when there is one) agrees that a token is a pronoun.
pub(super) fn is_pronoun_tag(doc: &Doc, t: usize) -> bool {
    doc.pos
        .get(t)
        .is_none_or(|p| matches!(p.upos, "PRON" | "DET"))
}

/// The cluster a pronoun at token `t` of sentence `s` refers to: among compatible
/// clusters mentioned in the window, the most salient (see [`DECAY`]); a reflexive takes
/// the nearest mention of its sentence.
pub(super) fn antecedent(
    doc: &Doc,
    t: usize,
    s: usize,
    referent: Referent,
    object: bool,
    seen: &[Seen],
    clusters: &BTreeMap<(EntityType, String), Cluster>,
) -> Option<(EntityType, String)> {
    let fits = |m: &Seen| {
        clusters
            .get(&m.key)
            .is_some_and(|c| agrees(referent, m.key.0, c))
    };
    let reach = if matches!(referent, Referent::Person(_)) {
        WINDOW
    } else {
        THING_WINDOW
    };
    let first = seen
        .partition_point(|m| m.sentence + reach < s)
        .max(seen.len().saturating_sub(MAX_CANDIDATES));
    let window = &seen[first..];
    let word = doc.token_text(t).to_lowercase();
    if word.ends_with("self") || word.ends_with("selves") {
        // A reflexive takes the nearest mention of its own clause.
        return window
            .iter()
            .rev()
            .take_while(|m| m.sentence == s)
            .find(|m| fits(m))
            .map(|m| m.key.clone());
    }
    // Salience: each earlier mention of a cluster in the window adds DECAY^(sentences
    // back), so clusters named often and lately win; ties go to the latest mention.
    let mut salience: BTreeMap<&(EntityType, String), (f64, usize)> = BTreeMap::new();
    for (k, m) in window.iter().enumerate() {
        // "Rubio told him": an object pronoun is not its own clause's subject.
        let bound = object
            && m.sentence == s
            && t - m.token <= MAX_CLAUSE
            && !(m.token..t).any(|x| CLAUSE_BREAKS.contains(&doc.token_text(x)));
        if !fits(m) || bound {
            continue;
        }
        let entry = salience.entry(&m.key).or_insert((0.0, 0));
        entry.0 += DECAY.powi((s - m.sentence) as i32);
        entry.1 = k;
    }
    salience
        .into_iter()
        .max_by(|a, b| a.1 .0.total_cmp(&b.1 .0).then(a.1 .1.cmp(&b.1 .1)))
        .map(|(key, _)| key.clone())
}
