//! re3d (Dstl's relationship and entity extraction evaluation data set: defence and
//! government news), one folder per source holding `documents.json` (`_id`, `text`) and
//! `relations.json` (`documentId`, `type`, `sourceBegin`/`sourceEnd`,
//! `targetBegin`/`targetEnd`), each a JSON array or one JSON object a line.
//!
//! Offsets are character offsets into the document text; they are converted to bytes on
//! reading, as `kith_nlp::Doc` counts them. re3d's relation types (`CommWith`,
//! `CoLocated`, `FightingAgainst`, ...) are not Kith predicates: they are kept as given, for
//! scoring the pairs a relation joins (any predicate, either direction). A relation whose
//! span falls outside its document's text (or is empty), or whose document is missing, is
//! skipped and counted.

use crate::knowledgenet::KnFact;
use crate::CorpusError;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A document of a re3d source and its gold relations.
#[derive(Clone, Debug)]
pub struct Re3dDocument {
    /// The document id (`_id`).
    pub id: String,
    /// The document text.
    pub text: String,
    /// Gold relations: the re3d type as predicate, source as subject and target as object,
    /// spans in bytes.
    pub facts: Vec<KnFact>,
}

/// One re3d source folder read.
#[derive(Clone, Debug)]
pub struct Re3dSource {
    /// The folder.
    pub dir: PathBuf,
    /// Its documents, in file order.
    pub documents: Vec<Re3dDocument>,
    /// Relations skipped: spans outside the text or empty, or an unknown document.
    pub skipped: usize,
}

#[derive(serde::Deserialize)]
struct DocumentLine {
    #[serde(rename = "_id")]
    id: String,
    text: String,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct RelationLine {
    document_id: String,
    #[serde(rename = "type")]
    kind: String,
    source_begin: usize,
    source_end: usize,
    target_begin: usize,
    target_end: usize,
}

/// Reads one re3d source folder (`documents.json` and `relations.json`).
pub fn read_re3d(dir: &Path) -> Result<Re3dSource, CorpusError> {
    let docs: Vec<DocumentLine> = read_objects(&dir.join("documents.json"))?;
    let relations: Vec<RelationLine> = read_objects(&dir.join("relations.json"))?;
    let mut documents: Vec<Re3dDocument> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for d in docs {
        if index.contains_key(&d.id) {
            continue;
        }
        index.insert(d.id.clone(), documents.len());
        documents.push(Re3dDocument {
            id: d.id,
            text: d.text,
            facts: Vec::new(),
        });
    }
    let mut skipped = 0;
    for r in relations {
        let Some(&at) = index.get(&r.document_id) else {
            skipped += 1;
            continue;
        };
        let doc = &mut documents[at];
        let subject = byte_span(&doc.text, r.source_begin, r.source_end);
        let object = byte_span(&doc.text, r.target_begin, r.target_end);
        let (Some(subject), Some(object)) = (subject, object) else {
            skipped += 1;
            continue;
        };
        doc.facts.push(KnFact {
            predicate: r.kind,
            subject,
            object,
        });
    }
    for d in &mut documents {
        d.facts.sort_by_key(|f| {
            (
                f.predicate.clone(),
                f.subject.start,
                f.subject.end,
                f.object.start,
                f.object.end,
            )
        });
        d.facts.dedup();
    }
    Ok(Re3dSource {
        dir: dir.to_path_buf(),
        documents,
        skipped,
    })
}

/// Reads several re3d source folders, in the order given.
pub fn read_re3d_all(dirs: &[PathBuf]) -> Result<Vec<Re3dSource>, CorpusError> {
    dirs.iter().map(|d| read_re3d(d)).collect()
}

/// A file's objects: a JSON array, or one JSON object a line (blank lines skipped).
fn read_objects<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>, CorpusError> {
    let text = crate::error::read_text(path)?;
    if text.trim_start().starts_with('[') {
        return serde_json::from_str(&text)
            .map_err(|e| CorpusError::malformed(path, e.line(), e.to_string()));
    }
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push(
            serde_json::from_str(line)
                .map_err(|e| CorpusError::malformed(path, n + 1, e.to_string()))?,
        );
    }
    Ok(out)
}

/// Character offsets `begin..end` of `text` as bytes; `None` when outside or empty.
fn byte_span(text: &str, begin: usize, end: usize) -> Option<Range<usize>> {
    let byte = |chars: usize| {
        text.char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(text.len()))
            .nth(chars)
    };
    match (byte(begin), byte(end)) {
        (Some(s), Some(t)) if s < t => Some(s..t),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_folder_with_char_offsets_as_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let text = "Général Dupont met Ahmed Karimi in Kabul.";
        // chars: "Général Dupont" 0..14, "Ahmed Karimi" 19..31, "Kabul" 35..40.
        std::fs::write(
            dir.path().join("documents.json"),
            format!("{}\n", serde_json::json!({"_id": "D1", "text": text})),
        )
        .unwrap();
        let rel = |id: &str, kind: &str, s: (usize, usize), t: (usize, usize)| {
            serde_json::json!({"_id": format!("{id}-{kind}"), "documentId": id, "type": kind,
                "begin": s.1, "end": t.0, "sourceBegin": s.0, "sourceEnd": s.1,
                "targetBegin": t.0, "targetEnd": t.1})
        };
        let relations = serde_json::Value::Array(vec![
            rel("D1", "CommWith", (0, 14), (19, 31)),
            rel("D1", "CoLocated", (19, 31), (35, 40)),
            rel("D1", "CoLocated", (19, 31), (35, 90)),
            rel("D2", "CoLocated", (0, 1), (2, 3)),
        ]);
        std::fs::write(dir.path().join("relations.json"), relations.to_string()).unwrap();
        let source = read_re3d(dir.path()).unwrap();
        assert_eq!(source.skipped, 2);
        assert_eq!(source.documents.len(), 1);
        let d = &source.documents[0];
        let slice = |r: &Range<usize>| &d.text[r.clone()];
        assert_eq!(d.facts.len(), 2);
        let comm = d.facts.iter().find(|f| f.predicate == "CommWith").unwrap();
        assert_eq!(slice(&comm.subject), "Général Dupont");
        assert_eq!(slice(&comm.object), "Ahmed Karimi");
        let loc = d.facts.iter().find(|f| f.predicate == "CoLocated").unwrap();
        assert_eq!(slice(&loc.object), "Kabul");
    }

    #[test]
    fn a_bad_line_names_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("documents.json"),
            "{\"_id\": \"D1\", \"text\": \"x\"}\n{not json\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("relations.json"), "").unwrap();
        let e = read_re3d(dir.path()).unwrap_err().to_string();
        assert!(e.contains("documents.json:2"), "{e}");
    }
}
