use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

/// Turn news text into a knowledge graph.
#[derive(Parser, Debug)]
#[command(name = "kith", version, about, long_about = None)]
pub struct Cli {
    /// Directory of trained models (pos-en.kmodel, parser-en.kmodel, ner-en.kmodel,
    /// relations-en.kmodel), all required. Default: $KITH_MODELS, else the models built
    /// into kith.
    #[arg(long, global = true, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// Build and extract with rules and gazetteers only, without any model (fewer and
    /// worse entities and relations; a graph of another producer than the default).
    #[arg(long, global = true)]
    pub rules_only: bool,
    /// Read graphs as stored: no identity resolution across documents when querying,
    /// explaining, exporting or rendering (what a graph store's queries answer today).
    #[arg(long, global = true)]
    pub as_stored: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read documents and build (or extend) a graph: a store (SQLite), or a JSON graph file
    /// when the output's name ends in `.json`.
    Build(BuildArgs),
    /// Stream each document's extracted facts as JSON lines on stdout.
    Extract(ExtractArgs),
    /// Fold fact files (JSON lines written by `kith extract`, compact or compressed too) and
    /// graph files into a graph file.
    Merge(MergeArgs),
    /// Take documents out of a graph, by source (a path, `path:LINE`) or document id:
    /// the graph becomes the one the remaining documents build.
    Remove(RemoveArgs),
    /// List the entities connected to one entity.
    #[command(alias = "neighbours")]
    Neighbors(NeighborsArgs),
    /// Find a shortest chain of relations between two entities.
    Path(PathArgs),
    /// Count entities, relations and predicates.
    Stats(StatsArgs),
    /// Show how an entity was put together: ids, aliases, the documents merged into it and
    /// each mention grouped by the rule that attached it (name, partial name, acronym,
    /// title, pronoun).
    Explain(ExplainArgs),
    /// Write the graph in another format.
    Export(ExportArgs),
    /// Draw the graph (or a neighbourhood of it) as SVG or PNG.
    Render(RenderArgs),
    /// Train a POS or NER model from a TOML config (deterministic, seeded).
    Train(TrainArgs),
    /// Score a model on annotated files (precision, recall, F1 / accuracy).
    Eval(EvalArgs),
    /// Measure single-thread tagging throughput in tokens per second.
    Bench(BenchArgs),
    /// List the models `build` loads, with their fingerprints and scores.
    ///
    /// Each of pos-en.kmodel, parser-en.kmodel, ner-en.kmodel and relations-en.kmodel, from
    /// the models directory (--models, KITH_MODELS) or built into kith: where it comes
    /// from, kind, size, fingerprint (the file's checksum, as the pipeline fingerprint
    /// recorded in facts names it: `pos:<fingerprint>`) and the dev scores its training
    /// recorded.
    Models(ModelsArgs),
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
    /// Entity tagger: `rules` (gazetteer and capitalisation rules), `statistical` (the NER
    /// model of the models directory; the default when it is there) or `transformer` (a
    /// BERT token classifier from --model-dir; needs a kith built with the `transformer`
    /// feature, see docs/transformer.md; a `transformer-remote` build without --model-dir fetches the
    /// default CoNLL-03 BERT from the model hub).
    #[arg(long, value_enum)]
    pub ner: Option<NerArg>,
    /// The transformer model for --ner transformer: a directory with rust_model.ot or
    /// model.safetensors, config.json (with id2label) and vocab.txt. Without it, a kith
    /// built with `transformer-remote` uses the model hub's default CoNLL-03 BERT.
    #[arg(long, value_name = "DIR")]
    pub model_dir: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NerArg {
    Rules,
    Statistical,
    Transformer,
}

/// The graph a `build` or `merge` writes: a new one, or an existing one to add to.
#[derive(Args, Debug)]
pub struct GraphTargetArgs {
    /// The graph to write: a JSON graph file when the name ends in `.json`, else a graph
    /// store (SQLite, e.g. `graph.kith`); an existing file keeps its format.
    #[arg(short, long, required_unless_present = "into")]
    pub output: Option<PathBuf>,
    /// Add to this existing graph (written back in place unless -o is given; a store is
    /// updated in one transaction).
    #[arg(long)]
    pub into: Option<PathBuf>,
    /// Add weighted co-occurrence edges between entities named in one sentence.
    #[arg(long)]
    pub cooccurrence: bool,
    /// Forced and forbidden merges across documents, stored with the graph: CSV lines
    /// `name,canonical name`, `name,registry:id` (`wikidata:Q1`) or `name,!` (keep apart).
    #[arg(long, value_name = "FILE")]
    pub aliases: Option<PathBuf>,
    /// Do not resolve identities across documents (stored with the graph): entities merge
    /// only on an external id or the exact full name; the alias file still applies.
    #[arg(long)]
    pub no_cross_document: bool,
    /// Keep a document whose source (a path, or a JSON line's id) is already in the graph
    /// with other content beside the old one; by default the old one is replaced.
    #[arg(long)]
    pub keep_both: bool,
}

impl GraphTargetArgs {
    /// Where the graph is written: `-o`, else the `--into` graph itself.
    pub fn output_path(&self) -> &Path {
        self.output
            .as_deref()
            .or(self.into.as_deref())
            .expect("clap requires -o or --into")
    }
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub target: GraphTargetArgs,
}

#[derive(Args, Debug)]
pub struct ExtractArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Write compact facts lines (version 2: each evidence sentence once per document,
    /// mentions as arrays, defaults left out); the same facts, about half the bytes.
    /// `kith merge` reads both versions (docs/formats.md).
    #[arg(long)]
    pub compact: bool,
    /// Compress the output with zstd (one stream; `kith merge` reads it as it is, and
    /// concatenated shards too). Use with --compact for the smallest files.
    #[arg(long)]
    pub compress: bool,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Fact files (JSON lines of document facts, version 1 or compact, zstd-compressed or
    /// not) and graph files; `-` for stdin.
    #[arg(required = true)]
    pub facts: Vec<String>,
    #[command(flatten)]
    pub target: GraphTargetArgs,
    /// Fail (exit 1, graph not written) if any input is skipped.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Args, Debug)]
pub struct NeighborsArgs {
    pub graph: PathBuf,
    /// An entity: its name, an alias, a country variant (UK, USA), part of a name
    /// (a surname), `Name (Type)` or its id; case and accents ignored.
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
    /// An entity, named as for `kith neighbors`.
    pub from: String,
    /// Another entity, named likewise.
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

#[derive(Args, Debug)]
pub struct RemoveArgs {
    /// The graph (JSON graph file or store), changed in place.
    pub graph: PathBuf,
    /// Sources (as `kith build` records them: a path, `path:LINE`) or document ids.
    #[arg(required = true)]
    pub sources: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    pub graph: PathBuf,
    /// An entity, named as for `kith neighbors`.
    pub name: String,
    #[arg(long)]
    pub json: bool,
    /// Documents and mentions of each rule listed at most (with a count of the rest);
    /// 0 lists every one. `--json` always lists every one.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub limit: usize,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum FormatArg {
    /// Kith's JSON graph file (readable by every command and by `kith merge`).
    Json,
    Dot,
    Graphml,
    Gexf,
    Jsonld,
    Cypher,
    #[value(name = "neo4j-csv")]
    Neo4jCsv,
    /// One self-contained offline HTML page: an interactive viewer.
    Html,
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
    /// Draw the neighbourhood of this entity (named as for `kith neighbors`).
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

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskArg {
    Pos,
    Ner,
    /// Coreference (eval only: the resolver is rule-based): GUM CoNLL-U with `Entity=`.
    Coref,
    /// Relation extraction: the relation model (trained on KnowledgeNet) over the rules.
    Relations,
    /// Dependency parser (UD relations).
    Parser,
    /// Sentence splitting (eval only: the splitter is rule-based): CoNLL-U files (EWT, GUM).
    Sentences,
    /// Cross-document identity (eval only): GUM CoNLL-U (Wikipedia identities) or, with
    /// `--format ecbplus`, the ECB+ folder (cross-document chains, one graph per topic).
    Identity,
}

#[derive(Args, Debug)]
pub struct TrainArgs {
    #[arg(value_enum)]
    pub task: TaskArg,
    /// TOML training config (paths inside are relative to it), e.g. models/configs/pos-en.toml.
    #[arg(long)]
    pub config: PathBuf,
    /// Write the model here instead of the config's `output`.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Use this data directory instead of the config's `data`.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Override the number of epochs (quick experiments).
    #[arg(long)]
    pub epochs: Option<usize>,
    /// NER: once the settings are chosen on the dev data, train on the `[[train]]` and
    /// `[[dev]]` data together (voting members too). Without dev data every pass runs all
    /// its epochs and confidences are not calibrated. A config without `[[dev]]` is refused.
    #[arg(long)]
    pub dev_as_train: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvalFormatArg {
    /// Column files: CoNLL-2003 / wikigold / BTC / WNUT (word first, tag last).
    Conll,
    /// CoNLL-U: GUM entity mentions (NER) or UPOS/XPOS columns (POS).
    Conllu,
    /// `index word tag` lines (WikiANN).
    Wikiann,
    /// CoNLL04 JSON (tokens, BILOU tags, relations): `kith eval relations`.
    Conll04,
    /// KnowledgeNet JSON lines (passages and facts toward Wikidata): `kith eval relations`.
    Knowledgenet,
    /// re3d source folders (`documents.json`, `relations.json`): `kith eval relations`,
    /// pairs only.
    Re3d,
    /// Re-DocRED JSON (`dev_revised.json`): `kith eval relations`, facts between entities.
    Redocred,
    /// FewRel JSON (`val_wiki.json`): `kith eval relations`, the facts between each
    /// sentence's head and tail.
    Fewrel,
    /// CrossRE JSON lines (`news-dev.json`, ...): `kith eval relations`, pairs given the
    /// gold entities.
    Crossre,
    /// The ECB+ folder (`ECB+/<topic>/*.xml`, the sentence list): `kith eval identity`.
    Ecbplus,
}

#[derive(Args, Debug)]
pub struct EvalArgs {
    #[arg(value_enum)]
    pub task: TaskArg,
    /// Annotated files (or directories of .conllu files for GUM).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Input format (NER; POS always reads CoNLL-U).
    #[arg(long, value_enum, default_value = "conll")]
    pub format: EvalFormatArg,
    /// Model file (default: pos-en.kmodel / ner-en.kmodel in the models directory); for
    /// `eval relations`, the NER model of the pipeline.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Report CoNLL-2003 types (PER, ORG, LOC, MISC): Kith types are mapped back. Default
    /// with --format conll when the gold data has MISC-style types.
    #[arg(long)]
    pub conll_types: bool,
    /// Score only these entity types (repeatable), dropping others from gold and
    /// prediction alike: e.g. `--only Person --only Organization --only Location --only
    /// Event` on GUM, whose gold has no Other.
    #[arg(long = "only", value_name = "TYPE")]
    pub only: Vec<String>,
    /// Relations: also train a relation classifier on this CoNLL04 file (train) and score
    /// it, for measurement only (CoNLL04 is research-only; the classifier is never saved).
    #[arg(long, value_name = "FILE")]
    pub classifier_train: Option<PathBuf>,
    /// Relations: print each sentence's missed and spurious entities and relations first
    /// (of the rules, and of the classifier when one is trained; with `--format
    /// knowledgenet`, each passage's missed `-` and spurious `+` facts). NER: print each missed
    /// and spurious entity (of the `--only` types) first.
    #[arg(long)]
    pub show_errors: bool,
    /// NER: score the model alone, without the event-name rules the pipeline runs first.
    #[arg(long)]
    pub no_event_rules: bool,
    /// NER: also write every token with its gold and predicted BIO tags to FILE, one
    /// `word gold predicted` line a token, a blank line after each sentence and
    /// `-DOCSTART- O O` before each document (the layout of the CoNLL `conlleval` script).
    /// The tags are the ones scored: with `--only`, other types are O; whitespace inside a
    /// word is written as `_`.
    #[arg(long, value_name = "FILE")]
    pub predictions: Option<PathBuf>,
    /// Relations (KnowledgeNet): cross-validate the relation model over the files given,
    /// each scored by a model trained on the others.
    #[arg(long)]
    pub folds: bool,
    /// Relations with --folds: training epochs of each fold's model.
    #[arg(long)]
    pub epochs: Option<usize>,
    /// Relations with --folds: margin over "no relation" a predicate needs.
    #[arg(long)]
    pub threshold: Option<f32>,
    /// Relations with --folds (KnowledgeNet): add stand-ins for pronouns whose antecedent
    /// the passage lacks to the training passages (`train`) or to the scored ones too
    /// (`all`, counting facts joined to them as coreference would in the whole document).
    #[arg(long, value_name = "WHERE", value_parser = ["train", "all"])]
    pub pronoun_stand_ins: Option<String>,
    /// Relations with --folds (KnowledgeNet): FORMAT:FILE of data every fold's model is
    /// trained on too (`fewrel:../shared/data/fewrel/val_wiki.json`); repeatable.
    #[arg(long, value_name = "FORMAT:FILE")]
    pub train_also: Vec<String>,
    /// Relations (KnowledgeNet, re3d): score the subject-verb-object baseline on Kith's parser
    /// (no relation rules or model) instead of the pipeline.
    #[arg(long)]
    pub svo_baseline: bool,
    /// Parser: parse with the gold tags of the data instead of the POS model's.
    #[arg(long)]
    pub gold_pos: bool,
    /// Identity with --format ecbplus: the topics scored (`dev`: 2, 5, 12, 18, 21, 23, 34,
    /// 35; `train`: the others, for tuning; `all`).
    #[arg(long, default_value = "dev")]
    pub split: String,
    /// Identity: today's exact-name merge alone, without cross-document resolution.
    #[arg(long)]
    pub no_cross_document: bool,
    /// Identity: an alias file (as `kith build --aliases`) applied to every graph.
    #[arg(long, value_name = "FILE")]
    pub aliases: Option<PathBuf>,
    /// Parser: POS model giving the tags (default: pos-en.kmodel in the models directory).
    #[arg(long)]
    pub pos_model: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Text files (or any input `kith build` reads) to tag.
    #[arg(required = true)]
    pub inputs: Vec<String>,
    /// Directory holding pos-en.kmodel and ner-en.kmodel (default: the models directory).
    #[arg(long)]
    pub model_dir: Option<PathBuf>,
    /// Seconds of measurement per configuration (after one warm-up pass).
    #[arg(long, default_value_t = 3.0)]
    pub seconds: f64,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ModelsArgs {
    #[arg(long)]
    pub json: bool,
}
