//! `kith explain GRAPH NAME`: how one entity was put together — its ids and aliases, the
//! key that merged its documents, and its mentions grouped by the rule that attached them
//! (on a terminal the first `--limit` of each list, with a count of the rest).

use crate::cli::ExplainArgs;
use crate::output::{format_table, one_line, plural};
use anyhow::Result;
use serde_json::json;
use std::process::ExitCode;

pub fn explain(args: ExplainArgs) -> Result<ExitCode> {
    // A store is read as stored (one entity, no cross-document decisions); a JSON graph
    // whole, with identities resolved and the decisions that did it.
    let (graph, id, all_decisions) = if kith_graph::store::is_store(&args.graph) {
        let super::Opened::Store(store) = super::open_graph(&args.graph)? else {
            unreachable!("a store opens as a store")
        };
        let id = crate::lookup::resolve_in_store(&store, &args.name)?;
        (store.entity_graph(&id)?, id, Vec::new())
    } else {
        let graph = super::load_graph(&args.graph)?;
        let (graph, decisions) = if super::reads_as_stored() {
            (graph, Vec::new())
        } else {
            let resolution = graph.resolve_identities();
            (resolution.graph, resolution.decisions)
        };
        let id = crate::lookup::Names::new(&graph)
            .resolve(&args.name)?
            .id
            .clone();
        (graph, id, decisions)
    };
    let found = graph.explain_entity(graph.entity(&id).expect("the entity is read"));
    let entity = found.entity;
    // The cross-document decisions that made this node (or kept a name out of it).
    let decisions: Vec<&kith_graph::identity::Decision> = all_decisions
        .iter()
        .filter(|d| d.node == entity.id)
        .collect();
    if args.json {
        let rules: serde_json::Map<String, serde_json::Value> = found
            .mentions_by_rule
            .iter()
            .map(|(rule, mentions)| {
                let list: Vec<_> = mentions
                    .iter()
                    .map(|m| json!({"doc": m.doc, "source": super::query::source_of(&graph, &m.doc), "sentence": m.sentence, "start": m.span.start, "end": m.span.end, "text": m.text}))
                    .collect();
                (rule.to_string(), json!(list))
            })
            .collect();
        out!(
            "{}",
            json!({
                "id": entity.id, "type": entity.kind, "name": entity.name, "aliases": entity.aliases,
                "external_ids": entity.external_ids, "identity_key": found.identity_key,
                "documents": found.documents, "mentions": rules,
                "cross_document": decisions.iter().map(|d| json!({
                    "entity": d.entity, "name": d.name, "merged": d.merged, "rule": d.rule, "reason": d.reason,
                })).collect::<Vec<_>>(),
            })
        );
        return Ok(ExitCode::SUCCESS);
    }
    out!(
        "{} ({}, {})",
        one_line(&entity.name),
        entity.kind,
        entity.id
    );
    if !entity.external_ids.is_empty() {
        let ids: Vec<String> = entity
            .external_ids
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        out!("ids: {}", ids.join(", "));
    }
    if !entity.aliases.is_empty() {
        let aliases: Vec<String> = entity.aliases.iter().map(|a| one_line(a)).collect();
        out!("aliases: {}", aliases.join(", "));
    }
    out!(
        "merged across documents by {}: {}",
        found.identity_key,
        plural(found.documents.len(), "document", "documents")
    );
    let shown = |n: usize| {
        if args.limit == 0 {
            n
        } else {
            n.min(args.limit)
        }
    };
    for doc in found.documents.iter().take(shown(found.documents.len())) {
        out!(
            "  {doc}  {}",
            one_line(&super::query::source_of(&graph, doc))
        );
    }
    if let Some(line) = more(
        found.documents.len(),
        shown(found.documents.len()),
        "documents",
    ) {
        out!("{line}");
    }
    if !decisions.is_empty() {
        out!("\ncross-document decisions:");
        for d in &decisions {
            let verb = if d.merged { "joined" } else { "kept apart" };
            out!(
                "  {} {verb} ({}): {}",
                one_line(&d.name),
                d.rule,
                one_line(&d.reason)
            );
        }
    }
    for (rule, mentions) in &found.mentions_by_rule {
        out!(
            "\n{rule}: {}",
            plural(mentions.len(), "mention", "mentions")
        );
        let rows: Vec<Vec<String>> = mentions
            .iter()
            .take(shown(mentions.len()))
            .map(|m| {
                vec![
                    one_line(&super::query::source_of(&graph, &m.doc)),
                    m.sentence.to_string(),
                    format!("{}..{}", m.span.start, m.span.end),
                    one_line(&m.text),
                ]
            })
            .collect();
        out!(
            "{}",
            format_table(&["SOURCE", "SENTENCE", "CHARS", "TEXT"], &rows).trim_end()
        );
        if let Some(line) = more(mentions.len(), rows.len(), "mentions") {
            out!("{line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The line that says how many of `total` were left out after `shown`, if any.
fn more(total: usize, shown: usize, what: &str) -> Option<String> {
    (total > shown).then(|| {
        format!(
            "  ... and {} more {what} (--limit 0 lists every one)",
            total - shown
        )
    })
}
