//! Sets of mentions and evidence keyed by where they are.
//!
//! Written here rather than taken from a crate because of two constraints at once: merging
//! a document into an entity named in a million documents must cost a logarithm, not a
//! re-sort, and the set must cost little more than its items (a B-tree filled in order
//! is half empty, which doubled a large graph's memory). So most items sit in a sorted,
//! exactly sized vector, and recent ones in a small B-tree that is folded into the vector
//! when it reaches an eighth of it (amortised constant work per insert).

use kith_schema::{CharSpan, DocId, Evidence, Mention};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::collections::BTreeSet;

/// Something that sits at one place in one document.
pub trait Located {
    /// Where it is: document, sentence index and character span. Items are ordered, and
    /// deduplicated, by this.
    fn location(&self) -> (&DocId, u32, CharSpan);
    /// Between two items at the same place (which one producer never makes), the one kept:
    /// the more confident, so that merging stays commutative.
    fn outranks(&self, other: &Self) -> bool;
}

impl Located for Mention {
    fn location(&self) -> (&DocId, u32, CharSpan) {
        (&self.doc, self.sentence, self.span)
    }
    fn outranks(&self, other: &Self) -> bool {
        (self.confidence, &self.text) > (other.confidence, &other.text)
    }
}

impl Located for Evidence {
    fn location(&self) -> (&DocId, u32, CharSpan) {
        (&self.doc, self.sentence, self.span)
    }
    fn outranks(&self, other: &Self) -> bool {
        (self.confidence, &self.sentence_text) > (other.confidence, &other.sentence_text)
    }
}

/// An item ordered by its location alone.
#[derive(Clone, Debug)]
struct ByLocation<T>(T);

impl<T: Located> PartialEq for ByLocation<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0.location() == other.0.location()
    }
}

impl<T: Located> Eq for ByLocation<T> {}

impl<T: Located> PartialOrd for ByLocation<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: Located> Ord for ByLocation<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.location().cmp(&other.0.location())
    }
}

/// Mentions or evidence, ordered by document, sentence and span, one per place.
/// Serialised as a plain sorted list.
#[derive(Clone, Debug)]
pub struct Provenance<T> {
    /// Sorted by location, exactly sized.
    settled: Vec<T>,
    /// Items added since the last fold, at places not in `settled`.
    recent: BTreeSet<ByLocation<T>>,
}

/// Below this many recent items, folding is not worth its allocation.
const MIN_RECENT: usize = 32;

impl<T: Located + PartialEq> PartialEq for Provenance<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl<T> Default for Provenance<T> {
    fn default() -> Self {
        Provenance {
            settled: Vec::new(),
            recent: BTreeSet::new(),
        }
    }
}

/// Of two items at one place, the one to keep.
fn keep<T: Located>(a: T, b: T) -> T {
    if b.outranks(&a) {
        b
    } else {
        a
    }
}

impl<T: Located> Provenance<T> {
    /// Add an item; of two at the same location the one that [`Located::outranks`] the other is
    /// kept.
    pub fn insert(&mut self, item: T) {
        let at = self
            .settled
            .binary_search_by(|x| x.location().cmp(&item.location()));
        if let Ok(i) = at {
            if item.outranks(&self.settled[i]) {
                self.settled[i] = item;
            }
            return;
        }
        let item = ByLocation(item);
        match self.recent.get(&item) {
            Some(existing) if !item.0.outranks(&existing.0) => {}
            _ => {
                self.recent.replace(item);
            }
        }
        if self.recent.len() > MIN_RECENT.max(self.settled.len() / 8) {
            self.fold();
        }
    }

    /// Move the recent items into the sorted vector.
    fn fold(&mut self) {
        let recent = std::mem::take(&mut self.recent)
            .into_iter()
            .map(|item| item.0);
        let settled = std::mem::take(&mut self.settled);
        self.settled = union(settled.into_iter(), recent, 0);
    }

    /// Add every item of `other`: a linear merge when both are large, else inserts.
    pub fn absorb(&mut self, mut other: Provenance<T>) {
        if other.len() > self.len() {
            std::mem::swap(self, &mut other);
        }
        if other.len() <= MIN_RECENT {
            for item in other.into_items() {
                self.insert(item);
            }
            return;
        }
        self.fold();
        let settled = std::mem::take(&mut self.settled);
        let size = settled.len() + other.len();
        self.settled = union(settled.into_iter(), other.into_items(), size);
    }

    /// Rewrite every item in place; `f` must not change where an item is.
    pub(crate) fn rewrite(&mut self, mut f: impl FnMut(&mut T)) {
        self.settled.iter_mut().for_each(&mut f);
        let recent = std::mem::take(&mut self.recent);
        self.recent = recent
            .into_iter()
            .map(|mut item| {
                f(&mut item.0);
                item
            })
            .collect();
    }

    /// Keep only the items `f` accepts (the settled vector stays exactly sized).
    pub(crate) fn retain(&mut self, f: impl FnMut(&T) -> bool) {
        self.fold();
        self.settled.retain(f);
        self.settled.shrink_to_fit();
    }

    /// Every item, in order.
    fn into_items(self) -> impl Iterator<Item = T> {
        Merged::new(
            self.settled.into_iter(),
            self.recent.into_iter().map(|item| item.0),
        )
    }
}

/// The sorted union of two sorted sequences, one item per place, exactly sized.
fn union<T: Located>(
    a: impl Iterator<Item = T>,
    b: impl Iterator<Item = T>,
    size_hint: usize,
) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(size_hint);
    let mut pending: Option<T> = None;
    for item in Merged::new(a, b) {
        pending = Some(match pending {
            Some(held) if held.location() == item.location() => keep(held, item),
            Some(held) => {
                out.push(held);
                item
            }
            None => item,
        });
    }
    out.extend(pending);
    out.shrink_to_fit();
    out
}

impl<T: Located> Located for &T {
    fn location(&self) -> (&DocId, u32, CharSpan) {
        (*self).location()
    }
    fn outranks(&self, other: &Self) -> bool {
        (*self).outranks(other)
    }
}

/// Two sorted sequences read as one, in order of location.
struct Merged<A: Iterator, B: Iterator> {
    a: std::iter::Peekable<A>,
    b: std::iter::Peekable<B>,
}

impl<A: Iterator + Clone, B: Iterator + Clone> Clone for Merged<A, B>
where
    A::Item: Clone,
    B::Item: Clone,
{
    fn clone(&self) -> Self {
        Merged {
            a: self.a.clone(),
            b: self.b.clone(),
        }
    }
}

impl<X: Located, A: Iterator<Item = X>, B: Iterator<Item = X>> Merged<A, B> {
    fn new(a: A, b: B) -> Self {
        Merged {
            a: a.peekable(),
            b: b.peekable(),
        }
    }
}

impl<X: Located, A: Iterator<Item = X>, B: Iterator<Item = X>> Iterator for Merged<A, B> {
    type Item = X;
    fn next(&mut self) -> Option<X> {
        let take_a = match (self.a.peek(), self.b.peek()) {
            (Some(a), Some(b)) => a.location() <= b.location(),
            (Some(_), None) => true,
            (None, _) => false,
        };
        if take_a {
            self.a.next()
        } else {
            self.b.next()
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let (a, b) = (self.a.size_hint(), self.b.size_hint());
        (a.0 + b.0, a.1.zip(b.1).map(|(x, y)| x + y))
    }
}

impl<T> Provenance<T> {
    /// How many items it holds.
    pub fn len(&self) -> usize {
        self.settled.len() + self.recent.len()
    }

    /// Whether it holds no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<T: Located> Provenance<T> {
    /// In order of document, sentence and span.
    pub fn iter(&self) -> Iter<'_, T> {
        Iter(Merged::new(
            self.settled.iter(),
            self.recent.iter().map(unwrap_location),
        ))
    }
}

fn unwrap_location<T>(item: &ByLocation<T>) -> &T {
    &item.0
}

/// The items of a [`Provenance`], in order of document, sentence and span.
pub struct Iter<'a, T>(
    #[allow(clippy::type_complexity)]
    Merged<
        std::slice::Iter<'a, T>,
        std::iter::Map<
            std::collections::btree_set::Iter<'a, ByLocation<T>>,
            fn(&'a ByLocation<T>) -> &'a T,
        >,
    >,
);

impl<'a, T: Located> Iterator for Iter<'a, T> {
    type Item = &'a T;
    fn next(&mut self) -> Option<&'a T> {
        self.0.next()
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<T: Located> ExactSizeIterator for Iter<'_, T> {}

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        Iter(self.0.clone())
    }
}

impl<'a, T: Located> IntoIterator for &'a Provenance<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T: Located> FromIterator<T> for Provenance<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut set = Provenance::default();
        for item in iter {
            set.insert(item);
        }
        set
    }
}

impl<T: Serialize + Located> Serialize for Provenance<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de, T: Deserialize<'de> + Located> Deserialize<'de> for Provenance<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut items = Vec::<T>::deserialize(deserializer)?;
        items.sort_by(|a, b| a.location().cmp(&b.location()));
        Ok(Provenance {
            settled: union(items.into_iter(), std::iter::empty(), 0),
            recent: BTreeSet::new(),
        })
    }
}
