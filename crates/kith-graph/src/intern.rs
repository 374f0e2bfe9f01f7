//! Sharing equal strings of a graph (document ids, mention texts, evidence sentences) so
//! that memory grows with what is distinct, not with how often it recurs: a 1M-document
//! graph repeats "India" and each document id tens of times.

use crate::model::{Entity, KnowledgeGraph, Relation};
use kith_schema::ArcStr;
use kith_schema::{DocId, DocumentFacts, DocumentInfo};
use std::collections::{BTreeMap, HashSet};

/// A set of shared strings. It is a cache, not content: two graphs with equal facts are
/// equal whatever their interners hold, and nothing iterates it on an output path.
#[derive(Clone, Debug, Default)]
pub(crate) struct Interner(HashSet<ArcStr>);

impl PartialEq for Interner {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Interner {
    /// The shared copy of `text`, adopting this one when it is new.
    pub(crate) fn share(&mut self, text: &ArcStr) -> ArcStr {
        match self.0.get(text) {
            Some(shared) => shared.clone(),
            None => {
                self.0.insert(text.clone());
                text.clone()
            }
        }
    }
}

/// Points every copy of the document's id and every repeated sentence at one allocation,
/// and mention texts at the graph's shared copies.
pub(crate) fn share_document_strings(facts: &mut DocumentFacts, texts: &mut Interner) {
    let doc = facts.document.id.clone();
    let mut sentences = Interner::default();
    for sentence in &mut facts.sentences {
        sentence.text = sentences.share(&sentence.text);
    }
    for entity in &mut facts.entities {
        for mention in &mut entity.mentions {
            share_doc(&mut mention.doc, &doc);
            mention.text = texts.share(&mention.text);
        }
    }
    for relation in &mut facts.relations {
        share_doc(&mut relation.evidence.doc, &doc);
        relation.evidence.sentence_text = sentences.share(&relation.evidence.sentence_text);
    }
}

fn share_doc(id: &mut DocId, shared: &DocId) {
    if *id == *shared {
        *id = shared.clone();
    }
}

/// The documents table's copy of a document id, where the table has it.
fn table_copy(documents: &BTreeMap<DocId, DocumentInfo>, id: &mut DocId) {
    if let Some((key, _)) = documents.get_key_value(id) {
        *id = key.clone();
    }
}

impl KnowledgeGraph {
    /// Share the strings of entities and relations about to join the graph (read from a
    /// file or from another graph) with the graph's documents table and texts.
    pub(crate) fn share_strings<'a>(
        &mut self,
        entities: impl Iterator<Item = &'a mut Entity>,
        relations: impl Iterator<Item = &'a mut Relation>,
    ) {
        let documents = &self.documents;
        let texts = &mut self.texts;
        for entity in entities {
            entity.mentions.rewrite(|m| {
                table_copy(documents, &mut m.doc);
                m.text = texts.share(&m.text);
            });
        }
        let mut sentences = Interner::default();
        for relation in relations {
            relation.evidence.rewrite(|e| {
                table_copy(documents, &mut e.doc);
                e.sentence_text = sentences.share(&e.sentence_text);
            });
        }
    }
}
