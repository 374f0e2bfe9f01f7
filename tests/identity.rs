//! End to end: one story told by three outlets (`data/stories/grain-talks/`) gives one
//! node per real thing once identities are resolved across documents, the same graph
//! whatever way it was built, with each decision explained; `--aliases` and
//! `--no-cross-document` change it as documented.

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

fn story() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/stories/grain-talks")
}

fn build(dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let graph = dir.join(name);
    ok(kith()
        .arg("build")
        .arg(story())
        .arg("-o")
        .arg(&graph)
        .args(extra));
    graph
}

fn explain(graph: &Path, name: &str) -> Value {
    let out = ok(kith().arg("explain").arg(graph).arg(name).arg("--json"));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn export(graph: &Path) -> Vec<u8> {
    ok(kith().arg("export").arg(graph).args(["-f", "jsonld"])).stdout
}

/// The resolved graph's (type, name) pairs, from the JSON-LD export.
fn nodes(graph: &Path) -> Vec<(String, String)> {
    let doc: Value = serde_json::from_slice(&export(graph)).unwrap();
    let mut out: Vec<(String, String)> = doc["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| {
            Some((
                n["@type"].as_str()?.to_string(),
                n["name"].as_str()?.to_string(),
            ))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn each_real_thing_in_the_story_is_one_node() {
    let dir = tempfile::tempdir().unwrap();
    let graph = build(dir.path(), "g.json", &[]);
    // Every way the outlets name them finds the same node, which all three documents
    // (or the two that mention it) feed.
    for (names, documents) in [
        (&["Marco Rubio", "Rubio", "Mr. Rubio"][..], 3),
        (&["Luiz Inácio Lula da Silva", "Luiz Inácio Lula"][..], 3),
        (
            &["Recep Tayyip Erdogan", "Erdogan", "Tayyip Erdogan"][..],
            3,
        ),
        (&["State Department", "The State Department"][..], 3),
        (&["Brasilia grain summit", "Brasilia summit"][..], 2),
    ] {
        let first = explain(&graph, names[0]);
        assert_eq!(
            first["documents"].as_array().unwrap().len(),
            documents,
            "{first}"
        );
        for name in &names[1..] {
            assert_eq!(
                explain(&graph, name)["id"],
                first["id"],
                "{name} vs {}",
                names[0]
            );
        }
    }
    let nodes = nodes(&graph);
    let count = |name: &str| nodes.iter().filter(|(_, n)| n == name).count();
    for name in [
        "Marco Rubio",
        "State Department",
        "Brasilia",
        "Recep Tayyip Erdogan",
    ] {
        assert_eq!(count(name), 1, "{name}: {nodes:?}");
    }
    // The canonical name drops the determiner one outlet wrote.
    assert_eq!(count("The State Department"), 0, "{nodes:?}");
    // The wire's dateline "BRASILIA, March 3 (Kith Wire) -" is the place and the agency,
    // not a person.
    assert!(
        nodes.contains(&("Organization".to_string(), "Kith Wire".to_string())),
        "{nodes:?}"
    );
    assert!(
        !nodes.contains(&("Person".to_string(), "Kith Wire".to_string())),
        "{nodes:?}"
    );
}

#[test]
fn explain_names_each_cross_document_decision() {
    let dir = tempfile::tempdir().unwrap();
    let graph = build(dir.path(), "g.json", &[]);
    let rubio = explain(&graph, "Rubio");
    let decisions = rubio["cross_document"].as_array().unwrap();
    assert!(
        decisions.iter().any(|d| d["rule"] == "partial-name"
            && d["merged"] == true
            && d["reason"].as_str().unwrap().contains("Marco Rubio")),
        "{rubio}"
    );
    let text = ok(kith().arg("explain").arg(&graph).arg("Rubio")).stdout;
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("cross-document decisions:"), "{text}");
    assert!(text.contains("joined (partial-name)"), "{text}");
}

#[test]
fn without_cross_document_resolution_partial_names_stay_apart() {
    let dir = tempfile::tempdir().unwrap();
    let graph = build(dir.path(), "g.json", &["--no-cross-document"]);
    let full = explain(&graph, "Marco Rubio");
    let short = explain(&graph, "Mr. Rubio");
    assert_ne!(full["id"], short["id"]);
    assert!(full["cross_document"].as_array().unwrap().is_empty());
}

#[test]
fn an_alias_file_forbids_and_forces_merges() {
    let dir = tempfile::tempdir().unwrap();
    let aliases = dir.path().join("aliases.csv");
    std::fs::write(
        &aliases,
        "# name,canonical name | registry:id | !\nMr. Rubio,!\nKith Wire,!\nSao Paulo,Brasilia\n",
    )
    .unwrap();
    let graph = build(
        dir.path(),
        "g.json",
        &["--aliases", aliases.to_str().unwrap()],
    );
    assert_ne!(
        explain(&graph, "Mr. Rubio")["id"],
        explain(&graph, "Marco Rubio")["id"]
    );
    assert_eq!(
        explain(&graph, "Sao Paulo")["id"],
        explain(&graph, "Brasilia")["id"]
    );
    // A bad line is an error naming the file and line; nothing is written.
    std::fs::write(&aliases, "Rubio,!\nno second field\n").unwrap();
    let out = kith()
        .arg("build")
        .arg(story())
        .arg("-o")
        .arg(dir.path().join("bad.json"))
        .arg("--aliases")
        .arg(&aliases)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("aliases.csv:2:"), "{err}");
    assert!(!dir.path().join("bad.json").exists());
}

#[test]
fn the_resolved_story_is_the_same_however_it_was_built() {
    let dir = tempfile::tempdir().unwrap();
    let whole = export(&build(dir.path(), "whole.json", &["-j", "1"]));
    assert_eq!(export(&build(dir.path(), "par.json", &["-j", "3"])), whole);
    // Sharded: one fact file per outlet, merged in two orders and groupings.
    let mut facts = Vec::new();
    for file in ["wire.txt", "gazette.txt", "blog.md"] {
        let out = ok(kith().arg("extract").arg(story().join(file)));
        let path = dir.path().join(format!("{file}.jsonl"));
        std::fs::write(&path, out.stdout).unwrap();
        facts.push(path);
    }
    let merged = dir.path().join("merged.json");
    ok(kith()
        .arg("merge")
        .args([&facts[2], &facts[0], &facts[1]])
        .arg("-o")
        .arg(&merged));
    assert_eq!(export(&merged), whole);
    // --into: a graph of two outlets, then the third added.
    let into = dir.path().join("into.json");
    ok(kith()
        .arg("merge")
        .args([&facts[1], &facts[2]])
        .arg("-o")
        .arg(&into));
    ok(kith().arg("merge").arg(&facts[0]).arg("--into").arg(&into));
    assert_eq!(export(&into), whole);
}

#[test]
fn us_officials_get_wikidata_ids_from_the_congress_files() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(
        docs.join("a.txt"),
        "Senator Ted Cruz of Texas questioned the budget on Monday.\n",
    )
    .unwrap();
    std::fs::write(
        docs.join("b.txt"),
        "Cruz said the committee would vote next week.\n",
    )
    .unwrap();
    let graph = dir.path().join("g.json");
    ok(kith().arg("build").arg(&docs).arg("-o").arg(&graph));
    let cruz = explain(&graph, "Ted Cruz");
    // The id is the one legislators-current.yaml gives (wikidata: Q2036942).
    assert_eq!(cruz["external_ids"]["wikidata"], "Q2036942", "{cruz}");
    assert_eq!(cruz["documents"].as_array().unwrap().len(), 2, "{cruz}");
    let jsonld = String::from_utf8(export(&graph)).unwrap();
    assert!(
        jsonld.contains("http://www.wikidata.org/entity/Q2036942"),
        "{jsonld}"
    );
}

/// A two-article ECB+ topic written here: *Marco Rubio* in one, *Rubio* in the other, one
/// cross-document chain.
fn write_ecbplus(dir: &Path) {
    let topic = dir.join("ECB+").join("1");
    std::fs::create_dir_all(&topic).unwrap();
    let article = |name: &str, words: &[&str], person: &[usize]| {
        let mut xml = format!("<Document doc_name=\"{name}.xml\" doc_id=\"X\">\n");
        for (i, w) in words.iter().enumerate() {
            xml += &format!(
                "<token t_id=\"{}\" sentence=\"0\" number=\"{i}\">{w}</token>\n",
                i + 1
            );
        }
        xml += "<Markables>\n<HUMAN_PART_PER m_id=\"1\"  >\n";
        for t in person {
            xml += &format!("  <token_anchor t_id=\"{t}\"/>\n");
        }
        xml += "</HUMAN_PART_PER>\n<HUMAN_PART_PER m_id=\"9\" RELATED_TO=\"\" TAG_DESCRIPTOR=\"rubio\" instance_id=\"HUM1\" />\n</Markables>\n\n<Relations>\n<CROSS_DOC_COREF r_id=\"1\" note=\"HUM1\" >\n  <source m_id=\"1\" />\n  <target m_id=\"9\" />\n</CROSS_DOC_COREF>\n</Relations>\n</Document>\n";
        std::fs::write(topic.join(format!("{name}.xml")), xml).unwrap();
    };
    article(
        "1_1ecb",
        &[
            "Secretary",
            "of",
            "State",
            "Marco",
            "Rubio",
            "visited",
            "Ottawa",
            "on",
            "Monday",
            ".",
        ],
        &[4, 5],
    );
    article(
        "1_2ecb",
        &["Rubio", "said", "the", "visit", "went", "well", "."],
        &[1],
    );
    std::fs::write(
        dir.join("ECBplus_coreference_sentences.csv"),
        "Topic,File,Sentence Number\n1,1ecb,0\n1,2ecb,0\n",
    )
    .unwrap();
}

fn eval_identity(dir: &Path, extra: &[&str]) -> Value {
    let out = ok(kith()
        .args([
            "eval", "identity", "--format", "ecbplus", "--split", "all", "--json",
        ])
        .arg(dir)
        .args(extra));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn eval_identity_scores_ecbplus_chains_with_and_without_resolution() {
    let dir = tempfile::tempdir().unwrap();
    write_ecbplus(dir.path());
    let exact = eval_identity(dir.path(), &["--no-cross-document"]);
    let resolved = eval_identity(dir.path(), &[]);
    assert_eq!(exact["documents"], 2);
    assert_eq!(exact["overall"]["items"], 2, "{exact}");
    // Exact names: Marco Rubio and Rubio are two nodes, one gold entity split.
    assert_eq!(exact["overall"]["split_gold"], 1, "{exact}");
    assert_eq!(exact["overall"]["b3"]["recall"], 50.0, "{exact}");
    // Resolved: one node.
    assert_eq!(resolved["overall"]["split_gold"], 0, "{resolved}");
    assert_eq!(resolved["overall"]["b3"]["f1"], 100.0, "{resolved}");
    assert!(resolved["joins"].as_u64().unwrap() >= 1, "{resolved}");
    // A folder without ECB+/ is refused by name.
    let out = kith()
        .args(["eval", "identity", "--format", "ecbplus"])
        .arg(dir.path().join("ECB+"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no ECB+/ folder"));
}
