//! Data sources: the files a config's `[[train]]` and `[[dev]]` entries name (relative to
//! its data folder, GUM folders filtered by licence), read into training examples, and
//! the files an evaluation reads.

use crate::config::{resolve, Source};
use crate::error::{bail, Result, ResultExt};
use kith_corpus::{DepSentence, GumFilter, PosSentence, TaggedDocument};
use std::path::{Path, PathBuf};

/// The files of a source: the file itself, the filtered GUM files of a GUM directory, or
/// every file of another directory (sorted, hidden files left out).
pub fn source_files(data: &Path, src: &Source) -> Result<Vec<PathBuf>> {
    let path = resolve(data, &src.path);
    if path.is_file() {
        return Ok(vec![path]);
    }
    if !path.is_dir() {
        bail!("data path {} does not exist", path.display());
    }
    let filter = match src.genres.as_deref() {
        None | Some("permissive") => GumFilter::Permissive,
        Some("all") => GumFilter::AllUnmasked,
        Some(other) => bail!("genres = \"{other}\": expected \"permissive\" or \"all\""),
    };
    let gum = kith_corpus::gum_files(&path, filter)?;
    if !gum.is_empty() {
        return Ok(gum);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&path)
        .with_context(|| format!("cannot list {}", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no data files in {}", path.display());
    }
    Ok(files)
}

/// The POS sentences of CoNLL-U sources, and a description of each source (recorded in
/// the model's metadata).
pub fn read_pos_sources(
    data: &Path,
    sources: &[Source],
) -> Result<(Vec<PosSentence>, Vec<String>)> {
    let mut out = Vec::new();
    let mut names = Vec::new();
    for src in sources {
        if src.format != "conllu" {
            bail!(
                "POS data must have format = \"conllu\" (found \"{}\")",
                src.format
            );
        }
        let files = source_files(data, src)?;
        for f in &files {
            out.extend(kith_corpus::read_conllu_pos(f)?);
        }
        names.push(format!("{} ({} files)", src.path.display(), files.len()));
    }
    Ok((out, names))
}

/// The NER documents of sources (each read in its `format`), and a description of each
/// source.
pub fn read_ner_sources(
    data: &Path,
    sources: &[Source],
) -> Result<(Vec<TaggedDocument>, Vec<String>)> {
    let (docs, names, _) = read_ner_sources_repeat(data, sources)?;
    Ok((docs, names))
}

/// As [`read_ner_sources`], with each document's `repeat` count.
pub fn read_ner_sources_repeat(
    data: &Path,
    sources: &[Source],
) -> Result<(Vec<TaggedDocument>, Vec<String>, Vec<u32>)> {
    let mut out = Vec::new();
    let mut names = Vec::new();
    let mut repeat = Vec::new();
    for src in sources {
        let files = source_files(data, src)?;
        let before = out.len();
        for f in &files {
            out.extend(kith_corpus::read_ner(&src.format, f)?);
        }
        let r = src.repeat.unwrap_or(1).max(1);
        repeat.resize(out.len(), r);
        let times = if r > 1 {
            format!(", ×{r}")
        } else {
            String::new()
        };
        names.push(format!(
            "{} {} ({} files, {} documents{times})",
            src.format,
            src.path.display(),
            files.len(),
            out.len() - before
        ));
    }
    Ok((out, names, repeat))
}

/// The dependency trees of CoNLL-U sources, and a description of each source.
pub fn read_tree_sources(
    data: &Path,
    sources: &[Source],
) -> Result<(Vec<DepSentence>, Vec<String>)> {
    let mut out = Vec::new();
    let mut names = Vec::new();
    for src in sources {
        if src.format != "conllu" {
            bail!(
                "parser data must have format = \"conllu\" (found \"{}\")",
                src.format
            );
        }
        let files = source_files(data, src)?;
        let before = out.len();
        for f in &files {
            out.extend(kith_corpus::read_conllu_trees(f)?);
        }
        names.push(format!(
            "{} ({} files, {} sentences)",
            src.path.display(),
            files.len(),
            out.len() - before
        ));
    }
    Ok((out, names))
}

/// The files an evaluation reads: files as given, directories expanded to their sorted
/// files (GUM directories: every genre with real word forms).
pub fn eval_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let gum = kith_corpus::gum_files(p, GumFilter::AllUnmasked)?;
            if !gum.is_empty() {
                out.extend(gum);
                continue;
            }
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("cannot list {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            files.sort();
            out.extend(files);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(path: &str) -> Source {
        Source {
            format: "conllu".into(),
            path: path.into(),
            genres: None,
            repeat: None,
        }
    }

    #[test]
    fn a_folder_gives_its_visible_files_sorted() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.txt", "a.txt", ".hidden"] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        let files = source_files(dir.path(), &source(".")).unwrap();
        let names: Vec<_> = files.iter().map(|f| f.file_name().unwrap()).collect();
        assert_eq!(names, ["a.txt", "b.txt"]);
        let err = source_files(dir.path(), &source("none")).unwrap_err();
        assert!(err.to_string().contains("does not exist"), "{err}");
    }
}
