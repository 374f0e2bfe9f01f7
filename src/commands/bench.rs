//! `kith bench FILE...`: single-thread throughput of the tagging pipelines, in tokens per
//! second. This is the project's one benchmark (no criterion suite): build with
//! `--release` and run `kith bench data/samples` or any larger text.
//!
//! Each configuration (tokenization; + event names; + POS; + POS + parser, and the parser's own rate
//! derived from the two; + POS + NER; the full English pipeline) runs
//! once over all documents to warm up, then repeatedly for at least `--seconds`; the rate
//! is tokens tagged divided by wall time, and also by the thread's CPU time: on a machine
//! shared with other work the wall-time rate drops whenever the thread waits for a core,
//! the CPU-time rate much less (caches are still shared), so it is the steadier figure
//! for comparing builds.

use crate::cli::BenchArgs;
use anyhow::{bail, Context, Result};
use kith_ingest::Input;
use kith_nlp::{
    DependencyParser, Doc, GazetteerTagger, NerTagger, Pipeline, PosTagger, Tokenizer,
    NER_MODEL_FILE, PARSER_MODEL_FILE, POS_MODEL_FILE,
};
use std::process::ExitCode;

use std::time::{Duration, Instant};

struct Row {
    name: String,
    tokens_per_s: f64,
    tokens_per_cpu_s: f64,
    passes: usize,
}

/// Tokens per second of wall time and of the thread's CPU time, and passes run.
struct Rate {
    wall: f64,
    cpu: f64,
    passes: usize,
}

fn measure(pipeline: &Pipeline, docs: &[kith_ingest::RawDocument], seconds: f64) -> Rate {
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

pub fn bench(args: BenchArgs) -> Result<ExitCode> {
    let inputs: Vec<Input> = args.inputs.iter().map(|s| Input::parse(s)).collect();
    let mut docs = Vec::new();
    for item in kith_ingest::read_inputs(&inputs) {
        match item {
            Ok(d) => docs.push(d),
            Err(skip) => eprintln!("kith: skipped {skip}"),
        }
    }
    if docs.is_empty() {
        bail!("no documents to benchmark");
    }
    let dir = args.model_dir.clone().unwrap_or_else(super::models_dir);
    let pos_path = dir.join(POS_MODEL_FILE);
    let ner_path = dir.join(NER_MODEL_FILE);
    let load = Instant::now();
    let pos = pos_path
        .is_file()
        .then(|| PosTagger::load(&pos_path))
        .transpose()?;
    let pos_ms = load.elapsed().as_secs_f64() * 1e3;
    let load = Instant::now();
    let ner = ner_path
        .is_file()
        .then(|| NerTagger::load(&ner_path))
        .transpose()?;
    let ner_ms = load.elapsed().as_secs_f64() * 1e3;
    let parser_path = dir.join(PARSER_MODEL_FILE);
    let load = Instant::now();
    let parser = parser_path
        .is_file()
        .then(|| DependencyParser::load(&parser_path))
        .transpose()?;
    let parser_ms = load.elapsed().as_secs_f64() * 1e3;
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    eprintln!(
        "kith: {} documents, {:.1} MB, single thread, {} s per configuration",
        docs.len(),
        bytes as f64 / 1e6,
        args.seconds
    );
    if cfg!(debug_assertions) {
        eprintln!("kith: warning: debug build; measure with `cargo run --release -- bench`");
    }

    let mut configs: Vec<(String, Pipeline)> = vec![
        ("tokenize".into(), Pipeline::new().with(Tokenizer)),
        (
            "tokenize + event names".into(),
            Pipeline::new().with(Tokenizer).with(kith_nlp::EventNames),
        ),
    ];
    if let Some(tagger) = &pos {
        let p = PosTagger::new(tagger.model().clone());
        configs.push((
            "tokenize + pos".into(),
            Pipeline::new().with(Tokenizer).with(p),
        ));
        if let Some(parser) = &parser {
            let p = PosTagger::new(tagger.model().clone());
            let parser = DependencyParser::new(parser.model().clone());
            configs.push((
                "tokenize + pos + parser".into(),
                Pipeline::new().with(Tokenizer).with(p).with(parser),
            ));
        }
    }
    if let Some(n) = &ner {
        let mut pl = Pipeline::new().with(Tokenizer);
        if let Some(p) = &pos {
            pl = pl.with(PosTagger::new(p.model().clone()));
        }
        // The entity stack as the pipeline runs it: event-name rules, gazetteer, model.
        let name = if pos.is_some() {
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
        kith_nlp::english_pipeline(&dir)
            .with_context(|| format!("cannot load the models in {}", dir.display()))?,
    ));

    let mut rows = Vec::new();
    for (name, pipeline) in &configs {
        let Rate { wall, cpu, passes } = measure(pipeline, &docs, args.seconds);
        rows.push(Row {
            name: name.clone(),
            tokens_per_s: wall,
            tokens_per_cpu_s: cpu,
            passes,
        });
        if !args.json {
            out!("{name:<42} {wall:>10.0} tokens/s {cpu:>10.0} per CPU s  ({passes} passes)");
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
                let (alone, alone_cpu) = (derive(wall, base.0), derive(cpu, base.1));
                rows.push(Row {
                    name: "parser alone (derived)".into(),
                    tokens_per_s: alone,
                    tokens_per_cpu_s: alone_cpu,
                    passes,
                });
                if !args.json {
                    out!(
                        "{:<42} {alone:>10.0} tokens/s {alone_cpu:>10.0} per CPU s",
                        "parser alone (derived)"
                    );
                }
            }
        }
    }
    if args.json {
        let v = serde_json::json!({
            "documents": docs.len(),
            "bytes": bytes,
            "pos_model": pos.as_ref().map(|_| pos_path.display().to_string()),
            "ner_model": ner.as_ref().map(|_| ner_path.display().to_string()),
            "pos_load_ms": pos.as_ref().map(|_| pos_ms),
            "ner_load_ms": ner.as_ref().map(|_| ner_ms),
            "parser_model": parser.as_ref().map(|_| parser_path.display().to_string()),
            "parser_load_ms": parser.as_ref().map(|_| parser_ms),
            "release": !cfg!(debug_assertions),
            "results": rows.iter().map(|r| serde_json::json!({"pipeline": r.name, "tokens_per_s": r.tokens_per_s.round(), "tokens_per_cpu_s": r.tokens_per_cpu_s.round(), "passes": r.passes})).collect::<Vec<_>>(),
        });
        out!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        if pos.is_some() {
            out!("pos model load {pos_ms:.0} ms");
        }
        if ner.is_some() {
            out!("ner model load {ner_ms:.0} ms");
        }
        if parser.is_some() {
            out!("parser model load {parser_ms:.0} ms");
        }
    }
    Ok(ExitCode::SUCCESS)
}
