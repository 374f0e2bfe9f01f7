//! Documents as units (`kith build --into` keyed by source, `kith remove`): a graph after
//! a changed source is rebuilt into it, or after documents are removed, has the content of
//! a build of the final set of documents from scratch, on JSON graphs and stores alike.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kith() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kith"))
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/samples")
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

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The canonical exports of a graph: (format, bytes).
fn exports(graph: &Path) -> Vec<(String, Vec<u8>)> {
    ["json", "dot", "graphml", "gexf", "jsonld", "cypher"]
        .iter()
        .map(|format| {
            let out = ok(kith().arg("export").arg(graph).args(["--format", format]));
            (format.to_string(), out.stdout)
        })
        .collect()
}

fn assert_same(graph: &Path, fresh: &Path, context: &str) {
    for ((format, got), (_, want)) in exports(graph).into_iter().zip(exports(fresh)) {
        assert!(
            got == want,
            "{context}: {format} export differs from a build from scratch\n--- got\n{}\n--- want\n{}",
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want)
        );
    }
}

fn documents(graph: &Path) -> Vec<serde_json::Value> {
    let out = ok(kith().arg("export").arg(graph).args(["--format", "json"]));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["documents"].as_array().unwrap().clone()
}

/// Three articles in a folder of their own, so they can be edited.
fn articles(dir: &Path) -> [PathBuf; 3] {
    let names = [
        "rubio-calls.txt",
        "state-department-briefing.md",
        "defence-minister-interview.html",
    ];
    names.map(|name| {
        let to = dir.join(name);
        std::fs::copy(samples().join(name), &to).unwrap();
        to
    })
}

fn build(output: &Path, inputs: &[&Path], flag: &str) -> Output {
    ok(kith()
        .arg("build")
        .args(inputs)
        .arg(flag)
        .arg(output)
        .arg("--rules-only"))
}

/// Build A, B, C; edit B; build B `--into`: the old B is replaced (and said so), and the
/// graph equals a fresh build of A, B', C. Then `kith remove` B: a fresh build of A, C.
/// An unknown source is refused naming it, and nothing changes. For stores and JSON.
#[test]
fn a_changed_source_replaces_its_document_and_remove_takes_it_out() {
    for name in ["g.kith", "g.json"] {
        let dir = tempfile::tempdir().unwrap();
        let [a, b, c] = articles(dir.path());
        let graph = dir.path().join(name);
        build(&graph, &[&a, &b, &c], "--into");
        let before = documents(&graph);
        assert_eq!(before.len(), 3, "{name}");

        // One character changed.
        let text = std::fs::read_to_string(&b).unwrap();
        let edited = text.replacen("the", "The", 1);
        assert_ne!(text, edited);
        std::fs::write(&b, edited).unwrap();
        let out = build(&graph, &[&b], "--into");
        let message = stderr(&out);
        assert!(
            message.contains("replaced 1 document whose source changed")
                && message.contains(&b.display().to_string()),
            "{name}: {message}"
        );
        assert_eq!(documents(&graph).len(), 3, "{name}");
        let fresh = dir.path().join(format!("fresh-{name}"));
        build(&fresh, &[&a, &b, &c], "-o");
        assert_same(&graph, &fresh, &format!("{name}: after replacing B"));
        // Explain and evidence name the source, not only the hash.
        let explained = ok(kith().arg("explain").arg(&graph).arg("Rubio"));
        assert!(
            String::from_utf8_lossy(&explained.stdout).contains(&dir.path().display().to_string()),
            "{name}: {}",
            String::from_utf8_lossy(&explained.stdout)
        );

        // An unknown source: refused, named, nothing changed.
        let bytes_before = exports(&graph);
        let out = kith()
            .arg("remove")
            .arg(&graph)
            .arg(&b)
            .arg("no/such/article.txt")
            .output()
            .unwrap();
        assert!(!out.status.success(), "{name}");
        assert!(
            stderr(&out).contains("no/such/article.txt"),
            "{name}: {}",
            stderr(&out)
        );
        assert!(
            exports(&graph) == bytes_before,
            "{name}: a failed remove changed the graph"
        );

        let out = ok(kith().arg("remove").arg(&graph).arg(&b));
        assert!(
            stderr(&out).contains("removed 1 document"),
            "{name}: {}",
            stderr(&out)
        );
        let fresh = dir.path().join(format!("fresh-ac-{name}"));
        build(&fresh, &[&a, &c], "-o");
        assert_same(&graph, &fresh, &format!("{name}: after removing B"));

        // By document id too.
        let id = documents(&graph)[0]["id"].as_str().unwrap().to_string();
        ok(kith().arg("remove").arg(&graph).arg(&id));
        assert_eq!(documents(&graph).len(), 1, "{name}");
    }
}

/// `--keep-both` keeps the old document beside the new; the same content again is a no-op.
#[test]
fn keep_both_opts_out_and_the_same_content_changes_nothing() {
    for name in ["g.kith", "g.json"] {
        let dir = tempfile::tempdir().unwrap();
        let [a, b, _] = articles(dir.path());
        let graph = dir.path().join(name);
        build(&graph, &[&a, &b], "--into");
        let first = exports(&graph);
        let out = build(&graph, &[&a, &b], "--into");
        assert!(
            !stderr(&out).contains("replaced"),
            "{name}: {}",
            stderr(&out)
        );
        assert!(
            exports(&graph) == first,
            "{name}: the same content changed the graph"
        );
        std::fs::write(
            &b,
            std::fs::read_to_string(&b).unwrap() + "\nMarco Rubio met Ann Lee.\n",
        )
        .unwrap();
        ok(kith()
            .arg("build")
            .arg(&b)
            .arg("--into")
            .arg(&graph)
            .args(["--rules-only", "--keep-both"]));
        assert_eq!(documents(&graph).len(), 3, "{name}");
    }
}

/// Replacement arrives through `kith merge` of facts files as through `build`.
#[test]
fn merging_facts_of_a_changed_source_replaces_it() {
    for name in ["g.kith", "g.json"] {
        let dir = tempfile::tempdir().unwrap();
        let [a, b, c] = articles(dir.path());
        let extract = |path: &Path, to: &str| {
            let out = ok(kith().arg("extract").arg(path).arg("--rules-only"));
            let file = dir.path().join(to);
            std::fs::write(&file, out.stdout).unwrap();
            file
        };
        let facts = [
            extract(&a, "a.facts"),
            extract(&b, "b.facts"),
            extract(&c, "c.facts"),
        ];
        let graph = dir.path().join(name);
        ok(kith().arg("merge").args(&facts).arg("--into").arg(&graph));
        let text = std::fs::read_to_string(&b).unwrap();
        std::fs::write(&b, text.replacen(".", "!", 1)).unwrap();
        let changed = extract(&b, "b2.facts");
        let out = ok(kith().arg("merge").arg(&changed).arg("--into").arg(&graph));
        assert!(
            stderr(&out).contains("replaced 1 document"),
            "{name}: {}",
            stderr(&out)
        );
        let fresh = dir.path().join(format!("fresh-{name}"));
        ok(kith()
            .arg("merge")
            .args([&facts[0], &changed, &facts[2]])
            .arg("-o")
            .arg(&fresh));
        assert_same(&graph, &fresh, &format!("{name}: merge"));
    }
}

/// Replacement on the large-run path (`KITH_STORE_BATCH`: documents go to the store a
/// batch at a time, in one transaction): changed sources replaced, unchanged ones kept,
/// and the store equals a fresh build; then removing one equals a build without it.
#[test]
fn replacement_works_when_runs_move_documents_out_in_batches() {
    let dir = tempfile::tempdir().unwrap();
    let [a, b, c] = articles(dir.path());
    let graph = dir.path().join("g.kith");
    let batched = |inputs: &[&Path]| {
        ok(kith()
            .env("KITH_STORE_BATCH", "1")
            .arg("build")
            .args(inputs)
            .arg("--into")
            .arg(&graph)
            .arg("--rules-only"))
    };
    batched(&[&a, &b, &c]);
    for path in [&b, &c] {
        let text = std::fs::read_to_string(path).unwrap();
        std::fs::write(path, text.replacen("the", "The", 1)).unwrap();
    }
    let out = batched(&[&c, &a, &b]);
    assert!(
        stderr(&out).contains("replaced 2 document"),
        "{}",
        stderr(&out)
    );
    assert_eq!(documents(&graph).len(), 3);
    let fresh = dir.path().join("fresh.kith");
    build(&fresh, &[&a, &b, &c], "-o");
    assert_same(&graph, &fresh, "after replacing B and C in batches");
    ok(kith().arg("remove").arg(&graph).arg(&c));
    let fresh = dir.path().join("fresh-ab.kith");
    build(&fresh, &[&a, &b], "-o");
    assert_same(&graph, &fresh, "after removing C");
}
