//! FewRel as relation data: a labelled passage for training ([`fewrel_passage`]) and the
//! end-to-end evaluation of `kith eval relations --format fewrel` ([`eval_fewrel`]).
//!
//! FewRel labels one pair a sentence (head and tail), so only relations joining those two
//! are scored: a predicted fact between them with one of KnowledgeNet's predicates (the
//! relation model's) is right when FewRel's property is that predicate's (*spouse*,
//! *child*, *mother* as *parent-of*), wrong otherwise; sentences of *member of*, which
//! may or may not be Kith's *works-for*, are left out.

use super::model::{analyse_with, mention_spans};
use crate::error::Result;
use kith_corpus::fewrel::{read_fewrel, FewRelLabel, FewRelSentence};
use kith_corpus::knowledgenet::{overlaps, FactScores, KnFact, KnPassage, KNOWLEDGENET_PREDICATES};
use kith_corpus::relation_data::relations_as_facts;
use kith_nlp::{Doc, Pipeline};
use std::path::Path;

/// A FewRel sentence's labelled pair as a passage of the analysed `doc`: its facts, and
/// every other pair of mentions unlabelled (with the head and tail too when the property
/// may or may not be one of Kith's predicates).
pub(super) fn fewrel_passage(doc: &Doc, s: &FewRelSentence) -> KnPassage {
    let label = s.label();
    let mut unlabelled = Vec::new();
    for a in &doc.entities {
        for b in &doc.entities {
            let (a, b) = (a.start..a.end, b.start..b.end);
            if a != b && (!joins_pair(s, &a, &b) || label == FewRelLabel::Unlabelled) {
                unlabelled.push(KnFact {
                    predicate: String::new(),
                    subject: a,
                    object: b,
                });
            }
        }
    }
    KnPassage {
        fold: 0,
        doc: s.property.clone(),
        text: s.text.clone(),
        facts: match label {
            FewRelLabel::Facts(facts) => facts,
            _ => Vec::new(),
        },
        unlabelled,
    }
}

/// Whether spans `a` and `b` are the sentence's head and tail, either way.
fn joins_pair(s: &FewRelSentence, a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> bool {
    (overlaps(a, &s.head) && overlaps(b, &s.tail)) || (overlaps(a, &s.tail) && overlaps(b, &s.head))
}

/// What `kith eval relations --format fewrel` found.
#[derive(Debug, Clone, Default)]
pub struct FewRelReport {
    /// Scores of the facts between each sentence's head and tail.
    pub scores: FactScores,
    /// Sentences scored.
    pub sentences: usize,
    /// Sentences left out (*member of*).
    pub left_out: usize,
}

/// Scores `pipeline` end to end on a FewRel file (see the module documentation); with
/// `svo_baseline`, the subject-verb-object baseline's relations instead (pairs only).
pub fn eval_fewrel(pipeline: Pipeline, path: &Path, svo_baseline: bool) -> Result<FewRelReport> {
    let pipeline = if svo_baseline {
        pipeline.without("relation-model").without("relation-rules")
    } else {
        pipeline
    };
    let known: Vec<&str> = KNOWLEDGENET_PREDICATES.iter().map(|p| p.1).collect();
    let mut report = FewRelReport::default();
    let sentences = read_fewrel(path)?;
    let analysed = analyse_with(&pipeline, sentences, |s| {
        (s.text.clone(), s.property.clone())
    });
    for (doc, s) in analysed {
        let gold = match s.label() {
            FewRelLabel::Unlabelled => {
                report.left_out += 1;
                continue;
            }
            FewRelLabel::Facts(facts) => facts,
            FewRelLabel::NoRelation => Vec::new(),
        };
        report.sentences += 1;
        let relations = if svo_baseline {
            kith_nlp::train::svo_baseline(&doc)
        } else {
            doc.relations.clone()
        };
        let on_pair: Vec<KnFact> = relations_as_facts(&doc, &relations)
            .into_iter()
            .filter(|f| joins_pair(&s, &f.subject, &f.object))
            .collect();
        let mapped: Vec<KnFact> = if svo_baseline {
            Vec::new()
        } else {
            on_pair
                .iter()
                .filter(|f| known.contains(&f.predicate.as_str()))
                .cloned()
                .collect()
        };
        // Pairs: any relation between head and tail, scored against the gold pair when
        // the property is one of Kith's; on other sentences a relation joining them is
        // not counted (FewRel does not say none of Kith's open predicates holds).
        let any: Vec<KnFact> = if gold.is_empty() { Vec::new() } else { on_pair };
        report
            .scores
            .add(&gold, &mapped, &any, &mention_spans(&doc));
    }
    Ok(report)
}
