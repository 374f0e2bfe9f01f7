//! Titles outrank a statistical tagger's guess: a name right after a role is a person.

use kith_nlp::{Component, Doc, EntitySpan, GazetteerTagger, NameTagger, Pipeline, Tokenizer};
use kith_schema::{DocId, EntityType};
use std::collections::BTreeMap;

/// Stands in for a model that mistakes every two-word capitalised name for a place.
struct PlaceGuesser;

impl Component for PlaceGuesser {
    fn name(&self) -> &'static str {
        "place-guesser"
    }
    fn process(&self, doc: &mut Doc) {
        let mut found = Vec::new();
        for i in 1..doc.tokens.len() {
            if ["Yalda", "Ravi"].contains(&doc.token_text(i - 1)) {
                found.push(EntitySpan {
                    tokens: i - 1..i + 1,
                    start: doc.tokens[i - 1].start,
                    end: doc.tokens[i].end,
                    kind: EntityType::Location,
                    confidence: 0.9,
                    source: "place-guesser",
                    canonical: None,
                    external_ids: BTreeMap::new(),
                    resolved_by: None,
                });
            }
        }
        doc.add_entities(found);
    }
}

fn kinds(text: &str) -> Vec<(String, EntityType)> {
    let pipeline = Pipeline::new()
        .with(Tokenizer)
        .with(GazetteerTagger::default())
        .with(PlaceGuesser)
        .with(NameTagger);
    let mut doc = Doc::new(DocId::from_content(text), text, "test");
    pipeline.run(&mut doc);
    doc.entities
        .iter()
        .map(|e| (doc.span_text(e).to_string(), e.kind))
        .collect()
}

#[test]
fn a_name_after_a_title_or_honorific_is_a_person() {
    let found =
        kinds("She spoke with Sky News anchor Yalda Hakim on Friday. Later Dr. Ravi Rao left.");
    assert!(
        found.contains(&("Yalda Hakim".to_string(), EntityType::Person)),
        "{found:?}"
    );
    assert!(
        found.contains(&("Ravi Rao".to_string(), EntityType::Person)),
        "{found:?}"
    );
}

#[test]
fn a_place_without_a_title_stays_a_place() {
    let found = kinds("Flooding hit Yalda Valley on Friday.");
    assert!(
        found.contains(&("Yalda Valley".to_string(), EntityType::Location)),
        "{found:?}"
    );
}
