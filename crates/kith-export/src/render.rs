//! Pictures of a readable part of the graph: Graphviz when it is installed, else the
//! pure-Rust `layout-rs`.

use crate::common::{relation_label, type_colour, write_file};
use crate::{dot, ExportError};
use kith_graph::{
    Entity, EntityId, KnowledgeGraph, NeighborQuery, Relation, COOCCURRENCE_PREDICATE,
};
use kith_schema::{EntityType, Modality, Polarity};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// What part of the graph to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderOptions {
    /// Draw this entity (a name or alias, resolved with [`KnowledgeGraph::resolve`]) and its
    /// neighbourhood; without it, the `max_nodes` best-connected entities.
    pub focus: Option<String>,
    /// How many hops out from the focus (at least 1).
    pub depth: usize,
    /// At most this many entities (default 60), so that a large graph stays readable.
    pub max_nodes: usize,
    /// Also draw co-occurrence edges (and follow them when choosing neighbours).
    pub include_cooccurrence: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            focus: None,
            depth: 1,
            max_nodes: 60,
            include_cooccurrence: false,
        }
    }
}

/// Which program drew a picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Renderer {
    /// Graphviz's `dot` command.
    Graphviz,
    /// The pure-Rust `layout-rs` crate (SVG only).
    Builtin,
}

impl fmt::Display for Renderer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Renderer::Graphviz => "Graphviz dot",
            Renderer::Builtin => "built-in layout (layout-rs)",
        })
    }
}

/// The entities and relations chosen for a picture.
pub(crate) struct Selection<'g> {
    pub entities: Vec<&'g Entity>,
    pub relations: Vec<&'g Relation>,
    pub focus: Option<&'g EntityId>,
}

pub(crate) fn select<'g>(
    graph: &'g KnowledgeGraph,
    options: &RenderOptions,
) -> Result<Selection<'g>, ExportError> {
    let max_nodes = options.max_nodes.max(1);
    let included = |r: &Relation| options.include_cooccurrence || !r.is_cooccurrence();
    let mut chosen: BTreeSet<&EntityId> = BTreeSet::new();
    let mut focus = None;
    if let Some(name) = &options.focus {
        // An entity id (as `kith render --focus` passes it), else a name.
        let entity = match graph.entity(&EntityId(name.clone())) {
            Some(entity) => entity,
            None => graph.resolve(name)?,
        };
        focus = Some(&entity.id);
        chosen.insert(&entity.id);
        let predicates: Vec<String> = if options.include_cooccurrence {
            Vec::new()
        } else {
            let set: BTreeSet<&str> = graph
                .relations()
                .filter(|r| !r.is_cooccurrence() && r.predicate != COOCCURRENCE_PREDICATE)
                .map(|r| r.predicate.as_str())
                .collect();
            set.into_iter().map(String::from).collect()
        };
        // With co-occurrence excluded and no other predicate, there are no neighbours (an
        // empty predicate list would mean "all").
        if options.include_cooccurrence || !predicates.is_empty() {
            let query = NeighborQuery {
                depth: options.depth.max(1),
                types: Vec::new(),
                predicates,
            };
            for neighbor in graph.neighbors(&entity.id, &query) {
                if chosen.len() >= max_nodes {
                    break;
                }
                chosen.insert(&neighbor.entity.id);
            }
        }
    } else {
        let mut neighbours: BTreeMap<&EntityId, BTreeSet<&EntityId>> = BTreeMap::new();
        for r in graph.relations().filter(|r| included(r)) {
            neighbours.entry(&r.subject).or_default().insert(&r.object);
            neighbours.entry(&r.object).or_default().insert(&r.subject);
        }
        let mut ranked: Vec<(usize, &Entity)> = graph
            .entities()
            .map(|e| (neighbours.get(&e.id).map_or(0, BTreeSet::len), e))
            .collect();
        ranked.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then_with(|| a.1.name.cmp(&b.1.name))
                .then_with(|| a.1.id.cmp(&b.1.id))
        });
        chosen.extend(ranked.into_iter().take(max_nodes).map(|(_, e)| &e.id));
    }
    let entities: Vec<&Entity> = graph
        .entities()
        .filter(|e| chosen.contains(&e.id))
        .collect();
    let relations: Vec<&Relation> = graph
        .relations()
        .filter(|r| included(r) && chosen.contains(&r.subject) && chosen.contains(&r.object))
        .collect();
    Ok(Selection {
        entities,
        relations,
        focus,
    })
}

fn graphviz_available() -> bool {
    Command::new("dot")
        .arg("-V")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Draw part of the graph (see [`RenderOptions`]) to `output`, an `.svg` or `.png` file
/// (`.pdf` too with Graphviz), written atomically. `prefer`: `None` uses Graphviz when `dot`
/// is on `PATH` and the built-in layout otherwise; `Some(Builtin)` always uses the built-in
/// layout (SVG only); `Some(Graphviz)` requires Graphviz. Returns the renderer used.
pub fn render(
    graph: &KnowledgeGraph,
    options: &RenderOptions,
    output: &Path,
    prefer: Option<Renderer>,
) -> Result<Renderer, ExportError> {
    let ext = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if !matches!(ext.as_str(), "svg" | "png" | "pdf") {
        return Err(ExportError::UnsupportedPicture {
            path: output.into(),
        });
    }
    let needs_graphviz = |what: String| ExportError::NeedsGraphviz {
        path: output.into(),
        what,
    };
    let renderer = match prefer {
        Some(Renderer::Builtin) if ext != "svg" => {
            return Err(needs_graphviz(format!("{} output", ext.to_uppercase())))
        }
        Some(Renderer::Builtin) => Renderer::Builtin,
        Some(Renderer::Graphviz) if !graphviz_available() => {
            return Err(needs_graphviz("rendering with Graphviz".into()))
        }
        Some(Renderer::Graphviz) => Renderer::Graphviz,
        None if graphviz_available() => Renderer::Graphviz,
        None if ext == "svg" => Renderer::Builtin,
        None => return Err(needs_graphviz(format!("{} output", ext.to_uppercase()))),
    };
    let selection = select(graph, options)?;
    let bytes = match renderer {
        Renderer::Graphviz => run_graphviz(&selection, &ext, output)?,
        Renderer::Builtin => builtin_svg(&selection, output)?.into_bytes(),
    };
    write_file(output, 0o644, |w| w.write_all(&bytes))?;
    Ok(renderer)
}

fn run_graphviz(
    selection: &Selection<'_>,
    ext: &str,
    output: &Path,
) -> Result<Vec<u8>, ExportError> {
    let text = dot::to_string(&selection.entities, &selection.relations, selection.focus);
    let failed = |message: String| ExportError::Graphviz {
        path: output.into(),
        message,
    };
    let mut child = Command::new("dot")
        .arg(format!("-T{ext}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(format!("cannot start dot: {e}")))?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // Feed stdin from another thread so that a large picture on stdout cannot deadlock us.
    let feeder = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let result = child
        .wait_with_output()
        .map_err(|e| failed(e.to_string()))?;
    let fed = feeder
        .join()
        .unwrap_or_else(|_| Err(std::io::Error::other("writer thread panicked")));
    if !result.status.success() {
        let stderr = String::from_utf8_lossy(&result.stderr);
        return Err(failed(format!("{} ({})", stderr.trim(), result.status)));
    }
    fed.map_err(|e| failed(format!("writing to dot: {e}")))?;
    Ok(result.stdout)
}

/// A label for the built-in SVG: one line, no characters XML cannot carry, at most 48
/// characters.
fn picture_text(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if out.chars().count() > 48 {
        out = out.chars().take(47).collect::<String>() + "…";
    }
    if out.is_empty() {
        out.push('?');
    }
    out
}

fn rgba(r: u8, g: u8, b: u8) -> layout::core::color::Color {
    layout::core::color::Color::new(u32::from_be_bytes([r, g, b, 0xff]))
}

fn builtin_svg(selection: &Selection<'_>, output: &Path) -> Result<String, ExportError> {
    use layout::backends::svg::SVGWriter;
    use layout::core::base::Orientation;
    use layout::core::style::{LineStyleKind, StyleAttr};
    use layout::std_shapes::render::get_shape_size;
    use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
    use layout::topo::layout::VisualGraph;

    if selection.entities.is_empty() {
        return Ok("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" \
                   width=\"240\" height=\"40\" viewBox=\"0 0 240 40\"><text x=\"10\" y=\"25\" \
                   font-family=\"sans-serif\" font-size=\"14\">(no entities to draw)</text></svg>\n"
            .to_string());
    }
    let orientation = Orientation::TopToBottom;
    let build = || {
        let mut vg = VisualGraph::new(orientation);
        let mut handles = BTreeMap::new();
        for entity in &selection.entities {
            let label = picture_text(&entity.name);
            let shape = match entity.kind {
                EntityType::Person => ShapeKind::Circle(label),
                EntityType::Event => ShapeKind::DoubleCircle(label),
                _ => ShapeKind::Box(label),
            };
            let (_, r, g, b) = type_colour(entity.kind);
            let focused = selection.focus == Some(&entity.id);
            let rounded = if entity.kind == EntityType::Organization {
                8
            } else {
                0
            };
            let look = StyleAttr::new(
                rgba(0x33, 0x33, 0x33),
                if focused { 4 } else { 1 },
                Some(rgba(r, g, b)),
                rounded,
                14,
            );
            let size = get_shape_size(orientation, &shape, look.font_size, false);
            handles.insert(
                &entity.id,
                vg.add_node(Element::create(shape, look, orientation, size)),
            );
        }
        for relation in &selection.relations {
            let (Some(&from), Some(&to)) = (
                handles.get(&relation.subject),
                handles.get(&relation.object),
            ) else {
                continue;
            };
            let (colour, style, end) = if relation.is_cooccurrence() {
                (
                    rgba(0x9e, 0x9e, 0x9e),
                    LineStyleKind::Normal,
                    LineEndKind::None,
                )
            } else if relation.polarity == Polarity::Negated {
                (
                    rgba(0xc0, 0x39, 0x2b),
                    LineStyleKind::Dashed,
                    LineEndKind::Arrow,
                )
            } else if relation.modality != Modality::Asserted {
                (
                    rgba(0x44, 0x44, 0x44),
                    LineStyleKind::Dotted,
                    LineEndKind::Arrow,
                )
            } else {
                (
                    rgba(0x44, 0x44, 0x44),
                    LineStyleKind::Normal,
                    LineEndKind::Arrow,
                )
            };
            let width = (1 + relation.count().saturating_sub(1)).min(5);
            let look = StyleAttr::new(colour, width, None, 0, 11);
            let label = relation_label(relation);
            let text = if label.is_empty() {
                String::new()
            } else {
                picture_text(&label)
            };
            let arrow = Arrow::new(LineEndKind::None, end, style, &text, &look, &None, &None);
            vg.add_edge(arrow, from, to);
        }
        let mut svg = SVGWriter::new();
        vg.do_it(false, false, false, &mut svg);
        svg.finalize()
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(build)).map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "layout-rs panicked".into());
        ExportError::Layout {
            path: output.into(),
            message,
        }
    })
}
