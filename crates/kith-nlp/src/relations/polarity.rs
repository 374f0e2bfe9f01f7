//! Polarity (negation) and modality (plans, conditions, reports) of a relation's verb,
//! scoped on the verb and the clauses that govern it.

use super::*;

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

/// Verbs that, governing a clause, deny what it states ("denied that ...", "denied meeting
/// ...", "refused to meet ..."); the first are [`NEGATION_CUES`] too.
const DENIALS: &[&str] = &[
    "denied", "denies", "deny", "denying", "rejected", "refused", "refuses", "refuse", "declined",
    "declines", "failed", "fails",
];
/// Verbs whose controlled infinitive or content clause is planned or expected ("expects
/// to speak", "is due to meet"), besides [`PLAN_CUES`].
const PLAN_VERBS: &[&str] = &[
    "expects",
    "expect",
    "expecting",
    "plan",
    "planning",
    "intend",
    "intended",
    "intending",
    "aims",
    "aim",
    "due",
    "scheduled",
    "preparing",
    "prepares",
];
/// Subordinators that make a clause a condition.
const CONDITIONS: &[&str] = &["if", "unless"];
/// Negations of the verb they modify.
const NOTS: &[&str] = &["not", "n't", "never"];

fn is_plan(word: &str) -> bool {
    PLAN_CUES.contains(&word) || PLAN_VERBS.contains(&word)
}

/// Which of a governing verb's own dependents (negation, auxiliary, condition) speak for
/// the relation's verb.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// All of them: the verb itself, a verb controlling it (`xcomp`: "did not try to
    /// meet"), or a conjunct sharing its subject and auxiliaries ("did not meet X or call
    /// Y").
    All,
    /// Only a planning auxiliary: the verb heads a clause modifying a planned one ("will
    /// sign the deal when he visits Y"), or is a conjunct after "but" ("will not sign but
    /// meet Y").
    Plan,
    /// None: the verb's clause is the complement of a verb of saying or denying, or a
    /// coordinated clause with a subject of its own.
    Nothing,
}

/// Polarity and modality of what verb `v` states, read from the verb and the clauses that
/// govern it, never from elsewhere in the sentence (see the crate docs of
/// [`crate::relations`]):
///
/// * negated by a negation on the verb or on a verb controlling it or sharing its subject
///   (`advmod` "not", "never", "n't": "did not meet", "did not try to meet", "is not
///   expected to meet"), or under a verb of denial or refusal ("denied that he met",
///   "refused to meet", "rejected the claim that ..."), unless that verb is itself negated;
///   two negations cancel;
/// * conditional when the verb's clause, or a clause controlling it, is marked by "if" or
///   "unless";
/// * planned under a modal auxiliary of the verb or of a verb it shares it with or whose
///   clause it modifies, or under a verb of planning or expectation ("expects to speak",
///   "is set to meet");
/// * reported under a verb of saying anywhere above it, or in a sentence that cites someone
///   outside the verb's own coordination (`reported_sentence`, see [`reported_verbs`]).
pub(super) fn flags(
    doc: &Doc,
    v: usize,
    range: &std::ops::Range<usize>,
    children: &[Vec<(usize, &str)>],
    reported_sentence: bool,
) -> (Polarity, Modality) {
    let lower = |t: usize| doc.token_text(t).to_lowercase();
    let kids = |t: usize| children[t - range.start].iter().copied();
    let own_negation = |t: usize| {
        kids(t).any(|(c, l)| matches!(l, "advmod" | "neg") && NOTS.contains(&lower(c).as_str()))
    };
    let (mut negations, mut planned, mut reported, mut conditional) = (0usize, false, false, false);
    let mut at = v;
    let mut scope = Scope::All;
    // A walk up a tree never takes more steps than the sentence has words: the bound
    // keeps a malformed (cyclic) parse from hanging the pipeline.
    for _ in 0..range.len() {
        if scope == Scope::All {
            negations += usize::from(own_negation(at));
        }
        for (c, label) in kids(at) {
            let w = lower(c);
            match label {
                "aux" if scope != Scope::Nothing && is_plan(&w) => planned = true,
                "mark" if scope == Scope::All && CONDITIONS.contains(&w.as_str()) => {
                    conditional = true
                }
                _ => {}
            }
        }
        let Some(h) = doc.deps[at].head.filter(|h| range.contains(h)) else {
            break;
        };
        let (next, next_scope) = match doc.deps[at].label {
            "xcomp" => (h, scope),
            "conj" => {
                // A conjunct with its own subject or auxiliary is a clause of its own: only
                // what governs the whole coordination applies. One joined by "and", "or"
                // or "nor" shares the first conjunct's negation and condition; one after
                // "but", or with no coordinator (often a misparse: "X, who did not attend,
                // met Y" read as *attend, met*), only its plan.
                let own = kids(at).any(|(_, l)| l.starts_with("nsubj") || l == "aux");
                let joined = kids(at)
                    .any(|(c, l)| l == "cc" && matches!(lower(c).as_str(), "and" | "or" | "nor"));
                let scope = match (own, joined, scope) {
                    (true, _, _) | (_, _, Scope::Nothing) => Scope::Nothing,
                    (false, true, scope) => scope,
                    (false, false, _) => Scope::Plan,
                };
                (h, scope)
            }
            "advcl" => (
                h,
                if scope == Scope::Nothing {
                    Scope::Nothing
                } else {
                    Scope::Plan
                },
            ),
            "ccomp" => (h, Scope::Nothing),
            // "rejected the claim that it met India": a content clause of a speech-act noun
            // says what the verb taking that noun denies, reports or plans.
            "acl" if CONTENT_NOUNS.contains(&lower(h).as_str()) => {
                let g = match (doc.deps[h].label, doc.deps[h].head) {
                    ("obj", Some(g)) if range.contains(&g) => g,
                    _ => h,
                };
                (g, Scope::Nothing)
            }
            _ => break,
        };
        let word = lower(next);
        let link = doc.deps[at].label;
        if matches!(link, "xcomp" | "ccomp" | "acl")
            && DENIALS.contains(&word.as_str())
            && !own_negation(next)
        {
            negations += 1;
        }
        if matches!(link, "xcomp" | "ccomp") && is_plan(&word) {
            planned = true;
        }
        if REPORT_CUES.contains(&word.as_str()) {
            reported = true;
        }
        at = next;
        scope = next_scope;
    }
    // A headline's main verb in the infinitive ("Rubio to speak with ...") announces a plan.
    let main_infinitive = doc.deps[at].head.is_none()
        && kids(at)
            .any(|(c, label)| label == "mark" && doc.token_text(c).eq_ignore_ascii_case("to"));
    planned |= main_infinitive;
    let polarity = if negations % 2 == 1 {
        Polarity::Negated
    } else {
        Polarity::Affirmed
    };
    let modality = if conditional {
        Modality::Conditional
    } else if planned {
        Modality::Planned
    } else if reported || (reported_sentence && doc.token_text(v).to_lowercase() != "told") {
        Modality::Reported
    } else {
        Modality::Asserted
    };
    (polarity, modality)
}

/// Words of a verb group before a surface pattern's verb: auxiliaries, negations, and
/// verbs of planning, expectation or denial with their `to` ("is not expected to", "has
/// never", "refused to", "denied").
const VERB_GROUP: &[&str] = &[
    "do", "does", "did", "has", "have", "had", "having", "is", "are", "was", "were", "be", "been",
    "being", "am", "'s", "'re", "'m", "'ve", "'d", "can", "could", "may", "might", "must", "shall",
    "should", "to", "set", "going", "likely", "also", "still", "yet",
];

/// Polarity and modality of a surface pattern's verb (`gap[at]`, the words between the
/// two mentions less adverbs) from its own verb group right before it and, for a
/// condition or a denial of the clause, the words right before the subject mention
/// ("if X meets Y", "denied that X met Y"); a negation elsewhere in the sentence, even
/// between the mentions ("X, who did not attend, met Y"), counts for nothing.
pub(super) fn surface_flags(
    doc: &Doc,
    subject: &EntitySpan,
    gap: &[String],
    at: usize,
    reported_sentence: bool,
    predicate: &str,
) -> (Polarity, Modality) {
    let before = &gap[..at.min(gap.len())];
    let group_start = before
        .iter()
        .rposition(|w| {
            let w = w.as_str();
            !(VERB_GROUP.contains(&w) || NOTS.contains(&w) || is_plan(w) || DENIALS.contains(&w))
        })
        .map_or(0, |p| p + 1);
    let group = &before[group_start..];
    // What stands before the verb group: "denied that (he)" when the subject of the verb
    // is not a mention; else the words before the subject mention.
    let lead: Vec<String> = if group_start > 0 {
        before[..group_start].to_vec()
    } else {
        let first = doc.sentences[doc.sentence_of_token(subject.tokens.start)]
            .tokens
            .start;
        (subject.tokens.start.saturating_sub(3).max(first)..subject.tokens.start)
            .map(|t| doc.token_text(t).to_lowercase())
            .collect()
    };
    let lead: Vec<&str> = lead
        .iter()
        .map(String::as_str)
        .filter(|w| !matches!(*w, "the" | "a" | "an" | "even"))
        .collect();
    // "denied that (it)", not "did not deny that".
    let lead_denial = match lead.as_slice() {
        [before @ .., d, "that"]
        | [before @ .., d, "that", "he" | "she" | "it" | "they" | "we" | "i"] => {
            DENIALS.contains(d) && !before.last().is_some_and(|w| NOTS.contains(w))
        }
        _ => false,
    };
    let negations = group
        .iter()
        .filter(|w| NOTS.contains(&w.as_str()) || DENIALS.contains(&w.as_str()))
        .count()
        + usize::from(lead_denial);
    let conditional = match lead.as_slice() {
        [.., c, "he" | "she" | "it" | "they" | "we" | "i"] if CONDITIONS.contains(c) => true,
        [.., c] => CONDITIONS.contains(c),
        _ => false,
    };
    // "Rubio to speak with ...": a headline's bare infinitive announces a plan.
    let planned = before == ["to"] || group.iter().any(|w| is_plan(w));
    let polarity = if negations % 2 == 1 {
        Polarity::Negated
    } else {
        Polarity::Affirmed
    };
    let modality = if conditional {
        Modality::Conditional
    } else if planned {
        Modality::Planned
    } else if reported_sentence && predicate != "tell" {
        Modality::Reported
    } else {
        Modality::Asserted
    };
    (polarity, modality)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{analysed, facts, has};
    use super::*;

    type Arcs = Vec<(Option<usize>, &'static str)>;

    /// The fact with and without the arcs (the surface patterns).
    fn both(
        text: &str,
        arcs: Arcs,
        s: &str,
        p: &str,
        o: &str,
    ) -> [Option<(Polarity, Modality)>; 2] {
        [
            has(&analysed(text, &arcs), s, p, o),
            has(&analysed(text, &[]), s, p, o),
        ]
    }

    const AFFIRMED_PLANNED: Option<(Polarity, Modality)> =
        Some((Polarity::Affirmed, Modality::Planned));

    #[test]
    fn a_negation_in_another_sentence_of_the_quotation_flips_nothing() {
        // Three sentences: a quotation's two (with "not" in each), a line break, and a
        // quoted plan. The arcs join *expects* to the first sentence's *expect*, as a parse
        // of the whole as one sentence would: a sentence boundary cuts that arc.
        let text = "The spokeswoman said: \"We do not expect a quick deal. The envoy did not travel.\"\n\
                    \"Marco Rubio expects to speak with the foreign ministers of Pakistan and India.\"";
        let quote =
            "\"Marco Rubio expects to speak with the foreign ministers of Pakistan and India.\"";
        let arcs: Arcs = vec![
            // The spokeswoman said : " We do not expect a quick deal .
            (Some(1), "det"),
            (Some(2), "nsubj"),
            (None, "root"),
            (Some(2), "punct"),
            (Some(8), "punct"),
            (Some(8), "nsubj"),
            (Some(8), "aux"),
            (Some(8), "advmod"),
            (Some(2), "ccomp"),
            (Some(11), "det"),
            (Some(11), "amod"),
            (Some(8), "obj"),
            (Some(2), "punct"),
            // The envoy did not travel . "
            (Some(14), "det"),
            (Some(17), "nsubj"),
            (Some(17), "aux"),
            (Some(17), "advmod"),
            (None, "root"),
            (Some(17), "punct"),
            (Some(17), "punct"),
            // " Marco Rubio expects to speak with the foreign ministers of Pakistan and India . "
            (Some(23), "punct"),
            (Some(22), "compound"),
            (Some(23), "nsubj"),
            (Some(8), "conj"),
            (Some(25), "mark"),
            (Some(23), "xcomp"),
            (Some(29), "case"),
            (Some(29), "det"),
            (Some(29), "amod"),
            (Some(25), "obl"),
            (Some(31), "case"),
            (Some(29), "nmod"),
            (Some(33), "cc"),
            (Some(31), "conj"),
            (Some(23), "punct"),
            (Some(23), "punct"),
        ];
        for doc in [analysed(text, &arcs), analysed(text, &[])] {
            assert_eq!(doc.sentences.len(), 3, "{:?}", doc.sentences);
            for country in ["Pakistan", "India"] {
                let role = format!("Foreign Minister of {country}");
                assert_eq!(
                    has(&doc, "Marco Rubio", "speak-with", &role),
                    AFFIRMED_PLANNED,
                    "deps: {}; {:#?}",
                    !doc.deps.is_empty(),
                    facts(&doc)
                );
            }
            let r = doc
                .relations
                .iter()
                .find(|r| r.predicate == "speak-with")
                .expect("a speak-with relation");
            let sentence = &doc.sentences[r.sentence];
            assert_eq!(&doc.text[sentence.start..sentence.end], quote);
        }
    }

    #[test]
    fn the_verbs_own_negation_negates() {
        let text = "Ghana did not meet Togo or visit Kenya.";
        let arcs: Arcs = vec![
            (Some(3), "nsubj"),
            (Some(3), "aux"),
            (Some(3), "advmod"),
            (None, "root"),
            (Some(3), "obj"),
            (Some(6), "cc"),
            (Some(3), "conj"),
            (Some(6), "obj"),
            (Some(3), "punct"),
        ];
        let doc = analysed(text, &arcs);
        let negated = Some((Polarity::Negated, Modality::Asserted));
        assert_eq!(
            has(&doc, "Ghana", "meet", "Togo"),
            negated,
            "{:#?}",
            facts(&doc)
        );
        // "or visit": the conjunct shares the negation with its subject.
        assert_eq!(
            has(&doc, "Ghana", "visit", "Kenya"),
            negated,
            "{:#?}",
            facts(&doc)
        );
        assert_eq!(has(&analysed(text, &[]), "Ghana", "meet", "Togo"), negated);
    }

    #[test]
    fn a_negation_of_another_verb_in_the_sentence_does_not() {
        // "met Togo, but did not sign": the negation is *sign*'s.
        let text = "Ghana met Togo, but did not sign the deal.";
        let arcs: Arcs = vec![
            (Some(1), "nsubj"),
            (None, "root"),
            (Some(1), "obj"),
            (Some(7), "punct"),
            (Some(7), "cc"),
            (Some(7), "aux"),
            (Some(7), "advmod"),
            (Some(1), "conj"),
            (Some(9), "det"),
            (Some(7), "obj"),
            (Some(1), "punct"),
        ];
        let asserted = Some((Polarity::Affirmed, Modality::Asserted));
        assert_eq!(both(text, arcs, "Ghana", "meet", "Togo"), [asserted; 2]);
        // The other way round: "but met" is not under *sign*'s negation.
        let text = "Ghana did not sign the deal but met Togo.";
        let arcs: Arcs = vec![
            (Some(3), "nsubj"),
            (Some(3), "aux"),
            (Some(3), "advmod"),
            (None, "root"),
            (Some(5), "det"),
            (Some(3), "obj"),
            (Some(7), "cc"),
            (Some(3), "conj"),
            (Some(7), "obj"),
            (Some(3), "punct"),
        ];
        assert_eq!(both(text, arcs, "Ghana", "meet", "Togo"), [asserted; 2]);
        // Nor is a relative clause's between the mentions, even where a parse reads the
        // clause's verb as the first conjunct (no coordinator: "vote, met").
        let text = "Ghana, which did not vote, met Togo.";
        let arcs: Arcs = vec![
            (Some(5), "nsubj"),
            (Some(5), "punct"),
            (Some(5), "nsubj"),
            (Some(5), "aux"),
            (Some(5), "advmod"),
            (None, "root"),
            (Some(7), "punct"),
            (Some(5), "conj"),
            (Some(7), "obj"),
            (Some(5), "punct"),
        ];
        assert_eq!(both(text, arcs, "Ghana", "meet", "Togo"), [asserted; 2]);
    }

    #[test]
    fn a_denial_negates_the_clause_it_governs() {
        let text = "Kenya denied that Ghana met Togo.";
        let arcs: Arcs = vec![
            (Some(1), "nsubj"),
            (None, "root"),
            (Some(4), "mark"),
            (Some(4), "nsubj"),
            (Some(1), "ccomp"),
            (Some(4), "obj"),
            (Some(1), "punct"),
        ];
        let negated = Some(Polarity::Negated);
        let [deps, words] = both(text, arcs.clone(), "Ghana", "meet", "Togo");
        assert_eq!([deps.map(|f| f.0), words.map(|f| f.0)], [negated; 2]);
        // The subject a pronoun, read from the words: "denied that it met".
        let doc = analysed("Kenya denied that it met Togo.", &[]);
        assert_eq!(
            has(&doc, "Kenya", "meet", "Togo").map(|f| f.0),
            negated,
            "{:#?}",
            facts(&doc)
        );
        // A denial denied denies nothing.
        let text = "Kenya did not deny that Ghana met Togo.";
        let arcs: Arcs = vec![
            (Some(3), "nsubj"),
            (Some(3), "aux"),
            (Some(3), "advmod"),
            (None, "root"),
            (Some(6), "mark"),
            (Some(6), "nsubj"),
            (Some(3), "ccomp"),
            (Some(6), "obj"),
            (Some(3), "punct"),
        ];
        let [deps, words] = both(text, arcs, "Ghana", "meet", "Togo");
        let affirmed = Some(Polarity::Affirmed);
        assert_eq!([deps.map(|f| f.0), words.map(|f| f.0)], [affirmed; 2]);
        // A refusal, and a negated expectation, over the infinitive they control.
        let text = "Ghana refused to meet Togo.";
        let arcs: Arcs = vec![
            (Some(1), "nsubj"),
            (None, "root"),
            (Some(3), "mark"),
            (Some(1), "xcomp"),
            (Some(3), "obj"),
            (Some(1), "punct"),
        ];
        let [deps, words] = both(text, arcs, "Ghana", "meet", "Togo");
        assert_eq!([deps.map(|f| f.0), words.map(|f| f.0)], [negated; 2]);
        let text = "Ghana is not expected to speak with Togo.";
        let arcs: Arcs = vec![
            (Some(3), "nsubj:pass"),
            (Some(3), "aux:pass"),
            (Some(3), "advmod"),
            (None, "root"),
            (Some(5), "mark"),
            (Some(3), "xcomp"),
            (Some(7), "case"),
            (Some(5), "obl"),
            (Some(3), "punct"),
        ];
        assert_eq!(
            both(text, arcs, "Ghana", "speak-with", "Togo"),
            [Some((Polarity::Negated, Modality::Planned)); 2]
        );
    }

    #[test]
    fn an_if_clause_is_conditional_and_its_main_clause_is_not() {
        let text = "If Ghana meets Togo, the talks will resume.";
        let arcs: Arcs = vec![
            (Some(2), "mark"),
            (Some(2), "nsubj"),
            (Some(8), "advcl"),
            (Some(2), "obj"),
            (Some(2), "punct"),
            (Some(6), "det"),
            (Some(8), "nsubj"),
            (Some(8), "aux"),
            (None, "root"),
            (Some(8), "punct"),
        ];
        assert_eq!(
            both(text, arcs, "Ghana", "meet", "Togo"),
            [Some((Polarity::Affirmed, Modality::Conditional)); 2]
        );
        let text = "Kenya will meet Togo if Ghana agrees.";
        let arcs: Arcs = vec![
            (Some(2), "nsubj"),
            (Some(2), "aux"),
            (None, "root"),
            (Some(2), "obj"),
            (Some(6), "mark"),
            (Some(6), "nsubj"),
            (Some(2), "advcl"),
            (Some(2), "punct"),
        ];
        assert_eq!(
            both(text, arcs, "Kenya", "meet", "Togo"),
            [AFFIRMED_PLANNED; 2]
        );
    }

    #[test]
    fn plans_stay_plans_and_reports_stay_reported() {
        let text = "Ghana will meet Togo and visit Kenya.";
        let arcs: Arcs = vec![
            (Some(2), "nsubj"),
            (Some(2), "aux"),
            (None, "root"),
            (Some(2), "obj"),
            (Some(5), "cc"),
            (Some(2), "conj"),
            (Some(5), "obj"),
            (Some(2), "punct"),
        ];
        let doc = analysed(text, &arcs);
        for (p, o) in [("meet", "Togo"), ("visit", "Kenya")] {
            assert_eq!(
                has(&doc, "Ghana", p, o),
                AFFIRMED_PLANNED,
                "{:#?}",
                facts(&doc)
            );
        }
        let text = "Mr. Adeyemi said Ghana met Togo.";
        let arcs: Arcs = vec![
            (Some(1), "compound"),
            (Some(2), "nsubj"),
            (None, "root"),
            (Some(4), "nsubj"),
            (Some(2), "ccomp"),
            (Some(4), "obj"),
            (Some(2), "punct"),
        ];
        assert_eq!(
            both(text, arcs, "Ghana", "meet", "Togo"),
            [Some((Polarity::Affirmed, Modality::Reported)); 2]
        );
    }
}
