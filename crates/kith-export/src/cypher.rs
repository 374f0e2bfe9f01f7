//! A Cypher script for Neo4j and FalkorDB: one statement per line, each ending with `;`.

use crate::common::{
    confidence_str, document_count, evidence_json, registries, relationship_type, wikidata_id,
};
use kith_graph::KnowledgeGraph;
use std::fmt::Write as _;
use std::io::Write;

/// A single-quoted Cypher string literal. `\` and `'` are backslash-escaped, line breaks
/// and tabs are `\n`, `\r`, `\t`, and other control characters `\uXXXX`, so a literal never
/// spans lines and nothing in it can end the string.
pub(crate) fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // U+2028/U+2029 are line terminators to some tools; keep the script line-based.
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

pub(crate) fn write(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    let mut text = String::new();
    text.push_str("// Kith knowledge graph as Cypher, for Neo4j and FalkorDB.\n");
    let _ = writeln!(
        text,
        "// {} entities, {} relations. One statement per line, each ending with ';'. Lines starting with // are comments.",
        graph.entities().len(),
        graph.relations().len()
    );
    text.push_str("// Optional index (run once, before the rest, on Neo4j 5 or FalkorDB):\n");
    text.push_str("// CREATE INDEX FOR (n:Entity) ON (n.id);\n\n");
    let registries = registries(graph);
    for entity in graph.entities() {
        let _ = write!(
            text,
            "MERGE (n:Entity:{} {{id: {}}}) SET n.name = {}, n.kind = {}",
            entity.kind.as_str(),
            string(&entity.id.0),
            string(&entity.name),
            string(entity.kind.as_str()),
        );
        if !entity.aliases.is_empty() {
            let aliases: Vec<String> = entity.aliases.iter().map(|a| string(a)).collect();
            let _ = write!(text, ", n.aliases = [{}]", aliases.join(", "));
        }
        let _ = write!(
            text,
            ", n.mention_count = {}, n.document_count = {}",
            entity.mention_count(),
            document_count(entity)
        );
        for (registry, key) in &registries {
            if let Some(value) = entity.external_ids.get(registry) {
                let _ = write!(text, ", n.{key} = {}", string(value));
            }
        }
        text.push_str(";\n");
    }
    text.push('\n');
    for relation in graph.relations() {
        let _ = write!(
            text,
            "MATCH (a:Entity {{id: {}}}), (b:Entity {{id: {}}}) MERGE (a)-[r:{} {{id: {}}}]->(b) SET r.predicate = {}",
            string(&relation.subject.0),
            string(&relation.object.0),
            relationship_type(&relation.predicate),
            string(&relation.id.0),
            string(&relation.predicate),
        );
        if let Some(id) = wikidata_id(relation) {
            let _ = write!(text, ", r.wikidata = {}", string(id));
        }
        if let Some(class) = relation.class {
            let _ = write!(text, ", r.class = {}", string(class.as_str()));
        }
        let _ = writeln!(
            text,
            ", r.polarity = {}, r.modality = {}, r.count = {}, r.confidence = {}, r.evidence = {};",
            string(relation.polarity.as_str()),
            string(relation.modality.as_str()),
            relation.count(),
            confidence_str(relation.confidence),
            string(&evidence_json(&relation.evidence)),
        );
    }
    out.write_all(text.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        assert_eq!(string("it's"), r"'it\'s'");
        assert_eq!(string("a\\b\nc\u{1}"), r"'a\\b\nc\u0001'");
        assert_eq!(
            string("\"}] MATCH (n) DETACH DELETE n //"),
            "'\"}] MATCH (n) DETACH DELETE n //'"
        );
    }
}
