//! `kith eval identity`: how well one graph built from many documents makes each real
//! thing one node.
//!
//! The pipeline `kith build` uses runs on every document's rebuilt text; the facts are
//! merged into a graph exactly as `kith build` does (one graph for all GUM documents
//! given; one graph per ECB+ topic, each topic being one story told by several outlets),
//! the graph's cross-document identities are resolved as `kith` resolves them when it
//! reads a graph ([`kith_graph::KnowledgeGraph::resolve_identities`]), and the resulting
//! nodes are scored against gold identities:
//!
//! - **GUM**: named mentions carrying a Wikipedia identity (`Entity=(...-Lord_Byron)`),
//!   the identity being the gold entity across documents;
//! - **ECB+**: person, organisation, location and event mentions of the annotated
//!   sentences, with their cross-document chains (`kith_corpus::ecbplus`).
//!
//! Alignment, by character offsets: a system mention (of a node that is not a role)
//! takes the gold mention with the same span, else the smallest gold mention containing
//! it whose head it covers (GUM marks heads; for ECB+ the head is the last word before a
//! preposition or clause, leading prepositions skipped: *in Los Angeles*, *a Newport
//! Beach rehabilitation facility*), else the last gold mention inside it. An *item* is one gold entity in one document; its node is the node most of
//! its aligned mentions went to (ties: the smaller id); items with no aligned mention are
//! counted, not scored. Items are scored with `kith_corpus::score_clusters` (B-cubed,
//! pairwise, split gold entities, mixed nodes), overall and per class.

use crate::error::Result;
use kith_corpus::{
    cluster_errors, read_ecbplus, read_gum_coref, score_clusters, ClusterScores, EcbSplit,
};
use kith_graph::identity::AliasTable;
use kith_graph::{EntityId, GraphOptions, KnowledgeGraph};
use kith_schema::{DocId, DocumentFacts, EntityType};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The data scored.
#[derive(Clone, Debug)]
pub enum IdentityData {
    /// GUM CoNLL-U files: one graph of them all.
    Gum(Vec<PathBuf>),
    /// The ECB+ folder and the topics to read: one graph per topic.
    Ecbplus(PathBuf, EcbSplit),
}

/// How the graphs are resolved.
#[derive(Clone, Debug, Default)]
pub struct IdentityEvalOptions {
    /// Turn cross-document resolution off: today's exact-name merge alone.
    pub exact_names_only: bool,
    /// Forced and forbidden merges.
    pub aliases: AliasTable,
}

/// One gold mention, by characters.
struct GoldSpan {
    start: usize,
    end: usize,
    head: Option<(usize, usize)>,
    chain: String,
    class: &'static str,
    text: String,
}

/// One document: its id, text and gold mentions, and the graph it belongs to.
struct GoldDoc {
    id: String,
    group: String,
    text: String,
    golds: Vec<GoldSpan>,
}

/// The scores of one run.
#[derive(Clone, Debug, Default)]
pub struct IdentityReport {
    /// Documents read.
    pub documents: usize,
    /// Graphs built (one per ECB+ topic, one for GUM).
    pub graphs: usize,
    /// Items (gold entity × document) in gold.
    pub gold_items: usize,
    /// Items with at least one aligned mention: those scored.
    pub scored_items: usize,
    /// Nodes in the graphs (all types but roles).
    pub nodes: usize,
    /// Joins made by cross-document resolution.
    pub joins: usize,
    /// Scores over every class (for ECB+: persons, organisations and locations; events
    /// are in `by_class` only).
    pub overall: ClusterScores,
    /// Scores per class (`Person`, `Organization`, `Location`, `Event`, `Other`).
    pub by_class: BTreeMap<String, ClusterScores>,
    /// Split gold entities and mixed nodes, one line each.
    pub errors: Vec<String>,
}

fn gum_class(kind: &str) -> &'static str {
    match kind {
        "person" => "Person",
        "organization" => "Organization",
        "place" => "Location",
        "event" => "Event",
        _ => "Other",
    }
}

fn read_gold(data: &IdentityData) -> Result<Vec<GoldDoc>> {
    let mut docs = Vec::new();
    match data {
        IdentityData::Gum(files) => {
            for f in files {
                for d in read_gum_coref(f)? {
                    let (text, spans) = d.text();
                    let golds = d
                        .mentions
                        .iter()
                        .filter_map(|m| {
                            let identity = m.identity.as_ref()?;
                            let (start, end) = (spans[m.start].0, spans[m.end - 1].1);
                            Some(GoldSpan {
                                start,
                                end,
                                head: Some(spans[m.head]),
                                chain: identity.clone(),
                                class: gum_class(&m.kind),
                                text: text_of(&text, start, end),
                            })
                        })
                        .collect();
                    docs.push(GoldDoc {
                        id: d.id.clone(),
                        group: "gum".to_string(),
                        text,
                        golds,
                    });
                }
            }
        }
        IdentityData::Ecbplus(dir, split) => {
            for d in read_ecbplus(dir, *split)? {
                let (text, spans) = d.text();
                let golds = d
                    .mentions
                    .iter()
                    .map(|m| {
                        let (start, end) = (spans[m.start].0, spans[m.end - 1].1);
                        let head = ecb_head(&d.tokens[m.start..m.end]) + m.start;
                        GoldSpan {
                            start,
                            end,
                            head: Some(spans[head]),
                            chain: m.chain.clone(),
                            class: m.class.as_str(),
                            text: text_of(&text, start, end),
                        }
                    })
                    .collect();
                docs.push(GoldDoc {
                    id: d.name.clone(),
                    group: format!("topic {}", d.topic),
                    text,
                    golds,
                });
            }
        }
    }
    Ok(docs)
}

/// Words that open a prepositional phrase or a clause inside an ECB+ mention.
const BREAKS: &[&str] = &[
    "in", "at", "on", "of", "from", "to", "into", "near", "inside", "outside", "by", "for", "with",
    "between", "across", "outside", "off", "onto", "over", "under", ",", "(", "-", "who", "that",
    "which", "where",
];

/// The head of an ECB+ mention, which the corpus does not mark: leading prepositions
/// skipped (*in Los Angeles*), the last word before the next preposition or clause (*a
/// Newport Beach rehabilitation facility* → *facility*; *his home in Santa Rosa* →
/// *home*). Returns an index into `tokens`.
fn ecb_head(tokens: &[kith_corpus::ecbplus::EcbToken]) -> usize {
    let lower = |i: usize| tokens[i].form.to_lowercase();
    let mut start = 0;
    while start + 1 < tokens.len() && BREAKS.contains(&lower(start).as_str()) {
        start += 1;
    }
    let mut head = start;
    for i in start..tokens.len() {
        if i > start && BREAKS.contains(&lower(i).as_str()) {
            break;
        }
        head = i;
    }
    head
}

fn text_of(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// The gold mention a system mention `[start, end)` aligns to (see the module docs).
fn align(golds: &[GoldSpan], start: usize, end: usize) -> Option<usize> {
    if let Some(i) = golds.iter().position(|g| g.start == start && g.end == end) {
        return Some(i);
    }
    let containing = golds
        .iter()
        .enumerate()
        .filter(|(_, g)| {
            g.start <= start
                && end <= g.end
                && g.head.is_none_or(|(hs, he)| start <= hs && he <= end)
        })
        .min_by_key(|(i, g)| (g.end - g.start, *i))
        .map(|(i, _)| i);
    containing.or_else(|| {
        golds
            .iter()
            .enumerate()
            .filter(|(_, g)| start <= g.start && g.end <= end)
            .max_by_key(|(i, g)| (g.end, *i))
            .map(|(i, _)| i)
    })
}

/// A gold entity: (graph, chain).
type GoldKey = (String, String);
/// A node: (graph, id).
type NodeKey = (String, EntityId);
/// An item's votes: node → gold mentions that chose it, and the item's class.
type ItemVotes = (BTreeMap<EntityId, usize>, &'static str);

/// Builds, resolves and scores (see the module documentation).
pub fn evaluate(
    pipeline: &kith_nlp::Pipeline,
    data: &IdentityData,
    options: &IdentityEvalOptions,
) -> Result<IdentityReport> {
    let docs = read_gold(data)?;
    let facts: Vec<DocumentFacts> = docs
        .par_iter()
        .map(|d| {
            let mut doc =
                kith_nlp::Doc::new(DocId(d.id.as_str().into()), d.text.clone(), d.id.clone());
            pipeline.extract(&mut doc)
        })
        .collect();
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        groups.entry(d.group.as_str()).or_default().push(i);
    }
    let doc_index: BTreeMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let mut report = IdentityReport {
        documents: docs.len(),
        graphs: groups.len(),
        ..IdentityReport::default()
    };
    // (group, gold chain) → (class, text); items (gold, node) per class.
    let mut items: Vec<(GoldKey, NodeKey, &'static str)> = Vec::new();
    let mut node_names: BTreeMap<(String, EntityId), String> = BTreeMap::new();
    let mut gold_names: BTreeMap<(String, String), String> = BTreeMap::new();
    for (group, members) in &groups {
        let mut graph = KnowledgeGraph::new(GraphOptions::default());
        for &i in members {
            graph.add_document(facts[i].clone())?;
        }
        graph.set_identity(Some(!options.exact_names_only), &options.aliases);
        let resolution = graph.resolve_identities();
        report.joins += resolution.decisions.iter().filter(|d| d.merged).count();
        // votes[(doc, gold index)] → node → count
        let mut votes: BTreeMap<(usize, usize), BTreeMap<EntityId, usize>> = BTreeMap::new();
        for entity in resolution.graph.entities() {
            if entity.kind == EntityType::Role {
                continue;
            }
            report.nodes += 1;
            node_names.insert((group.to_string(), entity.id.clone()), entity.name.clone());
            for m in &entity.mentions {
                let Some(&d) = doc_index.get(m.doc.as_str()) else {
                    continue;
                };
                if let Some(g) = align(&docs[d].golds, m.span.start as usize, m.span.end as usize) {
                    *votes
                        .entry((d, g))
                        .or_default()
                        .entry(entity.id.clone())
                        .or_default() += 1;
                }
            }
        }
        // Items: (doc, chain) → node counts over its mentions' votes.
        let mut item_votes: BTreeMap<(usize, &str), ItemVotes> = BTreeMap::new();
        for &d in members {
            for (g, gold) in docs[d].golds.iter().enumerate() {
                let entry = item_votes
                    .entry((d, gold.chain.as_str()))
                    .or_insert_with(|| (BTreeMap::new(), gold.class));
                gold_names
                    .entry((group.to_string(), gold.chain.clone()))
                    .or_insert_with(|| gold.text.clone());
                if let Some(nodes) = votes.get(&(d, g)) {
                    // One vote per gold mention: the node most of its system mentions chose.
                    if let Some((node, _)) = nodes
                        .iter()
                        .max_by_key(|(id, n)| (**n, std::cmp::Reverse((*id).clone())))
                    {
                        *entry.0.entry(node.clone()).or_default() += 1;
                    }
                }
            }
        }
        for ((_, chain), (nodes, class)) in item_votes {
            report.gold_items += 1;
            let best = nodes
                .iter()
                .max_by_key(|(id, n)| (**n, std::cmp::Reverse((*id).clone())));
            if let Some((node, _)) = best {
                items.push((
                    (group.to_string(), chain.to_string()),
                    (group.to_string(), node.clone()),
                    class,
                ));
            }
        }
    }
    report.scored_items = items.len();
    let ecb = matches!(data, IdentityData::Ecbplus(..));
    let overall: Vec<_> = items
        .iter()
        .filter(|(_, _, class)| !(ecb && *class == "Event"))
        .map(|(g, s, _)| (g.clone(), s.clone()))
        .collect();
    report.overall = score_clusters(&overall);
    let mut classes: BTreeMap<&str, Vec<_>> = BTreeMap::new();
    for (g, s, class) in &items {
        classes
            .entry(class)
            .or_default()
            .push((g.clone(), s.clone()));
    }
    report.by_class = classes
        .into_iter()
        .map(|(c, list)| (c.to_string(), score_clusters(&list)))
        .collect();
    let all: Vec<_> = items
        .iter()
        .map(|(g, s, _)| (g.clone(), s.clone()))
        .collect();
    let (split, mixed) = cluster_errors(&all);
    let node = |key: &(String, EntityId)| {
        format!(
            "{:?} ({})",
            node_names.get(key).map_or("?", String::as_str),
            key.1
        )
    };
    let gold = |key: &(String, String)| {
        format!(
            "{} {:?}",
            key.1,
            gold_names.get(key).map_or("?", String::as_str)
        )
    };
    for (g, nodes) in &split {
        let list: Vec<String> = nodes.iter().map(node).collect();
        report.errors.push(format!(
            "split  [{}] gold {} over nodes {}",
            g.0,
            gold(g),
            list.join(", ")
        ));
    }
    for (n, golds) in &mixed {
        let list: Vec<String> = golds.iter().map(gold).collect();
        report.errors.push(format!(
            "mixed  [{}] node {} holds gold {}",
            n.0,
            node(n),
            list.join(", ")
        ));
    }
    Ok(report)
}

/// The ECB+ split named on the command line (`train`, `dev`, `all`).
pub fn parse_split(name: &str) -> Option<EcbSplit> {
    match name {
        "train" => Some(EcbSplit::Train),
        "dev" => Some(EcbSplit::Dev),
        "all" => Some(EcbSplit::All),
        _ => None,
    }
}

/// Whether `dir` looks like the ECB+ folder (it holds `ECB+/`).
pub fn is_ecbplus_dir(dir: &Path) -> bool {
    dir.join("ECB+").is_dir()
}
