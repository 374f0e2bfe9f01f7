//! NER tagging speed of several model files on the same text, interleaved so that a busy
//! machine slows each alike (`cargo run --release --example ner_speed -- TEXT MODEL...`):
//! lines are sentences (split at spaces), blank lines end documents; prints each model's
//! best of 7 rounds in tokens per second (NerModel::tag_document alone: no tokenizer, POS).
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: ner_speed TEXT MODEL...");
        std::process::exit(2);
    }
    let text = std::fs::read_to_string(&args[0]).expect("text file");
    let docs: Vec<Vec<Vec<&str>>> = text
        .split("\n\n")
        .map(|d| {
            d.lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.split_whitespace().collect())
                .collect()
        })
        .filter(|d: &Vec<Vec<&str>>| !d.is_empty())
        .collect();
    let tokens: usize = docs.iter().flatten().map(|s| s.len()).sum();
    let models: Vec<kith_nlp::NerModel> = args[1..]
        .iter()
        .map(|m| kith_nlp::NerModel::load(std::path::Path::new(m)).expect("model loads"))
        .collect();
    let mut best = vec![f64::INFINITY; models.len()];
    let mut spans = vec![0usize; models.len()];
    for _ in 0..7 {
        for (i, m) in models.iter().enumerate() {
            let t = Instant::now();
            let n: usize = docs
                .iter()
                .map(|d| m.tag_document(d).iter().map(Vec::len).sum::<usize>())
                .sum();
            best[i] = best[i].min(t.elapsed().as_secs_f64());
            spans[i] = n;
        }
    }
    for (i, m) in args[1..].iter().enumerate() {
        println!(
            "{m}: {:.0} tokens/s ({tokens} tokens, {} spans)",
            tokens as f64 / best[i],
            spans[i]
        );
    }
}
