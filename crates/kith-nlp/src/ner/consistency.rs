//! One type per name per document: the model types each mention from its own context, so
//! one page can call *Tesla* an organisation in one sentence and a person in the next,
//! and the facts would hold two entities. The mentions of a name (the same words) vote,
//! each with its confidence, and every mention takes the winning type.

use crate::doc::NerSpan;
use kith_schema::EntityType;
use std::collections::BTreeMap;

/// Retypes `spans` (token offsets into `words`, one document) so that the mentions of one
/// name share one type: the type whose mentions' confidences sum highest (ties: the type
/// of the name's first mention). A mention's confidence is kept.
pub fn one_type_per_name(words: &[&str], spans: &mut [NerSpan]) {
    let key = |s: usize, e: usize| words[s..e].join(" ");
    // name -> (type -> (summed confidence, first mention's index)).
    let mut votes: BTreeMap<String, BTreeMap<EntityType, (f32, usize)>> = BTreeMap::new();
    for (i, &(s, e, kind, confidence)) in spans.iter().enumerate() {
        let entry = votes
            .entry(key(s, e))
            .or_default()
            .entry(kind)
            .or_insert((0.0, i));
        entry.0 += confidence.max(1e-3);
    }
    let winners: BTreeMap<String, EntityType> = votes
        .into_iter()
        .filter(|(_, kinds)| kinds.len() > 1)
        .map(|(name, kinds)| {
            let kind = kinds
                .into_iter()
                .max_by(|a, b| a.1 .0.total_cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
                .map(|(kind, _)| kind)
                .expect("a name has a type");
            (name, kind)
        })
        .collect();
    if winners.is_empty() {
        return;
    }
    for span in spans.iter_mut() {
        if let Some(&kind) = winners.get(&key(span.0, span.1)) {
            span.2 = kind;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_of_a_name_take_the_type_of_most_confidence() {
        let words = ["Tesla", "rose", ".", "Tesla", "said", ".", "Tesla", "fell"];
        let mut spans = vec![
            (0, 1, EntityType::Organization, 0.9),
            (3, 4, EntityType::Person, 0.6),
            (6, 7, EntityType::Organization, 0.5),
        ];
        one_type_per_name(&words, &mut spans);
        assert!(spans.iter().all(|s| s.2 == EntityType::Organization));
        assert_eq!(spans[1].3, 0.6);
    }

    #[test]
    fn ties_go_to_the_first_mention_and_other_names_are_left_alone() {
        let words = ["Jordan", "won", "Jordan", "lost", "Amman"];
        let mut spans = vec![
            (0, 1, EntityType::Person, 0.5),
            (2, 3, EntityType::Location, 0.5),
            (4, 5, EntityType::Location, 0.4),
        ];
        one_type_per_name(&words, &mut spans);
        assert_eq!(spans[1].2, EntityType::Person);
        assert_eq!(spans[2].2, EntityType::Location);
    }
}
