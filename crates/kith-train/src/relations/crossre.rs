//! `kith eval relations --format crossre`: CrossRE scored on pairs given the gold entities.
//!
//! Each sentence is analysed up to the entity taggers (tokens, tags, parse), its mentions
//! are then exactly CrossRE's entities (typed by [`kith_type`]), and coreference and the
//! relation layer run over them. A gold pair is found when some relation, of any
//! predicate and either direction, joins its two entities; precision counts the relations
//! joining two gold entities of the sentence, one a related pair of mentions.

use super::model::mention_spans;
use crate::error::Result;
use kith_corpus::crossre::{kith_type, read_crossre, CrossreSentence};
use kith_corpus::knowledgenet::{FactScores, KnFact};
use kith_corpus::relation_data::relations_as_facts;
use kith_nlp::{Doc, EntitySpan, Pipeline};
use kith_schema::DocId;
use rayon::prelude::*;
use std::path::PathBuf;

/// The component from which the gold entities replace the pipeline's own.
const FIRST_AFTER_ENTITIES: &str = "coref";

/// Scores `pipeline` on CrossRE files given their gold entities (see the module
/// documentation): each file's pair scores. With `svo_baseline`, the subject-verb-object
/// baseline's relations over the same mentions instead.
pub fn eval_crossre(
    pipeline: Pipeline,
    files: &[PathBuf],
    svo_baseline: bool,
) -> Result<Vec<(PathBuf, FactScores)>> {
    let (analysis, relations) = pipeline.split_at(FIRST_AFTER_ENTITIES);
    let relations = if svo_baseline {
        relations
            .without("relation-model")
            .without("relation-rules")
    } else {
        relations
    };
    let mut out = Vec::new();
    for file in files {
        let sentences = read_crossre(file)?;
        let scored: Vec<FactScores> = sentences
            .par_iter()
            .map(|s| {
                let mut doc = Doc::new(DocId::from_content(&s.text), s.text.clone(), &s.key);
                analysis.run(&mut doc);
                set_gold_entities(&mut doc, s);
                relations.run(&mut doc);
                let found = if svo_baseline {
                    kith_nlp::train::svo_baseline(&doc)
                } else {
                    doc.relations.clone()
                };
                let gold: Vec<KnFact> = s
                    .pairs
                    .iter()
                    .map(|&(a, b)| KnFact {
                        predicate: String::new(),
                        subject: s.entities[a].0.clone(),
                        object: s.entities[b].0.clone(),
                    })
                    .collect();
                let mut scores = FactScores::default();
                scores.add(
                    &gold,
                    &[],
                    &relations_as_facts(&doc, &found),
                    &mention_spans(&doc),
                );
                scores
            })
            .collect();
        let mut total = FactScores::default();
        for s in &scored {
            total.merge(s);
        }
        out.push((file.clone(), total));
    }
    Ok(out)
}

/// Replaces the document's mentions with the sentence's gold entities: each over the
/// tokens its span overlaps, typed by [`kith_type`]; an entity overlapping an earlier
/// one (nested annotations) is left out, as mentions never overlap.
fn set_gold_entities(doc: &mut Doc, s: &CrossreSentence) {
    let mut gold: Vec<&(std::ops::Range<usize>, String)> = s.entities.iter().collect();
    gold.sort_by_key(|(span, _)| (span.start, span.end));
    let mut entities: Vec<EntitySpan> = Vec::new();
    for (span, kind) in gold {
        let first = doc.tokens.iter().position(|t| t.end > span.start);
        let last = doc.tokens.iter().rposition(|t| t.start < span.end);
        let (Some(first), Some(last)) = (first, last) else {
            continue;
        };
        if last < first || entities.last().is_some_and(|e| e.tokens.end > first) {
            continue;
        }
        entities.push(EntitySpan {
            tokens: first..last + 1,
            start: doc.tokens[first].start,
            end: doc.tokens[last].end,
            kind: kith_type(kind),
            confidence: 1.0,
            source: "gold",
            canonical: None,
            external_ids: Default::default(),
            resolved_by: None,
        });
    }
    doc.entities = entities;
    doc.relations.clear();
    doc.coref.clear();
    doc.groups.clear();
}
