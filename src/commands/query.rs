//! `kith neighbors`, `kith path` and `kith stats`.

use super::Opened;
use crate::cli::{NeighborsArgs, PathArgs, StatsArgs};
use crate::output::{format_table, one_line, plural};
use anyhow::{bail, Result};
use kith_graph::store::Counts;
use kith_graph::{Entity, KnowledgeGraph, NeighborQuery, Relation};
use kith_schema::EntityType;
use serde_json::{json, Value};
use std::process::ExitCode;

pub fn neighbors(args: NeighborsArgs) -> Result<ExitCode> {
    let opened = super::open_graph(&args.graph)?;
    let start = match &opened {
        Opened::Json(graph) => crate::lookup::Names::new(graph)
            .resolve(&args.name)?
            .id
            .clone(),
        Opened::Store(store) => crate::lookup::resolve_in_store(store, &args.name)?,
    };
    let mut types = Vec::new();
    for name in &args.types {
        match EntityType::parse(name) {
            Some(t) => types.push(t),
            None => bail!("unknown entity type {name:?}; expected one of person, organization, country, location, event, role, other"),
        }
    }
    let query = NeighborQuery {
        depth: args.depth.max(1),
        types,
        predicates: args
            .predicates
            .iter()
            .map(|p| kith_schema::normalize_predicate(p))
            .collect(),
    };
    let (graph, counts) = match opened {
        Opened::Json(graph) => (graph, Counts::default()),
        Opened::Store(store) => {
            let part = store.neighborhood(&start, &query, args.evidence)?;
            (part.graph, part.counts)
        }
    };
    let start = graph.entity(&start).expect("the start entity is read");
    let found = graph.neighbors(&start.id, &query);
    if args.json {
        let neighbors: Vec<Value> = found
            .iter()
            .map(|n| {
                let mut value = entity_json(n.entity, &counts);
                value["depth"] = json!(n.depth);
                value["relations"] = n
                    .relations
                    .iter()
                    .map(|r| relation_json(&graph, r, args.evidence, &counts))
                    .collect();
                value
            })
            .collect();
        out!(
            "{}",
            json!({"entity": entity_json(start, &counts), "neighbors": neighbors})
        );
        return Ok(ExitCode::SUCCESS);
    }
    out!(
        "{} ({}): {}",
        one_line(&start.name),
        start.kind,
        plural(found.len(), "neighbour", "neighbours")
    );
    let rows: Vec<Vec<String>> = found
        .iter()
        .map(|n| {
            let via: Vec<String> = n
                .relations
                .iter()
                .map(|r| describe(&graph, r, &counts))
                .collect();
            vec![
                one_line(&n.entity.name),
                n.entity.kind.to_string(),
                n.depth.to_string(),
                one_line(&via.join("; ")),
            ]
        })
        .collect();
    out!("{}", table(&["NAME", "TYPE", "DEPTH", "VIA"], &rows));
    if args.evidence {
        for n in &found {
            for r in &n.relations {
                out!("\n{}", one_line(&describe(&graph, r, &counts)));
                for e in &r.evidence {
                    out!(
                        "  [{} s{} {}..{}] {}",
                        one_line(&source_of(&graph, &e.doc)),
                        e.sentence,
                        e.span.start,
                        e.span.end,
                        one_line(&e.sentence_text)
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn path(args: PathArgs) -> Result<ExitCode> {
    let (graph, counts, from, to) = match super::open_graph(&args.graph)? {
        Opened::Json(graph) => {
            let names = crate::lookup::Names::new(&graph);
            let from = names.resolve(&args.from)?.id.clone();
            let to = names.resolve(&args.to)?.id.clone();
            (graph, Counts::default(), from, to)
        }
        Opened::Store(store) => {
            let from = crate::lookup::resolve_in_store(&store, &args.from)?;
            let to = crate::lookup::resolve_in_store(&store, &args.to)?;
            let part = store.path_graph(&from, &to)?;
            (part.graph, part.counts, from, to)
        }
    };
    let from = graph.entity(&from).expect("the path's ends are read");
    let to = graph.entity(&to).expect("the path's ends are read");
    let Some(steps) = graph.path(&from.id, &to.id) else {
        if args.json {
            out!(
                "{}",
                json!({"from": entity_json(from, &counts), "to": entity_json(to, &counts), "path": null})
            );
        } else {
            out!(
                "no path between {} and {}",
                one_line(&from.name),
                one_line(&to.name)
            );
        }
        return Ok(ExitCode::FAILURE);
    };
    if args.json {
        let steps: Vec<Value> = steps
            .iter()
            .map(|s| json!({"relation": relation_json(&graph, s.relation, false, &counts), "entity": entity_json(s.entity, &counts)}))
            .collect();
        out!(
            "{}",
            json!({"from": entity_json(from, &counts), "to": entity_json(to, &counts), "path": steps})
        );
        return Ok(ExitCode::SUCCESS);
    }
    out!("{} ({})", one_line(&from.name), from.kind);
    for step in steps {
        out!("  {}", one_line(&describe(&graph, step.relation, &counts)));
        out!("{} ({})", one_line(&step.entity.name), step.entity.kind);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn stats(args: StatsArgs) -> Result<ExitCode> {
    let stats = match super::open_graph(&args.graph)? {
        Opened::Json(graph) => graph.stats(args.top),
        Opened::Store(store) => store.stats(args.top)?,
    };
    if args.json {
        out!("{}", serde_json::to_string(&stats)?);
        return Ok(ExitCode::SUCCESS);
    }
    out!(
        "{}, {}, {}, {}\n",
        plural(stats.documents, "document", "documents"),
        plural(stats.entities, "entity", "entities"),
        plural(stats.relations, "relation", "relations"),
        plural(stats.mentions, "mention", "mentions")
    );
    let by_type: Vec<Vec<String>> = stats
        .entities_by_type
        .iter()
        .map(|(t, n)| vec![t.clone(), n.to_string()])
        .collect();
    out!("{}", table(&["TYPE", "ENTITIES"], &by_type));
    out!();
    let top: Vec<Vec<String>> = stats
        .top_entities
        .iter()
        .map(|(name, kind, degree)| vec![one_line(name), kind.clone(), degree.to_string()])
        .collect();
    out!("{}", table(&["ENTITY", "TYPE", "DEGREE"], &top));
    out!();
    let predicates: Vec<Vec<String>> = stats
        .predicates
        .iter()
        .map(|(p, relations, evidence, wikidata)| {
            vec![
                p.clone(),
                relations.to_string(),
                evidence.to_string(),
                wikidata.unwrap_or("").to_string(),
            ]
        })
        .collect();
    out!(
        "{}",
        table(
            &["PREDICATE", "RELATIONS", "STATEMENTS", "WIKIDATA"],
            &predicates,
        )
    );
    Ok(ExitCode::SUCCESS)
}

fn entity_json(entity: &Entity, counts: &Counts) -> Value {
    json!({"id": entity.id, "name": entity.name, "kind": entity.kind, "aliases": entity.aliases,
           "external_ids": entity.external_ids, "mentions": counts.mentions(entity)})
}

/// A relation as JSON: confidences rounded as in exports, each evidence record with the
/// file (or stream line) its document was read from.
fn relation_json(
    graph: &KnowledgeGraph,
    relation: &Relation,
    evidence: bool,
    counts: &Counts,
) -> Value {
    let mut value = json!({
        "id": relation.id, "subject": relation.subject, "object": relation.object,
        "predicate": relation.predicate, "class": relation.class, "polarity": relation.polarity,
        "modality": relation.modality, "count": counts.evidence(relation),
        "confidence": kith_export::confidence(relation.confidence),
    });
    if evidence {
        let list: Vec<Value> = relation
            .evidence
            .iter()
            .map(|e| {
                let mut v = kith_export::evidence_value(e);
                v["source"] = json!(graph.document(&e.doc).map(|d| d.source.as_str()));
                v
            })
            .collect();
        value["evidence"] = Value::Array(list);
    }
    value
}

/// Where a document was read from (its file, `file:line` for JSON lines), else its id.
pub(crate) fn source_of(graph: &KnowledgeGraph, doc: &kith_schema::DocId) -> String {
    graph
        .document(doc)
        .map_or_else(|| doc.to_string(), |d| d.source.to_string())
}

/// `Marco Rubio -speak-with-> Foreign Minister (planned, ×2)`
fn describe(graph: &KnowledgeGraph, relation: &Relation, counts: &Counts) -> String {
    let name = |id| graph.entity(id).map_or("?", |e: &Entity| e.name.as_str());
    let mut flags = Vec::new();
    if relation.polarity == kith_schema::Polarity::Negated {
        flags.push("NOT".to_string());
    }
    if relation.modality != kith_schema::Modality::Asserted {
        flags.push(relation.modality.to_string());
    }
    let count = counts.evidence(relation);
    if count > 1 {
        flags.push(format!("×{count}"));
    }
    let flags = if flags.is_empty() {
        String::new()
    } else {
        format!(" ({})", flags.join(", "))
    };
    format!(
        "{} -{}-> {}{}",
        name(&relation.subject),
        relation.predicate,
        name(&relation.object),
        flags
    )
}

/// A table as [`format_table`] writes it, without its last newline (`out!` adds one), so
/// that a closed pipe ends the printing quietly like every other line.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    format_table(header, rows)
        .trim_end_matches('\n')
        .to_string()
}
