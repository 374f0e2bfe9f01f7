//! Candidate pairs and their features: every ordered pair of mentions of two different
//! entities within one sentence and [`MAX_DISTANCE`] tokens (but a name qualifying the
//! event mention right after it), described by the type pair,
//! the words between and around, the mentions' words, the dependency path between their
//! heads (arc labels and the words on it), the word clusters of the path and of the
//! mentions' heads, and the relations the rules found between them.

use crate::model::FeatureHasher;
use crate::{mentions, Doc, EntitySpan};
use kith_schema::{EntityType, Polarity};
use std::collections::HashMap;
use std::ops::Range;

/// Longest distance in tokens between two mentions of a candidate pair.
pub const MAX_DISTANCE: usize = 30;

/// Longest dependency path, in arcs, worth a feature.
const MAX_PATH: usize = 6;

/// One ordered pair of mentions (indices into `Doc::entities`) and its hashed features.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// The would-be subject.
    pub subject: usize,
    /// The would-be object.
    pub object: usize,
    /// The sentence holding both.
    pub sentence: usize,
    /// Hashed feature keys.
    pub features: Vec<u64>,
    /// The lowest common ancestor of the two heads in the parse, when there is one.
    pub governor: Option<usize>,
}

/// The candidate pairs of every sentence of an analysed document, in sentence, subject,
/// object order.
pub fn candidates(doc: &Doc) -> Vec<Candidate> {
    candidates_where(doc, |_, _| true)
}

/// The candidate pairs whose (subject, object) types `keep` accepts; features are
/// computed only for those.
pub fn candidates_where(
    doc: &Doc,
    keep: impl Fn(EntityType, EntityType) -> bool,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    let lower: Vec<String> = (0..doc.tokens.len())
        .map(|t| doc.token_text(t).to_lowercase())
        .collect();
    // The rules' relations of each unordered pair of mentions, in their order.
    let mut ruled_pairs: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (k, r) in doc.relations.iter().enumerate() {
        let key = (r.subject.min(r.object), r.subject.max(r.object));
        ruled_pairs.entry(key).or_default().push(k);
    }
    let names: Vec<String> = doc
        .entities
        .iter()
        .map(|e| mentions::name_of(doc, e).to_lowercase())
        .collect();
    // A name right before an event mention names the event's place or party ("the
    // Kashmir attack"): it qualifies the event, and takes part in no relation of its own.
    let qualifies_event: Vec<bool> = (0..doc.entities.len())
        .map(|i| {
            doc.entities.get(i + 1).is_some_and(|next| {
                next.kind == EntityType::Event && next.tokens.start == doc.entities[i].tokens.end
            })
        })
        .collect();
    for (s, sentence) in doc.sentences.iter().enumerate() {
        let range = doc.entities_in(sentence);
        let (first, last) = (range.start, range.end);
        for i in first..last {
            for j in first..last {
                let (a, b) = (&doc.entities[i], &doc.entities[j]);
                if i == j
                    || overlaps(&a.tokens, &b.tokens)
                    || qualifies_event[i]
                    || qualifies_event[j]
                {
                    continue;
                }
                if (a.kind == b.kind && names[i] == names[j]) || !keep(a.kind, b.kind) {
                    continue;
                }
                let (x, y) = if a.tokens.start < b.tokens.start {
                    (a, b)
                } else {
                    (b, a)
                };
                if y.tokens.start - x.tokens.end > MAX_DISTANCE {
                    continue;
                }
                let (features, governor) = pair_features(doc, &lower, &ruled_pairs, i, j);
                out.push(Candidate {
                    subject: i,
                    object: j,
                    sentence: s,
                    features,
                    governor,
                });
            }
        }
    }
    out
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// The features of the ordered pair (`i` subject, `j` object) and the governor of the
/// pair's dependency path.
fn pair_features(
    doc: &Doc,
    lower: &[String],
    ruled_pairs: &HashMap<(usize, usize), Vec<usize>>,
    i: usize,
    j: usize,
) -> (Vec<u64>, Option<usize>) {
    let (x, y) = (&doc.entities[i], &doc.entities[j]);
    let forward = i < j;
    let (first, second) = if x.tokens.start < y.tokens.start {
        (x, y)
    } else {
        (y, x)
    };
    let lower = |t: usize| lower[t].as_str();
    let pair = FeatureHasher::new(0)
        .str(x.kind.as_str())
        .str(y.kind.as_str())
        .int(forward as u64)
        .finish();
    let mut f: Vec<u64> = Vec::with_capacity(64);
    let mut add = |template: u32, parts: &[&str]| {
        let mut h = FeatureHasher::new(template).int(pair);
        for p in parts {
            h = h.str(p);
        }
        f.push(h.finish());
    };
    add(1, &[]);
    let gap = first.tokens.end..second.tokens.start;
    let between: Vec<&str> = gap.clone().map(lower).collect();
    add(2, &[&between.len().min(10).to_string()]);
    for w in &between {
        add(3, &[w]);
    }
    for w in between.windows(2) {
        add(4, &[w[0], w[1]]);
    }
    if let (Some(f0), Some(l0)) = (between.first(), between.last()) {
        add(5, &[f0]);
        add(6, &[l0]);
        add(7, &[f0, l0]);
    }
    if between.len() <= 4 {
        add(8, &[&between.join(" ")]);
    }
    let tagged = doc.pos.len() == doc.tokens.len();
    if tagged && between.len() <= 6 {
        let tags: Vec<&str> = gap.clone().map(|t| doc.pos[t].upos).collect();
        add(9, &[&tags.join(" ")]);
    }
    let before = first
        .tokens
        .start
        .checked_sub(1)
        .map(lower)
        .unwrap_or_default();
    let after = if second.tokens.end < doc.tokens.len() {
        lower(second.tokens.end)
    } else {
        ""
    };
    add(10, &[before]);
    add(11, &[after]);
    add(12, &[lower(x.tokens.end - 1)]);
    add(13, &[lower(y.tokens.end - 1)]);
    let from = doc.entities.partition_point(|e| e.tokens.start < gap.start);
    let inside: Vec<&str> = doc.entities[from..]
        .iter()
        .take_while(|e| e.tokens.start < gap.end.max(gap.start + 1))
        .filter(|e| e.tokens.start >= gap.start && e.tokens.end <= gap.end)
        .map(|e| e.kind.as_str())
        .collect();
    add(15, &[&inside.len().min(3).to_string()]);
    for k in &inside {
        add(16, &[k]);
    }
    let mut ruled = false;
    let key = (i.min(j), i.max(j));
    for r in ruled_pairs
        .get(&key)
        .into_iter()
        .flatten()
        .map(|&k| &doc.relations[k])
    {
        let same = r.subject == i && r.object == j;
        let reverse = r.subject == j && r.object == i;
        if same || reverse {
            ruled = true;
            let polarity = if r.polarity == Polarity::Negated {
                "neg"
            } else {
                "pos"
            };
            add(
                17,
                &[
                    &r.predicate,
                    if same { "same" } else { "reverse" },
                    polarity,
                ],
            );
        }
    }
    add(18, &[if ruled { "ruled" } else { "unruled" }]);
    let path = dependency_path(doc, x.tokens.clone(), y.tokens.clone());
    let governor = path.as_ref().map(|p| p.governor);
    if let Some(path) = &path {
        add(19, &[&path.labels]);
        add(20, &[&path.labels, &path.words]);
        add(21, &[&path.words]);
        for w in path.words.split(' ').filter(|w| !w.is_empty()) {
            add(22, &[w]);
            add(28, &[&stem(w)]);
        }
        add(23, &[&path.labels, &stem(&path.governor_word)]);
    } else {
        add(19, &["none"]);
    }
    for (t, w) in gap.zip(&between) {
        add(26, &[&stem(w)]);
        if tagged && matches!(doc.pos[t].upos, "VERB" | "NOUN" | "ADP") {
            add(27, &[doc.pos[t].upos, &stem(w)]);
        }
    }
    let words = |e: &EntitySpan| e.tokens.clone().map(lower).collect::<Vec<_>>().join(" ");
    add(24, &[&words(x)]);
    add(25, &[&words(y)]);
    // Word clusters stand in for words the training data never showed in that place.
    // Word clusters stand in for words the training data never showed on the path
    // between the two mentions or as their heads (clusters of the words between them and
    // around them measured worse: docs/experiments/2026-12-06-pronoun-stand-ins.md).
    if doc.clusters.len() == doc.tokens.len() {
        let cluster = |t: usize, column: usize| doc.clusters[t][column].to_string();
        if let Some(path) = &path {
            for &t in &path.inner {
                add(42, &[&cluster(t, 2)]);
            }
            add(43, &[&path.labels, &cluster(path.governor, 1)]);
        }
        add(44, &[&cluster(x.tokens.end - 1, 2)]);
        add(45, &[&cluster(y.tokens.end - 1, 2)]);
    }
    (f, governor)
}

/// The first five letters: a crude stem that lets verb and noun forms share weights over
/// little data.
fn stem(word: &str) -> String {
    word.chars().take(5).collect()
}

/// The dependency path between two spans' heads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepPath {
    /// Arc labels with their direction: `<nsubj` up from the first, `>obl` down to the
    /// second.
    pub labels: String,
    /// The lower-cased words strictly between the two ends on the path.
    pub words: String,
    /// The lowest common ancestor of the two heads.
    pub governor: usize,
    /// The tokens strictly between the two ends on the path.
    pub inner: Vec<usize>,
    /// Its lower-cased word.
    pub governor_word: String,
}

/// The path between the heads of spans `a` and `b` through their lowest common ancestor;
/// `None` without a parse, for an empty span, or when the path is longer than
/// [`MAX_PATH`] arcs or the heads share no ancestor.
pub fn dependency_path(doc: &Doc, a: Range<usize>, b: Range<usize>) -> Option<DepPath> {
    if doc.deps.len() != doc.tokens.len() || a.is_empty() || b.is_empty() {
        return None;
    }
    let span_head = |r: Range<usize>| {
        r.clone()
            .find(|&t| doc.deps[t].head.is_none_or(|h| !r.contains(&h)))
            .unwrap_or(r.end - 1)
    };
    let up = |mut t: usize| {
        let mut chain = vec![t];
        while let Some(h) = doc.deps[t].head {
            // A parse is a tree; the bound only stops a malformed one from looping.
            if chain.len() > 64 {
                break;
            }
            chain.push(h);
            t = h;
        }
        chain
    };
    let (from, to) = (up(span_head(a)), up(span_head(b)));
    let (i, j) = from
        .iter()
        .enumerate()
        .find_map(|(i, t)| to.iter().position(|u| u == t).map(|j| (i, j)))?;
    if i + j > MAX_PATH {
        return None;
    }
    let mut labels: Vec<String> = from[..i]
        .iter()
        .map(|&t| format!("<{}", doc.deps[t].label))
        .collect();
    labels.extend(
        to[..j]
            .iter()
            .rev()
            .map(|&t| format!(">{}", doc.deps[t].label)),
    );
    let nodes: Vec<usize> = from[..=i]
        .iter()
        .chain(to[..j].iter().rev())
        .copied()
        .collect();
    let inner = nodes
        .get(1..nodes.len().saturating_sub(1))
        .unwrap_or_default();
    let middle: Vec<String> = inner
        .iter()
        .map(|&t| doc.token_text(t).to_lowercase())
        .collect();
    Some(DepPath {
        labels: labels.join(" "),
        words: middle.join(" "),
        governor: from[i],
        inner: inner.to_vec(),
        governor_word: doc.token_text(from[i]).to_lowercase(),
    })
}
