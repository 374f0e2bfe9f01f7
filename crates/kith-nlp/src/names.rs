//! A rule-based tagger for names the gazetteer does not know: runs of capitalised words,
//! typed by the words around and inside them.
//!
//! It is the baseline that keeps the pipeline useful without a trained model, and the
//! fallback for text unlike the training data. It writes the same [`EntitySpan`]s as any
//! other tagger and never overwrites a span an earlier component wrote.

use crate::{Component, Doc, EntitySpan, TokenKind};
use kith_schema::EntityType;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Capitalised words that start sentences or headlines without naming anything.
const NOT_NAMES: &[&str] = &[
    "A",
    "An",
    "The",
    "This",
    "That",
    "These",
    "Those",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "My",
    "Your",
    "In",
    "On",
    "At",
    "Of",
    "For",
    "From",
    "To",
    "With",
    "By",
    "After",
    "Before",
    "During",
    "While",
    "When",
    "Where",
    "What",
    "Who",
    "Why",
    "How",
    "But",
    "And",
    "Or",
    "If",
    "As",
    "So",
    "Yet",
    "Both",
    "Earlier",
    "Later",
    "Meanwhile",
    "However",
    "Speaking",
    "According",
    "There",
    "Here",
    "Some",
    "Many",
    "Mr",
    "Mrs",
    "Ms",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Dr",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
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
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
    "Asked",
    "Despite",
    "Since",
    "Although",
    "Today",
    "Yesterday",
    "Tomorrow",
    "Officials",
    "Police",
    "Update",
    "Breaking",
    "Also",
    "Such",
    "Each",
    "Every",
    "No",
    "Not",
    "Now",
    "Then",
    "Thus",
    "Still",
    "Over",
    "Under",
    "Between",
    "Among",
    "Against",
    "Without",
    "Within",
    "Through",
    "Across",
    "Amid",
    "Its",
    "Last",
    "Next",
    "On",
    "Sen.",
    "Rep.",
    "Gov.",
    "Gen.",
    "Lt.",
    "Col.",
    "Prof.",
];

/// Lower-case words that may sit inside a name ("Ministry of External Affairs").
const CONNECTORS: &[&str] = &[
    "of", "for", "the", "de", "al", "bin", "von", "van", "der", "la", "du", "e",
];

/// Words that, ending a name, make it an organisation.
const ORGANIZATION_HEADS: &[&str] = &[
    "Department",
    "Ministry",
    "Agency",
    "Council",
    "Party",
    "News",
    "Times",
    "Post",
    "Army",
    "Navy",
    "Force",
    "Forces",
    "Bank",
    "Company",
    "Corporation",
    "Corp.",
    "Inc.",
    "Ltd.",
    "University",
    "Committee",
    "Commission",
    "Office",
    "Organization",
    "Organisation",
    "Association",
    "Union",
    "Group",
    "Front",
    "Institute",
    "Service",
    "Services",
    "Court",
    "Parliament",
    "Assembly",
    "Senate",
    "Congress",
    "Network",
    "Television",
    "TV",
    "Radio",
    "Journal",
    "Herald",
    "Tribune",
    "Guardian",
    "Press",
    "Reuters",
    "Police",
    "Command",
    "Administration",
    "Cabinet",
    "Government",
    "Foundation",
    "Fund",
    "Authority",
    "Board",
    "Bureau",
    "Federation",
    "League",
    "Club",
    "Movement",
    "Alliance",
    "Coalition",
    "Brigade",
    "Taiba",
    "Mohammed",
    "Nations",
    "Club",
    "Airlines",
    "Motors",
    "Technologies",
    "Labs",
];

/// Words that, ending a name, make it a place.
const LOCATION_HEADS: &[&str] = &[
    "Valley",
    "River",
    "Mountains",
    "Mountain",
    "Province",
    "City",
    "Region",
    "District",
    "Island",
    "Islands",
    "Sea",
    "Ocean",
    "Lake",
    "Street",
    "Square",
    "Airport",
    "Border",
    "Strait",
    "Gulf",
    "Bay",
    "County",
    "Territory",
    "Peninsula",
    "Desert",
    "Coast",
];

/// Words that, ending a name, make it an event.
const EVENT_HEADS: &[&str] = &[
    "Summit",
    "Games",
    "Olympics",
    "War",
    "Conference",
    "Cup",
    "Festival",
    "Election",
    "Elections",
    "Forum",
    "Talks",
    "Accord",
    "Agreement",
    "Treaty",
    "Championship",
    "Expo",
    "Crisis",
    "Massacre",
    "Revolution",
    "Attack",
    "Attacks",
    "Bombing",
    "Dialogue",
];

/// Words before a name that make it a person.
const PERSON_CUES: &[&str] = &[
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Sen.",
    "Rep.",
    "Gov.",
    "Gen.",
    "Lt.",
    "Col.",
    "Prof.",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "President",
    "Minister",
];

/// Words before a name that make it a place.
const LOCATION_CUES: &[&str] = &[
    "in", "at", "near", "from", "across", "outside", "inside", "to",
];

/// The rule-based name tagger as a pipeline component (name `names`): tags runs of
/// capitalised words no earlier component took, typed by the words around and inside
/// them.
pub struct NameTagger;

/// Confidence of a name typed by no cue but its capitals (two to four capitalised words
/// read as a person).
const UNCUED_CONFIDENCE: f32 = 0.6;

/// A run of tokens that reads as a name.
struct Candidate {
    start: usize,
    end: usize,
    /// A lone capitalised word opening a sentence: most often just a capitalised word, so
    /// kept only if the rest of the document shows it is a name.
    weak: bool,
}

impl Component for NameTagger {
    fn name(&self) -> &'static str {
        "names"
    }

    fn process(&self, doc: &mut Doc) {
        apply_title_cues(doc);
        let mut taken = taken_tokens(doc);
        // A word of a capitals line that the body does not capitalise is no name's part.
        let recased = crate::casing::recased_words(doc);
        for (t, word) in recased.iter().enumerate() {
            if word
                .as_deref()
                .is_some_and(|w| !w.chars().next().is_some_and(char::is_uppercase))
            {
                taken[t] = true;
            }
        }
        let mut found = Vec::new();
        for sentence in &doc.sentences {
            let mut i = sentence.tokens.start;
            while i < sentence.tokens.end {
                match candidate_at(doc, &taken, i, sentence.tokens.end, sentence.tokens.start) {
                    Some(c) => {
                        i = c.end;
                        found.push(c);
                    }
                    None => i += 1,
                }
            }
        }
        let context = Context::of(doc);
        let (mut spans, uncued): (Vec<EntitySpan>, Vec<bool>) = found
            .iter()
            .map(|c| type_candidate(doc, &context, c))
            .unzip();
        // A headline's name as the body spells it (*FERRYTOWN*: *Ferrytown*).
        for span in &mut spans {
            if span.canonical.is_none() {
                span.canonical = crate::casing::recased_name(doc, &recased, span.tokens.clone());
            }
        }
        let weak: Vec<bool> = found.iter().map(|c| c.weak).collect();
        let resolved = resolve_partial_names(doc, &mut spans);
        // After a trained recognizer, a run of capitalised words it left untagged is
        // kept only with a cue (a head word, a title, a place preposition): the model
        // has already judged the bare run.
        let after_model = doc
            .entities
            .iter()
            .any(|e| e.source == crate::ner::NER_SOURCE);
        let keep = spans
            .into_iter()
            .zip(weak)
            .zip(resolved)
            .zip(uncued)
            .filter_map(|(((span, weak), resolved), uncued)| {
                let confident = (span.kind != EntityType::Other || span.confidence >= 0.5)
                    && !(after_model && uncued);
                (resolved || (!weak && confident)).then_some(span)
            });
        doc.add_entities(keep.collect());
    }
}

/// A name right after a title ("Sky News anchor Yalda Hakim", "Dr. Rao") is a person,
/// whatever a statistical tagger made of it: the title is stronger evidence than the
/// name's own form, which a model may not have seen.
fn apply_title_cues(doc: &mut Doc) {
    for i in 0..doc.entities.len() {
        let span = &doc.entities[i];
        if !matches!(
            span.kind,
            EntityType::Location | EntityType::Other | EntityType::Organization
        ) || span.source == "gazetteer"
        {
            continue;
        }
        let after_role = i > 0 && {
            let before = &doc.entities[i - 1];
            let gap: Vec<&str> = (before.tokens.end..span.tokens.start)
                .map(|t| doc.token_text(t))
                .collect();
            before.kind == EntityType::Role && (gap.is_empty() || gap == [","])
        };
        let after_honorific = span.tokens.start > 0
            && PERSON_CUES.contains(&doc.token_text(span.tokens.start - 1))
            && !matches!(
                doc.token_text(span.tokens.start - 1),
                "President" | "Minister"
            );
        if (after_role || after_honorific) && is_person_shaped(doc, span) {
            let span = &mut doc.entities[i];
            span.kind = EntityType::Person;
            span.confidence = span.confidence.min(0.8);
        }
    }
}

/// One to four capitalised words: the shape of a personal name.
fn is_person_shaped(doc: &Doc, span: &EntitySpan) -> bool {
    (1..=4).contains(&span.tokens.len()) && span.tokens.clone().all(|t| is_capitalised(doc, t))
}

fn taken_tokens(doc: &Doc) -> Vec<bool> {
    let mut taken = vec![false; doc.tokens.len()];
    for span in &doc.entities {
        for t in span.tokens.clone() {
            taken[t] = true;
        }
    }
    taken
}

fn is_capitalised(doc: &Doc, i: usize) -> bool {
    let token = &doc.tokens[i];
    token.kind == TokenKind::Word
        && doc
            .token_text(i)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
}

/// The longest name starting at token `i`, if one starts there.
fn candidate_at(
    doc: &Doc,
    taken: &[bool],
    i: usize,
    limit: usize,
    sentence_start: usize,
) -> Option<Candidate> {
    if taken[i] || !is_capitalised(doc, i) {
        return None;
    }
    let mut end = i + 1;
    loop {
        if end < limit && !taken[end] && is_capitalised(doc, end) {
            end += 1;
            continue;
        }
        // A connector continues the name only when a capitalised word follows it.
        if end + 1 < limit
            && !taken[end + 1]
            && CONNECTORS.contains(&doc.token_text(end))
            && is_capitalised(doc, end + 1)
        {
            end += 2;
            continue;
        }
        break;
    }
    let mut start = i;
    while start < end && NOT_NAMES.contains(&doc.token_text(start)) {
        start += 1;
    }
    if start >= end {
        return None;
    }
    let weak = start == sentence_start && end - start == 1 && !is_acronym(doc.token_text(start));
    Some(Candidate { start, end, weak })
}

fn is_acronym(word: &str) -> bool {
    let upper = word.chars().filter(|c| c.is_uppercase()).count();
    upper >= 2
        && word
            .chars()
            .all(|c| c.is_alphabetic() || c == '.' || c == '&' || c == '-')
}

/// Token positions that typing looks up, indexed once per document so that typing every
/// candidate stays linear.
struct Context {
    /// Tokens right after a role span ("Defence Minister | Khawaja Asif").
    after_role: HashSet<usize>,
    /// Tokens that open a sentence.
    sentence_starts: HashSet<usize>,
}

impl Context {
    fn of(doc: &Doc) -> Context {
        Context {
            after_role: doc
                .entities
                .iter()
                .filter(|e| e.kind == EntityType::Role)
                .map(|e| e.tokens.end)
                .collect(),
            sentence_starts: doc.sentences.iter().map(|s| s.tokens.start).collect(),
        }
    }
}

/// The span of a candidate name, typed by its cues, and whether no cue but its capitals
/// typed it (an uncued person, see [`UNCUED_CONFIDENCE`]).
fn type_candidate(doc: &Doc, context: &Context, c: &Candidate) -> (EntitySpan, bool) {
    let first = doc.token_text(c.start);
    let last = doc.token_text(c.end - 1);
    let before = (c.start > 0).then(|| doc.token_text(c.start - 1));
    let before_is_role = context.after_role.contains(&c.start);
    let words = c.end - c.start;
    let after = (c.end < doc.tokens.len()).then(|| doc.token_text(c.end));
    let dateline = words == 1
        && first.chars().all(|ch| !ch.is_lowercase())
        && after == Some(",")
        && context.sentence_starts.contains(&c.start);
    let (kind, confidence, uncued) = if dateline {
        (EntityType::Location, 0.6, false)
    } else if EVENT_HEADS.contains(&last) {
        (EntityType::Event, 0.7, false)
    } else if ORGANIZATION_HEADS.contains(&last) || ORGANIZATION_HEADS.contains(&first) && words > 1
    {
        (EntityType::Organization, 0.75, false)
    } else if LOCATION_HEADS.contains(&last) {
        (EntityType::Location, 0.7, false)
    } else if before.is_some_and(|b| PERSON_CUES.contains(&b)) || before_is_role {
        (EntityType::Person, 0.8, false)
    } else if is_acronym(first) && words == 1 {
        (EntityType::Organization, 0.6, false)
    } else if before.is_some_and(|b| LOCATION_CUES.contains(&b)) && words == 1 {
        (EntityType::Location, 0.55, false)
    } else if (2..=4).contains(&words) && (c.start..c.end).all(|t| is_capitalised(doc, t)) {
        (EntityType::Person, UNCUED_CONFIDENCE, true)
    } else {
        (EntityType::Other, 0.45, false)
    };
    let span = EntitySpan {
        tokens: c.start..c.end,
        start: doc.tokens[c.start].start,
        end: doc.tokens[c.end - 1].end,
        kind,
        confidence,
        source: "names",
        canonical: None,
        external_ids: BTreeMap::new(),
        resolved_by: None,
    };
    (span, uncued)
}

/// Document-level consistency: a one-word name that is the last (or first) word of a
/// person's full name earlier or later in the document is that person ("Rubio" after
/// "Marco Rubio"), whatever the word's own cues said, and even where it alone would be too
/// weak to keep (a lone word opening a sentence: "Jaishankar told ..."). Full names come
/// from this tagger and from the taggers before it (a model's "Subrahmanyam Jaishankar").
/// Returns which spans it resolved.
fn resolve_partial_names(doc: &Doc, spans: &mut [EntitySpan]) -> Vec<bool> {
    let mut full_names: HashMap<&str, Vec<String>> = HashMap::new();
    let earlier = doc.entities.iter().filter(|s| s.resolved_by.is_none());
    for span in spans
        .iter()
        .chain(earlier)
        .filter(|s| s.kind == EntityType::Person && s.tokens.len() > 1)
    {
        let name = span
            .canonical
            .clone()
            .unwrap_or_else(|| doc.span_text(span).to_string());
        for t in [span.tokens.start, span.tokens.end - 1] {
            let entry = full_names.entry(doc.token_text(t)).or_default();
            if !entry.contains(&name) {
                entry.push(name.clone());
            }
        }
    }
    spans
        .iter_mut()
        .map(|span| {
            if span.tokens.len() != 1 {
                return false;
            }
            let Some([only]) = full_names
                .get(doc.token_text(span.tokens.start))
                .map(Vec::as_slice)
            else {
                return false;
            };
            span.kind = EntityType::Person;
            span.confidence = span.confidence.max(0.75);
            span.canonical = Some(only.clone());
            span.resolved_by = Some(kith_schema::ResolvedBy::PartialName);
            true
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Pipeline, Tokenizer};
    use kith_schema::DocId;

    fn tagged(text: &str, model_span: bool) -> Vec<String> {
        let mut doc = Doc::new(DocId::from_content(text), text.to_string(), "test");
        Pipeline::new().with(Tokenizer).run(&mut doc);
        if model_span {
            let end = doc.tokens[1].end;
            doc.add_entities(vec![EntitySpan {
                tokens: 0..2,
                start: 0,
                end,
                kind: EntityType::Person,
                confidence: 0.9,
                source: crate::ner::NER_SOURCE,
                canonical: None,
                external_ids: BTreeMap::new(),
                resolved_by: None,
            }]);
        }
        NameTagger.process(&mut doc);
        doc.entities
            .iter()
            .filter(|e| e.source == "names")
            .map(|e| doc.span_text(e).to_string())
            .collect()
    }

    #[test]
    fn after_a_model_only_cued_capitalised_runs_become_names() {
        let text =
            "Ilse Varga met Toma Brandt later, and Dr. Oren Falk flew to the Marlow Institute.";
        let rules_only = tagged(text, false);
        assert!(
            rules_only.contains(&"Toma Brandt".to_string()),
            "{rules_only:?}"
        );
        let after_model = tagged(text, true);
        assert!(
            !after_model.contains(&"Toma Brandt".to_string()),
            "{after_model:?}"
        );
        assert!(
            after_model.contains(&"Oren Falk".to_string()),
            "a title cue still names a person: {after_model:?}"
        );
        assert!(
            after_model.contains(&"Marlow Institute".to_string()),
            "a head word still names an organisation: {after_model:?}"
        );
    }
}
