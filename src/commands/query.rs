//! `kith neighbors`, `kith path` and `kith stats`.

use crate::cli::{NeighborsArgs, PathArgs, StatsArgs};
use crate::output::{format_table, one_line};
use anyhow::{bail, Result};
use kith_graph::{Entity, KnowledgeGraph, NeighborQuery, Relation};
use kith_schema::EntityType;
use serde_json::{json, Value};
use std::process::ExitCode;

pub fn neighbors(args: NeighborsArgs) -> Result<ExitCode> {
    let graph = super::load_view(&args.graph)?;
    let start = graph.resolve(&args.name)?;
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
    let found = graph.neighbors(&start.id, &query);
    if args.json {
        let neighbors: Vec<Value> = found
            .iter()
            .map(|n| {
                let mut value = entity_json(n.entity);
                value["depth"] = json!(n.depth);
                value["relations"] = n
                    .relations
                    .iter()
                    .map(|r| relation_json(r, args.evidence))
                    .collect();
                value
            })
            .collect();
        out!(
            "{}",
            json!({"entity": entity_json(start), "neighbors": neighbors})
        );
        return Ok(ExitCode::SUCCESS);
    }
    out!(
        "{} ({}): {} neighbours",
        one_line(&start.name),
        start.kind,
        found.len()
    );
    let rows: Vec<Vec<String>> = found
        .iter()
        .map(|n| {
            let via: Vec<String> = n.relations.iter().map(|r| describe(&graph, r)).collect();
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
                out!("\n{}", one_line(&describe(&graph, r)));
                for e in &r.evidence {
                    out!(
                        "  [{} s{} {}..{}] {}",
                        e.doc,
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
    let graph = super::load_view(&args.graph)?;
    let from = graph.resolve(&args.from)?;
    let to = graph.resolve(&args.to)?;
    let Some(steps) = graph.path(&from.id, &to.id) else {
        if args.json {
            out!(
                "{}",
                json!({"from": entity_json(from), "to": entity_json(to), "path": null})
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
            .map(|s| json!({"relation": relation_json(s.relation, false), "entity": entity_json(s.entity)}))
            .collect();
        out!(
            "{}",
            json!({"from": entity_json(from), "to": entity_json(to), "path": steps})
        );
        return Ok(ExitCode::SUCCESS);
    }
    out!("{} ({})", one_line(&from.name), from.kind);
    for step in steps {
        out!("  {}", one_line(&describe(&graph, step.relation)));
        out!("{} ({})", one_line(&step.entity.name), step.entity.kind);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn stats(args: StatsArgs) -> Result<ExitCode> {
    let graph = super::load_view(&args.graph)?;
    let stats = graph.stats(args.top);
    if args.json {
        out!("{}", serde_json::to_string(&stats)?);
        return Ok(ExitCode::SUCCESS);
    }
    out!(
        "{} documents, {} entities, {} relations, {} mentions\n",
        stats.documents,
        stats.entities,
        stats.relations,
        stats.mentions
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

fn entity_json(entity: &Entity) -> Value {
    json!({"id": entity.id, "name": entity.name, "kind": entity.kind, "aliases": entity.aliases,
           "external_ids": entity.external_ids, "mentions": entity.mention_count()})
}

fn relation_json(relation: &Relation, evidence: bool) -> Value {
    let mut value = json!({
        "id": relation.id, "subject": relation.subject, "object": relation.object,
        "predicate": relation.predicate, "class": relation.class, "polarity": relation.polarity,
        "modality": relation.modality, "count": relation.count(), "confidence": relation.confidence,
    });
    if evidence {
        value["evidence"] = json!(relation.evidence);
    }
    value
}

/// `Marco Rubio -speak-with-> Foreign Minister (planned, ×2)`
fn describe(graph: &KnowledgeGraph, relation: &Relation) -> String {
    let name = |id| graph.entity(id).map_or("?", |e: &Entity| e.name.as_str());
    let mut flags = Vec::new();
    if relation.polarity == kith_schema::Polarity::Negated {
        flags.push("NOT".to_string());
    }
    if relation.modality != kith_schema::Modality::Asserted {
        flags.push(relation.modality.to_string());
    }
    if relation.count() > 1 {
        flags.push(format!("×{}", relation.count()));
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
