//! Standard scores: CoNLL entity-level P/R/F1 (conlleval) and POS token accuracy.

use crate::conll::chunks;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Counts and derived precision, recall and F1 (in percent, as conlleval prints them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Prf {
    /// Gold chunks found with exact span and type.
    pub correct: usize,
    /// Predicted chunks.
    pub predicted: usize,
    /// Gold chunks.
    pub gold: usize,
}

impl Prf {
    /// Precision in percent: correct over predicted (0 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            0.0
        } else {
            100.0 * self.correct as f64 / self.predicted as f64
        }
    }
    /// Recall in percent: correct over gold (0 when there is no gold).
    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            0.0
        } else {
            100.0 * self.correct as f64 / self.gold as f64
        }
    }
    /// F1 in percent: the harmonic mean of precision and recall (0 when both are 0).
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: &Prf) {
        self.correct += o.correct;
        self.predicted += o.predicted;
        self.gold += o.gold;
    }
}

/// Entity-level scores: exact span and type, per type and micro-averaged overall, as
/// conlleval computes them; plus token-level tag accuracy.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct EntityScores {
    /// Scores per entity type.
    pub per_type: BTreeMap<String, Prf>,
    /// Scores over all types (micro-averaged).
    pub overall: Prf,
    /// Tokens scored.
    pub tokens: usize,
    /// Tokens whose predicted tag equals the gold tag.
    pub tokens_correct: usize,
}

impl EntityScores {
    /// Adds the chunks of one sentence (gold and predicted tags, same length; any of IOB1,
    /// BIO, BIOES/BILOU). Chunks never cross sentences.
    pub fn add_sentence<G: AsRef<str>, P: AsRef<str>>(&mut self, gold: &[G], pred: &[P]) {
        assert_eq!(
            gold.len(),
            pred.len(),
            "gold and predicted tags differ in length"
        );
        let g: BTreeSet<_> = chunks(gold).into_iter().collect();
        let p: BTreeSet<_> = chunks(pred).into_iter().collect();
        for c in &g {
            let e = self.per_type.entry(c.kind.clone()).or_default();
            e.gold += 1;
            if p.contains(c) {
                e.correct += 1;
            }
        }
        for c in &p {
            self.per_type.entry(c.kind.clone()).or_default().predicted += 1;
        }
        self.tokens += gold.len();
        self.tokens_correct += gold
            .iter()
            .zip(pred)
            .filter(|(a, b)| a.as_ref() == b.as_ref())
            .count();
        let mut overall = Prf::default();
        for v in self.per_type.values() {
            overall.add(v);
        }
        self.overall = overall;
    }

    /// Token accuracy of the tags, in percent.
    pub fn token_accuracy(&self) -> f64 {
        if self.tokens == 0 {
            0.0
        } else {
            100.0 * self.tokens_correct as f64 / self.tokens as f64
        }
    }
}

/// Scores sentence-aligned gold and predicted tag sequences.
pub fn score_entities<G: AsRef<str>, P: AsRef<str>>(
    gold: &[Vec<G>],
    pred: &[Vec<P>],
) -> EntityScores {
    assert_eq!(
        gold.len(),
        pred.len(),
        "gold and predicted sentence counts differ"
    );
    let mut s = EntityScores::default();
    for (g, p) in gold.iter().zip(pred) {
        s.add_sentence(g, p);
    }
    s
}

impl fmt::Display for EntityScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<14} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7}",
            "type", "precision", "recall", "F1", "gold", "pred", "correct"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, p: &Prf| {
            writeln!(
                f,
                "{:<14} {:>9.2} {:>9.2} {:>9.2} {:>7} {:>7} {:>7}",
                name,
                p.precision(),
                p.recall(),
                p.f1(),
                p.gold,
                p.predicted,
                p.correct
            )
        };
        for (k, v) in &self.per_type {
            row(f, k, v)?;
        }
        row(f, "overall", &self.overall)?;
        write!(
            f,
            "token accuracy {:.2}% of {} tokens",
            self.token_accuracy(),
            self.tokens
        )
    }
}

/// POS token accuracy, UPOS and XPOS.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PosScores {
    /// Tokens scored.
    pub tokens: usize,
    /// Tokens whose UPOS is right.
    pub upos_correct: usize,
    /// Tokens whose XPOS is right.
    pub xpos_correct: usize,
    /// Both right.
    pub both_correct: usize,
}

impl PosScores {
    /// UPOS accuracy in percent.
    pub fn upos_accuracy(&self) -> f64 {
        pct(self.upos_correct, self.tokens)
    }
    /// XPOS accuracy in percent.
    pub fn xpos_accuracy(&self) -> f64 {
        pct(self.xpos_correct, self.tokens)
    }
    /// Accuracy in percent of UPOS and XPOS both right.
    pub fn both_accuracy(&self) -> f64 {
        pct(self.both_correct, self.tokens)
    }
    /// Adds one sentence: gold and predicted (UPOS, XPOS) per token.
    pub fn add_sentence<S: AsRef<str>, T: AsRef<str>>(
        &mut self,
        gold_upos: &[S],
        gold_xpos: &[S],
        upos: &[T],
        xpos: &[T],
    ) {
        assert!(
            gold_upos.len() == upos.len()
                && gold_xpos.len() == xpos.len()
                && upos.len() == xpos.len()
        );
        for i in 0..upos.len() {
            let u = gold_upos[i].as_ref() == upos[i].as_ref();
            let x = gold_xpos[i].as_ref() == xpos[i].as_ref();
            self.tokens += 1;
            self.upos_correct += u as usize;
            self.xpos_correct += x as usize;
            self.both_correct += (u && x) as usize;
        }
    }
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

/// Scores POS predictions against gold sentences.
pub fn score_pos(
    gold: &[crate::PosSentence],
    pred_upos: &[Vec<String>],
    pred_xpos: &[Vec<String>],
) -> PosScores {
    let mut s = PosScores::default();
    for ((g, u), x) in gold.iter().zip(pred_upos).zip(pred_xpos) {
        s.add_sentence(&g.upos, &g.xpos, u, x);
    }
    s
}

impl fmt::Display for PosScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{:<8} {:>9} {:>9}", "tagset", "accuracy", "correct")?;
        writeln!(
            f,
            "{:<8} {:>8.2}% {:>9}",
            "UPOS",
            self.upos_accuracy(),
            self.upos_correct
        )?;
        writeln!(
            f,
            "{:<8} {:>8.2}% {:>9}",
            "XPOS",
            self.xpos_accuracy(),
            self.xpos_correct
        )?;
        writeln!(
            f,
            "{:<8} {:>8.2}% {:>9}",
            "both",
            self.both_accuracy(),
            self.both_correct
        )?;
        write!(f, "{} tokens", self.tokens)
    }
}
