//! The averaged perceptron: training-time [`Perceptron`] and frozen runtime [`Weights`].
//!
//! Training keeps, for every (feature, class) parameter, its current weight, the running
//! sum of its past values and the time of its last change (the "lazy update" trick): the
//! average over all steps is then computed once at the end in `O(parameters)`, not at
//! every step. Rows exist only for features that were ever updated.
//!
//! [`Weights`] is the frozen form: averaged, pruned of rows whose largest absolute
//! weight is below a threshold, keys sorted (so files are byte-identical across runs),
//! and a `HashMap<u64, u32>` (identity-hashed: keys are already hashes) from key to row.
//! Values are `f32` or `i16` with one scale for the table ([`WeightsKind`]).

use super::format::{ModelError, Reader, Writer};
use super::KeyMap;
use std::collections::BTreeMap;

/// Storage of a frozen weight table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum WeightsKind {
    /// Plain `f32` weights.
    F32,
    /// Quantised: `w ≈ q * scale`, `scale = max|w| / 32767`.
    I16,
}

/// A multi-class averaged perceptron in training.
#[derive(Clone, Debug)]
pub struct Perceptron {
    n_classes: usize,
    index: KeyMap<u32>,
    keys: Vec<u64>,
    w: Vec<f32>,
    total: Vec<f64>,
    stamp: Vec<u32>,
    time: u32,
}

impl Perceptron {
    /// An empty perceptron over `n_classes` classes (panics on 0).
    pub fn new(n_classes: usize) -> Perceptron {
        assert!(n_classes > 0, "a perceptron needs classes");
        Perceptron {
            n_classes,
            index: KeyMap::default(),
            keys: Vec::new(),
            w: Vec::new(),
            total: Vec::new(),
            stamp: Vec::new(),
            time: 0,
        }
    }

    /// The number of classes.
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Rows (features with a weight).
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no feature has a weight yet.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Advances the clock by one training instance (call once per example or sequence).
    pub fn tick(&mut self) {
        self.time += 1;
    }

    /// Adds the current (not averaged) weights of `features` to `out` (len `n_classes`),
    /// after zeroing it.
    pub fn scores(&self, features: &[u64], out: &mut [f32]) {
        out.fill(0.0);
        self.add_scores(features, out);
    }

    /// Adds the current weights of `features` to `out`.
    pub fn add_scores(&self, features: &[u64], out: &mut [f32]) {
        let n = self.n_classes;
        for key in features {
            if let Some(&row) = self.index.get(key) {
                let row = &self.w[row as usize * n..row as usize * n + n];
                for (o, w) in out.iter_mut().zip(row) {
                    *o += *w;
                }
            }
        }
    }

    /// The current weight of one (feature, class) parameter.
    pub fn weight(&self, key: u64, class: usize) -> f32 {
        self.index
            .get(&key)
            .map_or(0.0, |&row| self.w[row as usize * self.n_classes + class])
    }

    fn row(&mut self, key: u64) -> usize {
        let n = self.n_classes;
        let next = self.keys.len() as u32;
        let row = *self.index.entry(key).or_insert(next);
        if row == next {
            self.keys.push(key);
            self.w.resize(self.w.len() + n, 0.0);
            self.total.resize(self.total.len() + n, 0.0);
            self.stamp.resize(self.stamp.len() + n, 0);
        }
        row as usize
    }

    /// Adds `delta` to the weight of `class` for every feature.
    pub fn update(&mut self, features: &[u64], class: usize, delta: f32) {
        for &key in features {
            self.update_one(key, class, delta);
        }
    }

    /// Adds `delta` to one (feature, class) weight.
    pub fn update_one(&mut self, key: u64, class: usize, delta: f32) {
        debug_assert!(class < self.n_classes);
        let i = self.row(key) * self.n_classes + class;
        self.total[i] += (self.time - self.stamp[i]) as f64 * self.w[i] as f64;
        self.stamp[i] = self.time;
        self.w[i] += delta;
    }

    /// The averaged weights, pruned of rows whose largest |weight| is below `min_abs`
    /// (rows of zeros always go), keys sorted.
    pub fn averaged(&self, min_abs: f32, kind: WeightsKind) -> Weights {
        let n = self.n_classes;
        let time = self.time.max(1) as f64;
        let mut order: Vec<u32> = (0..self.keys.len() as u32).collect();
        order.sort_unstable_by_key(|&r| self.keys[r as usize]);
        let mut keys = Vec::new();
        let mut values = Vec::new();
        let mut row_values = vec![0f32; n];
        for r in order {
            let base = r as usize * n;
            let mut max = 0f32;
            for (c, slot) in row_values.iter_mut().enumerate() {
                let i = base + c;
                let sum = self.total[i] + (self.time - self.stamp[i]) as f64 * self.w[i] as f64;
                let v = (sum / time) as f32;
                *slot = v;
                max = max.max(v.abs());
            }
            if max > 0.0 && max >= min_abs {
                keys.push(self.keys[r as usize]);
                values.extend_from_slice(&row_values);
            }
        }
        Weights::from_parts(n, keys, values, kind)
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Data {
    F32(Vec<f32>),
    I16 { q: Vec<i16>, scale: f32 },
}

/// A frozen, averaged weight table: feature key → one row of `n_classes` weights.
#[derive(Clone, Debug)]
pub struct Weights {
    n_classes: usize,
    /// Sorted.
    keys: Vec<u64>,
    /// Key → row, built on first use of [`Weights::add_scores`] (loading stays cheap for
    /// callers that index the table themselves, like the NER's fused table).
    index: std::sync::OnceLock<KeyMap<u32>>,
    data: Data,
}

impl PartialEq for Weights {
    fn eq(&self, other: &Weights) -> bool {
        self.n_classes == other.n_classes && self.keys == other.keys && self.data == other.data
    }
}

/// `values ≈ q * scale`, `scale = max|value| / 32767`.
fn quantise(values: &[f32]) -> (Vec<i16>, f32) {
    let max = values.iter().fold(0f32, |m, v| m.max(v.abs()));
    let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
    (
        values
            .iter()
            .map(|v| (v / scale).round().clamp(-32767.0, 32767.0) as i16)
            .collect(),
        scale,
    )
}

impl Weights {
    /// `keys` sorted and unique; `values` row-major, `keys.len() * n_classes` long.
    pub fn from_parts(
        n_classes: usize,
        keys: Vec<u64>,
        values: Vec<f32>,
        kind: WeightsKind,
    ) -> Weights {
        assert_eq!(keys.len() * n_classes, values.len());
        let data = match kind {
            WeightsKind::F32 => Data::F32(values),
            WeightsKind::I16 => {
                let (q, scale) = quantise(&values);
                Data::I16 { q, scale }
            }
        };
        Weights {
            n_classes,
            keys,
            index: std::sync::OnceLock::new(),
            data,
        }
    }

    fn index(&self) -> &KeyMap<u32> {
        self.index.get_or_init(|| {
            self.keys
                .iter()
                .enumerate()
                .map(|(i, &k)| (k, i as u32))
                .collect()
        })
    }

    /// Row of `key` by binary search (no index needed).
    #[inline]
    fn find(&self, key: u64) -> Option<usize> {
        self.keys.binary_search(&key).ok()
    }

    /// The sorted keys.
    pub fn keys(&self) -> &[u64] {
        &self.keys
    }

    /// Row `r`'s weights as `f32`, written to `out` (len `n_classes`).
    pub fn row_f32(&self, r: usize, out: &mut [f32]) {
        let n = self.n_classes;
        match &self.data {
            Data::F32(w) => out.copy_from_slice(&w[r * n..r * n + n]),
            Data::I16 { q, scale } => {
                for (o, v) in out.iter_mut().zip(&q[r * n..r * n + n]) {
                    *o = *v as f32 * scale;
                }
            }
        }
    }

    /// The quantised values (row-major) and their scale, for an `I16` table.
    pub fn quantised(&self) -> Option<(&[i16], f32)> {
        match &self.data {
            Data::I16 { q, scale } => Some((q, *scale)),
            Data::F32(_) => None,
        }
    }

    /// The values (row-major) as `i16` with their scale: as stored for an `I16` table,
    /// quantised here (as an `I16` table would be) for an `F32` one.
    pub fn as_i16(&self) -> (std::borrow::Cow<'_, [i16]>, f32) {
        match &self.data {
            Data::I16 { q, scale } => (std::borrow::Cow::Borrowed(q), *scale),
            Data::F32(values) => {
                let (q, scale) = quantise(values);
                (std::borrow::Cow::Owned(q), scale)
            }
        }
    }

    /// The largest |weight|.
    pub fn max_abs(&self) -> f32 {
        match &self.data {
            Data::F32(w) => w.iter().fold(0f32, |m, v| m.max(v.abs())),
            Data::I16 { q, scale } => {
                q.iter().fold(0i32, |m, v| m.max((*v as i32).abs())) as f32 * scale
            }
        }
    }

    /// The table without rows whose largest |weight| is below `min_abs` (same storage).
    pub fn pruned(&self, min_abs: f32) -> Weights {
        let n = self.n_classes;
        let mut keys = Vec::new();
        let mut values = Vec::new();
        let mut row = vec![0f32; n];
        for (r, &k) in self.keys.iter().enumerate() {
            self.row_f32(r, &mut row);
            if row.iter().any(|v| v.abs() >= min_abs && *v != 0.0) {
                keys.push(k);
                values.extend_from_slice(&row);
            }
        }
        Weights::from_parts(n, keys, values, self.kind())
    }

    /// The number of classes.
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Rows.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the table has no row.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// How the weights are stored.
    pub fn kind(&self) -> WeightsKind {
        match self.data {
            Data::F32(_) => WeightsKind::F32,
            Data::I16 { .. } => WeightsKind::I16,
        }
    }

    /// Zeroes `out` (len `n_classes`) and adds the rows of `features`.
    #[inline]
    pub fn scores(&self, features: &[u64], out: &mut [f32]) {
        out.fill(0.0);
        self.add_scores(features, out);
    }

    /// Adds the rows of `features` to `out`.
    #[inline]
    pub fn add_scores(&self, features: &[u64], out: &mut [f32]) {
        let n = self.n_classes;
        match &self.data {
            Data::F32(w) => {
                let index = self.index();
                for key in features {
                    if let Some(&row) = index.get(key) {
                        let row = &w[row as usize * n..row as usize * n + n];
                        for (o, w) in out.iter_mut().zip(row) {
                            *o += *w;
                        }
                    }
                }
            }
            Data::I16 { q, scale } => {
                let mut acc = [0i32; 64];
                let wide = n > acc.len();
                let mut acc_vec = if wide { vec![0i32; n] } else { Vec::new() };
                let acc: &mut [i32] = if wide { &mut acc_vec } else { &mut acc[..n] };
                let index = self.index();
                for key in features {
                    if let Some(&row) = index.get(key) {
                        let row = &q[row as usize * n..row as usize * n + n];
                        for (a, w) in acc.iter_mut().zip(row) {
                            *a += *w as i32;
                        }
                    }
                }
                for (o, a) in out.iter_mut().zip(acc.iter()) {
                    *o += *a as f32 * scale;
                }
            }
        }
    }

    /// The weight of one (feature, class).
    pub fn weight(&self, key: u64, class: usize) -> f32 {
        let Some(row) = self.find(key) else {
            return 0.0;
        };
        let i = row * self.n_classes + class;
        match &self.data {
            Data::F32(w) => w[i],
            Data::I16 { q, scale } => q[i] as f32 * scale,
        }
    }

    /// Whether `key` has a row.
    pub fn contains(&self, key: u64) -> bool {
        self.find(key).is_some()
    }

    /// The same table stored another way.
    pub fn to_kind(&self, kind: WeightsKind) -> Weights {
        let values: Vec<f32> = match &self.data {
            Data::F32(w) => w.clone(),
            Data::I16 { q, scale } => q.iter().map(|v| *v as f32 * scale).collect(),
        };
        Weights::from_parts(self.n_classes, self.keys.clone(), values, kind)
    }

    /// Little-endian table: `n_classes u32, rows u32, kind u8, scale f32, keys u64*, values`.
    pub(crate) fn write_to(&self, out: &mut Writer) {
        out.u32(self.n_classes as u32);
        out.u32(self.keys.len() as u32);
        match &self.data {
            Data::F32(_) => {
                out.u8(0);
                out.f32(1.0);
            }
            Data::I16 { scale, .. } => {
                out.u8(1);
                out.f32(*scale);
            }
        }
        for k in &self.keys {
            out.u64(*k);
        }
        match &self.data {
            Data::F32(w) => w.iter().for_each(|v| out.f32(*v)),
            Data::I16 { q, .. } => q.iter().for_each(|v| out.i16(*v)),
        }
    }

    pub(crate) fn read_from(r: &mut Reader<'_>) -> Result<Weights, ModelError> {
        let n = r.u32()? as usize;
        let rows = r.u32()? as usize;
        let kind = r.u8()?;
        let scale = r.f32()?;
        if n == 0 || n > 4096 {
            return Err(r.corrupt(format!("weight table with {n} classes")));
        }
        let values = rows
            .checked_mul(n)
            .ok_or_else(|| r.corrupt("weight table size overflows".into()))?;
        let width = match kind {
            0 => 4,
            1 => 2,
            k => return Err(r.corrupt(format!("unknown weight storage {k}"))),
        };
        r.need(
            rows.saturating_mul(8)
                .saturating_add(values.saturating_mul(width)),
        )?;
        let keys: Vec<u64> = r
            .take(rows * 8)?
            .chunks_exact(8)
            .map(|b| u64::from_le_bytes(b.try_into().unwrap()))
            .collect();
        if keys.windows(2).any(|w| w[0] >= w[1]) {
            return Err(r.corrupt("weight keys are not sorted".into()));
        }
        let data = if kind == 0 {
            Data::F32(
                r.take(values * 4)?
                    .chunks_exact(4)
                    .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
                    .collect(),
            )
        } else {
            if !(scale.is_finite() && scale > 0.0) {
                return Err(r.corrupt(format!("bad weight scale {scale}")));
            }
            let q = r
                .take(values * 2)?
                .chunks_exact(2)
                .map(|b| i16::from_le_bytes([b[0], b[1]]))
                .collect();
            Data::I16 { q, scale }
        };
        Ok(Weights {
            n_classes: n,
            keys,
            index: std::sync::OnceLock::new(),
            data,
        })
    }
}

impl Weights {
    /// Writes the table quantised to `i16`, each row as its non-zero entries only (class,
    /// value): NER rows hold ~3 non-zero weights of 21, so this is ~40% of the dense
    /// layout. Read back by [`Weights::read_sparse_from`] as an `I16` table.
    pub(crate) fn write_sparse_to(&self, out: &mut Writer) {
        let n = self.n_classes;
        let (q, scale) = self.as_i16();
        out.u32(n as u32);
        out.u32(self.keys.len() as u32);
        out.f32(scale);
        for k in &self.keys {
            out.u64(*k);
        }
        let narrow = n < 256;
        let small = |out: &mut Writer, v: usize| {
            if narrow {
                out.u8(v as u8)
            } else {
                out.u16(v as u16)
            }
        };
        for row in q.chunks_exact(n) {
            small(out, row.iter().filter(|v| **v != 0).count());
            for (c, v) in row.iter().enumerate().filter(|(_, v)| **v != 0) {
                small(out, c);
                out.i16(*v);
            }
        }
    }

    /// Reads what [`Weights::write_sparse_to`] wrote; classes of a row must ascend, and
    /// the table must have `classes` classes. Checked before decoding, unlike in the dense
    /// layout: an empty row takes a byte or two here but `classes` × 2 once decoded, so a
    /// foreign count (up to 4096) would let a small file claim gigabytes.
    pub(crate) fn read_sparse_from(
        r: &mut Reader<'_>,
        classes: usize,
    ) -> Result<Weights, ModelError> {
        let n = r.u32()? as usize;
        let rows = r.u32()? as usize;
        let scale = r.f32()?;
        if n != classes || n == 0 {
            return Err(r.corrupt(format!("weight table with {n} classes, expected {classes}")));
        }
        if !(scale.is_finite() && scale > 0.0) {
            return Err(r.corrupt(format!("bad weight scale {scale}")));
        }
        // Each row takes at least its count: checked before anything is allocated.
        r.need(rows.saturating_mul(9))?;
        let keys: Vec<u64> = r
            .take(rows * 8)?
            .chunks_exact(8)
            .map(|b| u64::from_le_bytes(b.try_into().unwrap()))
            .collect();
        if keys.windows(2).any(|w| w[0] >= w[1]) {
            return Err(r.corrupt("weight keys are not sorted".into()));
        }
        // Decoded from the bytes directly: per-entry reader calls were a tenth of loading a
        // voting file.
        let width = if n < 256 { 1 } else { 2 };
        let bytes = r.rest();
        let small = |at: usize| match width {
            1 => bytes.get(at).map(|b| *b as usize),
            _ => bytes
                .get(at..at + 2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]) as usize),
        };
        let mut q = vec![0i16; rows * n];
        let mut at = 0;
        for (i, row) in q.chunks_exact_mut(n).enumerate() {
            let truncated = || {
                r.corrupt(format!(
                    "sparse weight rows are truncated (row {i} of {rows})"
                ))
            };
            let count = small(at).ok_or_else(truncated)?;
            at += width;
            if count > n {
                return Err(r.corrupt(format!(
                    "a sparse weight row holds {count} entries for {n} classes"
                )));
            }
            let entries = bytes
                .get(at..at + count * (width + 2))
                .ok_or_else(truncated)?;
            let mut next = 0;
            for e in entries.chunks_exact(width + 2) {
                let c = if width == 1 {
                    e[0] as usize
                } else {
                    u16::from_le_bytes([e[0], e[1]]) as usize
                };
                let v = i16::from_le_bytes([e[width], e[width + 1]]);
                if c < next || c >= n || v == 0 {
                    return Err(
                        r.corrupt(format!("bad sparse weight entry (class {c}, value {v})"))
                    );
                }
                row[c] = v;
                next = c + 1;
            }
            at += entries.len();
        }
        r.advance(at);
        Ok(Weights {
            n_classes: n,
            keys,
            index: std::sync::OnceLock::new(),
            data: Data::I16 { q, scale },
        })
    }
}

/// Several models' weight tables summed row by row, averaged into one table: the
/// ensembles of the POS tagger and the parser.
#[derive(Clone, Debug)]
pub struct WeightSum {
    n_classes: usize,
    members: usize,
    rows: BTreeMap<u64, Vec<f32>>,
}

impl WeightSum {
    /// An empty sum of tables over `n_classes` classes.
    pub fn new(n_classes: usize) -> WeightSum {
        WeightSum {
            n_classes,
            members: 0,
            rows: BTreeMap::new(),
        }
    }

    /// Adds one member's table (of the same classes).
    pub fn add(&mut self, weights: &Weights) {
        debug_assert_eq!(weights.n_classes(), self.n_classes);
        let n = self.n_classes;
        let mut row = vec![0f32; n];
        for (r, &key) in weights.keys().iter().enumerate() {
            weights.row_f32(r, &mut row);
            let acc = self.rows.entry(key).or_insert_with(|| vec![0f32; n]);
            for (a, v) in acc.iter_mut().zip(&row) {
                *a += v;
            }
        }
        self.members += 1;
    }

    /// The members' mean, without rows whose largest |weight| is below `prune`.
    pub fn mean(&self, prune: f32, kind: WeightsKind) -> Weights {
        let k = self.members.max(1) as f32;
        let mut keys = Vec::new();
        let mut values = Vec::new();
        for (key, row) in &self.rows {
            let row: Vec<f32> = row.iter().map(|v| v / k).collect();
            if row.iter().any(|v| *v != 0.0 && v.abs() >= prune) {
                keys.push(*key);
                values.extend_from_slice(&row);
            }
        }
        Weights::from_parts(self.n_classes, keys, values, kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{argmax, FeatureHasher};

    fn f(s: &str) -> u64 {
        FeatureHasher::new(0).str(s).finish()
    }

    #[test]
    fn weight_sums_average_members_and_prune_small_rows() {
        let a = Weights::from_parts(2, vec![1, 2], vec![2.0, 0.0, 0.2, 0.0], WeightsKind::F32);
        let b = Weights::from_parts(2, vec![2, 3], vec![0.2, 0.0, 4.0, -4.0], WeightsKind::F32);
        let mut sum = WeightSum::new(2);
        sum.add(&a);
        sum.add(&b);
        let mean = sum.mean(0.0, WeightsKind::F32);
        assert_eq!(mean.keys(), &[1, 2, 3]);
        assert_eq!(
            (mean.weight(1, 0), mean.weight(2, 0), mean.weight(3, 1)),
            (1.0, 0.2, -2.0)
        );
        assert_eq!(sum.mean(0.5, WeightsKind::F32).keys(), &[1, 3]);
    }

    #[test]
    fn sparse_tables_read_back_as_the_dense_quantised_table() {
        let path = std::path::Path::new("t.kmodel");
        for n in [3usize, 300] {
            let mut values = vec![0f32; 3 * n];
            (values[0], values[n - 1], values[n + 1], values[3 * n - 1]) = (1.5, -0.25, 0.75, 2.0);
            let w = Weights::from_parts(n, vec![4, 9, 12], values, WeightsKind::I16);
            let mut out = Writer::default();
            w.write_sparse_to(&mut out);
            let back =
                Weights::read_sparse_from(&mut Reader::new(&out.buf, path), n).expect("reads");
            let wrong = Weights::read_sparse_from(&mut Reader::new(&out.buf, path), n + 1)
                .unwrap_err()
                .to_string();
            assert!(
                wrong.contains(&format!("{n} classes, expected {}", n + 1)),
                "{wrong}"
            );
            assert_eq!(
                (back.keys(), back.quantised()),
                (w.keys(), w.quantised()),
                "{n} classes"
            );
            let mut dense = Writer::default();
            w.write_to(&mut dense);
            // Four non-zero weights of 900: a fraction of the dense bytes.
            assert!(
                n < 300 || out.buf.len() * 20 < dense.buf.len(),
                "{} vs {}",
                out.buf.len(),
                dense.buf.len()
            );
        }
        // 2 classes, one row: n, rows, scale, key, then count 1, class 1, value 7.
        let good = |count: u8, class: u8, value: i16| {
            let mut w = Writer::default();
            w.u32(2);
            w.u32(1);
            w.f32(0.5);
            w.u64(3);
            w.u8(count);
            w.u8(class);
            w.i16(value);
            w.buf
        };
        let read = |b: &[u8]| {
            Weights::read_sparse_from(&mut Reader::new(b, path), 2).map(|w| w.weight(3, 1))
        };
        assert_eq!(read(&good(1, 1, 8)).unwrap(), 4.0);
        for (bytes, why) in [
            (good(3, 1, 7), "entries for 2 classes"),
            (good(1, 2, 7), "class 2"),
            (good(1, 1, 0), "value 0"),
            (good(1, 1, 7)[..20].to_vec(), "truncated"),
        ] {
            let e = read(&bytes).expect_err(why).to_string();
            assert!(e.contains("t.kmodel") && e.contains(why), "{why}: {e}");
        }
    }

    #[test]
    fn averaging_is_lazy_and_exact() {
        let mut p = Perceptron::new(2);
        // t=0..1: w=1; t=1..3: w=3; end at t=4 (w=3 for one more step).
        p.update_one(f("a"), 0, 1.0);
        p.tick();
        p.update_one(f("a"), 0, 2.0);
        p.tick();
        p.tick();
        p.tick();
        let avg = p.averaged(0.0, WeightsKind::F32);
        // sum over 4 steps: 1 + 3 + 3 + 3 = 10 → 2.5
        assert!(
            (avg.weight(f("a"), 0) - 2.5).abs() < 1e-6,
            "{}",
            avg.weight(f("a"), 0)
        );
        assert_eq!(avg.weight(f("a"), 1), 0.0);
    }

    #[test]
    fn learns_a_separable_problem_and_prunes() {
        let mut p = Perceptron::new(3);
        let data = [
            (vec![f("x"), f("bias")], 0),
            (vec![f("y"), f("bias")], 1),
            (vec![f("z"), f("bias")], 2),
        ];
        let mut out = vec![0.0; 3];
        for _ in 0..5 {
            for (feats, gold) in &data {
                p.scores(feats, &mut out);
                let guess = argmax(&out);
                if guess != *gold {
                    p.update(feats, *gold, 1.0);
                    p.update(feats, guess, -1.0);
                }
                p.tick();
            }
        }
        p.update_one(f("never"), 0, 0.0);
        let w = p.averaged(0.0, WeightsKind::F32);
        assert!(!w.contains(f("never")), "zero rows are pruned");
        for kind in [WeightsKind::F32, WeightsKind::I16] {
            let w = w.to_kind(kind);
            for (feats, gold) in &data {
                w.scores(feats, &mut out);
                assert_eq!(argmax(&out), *gold);
            }
        }
    }
}
