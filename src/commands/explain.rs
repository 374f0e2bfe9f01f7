//! `kith explain GRAPH NAME`: how one entity was put together — its ids and aliases, the
//! key that merged its documents, and every mention grouped by the rule that attached it.

use crate::cli::ExplainArgs;
use crate::output::{format_table, one_line};
use anyhow::Result;
use serde_json::json;
use std::process::ExitCode;

pub fn explain(args: ExplainArgs) -> Result<ExitCode> {
    let resolution = super::load_graph(&args.graph)?.resolve_identities();
    let graph = resolution.graph;
    let found = graph.explain(&args.name)?;
    let entity = found.entity;
    // The cross-document decisions that made this node (or kept a name out of it).
    let decisions: Vec<&kith_graph::identity::Decision> = resolution
        .decisions
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
                    .map(|m| json!({"doc": m.doc, "sentence": m.sentence, "start": m.span.start, "end": m.span.end, "text": m.text}))
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
        "merged across documents by {}: {} document(s)",
        found.identity_key,
        found.documents.len()
    );
    for doc in &found.documents {
        out!("  {doc}");
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
        out!("\n{rule}: {} mention(s)", mentions.len());
        let rows: Vec<Vec<String>> = mentions
            .iter()
            .map(|m| {
                vec![
                    m.doc.to_string(),
                    m.sentence.to_string(),
                    format!("{}..{}", m.span.start, m.span.end),
                    one_line(&m.text),
                ]
            })
            .collect();
        out!(
            "{}",
            format_table(&["DOC", "SENTENCE", "CHARS", "TEXT"], &rows).trim_end()
        );
    }
    Ok(ExitCode::SUCCESS)
}
