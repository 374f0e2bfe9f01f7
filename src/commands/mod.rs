//! One module per subcommand; each turns parsed arguments into a library call (training
//! and evaluation: `kith_train`) and prints its result.

/// Prints a line on stdout; a closed pipe (`| head`) ends output quietly instead of
/// panicking. Used by commands whose output is often piped (`bench`, `eval`).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(ExitCode::SUCCESS);
            }
            return Err(anyhow::Error::from(e).context("cannot write to stdout"));
        }
    }};
}

mod bench;
mod build;
mod eval;
mod eval_coref;
mod eval_identity;
mod eval_parser;
mod eval_redocred;
mod eval_relations;
mod eval_sentences;
mod explain;
mod export;
mod merge;
mod models;
mod query;
mod relation_model;
mod remove;
mod train;

use crate::cli::{Cli, Command, GraphTargetArgs};
use crate::output::{one_line, plural, RunSummary};
use anyhow::{Context, Result};
use kith_graph::{AddOutcome, GraphOptions, GraphStore, KnowledgeGraph};
use kith_schema::DocumentFacts;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `--models DIR`, when given.
static MODELS_DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
/// `--rules-only`: build without models, knowingly.
static RULES_ONLY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
/// `--as-stored`: graphs read without identity resolution.
static AS_STORED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A models directory named by the user: `--models`, else `$KITH_MODELS` (when set and not
/// empty), with the option that named it; `None` means the models built into the binary.
pub(crate) fn models_dir() -> Option<(PathBuf, &'static str)> {
    if let Some(dir) = MODELS_DIR.get() {
        return Some((dir.clone(), "--models"));
    }
    std::env::var_os("KITH_MODELS")
        .filter(|v| !v.is_empty())
        .map(|v| (v.into(), "KITH_MODELS"))
}

/// The models directory of the developer commands (`eval`, `bench`), which read model
/// files by path: the user's ([`models_dir`]), else the source tree's `models/` (these
/// commands score and time models being trained in a checkout; `build` does not use it).
pub(crate) fn dev_models_dir() -> PathBuf {
    models_dir()
        .map(|(dir, _)| dir)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("models"))
}

/// The pipeline `build` and `extract` run: with `--rules-only`, rules and gazetteers;
/// else every model of the user's models directory ([`models_dir`]) or, without one, the
/// models built into the binary (`kith-models`). A directory lacking a model is an error
/// naming it, never a quiet fallback to a weaker pipeline.
pub(crate) fn pipeline() -> Result<kith_nlp::Pipeline> {
    if RULES_ONLY.load(std::sync::atomic::Ordering::Relaxed) {
        eprintln!("kith: --rules-only: no models; entities from gazetteers and capitalisation rules, relations from rules");
        return Ok(kith_nlp::default_pipeline());
    }
    let Some((dir, from)) = models_dir() else {
        return kith_nlp::english_pipeline_from_bytes(Path::new("<built-in models>"), |f| {
            kith_models::embedded(f)
        })
        .context("cannot load the models built into kith");
    };
    let missing: Vec<&str> = kith_models::MODELS
        .iter()
        .map(|m| m.file)
        .filter(|f| !dir.join(f).is_file())
        .collect();
    if !missing.is_empty() {
        let all: Vec<&str> = kith_models::MODELS.iter().map(|m| m.file).collect();
        anyhow::bail!(
            "the models directory {} (from {from}) lacks {}; point {from} at a directory \
             holding {}, leave --models and KITH_MODELS unset to use the models built into \
             kith, or pass --rules-only to build with rules and gazetteers only (fewer and \
             worse entities and relations)",
            dir.display(),
            missing.join(", "),
            all.join(", ")
        );
    }
    kith_nlp::english_pipeline(&dir)
        .with_context(|| format!("cannot load the models in {} (from {from})", dir.display()))
}

/// The pipeline that analyses text for training and cross-validating the relation model:
/// [`pipeline`]'s models but the relation model, which is never read, so that a model of
/// older feature templates does not stop its own retraining.
pub(crate) fn analysis_pipeline() -> Result<kith_nlp::Pipeline> {
    const RELATIONS: &str = kith_nlp::RELATION_MODEL_FILE;
    let Some((dir, from)) = models_dir() else {
        return kith_nlp::english_pipeline_from_bytes(Path::new("<built-in models>"), |f| {
            (f != RELATIONS).then(|| kith_models::embedded(f)).flatten()
        })
        .context("cannot load the models built into kith");
    };
    let mut files = std::collections::BTreeMap::new();
    for m in kith_models::MODELS.iter().filter(|m| m.file != RELATIONS) {
        let path = dir.join(m.file);
        let bytes = std::fs::read(&path)
            .with_context(|| format!("cannot read {} (models from {from})", path.display()))?;
        files.insert(m.file, bytes);
    }
    kith_nlp::english_pipeline_from_bytes(&dir, |f| files.get(f).map(|b| b.as_slice()))
        .with_context(|| format!("cannot load the models in {} (from {from})", dir.display()))
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    if let Some(dir) = cli.models {
        let _ = MODELS_DIR.set(dir);
    }
    RULES_ONLY.store(cli.rules_only, std::sync::atomic::Ordering::Relaxed);
    AS_STORED.store(cli.as_stored, std::sync::atomic::Ordering::Relaxed);
    match cli.command {
        Command::Train(args) => train::train(args),
        Command::Eval(args) => eval::eval(args),
        Command::Bench(args) => bench::bench(args),
        Command::Models(args) => models::models(args),
        Command::Build(args) => build::build(args),
        Command::Extract(args) => build::extract(args),
        Command::Merge(args) => merge::merge(args),
        Command::Remove(args) => remove::remove(args),
        Command::Neighbors(args) => query::neighbors(args),
        Command::Path(args) => query::path(args),
        Command::Stats(args) => query::stats(args),
        Command::Explain(args) => explain::explain(args),
        Command::Export(args) => export::export(args),
        Command::Render(args) => export::render(args),
    }
}

/// The whole graph in a graph file, JSON or store, as stored: the exact-key union of its
/// documents, what `build --into` and `merge` add to (exports read [`load_view`]).
pub(crate) fn load_graph(path: &Path) -> Result<KnowledgeGraph> {
    let graph = if kith_graph::store::is_store(path) {
        GraphStore::open(path).and_then(|store| store.load())
    } else {
        KnowledgeGraph::load(path)
    };
    // The graph error names the file; it is one line, so escaping it whole escapes a line
    // break or terminal escape in that name (main keeps the line breaks of messages).
    graph.map_err(|e| anyhow::anyhow!("cannot read graph {}", one_line(&e.to_string())))
}

/// A graph file opened for queries: a JSON graph is read whole, identities resolved
/// ([`load_view`]); a store is only opened (queries then read what they need from it, as
/// stored: cross-document resolution does not run on stores yet).
pub(crate) enum Opened {
    Json(KnowledgeGraph),
    Store(GraphStore),
}

pub(crate) fn open_graph(path: &Path) -> Result<Opened> {
    if kith_graph::store::is_store(path) {
        let mut store = GraphStore::open(path)
            .with_context(|| format!("cannot read graph {}", path.display()))?;
        store.set_busy_timeout(busy_timeout())?;
        Ok(Opened::Store(store))
    } else {
        Ok(Opened::Json(load_view(path)?))
    }
}

/// How long a store write waits for another writer: `$KITH_BUSY_TIMEOUT` seconds, else
/// [`kith_graph::store::DEFAULT_BUSY_TIMEOUT`].
pub(crate) fn busy_timeout() -> std::time::Duration {
    std::env::var("KITH_BUSY_TIMEOUT")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(std::time::Duration::from_secs_f64)
        .unwrap_or(kith_graph::store::DEFAULT_BUSY_TIMEOUT)
}

/// Whether `build`/`merge` write `path` as a store: an existing file keeps its format (a
/// store stays a store, a JSON graph stays JSON); a new one is JSON when its name ends in
/// `.json`, a store otherwise (`.kith`, `.db`, ...).
pub(crate) fn writes_store(path: &Path) -> bool {
    if kith_graph::store::is_store(path) {
        return true;
    }
    if let Ok(file) = std::fs::File::open(path) {
        if kith_graph::file::sniff_format(std::io::BufReader::new(file)).is_some() {
            return false;
        }
    }
    !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// What a `build` or `merge` adds documents to and writes.
pub(crate) struct Target {
    /// The `--into` store, when documents are added to a store: then `graph` holds only
    /// what is added, and writing applies it to the store in one transaction.
    base: Option<GraphStore>,
    /// Everything to write, or (with `base` or `sink`) what is still to be added.
    pub(crate) graph: KnowledgeGraph,
    output: std::path::PathBuf,
    /// Whether the output is a store.
    store: bool,
    /// Whether the output is the `--into` store itself.
    in_place: bool,
    /// Where documents already moved out of `graph` went.
    sink: Sink,
    /// The `--into` JSON graph's writer lock, held from reading it to writing it back.
    _lock: Option<std::fs::File>,
    /// `--keep-both`: a changed source adds a document instead of replacing its old one.
    keep_both: bool,
    /// Documents of the `--into` store replaced by this run, taken out (in the run's
    /// transaction) before what is held in memory is added.
    replaced: Vec<kith_schema::DocId>,
    /// The documents of the `--into` JSON graph by source, as read: the documents a
    /// changed source replaces (documents of this run are never replaced).
    sources: std::collections::HashMap<String, Vec<kith_schema::DocId>>,
}

/// Large runs into a store move their documents out of memory every [`flush_documents`]:
/// into the `--into` store inside one transaction left open until the end (so the run
/// is still atomic, but holds the write lock from the first move on), or into the new
/// store's temporary file.
enum Sink {
    Nothing,
    InPlace,
    New(kith_graph::store::NewStore),
}

/// How many documents a run into a store holds in memory before moving them to the store:
/// `$KITH_STORE_BATCH`, else 10,000.
fn flush_documents() -> usize {
    static BATCH: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *BATCH.get_or_init(|| {
        std::env::var("KITH_STORE_BATCH")
            .ok()
            .and_then(|s| s.parse().ok())
            .filter(|n| *n > 0)
            .unwrap_or(10_000)
    })
}

/// The graph as queries and exports read it: identities resolved across documents with
/// the settings stored in it (`kith_graph::identity`).
pub(crate) fn load_view(path: &Path) -> Result<KnowledgeGraph> {
    let graph = load_graph(path)?;
    if AS_STORED.load(std::sync::atomic::Ordering::Relaxed) {
        return Ok(graph);
    }
    Ok(graph.resolved())
}

/// Whether `--as-stored` asks for graphs without identity resolution.
pub(crate) fn reads_as_stored() -> bool {
    AS_STORED.load(std::sync::atomic::Ordering::Relaxed)
}

/// The alias table of `--aliases FILE`, or an empty one.
pub(crate) fn read_aliases(path: Option<&Path>) -> Result<kith_graph::identity::AliasTable> {
    let Some(path) = path else {
        return Ok(Default::default());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read alias file {}", path.display()))?;
    Ok(kith_graph::identity::AliasTable::parse(
        &text,
        &path.display().to_string(),
    )?)
}

/// The graph a `build` or `merge` adds to: the one at `into`, or a new one.
pub(crate) fn open_target(target: &GraphTargetArgs) -> Result<Target> {
    let output = target.output_path().to_path_buf();
    let store = writes_store(&output);
    if store && (target.aliases.is_some() || target.no_cross_document) {
        anyhow::bail!(
            "{}: --aliases and --no-cross-document are kept in JSON graph files only so far; \
             write a .json graph to use them",
            output.display()
        );
    }
    // A JSON graph is rewritten whole: its writers take turns, or the later one would
    // write back the graph without the earlier one's documents.
    let lock = match &target.into {
        Some(path) if !kith_graph::store::is_store(path) => Some(lock_json_graph(path)?),
        _ => None,
    };
    // A run killed while writing (SIGKILL cannot be caught) left its temporary file; the
    // next write beside it removes it.
    let dir = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    for stale in kith_graph::file::remove_stale_temporaries(dir) {
        eprintln!(
            "kith: removed {}, left by a killed run",
            one_line(&stale.display().to_string())
        );
    }
    let (base, mut graph) = match &target.into {
        Some(path) if store && kith_graph::store::is_store(path) => {
            let mut base = GraphStore::open(path)
                .with_context(|| format!("cannot read graph {}", path.display()))?;
            base.set_busy_timeout(busy_timeout())?;
            let graph = KnowledgeGraph::with_producer(base.options()?, base.producer()?);
            (Some(base), graph)
        }
        Some(path) if path.exists() => (None, load_graph(path)?),
        // A graph that does not exist yet is started, so one command line serves the
        // first run and every later one.
        _ => (
            None,
            KnowledgeGraph::new(GraphOptions {
                cooccurrence: target.cooccurrence,
            }),
        ),
    };
    let aliases = read_aliases(target.aliases.as_deref())?;
    graph.set_identity(target.no_cross_document.then_some(false), &aliases);
    if target.cooccurrence && !graph.options().cooccurrence {
        anyhow::bail!(
            "{} was built without --cooccurrence; rebuild it to add co-occurrence edges",
            output.display()
        );
    }
    let mut sources: std::collections::HashMap<String, Vec<kith_schema::DocId>> =
        Default::default();
    if base.is_none() {
        for d in graph.documents() {
            sources
                .entry(d.source.clone())
                .or_default()
                .push(d.id.clone());
        }
    }
    let in_place = base
        .as_ref()
        .is_some_and(|base| same_file(base.path(), &output));
    Ok(Target {
        base,
        graph,
        output,
        store,
        in_place,
        sink: Sink::Nothing,
        _lock: lock,
        keep_both: target.keep_both,
        replaced: Vec::new(),
        sources,
    })
}

/// An exclusive lock on `GRAPH.lock` beside a JSON graph, waited for when another writer
/// holds it. The lock file stays: removing it could let a third writer lock a new file
/// while the second still holds the old one.
pub(crate) fn lock_json_graph(graph: &Path) -> Result<std::fs::File> {
    let mut name = graph.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    let path = graph.with_file_name(name);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot create the lock file {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!(
                "kith: {} is being written by another process; waiting for it",
                graph.display()
            );
            file.lock()
                .with_context(|| format!("cannot lock {}", path.display()))?;
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("cannot lock {}", path.display()));
        }
    }
    Ok(file)
}

impl Target {
    /// The record of a document with this id, in the graph or the store added to.
    fn document(&self, id: &kith_schema::DocId) -> Result<Option<kith_schema::DocumentInfo>> {
        if let Some(known) = self.graph.document(id) {
            return Ok(Some(known.clone()));
        }
        if let Sink::New(new) = &self.sink {
            if let Some(known) = new.get().document(id)? {
                return Ok(Some(known));
            }
        }
        match &self.base {
            Some(base) => Ok(base.document(id)?),
            None => Ok(None),
        }
    }

    /// Move the documents held in memory to the store once there are enough of them.
    pub(crate) fn flush_if_large(&mut self) -> Result<()> {
        if !self.store || self.graph.documents().len() < flush_documents() {
            return Ok(());
        }
        let cannot = || format!("cannot write {}", self.output.display());
        if let Sink::Nothing = self.sink {
            self.sink = match &mut self.base {
                Some(base) if self.in_place => {
                    base.begin().with_context(cannot)?;
                    Sink::InPlace
                }
                Some(base) => Sink::New(base.copy_to(&self.output).with_context(cannot)?),
                None => Sink::New(
                    kith_graph::store::NewStore::create(&self.output, self.graph.options())
                        .with_context(cannot)?,
                ),
            };
        }
        let empty = KnowledgeGraph::with_producer(
            self.graph.options(),
            self.graph.producer().map(str::to_string),
        );
        let part = std::mem::replace(&mut self.graph, empty);
        let replaced = std::mem::take(&mut self.replaced);
        let store = match (&mut self.sink, &mut self.base) {
            (Sink::InPlace, Some(base)) => base,
            (Sink::New(new), _) => new.store(),
            _ => unreachable!("a sink was chosen above"),
        };
        if !replaced.is_empty() {
            store.remove_documents(&replaced).with_context(cannot)?;
        }
        store.merge(&part).with_context(cannot)?;
        Ok(())
    }

    /// The documents a new one replaces: with an id of its own (a JSON line's `id`), the
    /// document with that id if its record differs; else those with its source (never
    /// stdin's) and another id. Documents added before units existed are kept, with a
    /// warning. Nothing when `--keep-both`.
    fn replaced_by(
        &self,
        new: &kith_schema::DocumentInfo,
    ) -> Result<Vec<kith_schema::DocumentInfo>> {
        if self.keep_both {
            return Ok(Vec::new());
        }
        let found: Vec<kith_schema::DocumentInfo> = if !is_content_id(&new.id) {
            match self.document(&new.id)? {
                Some(old) if !same_document(&old, new) => vec![old],
                _ => Vec::new(),
            }
        } else if new.source == "-" || new.source.starts_with("-:") {
            Vec::new()
        } else {
            // Documents of this run are never replaced (a source read twice in one run
            // is one text); only those the graph had before.
            let mut found: Vec<kith_schema::DocumentInfo> = match &self.base {
                Some(base) => base.documents_with_source(&new.source)?,
                None => self
                    .sources
                    .get(&new.source)
                    .into_iter()
                    .flatten()
                    .filter_map(|id| self.graph.document(id).cloned())
                    .collect(),
            };
            found.retain(|old| old.id != new.id && is_content_id(&old.id));
            found
        };
        let mut units = Vec::new();
        for old in found {
            let unit = match &self.base {
                Some(base) => base.is_unit(&old.id)?,
                None => self.graph.is_unit(&old.id),
            };
            if unit {
                units.push(old);
            } else {
                eprintln!(
                    "kith: {}: keeping document {} beside the new one: it was added before Kith kept documents as units; rebuild the graph to replace it",
                    one_line(&old.source),
                    one_line(old.id.as_str())
                );
            }
        }
        Ok(units)
    }

    /// Take replaced documents out: at once from a graph held whole, else when the
    /// store is written (before what is held in memory is added).
    fn replace(&mut self, old: Vec<kith_schema::DocumentInfo>) -> Result<()> {
        let ids: Vec<kith_schema::DocId> = old.into_iter().map(|d| d.id).collect();
        if self.base.is_some() {
            self.replaced.extend(ids);
            return Ok(());
        }
        self.graph
            .remove_documents(&ids)
            .with_context(|| format!("cannot replace documents in {}", self.output.display()))?;
        Ok(())
    }
}

/// Add one document's facts; facts with values no document can have are skipped, facts
/// from another producer stop the run (all documents after them would be refused too).
pub(crate) fn add_facts(
    target: &mut Target,
    facts: DocumentFacts,
    summary: &mut RunSummary,
) -> Result<()> {
    if let Err(problem) = facts.check() {
        summary.skip(format!("{}: {problem}", facts.document.source));
        return Ok(());
    }
    let replaced = target.replaced_by(&facts.document)?;
    let same_id = replaced.iter().any(|old| old.id == facts.document.id);
    if !replaced.is_empty() {
        summary.replaced.push(facts.document.source.clone());
        target.replace(replaced)?;
    }
    if same_id {
        // The old document with this id goes; the new one is added below.
    } else if let Some(known) = target.document(&facts.document.id)? {
        if !same_document(&known, &facts.document) {
            let (source, id) = (&facts.document.source, &facts.document.id);
            summary.skip(conflict(source, id, &known.source));
            return Ok(());
        }
        if target.graph.document(&facts.document.id).is_none() {
            // In the store already; refused all the same if another producer made it.
            if let Some(ours) = target.graph.producer() {
                if ours != facts.producer {
                    return Err(kith_graph::GraphError::ProducerMismatch {
                        expected: ours.to_string(),
                        found: facts.producer.clone(),
                    })
                    .with_context(|| format!("document {}", facts.document.id));
                }
            }
            summary.already_present += 1;
            return Ok(());
        }
    }
    let id = facts.document.id.clone();
    match target
        .graph
        .add_document(facts)
        .with_context(|| format!("document {id}"))?
    {
        AddOutcome::Added => summary.added += 1,
        AddOutcome::AlreadyPresent => summary.already_present += 1,
    }
    target.flush_if_large()
}

/// Whether a document id is the hash of its text (`DocId::from_content`), not an id the
/// input gave (a JSON line's `id`).
fn is_content_id(id: &kith_schema::DocId) -> bool {
    id.as_str()
        .strip_prefix("sha256:")
        .is_some_and(|hex| hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether two records of a document with one id describe the same text (wherever it
/// was read from).
fn same_document(a: &kith_schema::DocumentInfo, b: &kith_schema::DocumentInfo) -> bool {
    (&a.title, &a.url, &a.published, a.chars, a.sentences)
        == (&b.title, &b.url, &b.published, b.chars, b.sentences)
}

/// The skip message of a document whose id is already another document's.
pub(crate) fn conflict(source: &str, id: &kith_schema::DocId, first: &str) -> String {
    format!(
        "{source}: conflict: document id {:?} is already the document at {first}, with another text",
        id.as_str()
    )
}

/// Report the run, then write the graph unless the run failed: a JSON graph file through a
/// temporary file and a rename; a store in place in one transaction (`--into` it), or
/// as a new file through a temporary file and a rename.
pub(crate) fn save_target(
    target: &mut Target,
    summary: &RunSummary,
    strict: bool,
) -> Result<ExitCode> {
    summary.report();
    if let Some(code) = summary.failure(strict) {
        eprintln!("kith: graph not written");
        return Ok(code);
    }
    let output = &target.output;
    let cannot = || format!("cannot write {}", output.display());
    let (documents, entities, relations) = if !target.store {
        target.graph.save(output).with_context(cannot)?;
        (
            target.graph.documents().len(),
            target.graph.entities().len(),
            target.graph.relations().len(),
        )
    } else {
        let sink = std::mem::replace(&mut target.sink, Sink::Nothing);
        let replaced = std::mem::take(&mut target.replaced);
        // Replaced documents go first, in the same transaction as what replaces them.
        let remove = |store: &mut GraphStore| -> Result<()> {
            if !replaced.is_empty() {
                store.remove_documents(&replaced).with_context(cannot)?;
            }
            Ok(())
        };
        match (sink, &mut target.base) {
            (Sink::InPlace, Some(base)) => {
                remove(base)?;
                base.merge(&target.graph).with_context(cannot)?;
                base.commit().with_context(cannot)?;
                base.counts()?
            }
            (Sink::New(mut new), _) => {
                remove(new.store())?;
                new.store().merge(&target.graph).with_context(cannot)?;
                new.finish().with_context(cannot)?;
                GraphStore::open(output)?.counts()?
            }
            (_, Some(base)) if target.in_place => {
                base.begin().with_context(cannot)?;
                remove(base)?;
                base.merge(&target.graph).with_context(cannot)?;
                base.commit().with_context(cannot)?;
                base.counts()?
            }
            (_, Some(base)) => {
                let mut new = base.copy_to(output).with_context(cannot)?;
                remove(new.store())?;
                new.store().merge(&target.graph).with_context(cannot)?;
                new.finish().with_context(cannot)?;
                GraphStore::open(output)?.counts()?
            }
            (_, None) => {
                GraphStore::save_new(&target.graph, output).with_context(cannot)?;
                GraphStore::open(output)?.counts()?
            }
        }
    };
    eprintln!(
        "kith: wrote {} ({}, {}, {})",
        output.display(),
        plural(documents, "document", "documents"),
        plural(entities, "entity", "entities"),
        plural(relations, "relation", "relations")
    );
    Ok(ExitCode::SUCCESS)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
