//! Inputs as `kith build` and `kith extract` read them: the first byte picks how
//! (standard input, or a file named `.txt`, `.md`, `.html` or `.jsonl`), the rest is the
//! content. Every document has a non-blank text and an id, and every item (document or
//! skip) names its source, so one bad input costs only itself.
#![no_main]

use kith_ingest::{read_inputs, read_stream, Input};
use libfuzzer_sys::fuzz_target;
use std::io::Cursor;
use std::path::PathBuf;
use std::sync::OnceLock;

/// One scratch folder per fuzzing process, overwritten on every run.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("kith-fuzz-ingest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch folder");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, content)) = data.split_first() else {
        return;
    };
    let (items, source): (Vec<_>, String) = match which % 5 {
        0 => (
            read_stream(Cursor::new(content.to_vec()), "-").collect(),
            "-".into(),
        ),
        n => {
            let ext = ["txt", "md", "html", "jsonl"][usize::from(n) - 1];
            let path = scratch().join(format!("input.{ext}"));
            std::fs::write(&path, content).expect("scratch file");
            let source = path.display().to_string();
            (read_inputs(&[Input::Path(path)]).collect(), source)
        }
    };
    for item in items {
        match item {
            Ok(doc) => {
                assert!(!doc.text.trim().is_empty(), "a blank document was yielded");
                assert!(!doc.id.as_str().is_empty(), "a document without an id");
                assert!(
                    doc.source.starts_with(&source),
                    "{} not from {source}",
                    doc.source
                );
            }
            Err(skip) => {
                assert!(
                    skip.source.starts_with(&source),
                    "{} not from {source}",
                    skip.source
                );
                assert!(!skip.to_string().is_empty());
            }
        }
    }
});
