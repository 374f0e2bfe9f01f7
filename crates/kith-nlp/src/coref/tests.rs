//! Coreference on documents run through the rule pipeline: each rule family, the chains
//! without a name, the relations resolved mentions give, and run-on input.

use super::pronouns::WINDOW;
use super::sweep::UNNAMED_GAP;
use super::*;
use crate::{default_pipeline, ChainPerson, Component};
use kith_schema::DocId;

/// Runs the rule pipeline (which includes coreference) and returns every span as
/// (text, kind, entity name, rule).
fn spans(text: &str) -> Vec<(String, EntityType, String, Option<ResolvedBy>)> {
    let mut doc = Doc::new(DocId("t".into()), text, "test");
    default_pipeline().run(&mut doc);
    doc.entities
        .iter()
        .map(|e| {
            (
                doc.span_text(e).to_string(),
                e.kind,
                doc.entity_name(e),
                e.resolved_by,
            )
        })
        .collect()
}

fn resolved<'a>(
    found: &'a [(String, EntityType, String, Option<ResolvedBy>)],
    text: &str,
) -> Vec<&'a str> {
    found
        .iter()
        .filter(|(t, ..)| t == text)
        .map(|(_, _, name, _)| name.as_str())
        .collect()
}

#[test]
fn pronouns_agree_in_gender() {
    let found = spans("Mr. Adeyemi met Mrs. Okafor in Lagos. She said he would return.");
    assert_eq!(resolved(&found, "She"), ["Okafor"]);
    assert_eq!(resolved(&found, "he"), ["Adeyemi"]);
}

#[test]
fn given_names_and_earlier_pronouns_give_gender() {
    let found = spans("Susan Whitfield called Robert Hale on Monday. He thanked her. Whitfield said she was pleased.");
    assert_eq!(resolved(&found, "He"), ["Robert Hale"]);
    assert_eq!(resolved(&found, "her"), ["Susan Whitfield"]);
    assert_eq!(resolved(&found, "she"), ["Susan Whitfield"]);
}

#[test]
fn no_resolution_across_incompatible_gender_or_number() {
    // Only a woman is named: "he" has no antecedent; "it" never refers to a person.
    let found = spans("Mrs. Okafor arrived in Lagos on Monday. He was not there and it was late.");
    assert!(resolved(&found, "He").is_empty(), "{found:?}");
    assert!(resolved(&found, "it").is_empty(), "{found:?}");
    // A pronoun too far from any name stays unresolved.
    let text = format!(
        "Mr. Adeyemi spoke. {}He slept.",
        "The rain fell. ".repeat(WINDOW + 1)
    );
    let found = spans(&text);
    assert!(resolved(&found, "He").is_empty(), "{found:?}");
}

#[test]
fn the_secretary_is_the_person_with_that_role() {
    let found = spans("Secretary of State Marco Rubio met the ambassador. The secretary later spoke with reporters.");
    let secretary: Vec<_> = found
        .iter()
        .filter(|(t, ..)| t == "The secretary")
        .collect();
    assert_eq!(secretary.len(), 1, "{found:?}");
    assert_eq!(secretary[0].1, EntityType::Person);
    assert_eq!(secretary[0].2, "Marco Rubio");
    assert_eq!(secretary[0].3, Some(ResolvedBy::Title));
    // The gazetteer's capitalised role after "the" is changed in place.
    let found = spans(
        "Defence Minister Khawaja Asif spoke on Friday. Later the Minister denied the claim.",
    );
    assert_eq!(resolved(&found, "Minister"), ["Khawaja Asif"], "{found:?}");
    // No one named with the role: nothing to resolve.
    let found = spans("Khawaja Asif spoke on Friday. Later the secretary denied the claim.");
    assert!(resolved(&found, "the secretary").is_empty(), "{found:?}");
}

#[test]
fn acronyms_join_their_long_form() {
    let found =
        spans("Officials blamed Lashkar-e-Taiba for the attack. A LeT commander denied it.");
    let let_span: Vec<_> = found.iter().filter(|(t, ..)| t == "LeT").collect();
    assert_eq!(let_span.len(), 1, "{found:?}");
    assert_eq!(let_span[0].2, "Lashkar-e-Taiba");
    assert_eq!(let_span[0].3, Some(ResolvedBy::Acronym));
    // Country short forms come from the gazetteer.
    let found = spans("The United States and the US Navy.");
    assert!(
        found
            .iter()
            .any(|(t, k, n, _)| t == "US" && *k == EntityType::Country && n == "United States"),
        "{found:?}"
    );
}

#[test]
fn it_and_they_refer_to_organisations_and_countries() {
    let found = spans("Pakistan rejected the claim. It said the investigation was biased.");
    assert_eq!(resolved(&found, "It"), ["Pakistan"]);
    let found = spans(
        "The Ministry of Finance published figures on Monday. Later they revised their estimate.",
    );
    assert_eq!(resolved(&found, "they"), ["Ministry of Finance"]);
    assert_eq!(resolved(&found, "their"), ["Ministry of Finance"]);
    // "it" as a dummy subject is left alone.
    let found = spans("Pakistan rejected the claim. It is unclear what happens next.");
    assert!(resolved(&found, "It").is_empty(), "{found:?}");
    // "It is" refers unless a that/to/wh clause follows.
    let found = spans("Pakistan rejected the claim. It is a sovereign state.");
    assert_eq!(resolved(&found, "It"), ["Pakistan"]);
    let found = spans("Pakistan rejected the claim. It is likely to rain. It seems odd.");
    assert!(resolved(&found, "It").is_empty(), "{found:?}");
    // A reflexive takes the nearest fitting mention.
    let found = spans("Acme Corporation said Pakistan had hurt itself.");
    assert_eq!(resolved(&found, "itself"), ["Pakistan"]);
}

#[test]
fn short_event_names_join_the_full_name() {
    let found = spans("Hurricane Maria reached the coast. Maria weakened on Monday.");
    assert_eq!(resolved(&found, "Maria"), ["Hurricane Maria"]);
    let found = spans("She swam at the Commonwealth Games in Glasgow. The Games ended on Sunday.");
    assert_eq!(resolved(&found, "Games"), ["Commonwealth Games"]);
}

#[test]
fn descriptions_refer_to_named_events() {
    let found = spans(
        "Hurricane Maria reached the coast on Monday. Officials said the storm had weakened.",
    );
    assert_eq!(resolved(&found, "the storm"), ["Hurricane Maria"]);
    let found =
        spans("Critics praised the Cannes Film Festival in May. The festival ends on Sunday.");
    assert_eq!(resolved(&found, "The festival"), ["Cannes Film Festival"]);
    // A war is no festival.
    let found = spans("Veterans of the Korean War met in Seoul. The festival began later.");
    assert!(resolved(&found, "The festival").is_empty(), "{found:?}");
}

#[test]
fn descriptions_refer_to_the_last_fitting_name() {
    let found =
        spans("The State Department issued a statement. Later the department declined to comment.");
    assert_eq!(resolved(&found, "the department"), ["State Department"]);
    // A government body is not "the group".
    let found =
        spans("The State Department issued a statement. Later the group declined to comment.");
    assert!(resolved(&found, "the group").is_empty(), "{found:?}");
    // Followed by a name, "the group" introduces it rather than referring back.
    let found = spans("Acme Corporation said the group Blue Front was banned.");
    assert!(resolved(&found, "the group").is_empty(), "{found:?}");
}

#[test]
fn group_descriptions_refer_to_several_names() {
    // A coordination of as many names of the type: one span per member, same words.
    let found = spans(
        "Kenya and Ghana signed a trade pact. Mr. Bello urged both countries to lower tariffs.",
    );
    assert_eq!(
        resolved(&found, "both countries"),
        ["Kenya", "Ghana"],
        "{found:?}"
    );
    assert!(found
        .iter()
        .filter(|(t, ..)| t == "both countries")
        .all(|(_, k, _, r)| *k == EntityType::Country && *r == Some(ResolvedBy::Title)));
    // The latest names of the type, when nothing else of the type shares their sentence.
    let found = spans("Kenya accused Ghana of spying. Both countries recalled their envoys.");
    assert_eq!(
        resolved(&found, "Both countries"),
        ["Kenya", "Ghana"],
        "{found:?}"
    );
    let found = spans("Mr. Adeyemi thanked Mrs. Okafor and Mr. Bello. The two men left together.");
    assert_eq!(
        resolved(&found, "The two men"),
        ["Adeyemi", "Bello"],
        "a woman is not one of two men: {found:?}"
    );
    let found = spans("Kenya, Ghana and Togo signed a pact. The three countries will meet again.");
    assert_eq!(
        resolved(&found, "The three countries"),
        ["Kenya", "Ghana", "Togo"],
        "{found:?}"
    );
    // Ambiguous or wrong in number: nothing.
    for (text, group) in [
        (
            "Kenya, Ghana and Togo signed a pact. Mr. Bello urged both countries to act.",
            "both countries",
        ),
        (
            "Kenya accused Ghana of spying, Togo said. Both countries denied it.",
            "Both countries",
        ),
        (
            "Kenya signed a pact. Both countries gained.",
            "Both countries",
        ),
        // A name after the noun names the group there.
        (
            "Kenya and Ghana met. Both countries Togo and Benin stayed away.",
            "Both countries",
        ),
    ] {
        let found = spans(text);
        assert!(resolved(&found, group).is_empty(), "{text}: {found:?}");
    }
}

/// The default pipeline's facts of `text`, with each relation as (subject, predicate,
/// object) names, so that tests can look a relation up by what a reader sees.
fn facts_and_triples(text: &str) -> (kith_schema::DocumentFacts, Vec<(String, String, String)>) {
    let mut doc = Doc::new(DocId("t".into()), text, "test");
    let facts = default_pipeline().extract(&mut doc);
    let names = facts
        .relations
        .iter()
        .map(|r| {
            (
                facts.entities[r.subject].name.clone(),
                r.predicate.clone(),
                facts.entities[r.object].name.clone(),
            )
        })
        .collect();
    (facts, names)
}

#[test]
fn a_group_mention_gives_each_member_the_relation() {
    let (facts, names) = facts_and_triples(
        "Kenya and Ghana signed a trade pact. Mr. Bello urged both countries to lower tariffs.",
    );
    for country in ["Kenya", "Ghana"] {
        assert!(
            names.contains(&("Bello".into(), "urge".into(), country.into())),
            "{names:?}"
        );
    }
    // A description is a mention of each member, never an alias.
    let kenya = facts.entities.iter().find(|e| e.name == "Kenya").unwrap();
    assert!(
        kenya
            .mentions
            .iter()
            .any(|m| &*m.text == "both countries" && m.resolved_by == Some(ResolvedBy::Title)),
        "{kenya:?}"
    );
    assert!(kenya.aliases.is_empty(), "{:?}", kenya.aliases);
}

#[test]
fn a_role_qualified_by_a_group_is_one_role_per_member() {
    // Each role is of its own country, not of the other member.
    let (_, names) = facts_and_triples(
        "Kenya and Ghana signed a pact. Mr. Bello met the foreign ministers of both countries.",
    );
    for country in ["Kenya", "Ghana"] {
        let role = format!("Foreign Minister of {country}");
        assert!(
            names.contains(&("Bello".into(), "meet".into(), role.clone())),
            "{names:?}"
        );
        assert!(
            names.contains(&(role.clone(), "position-of".into(), country.into())),
            "{names:?}"
        );
    }
    assert!(
        !names.contains(&(
            "Foreign Minister of Kenya".into(),
            "position-of".into(),
            "Ghana".into()
        )),
        "{names:?}"
    );
}

#[test]
fn first_person_in_quotes_is_the_speaker() {
    let found = spans("\"I will not resign,\" Khawaja Asif said. Tammy Bruce said: \"My office is open.\" I disagree.");
    let i: Vec<_> = found
        .iter()
        .filter(|(t, ..)| t == "I")
        .map(|(_, _, n, _)| n.as_str())
        .collect();
    assert_eq!(
        i,
        ["Khawaja Asif"],
        "the unquoted I has no speaker: {found:?}"
    );
    assert_eq!(resolved(&found, "My"), ["Tammy Bruce"]);
}

/// Runs the rule pipeline and returns each unnamed chain as its kind and mention texts.
fn chains(text: &str) -> Vec<(ChainPerson, Vec<String>)> {
    let mut doc = Doc::new(DocId("t".into()), text, "test");
    default_pipeline().run(&mut doc);
    let text_of = |m: &std::ops::Range<usize>| {
        doc.text[doc.tokens[m.start].start..doc.tokens[m.end - 1].end].to_string()
    };
    doc.coref
        .iter()
        .map(|c| (c.person, c.mentions.iter().map(text_of).collect()))
        .collect()
}

#[test]
fn unnamed_first_and_second_person_form_chains() {
    let found = chains("I grew up in Lagos. My father taught us to swim, and we loved it. Have you been? Your city is far.");
    let of = |p: ChainPerson| {
        found
            .iter()
            .find(|(q, _)| *q == p)
            .map(|(_, m)| m.clone())
            .unwrap_or_default()
    };
    assert_eq!(of(ChainPerson::First), ["I", "My"], "{found:?}");
    assert_eq!(of(ChainPerson::FirstPlural), ["us", "we"], "{found:?}");
    assert_eq!(of(ChainPerson::Second), ["you", "Your"], "{found:?}");
    // "US" in capitals is the country, not "us".
    let found = chains("The US rejected it.");
    assert!(
        found.iter().all(|(p, _)| *p != ChainPerson::FirstPlural),
        "{found:?}"
    );
}

#[test]
fn unnamed_chains_never_become_graph_entities() {
    let mut doc = Doc::new(
        DocId("t".into()),
        "I visited Lagos. I liked my stay, and you would too.",
        "test",
    );
    let facts = default_pipeline().extract(&mut doc);
    assert!(!doc.coref.is_empty());
    assert!(
        facts
            .entities
            .iter()
            .all(|e| !["I", "my", "you"].contains(&e.name.as_str())),
        "{:?}",
        facts.entities
    );
}

#[test]
fn a_quoted_i_with_a_speaker_is_not_the_author() {
    let found = chains("I disagree. \"I will not resign,\" Khawaja Asif said. Then I left.");
    assert_eq!(
        found,
        [(ChainPerson::First, vec!["I".to_string(), "I".to_string()])]
    );
}

#[test]
fn self_introductions_name_the_first_person() {
    for text in [
        "Hello, I'm Mrs. Adaeze Okafor. I run a bakery and my shop is open.",
        "My name is Mrs. Adaeze Okafor. I run a bakery.",
    ] {
        let found = spans(text);
        let first: Vec<_> = found
            .iter()
            .filter(|(t, ..)| ["I", "my", "My"].contains(&t.as_str()))
            .collect();
        assert!(!first.is_empty(), "{found:?}");
        assert!(
            first.iter().all(|(_, k, n, r)| *k == EntityType::Person
                && n.contains("Okafor")
                && *r == Some(ResolvedBy::Pronoun)),
            "{found:?}"
        );
        assert!(
            chains(text).iter().all(|(p, _)| *p != ChainPerson::First),
            "{text}"
        );
    }
}

#[test]
fn unresolved_third_person_pronouns_chain_when_close() {
    // No named man: the two "he" a sentence apart form one chain; a "he" many
    // sentences later starts another.
    let text = format!(
        "The old man walked in. He sat down. Then he slept. {}He woke.",
        "Rain fell. ".repeat(UNNAMED_GAP + 1)
    );
    let found = chains(&text);
    let he: Vec<_> = found
        .iter()
        .filter(|(p, _)| *p == ChainPerson::Masculine)
        .map(|(_, m)| m.len())
        .collect();
    assert_eq!(he, [2, 1], "{found:?}");
    // A dummy "it" joins no chain; a referring one does.
    let found =
        chains("The box arrived. It is likely that rain fell. We opened it and its lid broke.");
    let it: Vec<_> = found
        .iter()
        .filter(|(p, _)| *p == ChainPerson::Neuter)
        .map(|(_, m)| m.clone())
        .collect();
    assert_eq!(it, [vec!["it".to_string(), "its".to_string()]], "{found:?}");
}

/// A run-on "sentence" with thousands of names and pronouns: every pronoun still finds
/// its antecedent among the latest candidates (the bound that keeps this linear).
#[test]
fn run_on_sentences_stay_bounded() {
    let text = "Mr. Adeyemi met Mrs. Okafor and he thanked her and ".repeat(3_000);
    let mut doc = Doc::new(DocId("t".into()), text, "test");
    default_pipeline().run(&mut doc);
    assert_eq!(doc.sentences.len(), 1);
    let pronouns = doc
        .entities
        .iter()
        .filter(|e| e.resolved_by == Some(ResolvedBy::Pronoun))
        .count();
    assert_eq!(pronouns, 6_000);
    assert!(doc
        .entities
        .iter()
        .filter(|e| doc.span_text(e) == "her")
        .all(|e| e.canonical.as_deref() == Some("Okafor")));
}

#[test]
fn object_pronouns_skip_their_own_subject() {
    let found = spans("Mr. Adeyemi spoke on Monday. Mr. Bello told him to wait.");
    assert_eq!(resolved(&found, "him"), ["Adeyemi"]);
}

#[test]
fn resolved_pronouns_give_relations() {
    let (facts, names) =
        facts_and_triples("Mr. Adeyemi arrived in Abuja. He met with Mrs. Okafor.");
    assert!(
        names.contains(&("Adeyemi".into(), "meet".into(), "Okafor".into())),
        "{names:?}"
    );
    let adeyemi = facts.entities.iter().find(|e| e.name == "Adeyemi").unwrap();
    assert_eq!(adeyemi.mentions.len(), 2);
    assert_eq!(adeyemi.mentions[1].resolved_by, Some(ResolvedBy::Pronoun));
    assert!(
        adeyemi.aliases.is_empty(),
        "a pronoun is not an alias: {:?}",
        adeyemi.aliases
    );
}

#[test]
fn partial_names_of_any_tagger_join_the_full_name() {
    let mut doc = Doc::new(DocId("t".into()), "Marco Rubio spoke. Rubio left.", "test");
    crate::Tokenizer.process(&mut doc);
    let rubio = doc
        .tokens
        .iter()
        .position(|t| &doc.text[t.start..t.end] == "Rubio" && t.start > 10)
        .unwrap();
    let span = |tokens: std::ops::Range<usize>, doc: &Doc| EntitySpan {
        start: doc.tokens[tokens.start].start,
        end: doc.tokens[tokens.end - 1].end,
        tokens,
        kind: EntityType::Location,
        confidence: 0.9,
        source: "ner",
        canonical: None,
        external_ids: BTreeMap::new(),
        resolved_by: None,
    };
    let mut full = span(0..2, &doc);
    full.kind = EntityType::Person;
    let partial = span(rubio..rubio + 1, &doc);
    doc.add_entities(vec![full, partial]);
    Coreference.process(&mut doc);
    let last = doc
        .entities
        .iter()
        .find(|e| e.tokens.start == rubio)
        .unwrap();
    assert_eq!(
        (last.kind, last.canonical.as_deref(), last.resolved_by),
        (
            EntityType::Person,
            Some("Marco Rubio"),
            Some(ResolvedBy::PartialName)
        )
    );
}
