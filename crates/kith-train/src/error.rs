//! The crate's error: a message or an error of the library crates below, with the context
//! each step adds ("cfg.toml: lexicons: list.txt: cannot read ..."), as a chain of
//! [`std::error::Error::source`]s that the binary prints joined by `": "`.

use std::fmt;

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why training or evaluation stopped: its message ([`fmt::Display`]) and the errors that
/// caused it ([`std::error::Error::source`], outermost first).
pub struct Error(Repr);

enum Repr {
    /// A message of this crate, with no cause.
    Message(String),
    /// An error of another crate, shown as itself (its own causes follow it).
    Foreign(Box<dyn std::error::Error + Send + Sync>),
    /// A message this crate put around an error.
    Context { message: String, source: Box<Error> },
}

impl Error {
    /// An error that is only a message.
    pub fn msg(message: impl fmt::Display) -> Error {
        Error(Repr::Message(message.to_string()))
    }

    /// This error with `message` put around it (the message first, this error its cause).
    pub fn context(self, message: impl fmt::Display) -> Error {
        Error(Repr::Context {
            message: message.to_string(),
            source: Box::new(self),
        })
    }

    fn foreign(error: impl std::error::Error + Send + Sync + 'static) -> Error {
        Error(Repr::Foreign(Box::new(error)))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Message(m) | Repr::Context { message: m, .. } => f.write_str(m),
            Repr::Foreign(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")?;
        let mut cause = std::error::Error::source(self);
        while let Some(e) = cause {
            write!(f, ": {e}")?;
            cause = e.source();
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0 {
            Repr::Message(_) => None,
            Repr::Foreign(e) => e.source(),
            Repr::Context { source, .. } => Some(source.as_ref()),
        }
    }
}

macro_rules! from_foreign {
    ($($t:ty),* $(,)?) => {$(
        impl From<$t> for Error {
            fn from(error: $t) -> Error {
                Error::foreign(error)
            }
        }
    )*};
}

from_foreign!(
    std::io::Error,
    kith_corpus::CorpusError,
    kith_graph::GraphError,
    kith_nlp::ModelError,
    kith_nlp::train::LexiconError,
    toml::de::Error,
);

/// Context on results, as `anyhow::Context` gives it.
pub(crate) trait ResultExt<T> {
    /// The error, if any, with the message `f` gives put around it.
    fn with_context<M: fmt::Display>(self, f: impl FnOnce() -> M) -> Result<T>;
}

impl<T, E: Into<Error>> ResultExt<T> for std::result::Result<T, E> {
    fn with_context<M: fmt::Display>(self, f: impl FnOnce() -> M) -> Result<T> {
        self.map_err(|e| e.into().context(f()))
    }
}

/// Returns early with an [`Error::msg`] of the formatted message.
macro_rules! bail {
    ($($arg:tt)*) => {
        return Err($crate::Error::msg(format!($($arg)*)))
    };
}
pub(crate) use bail;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chain_reads_as_anyhow_would_print_it() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let e: Result<()> = Err(io).with_context(|| "cannot read x.toml");
        let e = e.unwrap_err().context("cfg.toml: vote");
        assert_eq!(e.to_string(), "cfg.toml: vote");
        assert_eq!(
            format!("{e:?}"),
            "cfg.toml: vote: cannot read x.toml: no such file"
        );
    }
}
