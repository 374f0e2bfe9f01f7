use kith_schema::{DocId, DocumentInfo, EntityType, Modality, Polarity, RelationClass, ResolvedBy};
use std::collections::BTreeMap;
use std::ops::Range;

/// The 17 Universal POS tags (plus `X` for anything unknown).
pub const UPOS_TAGS: &[&str] = &[
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
    "PUNCT", "SCONJ", "SYM", "VERB", "X",
];

/// Penn Treebank tags as used by GUM/OntoNotes (`XX` for anything unknown).
pub const XPOS_TAGS: &[&str] = &[
    "$", "''", ",", "-LRB-", "-RRB-", ".", ":", "ADD", "AFX", "CC", "CD", "DT", "EX", "FW", "GW",
    "HYPH", "IN", "JJ", "JJR", "JJS", "LS", "MD", "NFP", "NN", "NNP", "NNPS", "NNS", "PDT", "POS",
    "PRP", "PRP$", "RB", "RBR", "RBS", "RP", "SYM", "TO", "UH", "VB", "VBD", "VBG", "VBN", "VBP",
    "VBZ", "WDT", "WP", "WP$", "WRB", "XX", "``",
];

fn intern(tags: &'static [&'static str], tag: &str, unknown: &'static str) -> &'static str {
    tags.iter().find(|t| **t == tag).copied().unwrap_or(unknown)
}

/// The POS tags of one token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PosTag {
    /// A Universal POS tag (`NOUN`, `VERB`, ...; `X` for an unknown one).
    pub upos: &'static str,
    /// A Penn Treebank tag (`NN`, `VBD`, ...; `XX` for an unknown one).
    pub xpos: &'static str,
}

impl PosTag {
    /// The tags interned: an unknown UPOS becomes `X`, an unknown XPOS `XX`.
    pub fn new(upos: &str, xpos: &str) -> PosTag {
        PosTag {
            upos: intern(UPOS_TAGS, upos, "X"),
            xpos: intern(XPOS_TAGS, xpos, "XX"),
        }
    }
}

/// An entity a tagger or a rule found: tokens `start..end` (of the sentence or document
/// it was given), type, confidence.
pub type NerSpan = (usize, usize, EntityType, f32);

/// What a token is, as far as the tokenizer can tell without a model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A word: a run of letters and digits (joined by inner hyphens, apostrophes, ...)
    /// holding at least one letter, or an abbreviation (`U.S.`, `Jan.`).
    Word,
    /// The same kind of run with no letter: `2024`, `1,000`, `3.5`.
    Number,
    /// Punctuation.
    Punct,
    /// A web address.
    Url,
    /// An e-mail address.
    Email,
    /// `@handle`
    Handle,
    /// `#hashtag`
    Hashtag,
    /// Any other character that is neither a letter, a digit nor punctuation (an emoji,
    /// with its modifiers).
    Symbol,
}

/// A token: byte range `[start, end)` of `Doc::text`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// What the token is.
    pub kind: TokenKind,
}

/// A sentence: its byte range and the tokens it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Byte offset of its start in `Doc::text`.
    pub start: usize,
    /// Byte offset of its end in `Doc::text` (exclusive).
    pub end: usize,
    /// Its tokens, as a range of `Doc::tokens`.
    pub tokens: Range<usize>,
}

/// What a [`Metadata`] span is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MetadataKind {
    /// Who wrote the article: *By Anna Schmidt, Berlin correspondent*.
    Byline,
    /// Who took a picture: *Photo: Jane Doe/Agency*, *(Kith Wire photo)*.
    Credit,
}

/// A span of the document that is about the document, not part of what it reports (a
/// byline, a photo credit): no tagger writes an entity inside it, so it gives no facts.
#[derive(Clone, Debug, PartialEq)]
pub struct Metadata {
    /// What it is.
    pub kind: MetadataKind,
    /// Its tokens.
    pub tokens: Range<usize>,
    /// Byte offset of its first token's start.
    pub start: usize,
    /// Byte offset of its last token's end.
    pub end: usize,
    /// The tokens of the person it names (a byline's author), when it names one.
    pub person: Option<Range<usize>>,
}

/// A typed span of tokens naming an entity.
#[derive(Clone, Debug, PartialEq)]
pub struct EntitySpan {
    /// Token range within `Doc::tokens`.
    pub tokens: Range<usize>,
    /// Byte range within `Doc::text` (from the first token's start to the last token's end).
    pub start: usize,
    /// End of the byte range within `Doc::text` (exclusive).
    pub end: usize,
    /// The entity's type.
    pub kind: EntityType,
    /// How sure the component that found it is, in `0..=1`.
    pub confidence: f32,
    /// The component that found it (`gazetteer`, `names`, ...).
    pub source: &'static str,
    /// The canonical name when the component knows it (e.g. `India` for `Indian`).
    pub canonical: Option<String>,
    /// Identifiers in external registries (e.g. `iso3166-1:alpha2` → `IN`).
    pub external_ids: BTreeMap<String, String>,
    /// How the span joined the entity named by `canonical`, when a coreference rule (not
    /// the span's own text) decided it: pronouns, titles, partial names, acronyms.
    pub resolved_by: Option<ResolvedBy>,
}

/// A relation between two entity spans of the same document.
#[derive(Clone, Debug, PartialEq)]
pub struct RelationSpan {
    /// Index into `Doc::entities`.
    pub subject: usize,
    /// Index into `Doc::entities`.
    pub object: usize,
    /// Normalised predicate, lower-case and hyphenated (`speak-with`, `spokesperson-of`).
    pub predicate: String,
    /// The predicate's class, when it has one.
    pub class: Option<RelationClass>,
    /// Whether the text affirms or negates the relation.
    pub polarity: Polarity,
    /// How the text presents it: as a fact, a report, a plan or a condition.
    pub modality: Modality,
    /// How sure the component that found it is, in `0..=1`.
    pub confidence: f32,
    /// Index into `Doc::sentences`.
    pub sentence: usize,
}

/// One token's arc in the dependency layer: its head and the Universal Dependencies
/// relation that links them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dependency {
    /// The head as an index into `Doc::tokens` (always in the same sentence); `None` for
    /// the sentence's root.
    pub head: Option<usize>,
    /// UD relation with its subtype when it has one: `nsubj`, `nsubj:pass`, `obl:tmod`, ...
    pub label: &'static str,
}

/// Whom a [`Chain`] of unnamed mentions refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChainPerson {
    /// The writer or speaker of the text: *I*, *me*, *my* outside quotations.
    First,
    /// The writer's group: *we*, *us*, *our* outside quotations.
    FirstPlural,
    /// The reader or listener: *you*, *your* outside quotations.
    Second,
    /// *he*, *him*, *his* with no named antecedent.
    Masculine,
    /// *she*, *her* with no named antecedent.
    Feminine,
    /// *it*, *its* with no named antecedent (not a dummy *it*).
    Neuter,
    /// *they*, *them*, *their* with no named antecedent.
    Plural,
}

/// A coreference chain whose referent the text never names, so that no entity span can
/// carry it: every *I* of an interviewee who is not introduced by name. Such chains are
/// part of the document's coreference (what `kith eval coref` scores) but never become
/// graph entities (a graph has no use for an entity called "I"); a chain whose referent
/// is named joins the named entity's spans instead and is not listed here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain {
    /// Whom the chain refers to.
    pub person: ChainPerson,
    /// Token ranges within `Doc::tokens`, in document order.
    pub mentions: Vec<Range<usize>>,
}

/// A mention of several entities at once: "both countries" after "India and Pakistan".
/// Coreference finds it and adds one span with its tokens to `Doc::entities` (named after
/// the first member, so that spans stay one per token range while the relation rules run);
/// the relation layer, last, splits that span into one span per member, as it splits a role
/// qualified by coordinated names, so every relation of the mention holds for each member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// Token range within `Doc::tokens` (the span's).
    pub tokens: Range<usize>,
    /// The members' (type, canonical name), in document order.
    pub members: Vec<(EntityType, String)>,
}

/// The id of [`Doc::clusters`] for a word the cluster table lacks.
pub const NO_CLUSTER: u16 = u16::MAX;

/// A document and its annotations.
#[derive(Clone, Debug)]
pub struct Doc {
    /// The document's identifier.
    pub id: DocId,
    /// The text every offset of the document points into.
    pub text: String,
    /// Its title, when the input gave one.
    pub title: Option<String>,
    /// Its URL, when the input gave one.
    pub url: Option<String>,
    /// Its publication date, when the input gave one.
    pub published: Option<String>,
    /// Where it came from: a path, `path:line`, or `-`.
    pub source: String,
    /// Tokens in text order, once [`crate::Tokenizer`] has run.
    pub tokens: Vec<Token>,
    /// Sentences in text order, once [`crate::Tokenizer`] has run.
    pub sentences: Vec<Sentence>,
    /// Entity spans, kept sorted by start and not overlapping.
    pub entities: Vec<EntitySpan>,
    /// Relations between entity spans, once a relation component has run.
    pub relations: Vec<RelationSpan>,
    /// Part-of-speech tags, parallel to `tokens` (one per token) once the `pos` component
    /// ([`crate::PosTagger`]) has run; empty otherwise.
    pub pos: Vec<PosTag>,
    /// Dependency arcs, parallel to `tokens` (one per token) once the parser has run;
    /// empty otherwise.
    pub deps: Vec<Dependency>,
    /// Word clusters (ids of the 64-, 256- and 1024-cluster columns of
    /// `data/clusters/`; [`NO_CLUSTER`] for a word the table lacks), parallel to `tokens`
    /// once a parser whose model holds a cluster table has run; empty otherwise. Later
    /// components generalise over words with them (the relation model).
    pub clusters: Vec<[u16; 3]>,
    /// Coreference chains with no named mention, once [`crate::Coreference`] has run
    /// (chains with one are entity spans sharing a canonical name).
    pub coref: Vec<Chain>,
    /// Mentions of several entities, once [`crate::Coreference`] has run; see [`Group`].
    pub groups: Vec<Group>,
    /// Bylines and photo credits, sorted and not overlapping, once [`crate::Credits`] has
    /// run: [`Doc::add_entities`] keeps every entity out of them.
    pub metadata: Vec<Metadata>,
}

/// [`Doc::add_entities`] for spans found in order of start: one merge pass instead of an
/// insertion per span (which made tagging a document with tens of thousands of names
/// quadratic). Same result: a span overlapping a present one or an earlier accepted one is
/// dropped.
fn merge_sorted(
    old: Vec<(Option<usize>, EntitySpan)>,
    found: Vec<EntitySpan>,
) -> Vec<(Option<usize>, EntitySpan)> {
    let mut out = Vec::with_capacity(old.len() + found.len());
    let mut old = old.into_iter().peekable();
    let mut last_end = 0;
    let mut any_accepted = false;
    for span in found {
        while let Some((_, e)) = old.peek() {
            if e.end > span.start {
                break;
            }
            out.push(old.next().unwrap());
        }
        let overlaps_old = old.peek().is_some_and(|(_, e)| e.start < span.end);
        let overlaps_found = any_accepted && last_end > span.start;
        if overlaps_old || overlaps_found {
            continue;
        }
        // Old spans starting before this one were moved above; it goes here, in order.
        last_end = span.end;
        any_accepted = true;
        out.push((None, span));
    }
    out.extend(old);
    out
}

impl Doc {
    /// A document with no annotation yet: `text`, its identifier and `source` (a path,
    /// `path:line`, or `-`); no title, URL or date.
    pub fn new(id: DocId, text: impl Into<String>, source: impl Into<String>) -> Doc {
        Doc {
            id,
            text: text.into(),
            title: None,
            url: None,
            published: None,
            source: source.into(),
            tokens: Vec::new(),
            sentences: Vec::new(),
            entities: Vec::new(),
            relations: Vec::new(),
            pos: Vec::new(),
            deps: Vec::new(),
            clusters: Vec::new(),
            coref: Vec::new(),
            groups: Vec::new(),
            metadata: Vec::new(),
        }
    }

    /// Whether a byte range overlaps a byline or credit ([`Doc::metadata`]).
    pub fn overlaps_metadata(&self, start: usize, end: usize) -> bool {
        let i = self.metadata.partition_point(|m| m.end <= start);
        self.metadata.get(i).is_some_and(|m| m.start < end)
    }

    /// Whether a byte range overlaps an entity span already on the document.
    pub fn overlaps_entity(&self, start: usize, end: usize) -> bool {
        let i = self.entities.partition_point(|e| e.end <= start);
        self.entities.get(i).is_some_and(|e| e.start < end)
    }

    /// Add entity spans from a later component: spans overlapping one already present (or
    /// an earlier one of `found`) are dropped, since earlier components win, and so are
    /// empty spans and spans in a byline or credit ([`Doc::metadata`]); `entities` stays
    /// sorted; relations keep pointing at the spans they named.
    pub fn add_entities(&mut self, mut found: Vec<EntitySpan>) {
        // A span covers at least one token: later layers index its last token.
        found.retain(|e| !e.tokens.is_empty());
        if !self.metadata.is_empty() {
            found.retain(|e| !self.overlaps_metadata(e.start, e.end));
        }
        if found.is_empty() {
            return;
        }
        let old = std::mem::take(&mut self.entities);
        let old_count = old.len();
        let mut all: Vec<(Option<usize>, EntitySpan)> = old
            .into_iter()
            .enumerate()
            .map(|(i, e)| (Some(i), e))
            .collect();
        all.sort_by_key(|(_, e)| e.start);
        if found.windows(2).all(|w| w[0].start <= w[1].start) {
            all = merge_sorted(all, found);
        } else {
            for span in found {
                let i = all.partition_point(|(_, e)| e.end <= span.start);
                if all.get(i).is_some_and(|(_, e)| e.start < span.end) {
                    continue;
                }
                all.insert(i, (None, span));
            }
        }
        let mut new_index = vec![0; old_count];
        for (position, (old_index, _)) in all.iter().enumerate() {
            if let Some(o) = old_index {
                new_index[*o] = position;
            }
        }
        for relation in &mut self.relations {
            relation.subject = new_index[relation.subject];
            relation.object = new_index[relation.object];
        }
        self.entities = all.into_iter().map(|(_, e)| e).collect();
    }

    /// The text of a token.
    pub fn token_text(&self, index: usize) -> &str {
        let t = &self.tokens[index];
        &self.text[t.start..t.end]
    }

    /// The text of an entity span as written.
    pub fn span_text(&self, span: &EntitySpan) -> &str {
        &self.text[span.start..span.end]
    }

    /// The name a span's entity goes by: its canonical name, else its text.
    pub fn entity_name(&self, span: &EntitySpan) -> String {
        span.canonical
            .clone()
            .unwrap_or_else(|| self.span_text(span).to_string())
    }

    /// The entity spans starting in a sentence, as a range of `Doc::entities` (spans are
    /// kept in order of start).
    pub fn entities_in(&self, sentence: &Sentence) -> Range<usize> {
        let first = self
            .entities
            .partition_point(|e| e.tokens.start < sentence.tokens.start);
        let last = self
            .entities
            .partition_point(|e| e.tokens.start < sentence.tokens.end);
        first..last
    }

    /// The sentence holding a token.
    pub fn sentence_of_token(&self, token: usize) -> usize {
        self.sentences
            .partition_point(|s| s.tokens.end <= token)
            .min(self.sentences.len().saturating_sub(1))
    }

    /// The dash ending a dateline at the start of a sentence ("WASHINGTON, April 23 — ...",
    /// "NEW DELHI (Reuters) - ..."): a token index, when the sentence opens with a word in
    /// capitals and a dash follows within ten tokens. A dateline says where a story was
    /// filed; it is not part of the sentence's syntax.
    pub fn dateline_dash(&self, sentence: usize) -> Option<usize> {
        let range = self.sentences.get(sentence)?.tokens.clone();
        let first = self.token_text(range.start);
        let shouted = first.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && !first.chars().any(char::is_lowercase);
        if !shouted {
            return None;
        }
        range
            .take(10)
            .skip(1)
            .find(|&t| matches!(self.token_text(t), "—" | "–" | "-" | "--"))
    }

    /// What the graph records about this document.
    pub fn info(&self) -> DocumentInfo {
        DocumentInfo {
            id: self.id.clone(),
            title: self.title.clone(),
            url: self.url.clone(),
            published: self.published.clone(),
            source: self.source.clone(),
            chars: self.text.chars().count() as u32,
            sentences: self.sentences.len() as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, kind: EntityType) -> EntitySpan {
        EntitySpan {
            tokens: start..end,
            start,
            end,
            kind,
            confidence: 1.0,
            source: "test",
            canonical: None,
            resolved_by: None,
            external_ids: BTreeMap::new(),
        }
    }

    #[test]
    fn empty_spans_are_never_added() {
        let mut doc = Doc::new(DocId("d".into()), "Ann Lee spoke.", "-");
        doc.add_entities(vec![
            span(0, 2, EntityType::Person),
            span(2, 2, EntityType::Location),
        ]);
        assert_eq!(doc.entities.len(), 1);
        assert_eq!(doc.entities[0].tokens, 0..2);
    }

    #[test]
    fn datelines_end_at_their_dash() {
        let analysed = |text: &str| {
            let mut doc = Doc::new(DocId("d".into()), text, "-");
            crate::Component::process(&crate::Tokenizer, &mut doc);
            doc
        };
        let doc = analysed("WASHINGTON, April 23 — Rubio spoke with Dar.");
        assert_eq!(doc.dateline_dash(0).map(|t| doc.token_text(t)), Some("—"));
        let doc = analysed("NEW DELHI (Reuters) - India said no.");
        assert_eq!(doc.dateline_dash(0).map(|t| doc.token_text(t)), Some("-"));
        // Not a dateline: no capitals, or the dash comes late.
        assert_eq!(
            analysed("Rubio — the secretary — spoke.").dateline_dash(0),
            None
        );
        assert_eq!(
            analysed("UN officials met in Geneva on Monday and Tuesday and then — later — left.")
                .dateline_dash(0),
            None
        );
    }

    /// The merge pass gives what inserting span by span gives, on pseudo-random spans.
    #[test]
    fn merging_sorted_spans_equals_inserting_them() {
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for _ in 0..200 {
            let mut doc = Doc::new(DocId("d".into()), "x".repeat(200), "-");
            let mut present = Vec::new();
            let mut at = 0;
            while at < 190 {
                at += next(12);
                let len = 1 + next(4);
                present.push(span(at, at + len, EntityType::Country));
                at += len;
            }
            doc.add_entities(present);
            doc.relations.push(RelationSpan {
                subject: 0,
                object: doc.entities.len() - 1,
                predicate: "p".into(),
                class: None,
                polarity: Polarity::Affirmed,
                modality: Modality::Asserted,
                confidence: 1.0,
                sentence: 0,
            });
            let mut found: Vec<EntitySpan> = (0..30)
                .map(|_| {
                    let s = next(195);
                    span(s, s + 1 + next(5), EntityType::Person)
                })
                .collect();
            found.sort_by_key(|e| e.start);
            let mut merged = doc.clone();
            merged.add_entities(found.clone());
            // The insertion path, forced by an unsorted first element that overlaps nothing.
            let mut inserted = doc.clone();
            let mut unsorted = vec![span(400, 401, EntityType::Other)];
            unsorted.extend(found);
            inserted.text = "x".repeat(500);
            inserted.add_entities(unsorted);
            inserted.entities.pop();
            assert_eq!(merged.entities, inserted.entities);
            assert_eq!(merged.relations, inserted.relations);
        }
    }
}
