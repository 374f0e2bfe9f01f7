//! The transformer backend on tiny BERT token classifiers the tests write themselves
//! (random weights in rust-bert's variable layout), loaded through rust-bert's
//! TokenClassificationModel. Needs libtorch: `cargo test -p kith-transformer --features torch`.
#![cfg(feature = "torch")]

use kith_nlp::{Component, Doc, GazetteerTagger, Pipeline, Tokenizer};
use kith_schema::{DocId, EntityType};
use kith_transformer::labels::{parse_label, Label};
use kith_transformer::tiny::{write_model, TinySpec, CONLL_LABELS};
use kith_transformer::{TransformerError, TransformerNer, TransformerOptions};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir =
            std::env::temp_dir().join(format!("kith-transformer-{}-{tag}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn model(tag: &str, spec: &TinySpec) -> (TempDir, PathBuf) {
    let dir = TempDir::new(tag);
    let weights = write_model(dir.path(), spec).unwrap();
    (dir, weights)
}

fn cpu(window: usize, overlap: usize) -> TransformerOptions {
    TransformerOptions {
        window,
        overlap,
        batch_size: 4,
        device: tch::Device::Cpu,
    }
}

fn doc(text: &str) -> Doc {
    let mut doc = Doc::new(DocId::from_content(text), text, "test");
    Tokenizer.process(&mut doc);
    doc
}

/// (text, type, source) of every span.
fn spans(doc: &Doc) -> Vec<(String, EntityType, &'static str)> {
    doc.entities
        .iter()
        .map(|e| (doc.span_text(e).to_string(), e.kind, e.source))
        .collect()
}

fn assert_spans_valid(doc: &Doc) {
    for pair in doc.entities.windows(2) {
        assert!(
            pair[0].end <= pair[1].start,
            "sorted, not overlapping: {:?}",
            spans(doc)
        );
    }
    for e in &doc.entities {
        assert!(e.start < e.end && e.end <= doc.text.len());
        assert_eq!(
            (e.start, e.end),
            (
                doc.tokens[e.tokens.start].start,
                doc.tokens[e.tokens.end - 1].end
            )
        );
        assert!(doc.text.is_char_boundary(e.start) && doc.text.is_char_boundary(e.end));
        assert!((0.0..=1.0).contains(&e.confidence), "{}", e.confidence);
    }
}

#[test]
fn loads_a_random_model_and_labels_every_word() {
    let (dir, _) = model("random", &TinySpec::random(7));
    let ner = TransformerNer::load_with(dir.path(), cpu(256, 64)).unwrap();
    assert_eq!(ner.labels(), CONLL_LABELS);
    let text = "Marco Rubio spoke with the Foreign Minister of India on Monday.";
    let whole = std::iter::once(0..text.len()).collect::<Vec<_>>();
    let words = ner.predict_words(text, &whole);
    assert_eq!(words.len(), 1);
    // One prediction per word (BERT's basic tokenizer: "Monday" and "." are two).
    let expected: Vec<&str> = text
        .split_whitespace()
        .flat_map(|w| match w.strip_suffix('.') {
            Some(word) => vec![word, "."],
            None => vec![w],
        })
        .collect();
    let got: Vec<&str> = words[0].iter().map(|w| &text[w.start..w.end]).collect();
    assert_eq!(got, expected);
    for w in &words[0] {
        assert!(w.label < CONLL_LABELS.len());
        assert!(w.score > 0.0 && w.score <= 1.0);
    }
    // Words split into pieces ("Foreig" + "##n", ...) come back whole.
    assert!(got.contains(&"Foreign"));
    // The fingerprint names the weights by hash.
    assert!(
        ner.fingerprint()
            .starts_with("transformer-ner[rust_model.ot sha256:"),
        "{}",
        ner.fingerprint()
    );
    assert_eq!(ner.name(), "transformer-ner");
}

#[test]
fn label_mapping_onto_kith_types_with_a_dominant_label() {
    // For each label, a random model whose classifier bias makes that label win everywhere.
    let text = "Officials in Paris met reporters";
    for (index, label) in CONLL_LABELS.iter().enumerate() {
        let mut spec = TinySpec::random(11);
        spec.bias = vec![(index, 50.0)];
        let (dir, _) = model("bias", &spec);
        let ner = TransformerNer::load_with(dir.path(), cpu(256, 64)).unwrap();
        let mut d = doc(text);
        ner.process(&mut d);
        assert_spans_valid(&d);
        let got = spans(&d);
        match parse_label(label) {
            Label::Outside => assert!(got.is_empty(), "{label}: {got:?}"),
            Label::Entity(_, kind) => {
                let expected_kind = match &label[2..] {
                    "PER" => EntityType::Person,
                    "ORG" => EntityType::Organization,
                    "LOC" => EntityType::Location,
                    _ => EntityType::Other,
                };
                assert_eq!(kind, expected_kind);
                if label.starts_with("B-") {
                    // Every word begins an entity: five one-word spans.
                    assert_eq!(got.len(), 5, "{label}: {got:?}");
                } else {
                    // Every word continues: one span over the sentence.
                    assert_eq!(got.len(), 1, "{label}: {got:?}");
                    assert_eq!(got[0].0, text);
                }
                assert!(
                    got.iter()
                        .all(|(_, k, s)| *k == expected_kind && *s == "transformer-ner"),
                    "{label}: {got:?}"
                );
            }
        }
    }
}

#[test]
fn rigged_model_finds_names_and_leaves_gazetteer_spans_alone() {
    let (dir, _) = model("rigged", &TinySpec::rigged(3));
    let ner = TransformerNer::load_with(dir.path(), cpu(256, 64)).unwrap();
    let pipeline = Pipeline::new()
        .with(Tokenizer)
        .with(GazetteerTagger::default())
        .with(ner);
    let text = "Marco Rubio told Reuters in Washington that France would host the Olympics. Tammy Bruce agreed.";
    let mut d = Doc::new(DocId::from_content(text), text, "test");
    pipeline.run(&mut d);
    assert_spans_valid(&d);
    let got: Vec<(String, EntityType)> = spans(&d).into_iter().map(|(t, k, _)| (t, k)).collect();
    let expected = [
        ("Marco Rubio", EntityType::Person),
        ("Reuters", EntityType::Organization),
        ("Washington", EntityType::Location),
        // Rigged B-LOC, but the gazetteer's country wins.
        ("France", EntityType::Country),
        ("Olympics", EntityType::Other),
        ("Tammy Bruce", EntityType::Person),
    ];
    let expected: Vec<(String, EntityType)> =
        expected.iter().map(|(t, k)| (t.to_string(), *k)).collect();
    assert_eq!(got, expected);
    let france = d
        .entities
        .iter()
        .find(|e| d.span_text(e) == "France")
        .unwrap();
    assert_eq!(france.source, "gazetteer");
}

#[test]
fn long_sentences_are_windowed_with_exact_offsets() {
    let (dir, _) = model("windows", &TinySpec::rigged(5));
    // Small windows, so a sentence spans many and names fall on every boundary.
    let ner = TransformerNer::load_with(dir.path(), cpu(24, 8)).unwrap();
    // One long sentence (no full stop), names at every phase against the windows, and
    // non-ASCII text so byte and character offsets differ.
    let mut text = String::new();
    let mut names = 0;
    for i in 0..60 {
        text.push_str(["Ça va, ", "the talks ", "of the state ", "news ", "é "][i % 5]);
        if i % 3 == 0 {
            text.push_str("Marco Rubio ");
            names += 1;
        }
        if i % 7 == 0 {
            text.push_str("Washington ");
        }
    }
    let windows = ner.windows(&text, 0..text.len());
    assert!(windows.len() > 5, "{} windows", windows.len());
    // Every character is read by some window; consecutive windows overlap.
    assert_eq!(windows[0].start, 0);
    assert_eq!(windows.last().unwrap().end, text.len());
    for pair in windows.windows(2) {
        assert!(pair[1].start < pair[0].end, "{pair:?}");
        assert!(pair[0].start < pair[1].start);
    }

    let mut d = doc(&text);
    ner.process(&mut d);
    assert_spans_valid(&d);
    let people: Vec<&str> = d
        .entities
        .iter()
        .filter(|e| e.kind == EntityType::Person)
        .map(|e| d.span_text(e))
        .collect();
    assert_eq!(people.len(), names, "{people:?}");
    assert!(people.iter().all(|p| *p == "Marco Rubio"), "{people:?}");
    let places = d
        .entities
        .iter()
        .filter(|e| e.kind == EntityType::Location)
        .count();
    assert_eq!(places, text.matches("Washington").count());

    // The same spans as reading the sentence in one window.
    let whole = TransformerNer::load_with(dir.path(), cpu(510, 64)).unwrap();
    assert_eq!(whole.windows(&text, 0..text.len()).len(), 1);
    let mut d2 = doc(&text);
    whole.process(&mut d2);
    let a: Vec<_> = d
        .entities
        .iter()
        .map(|e| (e.start, e.end, e.kind))
        .collect();
    let b: Vec<_> = d2
        .entities
        .iter()
        .map(|e| (e.start, e.end, e.kind))
        .collect();
    assert_eq!(a, b);
}

#[test]
fn random_model_on_a_long_document_spans_stay_inside_the_text() {
    let (dir, _) = model("random-long", &TinySpec::random(9));
    let ner = TransformerNer::load_with(dir.path(), cpu(32, 8)).unwrap();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/samples/rubio-calls.txt"
    ))
    .unwrap_or_else(|_| "Marco Rubio spoke with Tammy Bruce. ".repeat(40));
    let mut long = text.repeat(3);
    long.push_str(&"word ".repeat(300)); // and one very long sentence
    let mut d = doc(&long);
    kith_nlp::GazetteerTagger::default().process(&mut d);
    ner.process(&mut d);
    assert_spans_valid(&d);
    assert!(d.entities.iter().any(|e| e.source == "transformer-ner"));
}

#[test]
fn outputs_are_deterministic() {
    // The same spec twice: the same weights (the file's bytes may differ: the archive
    // lists variables in hash-map order).
    let (dir, _) = model("determinism", &TinySpec::random(13));
    let (dir2, _) = model("determinism2", &TinySpec::random(13));
    let text = "Reuters reported that the State Department spokesperson Tammy Bruce met officials in Paris. ".repeat(5);
    let run = |path: &Path| {
        let ner = TransformerNer::load_with(path, cpu(16, 4)).unwrap();
        let mut d = doc(&text);
        ner.process(&mut d);
        let once: Vec<_> = d
            .entities
            .iter()
            .map(|e| (e.start, e.end, e.kind, e.confidence.to_bits()))
            .collect();
        let mut d = doc(&text);
        ner.process(&mut d);
        let twice: Vec<_> = d
            .entities
            .iter()
            .map(|e| (e.start, e.end, e.kind, e.confidence.to_bits()))
            .collect();
        assert_eq!(once, twice);
        (once, ner.fingerprint())
    };
    let (a, fa) = run(dir.path());
    let (b, _) = run(dir2.path());
    assert!(!a.is_empty());
    assert_eq!(a, b);
    // Loading the same files again gives the same fingerprint.
    assert_eq!(run(dir.path()).1, fa);
    // Other weights, another fingerprint.
    let (dir3, _) = model("determinism3", &TinySpec::random(14));
    let other = TransformerNer::load_with(dir3.path(), cpu(16, 4)).unwrap();
    assert_ne!(other.fingerprint(), fa);
}

#[test]
fn safetensors_weights_load_too() {
    let mut spec = TinySpec::rigged(3);
    spec.safetensors = true;
    let (dir, weights) = model("safetensors", &spec);
    assert!(weights.ends_with("model.safetensors"));
    let ner = TransformerNer::load_with(dir.path(), cpu(256, 64)).unwrap();
    let mut d = doc("Tammy Bruce spoke.");
    ner.process(&mut d);
    assert_eq!(
        spans(&d),
        vec![(
            "Tammy Bruce".to_string(),
            EntityType::Person,
            "transformer-ner"
        )]
    );
}

fn load_error(dir: &Path) -> (TransformerError, String) {
    let error = TransformerNer::load_with(dir, cpu(256, 64)).unwrap_err();
    let message = error.to_string();
    (error, message)
}

#[test]
fn clear_errors_for_missing_files() {
    let missing = std::env::temp_dir().join("kith-transformer-no-such-dir");
    let (error, message) = load_error(&missing);
    assert!(matches!(error, TransformerError::MissingDir { .. }));
    assert!(
        message.contains("kith-transformer-no-such-dir"),
        "{message}"
    );

    let (dir, weights) = model("missing", &TinySpec::random(1));
    std::fs::remove_file(&weights).unwrap();
    let (error, message) = load_error(dir.path());
    assert!(
        matches!(error, TransformerError::NoWeights { .. }),
        "{message}"
    );
    assert!(
        message.contains(&dir.path().display().to_string()) && message.contains("rust_model.ot"),
        "{message}"
    );

    let (dir, _) = model("missing-vocab", &TinySpec::random(1));
    std::fs::remove_file(dir.path().join("vocab.txt")).unwrap();
    let (error, message) = load_error(dir.path());
    assert!(
        matches!(error, TransformerError::MissingFile { .. }),
        "{message}"
    );
    assert!(
        message.contains(&dir.path().join("vocab.txt").display().to_string()),
        "{message}"
    );

    let (dir, _) = model("missing-config", &TinySpec::random(1));
    std::fs::remove_file(dir.path().join("config.json")).unwrap();
    let (error, message) = load_error(dir.path());
    assert!(
        matches!(error, TransformerError::MissingFile { .. }),
        "{message}"
    );
    assert!(message.contains("config.json"), "{message}");

    // A configuration without labels.
    let (dir, _) = model("no-labels", &TinySpec::random(1));
    let config = dir.path().join("config.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&config).unwrap()).unwrap();
    json.as_object_mut().unwrap().remove("id2label");
    std::fs::write(&config, json.to_string()).unwrap();
    let (error, message) = load_error(dir.path());
    assert!(
        matches!(error, TransformerError::Config { .. }),
        "{message}"
    );
    assert!(
        message.contains("id2label") && message.contains(&config.display().to_string()),
        "{message}"
    );
}

#[test]
fn clear_errors_for_corrupt_weights() {
    // Truncated.
    let (dir, weights) = model("truncated", &TinySpec::random(2));
    let bytes = std::fs::read(&weights).unwrap();
    std::fs::write(&weights, &bytes[..bytes.len() / 2]).unwrap();
    let (error, message) = load_error(dir.path());
    assert!(
        matches!(error, TransformerError::Weights { .. }),
        "{message}"
    );
    assert!(
        message.contains(&weights.display().to_string()),
        "{message}"
    );

    // Garbage.
    std::fs::write(
        &weights,
        b"this is not a torch file at all, just some garbage bytes",
    )
    .unwrap();
    let (error, message) = load_error(dir.path());
    assert!(
        matches!(error, TransformerError::Weights { .. }),
        "{message}"
    );
    assert!(
        message.contains(&weights.display().to_string()),
        "{message}"
    );

    // Empty.
    std::fs::write(&weights, b"").unwrap();
    let (error, message) = load_error(dir.path());
    assert!(
        matches!(error, TransformerError::Weights { .. }),
        "{message}"
    );

    // Weights that do not match config.json (another hidden size).
    let (dir, weights) = model("mismatch", &TinySpec::random(2));
    let mut other = TinySpec::random(2);
    other.hidden_size = 16;
    other.intermediate_size = 32;
    let (dir2, weights2) = model("mismatch2", &other);
    std::fs::copy(&weights2, &weights).unwrap();
    drop(dir2);
    let (error, message) = load_error(dir.path());
    assert!(
        matches!(error, TransformerError::Weights { .. }),
        "{message}"
    );
}
