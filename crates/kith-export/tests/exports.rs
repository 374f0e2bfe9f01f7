//! Every format on a small graph full of hostile text, read back with a real parser.

use kith_export::{export_to_path, render, write, ExportError, Format, RenderOptions, Renderer};
use kith_graph::{GraphOptions, KnowledgeGraph};
use kith_schema::{
    CharSpan, DocId, DocumentFacts, DocumentInfo, EntityFacts, EntityType, Evidence, Mention,
    Modality, Polarity, RelationClass, RelationFacts, SentenceFacts,
};
use quick_xml::events::Event;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const DROP_TABLE: &str = "\"}] MATCH (n) DETACH DELETE n //";
const XML_BREAK: &str = "</key><node id=\"x\">";
const DOT_BREAK: &str = "\\\" ]; digraph evil {";
const MIXED: &str = "محادثات 北京 summit 🎉 & <talks>";
const MULTILINE: &str = "Secretary\nof 'State'\\";
const CONTROL: &str = "ctrl\u{1}char\ttab\r\nCRLF &amp; semi;colon";

fn names() -> Vec<(EntityType, &'static str)> {
    vec![
        (EntityType::Person, "Marco \"Rubio\""),
        (EntityType::Country, "India"),
        (EntityType::Organization, DROP_TABLE),
        (EntityType::Person, XML_BREAK),
        (EntityType::Location, DOT_BREAK),
        (EntityType::Event, MIXED),
        (EntityType::Role, MULTILINE),
        (EntityType::Other, CONTROL),
    ]
}

fn document(
    id: &str,
    sentence_text: &str,
    relations: &[(usize, usize, &str, Polarity, Modality)],
) -> DocumentFacts {
    let doc = DocId(id.into());
    let entities = names()
        .into_iter()
        .enumerate()
        .map(|(i, (kind, name))| {
            let mut external_ids = BTreeMap::new();
            if name == "India" {
                external_ids.insert("iso3166-1:alpha2".to_string(), "IN".to_string());
                external_ids.insert("wikidata".to_string(), "Q668".to_string());
            }
            if name == DROP_TABLE {
                external_ids.insert(
                    "homepage".to_string(),
                    "https://example.org/a?b=c&d=\"e\"".to_string(),
                );
                external_ids.insert("weird <reg>".to_string(), "x';DROP".to_string());
            }
            EntityFacts {
                kind,
                name: name.to_string(),
                aliases: if i == 0 {
                    vec!["Rubio".into(), "M. Rubio; Sec.".into()]
                } else {
                    vec![]
                },
                external_ids,
                mentions: vec![Mention {
                    doc: doc.clone(),
                    sentence: (i % 2) as u32,
                    span: CharSpan::new(i as u32 * 3, i as u32 * 3 + 2),
                    text: name.into(),
                    confidence: 0.8,
                    resolved_by: None,
                }],
            }
        })
        .collect();
    let relations = relations
        .iter()
        .map(
            |&(subject, object, predicate, polarity, modality)| RelationFacts {
                subject,
                object,
                predicate: predicate.to_string(),
                class: Some(RelationClass::Communication),
                polarity,
                modality,
                confidence: 0.9,
                evidence: Evidence {
                    doc: doc.clone(),
                    sentence: 0,
                    span: CharSpan::new(0, 20),
                    sentence_text: sentence_text.into(),
                    confidence: 0.9,
                },
            },
        )
        .collect();
    DocumentFacts {
        producer: "test".into(),
        document: DocumentInfo {
            id: doc.clone(),
            title: Some(format!("Title {DROP_TABLE} {XML_BREAK}")),
            url: Some("https://news.example/a?x=1&y=<2>".into()),
            published: Some("2025-01-02".into()),
            source: format!("{id}.jsonl:1"),
            chars: 200,
            sentences: 2,
        },
        entities,
        relations,
        sentences: vec![
            SentenceFacts {
                index: 0,
                span: CharSpan::new(0, 20),
                text: format!("He said \"{DROP_TABLE}\"\n{XML_BREAK}").into(),
            },
            SentenceFacts {
                index: 1,
                span: CharSpan::new(21, 40),
                text: MIXED.into(),
            },
        ],
    }
}

fn docs() -> Vec<DocumentFacts> {
    use Modality::*;
    use Polarity::*;
    vec![
        document(
            "doc 1/\"a\"",
            &format!("Rubio \"spoke\" with India.\n{DROP_TABLE} {XML_BREAK} {DOT_BREAK} {MIXED}"),
            &[
                (0, 1, "speak-with", Affirmed, Asserted),
                (3, 2, "meet", Negated, Asserted),
                (0, 2, "works-for", Affirmed, Asserted),
                (0, 4, "visit", Affirmed, Planned),
                (5, 1, "located-in", Affirmed, Reported),
                (6, 0, "x'y\"z\\ -> w", Affirmed, Asserted),
                (7, 5, "2nd-round", Affirmed, Asserted),
            ],
        ),
        document(
            "sha256:0011223344556677",
            "Rubio spoke with India again.",
            &[(0, 1, "speak-with", Affirmed, Asserted)],
        ),
    ]
}

fn graph() -> KnowledgeGraph {
    let mut graph = KnowledgeGraph::new(GraphOptions { cooccurrence: true });
    for facts in docs() {
        graph.add_document(facts).unwrap();
    }
    graph
}

fn export(graph: &KnowledgeGraph, format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    write(graph, format, &mut out).unwrap();
    out
}

fn export_string(graph: &KnowledgeGraph, format: Format) -> String {
    String::from_utf8(export(graph, format)).unwrap()
}

fn has_cooccurrence(graph: &KnowledgeGraph) -> bool {
    graph.relations().any(|r| r.is_cooccurrence())
}

/// The text of each `<edge …>…</edge>` element of an XML export, in order.
fn xml_edges(text: &str) -> Vec<&str> {
    text.split("<edge ")
        .skip(1)
        .map(|rest| &rest[..rest.find("</edge>").expect("edge element closed")])
        .collect()
}

/// The one edge element whose text contains `needle` (which names its predicate).
fn xml_edge<'t>(text: &'t str, needle: &str) -> &'t str {
    let found: Vec<&str> = xml_edges(text)
        .into_iter()
        .filter(|e| e.contains(needle))
        .collect();
    assert_eq!(found.len(), 1, "{needle}: {found:?}");
    found[0]
}

/// How many relations of the test graph have a predicate with a Wikidata property
/// (`works-for` P108, `located-in` P131).
fn wikidata_relations(graph: &KnowledgeGraph) -> usize {
    graph
        .relations()
        .filter(|r| kith_schema::wikidata_property(&r.predicate).is_some())
        .count()
}

#[test]
fn sample_graph_is_as_expected() {
    let graph = graph();
    assert_eq!(graph.entities().len(), 8);
    assert!(graph.relations().len() > 6);
    assert!(has_cooccurrence(&graph));
    assert!(
        graph.relations().any(|r| r.count() == 2),
        "speak-with is stated twice"
    );
    assert_eq!(wikidata_relations(&graph), 2);
}

// ---------- DOT ----------

/// Undo DOT string quoting (the parser keeps the quotes and escapes).
fn dot_unquote(id: &dot_structures::Id) -> String {
    let raw = match id {
        dot_structures::Id::Escaped(s) => s.strip_prefix('"').unwrap().strip_suffix('"').unwrap(),
        dot_structures::Id::Plain(s) => s.as_str(),
        other => panic!("unexpected id {other:?}"),
    };
    let mut out = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => panic!("dangling backslash"),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn dot_parses_with_graphviz_rust() {
    use dot_structures::{Graph, Stmt};
    let graph = graph();
    let text = export_string(&graph, Format::Dot);
    let parsed = graphviz_rust::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let Graph::DiGraph { stmts, .. } = parsed else {
        panic!("not a digraph")
    };
    let mut labels = BTreeSet::new();
    let mut edges = 0;
    let mut dashed = 0;
    let mut undirected = 0;
    for stmt in &stmts {
        match stmt {
            Stmt::Node(node) => {
                let label = node
                    .attributes
                    .iter()
                    .find(|a| dot_unquote(&a.0) == "label")
                    .expect("label");
                labels.insert(dot_unquote(&label.1));
                assert!(node.attributes.iter().any(|a| dot_unquote(&a.0) == "kind"));
            }
            Stmt::Edge(edge) => {
                edges += 1;
                let get = |name: &str| {
                    edge.attributes
                        .iter()
                        .find(|a| dot_unquote(&a.0) == name)
                        .map(|a| dot_unquote(&a.1))
                };
                if get("style").as_deref() == Some("dashed") {
                    dashed += 1;
                    assert!(get("label").unwrap().starts_with("not "));
                }
                if get("dir").as_deref() == Some("none") {
                    undirected += 1;
                }
                let predicate = get("predicate").unwrap();
                assert_eq!(
                    get("wikidata").as_deref(),
                    kith_schema::wikidata_property(&predicate),
                    "{predicate}"
                );
                if predicate == "works-for" {
                    assert_eq!(get("wikidata").as_deref(), Some("P108"));
                }
            }
            _ => {}
        }
    }
    assert_eq!(labels.len(), graph.entities().len());
    assert_eq!(edges, graph.relations().len());
    assert_eq!(dashed, 1);
    assert_eq!(
        undirected,
        graph.relations().filter(|r| r.is_cooccurrence()).count()
    );
    for name in [
        "Marco \"Rubio\"",
        DROP_TABLE,
        XML_BREAK,
        DOT_BREAK,
        MIXED,
        MULTILINE,
    ] {
        assert!(
            labels.contains(name),
            "label {name:?} did not round-trip: {labels:?}"
        );
    }
    assert_eq!(
        text.matches("digraph").count(),
        2,
        "only the header and the hostile name's text"
    );
}

/// A real Graphviz run is done by the separate harness; here, when `dot` is installed we
/// render with it, and when it is not we check that asking for it fails clearly.
#[test]
fn graphviz_rendering_or_clear_error() {
    let graph = graph();
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("g.png");
    let options = RenderOptions {
        include_cooccurrence: true,
        ..RenderOptions::default()
    };
    let has_dot = std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    match render(&graph, &options, &png, Some(Renderer::Graphviz)) {
        Ok(renderer) => {
            assert!(has_dot);
            assert_eq!(renderer, Renderer::Graphviz);
            assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
        }
        Err(ExportError::NeedsGraphviz { .. }) => assert!(!has_dot),
        Err(other) => panic!("{other}"),
    }
    // PNG with the built-in renderer is refused with advice.
    let err = render(&graph, &options, &png, Some(Renderer::Builtin)).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("install Graphviz") && message.contains(".svg"),
        "{message}"
    );
    let err = render(&graph, &options, &dir.path().join("g.gif"), None).unwrap_err();
    assert!(matches!(err, ExportError::UnsupportedPicture { .. }));
}

// ---------- XML ----------

#[derive(Default, Debug)]
struct XmlSummary {
    root: String,
    root_attrs: BTreeMap<String, String>,
    counts: BTreeMap<String, usize>,
    /// Text of `<data key=K>` elements, by key.
    data: BTreeMap<String, Vec<String>>,
    /// Values of attributes, by element/attribute name.
    attrs: BTreeMap<String, Vec<String>>,
}

fn read_xml(text: &str) -> XmlSummary {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut summary = XmlSummary::default();
    let mut stack: Vec<(String, Option<String>)> = Vec::new();
    let mut current_text = String::new();
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("malformed XML at {}: {e}", reader.error_position()));
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = e.name().0.to_string();
                let mut key = None;
                for attr in e.attributes() {
                    let attr = attr.unwrap();
                    let value = attr
                        .normalized_value(quick_xml::XmlVersion::default())
                        .unwrap()
                        .to_string();
                    if attr.key.0 == "key" {
                        key = Some(value.clone());
                    }
                    if stack.is_empty() {
                        summary
                            .root_attrs
                            .insert(attr.key.0.to_string(), value.clone());
                    }
                    summary
                        .attrs
                        .entry(format!("{name}/{}", attr.key.0))
                        .or_default()
                        .push(value);
                }
                if stack.is_empty() {
                    summary.root = name.clone();
                }
                *summary.counts.entry(name.clone()).or_default() += 1;
                if matches!(event, Event::Start(_)) {
                    stack.push((name, key));
                    current_text.clear();
                }
            }
            Event::Text(t) => current_text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => match r.resolve_char_ref().unwrap() {
                Some(c) => current_text.push(c),
                None => current_text.push(match &*r {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    other => panic!("unknown entity {other}"),
                }),
            },
            Event::End(_) => {
                let (name, key) = stack.pop().unwrap();
                if name == "data" {
                    summary
                        .data
                        .entry(key.unwrap())
                        .or_default()
                        .push(current_text.clone());
                }
                current_text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty());
    summary
}

/// What a name looks like after XML: control characters other than tab and line breaks
/// become U+FFFD (the exporter writes CR, and in attributes tabs and line breaks, as
/// character references, so that XML parsers keep them).
fn xml_clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && !"\t\n\r".contains(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

#[test]
fn graphml_is_well_formed_and_round_trips() {
    let graph = graph();
    let text = export_string(&graph, Format::Graphml);
    let xml = read_xml(&text);
    assert_eq!(xml.root, "graphml");
    assert_eq!(xml.counts["node"], graph.entities().len());
    assert_eq!(xml.counts["edge"], graph.relations().len());
    assert_eq!(xml.counts["graph"], 1);
    assert_eq!(xml.attrs["graph/edgedefault"], vec!["directed"]);
    let names: BTreeSet<&String> = xml.data["name"].iter().collect();
    for (_, name) in names_list() {
        assert!(
            names.contains(&xml_clean(name)),
            "{name:?} not in {names:?}"
        );
    }
    // Keys: types and one per registry.
    let key_ids: BTreeSet<&String> = xml.attrs["key/id"].iter().collect();
    for id in [
        "labels",
        "name",
        "mention_count",
        "label",
        "evidence",
        "x_iso3166_1_alpha2",
        "x_weird_reg",
    ] {
        assert!(key_ids.contains(&id.to_string()), "key {id}");
    }
    let types: BTreeSet<&str> = xml.attrs["key/attr.type"]
        .iter()
        .map(String::as_str)
        .collect();
    assert_eq!(
        types,
        BTreeSet::from(["boolean", "double", "int", "string"])
    );
    assert!(xml.attrs["key/attr.name"].contains(&"iso3166-1:alpha2".to_string()));
    assert!(xml.attrs["node/labels"].contains(&":Person".to_string()));
    // Nodes carry a `label` (their name) for viewers, edges their relationship type.
    assert!(key_ids.contains(&"node_label".to_string()));
    assert_eq!(xml.data["node_label"], xml.data["name"]);
    assert!(xml.attrs["edge/label"].contains(&"SPEAK_WITH".to_string()));
    assert!(xml.data["label"].contains(&"REL_2ND_ROUND".to_string()));
    // The Wikidata property: a declared key, on the works-for edge and not on meet.
    assert!(key_ids.contains(&"wikidata".to_string()));
    assert_eq!(xml.data["wikidata"].len(), wikidata_relations(&graph));
    let works_for = xml_edge(&text, "<data key=\"predicate\">works-for</data>");
    assert!(
        works_for.contains("<data key=\"wikidata\">P108</data>"),
        "{works_for}"
    );
    let meet = xml_edge(&text, "<data key=\"predicate\">meet</data>");
    assert!(!meet.contains("wikidata"), "{meet}");
    // Evidence is whole JSON.
    for evidence in &xml.data["evidence"] {
        let parsed: Vec<kith_schema::Evidence> = serde_json::from_str(evidence).unwrap();
        assert!(!parsed.is_empty());
    }
    assert!(xml.data["evidence"]
        .iter()
        .any(|e| e.contains(DROP_TABLE.trim_start_matches('"')) || e.contains("DETACH")));
}

fn names_list() -> Vec<(EntityType, &'static str)> {
    names()
}

#[test]
fn gexf_is_well_formed() {
    let graph = graph();
    let text = export_string(&graph, Format::Gexf);
    let xml = read_xml(&text);
    assert_eq!(xml.root, "gexf");
    assert_eq!(xml.root_attrs["xmlns"], "http://gexf.net/1.3");
    assert_eq!(xml.root_attrs["xmlns:viz"], "http://gexf.net/1.3/viz");
    assert_eq!(xml.root_attrs["version"], "1.3");
    assert_eq!(xml.counts["node"], graph.entities().len());
    assert_eq!(xml.counts["edge"], graph.relations().len());
    assert_eq!(xml.counts["viz:color"], graph.entities().len());
    assert_eq!(xml.counts["viz:size"], graph.entities().len());
    assert_eq!(xml.attrs["graph/mode"], vec!["static"]);
    assert_eq!(xml.attrs["graph/defaultedgetype"], vec!["directed"]);
    let labels: BTreeSet<&String> = xml.attrs["node/label"].iter().collect();
    for (_, name) in names_list() {
        // In attributes, line breaks and tabs survive as character references.
        assert!(
            labels.contains(&xml_clean(name)),
            "{name:?} not in {labels:?}"
        );
    }
    // The Wikidata property: a declared edge attribute, on the works-for edge and not on
    // meet.
    assert!(text.contains("<attribute id=\"wikidata\" title=\"wikidata\" type=\"string\"/>"));
    let works_for = xml_edge(&text, "<attvalue for=\"predicate\" value=\"works-for\"/>");
    assert!(
        works_for.contains("<attvalue for=\"wikidata\" value=\"P108\"/>"),
        "{works_for}"
    );
    let meet = xml_edge(&text, "<attvalue for=\"predicate\" value=\"meet\"/>");
    assert!(!meet.contains("wikidata"), "{meet}");
    assert_eq!(
        text.matches("<attvalue for=\"wikidata\"").count(),
        wikidata_relations(&graph)
    );
    let weights: Vec<f64> = xml.attrs["edge/weight"]
        .iter()
        .map(|w| w.parse().unwrap())
        .collect();
    assert!(weights.contains(&2.0));
}

// ---------- JSON-LD ----------

#[test]
fn jsonld_parses_with_expected_nodes() {
    let graph = graph();
    let text = export_string(&graph, Format::Jsonld);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let context = doc["@context"].as_object().unwrap();
    assert_eq!(context["@vocab"], "https://schema.org/");
    let nodes = doc["@graph"].as_array().unwrap();
    let of_type = |t: &str| nodes.iter().filter(|n| n["@type"] == t).count();
    let entity_types = [
        "Person",
        "Organization",
        "Country",
        "Place",
        "Event",
        "Role",
        "Thing",
    ];
    let entities: usize = entity_types.iter().map(|t| of_type(t)).sum();
    assert_eq!(entities, graph.entities().len());
    assert_eq!(of_type("Relation"), graph.relations().len());
    assert_eq!(of_type("NewsArticle"), graph.documents().len());
    let ids: BTreeSet<&str> = nodes.iter().map(|n| n["@id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), nodes.len(), "ids are unique");
    // Every term used is defined in the context or is a schema.org term via @vocab;
    // Kith terms must be explicit.
    let kith_terms = [
        "kind",
        "mentionCount",
        "mentionedIn",
        "subject",
        "object",
        "predicate",
        "relationClass",
        "polarity",
        "modality",
        "confidence",
        "count",
        "evidence",
        "document",
        "sentence",
        "startOffset",
        "endOffset",
        "source",
    ];
    for term in kith_terms {
        assert!(context.contains_key(term), "context lacks {term}");
    }
    for node in nodes {
        if node["@type"] == "Relation" {
            for end in ["subject", "object"] {
                assert!(ids.contains(node[end].as_str().unwrap()), "dangling {end}");
            }
            let confidence = node["confidence"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&confidence));
            for evidence in node["evidence"].as_array().unwrap() {
                assert_eq!(evidence["@type"], "Evidence");
                assert!(
                    ids.contains(evidence["document"].as_str().unwrap()),
                    "evidence names a known document"
                );
                assert!(evidence["startOffset"].is_u64() && evidence["endOffset"].is_u64());
            }
        }
        if entity_types.contains(&node["@type"].as_str().unwrap()) {
            assert!(node["name"].is_string());
            assert!(node["@id"]
                .as_str()
                .unwrap()
                .starts_with("urn:kith:entity:"));
        }
    }
    let india = nodes.iter().find(|n| n["name"] == "India").unwrap();
    assert_eq!(
        india["sameAs"],
        serde_json::json!(["http://www.wikidata.org/entity/Q668"])
    );
    assert_eq!(india["identifier"][0]["propertyID"], "iso3166-1:alpha2");
    // The Wikidata property: the works-for relation links its predicate, declared an
    // rdfs:subPropertyOf wdt:P108; meet has none.
    assert_eq!(context["wdt"], "http://www.wikidata.org/prop/direct/");
    assert_eq!(context["rdfs"], "http://www.w3.org/2000/01/rdf-schema#");
    assert_eq!(context["subPropertyOf"]["@id"], "rdfs:subPropertyOf");
    assert_eq!(context["predicateProperty"]["@type"], "@id");
    let relation = |predicate: &str| {
        nodes
            .iter()
            .find(|n| n["@type"] == "Relation" && n["predicate"] == predicate)
            .unwrap()
    };
    assert_eq!(relation("works-for")["predicateProperty"], "pred:works-for");
    assert!(relation("meet").get("predicateProperty").is_none());
    let properties: Vec<&serde_json::Value> = nodes
        .iter()
        .filter(|n| n["@type"] == "rdf:Property")
        .collect();
    assert_eq!(
        properties,
        [
            &serde_json::json!({"@id": "pred:located-in", "@type": "rdf:Property",
                "rdfs:label": "located-in", "subPropertyOf": "wdt:P131"}),
            &serde_json::json!({"@id": "pred:works-for", "@type": "rdf:Property",
                "rdfs:label": "works-for", "subPropertyOf": "wdt:P108"}),
        ]
    );
    // Document ids are percent-encoded into valid IRIs.
    assert!(ids.contains("urn:kith:doc:doc%201%2F%22a%22"));
    assert!(ids.contains("urn:kith:doc:sha256:0011223344556677"));
}

#[test]
fn shacl_shapes_file_is_shipped() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("shapes/kith.shacl.ttl");
    let text = std::fs::read_to_string(path).unwrap();
    assert_eq!(text, kith_export::SHACL_SHAPES);
    for needle in [
        "kith:Relation",
        "kith:Evidence",
        "schema:name",
        "sh:maxInclusive 1",
        "xsd:double",
    ] {
        assert!(text.contains(needle), "{needle}");
    }
}

// ---------- Cypher ----------

/// Split a Cypher statement into its skeleton (string literals replaced by `?`) and the
/// decoded literals.
fn lex_cypher(statement: &str) -> (String, Vec<String>) {
    let mut skeleton = String::new();
    let mut literals = Vec::new();
    let mut chars = statement.chars();
    while let Some(c) = chars.next() {
        if c != '\'' {
            skeleton.push(c);
            continue;
        }
        let mut literal = String::new();
        loop {
            match chars.next().expect("unterminated string literal") {
                '\'' => break,
                '\\' => match chars.next().unwrap() {
                    'n' => literal.push('\n'),
                    'r' => literal.push('\r'),
                    't' => literal.push('\t'),
                    'u' => {
                        let hex: String = chars.by_ref().take(4).collect();
                        literal
                            .push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                    }
                    other => literal.push(other),
                },
                other => literal.push(other),
            }
        }
        skeleton.push('?');
        literals.push(literal);
    }
    (skeleton, literals)
}

#[test]
fn cypher_has_one_safe_statement_per_line() {
    let graph = graph();
    let text = export_string(&graph, Format::Cypher);
    let statements: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with("//"))
        .collect();
    assert_eq!(
        statements.len(),
        graph.entities().len() + graph.relations().len()
    );
    let mut literals = BTreeSet::new();
    for statement in &statements {
        assert!(statement.ends_with(';'), "{statement}");
        let (skeleton, lits) = lex_cypher(statement);
        assert_eq!(
            skeleton.matches(';').count(),
            1,
            "one statement: {skeleton}"
        );
        assert!(
            !skeleton.contains("DELETE") && !skeleton.contains('`') && !skeleton.contains("//"),
            "{skeleton}"
        );
        assert!(!skeleton.contains("CONSTRAINT") && !skeleton.contains("IF NOT EXISTS"));
        assert!(
            skeleton.starts_with("MERGE (n:Entity:")
                || skeleton
                    .starts_with("MATCH (a:Entity {id: ?}), (b:Entity {id: ?}) MERGE (a)-[r:"),
            "{skeleton}"
        );
        literals.extend(lits);
    }
    for (_, name) in names_list() {
        assert!(literals.contains(name), "{name:?} did not round-trip");
    }
    let rel_types: BTreeSet<String> = statements
        .iter()
        .filter_map(|s| s.split("[r:").nth(1))
        .map(|s| s.split(' ').next().unwrap().to_string())
        .collect();
    for t in &rel_types {
        assert!(
            t.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
            "{t}"
        );
        assert!(t.starts_with(|c: char| c.is_ascii_uppercase()));
    }
    assert!(
        rel_types.contains("SPEAK_WITH")
            && rel_types.contains("CO_OCCURS_WITH")
            && rel_types.contains("REL_2ND_ROUND")
    );
    assert!(text.contains("r.count = 2"));
    // The Wikidata property on the works-for relationship, none on meet.
    let statement = |predicate: &str| {
        let needle = format!("SET r.predicate = '{predicate}'");
        let found: Vec<&&str> = statements.iter().filter(|s| s.contains(&needle)).collect();
        assert_eq!(found.len(), 1, "{predicate}");
        *found[0]
    };
    assert!(statement("works-for").contains(", r.wikidata = 'P108', "));
    assert!(!statement("meet").contains("wikidata"));
    assert_eq!(
        text.matches("r.wikidata = ").count(),
        wikidata_relations(&graph)
    );
}

// ---------- Neo4j CSV ----------

#[test]
fn neo4j_csv_reads_back() {
    let graph = graph();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("csv");
    let files = export_to_path(&graph, Format::Neo4jCsv, &out).unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "nodes.csv",
            "relationships.csv",
            "documents.csv",
            "supports.csv",
            "README.txt",
            "import.sh"
        ]
    );

    let mut nodes = csv::Reader::from_path(out.join("nodes.csv")).unwrap();
    let header: Vec<String> = nodes.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "id:ID",
            "name",
            "kind",
            "aliases:string[]",
            "mention_count:int",
            "document_count:int",
            "external_ids:string[]",
            ":LABEL"
        ]
    );
    let rows: Vec<csv::StringRecord> = nodes.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), graph.entities().len());
    let names: BTreeSet<&str> = rows.iter().map(|r| &r[1]).collect();
    for (_, name) in names_list() {
        assert!(names.contains(name), "{name:?}");
    }
    for row in &rows {
        assert_eq!(&row[7], &format!("Entity;{}", &row[2]));
        row[4].parse::<u32>().unwrap();
    }
    let marco = rows.iter().find(|r| &r[1] == "Marco \"Rubio\"").unwrap();
    assert_eq!(
        &marco[3], "M. Rubio, Sec.;Rubio",
        "';' inside an alias becomes ','"
    );

    let mut rels = csv::Reader::from_path(out.join("relationships.csv")).unwrap();
    let header: Vec<String> = rels.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            ":START_ID",
            ":END_ID",
            ":TYPE",
            "id",
            "predicate",
            "class",
            "polarity",
            "modality",
            "confidence:double",
            "count:int",
            "evidence",
            "wikidata",
            "documents:string[]"
        ]
    );
    let rows: Vec<csv::StringRecord> = rels.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), graph.relations().len());
    let ids: BTreeSet<String> = graph.entities().map(|e| e.id.0.clone()).collect();
    for row in &rows {
        assert!(ids.contains(&row[0]) && ids.contains(&row[1]));
        let confidence: f64 = row[8].parse().unwrap();
        assert!((0.0..=1.0).contains(&confidence));
        let evidence: Vec<kith_schema::Evidence> = serde_json::from_str(&row[10]).unwrap();
        assert_eq!(evidence.len(), row[9].parse::<usize>().unwrap());
    }
    assert!(rows.iter().any(|r| &r[4] == "x'y\"z\\ -> w"));
    let row = |predicate: &str| rows.iter().find(|r| &r[4] == predicate).unwrap();
    assert_eq!(&row("works-for")[11], "P108");
    assert_eq!(&row("meet")[11], "");
    assert_eq!(
        rows.iter().filter(|r| !r[11].is_empty()).count(),
        wikidata_relations(&graph)
    );

    // Every fact names the Document nodes of its evidence.
    for (row, relation) in rows.iter().zip(graph.relations()) {
        let docs: BTreeSet<String> = relation
            .evidence
            .iter()
            .map(|e| format!("document:{}", e.doc.0))
            .collect();
        let listed: BTreeSet<String> = row[12].split(';').map(String::from).collect();
        assert_eq!(listed, docs);
    }

    let readme = std::fs::read_to_string(out.join("README.txt")).unwrap();
    assert!(readme.contains("neo4j-admin database import full --nodes=nodes.csv --nodes=documents.csv --relationships=relationships.csv --relationships=supports.csv --multiline-fields=true"));
    let mut docs = csv::Reader::from_path(out.join("documents.csv")).unwrap();
    let doc_rows: Vec<csv::StringRecord> = docs.records().map(Result::unwrap).collect();
    assert_eq!(doc_rows.len(), graph.documents().len());
    let doc_nodes: BTreeSet<&str> = doc_rows.iter().map(|r| &r[0]).collect();
    assert!(doc_rows
        .iter()
        .all(|r| &r[8] == "Document" && r[0] == format!("document:{}", &r[1])));
    // SUPPORTS links every document of a fact to both of its ends.
    let mut supports = csv::Reader::from_path(out.join("supports.csv")).unwrap();
    let links: Vec<csv::StringRecord> = supports.records().map(Result::unwrap).collect();
    for relation in graph.relations() {
        for e in relation.evidence.iter() {
            for end in [&relation.subject, &relation.object] {
                assert!(links.iter().any(|l| l[0] == format!("document:{}", e.doc.0)
                    && l[1] == end.0
                    && &l[2] == "SUPPORTS"
                    && l[3] == relation.id.0));
            }
        }
    }
    assert!(links
        .iter()
        .all(|l| doc_nodes.contains(&l[0]) && ids.contains(&l[1])));
}

#[test]
fn neo4j_csv_is_not_a_stream() {
    let err = write(&graph(), Format::Neo4jCsv, &mut Vec::new()).unwrap_err();
    assert!(matches!(err, ExportError::NeedsDirectory(Format::Neo4jCsv)));
    assert!(err.to_string().contains("directory"));
}

// ---------- Files, determinism ----------

fn dir_listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn exports_are_deterministic() {
    let graph = graph();
    // The same graph built with the documents in the other order.
    let mut reversed = KnowledgeGraph::new(GraphOptions { cooccurrence: true });
    for facts in docs().into_iter().rev() {
        reversed.add_document(facts).unwrap();
    }
    for format in Format::ALL {
        if format == Format::Neo4jCsv {
            continue;
        }
        let first = export(&graph, format);
        assert_eq!(first, export(&graph, format), "{format}");
        assert_eq!(
            first,
            export(&reversed, format),
            "{format} depends on document order"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let a = export_to_path(&graph, Format::Neo4jCsv, &dir.path().join("a")).unwrap();
    let b = export_to_path(&reversed, Format::Neo4jCsv, &dir.path().join("b")).unwrap();
    for (a, b) in a.iter().zip(&b) {
        assert_eq!(
            std::fs::read(a).unwrap(),
            std::fs::read(b).unwrap(),
            "{}",
            a.display()
        );
    }
}

#[test]
fn export_to_path_is_atomic_and_leaves_no_temp_files() {
    let graph = graph();
    let dir = tempfile::tempdir().unwrap();
    let mut expected = Vec::new();
    for format in Format::ALL {
        let path = dir.path().join(format.default_file_name());
        // Twice: the second replaces the first.
        export_to_path(&graph, format, &path).unwrap();
        let written = export_to_path(&graph, format, &path).unwrap();
        assert!(!written.is_empty());
        if format != Format::Neo4jCsv {
            assert_eq!(written, vec![path.clone()]);
            assert_eq!(std::fs::read(&path).unwrap(), export(&graph, format));
        }
        expected.push(format.default_file_name().to_string());
        #[cfg(unix)]
        for file in &written {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
            assert!(
                mode == 0o644 || mode == 0o755,
                "{} has mode {mode:o}",
                file.display()
            );
        }
    }
    expected.sort();
    assert_eq!(dir_listing(dir.path()), expected);
    assert_eq!(
        dir_listing(&dir.path().join("neo4j-csv")),
        [
            "README.txt",
            "documents.csv",
            "import.sh",
            "nodes.csv",
            "relationships.csv",
            "supports.csv"
        ]
    );
    // A directory as target: the default file name inside it.
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let written = export_to_path(&graph, Format::Dot, &sub).unwrap();
    assert_eq!(written, vec![sub.join("graph.dot")]);
    // I/O errors name the path.
    let bad = dir.path().join("missing/dir/graph.dot");
    let err = export_to_path(&graph, Format::Dot, &bad).unwrap_err();
    assert!(err.to_string().contains("missing/dir"), "{err}");
}

#[test]
fn formats_parse_and_name() {
    for format in Format::ALL {
        assert_eq!(format.name().parse::<Format>().unwrap(), format);
        assert_eq!(format.to_string(), format.name());
    }
    assert_eq!("JSON-LD".parse::<Format>().unwrap(), Format::Jsonld);
    assert!("xml".parse::<Format>().is_err());
    assert_eq!(Format::Neo4jCsv.default_file_name(), "neo4j-csv");
}

// ---------- Rendering ----------

#[test]
fn builtin_render_draws_names() {
    let graph = graph();
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("graph.svg");
    let options = RenderOptions {
        include_cooccurrence: true,
        ..RenderOptions::default()
    };
    let used = render(&graph, &options, &svg, Some(Renderer::Builtin)).unwrap();
    assert_eq!(used, Renderer::Builtin);
    assert_eq!(used.to_string(), "built-in layout (layout-rs)");
    let text = std::fs::read_to_string(&svg).unwrap();
    read_xml(&text);
    assert!(text.contains("<svg"));
    for name in [
        "India",
        "Marco &quot;Rubio&quot;",
        "&lt;/key&gt;&lt;node id=&quot;x&quot;&gt;",
        "北京",
    ] {
        assert!(text.contains(name), "{name} not drawn");
    }
    assert_eq!(dir_listing(dir.path()), ["graph.svg"]);

    // Focused, without co-occurrence edges.
    let focused = RenderOptions {
        focus: Some("rubio".into()),
        depth: 1,
        max_nodes: 60,
        include_cooccurrence: false,
    };
    render(&graph, &focused, &svg, Some(Renderer::Builtin)).unwrap();
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("India") && text.contains("Marco"));
    assert!(
        !text.contains("北京"),
        "not a neighbour of Rubio without co-occurrence"
    );
    // Unknown focus.
    let unknown = RenderOptions {
        focus: Some("Nobody".into()),
        ..RenderOptions::default()
    };
    let err = render(&graph, &unknown, &svg, Some(Renderer::Builtin)).unwrap_err();
    assert!(err.to_string().contains("Nobody"));
    // Auto choice gives an SVG either way.
    let used = render(&graph, &options, &svg, None).unwrap();
    assert!(
        std::fs::read_to_string(&svg).unwrap().contains("<svg"),
        "{used}"
    );
    assert_eq!(Renderer::Graphviz.to_string(), "Graphviz dot");
}

#[test]
fn builtin_render_of_empty_graph() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("empty.svg");
    render(
        &KnowledgeGraph::default(),
        &RenderOptions::default(),
        &svg,
        Some(Renderer::Builtin),
    )
    .unwrap();
    read_xml(&std::fs::read_to_string(&svg).unwrap());
}

#[test]
fn render_keeps_large_graphs_small() {
    // A star of 120 people around one hub, plus a chain off one spoke.
    let doc = DocId("big".into());
    let mention = |i: u32| Mention {
        doc: doc.clone(),
        sentence: i,
        span: CharSpan::new(0, 1),
        text: "x".into(),
        confidence: 0.9,
        resolved_by: None,
    };
    let mut entities = vec![EntityFacts {
        kind: EntityType::Organization,
        name: "Hub".into(),
        aliases: vec![],
        external_ids: BTreeMap::new(),
        mentions: vec![mention(0)],
    }];
    // An entity without relations: never drawn, whatever room there is.
    entities.push(EntityFacts {
        kind: EntityType::Location,
        name: "Loner".into(),
        aliases: vec![],
        external_ids: BTreeMap::new(),
        mentions: vec![mention(200)],
    });
    let mut relations = Vec::new();
    for i in 1..=120u32 {
        entities.push(EntityFacts {
            kind: EntityType::Person,
            name: format!("Spoke {i:03}"),
            aliases: vec![],
            external_ids: BTreeMap::new(),
            mentions: vec![mention(i)],
        });
        // Entity 1 is the loner: spokes are entities 2..=121.
        let spoke = |i: u32| i as usize + 1;
        let subject = if i == 120 { spoke(119) } else { spoke(i) };
        let object = if i == 120 { spoke(120) } else { 0 };
        relations.push(RelationFacts {
            subject,
            object,
            predicate: "work-for".into(),
            class: Some(RelationClass::RoleAffiliation),
            polarity: Polarity::Affirmed,
            modality: Modality::Asserted,
            confidence: 0.7,
            evidence: Evidence {
                doc: doc.clone(),
                sentence: i,
                span: CharSpan::new(0, 1),
                sentence_text: "s".into(),
                confidence: 0.7,
            },
        });
    }
    let mut graph = KnowledgeGraph::new(GraphOptions::default());
    graph
        .add_document(DocumentFacts {
            producer: "test".into(),
            document: DocumentInfo {
                id: doc.clone(),
                title: None,
                url: None,
                published: None,
                source: "-".into(),
                chars: 1,
                sentences: 201,
            },
            entities,
            relations,
            sentences: vec![],
        })
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("big.svg");
    let count_spokes = |text: &str| text.matches("Spoke ").count();
    let options = RenderOptions {
        max_nodes: 10,
        ..RenderOptions::default()
    };
    render(&graph, &options, &svg, Some(Renderer::Builtin)).unwrap();
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("Hub"), "the best-connected entity is drawn");
    assert_eq!(count_spokes(&text), 9);
    // Depth 2 from spoke 120 reaches 119 and then the hub; depth 1 only 119.
    let near = RenderOptions {
        focus: Some("Spoke 120".into()),
        depth: 1,
        ..RenderOptions::default()
    };
    render(&graph, &near, &svg, Some(Renderer::Builtin)).unwrap();
    let text = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(count_spokes(&text), 2);
    assert!(!text.contains("Hub"));
    let far = RenderOptions { depth: 2, ..near };
    render(&graph, &far, &svg, Some(Renderer::Builtin)).unwrap();
    assert!(std::fs::read_to_string(&svg).unwrap().contains("Hub"));

    // Everything: the loner is left out, a legend names the types and edge kinds drawn,
    // and the picture's size fits a 1280×720 screen.
    let all = RenderOptions {
        max_nodes: 500,
        ..RenderOptions::default()
    };
    render(&graph, &all, &svg, Some(Renderer::Builtin)).unwrap();
    let text = std::fs::read_to_string(&svg).unwrap();
    read_xml(&text);
    assert_eq!(count_spokes(&text), 120);
    assert!(!text.contains("Loner"), "an entity without drawn relations");
    let legend = &text[text.find("<g id=\"legend\"").expect("a legend")..];
    assert!(legend.contains(">Person<") && legend.contains(">Organization<"));
    assert!(legend.contains(">fact<") && !legend.contains(">Location<"));
    let size = |name: &str| -> f64 {
        let at = text.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        text[at..at + text[at..].find('"').unwrap()]
            .parse()
            .unwrap()
    };
    assert!(
        size("width") <= 1280.0 && size("height") <= 720.0,
        "{}x{}",
        size("width"),
        size("height")
    );
    if std::process::Command::new("dot").arg("-V").output().is_ok() {
        render(&graph, &all, &svg, Some(Renderer::Graphviz)).unwrap();
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(!text.contains("Loner") && text.contains(">Organization<"));
    }
}

/// Cells a spreadsheet would run as formulas (starting with `=`, `+`, `-`, `@`, tab or CR)
/// are neutralised with a leading `'`, as OWASP recommends, in every CSV file.
#[test]
fn csv_cells_never_start_with_a_formula_character() {
    const FORMULAS: [&str; 6] = [
        "=HYPERLINK(\"http://evil\")",
        "+1+2",
        "-Foo",
        "@SUM(A1)",
        "\tTabbed",
        "\rReturned",
    ];
    let doc = DocId("=doc".into());
    let entities: Vec<EntityFacts> = FORMULAS
        .iter()
        .enumerate()
        .map(|(i, name)| EntityFacts {
            kind: EntityType::Person,
            name: name.to_string(),
            aliases: vec![format!("-alias {i}"), format!("=alias {i}")],
            external_ids: [("=registry".to_string(), format!("@{i}"))].into(),
            mentions: vec![Mention {
                doc: doc.clone(),
                sentence: 0,
                span: CharSpan::new(i as u32, i as u32 + 1),
                text: name.to_string().into(),
                confidence: 0.5,
                resolved_by: None,
            }],
        })
        .collect();
    let facts = DocumentFacts {
        producer: "test".into(),
        document: DocumentInfo {
            id: doc.clone(),
            title: Some("=title".into()),
            url: Some("-url".into()),
            published: Some("+2025".into()),
            source: "@source".into(),
            chars: 100,
            sentences: 1,
        },
        relations: vec![RelationFacts {
            subject: 0,
            object: 1,
            predicate: "-pred".into(),
            class: None,
            polarity: Polarity::Affirmed,
            modality: Modality::Asserted,
            confidence: 0.5,
            evidence: Evidence {
                doc,
                sentence: 0,
                span: CharSpan::new(0, 10),
                sentence_text: "=text".into(),
                confidence: 0.5,
            },
        }],
        entities,
        sentences: vec![],
    };
    let mut graph = KnowledgeGraph::new(GraphOptions { cooccurrence: true });
    graph.add_document(facts).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("csv");
    export_to_path(&graph, Format::Neo4jCsv, &out).unwrap();
    let mut cells = 0;
    let mut names = BTreeSet::new();
    for file in [
        "nodes.csv",
        "relationships.csv",
        "documents.csv",
        "supports.csv",
    ] {
        let mut reader = csv::Reader::from_path(out.join(file)).unwrap();
        let header = reader.headers().unwrap().clone();
        for record in reader.records() {
            let record = record.unwrap();
            for (column, cell) in header.iter().zip(record.iter()) {
                cells += 1;
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{file} {column}: {cell:?}"
                );
                if column.ends_with("[]") {
                    for item in cell.split(';') {
                        assert!(
                            !item.starts_with(['=', '+', '-', '@']),
                            "{file} {column}: {item:?}"
                        );
                    }
                }
                if file == "nodes.csv" && column == "name" {
                    names.insert(cell.to_string());
                }
            }
        }
    }
    assert!(cells > 50, "{cells} cells");
    let expected: BTreeSet<String> = FORMULAS.iter().map(|n| format!("'{n}")).collect();
    assert_eq!(names, expected, "names keep their text after the quote");
}
