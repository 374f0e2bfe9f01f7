//! Finding the entity a person means when they type a name (`kith neighbors`, `path`,
//! `explain`).
//!
//! The index holds only what a name lookup needs (id, type, canonical name, aliases), so
//! any graph store can feed it. A query is tried in tiers; the first tier with a match
//! decides, and more than one match there is [`Lookup::Ambiguous`]:
//!
//! 1. an entity id (as an ambiguity message prints it), or `Name (Type)` /
//!    `Name (Type, id)`, which narrows the name to one type (or picks the id);
//! 2. the canonical name, spelled loosely ([`fold`]: case, accents, punctuation and
//!    spacing ignored: *mbappe* finds *Mbappé*, *us* finds *U.S.*);
//! 3. an alias;
//! 4. another name of the same thing the caller knows (`other_names`: Kith passes the
//!    country gazetteer's variants, so *UK* finds *United Kingdom*);
//! 5. part of a name, whole words in order (*macron* finds *Emmanuel Macron*), names
//!    ending in the words (surnames) first.
//!
//! Without any match, [`Lookup::NotFound`] carries "did you mean" suggestions ranked by
//! Jaro-Winkler similarity ([`strsim`]) of the folded query to each folded name, alias and
//! name word.
#![warn(missing_docs)]

use kith_schema::EntityType;
use unicode_normalization::UnicodeNormalization;

/// What the index knows of one entity.
#[derive(Clone, Debug)]
pub struct Candidate<T> {
    /// The caller's handle on the entity (an index, a reference), returned by lookups.
    pub key: T,
    /// Its id, as printed to users.
    pub id: String,
    /// Its type.
    pub kind: EntityType,
    /// Its canonical name.
    pub name: String,
    /// Its other names.
    pub aliases: Vec<String>,
}

/// How a query matched; the tier that decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchedBy {
    /// The entity's id.
    Id,
    /// The canonical name (folded).
    Name,
    /// An alias (folded).
    Alias,
    /// Another name of the same thing (`other_names`).
    OtherName,
    /// Part of a name: whole words in order.
    Partial,
}

/// The result of a lookup.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup<T> {
    /// One entity.
    Found(T, MatchedBy),
    /// Several entities match equally well, sorted by name, type and id.
    Ambiguous(Vec<T>, MatchedBy),
    /// Nothing matches; the closest names, best first (at most [`SUGGESTIONS`]).
    NotFound(Vec<T>),
}

/// How many "did you mean" suggestions a failed lookup gives at most.
pub const SUGGESTIONS: usize = 5;

/// Jaro-Winkler similarity a name needs to be suggested: high enough that suggestions
/// look like the query (a typo, a missing accent), low enough for one wrong letter in a
/// short name.
const SUGGEST_AT: f64 = 0.85;

/// A name's spelling for comparison: Unicode compatibility decomposition without
/// combining marks (accents), lower case, every run of characters that are not letters
/// or digits one space, apostrophes and dots dropped inside words (*U.S.* → `us`,
/// *O'Neill* → `oneill`).
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if matches!(c, '.' | '\'' | '\u{2019}' | '\u{2018}') {
            continue;
        }
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

struct Entry<T> {
    candidate: Candidate<T>,
    name: String,
    aliases: Vec<String>,
}

/// The entities of a graph, indexed for [`NameIndex::lookup`].
pub struct NameIndex<T> {
    entries: Vec<Entry<T>>,
}

impl<T: Clone> NameIndex<T> {
    /// An index over `candidates`; lookups return their keys.
    pub fn new(candidates: impl IntoIterator<Item = Candidate<T>>) -> NameIndex<T> {
        let mut entries: Vec<Entry<T>> = candidates
            .into_iter()
            .map(|candidate| Entry {
                name: fold(&candidate.name),
                aliases: candidate.aliases.iter().map(|a| fold(a)).collect(),
                candidate,
            })
            .collect();
        // Results come out in this order: deterministic whatever the caller's order.
        entries.sort_by(|a, b| {
            (&a.candidate.name, a.candidate.kind, &a.candidate.id).cmp(&(
                &b.candidate.name,
                b.candidate.kind,
                &b.candidate.id,
            ))
        });
        NameIndex { entries }
    }

    /// The entity `query` denotes (see the module docs for the tiers); `other_names`
    /// gives other names of what a query names (gazetteer variants), or none.
    pub fn lookup(&self, query: &str, other_names: &dyn Fn(&str) -> Vec<String>) -> Lookup<T> {
        let query = query.trim();
        if let Some(e) = self.entries.iter().find(|e| e.candidate.id == query) {
            return Lookup::Found(e.candidate.key.clone(), MatchedBy::Id);
        }
        let (name, kind) = match split_type(query) {
            Some((name, TypeOrId::Id(id))) => {
                if let Some(e) = self.entries.iter().find(|e| e.candidate.id == id) {
                    return Lookup::Found(e.candidate.key.clone(), MatchedBy::Id);
                }
                (name, None)
            }
            Some((name, TypeOrId::Type(kind))) => (name, Some(kind)),
            None => (query, None),
        };
        let pool: Vec<&Entry<T>> = self
            .entries
            .iter()
            .filter(|e| kind.is_none_or(|k| e.candidate.kind == k))
            .collect();
        let wanted = fold(name);
        if wanted.is_empty() {
            return Lookup::NotFound(Vec::new());
        }
        let named: Vec<&Entry<T>> = pool.iter().copied().filter(|e| e.name == wanted).collect();
        if !named.is_empty() {
            return decide(named, MatchedBy::Name);
        }
        let aliased: Vec<&Entry<T>> = pool
            .iter()
            .copied()
            .filter(|e| e.aliases.contains(&wanted))
            .collect();
        if !aliased.is_empty() {
            return decide(aliased, MatchedBy::Alias);
        }
        let others: Vec<String> = other_names(name)
            .iter()
            .map(|n| fold(n))
            .filter(|n| !n.is_empty() && *n != wanted)
            .collect();
        if !others.is_empty() {
            let found: Vec<&Entry<T>> = pool
                .iter()
                .copied()
                .filter(|e| others.iter().any(|o| e.name == *o || e.aliases.contains(o)))
                .collect();
            if !found.is_empty() {
                // Prefer canonical names over aliases among the other names.
                let named: Vec<&Entry<T>> = found
                    .iter()
                    .copied()
                    .filter(|e| others.contains(&e.name))
                    .collect();
                return decide(
                    if named.is_empty() { found } else { named },
                    MatchedBy::OtherName,
                );
            }
        }
        let words: Vec<&str> = wanted.split(' ').collect();
        let partial: Vec<(&Entry<T>, bool)> = pool
            .iter()
            .filter_map(|e| {
                let names = std::iter::once(&e.name).chain(&e.aliases);
                let mut best = None;
                for n in names {
                    let tokens: Vec<&str> = n.split(' ').collect();
                    if let Some(suffix) = contains_words(&tokens, &words) {
                        best = Some(best.unwrap_or(false) || suffix);
                    }
                }
                best.map(|suffix| (*e, suffix))
            })
            .collect();
        if !partial.is_empty() {
            // A surname (the last words of a name) before a word elsewhere in one:
            // *macron* is Emmanuel Macron rather than the Macron government.
            let ending: Vec<&Entry<T>> = partial
                .iter()
                .filter(|(_, s)| *s)
                .map(|(e, _)| *e)
                .collect();
            let found = if ending.is_empty() {
                partial.iter().map(|(e, _)| *e).collect()
            } else {
                ending
            };
            return decide(found, MatchedBy::Partial);
        }
        Lookup::NotFound(self.suggest(&pool, &wanted))
    }

    /// The [`SUGGESTIONS`] entries most like `wanted`, best first.
    fn suggest(&self, pool: &[&Entry<T>], wanted: &str) -> Vec<T> {
        let mut scored: Vec<(f64, usize)> = pool
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let names = std::iter::once(&e.name).chain(&e.aliases);
                let score = names
                    .flat_map(|n| std::iter::once(n.as_str()).chain(n.split(' ')))
                    .map(|n| strsim::jaro_winkler(wanted, n))
                    .fold(0.0, f64::max);
                (score >= SUGGEST_AT).then_some((score, i))
            })
            .collect();
        // Best score first; equal scores keep the index order (name, type, id).
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored
            .into_iter()
            .take(SUGGESTIONS)
            .map(|(_, i)| pool[i].candidate.key.clone())
            .collect()
    }
}

/// One entry is found; several are ambiguous.
fn decide<T: Clone>(found: Vec<&Entry<T>>, how: MatchedBy) -> Lookup<T> {
    match found.as_slice() {
        [one] => Lookup::Found(one.candidate.key.clone(), how),
        _ => Lookup::Ambiguous(found.iter().map(|e| e.candidate.key.clone()).collect(), how),
    }
}

/// Whether `words` occur in `tokens` as a run: `Some(true)` when the run ends them.
fn contains_words(tokens: &[&str], words: &[&str]) -> Option<bool> {
    if words.is_empty() || words.len() > tokens.len() {
        return None;
    }
    let mut found = None;
    for start in 0..=tokens.len() - words.len() {
        if tokens[start..start + words.len()] == *words {
            let ends = start + words.len() == tokens.len();
            found = Some(found.unwrap_or(false) || ends);
        }
    }
    found
}

enum TypeOrId<'q> {
    Type(EntityType),
    Id(&'q str),
}

/// `Name (Type)` or `Name (Type, id)`, as ambiguity messages print candidates; `None`
/// when the parentheses hold no type (a name with parentheses of its own).
fn split_type(query: &str) -> Option<(&str, TypeOrId<'_>)> {
    let inner = query.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let (name, inside) = (inner[..open].trim(), &inner[open + 1..]);
    let mut parts = inside.split(',').map(str::trim);
    let kind = EntityType::parse(parts.next()?)?;
    match parts.next() {
        Some(id) if !id.is_empty() => Some((name, TypeOrId::Id(id))),
        _ => Some((name, TypeOrId::Type(kind))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> NameIndex<&'static str> {
        let c = |id: &'static str, kind, name: &str, aliases: &[&str]| Candidate {
            key: id,
            id: id.to_string(),
            kind,
            name: name.to_string(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        NameIndex::new([
            c("e:macron", EntityType::Person, "Emmanuel Macron", &[]),
            c(
                "e:macron-gov",
                EntityType::Organization,
                "Macron government",
                &[],
            ),
            c("e:mbappe", EntityType::Person, "Kylian Mbappé", &["Mbappé"]),
            c("e:uk", EntityType::Country, "United Kingdom", &["Britain"]),
            c("e:us", EntityType::Country, "United States", &["U.S."]),
            c("e:jordan-c", EntityType::Country, "Jordan", &[]),
            c("e:jordan-p", EntityType::Person, "Jordan", &[]),
            c("e:smith-j", EntityType::Person, "John Smith", &[]),
            c("e:smith-a", EntityType::Person, "Anna Smith", &[]),
            c("e:rubio", EntityType::Person, "Marco Rubio", &["Rubio"]),
        ])
    }

    fn countries(q: &str) -> Vec<String> {
        match q.to_lowercase().as_str() {
            "uk" => vec!["United Kingdom".into(), "Britain".into()],
            "usa" => vec!["United States".into()],
            _ => Vec::new(),
        }
    }

    fn none(_: &str) -> Vec<String> {
        Vec::new()
    }

    #[test]
    fn fold_ignores_case_accents_and_punctuation() {
        assert_eq!(fold("  Kylian  MBAPPÉ "), "kylian mbappe");
        assert_eq!(fold("U.S."), "us");
        assert_eq!(fold("Lashkar-e-Taiba"), "lashkar e taiba");
        assert_eq!(fold("O’Neill"), "oneill");
    }

    #[test]
    fn names_aliases_and_other_names_match_loosely() {
        let idx = index();
        assert_eq!(
            idx.lookup("emmanuel macron", &none),
            Lookup::Found("e:macron", MatchedBy::Name)
        );
        assert_eq!(
            idx.lookup("kylian mbappe", &none),
            Lookup::Found("e:mbappe", MatchedBy::Name)
        );
        assert_eq!(
            idx.lookup("MBAPPE", &none),
            Lookup::Found("e:mbappe", MatchedBy::Alias)
        );
        assert_eq!(
            idx.lookup("us", &none),
            Lookup::Found("e:us", MatchedBy::Alias)
        );
        assert_eq!(
            idx.lookup("UK", &countries),
            Lookup::Found("e:uk", MatchedBy::OtherName)
        );
        assert_eq!(
            idx.lookup("usa", &countries),
            Lookup::Found("e:us", MatchedBy::OtherName)
        );
        assert_eq!(idx.lookup("UK", &none), Lookup::NotFound(vec![]));
    }

    #[test]
    fn partial_names_prefer_surnames_and_can_be_ambiguous() {
        let idx = index();
        assert_eq!(
            idx.lookup("macron", &none),
            Lookup::Found("e:macron", MatchedBy::Partial)
        );
        assert_eq!(
            idx.lookup("Macron government", &none),
            Lookup::Found("e:macron-gov", MatchedBy::Name)
        );
        assert_eq!(
            idx.lookup("smith", &none),
            Lookup::Ambiguous(vec!["e:smith-a", "e:smith-j"], MatchedBy::Partial)
        );
    }

    #[test]
    fn ids_and_types_pick_one_of_several() {
        let idx = index();
        assert_eq!(
            idx.lookup("jordan", &none),
            Lookup::Ambiguous(vec!["e:jordan-p", "e:jordan-c"], MatchedBy::Name)
        );
        assert_eq!(
            idx.lookup("Jordan (person)", &none),
            Lookup::Found("e:jordan-p", MatchedBy::Name)
        );
        assert_eq!(
            idx.lookup("jordan (Country)", &none),
            Lookup::Found("e:jordan-c", MatchedBy::Name)
        );
        assert_eq!(
            idx.lookup("e:jordan-p", &none),
            Lookup::Found("e:jordan-p", MatchedBy::Id)
        );
        // The whole candidate line an ambiguity message prints works too.
        assert_eq!(
            idx.lookup("Jordan (person, e:jordan-p)", &none),
            Lookup::Found("e:jordan-p", MatchedBy::Id)
        );
    }

    #[test]
    fn no_match_suggests_similar_names() {
        let idx = index();
        let Lookup::NotFound(suggested) = idx.lookup("Macorn", &none) else {
            panic!("no entity is called Macorn");
        };
        assert_eq!(suggested.first(), Some(&"e:macron"), "{suggested:?}");
        assert_eq!(
            idx.lookup("Kylian Mbape", &none),
            Lookup::NotFound(vec!["e:mbappe"])
        );
        assert_eq!(idx.lookup("zzzz", &none), Lookup::NotFound(vec![]));
    }
}
