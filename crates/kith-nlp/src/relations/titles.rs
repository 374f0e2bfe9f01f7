//! Titles and appositions: `holds-position` and the affiliation a role's qualifier gives ("Pakistan's Defence Minister Khawaja Asif").

use super::*;

/// Who holds which role: `Role [,] Person` ("Defence Minister Khawaja Asif") and
/// `Person, [the 23rd] Role` (apposition) → holds-position; then the holder is
/// spokesperson-of / works-for / affiliated-with each of the role's qualifiers.
pub(super) fn titles(
    doc: &Doc,
    sentence: usize,
    range: std::ops::Range<usize>,
    qualifiers: &[Vec<usize>],
    out: &mut Vec<RelationSpan>,
) {
    for r in range.clone() {
        let role = &doc.entities[r];
        if role.kind != EntityType::Role {
            continue;
        }
        let after = (r + 1 < range.end).then(|| r + 1).filter(|&p| {
            let gap = between(doc, role, &doc.entities[p]);
            doc.entities[p].kind == EntityType::Person && (gap.is_empty() || gap == [","])
        });
        let before = (r > range.start).then(|| r - 1).filter(|&p| {
            let gap = between(doc, &doc.entities[p], role);
            doc.entities[p].kind == EntityType::Person
                && gap.first().is_some_and(|w| w == ",")
                && gap.len() <= 4
                && gap[1..].iter().enumerate().all(|(i, w)| {
                    let t = doc.entities[p].tokens.end + 1 + i;
                    matches!(w.as_str(), "a" | "an" | "the" | "former" | "then" | "now")
                        || doc.pos.get(t).is_some_and(|p| p.upos == "ADJ")
                })
        });
        // "Susan Cruzan, an FDA spokeswoman", "John A. Georges, International Paper's
        // chairman": the apposition names the qualifier before the role.
        let before_qualifier = (r >= range.start + 2 && qualifiers[r].contains(&(r - 1)))
            .then(|| r - 2)
            .filter(|&p| {
                let gap = between(doc, &doc.entities[p], &doc.entities[r - 1]);
                doc.entities[p].kind == EntityType::Person
                    && gap.first().is_some_and(|w| w == ",")
                    && gap[1..]
                        .iter()
                        .all(|w| matches!(w.as_str(), "a" | "an" | "the" | "another" | "former"))
            });
        // "Fernandez would be the next president of Mexico", "made Emile Jonassaint
        // provisional president of Haiti": a copula, or nothing but adjectives, before a
        // role that names its country or organisation.
        let copular = (r > range.start).then(|| r - 1).filter(|&p| {
            let person = &doc.entities[p];
            let gap: Vec<usize> = (person.tokens.end..role.tokens.start).collect();
            person.kind == EntityType::Person
                && gap.len() <= 5
                && (!qualifiers[r].is_empty()
                    || gap.iter().any(|&t| COPULAS.contains(&doc.token_text(t))))
                && gap.iter().all(|&t| {
                    let w = doc.token_text(t);
                    COPULAS.contains(&w)
                        || matches!(
                            w,
                            "a" | "an"
                                | "the"
                                | "would"
                                | "will"
                                | "to"
                                | "not"
                                | "never"
                                | "no"
                                | "longer"
                                | "next"
                                | "new"
                                | "former"
                                | "first"
                                | "acting"
                        )
                        || doc.pos.get(t).is_some_and(|p| p.upos == "ADJ")
                })
                && (!gap.is_empty() || !qualifiers[r].is_empty())
        });
        let denied = copular.is_some_and(|p| {
            (doc.entities[p].tokens.end..role.tokens.start)
                .any(|t| matches!(doc.token_text(t), "not" | "never" | "no"))
        });
        let modality = if copular.is_some()
            && after.is_none()
            && before.is_none()
            && before_qualifier.is_none()
        {
            let words: Vec<&str> = (doc.entities[r - 1].tokens.end..role.tokens.start)
                .map(|t| doc.token_text(t))
                .collect();
            if words.iter().any(|w| matches!(*w, "will" | "would" | "to")) {
                Modality::Planned
            } else {
                Modality::Asserted
            }
        } else {
            Modality::Asserted
        };
        let Some(p) = after.or(before).or(before_qualifier).or(copular) else {
            continue;
        };
        let polarity = if denied && Some(p) == copular {
            Polarity::Negated
        } else {
            Polarity::Affirmed
        };
        let mut held = relation(
            p,
            r,
            "holds-position",
            RelationClass::RoleAffiliation,
            sentence,
            0.8,
        );
        held.modality = modality;
        held.polarity = polarity;
        out.push(held);
        let title = role_name(doc, role);
        let predicate = if SPOKESPERSON_ROLES.contains(&title.as_str()) {
            "spokesperson-of"
        } else if STAFF_ROLES.contains(&title.as_str()) {
            "works-for"
        } else {
            "affiliated-with"
        };
        for &q in &qualifiers[r] {
            let mut affiliated = relation(
                p,
                q,
                predicate,
                RelationClass::RoleAffiliation,
                sentence,
                0.75,
            );
            affiliated.modality = modality;
            affiliated.polarity = polarity;
            // A country's office is held by its citizens ("US Secretary of State Marco
            // Rubio", "Pakistan's Defence Minister Khawaja Asif").
            if predicate == "affiliated-with" && doc.entities[q].kind == EntityType::Country {
                let mut citizen = affiliated.clone();
                citizen.predicate = "citizen-of".into();
                citizen.confidence = 0.7;
                out.push(citizen);
            }
            out.push(affiliated);
        }
    }
}
