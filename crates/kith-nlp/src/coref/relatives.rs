//! Pass 6: relative pronouns (*who*, *whom*, *whose*, *which*, *that*, *where*) take the
//! entity their clause describes, read from the parse: the clause's verb is an `acl`
//! (`acl:relcl`) of a noun, and the pronoun is one of its own dependents. The noun is
//! the entity when a mention covers it; a predicate noun (*X was a banker who ...*) or
//! an apposition (*X, a banker who ...*) stands for the mention it describes.

use super::{key_of, new_span};
use crate::{Doc, EntitySpan};
use kith_schema::{EntityType, ResolvedBy};

/// How sure a relative pronoun's link is: the parse decides it, not a salience guess.
const CONFIDENCE: f32 = 0.8;

/// The relative pronouns of an analysed (parsed) document, as spans of the entity each
/// clause describes. Nothing without a parse.
pub(super) fn relative_pronouns(doc: &Doc) -> Vec<EntitySpan> {
    if doc.deps.len() != doc.tokens.len() || doc.pos.len() != doc.tokens.len() {
        return Vec::new();
    }
    let mut covered: Vec<Option<usize>> = vec![None; doc.tokens.len()];
    for (i, e) in doc.entities.iter().enumerate() {
        for t in e.tokens.clone() {
            covered[t] = Some(i);
        }
    }
    let mut out = Vec::new();
    for t in 0..doc.tokens.len() {
        if covered[t].is_some() {
            continue;
        }
        let word = doc.token_text(t).to_lowercase();
        let fits: fn(EntityType) -> bool = match word.as_str() {
            "who" | "whom" | "whose" => |k| matches!(k, EntityType::Person),
            "which" | "that" => |k| {
                matches!(
                    k,
                    EntityType::Organization | EntityType::Country | EntityType::Location
                )
            },
            "where" => |k| {
                matches!(
                    k,
                    EntityType::Organization | EntityType::Country | EntityType::Location
                )
            },
            _ => continue,
        };
        // *that* is a relative pronoun only as an argument of its clause (not a
        // determiner or a complementiser).
        if word == "that" && !doc.deps[t].label.starts_with("nsubj") && doc.deps[t].label != "obj" {
            continue;
        }
        let Some(verb) = doc.deps[t].head else {
            continue;
        };
        if verb < t || !doc.deps[verb].label.starts_with("acl") {
            continue;
        }
        let Some(noun) = doc.deps[verb].head else {
            continue;
        };
        let Some(m) = described(doc, &covered, noun) else {
            continue;
        };
        let antecedent = &doc.entities[m];
        if !fits(antecedent.kind) || antecedent.tokens.end > t {
            continue;
        }
        out.push(new_span(
            doc,
            t..t + 1,
            &key_of(doc, antecedent),
            ResolvedBy::RelativePronoun,
            CONFIDENCE,
        ));
    }
    out
}

/// The mention a noun stands for: its own, or, for a predicate noun or an apposition
/// without one, the mention of the subject it is said of (*X was a banker*) or of the
/// noun it is in apposition to (*X, a banker*).
fn described(doc: &Doc, covered: &[Option<usize>], noun: usize) -> Option<usize> {
    if let Some(m) = covered[noun] {
        return Some(m);
    }
    if doc.deps[noun].label == "appos" {
        return doc.deps[noun].head.and_then(|h| covered[h]);
    }
    let sentence = &doc.sentences[doc.sentence_of_token(noun)];
    let has_copula = sentence
        .tokens
        .clone()
        .any(|c| doc.deps[c].head == Some(noun) && doc.deps[c].label == "cop");
    if !has_copula {
        return None;
    }
    sentence
        .tokens
        .clone()
        .find(|&c| doc.deps[c].head == Some(noun) && doc.deps[c].label.starts_with("nsubj"))
        .and_then(|c| covered[c])
}
