//! End-to-end tests of `kith-ingest`: every fixture is written into a temporary directory
//! by the test itself.

use kith_ingest::{
    extract_html, read_inputs, read_stream, Input, RawDocument, SkipReason, Skipped,
};
use kith_schema::DocId;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

fn read_all(inputs: &[Input]) -> (Vec<RawDocument>, Vec<Skipped>) {
    let mut docs = Vec::new();
    let mut skipped = Vec::new();
    for item in read_inputs(inputs) {
        match item {
            Ok(d) => docs.push(d),
            Err(s) => skipped.push(s),
        }
    }
    (docs, skipped)
}

fn read_path(path: &Path) -> (Vec<RawDocument>, Vec<Skipped>) {
    read_all(&[Input::Path(path.to_path_buf())])
}

fn only_skip(path: &Path) -> Skipped {
    let (docs, mut skipped) = read_path(path);
    assert!(
        docs.is_empty(),
        "expected no documents from {}, got {docs:?}",
        path.display()
    );
    assert_eq!(skipped.len(), 1, "expected one skip, got {skipped:?}");
    skipped.pop().unwrap()
}

fn stream(input: &[u8]) -> (Vec<RawDocument>, Vec<Skipped>) {
    let mut docs = Vec::new();
    let mut skipped = Vec::new();
    for item in read_stream(Cursor::new(input.to_vec()), "-") {
        match item {
            Ok(d) => docs.push(d),
            Err(s) => skipped.push(s),
        }
    }
    (docs, skipped)
}

// ---------------------------------------------------------------------------------------
// Formats

#[test]
fn plain_text_is_kept_exactly() {
    let tmp = TempDir::new().unwrap();
    let text = "The river council met on Tuesday.\r\nIt voted twice.\r\n";
    let path = write(tmp.path(), "note.txt", text);
    let (docs, skipped) = read_path(&path);
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(docs.len(), 1);
    let doc = &docs[0];
    assert_eq!(doc.text, text, "CRLF must not be rewritten");
    assert_eq!(doc.source, path.display().to_string());
    assert_eq!(doc.id, DocId::from_content(text));
    assert_eq!(
        (
            doc.title.as_deref(),
            doc.url.as_deref(),
            doc.published.as_deref()
        ),
        (None, None, None)
    );
}

#[test]
fn markdown_is_not_rewritten() {
    let tmp = TempDir::new().unwrap();
    let text = "# Harbour news\n\n*Mayor Elena Voss* opened the [new pier](http://example.org).\n";
    for name in ["a.md", "b.markdown", "C.MD"] {
        let path = write(tmp.path(), name, text);
        let (docs, skipped) = read_path(&path);
        assert!(skipped.is_empty(), "{name}: {skipped:?}");
        assert_eq!(docs.len(), 1, "{name}");
        assert_eq!(docs[0].text, text, "{name}");
    }
}

#[test]
fn html_main_text_and_metadata() {
    let tmp = TempDir::new().unwrap();
    let html = r#"<!DOCTYPE html>
<html><head>
  <title>  Bridge   reopens &amp; traffic returns </title>
  <link rel="canonical" href="https://news.example/bridge">
  <meta property="og:url" content="https://news.example/og-bridge">
  <meta property="article:published_time" content="2024-03-05T08:00:00Z">
  <style>p { color: red }</style>
  <script>var hidden = "script text";</script>
</head>
<body>
  <header>Site header</header>
  <nav><a href="/">Home</a> | <a href="/world">World</a></nav>
  <article>
    <h1>Bridge reopens</h1>
    <p>The Marlow bridge reopened on Monday,
       said engineer <b>Ana Ruiz</b>.</p><p>Traffic&nbsp;returned &ldquo;quickly&rdquo;.</p>
    Loose text<br>after a break
    <ul><li>First item</li><li>Second item</li></ul>
    <table><tr><td>Cell one</td><td>Cell two</td></tr></table>
    <pre>line one
   line two</pre>
    <aside>Related: other bridges</aside>
    <form><label>Subscribe</label><input name="e"></form>
    <noscript>Enable scripts</noscript>
    <svg><text>svg label</text></svg>
    <template><p>template text</p></template>
    <div hidden>Hidden block</div>
  </article>
  <footer>Copyright footer</footer>
</body></html>"#;
    let path = write(tmp.path(), "page.html", html);
    let (docs, skipped) = read_path(&path);
    assert!(skipped.is_empty(), "{skipped:?}");
    let doc = &docs[0];
    assert_eq!(
        doc.title.as_deref(),
        Some("Bridge reopens & traffic returns")
    );
    assert_eq!(doc.url.as_deref(), Some("https://news.example/bridge"));
    assert_eq!(doc.published.as_deref(), Some("2024-03-05T08:00:00Z"));
    let expected = [
        "Bridge reopens",
        "The Marlow bridge reopened on Monday, said engineer Ana Ruiz.",
        "Traffic returned \u{201c}quickly\u{201d}.",
        "Loose text",
        "after a break",
        "First item",
        "Second item",
        "Cell one Cell two",
        "line one\n   line two",
    ]
    .join("\n\n");
    assert_eq!(doc.text, expected);
    for dropped in [
        "header",
        "Home",
        "Related",
        "Subscribe",
        "Enable",
        "svg label",
        "template",
        "Hidden",
        "footer",
        "script",
        "color",
    ] {
        assert!(
            !doc.text.contains(dropped),
            "{dropped:?} should be dropped from {:?}",
            doc.text
        );
    }
    assert_eq!(doc.id, DocId::from_content(&doc.text));
}

#[test]
fn html_metadata_fallbacks() {
    let og = extract_html(
        r#"<html><head><meta property="og:title" content="OG headline">
        <meta property="og:url" content="https://news.example/og"></head>
        <body><h1>Heading</h1><p>Body <time datetime="2023-11-02">Thursday</time>.</p></body></html>"#,
    );
    assert_eq!(og.title.as_deref(), Some("OG headline"));
    assert_eq!(og.url.as_deref(), Some("https://news.example/og"));
    assert_eq!(og.published.as_deref(), Some("2023-11-02"));
    assert_eq!(og.text, "Heading\n\nBody Thursday.");

    let h1 = extract_html("<body><h1>First  heading</h1><h1>Second</h1><p>Words.</p></body>");
    assert_eq!(h1.title.as_deref(), Some("First heading"));
    assert_eq!((h1.url, h1.published), (None, None));

    let htm = extract_html("<p>A &lt;b&gt; tag &amp; an &eacute;lan &#169;</p>");
    assert_eq!(htm.text, "A <b> tag & an \u{e9}lan \u{a9}");
}

#[test]
fn htm_extension_and_deep_nesting_do_not_fail() {
    let tmp = TempDir::new().unwrap();
    let deep = format!(
        "{}<p>Deep text.</p>{}",
        "<div>".repeat(5000),
        "</div>".repeat(5000)
    );
    let path = write(tmp.path(), "deep.HTM", deep);
    let (docs, skipped) = read_path(&path);
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(docs[0].text, "Deep text.");
}

#[test]
fn jsonl_documents() {
    let tmp = TempDir::new().unwrap();
    let body = concat!(
        r#"{"id": "a-1", "text": "Premier Lund visited Oslo.", "title": "Visit", "url": "https://x.example/1", "published": "2024-01-02"}"#,
        "\n\n   \n",
        r#"{"id": 42, "text": "Second article."}"#,
        "\r\n",
        r#"{"text": "No id here.", "title": null}"#,
    );
    for name in ["feed.jsonl", "feed.ndjson"] {
        let path = write(tmp.path(), name, body);
        let (docs, skipped) = read_path(&path);
        assert!(skipped.is_empty(), "{skipped:?}");
        let p = path.display().to_string();
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].id, DocId("a-1".into()));
        assert_eq!(docs[0].text, "Premier Lund visited Oslo.");
        assert_eq!(docs[0].title.as_deref(), Some("Visit"));
        assert_eq!(docs[0].url.as_deref(), Some("https://x.example/1"));
        assert_eq!(docs[0].published.as_deref(), Some("2024-01-02"));
        assert_eq!(docs[0].source, format!("{p}:1"));
        assert_eq!(docs[1].id, DocId("42".into()));
        assert_eq!(docs[1].source, format!("{p}:4"));
        assert_eq!(docs[2].id, DocId::from_content("No id here."));
        assert_eq!(docs[2].title, None);
        assert_eq!(docs[2].source, format!("{p}:5"));
    }
}

#[test]
fn jsonl_mix_of_good_and_bad_lines() {
    let tmp = TempDir::new().unwrap();
    let mut body = Vec::new();
    let lines: [&[u8]; 12] = [
        br#"{"id": "ok1", "text": "A good line."}"#, // 1
        br#"{"id": "bad", "text": "unterminated}"#,  // 2
        br#"{"id": "nt"}"#,                          // 3
        br#"{"id": "num", "text": 17}"#,             // 4
        br#"{"id": "blank", "text": "   "}"#,        // 5
        b"{\"id\": \"utf\", \"text\": \"caf\xE9\"}", // 6
        br#"["text", "in an array"]"#,               // 7
        br#"{"id": true, "text": "Bool id."}"#,      // 8
        br#"{"id": "t", "text": "Bad title.", "title": ["x"]}"#, // 9
        b"",                                         // 10
        br#"{"id": "ok2", "text": "Another good line."} trailing"#, // 11
        br#"{"id": "ok3", "text": "The last good line."}"#, // 12
    ];
    for line in lines {
        body.extend_from_slice(line);
        body.push(b'\n');
    }
    let path = write(tmp.path(), "mixed.jsonl", &body);
    let p = path.display().to_string();
    let (docs, skipped) = read_path(&path);
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["ok1", "ok3"]);
    assert_eq!(docs[1].source, format!("{p}:12"));

    let messages: Vec<String> = skipped.iter().map(|s| s.to_string()).collect();
    let sources: Vec<&str> = skipped.iter().map(|s| s.source.as_str()).collect();
    let expected_lines = [2, 3, 4, 5, 6, 7, 8, 9, 11];
    assert_eq!(
        sources,
        expected_lines.map(|l| format!("{p}:{l}")),
        "{messages:#?}"
    );
    for m in &messages {
        assert!(m.starts_with(&format!("{p}:")), "{m}");
    }
    assert!(
        matches!(skipped[0].reason, SkipReason::MalformedJson { .. }),
        "{}",
        messages[0]
    );
    assert!(
        messages[0].contains("malformed JSON at column"),
        "{}",
        messages[0]
    );
    assert!(
        !messages[0].contains("at line 1"),
        "serde's line suffix should be folded in: {}",
        messages[0]
    );
    assert_eq!(messages[1], format!("{p}:3: missing \"text\" field"));
    assert_eq!(
        messages[2],
        format!("{p}:4: \"text\" must be a string, found a number")
    );
    assert_eq!(messages[3], format!("{p}:5: empty \"text\""));
    // Line 6 starts at byte offset = lengths of lines 1..5 plus their newlines.
    let line6_start: usize = lines[..5].iter().map(|l| l.len() + 1).sum();
    let col = lines[5].iter().position(|&b| b == 0xE9).unwrap();
    match skipped[4].reason {
        SkipReason::InvalidUtf8 {
            offset,
            line_offset,
        } => {
            assert_eq!(line_offset, Some(col));
            assert_eq!(offset, (line6_start + col) as u64);
        }
        ref other => panic!("expected invalid UTF-8, got {other:?}"),
    }
    assert!(
        messages[4].contains(&format!(
            "invalid UTF-8 at byte offset {}",
            line6_start + col
        )),
        "{}",
        messages[4]
    );
    assert_eq!(
        messages[5],
        format!("{p}:7: expected a JSON object, found an array")
    );
    assert_eq!(
        messages[6],
        format!("{p}:8: \"id\" must be a string or a number, found a boolean")
    );
    assert_eq!(
        messages[7],
        format!("{p}:9: \"title\" must be a string, found an array")
    );
    match &skipped[8].reason {
        SkipReason::MalformedJson { column, message } => {
            let trailing = lines[10].windows(8).position(|w| w == b"trailing").unwrap();
            assert_eq!(*column, trailing + 1);
            assert!(message.contains("trailing characters"), "{message}");
        }
        other => panic!("expected malformed JSON, got {other:?}"),
    }
}

#[test]
fn malformed_json_reports_serde_column() {
    let tmp = TempDir::new().unwrap();
    let path = write(tmp.path(), "one.jsonl", "{\"text\": \"x\",, }\n");
    let skip = only_skip(&path);
    assert_eq!(skip.source, format!("{}:1", path.display()));
    match skip.reason {
        SkipReason::MalformedJson { column, .. } => assert_eq!(column, 14),
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Directories

#[test]
fn directories_recurse_in_sorted_order_skipping_hidden_and_unknown() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("corpus");
    write(&root, "b.txt", "Beta text.");
    write(&root, "a/z.md", "Zeta notes.");
    write(&root, "a/c.txt", "Gamma text.");
    write(&root, "a/deeper/d.html", "<p>Delta page.</p>");
    write(
        &root,
        "e.jsonl",
        "{\"text\": \"Epsilon line.\"}\n{\"text\": \"Eta line.\"}\n",
    );
    write(&root, "notes.csv", "not,read,here");
    write(&root, "image.png", b"\x89PNG\r\n\x1a\n\0\0\0");
    write(&root, "README", "no extension, ignored in a directory");
    write(&root, ".hidden.txt", "Hidden file.");
    write(&root, ".git/config.txt", "Hidden directory.");
    write(&root, "a/.cache/x.txt", "Hidden nested directory.");

    let (docs, skipped) = read_path(&root);
    assert!(skipped.is_empty(), "{skipped:?}");
    let r = root.display().to_string();
    let sources: Vec<String> = docs.iter().map(|d| d.source.clone()).collect();
    let sep = std::path::MAIN_SEPARATOR;
    let expected = vec![
        format!("{r}{sep}a{sep}c.txt"),
        format!("{r}{sep}a{sep}deeper{sep}d.html"),
        format!("{r}{sep}a{sep}z.md"),
        format!("{r}{sep}b.txt"),
        format!("{r}{sep}e.jsonl:1"),
        format!("{r}{sep}e.jsonl:2"),
    ];
    assert_eq!(sources, expected);
    let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Gamma text.",
            "Delta page.",
            "Zeta notes.",
            "Beta text.",
            "Epsilon line.",
            "Eta line."
        ]
    );

    // The same directory read again gives the same documents, in the same order.
    let (again, _) = read_path(&root);
    assert_eq!(again, docs);
}

#[test]
fn a_hidden_directory_named_explicitly_is_read() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join(".drafts");
    write(&root, "one.txt", "Draft one.");
    let (docs, skipped) = read_path(&root);
    assert!(skipped.is_empty());
    assert_eq!(docs.len(), 1);
}

#[test]
fn explicit_file_with_unknown_extension_is_plain_text() {
    let tmp = TempDir::new().unwrap();
    let csv = write(tmp.path(), "story.csv", "Ministers met, and agreed.");
    let bare = write(tmp.path(), "README", "A plain readme.");
    let (docs, skipped) = read_all(&[Input::Path(csv), Input::Path(bare)]);
    assert!(skipped.is_empty(), "{skipped:?}");
    let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    assert_eq!(texts, ["Ministers met, and agreed.", "A plain readme."]);

    let bin = write(tmp.path(), "blob.dat", b"abc\0def");
    let skip = only_skip(&bin);
    assert_eq!(
        skip.to_string(),
        format!("{}: binary file (NUL byte at byte offset 3)", bin.display())
    );
}

#[test]
fn inputs_are_read_in_the_order_given() {
    let tmp = TempDir::new().unwrap();
    let z = write(tmp.path(), "z.txt", "Zed.");
    let a = write(tmp.path(), "a.txt", "Ay.");
    let missing = tmp.path().join("missing.txt");
    let items: Vec<_> =
        read_inputs(&[Input::Path(z), Input::Path(missing), Input::Path(a)]).collect();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].as_ref().unwrap().text, "Zed.");
    assert!(items[1].is_err());
    assert_eq!(items[2].as_ref().unwrap().text, "Ay.");
}

// ---------------------------------------------------------------------------------------
// Skip reasons

#[test]
fn missing_path_names_the_file_and_os_error() {
    let tmp = TempDir::new().unwrap();
    let path = tmp.path().join("nowhere.txt");
    let skip = only_skip(&path);
    assert_eq!(skip.source, path.display().to_string());
    assert!(
        matches!(skip.reason, SkipReason::Unreadable(ref e) if e.kind() == std::io::ErrorKind::NotFound)
    );
    let msg = skip.to_string();
    assert!(
        msg.starts_with(&format!("{}: cannot read: ", path.display())),
        "{msg}"
    );
    assert!(msg.contains("os error"), "{msg}");
}

#[cfg(unix)]
#[test]
#[ignore = "needs a non-root user: root reads files without permission"]
fn permission_denied_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = TempDir::new().unwrap();
    let path = write(tmp.path(), "secret.txt", "Locked away.");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    assert!(
        std::fs::read(&path).is_err(),
        "a file with mode 000 is still readable: run this test as a non-root user"
    );
    let skip = only_skip(&path);
    assert!(
        matches!(skip.reason, SkipReason::Unreadable(ref e) if e.kind() == std::io::ErrorKind::PermissionDenied)
    );
    assert!(
        skip.to_string().contains("secret.txt: cannot read: "),
        "{skip}"
    );
}

/// A Unix socket exists (its metadata reads) but is no file: it is refused by name and
/// kind before anything opens it, whatever its extension.
#[cfg(unix)]
#[test]
fn a_socket_is_refused_as_not_a_file() {
    use std::os::unix::net::UnixListener;
    let tmp = TempDir::new().unwrap();
    for name in ["socket.txt", "socket.jsonl"] {
        let path = tmp.path().join(name);
        let _listener = UnixListener::bind(&path).unwrap();
        let skip = only_skip(&path);
        assert!(
            matches!(skip.reason, SkipReason::NotAFile { kind: "a socket" }),
            "{skip:?}"
        );
        assert_eq!(
            skip.to_string(),
            format!(
                "{}: not a regular file but a socket; pipe a stream to standard input (`-`) instead",
                path.display()
            )
        );
    }
}

/// A named pipe given as input, or met in a folder, is refused without being opened:
/// opening a pipe with no writer blocks until one comes, which would hang the run.
#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_without_being_opened() {
    let tmp = TempDir::new().unwrap();
    let fifo = tmp.path().join("feed.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo {}", fifo.display());
    // A writer waits for a reader. Were the pipe opened, it would get this text and the
    // read would give a document (failing the asserts below) rather than hang the test.
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(&fifo, "A sentence sent through the pipe."))
    };
    let skip = only_skip(&fifo);
    assert!(
        matches!(
            skip.reason,
            SkipReason::NotAFile {
                kind: "a named pipe (FIFO)"
            }
        ),
        "{skip:?}"
    );
    assert_eq!(
        skip.to_string(),
        format!(
            "{}: not a regular file but a named pipe (FIFO); pipe a stream to standard input (`-`) instead",
            fifo.display()
        )
    );

    // In a folder: the other files are read, the pipe is one skip naming it.
    write(tmp.path(), "article.txt", "A sentence in a file.");
    let (docs, skipped) = read_path(tmp.path());
    assert_eq!(docs.len(), 1, "{docs:?}");
    assert_eq!(docs[0].text, "A sentence in a file.");
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0].source, fifo.display().to_string());
    assert!(matches!(skipped[0].reason, SkipReason::NotAFile { .. }));

    // Nothing opened the pipe: its writer is still waiting, and reading it now releases it.
    assert!(!writer.is_finished());
    let sent = std::fs::read_to_string(&fifo).unwrap();
    writer.join().unwrap().unwrap();
    assert_eq!(sent, "A sentence sent through the pipe.");
}

#[test]
fn invalid_utf8_gives_byte_offset() {
    let tmp = TempDir::new().unwrap();
    let path = write(tmp.path(), "latin1.txt", b"Caf\xE9 society.");
    let skip = only_skip(&path);
    assert_eq!(
        skip.to_string(),
        format!("{}: invalid UTF-8 at byte offset 3", path.display())
    );
    assert!(matches!(
        skip.reason,
        SkipReason::InvalidUtf8 {
            offset: 3,
            line_offset: None
        }
    ));

    // The offset counts the BOM: it is a byte offset into the file.
    let bom = write(tmp.path(), "bom-latin1.txt", b"\xEF\xBB\xBFab\xFF");
    assert!(matches!(
        only_skip(&bom).reason,
        SkipReason::InvalidUtf8 { offset: 5, .. }
    ));
}

#[test]
fn binary_files_are_skipped() {
    let tmp = TempDir::new().unwrap();
    let mut bytes = b"Looks like text at first".to_vec();
    bytes.push(0);
    bytes.extend_from_slice(b"more");
    for name in ["bin.txt", "bin.html", "bin.jsonl"] {
        let path = write(tmp.path(), name, &bytes);
        let skip = only_skip(&path);
        assert_eq!(
            skip.to_string(),
            format!(
                "{}: binary file (NUL byte at byte offset 24)",
                path.display()
            )
        );
    }
    // A NUL byte past the first 8 KiB does not make a file binary.
    let mut late = "word ".repeat(2000).into_bytes();
    late.push(0);
    let path = write(tmp.path(), "late.txt", &late);
    let (docs, _) = read_path(&path);
    assert_eq!(docs.len(), 1);
}

#[test]
fn empty_and_whitespace_only_files_are_skipped() {
    let tmp = TempDir::new().unwrap();
    for (name, body) in [
        ("empty.txt", ""),
        ("spaces.md", " \n\t\r\n "),
        ("bom-only.txt", "\u{feff}"),
        ("empty.html", "  \n"),
        ("empty.jsonl", ""),
        ("blank-lines.jsonl", "\n   \n\r\n"),
    ] {
        let path = write(tmp.path(), name, body);
        let skip = only_skip(&path);
        assert!(matches!(skip.reason, SkipReason::Empty), "{name}: {skip}");
        assert_eq!(
            skip.to_string(),
            format!("{}: empty or whitespace-only input", path.display())
        );
    }
}

#[test]
fn html_without_text_is_skipped() {
    let tmp = TempDir::new().unwrap();
    let path = write(
        tmp.path(),
        "shell.html",
        "<html><head><title>Only a title</title><script>run()</script></head><body><nav>Menu</nav></body></html>",
    );
    let skip = only_skip(&path);
    assert!(matches!(skip.reason, SkipReason::NoHtmlText));
    assert_eq!(
        skip.to_string(),
        format!("{}: HTML with no extractable text", path.display())
    );
}

// ---------------------------------------------------------------------------------------
// BOM

#[test]
fn bom_is_stripped_and_nothing_else_changes() {
    let tmp = TempDir::new().unwrap();
    let path = write(tmp.path(), "bom.txt", "\u{feff}  Indented first line.\r\n");
    let (docs, _) = read_path(&path);
    assert_eq!(docs[0].text, "  Indented first line.\r\n");
    assert_eq!(
        docs[0].id,
        DocId::from_content("  Indented first line.\r\n")
    );

    let jl = write(
        tmp.path(),
        "bom.jsonl",
        "\u{feff}{\"id\": \"b\", \"text\": \"After a BOM.\"}\n",
    );
    let (docs, skipped) = read_path(&jl);
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(docs[0].text, "After a BOM.");

    let html = write(tmp.path(), "bom.html", "\u{feff}<p>Page text.</p>");
    assert_eq!(read_path(&html).0[0].text, "Page text.");
}

// ---------------------------------------------------------------------------------------
// Stdin

#[test]
fn stdin_parses_as_input() {
    assert_eq!(Input::parse("-"), Input::Stdin);
    assert_eq!("-".parse::<Input>().unwrap(), Input::Stdin);
    assert_eq!(
        Input::from("news/a.txt"),
        Input::Path(PathBuf::from("news/a.txt"))
    );
    assert_eq!(Input::from(PathBuf::from("-")), Input::Stdin);
    assert_eq!(Input::parse("./-"), Input::Path(PathBuf::from("./-")));
    assert_eq!(Input::Stdin.to_string(), "-");
}

#[test]
fn stdin_starting_with_brace_is_jsonl() {
    let (docs, skipped) = stream(
        b"\n  \n{\"id\": 1, \"text\": \"From a pipe.\"}\n{\"text\": 5}\n{\"text\": \"Third.\"}\n",
    );
    let sources: Vec<&str> = docs.iter().map(|d| d.source.as_str()).collect();
    assert_eq!(sources, ["-:3", "-:5"]);
    assert_eq!(docs[0].id, DocId("1".into()));
    assert_eq!(docs[1].id, DocId::from_content("Third."));
    assert_eq!(skipped.len(), 1);
    assert_eq!(
        skipped[0].to_string(),
        "-:4: \"text\" must be a string, found a number"
    );

    let (docs, _) = stream("\u{feff}{\"text\": \"BOM then JSON.\"}".as_bytes());
    assert_eq!(docs[0].text, "BOM then JSON.");
    assert_eq!(docs[0].source, "-:1");
}

#[test]
fn stdin_otherwise_is_one_plain_document() {
    let input = "  Hello {world}.\n{\"text\": \"not JSON mode\"}\n";
    let (docs, skipped) = stream(input.as_bytes());
    assert!(skipped.is_empty());
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].text, input);
    assert_eq!(docs[0].source, "-");
    assert_eq!(docs[0].id, DocId::from_content(input));

    // Whitespace longer than the sniffing window still finds the first real character.
    let long = format!("{}{{\"text\": \"Late brace.\"}}\n", " ".repeat(20_000));
    let (docs, skipped) = stream(long.as_bytes());
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(docs[0].text, "Late brace.");
}

#[test]
fn stdin_skips() {
    let (docs, skipped) = stream(b"");
    assert!(docs.is_empty());
    assert_eq!(skipped[0].to_string(), "-: empty or whitespace-only input");
    let (_, skipped) = stream(b" \n\t ");
    assert!(matches!(skipped[0].reason, SkipReason::Empty));
    let (_, skipped) = stream(b"ab\0");
    assert_eq!(
        skipped[0].to_string(),
        "-: binary file (NUL byte at byte offset 2)"
    );
    let (_, skipped) = stream(b"ok \xC3(");
    assert_eq!(skipped[0].to_string(), "-: invalid UTF-8 at byte offset 3");
}

/// An endless JSON-lines stream: proves that lines are yielded before the input ends.
struct Endless {
    pending: Vec<u8>,
    n: u64,
}

impl Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pending.is_empty() {
            self.n += 1;
            self.pending = format!(
                "{{\"id\": {}, \"text\": \"Line number {}.\"}}\n",
                self.n, self.n
            )
            .into_bytes();
        }
        let k = buf.len().min(self.pending.len());
        buf[..k].copy_from_slice(&self.pending[..k]);
        self.pending.drain(..k);
        Ok(k)
    }
}

#[test]
fn jsonl_streams_without_reading_everything() {
    let docs: Vec<RawDocument> = read_stream(
        Endless {
            pending: Vec::new(),
            n: 0,
        },
        "-",
    )
    .take(3)
    .map(|r| r.unwrap())
    .collect();
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    assert_eq!(docs[2].source, "-:3");
}

/// A stream that fails part-way.
struct Failing(Cursor<Vec<u8>>);

impl Read for Failing {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.0.read(buf)? {
            0 => Err(std::io::Error::other("pipe broke")),
            n => Ok(n),
        }
    }
}

#[test]
fn a_read_error_mid_stream_is_a_skip_after_the_good_lines() {
    let mut body = Vec::new();
    for i in 0..400 {
        body.extend_from_slice(
            format!("{{\"text\": \"Padding article {i} with some words.\"}}\n").as_bytes(),
        );
    }
    let items: Vec<_> = read_stream(Failing(Cursor::new(body)), "-").collect();
    // The first 8 KiB are read up front; an error there or later is reported once, at the
    // line being read, after every line that was read whole.
    let last = items.last().unwrap().as_ref().unwrap_err();
    assert!(
        last.to_string().contains("cannot read: pipe broke"),
        "{last}"
    );
    let good = items.iter().filter(|i| i.is_ok()).count();
    assert_eq!(good, 400);
    assert_eq!(last.source, "-:401");
}

// ---------------------------------------------------------------------------------------
// Ids

#[test]
fn content_ids_are_stable_across_runs() {
    let tmp = TempDir::new().unwrap();
    let path = write(
        tmp.path(),
        "council.txt",
        "The river council met on Tuesday.\n",
    );
    let first = read_path(&path).0;
    let second = read_path(&path).0;
    assert_eq!(first[0].id, second[0].id);
    // A fixed value: the id must not depend on the process, the path or the time.
    assert_eq!(first[0].id.as_str(), "sha256:e812980e8b81a931");

    // The same text under another name, or through stdin, gets the same id.
    let copy = write(
        tmp.path(),
        "sub/copy.md",
        "The river council met on Tuesday.\n",
    );
    assert_eq!(read_path(&copy).0[0].id, first[0].id);
    assert_eq!(
        stream(b"The river council met on Tuesday.\n").0[0].id,
        first[0].id
    );
    // Different text, different id.
    let other = write(
        tmp.path(),
        "other.txt",
        "The river council met on Wednesday.\n",
    );
    assert_ne!(read_path(&other).0[0].id, first[0].id);
}

#[test]
fn documents_iterator_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let docs = read_inputs(&[Input::Stdin]);
    assert_send(&docs);
}

/// Numeric ids keep their JSON text: two ids that differ past f64's 17 digits stay two.
#[test]
fn numeric_ids_keep_their_json_text() {
    let (docs, skipped) = stream(
        b"{\"id\": 12345678901234567890123, \"text\": \"One.\"}\n\
          {\"id\": 12345678901234567890124, \"text\": \"Two.\"}\n\
          {\"id\": 7, \"text\": \"Three.\"}\n\
          {\"id\": -0.5e3, \"text\": \"Four.\"}\n",
    );
    assert!(skipped.is_empty(), "{skipped:?}");
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "12345678901234567890123",
            "12345678901234567890124",
            "7",
            "-0.5e3"
        ]
    );
}

/// Seconds for `reps` runs of `f`.
fn seconds(reps: u32, f: &dyn Fn()) -> f64 {
    let t = std::time::Instant::now();
    for _ in 0..reps {
        f();
    }
    t.elapsed().as_secs_f64()
}

/// How much longer reading an input of size `2n` takes than one of size `n`: about 2 when
/// linear, 4 when quadratic. A ratio, not a wall-time limit; the least time of five tries
/// each, taken in turns, since the machine may be busy with other work.
fn doubling_ratio(make: &dyn Fn(usize) -> String, n: usize) -> f64 {
    let tmp = TempDir::new().unwrap();
    let small = write(tmp.path(), "small.html", make(n));
    let large = write(tmp.path(), "large.html", make(2 * n));
    let read = |p: &Path| {
        let _ = read_path(p);
    };
    let mut reps = 1;
    while seconds(reps, &|| read(&small)) < 0.05 {
        reps *= 2;
    }
    let (mut fast_small, mut fast_large) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..5 {
        fast_small = fast_small.min(seconds(reps, &|| read(&small)));
        fast_large = fast_large.min(seconds(reps, &|| read(&large)));
    }
    fast_large / fast_small
}

/// A pathological input: its name, a size and how to make it at a size.
type Pathological = (&'static str, usize, fn(usize) -> String);

/// Pathological pages cost time in proportion to their size: deep nesting, one huge line,
/// 100k names, 100k commas.
#[test]
fn pathological_html_takes_linear_time() {
    let cases: [Pathological; 4] = [
        ("nesting", 10_000, |n| {
            format!("{}<p>Deep.</p>{}", "<div>".repeat(n), "</div>".repeat(n))
        }),
        ("one huge line", 100_000, |n| {
            format!("<p>{}</p>", "Marco Rubio spoke. ".repeat(n))
        }),
        ("names", 100_000, |n| {
            format!("<p>{}</p>", "<b>Asif</b> ".repeat(n))
        }),
        ("commas", 100_000, |n| format!("<p>{}x</p>", ",".repeat(n))),
    ];
    for (name, n, make) in cases {
        // At two scales, keeping the smaller: quadratic work doubles to 4 at every scale,
        // while a cache or allocator threshold crossed at one scale shows at that one only.
        let ratio = doubling_ratio(&make, n).min(doubling_ratio(&make, 2 * n));
        assert!(
            ratio < 3.0,
            "{name}: doubling the input took {ratio:.1} times as long"
        );
    }
}

/// A page nested deeper than any real page is skipped with its depth, quickly (the HTML
/// parser's time grows with the square of the depth).
#[test]
fn html_nested_too_deep_is_skipped_with_its_depth() {
    let tmp = TempDir::new().unwrap();
    let deep = format!(
        "{}<p>Deep.</p>{}",
        "<div>".repeat(50_000),
        "</div>".repeat(50_000)
    );
    let path = write(tmp.path(), "deep.html", deep);
    let skip = only_skip(&path);
    assert!(skip.to_string().contains("50000"), "{skip}");
}
