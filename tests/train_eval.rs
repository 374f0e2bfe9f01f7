//! End-to-end tests of `kith train` and `kith eval` on tiny invented fixtures (fast: a
//! few sentences, a few epochs).

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn kith() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kith"));
    c.env_remove("KITH_MODELS");
    c
}

fn ok(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("kith runs");
    assert!(
        out.status.success(),
        "kith failed: {}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn fails(cmd: &mut Command) -> String {
    let out = cmd.output().expect("kith runs");
    assert!(!out.status.success(), "kith should have failed");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn conllu_sentence(words: &[(&str, &str, &str)]) -> String {
    let mut s = String::new();
    for (i, (w, u, x)) in words.iter().enumerate() {
        s.push_str(&format!(
            "{}\t{w}\t{w}\t{u}\t{x}\t_\t0\troot\t_\t_\n",
            i + 1
        ));
    }
    s.push('\n');
    s
}

fn write_pos_data(dir: &Path) {
    std::fs::create_dir_all(dir.join("data/train")).unwrap();
    let mut text = String::new();
    for _ in 0..3 {
        text += &conllu_sentence(&[
            ("the", "DET", "DT"),
            ("dog", "NOUN", "NN"),
            ("runs", "VERB", "VBZ"),
            (".", "PUNCT", "."),
        ]);
        text += &conllu_sentence(&[
            ("Anna", "PROPN", "NNP"),
            ("sees", "VERB", "VBZ"),
            ("a", "DET", "DT"),
            ("cat", "NOUN", "NN"),
        ]);
    }
    // A permissive genre and a non-commercial one (filtered out by genres = "permissive").
    std::fs::write(dir.join("data/train/GUM_news_one.conllu"), &text).unwrap();
    std::fs::write(
        dir.join("data/train/GUM_fiction_two.conllu"),
        "not even CoNLL-U\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("data/dev.conllu"),
        conllu_sentence(&[
            ("the", "DET", "DT"),
            ("cat", "NOUN", "NN"),
            ("runs", "VERB", "VBZ"),
        ]),
    )
    .unwrap();
    std::fs::write(
        dir.join("pos.toml"),
        "task = \"pos\"\ndata = \"data\"\noutput = \"out/pos.kmodel\"\nseed = 3\nepochs = 3\n\n\
         [[train]]\nformat = \"conllu\"\npath = \"train\"\ngenres = \"permissive\"\n\n\
         [[dev]]\nformat = \"conllu\"\npath = \"dev.conllu\"\n",
    )
    .unwrap();
}

#[test]
fn train_and_eval_pos() {
    let dir = tempfile::tempdir().unwrap();
    write_pos_data(dir.path());
    let out = ok(kith()
        .args(["train", "pos", "--config"])
        .arg(dir.path().join("pos.toml")));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("epoch  3") && err.contains("dev UPOS"),
        "{err}"
    );
    let model = dir.path().join("out/pos.kmodel");
    let first = std::fs::read(&model).unwrap();
    // Deterministic: the same config gives the same bytes.
    ok(kith()
        .args(["train", "pos", "--config"])
        .arg(dir.path().join("pos.toml")));
    assert_eq!(first, std::fs::read(&model).unwrap());

    let out = ok(kith()
        .args(["eval", "pos"])
        .arg(dir.path().join("data/dev.conllu"))
        .arg("--model")
        .arg(&model)
        .arg("--json"));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["tokens"], 3);
    assert_eq!(v["upos_accuracy"], 100.0);
    let out = ok(kith()
        .args(["eval", "pos"])
        .arg(dir.path().join("data/dev.conllu"))
        .arg("--model")
        .arg(&model));
    assert!(String::from_utf8_lossy(&out.stdout).contains("UPOS"));

    // A malformed training line stops with file:line and the reason.
    std::fs::write(
        dir.path().join("data/train/GUM_news_one.conllu"),
        "1\tthe\tthe\tDET\n",
    )
    .unwrap();
    let err = fails(
        kith()
            .args(["train", "pos", "--config"])
            .arg(dir.path().join("pos.toml")),
    );
    assert!(
        err.contains("GUM_news_one.conllu:1: expected 10 tab-separated CoNLL-U columns"),
        "{err}"
    );
    // A file that is not a model is refused by name.
    let err = fails(
        kith()
            .args(["eval", "pos"])
            .arg(dir.path().join("data/dev.conllu"))
            .arg("--model")
            .arg(dir.path().join("pos.toml")),
    );
    assert!(err.contains("pos.toml: not a Kith model file"), "{err}");
    // A config of the other task is refused.
    let err = fails(
        kith()
            .args(["train", "ner", "--config"])
            .arg(dir.path().join("pos.toml")),
    );
    assert!(err.contains("is a `pos` config"), "{err}");
}

#[test]
fn train_pos_with_feature_dropout() {
    let dir = tempfile::tempdir().unwrap();
    write_pos_data(dir.path());
    let config = dir.path().join("pos.toml");
    let model = dir.path().join("out/pos.kmodel");
    ok(kith().args(["train", "pos", "--config"]).arg(&config));
    let plain = std::fs::read(&model).unwrap();
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("epochs = 3\n", "epochs = 3\nfeature_dropout = 0.25\n");
    std::fs::write(&config, &text).unwrap();
    ok(kith().args(["train", "pos", "--config"]).arg(&config));
    let dropped = std::fs::read(&model).unwrap();
    assert_ne!(plain, dropped, "dropout changes training");
    // Seeded: the same config gives the same bytes.
    ok(kith().args(["train", "pos", "--config"]).arg(&config));
    assert_eq!(dropped, std::fs::read(&model).unwrap());
    std::fs::write(
        &config,
        text.replace("feature_dropout = 0.25", "feature_dropout = 1.5"),
    )
    .unwrap();
    let err = fails(kith().args(["train", "pos", "--config"]).arg(&config));
    assert!(
        err.contains("pos.toml: feature_dropout = 1.5: expected a probability in [0, 1)"),
        "{err}"
    );
}

#[test]
fn train_and_eval_ner() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("-DOCSTART- -X- -X- O\n\n");
    for (first, last, city) in [
        ("Anna", "Volk", "Varn"),
        ("Bo", "Stig", "Oslar"),
        ("Cara", "Lind", "Kestria"),
    ] {
        for _ in 0..3 {
            text += &format!("{first} NNP I-NP I-PER\n{last} NNP I-NP I-PER\nvisited VBD I-VP O\n{city} NNP I-NP I-LOC\n. . O O\n\n");
            text += &format!(
                "Zorla NNP I-NP I-ORG\nhired VBD I-VP O\n{last} NNP I-NP I-PER\n. . O O\n\n"
            );
        }
    }
    std::fs::write(dir.path().join("train.conll"), &text).unwrap();
    std::fs::write(dir.path().join("dev.conll"), "Anna NNP I-NP I-PER\nVolk NNP I-NP I-PER\nvisited VBD I-VP O\nOslar NNP I-NP I-LOC\n. . O O\n\n").unwrap();
    std::fs::write(
        dir.path().join("ner.toml"),
        "task = \"ner\"\noutput = \"ner.kmodel\"\nseed = 1\n\n\
         [[train]]\nformat = \"conll2003\"\npath = \"train.conll\"\n\n\
         [[dev]]\nformat = \"conll2003\"\npath = \"dev.conll\"\n\n\
         [ner]\niterations = 3\nfolds = 2\n",
    )
    .unwrap();
    ok(kith()
        .args(["train", "ner", "--config"])
        .arg(dir.path().join("ner.toml")));
    let model = dir.path().join("ner.kmodel");
    assert!(model.is_file());
    let out = ok(kith()
        .args(["eval", "ner"])
        .arg(dir.path().join("dev.conll"))
        .args(["--format", "conll", "--json", "--model"])
        .arg(&model));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["label_set"], "conll", "{v}");
    assert_eq!(v["overall"]["gold"], 2, "{v}");
    assert!(v["overall"]["f1"].as_f64().unwrap() >= 0.0);
    let out = ok(kith()
        .args(["eval", "ner"])
        .arg(dir.path().join("dev.conll"))
        .args(["--only", "LOC", "--json", "--model"])
        .arg(&model));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["overall"]["gold"], 1, "{v}");
    assert!(v["per_type"].get("PER").is_none(), "{v}");
    let out = ok(kith()
        .args(["eval", "ner"])
        .arg(dir.path().join("dev.conll"))
        .arg("--model")
        .arg(&model));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("overall") && table.contains("precision"),
        "{table}"
    );

    // Stacking: the model just trained is the inner model of another, stored in it (no
    // file is read at tagging time); a stacked model cannot be stacked again; only NER
    // configs take `stack`.
    let cfg = std::fs::read_to_string(dir.path().join("ner.toml")).unwrap();
    let stacked_cfg = |inner: &str, out: &str| {
        cfg.replace(
            "output = \"ner.kmodel\"",
            &format!("output = \"{out}\"\nstack = \"{inner}\""),
        )
    };
    std::fs::write(
        dir.path().join("stacked.toml"),
        stacked_cfg("ner.kmodel", "stacked.kmodel"),
    )
    .unwrap();
    ok(kith()
        .args(["train", "ner", "--config"])
        .arg(dir.path().join("stacked.toml")));
    let stacked = dir.path().join("stacked.kmodel");
    std::fs::rename(&model, dir.path().join("moved.kmodel")).unwrap();
    let out = ok(kith()
        .args(["eval", "ner"])
        .arg(dir.path().join("dev.conll"))
        .args(["--json", "--model"])
        .arg(&stacked));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["overall"]["gold"], 2, "{v}");
    std::fs::write(
        dir.path().join("twice.toml"),
        stacked_cfg("stacked.kmodel", "twice.kmodel"),
    )
    .unwrap();
    let err = fails(
        kith()
            .args(["train", "ner", "--config"])
            .arg(dir.path().join("twice.toml")),
    );
    assert!(
        err.contains("twice.toml") && err.contains("only one level of stacking"),
        "{err}"
    );
    std::fs::write(
        dir.path().join("gone.toml"),
        stacked_cfg("gone.kmodel", "x.kmodel"),
    )
    .unwrap();
    let err = fails(
        kith()
            .args(["train", "ner", "--config"])
            .arg(dir.path().join("gone.toml")),
    );
    assert!(err.contains("gone.kmodel"), "{err}");
    std::fs::write(
        dir.path().join("pos.toml"),
        "task = \"pos\"\noutput = \"pos.kmodel\"\nstack = \"stacked.kmodel\"\n\n[[train]]\nformat = \"conllu\"\npath = \"x.conllu\"\n",
    )
    .unwrap();
    let err = fails(
        kith()
            .args(["train", "pos", "--config"])
            .arg(dir.path().join("pos.toml")),
    );
    assert!(
        err.contains("pos.toml") && err.contains("`stack` names an NER model"),
        "{err}"
    );
    std::fs::rename(dir.path().join("moved.kmodel"), &model).unwrap();

    // Voting: members trained from their own configs by the same command and stored in
    // the model; a member may not vote; `vote` is NER's only.
    std::fs::create_dir(dir.path().join("members")).unwrap();
    let member = cfg
        .replace("seed = 1", "seed = 5")
        .replace("path = \"", "path = \"../");
    std::fs::write(dir.path().join("members/m5.toml"), &member).unwrap();
    std::fs::write(
        dir.path().join("members/m9.toml"),
        member.replace("seed = 5", "seed = 9"),
    )
    .unwrap();
    let voting_cfg = cfg.replace(
        "output = \"ner.kmodel\"",
        "output = \"voting.kmodel\"\nvote = [\"members/m5.toml\", \"members/m9.toml\"]",
    );
    std::fs::write(dir.path().join("voting.toml"), &voting_cfg).unwrap();
    let out = ok(kith()
        .args(["train", "ner", "--config"])
        .arg(dir.path().join("voting.toml")));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("voting member"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let voting = dir.path().join("voting.kmodel");
    let predictions = dir.path().join("predictions.txt");
    let out = ok(kith()
        .args(["eval", "ner"])
        .arg(dir.path().join("dev.conll"))
        .args(["--json", "--model"])
        .arg(&voting)
        .arg("--predictions")
        .arg(&predictions));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["overall"]["gold"], 2, "{v}");
    // The predictions file: a document line, then `word gold predicted` lines, whose
    // entities (BIO: one B- per entity) are the ones scored.
    let lines: Vec<String> = std::fs::read_to_string(&predictions)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(
        lines[..3],
        [
            "-DOCSTART- O O".to_string(),
            String::new(),
            "Anna B-PER ".to_string() + lines[2].rsplit(' ').next().unwrap()
        ]
    );
    let tokens: Vec<Vec<&str>> = lines
        .iter()
        .filter(|l| !l.is_empty() && !l.starts_with("-DOCSTART-"))
        .map(|l| l.split(' ').collect())
        .collect();
    assert_eq!(
        tokens.iter().map(|t| t[0]).collect::<Vec<_>>(),
        ["Anna", "Volk", "visited", "Oslar", "."]
    );
    assert!(tokens.iter().all(|t| t.len() == 3), "{lines:?}");
    let starts = |column: usize| {
        tokens
            .iter()
            .filter(|t| t[column].starts_with("B-"))
            .count()
    };
    assert_eq!(starts(1), 2, "{lines:?}");
    assert_eq!(
        serde_json::json!(starts(2)),
        v["overall"]["predicted"],
        "{lines:?} {v}"
    );
    // With --only, the file holds the types scored, as the scores do.
    ok(kith()
        .args(["eval", "ner"])
        .arg(dir.path().join("dev.conll"))
        .args(["--only", "LOC", "--model"])
        .arg(&voting)
        .arg("--predictions")
        .arg(&predictions));
    let only = std::fs::read_to_string(&predictions).unwrap();
    assert!(
        only.contains("Oslar B-LOC ") && only.contains("Anna O ") && !only.contains("PER"),
        "{only}"
    );
    std::fs::write(
        dir.path().join("members/nested.toml"),
        voting_cfg
            .replace("path = \"", "path = \"../")
            .replace("members/", ""),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("nested.toml"),
        cfg.replace(
            "output = \"ner.kmodel\"",
            "output = \"n.kmodel\"\nvote = [\"members/nested.toml\"]",
        ),
    )
    .unwrap();
    let err = fails(
        kith()
            .args(["train", "ner", "--config"])
            .arg(dir.path().join("nested.toml")),
    );
    assert!(
        err.contains("nested.toml") && err.contains("only one level of voting"),
        "{err}"
    );
    assert!(!dir.path().join("n.kmodel").exists());
    std::fs::write(dir.path().join("pos-vote.toml"), "task = \"pos\"\noutput = \"p.kmodel\"\nvote = [\"members/m5.toml\"]\n\n[[train]]\nformat = \"conllu\"\npath = \"x.conllu\"\n").unwrap();
    let err = fails(
        kith()
            .args(["train", "pos", "--config"])
            .arg(dir.path().join("pos-vote.toml")),
    );
    assert!(
        err.contains("pos-vote.toml") && err.contains("`vote` names NER configs"),
        "{err}"
    );
    // A member config that fails its checks stops the command before any training,
    // naming the member's file.
    std::fs::write(
        dir.path().join("members/bad.toml"),
        member.replace("[ner]\n", "[ner]\nfeature_dropout = 1.0\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bad-member.toml"),
        voting_cfg.replace("members/m9.toml", "members/bad.toml"),
    )
    .unwrap();
    let err = fails(
        kith()
            .args(["train", "ner", "--config"])
            .arg(dir.path().join("bad-member.toml")),
    );
    assert!(
        err.contains("members/bad.toml: [ner] feature_dropout = 1"),
        "{err}"
    );
    assert!(
        !err.contains("NER training on"),
        "trained before checking the members: {err}"
    );
    // A voting model cannot be stacked: its file would not load (an inner model may not vote).
    std::fs::write(
        dir.path().join("stack-voting.toml"),
        stacked_cfg("voting.kmodel", "sv.kmodel"),
    )
    .unwrap();
    let err = fails(
        kith()
            .args(["train", "ner", "--config"])
            .arg(dir.path().join("stack-voting.toml")),
    );
    assert!(
        err.contains("stack-voting.toml") && err.contains("an inner model may not vote"),
        "{err}"
    );
    // --dev-as-train: the dev data joins the training data of the model and of each
    // member; NER only; a config without dev data is refused (nothing would change).
    let merged = dir.path().join("merged.kmodel");
    ok(kith()
        .args(["train", "ner", "--dev-as-train", "--config"])
        .arg(dir.path().join("voting.toml"))
        .arg("-o")
        .arg(&merged));
    let data_of = |m: &std::path::Path| {
        let model = kith_nlp::NerModel::load(m).unwrap();
        std::iter::once(&model)
            .chain(model.voters())
            .map(|m| m.meta().data.join(", "))
            .collect::<Vec<_>>()
    };
    let (before, after) = (data_of(&voting), data_of(&merged));
    assert_eq!(after.len(), 3);
    assert!(
        before
            .iter()
            .all(|d| d.contains("train.conll") && !d.contains("dev.conll")),
        "{before:?}"
    );
    assert!(
        after
            .iter()
            .all(|d| d.contains("train.conll") && d.contains("dev.conll")),
        "{after:?}"
    );
    assert_ne!(
        std::fs::read(&merged).unwrap(),
        std::fs::read(&voting).unwrap()
    );
    std::fs::write(
        dir.path().join("no-dev.toml"),
        cfg.split("[[dev]]").next().unwrap().to_string() + "[ner]\niterations = 3\n",
    )
    .unwrap();
    let err = fails(
        kith()
            .args(["train", "ner", "--dev-as-train", "--config"])
            .arg(dir.path().join("no-dev.toml")),
    );
    assert!(
        err.contains("no-dev.toml") && err.contains("no [[dev]] data"),
        "{err}"
    );
    std::fs::write(dir.path().join("pos.toml"), "task = \"pos\"\noutput = \"p.kmodel\"\n\n[[train]]\nformat = \"conllu\"\npath = \"x.conllu\"\n").unwrap();
    let err = fails(
        kith()
            .args(["train", "pos", "--dev-as-train", "--config"])
            .arg(dir.path().join("pos.toml")),
    );
    assert!(
        err.contains("--dev-as-train is an NER training option"),
        "{err}"
    );

    // Malformed training data names file and line.
    std::fs::write(
        dir.path().join("train.conll"),
        "Anna NNP I-NP I-PER\nVolk NNP I-NP Q-PER\n",
    )
    .unwrap();
    let err = fails(
        kith()
            .args(["train", "ner", "--config"])
            .arg(dir.path().join("ner.toml")),
    );
    assert!(err.contains("train.conll:2: bad tag `Q-PER`"), "{err}");

    // A dropout probability outside [0, 1) is refused, naming the config and the setting.
    let cfg = std::fs::read_to_string(dir.path().join("ner.toml")).unwrap();
    std::fs::write(
        dir.path().join("bad.toml"),
        cfg.replace("[ner]\n", "[ner]\nfeature_dropout = 1.0\n"),
    )
    .unwrap();
    let err = fails(
        kith()
            .args(["train", "ner", "--config"])
            .arg(dir.path().join("bad.toml")),
    );
    assert!(
        err.contains("bad.toml") && err.contains("[ner] feature_dropout = 1"),
        "{err}"
    );

    // A top-level setting NER would ignore (its own lives under [ner]) is refused.
    std::fs::write(dir.path().join("top.toml"), format!("ensemble = 3\n{cfg}")).unwrap();
    let err = fails(
        kith()
            .args(["train", "ner", "--config"])
            .arg(dir.path().join("top.toml")),
    );
    assert!(
        err.contains("top.toml")
            && err
                .contains("top-level `ensemble` is not read by ner training; write it under [ner]"),
        "{err}"
    );
}

/// An invented CoNLL04 sentence: "<first> <last> works for <org> in <city> ."
fn conll04_sentence(first: &str, last: &str, org: &str, city: &str) -> Value {
    serde_json::json!({
        "tokens": [first, last, "works", "for", org, "in", city, "."],
        "tags": ["B-Peop", "L-Peop", "O", "O", "U-Org", "O", "U-Loc", "O"],
        "relations": [{"head": 0, "tail": 1, "type": "Work_For"}, {"head": 1, "tail": 2, "type": "OrgBased_In"}],
    })
}

#[test]
fn conll04_trains_a_ner_model_that_eval_relations_runs_in_the_pipeline() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        ("Anna", "Volk", "Zorlacorp", "Varn"),
        ("Bo", "Stig", "Kestrel", "Oslar"),
        ("Cara", "Lind", "Mirafin", "Tesk"),
    ];
    let sentences: Vec<Value> = names
        .iter()
        .cycle()
        .take(12)
        .map(|(f, l, o, c)| conll04_sentence(f, l, o, c))
        .collect();
    let data = dir.path().join("train.json");
    std::fs::write(&data, serde_json::to_string(&sentences).unwrap()).unwrap();
    std::fs::write(
        dir.path().join("ner.toml"),
        "task = \"ner\"\noutput = \"ner.kmodel\"\nseed = 1\n\n[[train]]\nformat = \"conll04\"\npath = \"train.json\"\n\n[ner]\niterations = 3\nfolds = 2\n",
    )
    .unwrap();
    ok(kith()
        .args(["train", "ner", "--config"])
        .arg(dir.path().join("ner.toml")));
    let model = dir.path().join("ner.kmodel");
    let out = ok(kith()
        .args(["eval", "ner"])
        .arg(&data)
        .args(["--format", "conll04", "--json", "--model"])
        .arg(&model));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["overall"]["gold"], 36, "{v}");
    let out = ok(kith()
        .args(["eval", "relations"])
        .arg(&data)
        .args(["--format", "conll04", "--json", "--classifier-train"])
        .arg(&data)
        .arg("--model")
        .arg(&model));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["relations"]["micro"]["gold"], 24, "{v}");
    assert_eq!(v["classifier_relations"]["micro"]["gold"], 24, "{v}");
    let with_model = v["pipeline"].as_str().unwrap().to_string();
    let out = ok(kith()
        .args(["eval", "relations"])
        .arg(&data)
        .args(["--format", "conll04", "--json"]));
    let default: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_ne!(
        default["pipeline"].as_str().unwrap(),
        with_model,
        "the given NER model replaces the default one"
    );
    let err = fails(
        kith()
            .args(["eval", "relations"])
            .arg(&data)
            .args(["--format", "conll04", "--model"])
            .arg(dir.path().join("none.kmodel")),
    );
    assert!(err.contains("none.kmodel"), "{err}");
}

#[test]
fn eval_sentences_scores_the_splitter_on_conllu_documents() {
    let dir = tempfile::tempdir().unwrap();
    // Two paragraphs: a quotation over two sentences, then a plain one; the second
    // document has a sentence the splitter cannot end ("Hi there" before "Bye").
    let row = |id: usize, form: &str, misc: &str| {
        format!("{id}\t{form}\t_\tX\tX\t_\t0\troot\t_\t{misc}\n")
    };
    let sentence = |words: &[(&str, bool)]| {
        let mut s = String::new();
        for (i, (w, space)) in words.iter().enumerate() {
            s += &row(i + 1, w, if *space { "_" } else { "SpaceAfter=No" });
        }
        s + "\n"
    };
    let mut text = String::from("# newdoc id = one\n# newpar\n");
    text += &sentence(&[("\"", false), ("We", true), ("won", false), (".", true)]);
    text += &sentence(&[("They", true), ("lost", false), (".", false), ("\"", true)]);
    text += "# newpar\n";
    text += &sentence(&[("Fans", true), ("cheered", false), (".", true)]);
    text += "# newdoc id = two\n";
    text += &sentence(&[("Hi", true), ("there", true)]);
    text += &sentence(&[("Bye", false), (".", true)]);
    let file = dir.path().join("tiny.conllu");
    std::fs::write(&file, text).unwrap();
    let out = ok(kith().args(["eval", "sentences"]).arg(&file).arg("--json"));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"], 2);
    assert_eq!(v["sentences"]["gold"], 5);
    assert_eq!(v["sentences"]["predicted"], 4);
    assert_eq!(v["sentences"]["correct"], 3);
    assert_eq!(v["boundaries"]["correct"], 2);
    let out = ok(kith()
        .args(["eval", "sentences", "--show-errors"])
        .arg(&file));
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        printed.contains("missed   two: Hi there‖ Bye."),
        "{printed}"
    );
    assert!(printed.contains("F1"), "{printed}");
    // Rule-based: nothing to train.
    std::fs::write(dir.path().join("s.toml"), "output = \"s.kmodel\"\n").unwrap();
    let err = fails(
        kith()
            .args(["train", "sentences", "--config"])
            .arg(dir.path().join("s.toml")),
    );
    assert!(err.contains("rule-based"), "{err}");
}
