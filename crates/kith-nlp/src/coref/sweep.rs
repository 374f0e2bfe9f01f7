//! Passes 3 to 5 in one left-to-right sweep over the document: titles and descriptions,
//! pronouns, and the chains of pronouns that no named entity takes.

use super::entities::clusters;
use super::pronouns::{
    antecedent, is_pronoun_tag, person_of, pleonastic_it, pronoun, self_introduction, third_person,
    Referent,
};
use super::quotes::quote_speakers;
use super::titles::{description, group_description, resolve_title, role_holder};
use super::{is_the, key_of, new_span, Seen};
use crate::{Chain, ChainPerson, Doc, EntitySpan, Group};
use kith_schema::{EntityType, ResolvedBy};
use std::collections::BTreeMap;

/// How many sentences apart two third-person pronouns with no named antecedent (*he* …
/// *he*) may be and still join one chain. Chosen on GUM train (`kith eval coref`, CoNLL
/// F1): 61.77 without such chains, 64.14 at 0 sentences, 65.31 at 1, 65.46 at 2, 65.37 at
/// 3, 64.61 at 8, 63.29 unbounded; each of he, she, it, they pays on its own.
pub(super) const UNNAMED_GAP: usize = 2;

/// Passes 3 and 4, in one left-to-right sweep: titles change role spans in place;
/// pronouns and descriptions come back as new spans; first- and second-person pronouns
/// outside quotations form chains of their own, or join the person the first person
/// introduces itself as.
pub(super) fn titles_and_pronouns(doc: &mut Doc) -> (Vec<EntitySpan>, Vec<Chain>, Vec<Group>) {
    let mut clusters = clusters(doc);
    // The span starting at each token, if any; and which tokens spans cover.
    let mut span_at: Vec<Option<usize>> = vec![None; doc.tokens.len()];
    let mut covered = vec![false; doc.tokens.len()];
    for (i, span) in doc.entities.iter().enumerate() {
        span_at[span.tokens.start] = Some(i);
        for t in span.tokens.clone() {
            covered[t] = true;
        }
    }
    let speakers = quote_speakers(doc, &span_at);
    let mut seen: Vec<Seen> = Vec::new();
    let mut added = Vec::new();
    // Unquoted first and second person, by chain, and who the first person says it is.
    let mut persons: BTreeMap<ChainPerson, Vec<usize>> = BTreeMap::new();
    let mut introduced: Option<(EntityType, String)> = None;
    // Third-person pronouns with no named antecedent: (chain, sentence, token).
    let mut unnamed: Vec<(ChainPerson, usize, usize)> = Vec::new();
    let mut groups = Vec::new();
    for (s, sentence) in doc.sentences.clone().iter().enumerate() {
        let mut t = sentence.tokens.start;
        while t < sentence.tokens.end {
            if let Some(i) = span_at[t] {
                if doc.entities[i].kind == EntityType::Role
                    && t > sentence.tokens.start
                    && is_the(doc, t - 1)
                {
                    resolve_title(doc, i, s, &seen, &clusters);
                }
                let span = &doc.entities[i];
                let end = span.tokens.end;
                if span.kind != EntityType::Role {
                    let key = key_of(doc, span);
                    clusters.entry(key.clone()).or_default();
                    seen.push(Seen {
                        token: t,
                        end,
                        sentence: s,
                        key,
                    });
                }
                t = end;
                continue;
            }
            let word = doc.token_text(t).to_lowercase();
            // "US" is the country, not "us"; the POS layer may not know that.
            // A quoted *I* with a named speaker is that speaker (below); every other first-
            // and second-person pronoun, quoted or not, joins its person's chain (on GUM
            // train, counting quoted ones raised CoNLL F1 from 61.00 to 61.77).
            let speaker_i = |p: &ChainPerson| *p == ChainPerson::First && speakers[t].is_some();
            let person = person_of(&word).filter(|p| {
                !covered[t] && !speaker_i(p) && doc.token_text(t) != "US" && is_pronoun_tag(doc, t)
            });
            if let Some(person) = person {
                if person == ChainPerson::First && introduced.is_none() {
                    introduced = self_introduction(doc, t, &span_at);
                }
                persons.entry(person).or_default().push(t);
                t += 1;
                continue;
            }
            if let Some((len, members)) =
                group_description(doc, t, s, sentence.tokens.end, &covered, &seen, &clusters)
            {
                added.push(new_span(
                    doc,
                    t..t + len,
                    &members[0],
                    ResolvedBy::Title,
                    0.55,
                ));
                for key in &members {
                    seen.push(Seen {
                        token: t,
                        end: t + len,
                        sentence: s,
                        key: key.clone(),
                    });
                }
                groups.push(Group {
                    tokens: t..t + len,
                    members,
                });
                t += len;
                continue;
            }
            if let Some((referent, object)) =
                pronoun(&word).filter(|_| !covered[t] && is_pronoun_tag(doc, t))
            {
                let pleonastic = word == "it" && pleonastic_it(doc, t, sentence.tokens.end);
                let found = if referent == Referent::Speaker {
                    speakers[t].map(|i| key_of(doc, &doc.entities[i]))
                } else if pleonastic {
                    None
                } else {
                    antecedent(doc, t, s, referent, object, &seen, &clusters)
                };
                if let Some(key) = found {
                    if let Referent::Person(gender) = referent {
                        let cluster = clusters.get_mut(&key).expect("antecedents are clusters");
                        cluster.gender.get_or_insert(gender);
                    }
                    added.push(new_span(doc, t..t + 1, &key, ResolvedBy::Pronoun, 0.6));
                    seen.push(Seen {
                        token: t,
                        end: t + 1,
                        sentence: s,
                        key,
                    });
                } else if let Some(person) = third_person(referent).filter(|_| !pleonastic) {
                    unnamed.push((person, s, t));
                }
            } else if word == "the" && t + 1 < sentence.tokens.end && !covered[t + 1] {
                let found = description(doc, t, s, sentence.tokens.end, &seen)
                    .or_else(|| role_holder(doc, t, s, sentence.tokens.end, &seen, &clusters));
                if let Some(key) = found {
                    added.push(new_span(doc, t..t + 2, &key, ResolvedBy::Title, 0.55));
                    seen.push(Seen {
                        token: t,
                        end: t + 2,
                        sentence: s,
                        key,
                    });
                    t += 2;
                    continue;
                }
            }
            t += 1;
        }
    }
    let mut chains = Vec::new();
    // Unresolved third-person pronouns: each joins the chain of the last one of its kind
    // when that is at most UNNAMED_GAP sentences back, else starts a chain.
    let mut open: BTreeMap<ChainPerson, (usize, usize)> = BTreeMap::new();
    let mut third: Vec<Chain> = Vec::new();
    for (person, s, t) in unnamed {
        match open.get_mut(&person) {
            Some((last, chain)) if s - *last <= UNNAMED_GAP => {
                third[*chain].mentions.push(t..t + 1);
                *last = s;
            }
            _ => {
                open.insert(person, (s, third.len()));
                third.push(Chain {
                    person,
                    mentions: std::iter::once(t..t + 1).collect(),
                });
            }
        }
    }
    for (person, tokens) in persons {
        match &introduced {
            Some(key) if person == ChainPerson::First => {
                added.extend(
                    tokens
                        .into_iter()
                        .map(|t| new_span(doc, t..t + 1, key, ResolvedBy::Pronoun, 0.6)),
                );
            }
            _ => chains.push(Chain {
                person,
                mentions: tokens.into_iter().map(|t| t..t + 1).collect(),
            }),
        }
    }
    chains.extend(third);
    // Spans must reach `add_entities` in document order.
    added.sort_by_key(|span| span.tokens.start);
    (added, chains, groups)
}
