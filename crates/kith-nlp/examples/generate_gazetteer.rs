//! Writes `data/gazetteer/countries.tsv` (at the repository root) from the `keshvar` crate.
//!
//! Run with `cargo run -p kith-nlp --example generate_gazetteer`. `keshvar` is a
//! dev-dependency of `kith-nlp` only: the library embeds the generated TSV with
//! `include_str!` and never depends on `keshvar` at build or run time.
//!
//! Columns (tab-separated, `|` between several values in one column):
//! `alpha2 alpha3 numeric name official_name variants demonyms`.
//!
//! What the generator does with keshvar's data:
//! * `name` is keshvar's English translation (`en`) of the country name, or its ISO short
//!   name, unless those carry parentheses or are inverted (`Iran (Islamic Republic of)`,
//!   `Palestine, State of`), or is not the usual English short form in news
//!   (`Russian Federation`), in which case a short name from [`NAME_OVERRIDES`] is used.
//! * `variants` are the ISO short name, the `en` translation and keshvar's unofficial names
//!   that differ (ignoring case) from `name` and `official_name`, without a leading `The `. keshvar's unofficial-name
//!   list mixes languages (`Indien`, `Inde`, `インド` for India; `Russie`, `Rusia` for
//!   Russia) without saying which is which, so an unofficial name is kept only when it is
//!   written in Latin script, equals no non-English translation (ignoring case), and every
//!   word of it is English: a word of some country's ISO short or long name, English
//!   translation or nationality in keshvar, or one of the few words in [`ENGLISH_WORDS`]
//!   (`Ivory`, `Coast`, `Cape`, ...). That keeps `Ivory Coast`, `Great Britain`, `UK`,
//!   `East Timor`, `Cape Verde`, `Turkey` and drops `Moldawien`, `Cap Vert`, `Kokosinseln`,
//!   `England` (not a country). Names with a comma or parentheses are dropped too: news
//!   text does not write them so. Common news forms keshvar lacks (`U.S.`, `Britain`,
//!   `Russia`'s `Kremlin`-free variants ...) live in the hand-written
//!   `data/gazetteer/country-variants.tsv`, not here.
//! * `demonyms` are keshvar's `nationality` (split on `, ` as in `Bosnian, Herzegovinian`)
//!   plus a plural with `s` where English forms it that simply (`Indian` → `Indians`,
//!   `Pakistani` → `Pakistanis`, `New Zealander` → `New Zealanders`; not `Swiss`,
//!   `Chinese`, `British`). A demonym that keshvar gives to several countries is kept only
//!   for the single UN member among them (`American` → US, not the US Minor Outlying
//!   Islands; `Indian` → IN, not the British Indian Ocean Territory), and dropped from all
//!   of them when there is no single UN member (`Congolese`, `Dominican`, `Virgin
//!   Islander`). A "demonym" equal to a country name (`Djibouti`) is dropped.
//! * Any variant name claimed by two countries is dropped from both.
//!
//! Rows are sorted by alpha2; values within a column keep keshvar's order, first seen wins.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

/// keshvar's version, written into the header comment. Keep in step with Cargo.toml.
const KESHVAR_VERSION: &str = "0.7";

/// Short English names used in news where keshvar's are long or inverted.
const NAME_OVERRIDES: &[(&str, &str)] = &[
    ("BN", "Brunei"),
    ("CC", "Cocos Islands"),
    ("CD", "Democratic Republic of the Congo"),
    ("FK", "Falkland Islands"),
    ("FM", "Micronesia"),
    ("LA", "Laos"),
    ("MF", "Saint Martin"),
    ("PS", "Palestine"),
    ("RU", "Russia"),
    ("SX", "Sint Maarten"),
    ("SY", "Syria"),
    ("VA", "Vatican City"),
    ("VG", "British Virgin Islands"),
    ("VI", "United States Virgin Islands"),
];

/// English words allowed in variant names beyond those of keshvar's English names.
const ENGLISH_WORDS: &[&str] = &[
    "Ivory",
    "Coast",
    "Cape",
    "East",
    "Caribbean",
    "Turkey",
    "St",
    "UK",
];

/// keshvar errors fixed here: Niger's demonym is `Nigerien` (`Nigerian` is Nigeria's).
const DEMONYM_OVERRIDES: &[(&str, &str)] = &[("NE", "Nigerien")];

struct Row {
    alpha2: String,
    alpha3: String,
    numeric: String,
    name: String,
    official: String,
    variants: Vec<String>,
    demonyms: Vec<String>,
    un_member: bool,
}

fn is_latin(name: &str) -> bool {
    name.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(c, ' ' | '-' | '\'' | '.' | '’')
            || (c.is_alphabetic() && ('\u{00C0}'..='\u{024F}').contains(&c))
    })
}

/// Good as a `name`: no parentheses, and not inverted (`Palestine, State of`).
fn is_good_name(name: &str) -> bool {
    let inverted = name.contains(',') && (name.ends_with(" of") || name.ends_with(" of the"));
    !name.is_empty()
        && !name.contains(['(', ')', '\t', '|'])
        && !inverted
        && is_latin_or_comma(name)
}

fn is_latin_or_comma(name: &str) -> bool {
    is_latin(&name.replace(',', ""))
}

/// Good as a variant: Latin script, no comma or parentheses.
fn is_clean(name: &str) -> bool {
    !name.is_empty() && !name.contains([',', '(', ')', '\t', '|']) && is_latin(name)
}

/// `Indian` → `Indians`, where English forms the plural with a plain `s`.
fn plural(demonym: &str) -> Option<String> {
    let last = demonym.rsplit(' ').next()?;
    if demonym.contains(" and ") || last.contains('-') {
        return None;
    }
    let simple = ["an", "i", "er", "ot", "ek", "ak", "ene", "in"]
        .iter()
        .any(|end| last.ends_with(end))
        || (last.ends_with("en") && !last.ends_with("men"));
    simple.then(|| format!("{demonym}s"))
}

/// The lower-case words of a name, split at spaces and hyphens, without a final `.`.
fn words(name: &str) -> impl Iterator<Item = String> + '_ {
    name.split([' ', '-'])
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .filter(|w| !w.is_empty())
}

fn push_unique(list: &mut Vec<String>, value: &str) {
    if !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

fn main() {
    let names: BTreeMap<&str, &str> = NAME_OVERRIDES.iter().copied().collect();
    let demonym_fixes: BTreeMap<&str, &str> = DEMONYM_OVERRIDES.iter().copied().collect();

    let mut english_words: BTreeSet<String> =
        ENGLISH_WORDS.iter().map(|w| w.to_lowercase()).collect();
    for country in keshvar::CountryIterator::new() {
        let names = [country.iso_short_name(), country.iso_long_name()]
            .into_iter()
            .chain(country.translations().get("en").copied())
            .chain(country.maybe_nationality());
        for name in names {
            english_words.extend(words(name));
        }
    }
    let is_english = |name: &str| words(name).all(|w| english_words.contains(&w));

    let mut rows: Vec<Row> = Vec::new();
    for country in keshvar::CountryIterator::new() {
        let alpha2 = country.alpha2().to_string();
        let translations = country.translations();
        let english = translations.get("en").copied();
        let short = country.iso_short_name();
        let name = match names.get(alpha2.as_str()) {
            Some(n) => n.to_string(),
            None => [english.unwrap_or(short), short]
                .into_iter()
                .find(|n| is_good_name(n))
                .unwrap_or_else(|| panic!("{alpha2}: no clean short name, add an override"))
                .to_string(),
        };
        let official = country.iso_long_name().to_string();
        let official_bare = official
            .strip_prefix("The ")
            .unwrap_or(&official)
            .to_string();

        let foreign: BTreeSet<String> = translations
            .iter()
            .filter(|(lang, _)| !lang.starts_with("en"))
            .map(|(_, v)| v.to_lowercase())
            .collect();
        let mut variants: Vec<String> = Vec::new();
        let mut seen: BTreeSet<String> = [&name, &official, &official_bare]
            .iter()
            .map(|n| n.to_lowercase())
            .collect();
        let official_names = [short].into_iter().chain(english).map(|n| (n, true));
        let unofficial = country.unofficial_name_list().iter().map(|&n| (n, false));
        for (candidate, known_english) in official_names.chain(unofficial) {
            // `The Bahamas`, `The United Kingdom`: news writes `the` in lower case, outside
            // the name, and the runtime strips it from official names too.
            let candidate = candidate.strip_prefix("The ").unwrap_or(candidate);
            if !is_clean(candidate) {
                continue;
            }
            let lower = candidate.to_lowercase();
            if !known_english && (foreign.contains(&lower) || !is_english(candidate)) {
                continue;
            }
            if seen.insert(lower) {
                variants.push(candidate.to_string());
            }
        }

        let mut demonyms = Vec::new();
        let nationality = demonym_fixes
            .get(alpha2.as_str())
            .copied()
            .or(country.maybe_nationality());
        for demonym in nationality.into_iter().flat_map(|n| n.split(", ")) {
            if is_clean(demonym) {
                push_unique(&mut demonyms, demonym);
            }
        }

        rows.push(Row {
            alpha2,
            alpha3: country.alpha3().to_string(),
            numeric: country.number().to_string(),
            name,
            official,
            variants,
            demonyms,
            un_member: country.un_member(),
        });
    }
    rows.sort_by(|a, b| a.alpha2.cmp(&b.alpha2));

    // Every surface form a country is called by, to find shared ones.
    let all_names: BTreeSet<String> = rows
        .iter()
        .flat_map(|r| {
            [r.name.clone(), r.official.clone()]
                .into_iter()
                .chain(r.variants.iter().cloned())
        })
        .collect();
    let mut variant_owners: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut demonym_owners: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        for v in &r.variants {
            variant_owners.entry(v.clone()).or_default().push(i);
        }
        for d in &r.demonyms {
            demonym_owners.entry(d.clone()).or_default().push(i);
        }
    }
    let primary_names: BTreeSet<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    let demonym_keeper = |owners: &[usize]| -> Option<usize> {
        if owners.len() == 1 {
            return Some(owners[0]);
        }
        let members: Vec<usize> = owners
            .iter()
            .copied()
            .filter(|&i| rows[i].un_member)
            .collect();
        (members.len() == 1).then(|| members[0])
    };
    let mut kept_variants = vec![Vec::new(); rows.len()];
    let mut kept_demonyms = vec![Vec::new(); rows.len()];
    let mut dropped = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        for v in &r.variants {
            if variant_owners[v].len() == 1 && !(primary_names.contains(v.as_str())) {
                kept_variants[i].push(v.clone());
            } else {
                dropped.push(format!("{}: variant {v:?} (shared)", r.alpha2));
            }
        }
        for d in &r.demonyms {
            if all_names.contains(d) {
                dropped.push(format!("{}: demonym {d:?} (is a name)", r.alpha2));
            } else if demonym_keeper(&demonym_owners[d]) == Some(i) {
                kept_demonyms[i].push(d.clone());
                if let Some(p) = plural(d) {
                    kept_demonyms[i].push(p);
                }
            } else {
                dropped.push(format!("{}: demonym {d:?} (shared)", r.alpha2));
            }
        }
    }

    let mut out = String::new();
    let _ = writeln!(
        out,
        "# generated by cargo run -p kith-nlp --example generate_gazetteer from keshvar {KESHVAR_VERSION} (BSD-3-Clause); do not edit"
    );
    out.push_str("alpha2\talpha3\tnumeric\tname\tofficial_name\tvariants\tdemonyms\n");
    let mut variant_count = 0;
    let mut demonym_count = 0;
    for (i, r) in rows.iter().enumerate() {
        variant_count += kept_variants[i].len();
        demonym_count += kept_demonyms[i].len();
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            r.alpha2,
            r.alpha3,
            r.numeric,
            r.name,
            r.official,
            kept_variants[i].join("|"),
            kept_demonyms[i].join("|")
        );
    }

    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/gazetteer/countries.tsv");
    std::fs::create_dir_all(path.parent().unwrap()).expect("create data/gazetteer");
    std::fs::write(&path, out).expect("write countries.tsv");
    for d in &dropped {
        eprintln!("dropped {d}");
    }
    eprintln!(
        "wrote {} countries, {variant_count} variant names, {demonym_count} demonyms to {}",
        rows.len(),
        path.display()
    );
}
