//! Turning input paths into raw documents.
//!
//! `kith-ingest` knows nothing of NLP or of the command line: it takes a list of
//! [`Input`]s (paths, or `-` for standard input) and yields, one at a time, either a
//! [`RawDocument`] or a [`Skipped`] that says which input (and line) could not be read and
//! why. One bad file, or one bad line of a JSON-lines file, never stops the others.
//!
//! # Formats
//!
//! | extension | read as |
//! | --- | --- |
//! | `.txt`, `.md`, `.markdown` | one document, the text exactly as written |
//! | `.html`, `.htm` | one document, the main text extracted (see below) |
//! | `.jsonl`, `.ndjson` | one document per non-empty line: `{"id", "text", "title", "url", "published"}` |
//! | anything else | ignored inside a directory (counted: [`Documents::ignored`]); read as plain text when named explicitly |
//! | `-` | standard input: JSON lines if its first non-space character is `{`, else one plain-text document |
//!
//! Extensions are matched case-insensitively. Directories are walked recursively in sorted
//! order (so runs are deterministic); files and directories whose names start with `.` are
//! skipped. Symbolic links are followed.
//!
//! # Offsets
//!
//! Downstream offsets are character offsets into [`RawDocument::text`]. For plain text and
//! Markdown that text *is* the file (only a leading UTF-8 byte-order mark is removed;
//! CRLF line ends and Markdown markup are kept), so offsets point into the original input
//! (shifted by one character when a BOM was stripped). For JSON lines it is the `text`
//! field, decoded. For **HTML documents the text is the extracted text**, not the HTML
//! source: offsets refer to the extracted text, and no map back to the source bytes is kept.
//!
//! # Document ids
//!
//! A JSON line's `id` (a string, or a number written as its JSON text) is the document id;
//! a document without one gets [`DocId::from_content`] of its text, so the same text always
//! gets the same id.
//!
//! # Skips
//!
//! An input is skipped, with a [`SkipReason`], when it cannot be read (the OS error is
//! included), is a named pipe, socket or device rather than a file (never opened: a pipe
//! with no writer would block the run; streams come through `-`), is not valid UTF-8 (the byte offset of the first invalid byte is given), has a
//! NUL byte in its first 8 KiB (a binary file), is empty or whitespace only, or is HTML with
//! no extractable text or nested deeper than [`MAX_HTML_DEPTH`] elements. A JSON line is skipped when it is malformed JSON (with serde's
//! column), not an object, lacks `text`, has a `text` that is not a string or is empty, has
//! an `id` that is neither a string nor a number, or is not valid UTF-8. [`Skipped`]'s
//! `Display` is `SOURCE: REASON`, e.g. `news/a.jsonl:3: missing "text" field`.

#![warn(missing_docs)]

use kith_schema::DocId;
use serde_json::Value;
use std::collections::VecDeque;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use walkdir::WalkDir;

/// How many leading bytes are searched for a NUL byte to tell a binary file.
pub const BINARY_SNIFF_LEN: usize = 8 * 1024;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One document as read from its input, before any NLP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawDocument {
    /// The JSON line's `id`, else the hash of `text`.
    pub id: DocId,
    /// The document's text. For HTML, the extracted text (see the crate docs on offsets).
    pub text: String,
    /// The JSON line's `title`, or the HTML page's title; `None` for plain text.
    pub title: Option<String>,
    /// The JSON line's `url`, or the HTML page's canonical URL; `None` for plain text.
    pub url: Option<String>,
    /// The JSON line's `published`, or the HTML page's publication time, as written.
    pub published: Option<String>,
    /// Where it came from: `path`, `path:LINE` for JSON lines, `-` or `-:LINE` for stdin.
    pub source: String,
}

/// One thing to read: a path (file or directory) or standard input.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Input {
    /// A file, or a directory whose files are read.
    Path(PathBuf),
    /// Standard input (`-` on the command line).
    Stdin,
}

impl Input {
    /// `-` is standard input; anything else is a path.
    pub fn parse(arg: &str) -> Input {
        if arg == "-" {
            Input::Stdin
        } else {
            Input::Path(PathBuf::from(arg))
        }
    }
}

impl FromStr for Input {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Input, Self::Err> {
        Ok(Input::parse(s))
    }
}

impl From<&str> for Input {
    fn from(s: &str) -> Input {
        Input::parse(s)
    }
}

impl From<PathBuf> for Input {
    fn from(path: PathBuf) -> Input {
        if path.as_os_str() == "-" {
            Input::Stdin
        } else {
            Input::Path(path)
        }
    }
}

impl fmt::Display for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Input::Path(p) => write!(f, "{}", p.display()),
            Input::Stdin => f.write_str("-"),
        }
    }
}

/// Why an input (or one line of it) was skipped. The `Display` is the reason alone; the
/// [`Skipped`] that carries it adds the file (and line).
#[derive(Debug, thiserror::Error)]
pub enum SkipReason {
    /// The path could not be opened, listed or read.
    #[error("cannot read: {0}")]
    Unreadable(#[source] io::Error),
    /// The path is not a regular file or a directory: a named pipe, a socket or a device.
    /// Opening a named pipe with no writer would block the whole run, and a device may
    /// never end, so neither is opened; a stream is read through `-` instead.
    #[error("not a regular file but {kind}; pipe a stream to standard input (`-`) instead")]
    NotAFile {
        /// What it is (`a named pipe (FIFO)`, `a socket`, ...).
        kind: &'static str,
    },
    /// The bytes are not UTF-8. `offset` is the byte offset of the first invalid byte from
    /// the start of the input; for a JSON line, `line_offset` is the same counted from the
    /// start of that line.
    #[error("invalid UTF-8 at byte offset {offset}{}", in_line(.line_offset))]
    InvalidUtf8 {
        /// Byte offset of the first invalid byte from the start of the input.
        offset: u64,
        /// For a JSON line, the same offset counted from the start of the line.
        line_offset: Option<usize>,
    },
    /// A NUL byte in the first 8 KiB.
    #[error("binary file (NUL byte at byte offset {offset})")]
    Binary {
        /// Byte offset of the first NUL byte.
        offset: usize,
    },
    /// Nothing but whitespace (or nothing at all).
    #[error("empty or whitespace-only input")]
    Empty,
    /// HTML nested deeper than [`MAX_HTML_DEPTH`] elements: no real page is, and the HTML
    /// parser's time grows with the square of the depth.
    #[error("HTML nested {depth} elements deep, more than {limit}")]
    TooDeep {
        /// How deep the elements nest.
        depth: usize,
        /// The deepest nesting read.
        limit: usize,
    },
    /// HTML whose extracted main text is empty.
    #[error("HTML with no extractable text")]
    NoHtmlText,
    /// A JSON line that does not parse. `column` is serde's (1-based, in bytes).
    #[error("malformed JSON at column {column}: {message}")]
    MalformedJson {
        /// Column of the error, 1-based, in bytes.
        column: usize,
        /// serde_json's message, without its position.
        message: String,
    },
    /// A JSON line that parses but is not an object.
    #[error("expected a JSON object, found {found}")]
    NotAnObject {
        /// The JSON type found instead (`an array`, `a string`, ...).
        found: &'static str,
    },
    /// A JSON line without a `text` field.
    #[error("missing \"text\" field")]
    MissingText,
    /// A JSON line whose `text` (or other field) has the wrong type.
    #[error("\"{field}\" must be {expected}, found {found}")]
    WrongType {
        /// The field's name.
        field: &'static str,
        /// The types it may have.
        expected: &'static str,
        /// The JSON type it has.
        found: &'static str,
    },
    /// A JSON line whose `text` is empty or whitespace only.
    #[error("empty \"text\"")]
    EmptyText,
}

fn in_line(line_offset: &Option<usize>) -> String {
    match line_offset {
        Some(o) => format!(" (byte {o} of the line)"),
        None => String::new(),
    }
}

/// An input, or one line of it, that yielded no document, and why.
///
/// `Display` names the source (`path`, `path:LINE`, `-`, `-:LINE`) then the reason.
#[derive(Debug)]
pub struct Skipped {
    /// Same form as [`RawDocument::source`].
    pub source: String,
    /// Why it was skipped.
    pub reason: SkipReason,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.reason)
    }
}

impl std::error::Error for Skipped {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.reason)
    }
}

impl Skipped {
    fn new(source: impl Into<String>, reason: SkipReason) -> Skipped {
        Skipped {
            source: source.into(),
            reason,
        }
    }
}

type Item = Result<RawDocument, Skipped>;
type BoxIter = Box<dyn Iterator<Item = Item> + Send>;

/// The documents (and skips) of some inputs, read lazily in order. JSON-lines inputs are
/// streamed line by line; other files are read whole, one at a time.
pub struct Documents {
    inputs: VecDeque<Input>,
    current: Option<BoxIter>,
    ignored: Ignored,
}

/// Files of unknown type passed over in directory walks, by extension; shared with the
/// walks, which run inside the iterator.
type Ignored = std::sync::Arc<std::sync::Mutex<std::collections::BTreeMap<String, usize>>>;

impl Documents {
    fn from_iter(iter: BoxIter) -> Documents {
        Documents {
            inputs: VecDeque::new(),
            current: Some(iter),
            ignored: Ignored::default(),
        }
    }

    /// The files of unknown type directory walks have passed over so far, counted by
    /// extension (`.pdf`; `(no extension)`), so that a summary can say what was not read.
    pub fn ignored(&self) -> std::collections::BTreeMap<String, usize> {
        self.ignored
            .lock()
            .map(|m| m.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }
}

impl fmt::Debug for Documents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Documents")
            .field("pending_inputs", &self.inputs)
            .finish_non_exhaustive()
    }
}

impl Iterator for Documents {
    type Item = Item;
    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(current) = &mut self.current {
                if let Some(item) = current.next() {
                    return Some(item);
                }
                self.current = None;
            }
            let input = self.inputs.pop_front()?;
            self.current = Some(match input {
                Input::Stdin => Box::new(read_stream(BufReader::new(io::stdin()), "-")),
                Input::Path(path) => read_path(path, &self.ignored),
            });
        }
    }
}

/// Read every input in order: directories recursively, `-` from standard input.
pub fn read_inputs(inputs: &[Input]) -> Documents {
    Documents {
        inputs: inputs.iter().cloned().collect(),
        current: None,
        ignored: Ignored::default(),
    }
}

/// Read a stream as standard input is read, naming its documents after `name` (`name` for
/// a plain-text document, `name:LINE` for JSON lines): if its first non-space character
/// (after any BOM) is `{` it is JSON lines, streamed line by line; otherwise it is read
/// whole as one plain-text document.
pub fn read_stream<R: Read + Send + 'static>(reader: R, name: &str) -> Documents {
    let name = name.to_string();
    let mut reader = reader;
    let mut head = Vec::new();
    if let Err(e) = (&mut reader)
        .take(BINARY_SNIFF_LEN as u64)
        .read_to_end(&mut head)
    {
        return single(Err(Skipped::new(name, SkipReason::Unreadable(e))));
    }
    if let Some(offset) = memchr_nul(&head) {
        return single(Err(Skipped::new(name, SkipReason::Binary { offset })));
    }
    // Find the first non-whitespace byte, reading further if the head is all whitespace.
    let mut first = first_non_space(&head);
    while first.is_none() {
        let before = head.len();
        if let Err(e) = (&mut reader)
            .take(BINARY_SNIFF_LEN as u64)
            .read_to_end(&mut head)
        {
            return single(Err(Skipped::new(name, SkipReason::Unreadable(e))));
        }
        if head.len() == before {
            break;
        }
        first = first_non_space(&head);
    }
    let rest = Cursor::new(head).chain(reader);
    if first == Some(b'{') {
        Documents::from_iter(Box::new(JsonLines::new(BufReader::new(rest), name)))
    } else {
        let mut bytes = Vec::new();
        let mut rest = rest;
        single(match rest.read_to_end(&mut bytes) {
            Err(e) => Err(Skipped::new(name, SkipReason::Unreadable(e))),
            Ok(_) => decode_whole(&bytes, &name).and_then(|text| plain_document(text, name)),
        })
    }
}

fn single(item: Item) -> Documents {
    Documents::from_iter(Box::new(std::iter::once(item)))
}

fn first_non_space(bytes: &[u8]) -> Option<u8> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    bytes.iter().copied().find(|b| !b.is_ascii_whitespace())
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().take(BINARY_SNIFF_LEN).position(|&b| b == 0)
}

/// What a file's extension says about how to read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Text,
    Html,
    JsonLines,
}

fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "txt" | "md" | "markdown" => Format::Text,
        "html" | "htm" => Format::Html,
        "jsonl" | "ndjson" => Format::JsonLines,
        _ => return None,
    })
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.') && name != "." && name != ".."
}

/// What a path that is neither a regular file nor a directory is, for [`SkipReason::NotAFile`].
fn special_kind(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        } else if file_type.is_socket() {
            return "a socket";
        } else if file_type.is_char_device() {
            return "a character device";
        } else if file_type.is_block_device() {
            return "a block device";
        }
    }
    let _ = file_type;
    "a special file"
}

fn read_path(path: PathBuf, ignored: &Ignored) -> BoxIter {
    let source = path.display().to_string();
    let skip = |reason| -> BoxIter { Box::new(std::iter::once(Err(Skipped::new(source, reason)))) };
    // `metadata` follows symbolic links, so a link to a file is read and a link to a pipe is
    // refused; it never opens the path, so a pipe with no writer cannot block here.
    match std::fs::metadata(&path) {
        Err(e) => skip(SkipReason::Unreadable(e)),
        Ok(meta) if meta.is_dir() => Box::new(walk_dir(path, ignored.clone())),
        Ok(meta) if !meta.is_file() => skip(SkipReason::NotAFile {
            kind: special_kind(meta.file_type()),
        }),
        Ok(_) => read_file(&path, format_of(&path).unwrap_or(Format::Text)),
    }
}

fn walk_dir(root: PathBuf, ignored: Ignored) -> impl Iterator<Item = Item> + Send {
    WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()))
        .flat_map(move |entry| -> BoxIter {
            match entry {
                Err(e) => {
                    let source = e
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|| "<unknown path>".to_string());
                    let reason = match e.into_io_error() {
                        Some(io) => SkipReason::Unreadable(io),
                        None => SkipReason::Unreadable(io::Error::other("filesystem loop")),
                    };
                    Box::new(std::iter::once(Err(Skipped::new(source, reason))))
                }
                Ok(entry) if entry.file_type().is_file() => match format_of(entry.path()) {
                    Some(format) => read_file(entry.path(), format),
                    None => {
                        let ext = entry.path().extension().map_or_else(
                            || "(no extension)".to_string(),
                            |e| format!(".{}", e.to_string_lossy().to_lowercase()),
                        );
                        if let Ok(mut counts) = ignored.lock() {
                            *counts.entry(ext).or_default() += 1;
                        }
                        Box::new(std::iter::empty())
                    }
                },
                Ok(entry) if entry.file_type().is_dir() => Box::new(std::iter::empty()),
                // A pipe, socket or device in a folder is reported, not opened (a pipe
                // would block the walk) and not passed over silently.
                Ok(entry) => Box::new(std::iter::once(Err(Skipped::new(
                    entry.path().display().to_string(),
                    SkipReason::NotAFile {
                        kind: special_kind(entry.file_type()),
                    },
                )))),
            }
        })
}

fn read_file(path: &Path, format: Format) -> BoxIter {
    let source = path.display().to_string();
    let skip = |reason| -> BoxIter {
        Box::new(std::iter::once(Err(Skipped::new(source.clone(), reason))))
    };
    if format == Format::JsonLines {
        let mut file = match File::open(path) {
            Ok(f) => f,
            Err(e) => return skip(SkipReason::Unreadable(e)),
        };
        let mut head = Vec::new();
        if let Err(e) = (&mut file)
            .take(BINARY_SNIFF_LEN as u64)
            .read_to_end(&mut head)
        {
            return skip(SkipReason::Unreadable(e));
        }
        if let Some(offset) = memchr_nul(&head) {
            return skip(SkipReason::Binary { offset });
        }
        return Box::new(JsonLines::new(
            BufReader::new(Cursor::new(head).chain(file)),
            source,
        ));
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return skip(SkipReason::Unreadable(e)),
    };
    let item = decode_whole(&bytes, &source).and_then(|text| match format {
        Format::Html => html_document(&text, source.clone()),
        _ => plain_document(text, source.clone()),
    });
    Box::new(std::iter::once(item))
}

/// Check a whole input for binary content and UTF-8, and strip a leading BOM.
fn decode_whole(bytes: &[u8], source: &str) -> Result<String, Skipped> {
    if let Some(offset) = memchr_nul(bytes) {
        return Err(Skipped::new(source, SkipReason::Binary { offset }));
    }
    let (body, shift) = match bytes.strip_prefix(BOM) {
        Some(rest) => (rest, BOM.len()),
        None => (bytes, 0),
    };
    match std::str::from_utf8(body) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => Err(Skipped::new(
            source,
            SkipReason::InvalidUtf8 {
                offset: (e.valid_up_to() + shift) as u64,
                line_offset: None,
            },
        )),
    }
}

fn plain_document(text: String, source: String) -> Result<RawDocument, Skipped> {
    if text.trim().is_empty() {
        return Err(Skipped::new(source, SkipReason::Empty));
    }
    Ok(RawDocument {
        id: DocId::from_content(&text),
        text,
        title: None,
        url: None,
        published: None,
        source,
    })
}

fn html_document(html: &str, source: String) -> Result<RawDocument, Skipped> {
    if html.trim().is_empty() {
        return Err(Skipped::new(source, SkipReason::Empty));
    }
    let depth = html_depth(html);
    if depth > MAX_HTML_DEPTH {
        let limit = MAX_HTML_DEPTH;
        return Err(Skipped::new(source, SkipReason::TooDeep { depth, limit }));
    }
    let extract = extract_html(html);
    if extract.text.is_empty() {
        return Err(Skipped::new(source, SkipReason::NoHtmlText));
    }
    Ok(RawDocument {
        id: DocId::from_content(&extract.text),
        text: extract.text,
        title: extract.title,
        url: extract.url,
        published: extract.published,
        source,
    })
}

// ---------------------------------------------------------------------------------------
// JSON lines

/// Streams a JSON-lines reader, one item per non-empty line.
struct JsonLines<R> {
    reader: R,
    name: String,
    line: usize,
    offset: u64,
    buf: Vec<u8>,
    done: bool,
    /// Whether any non-blank line was seen; an input with none is skipped as empty.
    seen_content: bool,
}

impl<R: BufRead> JsonLines<R> {
    fn new(reader: R, name: String) -> JsonLines<R> {
        JsonLines {
            reader,
            name,
            line: 0,
            offset: 0,
            buf: Vec::new(),
            done: false,
            seen_content: false,
        }
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = Item;
    fn next(&mut self) -> Option<Item> {
        while !self.done {
            self.buf.clear();
            let n = match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => {
                    self.done = true;
                    if !self.seen_content {
                        return Some(Err(Skipped::new(self.name.clone(), SkipReason::Empty)));
                    }
                    return None;
                }
                Ok(n) => n,
                Err(e) => {
                    self.done = true;
                    let source = format!("{}:{}", self.name, self.line + 1);
                    return Some(Err(Skipped::new(source, SkipReason::Unreadable(e))));
                }
            };
            self.line += 1;
            let line_start = self.offset;
            self.offset += n as u64;
            let mut bytes: &[u8] = &self.buf;
            let mut shift = 0;
            if self.line == 1 {
                if let Some(rest) = bytes.strip_prefix(BOM) {
                    bytes = rest;
                    shift = BOM.len();
                }
            }
            let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
            let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            let source = format!("{}:{}", self.name, self.line);
            // A line that is not blank counts as content even if it turns out to be bad.
            if !bytes.iter().all(|b| b.is_ascii_whitespace()) {
                self.seen_content = true;
            }
            let text = match std::str::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    let in_line = e.valid_up_to() + shift;
                    return Some(Err(Skipped::new(
                        source,
                        SkipReason::InvalidUtf8 {
                            offset: line_start + in_line as u64,
                            line_offset: Some(in_line),
                        },
                    )));
                }
            };
            if text.trim().is_empty() {
                continue;
            }
            return Some(
                parse_json_line(text)
                    .map_err(|reason| Skipped::new(source.clone(), reason))
                    .map(|mut doc| {
                        doc.source = source;
                        doc
                    }),
            );
        }
        None
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// An optional string field: absent, null or empty is `None`; a number is its JSON text.
fn optional_field(
    obj: &serde_json::Map<String, Value>,
    field: &'static str,
) -> Result<Option<String>, SkipReason> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(SkipReason::WrongType {
            field,
            expected: "a string",
            found: json_type(other),
        }),
    }
}

/// A field's JSON text as written (for numbers: `12345678901234567890123`, which an f64
/// would round).
fn raw_field(line: &str, field: &str) -> Option<String> {
    let fields: std::collections::BTreeMap<String, &serde_json::value::RawValue> =
        serde_json::from_str(line).ok()?;
    fields.get(field).map(|raw| raw.get().trim().to_string())
}

/// One JSON line to a document (with an empty `source`, which the caller fills in).
fn parse_json_line(line: &str) -> Result<RawDocument, SkipReason> {
    let value: Value = serde_json::from_str(line).map_err(|e| {
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
        SkipReason::MalformedJson {
            column: e.column(),
            message,
        }
    })?;
    let Value::Object(obj) = value else {
        return Err(SkipReason::NotAnObject {
            found: json_type(&value),
        });
    };
    let text = match obj.get("text") {
        None => return Err(SkipReason::MissingText),
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(SkipReason::WrongType {
                field: "text",
                expected: "a string",
                found: json_type(other),
            })
        }
    };
    if text.trim().is_empty() {
        return Err(SkipReason::EmptyText);
    }
    let id = match obj.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(DocId(s.as_str().into())),
        Some(Value::Number(n)) => {
            let text = raw_field(line, "id").unwrap_or_else(|| n.to_string());
            Some(DocId(text.into()))
        }
        Some(other) => {
            return Err(SkipReason::WrongType {
                field: "id",
                expected: "a string or a number",
                found: json_type(other),
            })
        }
    };
    Ok(RawDocument {
        id: id.unwrap_or_else(|| DocId::from_content(&text)),
        title: optional_field(&obj, "title")?,
        url: optional_field(&obj, "url")?,
        published: optional_field(&obj, "published")?,
        text,
        source: String::new(),
    })
}

// ---------------------------------------------------------------------------------------
// HTML

/// What [`extract_html`] finds in an HTML page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HtmlExtract {
    /// The main text: paragraphs joined by `"\n\n"`, whitespace within a paragraph
    /// collapsed to single spaces (except inside `<pre>`), entities decoded. Empty when the
    /// page has no text.
    pub text: String,
    /// `<title>`, else `og:title`, else the first `<h1>`.
    pub title: Option<String>,
    /// `<link rel="canonical">`, else `og:url`.
    pub url: Option<String>,
    /// `article:published_time`, else the first `<time datetime>`.
    pub published: Option<String>,
}

/// Elements whose content is never main text.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template", "svg",
    "head", "iframe", "object", "canvas", "select", "button", "math",
];

/// Elements that begin and end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "br",
    "tr",
    "article",
    "section",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "caption",
    "main",
    "figure",
    "figcaption",
    "hr",
    "address",
    "details",
    "summary",
    "body",
    "html",
    "center",
    "fieldset",
    "legend",
];

/// Elements whose content is set off by a space from its neighbours (table cells).
const SPACED: &[&str] = &["td", "th"];

/// The deepest nesting of HTML elements that Kith reads. Real pages stay below a few
/// hundred; html5ever checks the stack of open elements on each tag, so its time grows with
/// the square of the depth (a 100k-deep page took minutes).
pub const MAX_HTML_DEPTH: usize = 8192;

/// Elements that close themselves or are closed by a sibling (`<p>`, `<li>`, ...): they
/// do not deepen the tree the way [`html_depth`] counts it.
const SHALLOW: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead",
    "tbody", "tfoot", "rb", "rt", "rp", "colgroup", "caption", "head", "body", "html",
];

/// The deepest nesting of elements in `html`, counted in one pass over its tags: open tags
/// less close tags, leaving out comments, the contents of `<script>` and `<style>`, and
/// elements that do not nest ([`SHALLOW`]). An estimate (it does not repair bad HTML as a
/// parser does), close enough to tell a page from a nesting bomb.
pub fn html_depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    let find = |from: usize, needle: &str| {
        html.get(from..)
            .and_then(|rest| rest.find(needle))
            .map_or(bytes.len(), |at| from + at)
    };
    while i < bytes.len() {
        let Some(at) = memchr_lt(&bytes[i..]) else {
            break;
        };
        i += at + 1;
        if html[i..].starts_with("!--") {
            i = find(i, "-->");
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let start = i + usize::from(closing);
        let end = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |n| start + n);
        if end == start {
            continue;
        }
        let name = html[start..end].to_ascii_lowercase();
        let tag_end = find(end, ">");
        let self_closing = tag_end > 0 && bytes.get(tag_end - 1) == Some(&b'/');
        i = tag_end;
        if SHALLOW.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            depth += 1;
            deepest = deepest.max(depth);
            if name == "script" || name == "style" {
                i = find(i, &format!("</{name}"));
            }
        }
    }
    deepest
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

/// Extract the main text and metadata of an HTML page. A page nested deeper than
/// [`MAX_HTML_DEPTH`] gives nothing (see [`html_depth`]).
pub fn extract_html(html: &str) -> HtmlExtract {
    use scraper::{Html, Node, Selector};

    if html_depth(html) > MAX_HTML_DEPTH {
        return HtmlExtract::default();
    }

    let doc = Html::parse_document(html);
    let select_first = |css: &str, attr: Option<&str>| -> Option<String> {
        let selector = Selector::parse(css).ok()?;
        doc.select(&selector).find_map(|el| {
            let value = match attr {
                Some(a) => el.value().attr(a)?.to_string(),
                None => el.text().collect::<String>(),
            };
            let value = collapse_whitespace(&value);
            (!value.is_empty()).then_some(value)
        })
    };
    let title = select_first("title", None)
        .or_else(|| select_first(r#"meta[property="og:title"]"#, Some("content")))
        .or_else(|| select_first("h1", None));
    let url = select_first(r#"link[rel~="canonical" i]"#, Some("href"))
        .or_else(|| select_first(r#"meta[property="og:url"]"#, Some("content")));
    let published = select_first(
        r#"meta[property="article:published_time"]"#,
        Some("content"),
    )
    .or_else(|| select_first("time[datetime]", Some("datetime")));

    let mut out = TextBuilder {
        text: String::with_capacity(html.len()),
        ..TextBuilder::default()
    };
    // Iterative depth-first walk (no recursion, so deep nesting cannot overflow the stack).
    // `false` = entering the node, `true` = leaving it.
    let mut stack = vec![(doc.tree.root(), false)];
    while let Some((node, leaving)) = stack.pop() {
        match node.value() {
            Node::Text(t) if !leaving => out.push_text(t),
            Node::Element(el) => {
                let name = el.name();
                if leaving {
                    if name == "pre" {
                        out.pre_depth = out.pre_depth.saturating_sub(1);
                    }
                    if BLOCKS.contains(&name) {
                        out.paragraph_break();
                    } else if SPACED.contains(&name) {
                        out.space();
                    }
                    continue;
                }
                if DROPPED.contains(&name) || el.attr("hidden").is_some() {
                    continue;
                }
                if BLOCKS.contains(&name) {
                    out.paragraph_break();
                } else if SPACED.contains(&name) {
                    out.space();
                }
                if name == "pre" {
                    out.pre_depth += 1;
                }
                stack.push((node, true));
                let children: Vec<_> = node.children().collect();
                stack.extend(children.into_iter().rev().map(|c| (c, false)));
            }
            Node::Document | Node::Fragment if !leaving => {
                let children: Vec<_> = node.children().collect();
                stack.extend(children.into_iter().rev().map(|c| (c, false)));
            }
            _ => {}
        }
    }
    out.paragraph_break();
    if out.text.ends_with(PARAGRAPH) {
        out.text.truncate(out.text.len() - PARAGRAPH.len());
    }

    HtmlExtract {
        text: out.text,
        title,
        url,
        published,
    }
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What separates paragraphs in the extracted text.
const PARAGRAPH: &str = "\n\n";

/// The extracted text, written in place (one buffer, no copy per paragraph: a page that is
/// one huge paragraph costs its length once).
#[derive(Default)]
struct TextBuilder {
    /// Finished paragraphs, each followed by [`PARAGRAPH`], then the current one.
    text: String,
    /// Where the current paragraph starts in `text`.
    start: usize,
    pre_depth: usize,
}

impl TextBuilder {
    fn push_text(&mut self, text: &str) {
        if self.pre_depth > 0 {
            self.text.push_str(text);
            return;
        }
        for c in text.chars() {
            if c.is_whitespace() {
                self.space();
            } else {
                self.text.push(c);
            }
        }
    }

    fn space(&mut self) {
        if self.text.len() > self.start && !self.text.ends_with(' ') {
            self.text.push(' ');
        }
    }

    /// End the current paragraph: trimmed, and kept when anything is left.
    fn paragraph_break(&mut self) {
        let current = &self.text[self.start..];
        let lead = current.len() - current.trim_start().len();
        let kept = current.trim().len();
        self.text.truncate(self.start + lead + kept);
        self.text.drain(self.start..self.start + lead);
        if kept > 0 {
            self.text.push_str(PARAGRAPH);
            self.start = self.text.len();
        }
    }
}
