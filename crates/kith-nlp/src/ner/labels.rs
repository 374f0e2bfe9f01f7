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
        "Organization" | "ORG" | "organization" | "ORGANIZATION" | "Org" => {
            EntityType::Organization
        }
        "Location" | "LOC" | "location" | "LOCATION" | "Loc" | "place" | "GPE" => {
            EntityType::Location
        }
        "Event" | "EVENT" | "event" => EntityType::Event,
        "Other" | "MISC" | "Misc" | "misc" | "other" => EntityType::Other,
        _ => return None,
    };
    type_of(t)
}

/// The index of an entity type in [`TYPES`] (None for types the model does not tag).
pub fn type_of(kind: EntityType) -> Option<usize> {
    TYPES.iter().position(|&x| x == kind)
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

/// Labels that may start an entity or stay outside (`O`, `B-*`, `U-*`), ascending: the
/// labels that may follow a closed position (sentence start, `O`, `L-*`, `U-*`).
const OPENERS: [usize; 11] = [0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20];
/// Labels after which an entity is closed (`O`, `L-*`, `U-*`), ascending: the valid
/// predecessors of every opener.
const CLOSERS: [usize; 11] = [0, 3, 4, 7, 8, 11, 12, 15, 16, 19, 20];
const NT: usize = TYPES.len();

/// First-order Viterbi over BILOU labels: transition scores (learned) plus validity.
///
/// The BILOU constraints leave two kinds of transitions, scored densely: closer → opener
/// (an 11 × 11 block) and, within type `t`, `B-t`/`I-t` → `I-t`/`L-t`.
#[derive(Clone, Debug)]
pub struct Decoder {
    /// Score of each label at the start (`NEG` if invalid there).
    start: [f32; N_LABELS],
    /// `open[c][o]`: score of `OPENERS[o]` after `CLOSERS[c]`.
    open: [[f32; 11]; 11],
    /// `inner[t][from][to]`: from `B-t` (0) / `I-t` (1) to `I-t` (0) / `L-t` (1).
    inner: [[[f32; 2]; 2]; NT],
    alpha: Vec<f32>,
    beta: Vec<f32>,
    back: Vec<u8>,
}

impl Decoder {
    /// `trans(p, y)`: learned score of `y` after `p` (`p == N_LABELS`: at the start).
    pub fn new(mut trans: impl FnMut(usize, usize) -> f32) -> Decoder {
        let n = N_LABELS;
        let mut start = [NEG; N_LABELS];
        for (y, s) in start.iter_mut().enumerate() {
            if allowed(None, y as u8) {
                *s = trans(n, y);
            }
        }
        let mut open = [[0f32; 11]; 11];
        for (c, row) in open.iter_mut().enumerate() {
            for (o, v) in row.iter_mut().enumerate() {
                debug_assert!(allowed(Some(CLOSERS[c] as u8), OPENERS[o] as u8));
                *v = trans(CLOSERS[c], OPENERS[o]);
            }
        }
        let mut inner = [[[0f32; 2]; 2]; NT];
        for (t, m) in inner.iter_mut().enumerate() {
            for (from, row) in m.iter_mut().enumerate() {
                for (to, v) in row.iter_mut().enumerate() {
                    *v = trans(
                        label(t, from as u8) as usize,
                        label(t, I + to as u8) as usize,
                    );
                }
            }
        }
        Decoder {
            start,
            open,
            inner,
            alpha: Vec::new(),
            beta: Vec::new(),
            back: Vec::new(),
        }
    }

    /// Decodes `emissions` (`T * N_LABELS`, row per token) into `out`. With `margins`, also
    /// writes per token the max-marginal margin: the best path's score minus the best
    /// score of any valid path that labels that token differently (≥ 0).
    #[allow(clippy::needless_range_loop)] // index arithmetic over fixed-size label rows
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
            // Openers: best closer before.
            let mut best = [NEG; 11];
            let mut arg = [0u8; 11];
            for (c, row) in self.open.iter().enumerate() {
                let v = prev[CLOSERS[c]];
                for o in 0..11 {
                    let s = v + row[o];
                    let better = s > best[o];
                    best[o] = if better { s } else { best[o] };
                    arg[o] = if better { CLOSERS[c] as u8 } else { arg[o] };
                }
            }
            for o in 0..11 {
                cur[OPENERS[o]] = best[o] + em[OPENERS[o]];
                back[OPENERS[o]] = arg[o];
            }
            // Inside and last: from B-t or I-t.
            for (ty, m) in self.inner.iter().enumerate() {
                let (b, i) = (label(ty, B) as usize, label(ty, I) as usize);
                for to in 0..2 {
                    let y = i + to;
                    let (sb, si) = (prev[b] + m[0][to], prev[i] + m[1][to]);
                    // Ties go to the lower label (B), as a scan in label order would.
                    let (s, p) = if si > sb { (si, i) } else { (sb, b) };
                    let (s, p) = if s > NEG { (s, p) } else { (NEG, 0) };
                    cur[y] = s + em[y];
                    back[y] = p as u8;
                }
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
            let mut nexto = [0f32; 11];
            for o in 0..11 {
                nexto[o] = next[OPENERS[o]];
            }
            for (c, row) in self.open.iter().enumerate() {
                let mut best = NEG;
                for o in 0..11 {
                    best = best.max(nexto[o] + row[o]);
                }
                here[CLOSERS[c]] = if best <= NEG / 2.0 { NEG } else { best };
            }
            for (ty, m) in self.inner.iter().enumerate() {
                let (b, i) = (label(ty, B) as usize, label(ty, I) as usize);
                for (from, p) in [b, i].into_iter().enumerate() {
                    let best = (next[i] + m[from][0]).max(next[i + 1] + m[from][1]);
                    here[p] = if best <= NEG / 2.0 { NEG } else { best };
                }
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
        let tags = [
            "B-Person",
            "I-Person",
            "O",
            "I-Location",
            "B-Location",
            "I-Organization",
            "O",
            "B-Other",
        ];
        let spans = bio_spans(&tags);
        assert_eq!(
            spans,
            vec![(0, 2, 0), (3, 4, 2), (4, 5, 2), (5, 6, 1), (7, 8, 4)]
        );
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
            let emissions: Vec<f32> = (0..len * N_LABELS)
                .map(|_| (rng.below(1000) as f32 - 500.0) / 7.0)
                .collect();
            let mut out = Vec::new();
            let mut margins = Vec::new();
            decoder.decode(&emissions, &mut out, Some(&mut margins));
            assert_eq!(out.len(), len);
            assert!(
                is_valid(&out),
                "{:?}",
                out.iter().map(|&l| label_name(l)).collect::<Vec<_>>()
            );
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
