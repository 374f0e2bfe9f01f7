//! `kith eval coref`: coreference scores of the real pipeline on GUM.
//!
//! For each GUM document the running text is rebuilt from the tokens (`SpaceAfter`), the
//! pipeline `kith build` uses (models directory, coreference included) runs on it, and its
//! entities become response clusters: every mention of one extracted entity is one
//! cluster, leaving out roles and mentions resolved as titles or descriptions (common-noun
//! phrases, which the gold set below leaves out too); and every chain of unnamed mentions
//! (`Doc::coref`: the author's *I*, *we*, *you*, unresolved *he*/*she*/*it*/*they*) is
//! one cluster more.
//!
//! Gold: GUM's entities restricted to mentions whose head is a proper noun or a pronoun
//! ([`kith_corpus::CorefDocument::named_and_pronominal`]).
//!
//! Alignment, by character offsets: a system mention matches the gold mention with the
//! same span, else the smallest gold mention containing it whose head token it covers
//! (Kith marks the name, *Marco Rubio*; GUM the whole phrase, *US Secretary of State Marco
//! Rubio*); each gold mention matches at most one system mention. Unmatched system
//! mentions stay in the response as spurious mentions.
//!
//! Scores: MUC, B³, CEAF-e and their mean (CoNLL F1), with singletons removed from key
//! and response (CoNLL-2012 practice) and, second, kept; third, with singletons removed
//! and first- and second-person pronouns (*I*, *you*, *we*: speakers and addressees the
//! text seldom names) left out of gold and response (the unnamed first- and
//! second-person chains), to show how the resolver does on third-person reference.

use crate::error::Result;
use kith_corpus::{read_gum_coref, CorefDocument, CorefScores, Singletons};
use kith_nlp::ChainPerson;
use kith_schema::{DocId, EntityType, ResolvedBy};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// One document's key and response clusters over shared mention ids, and counts.
struct Scored {
    key: Vec<Vec<usize>>,
    response: Vec<Vec<usize>>,
    gold_mentions: usize,
    system_mentions: usize,
    aligned: usize,
    pronouns_resolved: usize,
    /// Mentions of `Doc::coref` chains (no named mention).
    chain_mentions: usize,
}

/// Character offsets → token index, for the starts and ends of tokens.
fn token_of(spans: &[(usize, usize)], start: usize, end: usize) -> Option<(usize, usize)> {
    let first = spans.partition_point(|s| s.1 <= start);
    let last = spans.partition_point(|s| s.0 < end);
    (first < last).then_some((first, last))
}

/// First- and second-person pronouns: speakers and addressees, whom Kith does not
/// resolve (a text rarely names them); the second gold set leaves them out.
const FIRST_SECOND_PERSON: &[&str] = &[
    "i",
    "me",
    "my",
    "mine",
    "myself",
    "we",
    "us",
    "our",
    "ours",
    "ourselves",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "'m",
    "ya",
    "y'all",
];

fn score_document(
    pipeline: &kith_nlp::Pipeline,
    gold: &CorefDocument,
    third_person_only: bool,
) -> Scored {
    let (text, spans) = gold.text();
    let mut doc = kith_nlp::Doc::new(DocId(gold.id.as_str().into()), text, gold.id.clone());
    let facts = pipeline.extract(&mut doc);
    let mut golds = gold.named_and_pronominal();
    if third_person_only {
        golds.retain(|m| {
            !FIRST_SECOND_PERSON.contains(&gold.tokens[m.head].form.to_lowercase().as_str())
        });
    }
    let mut by_entity: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, m) in golds.iter().enumerate() {
        by_entity.entry(m.entity.as_str()).or_default().push(i);
    }
    let key: Vec<Vec<usize>> = by_entity.into_values().collect();
    // System clusters as character spans: each extracted entity's mentions (not roles,
    // not titles), then each chain of unnamed mentions (the author's *I*, the reader's
    // *you*, a *he* no name takes); first- and second-person chains only against the
    // full gold set.
    let mut clusters: Vec<Vec<(usize, usize, bool)>> = Vec::new();
    for entity in facts.entities.iter().filter(|e| e.kind != EntityType::Role) {
        clusters.push(
            entity
                .mentions
                .iter()
                // GUM marks neither descriptions nor relative pronouns as mentions.
                .filter(|m| {
                    !matches!(
                        m.resolved_by,
                        Some(ResolvedBy::Title | ResolvedBy::RelativePronoun)
                    )
                })
                .map(|m| {
                    (
                        m.span.start as usize,
                        m.span.end as usize,
                        m.resolved_by == Some(ResolvedBy::Pronoun),
                    )
                })
                .collect(),
        );
    }
    let mut chain_mentions = 0;
    let mut offsets = kith_nlp::CharOffsets::new(&doc.text);
    let first_second = [
        ChainPerson::First,
        ChainPerson::FirstPlural,
        ChainPerson::Second,
    ];
    for chain in doc
        .coref
        .iter()
        .filter(|c| !(third_person_only && first_second.contains(&c.person)))
    {
        let mentions = chain.mentions.iter().map(|m| {
            let span = offsets.span(doc.tokens[m.start].start, doc.tokens[m.end - 1].end);
            (span.start as usize, span.end as usize, false)
        });
        chain_mentions += chain.mentions.len();
        clusters.push(mentions.collect());
    }
    let mut used = vec![false; golds.len()];
    let mut next_spurious = golds.len();
    let (mut system_mentions, mut aligned, mut pronouns_resolved) = (0, 0, 0);
    let mut response = Vec::new();
    for mentions in clusters {
        let mut cluster = Vec::new();
        for (start, end, pronoun) in mentions {
            system_mentions += 1;
            pronouns_resolved += usize::from(pronoun);
            let found = token_of(&spans, start, end).and_then(|(a, b)| {
                let exact = golds
                    .iter()
                    .enumerate()
                    .find(|(i, g)| !used[*i] && g.start == a && g.end == b)
                    .map(|(i, _)| i);
                exact.or_else(|| {
                    golds
                        .iter()
                        .enumerate()
                        .filter(|(i, g)| {
                            !used[*i] && g.start <= a && b <= g.end && (a..b).contains(&g.head)
                        })
                        .min_by_key(|(i, g)| (g.end - g.start, *i))
                        .map(|(i, _)| i)
                })
            });
            match found {
                Some(i) => {
                    used[i] = true;
                    aligned += 1;
                    cluster.push(i);
                }
                None => {
                    cluster.push(next_spurious);
                    next_spurious += 1;
                }
            }
        }
        if !cluster.is_empty() {
            response.push(cluster);
        }
    }
    Scored {
        key,
        response,
        gold_mentions: golds.len(),
        system_mentions,
        aligned,
        pronouns_resolved,
        chain_mentions,
    }
}

/// Coreference scores of a pipeline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CorefReport {
    /// Documents scored.
    pub documents: usize,
    /// Gold mentions (head a proper noun or a pronoun).
    pub gold_mentions: usize,
    /// System mentions.
    pub system_mentions: usize,
    /// System mentions aligned to a gold mention.
    pub aligned_mentions: usize,
    /// Pronouns resolved to names.
    pub pronouns_resolved: usize,
    /// Mentions in chains no name anchors.
    pub chain_mentions: usize,
    /// Scores with singletons removed from key and response (CoNLL-2012).
    pub singletons_removed: CorefScores,
    /// Scores with singletons kept.
    pub singletons_kept: CorefScores,
    /// Gold mentions without first- and second-person pronouns.
    pub third_person_gold_mentions: usize,
    /// Scores without first- and second-person pronouns, singletons removed.
    pub third_person: CorefScores,
}

/// Runs `pipeline` on the GUM documents of `files` and scores its coreference.
pub fn evaluate(pipeline: &kith_nlp::Pipeline, files: &[PathBuf]) -> Result<CorefReport> {
    let mut docs = Vec::new();
    for f in files {
        docs.extend(read_gum_coref(f)?);
    }
    let scored: Vec<Scored> = docs
        .par_iter()
        .map(|d| score_document(pipeline, d, false))
        .collect();
    let third: Vec<Scored> = docs
        .par_iter()
        .map(|d| score_document(pipeline, d, true))
        .collect();
    let total = |scored: &[Scored], singletons| {
        let mut scores = CorefScores::default();
        for s in scored {
            scores.add_document(&s.key, &s.response, singletons);
        }
        scores
    };
    Ok(CorefReport {
        documents: docs.len(),
        gold_mentions: scored.iter().map(|s| s.gold_mentions).sum(),
        system_mentions: scored.iter().map(|s| s.system_mentions).sum(),
        aligned_mentions: scored.iter().map(|s| s.aligned).sum(),
        pronouns_resolved: scored.iter().map(|s| s.pronouns_resolved).sum(),
        chain_mentions: scored.iter().map(|s| s.chain_mentions).sum(),
        singletons_removed: total(&scored, Singletons::Removed),
        singletons_kept: total(&scored, Singletons::Kept),
        third_person_gold_mentions: third.iter().map(|s| s.gold_mentions).sum(),
        third_person: total(&third, Singletons::Removed),
    })
}
