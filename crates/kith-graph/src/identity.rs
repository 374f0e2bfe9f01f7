//! Cross-document identity: which of a graph's entities are one real thing.
//!
//! Merging ([`crate::KnowledgeGraph::add_document`], [`crate::KnowledgeGraph::merge`])
//! joins entities only on an exact identity key (external id or normalised full name), so
//! *Rubio* in one article and *Marco Rubio* in another, or *The State Department* and
//! *State Department*, stay two nodes. [`resolve`] reads the merged graph and joins them:
//!
//! - **variant** — the same name once determiners, possessives, honorifics, diacritics
//!   and capitals are set aside (*The State Department* = *State Department*, *Mr Rubio*
//!   = *Rubio*, *SAO PAULO* = *São Paulo*); an `Other` entity joins a typed one of that
//!   name when exactly one exists;
//! - **partial-name** — a person named by part of a full name (*Rubio*, *Lula*,
//!   *Marco Rubio* for *Marco Antonio Rubio*: the words in order, the surname the same,
//!   no given name contradicting) joins that full name when exactly one candidate exists;
//!   with several, the one sharing a neighbour, if exactly one does; otherwise it stays
//!   apart (two Smiths with different given names never merge);
//! - **alias** — a name another entity's documents gave it as an alias (*LeT* where
//!   another article wrote *Lashkar-e-Taiba (LeT)*), or an acronym of its name, when
//!   exactly one entity qualifies;
//! - **short-name** — an organisation or place named by the first or last words of a
//!   longer name of the same type (*Activision* → *Activision Blizzard*, *New York* →
//!   *New York City*) when exactly one candidate exists and the words are not generic;
//! - **event** — events with the same head noun and the same name modifier (*Pahalgam
//!   attack* = *Pahalgam terror attack*);
//! - **alias-file** — what an [`AliasTable`] forces (`name,canonical`, `name,registry:id`)
//!   or forbids (`name,!`: no rule above touches that name);
//! - **bare-role** — a title that names no country or organisation (*Prime Minister*,
//!   *Chief Executive*; no *of*, no `position-of` relation) is qualified, in each document,
//!   by the one country or organisation its holders there are affiliated with
//!   (`affiliated-with`, `citizen-of`, `works-for`, `member-of`): *Prime Minister* held by
//!   someone affiliated with Pakistan joins *Prime Minister of Pakistan*. Where no single
//!   affiliation qualifies it and merging joined it across documents by its name, it is
//!   split back into one node per document; relations to it are split by the document of
//!   their evidence, so a bare title never links unrelated holders.
//!
//! **Why a view.** The graph stores the exact-key union and this function is applied to it
//! when the graph is read (`kith` does it when loading a graph for queries and exports),
//! rather than rewriting the stored graph: resolution is not monotone — a *Rubio* that
//! joins the only *Marco Rubio* must stay apart once a second article brings *Tom Rubio* —
//! so a stored, already-resolved graph could not take more documents (`--into`, `merge`)
//! and still equal a whole build. As a pure function of the stored content (processed in
//! a fixed order of names and ids), the view is the same whatever the order, grouping or
//! thread count that built the graph.
//!
//! A merged node keeps the id of its representative (an entity with an external id, else
//! the one with the fullest name), so ids stay content-derived; relations are re-keyed on
//! their new ends, equal ones joined and those that now relate a node to itself dropped.
//! Every join and every refusal is a [`Decision`], which `kith explain` prints.

use crate::error::GraphError;
use crate::merge::{entity_id, identity_key_of, normalize_name, relation_id};
use crate::model::{EntityId, KnowledgeGraph, Relation, RelationId};
use kith_schema::EntityType;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Settings of the resolution, stored with the graph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentitySettings {
    /// Whether the automatic rules run (the alias table applies either way).
    #[serde(default = "yes")]
    pub cross_document: bool,
    /// Forced and forbidden merges.
    #[serde(default, skip_serializing_if = "AliasTable::is_empty")]
    pub aliases: AliasTable,
}

fn yes() -> bool {
    true
}

impl Default for IdentitySettings {
    fn default() -> Self {
        IdentitySettings {
            cross_document: true,
            aliases: AliasTable::default(),
        }
    }
}

impl IdentitySettings {
    /// Whether these are the defaults (then the graph file does not mention them).
    pub fn is_default(&self) -> bool {
        *self == IdentitySettings::default()
    }

    /// The settings of two graphs merged: resolution off if either has it off, the union
    /// of the alias tables. Commutative and associative, like every merge.
    pub fn merge(&mut self, other: &IdentitySettings) {
        self.cross_document &= other.cross_document;
        self.aliases.extend(&other.aliases);
    }
}

/// What an alias-table line says about a name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AliasTarget {
    /// The same thing as the entity with this name (normalised).
    Name(String),
    /// The thing with this external id, `registry:value` (`wikidata:Q1`).
    Id(String, String),
    /// Never merged across documents by the automatic rules.
    Apart,
}

/// Forced and forbidden merges, read from a CSV file (see [`AliasTable::parse`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AliasTable {
    /// Normalised name → what it is.
    rules: BTreeMap<String, AliasTarget>,
}

impl AliasTable {
    /// Whether the table has no rule.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// How many names it rules on.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Adds another table's rules. Where both rule on a name, `!` wins, then the smaller
    /// target, so the result is the same in any order.
    pub fn extend(&mut self, other: &AliasTable) {
        for (name, target) in &other.rules {
            let entry = self
                .rules
                .entry(name.clone())
                .or_insert_with(|| target.clone());
            let winner = match (&*entry, target) {
                (AliasTarget::Apart, _) | (_, AliasTarget::Apart) => AliasTarget::Apart,
                (a, b) => a.clone().min(b.clone()),
            };
            *entry = winner;
        }
    }

    /// Parses CSV lines `name,canonical name`, `name,registry:id` (`Marco Rubio,wikidata:Q324546`)
    /// or `name,!` (keep apart); blank lines and lines starting with `#` are skipped, a
    /// field may be double-quoted (`"Smith, John",!`). `source` names the file in errors,
    /// which give its line.
    pub fn parse(text: &str, source: &str) -> Result<AliasTable, GraphError> {
        let mut table = AliasTable::default();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |reason: String| GraphError::BadAliases {
                source_name: source.to_string(),
                line: n + 1,
                reason,
            };
            let fields = split_csv(line).map_err(bad)?;
            let [name, target] = fields.as_slice() else {
                return Err(bad(format!(
                    "expected two fields `name,canonical name|registry:id|!`, found {}",
                    fields.len()
                )));
            };
            let key = normalize_name(name);
            if key.is_empty() || target.trim().is_empty() {
                return Err(bad("empty name or target".to_string()));
            }
            let target = target.trim();
            let rule = if target == "!" {
                AliasTarget::Apart
            } else if let Some((registry, value)) = external_id(target) {
                AliasTarget::Id(registry.to_string(), value.to_string())
            } else {
                AliasTarget::Name(normalize_name(target))
            };
            if let Some(previous) = table.rules.get(&key) {
                if *previous != rule {
                    return Err(bad(format!("{name:?} already has another rule")));
                }
            }
            table.rules.insert(key, rule);
        }
        Ok(table)
    }

    fn rule(&self, name: &str) -> Option<&AliasTarget> {
        self.rules.get(&normalize_name(name))
    }
}

/// `registry:value` with a registry of lower-case letters, digits, `-` or `.` and a
/// value without spaces: an external id rather than a name.
fn external_id(target: &str) -> Option<(&str, &str)> {
    let (registry, value) = target.split_once(':')?;
    let registry_ok = !registry.is_empty()
        && registry
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
    (registry_ok && !value.is_empty() && !value.contains(char::is_whitespace))
        .then_some((registry, value))
}

/// Splits one CSV line: commas separate fields, double quotes protect commas, `""` is a
/// quote.
fn split_csv(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', true) => quoted = false,
            ('"', false) if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            (',', false) => fields.push(std::mem::take(&mut field).trim().to_string()),
            (c, _) => field.push(c),
        }
    }
    if quoted {
        return Err("unterminated quoted field".to_string());
    }
    fields.push(field.trim().to_string());
    Ok(fields)
}

/// One join or refusal made by [`resolve`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Decision {
    /// The node the entity ended in (the resolved graph's id).
    pub node: EntityId,
    /// The entity decided on, as the stored graph has it: its name.
    pub name: String,
    /// Its id in the stored graph.
    pub entity: EntityId,
    /// Whether it was joined to another entity (`false`: kept apart).
    pub merged: bool,
    /// The rule (`variant`, `partial-name`, `alias`, `short-name`, `event`, `alias-file`).
    pub rule: &'static str,
    /// Why, in words: the other entity and what made them one (or the candidates that
    /// made a partial name ambiguous).
    pub reason: String,
}

/// A resolved graph and the decisions that made it.
#[derive(Clone, Debug)]
pub struct Resolution {
    /// The graph with every real thing one node.
    pub graph: KnowledgeGraph,
    /// Every join and refusal, sorted by node, then entity.
    pub decisions: Vec<Decision>,
}

/// Titles and honorifics that precede a person's name and say nothing of who it is.
const HONORIFICS: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "president",
    "senator",
    "sen",
    "rep",
    "representative",
    "gov",
    "governor",
    "gen",
    "general",
    "col",
    "colonel",
    "capt",
    "captain",
    "judge",
    "justice",
    "rev",
    "reverend",
    "pope",
    "king",
    "queen",
    "prince",
    "princess",
    "minister",
    "secretary",
    "chancellor",
    "mayor",
    "sheriff",
    "officer",
    "detective",
    "coach",
    "chief",
];

/// Words that cannot identify an organisation or place on their own (*Department*,
/// *University*): a short name made only of these never joins a longer one.
const GENERIC: &[&str] = &[
    "department",
    "ministry",
    "office",
    "party",
    "army",
    "police",
    "government",
    "company",
    "group",
    "university",
    "college",
    "school",
    "bank",
    "council",
    "court",
    "agency",
    "committee",
    "association",
    "union",
    "institute",
    "club",
    "team",
    "house",
    "city",
    "county",
    "state",
    "province",
    "region",
    "island",
    "islands",
    "district",
    "new",
    "north",
    "south",
    "east",
    "west",
    "united",
    "national",
    "international",
    "american",
    "american's",
    "of",
    "and",
    "the",
    "for",
    "inc",
    "corp",
    "ltd",
    "co",
    "news",
    "times",
    "post",
];

/// Suffixes a place's longer name may add (*New York City*).
/// Not *island*: an island and its main town often share a name and are two places
/// (GUM: *Busuanga* and *Busuanga Island*).
const PLACE_SUFFIXES: &[&str] = &["city", "county", "state", "province", "region", "district"];

/// Lower case with common Latin diacritics folded (*São* → *sao*).
fn fold(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
            'ç' | 'č' | 'ć' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ě' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => 'i',
            'ñ' | 'ń' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' => 'u',
            'ý' | 'ÿ' => 'y',
            'š' | 'ś' | 'ş' => 's',
            'ž' | 'ź' | 'ż' => 'z',
            'ğ' => 'g',
            'ł' => 'l',
            '’' => '\'',
            c => c,
        })
        .collect()
}

/// The words of a name that identify it: folded, without a leading determiner, a
/// trailing possessive, full stops, and (for people) leading honorifics.
fn core_words(kind: EntityType, name: &str) -> Vec<String> {
    let mut words: Vec<String> = name
        .split_whitespace()
        .map(|w| {
            let w = fold(w);
            let w = w
                .strip_suffix("'s")
                .map(str::to_string)
                .unwrap_or(w)
                .trim_matches(|c: char| c == '.' || c == ',' || c == '"' || c == '\'')
                .to_string();
            w
        })
        // A word without a letter or digit (a dash the source spaced out) says nothing.
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| match w.as_str() {
            // British and American spellings of one name (*Betty Ford Centre*).
            "centre" => "center".to_string(),
            "theatre" => "theater".to_string(),
            "defence" => "defense".to_string(),
            "organisation" => "organization".to_string(),
            "labour" => "labor".to_string(),
            "programme" => "program".to_string(),
            _ => w,
        })
        .collect();
    while words.len() > 1 && matches!(words[0].as_str(), "the" | "a" | "an") {
        words.remove(0);
    }
    if kind == EntityType::Person {
        while words.len() > 1 && HONORIFICS.contains(&words[0].as_str()) {
            words.remove(0);
        }
    }
    if kind == EntityType::Organization {
        // *Microsoft Corp.* is *Microsoft*: the legal form is not part of the identity.
        while words.len() > 1 && CORPORATE_FORMS.contains(&words.last().map_or("", String::as_str))
        {
            words.pop();
        }
    }
    words
}

/// Legal forms closing a company's name.
const CORPORATE_FORMS: &[&str] = &[
    "inc",
    "corp",
    "corporation",
    "co",
    "ltd",
    "llc",
    "plc",
    "ag",
    "sa",
    "gmbh",
    "limited",
];

/// Whether `short` names the person `full` names: its words appear in `full` in order,
/// the last (the surname) being `full`'s last, and a first word that is an initial
/// matching a word of `full` counts; or it is two or more first words of `full`.
fn person_part_of(short: &[String], full: &[String]) -> bool {
    if short.is_empty() || short.len() >= full.len() {
        return false;
    }
    // The given names and the start of a long surname (*Luiz Inácio Lula* of *Luiz Inácio
    // Lula da Silva*); not a father's name in his son's (*John Smith Jr.*).
    if short.len() >= 2
        && full.starts_with(short)
        && !full[short.len()..]
            .iter()
            .any(|w| GENERATIONS.contains(&w.as_str()))
    {
        return true;
    }
    if short.last() != full.last() {
        return false;
    }
    let mut at = 0;
    for word in &short[..short.len() - 1] {
        let initial = word.chars().count() == 1;
        match full[at..full.len() - 1]
            .iter()
            .position(|f| f == word || (initial && f.chars().next() == word.chars().next()))
        {
            Some(p) => at += p + 1,
            None => return false,
        }
    }
    true
}

/// Words telling a son from his father.
const GENERATIONS: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

/// Whether a single-word person name appears inside a longer name other than as its
/// surname (*Lula* in *Luiz Inácio Lula da Silva*), but not as its first word (a given
/// name alone says little).
fn person_inner_word(short: &[String], full: &[String]) -> bool {
    short.len() == 1 && full.len() > 2 && full[1..full.len() - 1].contains(&short[0])
}

/// Whether a person's name opens with an honorific (*Justice Thomas*): the word after it
/// is then a surname, never a given or middle name.
fn titled(name: &str) -> bool {
    name.split_whitespace()
        .next()
        .is_some_and(|w| HONORIFICS.contains(&fold(w).trim_end_matches('.')))
        && name.split_whitespace().count() > 1
}

/// Capital initials of a name's words, skipping *of*, *and*, *the*, *for* (*LeT* →
/// compared as `let`).
fn initials(words: &[String]) -> String {
    words
        .iter()
        .filter(|w| !matches!(w.as_str(), "of" | "and" | "the" | "for" | "&" | "de"))
        .flat_map(|w| w.split('-'))
        .filter_map(|w| w.chars().next())
        .collect()
}

/// Whether `short` is the first or last words of `full`, not all generic, and (for
/// places) `full` only adds a place suffix.
fn short_name_of(kind: EntityType, short: &[String], full: &[String]) -> bool {
    if short.is_empty() || short.len() >= full.len() {
        return false;
    }
    if short.iter().all(|w| GENERIC.contains(&w.as_str())) {
        return false;
    }
    match kind {
        EntityType::Organization => {
            full.starts_with(short) || (short.len() > 1 && full.ends_with(short))
        }
        EntityType::Location => {
            full.starts_with(short)
                && full[short.len()..]
                    .iter()
                    .all(|w| PLACE_SUFFIXES.contains(&w.as_str()))
        }
        _ => false,
    }
}

/// Union-find over entity indices, keeping the smallest index as root so the result
/// does not depend on the order of unions.
struct Clusters {
    parent: Vec<usize>,
}

impl Clusters {
    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let (low, high) = (ra.min(rb), ra.max(rb));
        self.parent[high] = low;
        true
    }
}

/// One stored entity as the rules see it.
struct Item {
    id: EntityId,
    kind: EntityType,
    name: String,
    words: Vec<String>,
    aliases: BTreeSet<String>,
    ids: BTreeMap<String, String>,
    mentions: usize,
    apart: bool,
}

/// Resolves identities across documents (see the module documentation). A pure function
/// of the graph's content and `settings`.
pub fn resolve(graph: &KnowledgeGraph, settings: &IdentitySettings) -> Resolution {
    let entities: Vec<&crate::Entity> = graph.entities.values().collect();
    let items: Vec<Item> = entities
        .iter()
        .map(|e| Item {
            id: e.id.clone(),
            kind: e.kind,
            name: e.name.clone(),
            words: core_words(e.kind, &e.name),
            aliases: e
                .aliases
                .iter()
                .map(|a| core_words(e.kind, a).join(" "))
                .collect(),
            ids: e.external_ids.clone(),
            mentions: e.mentions.len(),
            apart: matches!(settings.aliases.rule(&e.name), Some(AliasTarget::Apart)),
        })
        .collect();
    let mut clusters = Clusters {
        parent: (0..items.len()).collect(),
    };
    let mut joins: Vec<(usize, usize, &'static str, String)> = Vec::new();
    let mut refusals: Vec<(usize, String)> = Vec::new();

    // Forced merges first: they hold whatever the rules say.
    let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut by_id: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        by_name
            .entry(normalize_name(&item.name))
            .or_default()
            .push(i);
        for (registry, value) in &item.ids {
            by_id
                .entry((registry.clone(), value.clone()))
                .or_default()
                .push(i);
        }
    }
    let mut forced_ids: BTreeMap<usize, (String, String)> = BTreeMap::new();
    let mut canonical_items: BTreeSet<usize> = BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        match settings.aliases.rule(&item.name) {
            Some(AliasTarget::Name(canonical)) => {
                for &j in by_name.get(canonical).into_iter().flatten() {
                    canonical_items.insert(j);
                    if clusters.union(i, j) {
                        joins.push((
                            i,
                            j,
                            "alias-file",
                            format!("the alias file names it {:?}", items[j].name),
                        ));
                    }
                }
            }
            Some(AliasTarget::Id(registry, value)) => {
                forced_ids.insert(i, (registry.clone(), value.clone()));
                for &j in by_id
                    .get(&(registry.clone(), value.clone()))
                    .into_iter()
                    .flatten()
                {
                    if clusters.union(i, j) {
                        joins.push((
                            i,
                            j,
                            "alias-file",
                            format!(
                                "the alias file gives it {registry}:{value}, which {:?} has",
                                items[j].name
                            ),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    // Names the alias file ties to one id join each other too.
    let mut by_forced: BTreeMap<&(String, String), Vec<usize>> = BTreeMap::new();
    for (i, key) in &forced_ids {
        by_forced.entry(key).or_default().push(*i);
    }
    for (key, members) in by_forced {
        for &j in &members[1..] {
            if clusters.union(members[0], j) {
                joins.push((
                    j,
                    members[0],
                    "alias-file",
                    format!("the alias file gives both {}:{}", key.0, key.1),
                ));
            }
        }
    }

    if settings.cross_document {
        automatic(&items, graph, &mut clusters, &mut joins, &mut refusals);
    }
    build(
        graph,
        &items,
        &mut clusters,
        joins,
        refusals,
        &forced_ids,
        &canonical_items,
    )
}

/// Two entities may join automatically: neither kept apart by the alias file, and no
/// registry giving them different ids.
fn compatible(items: &[Item], a: usize, b: usize) -> bool {
    if items[a].apart || items[b].apart {
        return false;
    }
    items[a]
        .ids
        .iter()
        .all(|(k, v)| items[b].ids.get(k).is_none_or(|w| w == v))
}

/// The automatic rules, in a fixed order: variants, events, then partial names from the
/// shortest up, each counting candidates as clusters.
fn automatic(
    items: &[Item],
    graph: &KnowledgeGraph,
    clusters: &mut Clusters,
    joins: &mut Vec<(usize, usize, &'static str, String)>,
    refusals: &mut Vec<(usize, String)>,
) {
    let index_of: BTreeMap<&EntityId, usize> = items
        .iter()
        .enumerate()
        .map(|(i, it)| (&it.id, i))
        .collect();
    // Variants: the same core words and type.
    let mut by_core: BTreeMap<(EntityType, String), Vec<usize>> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        if !item.words.is_empty() {
            by_core
                .entry((item.kind, item.words.join(" ")))
                .or_default()
                .push(i);
        }
    }
    for ((_, core), members) in &by_core {
        for &j in &members[1..] {
            if compatible(items, members[0], j) && clusters.union(members[0], j) {
                joins.push((
                    j,
                    members[0],
                    "variant",
                    format!("the same name as {:?} ({core})", items[members[0]].name),
                ));
            }
        }
    }
    // One name, several types: the types one name often gets from different documents'
    // taggers (a state as a place and as an organisation, anything as `Other`) join the
    // type most of its mentions have. A person and a place or organisation of one name
    // (*Jordan*, *Paris*, *Ford*) are often different things, and stay apart.
    let mut kinds_of: BTreeMap<&str, BTreeMap<EntityType, (usize, usize)>> = BTreeMap::new();
    for ((kind, core), members) in &by_core {
        if *kind == EntityType::Role {
            continue;
        }
        let mentions: usize = members.iter().map(|&m| items[m].mentions).sum();
        kinds_of
            .entry(core.as_str())
            .or_default()
            .insert(*kind, (mentions, members[0]));
    }
    let joinable = |a: EntityType, b: EntityType| {
        use EntityType::*;
        !matches!(
            (a, b),
            (Person, Location | Country | Organization | Event)
                | (Location | Country | Organization | Event, Person)
        )
    };
    for (core, kinds) in &kinds_of {
        if kinds.len() < 2 {
            continue;
        }
        let (&main, &(_, first)) = kinds
            .iter()
            .max_by_key(|(kind, (mentions, _))| (*mentions, std::cmp::Reverse(**kind)))
            .expect("two kinds");
        for (&kind, &(_, j)) in kinds {
            if kind != main
                && joinable(main, kind)
                && compatible(items, first, j)
                && clusters.union(first, j)
            {
                joins.push((
                    j,
                    first,
                    "variant",
                    format!(
                        "the same name as {:?} ({core}), typed {} by most mentions",
                        items[first].name, main
                    ),
                ));
            }
        }
    }
    // Events: same head noun, same first (name) word.
    let mut by_event: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        if item.kind == EntityType::Event && item.words.len() >= 2 {
            let first = &item.words[0];
            let named = item
                .name
                .split_whitespace()
                .find(|w| !matches!(w.to_lowercase().as_str(), "the" | "a" | "an"));
            if named.is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase)) {
                by_event
                    .entry((
                        first.clone(),
                        item.words.last().cloned().unwrap_or_default(),
                    ))
                    .or_default()
                    .push(i);
            }
        }
    }
    for ((first, head), members) in &by_event {
        for &j in &members[1..] {
            if compatible(items, members[0], j) && clusters.union(members[0], j) {
                joins.push((
                    j,
                    members[0],
                    "event",
                    format!(
                        "the same event as {:?}: head {head:?}, modifier {first:?}",
                        items[members[0]].name
                    ),
                ));
            }
        }
    }
    // Neighbours of each entity (stated relations only), for ties.
    let mut neighbours: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); items.len()];
    for relation in graph.relations.values().filter(|r| !r.is_cooccurrence()) {
        if let (Some(&a), Some(&b)) = (
            index_of.get(&relation.subject),
            index_of.get(&relation.object),
        ) {
            neighbours[a].insert(b);
            neighbours[b].insert(a);
        }
    }
    // Partial names, longest first: a two-word name finds its three-word full name before
    // one-word names look for candidates, so a chain (*Rubio* → *Marco Rubio* → *Marco
    // Antonio Rubio*) counts as one candidate.
    let mut order: Vec<usize> = (0..items.len())
        .filter(|&i| !items[i].words.is_empty() && items[i].kind != EntityType::Role)
        .collect();
    order.sort_by(|&a, &b| {
        (std::cmp::Reverse(items[a].words.len()), &items[a].words, a).cmp(&(
            std::cmp::Reverse(items[b].words.len()),
            &items[b].words,
            b,
        ))
    });
    // Indexes: entities by each core word, by alias, and by initials.
    let mut by_word: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    let mut by_alias_name: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    let mut by_initials: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        for w in &item.words {
            by_word.entry(w.as_str()).or_default().insert(i);
        }
        for a in &item.aliases {
            by_alias_name.entry(a.as_str()).or_default().insert(i);
        }
        if item.words.len() >= 2 {
            by_initials
                .entry(initials(&item.words))
                .or_default()
                .insert(i);
        }
    }
    for &i in &order {
        let item = &items[i];
        let mut strong: BTreeSet<usize> = BTreeSet::new();
        let mut weak: BTreeSet<usize> = BTreeSet::new();
        let mut rule = "partial-name";
        let mut pool: BTreeSet<usize> = BTreeSet::new();
        for w in [item.words.first(), item.words.last()]
            .into_iter()
            .flatten()
        {
            pool.extend(by_word.get(w.as_str()).into_iter().flatten());
        }
        for j in pool {
            let other = &items[j];
            if j == i || other.words.len() <= item.words.len() || !compatible(items, i, j) {
                continue;
            }
            let same_kind = other.kind == item.kind;
            match item.kind {
                EntityType::Person if same_kind => {
                    if person_part_of(&item.words, &other.words) {
                        strong.insert(j);
                    } else if !titled(&item.name) && person_inner_word(&item.words, &other.words) {
                        weak.insert(j);
                    }
                }
                EntityType::Organization | EntityType::Location
                    if same_kind && short_name_of(item.kind, &item.words, &other.words) =>
                {
                    strong.insert(j);
                    rule = "short-name";
                }
                _ => {}
            }
        }
        // Aliases and acronyms, any type but roles and events.
        let core = item.words.join(" ");
        let mut by_alias: BTreeSet<usize> = BTreeSet::new();
        if !matches!(item.kind, EntityType::Role | EntityType::Event) {
            let acronym = item.words.len() == 1
                && item.name.chars().filter(|c| c.is_uppercase()).count() >= 2;
            // Only acronym-like names: an alias that is a plain word came from a partial
            // name inside one document (*Amsterdam* for a library of Amsterdam's
            // university), which the rules above judge on their own terms.
            let mut pool: BTreeSet<usize> = BTreeSet::new();
            if acronym {
                pool.extend(by_alias_name.get(core.as_str()).into_iter().flatten());
                pool.extend(by_initials.get(&core).into_iter().flatten());
            }
            for j in pool {
                if j != i && items[j].kind == item.kind && compatible(items, i, j) {
                    by_alias.insert(j);
                }
            }
        }
        let roots = |set: &BTreeSet<usize>, clusters: &mut Clusters| -> BTreeSet<usize> {
            set.iter().map(|&j| clusters.find(j)).collect()
        };
        let own = clusters.find(i);
        let (candidates, rule) = {
            let strong_roots: BTreeSet<usize> = roots(&strong, clusters);
            if !strong_roots.is_empty() {
                (strong_roots, rule)
            } else if !weak.is_empty() {
                (roots(&weak, clusters), "partial-name")
            } else {
                (roots(&by_alias, clusters), "alias")
            }
        };
        let candidates: BTreeSet<usize> = candidates.into_iter().filter(|&r| r != own).collect();
        let chosen = match candidates.len() {
            0 => None,
            1 => candidates.iter().next().copied(),
            _ => {
                // A tie goes to the one candidate sharing a neighbour, if exactly one does.
                let mine: BTreeSet<usize> =
                    neighbours[i].iter().map(|&n| clusters.find(n)).collect();
                let matched: BTreeSet<usize> = strong
                    .union(&weak)
                    .chain(by_alias.iter())
                    .copied()
                    .collect();
                // Each matched entity's cluster and whether it shares a neighbour with i.
                let shared: Vec<(usize, bool)> = matched
                    .iter()
                    .map(|&m| {
                        let linked = neighbours[m]
                            .iter()
                            .any(|&n| mine.contains(&clusters.find(n)));
                        (clusters.find(m), linked)
                    })
                    .collect();
                let sharing: Vec<usize> = candidates
                    .iter()
                    .copied()
                    .filter(|&c| shared.iter().any(|&(root, linked)| root == c && linked))
                    .collect();
                match sharing.as_slice() {
                    [one] => Some(*one),
                    _ => {
                        let names: Vec<String> = candidates
                            .iter()
                            .map(|&c| format!("{:?}", items[c].name))
                            .collect();
                        refusals.push((i, format!("{rule}: several candidates ({}), none singled out by a shared neighbour", names.join(", "))));
                        None
                    }
                }
            }
        };
        if let Some(root) = chosen {
            // Name the fullest member of the chosen cluster as the reason.
            let target = (0..items.len())
                .filter(|&m| clusters.find(m) == root)
                .max_by_key(|&m| (items[m].words.len(), std::cmp::Reverse(m)))
                .unwrap_or(root);
            if clusters.union(i, root) {
                let why = match rule {
                    "partial-name" => "its words are part of the full name",
                    "short-name" => "it is the first or last words of the longer name",
                    _ => "the other's documents use it as an alias or it is the acronym",
                };
                joins.push((
                    i,
                    target,
                    rule,
                    format!(
                        "{why} {:?}, the only candidate of its type",
                        items[target].name
                    ),
                ));
            }
        }
    }
}

/// The preference among a cluster's members for its representative: an external id,
/// the canonical name of an alias-file line, a typed kind, a name not in capitals, the most words, the most mentions, then the id.
fn representative(
    items: &[Item],
    members: &[usize],
    forced: &BTreeMap<usize, (String, String)>,
    canonical: &BTreeSet<usize>,
) -> usize {
    let shouted = |n: &str| {
        n.chars().filter(|c| c.is_alphabetic()).count() > 3 && !n.chars().any(char::is_lowercase)
    };
    *members
        .iter()
        .min_by_key(|&&m| {
            let it = &items[m];
            (
                it.ids.is_empty() && !forced.contains_key(&m),
                !canonical.contains(&m),
                it.kind == EntityType::Other,
                shouted(&it.name),
                std::cmp::Reverse(it.words.len()),
                std::cmp::Reverse(it.mentions),
                it.id.clone(),
            )
        })
        .expect("a cluster has members")
}

/// The name a merged node shows: the representative's, without a leading *the* when a
/// member wrote it without one, and never in capitals when a member wrote it otherwise.
fn display_name(items: &[Item], rep: usize, members: &[usize]) -> String {
    let name = &items[rep].name;
    let stripped = name
        .strip_prefix("The ")
        .or_else(|| name.strip_prefix("the "))
        .unwrap_or(name);
    let plain = members
        .iter()
        .any(|&m| normalize_name(&items[m].name) == normalize_name(stripped));
    let chosen = if plain { stripped } else { name.as_str() };
    if !chosen.chars().any(char::is_lowercase) {
        if let Some(m) = members.iter().find(|&&m| {
            items[m].name.chars().any(char::is_lowercase) && fold(&items[m].name) == fold(chosen)
        }) {
            return items[*m].name.clone();
        }
    }
    chosen.to_string()
}

fn build(
    graph: &KnowledgeGraph,
    items: &[Item],
    clusters: &mut Clusters,
    joins: Vec<(usize, usize, &'static str, String)>,
    refusals: Vec<(usize, String)>,
    forced: &BTreeMap<usize, (String, String)>,
    canonical: &BTreeSet<usize>,
) -> Resolution {
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..items.len() {
        members.entry(clusters.find(i)).or_default().push(i);
    }
    let mut node_of: Vec<EntityId> = vec![EntityId(String::new()); items.len()];
    let mut out = KnowledgeGraph {
        options: graph.options,
        producer: graph.producer.clone(),
        documents: graph.documents.clone(),
        entities: BTreeMap::new(),
        relations: BTreeMap::new(),
        // A view: entities are joined, so documents' shares no longer name them.
        units: Default::default(),
        texts: Default::default(),
        identity: graph.identity.clone(),
    };
    for list in members.values() {
        let rep = representative(items, list, forced, canonical);
        let mut entity = graph.entities[&items[rep].id].clone();
        if let Some((registry, value)) = forced.get(&rep) {
            entity
                .external_ids
                .entry(registry.clone())
                .or_insert_with(|| value.clone());
            if items[rep].ids.is_empty() {
                // Keyed like an entity that came with the id.
                let key = identity_key_of(&entity.external_ids, &entity.name);
                entity.id = entity_id(entity.kind, &key);
            }
        }
        for &m in list {
            node_of[m] = entity.id.clone();
            if m == rep {
                continue;
            }
            let mut other = graph.entities[&items[m].id].clone();
            other.id = entity.id.clone();
            if let Some((registry, value)) = forced.get(&m) {
                other
                    .external_ids
                    .entry(registry.clone())
                    .or_insert_with(|| value.clone());
            }
            entity.absorb(other);
        }
        if list.len() > 1 {
            let name = display_name(items, rep, list);
            let old = std::mem::replace(&mut entity.name, name);
            entity.aliases.insert(old);
            let current = entity.name.clone();
            entity.aliases.remove(&current);
        }
        out.entities.insert(entity.id.clone(), entity);
    }
    for relation in graph.relations.values() {
        let (Some(s), Some(o)) = (
            items_index(items, &relation.subject),
            items_index(items, &relation.object),
        ) else {
            continue;
        };
        let (subject, object) = (node_of[s].clone(), node_of[o].clone());
        if subject == object {
            continue;
        }
        let (subject, object) = if relation.is_cooccurrence() && object < subject {
            (object, subject)
        } else {
            (subject, object)
        };
        let id: RelationId = relation_id(
            &subject,
            &relation.predicate,
            &object,
            relation.polarity,
            relation.modality,
        );
        let moved = Relation {
            id: id.clone(),
            subject,
            object,
            ..relation.clone()
        };
        match out.relations.get_mut(&id) {
            Some(existing) => existing.absorb(moved),
            None => {
                out.relations.insert(id, moved);
            }
        }
    }
    let mut decisions: Vec<Decision> = joins
        .into_iter()
        .map(|(i, _, rule, reason)| Decision {
            node: node_of[i].clone(),
            name: items[i].name.clone(),
            entity: items[i].id.clone(),
            merged: true,
            rule,
            reason,
        })
        .chain(refusals.into_iter().map(|(i, reason)| Decision {
            node: node_of[i].clone(),
            name: items[i].name.clone(),
            entity: items[i].id.clone(),
            merged: false,
            rule: "partial-name",
            reason,
        }))
        .collect();
    split_unqualified_roles(&mut out, &mut decisions);
    decisions.sort();
    Resolution {
        graph: out,
        decisions,
    }
}

/// Relations saying which country or organisation a person belongs to.
const AFFILIATIONS: &[&str] = &["affiliated-with", "citizen-of", "works-for", "member-of"];

/// A bare title (*Prime Minister*, *Chief Executive*: no *of*, no id, no `position-of`
/// relation) is not one thing across documents: merged by name it would be a hub joining
/// unrelated holders. In each document it becomes the one qualified title its holders
/// there hold anywhere in the graph whose name holds its words (*the Secretary* of
/// someone who is *United States Secretary of State*), else the title of the one country or
/// organisation its holders there are affiliated with (*Prime Minister of Pakistan*, id
/// from that name, so it joins the role the text names in full elsewhere), else, when
/// several documents name it, a node of that document alone (id from the name and the
/// document); each relation to it is split by the document of its evidence.
/// What a bare title becomes in one document.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Qualified {
    /// The qualified role (by id) its holder holds, whose name holds its words.
    Held(EntityId),
    /// The title of this country or organisation, its holders' affiliation.
    By(String),
    /// Neither.
    No,
}

fn split_unqualified_roles(out: &mut KnowledgeGraph, decisions: &mut Vec<Decision>) {
    // One pass over the relations for every index the decisions need, so the cost
    // follows the graph's size, not its size times the number of titles.
    let mut positioned: BTreeSet<&EntityId> = BTreeSet::new();
    let mut affiliations: BTreeMap<&EntityId, BTreeSet<&EntityId>> = BTreeMap::new();
    // Role → its relations' documents, and (document, holder) pairs of holds-position.
    let mut role_docs: BTreeMap<&EntityId, BTreeSet<&kith_schema::DocId>> = BTreeMap::new();
    let mut holders: BTreeMap<(&EntityId, &kith_schema::DocId), BTreeSet<&EntityId>> =
        BTreeMap::new();
    // Holder → the roles it holds, in any document.
    let mut held: BTreeMap<&EntityId, BTreeSet<&EntityId>> = BTreeMap::new();
    for r in out.relations.values() {
        if r.predicate == "position-of" {
            positioned.insert(&r.subject);
        }
        if AFFILIATIONS.contains(&r.predicate.as_str())
            && out
                .entities
                .get(&r.object)
                .is_some_and(|e| matches!(e.kind, EntityType::Country | EntityType::Organization))
        {
            affiliations
                .entry(&r.subject)
                .or_default()
                .insert(&r.object);
        }
        for end in [&r.subject, &r.object] {
            if out
                .entities
                .get(end)
                .is_some_and(|e| e.kind == EntityType::Role)
            {
                role_docs
                    .entry(end)
                    .or_default()
                    .extend(r.evidence.iter().map(|e| &e.doc));
            }
        }
        if r.predicate == "holds-position" {
            held.entry(&r.subject).or_default().insert(&r.object);
            for e in r.evidence.iter() {
                holders
                    .entry((&r.object, &e.doc))
                    .or_default()
                    .insert(&r.subject);
            }
        }
    }
    let affiliation = |holder: &EntityId| -> Option<&EntityId> {
        match affiliations
            .get(holder)
            .map(|s| s.iter().collect::<Vec<_>>())
            .as_deref()
        {
            Some([one]) => Some(**one),
            _ => None,
        }
    };
    // A qualified role whose title holds the bare title's words ("United States Secretary
    // of State" for "Secretary").
    let qualified_with_title = |candidate: &EntityId, title: &str| {
        out.entities.get(candidate).is_some_and(|e| {
            e.kind == EntityType::Role
                && (e.name.contains(" of ") || positioned.contains(candidate))
                && format!(" {} ", normalize_name(&e.name)).contains(&format!(" {title} "))
        })
    };
    // Per bare role and document: the node it becomes and the qualifier, if any.
    type Plan = BTreeMap<kith_schema::DocId, (EntityId, Qualified)>;
    let mut plans: Vec<(EntityId, Plan)> = Vec::new();
    for role in out.entities.values() {
        let bare = role.kind == EntityType::Role
            && !role.name.contains(" of ")
            && role.external_ids.is_empty()
            && !positioned.contains(&role.id);
        if !bare {
            continue;
        }
        let id = &role.id;
        let key = normalize_name(&role.name);
        let mut docs: BTreeSet<&kith_schema::DocId> =
            role.mentions.iter().map(|m| &m.doc).collect();
        docs.extend(role_docs.get(id).into_iter().flatten().copied());
        let mut plan = Plan::new();
        for &doc in &docs {
            let doc_holders: Vec<&EntityId> = holders
                .get(&(id, doc))
                .into_iter()
                .flatten()
                .copied()
                .collect();
            // The one qualified title the holders hold elsewhere in the graph that names
            // this one ("the Secretary" of someone who is "US Secretary of State").
            let titled: BTreeSet<&EntityId> = doc_holders
                .iter()
                .flat_map(|h| held.get(h).into_iter().flatten().copied())
                .filter(|r| *r != id && qualified_with_title(r, &key))
                .collect();
            let qualifiers: BTreeSet<Option<&EntityId>> =
                doc_holders.iter().map(|h| affiliation(h)).collect();
            let qualified = match (
                titled.iter().collect::<Vec<_>>().as_slice(),
                qualifiers.into_iter().collect::<Vec<_>>().as_slice(),
            ) {
                ([one], _) if !doc_holders.is_empty() => Qualified::Held((**one).clone()),
                (_, [Some(q)]) => out
                    .entities
                    .get(*q)
                    .map_or(Qualified::No, |e| Qualified::By(e.name.clone())),
                _ => Qualified::No,
            };
            let node = match &qualified {
                Qualified::Held(role) => role.clone(),
                Qualified::By(q) => entity_id(
                    EntityType::Role,
                    &format!("name={}", normalize_name(&format!("{} of {q}", role.name))),
                ),
                Qualified::No if docs.len() > 1 => {
                    entity_id(EntityType::Role, &format!("name={key}@{}", doc.as_str()))
                }
                Qualified::No => id.clone(),
            };
            plan.insert(doc.clone(), (node, qualified));
        }
        if !plan.values().all(|(node, _)| node == id) {
            plans.push((id.clone(), plan));
        }
    }
    for (id, node_of_doc) in plans {
        let Some(role) = out.entities.get(&id).cloned() else {
            continue;
        };
        out.entities.remove(&id);
        let per_doc = |doc: &kith_schema::DocId| node_of_doc.get(doc).map(|(n, _)| n.clone());
        let mut by_doc: BTreeMap<kith_schema::DocId, Vec<kith_schema::Mention>> = BTreeMap::new();
        for m in role.mentions.iter() {
            by_doc.entry(m.doc.clone()).or_default().push(m.clone());
        }
        for (doc, mentions) in by_doc {
            let (node_id, qualified) = node_of_doc[&doc].clone();
            let qualifier = match &qualified {
                Qualified::By(q) => Some(q.clone()),
                _ => None,
            };
            let texts: BTreeSet<&str> = mentions.iter().map(|m| m.text.as_str()).collect();
            let mut aliases: BTreeSet<String> = role
                .aliases
                .iter()
                .filter(|a| texts.contains(a.as_str()))
                .cloned()
                .collect();
            let name = match &qualifier {
                Some(q) => {
                    aliases.insert(role.name.clone());
                    format!("{} of {q}", role.name)
                }
                None => role.name.clone(),
            };
            let node = crate::Entity {
                id: node_id.clone(),
                kind: role.kind,
                name: name.clone(),
                aliases,
                external_ids: role.external_ids.clone(),
                mentions: mentions.into_iter().collect(),
            };
            decisions.push(Decision {
                node: node_id.clone(),
                name: role.name.clone(),
                entity: id.clone(),
                merged: qualified != Qualified::No,
                rule: "bare-role",
                reason: match (&qualified, &qualifier) {
                    (Qualified::Held(held), _) => format!(
                        "a title naming no country or organisation, in {} held by the holder of {}, whose title names it",
                        doc.as_str(),
                        out.entities.get(held).map_or_else(|| held.0.to_string(), |e| e.name.clone())
                    ),
                    (_, Some(q)) => format!(
                        "a title naming no country or organisation, qualified in {} by its holder's affiliation with {q}",
                        doc.as_str()
                    ),
                    (_, None) => format!(
                        "a title naming no country or organisation is one node per document (here {})",
                        doc.as_str()
                    ),
                },
            });
            match out.entities.get_mut(&node_id) {
                Some(existing) => {
                    let mut node = node;
                    node.name = existing.name.clone();
                    existing.absorb(node);
                }
                None => {
                    out.entities.insert(node_id, node);
                }
            }
        }
        let touching: Vec<RelationId> = out
            .relations
            .values()
            .filter(|r| r.subject == id || r.object == id)
            .map(|r| r.id.clone())
            .collect();
        for rid in touching {
            let relation = out.relations.remove(&rid).expect("listed above");
            let mut by_doc: BTreeMap<kith_schema::DocId, Vec<kith_schema::Evidence>> =
                BTreeMap::new();
            for e in relation.evidence.iter() {
                by_doc.entry(e.doc.clone()).or_default().push(e.clone());
            }
            for (doc, evidence) in by_doc {
                let Some(node) = per_doc(&doc) else {
                    continue;
                };
                if !out.entities.contains_key(&node) {
                    continue;
                }
                let end = |x: &EntityId| if *x == id { node.clone() } else { x.clone() };
                let (mut subject, mut object) = (end(&relation.subject), end(&relation.object));
                if subject == object {
                    continue;
                }
                if relation.is_cooccurrence() && object < subject {
                    std::mem::swap(&mut subject, &mut object);
                }
                let rid = relation_id(
                    &subject,
                    &relation.predicate,
                    &object,
                    relation.polarity,
                    relation.modality,
                );
                let confidence = evidence.iter().map(|e| e.confidence).fold(0.0f32, f32::max);
                let moved = Relation {
                    id: rid.clone(),
                    subject,
                    object,
                    confidence,
                    evidence: evidence.into_iter().collect(),
                    ..relation.clone()
                };
                match out.relations.get_mut(&rid) {
                    Some(existing) => existing.absorb(moved),
                    None => {
                        out.relations.insert(rid, moved);
                    }
                }
            }
        }
    }
}

fn items_index(items: &[Item], id: &EntityId) -> Option<usize> {
    // Items are in id order (the graph's map order), so a binary search finds one.
    items.binary_search_by(|it| it.id.cmp(id)).ok()
}
