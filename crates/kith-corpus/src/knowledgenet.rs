//! KnowledgeNet: relation facts toward Wikidata properties, annotated on Wikipedia
//! passages, one fact per JSON line (`fold`, `doc`, `property`, `passage`, `subject` and
//! `object` with character `start`/`end`). Facts are annotated exhaustively per passage for
//! their properties, so other pairs of mentions in a passage are negatives.
//!
//! [`KNOWLEDGENET_PREDICATES`] maps its properties onto Kith's predicates (the date
//! properties have none: Kith has no date entities). Offsets are converted to bytes on
//! reading, as `kith_nlp::Doc` counts them.

use crate::CorpusError;
use kith_nlp::train::RelationLabel;
use kith_schema::{EntityType, RelationClass};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

/// (KnowledgeNet property, Kith predicate, whether the predicate reads object → subject,
/// class of the predicate).
pub const KNOWLEDGENET_PREDICATES: &[(&str, &str, bool, Option<RelationClass>)] = &[
    (
        "EMPLOYEE_OR_MEMBER_OF",
        "works-for",
        false,
        Some(RelationClass::RoleAffiliation),
    ),
    (
        "PLACE_OF_RESIDENCE",
        "lives-in",
        false,
        Some(RelationClass::LocatedIn),
    ),
    ("SPOUSE", "spouse-of", false, None),
    (
        "PLACE_OF_BIRTH",
        "born-in",
        false,
        Some(RelationClass::LocatedIn),
    ),
    (
        "EDUCATED_AT",
        "educated-at",
        false,
        Some(RelationClass::RoleAffiliation),
    ),
    ("CHILD_OF", "parent-of", true, None),
    (
        "HEADQUARTERS",
        "based-in",
        false,
        Some(RelationClass::LocatedIn),
    ),
    (
        "FOUNDED_BY",
        "founded-by",
        false,
        Some(RelationClass::RoleAffiliation),
    ),
    (
        "NATIONALITY",
        "citizen-of",
        false,
        Some(RelationClass::RoleAffiliation),
    ),
    (
        "POLITICAL_AFFILIATION",
        "member-of-party",
        false,
        Some(RelationClass::RoleAffiliation),
    ),
    (
        "CEO",
        "chief-executive-officer",
        false,
        Some(RelationClass::RoleAffiliation),
    ),
    (
        "SUBSIDIARY_OF",
        "parent-organization",
        false,
        Some(RelationClass::RoleAffiliation),
    ),
];

/// The entity types each predicate of [`KNOWLEDGENET_PREDICATES`] takes: (predicate,
/// subject types, object types).
const PREDICATE_TYPES: &[(&str, &[EntityType], &[EntityType])] = {
    use EntityType::{Country as C, Location as L, Organization as O, Person as P};
    &[
        ("works-for", &[P], &[O, C]),
        ("lives-in", &[P], &[L, C]),
        ("spouse-of", &[P], &[P]),
        ("born-in", &[P], &[L, C]),
        ("educated-at", &[P], &[O]),
        ("parent-of", &[P], &[P]),
        ("based-in", &[O], &[L, C]),
        ("founded-by", &[O], &[P]),
        ("citizen-of", &[P], &[C]),
        ("member-of-party", &[P], &[O]),
        ("chief-executive-officer", &[O], &[P]),
        ("parent-organization", &[O], &[O]),
    ]
};

/// The relation model's labels for KnowledgeNet's predicates, in their order, with the
/// entity types each takes.
pub fn knowledgenet_labels() -> Vec<RelationLabel> {
    KNOWLEDGENET_PREDICATES
        .iter()
        .map(|p| {
            let types = PREDICATE_TYPES
                .iter()
                .find(|t| t.0 == p.1)
                .expect("every KnowledgeNet predicate has its types");
            RelationLabel {
                predicate: p.1.to_string(),
                class: p.3,
                subjects: types.1.to_vec(),
                objects: types.2.to_vec(),
            }
        })
        .collect()
}

/// Symmetric properties: a fact holds in both directions.
const SYMMETRIC: &[&str] = &["SPOUSE"];

/// One fact between two mentions of a passage, as a Kith predicate, in Kith's direction;
/// spans are byte offsets into the passage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnFact {
    /// The Kith predicate.
    pub predicate: String,
    /// The subject mention.
    pub subject: Range<usize>,
    /// The object mention.
    pub object: Range<usize>,
}

/// A passage and its facts.
#[derive(Clone, Debug)]
pub struct KnPassage {
    /// The fold (1-3).
    pub fold: u32,
    /// The document id.
    pub doc: String,
    /// The passage text.
    pub text: String,
    /// Facts with a Kith predicate (symmetric ones in both directions).
    pub facts: Vec<KnFact>,
    /// Pairs that neither state nor deny a fact, left out of training (Re-DocRED's facts
    /// between mentions of a sentence not given as evidence); empty for KnowledgeNet.
    pub unlabelled: Vec<KnFact>,
}

#[derive(serde::Deserialize)]
struct Line {
    fold: u32,
    doc: String,
    property: String,
    passage: String,
    subject: End,
    object: End,
}

#[derive(serde::Deserialize)]
struct End {
    start: usize,
    end: usize,
}

/// The Kith predicate of a KnowledgeNet property and whether it swaps the ends.
pub fn knowledgenet_predicate(property: &str) -> Option<(&'static str, bool)> {
    KNOWLEDGENET_PREDICATES
        .iter()
        .find(|p| p.0 == property)
        .map(|p| (p.1, p.2))
}

/// Reads a KnowledgeNet JSON-lines file into passages, in order of first appearance.
/// Facts of unmapped properties (dates) are dropped; passages with none are kept (their
/// pairs are negatives).
pub fn read_knowledgenet(path: &Path) -> Result<Vec<KnPassage>, CorpusError> {
    let text = std::fs::read_to_string(path).map_err(|e| CorpusError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let mut passages: Vec<KnPassage> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| CorpusError::malformed(path, n + 1, message);
        let l: Line = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        let bytes = |e: &End| -> Result<Range<usize>, CorpusError> {
            let start = char_to_byte(&l.passage, e.start);
            let end = char_to_byte(&l.passage, e.end);
            match (start, end) {
                (Some(s), Some(t)) if s < t => Ok(s..t),
                _ => Err(bad(format!(
                    "span {}..{} is outside the passage or empty",
                    e.start, e.end
                ))),
            }
        };
        let (subject, object) = (bytes(&l.subject)?, bytes(&l.object)?);
        let key = (l.doc.clone(), l.passage.clone());
        let at = *index.entry(key).or_insert_with(|| {
            passages.push(KnPassage {
                fold: l.fold,
                doc: l.doc.clone(),
                text: l.passage.clone(),
                facts: Vec::new(),
                unlabelled: Vec::new(),
            });
            passages.len() - 1
        });
        let Some((predicate, swap)) = knowledgenet_predicate(&l.property) else {
            continue;
        };
        let (s, o) = if swap {
            (object, subject)
        } else {
            (subject, object)
        };
        let facts = &mut passages[at].facts;
        facts.push(KnFact {
            predicate: predicate.to_string(),
            subject: s.clone(),
            object: o.clone(),
        });
        if SYMMETRIC.contains(&l.property.as_str()) {
            facts.push(KnFact {
                predicate: predicate.to_string(),
                subject: o,
                object: s,
            });
        }
    }
    for p in &mut passages {
        p.facts.sort_by_key(|f| {
            (
                f.predicate.clone(),
                f.subject.start,
                f.subject.end,
                f.object.start,
                f.object.end,
            )
        });
        p.facts.dedup();
    }
    Ok(passages)
}

fn char_to_byte(text: &str, chars: usize) -> Option<usize> {
    if chars == text.chars().count() {
        return Some(text.len());
    }
    text.char_indices().nth(chars).map(|(b, _)| b)
}

/// Whether two spans share a byte.
pub fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

impl KnFact {
    /// Whether this (predicted) fact counts for `gold`: the same predicate, and each end
    /// overlapping the gold end.
    pub fn matches(&self, gold: &KnFact) -> bool {
        self.predicate == gold.predicate
            && overlaps(&self.subject, &gold.subject)
            && overlaps(&self.object, &gold.object)
    }

    /// Whether this fact joins `gold`'s two ends, whatever its predicate and direction.
    pub fn joins(&self, gold: &KnFact) -> bool {
        (overlaps(&self.subject, &gold.subject) && overlaps(&self.object, &gold.object))
            || (overlaps(&self.subject, &gold.object) && overlaps(&self.object, &gold.subject))
    }
}

/// Scores of predicted facts against gold facts, per predicate and overall. A predicted
/// fact is correct when both its ends overlap a gold fact's ends and its predicate is the
/// gold one; a gold fact is found when some prediction is correct for it (precision counts
/// predictions, recall gold facts, so a fact stated twice with two mentions of its ends
/// counts twice). The pair figures score relations of any predicate, in either direction,
/// that join the ends of a gold fact.
#[derive(Clone, Debug, Default)]
pub struct FactScores {
    /// Per predicate: `correct` counts gold facts found for recall and `predicted_correct`
    /// predictions that match for precision.
    pub per_predicate: BTreeMap<String, FactPrf>,
    /// Micro-averaged over predicates.
    pub overall: FactPrf,
    /// Micro-averaged, counting only predictions whose predicate the passage has a gold
    /// fact of. KnowledgeNet's own scorer counts only predictions of the properties each
    /// passage was annotated for; the shared files leave that list out, and a property
    /// with a gold fact in the passage is the part of it they show.
    pub annotated: FactPrf,
    /// Relations of any predicate joining a gold fact's ends.
    pub pairs: FactPrf,
    /// Gold facts both of whose ends overlap a mention the pipeline found: the most any
    /// relation layer over these mentions can find.
    pub reachable: usize,
}

/// Precision and recall where a prediction may match several gold facts and the other
/// way round: precision is `predicted_correct / predicted`, recall `found / gold`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FactPrf {
    /// Gold facts.
    pub gold: usize,
    /// Gold facts some prediction matches.
    pub found: usize,
    /// Predictions.
    pub predicted: usize,
    /// Predictions that match some gold fact.
    pub predicted_correct: usize,
}

impl FactPrf {
    /// Precision in percent.
    pub fn precision(&self) -> f64 {
        ratio(self.predicted_correct, self.predicted)
    }
    /// Recall in percent.
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.gold)
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
    /// Adds another count.
    pub fn add(&mut self, other: &FactPrf) {
        self.gold += other.gold;
        self.found += other.found;
        self.predicted += other.predicted;
        self.predicted_correct += other.predicted_correct;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

impl FactScores {
    /// Adds one passage: its gold facts, the predicted facts whose predicate KnowledgeNet
    /// knows, and every predicted relation (any predicate) for the pair figures.
    pub fn add(
        &mut self,
        gold: &[KnFact],
        predicted: &[KnFact],
        any: &[KnFact],
        mentions: &[Range<usize>],
    ) {
        self.reachable += gold
            .iter()
            .filter(|g| {
                mentions.iter().any(|m| overlaps(m, &g.subject))
                    && mentions.iter().any(|m| overlaps(m, &g.object))
            })
            .count();
        let matches = |p: &KnFact, g: &KnFact| p.matches(g);
        let joins = |p: &KnFact, g: &KnFact| p.joins(g);
        for g in gold {
            let e = self.per_predicate.entry(g.predicate.clone()).or_default();
            e.gold += 1;
            self.overall.gold += 1;
            self.annotated.gold += 1;
            self.pairs.gold += 1;
            if predicted.iter().any(|p| matches(p, g)) {
                e.found += 1;
                self.overall.found += 1;
                self.annotated.found += 1;
            }
            if any.iter().any(|p| joins(p, g)) {
                self.pairs.found += 1;
            }
        }
        for p in predicted {
            let e = self.per_predicate.entry(p.predicate.clone()).or_default();
            e.predicted += 1;
            self.overall.predicted += 1;
            let correct = gold.iter().any(|g| matches(p, g));
            if correct {
                e.predicted_correct += 1;
                self.overall.predicted_correct += 1;
            }
            if gold.iter().any(|g| g.predicate == p.predicate) {
                self.annotated.predicted += 1;
                self.annotated.predicted_correct += correct as usize;
            }
        }
        for p in any {
            self.pairs.predicted += 1;
            if gold.iter().any(|g| joins(p, g)) {
                self.pairs.predicted_correct += 1;
            }
        }
    }

    /// Adds another set of scores (cross-validation folds).
    pub fn merge(&mut self, other: &FactScores) {
        for (k, v) in &other.per_predicate {
            self.per_predicate.entry(k.clone()).or_default().add(v);
        }
        self.overall.add(&other.overall);
        self.annotated.add(&other.annotated);
        self.pairs.add(&other.pairs);
        self.reachable += other.reachable;
    }
}
