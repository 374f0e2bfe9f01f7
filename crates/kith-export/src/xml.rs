//! GraphML and GEXF, written with quick-xml.
//!
//! Values are escaped here rather than by quick-xml, because XML needs more than the five
//! predefined entities: characters XML 1.0 cannot carry at all (most C0 controls, U+FFFE,
//! U+FFFF) become U+FFFD, and in attribute values tabs and line breaks are written as
//! character references so that attribute-value normalisation does not turn them into
//! spaces.

use crate::common::{
    confidence_str, document_count, evidence_json, fmt_float, registries, registry_attr_name,
    relationship_type, type_colour, wikidata_id,
};
use kith_graph::KnowledgeGraph;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;
use quick_xml::Writer;
use std::borrow::Cow;
use std::io::Write;

fn valid_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c if !valid_xml_char(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A thin layer over quick-xml's writer that escapes as described above.
struct Xml<'w> {
    writer: Writer<&'w mut dyn Write>,
}

impl<'w> Xml<'w> {
    fn new(out: &'w mut dyn Write) -> std::io::Result<Xml<'w>> {
        let mut writer = Writer::new_with_indent(out, b' ', 2);
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        Ok(Xml { writer })
    }

    fn element<'a>(name: &'a str, attrs: &[(&'a str, &str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for (key, value) in attrs {
            start.push_attribute(Attribute {
                key: QName(key),
                value: Cow::Owned(escape(value, true)),
            });
        }
        start
    }

    fn start(&mut self, name: &str, attrs: &[(&str, &str)]) -> std::io::Result<()> {
        self.writer
            .write_event(Event::Start(Self::element(name, attrs)))
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> std::io::Result<()> {
        self.writer
            .write_event(Event::Empty(Self::element(name, attrs)))
    }

    fn end(&mut self, name: &str) -> std::io::Result<()> {
        self.writer.write_event(Event::End(BytesEnd::new(name)))
    }

    fn text_element(
        &mut self,
        name: &str,
        attrs: &[(&str, &str)],
        text: &str,
    ) -> std::io::Result<()> {
        self.start(name, attrs)?;
        let escaped = escape(text, false);
        self.writer
            .write_event(Event::Text(BytesText::from_escaped(escaped.as_str())))?;
        self.end(name)
    }

    fn finish(self) -> std::io::Result<()> {
        let out = self.writer.into_inner();
        out.write_all(b"\n")?;
        out.flush()
    }
}

/// Node keys: `(id, attr.name, type)`. `label` (the name again) is what Gephi, yEd,
/// Cytoscape and graphology-based viewers show on a node; its key id differs from the
/// edge key `label` because GraphML key ids are unique across the file.
const GRAPHML_NODE_KEYS: [(&str, &str); 7] = [
    ("node_label", "string"),
    ("labels", "string"),
    ("name", "string"),
    ("kind", "string"),
    ("aliases", "string"),
    ("mention_count", "int"),
    ("documents", "int"),
];

const GRAPHML_EDGE_KEYS: [(&str, &str); 10] = [
    ("label", "string"),
    ("predicate", "string"),
    ("wikidata", "string"),
    ("class", "string"),
    ("polarity", "string"),
    ("modality", "string"),
    ("negated", "boolean"),
    ("confidence", "double"),
    ("count", "int"),
    ("evidence", "string"),
];

pub(crate) fn write_graphml(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    let mut xml = Xml::new(out)?;
    xml.start(
        "graphml",
        &[
            ("xmlns", "http://graphml.graphdrawing.org/xmlns"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
            ),
        ],
    )?;
    let mut fixed_names: Vec<&str> = GRAPHML_NODE_KEYS.iter().map(|(n, _)| *n).collect();
    fixed_names.push("label");
    for (id, ty) in GRAPHML_NODE_KEYS {
        let name = if id == "node_label" { "label" } else { id };
        xml.empty(
            "key",
            &[
                ("id", id),
                ("for", "node"),
                ("attr.name", name),
                ("attr.type", ty),
            ],
        )?;
    }
    let registries = registries(graph);
    for (registry, key) in &registries {
        let attr_name = registry_attr_name(registry, &fixed_names);
        xml.empty(
            "key",
            &[
                ("id", key),
                ("for", "node"),
                ("attr.name", &attr_name),
                ("attr.type", "string"),
            ],
        )?;
    }
    for (name, ty) in GRAPHML_EDGE_KEYS {
        xml.empty(
            "key",
            &[
                ("id", name),
                ("for", "edge"),
                ("attr.name", name),
                ("attr.type", ty),
            ],
        )?;
    }
    xml.start("graph", &[("id", "kith"), ("edgedefault", "directed")])?;
    for entity in graph.entities() {
        let labels = format!(":{}", entity.kind.as_str());
        xml.start("node", &[("id", &entity.id.0), ("labels", &labels)])?;
        xml.text_element("data", &[("key", "node_label")], &entity.name)?;
        xml.text_element("data", &[("key", "labels")], &labels)?;
        xml.text_element("data", &[("key", "name")], &entity.name)?;
        xml.text_element("data", &[("key", "kind")], entity.kind.as_str())?;
        if !entity.aliases.is_empty() {
            let aliases: Vec<&str> = entity.aliases.iter().map(String::as_str).collect();
            xml.text_element("data", &[("key", "aliases")], &aliases.join("; "))?;
        }
        xml.text_element(
            "data",
            &[("key", "mention_count")],
            &entity.mention_count().to_string(),
        )?;
        xml.text_element(
            "data",
            &[("key", "documents")],
            &document_count(entity).to_string(),
        )?;
        for (registry, key) in &registries {
            if let Some(value) = entity.external_ids.get(registry) {
                xml.text_element("data", &[("key", key)], value)?;
            }
        }
        xml.end("node")?;
    }
    for relation in graph.relations() {
        let rel_type = relationship_type(&relation.predicate);
        xml.start(
            "edge",
            &[
                ("id", &relation.id.0),
                ("source", &relation.subject.0),
                ("target", &relation.object.0),
                ("label", &rel_type),
            ],
        )?;
        xml.text_element("data", &[("key", "label")], &rel_type)?;
        xml.text_element("data", &[("key", "predicate")], &relation.predicate)?;
        if let Some(id) = wikidata_id(relation) {
            xml.text_element("data", &[("key", "wikidata")], id)?;
        }
        if let Some(class) = relation.class {
            xml.text_element("data", &[("key", "class")], class.as_str())?;
        }
        xml.text_element("data", &[("key", "polarity")], relation.polarity.as_str())?;
        xml.text_element("data", &[("key", "modality")], relation.modality.as_str())?;
        let negated = relation.polarity == kith_schema::Polarity::Negated;
        xml.text_element(
            "data",
            &[("key", "negated")],
            if negated { "true" } else { "false" },
        )?;
        xml.text_element(
            "data",
            &[("key", "confidence")],
            &confidence_str(relation.confidence),
        )?;
        xml.text_element("data", &[("key", "count")], &relation.count().to_string())?;
        xml.text_element(
            "data",
            &[("key", "evidence")],
            &evidence_json(&relation.evidence),
        )?;
        xml.end("edge")?;
    }
    xml.end("graph")?;
    xml.end("graphml")?;
    xml.finish()
}

const GEXF_NODE_ATTRS: [(&str, &str); 4] = [
    ("kind", "string"),
    ("mention_count", "integer"),
    ("documents", "integer"),
    ("aliases", "string"),
];

const GEXF_EDGE_ATTRS: [(&str, &str); 8] = [
    ("predicate", "string"),
    ("wikidata", "string"),
    ("class", "string"),
    ("polarity", "string"),
    ("modality", "string"),
    ("count", "integer"),
    ("confidence", "double"),
    ("evidence", "string"),
];

pub(crate) fn write_gexf(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    let mut xml = Xml::new(out)?;
    xml.start(
        "gexf",
        &[
            ("xmlns", "http://gexf.net/1.3"),
            ("xmlns:viz", "http://gexf.net/1.3/viz"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd",
            ),
            ("version", "1.3"),
        ],
    )?;
    xml.start("meta", &[])?;
    xml.text_element("creator", &[], "Kith")?;
    xml.text_element(
        "description",
        &[],
        &format!(
            "Knowledge graph of {} documents: {} entities, {} relations",
            graph.documents().len(),
            graph.entities().len(),
            graph.relations().len()
        ),
    )?;
    xml.end("meta")?;
    xml.start(
        "graph",
        &[("mode", "static"), ("defaultedgetype", "directed")],
    )?;

    let mut fixed_names: Vec<&str> = GEXF_NODE_ATTRS.iter().map(|(n, _)| *n).collect();
    fixed_names.extend(["label", "id", "weight"]);
    let registries = registries(graph);
    xml.start("attributes", &[("class", "node"), ("mode", "static")])?;
    for (name, ty) in GEXF_NODE_ATTRS {
        xml.empty("attribute", &[("id", name), ("title", name), ("type", ty)])?;
    }
    for (registry, key) in &registries {
        let title = registry_attr_name(registry, &fixed_names);
        xml.empty(
            "attribute",
            &[("id", key), ("title", &title), ("type", "string")],
        )?;
    }
    xml.end("attributes")?;
    xml.start("attributes", &[("class", "edge"), ("mode", "static")])?;
    for (name, ty) in GEXF_EDGE_ATTRS {
        xml.empty("attribute", &[("id", name), ("title", name), ("type", ty)])?;
    }
    xml.end("attributes")?;

    xml.start("nodes", &[("count", &graph.entities().len().to_string())])?;
    for entity in graph.entities() {
        xml.start("node", &[("id", &entity.id.0), ("label", &entity.name)])?;
        xml.start("attvalues", &[])?;
        let mention_count = entity.mention_count().to_string();
        let documents = document_count(entity).to_string();
        xml.empty(
            "attvalue",
            &[("for", "kind"), ("value", entity.kind.as_str())],
        )?;
        xml.empty(
            "attvalue",
            &[("for", "mention_count"), ("value", &mention_count)],
        )?;
        xml.empty("attvalue", &[("for", "documents"), ("value", &documents)])?;
        if !entity.aliases.is_empty() {
            let aliases: Vec<&str> = entity.aliases.iter().map(String::as_str).collect();
            xml.empty(
                "attvalue",
                &[("for", "aliases"), ("value", &aliases.join("; "))],
            )?;
        }
        for (registry, key) in &registries {
            if let Some(value) = entity.external_ids.get(registry) {
                xml.empty("attvalue", &[("for", key), ("value", value)])?;
            }
        }
        xml.end("attvalues")?;
        let (_, r, g, b) = type_colour(entity.kind);
        xml.empty(
            "viz:color",
            &[
                ("r", &r.to_string()),
                ("g", &g.to_string()),
                ("b", &b.to_string()),
            ],
        )?;
        let size = 10.0 + 6.0 * (entity.mention_count() as f64).ln_1p();
        xml.empty(
            "viz:size",
            &[("value", &fmt_float((size * 100.0).round() / 100.0))],
        )?;
        xml.end("node")?;
    }
    xml.end("nodes")?;

    xml.start("edges", &[("count", &graph.relations().len().to_string())])?;
    for relation in graph.relations() {
        let count = relation.count().to_string();
        let weight = fmt_float(relation.count() as f64);
        xml.start(
            "edge",
            &[
                ("id", &relation.id.0),
                ("source", &relation.subject.0),
                ("target", &relation.object.0),
                ("label", &relation.predicate),
                ("weight", &weight),
            ],
        )?;
        xml.start("attvalues", &[])?;
        xml.empty(
            "attvalue",
            &[("for", "predicate"), ("value", &relation.predicate)],
        )?;
        if let Some(id) = wikidata_id(relation) {
            xml.empty("attvalue", &[("for", "wikidata"), ("value", id)])?;
        }
        if let Some(class) = relation.class {
            xml.empty("attvalue", &[("for", "class"), ("value", class.as_str())])?;
        }
        xml.empty(
            "attvalue",
            &[("for", "polarity"), ("value", relation.polarity.as_str())],
        )?;
        xml.empty(
            "attvalue",
            &[("for", "modality"), ("value", relation.modality.as_str())],
        )?;
        xml.empty("attvalue", &[("for", "count"), ("value", &count)])?;
        xml.empty(
            "attvalue",
            &[
                ("for", "confidence"),
                ("value", &confidence_str(relation.confidence)),
            ],
        )?;
        xml.empty(
            "attvalue",
            &[
                ("for", "evidence"),
                ("value", &evidence_json(&relation.evidence)),
            ],
        )?;
        xml.end("attvalues")?;
        xml.end("edge")?;
    }
    xml.end("edges")?;
    xml.end("graph")?;
    xml.end("gexf")?;
    xml.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            escape("</key><node id=\"x\">", true),
            "&lt;/key&gt;&lt;node id=&quot;x&quot;&gt;"
        );
        assert_eq!(escape("a\nb\u{0}c\r", true), "a&#10;b\u{FFFD}c&#13;");
        assert_eq!(escape("a\nb'\"", false), "a\nb'\"");
    }
}
