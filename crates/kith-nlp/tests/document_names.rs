//! Document-level consistency of names: a lone surname is the person the document names in
//! full, whatever a statistical tagger made of it (typed it a place, or left it out).

use kith_nlp::{
    Component, Coreference, Doc, EntitySpan, GazetteerTagger, NameTagger, Pipeline, RelationRules,
    Tokenizer,
};
use kith_schema::{DocId, EntityType};
use std::collections::BTreeMap;

/// Stands in for a model that knows the full name "Chidi Okonkwo" as a person but takes
/// the surname alone, after a verb, for a place, and misses it where it opens a sentence.
struct Model;

impl Component for Model {
    fn name(&self) -> &'static str {
        "model"
    }
    fn process(&self, doc: &mut Doc) {
        let mut found = Vec::new();
        let span = |tokens: std::ops::Range<usize>, kind: EntityType, doc: &Doc| EntitySpan {
            start: doc.tokens[tokens.start].start,
            end: doc.tokens[tokens.end - 1].end,
            tokens,
            kind,
            confidence: 0.9,
            source: "model",
            canonical: None,
            external_ids: BTreeMap::new(),
            resolved_by: None,
        };
        for i in 0..doc.tokens.len() {
            if doc.token_text(i) == "Chidi" {
                found.push(span(i..i + 2, EntityType::Person, doc));
            } else if doc.token_text(i) == "Okonkwo" && i > 0 && doc.token_text(i - 1) == "asked" {
                found.push(span(i..i + 1, EntityType::Location, doc));
            }
        }
        doc.add_entities(found);
    }
}

/// (text, type, canonical name) of a span.
type Span = (String, EntityType, String);
/// (subject, predicate, object) of a relation.
type Fact = (String, String, String);

fn facts(text: &str) -> (Vec<Span>, Vec<Fact>) {
    let pipeline = Pipeline::new()
        .with(Tokenizer)
        .with(GazetteerTagger::default())
        .with(Model)
        .with(NameTagger)
        .with(Coreference)
        .with(RelationRules);
    let mut doc = Doc::new(DocId::from_content(text), text, "test");
    let facts = pipeline.extract(&mut doc);
    let spans = doc
        .entities
        .iter()
        .map(|e| {
            (
                doc.span_text(e).to_string(),
                e.kind,
                e.canonical.clone().unwrap_or_default(),
            )
        })
        .collect();
    let name = |i: usize| facts.entities[i].name.clone();
    let relations = facts
        .relations
        .iter()
        .map(|r| (name(r.subject), r.predicate.clone(), name(r.object)))
        .collect();
    (spans, relations)
}

#[test]
fn a_lone_surname_opening_a_sentence_is_the_person_named_in_full() {
    let (spans, relations) =
        facts("Chidi Okonkwo met Amara Eze in Abuja. Okonkwo told Eze that talks would resume.");
    assert!(
        spans.contains(&("Okonkwo".into(), EntityType::Person, "Chidi Okonkwo".into())),
        "{spans:?}"
    );
    assert!(
        relations.contains(&("Chidi Okonkwo".into(), "tell".into(), "Amara Eze".into())),
        "{relations:?}"
    );
}

#[test]
fn a_surname_a_model_calls_a_place_is_the_person() {
    let (spans, relations) =
        facts("Chidi Okonkwo met Amara Eze in Abuja. Eze asked Okonkwo about the border.");
    assert!(
        spans.contains(&("Okonkwo".into(), EntityType::Person, "Chidi Okonkwo".into())),
        "{spans:?}"
    );
    assert!(
        relations.contains(&("Amara Eze".into(), "ask".into(), "Chidi Okonkwo".into())),
        "{relations:?}"
    );
}

#[test]
fn a_lone_word_no_full_name_explains_stays_out() {
    // "Meanwhile"-like capitalised openers and unknown lone words are not names.
    let (spans, _) = facts("Chidi Okonkwo met Amara Eze in Abuja. Rainfall delayed the talks.");
    assert!(!spans.iter().any(|(t, ..)| t == "Rainfall"), "{spans:?}");
}
