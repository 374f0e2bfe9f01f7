//! Surface patterns: a verb phrase between two nearby mentions, used where no dependency layer exists or where the arcs relate nothing.

use super::*;

/// `A ... verb-phrase ... B [and C]` with A an agent type, within [`MAX_GAP`] tokens;
/// adverbs inside the phrase are skipped ("speak soon with"), and a passive with an agent
/// ("was killed by B") turns round.
pub(super) fn verb_phrases(
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
        let (polarity, modality) = surface_flags(doc, subject, &gap, at, reported, predicate);
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
pub(super) fn speech_act_object(doc: &Doc, after: &[String], o: usize) -> bool {
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
pub(super) fn speech_act_author(noun: &str, preposition: &str) -> bool {
    SPEECH_ACT_NOUNS.contains(&noun)
        && match preposition {
            "by" | "from" => true,
            "of" => !TARGET_OF_NOUNS.contains(&noun),
            _ => false,
        }
}

/// The words between two spans as [`between`] gives them, less adverbs (by POS tag when
/// tagged: "speak soon with" → "speak with").
pub(super) fn without_adverbs(doc: &Doc, a: &EntitySpan, b: &EntitySpan) -> Vec<String> {
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

/// Whether the words between two mentions make the first a modifier of the second.
pub(super) fn is_modifier(gap: &[String]) -> bool {
    gap.is_empty() || gap == ["'s"] || gap == ["’s"]
}

/// The first verb pattern in the gap: (predicate, class, index where it starts).
pub(super) fn find_verb(gap: &[String]) -> Option<(&'static str, RelationClass, usize)> {
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
