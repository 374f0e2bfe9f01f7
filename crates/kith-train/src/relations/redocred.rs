//! End-to-end scoring on Re-DocRED (`kith eval relations --format redocred FILE`):
//! Wikipedia introductions with every entity and every fact between them annotated, a
//! relation data set the relation model is not trained on.
//!
//! Scored between entities, as the graph holds facts: each pipeline mention stands for the
//! gold entity one of whose mentions it overlaps, or (a pronoun, which Re-DocRED does not
//! mark) for the gold entity of the pipeline's entity it belongs to; a predicted relation is a fact between
//! the two gold entities (duplicates count once), right when the gold facts hold it with
//! the same predicate (*spouse-of* either way). Gold facts count only when one sentence
//! names both entities, since Kith relates mentions of one sentence; the others are
//! counted apart (a prediction matching one of them is still right: Re-DocRED marks names,
//! not the pronouns through which Kith may find it). Only predicates a Wikidata property stands for are scored; a relation of
//! one of them whose end is no gold entity is a wrong prediction.

use crate::error::Result;
use kith_corpus::knowledgenet::{overlaps, FactPrf};
use kith_corpus::redocred::{gold_entities, read_redocred, RedocredDocument};
use kith_nlp::{Doc, Pipeline, RelationSpan};
use kith_schema::{DocId, Polarity};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// How `kith eval relations --format redocred` scores.
#[derive(Debug, Clone, Default)]
pub struct RedocredOptions {
    /// Score the subject-verb-object baseline instead (pairs only).
    pub svo_baseline: bool,
    /// Collect missed and spurious facts.
    pub show_errors: bool,
}

/// Scores of a Re-DocRED evaluation.
#[derive(Debug, Clone, Default)]
pub struct RedocredReport {
    /// Documents read.
    pub documents: usize,
    /// Per predicate.
    pub per_predicate: BTreeMap<String, FactPrf>,
    /// Micro-averaged over the predicates.
    pub overall: FactPrf,
    /// Entity pairs joined by a relation of any predicate, either way, against the gold
    /// facts' pairs.
    pub pairs: FactPrf,
    /// Gold facts both of whose entities the pipeline mentions somewhere.
    pub reachable: usize,
    /// Gold facts left out of recall: no sentence names both entities (Re-DocRED marks
    /// names, not pronouns). A prediction matching one still counts as right.
    pub cross_sentence: usize,
    /// Of those, the ones predicted.
    pub cross_sentence_found: usize,
    /// With [`RedocredOptions::show_errors`]: `(missed, predicate, subject, object,
    /// document title)`, missed first within each document.
    pub errors: Vec<(bool, String, String, String, String)>,
}

/// One document's predicted facts between gold entities (`None` for an end that is no
/// gold entity, with the mention's text).
type Predicted = BTreeSet<(String, End, End)>;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum End {
    Entity(usize),
    Unknown(String),
}

/// Scores `pipeline` on a Re-DocRED file.
pub fn eval_redocred(
    pipeline: Pipeline,
    path: &Path,
    options: &RedocredOptions,
) -> Result<RedocredReport> {
    let documents = read_redocred(path)?;
    let pipeline = if options.svo_baseline {
        pipeline.without("relation-model").without("relation-rules")
    } else {
        pipeline
    };
    let scored: Vec<(RedocredDocument, Doc)> = documents
        .into_par_iter()
        .map(|d| {
            let mut doc = Doc::new(DocId::from_content(&d.text), d.text.clone(), &d.title);
            pipeline.run(&mut doc);
            (d, doc)
        })
        .collect();
    let scored_predicates: BTreeSet<&str> = kith_schema::wikidata_properties()
        .iter()
        .map(|p| p.predicate)
        .collect();
    let mut report = RedocredReport {
        documents: scored.len(),
        ..RedocredReport::default()
    };
    for (gold_doc, doc) in &scored {
        let relations: Vec<RelationSpan> = if options.svo_baseline {
            kith_nlp::train::svo_baseline(doc)
        } else {
            doc.relations.clone()
        };
        let relations: Vec<&RelationSpan> = relations
            .iter()
            .filter(|r| r.polarity != Polarity::Negated)
            .collect();
        let gold_entity = gold_entities(gold_doc, doc);
        let entity_of = |m: usize| -> End {
            gold_entity[m].map_or_else(
                || End::Unknown(doc.span_text(&doc.entities[m]).to_string()),
                End::Entity,
            )
        };
        let predicted: Predicted = relations
            .iter()
            .filter(|r| scored_predicates.contains(r.predicate.as_str()))
            .map(|r| {
                let (s, o) = (entity_of(r.subject), entity_of(r.object));
                // A symmetric fact is one fact, whichever way it was found.
                if r.predicate == "spouse-of" && o < s {
                    (r.predicate.clone(), o, s)
                } else {
                    (r.predicate.clone(), s, o)
                }
            })
            .collect();
        let pairs: BTreeSet<(End, End)> = relations
            .iter()
            .map(|r| {
                let (a, b) = (entity_of(r.subject), entity_of(r.object));
                if a <= b {
                    (a, b)
                } else {
                    (b, a)
                }
            })
            .collect();
        let mentioned = |entity: usize| {
            doc.entities.iter().any(|e| {
                gold_doc.entities[entity]
                    .iter()
                    .any(|(_, s)| overlaps(s, &(e.start..e.end)))
            })
        };
        let gold: Vec<_> = gold_doc
            .facts
            .iter()
            .filter(|f| gold_doc.share_a_sentence(f.subject, f.object))
            .collect();
        report.cross_sentence += gold_doc.facts.len() - gold.len();
        report.cross_sentence_found += gold_doc
            .facts
            .iter()
            .filter(|g| !gold_doc.share_a_sentence(g.subject, g.object))
            .filter(|g| {
                let (s, o) = (End::Entity(g.subject), End::Entity(g.object));
                predicted.iter().any(|(p, ps, po)| {
                    p == &g.predicate
                        && ((ps == &s && po == &o) || (p == "spouse-of" && ps == &o && po == &s))
                })
            })
            .count();
        // A predicted fact is right when the document states it, even between entities
        // whose names share no sentence (found through a pronoun).
        let holds = |predicate: &str, s: &End, o: &End| {
            gold_doc.facts.iter().any(|g| {
                let (gs, go) = (End::Entity(g.subject), End::Entity(g.object));
                g.predicate == predicate
                    && ((&gs == s && &go == o)
                        || (predicate == "spouse-of" && &gs == o && &go == s))
            })
        };
        let name = |e: &End| match e {
            End::Entity(i) => {
                let (_, span) = &gold_doc.entities[*i][0];
                gold_doc.text[span.clone()].to_string()
            }
            End::Unknown(text) => format!("{text} (no gold entity)"),
        };
        for g in &gold {
            let (s, o) = (End::Entity(g.subject), End::Entity(g.object));
            let found = predicted.iter().any(|(p, ps, po)| {
                p == &g.predicate
                    && ((ps == &s && po == &o) || (p == "spouse-of" && ps == &o && po == &s))
            });
            let entry = report.per_predicate.entry(g.predicate.clone()).or_default();
            entry.gold += 1;
            report.overall.gold += 1;
            if found {
                entry.found += 1;
                report.overall.found += 1;
            }
            if mentioned(g.subject) && mentioned(g.object) {
                report.reachable += 1;
            }
            let key = if s <= o { (s, o) } else { (o, s) };
            report.pairs.gold += 1;
            if pairs.contains(&key) {
                report.pairs.found += 1;
            }
            if options.show_errors && !found {
                report.errors.push((
                    true,
                    g.predicate.clone(),
                    name(&End::Entity(g.subject)),
                    name(&End::Entity(g.object)),
                    gold_doc.title.clone(),
                ));
            }
        }
        for (p, s, o) in &predicted {
            let right = holds(p, s, o);
            let entry = report.per_predicate.entry(p.clone()).or_default();
            entry.predicted += 1;
            report.overall.predicted += 1;
            if right {
                entry.predicted_correct += 1;
                report.overall.predicted_correct += 1;
            } else if options.show_errors {
                report
                    .errors
                    .push((false, p.clone(), name(s), name(o), gold_doc.title.clone()));
            }
        }
        for (a, b) in &pairs {
            report.pairs.predicted += 1;
            let joins = gold_doc.facts.iter().any(|g| {
                let (s, o) = (End::Entity(g.subject), End::Entity(g.object));
                (&s == a && &o == b) || (&s == b && &o == a)
            });
            if joins {
                report.pairs.predicted_correct += 1;
            }
        }
    }
    Ok(report)
}
