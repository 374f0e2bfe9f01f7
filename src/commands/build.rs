//! `kith build` and `kith extract`: documents in, facts out, in parallel.

use crate::cli::{BuildArgs, ExtractArgs, InputArgs};
use crate::output::{progress_bar, RunSummary};
use anyhow::{Context, Result};
use kith_ingest::{Input, RawDocument};
use kith_nlp::{Doc, Pipeline};
use kith_schema::DocumentFacts;
use rayon::prelude::*;
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::ExitCode;

/// Documents processed together: enough to keep every core busy, few enough to stream.
const BATCH: usize = 256;

pub fn build(args: BuildArgs) -> Result<ExitCode> {
    let output = args.output.clone().or_else(|| args.into.clone()).expect("clap requires -o or --into");
    let mut graph = super::open_target(args.into.as_deref(), &output, args.cooccurrence)?;
    let mut summary = RunSummary::default();
    for_each_document(&args.input, &mut summary, |facts, summary| super::add_facts(&mut graph, facts, summary))?;
    super::save_target(&graph, &output, &summary, args.input.strict)
}

pub fn extract(args: ExtractArgs) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut summary = RunSummary::default();
    for_each_document(&args.input, &mut summary, |facts, summary| {
        serde_json::to_writer(&mut out, &facts)
            .map_err(std::io::Error::from)
            .and_then(|()| out.write_all(b"\n"))
            .context("cannot write to stdout")?;
        summary.added += 1;
        Ok(())
    })?;
    out.flush().context("cannot write to stdout")?;
    summary.report();
    Ok(summary.failure(args.input.strict).unwrap_or(ExitCode::SUCCESS))
}

/// Read, analyse and hand over every document in input order, recording what was skipped.
fn for_each_document(
    input: &InputArgs,
    summary: &mut RunSummary,
    mut consume: impl FnMut(DocumentFacts, &mut RunSummary) -> Result<()>,
) -> Result<()> {
    let pipeline = kith_nlp::default_pipeline();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(input.threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    let inputs: Vec<Input> = input.inputs.iter().map(|s| Input::parse(s)).collect();
    let progress = progress_bar();
    let mut documents = kith_ingest::read_inputs(&inputs);
    loop {
        let mut batch = Vec::with_capacity(BATCH);
        for item in documents.by_ref() {
            match item {
                Ok(document) => batch.push(document),
                Err(skipped) => summary.skip(skipped.to_string()),
            }
            if batch.len() == BATCH {
                break;
            }
        }
        if batch.is_empty() {
            break;
        }
        let results: Vec<Result<DocumentFacts, String>> =
            pool.install(|| batch.into_par_iter().map(|d| analyse(&pipeline, d)).collect());
        for result in results {
            progress.inc(1);
            match result {
                Ok(facts) => consume(facts, summary)?,
                Err(reason) => summary.skip(reason),
            }
        }
    }
    progress.finish_and_clear();
    Ok(())
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
    .map_err(|_| format!("{source}: internal error while analysing document {id}; please report it"))
}
