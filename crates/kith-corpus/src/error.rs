use std::path::PathBuf;

/// Why a data file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// The file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file's content is not what its format says (or not UTF-8).
    #[error("{}:{line}: {reason}", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// The line where the problem is, from 1.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A data-set name that [`read_ner`](crate::read_ner) does not know.
    #[error("unknown data format `{0}` (expected one of {formats})", formats = crate::NER_FORMATS.join(", "))]
    UnknownFormat(String),
}

impl CorpusError {
    pub(crate) fn malformed(
        path: &std::path::Path,
        line: usize,
        reason: impl Into<String>,
    ) -> CorpusError {
        CorpusError::Malformed {
            path: path.to_path_buf(),
            line,
            reason: reason.into(),
        }
    }
}

/// Reads a whole file as UTF-8, naming the first bad line on invalid UTF-8.
pub(crate) fn read_text(path: &std::path::Path) -> Result<String, CorpusError> {
    let bytes = std::fs::read(path).map_err(|source| CorpusError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(CorpusError::malformed(path, line, "invalid UTF-8"))
        }
    }
}
