//! A relation classifier trained on CoNLL04 train, for measurement only
//! (`kith eval relations --classifier-train FILE`): CoNLL04 is research-only, so the
//! classifier lives in memory for one evaluation and is never written to disk or shipped.
//!
//! It reads every ordered pair of entities the real pipeline found in a sentence whose
//! CoNLL04 types some relation allows, and chooses one of the relation types or none with
//! an averaged perceptron (kith-nlp's) over hashed features: the type pair and order, the
//! words and POS tags between, the words around, the entities' last words and Kith types,
//! and the relations the rules found between the two (so it learns when to trust them).

use kith_corpus::conll04::StrictRelation;
use kith_corpus::{Re04Entity, CONLL04_RELATIONS};
use kith_nlp::train::{
    argmax, dependency_path, FeatureHasher, Perceptron, Rng, WeightSum, Weights, WeightsKind,
};
use kith_nlp::Doc;
use kith_schema::Polarity;

/// One candidate pair of a sentence.
pub struct Candidate {
    /// The relation's subject.
    pub subject: Re04Entity,
    /// The relation's object.
    pub object: Re04Entity,
    features: Vec<u64>,
    /// Allowed classes: 0 (none) and the relation types of this type pair.
    allowed: Vec<usize>,
    /// The gold class (0 = none), when known.
    gold: usize,
}

/// Relation types that fit a (subject, object) CoNLL04 type pair, as indices into
/// [`CONLL04_RELATIONS`] plus one.
fn allowed(subject: &str, object: &str) -> Vec<usize> {
    let kind = match (subject, object) {
        ("Peop", "Peop") => "Kill",
        ("Peop", "Org") => "Work_For",
        ("Peop", "Loc") => "Live_In",
        ("Org", "Loc") => "OrgBased_In",
        ("Loc", "Loc") => "Located_In",
        _ => return Vec::new(),
    };
    vec![
        0,
        1 + CONLL04_RELATIONS.iter().position(|k| *k == kind).unwrap(),
    ]
}

/// Longest distance in tokens between two entities of a candidate.
const MAX_DISTANCE: usize = 40;

/// The candidates of one analysed sentence: `mapped[i]` is the CoNLL04 entity of
/// `doc.entities[i]` (`None` when it is none); `gold` labels them for training.
pub fn candidates(
    doc: &Doc,
    mapped: &[Option<Re04Entity>],
    gold: &[StrictRelation],
) -> Vec<Candidate> {
    let mut out = Vec::new();
    let lower = |t: usize| doc.token_text(t).to_lowercase();
    for (i, a) in mapped.iter().enumerate() {
        let Some(a) = a else { continue };
        for (j, b) in mapped.iter().enumerate() {
            let Some(b) = b else { continue };
            if i == j || a == b {
                continue;
            }
            let classes = allowed(&a.kind, &b.kind);
            if classes.is_empty() {
                continue;
            }
            let (x, y) = (&doc.entities[i], &doc.entities[j]);
            let (first, second) = if i < j { (x, y) } else { (y, x) };
            if second.tokens.start < first.tokens.end
                || second.tokens.start - first.tokens.end > MAX_DISTANCE
            {
                continue;
            }
            let pair = FeatureHasher::new(0)
                .str(&a.kind)
                .str(&b.kind)
                .int((i < j) as u64)
                .finish();
            let mut f: Vec<u64> = Vec::new();
            let mut add = |template: u32, parts: &[&str]| {
                let mut h = FeatureHasher::new(template).int(pair);
                for p in parts {
                    h = h.str(p);
                }
                f.push(h.finish());
            };
            add(1, &[]);
            let between: Vec<String> = (first.tokens.end..second.tokens.start).map(lower).collect();
            let distance = between.len();
            add(2, &[&distance.min(10).to_string()]);
            for w in &between {
                add(3, &[w]);
            }
            for w in between.windows(2) {
                add(4, &[&w[0], &w[1]]);
            }
            if let (Some(f0), Some(l0)) = (between.first(), between.last()) {
                add(5, &[f0]);
                add(6, &[l0]);
                add(7, &[f0, l0]);
            }
            if distance <= 4 {
                add(8, &[&between.join(" ")]);
            }
            if !doc.pos.is_empty() && distance <= 6 {
                let tags: Vec<&str> = (first.tokens.end..second.tokens.start)
                    .map(|t| doc.pos[t].upos)
                    .collect();
                add(9, &[&tags.join(" ")]);
            }
            let before = first
                .tokens
                .start
                .checked_sub(1)
                .map(lower)
                .unwrap_or_default();
            let after = if second.tokens.end < doc.tokens.len() {
                lower(second.tokens.end)
            } else {
                String::new()
            };
            add(10, &[&before]);
            add(11, &[&after]);
            add(12, &[&lower(x.tokens.end - 1)]);
            add(13, &[&lower(y.tokens.end - 1)]);
            add(14, &[x.kind.as_str(), y.kind.as_str()]);
            let inside: Vec<&str> = doc
                .entities
                .iter()
                .filter(|e| {
                    e.tokens.start >= first.tokens.end && e.tokens.end <= second.tokens.start
                })
                .map(|e| e.kind.as_str())
                .collect();
            add(15, &[&inside.len().min(3).to_string()]);
            for k in &inside {
                add(16, &[k]);
            }
            let mut ruled = false;
            for r in &doc.relations {
                let forward = r.subject == i && r.object == j;
                let backward = r.subject == j && r.object == i;
                if forward || backward {
                    ruled = true;
                    let polarity = if r.polarity == Polarity::Negated {
                        "neg"
                    } else {
                        "pos"
                    };
                    add(
                        17,
                        &[&r.predicate, if forward { "fwd" } else { "bwd" }, polarity],
                    );
                }
            }
            add(18, &[if ruled { "ruled" } else { "unruled" }]);
            if let Some(path) = dependency_path(doc, x.tokens.clone(), y.tokens.clone()) {
                add(19, &[&path.labels]);
                add(20, &[&path.labels, &path.words]);
                add(21, &[&path.words]);
                for w in path.words.split(' ').filter(|w| !w.is_empty()) {
                    add(22, &[w]);
                }
                add(23, &[&path.labels, x.kind.as_str(), y.kind.as_str()]);
            } else {
                add(19, &["none"]);
            }
            // Crude stems (first five letters) generalise verb and noun forms over little data.
            let stem = |w: &str| w.chars().take(5).collect::<String>();
            for (t, w) in (first.tokens.end..second.tokens.start).zip(&between) {
                add(26, &[&stem(w)]);
                if !doc.pos.is_empty() && matches!(doc.pos[t].upos, "VERB" | "NOUN" | "ADP") {
                    add(27, &[doc.pos[t].upos, &stem(w)]);
                }
            }
            let words = |e: &kith_nlp::EntitySpan| {
                e.tokens.clone().map(lower).collect::<Vec<_>>().join(" ")
            };
            add(24, &[&words(x)]);
            add(25, &[&words(y)]);
            let gold_class = gold.iter().find(|g| g.0 == *a && g.1 == *b).map_or(0, |g| {
                1 + CONLL04_RELATIONS
                    .iter()
                    .position(|k| *k == g.2)
                    .unwrap_or(0)
            });
            out.push(Candidate {
                subject: a.clone(),
                object: b.clone(),
                features: f,
                allowed: classes,
                gold: gold_class,
            });
        }
    }
    out
}

/// Perceptrons averaged into the classifier, each over its own shuffles: averaging
/// lowers the variance of one perceptron on a few thousand candidates (5-fold
/// cross-validation on CoNLL04 train: micro F1 53.11 against 52.60 for one).
const ENSEMBLE: u64 = 5;

/// Trains the classifier on labelled candidates: the mean of `ENSEMBLE` perceptrons,
/// each of `epochs` passes in its own seeded order, averaged.
pub fn train(mut data: Vec<Candidate>, epochs: usize) -> Weights {
    let mut sum = WeightSum::new(CONLL04_RELATIONS.len() + 1);
    for seed in 0..ENSEMBLE {
        sum.add(&train_one(&mut data, epochs, 20040 + seed));
    }
    sum.mean(0.0, WeightsKind::F32)
}

/// One averaged perceptron: `epochs` passes over `data`, shuffled with `seed` before each.
fn train_one(data: &mut [Candidate], epochs: usize, seed: u64) -> Weights {
    let classes = CONLL04_RELATIONS.len() + 1;
    let mut model = Perceptron::new(classes);
    let mut rng = Rng::new(seed);
    let mut scores = vec![0.0; classes];
    for _ in 0..epochs {
        rng.shuffle(data);
        for c in data.iter() {
            model.tick();
            model.scores(&c.features, &mut scores);
            let guess = best(&scores, &c.allowed);
            if guess != c.gold {
                model.update(&c.features, c.gold, 1.0);
                model.update(&c.features, guess, -1.0);
            }
        }
    }
    model.averaged(0.0, WeightsKind::F32)
}

fn best(scores: &[f32], allowed: &[usize]) -> usize {
    let masked: Vec<f32> = allowed.iter().map(|&c| scores[c]).collect();
    allowed[argmax(&masked)]
}

/// The relations the classifier predicts among a sentence's candidates.
pub fn predict(weights: &Weights, candidates: &[Candidate]) -> Vec<StrictRelation> {
    let mut scores = vec![0.0; CONLL04_RELATIONS.len() + 1];
    let mut out: Vec<StrictRelation> = candidates
        .iter()
        .filter_map(|c| {
            weights.scores(&c.features, &mut scores);
            let class = best(&scores, &c.allowed);
            (class > 0).then(|| {
                (
                    c.subject.clone(),
                    c.object.clone(),
                    CONLL04_RELATIONS[class - 1].to_string(),
                )
            })
        })
        .collect();
    out.sort();
    out.dedup();
    out
}
