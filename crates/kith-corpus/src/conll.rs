//! Column-format readers (CoNLL-2003, wikigold, BTC, WNUT-17, WikiANN) and the CoNLL-U
//! POS reader.

use crate::error::read_text;
use crate::{CorpusError, PosSentence, TaggedDocument, TaggedSentence};
use std::path::Path;

/// A chunk of tokens `[start, end)` with a type, as conlleval reads it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Chunk {
    /// First token of the chunk.
    pub start: usize,
    /// One past its last token.
    pub end: usize,
    /// The chunk's type as the tags spell it (`PER`, `Person`).
    pub kind: String,
}

/// Splits a tag into prefix and type: `("B", "PER")`, `("O", "")`. `None` if malformed.
fn split_tag(tag: &str) -> Option<(char, &str)> {
    if tag == "O" {
        return Some(('O', ""));
    }
    let (p, t) = tag.split_once('-')?;
    let p = match p {
        "B" | "I" | "E" | "S" => p.chars().next()?,
        "L" => 'E',
        "U" => 'S',
        _ => return None,
    };
    if t.is_empty() {
        return None;
    }
    Some((p, t))
}

/// Whether a tag is well formed (`O`, or `B|I|E|S|L|U-` and a type).
pub(crate) fn valid_tag(tag: &str) -> bool {
    split_tag(tag).is_some()
}

/// The chunks of a tag sequence by conlleval's rules, which read IOB1, BIO (IOB2) and
/// BIOES/BILOU alike: a chunk starts at `B-`/`S-`, or at `I-`/`E-` after `O`, after the end
/// of a chunk or after another type; it ends before `O`, `B-`, `S-`, a type change, or
/// after `E-`/`S-`. Malformed tags are read as `O`.
pub fn chunks<S: AsRef<str>>(tags: &[S]) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    let mut prev = ('O', "");
    for (i, tag) in tags.iter().enumerate() {
        let (p, t) = split_tag(tag.as_ref()).unwrap_or(('O', ""));
        // End of the open chunk before this token?
        let ends = match (prev.0, p) {
            (_, 'O') => true,
            ('E', _) | ('S', _) => true,
            (_, 'B') | (_, 'S') => true,
            _ => prev.1 != t,
        };
        if let Some((s, kind)) = open {
            if ends {
                out.push(Chunk {
                    start: s,
                    end: i,
                    kind: kind.to_string(),
                });
                open = None;
            }
        }
        if p != 'O' && open.is_none() {
            open = Some((i, t));
        }
        prev = (p, t);
    }
    if let Some((s, kind)) = open {
        out.push(Chunk {
            start: s,
            end: tags.len(),
            kind: kind.to_string(),
        });
    }
    out
}

/// BIO tags of `len` tokens from non-overlapping chunks.
pub fn spans_to_bio(len: usize, spans: &[Chunk]) -> Vec<String> {
    let mut tags = vec!["O".to_string(); len];
    for c in spans {
        for (i, tag) in tags
            .iter_mut()
            .enumerate()
            .take(c.end.min(len))
            .skip(c.start)
        {
            *tag = format!("{}-{}", if i == c.start { "B" } else { "I" }, c.kind);
        }
    }
    tags
}

/// Maps a source entity type to a Kith type (`None`: not an entity for Kith).
pub type LabelMap = fn(&str) -> Option<&'static str>;

fn map_conll(t: &str) -> Option<&'static str> {
    match t {
        "PER" => Some("Person"),
        "ORG" => Some("Organization"),
        "LOC" => Some("Location"),
        "MISC" => Some("Other"),
        _ => None,
    }
}

fn map_wnut(t: &str) -> Option<&'static str> {
    match t {
        "person" => Some("Person"),
        "location" => Some("Location"),
        "corporation" | "group" => Some("Organization"),
        "product" | "creative-work" => Some("Other"),
        _ => None,
    }
}

/// Kith type → CoNLL-2003 type, for scoring a Kith model on CoNLL data.
pub fn to_conll_type(kith: &str) -> &'static str {
    match kith {
        "Person" => "PER",
        "Organization" => "ORG",
        "Location" | "Country" => "LOC",
        _ => "MISC",
    }
}

/// Re-types the chunks of source tags and writes BIO.
/// `None` keeps the source types (only the tag scheme is normalised).
fn retag(tags: &[String], map: Option<LabelMap>) -> Vec<String> {
    let mapped: Vec<Chunk> = chunks(tags)
        .into_iter()
        .filter_map(|c| match map {
            None => Some(c),
            Some(map) => map(&c.kind).map(|k| Chunk {
                kind: k.to_string(),
                ..c
            }),
        })
        .collect();
    spans_to_bio(tags.len(), &mapped)
}

/// How the columns of a line are laid out.
#[derive(Clone, Copy)]
enum Columns {
    /// `word ... tag`, separated by tabs if the line has any, else by spaces.
    WordFirstTagLast { min: usize },
    /// `index<TAB>word<TAB>tag` (WikiANN).
    IndexWordTag,
}

/// Reads a column file: blank lines end sentences, `-DOCSTART-` lines end documents.
/// Files without `-DOCSTART-` give one document per sentence (tweets, WikiANN
/// sentences), so that document-level features see no unrelated text.
pub fn read_conll_ner(path: &Path, map: LabelMap) -> Result<Vec<TaggedDocument>, CorpusError> {
    read_columns(path, Some(map), Columns::WordFirstTagLast { min: 2 })
}

fn read_columns(
    path: &Path,
    map: Option<LabelMap>,
    cols: Columns,
) -> Result<Vec<TaggedDocument>, CorpusError> {
    let text = read_text(path)?;
    let has_docstart = text.lines().any(|l| l.starts_with("-DOCSTART-"));
    let mut docs = Vec::new();
    let mut doc = TaggedDocument::default();
    let mut sent = TaggedSentence::default();
    let end_sentence =
        |sent: &mut TaggedSentence, doc: &mut TaggedDocument, docs: &mut Vec<TaggedDocument>| {
            if !sent.words.is_empty() {
                let mut s = std::mem::take(sent);
                s.tags = retag(&s.tags, map);
                doc.sentences.push(s);
                if !has_docstart {
                    docs.push(std::mem::take(doc));
                }
            }
        };
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            end_sentence(&mut sent, &mut doc, &mut docs);
            continue;
        }
        if line.starts_with("-DOCSTART-") {
            end_sentence(&mut sent, &mut doc, &mut docs);
            if !doc.sentences.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            continue;
        }
        let (word, tag) = match cols {
            Columns::WordFirstTagLast { min } => {
                let parts: Vec<&str> = if line.contains('\t') {
                    line.split('\t').collect()
                } else {
                    line.split(' ').filter(|p| !p.is_empty()).collect()
                };
                if parts.len() < min {
                    return Err(CorpusError::malformed(
                        path,
                        line_no,
                        format!(
                            "expected at least {min} columns (word ... tag), found {}",
                            parts.len()
                        ),
                    ));
                }
                (parts[0], parts[parts.len() - 1])
            }
            Columns::IndexWordTag => {
                let parts: Vec<&str> = line.split('\t').collect();
                if parts.len() != 3 {
                    return Err(CorpusError::malformed(
                        path,
                        line_no,
                        format!(
                            "expected 3 tab-separated columns (index word tag), found {}",
                            parts.len()
                        ),
                    ));
                }
                if parts[0].parse::<u64>().is_err() {
                    return Err(CorpusError::malformed(
                        path,
                        line_no,
                        format!("token index `{}` is not a number", parts[0]),
                    ));
                }
                (parts[1], parts[2])
            }
        };
        let tag = tag.trim();
        // BTC (f.conll) has a few whitespace-only "tokens" tagged O (`\tO`, ` \tO`): no
        // tokenizer produces them, so they are skipped; an empty word inside an entity
        // is still an error.
        if word.trim().is_empty() && tag == "O" && line.contains('\t') {
            continue;
        }
        if word.is_empty() {
            return Err(CorpusError::malformed(path, line_no, "empty word"));
        }
        if !valid_tag(tag) {
            return Err(CorpusError::malformed(
                path,
                line_no,
                format!("bad tag `{tag}` (expected O or B-/I-/E-/S- and a type)"),
            ));
        }
        sent.words.push(word.to_string());
        sent.tags.push(tag.to_string());
    }
    end_sentence(&mut sent, &mut doc, &mut docs);
    if !doc.sentences.is_empty() {
        docs.push(doc);
    }
    Ok(docs)
}

/// A column file (word first, tag last) with its own types, normalised to BIO (for
/// scoring against the data set's own label set).
pub fn read_conll_raw(path: &Path) -> Result<Vec<TaggedDocument>, CorpusError> {
    read_columns(path, None, Columns::WordFirstTagLast { min: 2 })
}

/// WikiANN lines with their own types, normalised to BIO.
pub fn read_wikiann_raw(path: &Path) -> Result<Vec<TaggedDocument>, CorpusError> {
    read_columns(path, None, Columns::IndexWordTag)
}

/// WNUT-17 type → Kith type (see the crate docs).
pub fn wnut_to_kith(t: &str) -> Option<&'static str> {
    map_wnut(t)
}

/// CoNLL-2003 type → Kith type.
pub fn conll_to_kith(t: &str) -> Option<&'static str> {
    map_conll(t)
}

/// CoNLL-2003 (`word POS chunk tag`, IOB1); PER/ORG/LOC/MISC → Person/Organization/Location/Other.
pub fn read_conll2003(path: &Path) -> Result<Vec<TaggedDocument>, CorpusError> {
    read_columns(path, Some(map_conll), Columns::WordFirstTagLast { min: 2 })
}

/// wikigold (`word tag`, IOB1, CoNLL-2003 types). MISC names of events become Event
/// ([`misc_is_event`]: *World War II*, *Battle of Antietam*, *Stanley Cup*), the other
/// MISC names Other: GUM, the only other set with events, types them Event.
pub fn read_wikigold(path: &Path) -> Result<Vec<TaggedDocument>, CorpusError> {
    let mut docs = read_columns(path, Some(map_conll), Columns::WordFirstTagLast { min: 2 })?;
    for s in docs.iter_mut().flat_map(|d| d.sentences.iter_mut()) {
        let mut spans = chunks(&s.tags);
        let mut changed = false;
        for c in &mut spans {
            if c.kind == "Other" && misc_is_event(&s.words[c.start..c.end]) {
                c.kind = "Event".to_string();
                changed = true;
            }
        }
        if changed {
            s.tags = spans_to_bio(s.words.len(), &spans);
        }
    }
    Ok(docs)
}

/// Whether a MISC name is an event: its last word is an event noun (War, Revolution,
/// Battle, Games, Olympics, Cup, Bowl, Festival, Championship(s), Open, Prix, ...), or it
/// starts with *Battle of* / *Siege of*.
pub fn misc_is_event<S: AsRef<str>>(words: &[S]) -> bool {
    const HEADS: &[&str] = &[
        "War",
        "Wars",
        "Revolution",
        "Battle",
        "Siege",
        "Uprising",
        "Rebellion",
        "Massacre",
        "Invasion",
        "Crusade",
        "Olympics",
        "Olympiad",
        "Games",
        "Cup",
        "Bowl",
        "Championship",
        "Championships",
        "Tournament",
        "Open",
        "Prix",
        "Marathon",
        "Festival",
        "Expo",
        "Summit",
        "Election",
        "Elections",
        "Tour",
    ];
    let w: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
    let Some(last) = w.last() else { return false };
    HEADS.contains(last) || (w.len() >= 3 && matches!(w[0], "Battle" | "Siege") && w[1] == "of")
}

/// Broad Twitter Corpus (`word<TAB>tag`, BIO, PER/ORG/LOC).
pub fn read_btc(path: &Path) -> Result<Vec<TaggedDocument>, CorpusError> {
    read_columns(path, Some(map_conll), Columns::WordFirstTagLast { min: 2 })
}

/// WNUT-17 (`word<TAB>tag`, BIO): person, location, corporation, group, product,
/// creative-work (see the crate docs for the mapping).
pub fn read_wnut17(path: &Path) -> Result<Vec<TaggedDocument>, CorpusError> {
    read_columns(path, Some(map_wnut), Columns::WordFirstTagLast { min: 2 })
}

/// WikiANN as distributed here (`index<TAB>word<TAB>tag` lines, BIO, PER/ORG/LOC).
pub fn read_wikiann(path: &Path) -> Result<Vec<TaggedDocument>, CorpusError> {
    read_columns(path, Some(map_conll), Columns::IndexWordTag)
}

/// One CoNLL-U token line, split.
pub(crate) struct ConlluToken<'a> {
    pub form: &'a str,
    pub upos: &'a str,
    pub xpos: &'a str,
    /// 0 for the root.
    pub head: Option<usize>,
    pub deprel: &'a str,
    pub misc: &'a str,
}

/// Parses a CoNLL-U token line; `Ok(None)` for multi-word token ranges and empty nodes.
pub(crate) fn parse_conllu_line<'a>(
    path: &Path,
    line_no: usize,
    line: &'a str,
) -> Result<Option<(usize, ConlluToken<'a>)>, CorpusError> {
    let cols: Vec<&str> = line.split('\t').collect();
    if cols.len() != 10 {
        return Err(CorpusError::malformed(
            path,
            line_no,
            format!(
                "expected 10 tab-separated CoNLL-U columns, found {}",
                cols.len()
            ),
        ));
    }
    if cols[0].contains('-') || cols[0].contains('.') {
        return Ok(None);
    }
    let id: usize = cols[0].parse().map_err(|_| {
        CorpusError::malformed(
            path,
            line_no,
            format!("token id `{}` is not a number", cols[0]),
        )
    })?;
    let head = if cols[6] == "_" {
        None
    } else {
        Some(cols[6].parse().map_err(|_| {
            CorpusError::malformed(path, line_no, format!("head `{}` is not a number", cols[6]))
        })?)
    };
    if cols[1].is_empty() || cols[3].is_empty() || cols[4].is_empty() {
        return Err(CorpusError::malformed(
            path,
            line_no,
            "empty FORM, UPOS or XPOS column",
        ));
    }
    Ok(Some((
        id,
        ConlluToken {
            form: cols[1],
            upos: cols[3],
            xpos: cols[4],
            head,
            deprel: cols[7],
            misc: cols[9],
        },
    )))
}

/// Reads a CoNLL-U file's sentences for POS tagging: words, UPOS and XPOS (multi-word token
/// ranges and empty nodes skipped).
pub fn read_conllu_pos(path: &Path) -> Result<Vec<PosSentence>, CorpusError> {
    let text = read_text(path)?;
    let mut out = Vec::new();
    let mut sent = PosSentence::default();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            if !sent.words.is_empty() {
                out.push(std::mem::take(&mut sent));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if let Some((id, tok)) = parse_conllu_line(path, n + 1, line)? {
            if id != sent.words.len() + 1 {
                return Err(CorpusError::malformed(
                    path,
                    n + 1,
                    format!(
                        "token id {id} out of sequence (expected {})",
                        sent.words.len() + 1
                    ),
                ));
            }
            sent.words.push(tok.form.to_string());
            sent.upos.push(tok.upos.to_string());
            sent.xpos.push(tok.xpos.to_string());
        }
    }
    if !sent.words.is_empty() {
        out.push(sent);
    }
    Ok(out)
}
