//! Within-document coreference: partial names, acronyms, titles and definite descriptions,
//! and pronouns, each linked to an entity the document names.
//!
//! [`Coreference`] runs after the taggers and before the relation rules, so that "He met
//! X" gives a relation for the person "he" refers to. It works in four passes:
//!
//! 1. **Partial names** — a one-word span that is the first or last word of exactly one
//!    fuller person name in the document (*Rubio* → *Marco Rubio*). The name tagger does
//!    this for its own spans; this pass does it for every tagger's (a model's *Rubio*).
//! 2. **Acronyms** — a span of capitals that spells the initials of exactly one longer
//!    name in the document, case-insensitively, with or without its connectors
//!    (*LeT* ↔ *Lashkar-e-Taiba*). Country short forms (*US*) are the gazetteer's variants.
//! 3. **Titles and definite descriptions** — *the secretary* (a role after *the*) is the
//!    person last named with a role sharing its main word (*Secretary Rubio*, *US Secretary
//!    of State Marco Rubio*); *the group*, *the company*, *the department*, *the country*
//!    are the last organisation (or country) named, when its name fits the noun, and *the
//!    war*, *the festival*, *the summit*, *the storm*, ... the last named event that fits.
//! 4. **Pronouns** — *he, him, his, himself, she, her, hers, herself* for people,
//!    *it, its, itself* for organisations and countries, *they, them, their, theirs,
//!    themselves* for organisations; with number and gender agreement. A person's gender
//!    comes from an honorific before a mention (*Mr*, *Mrs*, *Ms*), a given name
//!    ([`MALE_NAMES`], [`FEMALE_NAMES`], lists this project wrote) and pronouns already
//!    resolved to them. The antecedent is the most salient compatible entity of the
//!    [`WINDOW`] sentences before (each mention counts [`DECAY`]^(sentences back), as in
//!    Lappin and Leass's recency-weighted salience); an object pronoun skips its own
//!    clause's subject, a reflexive takes the nearest mention. *I*, *me*, *my* inside a
//!    quotation attributed to a named person (*"I will stay," Asif said*) are that person.
//! 5. **Chains without a name** ([`Doc::coref`]) — every other first-person singular
//!    pronoun of the document (the writer's or interviewee's *I*) forms one chain, and so
//!    do *we*/*us*/*our* and *you*/*your*, unless the first person introduces itself
//!    (*I'm Jane Doe*, *my name is Jane Doe*, with a person span there): then its *I*s are
//!    spans of that person. A *he*, *she*, *it* (not a dummy *it*) or *they* that no
//!    named entity takes joins the chain of the last such pronoun of its kind when that
//!    is at most [`UNNAMED_GAP`] sentences back. These chains are coreference (scored by
//!    `kith eval coref`) but never graph entities: [`Doc::to_facts`] reads spans only.
//!
//! Every decision is recorded in [`EntitySpan::resolved_by`]; spans found by passes 1–3
//! are changed in place (their `kind` and `canonical`), pronouns and descriptions that no
//! tagger marked are added through [`Doc::add_entities`]. [`Doc::to_facts`] groups spans
//! by (kind, canonical), so every resolved mention joins its antecedent's entity. The
//! passes are linear in the document apart from the window search, bounded by
//! [`WINDOW`] sentences of mentions (and at most [`MAX_CANDIDATES`] of them).

use crate::{Chain, ChainPerson, Component, Doc, EntitySpan, Group};
use kith_schema::{EntityType, ResolvedBy};
use std::collections::{BTreeMap, HashMap};

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
const DECAY: f64 = 0.5;
/// Most earlier mentions a pronoun or title weighs, so that a run-on "sentence" of a
/// megabyte (no punctuation) costs linear time, not quadratic.
const MAX_CANDIDATES: usize = 200;
/// Tokens beyond which an object pronoun and a subject are taken to be in different
/// clauses without looking for the break between them.
const MAX_CLAUSE: usize = 40;
/// How many sentences apart two third-person pronouns with no named antecedent (*he* …
/// *he*) may be and still join one chain. Chosen on GUM train (`kith eval coref`, CoNLL
/// F1): 61.77 without such chains, 64.14 at 0 sentences, 65.31 at 1, 65.46 at 2, 65.37 at
/// 3, 64.61 at 8, 63.29 unbounded; each of he, she, it, they pays on its own.
const UNNAMED_GAP: usize = 2;
/// How many sentences back a title (*the secretary*) may look for its holder.
const TITLE_WINDOW: usize = 12;

/// Common English given names read as male (this project's own short list).
pub const MALE_NAMES: &[&str] = &[
    "Aaron",
    "Abdul",
    "Adam",
    "Ahmed",
    "Alan",
    "Albert",
    "Alexander",
    "Ali",
    "Andrew",
    "Anthony",
    "Antonio",
    "Arthur",
    "Barack",
    "Ben",
    "Benjamin",
    "Bernie",
    "Bill",
    "Bob",
    "Boris",
    "Brian",
    "Bruce",
    "Carl",
    "Charles",
    "Chris",
    "Christopher",
    "Daniel",
    "David",
    "Dennis",
    "Donald",
    "Douglas",
    "Edward",
    "Emmanuel",
    "Eric",
    "Frank",
    "Fred",
    "Gary",
    "George",
    "Gerald",
    "Gordon",
    "Harold",
    "Harry",
    "Henry",
    "Howard",
    "Hugh",
    "Ian",
    "Imran",
    "Jack",
    "Jacob",
    "James",
    "Jason",
    "Jeff",
    "Jeffrey",
    "Jeremy",
    "Jerry",
    "Jim",
    "Joe",
    "John",
    "Jonathan",
    "Joseph",
    "Justin",
    "Karl",
    "Keith",
    "Kevin",
    "Khawaja",
    "Larry",
    "Lawrence",
    "Louis",
    "Mark",
    "Marco",
    "Martin",
    "Matthew",
    "Michael",
    "Mike",
    "Mohammed",
    "Muhammad",
    "Narendra",
    "Nawaz",
    "Nicholas",
    "Oliver",
    "Patrick",
    "Paul",
    "Peter",
    "Philip",
    "Ralph",
    "Raymond",
    "Richard",
    "Robert",
    "Roger",
    "Ronald",
    "Russell",
    "Ryan",
    "Sam",
    "Samuel",
    "Scott",
    "Sean",
    "Sergei",
    "Shehbaz",
    "Stephen",
    "Steve",
    "Steven",
    "Subrahmanyam",
    "Thomas",
    "Tim",
    "Timothy",
    "Tom",
    "Tony",
    "Vladimir",
    "Walter",
    "William",
    "Xi",
];

/// Common English given names read as female (this project's own short list).
pub const FEMALE_NAMES: &[&str] = &[
    "Alice",
    "Amanda",
    "Amy",
    "Angela",
    "Angela",
    "Ann",
    "Anna",
    "Anne",
    "Barbara",
    "Betty",
    "Carol",
    "Caroline",
    "Catherine",
    "Charlotte",
    "Christine",
    "Claire",
    "Diana",
    "Donna",
    "Dorothy",
    "Elizabeth",
    "Ellen",
    "Emily",
    "Emma",
    "Frances",
    "Grace",
    "Hannah",
    "Helen",
    "Hillary",
    "Indira",
    "Jacinda",
    "Jane",
    "Janet",
    "Jennifer",
    "Jessica",
    "Jill",
    "Joan",
    "Julia",
    "Julie",
    "Karen",
    "Kamala",
    "Kate",
    "Katherine",
    "Kathleen",
    "Laura",
    "Linda",
    "Lisa",
    "Liz",
    "Margaret",
    "Maria",
    "Marie",
    "Mary",
    "Melania",
    "Michelle",
    "Nancy",
    "Nicola",
    "Olivia",
    "Pamela",
    "Patricia",
    "Rachel",
    "Rebecca",
    "Ruth",
    "Sally",
    "Sandra",
    "Sarah",
    "Sharon",
    "Sophie",
    "Susan",
    "Tammy",
    "Theresa",
    "Ursula",
    "Victoria",
    "Virginia",
    "Yalda",
];

const MALE_HONORIFICS: &[&str] = &["Mr", "Mr.", "Sir", "Lord", "Mister"];
const FEMALE_HONORIFICS: &[&str] = &["Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Dame", "Lady", "Madam"];

/// Words a name's initials may skip: *Ministry of External Affairs* → *MEA*.
const CONNECTORS: &[&str] = &["of", "the", "and", "for", "de", "&", "e", "al"];

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gender {
    Unknown,
    Male,
    Female,
}

/// What a pronoun can refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Referent {
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
fn pronoun(word: &str) -> Option<(Referent, bool)> {
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
fn pleonastic_it(doc: &Doc, t: usize, end: usize) -> bool {
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

pub struct Coreference;

impl Component for Coreference {
    fn name(&self) -> &'static str {
        "coref"
    }

    fn process(&self, doc: &mut Doc) {
        partial_names(doc);
        acronyms(doc);
        let (added, chains, groups) = titles_and_pronouns(doc);
        doc.add_entities(added);
        doc.coref = chains;
        // A group whose span did not make it (overlapping an earlier one) is no mention.
        doc.groups = groups
            .into_iter()
            .filter(|g| {
                let i = doc
                    .entities
                    .partition_point(|e| e.tokens.start < g.tokens.start);
                doc.entities.get(i).is_some_and(|e| {
                    e.tokens == g.tokens && e.resolved_by == Some(ResolvedBy::Title)
                })
            })
            .collect();
    }
}

/// The name a span's entity goes by: its canonical name, else its text.
fn entity_name(doc: &Doc, span: &EntitySpan) -> String {
    span.canonical
        .clone()
        .unwrap_or_else(|| doc.span_text(span).to_string())
}

fn resolvable(span: &EntitySpan) -> bool {
    span.canonical.is_none() && span.source != "gazetteer" && span.kind != EntityType::Role
}

/// Pass 1: one-word spans that are part of exactly one fuller person name, and one-word
/// events that end exactly one fuller event name.
fn partial_names(doc: &mut Doc) {
    let mut full: HashMap<String, Vec<String>> = HashMap::new();
    for span in doc
        .entities
        .iter()
        .filter(|s| s.kind == EntityType::Person && s.tokens.len() > 1 && s.resolved_by.is_none())
    {
        let name = entity_name(doc, span);
        for t in [span.tokens.start, span.tokens.end - 1] {
            let names = full.entry(doc.token_text(t).to_string()).or_default();
            if !names.contains(&name) {
                names.push(name.clone());
            }
        }
    }
    for i in 0..doc.entities.len() {
        let span = &doc.entities[i];
        if span.tokens.len() != 1 || !resolvable(span) {
            continue;
        }
        let Some([name]) = full
            .get(doc.token_text(span.tokens.start))
            .map(Vec::as_slice)
        else {
            continue;
        };
        let name = name.clone();
        let span = &mut doc.entities[i];
        span.kind = EntityType::Person;
        span.canonical = Some(name);
        span.resolved_by = Some(ResolvedBy::PartialName);
    }
    // Events: a one-word event that ends exactly one fuller event name (*Maria* after
    // *Hurricane Maria*, *Games* after *Commonwealth Games*).
    let mut full: HashMap<&str, Vec<String>> = HashMap::new();
    for span in doc
        .entities
        .iter()
        .filter(|s| s.kind == EntityType::Event && s.tokens.len() > 1 && s.resolved_by.is_none())
    {
        let names = full.entry(doc.token_text(span.tokens.end - 1)).or_default();
        let name = entity_name(doc, span);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let resolved: Vec<(usize, String)> = doc
        .entities
        .iter()
        .enumerate()
        .filter(|(_, s)| s.kind == EntityType::Event && s.tokens.len() == 1 && resolvable(s))
        .filter_map(
            |(i, s)| match full.get(doc.token_text(s.tokens.start)).map(Vec::as_slice) {
                Some([name]) => Some((i, name.clone())),
                _ => None,
            },
        )
        .collect();
    for (i, name) in resolved {
        doc.entities[i].canonical = Some(name);
        doc.entities[i].resolved_by = Some(ResolvedBy::PartialName);
    }
}

/// The letters of an acronym (*LeT* → `let`), or `None` if the word is not one: two to
/// eight letters (dots allowed), at least two of them capitals.
fn acronym_letters(word: &str) -> Option<String> {
    let letters: String = word.chars().filter(|c| *c != '.').collect();
    let capitals = letters.chars().filter(|c| c.is_uppercase()).count();
    let ok = (2..=8).contains(&letters.chars().count())
        && capitals >= 2
        && letters.chars().all(char::is_alphabetic);
    ok.then(|| letters.to_lowercase())
}

/// A name's initials, lower case: with every word, and without connectors.
fn initials(name: &str) -> [String; 2] {
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .collect();
    let all = words
        .iter()
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_lowercase)
        .collect();
    let content = words
        .iter()
        .filter(|w| !CONNECTORS.contains(&w.to_lowercase().as_str()))
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_lowercase)
        .collect();
    [all, content]
}

/// Pass 2: acronyms of exactly one longer name of the document.
fn acronyms(doc: &mut Doc) {
    let mut long: HashMap<String, Vec<(String, EntityType)>> = HashMap::new();
    for span in &doc.entities {
        let name = entity_name(doc, span);
        if span.kind == EntityType::Role
            || span.kind == EntityType::Person
            || !name.contains([' ', '-'])
        {
            continue;
        }
        for key in initials(&name) {
            if key.chars().count() < 2 {
                continue;
            }
            let entry = long.entry(key).or_default();
            if !entry.iter().any(|(n, _)| *n == name) {
                entry.push((name.clone(), span.kind));
            }
        }
    }
    for i in 0..doc.entities.len() {
        let span = &doc.entities[i];
        if !resolvable(span) {
            continue;
        }
        let Some(letters) = acronym_letters(doc.span_text(span)) else {
            continue;
        };
        let Some([(name, kind)]) = long.get(&letters).map(Vec::as_slice) else {
            continue;
        };
        let (name, kind) = (name.clone(), *kind);
        let span = &mut doc.entities[i];
        span.kind = kind;
        span.canonical = Some(name);
        span.resolved_by = Some(ResolvedBy::Acronym);
    }
}

/// What the resolver knows of one entity of the document.
#[derive(Default)]
struct Cluster {
    gender: Option<Gender>,
    /// Head words of roles its person was named with (`secretary`, `minister`).
    roles: Vec<String>,
}

/// One mention seen so far, in document order.
struct Seen {
    token: usize,
    /// One past the mention's last token.
    end: usize,
    sentence: usize,
    key: (EntityType, String),
}

fn key_of(doc: &Doc, span: &EntitySpan) -> (EntityType, String) {
    (span.kind, entity_name(doc, span))
}

fn gender_of_name(first_word: &str) -> Gender {
    if MALE_NAMES.contains(&first_word) {
        Gender::Male
    } else if FEMALE_NAMES.contains(&first_word) {
        Gender::Female
    } else {
        Gender::Unknown
    }
}

/// Clusters with the gender their names and honorifics show and the roles they hold.
fn clusters(doc: &Doc) -> BTreeMap<(EntityType, String), Cluster> {
    let mut out: BTreeMap<(EntityType, String), Cluster> = BTreeMap::new();
    for (i, span) in doc.entities.iter().enumerate() {
        let cluster = out.entry(key_of(doc, span)).or_default();
        if span.kind != EntityType::Person {
            continue;
        }
        // The honorific before the name, or its first word when a tagger took it in
        // ("Mrs. Adaeze Okafor").
        let first = doc.token_text(span.tokens.start);
        let honorific = if MALE_HONORIFICS.contains(&first) || FEMALE_HONORIFICS.contains(&first) {
            Some(first)
        } else {
            (span.tokens.start > 0).then(|| doc.token_text(span.tokens.start - 1))
        };
        let given = if honorific == Some(first) {
            span.tokens.start + 1
        } else {
            span.tokens.start
        };
        let mut gender = Gender::Unknown;
        if honorific.is_some_and(|b| MALE_HONORIFICS.contains(&b)) {
            gender = Gender::Male;
        } else if honorific.is_some_and(|b| FEMALE_HONORIFICS.contains(&b)) {
            gender = Gender::Female;
        } else if span.tokens.len() > 1 && given < span.tokens.end {
            gender = gender_of_name(doc.token_text(given));
        }
        if gender != Gender::Unknown && cluster.gender.is_none() {
            cluster.gender = Some(gender);
        }
        // "Secretary Rubio", "Defence Minister, Khawaja Asif": the role right before.
        if let Some(role) = i.checked_sub(1).map(|r| &doc.entities[r]) {
            let gap: Vec<&str> = (role.tokens.end..span.tokens.start)
                .map(|t| doc.token_text(t))
                .collect();
            if role.kind == EntityType::Role && (gap.is_empty() || gap == [","]) {
                if let Some(head) = role_head(doc, role).filter(|h| !cluster.roles.contains(h)) {
                    cluster.roles.push(head);
                }
            }
        }
    }
    out
}

/// The head word of a role, lower case: the word before *of* (`Secretary of State` →
/// secretary), else the last (`Foreign Minister` → minister). *The secretary* and *the
/// minister* name a role by its head.
fn role_head(doc: &Doc, role: &EntitySpan) -> Option<String> {
    let words: Vec<String> = entity_name(doc, role)
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    match words.iter().position(|w| w == "of") {
        Some(of) if of > 0 => Some(words[of - 1].clone()),
        _ => words.last().cloned(),
    }
}

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

fn is_the(doc: &Doc, token: usize) -> bool {
    matches!(doc.token_text(token), "the" | "The")
}

/// The chain a first- or second-person pronoun outside a quotation joins.
fn person_of(word: &str) -> Option<ChainPerson> {
    Some(match word {
        "i" | "me" | "my" | "mine" | "myself" => ChainPerson::First,
        "we" | "us" | "our" | "ours" | "ourselves" => ChainPerson::FirstPlural,
        "you" | "your" | "yours" | "yourself" | "yourselves" => ChainPerson::Second,
        _ => return None,
    })
}

/// The chain kind of a third-person pronoun that no named entity takes.
fn third_person(referent: Referent) -> Option<ChainPerson> {
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
fn self_introduction(
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

/// Passes 3 and 4, in one left-to-right sweep: titles change role spans in place;
/// pronouns and descriptions come back as new spans; first- and second-person pronouns
/// outside quotations form chains of their own, or join the person the first person
/// introduces itself as.
fn titles_and_pronouns(doc: &mut Doc) -> (Vec<EntitySpan>, Vec<Chain>, Vec<Group>) {
    let mut clusters = clusters(doc);
    // The span starting at each token, if any; and which tokens spans cover.
    let mut span_at: Vec<Option<usize>> = vec![None; doc.tokens.len()];
    let mut covered = vec![false; doc.tokens.len()];
    for (i, span) in doc.entities.iter().enumerate() {
        span_at[span.tokens.start] = Some(i);
        for t in span.tokens.clone() {
            covered[t] = true;
        }
    }
    let speakers = quote_speakers(doc, &span_at);
    let mut seen: Vec<Seen> = Vec::new();
    let mut added = Vec::new();
    // Unquoted first and second person, by chain, and who the first person says it is.
    let mut persons: BTreeMap<ChainPerson, Vec<usize>> = BTreeMap::new();
    let mut introduced: Option<(EntityType, String)> = None;
    // Third-person pronouns with no named antecedent: (chain, sentence, token).
    let mut unnamed: Vec<(ChainPerson, usize, usize)> = Vec::new();
    let mut groups = Vec::new();
    for (s, sentence) in doc.sentences.clone().iter().enumerate() {
        let mut t = sentence.tokens.start;
        while t < sentence.tokens.end {
            if let Some(i) = span_at[t] {
                if doc.entities[i].kind == EntityType::Role
                    && t > sentence.tokens.start
                    && is_the(doc, t - 1)
                {
                    resolve_title(doc, i, s, &seen, &clusters);
                }
                let span = &doc.entities[i];
                let end = span.tokens.end;
                if span.kind != EntityType::Role {
                    let key = key_of(doc, span);
                    clusters.entry(key.clone()).or_default();
                    seen.push(Seen {
                        token: t,
                        end,
                        sentence: s,
                        key,
                    });
                }
                t = end;
                continue;
            }
            let word = doc.token_text(t).to_lowercase();
            // "US" is the country, not "us"; the POS layer may not know that.
            // A quoted *I* with a named speaker is that speaker (below); every other first-
            // and second-person pronoun, quoted or not, joins its person's chain (on GUM
            // train, counting quoted ones raised CoNLL F1 from 61.00 to 61.77).
            let speaker_i = |p: &ChainPerson| *p == ChainPerson::First && speakers[t].is_some();
            let person = person_of(&word).filter(|p| {
                !covered[t] && !speaker_i(p) && doc.token_text(t) != "US" && is_pronoun_tag(doc, t)
            });
            if let Some(person) = person {
                if person == ChainPerson::First && introduced.is_none() {
                    introduced = self_introduction(doc, t, &span_at);
                }
                persons.entry(person).or_default().push(t);
                t += 1;
                continue;
            }
            if let Some((len, members)) =
                group_description(doc, t, s, sentence.tokens.end, &covered, &seen, &clusters)
            {
                added.push(new_span(
                    doc,
                    t..t + len,
                    &members[0],
                    ResolvedBy::Title,
                    0.55,
                ));
                for key in &members {
                    seen.push(Seen {
                        token: t,
                        end: t + len,
                        sentence: s,
                        key: key.clone(),
                    });
                }
                groups.push(Group {
                    tokens: t..t + len,
                    members,
                });
                t += len;
                continue;
            }
            if let Some((referent, object)) =
                pronoun(&word).filter(|_| !covered[t] && is_pronoun_tag(doc, t))
            {
                let pleonastic = word == "it" && pleonastic_it(doc, t, sentence.tokens.end);
                let found = if referent == Referent::Speaker {
                    speakers[t].map(|i| key_of(doc, &doc.entities[i]))
                } else if pleonastic {
                    None
                } else {
                    antecedent(doc, t, s, referent, object, &seen, &clusters)
                };
                if let Some(key) = found {
                    if let Referent::Person(gender) = referent {
                        let cluster = clusters.get_mut(&key).expect("antecedents are clusters");
                        cluster.gender.get_or_insert(gender);
                    }
                    added.push(new_span(doc, t..t + 1, &key, ResolvedBy::Pronoun, 0.6));
                    seen.push(Seen {
                        token: t,
                        end: t + 1,
                        sentence: s,
                        key,
                    });
                } else if let Some(person) = third_person(referent).filter(|_| !pleonastic) {
                    unnamed.push((person, s, t));
                }
            } else if word == "the" && t + 1 < sentence.tokens.end && !covered[t + 1] {
                let found = description(doc, t, s, sentence.tokens.end, &seen)
                    .or_else(|| role_holder(doc, t, s, sentence.tokens.end, &seen, &clusters));
                if let Some(key) = found {
                    added.push(new_span(doc, t..t + 2, &key, ResolvedBy::Title, 0.55));
                    seen.push(Seen {
                        token: t,
                        end: t + 2,
                        sentence: s,
                        key,
                    });
                    t += 2;
                    continue;
                }
            }
            t += 1;
        }
    }
    let mut chains = Vec::new();
    // Unresolved third-person pronouns: each joins the chain of the last one of its kind
    // when that is at most UNNAMED_GAP sentences back, else starts a chain.
    let mut open: BTreeMap<ChainPerson, (usize, usize)> = BTreeMap::new();
    let mut third: Vec<Chain> = Vec::new();
    for (person, s, t) in unnamed {
        match open.get_mut(&person) {
            Some((last, chain)) if s - *last <= UNNAMED_GAP => {
                third[*chain].mentions.push(t..t + 1);
                *last = s;
            }
            _ => {
                open.insert(person, (s, third.len()));
                third.push(Chain {
                    person,
                    mentions: std::iter::once(t..t + 1).collect(),
                });
            }
        }
    }
    for (person, tokens) in persons {
        match &introduced {
            Some(key) if person == ChainPerson::First => {
                added.extend(
                    tokens
                        .into_iter()
                        .map(|t| new_span(doc, t..t + 1, key, ResolvedBy::Pronoun, 0.6)),
                );
            }
            _ => chains.push(Chain {
                person,
                mentions: tokens.into_iter().map(|t| t..t + 1).collect(),
            }),
        }
    }
    chains.extend(third);
    // Spans must reach `add_entities` in document order.
    added.sort_by_key(|span| span.tokens.start);
    (added, chains, groups)
}

/// Verbs that attribute a quotation to its speaker.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "asked",
    "explained",
    "stated",
    "wrote",
    "insisted",
    "replied",
    "continued",
    "noted",
    "recalled",
];

/// For each token inside a quotation attributed to a named person (*"I will stay," Asif
/// said*; *Asif said: "I will stay."*), that person's span; `None` elsewhere. A straight
/// quote mark opens or closes by turns; curly ones say which they do. Attribution: a
/// person next to a speech verb within four tokens after the closing mark, else before
/// the opening one.
fn quote_speakers(doc: &Doc, span_at: &[Option<usize>]) -> Vec<Option<usize>> {
    let mut out = vec![None; doc.tokens.len()];
    let mut open: Option<usize> = None;
    let mut quotes = Vec::new();
    for t in 0..doc.tokens.len() {
        match (doc.token_text(t), open) {
            ("“" | "\"" | "``", None) => open = Some(t),
            ("”" | "\"" | "''", Some(start)) => {
                quotes.push((start, t));
                open = None;
            }
            _ => {}
        }
    }
    let person_at = |t: usize| {
        span_at
            .get(t)
            .copied()
            .flatten()
            .filter(|&i| doc.entities[i].kind == EntityType::Person)
    };
    // The person span ending at each token.
    let mut person_ending = vec![None; doc.tokens.len()];
    for (i, e) in doc
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EntityType::Person)
    {
        person_ending[e.tokens.end - 1] = Some(i);
    }
    let is_speech = |t: usize| {
        t < doc.tokens.len() && SPEECH_VERBS.contains(&doc.token_text(t).to_lowercase().as_str())
    };
    for (start, end) in quotes {
        let after = (end + 1..(end + 5).min(doc.tokens.len())).find_map(|t| {
            let i = person_at(t)?;
            let next = doc.entities[i].tokens.end;
            (is_speech(next) || (t > 0 && is_speech(t - 1))).then_some(i)
        });
        let before = || {
            (start.saturating_sub(4)..start).rev().find_map(|t| {
                let verb = (t + 1..start).any(is_speech);
                person_ending[t].filter(|_| verb)
            })
        };
        if let Some(speaker) = after.or_else(before) {
            for slot in &mut out[start + 1..end] {
                *slot = Some(speaker);
            }
        }
    }
    out
}

/// Whether the POS layer (when there is one) agrees that a token is a pronoun.
fn is_pronoun_tag(doc: &Doc, t: usize) -> bool {
    doc.pos
        .get(t)
        .is_none_or(|p| matches!(p.upos, "PRON" | "DET"))
}

fn new_span(
    doc: &Doc,
    tokens: std::ops::Range<usize>,
    key: &(EntityType, String),
    rule: ResolvedBy,
    confidence: f32,
) -> EntitySpan {
    EntitySpan {
        start: doc.tokens[tokens.start].start,
        end: doc.tokens[tokens.end - 1].end,
        tokens,
        kind: key.0,
        confidence,
        source: "coref",
        canonical: Some(key.1.clone()),
        external_ids: BTreeMap::new(),
        resolved_by: Some(rule),
    }
}

/// *The secretary*: a role after *the*, not itself a title before a name or an *of*
/// phrase, is the person last seen holding a role with its main word.
fn resolve_title(
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
fn role_holder(
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
fn description(
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
fn group_description(
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

/// The cluster a pronoun at token `t` of sentence `s` refers to: among compatible
/// clusters mentioned in the window, the most salient (see [`DECAY`]); a reflexive takes
/// the nearest mention of its sentence.
fn antecedent(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::default_pipeline;
    use kith_schema::DocId;

    /// Runs the rule pipeline (which includes coreference) and returns every span as
    /// (text, kind, entity name, rule).
    fn spans(text: &str) -> Vec<(String, EntityType, String, Option<ResolvedBy>)> {
        let mut doc = Doc::new(DocId("t".into()), text, "test");
        default_pipeline().run(&mut doc);
        doc.entities
            .iter()
            .map(|e| {
                (
                    doc.span_text(e).to_string(),
                    e.kind,
                    entity_name(&doc, e),
                    e.resolved_by,
                )
            })
            .collect()
    }

    fn resolved<'a>(
        found: &'a [(String, EntityType, String, Option<ResolvedBy>)],
        text: &str,
    ) -> Vec<&'a str> {
        found
            .iter()
            .filter(|(t, ..)| t == text)
            .map(|(_, _, name, _)| name.as_str())
            .collect()
    }

    #[test]
    fn pronouns_agree_in_gender() {
        let found = spans("Mr. Adeyemi met Mrs. Okafor in Lagos. She said he would return.");
        assert_eq!(resolved(&found, "She"), ["Okafor"]);
        assert_eq!(resolved(&found, "he"), ["Adeyemi"]);
    }

    #[test]
    fn given_names_and_earlier_pronouns_give_gender() {
        let found = spans("Susan Whitfield called Robert Hale on Monday. He thanked her. Whitfield said she was pleased.");
        assert_eq!(resolved(&found, "He"), ["Robert Hale"]);
        assert_eq!(resolved(&found, "her"), ["Susan Whitfield"]);
        assert_eq!(resolved(&found, "she"), ["Susan Whitfield"]);
    }

    #[test]
    fn no_resolution_across_incompatible_gender_or_number() {
        // Only a woman is named: "he" has no antecedent; "it" never refers to a person.
        let found =
            spans("Mrs. Okafor arrived in Lagos on Monday. He was not there and it was late.");
        assert!(resolved(&found, "He").is_empty(), "{found:?}");
        assert!(resolved(&found, "it").is_empty(), "{found:?}");
        // A pronoun too far from any name stays unresolved.
        let text = format!(
            "Mr. Adeyemi spoke. {}He slept.",
            "The rain fell. ".repeat(WINDOW + 1)
        );
        let found = spans(&text);
        assert!(resolved(&found, "He").is_empty(), "{found:?}");
    }

    #[test]
    fn the_secretary_is_the_person_with_that_role() {
        let found = spans("Secretary of State Marco Rubio met the ambassador. The secretary later spoke with reporters.");
        let secretary: Vec<_> = found
            .iter()
            .filter(|(t, ..)| t == "The secretary")
            .collect();
        assert_eq!(secretary.len(), 1, "{found:?}");
        assert_eq!(secretary[0].1, EntityType::Person);
        assert_eq!(secretary[0].2, "Marco Rubio");
        assert_eq!(secretary[0].3, Some(ResolvedBy::Title));
        // The gazetteer's capitalised role after "the" is changed in place.
        let found = spans(
            "Defence Minister Khawaja Asif spoke on Friday. Later the Minister denied the claim.",
        );
        assert_eq!(resolved(&found, "Minister"), ["Khawaja Asif"], "{found:?}");
        // No one named with the role: nothing to resolve.
        let found = spans("Khawaja Asif spoke on Friday. Later the secretary denied the claim.");
        assert!(resolved(&found, "the secretary").is_empty(), "{found:?}");
    }

    #[test]
    fn acronyms_join_their_long_form() {
        let found =
            spans("Officials blamed Lashkar-e-Taiba for the attack. A LeT commander denied it.");
        let let_span: Vec<_> = found.iter().filter(|(t, ..)| t == "LeT").collect();
        assert_eq!(let_span.len(), 1, "{found:?}");
        assert_eq!(let_span[0].2, "Lashkar-e-Taiba");
        assert_eq!(let_span[0].3, Some(ResolvedBy::Acronym));
        // Country short forms come from the gazetteer.
        let found = spans("The United States and the US Navy.");
        assert!(
            found
                .iter()
                .any(|(t, k, n, _)| t == "US" && *k == EntityType::Country && n == "United States"),
            "{found:?}"
        );
    }

    #[test]
    fn it_and_they_refer_to_organisations_and_countries() {
        let found = spans("Pakistan rejected the claim. It said the investigation was biased.");
        assert_eq!(resolved(&found, "It"), ["Pakistan"]);
        let found = spans("The Ministry of Finance published figures on Monday. Later they revised their estimate.");
        assert_eq!(resolved(&found, "they"), ["Ministry of Finance"]);
        assert_eq!(resolved(&found, "their"), ["Ministry of Finance"]);
        // "it" as a dummy subject is left alone.
        let found = spans("Pakistan rejected the claim. It is unclear what happens next.");
        assert!(resolved(&found, "It").is_empty(), "{found:?}");
        // "It is" refers unless a that/to/wh clause follows.
        let found = spans("Pakistan rejected the claim. It is a sovereign state.");
        assert_eq!(resolved(&found, "It"), ["Pakistan"]);
        let found = spans("Pakistan rejected the claim. It is likely to rain. It seems odd.");
        assert!(resolved(&found, "It").is_empty(), "{found:?}");
        // A reflexive takes the nearest fitting mention.
        let found = spans("Acme Corporation said Pakistan had hurt itself.");
        assert_eq!(resolved(&found, "itself"), ["Pakistan"]);
    }

    #[test]
    fn short_event_names_join_the_full_name() {
        let found = spans("Hurricane Maria reached the coast. Maria weakened on Monday.");
        assert_eq!(resolved(&found, "Maria"), ["Hurricane Maria"]);
        let found =
            spans("She swam at the Commonwealth Games in Glasgow. The Games ended on Sunday.");
        assert_eq!(resolved(&found, "Games"), ["Commonwealth Games"]);
    }

    #[test]
    fn descriptions_refer_to_named_events() {
        let found = spans(
            "Hurricane Maria reached the coast on Monday. Officials said the storm had weakened.",
        );
        assert_eq!(resolved(&found, "the storm"), ["Hurricane Maria"]);
        let found =
            spans("Critics praised the Cannes Film Festival in May. The festival ends on Sunday.");
        assert_eq!(resolved(&found, "The festival"), ["Cannes Film Festival"]);
        // A war is no festival.
        let found = spans("Veterans of the Korean War met in Seoul. The festival began later.");
        assert!(resolved(&found, "The festival").is_empty(), "{found:?}");
    }

    #[test]
    fn descriptions_refer_to_the_last_fitting_name() {
        let found = spans(
            "The State Department issued a statement. Later the department declined to comment.",
        );
        assert_eq!(resolved(&found, "the department"), ["State Department"]);
        // A government body is not "the group".
        let found =
            spans("The State Department issued a statement. Later the group declined to comment.");
        assert!(resolved(&found, "the group").is_empty(), "{found:?}");
        // Followed by a name, "the group" introduces it rather than referring back.
        let found = spans("Acme Corporation said the group Blue Front was banned.");
        assert!(resolved(&found, "the group").is_empty(), "{found:?}");
    }

    #[test]
    fn group_descriptions_refer_to_several_names() {
        // A coordination of as many names of the type: one span per member, same words.
        let found = spans(
            "Kenya and Ghana signed a trade pact. Mr. Bello urged both countries to lower tariffs.",
        );
        assert_eq!(
            resolved(&found, "both countries"),
            ["Kenya", "Ghana"],
            "{found:?}"
        );
        assert!(found
            .iter()
            .filter(|(t, ..)| t == "both countries")
            .all(|(_, k, _, r)| *k == EntityType::Country && *r == Some(ResolvedBy::Title)));
        // The latest names of the type, when nothing else of the type shares their sentence.
        let found = spans("Kenya accused Ghana of spying. Both countries recalled their envoys.");
        assert_eq!(
            resolved(&found, "Both countries"),
            ["Kenya", "Ghana"],
            "{found:?}"
        );
        let found =
            spans("Mr. Adeyemi thanked Mrs. Okafor and Mr. Bello. The two men left together.");
        assert_eq!(
            resolved(&found, "The two men"),
            ["Adeyemi", "Bello"],
            "a woman is not one of two men: {found:?}"
        );
        let found =
            spans("Kenya, Ghana and Togo signed a pact. The three countries will meet again.");
        assert_eq!(
            resolved(&found, "The three countries"),
            ["Kenya", "Ghana", "Togo"],
            "{found:?}"
        );
        // Ambiguous or wrong in number: nothing.
        for (text, group) in [
            (
                "Kenya, Ghana and Togo signed a pact. Mr. Bello urged both countries to act.",
                "both countries",
            ),
            (
                "Kenya accused Ghana of spying, Togo said. Both countries denied it.",
                "Both countries",
            ),
            (
                "Kenya signed a pact. Both countries gained.",
                "Both countries",
            ),
            // A name after the noun names the group there.
            (
                "Kenya and Ghana met. Both countries Togo and Benin stayed away.",
                "Both countries",
            ),
        ] {
            let found = spans(text);
            assert!(resolved(&found, group).is_empty(), "{text}: {found:?}");
        }
    }

    /// The default pipeline's facts of `text`, with each relation as (subject, predicate,
    /// object) names, so that tests can look a relation up by what a reader sees.
    fn facts_and_triples(
        text: &str,
    ) -> (kith_schema::DocumentFacts, Vec<(String, String, String)>) {
        let mut doc = Doc::new(DocId("t".into()), text, "test");
        let facts = default_pipeline().extract(&mut doc);
        let names = facts
            .relations
            .iter()
            .map(|r| {
                (
                    facts.entities[r.subject].name.clone(),
                    r.predicate.clone(),
                    facts.entities[r.object].name.clone(),
                )
            })
            .collect();
        (facts, names)
    }

    #[test]
    fn a_group_mention_gives_each_member_the_relation() {
        let (facts, names) = facts_and_triples(
            "Kenya and Ghana signed a trade pact. Mr. Bello urged both countries to lower tariffs.",
        );
        for country in ["Kenya", "Ghana"] {
            assert!(
                names.contains(&("Bello".into(), "urge".into(), country.into())),
                "{names:?}"
            );
        }
        // A description is a mention of each member, never an alias.
        let kenya = facts.entities.iter().find(|e| e.name == "Kenya").unwrap();
        assert!(
            kenya
                .mentions
                .iter()
                .any(|m| &*m.text == "both countries" && m.resolved_by == Some(ResolvedBy::Title)),
            "{kenya:?}"
        );
        assert!(kenya.aliases.is_empty(), "{:?}", kenya.aliases);
    }

    #[test]
    fn a_role_qualified_by_a_group_is_one_role_per_member() {
        // Each role is of its own country, not of the other member.
        let (_, names) = facts_and_triples(
            "Kenya and Ghana signed a pact. Mr. Bello met the foreign ministers of both countries.",
        );
        for country in ["Kenya", "Ghana"] {
            let role = format!("Foreign Minister of {country}");
            assert!(
                names.contains(&("Bello".into(), "meet".into(), role.clone())),
                "{names:?}"
            );
            assert!(
                names.contains(&(role.clone(), "position-of".into(), country.into())),
                "{names:?}"
            );
        }
        assert!(
            !names.contains(&(
                "Foreign Minister of Kenya".into(),
                "position-of".into(),
                "Ghana".into()
            )),
            "{names:?}"
        );
    }

    #[test]
    fn first_person_in_quotes_is_the_speaker() {
        let found = spans("\"I will not resign,\" Khawaja Asif said. Tammy Bruce said: \"My office is open.\" I disagree.");
        let i: Vec<_> = found
            .iter()
            .filter(|(t, ..)| t == "I")
            .map(|(_, _, n, _)| n.as_str())
            .collect();
        assert_eq!(
            i,
            ["Khawaja Asif"],
            "the unquoted I has no speaker: {found:?}"
        );
        assert_eq!(resolved(&found, "My"), ["Tammy Bruce"]);
    }

    /// Runs the rule pipeline and returns each unnamed chain as its kind and mention texts.
    fn chains(text: &str) -> Vec<(ChainPerson, Vec<String>)> {
        let mut doc = Doc::new(DocId("t".into()), text, "test");
        default_pipeline().run(&mut doc);
        let text_of = |m: &std::ops::Range<usize>| {
            doc.text[doc.tokens[m.start].start..doc.tokens[m.end - 1].end].to_string()
        };
        doc.coref
            .iter()
            .map(|c| (c.person, c.mentions.iter().map(text_of).collect()))
            .collect()
    }

    #[test]
    fn unnamed_first_and_second_person_form_chains() {
        let found = chains("I grew up in Lagos. My father taught us to swim, and we loved it. Have you been? Your city is far.");
        let of = |p: ChainPerson| {
            found
                .iter()
                .find(|(q, _)| *q == p)
                .map(|(_, m)| m.clone())
                .unwrap_or_default()
        };
        assert_eq!(of(ChainPerson::First), ["I", "My"], "{found:?}");
        assert_eq!(of(ChainPerson::FirstPlural), ["us", "we"], "{found:?}");
        assert_eq!(of(ChainPerson::Second), ["you", "Your"], "{found:?}");
        // "US" in capitals is the country, not "us".
        let found = chains("The US rejected it.");
        assert!(
            found.iter().all(|(p, _)| *p != ChainPerson::FirstPlural),
            "{found:?}"
        );
    }

    #[test]
    fn unnamed_chains_never_become_graph_entities() {
        let mut doc = Doc::new(
            DocId("t".into()),
            "I visited Lagos. I liked my stay, and you would too.",
            "test",
        );
        let facts = default_pipeline().extract(&mut doc);
        assert!(!doc.coref.is_empty());
        assert!(
            facts
                .entities
                .iter()
                .all(|e| !["I", "my", "you"].contains(&e.name.as_str())),
            "{:?}",
            facts.entities
        );
    }

    #[test]
    fn a_quoted_i_with_a_speaker_is_not_the_author() {
        let found = chains("I disagree. \"I will not resign,\" Khawaja Asif said. Then I left.");
        assert_eq!(
            found,
            [(ChainPerson::First, vec!["I".to_string(), "I".to_string()])]
        );
    }

    #[test]
    fn self_introductions_name_the_first_person() {
        for text in [
            "Hello, I'm Mrs. Adaeze Okafor. I run a bakery and my shop is open.",
            "My name is Mrs. Adaeze Okafor. I run a bakery.",
        ] {
            let found = spans(text);
            let first: Vec<_> = found
                .iter()
                .filter(|(t, ..)| ["I", "my", "My"].contains(&t.as_str()))
                .collect();
            assert!(!first.is_empty(), "{found:?}");
            assert!(
                first.iter().all(|(_, k, n, r)| *k == EntityType::Person
                    && n.contains("Okafor")
                    && *r == Some(ResolvedBy::Pronoun)),
                "{found:?}"
            );
            assert!(
                chains(text).iter().all(|(p, _)| *p != ChainPerson::First),
                "{text}"
            );
        }
    }

    #[test]
    fn unresolved_third_person_pronouns_chain_when_close() {
        // No named man: the two "he" a sentence apart form one chain; a "he" many
        // sentences later starts another.
        let text = format!(
            "The old man walked in. He sat down. Then he slept. {}He woke.",
            "Rain fell. ".repeat(UNNAMED_GAP + 1)
        );
        let found = chains(&text);
        let he: Vec<_> = found
            .iter()
            .filter(|(p, _)| *p == ChainPerson::Masculine)
            .map(|(_, m)| m.len())
            .collect();
        assert_eq!(he, [2, 1], "{found:?}");
        // A dummy "it" joins no chain; a referring one does.
        let found =
            chains("The box arrived. It is likely that rain fell. We opened it and its lid broke.");
        let it: Vec<_> = found
            .iter()
            .filter(|(p, _)| *p == ChainPerson::Neuter)
            .map(|(_, m)| m.clone())
            .collect();
        assert_eq!(it, [vec!["it".to_string(), "its".to_string()]], "{found:?}");
    }

    /// A run-on "sentence" with thousands of names and pronouns: every pronoun still finds
    /// its antecedent among the latest candidates (the bound that keeps this linear).
    #[test]
    fn run_on_sentences_stay_bounded() {
        let text = "Mr. Adeyemi met Mrs. Okafor and he thanked her and ".repeat(3_000);
        let mut doc = Doc::new(DocId("t".into()), text, "test");
        default_pipeline().run(&mut doc);
        assert_eq!(doc.sentences.len(), 1);
        let pronouns = doc
            .entities
            .iter()
            .filter(|e| e.resolved_by == Some(ResolvedBy::Pronoun))
            .count();
        assert_eq!(pronouns, 6_000);
        assert!(doc
            .entities
            .iter()
            .filter(|e| doc.span_text(e) == "her")
            .all(|e| e.canonical.as_deref() == Some("Okafor")));
    }

    #[test]
    fn object_pronouns_skip_their_own_subject() {
        let found = spans("Mr. Adeyemi spoke on Monday. Mr. Bello told him to wait.");
        assert_eq!(resolved(&found, "him"), ["Adeyemi"]);
    }

    #[test]
    fn resolved_pronouns_give_relations() {
        let (facts, names) =
            facts_and_triples("Mr. Adeyemi arrived in Abuja. He met with Mrs. Okafor.");
        assert!(
            names.contains(&("Adeyemi".into(), "meet".into(), "Okafor".into())),
            "{names:?}"
        );
        let adeyemi = facts.entities.iter().find(|e| e.name == "Adeyemi").unwrap();
        assert_eq!(adeyemi.mentions.len(), 2);
        assert_eq!(adeyemi.mentions[1].resolved_by, Some(ResolvedBy::Pronoun));
        assert!(
            adeyemi.aliases.is_empty(),
            "a pronoun is not an alias: {:?}",
            adeyemi.aliases
        );
    }

    #[test]
    fn partial_names_of_any_tagger_join_the_full_name() {
        let mut doc = Doc::new(DocId("t".into()), "Marco Rubio spoke. Rubio left.", "test");
        crate::Tokenizer.process(&mut doc);
        let rubio = doc
            .tokens
            .iter()
            .position(|t| &doc.text[t.start..t.end] == "Rubio" && t.start > 10)
            .unwrap();
        let span = |tokens: std::ops::Range<usize>, doc: &Doc| EntitySpan {
            start: doc.tokens[tokens.start].start,
            end: doc.tokens[tokens.end - 1].end,
            tokens,
            kind: EntityType::Location,
            confidence: 0.9,
            source: "ner",
            canonical: None,
            external_ids: BTreeMap::new(),
            resolved_by: None,
        };
        let mut full = span(0..2, &doc);
        full.kind = EntityType::Person;
        let partial = span(rubio..rubio + 1, &doc);
        doc.add_entities(vec![full, partial]);
        Coreference.process(&mut doc);
        let last = doc
            .entities
            .iter()
            .find(|e| e.tokens.start == rubio)
            .unwrap();
        assert_eq!(
            (last.kind, last.canonical.as_deref(), last.resolved_by),
            (
                EntityType::Person,
                Some("Marco Rubio"),
                Some(ResolvedBy::PartialName)
            )
        );
    }
}
