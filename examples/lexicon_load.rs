//! Load time of an NER model and of its lexicon alone (`cargo run --release --example
//! lexicon_load -- MODEL [LIST...]`): the trie is built at load, so its cost shows here.
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(model) = args.first() else {
        eprintln!("usage: lexicon_load MODEL [LIST...]");
        std::process::exit(2);
    };
    for _ in 0..3 {
        let t = Instant::now();
        let m = kith_nlp::NerModel::load(std::path::Path::new(model)).expect("model loads");
        println!(
            "model load {:.1} ms ({} lists)",
            t.elapsed().as_secs_f64() * 1e3,
            m.meta().lexicons.len()
        );
    }
    if args.len() > 1 {
        for _ in 0..3 {
            let t = Instant::now();
            let l = kith_nlp::train::Lexicon::load(&args[1..]).expect("lists load");
            println!(
                "lexicon from files {:.1} ms ({:?})",
                t.elapsed().as_secs_f64() * 1e3,
                l.summary().iter().map(|s| s.1).sum::<usize>()
            );
        }
    }
}
