//! Write a tiny BERT token classifier (random weights, rigged to tag a few names) into a
//! directory, to try `kith build --ner transformer --model-dir DIR` without real weights:
//!
//!     cargo run -p kith-transformer --features torch --example tiny-model -- /tmp/tiny-ner
//!     kith build data/samples -o /tmp/g.json --ner transformer --model-dir /tmp/tiny-ner
//!
//! `--random` writes plain random weights instead, `--base` a BERT-base-sized encoder.
use kith_transformer::tiny::{write_model, TinySpec};

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .ok_or("usage: tiny-model DIR [--random] [--base]")?;
    let spec = if args.iter().any(|a| a == "--base") {
        TinySpec::base_sized(1)
    } else if args.iter().any(|a| a == "--random") {
        TinySpec::random(1)
    } else {
        TinySpec::rigged(1)
    };
    let weights = write_model(std::path::Path::new(dir), &spec)?;
    println!("wrote {}", weights.display());
    Ok(())
}
