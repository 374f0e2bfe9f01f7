//! `kith bench FILE...`: single-thread throughput of the tagging pipelines, in tokens per
//! second (`kith_train::bench` says what is measured and how). Build with `--release`
//! and run `kith bench data/samples` or any larger text.

use crate::cli::BenchArgs;
use anyhow::{bail, Result};
use kith_ingest::Input;
use kith_train::bench::{Bench, Row};
use std::io::Write;
use std::ops::ControlFlow;
use std::process::ExitCode;

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
    let dir = args.model_dir.clone().unwrap_or_else(super::dev_models_dir);
    let bench = Bench::load(&dir)?;
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
    // Rows are printed as they are measured; a failed write stops the benchmark (quietly
    // for a closed pipe, `| head`).
    let mut failed = None;
    let rows = bench.run(&docs, args.seconds, |row| {
        if args.json {
            return ControlFlow::Continue(());
        }
        match print_row(row) {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                failed = Some(e);
                ControlFlow::Break(())
            }
        }
    })?;
    if let Some(e) = failed {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Ok(ExitCode::SUCCESS);
        }
        return Err(anyhow::Error::from(e).context("cannot write to stdout"));
    }
    let (pos, ner, parser) = (bench.pos(), bench.ner(), bench.parser());
    if args.json {
        let v = serde_json::json!({
            "documents": docs.len(),
            "bytes": bytes,
            "pos_model": pos.map(|m| m.path.display().to_string()),
            "ner_model": ner.map(|m| m.path.display().to_string()),
            "pos_load_ms": pos.map(|m| m.load_ms),
            "ner_load_ms": ner.map(|m| m.load_ms),
            "parser_model": parser.map(|m| m.path.display().to_string()),
            "parser_load_ms": parser.map(|m| m.load_ms),
            "release": !cfg!(debug_assertions),
            "results": rows.iter().map(|r| serde_json::json!({"pipeline": r.name, "tokens_per_s": r.tokens_per_s.round(), "tokens_per_cpu_s": r.tokens_per_cpu_s.round(), "passes": r.passes})).collect::<Vec<_>>(),
        });
        out!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        if let Some(m) = pos {
            out!("pos model load {:.0} ms", m.load_ms);
        }
        if let Some(m) = ner {
            out!("ner model load {:.0} ms", m.load_ms);
        }
        if let Some(m) = parser {
            out!("parser model load {:.0} ms", m.load_ms);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One measured row on stdout.
fn print_row(row: &Row) -> std::io::Result<()> {
    let (name, wall, cpu) = (&row.name, row.tokens_per_s, row.tokens_per_cpu_s);
    let mut out = std::io::stdout().lock();
    if row.derived {
        writeln!(
            out,
            "{name:<42} {wall:>10.0} tokens/s {cpu:>10.0} per CPU s"
        )
    } else {
        let passes = row.passes;
        writeln!(
            out,
            "{name:<42} {wall:>10.0} tokens/s {cpu:>10.0} per CPU s  ({passes} passes)"
        )
    }
}
