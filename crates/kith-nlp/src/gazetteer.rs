//! The gazetteer: countries (with ISO 3166-1 codes, variant names and demonyms) and role
//! titles, and [`GazetteerTagger`], the pipeline component that tags them in a [`Doc`].
//!
//! The built-in gazetteer is compiled in from `data/gazetteer/` with `include_str!`, so
//! nothing is read from disk at run time:
//! * `countries.tsv`, generated from the `keshvar` crate by
//!   `cargo run -p kith-nlp --example generate_gazetteer`;
//! * `country-variants.tsv`, hand-written news forms (`U.S.`, `Britain`, ...) and
//!   *block* phrases (`Indian Ocean`) that stop a shorter match inside them;
//! * `roles.tsv`, hand-written role and title words.
//!
//! Case rules, the same for text and for [`Gazetteer::lookup_country`]:
//! * a form with no lower-case letters (`US`, `U.S.`, `UAE`, `CEO`) matches only text of
//!   exactly that case, so the words `us` and `in` never match;
//! * any other form matches ignoring case, except that each of its words written with a
//!   capital must start with a capital in the text (`India`, `INDIA`, not `india`;
//!   `Bosnia and Herzegovina` with any case of `and`);
//! * roles are lower case in `roles.tsv`, so they match in any case (`foreign minister`,
//!   `Foreign Minister`), except those flagged `cap` (`General`), which must be capitalised.

use crate::{Component, Doc, EntitySpan};
use kith_schema::EntityType;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

const COUNTRIES_TSV: &str = include_str!("../../../data/gazetteer/countries.tsv");
const COUNTRY_VARIANTS_TSV: &str = include_str!("../../../data/gazetteer/country-variants.tsv");
const ROLES_TSV: &str = include_str!("../../../data/gazetteer/roles.tsv");

/// Key of the ISO 3166-1 alpha-2 code in [`EntitySpan::external_ids`].
pub const ALPHA2_ID: &str = "iso3166-1:alpha2";
/// Key of the ISO 3166-1 alpha-3 code in [`EntitySpan::external_ids`].
pub const ALPHA3_ID: &str = "iso3166-1:alpha3";

/// Confidence of a country found by one of its names.
pub const COUNTRY_CONFIDENCE: f32 = 0.95;
/// Confidence of a country found by a demonym (`Indian`), a weaker sign of the country.
pub const DEMONYM_CONFIDENCE: f32 = 0.85;
/// Confidence of a role title.
pub const ROLE_CONFIDENCE: f32 = 0.9;

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

/// What a piece of text names, by the gazetteer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum GazetteerMatch<'g> {
    Country { country: &'g Country, demonym: bool },
    Role(&'g Role),
}

/// An error in gazetteer data: which file, which line, what.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct GazetteerError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Country { index: usize, demonym: bool },
    Role(usize),
    Block,
}

#[derive(Clone, Debug)]
struct Entry {
    /// The form as written in the data, whitespace-normalised.
    surface: String,
    target: Target,
    /// The surface has no lower-case letter: the text must be exactly it.
    exact: bool,
    /// Every word must be capitalised in the text (roles flagged `cap`).
    all_capitalised: bool,
}

/// Countries and roles, indexed for lookups of names as written in text.
#[derive(Clone, Debug)]
pub struct Gazetteer {
    countries: Vec<Country>,
    roles: Vec<Role>,
    /// Folded form (lower case, single spaces, `'` apostrophes) → entries, first wins.
    index: HashMap<String, Vec<Entry>>,
    by_code: HashMap<String, usize>,
    /// The most tokens any entry can span (counting each run of letters or digits and
    /// each other character as one token: no tokenizer splits finer).
    max_tokens: usize,
    /// First rough token of every folded entry → the most rough tokens of its entries.
    /// The tagger looks here before building any candidate string, so the many tokens
    /// that start no entry cost one lookup instead of `max_tokens` folded copies.
    first_words: HashMap<String, usize>,
}

impl Gazetteer {
    /// The gazetteer compiled into the crate, parsed once.
    pub fn builtin() -> &'static Gazetteer {
        static BUILTIN: OnceLock<Gazetteer> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Gazetteer::from_tsv(COUNTRIES_TSV, COUNTRY_VARIANTS_TSV, ROLES_TSV)
                .expect("the built-in gazetteer data is valid")
        })
    }

    /// A gazetteer from the text of the three TSV files (formats as in `data/gazetteer/`).
    pub fn from_tsv(
        countries: &str,
        variants: &str,
        roles: &str,
    ) -> Result<Gazetteer, GazetteerError> {
        let mut g = Gazetteer {
            countries: parse_countries(countries)?,
            roles: parse_roles(roles)?,
            index: HashMap::new(),
            by_code: HashMap::new(),
            max_tokens: 1,
            first_words: HashMap::new(),
        };
        for (i, c) in g.countries.iter().enumerate() {
            for code in [&c.alpha2, &c.alpha3] {
                g.by_code.entry(code.clone()).or_insert(i);
            }
        }

        // Hand-written variants first: they take precedence.
        let by_alpha2: HashMap<String, usize> = g
            .countries
            .iter()
            .enumerate()
            .map(|(i, c)| (c.alpha2.clone(), i))
            .collect();
        let mut pending = Vec::new();
        for (line, cols) in rows(variants, "surface") {
            let err = |message: String| GazetteerError {
                file: "country-variants.tsv".into(),
                line,
                message,
            };
            let [surface, alpha2, kind] = cols[..] else {
                return Err(err(format!("expected 3 columns, found {}", cols.len())));
            };
            let target = match kind {
                "block" => Target::Block,
                "name" | "demonym" => {
                    let index = *by_alpha2
                        .get(alpha2)
                        .ok_or_else(|| err(format!("unknown alpha2 code {alpha2:?}")))?;
                    if kind == "name" {
                        push_unique(&mut g.countries[index].variants, surface);
                    } else {
                        push_unique(&mut g.countries[index].demonyms, surface);
                    }
                    Target::Country {
                        index,
                        demonym: kind == "demonym",
                    }
                }
                other => return Err(err(format!("unknown kind {other:?}"))),
            };
            pending.push((surface.to_string(), target, false));
        }
        for (index, c) in g.countries.iter().enumerate() {
            let official = c
                .official_name
                .strip_prefix("The ")
                .unwrap_or(&c.official_name);
            let names = [c.name.as_str(), official]
                .into_iter()
                .chain(c.variants.iter().map(String::as_str));
            for name in names {
                pending.push((
                    name.to_string(),
                    Target::Country {
                        index,
                        demonym: false,
                    },
                    false,
                ));
            }
            for d in &c.demonyms {
                pending.push((
                    d.clone(),
                    Target::Country {
                        index,
                        demonym: true,
                    },
                    false,
                ));
            }
        }
        for (index, r) in g.roles.iter().enumerate() {
            for form in std::iter::once(&r.role).chain(&r.plurals) {
                pending.push((form.clone(), Target::Role(index), r.needs_capital));
            }
        }
        for (surface, target, all_capitalised) in pending {
            g.add(&surface, target, all_capitalised);
        }
        Ok(g)
    }

    fn add(&mut self, surface: &str, target: Target, all_capitalised: bool) {
        let surface = normalise(surface);
        if surface.is_empty() {
            return;
        }
        let rough = rough_token_count(&surface);
        self.max_tokens = self.max_tokens.max(rough);
        let first = first_rough_token(&fold_start(&surface)).to_string();
        let longest = self.first_words.entry(first).or_insert(0);
        *longest = (*longest).max(rough);
        let exact =
            !surface.chars().any(char::is_lowercase) && surface.chars().any(char::is_uppercase);
        let entries = self.index.entry(surface.to_lowercase()).or_default();
        if entries
            .iter()
            .any(|e| e.surface == surface && e.target == target)
        {
            return;
        }
        entries.push(Entry {
            surface,
            target,
            exact,
            all_capitalised,
        });
    }

    /// All countries, sorted by alpha-2 code.
    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// All roles, in the order of `roles.tsv`.
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// The most tokens one entry can span.
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// What `text` names, under the case rules of the module docs; `None` for block phrases.
    pub fn lookup(&self, text: &str) -> Option<GazetteerMatch<'_>> {
        match self.find(text)? {
            Target::Country { index, demonym } => Some(GazetteerMatch::Country {
                country: &self.countries[index],
                demonym,
            }),
            Target::Role(index) => Some(GazetteerMatch::Role(&self.roles[index])),
            Target::Block => None,
        }
    }

    /// The entry `text` matches, blocks included.
    fn find(&self, text: &str) -> Option<Target> {
        let text = normalise(text);
        let entries = self.index.get(&text.to_lowercase())?;
        entries
            .iter()
            .find(|e| case_matches(e, &text))
            .map(|e| e.target)
    }

    /// The country a name, variant or demonym names (`India`, `U.S.`, `British`), or an
    /// all-caps ISO alpha-2 or alpha-3 code (`IN`, `IND`). Case rules as in the module docs:
    /// `in` and `us` are nothing.
    pub fn lookup_country(&self, name: &str) -> Option<&Country> {
        match self.lookup(name) {
            Some(GazetteerMatch::Country { country, .. }) => Some(country),
            _ => self.country_by_code(name.trim()),
        }
    }

    /// The country with this exact ISO 3166-1 alpha-2 or alpha-3 code (upper case).
    pub fn country_by_code(&self, code: &str) -> Option<&Country> {
        self.by_code.get(code).map(|&i| &self.countries[i])
    }

    /// The role a title names, singular or plural (`foreign ministers` → foreign minister).
    pub fn lookup_role(&self, name: &str) -> Option<&Role> {
        match self.lookup(name)? {
            GazetteerMatch::Role(role) => Some(role),
            GazetteerMatch::Country { .. } => None,
        }
    }
}

/// Whitespace runs to one space, curly apostrophes to `'`, trimmed.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| if c == '\u{2019}' { '\'' } else { c }));
    }
    out
}

fn case_matches(entry: &Entry, text: &str) -> bool {
    if entry.exact {
        return entry.surface == text;
    }
    let starts_upper = |w: &str| {
        w.chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(char::is_uppercase)
    };
    let mut text_words = text.split(' ');
    for word in entry.surface.split(' ') {
        let Some(text_word) = text_words.next() else {
            return false;
        };
        if (entry.all_capitalised || starts_upper(word)) && !starts_upper(text_word) {
            return false;
        }
    }
    text_words.next().is_none()
}

/// Runs of alphanumerics count one, every other non-space character one.
/// Lower case with `'` for curly apostrophes: how a text's first word is folded, the same
/// for entries and for text.
fn fold_start(text: &str) -> String {
    text.chars()
        .map(|c| if c == '\u{2019}' { '\'' } else { c })
        .collect::<String>()
        .to_lowercase()
}

/// The leading run of letters and digits, or the first character when it is neither.
fn first_rough_token(folded: &str) -> &str {
    let end = folded
        .char_indices()
        .find(|&(i, c)| !c.is_alphanumeric() && (i > 0 || c.is_whitespace()))
        .map_or(folded.len(), |(i, c)| if i == 0 { c.len_utf8() } else { i });
    &folded[..end]
}

fn rough_token_count(surface: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for c in surface.chars() {
        if c.is_alphanumeric() {
            if !in_word {
                count += 1;
            }
            in_word = true;
        } else {
            in_word = false;
            if !c.is_whitespace() {
                count += 1;
            }
        }
    }
    count
}

fn push_unique(list: &mut Vec<String>, value: &str) {
    if !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

/// Data rows of a TSV: skips `#` comments, blank lines and the header (first column
/// `header`); yields 1-based line numbers and trimmed columns.
fn rows<'a>(text: &'a str, header: &'a str) -> impl Iterator<Item = (usize, Vec<&'a str>)> + 'a {
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

fn parse_countries(text: &str) -> Result<Vec<Country>, GazetteerError> {
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

fn parse_roles(text: &str) -> Result<Vec<Role>, GazetteerError> {
    let mut roles = Vec::new();
    for (line, cols) in rows(text, "role") {
        let err = |message: String| GazetteerError {
            file: "roles.tsv".into(),
            line,
            message,
        };
        let col = |i: usize| cols.get(i).copied().unwrap_or("");
        let role = normalise(col(0));
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
fn plural_of_role(role: &str) -> Option<String> {
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

enum GazetteerRef {
    Builtin(&'static Gazetteer),
    Shared(Arc<Gazetteer>),
}

impl Deref for GazetteerRef {
    type Target = Gazetteer;
    fn deref(&self) -> &Gazetteer {
        match self {
            GazetteerRef::Builtin(g) => g,
            GazetteerRef::Shared(g) => g,
        }
    }
}

/// Tags countries, demonyms and roles: a greedy longest match over each sentence's tokens.
///
/// Writes [`EntitySpan`]s with source `gazetteer`: countries and demonyms as
/// [`EntityType::Country`] with the canonical short name and ISO codes in `external_ids`,
/// roles as [`EntityType::Role`] with the title-cased role. A match that would overlap a
/// span already in `doc.entities` is skipped (a shorter match at the same place may still
/// be taken). Keeps `doc.entities` sorted by start, and relation indices pointing at the
/// same spans.
pub struct GazetteerTagger {
    gazetteer: GazetteerRef,
}

impl Default for GazetteerTagger {
    fn default() -> Self {
        GazetteerTagger::new()
    }
}

impl fmt::Debug for GazetteerTagger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GazetteerTagger")
            .field("countries", &self.gazetteer.countries.len())
            .field("roles", &self.gazetteer.roles.len())
            .finish()
    }
}

impl GazetteerTagger {
    /// A tagger over [`Gazetteer::builtin`].
    pub fn new() -> GazetteerTagger {
        GazetteerTagger {
            gazetteer: GazetteerRef::Builtin(Gazetteer::builtin()),
        }
    }

    /// A tagger over another gazetteer.
    pub fn with_gazetteer(gazetteer: Arc<Gazetteer>) -> GazetteerTagger {
        GazetteerTagger {
            gazetteer: GazetteerRef::Shared(gazetteer),
        }
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    fn span(&self, doc: &Doc, tokens: std::ops::Range<usize>, target: Target) -> EntitySpan {
        let (start, end) = (
            doc.tokens[tokens.start].start,
            doc.tokens[tokens.end - 1].end,
        );
        let (kind, confidence, canonical, external_ids) = match target {
            Target::Country { index, demonym } => {
                let country = &self.gazetteer.countries[index];
                let confidence = if demonym {
                    DEMONYM_CONFIDENCE
                } else {
                    COUNTRY_CONFIDENCE
                };
                (
                    EntityType::Country,
                    confidence,
                    country.name.clone(),
                    country.external_ids(),
                )
            }
            Target::Role(index) => {
                let role = &self.gazetteer.roles[index];
                (
                    EntityType::Role,
                    ROLE_CONFIDENCE,
                    role.canonical.clone(),
                    BTreeMap::new(),
                )
            }
            Target::Block => unreachable!("block phrases make no spans"),
        };
        EntitySpan {
            tokens,
            start,
            end,
            kind,
            confidence,
            source: "gazetteer",
            canonical: Some(canonical),
            external_ids,
            resolved_by: None,
        }
    }
}

/// Whether `[start, end)` overlaps a span of `entities` (sorted by start, not overlapping).
impl Component for GazetteerTagger {
    fn name(&self) -> &'static str {
        "gazetteer"
    }

    fn process(&self, doc: &mut Doc) {
        let ranges: Vec<std::ops::Range<usize>> = if doc.sentences.is_empty() {
            std::iter::once(0..doc.tokens.len()).collect()
        } else {
            doc.sentences.iter().map(|s| s.tokens.clone()).collect()
        };
        let mut found = Vec::new();
        for range in ranges {
            let mut i = range.start;
            while i < range.end.min(doc.tokens.len()) {
                let folded = fold_start(doc.token_text(i));
                let Some(&max_tokens) = self.gazetteer.first_words.get(first_rough_token(&folded))
                else {
                    i += 1;
                    continue;
                };
                let longest = max_tokens.min(range.end.min(doc.tokens.len()) - i);
                let mut next = i + 1;
                for len in (1..=longest).rev() {
                    let (start, end) = (doc.tokens[i].start, doc.tokens[i + len - 1].end);
                    let Some(target) = self.gazetteer.find(&doc.text[start..end]) else {
                        continue;
                    };
                    if target == Target::Block {
                        next = i + len;
                        break;
                    }
                    if doc.overlaps_entity(start, end) {
                        continue;
                    }
                    found.push(self.span(doc, i..i + len, target));
                    next = i + len;
                    break;
                }
                i = next;
            }
        }
        doc.add_entities(found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Sentence, Token};
    use kith_schema::DocId;

    fn tokenize(text: &str) -> Vec<Token> {
        crate::tokenize(text)
    }

    /// A doc tokenized, split into sentences and tagged.
    fn tagged(text: &str) -> Doc {
        let mut doc = Doc::new(DocId::from_content(text), text, "-");
        doc.tokens = tokenize(text);
        doc.sentences = crate::split_sentences(text, &doc.tokens);
        GazetteerTagger::new().process(&mut doc);
        doc
    }

    /// (text, kind, canonical, alpha2) of each span.
    fn spans(doc: &Doc) -> Vec<(String, EntityType, String, String)> {
        doc.entities
            .iter()
            .map(|e| {
                (
                    doc.span_text(e).to_string(),
                    e.kind,
                    e.canonical.clone().unwrap_or_default(),
                    e.external_ids.get(ALPHA2_ID).cloned().unwrap_or_default(),
                )
            })
            .collect()
    }

    fn alpha2s(doc: &Doc) -> Vec<String> {
        spans(doc)
            .into_iter()
            .filter(|s| s.1 == EntityType::Country)
            .map(|s| s.3)
            .collect()
    }

    #[test]
    fn us_variants_all_mean_the_united_states() {
        let text = "The US and the U.S. economy, the USA team, the United States Senate, \
                    America and an American diplomat met the United States of America envoy.";
        let doc = tagged(text);
        let countries: Vec<_> = spans(&doc)
            .into_iter()
            .filter(|s| s.1 == EntityType::Country)
            .collect();
        let texts: Vec<&str> = countries.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(
            texts,
            [
                "US",
                "U.S.",
                "USA",
                "United States",
                "America",
                "American",
                "United States of America"
            ]
        );
        for (text, _, canonical, alpha2) in &countries {
            assert_eq!(alpha2, "US", "{text}");
            assert_eq!(canonical, "United States", "{text}");
        }
        let american = doc
            .entities
            .iter()
            .find(|e| doc.span_text(e) == "American")
            .unwrap();
        assert_eq!(american.confidence, DEMONYM_CONFIDENCE);
        assert_eq!(
            american.external_ids.get(ALPHA3_ID).map(String::as_str),
            Some("USA")
        );
        let us = doc
            .entities
            .iter()
            .find(|e| doc.span_text(e) == "US")
            .unwrap();
        assert_eq!(us.confidence, COUNTRY_CONFIDENCE);
        assert_eq!(us.source, "gazetteer");
    }

    #[test]
    fn uk_britain_and_british_mean_gb() {
        let doc = tagged("The UK, Britain, Great Britain and the U.K. sent British troops; the United Kingdom agreed.");
        assert_eq!(alpha2s(&doc), ["GB", "GB", "GB", "GB", "GB", "GB"]);
        assert!(spans(&doc)
            .iter()
            .all(|s| s.1 != EntityType::Country || s.2 == "United Kingdom"));
        let texts: Vec<String> = spans(&doc).into_iter().map(|s| s.0).collect();
        assert!(texts.contains(&"Great Britain".to_string()), "{texts:?}");
    }

    #[test]
    fn demonyms_and_possessives() {
        let doc = tagged("Indian officials rejected Pakistan's claim, and Indians celebrated.");
        assert_eq!(
            spans(&doc),
            [
                (
                    "Indian".into(),
                    EntityType::Country,
                    "India".into(),
                    "IN".into()
                ),
                (
                    "Pakistan".into(),
                    EntityType::Country,
                    "Pakistan".into(),
                    "PK".into()
                ),
                (
                    "Indians".into(),
                    EntityType::Country,
                    "India".into(),
                    "IN".into()
                ),
            ]
        );
        let pakistan = &doc.entities[1];
        assert_eq!(pakistan.confidence, COUNTRY_CONFIDENCE);
        assert_eq!(
            pakistan.external_ids.get(ALPHA3_ID).map(String::as_str),
            Some("PAK")
        );
        assert_eq!(&doc.text[pakistan.end..pakistan.end + 2], "'s");
    }

    #[test]
    fn lower_case_in_and_us_never_match() {
        let doc =
            tagged("He told us in a statement that in turn us and them were in talks in india.");
        assert!(doc.entities.is_empty(), "{:?}", spans(&doc));
        let g = Gazetteer::builtin();
        for word in [
            "in", "us", "In", "Us", "uk", "usa", "u.s.", "india", "america", "american",
        ] {
            assert!(g.lookup_country(word).is_none(), "{word} matched");
        }
        assert_eq!(g.lookup_country("US").unwrap().alpha2, "US");
        assert_eq!(g.lookup_country("IN").unwrap().name, "India");
        assert_eq!(g.lookup_country("IND").unwrap().name, "India");
        assert_eq!(g.lookup_country("INDIA").unwrap().alpha2, "IN");
    }

    #[test]
    fn foreign_ministers_of_india_and_pakistan() {
        let doc = tagged("The foreign ministers of India and Pakistan met in Geneva.");
        assert_eq!(
            spans(&doc),
            [
                (
                    "foreign ministers".into(),
                    EntityType::Role,
                    "Foreign Minister".into(),
                    String::new()
                ),
                (
                    "India".into(),
                    EntityType::Country,
                    "India".into(),
                    "IN".into()
                ),
                (
                    "Pakistan".into(),
                    EntityType::Country,
                    "Pakistan".into(),
                    "PK".into()
                ),
            ]
        );
        assert_eq!(doc.entities[0].confidence, ROLE_CONFIDENCE);
        assert_eq!(doc.entities[0].tokens.len(), 2);
    }

    #[test]
    fn roles_longest_match_plurals_and_capital_rule() {
        let doc = tagged(
            "The Secretary of State, two national security advisers, the army chief and General Munir spoke; \
             in general the spokesmen agreed with the CEO.",
        );
        let roles: Vec<(String, String)> = spans(&doc)
            .into_iter()
            .filter(|s| s.1 == EntityType::Role)
            .map(|s| (s.0, s.2))
            .collect();
        let expected = [
            ("Secretary of State", "Secretary of State"),
            ("national security advisers", "National Security Adviser"),
            ("army chief", "Army Chief"),
            ("General", "General"),
            ("spokesmen", "Spokesman"),
            ("CEO", "CEO"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(roles, expected);
        let g = Gazetteer::builtin();
        assert_eq!(
            g.lookup_role("Chiefs of Army Staff").unwrap().role,
            "chief of army staff"
        );
        assert_eq!(
            g.lookup_role("secretaries of state").unwrap().canonical,
            "Secretary of State"
        );
        assert!(g.lookup_role("general").is_none());
        assert!(g.lookup_role("ceo").is_none(), "all-caps forms are exact");
        assert!(g.roles().len() >= 60);
    }

    #[test]
    fn block_phrases_and_longest_country_names() {
        let doc = tagged("Ships crossed the Indian Ocean to South America, then Papua New Guinea and New Mexico.");
        assert_eq!(alpha2s(&doc), ["PG"]);
        let doc = tagged(
            "Bosnia and Herzegovina and the Czech Republic met North Korea and Ivory Coast.",
        );
        assert_eq!(alpha2s(&doc), ["BA", "CZ", "KP", "CI"]);
    }

    #[test]
    fn existing_spans_are_kept_and_not_overlapped() {
        let text = "Jordan Peterson visited Jordan and India.";
        let mut doc = Doc::new(DocId::from_content(text), text, "-");
        doc.tokens = tokenize(text);
        doc.sentences = vec![Sentence {
            start: 0,
            end: text.len(),
            tokens: 0..doc.tokens.len(),
        }];
        let india = doc
            .tokens
            .iter()
            .position(|t| &text[t.start..t.end] == "India")
            .unwrap();
        let person = EntitySpan {
            tokens: 0..2,
            start: 0,
            end: "Jordan Peterson".len(),
            kind: EntityType::Person,
            confidence: 0.8,
            source: "test",
            canonical: None,
            external_ids: BTreeMap::new(),
            resolved_by: None,
        };
        let later = EntitySpan {
            tokens: india..india + 1,
            start: doc.tokens[india].start,
            end: doc.tokens[india].end,
            kind: EntityType::Location,
            source: "test",
            ..person.clone()
        };
        doc.entities = vec![person, later];
        doc.relations.push(crate::RelationSpan {
            subject: 0,
            object: 1,
            predicate: "visit".into(),
            class: None,
            polarity: kith_schema::Polarity::Affirmed,
            modality: kith_schema::Modality::Asserted,
            confidence: 0.5,
            sentence: 0,
        });
        GazetteerTagger::new().process(&mut doc);
        let kinds: Vec<(String, EntityType)> = doc
            .entities
            .iter()
            .map(|e| (doc.span_text(e).to_string(), e.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("Jordan Peterson".to_string(), EntityType::Person),
                ("Jordan".to_string(), EntityType::Country),
                ("India".to_string(), EntityType::Location),
            ]
        );
        assert!(doc.entities.windows(2).all(|w| w[0].end <= w[1].start));
        assert_eq!((doc.relations[0].subject, doc.relations[0].object), (0, 2));
    }

    #[test]
    fn runs_in_a_pipeline_after_the_tokenizer() {
        let pipeline = crate::Pipeline::new()
            .with(crate::Tokenizer)
            .with(GazetteerTagger::new());
        assert_eq!(pipeline.component_names(), ["tokenizer", "gazetteer"]);
        let text = "The U.S. ambassador met Iran's foreign minister. Britain said nothing.";
        let mut doc = Doc::new(DocId::from_content(text), text, "-");
        pipeline.run(&mut doc);
        let got: Vec<(String, String)> = spans(&doc).into_iter().map(|s| (s.0, s.2)).collect();
        let want = [
            ("U.S.", "United States"),
            ("ambassador", "Ambassador"),
            ("Iran", "Iran"),
            ("foreign minister", "Foreign Minister"),
            ("Britain", "United Kingdom"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn tagging_is_deterministic() {
        let text =
            "US Secretary of State met Indian and Pakistani foreign ministers; the UAE envoy and \
                    Britain's defence secretary joined. Russia's president spoke to Vietnam.";
        let first = tagged(text).entities;
        for _ in 0..3 {
            assert_eq!(tagged(text).entities, first);
        }
        let g = Gazetteer::from_tsv(COUNTRIES_TSV, COUNTRY_VARIANTS_TSV, ROLES_TSV).unwrap();
        assert_eq!(g.countries(), Gazetteer::builtin().countries());
        assert_eq!(g.max_tokens(), Gazetteer::builtin().max_tokens());
    }

    #[test]
    fn countries_tsv_is_complete() {
        let rows: Vec<Vec<&str>> = COUNTRIES_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("alpha2\t"))
            .map(|l| l.split('\t').collect())
            .collect();
        assert!(COUNTRIES_TSV.starts_with(
            "# generated by cargo run -p kith-nlp --example generate_gazetteer from keshvar "
        ));
        assert!(rows.len() >= 240, "{} rows", rows.len());
        assert!(rows.iter().all(|r| r.len() == 7));
        let codes: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[0]).collect();
        assert_eq!(codes.len(), rows.len(), "alpha2 codes are unique");
        let sorted: Vec<&str> = rows.iter().map(|r| r[0]).collect();
        assert!(
            sorted.windows(2).all(|w| w[0] < w[1]),
            "rows are sorted by alpha2"
        );
        let row = |code: &str| {
            rows.iter()
                .find(|r| r[0] == code)
                .unwrap_or_else(|| panic!("no {code} row"))
        };
        assert_eq!(row("IN")[1..4], ["IND", "356", "India"]);
        assert_eq!(row("PK")[1..4], ["PAK", "586", "Pakistan"]);
        assert_eq!(row("US")[1..4], ["USA", "840", "United States"]);
        assert_eq!(row("GB")[1..4], ["GBR", "826", "United Kingdom"]);
        assert!(row("IN")[6].split('|').any(|d| d == "Indian"));
        assert!(row("PK")[6].split('|').any(|d| d == "Pakistanis"));
        let g = Gazetteer::builtin();
        assert_eq!(g.countries().len(), rows.len());
        assert_eq!(g.country_by_code("GBR").unwrap().alpha2, "GB");
    }

    #[test]
    fn data_helpers() {
        assert_eq!(title_case("secretary of state"), "Secretary of State");
        assert_eq!(title_case("CEO"), "CEO");
        assert_eq!(
            plural_of_role("chief of army staff").unwrap(),
            "chiefs of army staff"
        );
        assert_eq!(
            plural_of_role("press secretary").unwrap(),
            "press secretaries"
        );
        assert_eq!(plural_of_role("chairwoman").unwrap(), "chairwomen");
        assert_eq!(plural_of_role("envoy").unwrap(), "envoys");
        assert!(Gazetteer::from_tsv("XX\tYYY\t1\tName\n", "", "").is_err());
        let err = Gazetteer::from_tsv(COUNTRIES_TSV, "Foo\tZZ\tname\n", ROLES_TSV).unwrap_err();
        assert_eq!(err.line, 1);
    }
}
