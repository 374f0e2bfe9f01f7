//! `kith explain GRAPH NAME`: how one entity was put together — its ids and aliases, the
//! key that merged its documents, and every mention grouped by the rule that attached it.

use crate::cli::ExplainArgs;
use crate::output::{format_table, one_line, plural};
use anyhow::Result;
use serde_json::json;
use std::process::ExitCode;

pub fn explain(args: ExplainArgs) -> Result<ExitCode> {
    let (graph, id) = match super::open_graph(&args.graph)? {
        super::Opened::Json(graph) => {
            let id = crate::lookup::Names::new(&graph)
                .resolve(&args.name)?
                .id
                .clone();
            (graph, id)
        }
        super::Opened::Store(store) => {
            let id = crate::lookup::resolve_in_store(&store, &args.name)?;
            (store.entity_graph(&id)?, id)
        }
    };
    let found = graph.explain_entity(graph.entity(&id).expect("the entity is read"));
    let entity = found.entity;
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
    for doc in &found.documents {
        out!(
            "  {doc}  {}",
            one_line(&super::query::source_of(&graph, doc))
        );
    }
    for (rule, mentions) in &found.mentions_by_rule {
        out!(
            "\n{rule}: {}",
            plural(mentions.len(), "mention", "mentions")
        );
        let rows: Vec<Vec<String>> = mentions
            .iter()
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
    }
    Ok(ExitCode::SUCCESS)
}
