//! Polarity (negation) and modality (plans, reports) of a relation's verb.

use super::*;

/// Polarity and modality of what verb `v` states: negated when it or a verb above it has
/// a negation (`advmod` "not", "never") or it sits under a verb of denial; planned under a
/// modal auxiliary or a verb of planning or expectation; reported under a verb of saying
/// or in a sentence that cites someone.
/// Per token of a sentence (indexed from its start): whether a report cue ("..., officials
/// said") outside the token's own shared-subject coordination makes its facts reported.
/// The acts coordinated with the citing verb under one subject are the writer's statements
/// about the speaker: in "Sharif rejected the accusations and said ..." *said* is a conjunct
/// of *rejected* with no subject of its own, so *rejected* is stated; in "... spoke with
/// Sharif," Bruce said, *spoke* is reported. The first conjunct of each coordination is
/// memoised, so the sentence costs linear time whatever shape the parse has.
pub(super) fn reported_verbs(
    doc: &Doc,
    range: &std::ops::Range<usize>,
    children: &[Vec<(usize, &str)>],
) -> Vec<bool> {
    let kids = |t: usize| children[t - range.start].iter().copied();
    let mut first_conjunct: Vec<Option<usize>> = vec![None; range.len()];
    let mut path = Vec::new();
    for t in range.clone() {
        let mut at = t;
        let root = loop {
            if let Some(r) = first_conjunct[at - range.start] {
                break r;
            }
            // A conjunct with a subject of its own (before it: "and said Pakistan was ..."
            // may hang the clause's subject on *said*) starts its own coordination. The
            // path bound stops a cyclic parse.
            let own_subject = kids(at).any(|(c, l)| l.starts_with("nsubj") && c < at);
            match (doc.deps[at].label, doc.deps[at].head) {
                ("conj", Some(h))
                    if range.contains(&h) && !own_subject && path.len() < range.len() =>
                {
                    path.push(at);
                    at = h;
                }
                _ => break at,
            }
        };
        first_conjunct[at - range.start] = Some(root);
        for p in path.drain(..) {
            first_conjunct[p - range.start] = Some(root);
        }
    }
    let coordination = |t: usize| first_conjunct[t - range.start].unwrap_or(t);
    // Report cues counted by coordination, so that each token checks in O(log n).
    let mut cues_by_coordination: BTreeMap<usize, usize> = BTreeMap::new();
    for t in range
        .clone()
        .filter(|&t| REPORT_CUES.contains(&doc.token_text(t).to_lowercase().as_str()))
    {
        *cues_by_coordination.entry(coordination(t)).or_default() += 1;
    }
    let all_cues: usize = cues_by_coordination.values().sum();
    range
        .clone()
        .map(|v| {
            all_cues
                > cues_by_coordination
                    .get(&coordination(v))
                    .copied()
                    .unwrap_or(0)
        })
        .collect()
}

pub(super) fn flags(
    doc: &Doc,
    v: usize,
    range: &std::ops::Range<usize>,
    children: &[Vec<(usize, &str)>],
    reported_sentence: bool,
) -> (Polarity, Modality) {
    let (mut negated, mut planned, mut reported) = (false, false, false);
    let mut at = v;
    // A walk up a tree never takes more steps than the sentence has words: the bound
    // keeps a malformed (cyclic) parse from hanging the pipeline.
    for _ in 0..range.len() {
        let word = doc.token_text(at).to_lowercase();
        if at != v && NEGATION_CUES.contains(&word.as_str()) {
            negated = true;
        }
        if at != v && PLAN_CUES.contains(&word.as_str()) {
            planned = true;
        }
        if at != v && REPORT_CUES.contains(&word.as_str()) {
            reported = true;
        }
        for &(c, label) in &children[at - range.start] {
            let w = doc.token_text(c).to_lowercase();
            if matches!(label, "advmod" | "aux" | "aux:pass" | "neg")
                && NEGATION_CUES.contains(&w.as_str())
            {
                negated = true;
            }
            if label == "aux" && PLAN_CUES.contains(&w.as_str()) {
                planned = true;
            }
        }
        match (doc.deps[at].label, doc.deps[at].head) {
            ("xcomp" | "ccomp" | "conj" | "advcl", Some(h)) if range.contains(&h) => at = h,
            // "rejected the claim that it met India": a content clause of a speech-act noun
            // says what the verb taking that noun denies, reports or plans.
            ("acl", Some(h))
                if range.contains(&h)
                    && CONTENT_NOUNS.contains(&doc.token_text(h).to_lowercase().as_str()) =>
            {
                at = match (doc.deps[h].label, doc.deps[h].head) {
                    ("obj", Some(g)) if range.contains(&g) => g,
                    _ => h,
                };
            }
            _ => break,
        }
    }
    // A headline's main verb in the infinitive ("Rubio to speak with ...") announces a plan.
    let main_infinitive = doc.deps[at].head.is_none()
        && children[at - range.start]
            .iter()
            .any(|&(c, label)| label == "mark" && doc.token_text(c).eq_ignore_ascii_case("to"));
    planned |= main_infinitive;
    let polarity = if negated {
        Polarity::Negated
    } else {
        Polarity::Affirmed
    };
    let modality = if planned {
        Modality::Planned
    } else if reported || (reported_sentence && doc.token_text(v).to_lowercase() != "told") {
        Modality::Reported
    } else {
        Modality::Asserted
    };
    (polarity, modality)
}
