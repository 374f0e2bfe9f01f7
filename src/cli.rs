use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Turn news text into a knowledge graph.
#[derive(Parser, Debug)]
#[command(name = "kith", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read documents and build (or extend) a graph file.
    Build(BuildArgs),
    /// Stream each document's extracted facts as JSON lines on stdout.
    Extract(ExtractArgs),
    /// Fold fact files (JSON lines written by `kith extract`) into a graph file.
    Merge(MergeArgs),
    /// List the entities connected to one entity.
    #[command(alias = "neighbours")]
    Neighbors(NeighborsArgs),
    /// Find a shortest chain of relations between two entities.
    Path(PathArgs),
    /// Count entities, relations and predicates.
    Stats(StatsArgs),
    /// Write the graph in another format.
    Export(ExportArgs),
    /// Draw the graph (or a neighbourhood of it) as SVG or PNG.
    Render(RenderArgs),
}

#[derive(Args, Debug)]
pub struct InputArgs {
    /// Files, directories (read recursively) or `-` for stdin. Formats: .txt, .md, .html,
    /// .htm, .jsonl, .ndjson (one article per line: id, text, optional title, url, published).
    #[arg(required = true)]
    pub inputs: Vec<String>,
    /// Fail (exit 1, graph not written) if any document is skipped.
    #[arg(long)]
    pub strict: bool,
    /// Worker threads (default: all cores). Output is identical whatever the count.
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The graph file to write.
    #[arg(short, long, required_unless_present = "into")]
    pub output: Option<PathBuf>,
    /// Add the documents to this existing graph (written back in place unless -o is given).
    #[arg(long)]
    pub into: Option<PathBuf>,
    /// Add weighted co-occurrence edges between entities named in one sentence.
    #[arg(long)]
    pub cooccurrence: bool,
}

#[derive(Args, Debug)]
pub struct ExtractArgs {
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Fact files (JSON lines of document facts); `-` for stdin.
    #[arg(required = true)]
    pub facts: Vec<String>,
    #[arg(short, long, required_unless_present = "into")]
    pub output: Option<PathBuf>,
    #[arg(long)]
    pub into: Option<PathBuf>,
    #[arg(long)]
    pub cooccurrence: bool,
    #[arg(long)]
    pub strict: bool,
}

#[derive(Args, Debug)]
pub struct NeighborsArgs {
    pub graph: PathBuf,
    /// Canonical name or alias, case-insensitive.
    pub name: String,
    #[arg(long, default_value_t = 1)]
    pub depth: usize,
    /// Only neighbours of this type (repeatable): person, organization, country, location, event, role, other.
    #[arg(long = "type", short = 't')]
    pub types: Vec<String>,
    /// Only relations with this predicate (repeatable), e.g. speak-with.
    #[arg(long = "predicate", short = 'p')]
    pub predicates: Vec<String>,
    /// Show the evidence sentences of each relation.
    #[arg(long)]
    pub evidence: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct PathArgs {
    pub graph: PathBuf,
    pub from: String,
    pub to: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct StatsArgs {
    pub graph: PathBuf,
    /// How many top entities to list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum FormatArg {
    Dot,
    Graphml,
    Gexf,
    Jsonld,
    Cypher,
    #[value(name = "neo4j-csv")]
    Neo4jCsv,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    pub graph: PathBuf,
    #[arg(long, short = 'f', value_enum)]
    pub format: FormatArg,
    /// Output file (a directory for neo4j-csv); stdout when omitted (not for neo4j-csv).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum RendererArg {
    Graphviz,
    Builtin,
}

#[derive(Args, Debug)]
pub struct RenderArgs {
    pub graph: PathBuf,
    /// diagram.svg or diagram.png
    #[arg(short, long)]
    pub output: PathBuf,
    /// Draw the neighbourhood of this entity.
    #[arg(long)]
    pub focus: Option<String>,
    #[arg(long, default_value_t = 1)]
    pub depth: usize,
    /// Most entities to draw.
    #[arg(long, default_value_t = 60)]
    pub max_nodes: usize,
    /// Force a renderer (default: Graphviz when installed, else the built-in one).
    #[arg(long, value_enum)]
    pub renderer: Option<RendererArg>,
    /// Also draw co-occurrence edges.
    #[arg(long)]
    pub cooccurrence: bool,
}
