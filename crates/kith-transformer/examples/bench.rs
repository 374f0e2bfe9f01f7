//! Tagging speed on CPU: the default (rule-based) pipeline against the transformer
//! pipeline with a tiny random BERT (and, with `--base`, a BERT-base-sized one), in Kith
//! tokens per second, single document at a time as `kith build` runs them.
//!
//!     cargo run --release -p kith-transformer --features torch --example bench -- [FILES...] [--base] [--seconds S] [--torch-threads N]
//!
//! Default input: the sample articles in data/samples (text files only).
use kith_nlp::{Doc, Pipeline};
use kith_schema::DocId;
use kith_transformer::tiny::{write_model, TinySpec};
use kith_transformer::{transformer_pipeline, TransformerNer, TransformerOptions};
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
    };
    let seconds: f64 = value("--seconds")
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(3.0);
    if let Some(n) = value("--torch-threads") {
        tch::set_num_threads(n.parse()?);
    }
    let takes_value = |a: &str| a == "--seconds" || a == "--torch-threads";
    let mut files: Vec<String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with("--") && (*i == 0 || !takes_value(&args[i - 1])))
        .map(|(_, a)| a.clone())
        .collect();
    if files.is_empty() {
        let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/samples");
        for entry in std::fs::read_dir(samples)? {
            let path = entry?.path();
            if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("txt" | "md")
            ) {
                files.push(path.display().to_string());
            }
        }
        files.sort();
    }
    let texts: Vec<String> = files
        .iter()
        .map(std::fs::read_to_string)
        .collect::<Result<_, _>>()?;
    println!(
        "{} documents, {} bytes; torch threads: {}",
        texts.len(),
        texts.iter().map(|t| t.len()).sum::<usize>(),
        tch::get_num_threads()
    );

    let mut specs = vec![("tiny BERT (hidden 32, 1 layer)", TinySpec::random(1))];
    if args.iter().any(|a| a == "--base") {
        specs.push((
            "BERT-base-sized (hidden 768, 12 layers)",
            TinySpec::base_sized(1),
        ));
    }
    let budget = Duration::from_secs_f64(seconds);
    report(
        "default pipeline (rules)",
        &kith_nlp::default_pipeline(),
        &texts,
        budget,
    );
    for (name, spec) in specs {
        let dir = std::env::temp_dir().join(format!("kith-bench-model-{}", std::process::id()));
        write_model(&dir, &spec)?;
        let started = Instant::now();
        let ner = TransformerNer::load_with(
            &dir,
            TransformerOptions {
                device: tch::Device::Cpu,
                ..Default::default()
            },
        )?;
        println!(
            "  loaded {name} in {:.2} s",
            started.elapsed().as_secs_f64()
        );
        report(
            &format!("transformer pipeline, {name}"),
            &transformer_pipeline(ner),
            &texts,
            budget,
        );
        std::fs::remove_dir_all(&dir)?;
    }
    Ok(())
}

/// Run the pipeline over all texts repeatedly (after one warm-up pass) for `budget`.
fn report(name: &str, pipeline: &Pipeline, texts: &[String], budget: Duration) {
    let run = |count: &mut usize| {
        for text in texts {
            let mut doc = Doc::new(DocId::from_content(text), text.clone(), "bench");
            pipeline.run(&mut doc);
            *count += doc.tokens.len();
        }
    };
    run(&mut 0);
    let (mut tokens, mut passes) = (0, 0);
    let started = Instant::now();
    while started.elapsed() < budget || passes == 0 {
        run(&mut tokens);
        passes += 1;
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{name}: {:.0} tokens/s ({tokens} tokens in {elapsed:.2} s, {passes} passes)",
        tokens as f64 / elapsed
    );
}
