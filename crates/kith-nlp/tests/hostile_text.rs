//! The default pipeline on text built to break it: no panic, offsets on char boundaries,
//! spans inside the text, and relation indices inside the entity list.

use kith_nlp::{default_pipeline, Doc};
use kith_schema::DocId;

/// The longest evidence [`Doc::to_facts`] cites, as its documentation gives it.
const MAX_EVIDENCE_BYTES: usize = 1_000;

fn analyse(text: &str) -> Doc {
    let mut doc = Doc::new(DocId::from_content(text), text, "test");
    default_pipeline().run(&mut doc);
    let facts = doc.to_facts();
    let all: Vec<char> = text.chars().collect();
    let chars = all.len() as u32;
    for entity in &facts.entities {
        for m in &entity.mentions {
            assert!(m.span.start < m.span.end && m.span.end <= chars);
            let written: String = all[m.span.start as usize..m.span.end as usize]
                .iter()
                .collect();
            assert_eq!(written, &*m.text);
        }
    }
    for r in &facts.relations {
        assert!(r.subject < facts.entities.len() && r.object < facts.entities.len());
    }
    for pair in doc.entities.windows(2) {
        assert!(pair[0].end <= pair[1].start, "entity spans overlap");
    }
    doc
}

#[test]
fn empty_and_blank_documents() {
    for text in ["", " ", "\n\n\t", "\u{feff}", "...", "?!?!"] {
        let doc = analyse(text);
        assert!(doc.entities.is_empty(), "{text:?}");
    }
}

#[test]
fn a_megabyte_without_punctuation() {
    let text = "Marco Rubio met Khawaja Asif in Kashmir and ".repeat(24_000);
    let doc = analyse(&text);
    assert!(
        doc.entities.len() >= 24_000 * 3,
        "{} entities",
        doc.entities.len()
    );
    let facts = doc.to_facts();
    assert!(facts.relations.len() >= 24_000);
    let cited: usize = facts
        .relations
        .iter()
        .map(|r| r.evidence.sentence_text.len())
        .sum();
    assert!(
        cited <= facts.relations.len() * MAX_EVIDENCE_BYTES,
        "evidence is cut, not copied whole"
    );
}

#[test]
fn five_hundred_names_in_one_sentence() {
    let names: Vec<String> = (0..500).map(|i| format!("Person{i} Surname{i}")).collect();
    let text = format!("Marco Rubio met {} in Islamabad.", names.join(", "));
    let doc = analyse(&text);
    assert!(doc.entities.len() >= 500);
    assert!(!doc.relations.is_empty());
}

#[test]
fn headlines_emoji_scripts_and_control_characters() {
    let text = "BREAKING: PAKISTAN DENIES ROLE IN KASHMIR ATTACK 🚨🇵🇰\n\n\
                Rubio 🤝 Jaishankar — talks in नई दिल्ली and 北京 \u{0007}\u{001b}[31m said Ms. Bruce.\r\n\
                مرحبا India \u{200d}Pakistan\u{0000}U.S.";
    let doc = analyse(text);
    assert!(doc
        .entities
        .iter()
        .any(|e| e.canonical.as_deref() == Some("India")));
}

#[test]
fn pure_punctuation() {
    let text = "!!! ??? ... ,,, ;;; --- ((( ))) \"\"\" ''' ".repeat(5_000);
    let doc = analyse(&text);
    assert!(doc.entities.is_empty());
}
