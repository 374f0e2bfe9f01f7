//! GUM: named-entity spans from the `Entity=` mention annotations, and the genre/licence
//! filter. The rule that picks named mentions is in the crate docs.

use crate::conll::{parse_conllu_line, spans_to_bio, Chunk};
use crate::error::read_text;
use crate::{CorpusError, TaggedDocument, TaggedSentence};
use std::path::{Path, PathBuf};

/// The licence class of a GUM genre's texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GumLicence {
    /// CC-BY or CC-BY-SA: news, interview, academic, bio, voyage, court.
    Permissive,
    /// Non-commercial (or not listed as permissive).
    NonCommercial,
    /// reddit: word forms masked as `_`; never used.
    Masked,
}

/// The licence class of a genre (`news`, `fiction`, ...).
pub fn genre_licence(genre: &str) -> GumLicence {
    match genre {
        "news" | "interview" | "academic" | "bio" | "voyage" | "court" => GumLicence::Permissive,
        "reddit" => GumLicence::Masked,
        _ => GumLicence::NonCommercial,
    }
}

/// The genre in a GUM file name (`GUM_news_iodine.conllu` → `news`).
pub fn genre_of(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let rest = name.strip_prefix("GUM_")?;
    Some(rest.split('_').next()?.to_string())
}

/// Which GUM files to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GumFilter {
    /// Only CC-BY / CC-BY-SA genres: the shipped models.
    Permissive,
    /// Every genre with real word forms (not reddit): evaluation and experiments.
    AllUnmasked,
}

/// The `GUM_*.conllu` files of a directory that pass the filter, sorted by name.
pub fn gum_files(dir: &Path, filter: GumFilter) -> Result<Vec<PathBuf>, CorpusError> {
    let io = |source| CorpusError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("conllu") {
            continue;
        }
        let Some(genre) = genre_of(&path) else {
            continue;
        };
        let ok = match (filter, genre_licence(&genre)) {
            (_, GumLicence::Masked) => false,
            (GumFilter::Permissive, l) => l == GumLicence::Permissive,
            (GumFilter::AllUnmasked, _) => true,
        };
        if ok {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

const KEEP: &[(&str, &str)] = &[
    ("person", "Person"),
    ("organization", "Organization"),
    ("place", "Location"),
    ("event", "Event"),
];

struct Tok {
    form: String,
    upos: String,
    xpos: String,
    /// Head as a document token index; `None` for the root or no head.
    head: Option<usize>,
    sentence: usize,
}

pub(crate) struct Mention {
    /// The entity (coreference cluster) id within the document.
    pub(crate) id: String,
    pub(crate) start: usize,
    pub(crate) end: usize, // inclusive
    pub(crate) kind: String,
    /// The Wikipedia article title GUM gives a named mention (`Lord_Byron`), if any.
    pub(crate) identity: Option<String>,
}

/// Splits an opener's attributes after the id (`person-new-snnsn-cf2-1-coref-Lord_Byron`)
/// into the type and the Wikipedia identity: the identity is everything after the seventh
/// field, and may itself contain hyphens (`Jean-Paul_Sartre`).
fn kind_and_identity(rest: &str) -> (String, Option<String>) {
    let parts: Vec<&str> = rest.split('-').collect();
    let identity = (parts.len() > 6).then(|| parts[6..].join("-"));
    (
        parts[0].to_string(),
        identity.filter(|i| !i.is_empty() && i != "_"),
    )
}

fn is_proper(t: &Tok) -> bool {
    t.upos == "PROPN" || t.xpos == "NNP" || t.xpos == "NNPS"
}

fn is_connector(t: &Tok) -> bool {
    matches!(
        t.form.as_str(),
        "of" | "the"
            | "and"
            | "&"
            | "-"
            | "."
            | "'"
            | "’"
            | "de"
            | "du"
            | "des"
            | "la"
            | "le"
            | "von"
            | "van"
            | "der"
            | "da"
            | "del"
            | "for"
            | "on"
            | "upon"
    )
}

/// Reads a GUM CoNLL-U file into documents (`# newdoc` starts one) with BIO tags of the
/// named person/organization/place/event mentions.
pub fn read_gum_ner(path: &Path) -> Result<Vec<TaggedDocument>, CorpusError> {
    let text = read_text(path)?;
    let mut docs = Vec::new();
    let mut toks: Vec<Tok> = Vec::new();
    let mut sent_starts: Vec<usize> = Vec::new();
    let mut mentions: Vec<Mention> = Vec::new();
    // Open mentions: (id, start, attributes after the id, line of the opening).
    let mut open: Vec<(String, usize, String, usize)> = Vec::new();
    let mut in_sentence = false;
    let mut sent_base = 0usize;
    let mut pending_heads: Vec<(usize, usize)> = Vec::new(); // (token, head id within sentence)

    let finish_doc = |toks: &mut Vec<Tok>,
                      sent_starts: &mut Vec<usize>,
                      mentions: &mut Vec<Mention>,
                      docs: &mut Vec<TaggedDocument>| {
        if !toks.is_empty() {
            docs.push(build_doc(toks, sent_starts, mentions));
        }
        toks.clear();
        sent_starts.clear();
        mentions.clear();
    };

    let lines: Vec<&str> = text.lines().collect();
    for (n, raw) in lines.iter().enumerate() {
        let line_no = n + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.starts_with("# newdoc") {
            if let Some((_, _, _, at)) = open.first() {
                return Err(CorpusError::malformed(
                    path,
                    *at,
                    "entity mention opened here is never closed",
                ));
            }
            finish_doc(&mut toks, &mut sent_starts, &mut mentions, &mut docs);
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            if in_sentence {
                for (t, h) in pending_heads.drain(..) {
                    toks[t].head = if h == 0 {
                        None
                    } else {
                        Some(sent_base + h - 1)
                    };
                }
                in_sentence = false;
            }
            continue;
        }
        let Some((id, tok)) = parse_conllu_line(path, line_no, line)? else {
            continue;
        };
        if !in_sentence {
            in_sentence = true;
            sent_base = toks.len();
            sent_starts.push(sent_base);
        }
        if id != toks.len() - sent_base + 1 {
            return Err(CorpusError::malformed(
                path,
                line_no,
                format!(
                    "token id {id} out of sequence (expected {})",
                    toks.len() - sent_base + 1
                ),
            ));
        }
        let index = toks.len();
        if let Some(h) = tok.head {
            pending_heads.push((index, h));
        }
        for field in tok.misc.split('|') {
            if let Some(spec) = field.strip_prefix("Entity=") {
                parse_entity(path, line_no, spec, index, &mut open, &mut mentions)?;
            }
        }
        toks.push(Tok {
            form: tok.form.to_string(),
            upos: tok.upos.to_string(),
            xpos: tok.xpos.to_string(),
            head: None,
            sentence: sent_starts.len() - 1,
        });
    }
    for (t, h) in pending_heads.drain(..) {
        toks[t].head = if h == 0 {
            None
        } else {
            Some(sent_base + h - 1)
        };
    }
    if let Some((_, _, _, at)) = open.first() {
        return Err(CorpusError::malformed(
            path,
            *at,
            "entity mention opened here is never closed",
        ));
    }
    finish_doc(&mut toks, &mut sent_starts, &mut mentions, &mut docs);
    Ok(docs)
}

/// Parses one `Entity=` value: openers `(ID-type-...`, single-token `(ID-type-...)`,
/// closers `ID)`.
pub(crate) fn parse_entity(
    path: &Path,
    line_no: usize,
    spec: &str,
    index: usize,
    open: &mut Vec<(String, usize, String, usize)>,
    mentions: &mut Vec<Mention>,
) -> Result<(), CorpusError> {
    let b = spec.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'(' {
            let start = i + 1;
            let mut j = start;
            while j < b.len() && b[j] != b'(' && b[j] != b')' {
                j += 1;
            }
            let attrs = &spec[start..j];
            let mut parts = attrs.split('-');
            let id = parts.next().unwrap_or("");
            let kind = parts.next().unwrap_or("");
            if id.is_empty() || kind.is_empty() {
                return Err(CorpusError::malformed(
                    path,
                    line_no,
                    format!("bad entity opener `({attrs}`"),
                ));
            }
            let rest = &attrs[id.len() + 1..];
            if j < b.len() && b[j] == b')' {
                let (kind, identity) = kind_and_identity(rest);
                mentions.push(Mention {
                    id: id.to_string(),
                    start: index,
                    end: index,
                    kind,
                    identity,
                });
                j += 1;
            } else {
                open.push((id.to_string(), index, rest.to_string(), line_no));
            }
            i = j;
        } else {
            let start = i;
            let mut j = i;
            while j < b.len() && b[j] != b')' && b[j] != b'(' {
                j += 1;
            }
            if j >= b.len() || b[j] != b')' {
                return Err(CorpusError::malformed(
                    path,
                    line_no,
                    format!("bad entity annotation `{}`", &spec[start..]),
                ));
            }
            let id = &spec[start..j];
            let Some(pos) = open.iter().rposition(|(oid, ..)| oid == id) else {
                return Err(CorpusError::malformed(
                    path,
                    line_no,
                    format!("entity {id} closed but never opened"),
                ));
            };
            let (id, s, rest, _) = open.remove(pos);
            let (kind, identity) = kind_and_identity(&rest);
            mentions.push(Mention {
                id,
                start: s,
                end: index,
                kind,
                identity,
            });
            i = j + 1;
        }
    }
    Ok(())
}

/// The name span of a mention, or `None` if its head is not a proper noun.
fn name_span(toks: &[Tok], m: &Mention) -> Option<(usize, usize)> {
    if toks[m.start].sentence != toks[m.end].sentence {
        return None;
    }
    let inside = |i: usize| i >= m.start && i <= m.end;
    let head = (m.start..=m.end).find(|&i| toks[i].head.is_none_or(|h| !inside(h)))?;
    if !is_proper(&toks[head]) {
        return None;
    }
    let (mut s, mut e) = (head, head);
    // Left.
    loop {
        if s > m.start && is_proper(&toks[s - 1]) {
            s -= 1;
            continue;
        }
        let mut k = s;
        let mut bridged = false;
        for _ in 0..2 {
            if k > m.start && is_connector(&toks[k - 1]) && !is_proper(&toks[k - 1]) {
                k -= 1;
                if k > m.start && is_proper(&toks[k - 1]) {
                    s = k - 1;
                    bridged = true;
                    break;
                }
            } else {
                break;
            }
        }
        if !bridged {
            break;
        }
    }
    // Right.
    loop {
        if e < m.end && is_proper(&toks[e + 1]) {
            e += 1;
            continue;
        }
        let mut k = e;
        let mut bridged = false;
        for _ in 0..2 {
            if k < m.end && is_connector(&toks[k + 1]) && !is_proper(&toks[k + 1]) {
                k += 1;
                if k < m.end && is_proper(&toks[k + 1]) {
                    e = k + 1;
                    bridged = true;
                    break;
                }
            } else {
                break;
            }
        }
        if !bridged {
            break;
        }
    }
    while e < m.end && toks[e + 1].upos == "NUM" {
        e += 1;
    }
    Some((s, e))
}

/// A year or an edition number written in digits (`2022`, `33rd`), or a capitalised
/// ordinal word (`Second`): what opens or splits the name of one edition of an event.
fn is_edition(t: &Tok) -> bool {
    let f = t.form.as_str();
    let digits = f.bytes().take_while(u8::is_ascii_digit).count();
    let year = f.len() == 4 && digits == 4;
    let ordinal = digits > 0 && matches!(&f[digits..], "st" | "nd" | "rd" | "th");
    let word = matches!(
        f,
        "First"
            | "Second"
            | "Third"
            | "Fourth"
            | "Fifth"
            | "Sixth"
            | "Seventh"
            | "Eighth"
            | "Ninth"
            | "Tenth"
    );
    year || ordinal || word
}

/// An event's name keeps the year or edition before or inside it (*the 2022 FIFA World
/// Cup*, *the 33rd Berlin International Film Festival*, *the London 2012 Olympics*,
/// *the Second World War*): one edition is another event than the series. Extends `s`
/// left over such numbers and the proper nouns before them, within the mention.
fn event_start(toks: &[Tok], m: &Mention, s: usize) -> usize {
    let mut k = s;
    // Proper nouns before `s` are reached only across an edition number ("London 2012").
    while k > m.start && (is_edition(&toks[k - 1]) || (k < s && is_proper(&toks[k - 1]))) {
        k -= 1;
    }
    k
}

fn build_doc(toks: &[Tok], sent_starts: &[usize], mentions: &mut [Mention]) -> TaggedDocument {
    mentions.sort_by_key(|m| (std::cmp::Reverse(m.end - m.start), m.start));
    let mut taken: Vec<(usize, usize, &'static str)> = Vec::new();
    for m in mentions.iter() {
        let Some(&(_, kith)) = KEEP.iter().find(|(g, _)| *g == m.kind) else {
            continue;
        };
        let Some((s, e)) = name_span(toks, m) else {
            continue;
        };
        let s = if kith == "Event" {
            event_start(toks, m, s)
        } else {
            s
        };
        if taken.iter().any(|&(ts, te, _)| s <= te && ts <= e) {
            continue;
        }
        taken.push((s, e, kith));
    }
    let mut doc = TaggedDocument::default();
    for (k, &start) in sent_starts.iter().enumerate() {
        let end = sent_starts.get(k + 1).copied().unwrap_or(toks.len());
        let spans: Vec<Chunk> = taken
            .iter()
            .filter(|&&(s, _, _)| s >= start && s < end)
            .map(|&(s, e, kind)| Chunk {
                start: s - start,
                end: e + 1 - start,
                kind: kind.to_string(),
            })
            .collect();
        doc.sentences.push(TaggedSentence {
            words: toks[start..end].iter().map(|t| t.form.clone()).collect(),
            tags: spans_to_bio(end - start, &spans),
        });
    }
    doc
}
