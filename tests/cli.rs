//! End-to-end tests of the `kith` binary on the project's own sample articles.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn kith() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kith"))
}

/// The checkout's `models/` (the files the binary's built-in models were compiled from).
fn checkout_models() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models")
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/samples")
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("kith runs")
}

fn ok(cmd: &mut Command) -> Output {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "kith failed: {}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn build_samples(dir: &Path, extra: &[&str]) -> PathBuf {
    let graph = dir.join("graph.json");
    ok(kith()
        .arg("build")
        .arg(samples())
        .arg("-o")
        .arg(&graph)
        .args(extra));
    graph
}

fn graph_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// (name, kind) of every entity in a graph file.
fn entities(graph: &Value) -> Vec<(String, String)> {
    graph["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_string(),
                e["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// (subject name, predicate, object name, polarity, modality) of every relation.
fn relations(graph: &Value) -> Vec<(String, String, String, String, String)> {
    let name = |id: &Value| {
        graph["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == *id)
            .unwrap()["name"]
            .as_str()
            .unwrap()
            .to_string()
    };
    graph["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                name(&r["subject"]),
                r["predicate"].as_str().unwrap().to_string(),
                name(&r["object"]),
                r["polarity"].as_str().unwrap().to_string(),
                r["modality"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn sample_articles_give_the_people_places_and_facts_they_state() {
    let dir = tempfile::tempdir().unwrap();
    let graph = graph_json(&build_samples(dir.path(), &[]));
    let found = entities(&graph);
    for (name, kind) in [
        ("Marco Rubio", "Person"),
        ("Tammy Bruce", "Person"),
        ("Khawaja Asif", "Person"),
        ("Yalda Hakim", "Person"),
        ("India", "Country"),
        ("Pakistan", "Country"),
        ("United States", "Country"),
        ("Sky News", "Organization"),
        ("United States Secretary of State", "Role"),
        ("Defence Minister of Pakistan", "Role"),
        ("Foreign Minister of India", "Role"),
        ("Foreign Minister of Pakistan", "Role"),
        ("Kashmir", "Location"),
    ] {
        assert!(
            found.iter().any(|(n, k)| n == name && k == kind),
            "{name} ({kind}) missing from {found:?}"
        );
    }
    let india = graph["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "India")
        .unwrap();
    assert_eq!(india["external_ids"]["iso3166-1:alpha2"], "IN");
    assert!(india["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "Indian"));

    let facts = relations(&graph);
    let has = |s: &str, p: &str, o: &str| facts.iter().any(|f| f.0 == s && f.1 == p && f.2 == o);
    assert!(
        has(
            "Marco Rubio",
            "holds-position",
            "United States Secretary of State"
        ),
        "{facts:#?}"
    );
    assert!(
        has("Marco Rubio", "affiliated-with", "United States"),
        "{facts:#?}"
    );
    assert!(
        has(
            "Khawaja Asif",
            "holds-position",
            "Defence Minister of Pakistan"
        ),
        "{facts:#?}"
    );
    assert!(
        has("Khawaja Asif", "affiliated-with", "Pakistan"),
        "{facts:#?}"
    );
    assert!(has("Yalda Hakim", "works-for", "Sky News"), "{facts:#?}");
    assert!(
        has("Khawaja Asif", "speak-with", "Yalda Hakim"),
        "{facts:#?}"
    );
    assert!(
        has("Subrahmanyam Jaishankar", "speak-with", "Marco Rubio"),
        "{facts:#?}"
    );
    let planned = facts
        .iter()
        .find(|f| f.0 == "Marco Rubio" && f.1 == "speak-with" && f.2 == "Foreign Minister of India")
        .unwrap_or_else(|| panic!("Rubio speak-with Foreign Minister missing: {facts:#?}"));
    assert_eq!(planned.4, "planned");
    // The interview denies that the group is in Pakistan: nothing may assert it.
    assert!(
        !facts
            .iter()
            .any(|f| f.0.contains("Lashkar") && f.2 == "Pakistan" && f.3 == "affirmed"),
        "{facts:#?}"
    );
    // Every mention's character span points at its text in the original document.
    let rubio_calls = std::fs::read_to_string(samples().join("rubio-calls.txt")).unwrap();
    let chars: Vec<char> = rubio_calls.chars().collect();
    let doc_id = graph["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["source"].as_str().unwrap().ends_with("rubio-calls.txt"))
        .unwrap()["id"]
        .clone();
    let mut checked = 0;
    for entity in graph["entities"].as_array().unwrap() {
        for m in entity["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["doc"] == doc_id)
        {
            let (start, end) = (
                m["span"]["start"].as_u64().unwrap() as usize,
                m["span"]["end"].as_u64().unwrap() as usize,
            );
            let text: String = chars[start..end].iter().collect();
            assert_eq!(text, m["text"].as_str().unwrap());
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} mentions checked");
}

#[test]
fn same_input_gives_the_same_bytes_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one.json");
    let two = dir.path().join("two.json");
    ok(kith()
        .args(["build", "-j", "1", "--cooccurrence"])
        .arg(samples())
        .arg("-o")
        .arg(&one));
    ok(kith()
        .args(["build", "-j", "2", "--cooccurrence"])
        .arg(samples())
        .arg("-o")
        .arg(&two));
    assert_eq!(std::fs::read(&one).unwrap(), std::fs::read(&two).unwrap());
    let graph = graph_json(&one);
    assert!(graph["relations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["class"] == "co-occurrence"));
}

#[test]
fn incremental_builds_equal_whole_builds_and_repeats_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let whole = build_samples(dir.path(), &[]);
    let part = dir.path().join("part.json");
    ok(kith()
        .arg("build")
        .arg(samples().join("rubio-calls.txt"))
        .arg("-o")
        .arg(&part));
    let rest: Vec<PathBuf> = [
        "state-department-briefing.md",
        "defence-minister-interview.html",
        "wire.jsonl",
    ]
    .iter()
    .map(|f| samples().join(f))
    .collect();
    ok(kith().arg("build").args(&rest).arg("--into").arg(&part));
    assert_eq!(
        std::fs::read(&part).unwrap(),
        std::fs::read(&whole).unwrap()
    );
    let again = ok(kith().arg("build").arg(samples()).arg("--into").arg(&part));
    assert!(
        stderr(&again).contains("0 added, 5 already in the graph"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read(&part).unwrap(),
        std::fs::read(&whole).unwrap()
    );
}

#[test]
fn stdin_is_read_as_text_or_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("g.json");
    let mut child = kith()
        .args(["build", "-", "-o"])
        .arg(&graph)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Defence Minister Khawaja Asif spoke with Sky News anchor Yalda Hakim.")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let names: Vec<String> = entities(&graph_json(&graph))
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert!(names.contains(&"Yalda Hakim".to_string()), "{names:?}");
}

#[test]
fn bad_inputs_are_named_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("good.txt"),
        "Marco Rubio spoke with Khawaja Asif.",
    )
    .unwrap();
    std::fs::write(input.join("empty.txt"), "").unwrap();
    std::fs::write(input.join("latin1.txt"), b"Caf\xe9 in Paris").unwrap();
    std::fs::write(input.join("binary.txt"), b"\x00\x01\x02ELF").unwrap();
    std::fs::write(
        input.join("feed.jsonl"),
        "{\"id\": \"a\", \"text\": \"Tammy Bruce spoke with reporters.\"}\n{\"id\": \"b\"\n{\"id\": \"c\"}\n",
    )
    .unwrap();
    let graph = dir.path().join("g.json");
    let out = ok(kith()
        .arg("build")
        .arg(&input)
        .arg(dir.path().join("missing.txt"))
        .arg("-o")
        .arg(&graph));
    let err = stderr(&out);
    for expected in [
        "empty.txt",
        "latin1.txt: invalid UTF-8 at byte offset 3",
        "binary.txt",
        "feed.jsonl:2",
        "feed.jsonl:3",
        "missing.txt",
    ] {
        assert!(err.contains(expected), "{expected:?} not in:\n{err}");
    }
    assert!(
        err.contains("2 added, 0 already in the graph, 6 skipped"),
        "{err}"
    );
    assert_eq!(graph_json(&graph)["documents"].as_array().unwrap().len(), 2);

    // --strict refuses to write anything when an input was skipped.
    let strict = dir.path().join("strict.json");
    let out = run(kith()
        .args(["build", "--strict"])
        .arg(&input)
        .arg("-o")
        .arg(&strict));
    assert!(!out.status.success());
    assert!(!strict.exists());
}

#[test]
fn a_failed_run_leaves_the_previous_graph_intact() {
    let dir = tempfile::tempdir().unwrap();
    let graph = build_samples(dir.path(), &[]);
    let before = std::fs::read(&graph).unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "  \n").unwrap();
    let out = run(kith().arg("build").arg(&empty).arg("--into").arg(&graph));
    assert_eq!(out.status.code(), Some(1), "nothing processed is a failure");
    assert!(stderr(&out).contains("no document could be processed"));
    assert_eq!(std::fs::read(&graph).unwrap(), before);
}

#[test]
fn corrupt_and_foreign_graph_files_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"format\": \"kith-graph\", \"version\": 7}").unwrap();
    let out = run(kith().arg("stats").arg(&bad));
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("bad.json") && stderr(&out).contains("version 7"),
        "{}",
        stderr(&out)
    );
    std::fs::write(&bad, "not a graph").unwrap();
    let out = run(kith().arg("stats").arg(&bad));
    assert!(
        stderr(&out).contains("not a Kith graph file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn neighbors_path_and_stats_answer_from_the_graph() {
    let dir = tempfile::tempdir().unwrap();
    let graph = build_samples(dir.path(), &[]);
    let out = ok(kith()
        .arg("neighbors")
        .arg(&graph)
        .arg("marco rubio")
        .arg("--json"));
    let value = json(&out);
    assert_eq!(value["entity"]["name"], "Marco Rubio");
    let names: Vec<&str> = value["neighbors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"United States Secretary of State")
            && names.contains(&"Subrahmanyam Jaishankar"),
        "{names:?}"
    );

    let table = ok(kith()
        .arg("neighbours")
        .arg(&graph)
        .arg("MARCO rubio")
        .args(["--predicate", "speak-with", "--evidence"]));
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains("Foreign Minister") && text.contains("planned"),
        "{text}"
    );
    assert!(
        text.contains("is expected to speak with"),
        "evidence sentence shown: {text}"
    );
    assert!(
        !text.contains("Secretary of State  Role"),
        "predicate filter applies: {text}"
    );

    let typed = json(&ok(kith()
        .arg("neighbors")
        .arg(&graph)
        .arg("Marco Rubio")
        .args(["--type", "country", "--json"])));
    assert!(typed["neighbors"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["kind"] == "Country"));

    let unknown = run(kith().arg("neighbors").arg(&graph).arg("Nobody Atall"));
    assert!(!unknown.status.success() && stderr(&unknown).contains("no entity matches"));

    let path = json(&ok(kith()
        .arg("path")
        .arg(&graph)
        .arg("Yalda Hakim")
        .arg("Marco Rubio")
        .arg("--json")));
    let steps = path["path"].as_array().unwrap();
    assert!(!steps.is_empty() && steps.last().unwrap()["entity"]["name"] == "Marco Rubio");

    let stats = json(&ok(kith().arg("stats").arg(&graph).arg("--json")));
    assert_eq!(stats["documents"], 5);
    assert!(stats["entities_by_type"]["Person"].as_u64().unwrap() >= 5);
    let predicates = stats["predicates"].as_array().unwrap();
    assert!(predicates.iter().any(|p| p[0] == "speak-with"));
    // (predicate, relations, statements, Wikidata property or null).
    let wikidata = |predicate: &str| {
        let entry = predicates.iter().find(|p| p[0] == predicate).unwrap();
        assert_eq!(entry.as_array().unwrap().len(), 4, "{entry}");
        entry[3].clone()
    };
    assert_eq!(wikidata("holds-position"), "P39");
    assert!(wikidata("speak-with").is_null());
    let text = String::from_utf8(ok(kith().arg("stats").arg(&graph)).stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("PREDICATE") && l.ends_with("WIKIDATA")),
        "{text}"
    );
    let row = |predicate: &str| {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(predicate))
            .unwrap_or_else(|| panic!("no {predicate} row: {text}"))
            .split_whitespace()
            .collect::<Vec<_>>()
    };
    assert_eq!(row("holds-position").last(), Some(&"P39"));
    assert_eq!(row("speak-with").len(), 3, "no Wikidata id for speak-with");
}

#[test]
fn ambiguous_names_list_the_candidates() {
    let dir = tempfile::tempdir().unwrap();
    let facts = dir.path().join("facts.jsonl");
    let entity = |kind: &str, start: u32| {
        serde_json::json!({"kind": kind, "name": "Jordan", "mentions": [
            {"doc": "d", "sentence": 0, "span": {"start": start, "end": start + 6}, "text": "Jordan", "confidence": 0.9}]})
    };
    let doc = serde_json::json!({
        "producer": "test",
        "document": {"id": "d", "source": "test", "chars": 40, "sentences": 1},
        "entities": [entity("Person", 0), entity("Country", 20)],
        "relations": []
    });
    std::fs::write(&facts, format!("{doc}\n")).unwrap();
    let graph = dir.path().join("g.json");
    ok(kith().arg("merge").arg(&facts).arg("-o").arg(&graph));
    let out = run(kith().arg("neighbors").arg(&graph).arg("jordan"));
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("ambiguous") && err.contains("Person") && err.contains("Country"),
        "{err}"
    );
}

#[test]
fn every_export_format_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let graph = build_samples(dir.path(), &["--cooccurrence"]);
    for (format, file) in [
        ("dot", "g.dot"),
        ("graphml", "g.graphml"),
        ("gexf", "g.gexf"),
        ("jsonld", "g.jsonld"),
        ("cypher", "g.cypher"),
    ] {
        let path = dir.path().join(file);
        ok(kith()
            .arg("export")
            .arg(&graph)
            .args(["--format", format, "-o"])
            .arg(&path));
        assert!(
            std::fs::metadata(&path).unwrap().len() > 100,
            "{format} output too small"
        );
        let stdout = ok(kith().arg("export").arg(&graph).args(["--format", format]));
        assert_eq!(
            stdout.stdout,
            std::fs::read(&path).unwrap(),
            "{format}: stdout and file agree"
        );
        // holds-position edges carry their Wikidata property, P39.
        let text = String::from_utf8(stdout.stdout).unwrap();
        let wikidata = match format {
            "dot" => "wikidata=\"P39\"",
            "graphml" => "<data key=\"wikidata\">P39</data>",
            "gexf" => "<attvalue for=\"wikidata\" value=\"P39\"/>",
            "jsonld" => "\"subPropertyOf\": \"wdt:P39\"",
            _ => "r.wikidata = 'P39'",
        };
        assert!(text.contains(wikidata), "{format}: no {wikidata}");
    }
    let csv = dir.path().join("csv");
    ok(kith()
        .arg("export")
        .arg(&graph)
        .args(["--format", "neo4j-csv", "-o"])
        .arg(&csv));
    assert!(csv.join("nodes.csv").exists() && csv.join("relationships.csv").exists());
    let relationships = std::fs::read_to_string(csv.join("relationships.csv")).unwrap();
    assert!(relationships
        .lines()
        .next()
        .unwrap()
        .ends_with(",wikidata,documents:string[]"));
    assert!(relationships.contains(",P39,document:sha256:"));
    assert!(csv.join("documents.csv").exists() && csv.join("supports.csv").exists());
    // The HTML viewer: one page, the same bytes on stdout and in a file.
    let page = dir.path().join("g.html");
    ok(kith()
        .arg("export")
        .arg(&graph)
        .args(["--format", "html", "-o"])
        .arg(&page));
    let stdout = ok(kith().arg("export").arg(&graph).args(["--format", "html"]));
    let html = std::fs::read_to_string(&page).unwrap();
    assert_eq!(stdout.stdout, html.as_bytes());
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("Marco Rubio"));
    let svg = dir.path().join("d.svg");
    let out = ok(kith()
        .arg("render")
        .arg(&graph)
        .args(["--renderer", "builtin", "--focus", "Marco Rubio", "-o"])
        .arg(&svg));
    assert!(stderr(&out).contains("built-in"), "{}", stderr(&out));
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
}

#[test]
fn sharded_extract_and_merge_in_any_grouping_equals_build() {
    let dir = tempfile::tempdir().unwrap();
    let whole = build_samples(dir.path(), &["--cooccurrence"]);
    let files = [
        "rubio-calls.txt",
        "state-department-briefing.md",
        "defence-minister-interview.html",
        "wire.jsonl",
    ];
    let mut shards = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let out = ok(kith().arg("extract").arg(samples().join(file)));
        let shard = dir.path().join(format!("shard{i}.jsonl"));
        std::fs::write(&shard, &out.stdout).unwrap();
        shards.push(shard);
    }
    // Shards one at a time, in reverse.
    let reversed = dir.path().join("reversed.json");
    ok(kith()
        .args(["merge", "--cooccurrence"])
        .args(shards.iter().rev())
        .arg("-o")
        .arg(&reversed));
    assert_eq!(
        std::fs::read(&reversed).unwrap(),
        std::fs::read(&whole).unwrap()
    );
    // ((3 0) (1 2)), merging partial graphs, one shard repeated as a retried task would.
    let left = dir.path().join("left.json");
    let right = dir.path().join("right.json");
    ok(kith()
        .args(["merge", "--cooccurrence"])
        .arg(&shards[3])
        .arg(&shards[0])
        .arg("-o")
        .arg(&left));
    ok(kith()
        .args(["merge", "--cooccurrence"])
        .arg(&shards[1])
        .arg(&shards[2])
        .arg(&shards[1])
        .arg("-o")
        .arg(&right));
    let grouped = dir.path().join("grouped.json");
    ok(kith()
        .arg("merge")
        .arg(&right)
        .arg(&left)
        .arg("-o")
        .arg(&grouped));
    assert_eq!(
        std::fs::read(&grouped).unwrap(),
        std::fs::read(&whole).unwrap()
    );
}

#[test]
fn facts_from_another_pipeline_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let graph = build_samples(dir.path(), &[]);
    let before = std::fs::read(&graph).unwrap();
    let out = ok(kith().arg("extract").arg(samples().join("wire.jsonl")));
    let mut facts: Value =
        serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    facts["producer"] = Value::from("kith-nlp 0.0.1 [an older model]");
    rename_document(&mut facts, "another-id");
    let shard = dir.path().join("old.jsonl");
    std::fs::write(&shard, format!("{facts}\n")).unwrap();
    let out = run(kith().arg("merge").arg(&shard).arg("--into").arg(&graph));
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("old.jsonl:1") && stderr(&out).contains("an older model"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&graph).unwrap(), before);
}

#[test]
fn bench_reports_wall_and_cpu_rates_for_every_configuration() {
    let out = ok(kith()
        .args(["bench", "--seconds", "0.05", "--json"])
        .arg(samples()));
    let v = json(&out);
    let results = v["results"].as_array().expect("results");
    let names: Vec<&str> = results
        .iter()
        .map(|r| r["pipeline"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"tokenize") && names.contains(&"full pipeline"),
        "{names:?}"
    );
    for r in results {
        let (wall, cpu) = (
            r["tokens_per_s"].as_f64().unwrap(),
            r["tokens_per_cpu_s"].as_f64().unwrap(),
        );
        assert!(wall > 0.0 && cpu > 0.0, "{r}");
        // A single thread cannot use more CPU time than wall time (10% for timer
        // granularity); the derived parser row is a difference of two runs, so not it.
        if !r["pipeline"].as_str().unwrap().contains("derived") {
            assert!(cpu >= wall * 0.9, "{r}");
        }
    }
}

#[test]
fn models_lists_each_model_with_the_fingerprint_facts_record() {
    let out = ok(kith().args(["models", "--json"]));
    let v = json(&out);
    let models = v["models"].as_array().expect("models");
    let kinds: Vec<&str> = models.iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["pos", "parser", "ner", "relations"], "{v}");
    // The fingerprints are the ones the pipeline records as the producer of facts.
    let out = ok(kith().arg("extract").arg(samples().join("wire.jsonl")));
    let facts: Value =
        serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    let producer = facts["producer"].as_str().unwrap();
    for m in models {
        let named = format!(
            "{}:{}",
            m["kind"].as_str().unwrap(),
            m["fingerprint"].as_str().unwrap()
        );
        assert!(producer.contains(&named), "{producer} lacks {named}");
        // Built in by default: the same bytes as the checkout's file.
        assert_eq!(m["source"], "embedded", "{m}");
        let file = checkout_models().join(m["path"].as_str().unwrap());
        assert_eq!(
            m["bytes"].as_u64().unwrap(),
            std::fs::metadata(file).unwrap().len()
        );
    }
    let listed = json(&ok(kith()
        .args(["models", "--json", "--models"])
        .arg(checkout_models())));
    assert_eq!(listed["models"][0]["source"], "file", "{listed}");
    assert_eq!(
        listed["models"][0]["fingerprint"], models[0]["fingerprint"],
        "{listed}"
    );
    // The dev scores training stored.
    assert!(models[0]["scores"]["dev_upos"].is_number(), "{v}");
    assert!(models[1]["scores"]["dev_las"].is_number(), "{v}");
    assert!(models[2]["scores"]["dev_f1_pass2"].is_array(), "{v}");
    assert!(models[3]["scores"]["cv_micro_f1"].is_number(), "{v}");
    let text = String::from_utf8(ok(kith().arg("models")).stdout).unwrap();
    assert!(
        text.contains("pos-en.kmodel")
            && text.contains(models[0]["fingerprint"].as_str().unwrap())
            && text.contains("dev_upos"),
        "{text}"
    );

    let dir = tempfile::tempdir().unwrap();
    let out = ok(kith().args(["models", "--models"]).arg(dir.path()));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("no model files"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    std::fs::write(dir.path().join("ner-en.kmodel"), "not a model").unwrap();
    let out = run(kith().args(["models", "--models"]).arg(dir.path()));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("ner-en.kmodel"), "{}", stderr(&out));
}

/// Give a facts line another document id, in its mentions and evidence too.
fn rename_document(facts: &mut Value, id: &str) {
    facts["document"]["id"] = Value::from(id);
    for entity in facts["entities"].as_array_mut().unwrap() {
        for mention in entity["mentions"].as_array_mut().unwrap() {
            mention["doc"] = Value::from(id);
        }
    }
    for relation in facts["relations"].as_array_mut().unwrap() {
        relation["evidence"]["doc"] = Value::from(id);
    }
}

/// A field's name and how to spoil it.
type Spoil = (&'static str, fn(&mut Value));

/// A facts line with a confidence no f32 holds (1e39) or spans past the text is refused
/// with the file, line and field named; the graph written stays readable.
#[test]
fn facts_out_of_range_are_refused_and_the_graph_stays_readable() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(kith().arg("extract").arg(samples().join("wire.jsonl")));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let good = lines[0].clone();
    let mut text = format!("{good}\n");
    let spoilt: [Spoil; 4] = [
        ("relations[0].confidence", |f| {
            f["relations"][0]["confidence"] = serde_json::from_str("1e39").unwrap()
        }),
        ("entities[0].mentions[0].span", |f| {
            f["entities"][0]["mentions"][0]["span"] =
                serde_json::json!({"start": 4_000_000_000u32, "end": 3})
        }),
        ("entities[0].name", |f| f["entities"][0]["name"] = "".into()),
        ("entities[0].mentions[0].confidence", |f| {
            f["entities"][0]["mentions"][0]["confidence"] = (-2.0).into()
        }),
    ];
    for (i, (_, spoil)) in spoilt.iter().enumerate() {
        let mut facts = lines[1].clone();
        rename_document(&mut facts, &format!("spoilt-{i}"));
        spoil(&mut facts);
        text.push_str(&format!("{facts}\n"));
    }
    let shard = dir.path().join("shard.jsonl");
    std::fs::write(&shard, text).unwrap();
    let graph = dir.path().join("g.json");
    let out = ok(kith().arg("merge").arg(&shard).arg("-o").arg(&graph));
    let err = stderr(&out);
    for (i, (field, _)) in spoilt.iter().enumerate() {
        let at = format!("shard.jsonl:{}: {field}", i + 2);
        assert!(err.contains(&at), "{at:?} not in:\n{err}");
    }
    assert!(
        err.contains("1 added, 0 already in the graph, 4 skipped"),
        "{err}"
    );
    ok(kith().arg("stats").arg(&graph));

    // A graph file holding 1e308 (infinite as an f32) is refused by merge and every reader.
    let written = String::from_utf8(std::fs::read(&graph).unwrap()).unwrap();
    let at = written.find("\"confidence\":").unwrap() + "\"confidence\":".len();
    let end = at + written[at..].find([',', '}']).unwrap();
    let bad_path = dir.path().join("bad.json");
    std::fs::write(
        &bad_path,
        format!("{}1e308{}", &written[..at], &written[end..]),
    )
    .unwrap();
    for args in [&["stats"][..], &["merge", "-o", "/dev/null"][..]] {
        let out = run(kith().args(&args[..1]).arg(&bad_path).args(&args[1..]));
        assert!(!out.status.success(), "{args:?} accepted 1e308");
        assert!(
            stderr(&out).contains("bad.json") && stderr(&out).contains("confidence"),
            "{}",
            stderr(&out)
        );
    }
}

/// `kith merge` tells a graph file from facts by its shape, not its first bytes: a
/// pretty-printed graph or one with its keys in another order merges like the original.
#[test]
fn merge_recognises_graph_files_however_they_are_printed() {
    let dir = tempfile::tempdir().unwrap();
    let graph = build_samples(dir.path(), &[]);
    let value = graph_json(&graph);
    let pretty = dir.path().join("pretty.json");
    std::fs::write(&pretty, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    // serde_json's Value sorts keys: "documents" comes before "format".
    let sorted = dir.path().join("sorted.json");
    std::fs::write(&sorted, format!("\n  {value}\n")).unwrap();
    ok(kith().arg("stats").arg(&pretty));
    for input in [&pretty, &sorted] {
        let merged = dir.path().join("merged.json");
        let out = ok(kith().arg("merge").arg(input).arg("-o").arg(&merged));
        assert!(!stderr(&out).contains("kith: skipped"), "{}", stderr(&out));
        assert_eq!(
            std::fs::read(&merged).unwrap(),
            std::fs::read(&graph).unwrap(),
            "{}",
            input.display()
        );
    }
    // Facts still read as facts, from a file or stdin.
    let facts = ok(kith().arg("extract").arg(samples().join("wire.jsonl"))).stdout;
    let mut child = kith()
        .args(["merge", "-", "-o"])
        .arg(dir.path().join("facts.json"))
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&facts).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(" added, 0 already in the graph, 0 skipped"),
        "{}",
        stderr(&out)
    );
}

/// A JSON line whose id repeats with another text is a conflict, skipped naming both
/// sources, not dropped as "already in the graph"; within one run and against the graph.
#[test]
fn repeated_ids_with_another_text_are_reported_as_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.jsonl");
    std::fs::write(
        &feed,
        concat!(
            "{\"id\": \"a\", \"text\": \"Marco Rubio spoke with Khawaja Asif.\"}\n",
            "{\"id\": \"a\", \"text\": \"Tammy Bruce spoke with reporters.\"}\n",
            "{\"id\": \"a\", \"text\": \"Marco Rubio spoke with Khawaja Asif.\"}\n",
            "{\"id\": 12345678901234567890123, \"text\": \"Marco Rubio met Asif.\"}\n",
            "{\"id\": 12345678901234567890124, \"text\": \"Tammy Bruce met Asif.\"}\n",
        ),
    )
    .unwrap();
    let graph = dir.path().join("g.json");
    let out = ok(kith().arg("build").arg(&feed).arg("-o").arg(&graph));
    let err = stderr(&out);
    let conflict = err
        .lines()
        .find(|l| l.contains("conflict"))
        .unwrap_or_else(|| panic!("no conflict in:\n{err}"));
    assert!(
        conflict.contains("feed.jsonl:2") && conflict.contains("feed.jsonl:1"),
        "{conflict}"
    );
    assert!(
        err.contains("3 added, 1 already in the graph, 1 skipped"),
        "{err}"
    );
    let ids: Vec<String> = graph_json(&graph)["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        ["12345678901234567890123", "12345678901234567890124", "a"]
    );

    // Against the graph: the same id with a text of another length.
    let more = dir.path().join("more.jsonl");
    std::fs::write(
        &more,
        "{\"id\": \"a\", \"text\": \"Khawaja Asif spoke with Marco Rubio on Monday.\"}\n{\"id\": \"b\", \"text\": \"Tammy Bruce spoke.\"}\n",
    )
    .unwrap();
    // With --keep-both a document's own id cannot be kept twice: a conflict, as in a run.
    let kept = dir.path().join("kept.json");
    std::fs::copy(&graph, &kept).unwrap();
    let out = ok(kith()
        .arg("build")
        .arg(&more)
        .arg("--into")
        .arg(&kept)
        .arg("--keep-both"));
    let err = stderr(&out);
    let conflict = err
        .lines()
        .find(|l| l.contains("conflict"))
        .unwrap_or_else(|| panic!("no conflict in:\n{err}"));
    assert!(
        conflict.contains("more.jsonl:1") && conflict.contains("feed.jsonl:1"),
        "{conflict}"
    );
    assert!(
        err.contains("1 added, 0 already in the graph, 1 skipped"),
        "{err}"
    );
    // By default the id is the document's key: the new text replaces the old one.
    let out = ok(kith().arg("build").arg(&more).arg("--into").arg(&graph));
    let err = stderr(&out);
    assert!(
        err.contains("2 added, 0 already in the graph, 0 skipped")
            && err.contains("replaced 1 document whose source changed")
            && err.contains("more.jsonl:1"),
        "{err}"
    );
    let documents = graph_json(&graph)["documents"].clone();
    let a = documents
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "a")
        .unwrap();
    assert!(
        a["source"].as_str().unwrap().ends_with("more.jsonl:1"),
        "{a}"
    );
}

/// Names with control characters are escaped in messages, never printed raw (a file name
/// can carry terminal escapes or line breaks).
#[test]
fn control_characters_in_file_names_are_escaped_in_messages() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("good.txt"),
        "Marco Rubio spoke with Khawaja Asif.",
    )
    .unwrap();
    std::fs::write(input.join("bad\u{1b}[31mred\nline.txt"), "").unwrap();
    let out = ok(kith()
        .arg("build")
        .arg(&input)
        .arg("-o")
        .arg(dir.path().join("g.json")));
    let err = stderr(&out);
    assert!(!err.contains('\u{1b}'), "raw escape in:\n{err}");
    assert!(err.contains("bad\\u{1b}[31mred\\nline.txt"), "{err}");
}

/// A graph file name with a terminal escape and a line break, in an error: escaped, on
/// one line.
#[test]
fn control_characters_in_file_names_are_escaped_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("no\u{1b}[31m\nsuch.json");
    let out = run(kith().arg("stats").arg(&graph));
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(!err.contains('\u{1b}'), "raw escape in:\n{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("kith: error: cannot read graph ")
            && err.contains("no\\u{1b}[31m\\nsuch.json: "),
        "{err}"
    );
}

/// A named pipe among the inputs neither blocks the run nor passes silently: named
/// explicitly or found in a folder, it is a skip naming it, and the files are built.
#[cfg(unix)]
#[test]
fn a_named_pipe_input_is_skipped_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("good.txt"),
        "Marco Rubio spoke with Khawaja Asif.",
    )
    .unwrap();
    let fifo = input.join("feed.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    // A writer waits for a reader: were the pipe opened, kith would read this text and
    // count two documents (failing below) rather than hang.
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(&fifo, "Shehbaz Sharif met Marco Rubio."))
    };
    for args in [
        vec![input.clone()],
        vec![input.join("good.txt"), fifo.clone()],
    ] {
        let out = ok(kith()
            .arg("build")
            .args(&args)
            .arg("-o")
            .arg(dir.path().join("g.json")));
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "kith: skipped {}: not a regular file but a named pipe (FIFO)",
                fifo.display()
            )),
            "{err}"
        );
        assert!(
            err.contains("1 added, 0 already in the graph, 1 skipped"),
            "{err}"
        );
    }
    // Release the writer, still waiting since nothing opened the pipe.
    assert!(!writer.is_finished());
    std::fs::read(&fifo).unwrap();
    writer.join().unwrap().unwrap();
}

/// Ctrl-C (SIGINT) while a build writes its graph: the process exits with 130, the
/// temporary file it was writing is removed, and the graph it replaces is left as it was.
/// The signal is sent as soon as the temporary file appears, so it lands inside the write
/// (a write that finishes first renames the file: that run succeeds, and another is tried).
#[cfg(target_os = "linux")]
#[test]
fn an_interrupted_build_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.jsonl");
    // Enough documents that writing the graph takes a while.
    let lines: Vec<String> = (0..3000)
        .map(|i| {
            serde_json::json!({
                "id": format!("d{i}"),
                "text": format!(
                    "Marco Rubio met Adam Number{i} in Paris on Tuesday. The State Department \
                     said Number{i} Holdings and the United Nations spoke with India."
                )
            })
            .to_string()
        })
        .collect();
    std::fs::write(&input, lines.join("\n")).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let graph = out.join("g.json");
    std::fs::write(&graph, "the previous graph").unwrap();
    let temp_files = || -> Vec<String> {
        std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    };
    let mut interrupted = 0;
    for _ in 0..10 {
        let mut child = kith()
            .args(["--rules-only", "build"])
            .arg(&input)
            .arg("-o")
            .arg(&graph)
            .stderr(Stdio::piped())
            .spawn()
            .expect("kith runs");
        while temp_files().is_empty() && child.try_wait().unwrap().is_none() {
            std::thread::yield_now();
        }
        let _ = Command::new("kill")
            .arg("-INT")
            .arg(child.id().to_string())
            .status();
        let done = child.wait_with_output().unwrap();
        assert_eq!(temp_files(), Vec::<String>::new(), "left behind");
        match done.status.code() {
            Some(130) => {
                interrupted += 1;
                assert_eq!(
                    std::fs::read_to_string(&graph).unwrap(),
                    "the previous graph"
                );
                assert!(stderr(&done).contains("kith: interrupted; nothing written"));
                break;
            }
            Some(0) => {
                // The write won the race: a whole graph; put the old one back for the next.
                graph_json(&graph);
                std::fs::write(&graph, "the previous graph").unwrap();
            }
            other => panic!("{other:?}: {}", stderr(&done)),
        }
    }
    assert_eq!(interrupted, 1, "no run was interrupted while writing");
}

/// `kith stats G | head -1`: a reader that closes the pipe ends the printing quietly,
/// with success and no panic.
#[test]
fn a_closed_pipe_ends_query_output_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let graph = build_samples(dir.path(), &[]);
    for (command, rest) in [
        ("stats", vec![]),
        ("neighbors", vec!["Marco Rubio", "--evidence"]),
        ("path", vec!["Marco Rubio", "India"]),
    ] {
        let args = (command, &rest);
        let mut cmd = kith();
        cmd.arg(command).arg(&graph).args(&rest);
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kith runs");
        // Closed before kith has loaded the graph, so its first line meets a closed pipe.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("kith ends");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?}\n{stderr}", out.status);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// Install anywhere: the models are built into the binary, so a copy of it run from
/// another directory, with no models directory anywhere it could look, builds the graph
/// the checkout's model files give, byte for byte.
#[test]
fn a_copied_binary_builds_the_same_graph_from_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    // A copy of the binary in a bin/ folder with no models beside or above it, run from
    // an unrelated working directory with the input copied there too (documents record
    // the path they were read from, so both runs read the same relative one).
    let bin = dir.path().join("prefix/bin");
    let work = dir.path().join("elsewhere");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(work.join("articles")).unwrap();
    let copy = bin.join("kith");
    std::fs::copy(env!("CARGO_BIN_EXE_kith"), &copy).unwrap();
    for entry in std::fs::read_dir(samples()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, work.join("articles").join(path.file_name().unwrap())).unwrap();
    }
    ok(kith()
        .current_dir(&work)
        .env_remove("KITH_MODELS")
        .args(["build", "articles", "-o", "reference.json", "--models"])
        .arg(checkout_models()));
    let reference = work.join("reference.json");
    let out = ok(Command::new(&copy)
        .current_dir(&work)
        .env_remove("KITH_MODELS")
        .args(["build", "articles", "-o", "graph.json"]));
    assert!(
        !stderr(&out).contains("rules-only"),
        "the full pipeline ran: {}",
        stderr(&out)
    );
    let built = std::fs::read(work.join("graph.json")).unwrap();
    assert!(
        built == std::fs::read(&reference).unwrap(),
        "the copied binary's graph differs from the one the checkout's model files give"
    );
    let listed = json(&ok(Command::new(&copy)
        .current_dir(&work)
        .env_remove("KITH_MODELS")
        .args(["models", "--json"])));
    assert_eq!(listed["from"], "built into kith", "{listed}");
    assert_eq!(listed["models"].as_array().unwrap().len(), 4, "{listed}");
}

#[test]
fn missing_models_are_an_error_naming_them_unless_rules_only() {
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("g.json");
    let out = run(kith()
        .args(["build", "--models", "/nonexistent"])
        .arg(samples())
        .arg("-o")
        .arg(&graph));
    assert!(!out.status.success());
    let err = stderr(&out);
    for needle in [
        "/nonexistent",
        "pos-en.kmodel",
        "ner-en.kmodel",
        "--rules-only",
    ] {
        assert!(err.contains(needle), "{needle} not in: {err}");
    }
    assert!(!graph.exists(), "no graph is written");

    // The environment variable is named when it is the one pointing nowhere.
    let out = run(kith()
        .env("KITH_MODELS", "/nonexistent")
        .arg("extract")
        .arg(samples().join("wire.jsonl")));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("KITH_MODELS"), "{}", stderr(&out));

    // A directory with one model file missing names the missing one only.
    let partial = dir.path().join("models");
    std::fs::create_dir(&partial).unwrap();
    std::fs::copy(
        checkout_models().join("relations-en.kmodel"),
        partial.join("relations-en.kmodel"),
    )
    .unwrap();
    let err = stderr(&run(kith()
        .arg("build")
        .arg("--models")
        .arg(&partial)
        .arg(samples())
        .arg("-o")
        .arg(&graph)));
    assert!(
        err.contains("lacks pos-en.kmodel, parser-en.kmodel, ner-en.kmodel;"),
        "{err}"
    );

    // --rules-only accepts the weaker pipeline knowingly, and says so.
    let out = ok(kith()
        .args(["build", "--rules-only", "--models", "/nonexistent"])
        .arg(samples())
        .arg("-o")
        .arg(&graph));
    assert!(stderr(&out).contains("--rules-only"), "{}", stderr(&out));
    let producer = graph_json(&graph)["producer"].to_string();
    assert!(!producer.contains("pos:"), "no model ran: {producer}");
}

#[test]
fn a_first_run_reads_well() {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).unwrap();
    std::fs::copy(
        samples().join("rubio-calls.txt"),
        articles.join("rubio-calls.txt"),
    )
    .unwrap();
    for other in ["scan.pdf", "notes.PDF", "letter.docx", "README"] {
        std::fs::write(articles.join(other), "not read").unwrap();
    }
    // --into a graph that does not exist yet starts it.
    let graph = dir.path().join("new/graph.json");
    std::fs::create_dir(dir.path().join("new")).unwrap();
    let out = ok(kith().arg("build").arg(&articles).arg("--into").arg(&graph));
    let err = stderr(&out);
    assert!(graph.is_file(), "{err}");
    // One input, in the singular; the files of unknown type counted, not silently dropped.
    assert!(err.contains("kith: 1 input: 1 added"), "{err}");
    assert!(
        err.contains(
            "4 files of unknown type ignored in directories ((no extension), .docx, .pdf ×2)"
        ),
        "{err}"
    );
    assert!(err.contains("(1 document, "), "{err}");
    // Adding again to it now reads it.
    let again = stderr(&ok(kith()
        .arg("build")
        .arg(articles.join("rubio-calls.txt"))
        .arg("--into")
        .arg(&graph)));
    assert!(again.contains("0 added, 1 already in the graph"), "{again}");

    // Evidence names the file it came from; confidences have three decimals at most.
    let out = ok(kith()
        .arg("neighbors")
        .arg(&graph)
        .arg("rubio")
        .arg("--evidence"));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("rubio-calls.txt s"), "{text}");
    let v = json(&ok(kith()
        .arg("neighbors")
        .arg(&graph)
        .arg("Marco Rubio")
        .args(["--evidence", "--json"])));
    let raw = v.to_string();
    for relation in v["neighbors"][0]["relations"].as_array().unwrap() {
        for number in [
            &relation["confidence"],
            &relation["evidence"][0]["confidence"],
        ] {
            let s = number.to_string();
            assert!(
                s.split('.').nth(1).is_none_or(|d| d.len() <= 3),
                "{s} in {raw}"
            );
        }
        assert!(
            relation["evidence"][0]["source"]
                .as_str()
                .unwrap()
                .ends_with("rubio-calls.txt"),
            "{raw}"
        );
    }
}

/// `kith extract --compact` and `--compress` write the same facts in fewer bytes: merged
/// (into JSON graphs and stores, from files, stdin, concatenated zstd shards, version 1 and
/// compact lines mixed), they give the bytes the version 1 facts give.
#[test]
fn compact_and_compressed_facts_merge_to_the_same_graph() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let extract = |extra: &[&str], name: &str| {
        let out = ok(kith().arg("extract").args(extra).arg(samples()));
        let path = d.join(name);
        std::fs::write(&path, &out.stdout).unwrap();
        (path, out.stdout)
    };
    let (v1, v1_bytes) = extract(&[], "v1.jsonl");
    let (v2, v2_bytes) = extract(&["--compact"], "v2.jsonl");
    let (v2z, v2z_bytes) = extract(&["--compact", "--compress"], "v2.jsonl.zst");
    let (v1z, _) = extract(&["--compress"], "v1.jsonl.zst");
    let v1_lines: Vec<&[u8]> = v1_bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let v2_lines: Vec<&[u8]> = v2_bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(v1_lines.len(), v2_lines.len());
    assert!(v1_lines.iter().all(|l| l.starts_with(b"{\"producer\":")));
    assert!(v2_lines.iter().all(|l| l.starts_with(b"{\"v\":2,")));
    assert!(
        v2_bytes.len() * 2 < v1_bytes.len(),
        "{} vs {}",
        v2_bytes.len(),
        v1_bytes.len()
    );
    assert!(v2z_bytes.starts_with(&[0x28, 0xB5, 0x2F, 0xFD]));
    assert!(
        v2z_bytes.len() * 3 < v2_bytes.len(),
        "{} vs {}",
        v2z_bytes.len(),
        v2_bytes.len()
    );

    // Version 1 and compact lines in one file, and two zstd streams one after the other.
    let mixed = d.join("mixed.jsonl");
    let mut text = Vec::new();
    for (i, (a, b)) in v1_lines.iter().zip(&v2_lines).enumerate() {
        text.extend_from_slice(if i % 2 == 0 { a } else { b });
        text.push(b'\n');
    }
    std::fs::write(&mixed, text).unwrap();
    let half = v2_lines.len() / 2;
    let cat = d.join("cat.jsonl.zst");
    let mut frames = Vec::new();
    for part in [&v2_lines[..half], &v1_lines[half..]] {
        frames.extend(zstd::encode_all(&part.join(&b'\n')[..], 3).unwrap());
        frames.extend(zstd::encode_all(&b"\n"[..], 3).unwrap());
    }
    std::fs::write(&cat, frames).unwrap();

    let export =
        |graph: &Path| ok(kith().arg("export").arg(graph).args(["--format", "json"])).stdout;
    let merged = |inputs: &[&Path], name: &str| {
        let graph = d.join(name);
        ok(kith()
            .args(["merge", "--cooccurrence", "--strict"])
            .args(inputs)
            .arg("-o")
            .arg(&graph));
        export(&graph)
    };
    let reference = merged(&[&v1], "v1.json");
    assert_eq!(reference, export(&build_samples(d, &["--cooccurrence"])));
    for (inputs, name) in [
        (vec![&*v2], "v2.json"),
        (vec![&*v2z], "v2z.json"),
        (vec![&*v1z], "v1z.json"),
        (vec![&*mixed], "mixed.json"),
        (vec![&*cat], "cat.json"),
        (vec![&*v2], "v2.kith"),
        (vec![&*v2z, &*v1], "both.kith"),
    ] {
        assert!(merged(&inputs, name) == reference, "{name} differs");
    }
    // A store grown from compressed compact shards with --into, and stdin.
    let store = d.join("into.kith");
    ok(kith()
        .args(["merge", "--cooccurrence"])
        .arg(&cat)
        .arg("-o")
        .arg(&store));
    let file = std::fs::File::open(&v2z).unwrap();
    ok(kith()
        .args(["merge", "-", "--into"])
        .arg(&store)
        .stdin(file));
    assert!(export(&store) == reference);

    // A truncated stream and a bad reference are reported, not merged in silence.
    let truncated = d.join("truncated.jsonl.zst");
    std::fs::write(&truncated, &v2z_bytes[..v2z_bytes.len() / 2]).unwrap();
    let out = run(kith()
        .args(["merge", "--strict"])
        .arg(&truncated)
        .arg("-o")
        .arg(d.join("t.json")));
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("truncated.jsonl.zst"),
        "{}",
        stderr(&out)
    );
    let bad = d.join("bad.jsonl");
    let line = String::from_utf8(v2_lines[0].to_vec()).unwrap();
    std::fs::write(&bad, line.replacen("{\"v\":2,", "{\"v\":9,", 1) + "\n").unwrap();
    let out = run(kith()
        .args(["merge"])
        .arg(&bad)
        .arg("-o")
        .arg(d.join("b.json")));
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("bad.jsonl:1: facts line version 9"),
        "{}",
        stderr(&out)
    );
}
