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
    /// Draw this entity (an entity id, else a name or alias resolved with
    /// [`KnowledgeGraph::resolve`]) and its neighbourhood; without it, the `max_nodes`
    /// best-connected entities.
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
    // An entity none of whose relations is drawn says nothing in a picture of relations
    // and only widens it; the focus stays, whatever it has.
    let drawn: BTreeSet<&EntityId> = relations
        .iter()
        .flat_map(|r| [&r.subject, &r.object])
        .collect();
    let entities: Vec<&Entity> = entities
        .into_iter()
        .filter(|e| drawn.contains(&e.id) || focus == Some(&e.id))
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
    let mut text = dot::to_string(&selection.entities, &selection.relations, selection.focus);
    // The picture's own additions to the DOT export: a legend under the drawing, and a
    // size that scales a large drawing down to a 1280×720 screen (at 96 dpi) instead of
    // one that needs scrolling both ways; an SVG keeps every detail for zooming.
    if let Some(end) = text.rfind('}') {
        let extra = format!(
            "  size=\"13.33,7.5\";\n  labelloc=\"b\";\n  labeljust=\"l\";\n  fontname=\"Helvetica\";\n  fontsize=11;\n  label=<{}>;\n",
            graphviz_legend(&Legend::of(selection))
        );
        text.insert_str(end, &extra);
    }
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

/// What a picture's legend lists: the entity types drawn and the kinds of edge drawn.
struct Legend {
    types: BTreeSet<EntityType>,
    /// (what it stands for, colour, SVG dash pattern or `""` for a solid line)
    edges: Vec<(&'static str, &'static str, &'static str)>,
}

impl Legend {
    fn of(selection: &Selection<'_>) -> Legend {
        let types = selection.entities.iter().map(|e| e.kind).collect();
        let rs = &selection.relations;
        let mut edges = Vec::new();
        let facts = rs.iter().filter(|r| !r.is_cooccurrence());
        if facts
            .clone()
            .any(|r| r.polarity != Polarity::Negated && r.modality == Modality::Asserted)
        {
            edges.push(("fact", "#444444", ""));
        }
        if facts.clone().any(|r| r.polarity == Polarity::Negated) {
            edges.push(("negated", "#c0392b", "6,4"));
        }
        if facts
            .clone()
            .any(|r| r.polarity != Polarity::Negated && r.modality != Modality::Asserted)
        {
            edges.push(("planned, reported or conditional", "#444444", "2,3"));
        }
        if rs.iter().any(|r| r.is_cooccurrence()) {
            edges.push(("co-occurrence", "#9e9e9e", ""));
        }
        Legend { types, edges }
    }
}

/// The legend as a Graphviz HTML-like label: a row of type swatches, then edge styles.
/// Only fixed words go into it, so nothing needs escaping.
fn graphviz_legend(legend: &Legend) -> String {
    let mut cells = String::new();
    for kind in &legend.types {
        let (colour, ..) = type_colour(*kind);
        cells.push_str(&format!(
            "<TD BGCOLOR=\"{colour}\" BORDER=\"1\">{}</TD>",
            kind.as_str()
        ));
    }
    for (what, colour, dash) in &legend.edges {
        let line = if dash.is_empty() {
            "———"
        } else if *dash == "6,4" {
            "– – –"
        } else {
            "· · · ·"
        };
        cells.push_str(&format!(
            "<TD><FONT COLOR=\"{colour}\">{line}</FONT> {what}</TD>"
        ));
    }
    format!("<TABLE BORDER=\"0\" CELLSPACING=\"6\" CELLPADDING=\"4\"><TR>{cells}</TR></TABLE>")
}

/// The legend drawn into the built-in SVG below a drawing `width` wide whose legend row
/// starts at `y`: swatches and line samples with their words, wrapped to the width.
fn svg_legend(legend: &Legend, width: f64, y: f64) -> (String, f64) {
    let mut out = String::from("<g id=\"legend\" font-family=\"sans-serif\" font-size=\"13\">");
    let (mut x, mut row) = (10.0, y);
    let place = |w: f64, x: &mut f64, row: &mut f64| {
        if *x + w > width.max(400.0) && *x > 10.0 {
            *x = 10.0;
            *row += 24.0;
        }
        let at = (*x, *row);
        *x += w + 18.0;
        at
    };
    for kind in &legend.types {
        let (colour, ..) = type_colour(*kind);
        let name = kind.as_str();
        let (x0, y0) = place(22.0 + 8.0 * name.len() as f64, &mut x, &mut row);
        out.push_str(&format!(
            "<rect x=\"{x0}\" y=\"{y0}\" width=\"16\" height=\"16\" fill=\"{colour}\" stroke=\"#333333\"/><text x=\"{}\" y=\"{}\">{name}</text>",
            x0 + 22.0,
            y0 + 13.0
        ));
    }
    for (what, colour, dash) in &legend.edges {
        let (x0, y0) = place(40.0 + 7.5 * what.len() as f64, &mut x, &mut row);
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        out.push_str(&format!(
            "<line x1=\"{x0}\" y1=\"{ly}\" x2=\"{}\" y2=\"{ly}\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/><text x=\"{}\" y=\"{}\">{what}</text>",
            x0 + 30.0,
            x0 + 36.0,
            y0 + 13.0,
            ly = y0 + 8.0
        ));
    }
    out.push_str("</g>");
    (out, row + 24.0 - y)
}

/// The largest picture shown without scrolling: a 1280×720 screen.
const SCREEN: (f64, f64) = (1280.0, 720.0);

/// Adds the legend under a layout-rs SVG and gives it a size that fits [`SCREEN`]
/// (scaled down, keeping its proportions; the `viewBox` keeps every detail for zooming).
fn fit_with_legend(svg: String, legend: &Legend) -> String {
    let number = |name: &str| -> Option<f64> {
        let start = svg.find(&format!(" {name}=\""))? + name.len() + 3;
        let len = svg[start..].find('"')?;
        svg[start..start + len].parse().ok()
    };
    let (Some(width), Some(height)) = (number("width"), number("height")) else {
        return svg;
    };
    let (legend_svg, legend_height) = svg_legend(legend, width, height + 12.0);
    let total = height + 12.0 + legend_height;
    let scale = (SCREEN.0 / width).min(SCREEN.1 / total).min(1.0);
    let open = format!(
        "<svg width=\"{:.0}\" height=\"{:.0}\" viewBox=\"0 0 {width} {total}\" xmlns=\"http://www.w3.org/2000/svg\">",
        width * scale,
        total * scale
    );
    let Some(svg_start) = svg.find("<svg") else {
        return svg;
    };
    let body_end = svg.rfind("</svg>").unwrap_or(svg.len());
    let tag_close = svg_start + svg[svg_start..].find('>').unwrap_or(0);
    format!(
        "{}{open}{}{legend_svg}</svg>\n",
        &svg[..svg_start],
        &svg[tag_close + 1..body_end]
    )
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
    let build = |orientation: Orientation| {
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
    // Both orientations, keeping the one whose shape is nearer a screen's (16:9): a
    // top-to-bottom layout of many entities of one rank is a long strip.
    let pick = || {
        let aspect = |svg: &str| -> f64 {
            let get = |name: &str| -> f64 {
                svg.find(&format!(" {name}=\""))
                    .and_then(|i| {
                        let rest = &svg[i + name.len() + 3..];
                        rest[..rest.find('"')?].parse().ok()
                    })
                    .unwrap_or(1.0)
            };
            let ratio = get("width") / get("height").max(1.0);
            (ratio / (16.0 / 9.0)).ln().abs()
        };
        let tall = build(Orientation::TopToBottom);
        let wide = build(Orientation::LeftToRight);
        if aspect(&wide) < aspect(&tall) {
            wide
        } else {
            tall
        }
    };
    let legend = Legend::of(selection);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(pick))
        .map(|svg| fit_with_legend(svg, &legend))
        .map_err(|panic| {
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
