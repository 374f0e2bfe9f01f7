//! A rule-based relation extractor: title appositions ("Defence Minister Khawaja Asif"),
//! organisation titles ("State Department spokesperson Tammy Bruce") and verb phrases
//! between nearby mentions ("Rubio will speak with the foreign ministers").
//!
//! It is the baseline of the pipeline's relation layer, with the polarity and modality
//! cues news needs (negation, reported speech, plans); a parser-based extractor replaces
//! it where a model exists.

use crate::{Component, Doc, EntitySpan, RelationSpan};
use kith_schema::{EntityType, Modality, Polarity, RelationClass};

pub struct RelationRules;

/// (words of the verb phrase, normalised predicate, class). Longest phrases first, so that
/// "speak with" wins over "speak".
const VERB_PATTERNS: &[(&[&str], &str, RelationClass)] = &[
    (&["held", "talks", "with"], "hold-talks-with", RelationClass::Communication),
    (&["hold", "talks", "with"], "hold-talks-with", RelationClass::Communication),
    (&["spoke", "with"], "speak-with", RelationClass::Communication),
    (&["speak", "with"], "speak-with", RelationClass::Communication),
    (&["spoke", "to"], "speak-with", RelationClass::Communication),
    (&["speak", "to"], "speak-with", RelationClass::Communication),
    (&["speaking", "with"], "speak-with", RelationClass::Communication),
    (&["talk", "with"], "speak-with", RelationClass::Communication),
    (&["talked", "with"], "speak-with", RelationClass::Communication),
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
    (&["urged"], "urge", RelationClass::Communication),
    (&["urge"], "urge", RelationClass::Communication),
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
    (&["thanked"], "thank", RelationClass::Support),
    (&["interviewed"], "interview", RelationClass::Communication),
];

/// Words that mark a statement as a plan or expectation.
const PLAN_CUES: &[&str] = &["will", "would", "plans", "planned", "expected", "set", "going", "intends", "scheduled", "'ll"];
/// Words that mark a statement as someone's report.
const REPORT_CUES: &[&str] = &["said", "says", "told", "according", "reported", "claimed", "alleged", "stated", "confirmed", "added"];
/// Words that deny a statement.
const NEGATION_CUES: &[&str] = &["not", "n't", "never", "no", "denied", "denies", "deny", "rejected"];

/// Roles whose holder speaks for the organisation before them.
const SPOKESPERSON_ROLES: &[&str] = &["spokesperson", "spokesman", "spokeswoman", "press secretary"];
/// Roles whose holder works for the organisation before them.
const STAFF_ROLES: &[&str] = &["anchor", "correspondent", "editor", "reporter", "presenter", "columnist", "host"];

/// Most tokens between two mentions that a verb phrase may span.
const MAX_GAP: usize = 10;

impl Component for RelationRules {
    fn name(&self) -> &'static str {
        "relation-rules"
    }

    fn process(&self, doc: &mut Doc) {
        let mut found = Vec::new();
        for (index, sentence) in doc.sentences.iter().enumerate() {
            let first = doc.entities.partition_point(|e| e.tokens.start < sentence.tokens.start);
            let last = doc.entities.partition_point(|e| e.tokens.start < sentence.tokens.end);
            if last - first < 2 {
                continue;
            }
            titles(doc, index, first..last, &mut found);
            verb_phrases(doc, index, first..last, &mut found);
        }
        found.sort_by(|a, b| (a.sentence, a.subject, a.object, &a.predicate).cmp(&(b.sentence, b.subject, b.object, &b.predicate)));
        found.dedup_by(|a, b| (a.sentence, a.subject, a.object, &a.predicate) == (b.sentence, b.subject, b.object, &b.predicate));
        doc.relations.extend(found);
    }
}

fn relation(subject: usize, object: usize, predicate: &str, class: RelationClass, sentence: usize, confidence: f32) -> RelationSpan {
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
    (a.tokens.end..b.tokens.start).take(MAX_GAP + 1).map(|t| doc.token_text(t).to_lowercase()).collect()
}

fn role_name(doc: &Doc, span: &EntitySpan) -> String {
    span.canonical.clone().unwrap_or_else(|| doc.span_text(span).to_string()).to_lowercase()
}

/// `[Org|Country] ['s] Role [,] Person` → holds-position, and spokesperson-of / works-for /
/// affiliated-with the organisation or country.
fn titles(doc: &Doc, sentence: usize, range: std::ops::Range<usize>, out: &mut Vec<RelationSpan>) {
    for r in range.clone() {
        let role = &doc.entities[r];
        if role.kind != EntityType::Role {
            continue;
        }
        let Some(p) = (r + 1..range.end).next() else { continue };
        let person = &doc.entities[p];
        let gap = between(doc, role, person);
        if person.kind != EntityType::Person || !(gap.is_empty() || gap == [","]) {
            continue;
        }
        out.push(relation(p, r, "holds-position", RelationClass::RoleAffiliation, sentence, 0.8));
        if r == range.start {
            continue;
        }
        let org = &doc.entities[r - 1];
        let gap = between(doc, org, role);
        if !is_modifier(&gap) || !matches!(org.kind, EntityType::Organization | EntityType::Country) {
            continue;
        }
        let title = role_name(doc, role);
        let predicate = if SPOKESPERSON_ROLES.contains(&title.as_str()) {
            "spokesperson-of"
        } else if STAFF_ROLES.contains(&title.as_str()) {
            "works-for"
        } else {
            "affiliated-with"
        };
        out.push(relation(p, r - 1, predicate, RelationClass::RoleAffiliation, sentence, 0.75));
    }
}

/// `A ... verb-phrase ... B [and C]` with A an agent type, within [`MAX_GAP`] tokens.
fn verb_phrases(doc: &Doc, sentence: usize, range: std::ops::Range<usize>, out: &mut Vec<RelationSpan>) {
    let reported = doc.sentences[sentence]
        .tokens
        .clone()
        .any(|t| REPORT_CUES.contains(&doc.token_text(t).to_lowercase().as_str()));
    for s in range.clone() {
        let subject = &doc.entities[s];
        if !matches!(subject.kind, EntityType::Person | EntityType::Organization | EntityType::Country) {
            continue;
        }
        // A mention right before another one modifies it ("US" in "US Secretary of State").
        if s + 1 < range.end && is_modifier(&between(doc, subject, &doc.entities[s + 1])) {
            continue;
        }
        let Some((o, predicate, class, at, gap)) = (s + 1..range.end)
            .map(|o| (o, between(doc, subject, &doc.entities[o])))
            .take_while(|(_, gap)| gap.len() <= MAX_GAP && !gap.iter().any(|w| w == ";" || w == "."))
            .find_map(|(o, gap)| find_verb(&gap).map(|(p, c, at)| (o, p, c, at, gap)))
        else {
            continue;
        };
        let before_verb = &gap[..at];
        let polarity = if before_verb.iter().any(|w| NEGATION_CUES.contains(&w.as_str())) {
            Polarity::Negated
        } else {
            Polarity::Affirmed
        };
        // "Rubio to speak with ...": a headline's bare infinitive announces a plan.
        let headline_infinitive = before_verb == ["to"];
        let modality = if headline_infinitive || before_verb.iter().any(|w| PLAN_CUES.contains(&w.as_str())) {
            Modality::Planned
        } else if reported && predicate != "tell" {
            Modality::Reported
        } else {
            Modality::Asserted
        };
        let o = head_of_chain(doc, o, range.end);
        for target in coordinated(doc, o, range.end) {
            let mut r = relation(s, target, predicate, class, sentence, 0.6);
            r.polarity = polarity;
            r.modality = modality;
            out.push(r);
        }
    }
}

/// The mention a chain of modifiers ends in: "Sky News anchor Yalda Hakim" → Yalda Hakim.
fn head_of_chain(doc: &Doc, mut at: usize, end: usize) -> usize {
    while at + 1 < end {
        let (this, next) = (&doc.entities[at], &doc.entities[at + 1]);
        let gap = between(doc, this, next);
        let titled = this.kind == EntityType::Role && next.kind == EntityType::Person && gap == [","];
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
        VERB_PATTERNS.iter().find_map(|(words, predicate, class)| {
            let fits = gap.len() >= at + words.len() && gap[at..at + words.len()].iter().zip(words.iter()).all(|(g, w)| g == w);
            fits.then_some((*predicate, *class, at))
        })
    })
}

/// The object and the mentions coordinated with it: "B and C", "B, C and D".
fn coordinated(doc: &Doc, first: usize, end: usize) -> Vec<usize> {
    let mut targets = vec![first];
    let mut last = first;
    for next in first + 1..end {
        let gap = between(doc, &doc.entities[last], &doc.entities[next]);
        let joins = matches!(gap.iter().map(String::as_str).collect::<Vec<_>>().as_slice(), ["and"] | [","] | [",", "and"] | ["or"]);
        if !joins || doc.entities[next].kind != doc.entities[first].kind {
            break;
        }
        targets.push(next);
        last = next;
    }
    targets
}
