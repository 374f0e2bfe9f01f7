//! Graphviz DOT, built as a `graphviz-rust` AST and printed by its printer.
//!
//! The AST's `Id::Escaped` is printed verbatim, so every quoted string goes through
//! [`quote`], which does the escaping the DOT language and Graphviz's label processing
//! need; identifiers and attribute names are fixed ASCII words.

use crate::common::{confidence_str, fmt_float, relation_label, type_colour, wikidata_id};
use dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};
use kith_graph::{Entity, EntityId, KnowledgeGraph, Relation};
use kith_schema::{EntityType, Modality, Polarity};
use std::io::Write;

pub(crate) fn write(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    let entities: Vec<&Entity> = graph.entities().collect();
    let relations: Vec<&Relation> = graph.relations().collect();
    out.write_all(to_string(&entities, &relations, None).as_bytes())
}

/// The DOT text of some entities and the relations between them (relations whose ends
/// are not both given are skipped), with `focus` drawn bold.
pub(crate) fn to_string(
    entities: &[&Entity],
    relations: &[&Relation],
    focus: Option<&EntityId>,
) -> String {
    let graph = build(entities, relations, focus);
    let mut ctx = PrinterContext::default();
    ctx.with_semi();
    let mut text = graph.print(&mut ctx);
    text.push('\n');
    text
}

fn plain(s: &str) -> Id {
    Id::Plain(s.to_string())
}

fn attr(name: &str, value: Id) -> Attribute {
    Attribute(plain(name), value)
}

fn attr_str(name: &str, value: &str) -> Attribute {
    Attribute(plain(name), Id::Escaped(quote(value)))
}

fn node_id(id: &str) -> NodeId {
    NodeId(Id::Escaped(quote(id)), None)
}

/// A DOT double-quoted string. `"` and `\` are backslash-escaped (so Graphviz's `\N`,
/// `\G`… escapes cannot be triggered from data), line breaks become `\n` (Graphviz's
/// centred line break), tabs a space, other control characters U+FFFD, and `&` becomes
/// `&amp;` where it would otherwise start an HTML entity Graphviz decodes in labels.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\r' => {
                if matches!(chars.peek(), Some((_, '\n'))) {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            '&' if looks_like_entity(&s[i + 1..]) => out.push_str("&amp;"),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether the text after an `&` is an entity reference (`name;`, `#123;`, `#x1F;`).
fn looks_like_entity(rest: &str) -> bool {
    let Some(end) = rest.find(';') else {
        return false;
    };
    let body = &rest[..end];
    if let Some(num) = body.strip_prefix('#') {
        return match num.strip_prefix(['x', 'X']) {
            Some(hex) => !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()),
            None => !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()),
        };
    }
    !body.is_empty() && body.len() <= 32 && body.chars().all(|c| c.is_ascii_alphanumeric())
}

fn shape(kind: EntityType) -> &'static str {
    match kind {
        EntityType::Person => "ellipse",
        EntityType::Organization => "box",
        EntityType::Country => "hexagon",
        EntityType::Location => "house",
        EntityType::Event => "diamond",
        EntityType::Role => "note",
        EntityType::Other => "plain",
    }
}

fn build(entities: &[&Entity], relations: &[&Relation], focus: Option<&EntityId>) -> Graph {
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr_str("charset", "UTF-8"),
            attr_str("rankdir", "LR"),
            attr_str("overlap", "false"),
            attr_str("splines", "true"),
            attr_str("outputorder", "edgesfirst"),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr_str("fontname", "Helvetica"),
            attr("fontsize", plain("11")),
            attr_str("style", "filled"),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr_str("fontname", "Helvetica"),
            attr("fontsize", plain("9")),
            attr_str("color", "#444444"),
        ])),
    ];
    let mut present = std::collections::BTreeSet::new();
    for entity in entities {
        present.insert(&entity.id);
        let (fill, ..) = type_colour(entity.kind);
        let mut attributes = vec![
            attr_str("label", &entity.name),
            attr_str("shape", shape(entity.kind)),
            attr_str("fillcolor", fill),
            attr_str("id", &entity.id.0),
            attr_str("kind", entity.kind.as_str()),
            attr("mention_count", plain(&entity.mention_count().to_string())),
        ];
        if entity.kind == EntityType::Organization {
            attributes.push(attr_str("style", "filled,rounded"));
        }
        if !entity.aliases.is_empty() {
            let aliases: Vec<&str> = entity.aliases.iter().map(String::as_str).collect();
            attributes.push(attr_str(
                "tooltip",
                &format!("{} ({})", entity.name, aliases.join("; ")),
            ));
        }
        if focus == Some(&entity.id) {
            attributes.push(attr("penwidth", plain("3")));
            attributes.push(attr("peripheries", plain("2")));
        }
        stmts.push(Stmt::Node(Node::new(node_id(&entity.id.0), attributes)));
    }
    for relation in relations {
        if !present.contains(&relation.subject) || !present.contains(&relation.object) {
            continue;
        }
        let count = relation.count().max(1);
        let mut attributes = vec![
            attr_str("label", &relation_label(relation)),
            attr_str("id", &relation.id.0),
            attr_str("predicate", &relation.predicate),
            attr_str("class", relation.class.map(|c| c.as_str()).unwrap_or("")),
            attr_str("polarity", relation.polarity.as_str()),
            attr_str("modality", relation.modality.as_str()),
            attr("count", plain(&count.to_string())),
            attr("confidence", plain(&confidence_str(relation.confidence))),
            attr("weight", plain(&count.to_string())),
            attr(
                "penwidth",
                plain(&fmt_float((1.0 + 0.5 * (count as f64 - 1.0)).min(6.0))),
            ),
        ];
        if let Some(id) = wikidata_id(relation) {
            attributes.push(attr_str("wikidata", id));
        }
        if relation.is_cooccurrence() {
            attributes.push(attr_str("color", "#9e9e9e"));
            attributes.push(attr_str("fontcolor", "#757575"));
            attributes.push(attr_str("dir", "none"));
        } else if relation.polarity == Polarity::Negated {
            attributes.push(attr_str("color", "#c0392b"));
            attributes.push(attr_str("fontcolor", "#c0392b"));
            attributes.push(attr_str("style", "dashed"));
        } else if relation.modality != Modality::Asserted {
            attributes.push(attr_str("style", "dotted"));
            if relation.modality == Modality::Planned {
                attributes.push(attr_str("arrowhead", "empty"));
            }
        }
        stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Pair(
                Vertex::N(node_id(&relation.subject.0)),
                Vertex::N(node_id(&relation.object.0)),
            ),
            attributes,
        }));
    }
    Graph::DiGraph {
        id: plain("kith"),
        strict: false,
        stmts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quote("x\r\ny\nz"), r#""x\ny\nz""#);
        assert_eq!(
            quote("AT&T &amp; &#60; &x"),
            r#""AT&T &amp;amp; &amp;#60; &x""#
        );
        assert_eq!(
            quote("\\\" ]; digraph evil {"),
            r#""\\\" ]; digraph evil {""#
        );
        assert_eq!(quote("a\u{1}b"), "\"a\u{FFFD}b\"");
    }
}
