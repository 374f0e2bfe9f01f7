//! Stand-ins for pronouns whose antecedent lies outside a passage.
//!
//! KnowledgeNet gives passages (single sentences) cut from documents, and annotates their
//! pronouns as ends of facts ("He was born in Brussels") because in the whole document
//! they are resolved. Given the passage alone, coreference has nothing to resolve such a
//! pronoun to, so the fact has no mention to join and neither training nor evaluation can
//! use it. A stand-in is a mention over each such pronoun, typed by the pronoun, so the
//! relation model learns the patterns these sentences hold (which in whole documents apply
//! to pronouns coreference does resolve) and the evaluation can count them. The shipped
//! pipeline never adds stand-ins: an unresolved pronoun is never a node of a graph.

use kith_nlp::{Doc, EntitySpan};
use kith_schema::{EntityType, ResolvedBy};

/// The entity type a stand-in for `word` (lower case) takes, for the pronouns that refer
/// to one person or one organisation.
fn stand_in_type(word: &str) -> Option<EntityType> {
    match word {
        "he" | "him" | "his" | "himself" | "she" | "her" | "hers" | "herself" => {
            Some(EntityType::Person)
        }
        "it" | "its" | "itself" | "we" | "our" | "us" => Some(EntityType::Organization),
        _ => None,
    }
}

/// Adds a stand-in mention over every pronoun of `doc` that no mention covers, keeping
/// the mentions in document order and the relations pointing at the same mentions.
pub fn add_pronoun_stand_ins(doc: &mut Doc) {
    let mut covered = vec![false; doc.tokens.len()];
    for e in &doc.entities {
        for t in e.tokens.clone() {
            covered[t] = true;
        }
    }
    let stand_ins: Vec<EntitySpan> = (0..doc.tokens.len())
        .filter(|&t| !covered[t])
        .filter_map(|t| {
            let kind = stand_in_type(&doc.token_text(t).to_lowercase())?;
            let token = &doc.tokens[t];
            Some(EntitySpan {
                tokens: t..t + 1,
                start: token.start,
                end: token.end,
                kind,
                confidence: 0.5,
                source: "stand-in",
                canonical: None,
                external_ids: Default::default(),
                resolved_by: Some(ResolvedBy::Pronoun),
            })
        })
        .collect();
    if stand_ins.is_empty() {
        return;
    }
    // Old mention index → new, as the stand-ins are merged in by first token.
    let old = std::mem::take(&mut doc.entities);
    let mut moved = vec![0; old.len()];
    let mut merged = Vec::with_capacity(old.len() + stand_ins.len());
    let mut extra = stand_ins.into_iter().peekable();
    for (i, e) in old.into_iter().enumerate() {
        while extra
            .peek()
            .is_some_and(|s| s.tokens.start < e.tokens.start)
        {
            merged.push(extra.next().unwrap());
        }
        moved[i] = merged.len();
        merged.push(e);
    }
    merged.extend(extra);
    doc.entities = merged;
    for r in &mut doc.relations {
        r.subject = moved[r.subject];
        r.object = moved[r.object];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kith_schema::DocId;

    /// Each relation as (subject text, predicate, object text).
    fn triples(doc: &Doc) -> Vec<(String, String, String)> {
        let text = |m: usize| doc.span_text(&doc.entities[m]).to_string();
        doc.relations
            .iter()
            .map(|r| (text(r.subject), r.predicate.clone(), text(r.object)))
            .collect()
    }

    #[test]
    fn an_unresolved_pronoun_gets_a_typed_stand_in_and_relations_keep_their_mentions() {
        let text = "He joined Acme Corp in Paris after its founder Jane Roe left.";
        let mut doc = Doc::new(DocId::from_content(text), text.to_string(), "t");
        kith_nlp::default_pipeline().run(&mut doc);
        let before = triples(&doc);
        let count = doc.entities.len();
        add_pronoun_stand_ins(&mut doc);
        let he = &doc.entities[0];
        assert_eq!(
            (&doc.text[he.start..he.end], he.kind),
            ("He", EntityType::Person)
        );
        assert!(doc.entities.len() > count);
        assert!(doc
            .entities
            .windows(2)
            .all(|w| w[0].tokens.start <= w[1].tokens.start));
        let after = triples(&doc);
        assert_eq!(before, after);
    }
}
