//! `kith build` and `kith extract`: documents in, facts out, in parallel.

use crate::cli::{BuildArgs, ExtractArgs, InputArgs, NerArg};
use crate::output::{progress_bar, RunSummary};
use anyhow::{Context, Result};
use kith_ingest::{Input, RawDocument};
use kith_nlp::{Doc, Pipeline};
use kith_schema::DocumentFacts;
use rayon::prelude::*;
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::ExitCode;

/// zstd's default level: on facts lines, about 7 times smaller at hundreds of MB/s.
const ZSTD_LEVEL: i32 = 3;

/// Documents processed together: enough to keep every core busy, few enough to stream.
const BATCH: usize = 256;

pub fn build(args: BuildArgs) -> Result<ExitCode> {
    let mut target = super::open_target(&args.target)?;
    let mut summary = RunSummary::default();
    for_each_document(&args.input, &mut summary, |facts, summary| {
        super::add_facts(&mut target, facts, summary)
    })?;
    super::save_target(&mut target, &summary, args.input.strict)
}

pub fn extract(args: ExtractArgs) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let sink = if args.compress {
        Sink::Zstd(
            zstd::Encoder::new(stdout.lock(), ZSTD_LEVEL)
                .context("cannot start zstd compression")?,
        )
    } else {
        Sink::Plain(stdout.lock())
    };
    let mut out = std::io::BufWriter::new(sink);
    let mut summary = RunSummary::default();
    for_each_document(&args.input, &mut summary, |facts, summary| {
        let compact = if args.compact {
            kith_schema::CompactFacts::from_facts(&facts)
        } else {
            None
        };
        match compact {
            Some(compact) => serde_json::to_writer(&mut out, &compact),
            None => serde_json::to_writer(&mut out, &facts),
        }
        .map_err(std::io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .context("cannot write to stdout")?;
        summary.added += 1;
        Ok(())
    })?;
    out.into_inner()
        .map_err(|e| e.into_error())
        .and_then(Sink::finish)
        .context("cannot write to stdout")?;
    summary.report();
    Ok(summary
        .failure(args.input.strict)
        .unwrap_or(ExitCode::SUCCESS))
}

/// Where `kith extract` writes: stdout as it is, or through zstd.
enum Sink<W: Write> {
    Plain(W),
    Zstd(zstd::Encoder<'static, W>),
}

impl<W: Write> Sink<W> {
    /// Ends the zstd frame, and flushes.
    fn finish(self) -> std::io::Result<()> {
        match self {
            Sink::Plain(mut w) => w.flush(),
            Sink::Zstd(encoder) => encoder.finish()?.flush(),
        }
    }
}

impl<W: Write> Write for Sink<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Plain(w) => w.write(buf),
            Sink::Zstd(w) => w.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Plain(w) => w.flush(),
            Sink::Zstd(w) => w.flush(),
        }
    }
}

/// Read, analyse and hand over every document in input order, recording what was skipped.
fn for_each_document(
    input: &InputArgs,
    summary: &mut RunSummary,
    mut consume: impl FnMut(DocumentFacts, &mut RunSummary) -> Result<()>,
) -> Result<()> {
    let pipeline = choose_pipeline(input)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(input.threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    let inputs: Vec<Input> = input.inputs.iter().map(|s| Input::parse(s)).collect();
    let progress = progress_bar();
    let mut documents = kith_ingest::read_inputs(&inputs);
    let mut texts = TextsById::default();
    loop {
        let mut batch = Vec::with_capacity(BATCH);
        for item in documents.by_ref() {
            match item {
                Ok(document) => match texts.conflict(&document) {
                    None => batch.push(document),
                    Some(conflict) => summary.skip(conflict),
                },
                Err(skipped) => summary.skip(skipped.to_string()),
            }
            if batch.len() == BATCH {
                break;
            }
        }
        if batch.is_empty() {
            break;
        }
        let results: Vec<Result<DocumentFacts, String>> = pool.install(|| {
            batch
                .into_par_iter()
                .map(|d| analyse(&pipeline, d))
                .collect()
        });
        for result in results {
            progress.inc(1);
            match result {
                Ok(facts) => consume(facts, summary)?,
                Err(reason) => summary.skip(reason),
            }
        }
    }
    progress.finish_and_clear();
    summary.ignored = documents.ignored();
    Ok(())
}

/// The text behind each document id given by the input (a JSON line's `id`), so that a
/// second document with the same id and another text is reported as a conflict rather
/// than dropped as already present. Ids that are hashes of the text need no record.
#[derive(Default)]
struct TextsById {
    seen: std::collections::HashMap<kith_schema::DocId, (kith_schema::DocId, String)>,
}

impl TextsById {
    fn conflict(&mut self, document: &RawDocument) -> Option<String> {
        let hash = kith_schema::DocId::from_content(&document.text);
        if hash == document.id {
            return None;
        }
        match self.seen.entry(document.id.clone()) {
            std::collections::hash_map::Entry::Vacant(entry) => {
                entry.insert((hash, document.source.clone()));
                None
            }
            std::collections::hash_map::Entry::Occupied(entry) if entry.get().0 != hash => Some(
                super::conflict(&document.source, &document.id, &entry.get().1),
            ),
            std::collections::hash_map::Entry::Occupied(_) => None,
        }
    }
}

/// The pipeline for `--ner`; without it, the models directory decides ([`super::pipeline`]).
fn choose_pipeline(input: &InputArgs) -> Result<Pipeline> {
    if input.model_dir.is_some() && input.ner != Some(NerArg::Transformer) {
        anyhow::bail!("--model-dir is the transformer model: use it with --ner transformer");
    }
    match input.ner {
        None => super::pipeline(),
        Some(NerArg::Rules) => Ok(kith_nlp::default_pipeline()),
        // The models (built in or --models) always hold the NER model: pipeline() refuses
        // a directory without it.
        Some(NerArg::Statistical) => super::pipeline(),
        Some(NerArg::Transformer) => transformer_pipeline(input.model_dir.as_deref()),
    }
}

/// Tokens, gazetteer, the transformer's entities, rule-based names for the rest, relations.
/// The model: `--model-dir`, else (feature `transformer-remote`) the hub's default CoNLL-03 BERT.
#[cfg(feature = "transformer")]
fn transformer_pipeline(dir: Option<&std::path::Path>) -> Result<Pipeline> {
    let ner = match dir {
        Some(dir) => kith_transformer::TransformerNer::load(dir)?,
        None => default_transformer()?,
    };
    Ok(kith_transformer::transformer_pipeline(ner))
}

#[cfg(feature = "transformer-remote")]
fn default_transformer() -> Result<kith_transformer::TransformerNer> {
    eprintln!(
        "kith: no --model-dir: loading the default transformer model {} from the model hub (downloaded once into rust-bert's cache, about 1.3 GB)",
        kith_transformer::DEFAULT_MODEL
    );
    Ok(kith_transformer::TransformerNer::load_default()?)
}

#[cfg(all(feature = "transformer", not(feature = "transformer-remote")))]
fn default_transformer() -> Result<kith_transformer::TransformerNer> {
    anyhow::bail!(
        "--ner transformer needs --model-dir DIR (rust_model.ot or model.safetensors, config.json, vocab.txt); \
         a kith built with the `transformer-remote` feature fetches the default CoNLL-03 model ({}) from the model hub instead",
        kith_transformer::DEFAULT_MODEL
    )
}

#[cfg(not(feature = "transformer"))]
fn transformer_pipeline(_dir: Option<&std::path::Path>) -> Result<Pipeline> {
    anyhow::bail!("this kith was built without the transformer feature; see docs/transformer.md")
}

/// Run the pipeline on one document. A panic in a component is a bug, but it must cost
/// only that document, so it is caught and reported as a skip.
fn analyse(pipeline: &Pipeline, raw: RawDocument) -> Result<DocumentFacts, String> {
    let source = raw.source.clone();
    let id = raw.id.clone();
    catch_unwind(AssertUnwindSafe(|| {
        let mut doc = Doc::new(raw.id, raw.text, raw.source);
        doc.title = raw.title;
        doc.url = raw.url;
        doc.published = raw.published;
        pipeline.extract(&mut doc)
    }))
    .map_err(|_| {
        format!("{source}: internal error while analysing document {id}; please report it")
    })
}
