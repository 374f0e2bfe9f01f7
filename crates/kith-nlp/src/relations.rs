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
//! modality (plans: "will", "is expected to"; reports: "said", "according to").
//!
//! # Predicates and classes
//!
//! | predicate | class | between |
//! |---|---|---|
//! | `holds-position` | role-affiliation | person → role |
//! | `affiliated-with`, `works-for`, `spokesperson-of` | role-affiliation | person → organisation or country |
//! | `position-of` | role-affiliation | role → the country or organisation qualifying it |
//! | `lives-in`, `born-in` | located-in | person → place |
//! | `located-in`, `based-in` | located-in | place, event or organisation → place |
//! | `speak-with`, `meet`, `call`, `visit`, `tell`, `ask`, `urge`, `hold-talks-with`, `in-contact-with`, `interview` | communication | |
//! | `accuse`, `blame`, `condemn`, `reject`, `attack`, `threaten`, `warn`, `criticise`, `kill` | conflict | |
//! | `support`, `praise`, `thank` | support | |
//!
//! `kith_corpus::to_conll04_relation` maps these onto CoNLL04's types for evaluation.

use crate::{mentions, Component, Doc, EntitySpan, RelationSpan};
use kith_schema::{EntityType, Modality, Polarity, RelationClass};
use std::collections::BTreeMap;

pub struct RelationRules;

/// (words of the verb phrase, normalised predicate, class). Longest phrases first, so that
/// "speak with" wins over "speak".
const VERB_PATTERNS: &[(&[&str], &str, RelationClass)] = &[
    (
        &["held", "talks", "with"],
        "hold-talks-with",
        RelationClass::Communication,
    ),
    (
        &["hold", "talks", "with"],
        "hold-talks-with",
        RelationClass::Communication,
    ),
    (
        &["spoke", "with"],
        "speak-with",
        RelationClass::Communication,
    ),
    (
        &["speak", "with"],
        "speak-with",
        RelationClass::Communication,
    ),
    (&["spoke", "to"], "speak-with", RelationClass::Communication),
    (&["speak", "to"], "speak-with", RelationClass::Communication),
    (
        &["speaking", "with"],
        "speak-with",
        RelationClass::Communication,
    ),
    (
        &["talk", "with"],
        "speak-with",
        RelationClass::Communication,
    ),
    (
        &["talked", "with"],
        "speak-with",
        RelationClass::Communication,
    ),
    (&["met", "with"], "meet", RelationClass::Communication),
    (&["meet", "with"], "meet", RelationClass::Communication),
    (&["met"], "meet", RelationClass::Communication),
    (&["meet"], "meet", RelationClass::Communication),
    (&["meets"], "meet", RelationClass::Communication),
    (&["called"], "call", RelationClass::Communication),
    (&["phoned"], "call", RelationClass::Communication),
    (&["visit"], "visit", RelationClass::Communication),
    (&["visited"], "visit", RelationClass::Communication),
    (&["visits"], "visit", RelationClass::Communication),
    (&["told"], "tell", RelationClass::Communication),
    (&["asked"], "ask", RelationClass::Communication),
    (&["ask"], "ask", RelationClass::Communication),
    (&["asks"], "ask", RelationClass::Communication),
    (&["urged"], "urge", RelationClass::Communication),
    (&["urge"], "urge", RelationClass::Communication),
    (&["rejected"], "reject", RelationClass::Conflict),
    (&["reject"], "reject", RelationClass::Conflict),
    (&["rejects"], "reject", RelationClass::Conflict),
    (&["accused"], "accuse", RelationClass::Conflict),
    (&["accuse"], "accuse", RelationClass::Conflict),
    (&["blamed"], "blame", RelationClass::Conflict),
    (&["blame"], "blame", RelationClass::Conflict),
    (&["condemned"], "condemn", RelationClass::Conflict),
    (&["condemn"], "condemn", RelationClass::Conflict),
    (&["attacked"], "attack", RelationClass::Conflict),
    (&["threatened"], "threaten", RelationClass::Conflict),
    (&["warned"], "warn", RelationClass::Conflict),
    (&["criticised"], "criticise", RelationClass::Conflict),
    (&["criticized"], "criticise", RelationClass::Conflict),
    (&["supported"], "support", RelationClass::Support),
    (&["support"], "support", RelationClass::Support),
    (&["backed"], "support", RelationClass::Support),
    (&["praised"], "praise", RelationClass::Support),
    (&["stands", "with"], "support", RelationClass::Support),
    (&["stand", "with"], "support", RelationClass::Support),
    (&["thanked"], "thank", RelationClass::Support),
    (&["interviewed"], "interview", RelationClass::Communication),
    (&["killed"], "kill", RelationClass::Conflict),
    (&["kill"], "kill", RelationClass::Conflict),
    (&["kills"], "kill", RelationClass::Conflict),
    (&["killing"], "kill", RelationClass::Conflict),
    (&["assassinated"], "kill", RelationClass::Conflict),
    (&["assassinate"], "kill", RelationClass::Conflict),
    (&["murdered"], "kill", RelationClass::Conflict),
    (&["murder"], "kill", RelationClass::Conflict),
    (&["shot"], "kill", RelationClass::Conflict),
    (&["slew"], "kill", RelationClass::Conflict),
    (&["executed"], "kill", RelationClass::Conflict),
    (&["born", "in"], "born-in", RelationClass::LocatedIn),
    (&["lives", "in"], "lives-in", RelationClass::LocatedIn),
    (&["lived", "in"], "lives-in", RelationClass::LocatedIn),
    (&["live", "in"], "lives-in", RelationClass::LocatedIn),
    (&["living", "in"], "lives-in", RelationClass::LocatedIn),
    (&["based", "in"], "based-in", RelationClass::LocatedIn),
    (
        &["headquartered", "in"],
        "based-in",
        RelationClass::LocatedIn,
    ),
    (
        &["works", "for"],
        "works-for",
        RelationClass::RoleAffiliation,
    ),
    (
        &["worked", "for"],
        "works-for",
        RelationClass::RoleAffiliation,
    ),
    (
        &["work", "for"],
        "works-for",
        RelationClass::RoleAffiliation,
    ),
    (&["joined"], "works-for", RelationClass::RoleAffiliation),
    (
        &["works", "at"],
        "works-for",
        RelationClass::RoleAffiliation,
    ),
    (
        &["worked", "at"],
        "works-for",
        RelationClass::RoleAffiliation,
    ),
    (
        &["taught", "at"],
        "works-for",
        RelationClass::RoleAffiliation,
    ),
    (
        &["teaches", "at"],
        "works-for",
        RelationClass::RoleAffiliation,
    ),
    (
        &["employed", "by"],
        "works-for",
        RelationClass::RoleAffiliation,
    ),
    (&["heads"], "leads", RelationClass::RoleAffiliation),
    (&["headed"], "leads", RelationClass::RoleAffiliation),
    (&["leads"], "leads", RelationClass::RoleAffiliation),
    (&["led"], "leads", RelationClass::RoleAffiliation),
];

/// Noun phrases that relate their subject to a `with` object the way a verb does ("the
/// United States was in contact with India"): (preposition, noun, preposition), predicate,
/// class. The surface patterns read them like verb phrases; over dependency arcs the noun
/// is the predicate (a copula's `cop`, its `case` and its `nsubj`), see
/// [`dependency_relations`].
const NOMINAL_PATTERNS: &[(&[&str], &str, RelationClass)] = &[
    (
        &["in", "contact", "with"],
        "in-contact-with",
        RelationClass::Communication,
    ),
    (
        &["in", "touch", "with"],
        "in-contact-with",
        RelationClass::Communication,
    ),
    (
        &["in", "talks", "with"],
        "hold-talks-with",
        RelationClass::Communication,
    ),
];

/// Words that may stand between a subject and a nominal predicate in the surface patterns:
/// copulas, their auxiliaries and negation ("is not", "has been", "will remain").
const NOMINAL_LINKS: &[&str] = &[
    "is", "was", "are", "were", "be", "been", "being", "remains", "remained", "remain", "stays",
    "stayed", "stay", "has", "have", "had", "will", "would", "could", "may", "might", "not", "n't",
    "never", "no", "longer", "still", "also", "already", "now", "get", "got", "gets", "getting",
];

/// Nouns naming what someone said or asked for. As a verb's object, their author is the
/// one the verb acts on: "Sharif rejected India's accusations" → *Sharif reject India*,
/// "Modi condemned the remarks of the minister" → *condemn* the minister. The author is
/// the possessor, or the object of *by*, *from* or (outside [`TARGET_OF_NOUNS`]) *of*.
const SPEECH_ACT_NOUNS: &[&str] = &[
    "accusation",
    "accusations",
    "allegation",
    "allegations",
    "claim",
    "claims",
    "charge",
    "charges",
    "demand",
    "demands",
    "criticism",
    "criticisms",
    "remark",
    "remarks",
    "comment",
    "comments",
    "statement",
    "statements",
    "assertion",
    "assertions",
    "proposal",
    "proposals",
    "offer",
    "offers",
    "request",
    "requests",
    "appeal",
    "appeals",
    "warning",
    "warnings",
    "suggestion",
    "suggestions",
    "denial",
    "denials",
    "call",
    "calls",
    "ultimatum",
    "threat",
    "threats",
];

/// Nouns whose content clause ("the claim that ...") is what the verb taking them denies or
/// reports: the speech-act nouns and a few more.
const CONTENT_NOUNS: &[&str] = &[
    "accusation",
    "accusations",
    "allegation",
    "allegations",
    "claim",
    "claims",
    "charge",
    "charges",
    "assertion",
    "assertions",
    "suggestion",
    "suggestions",
    "report",
    "reports",
    "rumour",
    "rumours",
    "rumor",
    "rumors",
    "idea",
    "notion",
    "statement",
    "statements",
    "remark",
    "remarks",
    "comment",
    "comments",
];

/// Speech-act nouns whose *of* names the target, not the author: "criticism of India" is
/// criticism aimed at India, so "Pakistan rejected criticism of India" says nothing against
/// India.
const TARGET_OF_NOUNS: &[&str] = &[
    "criticism",
    "criticisms",
    "denial",
    "denials",
    "condemnation",
];

/// Predicates whose object is a position or a speech act rather than a party ("rejected the
/// claim that ..."): in the surface patterns their object must follow the verb directly or
/// be the author of a speech act ([`SPEECH_ACT_NOUNS`]), so that "Pakistan rejected the
/// claim that it met India" says nothing of Pakistan and India.
const SPEECH_ACT_PREDICATES: &[&str] = &["reject"];

/// Adverbs skipped inside a verb phrase when there are no POS tags.
const ADVERBS: &[&str] = &[
    "soon",
    "also",
    "later",
    "again",
    "already",
    "still",
    "then",
    "now",
    "today",
    "briefly",
    "separately",
];

/// Words that mark a statement as a plan or expectation.
const PLAN_CUES: &[&str] = &[
    "will",
    "would",
    "plans",
    "planned",
    "expected",
    "set",
    "going",
    "intends",
    "scheduled",
    "'ll",
];
/// Words that mark a statement as someone's report.
const REPORT_CUES: &[&str] = &[
    "said",
    "says",
    "told",
    "according",
    "reported",
    "claimed",
    "alleged",
    "stated",
    "confirmed",
    "added",
];
/// Words that deny a statement.
const NEGATION_CUES: &[&str] = &[
    "not", "n't", "never", "no", "denied", "denies", "deny", "rejected",
];

/// Roles whose holder speaks for the organisation before them.
const SPOKESPERSON_ROLES: &[&str] = &[
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "press secretary",
];
/// Roles whose holder works for the organisation before them.
const STAFF_ROLES: &[&str] = &[
    "anchor",
    "correspondent",
    "editor",
    "reporter",
    "presenter",
    "columnist",
    "host",
];

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
            let first = doc
                .entities
                .partition_point(|e| e.tokens.start < sentence.tokens.start);
            let last = doc
                .entities
                .partition_point(|e| e.tokens.start < sentence.tokens.end);
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

/// Names each qualified role after its qualifier and splits a role qualified by several
/// coordinated names into one span per name, and a group mention ([`crate::Group`]: "both
/// countries") into one span per member (same tokens, next to each other in
/// `doc.entities`), copying every relation of the span onto each copy except the
/// `position-of` relations, which go to their own qualifier only. A role qualified by a
/// group ("the foreign ministers of both countries") is one role per member.
fn split_roles(doc: &mut Doc, qualifiers: &[Vec<usize>]) {
    // The members of each group span.
    let mut members: Vec<Vec<(EntityType, String)>> = vec![Vec::new(); doc.entities.len()];
    for group in &doc.groups {
        let i = doc
            .entities
            .partition_point(|e| e.tokens.start < group.tokens.start);
        if doc
            .entities
            .get(i)
            .is_some_and(|e| e.tokens == group.tokens)
        {
            members[i] = group.members.clone();
        }
    }
    if qualifiers.iter().all(Vec::is_empty) && members.iter().all(Vec::is_empty) {
        return;
    }
    let copies_of = span_copies(doc, qualifiers, &members);
    // New index of each old entity and of each of its copies.
    let mut copies: Vec<Vec<usize>> = Vec::with_capacity(doc.entities.len());
    let mut qualified_by: Vec<Option<(usize, usize)>> = Vec::with_capacity(doc.entities.len());
    let mut entities = Vec::with_capacity(doc.entities.len());
    for (old, span) in std::mem::take(&mut doc.entities).into_iter().enumerate() {
        if copies_of[old].is_empty() {
            copies.push(vec![entities.len()]);
            qualified_by.push(None);
            entities.push(span);
            continue;
        }
        let mut at = Vec::new();
        for (kind, name, qualifier) in &copies_of[old] {
            at.push(entities.len());
            qualified_by.push(*qualifier);
            entities.push(EntitySpan {
                kind: *kind,
                canonical: Some(name.clone()),
                ..span.clone()
            });
        }
        copies.push(at);
    }
    let mut relations = Vec::with_capacity(doc.relations.len());
    for r in std::mem::take(&mut doc.relations) {
        if r.predicate == "position-of" {
            // Each copy of the role with the copy of the qualifier it is named after.
            for &s in &copies[r.subject] {
                if let Some((q, k)) = qualified_by[s].filter(|(q, _)| *q == r.object) {
                    let o = copies[q].get(k).copied().unwrap_or(copies[q][0]);
                    relations.push(RelationSpan {
                        subject: s,
                        object: o,
                        ..r.clone()
                    });
                }
            }
            continue;
        }
        for &s in &copies[r.subject] {
            for &o in &copies[r.object] {
                relations.push(RelationSpan {
                    subject: s,
                    object: o,
                    ..r.clone()
                });
            }
        }
    }
    doc.entities = entities;
    doc.relations = relations;
}

/// One copy of a span that [`split_roles`] splits: its type, its name, and for a role the
/// qualifier it is named after with which member of that qualifier (0 unless a group).
type SpanCopy = (EntityType, String, Option<(usize, usize)>);

/// The copies each span is split into (none: the span stays as it is): a group span gives
/// one per member; a role one per qualifier, and one per member of a group qualifier.
fn span_copies(
    doc: &Doc,
    qualifiers: &[Vec<usize>],
    members: &[Vec<(EntityType, String)>],
) -> Vec<Vec<SpanCopy>> {
    (0..doc.entities.len())
        .map(|i| {
            let span = &doc.entities[i];
            if !members[i].is_empty() {
                return members[i]
                    .iter()
                    .map(|(kind, name)| (*kind, name.clone(), None))
                    .collect();
            }
            let role = mentions::name_of(doc, span);
            let mut out = Vec::new();
            for &q in &qualifiers[i] {
                if members[q].is_empty() {
                    out.push((
                        span.kind,
                        mentions::qualified_role_name(
                            &role,
                            &mentions::name_of(doc, &doc.entities[q]),
                        ),
                        Some((q, 0)),
                    ));
                } else {
                    for (k, (_, name)) in members[q].iter().enumerate() {
                        out.push((
                            span.kind,
                            mentions::qualified_role_name(&role, name),
                            Some((q, k)),
                        ));
                    }
                }
            }
            out
        })
        .collect()
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

/// The words between two spans without articles and numbers ("Ann Lee, 50, of Boston" →
/// `[",", ",", "of"]`), for the nominal patterns.
/// The words between an event and a place that say where it happens: `[is|was|were|will
/// be|...] held in`, `take[s]|took|will take place in`.
fn event_venue_gap(gap: &[&str]) -> bool {
    let (verb, aux) = match gap {
        [aux @ .., "held", "in"] => (true, aux),
        [aux @ .., "take" | "takes" | "took", "place", "in"] => (true, aux),
        _ => (false, gap),
    };
    verb && matches!(
        aux,
        [] | ["is" | "was" | "are" | "were" | "will" | "would"]
            | ["will" | "would", "be"]
            | ["has" | "have" | "had", "been"]
            | ["is" | "was" | "are" | "were", "being"]
    )
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

/// Who holds which role: `Role [,] Person` ("Defence Minister Khawaja Asif") and
/// `Person, [the 23rd] Role` (apposition) → holds-position; then the holder is
/// spokesperson-of / works-for / affiliated-with each of the role's qualifiers.
fn titles(
    doc: &Doc,
    sentence: usize,
    range: std::ops::Range<usize>,
    qualifiers: &[Vec<usize>],
    out: &mut Vec<RelationSpan>,
) {
    for r in range.clone() {
        let role = &doc.entities[r];
        if role.kind != EntityType::Role {
            continue;
        }
        let after = (r + 1 < range.end).then(|| r + 1).filter(|&p| {
            let gap = between(doc, role, &doc.entities[p]);
            doc.entities[p].kind == EntityType::Person && (gap.is_empty() || gap == [","])
        });
        let before = (r > range.start).then(|| r - 1).filter(|&p| {
            let gap = between(doc, &doc.entities[p], role);
            doc.entities[p].kind == EntityType::Person
                && gap.first().is_some_and(|w| w == ",")
                && gap.len() <= 4
                && gap[1..].iter().enumerate().all(|(i, w)| {
                    let t = doc.entities[p].tokens.end + 1 + i;
                    matches!(w.as_str(), "a" | "an" | "the" | "former" | "then" | "now")
                        || doc.pos.get(t).is_some_and(|p| p.upos == "ADJ")
                })
        });
        // "Susan Cruzan, an FDA spokeswoman", "John A. Georges, International Paper's
        // chairman": the apposition names the qualifier before the role.
        let before_qualifier = (r >= range.start + 2 && qualifiers[r].contains(&(r - 1)))
            .then(|| r - 2)
            .filter(|&p| {
                let gap = between(doc, &doc.entities[p], &doc.entities[r - 1]);
                doc.entities[p].kind == EntityType::Person
                    && gap.first().is_some_and(|w| w == ",")
                    && gap[1..]
                        .iter()
                        .all(|w| matches!(w.as_str(), "a" | "an" | "the" | "another" | "former"))
            });
        // "Fernandez would be the next president of Mexico", "made Emile Jonassaint
        // provisional president of Haiti": a copula, or nothing but adjectives, before a
        // role that names its country or organisation.
        let copular = (r > range.start).then(|| r - 1).filter(|&p| {
            let person = &doc.entities[p];
            let gap: Vec<usize> = (person.tokens.end..role.tokens.start).collect();
            person.kind == EntityType::Person
                && gap.len() <= 5
                && (!qualifiers[r].is_empty()
                    || gap.iter().any(|&t| COPULAS.contains(&doc.token_text(t))))
                && gap.iter().all(|&t| {
                    let w = doc.token_text(t);
                    COPULAS.contains(&w)
                        || matches!(
                            w,
                            "a" | "an"
                                | "the"
                                | "would"
                                | "will"
                                | "to"
                                | "not"
                                | "never"
                                | "no"
                                | "longer"
                                | "next"
                                | "new"
                                | "former"
                                | "first"
                                | "acting"
                        )
                        || doc.pos.get(t).is_some_and(|p| p.upos == "ADJ")
                })
                && (!gap.is_empty() || !qualifiers[r].is_empty())
        });
        let denied = copular.is_some_and(|p| {
            (doc.entities[p].tokens.end..role.tokens.start)
                .any(|t| matches!(doc.token_text(t), "not" | "never" | "no"))
        });
        let modality = if copular.is_some()
            && after.is_none()
            && before.is_none()
            && before_qualifier.is_none()
        {
            let words: Vec<&str> = (doc.entities[r - 1].tokens.end..role.tokens.start)
                .map(|t| doc.token_text(t))
                .collect();
            if words.iter().any(|w| matches!(*w, "will" | "would" | "to")) {
                Modality::Planned
            } else {
                Modality::Asserted
            }
        } else {
            Modality::Asserted
        };
        let Some(p) = after.or(before).or(before_qualifier).or(copular) else {
            continue;
        };
        let polarity = if denied && Some(p) == copular {
            Polarity::Negated
        } else {
            Polarity::Affirmed
        };
        let mut held = relation(
            p,
            r,
            "holds-position",
            RelationClass::RoleAffiliation,
            sentence,
            0.8,
        );
        held.modality = modality;
        held.polarity = polarity;
        out.push(held);
        let title = role_name(doc, role);
        let predicate = if SPOKESPERSON_ROLES.contains(&title.as_str()) {
            "spokesperson-of"
        } else if STAFF_ROLES.contains(&title.as_str()) {
            "works-for"
        } else {
            "affiliated-with"
        };
        for &q in &qualifiers[r] {
            let mut affiliated = relation(
                p,
                q,
                predicate,
                RelationClass::RoleAffiliation,
                sentence,
                0.75,
            );
            affiliated.modality = modality;
            affiliated.polarity = polarity;
            out.push(affiliated);
        }
    }
}

/// Where places, organisations, events and people are, from the words between
/// neighbouring mentions:
/// * `Place, Place` → located-in ("Aiken, S.C."), unless a list follows ("France, Spain
///   and Italy"); an organisation before the comma is based-in;
/// * `X [,] in|at Place` → located-in (places, events) or based-in (organisations);
/// * `Person [, 50,] of|from Place` → lives-in, `Person of|at Organisation` → works-for;
/// * `Place Organisation`, `Place's Organisation` → based-in ("U.S. Congress");
/// * `Place [up to three nouns] Person` → affiliated-with ("Soviet historian Roy Medvedev");
/// * `Organisation, a Place firm` → based-in;
/// * `Place's Place`, `X in [eastern] Place`, `X, the capital of Place` → located-in.
///
/// A person who lives in a place lives in the places it is located in, within the phrase
/// ("of Bethany, Conn.").
fn places(
    doc: &Doc,
    sentence: usize,
    range: std::ops::Range<usize>,
    found: &mut Vec<RelationSpan>,
) {
    let mut lives = Vec::new();
    let listed = listed_places(doc, &range);
    // This sentence's relations only, so that the rules below stay linear in the document.
    let mut out: Vec<RelationSpan> = Vec::new();
    for a in range.start..range.end - 1 {
        let b = a + 1;
        let (x, y) = (&doc.entities[a], &doc.entities[b]);
        let raw = between(doc, x, y);
        let gap = content_between(doc, x, y);
        let gap: Vec<&str> = gap.iter().map(String::as_str).collect();
        let next_word = (y.tokens.end < doc.sentences[sentence].tokens.end)
            .then(|| doc.token_text(y.tokens.end).to_lowercase());
        let list_follows = listed[a - range.start];
        let list_before = false;
        match (x.kind, y.kind, gap.as_slice()) {
            (EntityType::Location | EntityType::Country | EntityType::Event, _, [","])
                if is_place(y.kind) && !list_follows && !list_before && raw == [","] =>
            {
                out.push(relation(
                    a,
                    b,
                    "located-in",
                    RelationClass::LocatedIn,
                    sentence,
                    0.6,
                ));
            }
            (EntityType::Organization, _, [","])
                if is_place(y.kind) && !list_follows && raw == [","] =>
            {
                out.push(relation(
                    a,
                    b,
                    "based-in",
                    RelationClass::LocatedIn,
                    sentence,
                    0.55,
                ));
            }
            (EntityType::Location | EntityType::Event, _, ["in"] | [",", "in"])
                if is_place(y.kind) =>
            {
                out.push(relation(
                    a,
                    b,
                    "located-in",
                    RelationClass::LocatedIn,
                    sentence,
                    0.6,
                ));
            }
            // "the Olympics were held in Tokyo", "the summit will take place in Lima".
            (EntityType::Event, _, [.., "held" | "place", "in"])
                if is_place(y.kind) && event_venue_gap(&gap) =>
            {
                out.push(relation(
                    a,
                    b,
                    "located-in",
                    RelationClass::LocatedIn,
                    sentence,
                    0.6,
                ));
            }
            (EntityType::Organization, _, ["in"] | [",", "in"]) if is_place(y.kind) => {
                out.push(relation(
                    a,
                    b,
                    "based-in",
                    RelationClass::LocatedIn,
                    sentence,
                    0.6,
                ));
            }
            (
                EntityType::Person,
                _,
                ["of"]
                | [",", "of"]
                | [",", ",", "of"]
                | ["from"]
                | [",", "from"]
                | [",", _, "from"]
                | [",", "native", "of"]
                | ["is", "native", "of"]
                | ["native", "of"],
            ) if is_place(y.kind) => {
                out.push(relation(
                    a,
                    b,
                    "lives-in",
                    RelationClass::LocatedIn,
                    sentence,
                    0.6,
                ));
                lives.push((a, b));
            }
            (
                EntityType::Person,
                EntityType::Organization,
                ["of"] | [",", "of"] | [",", ",", "of"] | ["at"] | [",", "at"] | ["'s"] | ["’s"],
            ) => {
                out.push(relation(
                    a,
                    b,
                    "works-for",
                    RelationClass::RoleAffiliation,
                    sentence,
                    0.55,
                ));
            }
            (EntityType::Location | EntityType::Country, EntityType::Location, ["'s"] | ["’s"]) =>
            {
                out.push(relation(
                    b,
                    a,
                    "located-in",
                    RelationClass::LocatedIn,
                    sentence,
                    0.55,
                ));
            }
            (EntityType::Organization, EntityType::Person, words)
                if (1..=2).contains(&words.len())
                    && raw.len() == words.len()
                    && (x.tokens.end..y.tokens.start).all(|t| is_noun_word(doc, t)) =>
            {
                // "National Football League placekicker Mark Moseley".
                out.push(relation(
                    b,
                    a,
                    "works-for",
                    RelationClass::RoleAffiliation,
                    sentence,
                    0.5,
                ));
            }
            (
                EntityType::Location | EntityType::Country,
                EntityType::Organization,
                [] | ["'s"] | ["’s"],
            ) => {
                out.push(relation(
                    b,
                    a,
                    "based-in",
                    RelationClass::LocatedIn,
                    sentence,
                    0.6,
                ));
            }
            (EntityType::Location | EntityType::Country, EntityType::Person, words)
                if words.len() <= 3
                    && raw.len() == words.len()
                    && (x.tokens.end..y.tokens.start).all(|t| {
                        let w = doc.token_text(t);
                        w.chars().all(char::is_lowercase)
                            && !NOT_MODIFIER_GAP.contains(&w)
                            && (doc
                                .pos
                                .get(t)
                                .is_none_or(|p| matches!(p.upos, "NOUN" | "ADJ"))
                                || matches!(w, "born" | "native"))
                    }) =>
            {
                out.push(relation(
                    b,
                    a,
                    "affiliated-with",
                    RelationClass::RoleAffiliation,
                    sentence,
                    0.55,
                ));
            }
            (
                EntityType::Organization | EntityType::Person,
                EntityType::Location | EntityType::Country,
                [","],
            ) if raw.len() == 2
                && matches!(raw[1].as_str(), "a" | "an" | "the")
                && next_word.as_deref().is_some_and(|w| {
                    w.chars().all(char::is_lowercase) && w.chars().all(char::is_alphabetic)
                }) =>
            {
                let predicate = if x.kind == EntityType::Person {
                    "lives-in"
                } else {
                    "based-in"
                };
                out.push(relation(
                    a,
                    b,
                    predicate,
                    RelationClass::LocatedIn,
                    sentence,
                    0.55,
                ));
            }
            (EntityType::Location | EntityType::Country | EntityType::Organization, _, _)
                if is_place(y.kind) && is_locative(doc, x, y) =>
            {
                let predicate = if x.kind == EntityType::Organization {
                    "based-in"
                } else {
                    "located-in"
                };
                out.push(relation(
                    a,
                    b,
                    predicate,
                    RelationClass::LocatedIn,
                    sentence,
                    0.5,
                ));
            }
            _ => {}
        }
    }
    // "the Savannah River Plant, in Aiken, S.C.": in a place is in what it is located in.
    let located_in_next: std::collections::BTreeSet<usize> = out
        .iter()
        .filter(|r| r.predicate == "located-in" && r.object == r.subject + 1)
        .map(|r| r.subject)
        .collect();
    let added: Vec<RelationSpan> = out
        .iter()
        .filter(|r| {
            matches!(r.predicate.as_str(), "located-in" | "based-in") && r.object == r.subject + 1
        })
        .filter(|r| located_in_next.contains(&r.object) && !listed[r.object + 1 - range.start])
        .map(|r| {
            relation(
                r.subject,
                r.object + 1,
                &r.predicate,
                RelationClass::LocatedIn,
                sentence,
                0.5,
            )
        })
        .collect();
    out.extend(added);
    // "DAYTON, Ohio (AP)": a dateline's agency is based in its places.
    for o in range.clone() {
        let org = &doc.entities[o];
        if org.kind != EntityType::Organization
            || o == range.start
            || org.tokens.start < 1
            || org.tokens.end >= doc.tokens.len()
        {
            continue;
        }
        let (open, close) = (
            doc.token_text(org.tokens.start - 1),
            doc.token_text(org.tokens.end),
        );
        let place = &doc.entities[o - 1];
        // "Moscow March 5 (ITAR-TASS)", "Sofia, February 15 (BTA)": a date may sit between.
        let dated = (place.tokens.end..org.tokens.start - 1).all(|t| {
            let w = doc.token_text(t);
            w == "," || doc.tokens[t].kind == crate::TokenKind::Number || MONTHS.contains(&w)
        });
        if open != "("
            || close != ")"
            || !is_place(place.kind)
            || !dated
            || org.tokens.start - place.tokens.end > 5
        {
            continue;
        }
        out.push(relation(
            o,
            o - 1,
            "based-in",
            RelationClass::LocatedIn,
            sentence,
            0.5,
        ));
        if o >= range.start + 2
            && is_place(doc.entities[o - 2].kind)
            && between(doc, &doc.entities[o - 2], place) == [","]
        {
            out.push(relation(
                o,
                o - 2,
                "based-in",
                RelationClass::LocatedIn,
                sentence,
                0.5,
            ));
        }
    }
    // "Fred Demler, metals economist with Drexel Burnham": an apposition's employer.
    for a in range.start..range.end - 1 {
        let (x, y) = (&doc.entities[a], &doc.entities[a + 1]);
        if x.kind != EntityType::Person || y.kind != EntityType::Organization {
            continue;
        }
        let gap = between(doc, x, y);
        let ok = gap.len() >= 3
            && gap.len() <= 6
            && gap[0] == ","
            && matches!(
                gap.last().map(String::as_str),
                Some("for" | "with" | "at" | "of")
            )
            && gap[1..gap.len() - 1].iter().all(|w| {
                w.chars().all(|c| c.is_lowercase() || c == '-')
                    && !NOT_MODIFIER_GAP.contains(&w.as_str())
            });
        if ok {
            out.push(relation(
                a,
                a + 1,
                "works-for",
                RelationClass::RoleAffiliation,
                sentence,
                0.5,
            ));
        }
    }
    // "Kennedy's assassin, Lee Harvey Oswald", "King assassin James Earl Ray", "Sirhan was
    // convicted of Kennedy's killing".
    for a in range.start..range.end - 1 {
        let (x, y) = (&doc.entities[a], &doc.entities[a + 1]);
        if x.kind != EntityType::Person || y.kind != EntityType::Person {
            continue;
        }
        let gap = content_between(doc, x, y);
        let gap: Vec<&str> = gap.iter().map(String::as_str).collect();
        if let ["'s" | "’s", killer] | ["'s" | "’s", killer, ","] | [killer] | [killer, ","] =
            gap.as_slice()
        {
            if KILLER_NOUNS.contains(killer) {
                out.push(relation(
                    a + 1,
                    a,
                    "kill",
                    RelationClass::Conflict,
                    sentence,
                    0.55,
                ));
            }
        }
        let after: Vec<String> = (y.tokens.end
            ..(y.tokens.end + 2).min(doc.sentences[sentence].tokens.end))
            .map(|t| doc.token_text(t).to_lowercase())
            .collect();
        let killing = matches!(after.first().map(String::as_str), Some("'s" | "’s"))
            && after
                .get(1)
                .is_some_and(|w| KILLING_NOUNS.contains(&w.as_str()));
        if killing
            && gap.last() == Some(&"of")
            && gap.iter().any(|w| {
                matches!(
                    *w,
                    "convicted" | "accused" | "charged" | "guilty" | "suspected"
                )
            })
        {
            out.push(relation(
                a,
                a + 1,
                "kill",
                RelationClass::Conflict,
                sentence,
                0.5,
            ));
        }
    }
    // "of Bethany, Conn.": living in a place is living in what it is located in.
    for (p, place) in lives {
        if located_in_next.contains(&place) {
            out.push(relation(
                p,
                place + 1,
                "lives-in",
                RelationClass::LocatedIn,
                sentence,
                0.55,
            ));
        }
    }
    found.extend(out);
}

/// Forms of "be" and "become" that link a person to a role ("X is the foreign minister").
const COPULAS: &[&str] = &[
    "is", "was", "be", "became", "becomes", "remains", "remained", "been",
];

/// Nouns for a killer ("Kennedy's assassin").
const KILLER_NOUNS: &[&str] = &["assassin", "killer", "murderer"];
/// Nouns for a killing ("convicted of Kennedy's killing").
const KILLING_NOUNS: &[&str] = &[
    "killing",
    "murder",
    "assassination",
    "death",
    "slaying",
    "shooting",
];

/// Month names and abbreviations, for datelines.
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "Aug.",
    "Sep.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
];

/// Words that place something within a larger place ("in eastern Sudan", "in the
/// southeastern part of Rwanda", "the capital of Armenia").
const DIRECTIONS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "north-east",
    "north-west",
    "south-east",
    "south-west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "part",
    "suburban",
    "downtown",
    "rural",
    "coastal",
    "nearby",
];

/// Nouns for an organisation's site ("NRC headquarters in Rockville").
const SITE_NOUNS: &[&str] = &[
    "headquarters",
    "offices",
    "office",
    "plant",
    "factory",
    "campus",
    "headquarter",
    "base",
];

/// Nouns that name a place as part of a larger one ("Yerevan, the capital of Armenia").
const PLACE_NOUNS: &[&str] = &[
    "capital",
    "city",
    "town",
    "village",
    "province",
    "state",
    "region",
    "district",
    "county",
    "island",
    "nation",
    "country",
    "port",
    "suburb",
    "area",
    "republic",
    "territory",
    "home",
    "seat",
];

/// Whether the words between two mentions place the first within the second: `X in
/// [eastern | the southeastern part of] Y`, `X, [the] capital of Y`, `X, [an] island
/// nation in Y`, `X, south-east Y`.
fn is_locative(doc: &Doc, x: &EntitySpan, y: &EntitySpan) -> bool {
    let gap = between(doc, x, y);
    if gap.is_empty() || gap.len() > 7 {
        return false;
    }
    let words: Vec<&str> = gap
        .iter()
        .map(String::as_str)
        .filter(|w| !matches!(*w, "a" | "an" | "the"))
        .collect();
    let words = words.strip_prefix(&[","]).unwrap_or(&words);
    let Some(at) = words.iter().position(|w| matches!(*w, "in" | "of")) else {
        // "Mohammadia, south-east Algeria".
        return gap[0] == "," && !words.is_empty() && words.iter().all(|w| DIRECTIONS.contains(w));
    };
    let (before, after) = (&words[..at], &words[at + 1..]);
    // "NRC headquarters in nearby Rockville": an organisation's site.
    let site = x.kind == EntityType::Organization
        && before.len() == 1
        && SITE_NOUNS.contains(&before[0])
        && words[at] == "in";
    let before_ok =
        site || (before.iter().all(|w| PLACE_NOUNS.contains(w)) && (at == 0 || gap[0] == ","));
    // "of" alone belongs to names and titles ("the Bank of England"); it needs a place noun.
    let connector_ok = words[at] == "in" || !before.is_empty();
    let after_ok = after.iter().all(|w| DIRECTIONS.contains(w) || *w == "of");
    before_ok && connector_ok && after_ok
}

/// A lower-case noun (by POS tag when tagged).
fn is_noun_word(doc: &Doc, t: usize) -> bool {
    let w = doc.token_text(t);
    w.chars().all(|c| c.is_lowercase() || c == '-')
        && !NOT_MODIFIER_GAP.contains(&w)
        && doc.pos.get(t).is_none_or(|p| p.upos == "NOUN")
}

/// Lower-case words that stop `Place ... Person` from being one noun phrase.
const NOT_MODIFIER_GAP: &[&str] = &[
    "and", "or", "said", "says", "told", "in", "on", "at", "to", "of", "for", "with", "by", "from",
    "that", "and", "but", "as", "when", "after", "before", "is", "was",
];

/// For each entity of a sentence, whether it is in a list of places ("France, Spain and
/// Italy", "Colombia, Bolivia, Ecuador, Peru, and Venezuela"): a chain of places joined by
/// commas that has an "and" or "or" somewhere. One pass over the sentence.
fn listed_places(doc: &Doc, range: &std::ops::Range<usize>) -> Vec<bool> {
    let mut listed = vec![false; range.len()];
    let mut chain_start = range.start;
    let mut has_and = false;
    for i in range.clone() {
        let joint = (i + 1 < range.end
            && is_place(doc.entities[i].kind)
            && is_place(doc.entities[i + 1].kind))
        .then(|| {
            let gap = between(doc, &doc.entities[i], &doc.entities[i + 1]);
            let gap: Vec<&str> = gap.iter().map(String::as_str).collect();
            match gap.as_slice() {
                [","] => Some(false),
                ["and" | "or"] | [",", "and" | "or"] => Some(true),
                _ => None,
            }
        });
        match joint.flatten() {
            Some(and) => has_and |= and,
            None => {
                if has_and {
                    listed[chain_start - range.start..=i - range.start].fill(true);
                }
                chain_start = i + 1;
                has_and = false;
            }
        }
    }
    listed
}

/// `A ... verb-phrase ... B [and C]` with A an agent type, within [`MAX_GAP`] tokens;
/// adverbs inside the phrase are skipped ("speak soon with"), and a passive with an agent
/// ("was killed by B") turns round.
fn verb_phrases(
    doc: &Doc,
    sentence: usize,
    range: std::ops::Range<usize>,
    out: &mut Vec<RelationSpan>,
) {
    let reported = doc.sentences[sentence]
        .tokens
        .clone()
        .any(|t| REPORT_CUES.contains(&doc.token_text(t).to_lowercase().as_str()));
    for s in range.clone() {
        let subject = &doc.entities[s];
        if !matches!(
            subject.kind,
            EntityType::Person
                | EntityType::Organization
                | EntityType::Country
                | EntityType::Location
        ) {
            continue;
        }
        // A mention right before another one modifies it ("US" in "US Secretary of State").
        if s + 1 < range.end && is_modifier(&between(doc, subject, &doc.entities[s + 1])) {
            continue;
        }
        // The verb must come before the next person, organisation or country, which would
        // be its subject instead ("Rubio said the United States stands with India").
        let mut passed_agent = false;
        let Some((o, predicate, class, at, gap)) = (s + 1..range.end)
            .map(|o| (o, without_adverbs(doc, subject, &doc.entities[o])))
            .take(MAX_GAP)
            .take_while(|(_, gap)| {
                gap.len() <= MAX_GAP && !gap.iter().any(|w| w == ";" || w == ".")
            })
            .take_while(|(o, _)| {
                !std::mem::replace(
                    &mut passed_agent,
                    is_agent(doc.entities[*o].kind)
                        && !is_modifier(&between(
                            doc,
                            &doc.entities[*o],
                            &doc.entities[(*o + 1).min(range.end - 1)],
                        )),
                )
            })
            .find_map(|(o, gap)| find_verb(&gap).map(|(p, c, at)| (o, p, c, at, gap)))
        else {
            continue;
        };
        // Places only locate: "Boston-based", "born in".
        if subject.kind == EntityType::Location && class != RelationClass::LocatedIn {
            continue;
        }
        let before_verb = &gap[..at];
        let polarity = if before_verb
            .iter()
            .any(|w| NEGATION_CUES.contains(&w.as_str()))
        {
            Polarity::Negated
        } else {
            Polarity::Affirmed
        };
        // A nominal predicate takes its subject through a copula ("the United States was in
        // contact with India"), not across a clause ("who helped him ... and get in touch").
        if NOMINAL_PATTERNS.iter().any(|(_, p, _)| *p == predicate)
            && gap[at] == "in"
            && !before_verb
                .iter()
                .all(|w| NOMINAL_LINKS.contains(&w.as_str()))
        {
            continue;
        }
        // "Rubio to speak with ...": a headline's bare infinitive announces a plan.
        let headline_infinitive = before_verb == ["to"];
        let modality =
            if headline_infinitive || before_verb.iter().any(|w| PLAN_CUES.contains(&w.as_str())) {
                Modality::Planned
            } else if reported && predicate != "tell" {
                Modality::Reported
            } else {
                Modality::Asserted
            };
        let verb_len = VERB_PATTERNS
            .iter()
            .chain(NOMINAL_PATTERNS)
            .find(|(w, _, _)| {
                gap.len() >= at + w.len()
                    && gap[at..at + w.len()]
                        .iter()
                        .zip(w.iter())
                        .all(|(g, w)| g == w)
            })
            .map_or(1, |(w, _, _)| w.len());
        // "rejected the claim that it met India": a position's object is no party to it.
        if SPEECH_ACT_PREDICATES.contains(&predicate)
            && !speech_act_object(doc, &gap[at + verb_len..], o)
        {
            continue;
        }
        let passive = gap.get(at + verb_len).is_some_and(|w| w == "by")
            && before_verb
                .iter()
                .any(|w| matches!(w.as_str(), "was" | "were" | "been" | "be" | "is" | "are"));
        let o = head_of_chain(doc, o, range.end);
        for target in coordinated(doc, o, range.end) {
            let (from, to) = if passive { (target, s) } else { (s, target) };
            if predicate == "kill"
                && (doc.entities[from].kind != EntityType::Person
                    || doc.entities[to].kind != EntityType::Person)
            {
                continue;
            }
            let mut r = relation(from, to, predicate, class, sentence, 0.6);
            r.polarity = polarity;
            r.modality = modality;
            out.push(r);
        }
    }
}

/// Whether the words after a verb (`after`, up to mention `o`) make `o` the verb's object
/// itself ("rejected India", "rejected the proposal" has none) or the author of a speech act
/// that is ("rejected India's accusations", "rejected the demands of India").
fn speech_act_object(doc: &Doc, after: &[String], o: usize) -> bool {
    let object = &doc.entities[o];
    let next = |k: usize| {
        (object.tokens.end + k < doc.tokens.len())
            .then(|| doc.token_text(object.tokens.end + k).to_lowercase())
    };
    match after {
        // Directly after the verb: the object itself, unless it only qualifies a noun that
        // is the object ("rejected India's role"); a speech act's possessor is its author.
        [] | [_]
            if after
                .iter()
                .all(|w| matches!(w.as_str(), "the" | "a" | "an")) =>
        {
            match next(0).as_deref() {
                Some("'s" | "’s") => {
                    next(1).is_some_and(|n| SPEECH_ACT_NOUNS.contains(&n.as_str()))
                }
                _ => true,
            }
        }
        // "the accusations of|by|from India": before the noun at most three words (a
        // determiner and two adjectives), none of them punctuation or a number.
        [lead @ .., noun, preposition] => {
            let lead_ok =
                lead.len() <= 3 && lead.iter().all(|w| w.chars().all(char::is_alphabetic));
            lead_ok && speech_act_author(noun, preposition)
        }
        _ => false,
    }
}

/// Whether a speech-act noun's prepositional object is its author ("the demands of India",
/// "accusations by India"; not "criticism of India", its target).
fn speech_act_author(noun: &str, preposition: &str) -> bool {
    SPEECH_ACT_NOUNS.contains(&noun)
        && match preposition {
            "by" | "from" => true,
            "of" => !TARGET_OF_NOUNS.contains(&noun),
            _ => false,
        }
}

/// The words between two spans as [`between`] gives them, less adverbs (by POS tag when
/// tagged: "speak soon with" → "speak with").
fn without_adverbs(doc: &Doc, a: &EntitySpan, b: &EntitySpan) -> Vec<String> {
    (a.tokens.end..b.tokens.start)
        .take(MAX_GAP + 1)
        .filter(|&t| {
            let word = doc.token_text(t);
            let lower = word.to_lowercase();
            let negation = NEGATION_CUES.contains(&lower.as_str());
            // Without tags, the commonest adverbs of news verbs and -ly words.
            let adverb = match doc.pos.get(t) {
                Some(p) => p.upos == "ADV",
                None => {
                    ADVERBS.contains(&lower.as_str()) || (lower.len() > 4 && lower.ends_with("ly"))
                }
            };
            negation || !adverb
        })
        .map(|t| doc.token_text(t).to_lowercase())
        .collect()
}

/// Verb-mediated relations read from the dependency layer: for each verb, its subjects
/// (`nsubj`, or a passive's `obl:agent`; inherited through `xcomp` from the controlling
/// verb and through `conj` from the first conjunct) and its objects (`obj`, or `obl` with
/// the preposition the predicate needs; a passive subject when there is an agent), each
/// extended by its `conj`s; polarity and modality from the verb and the verbs above it.
fn dependency_relations(doc: &Doc, sentence: usize, out: &mut Vec<RelationSpan>) {
    let range = doc.sentences[sentence].tokens.clone();
    let mut children: Vec<Vec<(usize, &str)>> = vec![Vec::new(); range.len()];
    for t in range.clone() {
        if let Some(h) = doc.deps[t].head.filter(|h| range.contains(h)) {
            children[h - range.start].push((t, doc.deps[t].label));
        }
    }
    let kids = |t: usize| children[t - range.start].iter().copied();
    let entity_of = |t: usize| {
        let i = doc.entities.partition_point(|e| e.tokens.end <= t);
        doc.entities
            .get(i)
            .filter(|e| e.tokens.contains(&t))
            .map(|_| i)
    };
    let with_conj = |t: usize| {
        let mut all = vec![t];
        let mut i = 0;
        while i < all.len() {
            all.extend(kids(all[i]).filter(|(_, l)| *l == "conj").map(|(c, _)| c));
            i += 1;
        }
        all
    };
    // The subject of a verb, inherited from the verb that controls it or that it is
    // coordinated with; (token, passive?).
    let subject_of = |v: usize| {
        let mut at = v;
        for _ in 0..range.len() {
            if let Some((s, l)) = kids(at).find(|(_, l)| l.starts_with("nsubj")) {
                return Some((s, l == "nsubj:pass"));
            }
            match (doc.deps[at].label, doc.deps[at].head) {
                ("xcomp" | "conj", Some(h)) if range.contains(&h) => at = h,
                _ => return None,
            }
        }
        None // a cyclic parse: no subject rather than no end
    };
    // Whether each verb's facts are reported rather than stated; see [`reported_verbs`].
    let reported = reported_verbs(doc, &range, &children);
    // A dateline ("WASHINGTON, April 23 — ...") names where the story was filed, not who
    // acts: mentions before its dash take no part in verb relations.
    let body = doc
        .dateline_dash(sentence)
        .map_or(range.start, |dash| dash + 1);
    let entity_of = |t: usize| if t < body { None } else { entity_of(t) };
    // "accusations" in "rejected India's accusations": the speech act's author, if a
    // mention (possessor, or *of* / *by* / *from*), stands for the object.
    let author_of = |o: usize| {
        let noun = doc.token_text(o).to_lowercase();
        if entity_of(o).is_some() || !SPEECH_ACT_NOUNS.contains(&noun.as_str()) {
            return o;
        }
        let by_case = |a: usize| {
            kids(a)
                .find(|(_, l)| *l == "case")
                .is_some_and(|(c, _)| speech_act_author(&noun, &doc.token_text(c).to_lowercase()))
        };
        kids(o)
            .find(|&(a, l)| {
                entity_of(a).is_some() && (l == "nmod:poss" || (l == "nmod" && by_case(a)))
            })
            .map_or(o, |(a, _)| a)
    };
    // The noun of a nominal predicate ("contact" in "was in contact with"), with its
    // pattern: the noun has the pattern's first preposition as `case`.
    let nominal = |n: usize, word: &str| {
        NOMINAL_PATTERNS.iter().find(|(w, _, _)| {
            w[1] == word
                && kids(n).any(|(c, l)| l == "case" && doc.token_text(c).eq_ignore_ascii_case(w[0]))
        })
    };
    for v in range.clone() {
        let word = doc.token_text(v).to_lowercase();
        let nominal = nominal(v, &word);
        if nominal.is_none() && !VERB_PATTERNS.iter().any(|(w, _, _)| w[0] == word) {
            continue;
        }
        let Some((subject, passive)) = subject_of(v) else {
            continue;
        };
        let agent = kids(v).find(|(_, l)| *l == "obl:agent").map(|(a, _)| a);
        let mut pairs: Vec<(usize, usize, &'static str, RelationClass)> = Vec::new();
        let lookup = |words: &[&str]| {
            VERB_PATTERNS
                .iter()
                .find(|(w, _, _)| *w == words)
                .map(|(_, p, c)| (*p, *c))
        };
        if let (true, Some(agent)) = (passive, agent) {
            if let Some((p, c)) = lookup(&[&word]) {
                pairs.push((agent, subject, p, c));
            }
        }
        let case_of = |o: usize| {
            kids(o)
                .find(|(_, l)| *l == "case")
                .map(|(c, _)| doc.token_text(c).to_lowercase())
        };
        for (o, label) in kids(v) {
            let found = match (label, nominal) {
                // "was in contact with India": the noun's `with` phrase.
                ("nmod" | "obl", Some((w, p, c))) => {
                    (case_of(o).as_deref() == Some(w[2])).then_some((*p, *c))
                }
                (_, Some(_)) => None,
                // "told Rubio", "asked Asif": the indirect object is the one addressed.
                ("obj" | "iobj", None) if !passive => lookup(&[&word]),
                ("obl" | "obl:arg", None) => case_of(o).and_then(|c| lookup(&[&word, &c])),
                _ => None,
            };
            if let Some((p, c)) = found {
                pairs.push((subject, author_of(o), p, c));
            }
        }
        if pairs.is_empty() {
            continue;
        }
        let (polarity, modality) = flags(doc, v, &range, &children, reported[v - range.start]);
        for (s, o, predicate, class) in pairs {
            // A title before a name ("Secretary of State Marco Rubio") may carry the arc;
            // the fact is the named holder's.
            let holder = |e: usize| head_of_chain(doc, e, doc.entities.len());
            for s in with_conj(s).into_iter().filter_map(entity_of).map(holder) {
                for o in with_conj(o).into_iter().filter_map(entity_of).map(holder) {
                    if s == o
                        || (predicate == "kill"
                            && (doc.entities[s].kind != EntityType::Person
                                || doc.entities[o].kind != EntityType::Person))
                    {
                        continue;
                    }
                    let mut r = relation(s, o, predicate, class, sentence, 0.65);
                    r.polarity = polarity;
                    r.modality = modality;
                    out.push(r);
                }
            }
        }
    }
}

/// Polarity and modality of what verb `v` states: negated when it or a verb above it has
/// a negation (`advmod` "not", "never") or it sits under a verb of denial; planned under a
/// modal auxiliary or a verb of planning or expectation; reported under a verb of saying
/// or in a sentence that cites someone.
/// Per token of a sentence (indexed from its start): whether a report cue ("..., officials
/// said") outside the token's own shared-subject coordination makes its facts reported.
/// The acts coordinated with the citing verb under one subject are the writer's statements
/// about the speaker: in "Sharif rejected the accusations and said ..." *said* is a conjunct
/// of *rejected* with no subject of its own, so *rejected* is stated; in "... spoke with
/// Sharif," Bruce said, *spoke* is reported. The first conjunct of each coordination is
/// memoised, so the sentence costs linear time whatever shape the parse has.
fn reported_verbs(
    doc: &Doc,
    range: &std::ops::Range<usize>,
    children: &[Vec<(usize, &str)>],
) -> Vec<bool> {
    let kids = |t: usize| children[t - range.start].iter().copied();
    let mut first_conjunct: Vec<Option<usize>> = vec![None; range.len()];
    let mut path = Vec::new();
    for t in range.clone() {
        let mut at = t;
        let root = loop {
            if let Some(r) = first_conjunct[at - range.start] {
                break r;
            }
            // A conjunct with a subject of its own (before it: "and said Pakistan was ..."
            // may hang the clause's subject on *said*) starts its own coordination. The
            // path bound stops a cyclic parse.
            let own_subject = kids(at).any(|(c, l)| l.starts_with("nsubj") && c < at);
            match (doc.deps[at].label, doc.deps[at].head) {
                ("conj", Some(h))
                    if range.contains(&h) && !own_subject && path.len() < range.len() =>
                {
                    path.push(at);
                    at = h;
                }
                _ => break at,
            }
        };
        first_conjunct[at - range.start] = Some(root);
        for p in path.drain(..) {
            first_conjunct[p - range.start] = Some(root);
        }
    }
    let coordination = |t: usize| first_conjunct[t - range.start].unwrap_or(t);
    // Report cues counted by coordination, so that each token checks in O(log n).
    let mut cues_by_coordination: BTreeMap<usize, usize> = BTreeMap::new();
    for t in range
        .clone()
        .filter(|&t| REPORT_CUES.contains(&doc.token_text(t).to_lowercase().as_str()))
    {
        *cues_by_coordination.entry(coordination(t)).or_default() += 1;
    }
    let all_cues: usize = cues_by_coordination.values().sum();
    range
        .clone()
        .map(|v| {
            all_cues
                > cues_by_coordination
                    .get(&coordination(v))
                    .copied()
                    .unwrap_or(0)
        })
        .collect()
}

fn flags(
    doc: &Doc,
    v: usize,
    range: &std::ops::Range<usize>,
    children: &[Vec<(usize, &str)>],
    reported_sentence: bool,
) -> (Polarity, Modality) {
    let (mut negated, mut planned, mut reported) = (false, false, false);
    let mut at = v;
    // A walk up a tree never takes more steps than the sentence has words: the bound
    // keeps a malformed (cyclic) parse from hanging the pipeline.
    for _ in 0..range.len() {
        let word = doc.token_text(at).to_lowercase();
        if at != v && NEGATION_CUES.contains(&word.as_str()) {
            negated = true;
        }
        if at != v && PLAN_CUES.contains(&word.as_str()) {
            planned = true;
        }
        if at != v && REPORT_CUES.contains(&word.as_str()) {
            reported = true;
        }
        for &(c, label) in &children[at - range.start] {
            let w = doc.token_text(c).to_lowercase();
            if matches!(label, "advmod" | "aux" | "aux:pass" | "neg")
                && NEGATION_CUES.contains(&w.as_str())
            {
                negated = true;
            }
            if label == "aux" && PLAN_CUES.contains(&w.as_str()) {
                planned = true;
            }
        }
        match (doc.deps[at].label, doc.deps[at].head) {
            ("xcomp" | "ccomp" | "conj" | "advcl", Some(h)) if range.contains(&h) => at = h,
            // "rejected the claim that it met India": a content clause of a speech-act noun
            // says what the verb taking that noun denies, reports or plans.
            ("acl", Some(h))
                if range.contains(&h)
                    && CONTENT_NOUNS.contains(&doc.token_text(h).to_lowercase().as_str()) =>
            {
                at = match (doc.deps[h].label, doc.deps[h].head) {
                    ("obj", Some(g)) if range.contains(&g) => g,
                    _ => h,
                };
            }
            _ => break,
        }
    }
    // A headline's main verb in the infinitive ("Rubio to speak with ...") announces a plan.
    let main_infinitive = doc.deps[at].head.is_none()
        && children[at - range.start]
            .iter()
            .any(|&(c, label)| label == "mark" && doc.token_text(c).eq_ignore_ascii_case("to"));
    planned |= main_infinitive;
    let polarity = if negated {
        Polarity::Negated
    } else {
        Polarity::Affirmed
    };
    let modality = if planned {
        Modality::Planned
    } else if reported || (reported_sentence && doc.token_text(v).to_lowercase() != "told") {
        Modality::Reported
    } else {
        Modality::Asserted
    };
    (polarity, modality)
}

/// The mention a chain of modifiers ends in: "Sky News anchor Yalda Hakim" → Yalda Hakim.
fn head_of_chain(doc: &Doc, mut at: usize, end: usize) -> usize {
    let start = at;
    // A chain longer than a few names is a list, not a phrase: stop (and stay linear).
    while at + 1 < end && at - start < MAX_GAP {
        let (this, next) = (&doc.entities[at], &doc.entities[at + 1]);
        let gap = between(doc, this, next);
        let titled =
            (this.kind == EntityType::Role && next.kind == EntityType::Person && gap == [","])
                || (this.kind == EntityType::Person
                    && next.kind == EntityType::Person
                    && gap.len() == 1
                    && KILLER_NOUNS.contains(&gap[0].as_str()));
        if !(is_modifier(&gap) || titled) {
            break;
        }
        at += 1;
    }
    at
}

/// Whether the words between two mentions make the first a modifier of the second.
fn is_modifier(gap: &[String]) -> bool {
    gap.is_empty() || gap == ["'s"] || gap == ["’s"]
}

/// The first verb pattern in the gap: (predicate, class, index where it starts).
fn find_verb(gap: &[String]) -> Option<(&'static str, RelationClass, usize)> {
    (0..gap.len()).find_map(|at| {
        VERB_PATTERNS
            .iter()
            .chain(NOMINAL_PATTERNS)
            .find_map(|(words, predicate, class)| {
                let fits = gap.len() >= at + words.len()
                    && gap[at..at + words.len()]
                        .iter()
                        .zip(words.iter())
                        .all(|(g, w)| g == w);
                fits.then_some((*predicate, *class, at))
            })
    })
}

/// The object and the mentions coordinated with it: "B and C", "B, C and D".
fn coordinated(doc: &Doc, first: usize, end: usize) -> Vec<usize> {
    let mut targets = vec![first];
    let mut last = first;
    for next in (first + 1..end).take(MAX_COORDINATED) {
        let gap = between(doc, &doc.entities[last], &doc.entities[next]);
        let joins = matches!(
            gap.iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice(),
            ["and"] | [","] | [",", "and"] | ["or"]
        );
        if !joins || doc.entities[next].kind != doc.entities[first].kind {
            break;
        }
        targets.push(next);
        last = next;
    }
    targets
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Dependency, GazetteerTagger, NameTagger, Tokenizer};
    use kith_schema::DocId;

    /// A document through the rule pipeline, with a hand-built dependency layer when
    /// `arcs` is not empty (one `(head, label)` per token).
    fn analysed(text: &str, arcs: &[(Option<usize>, &'static str)]) -> Doc {
        let mut doc = Doc::new(DocId::from_content(text), text, "-");
        Tokenizer.process(&mut doc);
        GazetteerTagger::new().process(&mut doc);
        NameTagger.process(&mut doc);
        if !arcs.is_empty() {
            assert_eq!(
                arcs.len(),
                doc.tokens.len(),
                "one arc per token of {:?}",
                (0..doc.tokens.len())
                    .map(|t| doc.token_text(t))
                    .collect::<Vec<_>>()
            );
            doc.deps = arcs
                .iter()
                .map(|&(head, label)| Dependency { head, label })
                .collect();
        }
        RelationRules.process(&mut doc);
        doc
    }

    /// (subject, predicate, object, polarity, modality) of every relation.
    fn facts(doc: &Doc) -> Vec<(String, String, String, Polarity, Modality)> {
        let name = |i: usize| mentions::name_of(doc, &doc.entities[i]);
        doc.relations
            .iter()
            .map(|r| {
                (
                    name(r.subject),
                    r.predicate.clone(),
                    name(r.object),
                    r.polarity,
                    r.modality,
                )
            })
            .collect()
    }

    fn has(doc: &Doc, s: &str, p: &str, o: &str) -> Option<(Polarity, Modality)> {
        facts(doc)
            .into_iter()
            .find(|f| f.0 == s && f.1 == p && f.2 == o)
            .map(|f| (f.3, f.4))
    }

    const EXPECTED: &str =
        "Marco Rubio is expected to speak soon with the foreign ministers of India and Pakistan.";

    fn expected_arcs() -> Vec<(Option<usize>, &'static str)> {
        // Marco Rubio is expected to speak soon with the foreign ministers of India and Pakistan .
        vec![
            (Some(1), "compound"),
            (Some(3), "nsubj:pass"),
            (Some(3), "aux:pass"),
            (None, "root"),
            (Some(5), "mark"),
            (Some(3), "xcomp"),
            (Some(5), "advmod"),
            (Some(10), "case"),
            (Some(10), "det"),
            (Some(10), "amod"),
            (Some(5), "obl"),
            (Some(12), "case"),
            (Some(10), "nmod"),
            (Some(14), "cc"),
            (Some(12), "conj"),
            (Some(3), "punct"),
        ]
    }

    #[test]
    fn a_cyclic_parse_does_not_hang_the_relation_rules() {
        // "speak" (5) and "expected" (3) each claim the other as head through xcomp/conj:
        // no parser of ours writes this, but the walks up the tree must still end.
        let mut arcs = expected_arcs();
        arcs[3] = (Some(5), "conj");
        arcs[1] = (Some(0), "flat");
        // Before the walks were bounded, this never returned.
        let doc = analysed(EXPECTED, &arcs);
        assert!(
            has(&doc, "Foreign Minister of India", "position-of", "India").is_some(),
            "{:#?}",
            facts(&doc)
        );
    }

    #[test]
    fn raising_verbs_pass_their_subject_and_coordination_splits_the_role() {
        for doc in [
            analysed(EXPECTED, &expected_arcs()),
            analysed(EXPECTED, &[]),
        ] {
            for country in ["India", "Pakistan"] {
                let role = format!("Foreign Minister of {country}");
                assert_eq!(
                    has(&doc, "Marco Rubio", "speak-with", &role),
                    Some((Polarity::Affirmed, Modality::Planned)),
                    "deps: {}; {:#?}",
                    !doc.deps.is_empty(),
                    facts(&doc)
                );
                assert!(
                    has(&doc, &role, "position-of", country).is_some(),
                    "{:#?}",
                    facts(&doc)
                );
            }
            // One role per country, both on the same words.
            let roles: Vec<_> = doc
                .entities
                .iter()
                .filter(|e| e.kind == EntityType::Role)
                .collect();
            assert_eq!(roles.len(), 2);
            assert_eq!(doc.span_text(roles[0]), "foreign ministers");
            assert_eq!(
                (roles[0].start, roles[0].end),
                (roles[1].start, roles[1].end)
            );
        }
    }

    #[test]
    fn dependency_arcs_reach_past_long_gaps_and_read_negation() {
        let text = "Marco Rubio, who arrived on Monday after a long flight from the capital, met Khawaja Asif.";
        // Marco Rubio , who arrived on Monday after a long flight from the capital , met Khawaja Asif .
        let arcs = vec![
            (Some(1), "compound"),
            (Some(15), "nsubj"),
            (Some(4), "punct"),
            (Some(4), "nsubj"),
            (Some(1), "acl:relcl"),
            (Some(6), "case"),
            (Some(4), "obl"),
            (Some(10), "case"),
            (Some(10), "det"),
            (Some(10), "amod"),
            (Some(4), "obl"),
            (Some(13), "case"),
            (Some(13), "det"),
            (Some(10), "nmod"),
            (Some(4), "punct"),
            (None, "root"),
            (Some(17), "compound"),
            (Some(15), "obj"),
            (Some(15), "punct"),
        ];
        let doc = analysed(text, &arcs);
        assert_eq!(
            has(&doc, "Marco Rubio", "meet", "Khawaja Asif"),
            Some((Polarity::Affirmed, Modality::Asserted)),
            "{:#?}",
            facts(&doc)
        );
        // The surface patterns give up on a gap this long.
        assert_eq!(
            has(&analysed(text, &[]), "Marco Rubio", "meet", "Khawaja Asif"),
            None
        );

        let text = "Khawaja Asif did not meet Yalda Hakim.";
        let arcs = vec![
            (Some(1), "compound"),
            (Some(4), "nsubj"),
            (Some(4), "aux"),
            (Some(4), "advmod"),
            (None, "root"),
            (Some(6), "compound"),
            (Some(4), "obj"),
            (Some(4), "punct"),
        ];
        let doc = analysed(text, &arcs);
        assert_eq!(
            has(&doc, "Khawaja Asif", "meet", "Yalda Hakim").map(|f| f.0),
            Some(Polarity::Negated),
            "{:#?}",
            facts(&doc)
        );
    }

    #[test]
    fn passives_with_agents_turn_round() {
        let text = "President Abraham Lincoln was killed by John Wilkes Booth.";
        // President Abraham Lincoln was killed by John Wilkes Booth .
        let arcs = vec![
            (Some(2), "compound"),
            (Some(2), "compound"),
            (Some(4), "nsubj:pass"),
            (Some(4), "aux:pass"),
            (None, "root"),
            (Some(8), "case"),
            (Some(8), "compound"),
            (Some(8), "compound"),
            (Some(4), "obl:agent"),
            (Some(4), "punct"),
        ];
        for doc in [analysed(text, &arcs), analysed(text, &[])] {
            assert!(
                has(&doc, "John Wilkes Booth", "kill", "Abraham Lincoln").is_some(),
                "deps: {}; {:#?}",
                !doc.deps.is_empty(),
                facts(&doc)
            );
            assert!(has(&doc, "Abraham Lincoln", "kill", "John Wilkes Booth").is_none());
        }
    }

    #[test]
    fn copulas_name_holders_with_plans_and_denials() {
        let doc = analysed(
            "Khawaja Asif is the Defence Minister of Pakistan. Ayesha Khan will be the next ambassador of India. \
             Imran Shah is not the president of Pakistan.",
            &[],
        );
        assert_eq!(
            has(
                &doc,
                "Khawaja Asif",
                "holds-position",
                "Defence Minister of Pakistan"
            ),
            Some((Polarity::Affirmed, Modality::Asserted)),
            "{:#?}",
            facts(&doc)
        );
        assert_eq!(
            has(&doc, "Ayesha Khan", "holds-position", "Ambassador of India"),
            Some((Polarity::Affirmed, Modality::Planned)),
            "{:#?}",
            facts(&doc)
        );
        assert_eq!(
            has(
                &doc,
                "Imran Shah",
                "holds-position",
                "President of Pakistan"
            )
            .map(|f| f.0),
            Some(Polarity::Negated),
            "{:#?}",
            facts(&doc)
        );
        assert_eq!(
            has(&doc, "Imran Shah", "affiliated-with", "Pakistan").map(|f| f.0),
            Some(Polarity::Negated)
        );
    }

    #[test]
    fn a_speech_act_object_stands_for_its_author() {
        // Arcs for "Mr. Adeyemi rejected Kenya 's demands ." and the surface patterns agree.
        let text = "Mr. Adeyemi rejected Kenya's demands.";
        let arcs = vec![
            (Some(1), "compound"),
            (Some(2), "nsubj"),
            (None, "root"),
            (Some(5), "nmod:poss"),
            (Some(3), "case"),
            (Some(2), "obj"),
            (Some(2), "punct"),
        ];
        for doc in [analysed(text, &arcs), analysed(text, &[])] {
            assert_eq!(
                has(&doc, "Adeyemi", "reject", "Kenya"),
                Some((Polarity::Affirmed, Modality::Asserted)),
                "deps: {}; {:#?}",
                !doc.deps.is_empty(),
                facts(&doc)
            );
        }
        // "the claims of Ghana": an `of` author; "criticism of Ghana": its target.
        let doc = analysed(
            "Mr. Okafor condemned the claims of Ghana. Mr. Bello rejected criticism of Ghana.",
            &[],
        );
        assert!(
            has(&doc, "Okafor", "condemn", "Ghana").is_some(),
            "{:#?}",
            facts(&doc)
        );
        assert!(
            has(&doc, "Bello", "reject", "Ghana").is_none(),
            "{:#?}",
            facts(&doc)
        );
        // A rejected position is no act against the party it mentions.
        let doc = analysed("Kenya rejected the report that its envoy met Ghana.", &[]);
        assert!(
            !facts(&doc).iter().any(|f| f.1 == "reject"),
            "{:#?}",
            facts(&doc)
        );
        // With arcs: "Bello praised the proposal by Ghana ." (`by` names the author).
        let text = "Mr. Bello praised the proposal by Ghana.";
        let arcs = vec![
            (Some(2), "compound"),
            (Some(3), "nsubj"),
            (None, "root"),
            (Some(5), "det"),
            (Some(3), "obj"),
            (Some(7), "case"),
            (Some(5), "nmod"),
            (Some(3), "punct"),
        ];
        let doc = analysed(text, &arcs);
        assert!(
            has(&doc, "Bello", "praise", "Ghana").is_some(),
            "{:#?}",
            facts(&doc)
        );
    }

    #[test]
    fn the_attack_is_the_attack_named_before() {
        let doc = analysed("Rebels claimed the Ghana border attack on Monday. Mr. Bello condemned the deadly attack.", &[]);
        assert_eq!(
            has(&doc, "Bello", "condemn", "Ghana border attack"),
            Some((Polarity::Affirmed, Modality::Asserted)),
            "{:#?}",
            facts(&doc)
        );
        let described = doc
            .entities
            .iter()
            .find(|e| doc.span_text(e) == "the deadly attack")
            .expect("a description span");
        assert_eq!(
            (described.kind, described.resolved_by),
            (EntityType::Event, Some(kith_schema::ResolvedBy::Title))
        );
        // Another event noun, an *of* phrase naming the event, or no event named: nothing.
        for text in [
            "Rebels claimed the Ghana border attack on Monday. Mr. Bello condemned the summit.",
            "Rebels claimed the Ghana border attack on Monday. Mr. Bello condemned the attack of 2019.",
            "Rebels struck on Monday. Mr. Bello condemned the attack.",
        ] {
            let doc = analysed(text, &[]);
            assert!(!facts(&doc).iter().any(|f| f.1 == "condemn"), "{text}: {:#?}", facts(&doc));
        }
        // Too far back, the description is left alone.
        let text = format!(
            "Rebels claimed the Ghana border attack. {}Mr. Bello condemned the attack.",
            "Rain fell. ".repeat(mentions::EVENT_WINDOW + 1)
        );
        assert!(!facts(&analysed(&text, &[]))
            .iter()
            .any(|f| f.1 == "condemn"));
    }

    #[test]
    fn a_rejected_claim_is_denied() {
        // "Kenya rejected the claim that Ghana met Togo ." over arcs: *met* hangs on the
        // noun (`acl`), which is *rejected*'s object.
        let text = "Kenya rejected the claim that Ghana met Togo.";
        let arcs = vec![
            (Some(1), "nsubj"),
            (None, "root"),
            (Some(3), "det"),
            (Some(1), "obj"),
            (Some(6), "mark"),
            (Some(6), "nsubj"),
            (Some(3), "acl"),
            (Some(6), "obj"),
            (Some(1), "punct"),
        ];
        let doc = analysed(text, &arcs);
        assert_eq!(
            has(&doc, "Ghana", "meet", "Togo").map(|f| f.0),
            Some(Polarity::Negated),
            "{:#?}",
            facts(&doc)
        );
        // A noun that carries no content clause leaves the clause alone.
        let text = "Kenya rejected the team that Ghana met Togo.";
        let doc = analysed(text, &arcs);
        assert_eq!(
            has(&doc, "Ghana", "meet", "Togo").map(|f| f.0),
            Some(Polarity::Affirmed),
            "{:#?}",
            facts(&doc)
        );
    }

    #[test]
    fn nominal_predicates_relate_like_verbs() {
        // "Norway was in contact with Chile and Peru ." with the noun as predicate.
        let text = "Norway was in contact with Chile and Peru.";
        let arcs = vec![
            (Some(3), "nsubj"),
            (Some(3), "cop"),
            (Some(3), "case"),
            (None, "root"),
            (Some(5), "case"),
            (Some(3), "nmod"),
            (Some(7), "cc"),
            (Some(5), "conj"),
            (Some(3), "punct"),
        ];
        for doc in [analysed(text, &arcs), analysed(text, &[])] {
            for other in ["Chile", "Peru"] {
                assert_eq!(
                    has(&doc, "Norway", "in-contact-with", other),
                    Some((Polarity::Affirmed, Modality::Asserted)),
                    "deps: {}; {:#?}",
                    !doc.deps.is_empty(),
                    facts(&doc)
                );
            }
        }
        let doc = analysed("Officials said Norway was not in talks with Chile.", &[]);
        assert_eq!(
            has(&doc, "Norway", "hold-talks-with", "Chile"),
            Some((Polarity::Negated, Modality::Reported)),
            "{:#?}",
            facts(&doc)
        );
        // The noun's subject comes through a copula, not across a relative clause.
        let doc = analysed("Mr. Bello met members of Acme Corporation, who helped him get in touch with Mrs. Okafor.", &[]);
        assert!(
            !facts(&doc).iter().any(|f| f.1 == "in-contact-with"),
            "{:#?}",
            facts(&doc)
        );
    }

    #[test]
    fn nothing_is_related_to_itself() {
        let doc = analysed(
            "Mr. Bello asked Mr. Bello about Kenya. Kenya supported Kenya.",
            &[],
        );
        assert_eq!(
            doc.entities
                .iter()
                .filter(|e| doc.span_text(e) == "Bello")
                .count(),
            2,
            "{:#?}",
            doc.entities
        );
        assert!(facts(&doc).iter().all(|f| f.0 != f.2), "{:#?}", facts(&doc));
    }

    #[test]
    fn indirect_objects_and_shared_subject_reports() {
        // "Okafor asked Bello about the vote and said Lagos would wait ." : *asked* has an
        // indirect object and is the speaker's own act, not a report.
        let text = "Mrs. Okafor asked Mr. Bello about the vote and said Lagos would wait.";
        let arcs = vec![
            (Some(1), "compound"),
            (Some(2), "nsubj"),
            (None, "root"),
            (Some(4), "compound"),
            (Some(2), "iobj"),
            (Some(7), "case"),
            (Some(7), "det"),
            (Some(2), "obl"),
            (Some(9), "cc"),
            (Some(2), "conj"),
            (Some(12), "nsubj"),
            (Some(12), "aux"),
            (Some(9), "ccomp"),
            (Some(2), "punct"),
        ];
        let doc = analysed(text, &arcs);
        assert_eq!(
            has(&doc, "Okafor", "ask", "Bello"),
            Some((Polarity::Affirmed, Modality::Asserted)),
            "{:#?}",
            facts(&doc)
        );
        // Another speaker's *said*, even coordinated, reports what the clause states.
        let text = "Mrs. Okafor met Mr. Bello , and Mr. Adeyemi said so .";
        let arcs = vec![
            (Some(1), "compound"),
            (Some(2), "nsubj"),
            (None, "root"),
            (Some(4), "compound"),
            (Some(2), "obj"),
            (Some(9), "punct"),
            (Some(9), "cc"),
            (Some(8), "compound"),
            (Some(9), "nsubj"),
            (Some(2), "conj"),
            (Some(9), "advmod"),
            (Some(2), "punct"),
        ];
        let doc = analysed(text, &arcs);
        assert_eq!(
            has(&doc, "Okafor", "meet", "Bello"),
            Some((Polarity::Affirmed, Modality::Reported)),
            "{:#?}",
            facts(&doc)
        );
    }

    #[test]
    fn events_places_and_titles() {
        let doc = analysed("The calls follow the NATO summit in Brussels. Pakistan's Defence Minister Khawaja Asif spoke with Sky News anchor Yalda Hakim.", &[]);
        assert!(
            has(&doc, "NATO summit", "located-in", "Brussels").is_some(),
            "{:#?}",
            facts(&doc)
        );
        assert!(
            doc.entities
                .iter()
                .any(|e| e.kind == EntityType::Organization && doc.span_text(e) == "NATO"),
            "the name keeps its span"
        );
        assert!(
            has(
                &doc,
                "Khawaja Asif",
                "holds-position",
                "Defence Minister of Pakistan"
            )
            .is_some(),
            "{:#?}",
            facts(&doc)
        );
        assert!(has(&doc, "Khawaja Asif", "affiliated-with", "Pakistan").is_some());
        assert!(
            has(&doc, "Yalda Hakim", "works-for", "Sky News").is_some(),
            "{:#?}",
            facts(&doc)
        );
        let doc = analysed(
            "The three reactors are in Aiken, Canada. Delegates from France, Spain and Italy met.",
            &[],
        );
        assert!(
            has(&doc, "Aiken", "located-in", "Canada").is_some(),
            "{:#?}",
            facts(&doc)
        );
        assert!(
            !facts(&doc)
                .iter()
                .any(|f| f.0 == "France" || f.0 == "Spain"),
            "a list is no hierarchy: {:#?}",
            facts(&doc)
        );
    }
}
