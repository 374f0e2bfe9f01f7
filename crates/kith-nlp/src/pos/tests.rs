//! POS training, determinism, model files and the component.

use super::*;
use crate::Doc;
use std::path::Path;

fn sent(s: &str) -> PosSentence {
    let mut out = PosSentence::default();
    for tok in s.split_whitespace() {
        let mut p = tok.split('/');
        out.words.push(p.next().unwrap().to_string());
        out.upos.push(p.next().unwrap().to_string());
        out.xpos.push(p.next().unwrap().to_string());
    }
    out
}

fn data() -> Vec<PosSentence> {
    [
        "the/DET/DT dog/NOUN/NN runs/VERB/VBZ ./PUNCT/.",
        "a/DET/DT cat/NOUN/NN sleeps/VERB/VBZ ./PUNCT/.",
        "Anna/PROPN/NNP sees/VERB/VBZ the/DET/DT cat/NOUN/NN ./PUNCT/.",
        "the/DET/DT cats/NOUN/NNS run/VERB/VBP ./PUNCT/.",
        "Berlin/PROPN/NNP sleeps/VERB/VBZ ./PUNCT/.",
        "dogs/NOUN/NNS see/VERB/VBP a/DET/DT dog/NOUN/NN ./PUNCT/.",
    ]
    .iter()
    .map(|s| sent(s))
    .collect()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("kith-pos-test-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn cfg(joint: bool) -> PosTrainConfig {
    PosTrainConfig {
        epochs: 10,
        joint,
        dict_min_count: 3,
        ..PosTrainConfig::default()
    }
}

#[test]
fn learns_saves_loads_and_is_deterministic() {
    let train = data();
    for joint in [true, false] {
        let mut epochs = 0;
        let model = PosModel::train(&train, &train[..2], &cfg(joint), |_, _, dev| {
            epochs += 1;
            assert!(dev.is_some());
        });
        assert_eq!(epochs, 10);
        let (u, x) = model.accuracy(&train);
        assert!(u > 95.0 && x > 95.0, "joint={joint}: {u} {x}");
        let tags = model.tag(&["the", "cat", "runs", "."]);
        assert_eq!(
            tags.iter().map(|t| t.upos).collect::<Vec<_>>(),
            ["DET", "NOUN", "VERB", "PUNCT"]
        );
        assert_eq!(tags[1].xpos, "NN");
        let bytes = model.to_bytes();
        let again = PosModel::train(&train, &train[..2], &cfg(joint), |_, _, _| {});
        assert_eq!(
            bytes,
            again.to_bytes(),
            "same data and seed give the same bytes"
        );
        let dir = temp_dir("roundtrip");
        let path = dir.join("pos.kmodel");
        model.save(&path).unwrap();
        let loaded = PosModel::load(&path).unwrap();
        assert_eq!(loaded.tag(&["the", "cat", "runs", "."]), tags);
        assert_eq!(loaded.to_bytes(), bytes);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn ensemble_learns_and_is_deterministic() {
    let train = data();
    let cfg = PosTrainConfig {
        ensemble: 3,
        ..cfg(true)
    };
    let mut calls = 0;
    let model = PosModel::train(&train, &train[..2], &cfg, |_, _, dev| {
        calls += 1;
        assert!(dev.is_some());
    });
    assert_eq!(calls, 1, "one report, for the averaged model");
    let (u, x) = model.accuracy(&train);
    assert!(u > 95.0 && x > 95.0, "{u} {x}");
    assert_eq!(model.meta()["ensemble"], 3);
    let again = PosModel::train(&train, &[], &cfg, |_, _, _| {});
    assert_eq!(model.to_bytes(), again.to_bytes());
    let loaded = PosModel::from_bytes(&model.to_bytes(), Path::new("m")).unwrap();
    assert_eq!(
        loaded.tag(&["the", "cat", "runs", "."]),
        model.tag(&["the", "cat", "runs", "."])
    );
}

#[test]
fn feature_dropout_is_seeded_and_still_learns() {
    let train = data();
    let plain = PosModel::train(&train, &[], &cfg(true), |_, _, _| {});
    let cfg = PosTrainConfig {
        feature_dropout: 0.25,
        ..cfg(true)
    };
    let model = PosModel::train(&train, &[], &cfg, |_, _, _| {});
    assert_eq!(model.meta()["feature_dropout"], 0.25);
    let (u, x) = model.accuracy(&train);
    assert!(u > 95.0 && x > 95.0, "{u} {x}");
    assert_ne!(
        model.to_bytes(),
        plain.to_bytes(),
        "dropout changes the updates"
    );
    assert_eq!(
        model.to_bytes(),
        PosModel::train(&train, &[], &cfg, |_, _, _| {}).to_bytes(),
        "seeded"
    );
}

#[test]
fn refuses_corrupt_and_foreign_files() {
    let model = PosModel::train(&data(), &[], &cfg(true), |_, _, _| {});
    let mut bytes = model.to_bytes();
    let n = bytes.len();
    bytes[n / 2] ^= 0x55;
    let e = PosModel::from_bytes(&bytes, Path::new("x.kmodel"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("x.kmodel"), "{e}");
    let e = PosModel::from_bytes(&bytes[..n / 3], Path::new("x.kmodel"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("x.kmodel"), "{e}");
    let other = ModelFile::new("ner", serde_json::json!({})).to_bytes();
    let e = PosModel::from_bytes(&other, Path::new("y.kmodel"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("`ner` model, expected a `pos` model"), "{e}");
}

#[test]
fn component_fills_doc_pos_and_survives_odd_input() {
    let model = PosModel::train(&data(), &[], &cfg(true), |_, _, _| {});
    let pipeline = crate::Pipeline::new()
        .with(crate::Tokenizer)
        .with(PosTagger::new(model.clone()));
    for text in [
        "",
        "the cat runs.",
        "ÄÖÜ 😀 \u{7} ЖЖ 漢字",
        &"word ".repeat(20000),
    ] {
        let mut doc = Doc::new(kith_schema::DocId::from_content(text), text, "-");
        pipeline.run(&mut doc);
        assert_eq!(doc.pos.len(), doc.tokens.len());
    }
    let mut doc = Doc::new(kith_schema::DocId::from_content("x"), "the cat runs.", "-");
    pipeline.run(&mut doc);
    assert_eq!(doc.pos[1], PosTag::new("NOUN", "NN"));
    let fp = pipeline.fingerprint();
    assert!(fp.contains(&format!("pos:{}", model.fingerprint())), "{fp}");
    let loaded = PosModel::from_bytes(&model.to_bytes(), Path::new("m")).unwrap();
    assert_eq!(loaded.fingerprint(), model.fingerprint());
}

/// The shipped model (committed in `models/`) loads and writes back the same bytes, its
/// cluster table included.
#[test]
fn the_shipped_model_file_loads_and_writes_back_unchanged() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/pos-en.kmodel");
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: the shipped model is committed: {e}", path.display()));
    let model = PosModel::from_bytes(&bytes, &path).unwrap();
    assert!(model.clusters.is_some());
    assert_eq!(model.to_bytes(), bytes);
    let sum = u64::from_le_bytes(bytes[bytes.len() - 8..].try_into().unwrap());
    assert_eq!(model.fingerprint(), format!("{sum:016x}"));
}
