//! Both passes' weight tables fused into one run-time table.

use super::labels::N_LABELS;
use crate::model::{prefetch_lines, Slots, Weights};

/// Pass-1 and pass-2 weights fused: key → one row of `2 * N_LABELS` quantised weights
/// (pass 1's, then pass 2's; `N_LABELS` without pass 2), each pass with its own scale.
///
/// The index ([`Slots`]: key → row) is prefetched a sentence at a time.
#[derive(Clone, Debug, Default)]
pub(super) struct Fused {
    slots: Slots<u32>,
    w: Vec<i16>,
    width: usize,
    pub scale1: f32,
    pub scale2: f32,
}

impl Fused {
    pub fn build(pass1: &Weights, pass2: Option<&Weights>) -> Fused {
        let n = N_LABELS;
        let width = if pass2.is_some() { 2 * n } else { n };
        let (q1, scale1) = pass1.as_i16();
        let (q2, scale2) = match pass2 {
            Some(w) => w.as_i16(),
            None => (std::borrow::Cow::Borrowed(&[][..]), 1.0),
        };
        let k1 = pass1.keys();
        let k2: &[u64] = pass2.map_or(&[], |w| w.keys());
        let mut keys: Vec<u64> = Vec::with_capacity(k1.len().max(k2.len()) * 5 / 4);
        let mut w: Vec<i16> = Vec::with_capacity((k1.len().max(k2.len()) * 5 / 4) * width);
        let (mut i, mut j) = (0, 0);
        while i < k1.len() || j < k2.len() {
            let a = k1.get(i).copied();
            let b = k2.get(j).copied();
            let key = match (a, b) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) => a,
                (None, Some(b)) => b,
                (None, None) => unreachable!(),
            };
            let at = w.len();
            w.resize(at + width, 0);
            if a == Some(key) {
                w[at..at + n].copy_from_slice(&q1[i * n..i * n + n]);
                i += 1;
            }
            if b == Some(key) {
                w[at + n..at + 2 * n].copy_from_slice(&q2[j * n..j * n + n]);
                j += 1;
            }
            keys.push(key);
        }
        let slots = Slots::build(
            keys.len(),
            keys.iter().enumerate().map(|(row, &key)| (key, row as u32)),
        );
        Fused {
            slots,
            w,
            width,
            scale1,
            scale2,
        }
    }

    /// Resolves `keys` to rows (`u32::MAX`: unknown) into `out`, prefetching slots first
    /// and then the rows' weights, so that the memory accesses overlap.
    pub fn resolve(&self, keys: &[u64], out: &mut Vec<u32>) {
        self.slots
            .resolve(keys, out, |r| prefetch_lines(self.row_at(r)));
    }

    #[inline]
    pub fn row_at(&self, r: u32) -> &[i16] {
        &self.w[r as usize * self.width..r as usize * self.width + self.width]
    }
}

/// `acc += row` over one pass's labels (fixed length: vectorised).
#[inline(always)]
pub(super) fn add_row(acc: &mut [i32; N_LABELS], row: &[i16]) {
    let row: &[i16; N_LABELS] = row.try_into().expect("row of N_LABELS weights");
    for c in 0..N_LABELS {
        acc[c] += row[c] as i32;
    }
}
