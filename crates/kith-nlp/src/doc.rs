use kith_schema::{
    DocId, DocumentInfo, EntityType, Modality, Polarity, RelationClass, ResolvedBy,
};
use std::collections::BTreeMap;
use std::ops::Range;

/// What a token is, as far as the tokenizer can tell without a model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
    Url,
    Email,
    /// `@handle`
    Handle,
    /// `#hashtag`
    Hashtag,
    Symbol,
}

/// A token: byte range `[start, end)` of `Doc::text`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

/// A sentence: its byte range and the tokens it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub tokens: Range<usize>,
}

/// A typed span of tokens naming an entity.
#[derive(Clone, Debug, PartialEq)]
pub struct EntitySpan {
    /// Token range within `Doc::tokens`.
    pub tokens: Range<usize>,
    /// Byte range within `Doc::text` (from the first token's start to the last token's end).
    pub start: usize,
    pub end: usize,
    pub kind: EntityType,
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
    pub predicate: String,
    pub class: Option<RelationClass>,
    pub polarity: Polarity,
    pub modality: Modality,
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
    pub person: ChainPerson,
    /// Token ranges within `Doc::tokens`, in document order.
    pub mentions: Vec<Range<usize>>,
}

/// A document and its annotations.
#[derive(Clone, Debug)]
pub struct Doc {
    pub id: DocId,
    pub text: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    /// Where it came from: a path, `path:line`, or `-`.
    pub source: String,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    /// Entity spans, kept sorted by start and not overlapping.
    pub entities: Vec<EntitySpan>,
    pub relations: Vec<RelationSpan>,
    /// Part-of-speech tags, parallel to `tokens` (one per token) once the `pos` component
    /// ([`crate::PosTagger`]) has run; empty otherwise.
    pub pos: Vec<crate::pos::PosTag>,
    /// Dependency arcs, parallel to `tokens` (one per token) once the parser has run;
    /// empty otherwise.
    pub deps: Vec<Dependency>,
    /// Coreference chains with no named mention, once [`crate::Coreference`] has run
    /// (chains with one are entity spans sharing a canonical name).
    pub coref: Vec<Chain>,
}

impl Doc {
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
            coref: Vec::new(),
        }
    }

    /// Whether a byte range overlaps an entity span already on the document.
    pub fn overlaps_entity(&self, start: usize, end: usize) -> bool {
        let i = self.entities.partition_point(|e| e.end <= start);
        self.entities.get(i).is_some_and(|e| e.start < end)
    }

    /// Add entity spans from a later component: spans overlapping one already present (or
    /// an earlier one of `found`) are dropped, since earlier components win; `entities`
    /// stays sorted; relations keep pointing at the spans they named.
    pub fn add_entities(&mut self, found: Vec<EntitySpan>) {
        if found.is_empty() {
            return;
        }
        let old = std::mem::take(&mut self.entities);
        let old_count = old.len();
        let mut all: Vec<(Option<usize>, EntitySpan)> =
            old.into_iter().enumerate().map(|(i, e)| (Some(i), e)).collect();
        all.sort_by_key(|(_, e)| e.start);
        for span in found {
            let i = all.partition_point(|(_, e)| e.end <= span.start);
            if all.get(i).is_some_and(|(_, e)| e.start < span.end) {
                continue;
            }
            all.insert(i, (None, span));
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

    /// The sentence holding a token.
    pub fn sentence_of_token(&self, token: usize) -> usize {
        self.sentences
            .partition_point(|s| s.tokens.end <= token)
            .min(self.sentences.len().saturating_sub(1))
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
