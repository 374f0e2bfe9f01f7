//! ECB+ (Cybulska and Vossen 2014): news articles grouped by topic, several outlets telling
//! one story, with entity and event mentions and their cross-document coreference.
//!
//! Layout read here: `<dir>/ECB+/<topic>/<topic>_<n>ecb.xml` and `..._<n>ecbplus.xml`, one
//! element per line (`<token t_id=".." sentence=".." number="..">word</token>`; markables
//! `<TAG m_id="..">` with `<token_anchor t_id=".."/>` lines, or one-line instance
//! markables `<TAG m_id=".." ... instance_id=".." />`; `<CROSS_DOC_COREF note="INSTANCE">`
//! and `<INTRA_DOC_COREF>` with `<source m_id>` and `<target m_id>` lines), and
//! `<dir>/ECBplus_coreference_sentences.csv` (`Topic,File,Sentence Number`): only those
//! sentences were annotated with care, so mentions elsewhere are left out, as the corpus
//! README asks.
//!
//! Gold chains: a mention in a `CROSS_DOC_COREF` takes the relation's instance id (shared
//! by every document of the corpus); one in an `INTRA_DOC_COREF` only, its document and
//! target; any other mention is a chain of its own.

use crate::error::{read_text, CorpusError};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The topics usually held out for development (the corpus README and earlier work).
pub const ECBPLUS_DEV_TOPICS: [u32; 8] = [2, 5, 12, 18, 21, 23, 34, 35];

/// What a gold mention is, coarsely: the classes `kith eval identity` scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MentionClass {
    /// `HUMAN_PART_PER`.
    Person,
    /// `HUMAN_PART_ORG`.
    Organization,
    /// `LOC_GEO`, `LOC_FAC`, `LOC_OTHER`, and `HUMAN_PART_GPE` (a country acting).
    Location,
    /// `ACTION_*` and `NEG_ACTION_*`.
    Event,
}

impl MentionClass {
    /// The class of an ECB+ markable tag, or `None` for tags not scored (times, objects,
    /// generic participants).
    pub fn of_tag(tag: &str) -> Option<MentionClass> {
        match tag {
            "HUMAN_PART_PER" => Some(MentionClass::Person),
            "HUMAN_PART_ORG" => Some(MentionClass::Organization),
            "HUMAN_PART_GPE" | "LOC_GEO" | "LOC_FAC" | "LOC_OTHER" => Some(MentionClass::Location),
            t if t.starts_with("ACTION_") || t.starts_with("NEG_ACTION_") => {
                Some(MentionClass::Event)
            }
            _ => None,
        }
    }

    /// The class's name, as reports print it.
    pub fn as_str(self) -> &'static str {
        match self {
            MentionClass::Person => "Person",
            MentionClass::Organization => "Organization",
            MentionClass::Location => "Location",
            MentionClass::Event => "Event",
        }
    }
}

/// One token of an ECB+ document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EcbToken {
    /// The word as written.
    pub form: String,
    /// Its sentence number, as the file gives it.
    pub sentence: u32,
}

/// A gold mention: tokens `[start, end)` of its document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EcbMention {
    /// First token (an index into [`EcbDocument::tokens`]).
    pub start: usize,
    /// One past its last token.
    pub end: usize,
    /// Its coarse class.
    pub class: MentionClass,
    /// Its gold chain: an instance id shared across documents, or a document-local id.
    pub chain: String,
}

/// One ECB+ article.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EcbDocument {
    /// Its topic number.
    pub topic: u32,
    /// The file name without `.xml` (`1_10ecbplus`).
    pub name: String,
    /// Its tokens, in order.
    pub tokens: Vec<EcbToken>,
    /// Its gold mentions in annotated sentences, sorted by span.
    pub mentions: Vec<EcbMention>,
}

/// Tokens after which no space is written.
const NO_SPACE_AFTER: &[&str] = &["(", "[", "{", "$", "``", "\u{201c}", "#"];
/// Tokens before which no space is written.
const NO_SPACE_BEFORE: &[&str] = &[
    ",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "''", "\u{201d}", "'s", "'S", "n't", "'re",
    "'ll", "'ve", "'m", "'d",
];

impl EcbDocument {
    /// The running text and each token's character span: words of a sentence joined by a
    /// space except around punctuation, sentences by a blank line (ECB+ keeps headlines
    /// and datelines as sentences of their own).
    pub fn text(&self) -> (String, Vec<(usize, usize)>) {
        let mut text = String::new();
        let mut chars = 0usize;
        let mut spans = Vec::with_capacity(self.tokens.len());
        for (i, token) in self.tokens.iter().enumerate() {
            if i > 0 {
                let previous = &self.tokens[i - 1];
                let separator = if token.sentence != previous.sentence {
                    "\n\n"
                } else if NO_SPACE_BEFORE.contains(&token.form.as_str())
                    || NO_SPACE_AFTER.contains(&previous.form.as_str())
                {
                    ""
                } else {
                    " "
                };
                text.push_str(separator);
                chars += separator.chars().count();
            }
            let start = chars;
            text.push_str(&token.form);
            chars += token.form.chars().count();
            spans.push((start, chars));
        }
        (text, spans)
    }
}

/// The value of attribute `name` in an XML start tag on one line.
fn attribute<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let pattern = format!(" {name}=\"");
    let at = line.find(&pattern)? + pattern.len();
    let end = line[at..].find('"')?;
    Some(&line[at..at + end])
}

/// XML's five predefined entities and numeric references.
fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let Some(end) = after.find(';') else {
            out.push_str(after);
            return out;
        };
        let entity = &after[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push_str(&after[..=end]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The annotated sentences of each file (`1_10ecbplus` → sentence numbers), from
/// `ECBplus_coreference_sentences.csv`.
pub fn read_selected_sentences(
    path: &Path,
) -> Result<BTreeMap<String, BTreeSet<u32>>, CorpusError> {
    let text = read_text(path)?;
    let mut selected: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let parsed = match fields.as_slice() {
            [topic, file, sentence] => sentence
                .parse::<u32>()
                .ok()
                .map(|s| (format!("{topic}_{file}"), s)),
            _ => None,
        };
        let Some((file, sentence)) = parsed else {
            return Err(CorpusError::malformed(
                path,
                n + 1,
                format!("expected `topic,file,sentence`, found `{line}`"),
            ));
        };
        selected.entry(file).or_default().insert(sentence);
    }
    Ok(selected)
}

/// A coreference relation being read: (kind, note, sources, target, line of its opening).
type OpenRelation = (String, String, Vec<String>, Option<String>, usize);

/// Reads one ECB+ file; `selected` are the annotated sentence numbers (mentions in other
/// sentences are dropped; `None` keeps all).
pub fn read_ecbplus_file(
    path: &Path,
    topic: u32,
    selected: Option<&BTreeSet<u32>>,
) -> Result<EcbDocument, CorpusError> {
    let text = read_text(path)?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut doc = EcbDocument {
        topic,
        name: name.clone(),
        ..EcbDocument::default()
    };
    let mut token_index: BTreeMap<u32, usize> = BTreeMap::new();
    // Markables with tokens: m_id → (tag, token ids, line).
    let mut markables: BTreeMap<String, (String, Vec<u32>, usize)> = BTreeMap::new();
    let mut instances: BTreeMap<String, String> = BTreeMap::new();
    let mut chain_of: BTreeMap<String, String> = BTreeMap::new();
    let mut open_markable: Option<(String, String, usize)> = None;
    let mut open_relation: Option<OpenRelation> = None;
    let mut in_markables = false;
    let mut in_relations = false;
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.trim();
        if line.starts_with("<token ") {
            let (Some(id), Some(sentence)) = (attribute(line, "t_id"), attribute(line, "sentence"))
            else {
                return Err(CorpusError::malformed(
                    path,
                    line_no,
                    "token without t_id or sentence",
                ));
            };
            let (Ok(id), Ok(sentence)) = (id.parse::<u32>(), sentence.parse::<u32>()) else {
                return Err(CorpusError::malformed(
                    path,
                    line_no,
                    "token t_id or sentence is not a number",
                ));
            };
            let (Some(open), Some(close)) = (line.find('>'), line.rfind("</token>")) else {
                return Err(CorpusError::malformed(
                    path,
                    line_no,
                    "token element not on one line",
                ));
            };
            if close < open {
                return Err(CorpusError::malformed(path, line_no, "empty token element"));
            }
            token_index.insert(id, doc.tokens.len());
            doc.tokens.push(EcbToken {
                form: unescape(&line[open + 1..close]),
                sentence,
            });
            continue;
        }
        match line {
            "<Markables>" => in_markables = true,
            "</Markables>" => in_markables = false,
            "<Relations>" => in_relations = true,
            "</Relations>" => in_relations = false,
            _ if in_markables => {
                if let Some(rest) = line.strip_prefix("<token_anchor ") {
                    let Some((_, _, _)) = open_markable.as_ref() else {
                        return Err(CorpusError::malformed(
                            path,
                            line_no,
                            "token_anchor outside a markable",
                        ));
                    };
                    let id = attribute(&format!(" {rest}"), "t_id")
                        .and_then(|t| t.parse::<u32>().ok())
                        .ok_or_else(|| {
                            CorpusError::malformed(
                                path,
                                line_no,
                                "token_anchor without a numeric t_id",
                            )
                        })?;
                    let (m_id, _, _) = open_markable.as_ref().expect("checked above");
                    if let Some(m) = markables.get_mut(m_id) {
                        m.1.push(id);
                    }
                } else if line.starts_with("</") {
                    open_markable = None;
                } else if let Some(rest) = line.strip_prefix('<') {
                    let tag: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    let Some(m_id) = attribute(line, "m_id") else {
                        return Err(CorpusError::malformed(
                            path,
                            line_no,
                            format!("markable {tag} without m_id"),
                        ));
                    };
                    if line.ends_with("/>") {
                        if let Some(instance) = attribute(line, "instance_id") {
                            instances.insert(m_id.to_string(), instance.to_string());
                        }
                    } else {
                        markables.insert(m_id.to_string(), (tag.clone(), Vec::new(), line_no));
                        open_markable = Some((m_id.to_string(), tag, line_no));
                    }
                }
            }
            _ if in_relations => {
                if line.starts_with("<CROSS_DOC_COREF") || line.starts_with("<INTRA_DOC_COREF") {
                    let kind = if line.starts_with("<CROSS") {
                        "cross"
                    } else {
                        "intra"
                    };
                    let note = attribute(line, "note").unwrap_or("").to_string();
                    open_relation = Some((kind.to_string(), note, Vec::new(), None, line_no));
                } else if line.starts_with("<source ") || line.starts_with("<target ") {
                    let Some(relation) = open_relation.as_mut() else {
                        return Err(CorpusError::malformed(
                            path,
                            line_no,
                            "source or target outside a relation",
                        ));
                    };
                    let Some(m_id) = attribute(line, "m_id") else {
                        return Err(CorpusError::malformed(
                            path,
                            line_no,
                            "source or target without m_id",
                        ));
                    };
                    if line.starts_with("<source ") {
                        relation.2.push(m_id.to_string());
                    } else {
                        relation.3 = Some(m_id.to_string());
                    }
                } else if line.starts_with("</CROSS_DOC_COREF")
                    || line.starts_with("</INTRA_DOC_COREF")
                {
                    let Some((kind, note, sources, target, at)) = open_relation.take() else {
                        return Err(CorpusError::malformed(
                            path,
                            line_no,
                            "relation closed but never opened",
                        ));
                    };
                    let Some(target) = target else {
                        return Err(CorpusError::malformed(
                            path,
                            at,
                            "relation without a target",
                        ));
                    };
                    let chain = if kind == "cross" {
                        if note.is_empty() {
                            instances
                                .get(&target)
                                .cloned()
                                .unwrap_or_else(|| format!("{name}/{target}"))
                        } else {
                            note
                        }
                    } else {
                        format!("{name}/intra{target}")
                    };
                    for source in sources {
                        // A cross-document chain wins over a within-document one.
                        if kind == "cross" || !chain_of.contains_key(&source) {
                            chain_of.insert(source, chain.clone());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if let Some((_, tag, at)) = open_markable {
        return Err(CorpusError::malformed(
            path,
            at,
            format!("markable {tag} is never closed"),
        ));
    }
    for (m_id, (tag, ids, at)) in markables {
        let Some(class) = MentionClass::of_tag(&tag) else {
            continue;
        };
        if ids.is_empty() {
            continue;
        }
        let mut indices = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(&i) = token_index.get(&id) else {
                return Err(CorpusError::malformed(
                    path,
                    at,
                    format!("markable {m_id} anchors unknown token {id}"),
                ));
            };
            indices.push(i);
        }
        let (start, end) = (
            *indices.iter().min().expect("not empty"),
            *indices.iter().max().expect("not empty") + 1,
        );
        if selected.is_some_and(|s| !s.contains(&doc.tokens[start].sentence)) {
            continue;
        }
        let chain = chain_of
            .get(&m_id)
            .cloned()
            .unwrap_or_else(|| format!("{name}/single{m_id}"));
        doc.mentions.push(EcbMention {
            start,
            end,
            class,
            chain,
        });
    }
    doc.mentions
        .sort_by(|a, b| (a.start, a.end, &a.chain).cmp(&(b.start, b.end, &b.chain)));
    Ok(doc)
}

/// Which topics to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EcbSplit {
    /// Topics outside [`ECBPLUS_DEV_TOPICS`] (for tuning).
    Train,
    /// [`ECBPLUS_DEV_TOPICS`].
    Dev,
    /// Every topic present.
    All,
}

/// Reads the ECB+ corpus under `dir` (the folder holding `ECB+/` and the sentence list),
/// the topics of `split`, in topic and file-name order.
pub fn read_ecbplus(dir: &Path, split: EcbSplit) -> Result<Vec<EcbDocument>, CorpusError> {
    let selected = read_selected_sentences(&dir.join("ECBplus_coreference_sentences.csv"))?;
    let root = dir.join("ECB+");
    let io = |path: &Path, source| CorpusError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut topics: Vec<(u32, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(&root).map_err(|e| io(&root, e))? {
        let entry = entry.map_err(|e| io(&root, e))?;
        if let Some(topic) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        {
            let dev = ECBPLUS_DEV_TOPICS.contains(&topic);
            let wanted = match split {
                EcbSplit::Train => !dev,
                EcbSplit::Dev => dev,
                EcbSplit::All => true,
            };
            if wanted {
                topics.push((topic, entry.path()));
            }
        }
    }
    topics.sort();
    let mut docs = Vec::new();
    for (topic, folder) in topics {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map_err(|e| io(&folder, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect();
        files.sort();
        for file in files {
            let stem = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let empty = BTreeSet::new();
            let sentences = selected.get(&stem).unwrap_or(&empty);
            docs.push(read_ecbplus_file(&file, topic, Some(sentences))?);
        }
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"<Document doc_name="9_1ecb.xml" doc_id="X">
<token t_id="1" sentence="0" number="0">Tara</token>
<token t_id="2" sentence="0" number="1">Reid</token>
<token t_id="3" sentence="0" number="2">entered</token>
<token t_id="4" sentence="0" number="3">rehab</token>
<token t_id="5" sentence="0" number="4">.</token>
<token t_id="6" sentence="1" number="0">She</token>
<token t_id="7" sentence="1" number="1">left</token>
<token t_id="8" sentence="1" number="2">AT&amp;T</token>
<Markables>
<HUMAN_PART_PER m_id="10"  >
  <token_anchor t_id="1"/>
  <token_anchor t_id="2"/>
</HUMAN_PART_PER>
<ACTION_OCCURRENCE m_id="11"  >
  <token_anchor t_id="3"/>
</ACTION_OCCURRENCE>
<HUMAN_PART_PER m_id="12"  >
  <token_anchor t_id="6"/>
</HUMAN_PART_PER>
<HUMAN_PART_ORG m_id="13"  >
  <token_anchor t_id="8"/>
</HUMAN_PART_ORG>
<HUMAN_PART_PER m_id="20" RELATED_TO="" TAG_DESCRIPTOR="tara" instance_id="HUM1" />
</Markables>

<Relations>
<CROSS_DOC_COREF r_id="1" note="HUM1" >
  <source m_id="10" />
  <source m_id="12" />
  <target m_id="20" />
</CROSS_DOC_COREF>
</Relations>
</Document>
"#;

    fn write(dir: &Path, text: &str) -> PathBuf {
        let path = dir.join("9_1ecb.xml");
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn reads_tokens_mentions_and_chains() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), FILE);
        let doc = read_ecbplus_file(&path, 9, None).unwrap();
        let (text, spans) = doc.text();
        assert_eq!(text, "Tara Reid entered rehab.\n\nShe left AT&T");
        assert_eq!(spans[7], (35, 39));
        let chains: Vec<(usize, usize, MentionClass, &str)> = doc
            .mentions
            .iter()
            .map(|m| (m.start, m.end, m.class, m.chain.as_str()))
            .collect();
        assert_eq!(
            chains,
            vec![
                (0, 2, MentionClass::Person, "HUM1"),
                (2, 3, MentionClass::Event, "9_1ecb/single11"),
                (5, 6, MentionClass::Person, "HUM1"),
                (7, 8, MentionClass::Organization, "9_1ecb/single13"),
            ]
        );
        // Only sentence 1 selected: the first two mentions go.
        let only: BTreeSet<u32> = [1].into_iter().collect();
        let doc = read_ecbplus_file(&path, 9, Some(&only)).unwrap();
        assert_eq!(doc.mentions.len(), 2);
    }

    #[test]
    fn bad_anchor_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), &FILE.replace("t_id=\"8\"/>", "t_id=\"99\"/>"));
        let err = read_ecbplus_file(&path, 9, None).unwrap_err().to_string();
        assert!(err.contains("9_1ecb.xml:21"), "{err}");
        assert!(err.contains("unknown token 99"), "{err}");
    }
}
