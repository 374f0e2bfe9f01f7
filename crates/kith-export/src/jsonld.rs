//! JSON-LD with an inline context (schema.org plus Kith's own terms).

use crate::common::{confidence, same_as_uri};
use kith_graph::{Entity, KnowledgeGraph, Relation};
use kith_schema::{DocId, DocumentInfo, EntityType, WikidataProperty, WIKIDATA_DIRECT_NS};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::io::Write;

/// Kith's namespace.
pub(crate) const KITH_NS: &str = "https://kith.dev/ns#";

/// The namespace of Kith predicates as RDF properties (`pred:works-for`), kept apart from
/// Kith's own terms so that no predicate can be mistaken for one.
pub(crate) const PREDICATE_NS: &str = "https://kith.dev/ns/predicate/";

pub(crate) fn context() -> Value {
    json!({
        "@vocab": "https://schema.org/",
        "schema": "https://schema.org/",
        "kith": KITH_NS,
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "wdt": WIKIDATA_DIRECT_NS,
        "pred": PREDICATE_NS,
        "Relation": "kith:Relation",
        "Evidence": "kith:Evidence",
        "kind": "kith:kind",
        "mentionCount": {"@id": "kith:mentionCount", "@type": "xsd:integer"},
        "mentionedIn": {"@id": "kith:mentionedIn", "@type": "@id", "@container": "@set"},
        "subject": {"@id": "kith:subject", "@type": "@id"},
        "object": {"@id": "kith:object", "@type": "@id"},
        "predicate": "kith:predicate",
        "predicateProperty": {"@id": "kith:predicateProperty", "@type": "@id"},
        "subPropertyOf": {"@id": "rdfs:subPropertyOf", "@type": "@id"},
        "relationClass": "kith:relationClass",
        "polarity": "kith:polarity",
        "modality": "kith:modality",
        "confidence": {"@id": "kith:confidence", "@type": "xsd:double"},
        "count": {"@id": "kith:count", "@type": "xsd:integer"},
        "evidence": {"@id": "kith:evidence", "@container": "@set"},
        "document": {"@id": "kith:document", "@type": "@id"},
        "sentence": {"@id": "kith:sentence", "@type": "xsd:integer"},
        "startOffset": {"@id": "kith:startOffset", "@type": "xsd:integer"},
        "endOffset": {"@id": "kith:endOffset", "@type": "xsd:integer"},
        "source": "kith:source",
        "sameAs": {"@id": "schema:sameAs", "@type": "@id"},
        "alternateName": {"@id": "schema:alternateName", "@container": "@set"},
        "identifier": {"@id": "schema:identifier", "@container": "@set"},
    })
}

/// Percent-encode everything but unreserved characters and `:` (so `sha256:…` ids read
/// well), making any document id a valid IRI segment.
fn iri_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(crate) fn doc_iri(id: &DocId) -> String {
    format!("urn:kith:doc:{}", iri_segment(&id.0))
}

pub(crate) fn entity_iri(entity: &kith_graph::EntityId) -> String {
    format!("urn:kith:entity:{}", iri_segment(&entity.0))
}

fn relation_iri(relation: &kith_graph::RelationId) -> String {
    format!("urn:kith:relation:{}", iri_segment(&relation.0))
}

fn schema_type(kind: EntityType) -> &'static str {
    match kind {
        EntityType::Person => "Person",
        EntityType::Organization => "Organization",
        EntityType::Country => "Country",
        EntityType::Location => "Place",
        EntityType::Event => "Event",
        EntityType::Role => "Role",
        EntityType::Other => "Thing",
    }
}

fn document_node(doc: &DocumentInfo) -> Value {
    let mut node = Map::new();
    node.insert("@id".into(), json!(doc_iri(&doc.id)));
    node.insert("@type".into(), json!("NewsArticle"));
    node.insert("identifier".into(), json!([doc.id.0]));
    if let Some(title) = &doc.title {
        node.insert("name".into(), json!(title));
        node.insert("headline".into(), json!(title));
    }
    if let Some(url) = &doc.url {
        node.insert("url".into(), json!(url));
    }
    if let Some(published) = &doc.published {
        node.insert("datePublished".into(), json!(published));
    }
    node.insert("source".into(), json!(doc.source));
    Value::Object(node)
}

fn entity_node(entity: &Entity) -> Value {
    let mut node = Map::new();
    node.insert("@id".into(), json!(entity_iri(&entity.id)));
    node.insert("@type".into(), json!(schema_type(entity.kind)));
    node.insert("name".into(), json!(entity.name));
    if !entity.aliases.is_empty() {
        node.insert("alternateName".into(), json!(entity.aliases));
    }
    if !entity.external_ids.is_empty() {
        let ids: Vec<Value> = entity
            .external_ids
            .iter()
            .map(|(registry, value)| json!({"@type": "PropertyValue", "propertyID": registry, "value": value}))
            .collect();
        node.insert("identifier".into(), Value::Array(ids));
        let same_as: Vec<String> = entity
            .external_ids
            .iter()
            .filter_map(|(r, v)| same_as_uri(r, v))
            .collect();
        if !same_as.is_empty() {
            node.insert("sameAs".into(), json!(same_as));
        }
    }
    node.insert("kind".into(), json!(entity.kind.as_str()));
    node.insert("mentionCount".into(), json!(entity.mention_count()));
    let docs: Vec<String> = entity.documents().into_iter().map(doc_iri).collect();
    node.insert("mentionedIn".into(), json!(docs));
    Value::Object(node)
}

fn relation_node(relation: &Relation) -> Value {
    let mut node = Map::new();
    node.insert("@id".into(), json!(relation_iri(&relation.id)));
    node.insert("@type".into(), json!("Relation"));
    node.insert("subject".into(), json!(entity_iri(&relation.subject)));
    node.insert("object".into(), json!(entity_iri(&relation.object)));
    node.insert("predicate".into(), json!(relation.predicate));
    if let Some(property) = WikidataProperty::of(&relation.predicate) {
        node.insert(
            "predicateProperty".into(),
            json!(predicate_iri(property.predicate)),
        );
    }
    if let Some(class) = relation.class {
        node.insert("relationClass".into(), json!(class.as_str()));
    }
    node.insert("polarity".into(), json!(relation.polarity.as_str()));
    node.insert("modality".into(), json!(relation.modality.as_str()));
    node.insert("confidence".into(), json!(confidence(relation.confidence)));
    node.insert("count".into(), json!(relation.count()));
    let evidence: Vec<Value> = relation
        .evidence
        .iter()
        .map(|e| {
            json!({
                "@type": "Evidence",
                "document": doc_iri(&e.doc),
                "sentence": e.sentence,
                "startOffset": e.span.start,
                "endOffset": e.span.end,
                "text": e.sentence_text,
                "confidence": confidence(e.confidence),
            })
        })
        .collect();
    node.insert("evidence".into(), Value::Array(evidence));
    Value::Object(node)
}

/// A mapped predicate as an RDF property: `pred:works-for`.
fn predicate_iri(predicate: &str) -> String {
    format!("pred:{}", iri_segment(predicate))
}

/// The declaration of a predicate that has a Wikidata property: an `rdf:Property`, labelled
/// with the predicate, `rdfs:subPropertyOf` the Wikidata direct property (`wdt:P108`).
///
/// `rdfs:subPropertyOf` rather than `owl:equivalentProperty`: equivalence would also say
/// that every statement with the Wikidata property is one with the Kith predicate, which is
/// not so (Kith's predicates are read from news text by rules, for instance `located-in`
/// also relates events to places), and it is an OWL axiom where RDFS suffices: an RDFS
/// reasoner reads `x pred:works-for y` as `x wdt:P108 y`, and no further.
fn predicate_node(property: &WikidataProperty) -> Value {
    json!({
        "@id": predicate_iri(property.predicate),
        "@type": "rdf:Property",
        "rdfs:label": property.predicate,
        "subPropertyOf": format!("wdt:{}", property.id),
    })
}

pub(crate) fn document(graph: &KnowledgeGraph) -> Value {
    let mut nodes: Vec<Value> = Vec::new();
    nodes.extend(graph.documents().map(document_node));
    nodes.extend(graph.entities().map(entity_node));
    nodes.extend(graph.relations().map(relation_node));
    let used: BTreeMap<&str, &WikidataProperty> = graph
        .relations()
        .filter_map(|r| WikidataProperty::of(&r.predicate))
        .map(|p| (p.predicate, p))
        .collect();
    nodes.extend(used.values().map(|p| predicate_node(p)));
    json!({"@context": context(), "@graph": nodes})
}

pub(crate) fn write(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(graph))?;
    out.write_all(b"\n")
}
