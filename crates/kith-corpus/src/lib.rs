//! Readers of annotated data sets and standard scoring, used by `kith train` and `kith eval`
//! (coreference: [`coref`], MUC / B³ / CEAF-e on GUM's entity clusters; sentence
//! boundaries: [`sentences`], on EWT's and GUM's documents).
//!
//! Every NER reader returns [`TaggedDocument`]s whose tags are Kith entity types in BIO:
//! `B-Person`, `I-Organization`, `B-Location`, `B-Event`, `B-Other`, `O`. Source tags are
//! first read into chunks with the conlleval rules (so IOB1, BIO and BILOU/BIOES input all
//! work: a `B-`/`S-` tag, or an `I-`/`E-` tag after `O` or after another type, starts a
//! chunk), each chunk's type is mapped, and the result is written back as BIO. The POS
//! reader returns [`PosSentence`]s (words, UPOS, Penn XPOS); the tree reader
//! ([`read_conllu_trees`]) returns [`DepSentence`]s (words, tags, heads, UD relations).
//!
//! A malformed line is a [`CorpusError`] naming `file:line` and the reason; readers never
//! panic on input.
//!
//! # Label mapping
//!
//! | data set | source label | Kith type |
//! |---|---|---|
//! | CoNLL-2003 (IOB1) | PER / ORG / LOC / MISC | Person / Organization / Location / Other |
//! | wikigold (IOB1) | PER / ORG / LOC | Person / Organization / Location |
//! | | MISC naming an event ([`misc_is_event`]: *World War II*, *Stanley Cup*) | Event |
//! | | other MISC | Other |
//! | BTC, WikiANN (BIO) | PER / ORG / LOC | Person / Organization / Location |
//! | WNUT-17 (BIO) | person / location | Person / Location |
//! | | corporation, group | Organization |
//! | | product, creative-work | Other |
//! | GUM (`Entity=` in MISC) | person / organization / place / event | Person / Organization / Location / Event |
//! | | abstract, object, time, substance, plant, animal | O (not tagged) |
//!
//! For evaluation on CoNLL-2003, [`to_conll_type`] maps back: Person→PER,
//! Organization→ORG, Location→LOC, Other and Event→MISC.
//!
//! # GUM: which mentions are names
//!
//! GUM annotates every referring expression (pronouns and common noun phrases too), nested.
//! Only *named* mentions become NER spans (see [`gum`]):
//!
//! 1. the mention's type is person, organization, place or event;
//! 2. its syntactic head (the first token of the mention whose head lies outside it) is a
//!    proper noun: UPOS `PROPN` or XPOS `NNP`/`NNPS` (GUM tags *United* in *United
//!    Kingdom* as VERB/NNP);
//! 3. the span is the run of proper-noun tokens around the head, joined across at most two
//!    connectors (`of`, `the`, `and`, `&`, `-`, `.`, `'`, `de`, ...) that stand between
//!    proper nouns, plus numbers right after a proper noun (*Apollo 11*); an event's
//!    span also keeps the year or edition before or inside it and the proper nouns
//!    before that (*the 2022 FIFA World Cup*, *the 33rd Berlin International Film
//!    Festival*, *the London 2012 Olympics*: one edition is another event). Determiners,
//!    possessive *'s*, appositions after a comma and modifiers outside the run are left out
//!    (*the UK* → *UK*; *Durham University, United Kingdom* → *Durham University* and,
//!    from the nested mention, *United Kingdom*), as in CoNLL-style annotation;
//! 4. overlaps: larger mentions first; a span overlapping one already taken is dropped.
//!
//! Wikidata identities are not required (many named people in GUM have none) and not
//! sufficient (pronouns carry their antecedent's identity).
//!
//! # GUM genres and licences
//!
//! [`gum::genre_licence`] splits GUM by the genre in the file name (`GUM_<genre>_...`):
//! news, interview, academic, bio, voyage and court texts are CC-BY / CC-BY-SA
//! ([`GumLicence::Permissive`]); reddit word forms are masked as `_`
//! ([`GumLicence::Masked`], always excluded); every other genre (fiction, whow, essay,
//! letter, podcast, and those the data README does not list: conversation, speech,
//! textbook, vlog) counts as [`GumLicence::NonCommercial`].

#![warn(missing_docs)]

mod conll;
pub mod conll04;
pub mod coref;
pub mod crossre;
mod deps;
pub mod ecbplus;
mod error;
pub mod fewrel;
pub mod gum;
pub mod identity;
pub mod knowledgenet;
pub mod re3d;
pub mod redocred;
pub mod relation_data;
mod score;
pub mod sentences;

pub use conll::{
    chunks, conll_to_kith, misc_is_event, read_btc, read_conll2003, read_conll_ner, read_conll_raw,
    read_conllu_pos, read_wikiann, read_wikiann_raw, read_wikigold, read_wnut17, spans_to_bio,
    to_conll_type, wnut_to_kith, Chunk, LabelMap,
};
pub use conll04::{
    read_conll04, to_conll04_entity, to_conll04_relation, Re04Entity, Re04Relation, Re04Sentence,
    RelationScores, CONLL04_ENTITIES, CONLL04_RELATIONS,
};
pub use coref::{
    read_gum_coref, CorefDocument, CorefScores, CorefToken, GoldMention, Ratio, Singletons,
};
pub use deps::{read_conllu_trees, DepScores};
pub use ecbplus::{
    read_ecbplus, EcbDocument, EcbMention, EcbSplit, MentionClass, ECBPLUS_DEV_TOPICS,
};
pub use error::CorpusError;
pub use gum::{genre_licence, gum_files, read_gum_ner, GumFilter, GumLicence};
pub use identity::{cluster_errors, score_clusters, ClusterPrf, ClusterScores};
pub use kith_nlp::train::DepSentence;
pub use kith_nlp::train::PosSentence;
/// The NER data types are kith-nlp's (what `NerModel::train` takes).
pub use kith_nlp::train::{TaggedDocument, TaggedSentence};
pub use score::{score_entities, score_pos, EntityScores, PosScores, Prf};
pub use sentences::{
    kith_sentences, read_conllu_sentences, BoundaryError, SentenceDocument, SentenceScores,
};

/// The data sets with a reader, by name (as used in training configs).
pub const NER_FORMATS: &[&str] = &["conll2003", "wikigold", "btc", "wnut17", "wikiann", "gum"];

/// Reads one NER file in the named format (one of [`NER_FORMATS`]); for `gum`, a
/// CoNLL-U file with `Entity=` annotations.
pub fn read_ner(format: &str, path: &std::path::Path) -> Result<Vec<TaggedDocument>, CorpusError> {
    match format {
        "conll2003" => read_conll2003(path),
        "wikigold" => read_wikigold(path),
        "btc" => read_btc(path),
        "wnut17" => read_wnut17(path),
        "wikiann" => read_wikiann(path),
        "gum" => read_gum_ner(path),
        "conll04" => conll04::read_conll04_ner(path),
        other => Err(CorpusError::UnknownFormat(other.to_string())),
    }
}
