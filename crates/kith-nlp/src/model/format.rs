//! The model file format.
//!
//! ```text
//! "KITHMODL"                 8 bytes magic
//! format version             u32 LE   (FORMAT_VERSION)
//! kind                       u32 LE length + UTF-8 ("ner", "pos", ...)
//! metadata                   u32 LE length + JSON (labels, feature config, data, scores)
//! sections                   u32 LE count, then per section:
//!                              u32 LE name length + UTF-8 name, u64 LE length + bytes
//! checksum                   u64 LE, of every byte before it
//! ```
//!
//! The tables are written by hand, little-endian, rather than through a serde binary
//! crate: the bulk of a model is a few flat arrays (sorted `u64` keys, `f32`/`i16`
//! weights), which this writes and reads in one pass with no per-element framing and no
//! extra dependency, and the layout is fixed by this file rather than by a crate's
//! version. Small structured data goes in the JSON metadata, which stays readable with
//! `strings`/`head`. Sections are written in the order given (callers pass them in a
//! fixed order) and everything inside is sorted, so equal models give equal bytes.
//!
//! Every read is bounds-checked: a truncated, corrupt, foreign or other-version file is a
//! [`ModelError`] naming the file, never a panic.

use std::path::{Path, PathBuf};

/// The first bytes of every model file.
pub const MAGIC: &[u8; 8] = b"KITHMODL";
/// Bumped on any change of layout, of feature hashing or of feature definitions that old
/// files would silently misread. This build reads versions 1 to `FORMAT_VERSION`.
///
/// Version 2 added the NER `lexicon` section: a build that predates it would ignore the
/// section and tag without the lexicon features, silently worse, so a file holding it is
/// version 2 and refused by such a build. A file without any version-2 section is still
/// written as version 1, so models that do not use lexicons keep their bytes.
///
/// Version 3 added the NER `stack` section (a whole inner NER model file whose labels are
/// the outer model's features): a build that ignored it would tag without those features.
///
/// Version 4 added the NER `vote` sections (whole NER model files voting with the model
/// that holds them): a build that ignored them would tag with the first member alone.
///
/// Version 5 added, for voting files, sparse weight tables (`pass1.sparse`,
/// `pass2.sparse`) and the NER `same` section (a member's tables held by an earlier
/// member): a build that ignored them would find no weights or no tables.
pub const FORMAT_VERSION: u32 = 5;

/// Sections that older readers would misread by ignoring, and the version that added each.
const SECTION_VERSIONS: &[(&str, u32)] = &[
    ("lexicon", 2),
    ("stack", 3),
    ("vote", 4),
    ("same", 5),
    ("pass1.sparse", 5),
    ("pass2.sparse", 5),
];

/// Why a model file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The file could not be read.
    #[error("{path}: cannot read model file: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file does not start with the model-file magic bytes.
    #[error("{path}: not a Kith model file (no KITHMODL header)")]
    NotAModel {
        /// The file.
        path: PathBuf,
    },
    #[error("{path}: model format version {found}, but this build of Kith reads versions 1 to {expected}; retrain or use a matching Kith")]
    /// The file's format version is newer than this build reads.
    Version {
        /// The file.
        path: PathBuf,
        /// The file's format version.
        found: u32,
        /// The newest version this build reads.
        expected: u32,
    },
    #[error("{path}: this is a `{found}` model, expected a `{expected}` model")]
    /// The file holds another kind of model than the one asked for.
    Kind {
        /// The file.
        path: PathBuf,
        /// The file's kind.
        found: String,
        /// The kind asked for.
        expected: String,
    },
    #[error("{path}: model file is truncated ({needed} more bytes needed at offset {offset})")]
    /// The file ends before the data it announces.
    Truncated {
        /// The file.
        path: PathBuf,
        /// The offset at which more bytes were needed.
        offset: usize,
        /// How many more bytes were needed.
        needed: usize,
    },
    /// The file's contents are inconsistent (a bad checksum, a missing section, ...).
    #[error("{path}: model file is corrupt: {message}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// A parsed model file: kind, metadata and named binary sections.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelFile {
    /// The model's kind (`pos`, `parser`, `ner`, `relations`).
    pub kind: String,
    /// The JSON metadata (labels, feature config, data, scores).
    pub meta: serde_json::Value,
    /// The named binary sections, in file order.
    pub sections: Vec<(String, Vec<u8>)>,
}

impl ModelFile {
    /// A model file of `kind` with metadata `meta` and no section.
    pub fn new(kind: impl Into<String>, meta: serde_json::Value) -> ModelFile {
        ModelFile {
            kind: kind.into(),
            meta,
            sections: Vec::new(),
        }
    }

    /// Appends a section.
    pub fn push_section(&mut self, name: impl Into<String>, bytes: Vec<u8>) {
        self.sections.push((name.into(), bytes));
    }

    /// A section's bytes, or a `Corrupt` error naming the file.
    pub fn section(&self, name: &str, path: &Path) -> Result<&[u8], ModelError> {
        self.sections
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
            .ok_or_else(|| ModelError::Corrupt {
                path: path.to_path_buf(),
                message: format!("missing section `{name}`"),
            })
    }

    /// The version written: the lowest whose readers know every section of the file.
    pub fn version(&self) -> u32 {
        self.sections
            .iter()
            .filter_map(|(n, _)| {
                SECTION_VERSIONS
                    .iter()
                    .find(|(s, _)| s == n)
                    .map(|(_, v)| *v)
            })
            .max()
            .unwrap_or(1)
    }

    /// The file's bytes: header, metadata, sections and the checksum of all of them.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes(MAGIC);
        w.u32(self.version());
        w.str(&self.kind);
        let meta = serde_json::to_vec(&self.meta).expect("JSON values serialise");
        w.u32(meta.len() as u32);
        w.bytes(&meta);
        w.u32(self.sections.len() as u32);
        for (name, bytes) in &self.sections {
            w.str(name);
            w.u64(bytes.len() as u64);
            w.bytes(bytes);
        }
        let sum = checksum(&w.buf);
        w.u64(sum);
        w.buf
    }

    /// Parses a model file held in memory; `name` is used in errors; `expected_kind`,
    /// when given, must match.
    pub fn from_bytes(
        bytes: &[u8],
        name: &Path,
        expected_kind: Option<&str>,
    ) -> Result<ModelFile, ModelError> {
        let view = ModelView::parse(bytes, name, expected_kind)?;
        let sections = view
            .sections
            .into_iter()
            .map(|(n, b)| (n, b.to_vec()))
            .collect();
        Ok(ModelFile {
            kind: view.kind,
            meta: view.meta,
            sections,
        })
    }

    /// Reads and parses a model file.
    pub fn load(path: &Path, expected_kind: Option<&str>) -> Result<ModelFile, ModelError> {
        ModelFile::from_bytes(&ModelFile::read_bytes(path)?, path, expected_kind)
    }

    /// The bytes of a model file, unparsed (taggers keep them for their checksum): mapped
    /// into memory rather than copied (a copy costs a tenth of loading a large file).
    pub fn read_bytes(path: &Path) -> Result<FileBytes, ModelError> {
        let io = |source| ModelError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut file = std::fs::File::open(path).map_err(io)?;
        let metadata = file.metadata().map_err(io)?;
        if !metadata.is_file() {
            // A pipe (`<(zcat m.kmodel.gz)`, /dev/stdin) has no length to map: read it.
            // A directory fails here as it did with `std::fs::read`.
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut file, &mut bytes).map_err(io)?;
            return Ok(FileBytes::Read(bytes));
        }
        if metadata.len() == 0 {
            // A map of no bytes is refused by some systems.
            return Ok(FileBytes::Read(Vec::new()));
        }
        // SAFETY: the map is only read, and only while the model is parsed (callers drop it
        // after loading). Kith replaces model files by temporary file + rename
        // (`write_atomic`), never in place, so its own writers leave these bytes as they
        // are. Another program writing the file in place while it loads (`cp` over it)
        // could change bytes after the checksum was checked, which every read being
        // bounds-checked turns into a refusal or a wrong model, not a memory error; one
        // truncating it could stop the process (SIGBUS): the usual cost of mapping, which
        // ripgrep accepts too.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
        Ok(FileBytes::Mapped(map))
    }

    /// Sets one key of a model's JSON metadata (made an object first if it is not one).
    pub fn set_meta(meta: &mut serde_json::Value, key: &str, value: serde_json::Value) {
        if !meta.is_object() {
            *meta = serde_json::json!({});
        }
        meta[key] = value;
    }

    /// Writes through a temporary file in the same folder and a rename.
    pub fn save(&self, path: &Path) -> Result<(), ModelError> {
        write_atomic(path, &self.to_bytes())
    }
}

/// A model file's bytes as [`ModelFile::read_bytes`] gives them.
#[derive(Debug)]
pub enum FileBytes {
    /// A regular file, mapped into memory.
    Mapped(memmap2::Mmap),
    /// Not a regular file (a pipe), or an empty one: read whole.
    Read(Vec<u8>),
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Mapped(map) => map,
            FileBytes::Read(bytes) => bytes,
        }
    }
}

/// A model file parsed in place: its sections borrow from the bytes, so loading a large
/// file (a voting NER file holds whole files in its sections) copies nothing.
#[derive(Clone, Debug)]
pub struct ModelView<'a> {
    /// The model's kind (`pos`, `parser`, `ner`, `relations`).
    pub kind: String,
    /// The JSON metadata.
    pub meta: serde_json::Value,
    /// The named sections, in file order, borrowing from the file's bytes.
    pub sections: Vec<(String, &'a [u8])>,
    /// The checksum the file ends with.
    pub checksum: u64,
}

impl<'a> ModelView<'a> {
    /// A section's bytes, if the file holds it.
    pub fn optional(&self, name: &str) -> Option<&'a [u8]> {
        self.sections
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| *b)
    }

    /// A section's bytes, or a `Corrupt` error naming the file (`path`) and the section.
    pub fn section(&self, name: &str, path: &Path) -> Result<&'a [u8], ModelError> {
        self.optional(name).ok_or_else(|| ModelError::Corrupt {
            path: path.to_path_buf(),
            message: format!("missing section `{name}`"),
        })
    }

    /// Checks and parses `bytes` as [`ModelFile::from_bytes`] does.
    pub fn parse(
        bytes: &'a [u8],
        name: &Path,
        expected_kind: Option<&str>,
    ) -> Result<ModelView<'a>, ModelError> {
        ModelView::parse_checked(bytes, name, expected_kind, true)
    }

    /// [`ModelView::parse`] for a file held whole in a section of another one, whose
    /// checksum already covers these bytes: its own checksum is not computed again (over
    /// a voting file's members, a twentieth of loading it). Every read is still
    /// bounds-checked.
    pub fn parse_nested(
        bytes: &'a [u8],
        name: &Path,
        expected_kind: Option<&str>,
    ) -> Result<ModelView<'a>, ModelError> {
        ModelView::parse_checked(bytes, name, expected_kind, false)
    }

    fn parse_checked(
        bytes: &'a [u8],
        name: &Path,
        expected_kind: Option<&str>,
        verify: bool,
    ) -> Result<ModelView<'a>, ModelError> {
        let mut r = Reader::new(bytes, name);
        if bytes.len() < 8 || &bytes[..8] != MAGIC {
            return Err(ModelError::NotAModel {
                path: name.to_path_buf(),
            });
        }
        r.pos = 8;
        let version = r.u32()?;
        if version == 0 || version > FORMAT_VERSION {
            return Err(ModelError::Version {
                path: name.to_path_buf(),
                found: version,
                expected: FORMAT_VERSION,
            });
        }
        let kind = r.string()?;
        if let Some(expected) = expected_kind {
            if kind != expected {
                return Err(ModelError::Kind {
                    path: name.to_path_buf(),
                    found: kind,
                    expected: expected.to_string(),
                });
            }
        }
        // Length and checksum before anything bulky is parsed.
        if bytes.len() < r.pos + 8 {
            return Err(ModelError::Truncated {
                path: name.to_path_buf(),
                offset: bytes.len(),
                needed: r.pos + 8 - bytes.len(),
            });
        }
        let body = &bytes[..bytes.len() - 8];
        let stored = u64::from_le_bytes(bytes[bytes.len() - 8..].try_into().unwrap());
        let meta_len = r.u32()? as usize;
        let meta_bytes = r.take(meta_len)?;
        let meta: serde_json::Value = serde_json::from_slice(meta_bytes)
            .map_err(|e| r.corrupt(format!("metadata is not JSON: {e}")))?;
        let count = r.u32()?;
        let mut sections = Vec::new();
        for _ in 0..count {
            let name = r.string()?;
            let len = r.u64()?;
            let len = usize::try_from(len).map_err(|_| r.corrupt("section too large".into()))?;
            // Sliced from `bytes` itself: the reader's slices live only as long as `name`.
            let start = r.pos;
            r.take(len)?;
            sections.push((name, &bytes[start..start + len]));
        }
        if r.pos + 8 > bytes.len() {
            return Err(ModelError::Truncated {
                path: name.to_path_buf(),
                offset: r.pos,
                needed: r.pos + 8 - bytes.len(),
            });
        }
        if r.pos + 8 != bytes.len() {
            return Err(r.corrupt(format!(
                "{} unexpected bytes after the last section",
                bytes.len() - r.pos - 8
            )));
        }
        if verify && checksum(body) != stored {
            return Err(r.corrupt("checksum mismatch".into()));
        }
        Ok(ModelView {
            kind,
            meta,
            sections,
            checksum: stored,
        })
    }
}

/// Writes `bytes` to `path` through a temporary file and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ModelError> {
    let io = |source| ModelError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "model".into());
    let tmp = dir.join(format!(".{file_name}.tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })
}

/// The checksum a model file ends with (its last 8 bytes; 0 for a shorter slice).
pub fn stored_checksum(bytes: &[u8]) -> u64 {
    let tail: [u8; 8] = bytes[bytes.len().saturating_sub(8)..]
        .try_into()
        .unwrap_or([0; 8]);
    u64::from_le_bytes(tail)
}

/// 64-bit checksum, 8 bytes at a time (not cryptographic; detects corruption).
fn checksum(bytes: &[u8]) -> u64 {
    let mut h = super::FeatureHasher::new(0xC5C5);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        h = h.int(u64::from_le_bytes(c.try_into().unwrap()));
    }
    let mut last = [0u8; 8];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    h.int(u64::from_le_bytes(last))
        .int(bytes.len() as u64)
        .finish()
}

/// Little-endian writer of section contents.
#[derive(Default, Debug)]
pub struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn bytes(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    pub fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn i16(&mut self, v: i16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn f32(&mut self, v: f32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    /// u32 length + UTF-8.
    pub fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.bytes(s.as_bytes());
    }
}

/// Bounds-checked little-endian reader; errors name the file.
#[derive(Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    pub pos: usize,
    path: &'a Path,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8], path: &'a Path) -> Reader<'a> {
        Reader {
            bytes,
            pos: 0,
            path,
        }
    }

    pub fn at_end(&self) -> bool {
        self.pos == self.bytes.len()
    }

    pub fn corrupt(&self, message: String) -> ModelError {
        ModelError::Corrupt {
            path: self.path.to_path_buf(),
            message,
        }
    }

    /// Fails unless `n` more bytes are there. A length larger than all the bytes read
    /// from, not only those left, cannot come from cutting a good file short: it is a
    /// damaged length field (a flipped bit gives billions), so it is `Corrupt`, not
    /// `Truncated` by billions of bytes.
    pub fn need(&self, n: usize) -> Result<(), ModelError> {
        let left = self.bytes.len() - self.pos;
        if n > self.bytes.len() {
            return Err(self.corrupt(format!(
                "a length at offset {} announces {n} bytes, more than all {} bytes there are",
                self.pos,
                self.bytes.len()
            )));
        }
        if n > left {
            return Err(ModelError::Truncated {
                path: self.path.to_path_buf(),
                offset: self.pos,
                needed: n - left,
            });
        }
        Ok(())
    }

    /// The bytes not read yet, for a caller that decodes them itself, then calls
    /// [`Reader::advance`] with what it used.
    pub fn rest(&self) -> &'a [u8] {
        &self.bytes[self.pos..]
    }

    /// Moves past `n` bytes of [`Reader::rest`].
    pub fn advance(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.bytes.len());
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        self.need(n)?;
        let s = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        Ok(self.take(N)?.try_into().unwrap())
    }
    pub fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.array::<1>()?[0])
    }
    pub fn u16(&mut self) -> Result<u16, ModelError> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    pub fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    pub fn u64(&mut self) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    pub fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(self.array()?))
    }
    pub fn string(&mut self) -> Result<String, ModelError> {
        let n = self.u32()? as usize;
        let b = self.take(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| self.corrupt("string is not UTF-8".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Perceptron, Weights, WeightsKind};

    fn sample() -> ModelFile {
        let mut p = Perceptron::new(3);
        for (i, w) in ["alpha", "beta", "gamma", "delta"].iter().enumerate() {
            let k = crate::model::fhash(w);
            p.update_one(k, i % 3, 1.0 + i as f32);
            p.tick();
        }
        let weights = p.averaged(0.0, WeightsKind::I16);
        let mut w = Writer::default();
        weights.write_to(&mut w);
        let mut f = ModelFile::new("pos", serde_json::json!({"labels": ["A", "B", "C"]}));
        f.push_section("weights", w.buf);
        f
    }

    /// Files are mapped, not read: an empty one, a missing one and a directory are still
    /// refused by name, and a view borrows exactly the sections a copy holds.
    #[test]
    fn mapped_files_are_refused_or_read_like_copies() {
        let dir = tempfile_dir();
        let empty = dir.join("empty.kmodel");
        std::fs::write(&empty, b"").unwrap();
        let err = ModelFile::load(&empty, None).unwrap_err().to_string();
        assert!(
            err.contains("empty.kmodel") && err.contains("not a Kith model file"),
            "{err}"
        );
        for path in [dir.join("missing.kmodel"), dir.clone()] {
            let err = ModelFile::load(&path, None).unwrap_err().to_string();
            assert!(
                err.contains(&path.display().to_string()) && err.contains("cannot read"),
                "{err}"
            );
        }
        let path = dir.join("mapped.kmodel");
        sample().save(&path).unwrap();
        let bytes = ModelFile::read_bytes(&path).unwrap();
        assert!(matches!(bytes, FileBytes::Mapped(_)));
        let view = ModelView::parse(&bytes, &path, Some("pos")).unwrap();
        let copy = ModelFile::from_bytes(&bytes, &path, Some("pos")).unwrap();
        assert_eq!((&view.kind, &view.meta), (&copy.kind, &copy.meta));
        let borrowed: Vec<(String, Vec<u8>)> = view
            .sections
            .iter()
            .map(|(n, b)| (n.clone(), b.to_vec()))
            .collect();
        assert_eq!(borrowed, copy.sections);
    }

    /// A model read through a pipe (`--model <(zcat m.kmodel.gz)`, `/dev/stdin`) has no
    /// length to map: it is read whole, not refused as empty.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_model_through_a_pipe_is_read() {
        use std::io::Write;
        use std::os::fd::AsRawFd;
        let (reader, mut writer) = std::io::pipe().unwrap();
        let bytes = sample().to_bytes();
        let sent = bytes.clone();
        let feeder = std::thread::spawn(move || writer.write_all(&sent));
        let path = PathBuf::from(format!("/proc/self/fd/{}", reader.as_raw_fd()));
        let loaded = ModelFile::load(&path, Some("pos")).expect("a model through a pipe loads");
        feeder.join().unwrap().unwrap();
        assert_eq!(loaded, sample());
    }

    #[test]
    fn round_trip_is_byte_identical() {
        let dir = tempfile_dir();
        let path = dir.join("m.kmodel");
        let f = sample();
        f.save(&path).unwrap();
        let g = ModelFile::load(&path, Some("pos")).unwrap();
        assert_eq!(f, g);
        assert_eq!(f.to_bytes(), g.to_bytes());
        let section = g.section("weights", &path).unwrap();
        let mut r = Reader::new(section, &path);
        let w = Weights::read_from(&mut r).unwrap();
        assert!(r.at_end());
        assert_eq!(w.len(), 4);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn refuses_wrong_version_kind_and_damage() {
        let name = Path::new("models/x.kmodel");
        let bytes = sample().to_bytes();
        let err = ModelFile::from_bytes(&bytes, name, Some("ner")).unwrap_err();
        assert!(matches!(err, ModelError::Kind { .. }), "{err}");
        assert!(err.to_string().contains("models/x.kmodel"));

        let mut v2 = bytes.clone();
        v2[8..12].copy_from_slice(&99u32.to_le_bytes());
        let err = ModelFile::from_bytes(&v2, name, Some("pos")).unwrap_err();
        assert!(
            matches!(err, ModelError::Version { found: 99, .. }),
            "{err}"
        );

        for cut in [0, 5, 8, 13, 30, bytes.len() / 2, bytes.len() - 1] {
            let err = ModelFile::from_bytes(&bytes[..cut], name, Some("pos")).unwrap_err();
            assert!(
                matches!(
                    err,
                    ModelError::Truncated { .. }
                        | ModelError::NotAModel { .. }
                        | ModelError::Corrupt { .. }
                ),
                "cut {cut}: {err}"
            );
        }
        let mut flipped = bytes.clone();
        let last = flipped.len() - 20;
        flipped[last] ^= 0x40;
        let err = ModelFile::from_bytes(&flipped, name, Some("pos")).unwrap_err();
        assert!(matches!(err, ModelError::Corrupt { .. }), "{err}");

        // A flipped bit in a length field announces gigabytes: a corrupt file, not one
        // billions of bytes short. The section length is the u64 right after the section's
        // name, which ends 8 bytes before the section's contents.
        let mut long = bytes.clone();
        let weights = sample().section("weights", name).unwrap().len();
        let len_at = bytes.len() - 8 - weights - 8;
        assert_eq!(
            u64::from_le_bytes(long[len_at..len_at + 8].try_into().unwrap()),
            weights as u64
        );
        long[len_at + 3] ^= 0x7e;
        let err = ModelFile::from_bytes(&long, name, Some("pos")).unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, ModelError::Corrupt { .. }), "{message}");
        assert!(
            message.starts_with("models/x.kmodel: model file is corrupt: a length at offset")
                && message.contains(&format!("more than all {} bytes there are", bytes.len())),
            "{message}"
        );
        // The metadata length, a u32, flipped in its top byte.
        let mut meta = bytes.clone();
        let meta_at = 8 + 4 + 4 + "pos".len();
        meta[meta_at + 3] ^= 0x7e;
        let err = ModelFile::from_bytes(&meta, name, Some("pos")).unwrap_err();
        assert!(matches!(err, ModelError::Corrupt { .. }), "{err}");
        // A file cut short of a length that fits is still truncated.
        let err = ModelFile::from_bytes(&bytes[..bytes.len() - 12], name, Some("pos")).unwrap_err();
        assert!(matches!(err, ModelError::Truncated { .. }), "{err}");

        let err = ModelFile::from_bytes(b"hello world, not a model", name, None).unwrap_err();
        assert!(matches!(err, ModelError::NotAModel { .. }));
        let err = ModelFile::load(Path::new("/nonexistent/m.kmodel"), None).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/m.kmodel"));
    }

    #[test]
    fn weight_tables_refuse_garbage() {
        let name = Path::new("t");
        for bytes in [
            vec![],
            vec![1, 0, 0, 0],
            vec![3, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 128, 63],
        ] {
            let mut r = Reader::new(&bytes, name);
            assert!(Weights::read_from(&mut r).is_err());
        }
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "kith-model-test-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
