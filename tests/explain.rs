//! End-to-end tests of `kith explain` and of coreference in built graphs, on the project's
//! sample articles and on documents written here.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kith() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kith"))
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

fn build(inputs: &[&Path], dir: &Path) -> PathBuf {
    let graph = dir.join("graph.json");
    ok(kith().arg("build").args(inputs).arg("-o").arg(&graph));
    graph
}

fn explain(graph: &Path, name: &str) -> Value {
    let out = ok(kith().arg("explain").arg(graph).arg(name).arg("--json"));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// The texts of an explanation's mentions under one rule.
fn texts(found: &Value, rule: &str) -> Vec<String> {
    found["mentions"][rule]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|m| m["text"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn explain_shows_mentions_by_rule_on_the_samples() {
    let dir = tempfile::tempdir().unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/samples");
    let graph = build(&[&samples], dir.path());

    // "Bruce said ... She did not say": the pronoun and the surname join Tammy Bruce.
    let bruce = explain(&graph, "Tammy Bruce");
    assert_eq!(bruce["type"], "Person");
    assert_eq!(texts(&bruce, "name"), ["Tammy Bruce"]);
    assert_eq!(texts(&bruce, "pronoun"), ["She"]);
    assert_eq!(texts(&bruce, "partial-name").len(), 3, "{bruce}");
    // A pronoun is a mention, not an alias a query could match.
    assert_eq!(bruce["aliases"], serde_json::json!(["Bruce"]));

    // "Rubio" in the wire stories and the Kashmir article is Marco Rubio, merged by name
    // across three documents; the briefing's "Secretary Rubio", which never gives his
    // first name, joins him across documents as the only candidate (issue #16; it was a
    // node of its own before).
    let rubio = explain(&graph, "Marco Rubio");
    assert_eq!(rubio["identity_key"], "name=marco rubio");
    assert_eq!(rubio["documents"].as_array().unwrap().len(), 4, "{rubio}");
    assert_eq!(
        rubio["cross_document"][0]["rule"], "partial-name",
        "{rubio}"
    );
    assert!(texts(&rubio, "partial-name").iter().all(|t| t == "Rubio"));
    assert!(texts(&rubio, "partial-name").len() >= 4, "{rubio}");

    // The briefing names only "Secretary Rubio"; "The Secretary spoke with ..." is him.
    let secretary = explain(&graph, "Rubio");
    assert_eq!(texts(&secretary, "title"), ["Secretary"], "{secretary}");
    assert_eq!(secretary["id"], rubio["id"]);

    // Pakistan's defence minister: "Asif" is Khawaja Asif.
    let asif = explain(&graph, "Khawaja Asif");
    assert_eq!(texts(&asif, "partial-name"), ["Asif", "Asif", "Asif"]);

    // The human table names the rules and the documents.
    let out = ok(kith().arg("explain").arg(&graph).arg("tammy bruce"));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("merged across documents by name=tammy bruce: 1 document\n"),
        "{table}"
    );
    assert!(
        table.contains("pronoun: 1 mention\n") && table.contains("She"),
        "{table}"
    );
    // Mentions name the file they were read from, not only the document's hash.
    assert!(
        table.contains("SOURCE") && table.contains("state-department-briefing.md  1"),
        "{table}"
    );
}

#[test]
fn resolved_pronouns_give_relations_in_the_graph() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("visit.txt");
    std::fs::write(
        &text,
        "Adaeze Okafor arrived in Abuja on Monday. She met with Tunde Bello on Tuesday.",
    )
    .unwrap();
    let graph = build(&[&text], dir.path());
    let out = ok(kith()
        .arg("neighbors")
        .arg(&graph)
        .arg("Adaeze Okafor")
        .arg("--json"));
    let found: Value = serde_json::from_slice(&out.stdout).unwrap();
    let neighbours: Vec<(&str, &str)> = found["neighbors"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|n| {
            n["relations"].as_array().unwrap().iter().map(move |r| {
                (
                    n["name"].as_str().unwrap(),
                    r["predicate"].as_str().unwrap(),
                )
            })
        })
        .collect();
    assert!(neighbours.contains(&("Tunde Bello", "meet")), "{found}");
}

#[test]
fn people_sharing_a_surname_stay_apart_across_documents() {
    let dir = tempfile::tempdir().unwrap();
    let john = dir.path().join("john.txt");
    let jane = dir.path().join("jane.txt");
    std::fs::write(
        &john,
        "John Smith opened the new bridge in Leeds. Smith said the work took three years.",
    )
    .unwrap();
    std::fs::write(
        &jane,
        "Jane Smith won the chess final in York. Smith said she had trained for months.",
    )
    .unwrap();
    let graph = build(&[&john, &jane], dir.path());
    let john = explain(&graph, "John Smith");
    let jane = explain(&graph, "Jane Smith");
    assert_ne!(john["id"], jane["id"]);
    assert_eq!(john["documents"].as_array().unwrap().len(), 1);
    assert_eq!(jane["documents"].as_array().unwrap().len(), 1);
    assert_eq!(texts(&john, "partial-name"), ["Smith"]);
    assert_eq!(texts(&jane, "partial-name"), ["Smith"]);
    assert_eq!(texts(&jane, "pronoun"), ["she"]);
    // "Smith" alone is ambiguous: the command lists both rather than picking one.
    let out = kith()
        .arg("explain")
        .arg(&graph)
        .arg("Smith")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let error = String::from_utf8_lossy(&out.stderr);
    assert!(
        error.contains("John Smith") && error.contains("Jane Smith"),
        "{error}"
    );
}

#[test]
fn a_terminal_explanation_lists_the_first_of_each_list_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/samples");
    let graph = build(&[&samples], dir.path());
    let full = explain(&graph, "marco rubio");
    let documents = full["documents"].as_array().unwrap().len();
    assert!(documents > 1, "{full}");
    let text = |limit: &str| {
        let out = ok(kith()
            .arg("explain")
            .arg(&graph)
            .arg("marco rubio")
            .args(["--limit", limit]));
        String::from_utf8(out.stdout).unwrap()
    };
    let one = text("1");
    assert!(
        one.contains(&format!("... and {} more documents", documents - 1)),
        "{one}"
    );
    let all = text("0");
    assert!(
        !all.contains("more documents") && !all.contains("more mentions"),
        "{all}"
    );
    assert!(all.len() > one.len());
}
