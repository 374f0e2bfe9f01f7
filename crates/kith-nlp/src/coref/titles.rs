//! Pass 3: titles (*the secretary*), definite descriptions (*the group*, *the storm*) and
//! group descriptions (*both countries*, *the two leaders*), each resolved to entities
//! named before.

use super::entities::{role_head, Cluster, Gender};
use super::{Seen, MAX_CANDIDATES};
use crate::Doc;
use kith_schema::{EntityType, ResolvedBy};
use std::collections::BTreeMap;

/// How many sentences back a title (*the secretary*) may look for its holder.
const TITLE_WINDOW: usize = 12;

/// Nouns after *the* that refer to an organisation (or country) named earlier, with the
/// word its name must contain (`None`: any; `Some("")`: any but a government body).
const DESCRIPTIONS: &[(&str, EntityType, Option<&str>)] = &[
    ("group", EntityType::Organization, Some("")),
    ("organisation", EntityType::Organization, None),
    ("organization", EntityType::Organization, None),
    ("company", EntityType::Organization, None),
    ("firm", EntityType::Organization, None),
    ("department", EntityType::Organization, Some("department")),
    ("ministry", EntityType::Organization, Some("ministry")),
    ("agency", EntityType::Organization, Some("agency")),
    ("party", EntityType::Organization, Some("party")),
    ("university", EntityType::Organization, Some("university")),
    ("bank", EntityType::Organization, Some("bank")),
    ("court", EntityType::Organization, Some("court")),
    ("country", EntityType::Country, None),
    ("nation", EntityType::Country, None),
    // Named events: *the festival* after *the Cannes Film Festival*, *the storm* after
    // *Hurricane Maria*.
    ("war", EntityType::Event, Some("war")),
    ("festival", EntityType::Event, Some("festival")),
    ("summit", EntityType::Event, Some("summit")),
    ("conference", EntityType::Event, Some("conference")),
    ("games", EntityType::Event, Some("games")),
    ("olympics", EntityType::Event, Some("olympics")),
    ("tournament", EntityType::Event, Some("tournament")),
    ("championship", EntityType::Event, Some("championship")),
    ("storm", EntityType::Event, Some("storm")),
    ("hurricane", EntityType::Event, Some("hurricane")),
    ("cyclone", EntityType::Event, Some("cyclone")),
    ("typhoon", EntityType::Event, Some("typhoon")),
];

/// *The secretary*: a role after *the*, not itself a title before a name or an *of*
/// phrase, is the person last seen holding a role with its main word.
pub(super) fn resolve_title(
    doc: &mut Doc,
    i: usize,
    s: usize,
    seen: &[Seen],
    clusters: &BTreeMap<(EntityType, String), Cluster>,
) {
    let role = &doc.entities[i];
    let next = role.tokens.end;
    let followed = next < doc.tokens.len()
        && (doc
            .entities
            .get(i + 1)
            .is_some_and(|n| n.tokens.start == next)
            || followed_by_name(doc, next));
    if followed {
        return;
    }
    let Some(main) = role_head(doc, role) else {
        return;
    };
    if let Some(key) = find_holder(&main, s, seen, clusters) {
        let span = &mut doc.entities[i];
        span.kind = key.0;
        span.canonical = Some(key.1);
        span.resolved_by = Some(ResolvedBy::Title);
        span.confidence = span.confidence.min(0.6);
    }
}

/// *the secretary* where the gazetteer tagged no role (lower case): the person last seen
/// holding a role whose main word it is.
pub(super) fn role_holder(
    doc: &Doc,
    t: usize,
    s: usize,
    end: usize,
    seen: &[Seen],
    clusters: &BTreeMap<(EntityType, String), Cluster>,
) -> Option<(EntityType, String)> {
    let noun = doc.token_text(t + 1).to_lowercase();
    if t + 2 < end && followed_by_name(doc, t + 2) {
        return None;
    }
    find_holder(&noun, s, seen, clusters)
}

/// Whether the token opens a name or an *of* phrase that completes a title or description.
fn followed_by_name(doc: &Doc, next: usize) -> bool {
    let word = doc.token_text(next);
    word == "of" || word.chars().next().is_some_and(char::is_uppercase)
}

/// The person last seen within [`TITLE_WINDOW`] holding a role whose first word is `main`.
fn find_holder(
    main: &str,
    s: usize,
    seen: &[Seen],
    clusters: &BTreeMap<(EntityType, String), Cluster>,
) -> Option<(EntityType, String)> {
    seen.iter()
        .rev()
        .take(MAX_CANDIDATES)
        .take_while(|m| m.sentence + TITLE_WINDOW >= s)
        .find(|m| {
            m.key.0 == EntityType::Person
                && clusters
                    .get(&m.key)
                    .is_some_and(|c| c.roles.iter().any(|r| r == main))
        })
        .map(|m| m.key.clone())
}

/// *The group*, *the department*: the last organisation (or country) named in the window
/// whose name fits the noun; `None` when the noun is followed by a name or an *of*
/// phrase (*the group Lashkar-e-Taiba*, *the department of ...*) that names it there.
pub(super) fn description(
    doc: &Doc,
    t: usize,
    s: usize,
    end: usize,
    seen: &[Seen],
) -> Option<(EntityType, String)> {
    let noun = doc.token_text(t + 1).to_lowercase();
    let (_, kind, must) = DESCRIPTIONS.iter().find(|(n, _, _)| *n == noun)?;
    if t + 2 < end && followed_by_name(doc, t + 2) {
        return None;
    }
    seen.iter()
        .rev()
        .take(MAX_CANDIDATES)
        .take_while(|m| m.sentence + TITLE_WINDOW >= s)
        .find(|m| m.key.0 == *kind && fits_noun(&m.key.1, *must))
        .map(|m| m.key.clone())
}

/// Whether an organisation's name fits a description's noun: any name (`None`), a name
/// containing the word, or for `Some("")` (*the group*) a name that is not a government
/// body (*the group* is not *the State Department*).
fn fits_noun(name: &str, must: Option<&str>) -> bool {
    let lower = name.to_lowercase();
    let mut words = lower.split_whitespace();
    match must {
        None => true,
        Some("") => !words.any(|w| GOVERNMENT_HEADS.contains(&w)),
        // A hurricane, cyclone or typhoon is a storm.
        Some("storm") => words.any(|w| matches!(w, "storm" | "hurricane" | "cyclone" | "typhoon")),
        Some(word) => words.any(|w| w == word),
    }
}

/// Plural nouns that, after *both* or *the two* (*three*, *four*), refer to as many
/// entities named before, with the type they must have and the word their names must
/// contain (as in [`DESCRIPTIONS`]). *Governments* are countries: Kith names a state by
/// its country.
const GROUP_NOUNS: &[(&str, EntityType, Option<&str>)] = &[
    ("countries", EntityType::Country, None),
    ("nations", EntityType::Country, None),
    ("governments", EntityType::Country, None),
    ("companies", EntityType::Organization, None),
    ("firms", EntityType::Organization, None),
    ("groups", EntityType::Organization, Some("")),
    ("organisations", EntityType::Organization, None),
    ("organizations", EntityType::Organization, None),
    ("parties", EntityType::Organization, Some("party")),
    ("banks", EntityType::Organization, Some("bank")),
    ("leaders", EntityType::Person, None),
    ("men", EntityType::Person, None),
    ("women", EntityType::Person, None),
];

/// How many entities a group description counts: *both* X, *the two* X.
fn group_count(doc: &Doc, t: usize, end: usize) -> Option<(usize, usize)> {
    let word = doc.token_text(t).to_lowercase();
    if word == "both" {
        return Some((2, t + 1));
    }
    if word != "the" || t + 1 >= end {
        return None;
    }
    let count = match doc.token_text(t + 1).to_lowercase().as_str() {
        "two" => 2,
        "three" => 3,
        "four" => 4,
        _ => return None,
    };
    Some((count, t + 2))
}

/// *Both countries*, *the two leaders* at token `t`: (its length in tokens, the entities it
/// refers to in document order). The entities are, within [`TITLE_WINDOW`] sentences
/// back, the latest coordination of names of the noun's type when it has exactly as many
/// ("India and Pakistan"), else the latest that many distinct names of the type when no
/// other one shares the sentence of the earliest of them ("India accused Pakistan");
/// anything else is ambiguous and refers to nothing. Not when a name or an *of* phrase
/// follows, which names the group there.
pub(super) fn group_description(
    doc: &Doc,
    t: usize,
    s: usize,
    end: usize,
    covered: &[bool],
    seen: &[Seen],
    clusters: &BTreeMap<(EntityType, String), Cluster>,
) -> Option<(usize, Vec<(EntityType, String)>)> {
    let (count, noun_at) = group_count(doc, t, end)?;
    if noun_at >= end
        || covered[t..=noun_at].iter().any(|&c| c)
        || (noun_at + 1 < end && followed_by_name(doc, noun_at + 1))
    {
        return None;
    }
    let noun = doc.token_text(noun_at).to_lowercase();
    let (_, kind, must) = GROUP_NOUNS.iter().find(|(n, _, _)| *n == noun)?;
    let gender_ok = |key: &(EntityType, String)| {
        let gender = clusters.get(key).and_then(|c| c.gender);
        match noun.as_str() {
            "men" => gender != Some(Gender::Female),
            "women" => gender != Some(Gender::Male),
            _ => true,
        }
    };
    let candidates: Vec<&Seen> = seen
        .iter()
        .rev()
        .take(MAX_CANDIDATES)
        .take_while(|m| m.sentence + TITLE_WINDOW >= s)
        .filter(|m| m.key.0 == *kind && fits_noun(&m.key.1, *must) && gender_ok(&m.key))
        .collect();
    let keys = group_referents(doc, &candidates, count)?;
    Some((noun_at + 1 - t, keys))
}

/// The `count` entities a group description refers to, in document order, from the fitting
/// mentions before it (latest first): the coordination the latest one ends when it has
/// exactly `count` names, else the latest `count` distinct names when none other shares the
/// sentence of the earliest of them; `None` when that is ambiguous or falls short.
fn group_referents(
    doc: &Doc,
    candidates: &[&Seen],
    count: usize,
) -> Option<Vec<(EntityType, String)>> {
    let last = candidates.first()?;
    // The coordination the latest fitting mention ends, if any: "India and Pakistan".
    let mut coordination: Vec<&Seen> = vec![last];
    for m in &candidates[1..] {
        let next = coordination[coordination.len() - 1];
        let gap: Vec<&str> = (m.end..next.token).map(|x| doc.token_text(x)).collect();
        if m.sentence != next.sentence || !matches!(gap.as_slice(), ["and"] | [","] | [",", "and"])
        {
            break;
        }
        coordination.push(m);
    }
    let mut keys: Vec<(EntityType, String)> = Vec::new();
    if coordination.len() > 1 {
        for m in &coordination {
            if !keys.contains(&m.key) {
                keys.push(m.key.clone());
            }
        }
    } else {
        let mut since = usize::MAX;
        for m in candidates {
            if keys.contains(&m.key) {
                continue;
            }
            if keys.len() == count {
                if m.sentence >= since {
                    return None;
                }
                break;
            }
            keys.push(m.key.clone());
            since = m.sentence;
        }
    }
    if keys.len() != count {
        return None;
    }
    keys.reverse();
    Some(keys)
}

/// Words that make an organisation a government body.
const GOVERNMENT_HEADS: &[&str] = &[
    "department",
    "ministry",
    "agency",
    "office",
    "council",
    "government",
    "commission",
    "court",
    "parliament",
    "senate",
    "congress",
    "administration",
];
