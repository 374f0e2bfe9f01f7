//! [`Gazetteer`]: countries and roles indexed for lookups of names as written in text,
//! under the case rules of the [gazetteer module](super).

use super::data::{
    parse_countries, parse_roles, rows, Country, GazetteerError, Role, COUNTRIES_TSV,
    COUNTRY_VARIANTS_TSV, ROLES_TSV,
};
use crate::normalise;
use std::collections::HashMap;
use std::sync::OnceLock;

/// What a piece of text names, by the gazetteer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum GazetteerMatch<'g> {
    /// A country, by one of its names or by a demonym.
    Country {
        /// The country.
        country: &'g Country,
        /// Whether the text is a demonym (`Indian`) rather than a name (`India`).
        demonym: bool,
    },
    /// A role title.
    Role(&'g Role),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Target {
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
    pub(super) countries: Vec<Country>,
    pub(super) roles: Vec<Role>,
    /// Folded form (lower case, single spaces, `'` apostrophes) → entries, first wins.
    index: HashMap<String, Vec<Entry>>,
    by_code: HashMap<String, usize>,
    /// The most tokens any entry can span (counting each run of letters or digits and
    /// each other character as one token: no tokenizer splits finer).
    max_tokens: usize,
    /// First rough token of every folded entry → the most rough tokens of its entries.
    /// The tagger looks here before building any candidate string, so the many tokens
    /// that start no entry cost one lookup instead of `max_tokens` folded copies.
    pub(super) first_words: HashMap<String, usize>,
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
        let surface = normalise::name(surface);
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
    pub(super) fn find(&self, text: &str) -> Option<Target> {
        let text = normalise::name(text);
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

/// A first word folded as the gazetteer indexes it, the same for entries and for text:
/// lower case, with `'` for curly apostrophes.
pub(super) fn fold_start(text: &str) -> String {
    normalise::apostrophes(text).to_lowercase()
}

/// The leading run of letters and digits, or the first character when it is neither.
pub(super) fn first_rough_token(folded: &str) -> &str {
    let end = folded
        .char_indices()
        .find(|&(i, c)| !c.is_alphanumeric() && (i > 0 || c.is_whitespace()))
        .map_or(folded.len(), |(i, c)| if i == 0 { c.len_utf8() } else { i });
    &folded[..end]
}

/// Runs of alphanumerics count one, every other non-space character one.
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
