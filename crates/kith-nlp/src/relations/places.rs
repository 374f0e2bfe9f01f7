//! Place relations: "Aiken, S.C." (located-in), "a bank in Boston" (based-in), "Ann Lee of Boston" (lives-in), a place before an organisation.

use super::*;

/// The words between two spans without articles and numbers ("Ann Lee, 50, of Boston" →
/// `[",", ",", "of"]`), for the nominal patterns.
/// The words between an event and a place that say where it happens: `[is|was|were|will
/// be|...] held in`, `take[s]|took|will take place in`.
pub(super) fn event_venue_gap(gap: &[&str]) -> bool {
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
pub(super) fn places(
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

/// Whether the words between two mentions place the first within the second: `X in
/// [eastern | the southeastern part of] Y`, `X, [the] capital of Y`, `X, [an] island
/// nation in Y`, `X, south-east Y`.
pub(super) fn is_locative(doc: &Doc, x: &EntitySpan, y: &EntitySpan) -> bool {
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
pub(super) fn is_noun_word(doc: &Doc, t: usize) -> bool {
    let w = doc.token_text(t);
    w.chars().all(|c| c.is_lowercase() || c == '-')
        && !NOT_MODIFIER_GAP.contains(&w)
        && doc.pos.get(t).is_none_or(|p| p.upos == "NOUN")
}

/// For each entity of a sentence, whether it is in a list of places ("France, Spain and
/// Italy", "Colombia, Bolivia, Ecuador, Peru, and Venezuela"): a chain of places joined by
/// commas that has an "and" or "or" somewhere. One pass over the sentence.
pub(super) fn listed_places(doc: &Doc, range: &std::ops::Range<usize>) -> Vec<bool> {
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
