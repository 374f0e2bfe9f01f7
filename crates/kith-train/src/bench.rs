//! `kith bench`: single-thread throughput of the tagging pipelines, in tokens per second.
//! This is the project's one benchmark (no criterion suite): build with `--release` and
//! run `kith bench data/samples` or any larger text.
//!
//! Each configuration (tokenization; + event names; + POS; + POS + parser, and the
//! parser's own rate derived from the two; + POS + NER; the full English pipeline) runs
//! once over all documents to warm up, then repeatedly for at least the seconds given;
//! the rate is tokens tagged divided by wall time, and also by the thread's CPU time: on
//! a machine shared with other work the wall-time rate drops whenever the thread waits
//! for a core, the CPU-time rate much less (caches are still shared), so it is the
//! steadier figure for comparing builds.

use crate::error::{Result, ResultExt};
use kith_ingest::RawDocument;
use kith_nlp::{
    DependencyParser, Doc, GazetteerTagger, NerTagger, Pipeline, PosTagger, Tokenizer,
    NER_MODEL_FILE, PARSER_MODEL_FILE, POS_MODEL_FILE,
};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One measured configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The configuration, e.g. `tokenize + pos`.
    pub name: String,
    /// Tokens per second of wall time.
    pub tokens_per_s: f64,
    /// Tokens per second of the thread's CPU time.
    pub tokens_per_cpu_s: f64,
    /// Passes over the documents measured.
    pub passes: usize,
    /// Derived from two measured rows rather than measured (the parser alone).
    pub derived: bool,
}

/// A model the benchmark loaded, and how long loading took.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The model file.
    pub path: PathBuf,
    /// Milliseconds to load it.
    pub load_ms: f64,
}

/// The models of a models directory, loaded for measurement.
pub struct Bench {
    dir: PathBuf,
    pos: Option<(PosTagger, Loaded)>,
    ner: Option<(NerTagger, Loaded)>,
    parser: Option<(DependencyParser, Loaded)>,
}

/// Tokens per second of wall time and of the thread's CPU time, and passes run.
struct Rate {
    wall: f64,
    cpu: f64,
    passes: usize,
}

fn measure(pipeline: &Pipeline, docs: &[RawDocument], seconds: f64) -> Rate {
    let run = || {
        let mut tokens = 0usize;
        for d in docs {
            let mut doc = Doc::new(d.id.clone(), d.text.clone(), d.source.clone());
            pipeline.run(&mut doc);
            tokens += doc.tokens.len();
        }
        tokens
    };
    run(); // warm-up
    let budget = Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let cpu = cpu_time::ThreadTime::now();
    let mut tokens = 0usize;
    let mut passes = 0usize;
    while passes < 1 || start.elapsed() < budget {
        tokens += run();
        passes += 1;
    }
    let cpu_s = cpu.elapsed().as_secs_f64().max(1e-9);
    Rate {
        wall: tokens as f64 / start.elapsed().as_secs_f64(),
        cpu: tokens as f64 / cpu_s,
        passes,
    }
}

/// Loads a model if its file is there, timing it.
fn load_timed<T>(
    path: PathBuf,
    load: impl Fn(&Path) -> Result<T, kith_nlp::ModelError>,
) -> Result<Option<(T, Loaded)>> {
    let started = Instant::now();
    let model = path.is_file().then(|| load(&path)).transpose()?;
    let load_ms = started.elapsed().as_secs_f64() * 1e3;
    Ok(model.map(|m| (m, Loaded { path, load_ms })))
}

impl Bench {
    /// Loads the POS, NER and parser models of `dir` that are there (timing each).
    pub fn load(dir: &Path) -> Result<Bench> {
        let pos = load_timed(dir.join(POS_MODEL_FILE), PosTagger::load)?;
        let ner = load_timed(dir.join(NER_MODEL_FILE), NerTagger::load)?;
        let parser = load_timed(dir.join(PARSER_MODEL_FILE), DependencyParser::load)?;
        Ok(Bench {
            dir: dir.to_path_buf(),
            pos,
            ner,
            parser,
        })
    }

    /// The POS model, if there is one.
    pub fn pos(&self) -> Option<&Loaded> {
        self.pos.as_ref().map(|(_, l)| l)
    }

    /// The NER model, if there is one.
    pub fn ner(&self) -> Option<&Loaded> {
        self.ner.as_ref().map(|(_, l)| l)
    }

    /// The parser model, if there is one.
    pub fn parser(&self) -> Option<&Loaded> {
        self.parser.as_ref().map(|(_, l)| l)
    }

    /// The configurations measured, in order, each a name and a pipeline.
    fn configurations(&self) -> Result<Vec<(String, Pipeline)>> {
        let mut configs: Vec<(String, Pipeline)> = vec![
            ("tokenize".into(), Pipeline::new().with(Tokenizer)),
            (
                "tokenize + event names".into(),
                Pipeline::new().with(Tokenizer).with(kith_nlp::EventNames),
            ),
        ];
        if let Some((tagger, _)) = &self.pos {
            let p = PosTagger::new(tagger.model().clone());
            configs.push((
                "tokenize + pos".into(),
                Pipeline::new().with(Tokenizer).with(p),
            ));
            if let Some((parser, _)) = &self.parser {
                let p = PosTagger::new(tagger.model().clone());
                let parser = DependencyParser::new(parser.model().clone());
                configs.push((
                    "tokenize + pos + parser".into(),
                    Pipeline::new().with(Tokenizer).with(p).with(parser),
                ));
            }
        }
        if let Some((n, _)) = &self.ner {
            let mut pl = Pipeline::new().with(Tokenizer);
            if let Some((p, _)) = &self.pos {
                pl = pl.with(PosTagger::new(p.model().clone()));
            }
            // The entity stack as the pipeline runs it: event-name rules, gazetteer, model.
            let name = if self.pos.is_some() {
                "tokenize + pos + events + gazetteer + ner"
            } else {
                "tokenize + events + gazetteer + ner"
            };
            configs.push((
                name.into(),
                pl.with(kith_nlp::EventNames)
                    .with(GazetteerTagger::default())
                    .with(n.clone()),
            ));
        }
        configs.push((
            "full pipeline".into(),
            kith_nlp::english_pipeline(&self.dir)
                .with_context(|| format!("cannot load the models in {}", self.dir.display()))?,
        ));
        Ok(configs)
    }

    /// Measures every configuration on `docs` for at least `seconds` each, handing each
    /// row to `on_row` as it is measured (the derived parser row right after the one it
    /// comes from), and returns the rows; `on_row` stops the run by breaking.
    pub fn run(
        &self,
        docs: &[RawDocument],
        seconds: f64,
        mut on_row: impl FnMut(&Row) -> ControlFlow<()>,
    ) -> Result<Vec<Row>> {
        let configs = self.configurations()?;
        let mut rows: Vec<Row> = Vec::new();
        for (name, pipeline) in &configs {
            let Rate { wall, cpu, passes } = measure(pipeline, docs, seconds);
            rows.push(Row {
                name: name.clone(),
                tokens_per_s: wall,
                tokens_per_cpu_s: cpu,
                passes,
                derived: false,
            });
            if on_row(rows.last().expect("just pushed")).is_break() {
                return Ok(rows);
            }
            // The parser's own rate, from the time it adds to tokenize + pos.
            if name == "tokenize + pos + parser" {
                if let Some(base) = rows
                    .iter()
                    .find(|r| r.name == "tokenize + pos")
                    .map(|r| (r.tokens_per_s, r.tokens_per_cpu_s))
                {
                    let derive =
                        |with: f64, without: f64| 1.0 / (1.0 / with - 1.0 / without).max(1e-12);
                    rows.push(Row {
                        name: "parser alone (derived)".into(),
                        tokens_per_s: derive(wall, base.0),
                        tokens_per_cpu_s: derive(cpu, base.1),
                        passes,
                        derived: true,
                    });
                    if on_row(rows.last().expect("just pushed")).is_break() {
                        return Ok(rows);
                    }
                }
            }
        }
        Ok(rows)
    }
}
