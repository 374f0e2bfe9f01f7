//! Named events by rule: the names news gives to wars, storms, games, festivals, summits
//! and pilgrimages ("the Vietnam War", "Hurricane Katrina", "the FIFA World Cup", "the
//! Cannes Film Festival", "the Hajj").
//!
//! Why rules: named events are rare in permissively licensed training data (165 distinct
//! event spans), so the statistical NER misses most of them, while their names follow a
//! few patterns any reader knows: a run of capitalised words ending in an event word
//! (*War*, *Cup*, *Festival*), an event word followed by *of* and a name (*Battle of
//! Hastings*), a storm word before a name (*Cyclone X*), a few one-word names, and a name
//! the sentence describes as an event (*X, an annual procession*; *X took place*). The
//! patterns are the project's own, written from how events are named, and checked on GUM
//! train (`kith eval ner ../shared/data/gum/train --format conllu`; see
//! `docs/experiments/2026-12-06-ner-event-rules.md`),
//! except the described-event rules (`described_event_names`), written after reading
//! GUM dev's misses: GUM dev is no clean test of those.
//!
//! [`EventNames`] runs before the gazetteer and the NER, so an event's name wins over the
//! place or organisation inside it (*the Iraq War*, *the Berlin Film Festival*); the
//! same spans are available on plain words ([`document_event_names`], [`with_event_names`])
//! so `kith eval ner` scores exactly what the pipeline does.

use crate::doc::NerSpan;
use crate::{Component, Doc, EntitySpan};
use kith_schema::EntityType;
use std::collections::BTreeMap;
use std::ops::Range;

/// The `source` of the spans [`EventNames`] writes.
pub const EVENT_RULES_SOURCE: &str = "event-rules";
/// Confidence of an event found by a pattern.
pub const EVENT_RULES_CONFIDENCE: f32 = 0.9;

/// Capitalised words that end an event's name, after at least one other name word
/// ("Vietnam War", "World Cup", "Cannes Film Festival", "Comic - Con").
const HEADS: &[&str] = &[
    // Conflicts and upheavals.
    "War",
    "Wars",
    "Revolution",
    "Uprising",
    "Rebellion",
    "Revolt",
    "Crusade",
    "Crusades",
    "Massacre",
    "Genocide",
    "Siege",
    "Blockade",
    "Invasion",
    "Offensive",
    "Crisis",
    "Riots",
    "Incident",
    "Scandal",
    "Disaster",
    "Earthquake",
    "Tsunami",
    "Famine",
    "Pandemic",
    "Epidemic",
    "Bombing",
    "Bombings",
    "Shooting",
    "Trial",
    "Trials",
    // Sport.
    "Olympics",
    "Olympiad",
    "Paralympics",
    "Games",
    "Cup",
    "Championship",
    "Championships",
    "Tournament",
    "Prix",
    "Marathon",
    "Bowl",
    "Derby",
    "Regatta",
    "Final",
    "Finals",
    "Draft",
    // Culture, politics, trade.
    "Festival",
    "Fest",
    "Fiesta",
    "Carnival",
    "Fair",
    "Expo",
    "Exposition",
    "Biennale",
    "Awards",
    "Gala",
    "Parade",
    "Jubilee",
    "Convention",
    "Con",
    "Conference",
    "Summit",
    "Symposium",
    "Ceremony",
    "Bee",
    "Jamboree",
    "Hackathon",
    "Contest",
    "Competition",
    "Challenge",
    "Election",
    "Elections",
    "Referendum",
    "Talks",
    "Meeting",
    "Lecture",
    "Lectures",
    "Tour",
];

/// Event names of one word, or words that end one without a modifier ("the Olympics",
/// "Easter"). Holidays are kept although some of their mentions are dates or modifiers
/// (*till Christmas*, *Christmas tree*): on GUM train's held-out genres they raise Event
/// F1 from 45.6 to 56.7. *X Day* and *X Week* are not heads: on GUM train they were dates.
const ALONE: &[&str] = &[
    "Olympics",
    "Paralympics",
    "Hajj",
    "Holocaust",
    "Oktoberfest",
    "Eurovision",
    "Oscars",
    "Emmys",
    "Grammys",
    "Watergate",
    "WWI",
    "WWII",
    "WW1",
    "WW2",
    "Blitz",
    "D-Day",
    "Comic-Con",
    "Hogmanay",
    "Crusades",
    "Eid",
    "Christmas",
    "Easter",
    "Halloween",
    "Thanksgiving",
    "Hanukkah",
    "Ramadan",
    "Diwali",
    "Passover",
];

/// Event words that end an event's name only after one given word: most series and games
/// with a capital are titles of works ("The Imitation Game", "Drama Series").
const PAIRS: &[(&str, &str)] = &[
    ("World", "Series"),
    ("Star", "Game"),
    ("Great", "Depression"),
    ("Gold", "Rush"),
    ("Arab", "Spring"),
    ("Prague", "Spring"),
    ("New", "Year"),
    ("US", "Open"),
    ("U.S.", "Open"),
    ("French", "Open"),
    ("Australian", "Open"),
    ("British", "Open"),
    ("Fashion", "Week"),
    ("Final", "Four"),
    ("March", "Madness"),
    ("Mardi", "Gras"),
    ("Yom", "Kippur"),
    ("Rosh", "Hashanah"),
];

/// Names that look like events and are titles of works.
const NOT_EVENTS: &[&str] = &["Star Wars", "Game of Thrones", "Hunger Games"];

/// Holidays among [`ALONE`]: never with the name words before them, and not after a
/// name word other than a greeting, where they are a surname ("Johnnie Christmas").
const HOLIDAYS: &[&str] = &[
    "Christmas",
    "Easter",
    "Halloween",
    "Thanksgiving",
    "Hanukkah",
    "Ramadan",
    "Diwali",
    "Passover",
];

/// Words after a holiday that do not make it a modifier ("at Christmas and", "Easter is").
const FUNCTION_WORDS: &[&str] = &[
    "and",
    "or",
    "but",
    "is",
    "was",
    "are",
    "were",
    "will",
    "would",
    "has",
    "had",
    "have",
    "in",
    "on",
    "at",
    "to",
    "for",
    "of",
    "with",
    "by",
    "from",
    "as",
    "that",
    "this",
    "when",
    "while",
    "because",
    "so",
    "then",
    "too",
    "again",
    "came",
    "comes",
    "began",
    "begins",
    "ended",
    "ends",
    "approached",
    "approaches",
    "falls",
    "fell",
    "itself",
    "if",
    "we",
    "i",
    "you",
    "he",
    "she",
    "they",
    "it",
    "the",
    "a",
    "an",
    "my",
    "our",
    "your",
    "his",
    "her",
    "their",
    "last",
    "next",
    "before",
    "after",
    "since",
    "until",
    "till",
    "about",
    "eve",
];

/// Words that name an event with the name after them ("Hurricane Katrina").
const PREFIXES: &[&str] = &["Hurricane", "Typhoon", "Cyclone", "Storm", "Operation"];

/// Prefixes naming storms, which news goes on calling by the bare name ("Katrina").
const STORMS: &[&str] = &["Hurricane", "Typhoon", "Cyclone", "Storm"];

/// Capitalised event words followed by `of` (or `de`) and a name ("Battle of Hastings",
/// "Fall of Saigon", "Tour de France"): events only with that tail.
const OF_HEADS: &[&str] = &[
    "Battle",
    "Siege",
    "Sack",
    "Fall",
    "Storming",
    "Liberation",
    "Partition",
    "Burning",
    "Feast",
    "Festival",
    "Massacre",
    "Invasion",
    "Fire",
    "Tour",
    "Coronation",
    "Inauguration",
    "Assassination",
];

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
    "Since",
    "Until",
    "Every",
    "Each",
    "Last",
    "Next",
    "This",
    "Our",
    "Some",
    "Many",
    "Most",
    "All",
    "Any",
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
    "Mr",
    "Mr.",
    "Mrs",
    "Mrs.",
    "Ms",
    "Ms.",
    "Dr",
    "Dr.",
];

/// Lower-case words (and signs) that join name words ("Festival of Angels", "Comic - Con",
/// "Food and Drink Festival").
const CONNECTORS: &[&str] = &[
    "of", "and", "&", "-", "for", "on", "de", "du", "des", "la", "le",
];

/// The longest run of name words looked at on either side of an event word: longer runs
/// are lists or title-case text, not one name, and the bound keeps the search linear.
const MAX_NAME_WORDS: usize = 12;

/// Lower-case nouns that say a name is an event when they describe it: in apposition
/// ("Mangal Shobhajatra, an annual procession"), after a copula ("X is like a carnival").
/// Nouns of sport itself (*game*, *sport*) are left out: "Quidditch is a game" names a
/// sport, not an event.
const EVENT_NOUNS: &[&str] = &[
    "war",
    "battle",
    "revolution",
    "uprising",
    "rebellion",
    "massacre",
    "festival",
    "procession",
    "celebration",
    "parade",
    "carnival",
    "ceremony",
    "pilgrimage",
    "feast",
    "conference",
    "convention",
    "summit",
    "symposium",
    "tournament",
    "championship",
    "competition",
    "contest",
    "election",
    "referendum",
    "storm",
    "cyclone",
    "hurricane",
    "typhoon",
    "pandemic",
    "epidemic",
    "rally",
    "concert",
    "fair",
    "expo",
    "marathon",
    "event",
];

/// Verbs that say the name before them is an event ("WrestleMania happened", "the Expo
/// took place"), with the word after them that they need, if any.
const EVENT_PREDICATES: &[(&str, Option<&str>)] = &[
    ("happened", None),
    ("took", Some("place")),
    ("takes", Some("place")),
    ("broke", Some("out")),
];

/// Capitalised words that start sentences as subjects or appositions without naming
/// anything ("Everything happened").
const NOT_NAMES_OF_EVENTS: &[&str] = &[
    "Everything",
    "Something",
    "Nothing",
    "Anything",
    "Everyone",
    "Someone",
    "Nobody",
    "Which",
    "There",
    "Here",
    "Yes",
    "No",
    "Yeah",
    "Oh",
    "Well",
    "Today",
    "Yesterday",
    "Tomorrow",
    "WTF",
    "OMG",
    "LOL",
];

/// Words after which a subject or an apposition's noun phrase can start ("WrestleMania
/// happened, and Raw happened"), unlike a modifier ("former Taoiseach X").
const SUBJECT_OPENERS: &[&str] = &[
    "and", "but", "or", "as", "when", "while", "after", "before", "because", "since", "that",
    "until", "so", "then", "is", "was", "And", "But", "So", "Then", "As", "When", "While", "After",
    "Before", "Because", "Since", "Until",
];

/// The longest name an event description or predicate is taken to name.
const MAX_DESCRIBED_WORDS: usize = 4;

/// Roman numerals and number words that end a name ("World War II").
const NUMERALS: &[&str] = &["I", "II", "III", "IV", "V", "One", "Two"];

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// A word that can be part of a name: capitalised (or an acronym, "G20"), not a word
/// that merely starts a sentence.
fn name_word(w: &str) -> bool {
    capitalised(w) && w.chars().any(char::is_alphabetic) && !NOT_NAMES.contains(&w)
}

/// A year written in digits (1000–2099).
fn year(w: &str) -> bool {
    w.len() == 4
        && w.bytes().all(|b| b.is_ascii_digit())
        && matches!(
            &w[..2],
            "10" | "11" | "12" | "13" | "14" | "15" | "16" | "17" | "18" | "19" | "20"
        )
}

/// The first token after a run of name words joined by connectors starting at `i`
/// (`i` itself if `words[i]` is no name word).
fn name_run_end(words: &[&str], mut i: usize) -> usize {
    if i >= words.len() || !name_word(words[i]) {
        return i;
    }
    let first = i;
    i += 1;
    loop {
        if i - first >= MAX_NAME_WORDS {
            return i;
        }
        if i < words.len() && name_word(words[i]) {
            i += 1;
        } else if i + 1 < words.len() && CONNECTORS.contains(&words[i]) && name_word(words[i + 1]) {
            i += 2;
        } else {
            return i;
        }
    }
}

/// A conference or meeting named by its acronym and year in one word ("DH2017",
/// "ACL2023"); years 1900–2039 only, so product names ("GTX1080", "RTX2080") stay out.
fn acronym_with_year(w: &str) -> bool {
    let letters = w.bytes().take_while(u8::is_ascii_uppercase).count();
    let digits = &w[letters..];
    (2..=6).contains(&letters)
        && digits.len() == 4
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits.starts_with("19") || ("2000".."2040").contains(&digits))
}

/// A year or an edition number in digits ("2022", "33rd").
fn edition(w: &str) -> bool {
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    year(w) || (digits > 0 && matches!(&w[digits..], "st" | "nd" | "rd" | "th"))
}

/// The start of the run of name words that ends right before `s` (connectors between
/// name words included), with the year or edition that opens or splits an event's name:
/// one edition is another event than the series ("the 2022 FIFA World Cup", "the 33rd
/// Berlin Film Festival", "the London 2012 Olympics").
fn name_run_start(words: &[&str], mut s: usize) -> usize {
    let last = s;
    loop {
        if last - s >= MAX_NAME_WORDS {
            return s;
        }
        if s > 0 && (name_word(words[s - 1]) || edition(words[s - 1])) {
            s -= 1;
        } else if s > 1 && CONNECTORS.contains(&words[s - 1]) && name_word(words[s - 2]) {
            s -= 2;
        } else {
            return s;
        }
    }
}

/// After an event word at `e - 1`: an `of`/`for`/`on`/`de` tail with a name or year ("of
/// Hastings", "of the Americas", "of 1812", "for Independence", "de France"), numerals
/// and a year; returns the new end.
fn tail(words: &[&str], mut e: usize) -> usize {
    if e < words.len() && matches!(words[e], "of" | "for" | "on" | "de") {
        let mut k = e + 1;
        if k < words.len() && words[k] == "the" {
            k += 1;
        }
        if k < words.len() && year(words[k]) {
            e = k + 1;
        } else {
            let end = name_run_end(words, k);
            // "for" and "on" take a short name ("War for Independence", "Lectures on
            // Deixis"), not a whole award category ("Awards for Choice Breakout Movie Star").
            if end > k && (!matches!(words[e], "for" | "on") || end - k <= 2) {
                e = end;
            }
        }
    }
    while e < words.len() && NUMERALS.contains(&words[e]) {
        e += 1;
    }
    if e < words.len() && year(words[e]) {
        e += 1;
    }
    e
}

/// A headline or title in title case ("Fan Responses to Game of Thrones"): no final
/// stop, and every word of four letters or more is capitalised, so capitals no longer
/// mark names.
fn title_case(words: &[&str]) -> bool {
    if words
        .last()
        .is_some_and(|w| matches!(*w, "." | "!" | "?" | "…" | "\"" | "”"))
    {
        return false;
    }
    let long: Vec<&&str> = words
        .iter()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    long.len() >= 2 && long.iter().all(|w| capitalised(w))
}

/// Event names in one sentence of words, as sorted, non-overlapping token ranges. None
/// in title-case sentences, where capitals do not mark names.
pub fn event_names(words: &[&str]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    if title_case(words) {
        return out;
    }
    let mut h = 0;
    while h < words.len() {
        let w = words[h];
        let found = if PREFIXES.contains(&w) && h + 1 < words.len() && name_word(words[h + 1]) {
            // "Hurricane Katrina", "Operation Desert Storm", "Tropical Storm Allison".
            let end = name_run_end(words, h + 1);
            let start = if h > 0 && matches!(words[h - 1], "Tropical" | "Super") {
                h - 1
            } else {
                h
            };
            Some(start..tail(words, end))
        } else if HEADS.contains(&w)
            || ALONE.contains(&w)
            || OF_HEADS.contains(&w)
            || PAIRS.iter().any(|p| p.1 == w)
            || w == "Euro"
        {
            let holiday = HOLIDAYS.contains(&w);
            let start = if holiday { h } else { name_run_start(words, h) };
            let surname = holiday
                && h > 0
                && name_word(words[h - 1])
                && !matches!(words[h - 1], "Merry" | "Happy");
            // A holiday before a common noun modifies it (*Christmas tree*, *Easter
            // weekend*): no mention of the holiday itself.
            let modifier = holiday
                && h + 1 < words.len()
                && words[h + 1].chars().all(char::is_lowercase)
                && !FUNCTION_WORDS.contains(&words[h + 1]);
            let end = tail(words, h + 1);
            let of_tail = end > h + 1 && matches!(words[h + 1], "of" | "for" | "on" | "de");
            // "Expo 2020", "Euro 2024": an event word with its year.
            let with_year = end == h + 2 && year(words[h + 1]);
            // "Battle of Hastings" names an event, "Fall of 2019" a season.
            let of_name = of_tail && !year(words[end - 1]);
            let followed_by_name = end < words.len() && name_word(words[end]);
            // An event word with a name before it or an of-tail after it ("the Summit of
            // the Americas", "the War of 1812"), not alone ("the War").
            let head = (start < h || of_tail || with_year)
                && (w == "Euro"
                    || HEADS.contains(&w)
                    || (h > 0 && PAIRS.contains(&(words[h - 1], w))));
            let name = words[start..end].join(" ");
            let ok = (head || ALONE.contains(&w) || (OF_HEADS.contains(&w) && of_name))
                // A name word after it: the event word modifies another name ("World Cup
                // Stadium", "Olympics Committee"), or a longer event name goes on.
                && !followed_by_name
                && !surname
                && !modifier
                && !NOT_EVENTS.iter().any(|n| name.ends_with(n));
            ok.then_some(start..end)
        } else {
            None
        };
        let found = found.or_else(|| acronym_with_year(w).then_some(h..h + 1));
        match found {
            Some(r) if out.last().is_none_or(|l| l.end <= r.start) => {
                h = r.end;
                out.push(r);
            }
            _ => h += 1,
        }
    }
    out
}

/// Names said to be events by the words around them, in one sentence: a description in
/// apposition or after a copula ("Mangal Shobhajatra, an annual procession", "X is like
/// a carnival") or an event predicate ("WrestleMania happened", "X took place"). Sorted,
/// non-overlapping; at most [`MAX_DESCRIBED_WORDS`] name words each.
pub fn described_event_names(words: &[&str]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    if title_case(words) {
        return out;
    }
    for (i, &w) in words.iter().enumerate() {
        let name = if w == "," {
            // A lone word before a comma opening the sentence is an adverb ("Later, the
            // war ..."), not a name in apposition.
            described_name(words, i)
                .filter(|r| r.start > 0 || r.len() > 1)
                .filter(|_| describes_event(words, i + 1))
        } else if matches!(w, "is" | "was") {
            let k = if words.get(i + 1) == Some(&"like") {
                i + 2
            } else {
                i + 1
            };
            described_name(words, i).filter(|_| describes_event(words, k))
        } else if let Some(&(_, needs)) = EVENT_PREDICATES.iter().find(|p| p.0 == w) {
            described_name(words, i).filter(|_| needs.is_none_or(|n| words.get(i + 1) == Some(&n)))
        } else {
            None
        };
        if let Some(r) = name {
            if out.last().is_none_or(|l| l.end <= r.start) {
                out.push(r);
            }
        }
    }
    out
}

/// The run of name words ending right before `end`, when it is short enough to be one
/// name and is no pronoun-like word.
fn described_name(words: &[&str], end: usize) -> Option<Range<usize>> {
    let mut s = end;
    while s > 0 && name_word(words[s - 1]) && end - s <= MAX_DESCRIBED_WORDS {
        s -= 1;
    }
    // With its edition ("the 22nd Fan Expo Canada took place").
    if s > 0 && s < end && edition(words[s - 1]) {
        s -= 1;
    }
    // The name must head the subject or apposition: not a place after a preposition ("in
    // Dhaka, the festival"), nor a name inside another noun phrase ("this session of the
    // General Assembly takes place").
    let before = |k: usize| s.checked_sub(k).map(|j| words[j]);
    let article = |w: &str| matches!(w, "the" | "The" | "a" | "an");
    let opens_phrase = |w: &str| {
        matches!(w, "," | ";" | ":" | "(" | "\"" | "“" | "—" | "--")
            || article(w)
            || SUBJECT_OPENERS.contains(&w)
    };
    // A comma after a name lists it ("in Brussels, Belgium took place").
    let listed = before(1) == Some(",") && before(2).is_some_and(name_word);
    let in_phrase = listed
        || !before(1).is_none_or(opens_phrase)
        || (before(1).is_some_and(article) && before(2).is_some_and(is_preposition));
    let ok = s < end
        && end - s <= MAX_DESCRIBED_WORDS
        && !NOT_NAMES_OF_EVENTS.contains(&words[s])
        && !in_phrase;
    ok.then_some(s..end)
}

/// Whether the words from `k` are an article, at most three modifiers and an event noun
/// heading the phrase ("an annual procession of", "a victory rally", not "a war veteran").
fn describes_event(words: &[&str], k: usize) -> bool {
    if !words
        .get(k)
        .is_some_and(|w| matches!(*w, "a" | "an" | "the"))
    {
        return false;
    }
    for j in k + 1..(k + 5).min(words.len()) {
        let w = words[j];
        if !w.chars().all(|c| c.is_lowercase() || c == '-') || FUNCTION_WORDS.contains(&w) {
            return false;
        }
        let heads_phrase = words.get(j + 1).is_none_or(|n| {
            !n.chars().all(char::is_lowercase)
                || FUNCTION_WORDS.contains(n)
                || matches!(*n, "which" | "where" | "held")
        });
        if EVENT_NOUNS.contains(&w) && heads_phrase {
            return true;
        }
    }
    false
}

fn is_preposition(w: &str) -> bool {
    const PREPOSITIONS: &[&str] = &[
        "in", "at", "on", "of", "from", "to", "for", "with", "by", "after", "before", "during",
        "since", "until", "near", "into", "across", "through",
    ];
    PREPOSITIONS.iter().any(|p| w.eq_ignore_ascii_case(p))
}

/// Event names in each sentence of a document: `event_names`, plus the short form
/// *the X* of a name found in the document that ends in the event word *X* ("the Games"
/// after "the Commonwealth Games", "the Festival" after "the Edinburgh Festival"). The
/// short form is tagged without its article, as a name ("Games"). A storm's bare name
/// after its full name is the storm too ("Katrina" after "Hurricane Katrina"). Names
/// that `described_event_names` finds are events at their other mentions too
/// ("Mangal Shobhajatra" throughout, after "Mangal Shobhajatra, an annual procession").
pub fn document_event_names(sentences: &[Vec<&str>]) -> Vec<Vec<Range<usize>>> {
    let mut out: Vec<Vec<Range<usize>>> = sentences.iter().map(|w| event_names(w)).collect();
    // Names described as events, and so events wherever else the document names them.
    let described = add_described_names(sentences, &mut out);
    // Event words that end a full name in this document, and storms' names (sorted, so
    // no hash order).
    let mut heads: Vec<&str> = Vec::new();
    let mut storms: BTreeMap<&str, Vec<&[&str]>> = BTreeMap::new();
    for (words, spans) in sentences.iter().zip(&out) {
        for r in spans {
            let last = words[r.end - 1];
            if r.len() > 1 && HEADS.contains(&last) {
                heads.push(last);
            }
            // A storm's span: [Tropical|Super] prefix name.
            let p = if matches!(words[r.start], "Tropical" | "Super") {
                r.start + 1
            } else {
                r.start
            };
            if p + 1 < r.end && STORMS.contains(&words[p]) {
                storms
                    .entry(words[p + 1])
                    .or_default()
                    .push(&words[p + 1..r.end]);
                // "the Cyclone" after "Cyclone Phailin".
                heads.push(words[p]);
            }
        }
    }
    heads.sort_unstable();
    heads.dedup();
    // Each storm's names sorted, with the length of the longest, for `storm_mention`.
    let storms: BTreeMap<&str, (usize, Vec<&[&str]>)> = storms
        .into_iter()
        .map(|(first, mut names)| {
            names.sort_unstable();
            names.dedup();
            (
                first,
                (names.iter().map(|n| n.len()).max().unwrap_or(0), names),
            )
        })
        .collect();
    if heads.is_empty() && storms.is_empty() && described.is_empty() {
        return out;
    }
    for (words, spans) in sentences.iter().zip(&mut out) {
        if title_case(words) {
            continue;
        }
        let mut covered = vec![false; words.len()];
        for r in spans.iter() {
            covered[r.clone()].iter_mut().for_each(|c| *c = true);
        }
        let free = |r: &Range<usize>| !covered[r.clone()].iter().any(|&c| c);
        let mut short = Vec::new();
        let mut i = 0;
        while i < words.len() {
            if let Some(n) = storms
                .get(words[i])
                .and_then(|(longest, names)| storm_mention(names, *longest, &words[i..]))
            {
                let r = i..i + n.len();
                // Not a part of a longer name ("Maria Sharapova").
                let alone = (i == 0 || !name_word(words[i - 1]))
                    && (r.end >= words.len() || !name_word(words[r.end]));
                if alone && free(&r) {
                    i = r.end;
                    short.push(r);
                    continue;
                }
            }
            if let Some(n) = described_mention(words, i, &described) {
                // With its edition number ("Wrestlemania 31").
                let numbered = words
                    .get(i + n.len())
                    .is_some_and(|w| w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit()));
                let r = i..i + n.len() + usize::from(numbered);
                if free(&r) {
                    i = r.end;
                    short.push(r);
                    continue;
                }
            }
            let article = i > 0 && matches!(words[i - 1], "the" | "The");
            let next_is_name = i + 1 < words.len() && name_word(words[i + 1]);
            if article
                && heads.binary_search(&words[i]).is_ok()
                && !next_is_name
                && free(&(i..i + 1))
            {
                short.push(i..i + 1);
            }
            i += 1;
        }
        if !short.is_empty() {
            spans.extend(short);
            spans.sort_by_key(|r| r.start);
        }
    }
    out
}

/// The shortest of a storm's `names` (sorted, none longer than `longest` words) that
/// `rest` starts with — the first such in sorted order, as a name sorts before its
/// extensions. One binary search per length, not a scan of every name: a document naming
/// many storms with one first word stays linear.
fn storm_mention<'a>(
    names: &[&'a [&'a str]],
    longest: usize,
    rest: &[&str],
) -> Option<&'a [&'a str]> {
    (1..=longest.min(rest.len()))
        .find_map(|len| names.binary_search(&&rest[..len]).ok().map(|k| names[k]))
}

/// Adds to `out` (each sentence's event names, sorted) the names `described_event_names`
/// finds that overlap none of them, and returns those names lower-cased, sorted and
/// deduplicated, for [`described_mention`].
fn add_described_names(sentences: &[Vec<&str>], out: &mut [Vec<Range<usize>>]) -> Vec<Vec<String>> {
    let mut described: Vec<Vec<String>> = Vec::new();
    // Words the document capitalises inside a sentence: a one-word name opening a
    // sentence is taken for a name only if it is one of them ("WrestleMania happened"
    // and "after WrestleMania", not "Enjambment takes place"). Collected only when such
    // a name turns up: most documents have none, and this runs on every document.
    let mut inner_capitals: Option<Vec<&str>> = None;
    let mut inner_capital = |w: &str| {
        let words = inner_capitals.get_or_insert_with(|| {
            let mut all: Vec<&str> = sentences
                .iter()
                .flat_map(|w| w.iter().skip(1).copied().filter(|w| capitalised(w)))
                .collect();
            all.sort_unstable();
            all.dedup();
            all
        });
        words.binary_search(&w).is_ok()
    };
    for (words, spans) in sentences.iter().zip(out.iter_mut()) {
        // Both lists are sorted and non-overlapping, so one forward walk over the
        // sentence's event names finds any overlap: linear, where testing every span for
        // each description was quadratic in a sentence of many described names.
        let found = spans.len();
        let mut j = 0;
        for r in described_event_names(words) {
            while j < found && spans[j].end <= r.start {
                j += 1;
            }
            let overlaps = j < found && spans[j].start < r.end;
            let lone_opener = r.start == 0 && r.len() == 1 && !inner_capital(words[0]);
            if !lone_opener && !overlaps {
                described.push(words[r.clone()].iter().map(|w| w.to_lowercase()).collect());
                spans.push(r);
            }
        }
        spans.sort_by_key(|r| r.start);
    }
    described.sort_unstable();
    described.dedup();
    described
}

/// The longest of the `described` names (sorted) that `words[i..]` starts with, written
/// as a name (capitalised: "Wrestlemania" for "WrestleMania") and not inside a longer one.
/// Looked up by binary search for each possible length, so a document with many described
/// names is still tagged in linear time.
fn described_mention<'a>(
    words: &[&str],
    i: usize,
    described: &'a [Vec<String>],
) -> Option<&'a Vec<String>> {
    if described.is_empty() || !capitalised(words[i]) || (i > 0 && name_word(words[i - 1])) {
        return None;
    }
    let longest = (MAX_DESCRIBED_WORDS + 1).min(words.len() - i);
    (1..=longest).rev().find_map(|len| {
        let end = i + len;
        let alone = end == words.len() || !name_word(words[end]);
        let key: Vec<String> = words[i..end].iter().map(|w| w.to_lowercase()).collect();
        alone
            .then(|| described.binary_search(&key).ok().map(|k| &described[k]))
            .flatten()
    })
}

/// `spans` (a tagger's spans over one sentence) with the sentence's event names `events`
/// (from [`document_event_names`] or `event_names`) put first: spans overlapping an
/// event name are dropped, as in the pipeline, where [`EventNames`] runs before the
/// taggers. Sorted by start.
pub fn with_event_names(events: &[Range<usize>], spans: Vec<NerSpan>) -> Vec<NerSpan> {
    if events.is_empty() {
        return spans;
    }
    let mut out: Vec<NerSpan> = events
        .iter()
        .map(|r| (r.start, r.end, EntityType::Event, EVENT_RULES_CONFIDENCE))
        .collect();
    out.extend(
        spans
            .into_iter()
            .filter(|&(s, e, _, _)| !events.iter().any(|r| r.start < e && s < r.end)),
    );
    out.sort_by_key(|&(s, ..)| s);
    out
}

/// The pipeline component: tags event names found by `event_names` in each sentence.
/// Put it before the gazetteer and the NER (earlier components win).
pub struct EventNames;

impl Component for EventNames {
    fn name(&self) -> &'static str {
        EVENT_RULES_SOURCE
    }

    fn process(&self, doc: &mut Doc) {
        let ranges: Vec<Range<usize>> = if doc.sentences.is_empty() {
            std::iter::once(0..doc.tokens.len()).collect()
        } else {
            doc.sentences.iter().map(|s| s.tokens.clone()).collect()
        };
        let sentences: Vec<Vec<&str>> = ranges
            .iter()
            .map(|r| r.clone().map(|t| doc.token_text(t)).collect())
            .collect();
        let events = document_event_names(&sentences);
        drop(sentences);
        let mut found = Vec::new();
        for (range, spans) in ranges.iter().zip(events) {
            for r in spans {
                let tokens = range.start + r.start..range.start + r.end;
                found.push(EntitySpan {
                    start: doc.tokens[tokens.start].start,
                    end: doc.tokens[tokens.end - 1].end,
                    tokens,
                    kind: EntityType::Event,
                    confidence: EVENT_RULES_CONFIDENCE,
                    source: EVENT_RULES_SOURCE,
                    canonical: None,
                    external_ids: BTreeMap::new(),
                    resolved_by: None,
                });
            }
        }
        doc.add_entities(found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The event names of a sentence, as text.
    fn names(sentence: &str) -> Vec<String> {
        spans_as_text(event_names, sentence)
    }

    fn spans_as_text(find: fn(&[&str]) -> Vec<Range<usize>>, sentence: &str) -> Vec<String> {
        let words: Vec<&str> = sentence.split(' ').collect();
        find(&words)
            .into_iter()
            .map(|r| words[r].join(" "))
            .collect()
    }

    #[test]
    fn named_events_by_pattern() {
        assert_eq!(
            names("Veterans of the Korean War met in Busan ."),
            ["Korean War"]
        );
        assert_eq!(
            names("He fought in World War II and the Cold War ."),
            ["World War II", "Cold War"]
        );
        assert_eq!(
            names("Tickets for the FIFA World Cup 2030 sold out ."),
            ["FIFA World Cup 2030"]
        );
        assert_eq!(
            names("The film opened the Venice Film Festival ."),
            ["Venice Film Festival"]
        );
        assert_eq!(
            names("She won gold at the Winter Olympics and the Olympics before ."),
            ["Winter Olympics", "Olympics"]
        );
        assert_eq!(
            names("He ran at the London 2012 Olympics and the 2016 Olympics ."),
            ["London 2012 Olympics", "2016 Olympics"]
        );
        assert_eq!(
            names("It premiered at the 70th Berlin International Film Festival ."),
            ["70th Berlin International Film Festival"]
        );
        assert_eq!(
            names("Hurricane Maria hit the island ."),
            ["Hurricane Maria"]
        );
        assert_eq!(
            names("The Battle of Waterloo ended the war ."),
            ["Battle of Waterloo"]
        );
        assert_eq!(
            names("Leaders met at the Summit of the Americas in Lima ."),
            ["Summit of the Americas"]
        );
        assert_eq!(
            names("the War of 1812 and the Food and Drink Festival ."),
            ["War of 1812", "Food and Drink Festival"]
        );
        assert_eq!(names("They travel home for Easter ."), ["Easter"]);
        assert_eq!(names("Merry Christmas !"), ["Christmas"]);
        assert_eq!(
            names("Her poster at LREC2024 won ; the RTX2080 , GTX1080 and ISO9001 did not ."),
            ["LREC2024"]
        );
    }

    #[test]
    fn look_alikes_are_not_events() {
        // An event word that modifies another name.
        assert!(names("They met at the World Cup Stadium on Sunday .").is_empty());
        // Event words alone or without a capital, titles of works, surnames.
        assert!(names("The War began in spring and the festival went on .").is_empty());
        assert!(names("He starred in The Imitation Game and a Star Wars film .").is_empty());
        assert!(names("The cover is by illustrator Johnnie Christmas .").is_empty());
        assert!(names("They sold Christmas trees in winter .").is_empty());
        // The Fall of 2019 is a season, not an event.
        assert!(names("In the Fall of 2019 she moved .").is_empty());
        // Headlines in title case: capitals mark no names.
        assert!(names("Local Team Celebrates Cup Win").is_empty());
    }

    /// The names `described_event_names` finds in a sentence, as text.
    fn described(sentence: &str) -> Vec<String> {
        spans_as_text(described_event_names, sentence)
    }

    #[test]
    fn names_described_as_events() {
        assert_eq!(
            described("Crowds filled Dhaka for Boishakhi Mela , an annual spring fair ."),
            Vec::<String>::new()
        );
        assert_eq!(
            described("Boishakhi Mela , an annual spring fair , filled Dhaka ."),
            ["Boishakhi Mela"]
        );
        assert_eq!(
            described("Ratha Yatra is like a carnival on wheels ."),
            ["Ratha Yatra"]
        );
        assert_eq!(
            described("The 9th Kelp Expo took place in Oslo ."),
            ["9th Kelp Expo"]
        );
        assert_eq!(
            described("Summerslam happened , and Clash happened too ."),
            ["Summerslam", "Clash"]
        );
        // A modifier, not a head: "a war veteran" describes a person.
        assert!(described("Tom Hale , a war veteran , spoke .").is_empty());
        // Names inside another phrase, in a list, or words that are no names.
        assert!(
            described("The funeral of former minister Ana Lobo takes place today .").is_empty()
        );
        assert!(described("This session of the General Assembly takes place in May .").is_empty());
        assert!(described("Talks in Lima , Peru took place in May .").is_empty());
        assert!(described("Everything happened at once .").is_empty());
        assert!(described("In Dhaka , the festival began .").is_empty());
    }

    #[test]
    fn described_names_are_events_throughout_the_document() {
        let doc = [
            "We went to Boishakhi Mela .",
            "Boishakhi Mela , an annual spring fair , fills the city .",
            "At boishakhi mela and at Boishakhi Mela 2024 and Boishakhi Mela Road we danced .",
            "Filming took place in Oslo .",
        ];
        let sentences: Vec<Vec<&str>> = doc.iter().map(|s| s.split(' ').collect()).collect();
        let found: Vec<Vec<String>> = document_event_names(&sentences)
            .iter()
            .zip(&sentences)
            .map(|(spans, words)| spans.iter().map(|r| words[r.clone()].join(" ")).collect())
            .collect();
        // Lower-case words and a longer name are no mentions; an edition number belongs to
        // it; a one-word name opening a sentence is no name unless the document capitalises
        // it elsewhere.
        assert_eq!(
            found,
            [
                vec!["Boishakhi Mela"],
                vec!["Boishakhi Mela"],
                vec!["Boishakhi Mela 2024"],
                vec![]
            ]
        );
    }

    /// Storms sharing a first name, each mentioned again without its prefix, take linear
    /// time: a mention looks up the storm's names by binary search per name length, since
    /// scanning every name before it is quadratic (2.4 s for 20,000 here, minutes for a
    /// few megabytes).
    #[test]
    #[allow(clippy::single_range_in_vec_init)] // one span per sentence is what is expected
    fn many_storms_with_one_first_name_are_linear() {
        let n = 200_000;
        let tails: Vec<String> = (0..n).map(|k| format!("Xq{k}")).collect();
        let mut doc: Vec<Vec<&str>> = tails
            .iter()
            .map(|x| vec!["Hurricane", "Katrina", x.as_str(), "hit", "."])
            .collect();
        doc.extend(
            tails
                .iter()
                .map(|x| vec!["Katrina", x.as_str(), "hit", "."]),
        );
        doc.push(vec!["Katrina", "hit", "."]);
        let out = document_event_names(&doc);
        assert!(out[..n].iter().all(|s| s == &[0..3]), "{:?}", &out[..2]);
        assert!(
            out[n..2 * n].iter().all(|s| s == &[0..2]),
            "{:?}",
            &out[n..n + 2]
        );
        // No storm is called just "Katrina" here.
        assert!(out[2 * n].is_empty());
    }

    /// A sentence of four million words, half a million names described as events among
    /// half a million event names, finishes in about a second: testing each description
    /// against every span found before it in the sentence would take minutes (quadratic).
    #[test]
    fn a_sentence_of_many_described_names_is_linear() {
        let pattern = [
            "Brama", "happened", "and", "the", "Oslo", "Festival", "happened", "and",
        ];
        let reps = 1 << 19;
        let words: Vec<&str> = pattern
            .iter()
            .copied()
            .cycle()
            .take(pattern.len() * reps)
            .collect();
        let spans = document_event_names(&[words]).pop().unwrap();
        // "Brama" described; "Oslo Festival" is an event name already, so not described again.
        let expected: Vec<Range<usize>> = (0..reps)
            .flat_map(|k| [8 * k..8 * k + 1, 8 * k + 4..8 * k + 6])
            .collect();
        assert!(
            spans == expected,
            "{} spans, first {:?}",
            spans.len(),
            &spans[..spans.len().min(4)]
        );
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // one span per sentence is what is expected
    fn short_forms_follow_a_full_name_in_the_document() {
        let doc = [
            "She swam at the Commonwealth Games in Glasgow .",
            "The Games ended on Sunday , and the games of chess went on .",
        ];
        let sentences: Vec<Vec<&str>> = doc.iter().map(|s| s.split(' ').collect()).collect();
        assert_eq!(document_event_names(&sentences), [vec![4..6], vec![1..2]]);
        // Without the full name, "the Games" alone is no name.
        assert_eq!(document_event_names(&sentences[1..]), [vec![]]);
        let doc = [
            "Tropical Storm Erin reached the coast .",
            "Erin weakened , said Erin Brown .",
        ];
        let sentences: Vec<Vec<&str>> = doc.iter().map(|s| s.split(' ').collect()).collect();
        assert_eq!(document_event_names(&sentences), [vec![0..3], vec![0..1]]);
        // The storm word with an article is the storm too.
        let doc = [
            "Cyclone Ravi hit the coast .",
            "Then the Cyclone weakened .",
        ];
        let sentences: Vec<Vec<&str>> = doc.iter().map(|s| s.split(' ').collect()).collect();
        assert_eq!(document_event_names(&sentences), [vec![0..2], vec![2..3]]);
    }

    #[test]
    fn event_names_replace_overlapping_tagger_spans() {
        let words: Vec<&str> = "The Iraq War began in 2003 , said Smith ."
            .split(' ')
            .collect();
        let tagged = vec![
            (1, 2, EntityType::Location, 0.8),
            (7, 8, EntityType::Person, 0.9),
        ];
        let merged = with_event_names(&event_names(&words), tagged);
        let kinds: Vec<(usize, usize, EntityType)> =
            merged.iter().map(|&(s, e, k, _)| (s, e, k)).collect();
        assert_eq!(
            kinds,
            [(1, 3, EntityType::Event), (7, 8, EntityType::Person)]
        );
    }

    #[test]
    fn the_component_wins_over_the_gazetteer() {
        let mut doc = Doc::new(
            kith_schema::DocId("t".into()),
            "Protesters marched against the Iraq War in London.",
            "test",
        );
        crate::default_pipeline().run(&mut doc);
        let spans: Vec<(&str, EntityType)> = doc
            .entities
            .iter()
            .map(|e| (doc.span_text(e), e.kind))
            .collect();
        assert!(
            spans.contains(&("Iraq War", EntityType::Event)),
            "{spans:?}"
        );
        assert!(!spans.iter().any(|(t, _)| *t == "Iraq"), "{spans:?}");
    }
}
