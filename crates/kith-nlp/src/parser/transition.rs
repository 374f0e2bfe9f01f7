//! The arc-hybrid transition system (Kuhlmann, Gómez-Rodríguez & Satta 2011) with the
//! root at the end of the buffer (Ballesteros & Nivre 2013), and its dynamic oracle
//! (Goldberg & Nivre 2013).
//!
//! Words are `0..n`; `n` is the artificial root, the last item of the buffer. Transitions:
//!
//! * `SHIFT`: moves `b0` onto the stack (not the root);
//! * `LEFT`: `s0` becomes a dependent of `b0` and is popped (onto the root only when `s0`
//!   is the last stack item, so a sentence has exactly one root word);
//! * `RIGHT`: `s0` becomes a dependent of `s1` and is popped.
//!
//! A sentence of `n` words takes exactly `2n` transitions, each O(1) at parse time: the
//! parser is linear. The state keeps, per word, the two leftmost and two rightmost
//! dependents, valencies and the set of relations on each side (feature inputs), updated
//! in O(1) per arc since arc-hybrid attaches left dependents right-to-left and right
//! dependents left-to-right.

/// No word (padding in features).
pub const NONE: u32 = u32::MAX;

pub const SHIFT: usize = 0;
pub const LEFT: usize = 1;
pub const RIGHT: usize = 2;
pub const N_ACTIONS: usize = 3;

/// A parser configuration.
#[derive(Clone, Debug)]
pub struct State {
    /// Words (the root excluded).
    pub n: u32,
    pub stack: Vec<u32>,
    /// Front of the buffer (`n` = the root).
    pub b0: u32,
    /// Head of each word (`n` for the root, [`NONE`] while unattached).
    pub heads: Vec<u32>,
    /// Relation id of each word's arc.
    pub labels: Vec<u16>,
    /// Per item (words and the root): leftmost and second-leftmost dependents,
    /// rightmost and second-rightmost.
    pub lc: Vec<[u32; 2]>,
    pub rc: Vec<[u32; 2]>,
    /// Per item: number of left and right dependents.
    pub lval: Vec<u16>,
    pub rval: Vec<u16>,
    /// Per item: bit set of relation ids (mod 64) of left and right dependents.
    pub lset: Vec<u64>,
    pub rset: Vec<u64>,
}

impl State {
    pub fn new(n: usize) -> State {
        let mut s = State {
            n: 0,
            stack: Vec::new(),
            b0: 0,
            heads: Vec::new(),
            labels: Vec::new(),
            lc: Vec::new(),
            rc: Vec::new(),
            lval: Vec::new(),
            rval: Vec::new(),
            lset: Vec::new(),
            rset: Vec::new(),
        };
        s.reset(n);
        s
    }

    /// Back to the initial configuration for `n` words (buffers reused).
    pub fn reset(&mut self, n: usize) {
        self.n = n as u32;
        self.stack.clear();
        self.b0 = 0;
        self.heads.clear();
        self.heads.resize(n, NONE);
        self.labels.clear();
        self.labels.resize(n, 0);
        for v in [&mut self.lc, &mut self.rc] {
            v.clear();
            v.resize(n + 1, [NONE; 2]);
        }
        for v in [&mut self.lval, &mut self.rval] {
            v.clear();
            v.resize(n + 1, 0);
        }
        for v in [&mut self.lset, &mut self.rset] {
            v.clear();
            v.resize(n + 1, 0);
        }
    }

    #[inline]
    pub fn terminal(&self) -> bool {
        self.stack.is_empty() && self.b0 == self.n
    }

    /// The `i`-th stack item from the top, or [`NONE`].
    #[inline]
    pub fn s(&self, i: usize) -> u32 {
        let len = self.stack.len();
        if i < len {
            self.stack[len - 1 - i]
        } else {
            NONE
        }
    }

    /// Which actions are allowed.
    #[inline]
    pub fn valid(&self) -> [bool; N_ACTIONS] {
        let depth = self.stack.len();
        [
            self.b0 < self.n,
            depth > 0 && (self.b0 < self.n || depth == 1),
            depth > 1,
        ]
    }

    /// The head and dependent an arc action would link.
    #[inline]
    pub fn arc(&self, action: usize) -> (u32, u32) {
        match action {
            LEFT => (self.b0, self.s(0)),
            RIGHT => (self.s(1), self.s(0)),
            _ => (NONE, NONE),
        }
    }

    /// Applies a valid action; `label` is the relation of the arc it makes.
    pub fn apply(&mut self, action: usize, label: u16) {
        match action {
            SHIFT => {
                self.stack.push(self.b0);
                self.b0 += 1;
            }
            _ => {
                let (h, d) = self.arc(action);
                self.stack.pop();
                self.heads[d as usize] = h;
                self.labels[d as usize] = label;
                let (h, bit) = (h as usize, 1u64 << (label % 64));
                if d < h as u32 {
                    // Left dependents arrive right to left: the new one is the leftmost.
                    self.lc[h] = [d, self.lc[h][0]];
                    self.lval[h] += 1;
                    self.lset[h] |= bit;
                } else {
                    // Right dependents arrive left to right: the new one is the rightmost.
                    self.rc[h] = [d, self.rc[h][0]];
                    self.rval[h] += 1;
                    self.rset[h] |= bit;
                }
            }
        }
    }

    /// Dynamic-oracle cost of each action against gold heads (`gold[i]` = head of word
    /// `i`, `n` for the root): how many gold arcs still reachable it makes unreachable
    /// (Goldberg & Nivre 2013, arc-hybrid). Invalid actions cost `u32::MAX`. Exact for
    /// projective trees; for non-projective ones the lowest-cost action is taken as
    /// correct. `children[h]` lists the gold dependents of `h` (root at `n`).
    /// Training only: O(stack) for SHIFT.
    pub fn costs(&self, gold: &[u32], children: &[Vec<u32>]) -> [u32; N_ACTIONS] {
        let valid = self.valid();
        let mut out = [u32::MAX; N_ACTIONS];
        let b0 = self.b0;
        if valid[SHIFT] {
            // b0 can no longer take a dependent from the stack, nor a head below s0.
            let s0 = self.s(0);
            let mut c = 0;
            for &d in &self.stack {
                if gold[d as usize] == b0 {
                    c += 1;
                }
                if gold[b0 as usize] == d && d != s0 {
                    c += 1;
                }
            }
            // Single root: the root word must reach the bottom of an empty stack.
            if gold[b0 as usize] == self.n && !self.stack.is_empty() {
                c += 1;
            }
            out[SHIFT] = c;
        }
        if valid[LEFT] || valid[RIGHT] {
            let s0 = self.s(0);
            let s1 = self.s(1);
            // s0's dependents still in the buffer are lost either way.
            let deps = children[s0 as usize].iter().filter(|&&d| d >= b0).count() as u32;
            let g = gold[s0 as usize];
            if valid[LEFT] {
                let lost = g != b0 && ((g == s1 && s1 != NONE) || g > b0);
                out[LEFT] = deps + lost as u32;
            }
            if valid[RIGHT] {
                let lost = g >= b0;
                out[RIGHT] = deps + lost as u32;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn children(gold: &[u32]) -> Vec<Vec<u32>> {
        let mut c = vec![Vec::new(); gold.len() + 1];
        for (d, &h) in gold.iter().enumerate() {
            c[h as usize].push(d as u32);
        }
        c
    }

    /// Following zero-cost actions from the start rebuilds any projective tree.
    #[test]
    fn oracle_reaches_projective_trees() {
        // "the cat sat on the mat ." : heads the→cat, cat→sat, sat→root, on→mat, the→mat, mat→sat, .→sat
        let trees: &[&[u32]] = &[
            &[1, 2, 7, 5, 5, 2, 2],
            &[1, 2],
            &[9],
            &[2, 2, 3, 4, 5, 6, 7, 8, 9, 10],
            &[3, 3, 3, 4, 9],
        ];
        for gold in trees {
            let n = gold.len();
            let gold: Vec<u32> = gold
                .iter()
                .map(|&h| if h as usize >= n { n as u32 } else { h })
                .collect();
            let ch = children(&gold);
            let mut s = State::new(n);
            let mut steps = 0;
            while !s.terminal() {
                let c = s.costs(&gold, &ch);
                let a = (0..N_ACTIONS)
                    .find(|&a| c[a] == 0)
                    .expect("a zero-cost action");
                s.apply(a, 0);
                steps += 1;
            }
            assert_eq!(steps, 2 * n);
            assert_eq!(s.heads, gold, "{gold:?}");
        }
    }

    /// After a wrong action, zero-cost actions still reach the best tree left.
    #[test]
    fn oracle_recovers_from_mistakes() {
        let gold: Vec<u32> = vec![1, 2, 7, 5, 5, 2, 2];
        let n = gold.len();
        let gold: Vec<u32> = gold
            .iter()
            .map(|&h| if h as usize >= n { n as u32 } else { h })
            .collect();
        let ch = children(&gold);
        let mut s = State::new(n);
        s.apply(SHIFT, 0);
        s.apply(SHIFT, 0);
        // Wrong: "the" should attach to "cat" (LEFT), make "cat" depend on "the" instead.
        let c = s.costs(&gold, &ch);
        assert!(c[RIGHT] > 0);
        s.apply(RIGHT, 0);
        while !s.terminal() {
            let c = s.costs(&gold, &ch);
            let best = *c.iter().min().unwrap();
            let a = (0..N_ACTIONS).find(|&a| c[a] == best).unwrap();
            assert_eq!(
                best, 0,
                "only the first mistake costs: {:?} {} {:?}",
                s.stack, s.b0, c
            );
            s.apply(a, 0);
        }
        let correct = s.heads.iter().zip(&gold).filter(|(a, b)| a == b).count();
        assert_eq!(correct, n - 2, "{:?}", s.heads);
        assert_eq!(
            s.heads.iter().filter(|&&h| h == n as u32).count(),
            1,
            "one root"
        );
    }
}
