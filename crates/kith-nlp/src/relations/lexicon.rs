//! Word lists of the relation rules: verb phrases and their predicates, nouns that name speech acts, places and sites, and the cue words of polarity and modality.

use super::*;

/// (words of the verb phrase, normalised predicate, class). Longest phrases first, so that
/// "speak with" wins over "speak".
pub(super) const VERB_PATTERNS: &[(&[&str], &str, RelationClass)] = &[
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
pub(super) const NOMINAL_PATTERNS: &[(&[&str], &str, RelationClass)] = &[
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
pub(super) const NOMINAL_LINKS: &[&str] = &[
    "is", "was", "are", "were", "be", "been", "being", "remains", "remained", "remain", "stays",
    "stayed", "stay", "has", "have", "had", "will", "would", "could", "may", "might", "not", "n't",
    "never", "no", "longer", "still", "also", "already", "now", "get", "got", "gets", "getting",
];

/// Nouns naming what someone said or asked for. As a verb's object, their author is the
/// one the verb acts on: "Sharif rejected India's accusations" → *Sharif reject India*,
/// "Modi condemned the remarks of the minister" → *condemn* the minister. The author is
/// the possessor, or the object of *by*, *from* or (outside [`TARGET_OF_NOUNS`]) *of*.
pub(super) const SPEECH_ACT_NOUNS: &[&str] = &[
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
pub(super) const CONTENT_NOUNS: &[&str] = &[
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
pub(super) const TARGET_OF_NOUNS: &[&str] = &[
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
pub(super) const SPEECH_ACT_PREDICATES: &[&str] = &["reject"];

/// Adverbs skipped inside a verb phrase when there are no POS tags.
pub(super) const ADVERBS: &[&str] = &[
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
pub(super) const PLAN_CUES: &[&str] = &[
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
pub(super) const REPORT_CUES: &[&str] = &[
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
pub(super) const NEGATION_CUES: &[&str] = &[
    "not", "n't", "never", "no", "denied", "denies", "deny", "rejected",
];

/// Roles whose holder speaks for the organisation before them.
pub(super) const SPOKESPERSON_ROLES: &[&str] = &[
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "press secretary",
];
/// Roles whose holder works for the organisation before them.
pub(super) const STAFF_ROLES: &[&str] = &[
    "anchor",
    "correspondent",
    "editor",
    "reporter",
    "presenter",
    "columnist",
    "host",
];

/// Forms of "be" and "become" that link a person to a role ("X is the foreign minister").
pub(super) const COPULAS: &[&str] = &[
    "is", "was", "be", "became", "becomes", "remains", "remained", "been",
];

/// Nouns for a killer ("Kennedy's assassin").
pub(super) const KILLER_NOUNS: &[&str] = &["assassin", "killer", "murderer"];
/// Nouns for a killing ("convicted of Kennedy's killing").
pub(super) const KILLING_NOUNS: &[&str] = &[
    "killing",
    "murder",
    "assassination",
    "death",
    "slaying",
    "shooting",
];

/// Month names and abbreviations, for datelines.
pub(super) const MONTHS: &[&str] = &[
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
pub(super) const DIRECTIONS: &[&str] = &[
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
pub(super) const SITE_NOUNS: &[&str] = &[
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
pub(super) const PLACE_NOUNS: &[&str] = &[
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

/// Lower-case words that stop `Place ... Person` from being one noun phrase.
pub(super) const NOT_MODIFIER_GAP: &[&str] = &[
    "and", "or", "said", "says", "told", "in", "on", "at", "to", "of", "for", "with", "by", "from",
    "that", "and", "but", "as", "when", "after", "before", "is", "was",
];
