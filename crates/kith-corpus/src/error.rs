use std::path::PathBuf;

/// Why a data file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{line}: {reason}", path.display())]
    Malformed {
        path: PathBuf,
        line: usize,
        reason: String,
    },
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
