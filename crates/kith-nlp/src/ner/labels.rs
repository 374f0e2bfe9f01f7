//! BILOU labels over Kith's five NER types, BIO conversion, and Viterbi decoding under
//! valid-transition constraints with max-marginal margins.

use kith_schema::EntityType;

/// The types the recognizer predicts, in label order.
pub const TYPES: [EntityType; 5] = [
    EntityType::Person,
    EntityType::Organization,
    EntityType::Location,
    EntityType::Event,
    EntityType::Other,
];

/// `O` plus B, I, L, U of each type.
pub const N_LABELS: usize = 1 + 4 * TYPES.len();
pub const O: u8 = 0;
pub const B: u8 = 0;
pub const I: u8 = 1;
pub const L: u8 = 2;
pub const U: u8 = 3;

/// Label of a type index and position (B, I, L, U).
pub fn label(ty: usize, pos: u8) -> u8 {
    1 + ty as u8 * 4 + pos
}

/// (type index, position) of a label; `None` for `O`.
pub fn parts(label: u8) -> Option<(usize, u8)> {
    (label != O).then(|| (((label - 1) / 4) as usize, (label - 1) % 4))
}

pub fn label_name(label: u8) -> String {
    match parts(label) {
        None => "O".into(),
        Some((t, p)) => format!("{}-{}", ["B", "I", "L", "U"][p as usize], TYPES[t].as_str()),
    }
}

/// The type a tag's type part names: Kith names and the usual data-set names.
pub fn type_index(name: &str) -> Option<usize> {
    let t = match name {
        "Person" | "PER" | "person" | "PERSON" | "Peop" => EntityType::Person,
        "Organization" | "ORG" | "organization" | "ORGANIZATION" | "Org" => EntityType::Organization,
        "Location" | "LOC" | "location" | "LOCATION" | "Loc" | "place" | "GPE" => EntityType::Location,
        "Event" | "EVENT" | "event" => EntityType::Event,
        "Other" | "MISC" | "Misc" | "misc" | "other" => EntityType::Other,
        _ => return None,
    };
    TYPES.iter().position(|&x| x == t)
}

/// Spans `(start, end, type index)` of BIO (or IOB1) tags. An `I-` that does not continue
/// an entity of its type starts one; unknown types are outside.
pub fn bio_spans<S: AsRef<str>>(tags: &[S]) -> Vec<(usize, usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let tag = tag.as_ref();
        let (prefix, ty) = match tag.split_once('-') {
            Some((p, t)) => (p, type_index(t)),
            None => ("O", None),
        };
        let continues = prefix == "I" && matches!((open, ty), (Some((_, a)), Some(b)) if a == b);
        if !continues {
            if let Some((s, t)) = open.take() {
                spans.push((s, i, t));
            }
            if let (Some(t), "B" | "I" | "S" | "E" | "U" | "L") = (ty, prefix) {
                open = Some((i, t));
            }
        }
        // BIOES/BILOU tags close their entity.
        if matches!(prefix, "E" | "S" | "L" | "U") {
            if let Some((s, t)) = open.take() {
                spans.push((s, i + 1, t));
            }
        }
    }
    if let Some((s, t)) = open {
        spans.push((s, tags.len(), t));
    }
    spans
}

/// BILOU labels of `n` tokens with these (non-overlapping, sorted) spans.
pub fn spans_to_bilou(n: usize, spans: &[(usize, usize, usize)]) -> Vec<u8> {
    let mut labels = vec![O; n];
    for &(s, e, t) in spans {
        if e - s == 1 {
            labels[s] = label(t, U);
        } else {
            labels[s] = label(t, B);
            for l in &mut labels[s + 1..e - 1] {
                *l = label(t, I);
            }
            labels[e - 1] = label(t, L);
        }
    }
    labels
}

/// Spans of a BILOU sequence (invalid pieces are read leniently: never produced by
/// [`Decoder`]).
pub fn bilou_spans(labels: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    for (i, &l) in labels.iter().enumerate() {
        match parts(l) {
            None => {
                if let Some((s, t)) = open.take() {
                    spans.push((s, i, t));
                }
            }
            Some((t, pos)) => {
                let continues = matches!(open, Some((_, o)) if o == t) && (pos == I || pos == L);
                if !continues {
                    if let Some((s, o)) = open.take() {
                        spans.push((s, i, o));
                    }
                    open = Some((i, t));
                }
                if pos == L || pos == U {
                    let (s, t) = open.take().unwrap();
                    spans.push((s, i + 1, t));
                }
            }
        }
    }
    if let Some((s, t)) = open {
        spans.push((s, labels.len(), t));
    }
    spans
}

/// Whether `cur` may follow `prev` (`None`: sentence start).
pub fn allowed(prev: Option<u8>, cur: u8) -> bool {
    let inside = |l: u8| matches!(parts(l), Some((_, B | I)));
    match (prev, parts(cur)) {
        (None, c) => !matches!(c, Some((_, I | L))),
        (Some(p), None) => !inside(p),
        (Some(p), Some((t, pos))) => match pos {
            B | U => !inside(p),
            _ => matches!(parts(p), Some((pt, B | I)) if pt == t),
        },
    }
}

/// Whether a sentence may end on `label`.
pub fn allowed_end(label: u8) -> bool {
    !matches!(parts(label), Some((_, B | I)))
}

/// Whether a whole sequence is valid BILOU.
#[allow(dead_code)]
pub fn is_valid(labels: &[u8]) -> bool {
    let mut prev = None;
    for &l in labels {
        if !allowed(prev, l) {
            return false;
        }
        prev = Some(l);
    }
    labels.last().is_none_or(|&l| allowed_end(l))
}

const NEG: f32 = -1e30;

/// First-order Viterbi over BILOU labels: transition scores (learned) plus validity.
#[derive(Clone, Debug)]
pub struct Decoder {
    /// Score of each label at the start (`NEG` if invalid there).
    start: [f32; N_LABELS],
    /// Valid non-start predecessors of label `y`: `pred[poff[y]..poff[y+1]]`, with the
    /// transition score of each in `ptrans` (same positions).
    pred: Vec<u8>,
    ptrans: Vec<f32>,
    poff: [usize; N_LABELS + 1],
    /// Valid successors of label `p`: `succ[soff[p]..soff[p+1]]`, scores in `strans`.
    succ: Vec<u8>,
    strans: Vec<f32>,
    soff: [usize; N_LABELS + 1],
    alpha: Vec<f32>,
    beta: Vec<f32>,
    back: Vec<u8>,
}

impl Decoder {
    /// `trans(p, y)`: learned score of `y` after `p` (`p == N_LABELS`: at the start).
    pub fn new(mut trans: impl FnMut(usize, usize) -> f32) -> Decoder {
        let n = N_LABELS;
        let mut start = [NEG; N_LABELS];
        let mut t = vec![[None::<f32>; N_LABELS]; n];
        for y in 0..n {
            if allowed(None, y as u8) {
                start[y] = trans(n, y);
            }
            for (p, row) in t.iter_mut().enumerate() {
                if allowed(Some(p as u8), y as u8) {
                    row[y] = Some(trans(p, y));
                }
            }
        }
        let (mut pred, mut ptrans, mut poff) = (Vec::new(), Vec::new(), [0usize; N_LABELS + 1]);
        for y in 0..n {
            for (p, row) in t.iter().enumerate() {
                if let Some(v) = row[y] {
                    pred.push(p as u8);
                    ptrans.push(v);
                }
            }
            poff[y + 1] = pred.len();
        }
        let (mut succ, mut strans, mut soff) = (Vec::new(), Vec::new(), [0usize; N_LABELS + 1]);
        for (p, row) in t.iter().enumerate() {
            for (y, v) in row.iter().enumerate() {
                if let Some(v) = v {
                    succ.push(y as u8);
                    strans.push(*v);
                }
            }
            soff[p + 1] = succ.len();
        }
        Decoder { start, pred, ptrans, poff, succ, strans, soff, alpha: Vec::new(), beta: Vec::new(), back: Vec::new() }
    }

    /// Decodes `emissions` (`T * N_LABELS`, row per token) into `out`. With `margins`, also
    /// writes per token the max-marginal margin: the best path's score minus the best
    /// score of any valid path that labels that token differently (≥ 0).
    pub fn decode(&mut self, emissions: &[f32], out: &mut Vec<u8>, margins: Option<&mut Vec<f32>>) {
        const N: usize = N_LABELS;
        let len = emissions.len() / N;
        out.clear();
        if len == 0 {
            if let Some(m) = margins {
                m.clear();
            }
            return;
        }
        self.alpha.clear();
        self.alpha.resize(len * N, NEG);
        self.back.clear();
        self.back.resize(len * N, 0);
        for y in 0..N {
            if self.start[y] > NEG {
                self.alpha[y] = self.start[y] + emissions[y];
            }
        }
        for t in 1..len {
            let (done, rest) = self.alpha.split_at_mut(t * N);
            let prev: &[f32; N] = done[(t - 1) * N..t * N].try_into().unwrap();
            let cur: &mut [f32; N] = (&mut rest[..N]).try_into().unwrap();
            let em: &[f32; N] = emissions[t * N..t * N + N].try_into().unwrap();
            let back: &mut [u8; N] = (&mut self.back[t * N..t * N + N]).try_into().unwrap();
            for y in 0..N {
                let (a, b) = (self.poff[y], self.poff[y + 1]);
                let mut best = NEG;
                let mut arg = 0u8;
                for (&p, &tr) in self.pred[a..b].iter().zip(&self.ptrans[a..b]) {
                    let s = prev[p as usize] + tr;
                    if s > best {
                        best = s;
                        arg = p;
                    }
                }
                cur[y] = best + em[y];
                back[y] = arg;
            }
        }
        let last = &self.alpha[(len - 1) * N..];
        let mut best_y = 0;
        let mut best = NEG * 2.0;
        for y in 0..N {
            if allowed_end(y as u8) && last[y] > best {
                best = last[y];
                best_y = y;
            }
        }
        out.resize(len, 0);
        out[len - 1] = best_y as u8;
        for t in (1..len).rev() {
            out[t - 1] = self.back[t * N + out[t] as usize];
        }
        let Some(margins) = margins else { return };
        // Backward max-product pass.
        self.beta.clear();
        self.beta.resize(len * N, NEG);
        for y in 0..N {
            if allowed_end(y as u8) {
                self.beta[(len - 1) * N + y] = 0.0;
            }
        }
        let mut next = [0f32; N];
        for t in (0..len - 1).rev() {
            let (head, tail) = self.beta.split_at_mut((t + 1) * N);
            let after: &[f32; N] = tail[..N].try_into().unwrap();
            let em: &[f32; N] = emissions[(t + 1) * N..(t + 2) * N].try_into().unwrap();
            for z in 0..N {
                next[z] = after[z] + em[z];
            }
            let here: &mut [f32; N] = (&mut head[t * N..]).try_into().unwrap();
            for p in 0..N {
                let (a, b) = (self.soff[p], self.soff[p + 1]);
                let mut best = NEG;
                for (&z, &tr) in self.succ[a..b].iter().zip(&self.strans[a..b]) {
                    let s = next[z as usize] + tr;
                    if s > best {
                        best = s;
                    }
                }
                here[p] = if best <= NEG / 2.0 { NEG } else { best };
            }
        }
        margins.clear();
        for t in 0..len {
            let chosen = out[t] as usize;
            let mut other = NEG;
            for y in 0..N {
                if y != chosen {
                    other = other.max(self.alpha[t * N + y] + self.beta[t * N + y]);
                }
            }
            let best_here = self.alpha[t * N + chosen] + self.beta[t * N + chosen];
            margins.push((best_here - other).clamp(0.0, 1e6));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Rng;

    #[test]
    fn bio_round_trip() {
        let tags = ["B-Person", "I-Person", "O", "I-Location", "B-Location", "I-Organization", "O", "B-Other"];
        let spans = bio_spans(&tags);
        assert_eq!(spans, vec![(0, 2, 0), (3, 4, 2), (4, 5, 2), (5, 6, 1), (7, 8, 4)]);
        let labels = spans_to_bilou(tags.len(), &spans);
        assert!(is_valid(&labels));
        assert_eq!(bilou_spans(&labels), spans);
        assert_eq!(label_name(labels[0]), "B-Person");
        assert_eq!(label_name(labels[7]), "U-Other");
    }

    #[test]
    fn viterbi_never_outputs_invalid_sequences() {
        let mut rng = Rng::new(3);
        for round in 0..200 {
            let mut decoder = Decoder::new(|_, _| (rng.below(100) as f32 - 50.0) / 10.0);
            let len = 1 + round % 13;
            let emissions: Vec<f32> = (0..len * N_LABELS).map(|_| (rng.below(1000) as f32 - 500.0) / 7.0).collect();
            let mut out = Vec::new();
            let mut margins = Vec::new();
            decoder.decode(&emissions, &mut out, Some(&mut margins));
            assert_eq!(out.len(), len);
            assert!(is_valid(&out), "{:?}", out.iter().map(|&l| label_name(l)).collect::<Vec<_>>());
            assert!(margins.iter().all(|m| *m >= 0.0 && m.is_finite()));
        }
        // Emissions that favour an invalid sequence (I after O) still decode validly.
        let mut decoder = Decoder::new(|_, _| 0.0);
        let mut emissions = vec![0f32; 3 * N_LABELS];
        emissions[O as usize] = 5.0;
        emissions[N_LABELS + label(0, I) as usize] = 10.0;
        emissions[2 * N_LABELS + label(0, I) as usize] = 10.0;
        let mut out = Vec::new();
        decoder.decode(&emissions, &mut out, None);
        assert!(is_valid(&out));
    }
}
