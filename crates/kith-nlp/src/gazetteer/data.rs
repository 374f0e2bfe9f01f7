//! The gazetteer's data: countries and roles, and the parsers of the TSV files they are
//! read from (compiled in from `data/gazetteer/`).

use crate::normalise;
use std::collections::BTreeMap;

pub(super) const COUNTRIES_TSV: &str = include_str!("../../../../data/gazetteer/countries.tsv");

pub(super) const COUNTRY_VARIANTS_TSV: &str =
    include_str!("../../../../data/gazetteer/country-variants.tsv");

pub(super) const ROLES_TSV: &str = include_str!("../../../../data/gazetteer/roles.tsv");

/// Key of the ISO 3166-1 alpha-2 code in [`EntitySpan::external_ids`](crate::EntitySpan::external_ids).
pub const ALPHA2_ID: &str = "iso3166-1:alpha2";

/// Key of the ISO 3166-1 alpha-3 code in [`EntitySpan::external_ids`](crate::EntitySpan::external_ids).
pub const ALPHA3_ID: &str = "iso3166-1:alpha3";

/// A country (or other ISO 3166-1 territory).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code, `IN`.
    pub alpha2: String,
    /// ISO 3166-1 alpha-3 code, `IND`.
    pub alpha3: String,
    /// ISO 3166-1 numeric code, zero-padded: `356`, `004`.
    pub numeric: String,
    /// Canonical English short name: `India`, `United States`, `United Kingdom`.
    pub name: String,
    /// Official long name: `The Republic of India`.
    pub official_name: String,
    /// Other names: `Great Britain`, `UK`, `Britain`, `U.S.` ...
    pub variants: Vec<String>,
    /// Nationality words and their plurals: `Indian`, `Indians`.
    pub demonyms: Vec<String>,
}

impl Country {
    /// `iso3166-1:alpha2` and `iso3166-1:alpha3` → the codes.
    pub fn external_ids(&self) -> BTreeMap<String, String> {
        BTreeMap::from([
            (ALPHA2_ID.to_string(), self.alpha2.clone()),
            (ALPHA3_ID.to_string(), self.alpha3.clone()),
        ])
    }
}

/// A role or title: `foreign minister`, `spokesperson`, `CEO`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    /// The normalised form, lower case except acronyms: `foreign minister`.
    pub role: String,
    /// `government`, `diplomatic`, `military`, `media`, `business`, ...
    pub class: String,
    /// The title reported for it: `Foreign Minister`.
    pub canonical: String,
    /// The plural forms matched too: `foreign ministers`.
    pub plurals: Vec<String>,
    /// Matches only when capitalised in the text (`General`, not `general`).
    pub needs_capital: bool,
}

/// An error in gazetteer data: which file, which line, what.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct GazetteerError {
    /// The file.
    pub file: String,
    /// The line, from 1.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Data rows of a TSV: skips `#` comments, blank lines and the header (first column
/// `header`); yields 1-based line numbers and trimmed columns.
pub(super) fn rows<'a>(
    text: &'a str,
    header: &'a str,
) -> impl Iterator<Item = (usize, Vec<&'a str>)> + 'a {
    text.lines().enumerate().filter_map(move |(i, line)| {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            return None;
        }
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        (cols[0] != header).then_some((i + 1, cols))
    })
}

fn split_list(column: &str) -> Vec<String> {
    column
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

pub(super) fn parse_countries(text: &str) -> Result<Vec<Country>, GazetteerError> {
    let mut countries = Vec::new();
    for (line, cols) in rows(text, "alpha2") {
        let err = |message: String| GazetteerError {
            file: "countries.tsv".into(),
            line,
            message,
        };
        if cols.len() < 5 || cols.len() > 7 {
            return Err(err(format!(
                "expected 5 to 7 columns, found {}",
                cols.len()
            )));
        }
        let code_ok = |c: &str, n: usize| c.len() == n && c.bytes().all(|b| b.is_ascii_uppercase());
        if !code_ok(cols[0], 2) || !code_ok(cols[1], 3) {
            return Err(err(format!("bad ISO codes {:?} {:?}", cols[0], cols[1])));
        }
        if cols[3].is_empty() {
            return Err(err("empty name".into()));
        }
        countries.push(Country {
            alpha2: cols[0].to_string(),
            alpha3: cols[1].to_string(),
            numeric: cols[2].to_string(),
            name: cols[3].to_string(),
            official_name: cols[4].to_string(),
            variants: cols.get(5).map(|c| split_list(c)).unwrap_or_default(),
            demonyms: cols.get(6).map(|c| split_list(c)).unwrap_or_default(),
        });
    }
    countries.sort_by(|a, b| a.alpha2.cmp(&b.alpha2));
    Ok(countries)
}

pub(super) fn parse_roles(text: &str) -> Result<Vec<Role>, GazetteerError> {
    let mut roles = Vec::new();
    for (line, cols) in rows(text, "role") {
        let err = |message: String| GazetteerError {
            file: "roles.tsv".into(),
            line,
            message,
        };
        let col = |i: usize| cols.get(i).copied().unwrap_or("");
        let role = normalise::name(col(0));
        if role.is_empty() || col(1).is_empty() {
            return Err(err("a role needs a form and a class".into()));
        }
        let flags: Vec<&str> = col(4).split([',', ' ']).filter(|f| !f.is_empty()).collect();
        if let Some(bad) = flags.iter().find(|f| **f != "cap") {
            return Err(err(format!("unknown flag {bad:?}")));
        }
        let plurals = match split_list(col(3)) {
            p if p.is_empty() => plural_of_role(&role).into_iter().collect(),
            p => p,
        };
        roles.push(Role {
            canonical: if col(2).is_empty() {
                title_case(&role)
            } else {
                col(2).to_string()
            },
            class: col(1).to_string(),
            plurals,
            needs_capital: flags.contains(&"cap"),
            role,
        });
    }
    Ok(roles)
}

/// `foreign minister` → `Foreign Minister`; `secretary of state` → `Secretary of State`;
/// acronyms stay as they are (`CEO`).
pub fn title_case(role: &str) -> String {
    const SMALL: [&str; 7] = ["of", "and", "the", "for", "in", "on", "to"];
    let mut out = String::with_capacity(role.len());
    for (i, word) in role.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let parts: Vec<String> = word
            .split('-')
            .enumerate()
            .map(|(j, part)| {
                if (i > 0 || j > 0) && SMALL.contains(&part) {
                    return part.to_string();
                }
                let mut chars = part.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect(),
                    None => String::new(),
                }
            })
            .collect();
        out.push_str(&parts.join("-"));
    }
    out
}

/// The plural of a role: the word before the first `of` takes it, else the last word.
pub(super) fn plural_of_role(role: &str) -> Option<String> {
    if role.ends_with('.') {
        return None;
    }
    let mut words: Vec<&str> = role.split(' ').collect();
    let head = words
        .iter()
        .position(|w| *w == "of")
        .map_or(words.len() - 1, |i| i.saturating_sub(1));
    let plural = plural_of_word(words[head]);
    words[head] = &plural;
    Some(words.join(" "))
}

fn plural_of_word(word: &str) -> String {
    let consonant_y =
        word.ends_with('y') && !word[..word.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    if let Some(stem) = word.strip_suffix("man") {
        format!("{stem}men")
    } else if consonant_y {
        format!("{}ies", &word[..word.len() - 1])
    } else if word.ends_with(['s', 'x', 'z']) || word.ends_with("ch") || word.ends_with("sh") {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}
