//! Coreference: gold clusters from GUM's `Entity=` annotations and the standard scores
//! (MUC, B³, CEAF-e and their average, the CoNLL-2012 F1).
//!
//! # Gold mentions
//!
//! [`read_gum_coref`] reads a GUM CoNLL-U file into [`CorefDocument`]s: the tokens (with
//! `SpaceAfter`, so the running text can be rebuilt), and every mention with its entity
//! id and syntactic head (the first token of the mention whose head lies outside it, as
//! for NER). [`CorefDocument::named_and_pronominal`] keeps the mentions whose head is a
//! proper noun (`PROPN`) or a pronoun (`PRON`): the mentions a name tagger plus a pronoun
//! resolver can find, leaving out common-noun phrases (*the study*).
//!
//! # Scores
//!
//! [`CorefScores::add_document`] takes key and response clusters over shared mention ids
//! and accumulates, over documents, the numerators and denominators of
//!
//! * MUC (Vilain et al. 1995): links, recall `Σ(|K| − |p(K)|) / Σ(|K| − 1)`;
//! * B³ (Bagga and Baldwin 1998): per mention, `Σ |K∩R|² / |K|` over `Σ|K|`;
//! * CEAF-e (Luo 2005): the best one-to-one alignment of key and response entities by
//!   `φ4 = 2|K∩R| / (|K| + |R|)` (Kuhn–Munkres from the `pathfinding` crate), over the
//!   number of key (recall) or response (precision) entities;
//!
//! with mentions missing from the other side counted as in Pradhan et al. 2014
//! ("Scoring coreference partitions of predicted mentions"), whose worked example the unit
//! tests reproduce. Singletons: [`Singletons::Removed`] drops one-mention entities from
//! key and response before scoring (CoNLL-2012 practice); [`Singletons::Kept`] scores them.

use crate::conll::parse_conllu_line;
use crate::error::read_text;
use crate::gum::{parse_entity, Mention as GumMention};
use crate::CorpusError;
use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One token of a coreference document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorefToken {
    /// The word as written.
    pub form: String,
    /// Its universal part-of-speech tag.
    pub upos: String,
    /// Whether a space follows it in the running text (`SpaceAfter=No` is false).
    pub space_after: bool,
    /// Index of its sentence in the document.
    pub sentence: usize,
    /// Whether its sentence opens a paragraph (`# newpar`); set on the sentence's first token.
    pub new_paragraph: bool,
    /// Head as a document token index; `None` for a root.
    pub head: Option<usize>,
}

/// A gold mention: tokens `[start, end)` of its document, its entity and its head token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldMention {
    /// First token of the mention (a document token index).
    pub start: usize,
    /// One past its last token.
    pub end: usize,
    /// The entity id (mentions of one entity share it).
    pub entity: String,
    /// Its head token (a document token index): the first token of the mention whose
    /// syntactic head lies outside it.
    pub head: usize,
    /// The entity's type as GUM gives it (`person`, `organization`, `place`, `event`, ...).
    pub kind: String,
    /// The Wikipedia article title GUM gives a named mention (`Lord_Byron`): the entity's
    /// identity across documents.
    pub identity: Option<String>,
}

/// One document of a coreference corpus.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CorefDocument {
    /// The `# newdoc id`.
    pub id: String,
    /// Its tokens, all sentences in order.
    pub tokens: Vec<CorefToken>,
    /// Its gold mentions.
    pub mentions: Vec<GoldMention>,
}

impl CorefDocument {
    /// The running text and each token's character span `[start, end)` in it: tokens
    /// joined by a space unless `SpaceAfter=No`, sentences by a space, paragraphs by a
    /// blank line.
    pub fn text(&self) -> (String, Vec<(usize, usize)>) {
        let mut text = String::new();
        let mut chars = 0usize;
        let mut spans = Vec::with_capacity(self.tokens.len());
        for (i, token) in self.tokens.iter().enumerate() {
            if i > 0 {
                let previous = &self.tokens[i - 1];
                let separator = if token.sentence != previous.sentence && token.new_paragraph {
                    "\n\n"
                } else if token.sentence != previous.sentence || previous.space_after {
                    " "
                } else {
                    ""
                };
                text.push_str(separator);
                chars += separator.len();
            }
            let start = chars;
            text.push_str(&token.form);
            chars += token.form.chars().count();
            spans.push((start, chars));
        }
        (text, spans)
    }

    /// The mentions whose head is a proper noun or a pronoun.
    pub fn named_and_pronominal(&self) -> Vec<&GoldMention> {
        self.mentions
            .iter()
            .filter(|m| matches!(self.tokens[m.head].upos.as_str(), "PROPN" | "PRON"))
            .collect()
    }
}

/// Reads a GUM CoNLL-U file (`Entity=` in MISC) into coreference documents.
pub fn read_gum_coref(path: &Path) -> Result<Vec<CorefDocument>, CorpusError> {
    let text = read_text(path)?;
    let mut docs: Vec<CorefDocument> = Vec::new();
    let mut doc = CorefDocument::default();
    let mut mentions: Vec<GumMention> = Vec::new();
    let mut open: Vec<(String, usize, String, usize)> = Vec::new();
    let mut sentences = 0usize;
    let mut sent_base: Option<usize> = None;
    let mut new_paragraph = false;
    let mut pending_heads: Vec<(usize, usize)> = Vec::new();
    let finish =
        |doc: &mut CorefDocument, mentions: &mut Vec<GumMention>, docs: &mut Vec<CorefDocument>| {
            let mut taken = std::mem::take(doc);
            for m in mentions.drain(..) {
                let inside = |i: usize| i >= m.start && i <= m.end;
                let head = (m.start..=m.end)
                    .find(|&i| taken.tokens[i].head.is_none_or(|h| !inside(h)))
                    .unwrap_or(m.start);
                taken.mentions.push(GoldMention {
                    start: m.start,
                    end: m.end + 1,
                    entity: m.id,
                    head,
                    kind: m.kind,
                    identity: m.identity,
                });
            }
            taken
                .mentions
                .sort_by(|a, b| (a.start, a.end, &a.entity).cmp(&(b.start, b.end, &b.entity)));
            if !taken.tokens.is_empty() {
                docs.push(taken);
            }
        };
    let flush_heads = |doc: &mut CorefDocument, pending: &mut Vec<(usize, usize)>, base: usize| {
        for (t, h) in pending.drain(..) {
            doc.tokens[t].head = (h != 0).then(|| base + h - 1);
        }
    };
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = line.strip_prefix("# newdoc") {
            if let Some((_, _, _, at)) = open.first() {
                return Err(CorpusError::malformed(
                    path,
                    *at,
                    "entity mention opened here is never closed",
                ));
            }
            if let Some(base) = sent_base.take() {
                flush_heads(&mut doc, &mut pending_heads, base);
            }
            finish(&mut doc, &mut mentions, &mut docs);
            doc.id = rest.split('=').nth(1).unwrap_or("").trim().to_string();
            sentences = 0;
            continue;
        }
        if line.starts_with("# newpar") {
            new_paragraph = true;
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            if let Some(base) = sent_base.take() {
                flush_heads(&mut doc, &mut pending_heads, base);
                sentences += 1;
            }
            continue;
        }
        let Some((id, tok)) = parse_conllu_line(path, line_no, line)? else {
            continue;
        };
        let first = sent_base.is_none();
        let base = *sent_base.get_or_insert(doc.tokens.len());
        if id != doc.tokens.len() - base + 1 {
            return Err(CorpusError::malformed(
                path,
                line_no,
                format!(
                    "token id {id} out of sequence (expected {})",
                    doc.tokens.len() - base + 1
                ),
            ));
        }
        let index = doc.tokens.len();
        if let Some(h) = tok.head {
            pending_heads.push((index, h));
        }
        for field in tok.misc.split('|') {
            if let Some(spec) = field.strip_prefix("Entity=") {
                parse_entity(path, line_no, spec, index, &mut open, &mut mentions)?;
            }
        }
        doc.tokens.push(CorefToken {
            form: tok.form.to_string(),
            upos: tok.upos.to_string(),
            space_after: !tok.misc.split('|').any(|f| f == "SpaceAfter=No"),
            sentence: sentences,
            new_paragraph: first && new_paragraph,
            head: None,
        });
        if first {
            new_paragraph = false;
        }
    }
    if let Some((_, _, _, at)) = open.first() {
        return Err(CorpusError::malformed(
            path,
            *at,
            "entity mention opened here is never closed",
        ));
    }
    if let Some(base) = sent_base.take() {
        flush_heads(&mut doc, &mut pending_heads, base);
    }
    finish(&mut doc, &mut mentions, &mut docs);
    Ok(docs)
}

/// Numerators and denominators of one metric's precision and recall, summed over
/// documents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Ratio {
    /// Recall numerator.
    pub recall_num: f64,
    /// Recall denominator.
    pub recall_den: f64,
    /// Precision numerator.
    pub precision_num: f64,
    /// Precision denominator.
    pub precision_den: f64,
}

impl Ratio {
    /// Recall in percent.
    pub fn recall(&self) -> f64 {
        if self.recall_den == 0.0 {
            0.0
        } else {
            100.0 * self.recall_num / self.recall_den
        }
    }
    /// Precision in percent.
    pub fn precision(&self) -> f64 {
        if self.precision_den == 0.0 {
            0.0
        } else {
            100.0 * self.precision_num / self.precision_den
        }
    }
    /// F1 in percent.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, recall: (f64, f64), precision: (f64, f64)) {
        self.recall_num += recall.0;
        self.recall_den += recall.1;
        self.precision_num += precision.0;
        self.precision_den += precision.1;
    }
}

/// How one-mention entities are scored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Singletons {
    /// Dropped from key and response (CoNLL-2012 practice).
    Removed,
    /// Scored like any entity.
    Kept,
}

/// MUC, B³ and CEAF-e over a corpus.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct CorefScores {
    /// MUC (link-based).
    pub muc: Ratio,
    /// B³ (mention-based).
    pub b3: Ratio,
    /// CEAF-e (entity-based, with the best one-to-one alignment of entities).
    pub ceafe: Ratio,
}

impl CorefScores {
    /// The CoNLL-2012 score: the mean of the MUC, B³ and CEAF-e F1.
    pub fn conll_f1(&self) -> f64 {
        (self.muc.f1() + self.b3.f1() + self.ceafe.f1()) / 3.0
    }

    /// Scores one document: `key` and `response` are entities (sets of mention ids;
    /// ids shared by both sides denote the same mention).
    pub fn add_document<M: Ord + Clone>(
        &mut self,
        key: &[Vec<M>],
        response: &[Vec<M>],
        singletons: Singletons,
    ) {
        let prepare = |clusters: &[Vec<M>]| -> Vec<BTreeSet<M>> {
            clusters
                .iter()
                .map(|c| c.iter().cloned().collect::<BTreeSet<M>>())
                .filter(|c| !c.is_empty() && (singletons == Singletons::Kept || c.len() > 1))
                .collect()
        };
        let (key, response) = (prepare(key), prepare(response));
        self.muc.add(muc(&key, &response), muc(&response, &key));
        self.b3
            .add(b_cubed(&key, &response), b_cubed(&response, &key));
        let (similarity, k, r) = ceaf_e(&key, &response);
        self.ceafe.add((similarity, k), (similarity, r));
    }
}

/// Which cluster of `clusters` each mention is in.
fn index_of<M: Ord + Clone>(clusters: &[BTreeSet<M>]) -> BTreeMap<&M, usize> {
    clusters
        .iter()
        .enumerate()
        .flat_map(|(i, c)| c.iter().map(move |m| (m, i)))
        .collect()
}

/// MUC recall of `key` against `response` as (numerator, denominator); swap them for
/// precision. A key mention absent from the response is a partition of its own.
fn muc<M: Ord + Clone>(key: &[BTreeSet<M>], response: &[BTreeSet<M>]) -> (f64, f64) {
    let index = index_of(response);
    let (mut num, mut den) = (0usize, 0usize);
    for k in key {
        let mut parts = BTreeSet::new();
        let mut alone = 0;
        for m in k {
            match index.get(m) {
                Some(r) => {
                    parts.insert(*r);
                }
                None => alone += 1,
            }
        }
        num += k.len() - (parts.len() + alone);
        den += k.len() - 1;
    }
    (num as f64, den as f64)
}

/// B³ recall of `key` against `response` as (numerator, denominator).
fn b_cubed<M: Ord + Clone>(key: &[BTreeSet<M>], response: &[BTreeSet<M>]) -> (f64, f64) {
    let index = index_of(response);
    let (mut num, mut den) = (0.0, 0.0);
    for k in key {
        let mut overlaps: BTreeMap<usize, usize> = BTreeMap::new();
        for m in k {
            if let Some(r) = index.get(m) {
                *overlaps.entry(*r).or_default() += 1;
            }
        }
        num += overlaps.values().map(|&n| (n * n) as f64).sum::<f64>() / k.len() as f64;
        den += k.len() as f64;
    }
    (num, den)
}

/// CEAF-e: (total φ4 similarity of the best alignment, key entities, response entities).
fn ceaf_e<M: Ord + Clone>(key: &[BTreeSet<M>], response: &[BTreeSet<M>]) -> (f64, f64, f64) {
    let (nk, nr) = (key.len(), response.len());
    if nk == 0 || nr == 0 {
        return (0.0, nk as f64, nr as f64);
    }
    let phi = |k: &BTreeSet<M>, r: &BTreeSet<M>| {
        2.0 * k.intersection(r).count() as f64 / (k.len() + r.len()) as f64
    };
    // Kuhn–Munkres wants rows ≤ columns and integer weights: the smaller side is the
    // rows, φ4 is scaled to an integer for the search and recomputed exactly after.
    let (rows, cols, transposed) = if nk <= nr {
        (key, response, false)
    } else {
        (response, key, true)
    };
    const SCALE: f64 = 1e12;
    let mut weights = Matrix::new(rows.len(), cols.len(), 0i64);
    for (i, a) in rows.iter().enumerate() {
        for (j, b) in cols.iter().enumerate() {
            let value = if transposed { phi(b, a) } else { phi(a, b) };
            weights[(i, j)] = (value * SCALE).round() as i64;
        }
    }
    let (_, assignment) = kuhn_munkres(&weights);
    let total = assignment
        .iter()
        .enumerate()
        .map(|(i, &j)| {
            if transposed {
                phi(&cols[j], &rows[i])
            } else {
                phi(&rows[i], &cols[j])
            }
        })
        .sum();
    (total, nk as f64, nr as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 0.01
    }

    /// Pradhan et al. 2014, section 3 (Figure 1): key {a,b,c} {d,e,f,g}; response {a,b}
    /// {c,d} {f,g,h,i}. Published: MUC R 40.0 P 40.0; B³ R 41.67 (5/12) P 50.0;
    /// CEAF-e R 65.0 P 43.33.
    #[test]
    fn pradhan_2014_worked_example() {
        let key = vec![vec!['a', 'b', 'c'], vec!['d', 'e', 'f', 'g']];
        let response = vec![vec!['a', 'b'], vec!['c', 'd'], vec!['f', 'g', 'h', 'i']];
        let mut s = CorefScores::default();
        s.add_document(&key, &response, Singletons::Kept);
        assert!(
            close(s.muc.recall(), 40.0) && close(s.muc.precision(), 40.0),
            "{:?}",
            s.muc
        );
        assert!(
            close(s.b3.recall(), 41.67) && close(s.b3.precision(), 50.0),
            "{:?}",
            s.b3
        );
        assert!(close(s.b3.f1(), 45.45), "{}", s.b3.f1());
        assert!(
            close(s.ceafe.recall(), 65.0) && close(s.ceafe.precision(), 43.33),
            "{:?}",
            s.ceafe
        );
        assert!(close(s.ceafe.f1(), 52.0), "{}", s.ceafe.f1());
        assert!(
            close(s.conll_f1(), (40.0 + 45.45 + 52.0) / 3.0),
            "{}",
            s.conll_f1()
        );
    }

    #[test]
    fn identical_partitions_score_100_and_disjoint_score_0() {
        let key = vec![vec![1, 2, 3], vec![4, 5]];
        let mut s = CorefScores::default();
        s.add_document(&key, &key, Singletons::Removed);
        assert!(close(s.conll_f1(), 100.0));
        let mut s = CorefScores::default();
        s.add_document(&key, &[vec![6, 7]], Singletons::Removed);
        assert!(close(s.conll_f1(), 0.0));
    }

    /// MUC ignores singletons by construction; B³ counts them when kept (Pradhan et al.
    /// 2014 discuss how a response of all singletons scores).
    #[test]
    fn singletons_removed_or_kept() {
        let key = vec![vec![1, 2], vec![3]];
        let response = vec![vec![1], vec![2], vec![3]];
        let mut kept = CorefScores::default();
        kept.add_document(&key, &response, Singletons::Kept);
        assert!(close(kept.muc.recall(), 0.0));
        // B³ recall: (1/2 + 1/2 + 1) / 3; precision 1.
        assert!(
            close(kept.b3.recall(), 200.0 / 3.0) && close(kept.b3.precision(), 100.0),
            "{:?}",
            kept.b3
        );
        let mut removed = CorefScores::default();
        removed.add_document(&key, &response, Singletons::Removed);
        assert!(
            close(removed.b3.recall(), 0.0) && removed.b3.precision_den == 0.0,
            "{:?}",
            removed.b3
        );
    }

    #[test]
    fn reads_gum_entities_heads_and_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("GUM_news_test.conllu");
        let row = |id: usize, form: &str, upos: &str, head: usize, misc: &str| {
            format!("{id}\t{form}\t_\t{upos}\t_\t_\t{head}\t_\t_\t{misc}\n")
        };
        let mut text = String::from("# newdoc id = GUM_news_test\n# newpar\n");
        text += &row(1, "Ada", "PROPN", 2, "Entity=(1-person-new-x-x-1-coref)");
        text += &row(2, "spoke", "VERB", 0, "SpaceAfter=No");
        text += &row(3, ".", "PUNCT", 2, "_");
        text += "\n";
        text += &row(1, "She", "PRON", 2, "Entity=(1-person-giv-x-x-1-coref)");
        text += &row(2, "left", "VERB", 0, "Entity=(2-event-new-x-x-1-sgl)");
        text += "\n";
        std::fs::write(&path, text).unwrap();
        let docs = read_gum_coref(&path).unwrap();
        assert_eq!(docs.len(), 1);
        let doc = &docs[0];
        assert_eq!(doc.id, "GUM_news_test");
        assert_eq!(doc.text().0, "Ada spoke. She left");
        let kept: Vec<(usize, &str)> = doc
            .named_and_pronominal()
            .iter()
            .map(|m| (m.start, m.entity.as_str()))
            .collect();
        assert_eq!(kept, [(0, "1"), (3, "1")]);
        // An unclosed mention is an error naming the line.
        std::fs::write(
            &path,
            "# newdoc id = x\n".to_string() + &row(1, "Ada", "PROPN", 0, "Entity=(1-person"),
        )
        .unwrap();
        let error = read_gum_coref(&path).unwrap_err().to_string();
        assert!(error.contains(":2:"), "{error}");
    }
}
