use super::*;
use crate::model::ModelFile;
use crate::PosTag;
use std::path::Path;

/// `word/UPOS/XPOS/head/relation` tokens (head 0 = root, 1-based as in CoNLL-U).
fn sent(s: &str) -> DepSentence {
    let mut out = DepSentence::default();
    for tok in s.split_whitespace() {
        let p: Vec<&str> = tok.split('/').collect();
        out.words.push(p[0].into());
        out.upos.push(p[1].into());
        out.xpos.push(p[2].into());
        let h: usize = p[3].parse().unwrap();
        out.heads.push(if h == 0 { None } else { Some(h - 1) });
        out.labels.push(p[4].into());
    }
    out
}

fn data() -> Vec<DepSentence> {
    [
        "the/DET/DT dog/NOUN/NN runs/VERB/VBZ ./PUNCT/./3/punct",
        "a/DET/DT cat/NOUN/NN sleeps/VERB/VBZ ./PUNCT/./3/punct",
        "Anna/PROPN/NNP sees/VERB/VBZ the/DET/DT cat/NOUN/NN ./PUNCT/./2/punct",
        "the/DET/DT cats/NOUN/NNS saw/VERB/VBD a/DET/DT dog/NOUN/NN in/ADP/IN the/DET/DT park/NOUN/NN ./PUNCT/./3/punct",
        "Berlin/PROPN/NNP was/AUX/VBD visited/VERB/VBN by/ADP/IN Anna/PROPN/NNP ./PUNCT/./3/punct",
        "dogs/NOUN/NNS see/VERB/VBP a/DET/DT big/ADJ/JJ dog/NOUN/NN ./PUNCT/./2/punct",
        "Anna/PROPN/NNP slept/VERB/VBD on/ADP/IN Monday/PROPN/NNP ./PUNCT/./2/punct",
    ]
    .iter()
    .map(|s| fix(s))
    .collect()
}

/// Fills in the heads and relations of the toy sentences above (written compactly).
fn fix(s: &str) -> DepSentence {
    let words: Vec<&str> = s.split_whitespace().collect();
    let trees: &[(&str, &[(usize, &str)])] = &[
        (
            "the/DET/DT dog",
            &[(2, "det"), (3, "nsubj"), (0, "root"), (3, "punct")],
        ),
        (
            "a/DET/DT cat",
            &[(2, "det"), (3, "nsubj"), (0, "root"), (3, "punct")],
        ),
        (
            "Anna/PROPN/NNP sees",
            &[
                (2, "nsubj"),
                (0, "root"),
                (4, "det"),
                (2, "obj"),
                (2, "punct"),
            ],
        ),
        (
            "the/DET/DT cats",
            &[
                (2, "det"),
                (3, "nsubj"),
                (0, "root"),
                (5, "det"),
                (3, "obj"),
                (8, "case"),
                (8, "det"),
                (3, "obl"),
                (3, "punct"),
            ],
        ),
        (
            "Berlin/PROPN/NNP was",
            &[
                (3, "nsubj:pass"),
                (3, "aux:pass"),
                (0, "root"),
                (5, "case"),
                (3, "obl:agent"),
                (3, "punct"),
            ],
        ),
        (
            "dogs/NOUN/NNS see",
            &[
                (2, "nsubj"),
                (0, "root"),
                (5, "det"),
                (5, "amod"),
                (2, "obj"),
                (2, "punct"),
            ],
        ),
        (
            "Anna/PROPN/NNP slept",
            &[
                (2, "nsubj"),
                (0, "root"),
                (4, "case"),
                (2, "obl:tmod"),
                (2, "punct"),
            ],
        ),
    ];
    let key = format!("{} {}", words[0], words[1].split('/').next().unwrap());
    let (_, arcs) = trees
        .iter()
        .find(|(k, _)| *k == key)
        .unwrap_or_else(|| panic!("{key}"));
    let toks: Vec<String> = words
        .iter()
        .zip(arcs.iter())
        .map(|(w, (h, l))| {
            let p: Vec<&str> = w.split('/').collect();
            format!("{}/{}/{}/{h}/{l}", p[0], p[1], p[2])
        })
        .collect();
    sent(&toks.join(" "))
}

fn cfg() -> ParserTrainConfig {
    ParserTrainConfig {
        epochs: 12,
        ..ParserTrainConfig::default()
    }
}

fn toy_model() -> ParserModel {
    ParserModel::train(&data(), &[], None, &cfg(), |_, _, _| {}).unwrap()
}

fn words_tags(s: &DepSentence) -> (Vec<&str>, Vec<PosTag>) {
    (s.words.iter().map(String::as_str).collect(), s.tags())
}

#[test]
fn learns_labeled_trees_saves_loads_and_is_deterministic() {
    let train = data();
    let mut epochs = 0;
    let model = ParserModel::train(&train, &train[..2], None, &cfg(), |_, _, dev| {
        epochs += 1;
        assert!(dev.is_some());
    })
    .unwrap();
    assert_eq!(epochs, 12);
    let (uas, las) = model.attachment(&train, None);
    assert!(uas > 95.0 && las > 95.0, "{uas} {las}");
    let passive = &train[4];
    let (w, t) = words_tags(passive);
    let arcs = model.parse(&w, &t);
    assert_eq!(arcs[0], (Some(2), "nsubj:pass"));
    assert_eq!(arcs[2], (None, "root"));
    assert_eq!(arcs[4], (Some(2), "obl:agent"));

    let bytes = model.to_bytes();
    let again = ParserModel::train(&train, &train[..2], None, &cfg(), |_, _, _| {}).unwrap();
    assert_eq!(
        bytes,
        again.to_bytes(),
        "same data and seed give the same bytes"
    );
    let dir = std::env::temp_dir().join(format!("kith-parser-test-{}", std::process::id()));
    let path = dir.join("parser.kmodel");
    model.save(&path).unwrap();
    let loaded = ParserModel::load(&path).unwrap();
    assert_eq!(loaded.parse(&w, &t), arcs);
    assert_eq!(loaded.to_bytes(), bytes);
    assert_eq!(loaded.fingerprint(), model.fingerprint());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn every_word_gets_one_head_and_one_root() {
    let model = toy_model();
    let sents = data();
    let (w, t) = words_tags(&sents[3]);
    for len in [1, 2, 3, w.len()] {
        let arcs = model.parse(&w[..len], &t[..len]);
        assert_eq!(arcs.len(), len);
        assert_eq!(
            arcs.iter().filter(|(h, _)| h.is_none()).count(),
            1,
            "{arcs:?}"
        );
        for (i, (h, l)) in arcs.iter().enumerate() {
            assert_eq!(h.is_none(), *l == "root");
            assert!(h.is_none_or(|h| h < len && h != i));
        }
        // Acyclic: following heads from any word reaches the root.
        for i in 0..len {
            let (mut at, mut steps) = (i, 0);
            while let Some(h) = arcs[at].0 {
                at = h;
                steps += 1;
                assert!(steps <= len, "cycle through {i}: {arcs:?}");
            }
        }
    }
    assert!(model.parse(&[], &[]).is_empty());
}

#[test]
fn refuses_foreign_corrupt_and_mismatched_files() {
    let model = toy_model();
    let bytes = model.to_bytes();
    let other = ModelFile::new("pos", serde_json::json!({})).to_bytes();
    let e = ParserModel::from_bytes(&other, Path::new("y.kmodel"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("y.kmodel") && e.contains("`pos` model, expected a `parser` model"),
        "{e}"
    );
    let mut v2 = bytes.clone();
    v2[8..12].copy_from_slice(&7u32.to_le_bytes());
    let e = ParserModel::from_bytes(&v2, Path::new("x.kmodel"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("x.kmodel") && e.contains("version 7"), "{e}");
    let mut flipped = bytes.clone();
    let n = flipped.len();
    flipped[n / 2] ^= 0x55;
    let e = ParserModel::from_bytes(&flipped, Path::new("x.kmodel"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("x.kmodel"), "{e}");
    let e = ParserModel::from_bytes(&bytes[..n / 3], Path::new("x.kmodel"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("x.kmodel"), "{e}");
    // Other feature templates: refused, not silently misread.
    let mut file = ModelFile::from_bytes(&bytes, Path::new("m"), Some(PARSER_KIND)).unwrap();
    file.meta["features_version"] = serde_json::json!(features::FEATURES_VERSION + 1);
    let e = ParserModel::from_bytes(&file.to_bytes(), Path::new("z.kmodel"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("z.kmodel") && e.contains("feature templates"),
        "{e}"
    );
}

#[test]
fn unknown_relations_are_refused_at_training() {
    let mut train = data();
    train[0].labels[0] = "made-up".into();
    let e = ParserModel::train(&train, &[], None, &cfg(), |_, _, _| {}).unwrap_err();
    assert!(e.contains("made-up"), "{e}");
}

/// Transitions are exactly 2n whatever the input: check odd inputs parse completely
/// (the tests of linear time are the transition count and these sizes finishing).
#[test]
fn odd_inputs_parse_without_panic() {
    let model = toy_model();
    let names: Vec<String> = (0..500).map(|i| format!("Name{i}")).collect();
    let mut list: Vec<&str> = Vec::new();
    let mut list_tags = Vec::new();
    for (i, n) in names.iter().enumerate() {
        list.push(n);
        list_tags.push(PosTag::new("PROPN", "NNP"));
        if i + 1 < names.len() {
            list.push(",");
            list_tags.push(PosTag::new("PUNCT", ","));
        }
    }
    let long: Vec<&str> = ["the", "dog", "sees", "a", "cat", "and"]
        .iter()
        .cycle()
        .take(2000)
        .copied()
        .collect();
    let long_tags: Vec<PosTag> = long
        .iter()
        .map(|w| match *w {
            "the" | "a" => PosTag::new("DET", "DT"),
            "sees" => PosTag::new("VERB", "VBZ"),
            "and" => PosTag::new("CCONJ", "CC"),
            _ => PosTag::new("NOUN", "NN"),
        })
        .collect();
    // Deeply nested clauses: "that the dog that the cat that ... saw ran".
    let mut nested: Vec<&str> = Vec::new();
    let mut nested_tags = Vec::new();
    for _ in 0..300 {
        nested.extend(["the", "dog", "that"]);
        nested_tags.extend([
            PosTag::new("DET", "DT"),
            PosTag::new("NOUN", "NN"),
            PosTag::new("PRON", "WDT"),
        ]);
    }
    for _ in 0..300 {
        nested.push("saw");
        nested_tags.push(PosTag::new("VERB", "VBD"));
    }
    let punct: Vec<&str> = ["!", "?", ".", "...", "(", ")", "\"", "—"]
        .iter()
        .cycle()
        .take(1500)
        .copied()
        .collect();
    let punct_tags = vec![PosTag::new("PUNCT", "."); punct.len()];
    for (w, t) in [
        (&list, &list_tags),
        (&long, &long_tags),
        (&nested, &nested_tags),
        (&punct, &punct_tags),
    ] {
        let arcs = model.parse(w, t);
        assert_eq!(arcs.len(), w.len());
        assert_eq!(arcs.iter().filter(|(h, _)| h.is_none()).count(), 1);
    }
}

#[test]
fn component_fills_doc_deps_with_document_indices() {
    let model = toy_model();
    let tagged = data();
    // A POS "tagger" that knows the toy words, so the test does not depend on a POS model.
    struct ToyTags(Vec<(String, PosTag)>);
    impl crate::Component for ToyTags {
        fn name(&self) -> &'static str {
            "toy-pos"
        }
        fn process(&self, doc: &mut crate::Doc) {
            doc.pos = (0..doc.tokens.len())
                .map(|i| {
                    self.0
                        .iter()
                        .find(|(w, _)| w == doc.token_text(i))
                        .map_or(PosTag::new("NOUN", "NN"), |(_, t)| *t)
                })
                .collect();
        }
    }
    let lexicon: Vec<(String, PosTag)> = tagged
        .iter()
        .flat_map(|s| s.words.iter().cloned().zip(s.tags()))
        .collect();
    let parser = DependencyParser::new(model.clone());
    let pipeline = crate::Pipeline::new()
        .with(crate::Tokenizer)
        .with(ToyTags(lexicon))
        .with(parser);
    let text = "The dog runs. Berlin was visited by Anna.";
    let mut doc = crate::Doc::new(kith_schema::DocId::from_content(text), text, "-");
    pipeline.run(&mut doc);
    assert_eq!(doc.deps.len(), doc.tokens.len());
    assert_eq!(doc.sentences.len(), 2);
    let second = doc.sentences[1].tokens.start;
    let visited = (0..doc.tokens.len())
        .find(|&i| doc.token_text(i) == "visited")
        .unwrap();
    assert_eq!(doc.deps[visited].head, None);
    assert_eq!(
        doc.deps[second].head,
        Some(visited),
        "Berlin → visited, as a document index"
    );
    assert_eq!(doc.deps[second].label, "nsubj:pass");
    let fp = pipeline.fingerprint();
    assert!(
        fp.contains(&format!("parser:{}", model.fingerprint())),
        "{fp}"
    );
    // Without tags the layer stays empty; odd documents do not panic.
    let bare = crate::Pipeline::new()
        .with(crate::Tokenizer)
        .with(DependencyParser::new(model));
    for text in [
        "",
        "the cat runs.",
        "!!! ... ??? ;;; ---",
        "ÄÖÜ 😀 \u{7} ЖЖ 漢字",
    ] {
        let mut doc = crate::Doc::new(kith_schema::DocId::from_content(text), text, "-");
        bare.run(&mut doc);
        assert!(doc.deps.is_empty());
        pipeline.run(&mut doc);
        assert_eq!(doc.deps.len(), doc.tokens.len());
    }
}

/// The shipped model (committed in `models/`) loads and writes back the same bytes, its
/// cluster table included.
#[test]
fn the_shipped_model_file_loads_and_writes_back_unchanged() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/parser-en.kmodel");
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: the shipped model is committed: {e}", path.display()));
    let model = ParserModel::from_bytes(&bytes, &path).unwrap();
    assert!(model.clusters.is_some());
    assert_eq!(model.to_bytes(), bytes);
    let sum = u64::from_le_bytes(bytes[bytes.len() - 8..].try_into().unwrap());
    assert_eq!(model.fingerprint(), format!("{sum:016x}"));
}

/// The parser component lays the words' clusters over the tokens (a word the table lacks
/// gets `NO_CLUSTER`), for later components to generalise over words with.
#[test]
fn the_parser_component_fills_the_cluster_layer() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
    let pipeline = crate::english_pipeline(&path).unwrap();
    let text = "The minister spoke with zqxwvjk reporters.";
    let mut doc = crate::Doc::new(kith_schema::DocId::from_content(text), text, "t");
    pipeline.run(&mut doc);
    assert_eq!(doc.clusters.len(), doc.tokens.len());
    let word = |w: &str| {
        (0..doc.tokens.len())
            .find(|&t| doc.token_text(t) == w)
            .unwrap()
    };
    assert_ne!(doc.clusters[word("minister")], [crate::NO_CLUSTER; 3]);
    assert_eq!(doc.clusters[word("zqxwvjk")], [crate::NO_CLUSTER; 3]);
    assert_ne!(
        doc.clusters[word("minister")],
        doc.clusters[word("spoke")],
        "a noun and a verb fall in different clusters"
    );
}
