//! Exports of a Kith [`KnowledgeGraph`] in formats that real consumers read, and rendered
//! pictures of it.
//!
//! Exporters read only the graph (entities, relations, documents), never the NLP layer.
//! Every format is **deterministic**: the same graph always gives the same bytes (entities
//! and relations are written in id order, floats with a fixed number of decimals, no
//! timestamps). Every text field is escaped for its format, so hostile names such as
//! `"}] MATCH (n) DETACH DELETE n //`, `</key><node id="x">` or `\" ]; digraph evil {`
//! stay data. Characters that a format cannot carry at all (C0 control characters in XML,
//! for instance) are replaced by U+FFFD.
//!
//! | [`Format`] | name | default file | read by |
//! | --- | --- | --- | --- |
//! | [`Format::Dot`] | `dot` | `graph.dot` | Graphviz, pydot, networkx |
//! | [`Format::Graphml`] | `graphml` | `graph.graphml` | networkx, Gephi, yEd, Neo4j APOC `apoc.import.graphml` |
//! | [`Format::Gexf`] | `gexf` | `graph.gexf` | Gephi, networkx (`version="1.3"`) |
//! | [`Format::Jsonld`] | `jsonld` | `graph.jsonld` | any JSON-LD 1.1 processor; shapes in `shapes/kith.shacl.ttl` |
//! | [`Format::Cypher`] | `cypher` | `graph.cypher` | Neo4j (cypher-shell), FalkorDB (`GRAPH.QUERY`) |
//! | [`Format::Neo4jCsv`] | `neo4j-csv` | directory `neo4j-csv/` | `neo4j-admin database import full`, Kùzu `COPY FROM` |
//!
//! # Conventions
//!
//! Numbers: confidences are doubles in `[0, 1]` written with at most 3 decimals and never
//! in exponent form (a non-finite confidence is written as 0); counts are integers. A
//! relation's *count* is its number of pieces of evidence (for co-occurrence edges, the
//! weight). Relation *evidence* is kept whole in the flat formats as a JSON string: the JSON
//! of `kith_schema::Evidence` values, `[{"doc", "sentence", "span": {"start", "end"},
//! "sentence_text", "confidence"}]`, with character offsets.
//!
//! Relationship types (Cypher, Neo4j CSV, GraphML `label`) come from the predicate:
//! upper-cased, every run of characters outside `[A-Z0-9]` becomes one `_`, and a type not
//! starting with a letter is prefixed `REL_` (`speak-with` → `SPEAK_WITH`, `co-occurs-with`
//! → `CO_OCCURS_WITH`, a predicate with no ASCII letter or digit → `RELATED_TO`). The raw
//! predicate is always kept as the `predicate` property. Node labels come from the fixed
//! set `Entity` plus one of `Person`, `Organization`, `Country`, `Location`, `Event`,
//! `Role`, `Other`: never from text.
//!
//! **Wikidata.** A relation whose predicate has a Wikidata property
//! ([`kith_schema::wikidata_property`]: `works-for` → `P108`, `holds-position` → `P39`, ...)
//! carries its id as `wikidata` in every format (a JSON-LD relation links its predicate
//! declared as a sub-property of the Wikidata property instead). A relation whose predicate
//! has none (`meet`, `speak-with`, open verb predicates, `co-occurs-with`) carries no
//! `wikidata` value at all, except in the fixed columns of Neo4j CSV, where the field is
//! empty (as `class` is).
//!
//! ## DOT
//!
//! One `digraph kith`. Nodes are entity ids, with `label` = name, `kind`, `id` (the entity
//! id, also Graphviz's SVG id) and a shape and colour per type; edges carry `label`
//! (predicate, `not …` when negated, `(planned)`/`(reported)`, `×N` when stated N > 1 times),
//! `id`, `predicate`, `class`, `polarity`, `modality`, `count`, `confidence`, `weight`,
//! `penwidth` and, where the predicate has one, `wikidata` (`P108`). Negated relations are
//! dashed and red, planned or reported ones dotted, co-occurrence edges grey with
//! `dir=none`. In strings, `"` and `\` are backslash-escaped,
//! line breaks become `\n`, and `&` is written `&amp;` where Graphviz would otherwise read an
//! HTML entity.
//!
//! ## GraphML
//!
//! `<graph id="kith" edgedefault="directed">`, multi-edges allowed. Node keys (all
//! `for="node"`): `labels` (string, `:Person` — also the node's XML attribute `labels`,
//! for APOC), `name`, `kind`, `aliases` (joined with `"; "`), `mention_count` (int),
//! `documents` (int, number of documents), then one string key per external-id registry
//! seen in the graph, with `attr.name` = the registry (e.g. `iso3166-1:alpha2`) and a
//! sanitised key id `x_iso3166_1_alpha2`. Edge keys: `label` (the relationship type, also
//! the edge's XML attribute `label`), `predicate`, `wikidata` (the Wikidata property id,
//! only on edges whose predicate has one), `class`, `polarity`, `modality`, `negated`
//! (boolean), `confidence` (double), `count` (int), `evidence` (JSON string).
//! Node ids are entity ids, edge ids relation ids.
//!
//! ## GEXF
//!
//! GEXF 1.3 (`xmlns="http://gexf.net/1.3"`), static, directed. Node attributes (ids equal
//! titles): `kind`, `mention_count` (integer), `documents` (integer), `aliases`, one per
//! external-id registry (id `x_…`, title = registry). Edge attributes: `predicate`,
//! `wikidata` (only on edges whose predicate has a Wikidata property), `class`, `polarity`,
//! `modality`, `count` (integer), `confidence` (double), `evidence` (JSON string). Nodes
//! have `label` = name, `viz:color` by type and `viz:size` growing with the mention count;
//! edges have `label` = predicate and `weight` = count.
//!
//! ## JSON-LD
//!
//! One JSON object `{"@context": {...}, "@graph": [...]}` with an inline context (nothing
//! is fetched): `@vocab` is `https://schema.org/`, prefixes `schema`, `kith`
//! (`https://kith.dev/ns#`), `xsd`, `rdf`, `rdfs`, `wdt` (`http://www.wikidata.org/prop/direct/`)
//! and `pred` (`https://kith.dev/ns/predicate/`), and explicit term definitions for every
//! Kith term:
//! `Relation`, `Evidence` (types `kith:Relation`, `kith:Evidence`), `kind`, `mentionCount`,
//! `mentionedIn`, `subject`, `object`, `predicate`, `predicateProperty` (`@id`),
//! `subPropertyOf` (`rdfs:subPropertyOf`, `@id`), `relationClass`, `polarity`, `modality`,
//! `confidence` (`xsd:double`), `count`, `evidence`, `document`, `sentence`, `startOffset`,
//! `endOffset` (`xsd:integer`), `source`, `sameAs` (`@id`). The `@graph` holds, in order:
//! documents (`NewsArticle`, `@id` `urn:kith:doc:<percent-encoded id>`, `name`/`headline` =
//! title, `url`, `datePublished`, `identifier`, `source`), entities (`Person`,
//! `Organization`, `Country`, `Place` for locations, `Event`, `Role`, `Thing` for other;
//! `@id` `urn:kith:entity:<id>`, `name`, `alternateName`, `identifier` as
//! `PropertyValue`s with `propertyID` and `value`, `sameAs` for external ids that are
//! http(s) URIs or Wikidata Q-ids, `kind`, `mentionCount`, `mentionedIn`), then relations
//! (`Relation`, `@id` `urn:kith:relation:<id>`, `subject`, `object`, `predicate`,
//! `predicateProperty` where the predicate has a Wikidata property, `relationClass`,
//! `polarity`, `modality`, `confidence`, `count`, and `evidence`: a set of `Evidence` nodes
//! with `document`, `sentence`, `startOffset`, `endOffset` (character offsets), `text`,
//! `confidence`), then, sorted, one declaration per such predicate used in the graph:
//! `{"@id": "pred:works-for", "@type": "rdf:Property", "rdfs:label": "works-for",
//! "subPropertyOf": "wdt:P108"}` — the predicate is declared `rdfs:subPropertyOf`
//! `http://www.wikidata.org/prop/direct/P108`, not `owl:equivalentProperty`, because the
//! converse does not hold (Kith's rules read news text: `located-in` also places events,
//! which Wikidata's P131 does not) and RDFS is enough for a reasoner to read
//! `x pred:works-for y` as `x wdt:P108 y`. No `wdt:` triple is asserted between the
//! entities themselves: a relation may be negated, planned or reported. The SHACL shapes
//! the output satisfies are in `crates/kith-export/shapes/kith.shacl.ttl` (also
//! [`SHACL_SHAPES`]).
//!
//! ## Cypher
//!
//! **One complete statement per line, each ending with `;`.** Lines starting with `//`
//! are comments, and empty lines separate sections. cypher-shell runs the file as it is;
//! for FalkorDB, which runs one statement per `GRAPH.QUERY`, send each non-comment,
//! non-empty line with its trailing `;` removed. Strings are single-quoted with `\\`,
//! `\'`, `\n`, `\r`, `\t` and `\uXXXX` (other control characters) escapes, so no statement
//! spans lines. First one `MERGE (n:Entity:<Type> {id: '…'}) SET n.name = …, n.kind = …,
//! n.aliases = [...] (only when there are aliases), n.mention_count = …,
//! n.document_count = …, n.x_<registry> = …` per entity, then one
//! `MATCH (a:Entity {id: '…'}), (b:Entity {id: '…'}) MERGE (a)-[r:TYPE {id: '…'}]->(b)
//! SET r.predicate = …, r.wikidata = … (only when the predicate has a Wikidata property),
//! r.class = …, r.polarity = …, r.modality = …, r.count = N,
//! r.confidence = …, r.evidence = '<JSON>'` per relation. No constraint or
//! `IF NOT EXISTS` statements; an index statement is given as a comment. Running the script
//! twice gives the same graph (everything is `MERGE` on `id`).
//!
//! ## Neo4j CSV
//!
//! A directory with `nodes.csv`, `relationships.csv`, `documents.csv`, `supports.csv`,
//! `README.txt` and `import.sh`. Columns, in this fixed order (Kùzu's `COPY FROM` reads
//! them by position after the header):
//!
//! * `nodes.csv`: `id:ID`, `name`, `kind`, `aliases:string[]`, `mention_count:int`,
//!   `document_count:int`, `external_ids:string[]` (items `registry=value`), `:LABEL`
//!   (`Entity;Person`).
//! * `relationships.csv`: `:START_ID`, `:END_ID`, `:TYPE`, `id`, `predicate`, `class`,
//!   `polarity`, `modality`, `confidence:double`, `count:int`, `evidence` (JSON string),
//!   `wikidata` (the Wikidata property id, `P108`; empty for predicates without one),
//!   `documents:string[]` (the Document node ids of the documents stating it).
//! * `documents.csv`, Document nodes: `id:ID` (`document:<document id>`: entity ids have
//!   no `:`, so the two never collide), `doc_id` (the id evidence names), `title`, `url`,
//!   `published`, `source`, `chars:int`, `sentences:int`, `:LABEL` (`Document`).
//! * `supports.csv`: `(:Document)-[:SUPPORTS]->(:Entity)` from each document to both ends
//!   of each fact it states: `:START_ID`, `:END_ID`, `:TYPE` (`SUPPORTS`), `relation` (the
//!   fact's relation id), `predicate`, `statements:int` (its evidence records from that
//!   document). A relationship cannot end at a relationship, so this is how a document
//!   leads to its facts (`WHERE r.id = s.relation`), and `r.documents` back.
//!
//! Arrays use neo4j-admin's default delimiter `;`; a `;` inside an array item is replaced
//! by `,` so that it cannot split the item. A cell or array item starting with `=`, `+`,
//! `-`, `@`, a tab, a carriage return or `'` gets a leading `'` (OWASP's defence against
//! formula injection in spreadsheets); removing one leading `'` gives the text back.
//! Fields are quoted by the `csv` crate (RFC 4180,
//! `""` for a quote) and may hold line breaks, hence `--multiline-fields=true`:
//!
//! ```text
//! neo4j-admin database import full --nodes=nodes.csv --nodes=documents.csv \
//!     --relationships=relationships.csv --relationships=supports.csv \
//!     --multiline-fields=true --array-delimiter=";" neo4j
//! ```
//!
//! ## HTML
//!
//! One self-contained page that works offline: the vendored Cytoscape.js
//! (`vendor/cytoscape/`, MIT), the viewer's script and style, and the graph as JSON in a
//! `<script type="application/json">` element whose `<`, `>`, `&`, U+2028 and U+2029 are
//! written as `\u` escapes, so no name or sentence can close it. The viewer builds its
//! panels with DOM text nodes only (never HTML from data), and a Content-Security-Policy
//! allows only the page's own scripts by their SHA-256 hashes. It offers pan and zoom,
//! search over names and aliases (case and accents ignored), filters by entity type and
//! predicate, a legend, hiding entities without visible relations, and a panel showing a
//! clicked entity's aliases, documents and relations or a clicked relation's evidence
//! sentences with its two entities' mentions highlighted.
//!
//! ## Files
//!
//! [`export_to_path`] writes atomically (temporary file in the same directory, then a
//! rename) with mode 0644 (`import.sh` 0755), so an interrupted export never leaves a
//! half-written file.
//!
//! ## Rendering
//!
//! [`render`] draws a readable part of the graph (a focus entity's neighbourhood, or the
//! best-connected entities) as SVG or PNG, with Graphviz `dot` when it is on `PATH` and the
//! pure-Rust `layout-rs` otherwise (SVG only). Entities none of whose relations is drawn
//! are left out (but the focus); a legend under the drawing names the entity types and
//! edge kinds drawn; the picture's size fits a 1280×720 screen (a larger drawing is scaled
//! down, an SVG keeping its detail for zooming; the built-in layout also picks the
//! orientation whose shape is nearer 16:9).

#![warn(missing_docs)]

mod common;
mod cypher;
mod dot;
mod html;
mod jsonld;
mod neo4j_csv;
mod render;
mod xml;

use kith_graph::{GraphError, KnowledgeGraph};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use common::{confidence, evidence_value};
pub use render::{render, RenderOptions, Renderer};

/// The SHACL shapes (Turtle) that [`Format::Jsonld`] output satisfies; the same text as
/// `crates/kith-export/shapes/kith.shacl.ttl`.
pub const SHACL_SHAPES: &str = include_str!("../shapes/kith.shacl.ttl");

/// An export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Graphviz DOT.
    Dot,
    /// GraphML (XML).
    Graphml,
    /// GEXF 1.3 (XML), Gephi's format.
    Gexf,
    /// JSON-LD 1.1, satisfying [`SHACL_SHAPES`].
    Jsonld,
    /// A Cypher script of statements that build the graph.
    Cypher,
    /// A directory of CSV files for `neo4j-admin database import full`.
    Neo4jCsv,
    /// One self-contained, offline HTML page: an interactive viewer (Cytoscape.js).
    Html,
}

impl Format {
    /// Every format, in declaration order.
    pub const ALL: [Format; 7] = [
        Format::Dot,
        Format::Graphml,
        Format::Gexf,
        Format::Jsonld,
        Format::Cypher,
        Format::Neo4jCsv,
        Format::Html,
    ];

    /// The name used on the command line: `dot`, `graphml`, `gexf`, `jsonld`, `cypher`,
    /// `neo4j-csv`, `html`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Dot => "dot",
            Format::Graphml => "graphml",
            Format::Gexf => "gexf",
            Format::Jsonld => "jsonld",
            Format::Cypher => "cypher",
            Format::Neo4jCsv => "neo4j-csv",
            Format::Html => "html",
        }
    }

    /// Where to write when the user gives no path: a file name, or for
    /// [`Format::Neo4jCsv`] a directory name.
    pub fn default_file_name(self) -> &'static str {
        match self {
            Format::Dot => "graph.dot",
            Format::Graphml => "graph.graphml",
            Format::Gexf => "graph.gexf",
            Format::Jsonld => "graph.jsonld",
            Format::Cypher => "graph.cypher",
            Format::Neo4jCsv => "neo4j-csv",
            Format::Html => "graph.html",
        }
    }

    /// Whether the format is a directory of files rather than one stream.
    pub fn is_directory(self) -> bool {
        self == Format::Neo4jCsv
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = ExportError;

    /// Case-insensitive; accepts the [`Format::name`]s and a few common spellings
    /// (`graphviz`, `gv`, `json-ld`, `neo4j`, `csv`).
    fn from_str(s: &str) -> Result<Format, ExportError> {
        let lower = s.trim().to_ascii_lowercase().replace('_', "-");
        Ok(match lower.as_str() {
            "dot" | "gv" | "graphviz" => Format::Dot,
            "graphml" => Format::Graphml,
            "gexf" => Format::Gexf,
            "jsonld" | "json-ld" => Format::Jsonld,
            "cypher" | "cql" => Format::Cypher,
            "neo4j-csv" | "neo4j" | "csv" => Format::Neo4jCsv,
            "html" | "htm" | "viewer" => Format::Html,
            _ => return Err(ExportError::UnknownFormat(s.to_string())),
        })
    }
}

/// What can go wrong exporting or rendering.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading or writing a file or directory failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Writing to the caller's stream failed.
    #[error("writing {format} output: {source}")]
    Stream {
        /// The format being written.
        format: Format,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A format name that [`Format::from_str`] does not know.
    #[error("unknown export format {0:?}; expected one of dot, graphml, gexf, jsonld, cypher, neo4j-csv, html")]
    UnknownFormat(String),
    /// A directory format ([`Format::Neo4jCsv`]) was asked to write to a stream.
    #[error(
        "the {0} format writes several files: give a directory path (export_to_path), not a stream"
    )]
    NeedsDirectory(Format),
    /// The focus entity of a rendering could not be found, or another graph error.
    #[error(transparent)]
    Graph(#[from] GraphError),
    /// A picture path whose extension is not `.svg`, `.png` or `.pdf`.
    #[error(
        "{path}: cannot draw a picture of this type; use .svg or .png (or .pdf with Graphviz)"
    )]
    UnsupportedPicture {
        /// The picture path.
        path: PathBuf,
    },
    /// The picture needs Graphviz (a PNG or PDF, or Graphviz asked for by name) but `dot` is
    /// not on `PATH`, or the built-in renderer was asked for.
    #[error("{path}: {what} needs Graphviz: install Graphviz (the `dot` command on PATH) or write .svg, which the built-in layout draws")]
    NeedsGraphviz {
        /// The picture path.
        path: PathBuf,
        /// What needed Graphviz (`PNG output`, `rendering with Graphviz`).
        what: String,
    },
    /// Running Graphviz `dot` failed.
    #[error("{path}: Graphviz dot failed: {message}")]
    Graphviz {
        /// The picture path.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The built-in layout (`layout-rs`) failed.
    #[error("{path}: built-in layout failed: {message}")]
    Layout {
        /// The picture path.
        path: PathBuf,
        /// What went wrong (the layout's panic message).
        message: String,
    },
}

impl ExportError {
    pub(crate) fn from_graph(error: GraphError) -> ExportError {
        match error {
            GraphError::Io { path, source } => ExportError::Io { path, source },
            other => ExportError::Graph(other),
        }
    }
}

/// Write a single-stream format to `out`. [`Format::Neo4jCsv`] is several files and gives
/// [`ExportError::NeedsDirectory`]: use [`export_to_path`].
pub fn write(
    graph: &KnowledgeGraph,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let result = match format {
        Format::Dot => dot::write(graph, out),
        Format::Graphml => xml::write_graphml(graph, out),
        Format::Gexf => xml::write_gexf(graph, out),
        Format::Jsonld => jsonld::write(graph, out),
        Format::Cypher => cypher::write(graph, out),
        Format::Html => html::write(graph, out),
        Format::Neo4jCsv => return Err(ExportError::NeedsDirectory(format)),
    };
    result.map_err(|source| ExportError::Stream { format, source })
}

/// Export to a file, atomically (temporary file, then rename), and return the files
/// written. If `path` is an existing directory, the file is written inside it under
/// [`Format::default_file_name`]. For [`Format::Neo4jCsv`], `path` is a directory, created
/// if needed, and each of its files is written atomically.
pub fn export_to_path(
    graph: &KnowledgeGraph,
    format: Format,
    path: &Path,
) -> Result<Vec<PathBuf>, ExportError> {
    if format == Format::Neo4jCsv {
        return neo4j_csv::write_dir(graph, path);
    }
    let target = if path.is_dir() {
        path.join(format.default_file_name())
    } else {
        path.to_path_buf()
    };
    common::write_file(&target, 0o644, |w| match write(graph, format, w) {
        Ok(()) => Ok(()),
        Err(ExportError::Stream { source, .. }) => Err(source),
        Err(other) => Err(std::io::Error::other(other.to_string())),
    })?;
    Ok(vec![target])
}
