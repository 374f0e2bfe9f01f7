use super::component::superseded_spans;
use super::fused::add_row;
use super::labels::{N_LABELS, TYPES};
use super::*;
use crate::model::format::FORMAT_VERSION;
use crate::{Component, Doc, GazetteerTagger, Pipeline, Tokenizer};
use kith_schema::{DocId, EntityType};
use std::path::Path;

fn sent(tagged: &str) -> TaggedSentence {
    // "word/TAG word word/TAG": untagged words are O.
    let mut s = TaggedSentence::default();
    for item in tagged.split(' ') {
        let (w, t) = item.split_once('/').unwrap_or((item, "O"));
        s.words.push(w.to_string());
        s.tags.push(t.to_string());
    }
    s
}

pub(super) fn corpus() -> Vec<TaggedDocument> {
    let lines = [
        "Mira/B-Person Tolvanen/I-Person visited Quellford/B-Location on Monday .",
        "Tolvanen/B-Person said the Brask/B-Organization Institute/I-Organization would open .",
        "The Brask/B-Organization Institute/I-Organization hired Oskar/B-Person Lind/I-Person .",
        "Lind/B-Person flew to Varnholm/B-Location for the Harbour/B-Event Games/I-Event .",
        "Officials in Varnholm/B-Location praised the Harbour/B-Event Games/I-Event .",
        "Oskar/B-Person Lind/I-Person met Mira/B-Person Tolvanen/I-Person in Quellford/B-Location .",
        "The Quellford/B-Organization Times/I-Organization reported the Harbour/B-Event Games/I-Event results .",
        "Norvik/B-Other cheese is popular in Varnholm/B-Location .",
        "He bought Norvik/B-Other cheese at the market .",
        "Anna/B-Person Berg/I-Person leads the Varnholm/B-Organization Council/I-Organization .",
    ];
    lines
        .chunks(3)
        .map(|c| TaggedDocument {
            sentences: c.iter().map(|l| sent(l)).collect(),
        })
        .collect()
}

pub(super) fn config() -> NerTrainConfig {
    NerTrainConfig {
        iterations: 4,
        folds: 2,
        ..Default::default()
    }
}

pub(super) fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kith-ner-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn learns_the_training_data() {
    let model = NerModel::train(&corpus(), None, &config());
    let spans = model.tag_words(&[
        "Oskar",
        "Lind",
        "met",
        "Mira",
        "Tolvanen",
        "in",
        "Quellford",
        ".",
    ]);
    let kinds: Vec<_> = spans.iter().map(|s| (s.0, s.1, s.2)).collect();
    assert_eq!(
        kinds,
        vec![
            (0, 2, EntityType::Person),
            (3, 5, EntityType::Person),
            (6, 7, EntityType::Location)
        ]
    );
    assert!(spans.iter().all(|s| s.3 > 0.0 && s.3 <= 1.0));
}

#[test]
fn training_is_deterministic() {
    let a = NerModel::train(&corpus(), Some(&corpus()[..1]), &config()).to_bytes();
    let b = NerModel::train(&corpus(), Some(&corpus()[..1]), &config()).to_bytes();
    assert_eq!(a, b);
    let other_seed = NerModel::train(
        &corpus(),
        None,
        &NerTrainConfig {
            seed: 99,
            ..config()
        },
    )
    .to_bytes();
    assert_eq!(&other_seed[..8], b"KITHMODL");
}

fn pipeline(model: Arc<NerModel>) -> Pipeline {
    Pipeline::new()
        .with(Tokenizer)
        .with(GazetteerTagger::default())
        .with(NerTagger::new(model))
}

fn check(doc: &Doc) {
    for w in doc.entities.windows(2) {
        assert!(w[0].start <= w[1].start, "sorted");
        assert!(
            w[0].end <= w[1].start,
            "not overlapping: {:?} {:?}",
            w[0],
            w[1]
        );
    }
    for e in &doc.entities {
        assert!(e.tokens.start < e.tokens.end && e.tokens.end <= doc.tokens.len());
        assert!(doc.text.is_char_boundary(e.start) && doc.text.is_char_boundary(e.end));
    }
}

#[test]
fn tagger_survives_hostile_input_and_keeps_gazetteer_spans() {
    let model = Arc::new(NerModel::train(&corpus(), None, &config()));
    let p = pipeline(model);
    let long = "Lind Varnholm word ".repeat(900);
    let texts = [
        String::new(),
        "   \n\n ".to_string(),
        long,
        "🎉🎉 Oskar Lind 🚀 met Mira\u{0} Tolvanen\u{7}\u{1b}[31m in Quellford\u{200b} ."
            .to_string(),
        "OSKAR LIND FLIES TO VARNHOLM FOR HARBOUR GAMES".to_string(),
        "Мира Толванен и 北京 and Oskar Lind in Varnholm .".to_string(),
        "Oskar Lind, the Indian foreign minister, visited France and Quellford.".to_string(),
    ];
    for text in &texts {
        let mut doc = Doc::new(DocId::from_content(text), text.clone(), "-");
        p.run(&mut doc);
        check(&doc);
    }
    let text = &texts[6];
    let mut doc = Doc::new(DocId::from_content(text), text.clone(), "-");
    p.run(&mut doc);
    let found: Vec<(&str, EntityType, &str)> = doc
        .entities
        .iter()
        .map(|e| (doc.span_text(e), e.kind, e.source))
        .collect();
    assert!(
        found.contains(&("France", EntityType::Country, "gazetteer")),
        "{found:?}"
    );
    assert!(
        found.contains(&("Indian", EntityType::Country, "gazetteer")),
        "{found:?}"
    );
    assert!(
        found.contains(&("Oskar Lind", EntityType::Person, "ner")),
        "{found:?}"
    );
}

#[test]
fn long_sentences_take_linear_time() {
    let model = NerModel::train(&corpus(), None, &config());
    let words: Vec<&str> = ["Oskar", "Lind", "visited", "Varnholm", "and"]
        .iter()
        .copied()
        .cycle()
        .take(5000)
        .collect();
    let start = std::time::Instant::now();
    let spans = model.tag_words(&words);
    assert!(!spans.is_empty());
    assert!(spans.iter().all(|s| s.0 < s.1 && s.1 <= words.len()));
    // Generous: debug build, shared CI machine. Quadratic behaviour would take minutes.
    assert!(start.elapsed().as_secs() < 20);
    assert!(model.tag_words(&[]).is_empty());
}

#[test]
fn fused_table_scores_like_the_weight_tables() {
    // The fused runtime table must give the emissions the per-pass tables give.
    let model = NerModel::train(&corpus(), None, &config());
    let words = [
        "Oskar", "Lind", "flew", "to", "Varnholm", "for", "the", "Harbour", "Games", ".",
    ];
    let infos = {
        let mut v = Vec::new();
        features::token_infos(
            &words,
            &[0; 10],
            &model.names,
            model.clusters.as_deref(),
            &model.switches,
            &mut v,
        );
        v
    };
    let mut f = train::Feats::default();
    features::sentence_features(
        &words,
        &infos,
        &[],
        None,
        &model.switches,
        &mut f.feats,
        &mut f.offs,
    );
    let mut expected = Vec::new();
    train::emissions(&model.pass1, &[&f], &mut expected);
    let mut rows = Vec::new();
    model.fused.resolve(&f.feats, &mut rows);
    for t in 0..words.len() {
        let mut acc = [0i32; N_LABELS];
        for &r in &rows[f.offs[t] as usize..f.offs[t + 1] as usize] {
            if r != u32::MAX {
                add_row(&mut acc, &model.fused.row_at(r)[..N_LABELS]);
            }
        }
        for c in 0..N_LABELS {
            let got = acc[c] as f32 * model.fused.scale1;
            assert!(
                (got - expected[t * N_LABELS + c]).abs() < 1e-3,
                "token {t} label {c}: {got} vs {}",
                expected[t * N_LABELS + c]
            );
        }
    }
}

#[test]
fn oversampling_and_pruning() {
    let docs = corpus();
    let repeat = Arc::new(vec![3u32; docs.len()]);
    let cfg = NerTrainConfig {
        doc_repeat: Some(repeat),
        ..config()
    };
    let a = NerModel::train(&docs, None, &cfg);
    assert_eq!(
        a.to_bytes(),
        NerModel::train(&docs, None, &cfg).to_bytes(),
        "deterministic with repeats"
    );
    let pruned = NerModel::train(
        &docs,
        None,
        &NerTrainConfig {
            prune: 0.5,
            ..cfg.clone()
        },
    );
    assert!(
        pruned.sizes().0 < a.sizes().0,
        "{:?} vs {:?}",
        pruned.sizes(),
        a.sizes()
    );
    let spans = pruned.tag_words(&["Oskar", "Lind", "met", "Mira", "Tolvanen", "."]);
    assert_eq!(
        spans.iter().map(|s| (s.0, s.1, s.2)).collect::<Vec<_>>(),
        vec![(0, 2, EntityType::Person), (3, 5, EntityType::Person)]
    );
}

#[test]
fn tagger_fingerprint_names_the_model() {
    let a = NerModel::train(&corpus(), None, &config());
    let b = NerModel::train(
        &corpus(),
        None,
        &NerTrainConfig {
            iterations: 2,
            ..config()
        },
    );
    let path = tmp("fingerprint.kmodel");
    a.save(&path).unwrap();
    let loaded = NerTagger::load(&path).unwrap();
    let built = NerTagger::new(Arc::new(a));
    assert_eq!(
        loaded.fingerprint(),
        built.fingerprint(),
        "loaded and in-memory agree"
    );
    assert_ne!(
        built.fingerprint(),
        NerTagger::new(Arc::new(b)).fingerprint()
    );
    assert!(built.fingerprint().starts_with("ner:"));
}

fn gazetteer_doc(text: &str) -> Doc {
    let mut doc = Doc::new(DocId::from_content(text), text.to_string(), "test");
    Pipeline::new()
        .with(Tokenizer)
        .with(GazetteerTagger::default())
        .run(&mut doc);
    doc
}

fn token_of(doc: &Doc, word: &str) -> usize {
    (0..doc.tokens.len())
        .find(|&t| doc.token_text(t) == word)
        .unwrap()
}

#[test]
fn a_city_named_after_its_country_replaces_the_country_span() {
    let doc = gazetteer_doc("Flights to Panama City resumed.");
    let panama = token_of(&doc, "Panama");
    assert_eq!(
        doc.entities.len(),
        1,
        "the gazetteer tags the country alone"
    );
    let city = [(panama, panama + 2, EntityType::Location, 0.9)];
    assert_eq!(superseded_spans(&doc, &city), vec![0]);
    // A predicted organisation keeps the country apart (its `based-in` relation), and so
    // does a place that does not open with the country.
    let org = [(panama, panama + 2, EntityType::Organization, 0.9)];
    assert!(superseded_spans(&doc, &org).is_empty());
}

#[test]
fn an_organisation_named_with_a_place_it_does_not_open_with_replaces_the_place() {
    let doc = gazetteer_doc("The Bank of Kenya cut rates.");
    let bank = token_of(&doc, "Bank");
    let kenya = token_of(&doc, "Kenya");
    assert!(
        doc.entities
            .iter()
            .any(|e| e.kind == EntityType::Country && e.tokens.start == kenya),
        "{:?}",
        doc.entities
    );
    let org = [(bank, kenya + 1, EntityType::Organization, 0.9)];
    assert_eq!(superseded_spans(&doc, &org).len(), 1);
}

#[test]
fn a_title_word_inside_a_persons_name_is_not_a_role() {
    let doc = gazetteer_doc("Crowds honoured Martin Luther King on Monday.");
    let martin = token_of(&doc, "Martin");
    let king = token_of(&doc, "King");
    assert!(
        doc.entities
            .iter()
            .any(|e| e.kind == EntityType::Role && e.tokens.start == king),
        "{:?}",
        doc.entities
    );
    let person = [(martin, king + 1, EntityType::Person, 0.9)];
    assert_eq!(superseded_spans(&doc, &person).len(), 1);
    // A title opening the predicted name stays the role it is.
    let doc = gazetteer_doc("President Ilse Varga spoke.");
    let president = token_of(&doc, "President");
    let titled = [(president, president + 3, EntityType::Person, 0.9)];
    assert!(superseded_spans(&doc, &titled).is_empty());
}

#[test]
fn spans_drop_symbols_at_their_edges() {
    // A model that learnt to take a heading's "#" into a name.
    let mut docs = corpus();
    let heading = "#/B-Organization Brask/I-Organization Institute/I-Organization opens today .";
    docs.push(TaggedDocument {
        sentences: (0..4).map(|_| sent(heading)).collect(),
    });
    let model = Arc::new(NerModel::train(&docs, None, &config()));
    let raw = model.tag_words(&["#", "Brask", "Institute", "opens", "today", "."]);
    assert_eq!(
        raw.first().map(|s| (s.0, s.1)),
        Some((0, 3)),
        "the model takes the '#': {raw:?}"
    );
    let text = "# Brask Institute opens today.";
    let mut doc = Doc::new(DocId::from_content(text), text, "-");
    pipeline(model).run(&mut doc);
    let found: Vec<&str> = doc.entities.iter().map(|e| doc.span_text(e)).collect();
    assert_eq!(found, ["Brask Institute"]);
}

#[test]
fn names_ending_in_an_institution_word_are_organisations() {
    assert_eq!(
        institution_type("Department", EntityType::Person),
        EntityType::Organization
    );
    assert_eq!(
        institution_type("Front", EntityType::Location),
        EntityType::Organization
    );
    // Other types stand, and so do heads that also end places.
    assert_eq!(
        institution_type("Department", EntityType::Event),
        EntityType::Event
    );
    assert_eq!(
        institution_type("Bank", EntityType::Location),
        EntityType::Location
    );
    assert_eq!(
        institution_type("Union", EntityType::Location),
        EntityType::Location
    );
}

pub(super) fn lexicon() -> Arc<Lexicon> {
    let lists = vec![
        (
            "place".to_string(),
            vec![
                "Quellford".to_string(),
                "Varnholm".to_string(),
                "Drelby".to_string(),
                "Port Sallow".to_string(),
            ],
        ),
        (
            "first".to_string(),
            vec![
                "Anna".to_string(),
                "Oskar".to_string(),
                "Mira".to_string(),
                "Teodor".to_string(),
            ],
        ),
    ];
    Arc::new(Lexicon::from_lists(lists).unwrap())
}

#[test]
fn lexicon_features_fire_on_listed_names_and_their_neighbours() {
    // The same data with and without the lexicon: features per token differ only there.
    let with = NerModel::train(
        &corpus(),
        None,
        &NerTrainConfig {
            lexicon: Some(lexicon()),
            ..config()
        },
    );
    let without = NerModel::train(&corpus(), None, &config());
    assert!(!without.meta().features.lexicons);
    assert!(without.meta().lexicons.is_empty());
    let words = [
        "Officials",
        "in",
        "Drelby",
        "praised",
        "Teodor",
        "Lind",
        ".",
    ];
    let mut a = Vec::new();
    let mut b = Vec::new();
    for (m, out) in [(&with, &mut a), (&without, &mut b)] {
        let gaz = vec![0u8; words.len()];
        let mut infos = Vec::new();
        features::token_infos(&words, &gaz, &m.names, None, &m.switches, &mut infos);
        features::lexicon_codes(
            &m.lexicon,
            &words,
            std::slice::from_ref(&(0..words.len())),
            &mut infos,
            &mut Vec::new(),
        );
        let (mut f, mut o) = (Vec::new(), Vec::new());
        features::sentence_features(&words, &infos, &[], None, &m.switches, &mut f, &mut o);
        out.extend(o.windows(2).map(|w| w[1] - w[0]));
    }
    // "Drelby" (a place) and "Teodor" (a first name): code and code x shape; their
    // neighbours: the code at -1 or +1 ("praised" has both); the rest: none.
    let extra: Vec<i64> = a
        .iter()
        .zip(&b)
        .map(|(x, y)| *x as i64 - *y as i64)
        .collect();
    assert_eq!(extra, [0, 1, 2, 2, 2, 1, 0]);
}

#[test]
fn ensembles_give_the_same_bytes_whatever_the_thread_count() {
    let docs = corpus();
    let dev = &docs[..1];
    let cfg = NerTrainConfig {
        ensemble: 3,
        ..config()
    };
    let one = NerModel::train(
        &docs,
        Some(dev),
        &NerTrainConfig {
            threads: 1,
            ..cfg.clone()
        },
    )
    .to_bytes();
    let three = NerModel::train(
        &docs,
        Some(dev),
        &NerTrainConfig {
            threads: 3,
            ..cfg.clone()
        },
    )
    .to_bytes();
    let again = NerModel::train(
        &docs,
        Some(dev),
        &NerTrainConfig {
            threads: 2,
            ..cfg.clone()
        },
    )
    .to_bytes();
    assert_eq!(one, three, "1 thread vs 3");
    assert_eq!(one, again, "same config twice");
    // The members are averaged: another model than the single one, one table all the same.
    let single = NerModel::train(&docs, Some(dev), &config());
    let model = NerModel::from_bytes(&one, Path::new("ensemble.kmodel")).unwrap();
    assert_ne!(one, single.to_bytes());
    assert_eq!(model.meta().config["ensemble"], 3);
    assert_eq!(
        model.meta().dev_f1_ensemble.len(),
        2,
        "ensemble dev F1 of both passes"
    );
    assert!(
        model.sizes().0 >= single.sizes().0,
        "the union of the members' rows"
    );
    let spans = model.tag_words(&[
        "Oskar",
        "Lind",
        "met",
        "Mira",
        "Tolvanen",
        "in",
        "Quellford",
        ".",
    ]);
    let kinds: Vec<_> = spans.iter().map(|s| (s.0, s.1, s.2)).collect();
    assert_eq!(
        kinds,
        vec![
            (0, 2, EntityType::Person),
            (3, 5, EntityType::Person),
            (6, 7, EntityType::Location)
        ]
    );
}

#[test]
fn a_single_model_does_not_depend_on_the_thread_count_and_records_no_ensemble() {
    let docs = corpus();
    let a = NerModel::train(
        &docs,
        Some(&docs[..1]),
        &NerTrainConfig {
            threads: 1,
            ..config()
        },
    );
    let b = NerModel::train(
        &docs,
        Some(&docs[..1]),
        &NerTrainConfig {
            threads: 4,
            ..config()
        },
    );
    assert_eq!(a.to_bytes(), b.to_bytes());
    assert!(
        a.meta().config.get("ensemble").is_none(),
        "ensemble = 1 leaves the metadata as it was"
    );
    assert!(a.meta().dev_f1_ensemble.is_empty());
}

#[test]
fn margin_and_word_dropout_train_deterministic_models_that_learn() {
    let docs = corpus();
    for cfg in [
        NerTrainConfig {
            margin: 2.0,
            ..config()
        },
        NerTrainConfig {
            word_dropout: 0.3,
            iterations: 8,
            ..config()
        },
    ] {
        let a = NerModel::train(&docs, None, &cfg);
        assert_eq!(
            a.to_bytes(),
            NerModel::train(&docs, None, &cfg).to_bytes(),
            "{cfg:?}"
        );
        assert_ne!(
            a.to_bytes(),
            NerModel::train(&docs, None, &config()).to_bytes(),
            "{cfg:?} changes the model"
        );
        let spans = a.tag_words(&["Oskar", "Lind", "met", "Mira", "Tolvanen", "."]);
        assert_eq!(
            spans.iter().map(|s| (s.0, s.1, s.2)).collect::<Vec<_>>(),
            vec![(0, 2, EntityType::Person), (3, 5, EntityType::Person)],
            "{cfg:?}"
        );
    }
}

/// Document features of sentence `i` of `sents` (words), with all pass-1 labels given.
fn doc_features(
    sents: &[&[&str]],
    labels: &[Vec<u8>],
    sw: FeatureSwitches,
    i: usize,
) -> Vec<Vec<u64>> {
    let infos: Vec<Vec<features::TokInfo>> = sents
        .iter()
        .map(|s| {
            let mut v = Vec::new();
            features::token_infos(
                s,
                &vec![0; s.len()],
                &NameLists::default(),
                None,
                &sw,
                &mut v,
            );
            v
        })
        .collect();
    let stats = document::DocStats::build(
        infos
            .iter()
            .zip(labels)
            .map(|(i, l)| (i.as_slice(), l.as_slice())),
        &sw,
    );
    let mut f = train::Feats::default();
    stats.features(&infos[i], &labels[i], &mut f.feats, &mut f.offs);
    (0..f.len()).map(|t| f.token(t).to_vec()).collect()
}

#[test]
fn context_aggregation_reads_the_other_occurrences_only_and_is_bounded() {
    let off = FeatureSwitches::default();
    let on = FeatureSwitches {
        doc_context: true,
        ..off
    };
    let o = |s: &[&str]| vec![labels::O; s.len()];
    let a: &[&str] = &["Varnholm", "said", "so", "."];
    let b: &[&str] = &["officials", "in", "Varnholm", "praised", "it"];
    let extra = |sents: &[&[&str]], t: usize| {
        let labels: Vec<Vec<u8>> = sents.iter().map(|s| o(s)).collect();
        doc_features(sents, &labels, on, 0)[t].len() as isize
            - doc_features(sents, &labels, off, 0)[t].len() as isize
    };
    // Alone in its document, a word has no other context.
    assert_eq!(extra(&[a], 0), 0);
    // With another occurrence: its four neighbours (officials, in, praised, it).
    assert_eq!(extra(&[a, b], 0), 4);
    // Lower-case words get none, and the features name the words: another context, other keys.
    assert_eq!(extra(&[a, b], 1), 0);
    let c: &[&str] = &["rebels", "near", "Varnholm", "fled", "today"];
    let labels = vec![o(a), o(b)];
    let with_b = doc_features(&[a, b], &labels, on, 0)[0].clone();
    let with_c = doc_features(&[a, c], &labels, on, 0)[0].clone();
    assert_ne!(with_b, with_c);
    // However often a name repeats, a token gets at most 4 per aggregated occurrence.
    let many: Vec<Vec<String>> = (0..200)
        .map(|k| {
            vec![
                format!("x{k}"),
                format!("w{k}"),
                "Varnholm".into(),
                format!("v{k}"),
                format!("y{k}"),
            ]
        })
        .collect();
    let many: Vec<Vec<&str>> = many
        .iter()
        .map(|s| s.iter().map(String::as_str).collect())
        .collect();
    let mut sents: Vec<&[&str]> = vec![a];
    sents.extend(many.iter().map(|s| s.as_slice()));
    // (The first 16 occurrences are aggregated; the token's own is one of them.)
    assert_eq!(extra(&sents, 0), 4 * 15);
}

#[test]
fn label_distribution_counts_the_other_occurrences_types() {
    let off = FeatureSwitches::default();
    let on = FeatureSwitches {
        doc_distribution: true,
        ..off
    };
    let a: &[&str] = &["Varnholm", "said", "so"];
    let b: &[&str] = &["in", "Varnholm", "today"];
    let place = labels::label(
        TYPES
            .iter()
            .position(|t| *t == EntityType::Location)
            .unwrap(),
        labels::U,
    );
    let person = labels::label(
        TYPES.iter().position(|t| *t == EntityType::Person).unwrap(),
        labels::U,
    );
    let labels = vec![
        vec![person, 0, 0],
        vec![0, place, 0],
        vec![0, place, 0],
        vec![0, 0, 0],
    ];
    let sents: &[&[&str]] = &[a, b, b, b];
    let diff = doc_features(sents, &labels, on, 0)[0].len()
        - doc_features(sents, &labels, off, 0)[0].len();
    // Others: Location 2 of 3, no type 1 of 3 (its own Person label is left out).
    assert_eq!(diff, 2);
}

#[test]
fn feature_dropout_is_seeded_thread_count_independent_and_still_learns() {
    let docs = corpus();
    let dev = &docs[..1];
    let cfg = NerTrainConfig {
        feature_dropout: 0.25,
        iterations: 8,
        ..config()
    };
    let a = NerModel::train(
        &docs,
        Some(dev),
        &NerTrainConfig {
            threads: 1,
            ..cfg.clone()
        },
    )
    .to_bytes();
    assert_eq!(
        a,
        NerModel::train(
            &docs,
            Some(dev),
            &NerTrainConfig {
                threads: 4,
                ..cfg.clone()
            }
        )
        .to_bytes(),
        "same seed, same bytes"
    );
    let plain = NerModel::train(
        &docs,
        Some(dev),
        &NerTrainConfig {
            iterations: 8,
            ..config()
        },
    )
    .to_bytes();
    assert_ne!(a, plain, "dropout changes the updates");
    let b = NerModel::train(
        &docs,
        Some(dev),
        &NerTrainConfig {
            seed: 2,
            ..cfg.clone()
        },
    )
    .to_bytes();
    assert_ne!(a, b, "another seed, another mask");
    // An ensemble's members draw their own masks, in parallel or not.
    let ens = NerTrainConfig {
        ensemble: 2,
        ..cfg.clone()
    };
    let e1 = NerModel::train(
        &docs,
        Some(dev),
        &NerTrainConfig {
            threads: 1,
            ..ens.clone()
        },
    )
    .to_bytes();
    assert_eq!(
        e1,
        NerModel::train(
            &docs,
            Some(dev),
            &NerTrainConfig {
                threads: 3,
                ..ens.clone()
            }
        )
        .to_bytes()
    );
    let model = NerModel::from_bytes(&a, Path::new("dropout.kmodel")).unwrap();
    assert_eq!(model.meta().config["feature_dropout"], 0.25);
    // Tagging uses every feature: the model still names what it was trained on.
    let spans = model.tag_words(&["Oskar", "Lind", "met", "Mira", "Tolvanen", "."]);
    assert_eq!(
        spans.iter().map(|s| (s.0, s.1, s.2)).collect::<Vec<_>>(),
        vec![(0, 2, EntityType::Person), (3, 5, EntityType::Person)]
    );
}

#[test]
fn feature_dropout_zero_is_the_plain_trainer_and_bad_values_are_refused() {
    let docs = corpus();
    let zero = NerModel::train(
        &docs,
        Some(&docs[..1]),
        &NerTrainConfig {
            feature_dropout: 0.0,
            ..config()
        },
    );
    assert_eq!(
        zero.to_bytes(),
        NerModel::train(&docs, Some(&docs[..1]), &config()).to_bytes()
    );
    assert!(
        zero.meta().config.get("feature_dropout").is_none(),
        "0 leaves the recorded config as it was"
    );
    assert!(NerTrainConfig {
        feature_dropout: 0.3,
        ..config()
    }
    .check()
    .is_ok());
    for p in [1.0, -0.1, 2.5, f32::NAN] {
        let err = NerTrainConfig {
            feature_dropout: p,
            ..config()
        }
        .check()
        .unwrap_err();
        assert!(
            err.contains("feature_dropout") && err.contains("[0, 1)"),
            "{err}"
        );
    }
    assert!(NerTrainConfig {
        word_dropout: 1.0,
        ..config()
    }
    .check()
    .unwrap_err()
    .contains("word_dropout"));
}

/// Static (pass-1) features of each token of one sentence, as a sorted set per token.
fn static_features(words: &[&str], sw: &FeatureSwitches, topic: Option<u64>) -> Vec<Vec<u64>> {
    let mut infos = Vec::new();
    features::token_infos(
        words,
        &vec![0; words.len()],
        &NameLists::default(),
        None,
        sw,
        &mut infos,
    );
    let (mut f, mut o) = (Vec::new(), Vec::new());
    features::sentence_features(words, &infos, &[], topic, sw, &mut f, &mut o);
    o.windows(2)
        .map(|w| {
            let mut v = f[w[0] as usize..w[1] as usize].to_vec();
            v.sort_unstable();
            v
        })
        .collect()
}

/// Features a switch adds to each token: keys in `on` and not in `off`.
fn added(on: &[Vec<u64>], off: &[Vec<u64>]) -> Vec<Vec<u64>> {
    on.iter()
        .zip(off)
        .map(|(a, b)| a.iter().copied().filter(|k| !b.contains(k)).collect())
        .collect()
}

#[test]
fn sentence_type_features_tell_tables_from_prose() {
    let off = FeatureSwitches::default();
    let on = FeatureSwitches {
        sentence_type: true,
        ..off
    };
    let table = ["Leeds", "2", "Coventry", "1"];
    // Each token: class × shape, class × position (no clusters here), and the nearest
    // number within 4 on each side ("Coventry": both; "Leeds": the 2 at +1; the numbers:
    // each other, two apart).
    let extra = added(
        &static_features(&table, &on, None),
        &static_features(&table, &off, None),
    );
    assert_eq!(extra.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3, 4, 3]);
    // Prose without numbers: class × shape and × position only.
    let prose = ["Leeds", "is", "a", "city", "in", "England", "."];
    let extra_prose = added(
        &static_features(&prose, &on, None),
        &static_features(&prose, &off, None),
    );
    assert!(extra_prose.iter().all(|e| e.len() == 2), "{extra_prose:?}");
    // The same word in a table and in prose: other keys (another sentence class).
    assert!(extra[0].iter().all(|k| !extra_prose[0].contains(k)));
    // A number beyond 4 tokens is not seen; letters make a word no number.
    let far = ["Leeds", "a", "b", "c", "d", "5", "H1"];
    let extra_far = added(
        &static_features(&far, &on, None),
        &static_features(&far, &off, None),
    );
    assert_eq!(extra_far[0].len(), 2);
    assert_eq!(extra_far[1].len(), 3, "`a` sees the 5 four tokens on");
    assert_eq!(
        extra_far[6].len(),
        3,
        "`H1` is a word that sees the 5 at -1, not a number"
    );
    // Off: exactly the features of a model without the switch.
    assert_eq!(
        static_features(&table, &off, None),
        static_features(&table, &FeatureSwitches::default(), None)
    );
}

#[test]
fn char_ngrams_name_the_pieces_of_a_word_in_bounded_number() {
    let off = FeatureSwitches::default();
    let n3 = FeatureSwitches {
        char_ngrams: 3,
        ..off
    };
    let n4 = FeatureSwitches {
        char_ngrams: 4,
        ..off
    };
    let words = ["Abbas", "ABBAS", "1996", "Jabban"];
    let base = static_features(&words, &off, None);
    let e3 = added(&static_features(&words, &n3, None), &base);
    let e4 = added(&static_features(&words, &n4, None), &base);
    // ^ab abb bba bas as$; with 4-grams also ^abb abba bbas bas$.
    assert_eq!(e3[0].len(), 5);
    assert_eq!(e4[0].len(), 9);
    // Lower-cased: the same pieces whatever the case; numbers get none.
    assert_eq!(e3[0], e3[1]);
    assert!(e3[2].is_empty());
    // Two names share the pieces they share: "bba" (and no more with "Jabban"'s 3-grams:
    // ^ja jab abb bba ban an$ — "abb" and "bba").
    assert_eq!(e3[3].iter().filter(|k| e3[0].contains(k)).count(), 2);
    // A very long word: 32 characters at most, so 32 3-grams.
    let long = "x".repeat(200);
    let e = added(
        &static_features(&[long.as_str()], &n3, None),
        &static_features(&[long.as_str()], &off, None),
    );
    assert!(e[0].len() <= 32, "{}", e[0].len());
    // Out-of-range values are refused, naming the switch.
    for bad in [1u8, 2, 6, 200] {
        let cfg = NerTrainConfig {
            features: FeatureSwitches {
                char_ngrams: bad,
                ..off
            },
            ..config()
        };
        let err = cfg.check().unwrap_err();
        assert!(err.contains("char_ngrams"), "{err}");
    }
    assert!(NerTrainConfig {
        features: n4,
        ..config()
    }
    .check()
    .is_ok());
    // A model trained with them still learns the data and records the switch.
    let model = NerModel::train(
        &corpus(),
        None,
        &NerTrainConfig {
            features: n3,
            ..config()
        },
    );
    assert_eq!(model.meta().features.char_ngrams, 3);
    let spans = model.tag_words(&[
        "Oskar",
        "Lind",
        "met",
        "Mira",
        "Tolvanen",
        "in",
        "Quellford",
        ".",
    ]);
    assert_eq!(
        spans.iter().map(|s| (s.0, s.1, s.2)).collect::<Vec<_>>(),
        vec![
            (0, 2, EntityType::Person),
            (3, 5, EntityType::Person),
            (6, 7, EntityType::Location)
        ]
    );
}

/// Documents whose only difference is the first word: under SOCCER the names are teams,
/// under WEATHER towns.
fn topic_docs(names: &[&str]) -> Vec<TaggedDocument> {
    let mut docs = Vec::new();
    for pair in names.windows(2) {
        for (topic, tag) in [("SOCCER", "B-Organization"), ("WEATHER", "B-Location")] {
            let head = sent(&format!("{topic} - LATEST ."));
            let body = sent(&format!("{}/{tag} 2 {}/{tag} 1", pair[0], pair[1]));
            docs.push(TaggedDocument {
                sentences: vec![head, body],
            });
        }
    }
    docs
}

#[test]
fn doc_topic_tells_teams_from_towns_by_the_documents_first_word() {
    let train = topic_docs(&[
        "Quellford",
        "Varnholm",
        "Drelby",
        "Brasko",
        "Norvik",
        "Tolmead",
        "Hamsby",
        "Ardel",
        "Quellford",
    ]);
    let on = FeatureSwitches {
        doc_topic: true,
        ..FeatureSwitches::default()
    };
    let with = NerModel::train(
        &train,
        None,
        &NerTrainConfig {
            features: on,
            iterations: 6,
            ..config()
        },
    );
    let without = NerModel::train(
        &train,
        None,
        &NerTrainConfig {
            iterations: 6,
            ..config()
        },
    );
    assert!(with.meta().features.doc_topic);
    // Names never seen in training, in both kinds of document.
    let body = vec!["Keswold", "2", "Marnby", "1"];
    let types = |m: &NerModel, topic: &str| -> Vec<EntityType> {
        let doc = vec![vec![topic, "-", "LATEST", "."], body.clone()];
        m.tag_document(&doc)[1].iter().map(|s| s.2).collect()
    };
    assert_eq!(types(&with, "SOCCER"), [EntityType::Organization; 2]);
    assert_eq!(types(&with, "WEATHER"), [EntityType::Location; 2]);
    // Without the switch the two documents look alike past their first word: same answer.
    assert_eq!(types(&without, "SOCCER"), types(&without, "WEATHER"));
    // The topic is the document's first token: pass-1 features differ by it, for
    // capitalised tokens only; off or without a topic, none.
    let t = |w: &str| Some(features::lower_key(w));
    let a = static_features(&body, &on, t("SOCCER"));
    let b = static_features(&body, &on, t("WEATHER"));
    assert_ne!(a[0], b[0]);
    assert_eq!(a[1], b[1]);
    let plain = static_features(&body, &FeatureSwitches::default(), None);
    assert_eq!(
        static_features(&body, &FeatureSwitches::default(), t("SOCCER")),
        plain
    );
    assert_eq!(static_features(&body, &on, None), plain);
    // Same bytes twice.
    assert_eq!(
        with.to_bytes(),
        NerModel::train(
            &train,
            None,
            &NerTrainConfig {
                features: on,
                iterations: 6,
                ..config()
            }
        )
        .to_bytes()
    );
}

/// Invented names of two syllables; the type goes by the parity of the syllables' indices,
/// so that neither prefix nor suffix tells a person from a place. `held_out`: the twelve
/// names `(i, i + 1)`, `(i, i + 2)` (mod 6), half of each type; otherwise the other 24.
pub(super) fn stack_names(held_out: bool) -> Vec<(String, EntityType)> {
    let (a, b) = (
        ["Bra", "Kel", "Mor", "Tav", "Sil", "Dun"],
        ["vik", "dor", "mel", "rus", "tan", "gel"],
    );
    let mut out = Vec::new();
    for (i, first) in a.iter().enumerate() {
        for (j, second) in b.iter().enumerate() {
            let held = j == (i + 1) % 6 || j == (i + 2) % 6;
            if held == held_out {
                let kind = if (i + j) % 2 == 0 {
                    EntityType::Person
                } else {
                    EntityType::Location
                };
                out.push((format!("{first}{second}"), kind));
            }
        }
    }
    out
}

/// One document per name: "NAME came ." (plus a sentence without names), the name tagged
/// with its type.
pub(super) fn came_docs(names: &[(String, EntityType)]) -> Vec<TaggedDocument> {
    names
        .iter()
        .map(|(w, kind)| TaggedDocument {
            sentences: vec![
                sent(&format!("{w}/B-{} came .", kind.as_str())),
                sent("the rain stopped ."),
            ],
        })
        .collect()
}

/// The inner model knows all 36 names; the outer data holds 24, in a context that does
/// not tell persons from places.
pub(super) fn stacked_pair() -> (Arc<NerModel>, NerModel) {
    let all: Vec<_> = stack_names(false)
        .into_iter()
        .chain(stack_names(true))
        .collect();
    // The inner model learns its names by heart (no affixes, which the names share).
    let by_heart = FeatureSwitches {
        affixes: false,
        ..FeatureSwitches::default()
    };
    let inner = Arc::new(NerModel::train(
        &came_docs(&all),
        None,
        &NerTrainConfig {
            iterations: 10,
            features: by_heart,
            ..config()
        },
    ));
    let outer = NerModel::train(
        &came_docs(&stack_names(false)),
        None,
        &NerTrainConfig {
            iterations: 6,
            stack: Some(inner.clone()),
            ..config()
        },
    );
    (inner, outer)
}

#[test]
fn a_stacked_model_uses_the_inner_models_labels() {
    let (inner, outer) = stacked_pair();
    assert!(outer.meta().features.stack);
    let plain = NerModel::train(
        &came_docs(&stack_names(false)),
        None,
        &NerTrainConfig {
            iterations: 6,
            ..config()
        },
    );
    assert!(!plain.meta().features.stack);
    // Names the outer data never had: only the inner model's labels type them.
    let (mut right_stacked, mut right_plain, mut right_inner) = (0, 0, 0);
    for (w, kind) in stack_names(true) {
        let doc = vec![vec![w.as_str(), "came", "."]];
        let is_right = |m: &NerModel| {
            m.tag_document(&doc)[0]
                .iter()
                .any(|s| (s.0, s.1, s.2) == (0, 1, kind)) as usize
        };
        right_inner += is_right(&inner);
        right_stacked += is_right(&outer);
        right_plain += is_right(&plain);
    }
    assert_eq!(right_inner, 12);
    assert_eq!(right_stacked, 12);
    assert!(
        right_plain < 10,
        "without the inner labels {right_plain} of 12 right"
    );
    // Deterministic, and self-contained: the inner model travels in the file.
    let (_, again) = stacked_pair();
    assert_eq!(again.to_bytes(), outer.to_bytes());
    let file = outer.to_model_file();
    assert_eq!(file.version(), 3);
    assert_eq!(
        file.sections
            .iter()
            .find(|(n, _)| n == "stack")
            .map(|(_, b)| b.clone()),
        Some(inner.to_bytes())
    );
    assert_eq!(outer.meta().stack_data, inner.meta().data);
    let path = tmp("stacked.kmodel");
    outer.save(&path).unwrap();
    let loaded = NerModel::load(&path).unwrap();
    assert_eq!(loaded.to_bytes(), outer.to_bytes());
    let doc = vec![vec!["Brador", "came", "."], vec!["Braviken", "came", "."]];
    assert_eq!(loaded.tag_document(&doc), outer.tag_document(&doc));
    assert_eq!(
        loaded.stacked().map(|m| m.to_bytes()),
        Some(inner.to_bytes())
    );
    // The pipeline component tags with both models too.
    let mut d = Doc::new(DocId("s".into()), "Bramel came.".to_string(), "-");
    pipeline(Arc::new(loaded)).run(&mut d);
    assert_eq!(
        d.entities
            .iter()
            .map(|e| (d.span_text(e), e.kind))
            .collect::<Vec<_>>(),
        [("Bramel", EntityType::Person)]
    );
}

/// Stacking adds the inner model's tagging to training jobs that run in parallel: the
/// bytes must not depend on how many threads run them.
#[test]
fn a_stacked_model_does_not_depend_on_the_thread_count() {
    let (inner, _) = stacked_pair();
    let cfg = NerTrainConfig {
        iterations: 6,
        stack: Some(inner),
        ensemble: 2,
        ..config()
    };
    let docs = came_docs(&stack_names(false));
    let one = NerModel::train(
        &docs,
        Some(&docs[..2]),
        &NerTrainConfig {
            threads: 1,
            ..cfg.clone()
        },
    )
    .to_bytes();
    let three = NerModel::train(
        &docs,
        Some(&docs[..2]),
        &NerTrainConfig { threads: 3, ..cfg },
    )
    .to_bytes();
    assert!(one == three, "1 thread vs 3");
}

/// Three members that differ in seed and features: the voting model tags what most of
/// them tag, travels whole in one file (format version 5) and reloads to the same bytes.
pub(super) fn voting_members() -> (NerModel, Vec<NerModel>) {
    let docs = corpus();
    let first = NerModel::train(&docs, None, &config());
    let second = NerModel::train(
        &docs,
        None,
        &NerTrainConfig {
            seed: 7,
            ..config()
        },
    );
    let no_affixes = FeatureSwitches {
        affixes: false,
        ..FeatureSwitches::default()
    };
    let third = NerModel::train(
        &docs,
        None,
        &NerTrainConfig {
            seed: 3,
            features: no_affixes,
            ..config()
        },
    );
    (first, vec![second, third])
}

#[test]
fn a_voting_model_tags_what_most_members_tag() {
    let (first, others) = voting_members();
    let voting = first.clone().with_voters(others.clone()).unwrap();
    assert_eq!(voting.voters().len(), 2);
    assert_eq!(voting.meta().vote_data.len(), 2);
    let docs = [
        vec![
            vec![
                "Oskar",
                "Lind",
                "met",
                "Mira",
                "Tolvanen",
                "in",
                "Quellford",
                ".",
            ],
            vec!["Lind", "left", "."],
        ],
        vec![vec![
            "Brask",
            "Institute",
            "hired",
            "Anna",
            "Berg",
            "near",
            "Varnholm",
            ".",
        ]],
        vec![vec![
            "the", "Harbour", "Games", "in", "Norvik", "were", "won", "by", "Kel", "Brask", ".",
        ]],
    ];
    // Sentences where the members disagree and the first is outvoted: without them a model
    // that ignored its voters would pass too.
    let (mut disagreements, mut outvoted) = (0, 0);
    for doc in &docs {
        let each: Vec<Vec<Vec<NerSpan>>> = std::iter::once(&first)
            .chain(&others)
            .map(|m| m.tag_document(doc))
            .collect();
        let voted = voting.tag_document(doc);
        for (s, spans) in voted.iter().enumerate() {
            let members: Vec<Vec<NerSpan>> = each.iter().map(|m| m[s].clone()).collect();
            assert_eq!(spans, &vote::majority(&members), "sentence {s} of {doc:?}");
            let bounds = |m: &Vec<NerSpan>| m.iter().map(|x| (x.0, x.1, x.2)).collect::<Vec<_>>();
            disagreements += members.iter().any(|m| bounds(m) != bounds(&members[0])) as usize;
            outvoted += (bounds(spans) != bounds(&members[0])) as usize;
        }
    }
    assert!(
        disagreements > 0,
        "the members agree on every sentence: the test shows nothing"
    );
    assert!(
        outvoted > 0,
        "the first member is never outvoted: a model ignoring its voters would pass"
    );
    // Whole in one file, and deterministic.
    let file = voting.to_model_file();
    assert_eq!(file.version(), 5);
    assert_eq!(FORMAT_VERSION, 5);
    assert_eq!(file.sections.iter().filter(|(n, _)| n == "vote").count(), 2);
    let (again_first, again_others) = voting_members();
    assert_eq!(
        again_first.with_voters(again_others).unwrap().to_bytes(),
        voting.to_bytes()
    );
    let path = tmp("voting.kmodel");
    voting.save(&path).unwrap();
    let loaded = NerModel::load(&path).unwrap();
    assert_eq!(loaded.to_bytes(), voting.to_bytes());
    assert_eq!(loaded.tag_document(&docs[0]), voting.tag_document(&docs[0]));
    // Each member comes back whole: its own file is the member's, byte for byte.
    let back: Vec<Vec<u8>> = loaded.voters().iter().map(NerModel::to_bytes).collect();
    assert_eq!(
        back,
        others.iter().map(NerModel::to_bytes).collect::<Vec<_>>()
    );
    // A model without voters keeps its version and bytes.
    assert!(first.to_model_file().version() < 4);
    assert!(first
        .to_model_file()
        .sections
        .iter()
        .all(|(n, _)| !n.ends_with(".sparse")));
    // The pipeline component votes too.
    let mut d = Doc::new(
        DocId("v".into()),
        "Oskar Lind visited Quellford.".to_string(),
        "-",
    );
    pipeline(Arc::new(loaded)).run(&mut d);
    let found: Vec<_> = d
        .entities
        .iter()
        .map(|e| (d.span_text(e), e.kind))
        .collect();
    let words = ["Oskar", "Lind", "visited", "Quellford", "."];
    let expected: Vec<_> = voting
        .tag_words(&words)
        .iter()
        .map(|&(s, e, kind, _)| (words[s..e].join(" "), kind))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(
        found
            .iter()
            .map(|(t, k)| (t.to_string(), *k))
            .collect::<Vec<_>>(),
        expected
    );
}
