//! The gazetteer on tagged documents (countries, variants, demonyms, roles, case rules,
//! block phrases, spans already there) and its data files.

use super::component::{COUNTRY_CONFIDENCE, DEMONYM_CONFIDENCE, ROLE_CONFIDENCE};
use super::data::{
    plural_of_role, title_case, ALPHA2_ID, ALPHA3_ID, COUNTRIES_TSV, COUNTRY_VARIANTS_TSV,
    ROLES_TSV,
};
use super::*;
use crate::{Component, Doc, EntitySpan, Sentence, Token};
use kith_schema::{DocId, EntityType};
use std::collections::BTreeMap;

fn tokenize(text: &str) -> Vec<Token> {
    crate::tokenize(text)
}

/// A doc tokenized, split into sentences and tagged.
fn tagged(text: &str) -> Doc {
    let mut doc = Doc::new(DocId::from_content(text), text, "-");
    doc.tokens = tokenize(text);
    doc.sentences = crate::split_sentences(text, &doc.tokens);
    GazetteerTagger::new().process(&mut doc);
    doc
}

/// (text, kind, canonical, alpha2) of each span.
fn spans(doc: &Doc) -> Vec<(String, EntityType, String, String)> {
    doc.entities
        .iter()
        .map(|e| {
            (
                doc.span_text(e).to_string(),
                e.kind,
                e.canonical.clone().unwrap_or_default(),
                e.external_ids.get(ALPHA2_ID).cloned().unwrap_or_default(),
            )
        })
        .collect()
}

fn alpha2s(doc: &Doc) -> Vec<String> {
    spans(doc)
        .into_iter()
        .filter(|s| s.1 == EntityType::Country)
        .map(|s| s.3)
        .collect()
}

#[test]
fn us_variants_all_mean_the_united_states() {
    let text = "The US and the U.S. economy, the USA team, the United States Senate, \
                America and an American diplomat met the United States of America envoy.";
    let doc = tagged(text);
    let countries: Vec<_> = spans(&doc)
        .into_iter()
        .filter(|s| s.1 == EntityType::Country)
        .collect();
    let texts: Vec<&str> = countries.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(
        texts,
        [
            "US",
            "U.S.",
            "USA",
            "United States",
            "America",
            "American",
            "United States of America"
        ]
    );
    for (text, _, canonical, alpha2) in &countries {
        assert_eq!(alpha2, "US", "{text}");
        assert_eq!(canonical, "United States", "{text}");
    }
    let american = doc
        .entities
        .iter()
        .find(|e| doc.span_text(e) == "American")
        .unwrap();
    assert_eq!(american.confidence, DEMONYM_CONFIDENCE);
    assert_eq!(
        american.external_ids.get(ALPHA3_ID).map(String::as_str),
        Some("USA")
    );
    let us = doc
        .entities
        .iter()
        .find(|e| doc.span_text(e) == "US")
        .unwrap();
    assert_eq!(us.confidence, COUNTRY_CONFIDENCE);
    assert_eq!(us.source, "gazetteer");
}

#[test]
fn uk_britain_and_british_mean_gb() {
    let doc = tagged("The UK, Britain, Great Britain and the U.K. sent British troops; the United Kingdom agreed.");
    assert_eq!(alpha2s(&doc), ["GB", "GB", "GB", "GB", "GB", "GB"]);
    assert!(spans(&doc)
        .iter()
        .all(|s| s.1 != EntityType::Country || s.2 == "United Kingdom"));
    let texts: Vec<String> = spans(&doc).into_iter().map(|s| s.0).collect();
    assert!(texts.contains(&"Great Britain".to_string()), "{texts:?}");
}

#[test]
fn demonyms_and_possessives() {
    let doc = tagged("Indian officials rejected Pakistan's claim, and Indians celebrated.");
    assert_eq!(
        spans(&doc),
        [
            (
                "Indian".into(),
                EntityType::Country,
                "India".into(),
                "IN".into()
            ),
            (
                "Pakistan".into(),
                EntityType::Country,
                "Pakistan".into(),
                "PK".into()
            ),
            (
                "Indians".into(),
                EntityType::Country,
                "India".into(),
                "IN".into()
            ),
        ]
    );
    let pakistan = &doc.entities[1];
    assert_eq!(pakistan.confidence, COUNTRY_CONFIDENCE);
    assert_eq!(
        pakistan.external_ids.get(ALPHA3_ID).map(String::as_str),
        Some("PAK")
    );
    assert_eq!(&doc.text[pakistan.end..pakistan.end + 2], "'s");
}

#[test]
fn lower_case_in_and_us_never_match() {
    let doc = tagged("He told us in a statement that in turn us and them were in talks in india.");
    assert!(doc.entities.is_empty(), "{:?}", spans(&doc));
    let g = Gazetteer::builtin();
    for word in [
        "in", "us", "In", "Us", "uk", "usa", "u.s.", "india", "america", "american",
    ] {
        assert!(g.lookup_country(word).is_none(), "{word} matched");
    }
    assert_eq!(g.lookup_country("US").unwrap().alpha2, "US");
    assert_eq!(g.lookup_country("IN").unwrap().name, "India");
    assert_eq!(g.lookup_country("IND").unwrap().name, "India");
    assert_eq!(g.lookup_country("INDIA").unwrap().alpha2, "IN");
}

#[test]
fn foreign_ministers_of_india_and_pakistan() {
    let doc = tagged("The foreign ministers of India and Pakistan met in Geneva.");
    assert_eq!(
        spans(&doc),
        [
            (
                "foreign ministers".into(),
                EntityType::Role,
                "Foreign Minister".into(),
                String::new()
            ),
            (
                "India".into(),
                EntityType::Country,
                "India".into(),
                "IN".into()
            ),
            (
                "Pakistan".into(),
                EntityType::Country,
                "Pakistan".into(),
                "PK".into()
            ),
        ]
    );
    assert_eq!(doc.entities[0].confidence, ROLE_CONFIDENCE);
    assert_eq!(doc.entities[0].tokens.len(), 2);
}

#[test]
fn roles_longest_match_plurals_and_capital_rule() {
    let doc = tagged(
        "The Secretary of State, two national security advisers, the army chief and General Munir spoke; \
         in general the spokesmen agreed with the CEO.",
    );
    let roles: Vec<(String, String)> = spans(&doc)
        .into_iter()
        .filter(|s| s.1 == EntityType::Role)
        .map(|s| (s.0, s.2))
        .collect();
    let expected = [
        ("Secretary of State", "Secretary of State"),
        ("national security advisers", "National Security Adviser"),
        ("army chief", "Army Chief"),
        ("General", "General"),
        ("spokesmen", "Spokesman"),
        ("CEO", "CEO"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(roles, expected);
    let g = Gazetteer::builtin();
    assert_eq!(
        g.lookup_role("Chiefs of Army Staff").unwrap().role,
        "chief of army staff"
    );
    assert_eq!(
        g.lookup_role("secretaries of state").unwrap().canonical,
        "Secretary of State"
    );
    assert!(g.lookup_role("general").is_none());
    assert!(g.lookup_role("ceo").is_none(), "all-caps forms are exact");
    assert!(g.roles().len() >= 60);
}

#[test]
fn block_phrases_and_longest_country_names() {
    let doc = tagged(
        "Ships crossed the Indian Ocean to South America, then Papua New Guinea and New Mexico.",
    );
    assert_eq!(alpha2s(&doc), ["PG"]);
    let doc =
        tagged("Bosnia and Herzegovina and the Czech Republic met North Korea and Ivory Coast.");
    assert_eq!(alpha2s(&doc), ["BA", "CZ", "KP", "CI"]);
}

#[test]
fn existing_spans_are_kept_and_not_overlapped() {
    let text = "Jordan Peterson visited Jordan and India.";
    let mut doc = Doc::new(DocId::from_content(text), text, "-");
    doc.tokens = tokenize(text);
    doc.sentences = vec![Sentence {
        start: 0,
        end: text.len(),
        tokens: 0..doc.tokens.len(),
    }];
    let india = doc
        .tokens
        .iter()
        .position(|t| &text[t.start..t.end] == "India")
        .unwrap();
    let person = EntitySpan {
        tokens: 0..2,
        start: 0,
        end: "Jordan Peterson".len(),
        kind: EntityType::Person,
        confidence: 0.8,
        source: "test",
        canonical: None,
        external_ids: BTreeMap::new(),
        resolved_by: None,
    };
    let later = EntitySpan {
        tokens: india..india + 1,
        start: doc.tokens[india].start,
        end: doc.tokens[india].end,
        kind: EntityType::Location,
        source: "test",
        ..person.clone()
    };
    doc.entities = vec![person, later];
    doc.relations.push(crate::RelationSpan {
        subject: 0,
        object: 1,
        predicate: "visit".into(),
        class: None,
        polarity: kith_schema::Polarity::Affirmed,
        modality: kith_schema::Modality::Asserted,
        confidence: 0.5,
        sentence: 0,
    });
    GazetteerTagger::new().process(&mut doc);
    let kinds: Vec<(String, EntityType)> = doc
        .entities
        .iter()
        .map(|e| (doc.span_text(e).to_string(), e.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Jordan Peterson".to_string(), EntityType::Person),
            ("Jordan".to_string(), EntityType::Country),
            ("India".to_string(), EntityType::Location),
        ]
    );
    assert!(doc.entities.windows(2).all(|w| w[0].end <= w[1].start));
    assert_eq!((doc.relations[0].subject, doc.relations[0].object), (0, 2));
}

#[test]
fn runs_in_a_pipeline_after_the_tokenizer() {
    let pipeline = crate::Pipeline::new()
        .with(crate::Tokenizer)
        .with(GazetteerTagger::new());
    assert_eq!(pipeline.component_names(), ["tokenizer", "gazetteer"]);
    let text = "The U.S. ambassador met Iran's foreign minister. Britain said nothing.";
    let mut doc = Doc::new(DocId::from_content(text), text, "-");
    pipeline.run(&mut doc);
    let got: Vec<(String, String)> = spans(&doc).into_iter().map(|s| (s.0, s.2)).collect();
    let want = [
        ("U.S.", "United States"),
        ("ambassador", "Ambassador"),
        ("Iran", "Iran"),
        ("foreign minister", "Foreign Minister"),
        ("Britain", "United Kingdom"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn tagging_is_deterministic() {
    let text =
        "US Secretary of State met Indian and Pakistani foreign ministers; the UAE envoy and \
                Britain's defence secretary joined. Russia's president spoke to Vietnam.";
    let first = tagged(text).entities;
    for _ in 0..3 {
        assert_eq!(tagged(text).entities, first);
    }
    let g = Gazetteer::from_tsv(COUNTRIES_TSV, COUNTRY_VARIANTS_TSV, ROLES_TSV).unwrap();
    assert_eq!(g.countries(), Gazetteer::builtin().countries());
    assert_eq!(g.max_tokens(), Gazetteer::builtin().max_tokens());
}

#[test]
fn countries_tsv_is_complete() {
    let rows: Vec<Vec<&str>> = COUNTRIES_TSV
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("alpha2\t"))
        .map(|l| l.split('\t').collect())
        .collect();
    assert!(COUNTRIES_TSV.starts_with(
        "# generated by cargo run -p kith-nlp --example generate_gazetteer from keshvar "
    ));
    assert!(rows.len() >= 240, "{} rows", rows.len());
    assert!(rows.iter().all(|r| r.len() == 7));
    let codes: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[0]).collect();
    assert_eq!(codes.len(), rows.len(), "alpha2 codes are unique");
    let sorted: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    assert!(
        sorted.windows(2).all(|w| w[0] < w[1]),
        "rows are sorted by alpha2"
    );
    let row = |code: &str| {
        rows.iter()
            .find(|r| r[0] == code)
            .unwrap_or_else(|| panic!("no {code} row"))
    };
    assert_eq!(row("IN")[1..4], ["IND", "356", "India"]);
    assert_eq!(row("PK")[1..4], ["PAK", "586", "Pakistan"]);
    assert_eq!(row("US")[1..4], ["USA", "840", "United States"]);
    assert_eq!(row("GB")[1..4], ["GBR", "826", "United Kingdom"]);
    assert!(row("IN")[6].split('|').any(|d| d == "Indian"));
    assert!(row("PK")[6].split('|').any(|d| d == "Pakistanis"));
    let g = Gazetteer::builtin();
    assert_eq!(g.countries().len(), rows.len());
    assert_eq!(g.country_by_code("GBR").unwrap().alpha2, "GB");
}

#[test]
fn data_helpers() {
    assert_eq!(title_case("secretary of state"), "Secretary of State");
    assert_eq!(title_case("CEO"), "CEO");
    assert_eq!(
        plural_of_role("chief of army staff").unwrap(),
        "chiefs of army staff"
    );
    assert_eq!(
        plural_of_role("press secretary").unwrap(),
        "press secretaries"
    );
    assert_eq!(plural_of_role("chairwoman").unwrap(), "chairwomen");
    assert_eq!(plural_of_role("envoy").unwrap(), "envoys");
    assert!(Gazetteer::from_tsv("XX\tYYY\t1\tName\n", "", "").is_err());
    let err = Gazetteer::from_tsv(COUNTRIES_TSV, "Foo\tZZ\tname\n", ROLES_TSV).unwrap_err();
    assert_eq!(err.line, 1);
}
