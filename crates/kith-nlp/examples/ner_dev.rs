//! Development driver for the NER (until `kith train`/`kith eval` exist):
//! `cargo run --release -p kith-nlp --example ner_dev -- train.conll dev.conll test.conll [iterations] [max_docs] [model_out]`
//! Reads CoNLL-2003-style files (word ... tag, -DOCSTART- documents), trains, reports
//! entity P/R/F1 per type on dev and test, and tagging speed.
use kith_nlp::train::{NerTrainConfig, TaggedDocument, TaggedSentence, WordClusters};
use kith_nlp::NerModel;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

fn read_conll(path: &str) -> Vec<TaggedDocument> {
    let text = std::fs::read_to_string(path).expect("read");
    let mut docs = vec![TaggedDocument::default()];
    let mut sent = TaggedSentence::default();
    for line in text.lines().chain(std::iter::once("")) {
        let line = line.trim_end();
        if line.is_empty() {
            if !sent.words.is_empty() {
                docs.last_mut()
                    .unwrap()
                    .sentences
                    .push(std::mem::take(&mut sent));
            }
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols[0] == "-DOCSTART-" {
            if !docs.last().unwrap().sentences.is_empty() {
                docs.push(TaggedDocument::default());
            }
            continue;
        }
        let word = if cols.len() == 3 && cols[0].parse::<u32>().is_ok() {
            cols[1]
        } else {
            cols[0]
        };
        sent.words.push(word.to_string());
        sent.tags.push(cols[cols.len() - 1].to_string());
    }
    docs.retain(|d| !d.sentences.is_empty());
    docs
}

fn spans(tags: &[String]) -> Vec<(usize, usize, String)> {
    // IOB1/BIO → spans.
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, t) in tags.iter().enumerate() {
        let (p, ty) = t.split_once('-').map_or(("O", ""), |(a, b)| (a, b));
        let cont = p == "I" && open.as_ref().is_some_and(|(_, o)| o == ty);
        if !cont {
            if let Some((s, o)) = open.take() {
                out.push((s, i, o));
            }
            if p != "O" {
                open = Some((i, ty.to_string()));
            }
        }
    }
    if let Some((s, o)) = open {
        out.push((s, tags.len(), o));
    }
    out
}

fn kith_name(t: kith_schema::EntityType) -> &'static str {
    match t {
        kith_schema::EntityType::Person => "PER",
        kith_schema::EntityType::Organization => "ORG",
        kith_schema::EntityType::Location => "LOC",
        kith_schema::EntityType::Other => "MISC",
        _ => "EVENT",
    }
}

fn evaluate(model: &NerModel, docs: &[TaggedDocument], name: &str) {
    let mut counts: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    let mut tokens = 0;
    let start = Instant::now();
    let mut all_pred = Vec::new();
    for d in docs {
        let sents: Vec<Vec<&str>> = d
            .sentences
            .iter()
            .map(|s| s.words.iter().map(String::as_str).collect())
            .collect();
        tokens += sents.iter().map(Vec::len).sum::<usize>();
        all_pred.push(model.tag_document(&sents));
    }
    let secs = start.elapsed().as_secs_f64();
    for (d, pred) in docs.iter().zip(&all_pred) {
        for (s, p) in d.sentences.iter().zip(pred) {
            let gold: Vec<(usize, usize, String)> = spans(&s.tags);
            let pred: Vec<(usize, usize, String)> = p
                .iter()
                .map(|(a, b, t, _)| (*a, *b, kith_name(*t).to_string()))
                .collect();
            for g in &gold {
                counts.entry(g.2.clone()).or_default()[1] += 1;
            }
            for q in &pred {
                let c = counts.entry(q.2.clone()).or_default();
                c[0] += 1;
                if gold.contains(q) {
                    c[2] += 1;
                }
            }
        }
    }
    let mut total = [0usize; 3];
    println!(
        "== {name}: {tokens} tokens, {:.0} tokens/s (NER only, incl. gazetteer)",
        tokens as f64 / secs
    );
    for (t, c) in &counts {
        for i in 0..3 {
            total[i] += c[i];
        }
        print_row(t, c);
    }
    print_row("ALL", &total);
}

fn print_row(t: &str, c: &[usize; 3]) {
    let p = c[2] as f64 / c[0].max(1) as f64 * 100.0;
    let r = c[2] as f64 / c[1].max(1) as f64 * 100.0;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    println!(
        "{t:6} P {p:6.2} R {r:6.2} F1 {f:6.2}  (pred {}, gold {}, correct {})",
        c[0], c[1], c[2]
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut train = read_conll(&args[1]);
    let dev = read_conll(&args[2]);
    let test = read_conll(&args[3]);
    let iterations: usize = args.get(4).map_or(10, |s| s.parse().unwrap());
    let max_docs: usize = args.get(5).map_or(usize::MAX, |s| s.parse().unwrap());
    train.truncate(max_docs);
    let mut config = NerTrainConfig {
        iterations,
        ..Default::default()
    };
    if let Ok(v) = std::env::var("NER_NO_DOC") {
        config.features.document = v != "1";
    }
    if let Ok(v) = std::env::var("NER_MIN_COUNT") {
        config.min_count = v.parse().unwrap();
    }
    if let Ok(v) = std::env::var("NER_CLUSTERS") {
        config.clusters = Some(Arc::new(
            WordClusters::load(std::path::Path::new(&v)).unwrap(),
        ));
    }
    if std::env::var("NER_F32").is_ok() {
        config.weights = kith_nlp::train::WeightsKind::F32;
    }
    if let Ok(v) = std::env::var("NER_GAZ") {
        let docs: Vec<TaggedDocument> = v.split(',').flat_map(read_conll).collect();
        config.name_list_docs = Some(Arc::new(docs));
    }
    if let Ok(v) = std::env::var("NER_NAME_MIN") {
        config.name_list_min_count = v.parse().unwrap();
    }
    config.progress = Some(Arc::new(|m: &str| {
        eprintln!(
            "[{:?}] {m}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs()
                % 10000
        )
    }));
    let start = Instant::now();
    let model = NerModel::train(&train, Some(&dev), &config);
    eprintln!(
        "trained in {:.1}s; sizes {:?}; T={} c={}",
        start.elapsed().as_secs_f64(),
        model.sizes(),
        model.meta().temperature,
        model.meta().offset
    );
    if let Some(out) = args.get(6) {
        model.save(std::path::Path::new(out)).unwrap();
        let t = Instant::now();
        let m2 = NerModel::load(std::path::Path::new(out)).unwrap();
        eprintln!(
            "saved {} bytes; load {:.0} ms",
            std::fs::metadata(out).unwrap().len(),
            t.elapsed().as_secs_f64() * 1000.0
        );
        drop(m2);
    }
    evaluate(&model, &dev, "dev");
    evaluate(&model, &test, "test");
}
