//! End-to-end tests of graph stores (`kith build -o graph.kith`): the same content as a
//! JSON graph whatever the order of building, queries that answer alike, concurrent
//! writers, readers during writes, killed writers and clear errors.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

fn kith() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kith"))
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/samples")
}

fn sample_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(samples())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 4, "{files:?}");
    files
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

/// Every canonical export of a graph file: (format, bytes). neo4j-csv is a directory: its
/// two files, concatenated.
fn exports(graph: &Path, dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for format in ["json", "dot", "graphml", "gexf", "jsonld", "cypher"] {
        let written = ok(kith().arg("export").arg(graph).args(["--format", format]));
        out.push((format.to_string(), written.stdout));
    }
    let csv = dir.join(format!(
        "csv-{}",
        graph.file_name().unwrap().to_string_lossy()
    ));
    ok(kith()
        .arg("export")
        .arg(graph)
        .args(["--format", "neo4j-csv", "-o"])
        .arg(&csv));
    let mut bytes = std::fs::read(csv.join("nodes.csv")).unwrap();
    bytes.extend(std::fs::read(csv.join("relationships.csv")).unwrap());
    out.push(("neo4j-csv".into(), bytes));
    out
}

fn assert_same_exports(a: &Path, b: &Path, dir: &Path) {
    for ((format, x), (_, y)) in exports(a, dir).into_iter().zip(exports(b, dir)) {
        assert!(x.len() > 100, "{format}: export too small");
        assert!(
            x == y,
            "{format} export of {} differs from that of {}",
            b.display(),
            a.display()
        );
    }
}

fn is_sqlite(path: &Path) -> bool {
    std::fs::read(path)
        .unwrap()
        .starts_with(b"SQLite format 3\0")
}

/// Facts of the samples, as JSON lines.
fn sample_facts() -> Vec<Value> {
    let out = ok(kith().arg("extract").arg(samples()));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
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

/// `copies` renamed copies of every sample's facts, ids starting with `prefix`.
fn write_copies(path: &Path, facts: &[Value], prefix: &str, copies: usize) {
    let mut text = String::new();
    for i in 0..copies {
        for (j, f) in facts.iter().enumerate() {
            let mut f = f.clone();
            rename_document(&mut f, &format!("{prefix}-{i}-{j}"));
            text.push_str(&serde_json::to_string(&f).unwrap());
            text.push('\n');
        }
    }
    std::fs::write(path, text).unwrap();
}

fn document_count(graph: &Path) -> Result<u64, String> {
    let out = run(kith().arg("stats").arg(graph).arg("--json"));
    if !out.status.success() {
        return Err(stderr(&out));
    }
    let stats: Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
    stats["documents"]
        .as_u64()
        .ok_or_else(|| format!("no document count in {stats}"))
}

#[test]
fn output_names_choose_the_format_and_existing_files_keep_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("g.json");
    let store = dir.path().join("g.kith");
    let plain = dir.path().join("graph");
    for path in [&json, &store, &plain] {
        ok(kith().arg("build").arg(samples()).arg("-o").arg(path));
    }
    assert!(!is_sqlite(&json) && is_sqlite(&store) && is_sqlite(&plain));
    // A JSON graph under another name stays JSON when documents are added to it.
    let renamed = dir.path().join("renamed.kith");
    std::fs::copy(&json, &renamed).unwrap();
    ok(kith()
        .arg("build")
        .arg(samples())
        .arg("--into")
        .arg(&renamed));
    assert!(!is_sqlite(&renamed));
    assert_eq!(
        std::fs::read(&renamed).unwrap(),
        std::fs::read(&json).unwrap()
    );
}

/// A store built whole, in shards with `--into` in another order, by merging fact files
/// and graph files of both kinds, or with one thread, exports the bytes a JSON graph built
/// from scratch exports.
#[test]
fn stores_built_in_any_order_export_the_bytes_of_a_whole_json_build() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let whole = d.join("whole.json");
    ok(kith()
        .arg("build")
        .arg(samples())
        .arg("--cooccurrence")
        .arg("-o")
        .arg(&whole));

    let files = sample_files();
    let sharded = d.join("sharded.kith");
    ok(kith()
        .arg("build")
        .args(&files[2..])
        .arg("--cooccurrence")
        .args(["-j", "1", "-o"])
        .arg(&sharded));
    ok(kith()
        .arg("build")
        .arg(&files[1])
        .arg("--into")
        .arg(&sharded));
    ok(kith()
        .arg("build")
        .arg(&files[0])
        .arg("--into")
        .arg(&sharded));
    assert_same_exports(&whole, &sharded, d);

    // Runs that move documents out of memory every two (KITH_STORE_BATCH): into a new
    // store, into a store in place (one transaction), into a copy.
    let batched = d.join("batched.kith");
    ok(kith()
        .env("KITH_STORE_BATCH", "2")
        .arg("build")
        .args(&files[1..])
        .arg("--cooccurrence")
        .arg("-o")
        .arg(&batched));
    let copied = d.join("batched-copy.kith");
    ok(kith()
        .env("KITH_STORE_BATCH", "1")
        .arg("build")
        .args(&files[..1])
        .arg("--into")
        .arg(&batched)
        .arg("-o")
        .arg(&copied));
    assert_same_exports(&whole, &copied, d);
    ok(kith()
        .env("KITH_STORE_BATCH", "1")
        .arg("build")
        .args(&files[..1])
        .arg("--into")
        .arg(&batched));
    assert_same_exports(&whole, &batched, d);
    let again = ok(kith()
        .arg("build")
        .arg(samples())
        .arg("--into")
        .arg(&sharded));
    assert!(
        stderr(&again).contains("0 added"),
        "repeats change nothing: {}",
        stderr(&again)
    );
    assert_same_exports(&whole, &sharded, d);

    // Facts in reverse order, in two shards: one into a store, one into a JSON graph,
    // then both merged into a new store, and a copy made with --into A -o B.
    let facts = sample_facts();
    let (left, right) = facts.split_at(facts.len() / 2);
    let write = |name: &str, lines: &[Value]| {
        let path = d.join(name);
        let text: String = lines
            .iter()
            .rev()
            .map(|l| serde_json::to_string(l).unwrap() + "\n")
            .collect();
        std::fs::write(&path, text).unwrap();
        path
    };
    let (left, right) = (write("left.jsonl", left), write("right.jsonl", right));
    let part_store = d.join("part.kith");
    let part_json = d.join("part.json");
    ok(kith()
        .args(["merge", "--cooccurrence"])
        .arg(&right)
        .arg("-o")
        .arg(&part_store));
    ok(kith()
        .args(["merge", "--cooccurrence"])
        .arg(&left)
        .arg("-o")
        .arg(&part_json));
    let merged = d.join("merged.kith");
    ok(kith()
        .arg("merge")
        .arg(&part_json)
        .arg(&part_store)
        .arg("-o")
        .arg(&merged));
    assert_same_exports(&whole, &merged, d);
    let copy = d.join("copy.kith");
    ok(kith()
        .arg("merge")
        .arg(&left)
        .arg("--into")
        .arg(&part_store)
        .arg("-o")
        .arg(&copy));
    assert_same_exports(&whole, &copy, d);
    // The store copied from is unchanged by -o.
    assert_eq!(document_count(&part_store).unwrap(), right_count(&right));
    // A store exports to the JSON graph file a JSON build writes, byte for byte.
    let exported = d.join("exported.json");
    ok(kith()
        .arg("export")
        .arg(&merged)
        .args(["--format", "json", "-o"])
        .arg(&exported));
    assert_eq!(
        std::fs::read(&exported).unwrap(),
        std::fs::read(&whole).unwrap()
    );
}

fn right_count(facts: &Path) -> u64 {
    std::fs::read_to_string(facts).unwrap().lines().count() as u64
}

/// `neighbors`, `path`, `stats` and `explain` print the same on a store as on the JSON
/// graph read as stored (`--as-stored`: store queries do not resolve identities across
/// documents yet), for every entity and option.
#[test]
fn queries_on_a_store_answer_as_on_the_json_graph() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("g.json");
    let store = dir.path().join("g.kith");
    for path in [&json, &store] {
        ok(kith()
            .arg("build")
            .arg(samples())
            .arg("--cooccurrence")
            .arg("-o")
            .arg(path));
    }
    let graph: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let names: Vec<String> = graph["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect();
    assert!(names.len() > 20, "{names:?}");
    let same = |args: &[&str]| {
        let a = run(kith()
            .args(&args[..1])
            .arg(&json)
            .args(&args[1..])
            .arg("--as-stored"));
        let b = run(kith().args(&args[..1]).arg(&store).args(&args[1..]));
        assert_eq!(
            (a.status.code(), &a.stdout, stderr(&a)),
            (b.status.code(), &b.stdout, stderr(&b)),
            "{args:?}"
        );
        a
    };
    for name in &names {
        same(&["neighbors", name]);
        same(&["neighbors", name, "--depth", "2", "--evidence"]);
        same(&[
            "neighbors",
            name,
            "--depth",
            "3",
            "--json",
            "--type",
            "person",
        ]);
        same(&[
            "neighbors",
            name,
            "-p",
            "co-occurs-with",
            "--json",
            "--evidence",
        ]);
        same(&["explain", name]);
        same(&["explain", name, "--json"]);
    }
    let rubio = same(&["neighbors", "marco rubio", "--json"]);
    let found: Value = serde_json::from_slice(&rubio.stdout).unwrap();
    assert!(found["neighbors"].as_array().unwrap().len() > 3, "{found}");
    for from in names.iter().step_by(3) {
        for to in names.iter().step_by(4) {
            same(&["path", from, to, "--json"]);
        }
    }
    same(&["path", "Marco Rubio", "Pakistan"]);
    same(&["stats"]);
    same(&["stats", "--json", "--top", "100"]);
    same(&["neighbors", "Nobody At All"]);
}

/// Two processes adding different documents to one store at the same time: the store
/// ends with both runs' documents (the second writer waits for the first).
#[test]
fn concurrent_writers_both_land_in_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let files = sample_files();
    let whole = d.join("whole.json");
    ok(kith().arg("build").arg(samples()).arg("-o").arg(&whole));
    let store = d.join("g.kith");
    ok(kith().arg("build").arg(&files[0]).arg("-o").arg(&store));
    let spawn = |inputs: &[PathBuf]| -> Child {
        kith()
            .arg("build")
            .args(inputs)
            .arg("--into")
            .arg(&store)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let a = spawn(&files[1..2]);
    let b = spawn(&files[2..]);
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_same_exports(&whole, &store, d);

    // A JSON graph is rewritten whole: its writers take turns through a lock file.
    let json = d.join("g.json");
    ok(kith().arg("build").arg(&files[0]).arg("-o").arg(&json));
    let spawn_json = |inputs: &[PathBuf]| -> Child {
        kith()
            .arg("build")
            .args(inputs)
            .arg("--into")
            .arg(&json)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let a = spawn_json(&files[1..2]);
    let b = spawn_json(&files[2..]);
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_eq!(
        std::fs::read(&whole).unwrap(),
        std::fs::read(&json).unwrap(),
        "both runs' documents are in the JSON graph"
    );

    // Merges of many documents each, at once, several rounds.
    let facts = sample_facts();
    let store = d.join("many.kith");
    write_copies(&d.join("seed.jsonl"), &facts, "seed", 1);
    ok(kith()
        .arg("merge")
        .arg(d.join("seed.jsonl"))
        .arg("-o")
        .arg(&store));
    let mut expected = facts.len() as u64;
    for round in 0..3 {
        let children: Vec<Child> = ["x", "y"]
            .iter()
            .map(|side| {
                let file = d.join(format!("{side}-{round}.jsonl"));
                write_copies(&file, &facts, &format!("{side}{round}"), 40);
                kith()
                    .arg("merge")
                    .arg(&file)
                    .arg("--into")
                    .arg(&store)
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", stderr(&out));
        }
        expected += 2 * 40 * facts.len() as u64;
        assert_eq!(document_count(&store).unwrap(), expected, "round {round}");
    }
}

/// A reader during a write sees the graph before it or after it, never a part of it; a
/// writer killed at any moment leaves the last committed graph.
#[test]
fn readers_see_the_old_or_the_new_graph_and_a_killed_writer_leaves_the_old() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let facts = sample_facts();
    let store = d.join("g.kith");
    write_copies(&d.join("seed.jsonl"), &facts, "seed", 1);
    ok(kith()
        .arg("merge")
        .arg(d.join("seed.jsonl"))
        .arg("-o")
        .arg(&store));
    let old = facts.len() as u64;
    let big = d.join("big.jsonl");
    write_copies(&big, &facts, "big", 400);
    let new = old + 400 * facts.len() as u64;

    let mut writer = kith()
        .arg("merge")
        .arg(&big)
        .arg("--into")
        .arg(&store)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut seen = Vec::new();
    loop {
        let finished = writer.try_wait().unwrap().is_some();
        let count = document_count(&store).unwrap_or_else(|e| panic!("reader failed: {e}"));
        assert!(
            count == old || count == new,
            "a reader saw {count} documents: neither {old} nor {new}"
        );
        seen.push(count);
        if finished {
            break;
        }
    }
    let out = writer.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(seen.last(), Some(&new));

    // Kill writers at increasing delays: each time the store holds the old or the new
    // graph, whole, and stays writable.
    let before = exports(&store, d);
    let more = d.join("more.jsonl");
    write_copies(&more, &facts, "more", 400);
    for delay_ms in [0u64, 50, 150, 400, 1000] {
        let mut writer = kith()
            .arg("merge")
            .arg(&more)
            .arg("--into")
            .arg(&store)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        writer.kill().unwrap();
        writer.wait().unwrap();
        let count = document_count(&store).unwrap();
        if count == new {
            assert!(exports(&store, d) == before, "killed after {delay_ms} ms");
        } else {
            assert_eq!(
                count,
                new + 400 * facts.len() as u64,
                "killed after {delay_ms} ms"
            );
            return;
        }
    }
}

/// A writer that cannot get the store's write lock in time says so, naming the store, and
/// writes nothing; a foreign SQLite file and a broken store are refused clearly.
#[test]
fn a_locked_store_and_foreign_files_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let files = sample_files();
    let store = dir.path().join("g.kith");
    ok(kith().arg("build").arg(&files[0]).arg("-o").arg(&store));
    let before = std::fs::read(&store).unwrap();
    {
        let lock = rusqlite::Connection::open(&store).unwrap();
        lock.execute_batch("BEGIN IMMEDIATE").unwrap();
        let out = run(kith()
            .env("KITH_BUSY_TIMEOUT", "0.3")
            .arg("build")
            .arg(&files[1])
            .arg("--into")
            .arg(&store));
        assert!(!out.status.success());
        let message = stderr(&out);
        assert!(
            message.contains("g.kith") && message.contains("being written by another process"),
            "{message}"
        );
        assert!(!message.contains("panicked"), "{message}");
        // Readers are not blocked by a writer that has not committed.
        ok(kith().arg("stats").arg(&store));
    }
    assert_eq!(std::fs::read(&store).unwrap(), before);
    ok(kith().arg("build").arg(&files[1]).arg("--into").arg(&store));
    assert_eq!(document_count(&store).unwrap(), 2);

    let foreign = dir.path().join("other.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    for command in ["stats", "export"] {
        let out = run(kith()
            .arg(command)
            .arg(&foreign)
            .args(if command == "export" {
                &["--format", "dot"][..]
            } else {
                &[][..]
            }));
        assert!(!out.status.success());
        let message = stderr(&out);
        assert!(
            message.contains("other.db") && message.contains("not a Kith graph store"),
            "{message}"
        );
    }
    let out = run(kith()
        .arg("build")
        .arg(&files[0])
        .arg("--into")
        .arg(&foreign));
    assert!(
        stderr(&out).contains("not a Kith graph store"),
        "{}",
        stderr(&out)
    );

    let broken = dir.path().join("broken.kith");
    let mut bytes = std::fs::read(&store).unwrap();
    bytes.truncate(1000);
    std::fs::write(&broken, bytes).unwrap();
    let out = run(kith().arg("neighbors").arg(&broken).arg("Marco Rubio"));
    assert!(!out.status.success());
    let message = stderr(&out);
    assert!(
        message.contains("broken.kith") && !message.contains("panicked"),
        "{message}"
    );
}

/// A merge into a JSON graph killed at twenty moments (SIGKILL: nothing runs on the way out)
/// leaves the old graph or the new one, readable; the next write removes the temporary
/// files killed runs left.
#[test]
fn a_killed_json_writer_leaves_a_whole_graph_and_the_next_write_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let facts = sample_facts();
    let graph = d.join("g.json");
    write_copies(&d.join("seed.jsonl"), &facts, "seed", 1);
    ok(kith()
        .arg("merge")
        .arg(d.join("seed.jsonl"))
        .arg("-o")
        .arg(&graph));
    let old = document_count(&graph).unwrap();
    let more = d.join("more.jsonl");
    write_copies(&more, &facts, "more", 300);
    let new = old + 300 * facts.len() as u64;
    // Twenty moments spread over the run (about two seconds here), always the same ones.
    for delay_ms in (0..20u64).map(|k| k * k * 6) {
        let mut writer = kith()
            .arg("merge")
            .arg(&more)
            .arg("--into")
            .arg(&graph)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        writer.kill().unwrap();
        writer.wait().unwrap();
        let count = document_count(&graph).unwrap();
        assert!(
            count == old || count == new,
            "killed after {delay_ms} ms: {count} documents, neither {old} nor {new}"
        );
    }
    // A file as a killed run leaves it (its process id is above any Linux pid_max).
    let planted = d.join(".kith-4294967295-left.tmp");
    std::fs::write(&planted, "half a graph").unwrap();
    let out = ok(kith()
        .arg("merge")
        .arg(d.join("seed.jsonl"))
        .arg("--into")
        .arg(&graph));
    assert!(
        stderr(&out).contains("left by a killed run"),
        "{}",
        stderr(&out)
    );
    let left: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".kith-"))
        .collect();
    assert!(left.is_empty(), "temporary files remain: {left:?}");
}

/// `kith remove` on a JSON graph killed at twenty moments (SIGKILL: nothing runs on the
/// way out) leaves the old graph or the new one, readable.
#[test]
fn a_killed_remove_leaves_a_whole_json_graph() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let facts = sample_facts();
    let graph = d.join("g.json");
    let whole = d.join("whole.json");
    write_copies(&d.join("more.jsonl"), &facts, "more", 300);
    ok(kith()
        .arg("merge")
        .arg(d.join("more.jsonl"))
        .arg("-o")
        .arg(&whole));
    std::fs::copy(&whole, &graph).unwrap();
    let old = document_count(&graph).unwrap();
    let gone: Vec<String> = (0..150)
        .flat_map(|i| (0..facts.len()).map(move |j| format!("more-{i}-{j}")))
        .collect();
    let new = old - gone.len() as u64;
    let mut killed = 0;
    for delay_ms in (0..20u64).map(|k| k * k * 5) {
        let mut remover = kith()
            .arg("remove")
            .arg(&graph)
            .args(&gone)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        remover.kill().unwrap();
        let status = remover.wait().unwrap();
        killed += usize::from(!status.success());
        let count = document_count(&graph).unwrap();
        assert!(
            count == old || count == new,
            "killed after {delay_ms} ms: {count} documents, neither {old} nor {new}"
        );
        if count == new {
            // It finished first: the whole graph back for the next moment.
            std::fs::copy(&whole, &graph).unwrap();
        }
    }
    assert!(killed > 0, "every run finished before it was killed");
    // Left alone, it takes them out.
    ok(kith().arg("remove").arg(&graph).args(&gone));
    assert_eq!(document_count(&graph).unwrap(), new);
}
