//! What the resolver knows of each entity the document names: the gender its given name
//! or an honorific shows, and the roles it was named with.

use super::key_of;
use crate::{Doc, EntitySpan};
use kith_schema::EntityType;
use std::collections::BTreeMap;

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

pub(super) const MALE_HONORIFICS: &[&str] = &["Mr", "Mr.", "Sir", "Lord", "Mister"];

pub(super) const FEMALE_HONORIFICS: &[&str] =
    &["Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Dame", "Lady", "Madam"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Gender {
    Unknown,
    Male,
    Female,
}

/// What the resolver knows of one entity of the document.
#[derive(Default)]
pub(super) struct Cluster {
    pub gender: Option<Gender>,
    /// Head words of roles its person was named with (`secretary`, `minister`).
    pub roles: Vec<String>,
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
pub(super) fn clusters(doc: &Doc) -> BTreeMap<(EntityType, String), Cluster> {
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
pub(super) fn role_head(doc: &Doc, role: &EntitySpan) -> Option<String> {
    let words: Vec<String> = doc
        .entity_name(role)
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    match words.iter().position(|w| w == "of") {
        Some(of) if of > 0 => Some(words[of - 1].clone()),
        _ => words.last().cloned(),
    }
}
