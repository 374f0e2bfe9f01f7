//! The shipped models of `models/`, compiled into the binary with `include_bytes!`.
//!
//! Why compiled in: `cargo install`, a copied binary or a distribution package then runs
//! the same pipeline as the source tree, with no models directory to find or lose (the
//! binary grows by ~94 MB; model files are read in place, so the bytes serve as they
//! are, mapped from the executable by the operating system like a model file would be).
//! This crate holds nothing else, so the bytes are compiled once and only re-read when a
//! model file changes (cargo tracks `include_bytes!` inputs). `--models DIR` and
//! `KITH_MODELS` still load files instead.
#![warn(missing_docs)]

/// One compiled-in model file.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedModel {
    /// Its file name in `models/` (`pos-en.kmodel`, ...).
    pub file: &'static str,
    /// The file's bytes.
    pub bytes: &'static [u8],
}

/// The compiled-in models, in pipeline order: POS, parser, NER, relations. A `static`,
/// not a `const`: every use of a `const` may get its own copy of the bytes (a 300 MB
/// binary with three copies of the models was the result).
pub static MODELS: [EmbeddedModel; 4] = [
    EmbeddedModel {
        file: "pos-en.kmodel",
        bytes: include_bytes!("../../../models/pos-en.kmodel"),
    },
    EmbeddedModel {
        file: "parser-en.kmodel",
        bytes: include_bytes!("../../../models/parser-en.kmodel"),
    },
    EmbeddedModel {
        file: "ner-en.kmodel",
        bytes: include_bytes!("../../../models/ner-en.kmodel"),
    },
    EmbeddedModel {
        file: "relations-en.kmodel",
        bytes: include_bytes!("../../../models/relations-en.kmodel"),
    },
];

/// The compiled-in model file called `file`, if there is one.
pub fn embedded(file: &str) -> Option<&'static [u8]> {
    MODELS.iter().find(|m| m.file == file).map(|m| m.bytes)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_model_is_a_kith_model_file() {
        for m in &super::MODELS {
            assert!(m.bytes.starts_with(b"KITHMODL"), "{}", m.file);
            assert_eq!(
                super::embedded(m.file).map(<[u8]>::len),
                Some(m.bytes.len())
            );
        }
        assert!(super::embedded("other.kmodel").is_none());
    }
}
