//! Names a person would type for `kith neighbors`, `path` and `explain`: folded spelling,
//! aliases, gazetteer variants, partial names, ids and `Name (Type)`, suggestions.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kith() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kith"))
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("kith runs")
}

fn stdout_ok(cmd: &mut Command) -> String {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "kith failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn stderr_failing(cmd: &mut Command) -> String {
    let out = run(cmd);
    assert!(!out.status.success(), "kith should have failed");
    String::from_utf8(out.stderr).unwrap()
}

/// A graph of one document: Kylian Mbappé, Emmanuel Macron, the United Kingdom, the
/// United States (alias US), Jordan the person and Jordan the country, and facts between
/// them.
fn graph(dir: &Path) -> PathBuf {
    let names = [
        ("Person", "Kylian Mbappé", vec!["Mbappé"]),
        ("Person", "Emmanuel Macron", vec![]),
        ("Country", "United Kingdom", vec![]),
        ("Country", "United States", vec!["US"]),
        ("Person", "Jordan", vec![]),
        ("Country", "Jordan", vec![]),
    ];
    let entities: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, (kind, name, aliases))| {
            let start = i as u32 * 20;
            json!({"kind": kind, "name": name, "aliases": aliases, "mentions": [
                {"doc": "d", "sentence": 0, "span": {"start": start, "end": start + 5},
                 "text": name, "confidence": 0.9}]})
        })
        .collect();
    let relation = |s: usize, o: usize, p: &str| {
        json!({"subject": s, "object": o, "predicate": p, "class": "communication",
               "polarity": "affirmed", "modality": "asserted", "confidence": 0.8,
               "evidence": {"doc": "d", "sentence": 0, "span": {"start": 0, "end": 10},
                            "sentence_text": "They met.", "confidence": 0.8}})
    };
    let doc = json!({
        "producer": "test",
        "document": {"id": "d", "source": "articles/d.txt", "chars": 200, "sentences": 1},
        "entities": entities,
        "relations": [relation(0, 1, "meet"), relation(1, 2, "visit"), relation(1, 3, "visit"),
                      relation(4, 5, "visit")],
    });
    let facts = dir.join("facts.jsonl");
    std::fs::write(&facts, format!("{doc}\n")).unwrap();
    let graph = dir.join("g.json");
    stdout_ok(kith().arg("merge").arg(&facts).arg("-o").arg(&graph));
    graph
}

/// The name of the entity `neighbors QUERY --json` starts from.
fn found(graph: &Path, query: &str) -> String {
    let out = stdout_ok(kith().arg("neighbors").arg(graph).arg(query).arg("--json"));
    let v: Value = serde_json::from_str(&out).unwrap();
    format!(
        "{} ({})",
        v["entity"]["name"].as_str().unwrap(),
        v["entity"]["kind"].as_str().unwrap()
    )
}

#[test]
fn names_match_ignoring_case_accents_and_punctuation() {
    let dir = tempfile::tempdir().unwrap();
    let g = graph(dir.path());
    assert_eq!(found(&g, "kylian mbappe"), "Kylian Mbappé (Person)");
    assert_eq!(found(&g, "MBAPPE"), "Kylian Mbappé (Person)");
    assert_eq!(found(&g, "emmanuel  MACRON"), "Emmanuel Macron (Person)");
}

#[test]
fn gazetteer_variants_find_countries() {
    let dir = tempfile::tempdir().unwrap();
    let g = graph(dir.path());
    for query in ["UK", "uk", "Britain", "Great Britain"] {
        assert_eq!(found(&g, query), "United Kingdom (Country)", "{query}");
    }
    for query in ["USA", "U.S.", "us", "United States of America"] {
        assert_eq!(found(&g, query), "United States (Country)", "{query}");
    }
}

#[test]
fn unique_surnames_find_the_person() {
    let dir = tempfile::tempdir().unwrap();
    let g = graph(dir.path());
    assert_eq!(found(&g, "macron"), "Emmanuel Macron (Person)");
    let path = stdout_ok(kith().arg("path").arg(&g).arg("mbappe").arg("uk"));
    assert!(path.starts_with("Kylian Mbappé (Person)"), "{path}");
    assert!(
        path.trim_end().ends_with("United Kingdom (Country)"),
        "{path}"
    );
    let explained = stdout_ok(kith().arg("explain").arg(&g).arg("Macron").arg("--json"));
    let v: Value = serde_json::from_str(&explained).unwrap();
    assert_eq!(v["name"], "Emmanuel Macron");
}

#[test]
fn an_id_or_a_type_picks_one_of_several_candidates() {
    let dir = tempfile::tempdir().unwrap();
    let g = graph(dir.path());
    let err = stderr_failing(kith().arg("neighbors").arg(&g).arg("jordan"));
    assert!(err.contains("ambiguous"), "{err}");
    // Each candidate is listed as `Name (Type, id)`; the id passed back picks it, and so
    // does the whole line.
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("  Jordan ("))
        .collect();
    assert_eq!(lines.len(), 2, "{err}");
    for line in lines {
        let line = line.trim();
        let kind = line["Jordan (".len()..line.find(',').unwrap()].to_string();
        let id = line[line.find(", ").unwrap() + 2..line.len() - 1].to_string();
        assert_eq!(found(&g, &id), format!("Jordan ({kind})"), "{line}");
        assert_eq!(found(&g, line), format!("Jordan ({kind})"), "{line}");
        let explained = stdout_ok(kith().arg("explain").arg(&g).arg(&id).arg("--json"));
        assert_eq!(
            serde_json::from_str::<Value>(&explained).unwrap()["id"],
            id.as_str()
        );
    }
    assert_eq!(found(&g, "Jordan (country)"), "Jordan (Country)");
    assert_eq!(found(&g, "jordan (Person)"), "Jordan (Person)");
}

#[test]
fn no_match_suggests_the_closest_names() {
    let dir = tempfile::tempdir().unwrap();
    let g = graph(dir.path());
    let err = stderr_failing(kith().arg("neighbors").arg(&g).arg("Macorn"));
    assert!(
        err.contains("did you mean") && err.contains("Emmanuel Macron (Person"),
        "{err}"
    );
    let err = stderr_failing(kith().arg("explain").arg(&g).arg("Kilian Mbape"));
    assert!(err.contains("Kylian Mbappé (Person"), "{err}");
    let err = stderr_failing(kith().arg("path").arg(&g).arg("macron").arg("Qwxyz"));
    assert!(err.contains("no entity matches \"Qwxyz\""), "{err}");
    assert!(!err.contains("did you mean"), "{err}");
}

#[test]
fn counts_take_the_singular_for_one() {
    let dir = tempfile::tempdir().unwrap();
    let g = graph(dir.path());
    let out = stdout_ok(kith().arg("neighbors").arg(&g).arg("Jordan (person)"));
    assert!(out.starts_with("Jordan (Person): 1 neighbour\n"), "{out}");
    let out = stdout_ok(kith().arg("neighbors").arg(&g).arg("macron"));
    assert!(
        out.starts_with("Emmanuel Macron (Person): 3 neighbours\n"),
        "{out}"
    );
}
