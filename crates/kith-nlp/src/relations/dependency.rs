//! Verb-mediated relations over `Doc::deps`: subject and object or prepositional object of a verb, through control verbs, passives and coordination.

use super::*;

/// Verb-mediated relations read from the dependency layer: for each verb, its subjects
/// (`nsubj`, or a passive's `obl:agent`; inherited through `xcomp` from the controlling
/// verb and through `conj` from the first conjunct) and its objects (`obj`, or `obl` with
/// the preposition the predicate needs; a passive subject when there is an agent), each
/// extended by its `conj`s; polarity and modality from the verb and the verbs above it.
pub(super) fn dependency_relations(doc: &Doc, sentence: usize, out: &mut Vec<RelationSpan>) {
    let range = doc.sentences[sentence].tokens.clone();
    let mut children: Vec<Vec<(usize, &str)>> = vec![Vec::new(); range.len()];
    for t in range.clone() {
        if let Some(h) = doc.deps[t].head.filter(|h| range.contains(h)) {
            children[h - range.start].push((t, doc.deps[t].label));
        }
    }
    let kids = |t: usize| children[t - range.start].iter().copied();
    let entity_of = |t: usize| {
        let i = doc.entities.partition_point(|e| e.tokens.end <= t);
        doc.entities
            .get(i)
            .filter(|e| e.tokens.contains(&t))
            .map(|_| i)
    };
    let with_conj = |t: usize| {
        let mut all = vec![t];
        let mut i = 0;
        while i < all.len() {
            all.extend(kids(all[i]).filter(|(_, l)| *l == "conj").map(|(c, _)| c));
            i += 1;
        }
        all
    };
    // The subject of a verb, inherited from the verb that controls it or that it is
    // coordinated with; (token, passive?).
    let subject_of = |v: usize| {
        let mut at = v;
        for _ in 0..range.len() {
            if let Some((s, l)) = kids(at).find(|(_, l)| l.starts_with("nsubj")) {
                return Some((s, l == "nsubj:pass"));
            }
            match (doc.deps[at].label, doc.deps[at].head) {
                ("xcomp" | "conj", Some(h)) if range.contains(&h) => at = h,
                _ => return None,
            }
        }
        None // a cyclic parse: no subject rather than no end
    };
    // Whether each verb's facts are reported rather than stated; see [`reported_verbs`].
    let reported = reported_verbs(doc, &range, &children);
    // A dateline ("WASHINGTON, April 23 — ...") names where the story was filed, not who
    // acts: mentions before its dash take no part in verb relations.
    let body = doc
        .dateline_dash(sentence)
        .map_or(range.start, |dash| dash + 1);
    let entity_of = |t: usize| if t < body { None } else { entity_of(t) };
    // "accusations" in "rejected India's accusations": the speech act's author, if a
    // mention (possessor, or *of* / *by* / *from*), stands for the object.
    let author_of = |o: usize| {
        let noun = doc.token_text(o).to_lowercase();
        if entity_of(o).is_some() || !SPEECH_ACT_NOUNS.contains(&noun.as_str()) {
            return o;
        }
        let by_case = |a: usize| {
            kids(a)
                .find(|(_, l)| *l == "case")
                .is_some_and(|(c, _)| speech_act_author(&noun, &doc.token_text(c).to_lowercase()))
        };
        kids(o)
            .find(|&(a, l)| {
                entity_of(a).is_some() && (l == "nmod:poss" || (l == "nmod" && by_case(a)))
            })
            .map_or(o, |(a, _)| a)
    };
    // The preposition right before the mentions leading up to token `o` ("with" in "with
    // Foreign Minister X"), if the tagger calls it one.
    let phrase_case = |o: usize| {
        let mut t = o;
        while t > range.start {
            let p = t - 1;
            match entity_of(p) {
                Some(e) => t = doc.entities[e].tokens.start,
                None if doc.pos.len() == doc.tokens.len() && doc.pos[p].upos == "ADP" => {
                    return Some(doc.token_text(p).to_lowercase())
                }
                None => return None,
            }
            if t > o {
                return None;
            }
        }
        None
    };
    // The noun of a nominal predicate ("contact" in "was in contact with"), with its
    // pattern: the noun has the pattern's first preposition as `case`.
    let nominal = |n: usize, word: &str| {
        NOMINAL_PATTERNS.iter().find(|(w, _, _)| {
            w[1] == word
                && kids(n).any(|(c, l)| l == "case" && doc.token_text(c).eq_ignore_ascii_case(w[0]))
        })
    };
    let tagged = doc.pos.len() == doc.tokens.len();
    for v in range.clone() {
        let word = doc.token_text(v).to_lowercase();
        let nominal = nominal(v, &word);
        if nominal.is_none() && !VERB_PATTERNS.iter().any(|(w, _, _)| w[0] == word) {
            // Any other verb with a subject mention gives open predicates.
            if tagged && doc.pos[v].upos == "VERB" {
                let lemma = open::verb_lemma(doc.token_text(v), doc.pos[v].xpos);
                if !open::NOT_PREDICATES.contains(&lemma.as_str()) {
                    open_relations(
                        doc,
                        v,
                        &lemma,
                        OpenContext {
                            range: &range,
                            children: &children,
                            reported: reported[v - range.start],
                            body,
                            sentence,
                        },
                        out,
                    );
                }
            }
            continue;
        }
        let Some((subject, passive)) = subject_of(v) else {
            continue;
        };
        let agent = kids(v).find(|(_, l)| *l == "obl:agent").map(|(a, _)| a);
        let mut pairs: Vec<(usize, usize, &'static str, RelationClass)> = Vec::new();
        let lookup = |words: &[&str]| {
            VERB_PATTERNS
                .iter()
                .find(|(w, _, _)| *w == words)
                .map(|(_, p, c)| (*p, *c))
        };
        if let (true, Some(agent)) = (passive, agent) {
            if let Some((p, c)) = lookup(&[&word]) {
                pairs.push((agent, subject, p, c));
            }
        }
        let case_of = |o: usize| {
            kids(o)
                .find(|(_, l)| *l == "case")
                .map(|(c, _)| doc.token_text(c).to_lowercase())
        };
        for (o, label) in kids(v) {
            let found = match (label, nominal) {
                // "was in contact with India": the noun's `with` phrase.
                ("nmod" | "obl", Some((w, p, c))) => {
                    (case_of(o).as_deref() == Some(w[2])).then_some((*p, *c))
                }
                (_, Some(_)) => None,
                // "told Rubio", "asked Asif": the indirect object is the one addressed;
                // an object right after a preposition ("spoke with Foreign Minister X",
                // the preposition attached inside the phrase) takes that preposition.
                ("obj" | "iobj", None) if !passive => {
                    lookup(&[&word]).or_else(|| phrase_case(o).and_then(|c| lookup(&[&word, &c])))
                }
                ("obl" | "obl:arg", None) => case_of(o).and_then(|c| lookup(&[&word, &c])),
                _ => None,
            };
            if let Some((p, c)) = found {
                pairs.push((subject, author_of(o), p, c));
            }
        }
        if pairs.is_empty() {
            continue;
        }
        let (polarity, modality) = flags(doc, v, &range, &children, reported[v - range.start]);
        for (s, o, predicate, class) in pairs {
            // A title before a name ("Secretary of State Marco Rubio") may carry the arc;
            // the fact is the named holder's.
            let holder = |e: usize| head_of_chain(doc, e, doc.entities.len());
            for s in with_conj(s).into_iter().filter_map(entity_of).map(holder) {
                for o in with_conj(o).into_iter().filter_map(entity_of).map(holder) {
                    if s == o
                        || (predicate == "kill"
                            && (doc.entities[s].kind != EntityType::Person
                                || doc.entities[o].kind != EntityType::Person))
                    {
                        continue;
                    }
                    let mut r = relation(s, o, predicate, class, sentence, 0.65);
                    r.polarity = polarity;
                    r.modality = modality;
                    out.push(r);
                }
            }
        }
    }
}

/// The mention a chain of modifiers ends in: "Sky News anchor Yalda Hakim" → Yalda Hakim.
pub(super) fn head_of_chain(doc: &Doc, mut at: usize, end: usize) -> usize {
    let start = at;
    // A chain longer than a few names is a list, not a phrase: stop (and stay linear).
    while at + 1 < end && at - start < MAX_GAP {
        let (this, next) = (&doc.entities[at], &doc.entities[at + 1]);
        let gap = between(doc, this, next);
        let titled =
            (this.kind == EntityType::Role && next.kind == EntityType::Person && gap == [","])
                || (this.kind == EntityType::Person
                    && next.kind == EntityType::Person
                    && gap.len() == 1
                    && KILLER_NOUNS.contains(&gap[0].as_str()));
        if !(is_modifier(&gap) || titled) {
            break;
        }
        at += 1;
    }
    at
}

/// The object and the mentions coordinated with it: "B and C", "B, C and D".
pub(super) fn coordinated(doc: &Doc, first: usize, end: usize) -> Vec<usize> {
    let mut targets = vec![first];
    let mut last = first;
    for next in (first + 1..end).take(MAX_COORDINATED) {
        let gap = between(doc, &doc.entities[last], &doc.entities[next]);
        let joins = matches!(
            gap.iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice(),
            ["and"] | [","] | [",", "and"] | ["or"]
        );
        if !joins || doc.entities[next].kind != doc.entities[first].kind {
            break;
        }
        targets.push(next);
        last = next;
    }
    targets
}

/// What [`open_relations`] needs of the sentence being read.
pub(super) struct OpenContext<'a> {
    range: &'a std::ops::Range<usize>,
    children: &'a [Vec<(usize, &'static str)>],
    reported: bool,
    /// The first token after a dateline's dash (mentions before it take no part).
    body: usize,
    sentence: usize,
}

/// Open predicates of verb `v` (lemma `lemma`, outside the closed lists): its subject
/// mention (or a passive's agent) to each object mention (`obj`: the lemma; `obl` with
/// preposition *p*: `lemma-p`, with a non-mention object noun in between when the verb has
/// one: `sign-deal-with`), each extended by its conjuncts; unclassed unless
/// [`open::open_class`] knows the lemma.
fn open_relations(
    doc: &Doc,
    v: usize,
    lemma: &str,
    cx: OpenContext<'_>,
    out: &mut Vec<RelationSpan>,
) {
    // A "verb" without a letter (a tagger's guess on "\\" or "--") names no predicate: its
    // lemma would normalise to an empty one, which facts may not hold (found by fuzzing).
    if !lemma.chars().any(char::is_alphanumeric) {
        return;
    }
    let range = cx.range;
    let kids = |t: usize| cx.children[t - range.start].iter().copied();
    let entity_of = |t: usize| {
        if t < cx.body {
            return None;
        }
        let i = doc.entities.partition_point(|e| e.tokens.end <= t);
        doc.entities
            .get(i)
            .filter(|e| e.tokens.contains(&t) && e.kind != EntityType::Role)
            .map(|_| i)
    };
    let with_conj = |t: usize| {
        let mut all = vec![t];
        let mut i = 0;
        while i < all.len() {
            all.extend(kids(all[i]).filter(|(_, l)| *l == "conj").map(|(c, _)| c));
            i += 1;
        }
        all
    };
    let subject = kids(v).find(|(_, l)| l.starts_with("nsubj"));
    let passive = subject.is_some_and(|(_, l)| l == "nsubj:pass");
    let agent = kids(v).find(|(_, l)| *l == "obl:agent").map(|(a, _)| a);
    let case_of = |o: usize| {
        kids(o)
            .find(|(_, l)| *l == "case")
            .map(|(c, _)| doc.token_text(c).to_lowercase())
    };
    // The verb's object noun when it is no mention ("a deal" in "signed a deal with X").
    let object_noun = kids(v)
        .find(|&(o, l)| l == "obj" && entity_of(o).is_none() && doc.pos[o].upos == "NOUN")
        .map(|(o, _)| doc.token_text(o).to_lowercase());
    let mut pairs: Vec<(usize, usize, String)> = Vec::new();
    match (subject, passive, agent) {
        (Some((s, _)), false, _) => {
            for (o, label) in kids(v) {
                match label {
                    "obj" => pairs.push((s, o, lemma.to_string())),
                    "obl" | "obl:arg" => {
                        if let Some(c) = case_of(o) {
                            let p = match &object_noun {
                                Some(n) => format!("{lemma}-{n}-{c}"),
                                None => format!("{lemma}-{c}"),
                            };
                            pairs.push((s, o, p));
                        }
                    }
                    _ => {}
                }
            }
        }
        // "X was founded by Y": Y found X.
        (Some((s, _)), true, Some(a)) => pairs.push((a, s, lemma.to_string())),
        _ => {}
    }
    if pairs.is_empty() {
        return;
    }
    let (polarity, modality) = flags(doc, v, range, cx.children, cx.reported);
    for (s, o, predicate) in pairs {
        let predicate = kith_schema::normalize_predicate(&predicate);
        for s in with_conj(s).into_iter().filter_map(entity_of) {
            for o in with_conj(o).into_iter().filter_map(entity_of) {
                if s == o {
                    continue;
                }
                out.push(RelationSpan {
                    subject: s,
                    object: o,
                    predicate: predicate.clone(),
                    class: open::open_class(lemma),
                    polarity,
                    modality,
                    confidence: 0.5,
                    sentence: cx.sentence,
                });
            }
        }
    }
}

/// The subject-verb-object baseline: for every verb of every parsed sentence, its subject
/// mention related to each object or oblique mention by the verb's lemma phrase, as
/// [`open_relations`] reads them, with nothing else (no closed lists, titles, places or
/// model). It is the floor the relation layer is measured against.
pub fn svo_baseline(doc: &Doc) -> Vec<RelationSpan> {
    let mut out = Vec::new();
    if doc.deps.len() != doc.tokens.len() || doc.pos.len() != doc.tokens.len() {
        return out;
    }
    for (sentence, s) in doc.sentences.iter().enumerate() {
        let range = s.tokens.clone();
        let mut children: Vec<Vec<(usize, &'static str)>> = vec![Vec::new(); range.len()];
        for t in range.clone() {
            if let Some(h) = doc.deps[t].head.filter(|h| range.contains(h)) {
                children[h - range.start].push((t, doc.deps[t].label));
            }
        }
        for v in range.clone() {
            if doc.pos[v].upos != "VERB" {
                continue;
            }
            let lemma = open::verb_lemma(doc.token_text(v), doc.pos[v].xpos);
            let cx = OpenContext {
                range: &range,
                children: &children,
                reported: false,
                body: range.start,
                sentence,
            };
            open_relations(doc, v, &lemma, cx, &mut out);
        }
    }
    out
}
