//! `Format::Html`: one self-contained HTML page, an offline interactive viewer.
//!
//! Safety rests on three rules, each enough for the names and sentences of a hostile
//! graph: (1) the graph travels as JSON in a non-executed `<script type="application/json">`
//! element with `<`, `>` and `&` escaped (`\u003c`...), so its text can never end the
//! element; (2) the viewer script reads it with `JSON.parse` and builds every panel with
//! `textContent` and `createElement`, never `innerHTML` (Cytoscape draws labels on a
//! canvas); (3) a Content-Security-Policy admits only the page's own two scripts, by hash.

use crate::common::{confidence, type_colour};
use base64::Engine as _;
use kith_graph::{EntityId, KnowledgeGraph};
use kith_schema::{DocId, EntityType, Mention};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

/// Cytoscape.js 3.35.0 (MIT), copied from npm (see `vendor/cytoscape/README.md`).
const CYTOSCAPE: &str = include_str!("../vendor/cytoscape/cytoscape.min.js");
/// The viewer: reads the data element and drives Cytoscape.
const VIEWER_JS: &str = include_str!("viewer.js");
const VIEWER_CSS: &str = include_str!("viewer.css");

/// Writes the page. The same graph gives the same bytes (the layout runs in the browser).
pub(crate) fn write(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    let data = script_json(&data(graph));
    let hash = |script: &str| {
        let digest = Sha256::digest(script.as_bytes());
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        )
    };
    let csp = format!(
        "default-src 'none'; script-src {} {}; style-src 'unsafe-inline'; img-src data: blob:",
        hash(CYTOSCAPE),
        hash(VIEWER_JS)
    );
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Kith graph</title>\n<style>{VIEWER_CSS}</style>\n</head>\n<body>\n\
         <header id=\"bar\">\n<strong>Kith</strong>\n\
         <input id=\"search\" type=\"search\" placeholder=\"Search names and aliases\" autocomplete=\"off\">\n\
         <label><input id=\"isolated\" type=\"checkbox\"> hide entities without visible relations</label>\n\
         <button id=\"fit\" type=\"button\">Fit</button>\n<span id=\"count\"></span>\n</header>\n\
         <main>\n<aside id=\"filters\">\n<h2>Types</h2>\n<div id=\"types\"></div>\n\
         <h2>Edges</h2>\n<div id=\"edge-legend\"></div>\n\
         <h2>Predicates <button id=\"all-predicates\" type=\"button\">all</button>\
         <button id=\"no-predicates\" type=\"button\">none</button></h2>\n\
         <div id=\"predicates\"></div>\n</aside>\n<div id=\"cy\"></div>\n\
         <aside id=\"panel\"><p class=\"hint\">Click an entity or a relation to see its evidence.</p></aside>\n\
         </main>\n<ul id=\"matches\"></ul>\n\
         <script id=\"kith-data\" type=\"application/json\">{data}</script>\n\
         <script>{CYTOSCAPE}</script>\n<script>{VIEWER_JS}</script>\n</body>\n</html>\n"
    )
}

/// JSON that can sit inside a `<script>` element: every `<`, `>`, `&` (and the two line
/// separators JavaScript once refused in strings) as a `\u` escape, which JSON reads back
/// as the same character. Outside strings JSON has none of these characters.
fn script_json(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len() + text.len() / 50);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The graph as the viewer reads it: documents by index, entities, relations with their
/// evidence and, per evidence sentence, the ranges of its two entities' mentions.
fn data(graph: &KnowledgeGraph) -> Value {
    let doc_index: BTreeMap<&DocId, usize> = graph
        .documents()
        .enumerate()
        .map(|(i, d)| (&d.id, i))
        .collect();
    let documents: Vec<Value> = graph
        .documents()
        .map(|d| json!({"id": d.id, "source": d.source, "title": d.title, "url": d.url}))
        .collect();
    let entities: Vec<Value> = graph
        .entities()
        .map(|e| {
            let docs: Vec<usize> = e
                .documents()
                .iter()
                .filter_map(|d| doc_index.get(d).copied())
                .collect();
            json!({"id": e.id.0, "name": e.name, "kind": e.kind, "aliases": e.aliases,
                   "mentions": e.mention_count(), "docs": docs})
        })
        .collect();
    // Every mention by entity, document and sentence, once: evidence looks its two
    // entities' mentions up here instead of scanning all of a hub's mentions each time.
    let mut mentions: HashMap<(&EntityId, &DocId, u32), Vec<&Mention>> = HashMap::new();
    for e in graph.entities() {
        for m in e.mentions.iter() {
            mentions
                .entry((&e.id, &m.doc, m.sentence))
                .or_default()
                .push(m);
        }
    }
    let relations: Vec<Value> = graph
        .relations()
        .map(|r| {
            let evidence: Vec<Value> = r
                .evidence
                .iter()
                .map(|e| {
                    let ends: Vec<&[&Mention]> = [&r.subject, &r.object]
                        .iter()
                        .map(|id| {
                            mentions
                                .get(&(*id, &e.doc, e.sentence))
                                .map_or(&[][..], Vec::as_slice)
                        })
                        .collect();
                    let marks = marks(&e.sentence_text, e.span, &ends);
                    json!({"doc": doc_index.get(&e.doc), "sentence": e.sentence,
                           "text": e.sentence_text.as_str(), "marks": marks,
                           "confidence": confidence(e.confidence)})
                })
                .collect();
            json!({"id": r.id.0, "source": r.subject.0, "target": r.object.0,
                   "predicate": r.predicate, "polarity": r.polarity, "modality": r.modality,
                   "cooccurrence": r.is_cooccurrence(), "count": r.count(),
                   "confidence": confidence(r.confidence), "evidence": evidence})
        })
        .collect();
    let types: BTreeMap<&str, &str> = EntityType::ALL
        .iter()
        .map(|t| (t.as_str(), type_colour(*t).0))
        .collect();
    json!({"documents": documents, "entities": entities, "relations": relations, "colours": types})
}

/// Where the subject's and the object's mentions lie in an evidence sentence, as
/// `[start, end, end_index]` in UTF-16 code units (JavaScript's string offsets), sorted and
/// not overlapping. Mentions are placed by document offsets when the evidence span is the
/// whole sentence (so the sentence's start is known), else by the mention's text.
fn marks(sentence: &str, span: kith_schema::CharSpan, ends: &[&[&Mention]]) -> Vec<[usize; 3]> {
    let chars: Vec<char> = sentence.chars().collect();
    let whole = (span.end - span.start) as usize == chars.len();
    // UTF-16 offset of each char offset.
    let mut utf16 = Vec::with_capacity(chars.len() + 1);
    let mut at = 0;
    for c in &chars {
        utf16.push(at);
        at += c.len_utf16();
    }
    utf16.push(at);
    let mut found: Vec<[usize; 3]> = Vec::new();
    for (end, mentions) in ends.iter().enumerate() {
        for m in mentions.iter() {
            let range = if whole {
                let start = (m.span.start as usize).checked_sub(span.start as usize);
                let stop = (m.span.end as usize).checked_sub(span.start as usize);
                match (start, stop) {
                    (Some(a), Some(b)) if a < b && b <= chars.len() => Some((a, b)),
                    _ => None,
                }
            } else {
                sentence.find(m.text.as_str()).map(|byte| {
                    let a = sentence[..byte].chars().count();
                    (a, a + m.text.chars().count())
                })
            };
            if let Some((a, b)) = range {
                found.push([utf16[a], utf16[b], end]);
            }
        }
    }
    found.sort_unstable();
    let mut kept: Vec<[usize; 3]> = Vec::new();
    for m in found {
        if kept.last().is_none_or(|last| m[0] >= last[1]) {
            kept.push(m);
        }
    }
    kept
}
