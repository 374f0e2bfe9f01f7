//! Sets of mentions and evidence keyed by where they are, so that merging a document into
//! an entity or relation costs a logarithm of its size, not a re-sort of everything it has.

use kith_schema::{CharSpan, DocId, Evidence, Mention};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeSet;

/// Something that sits at one place in one document.
pub trait Located {
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

/// An item ordered by its location alone, so that a set of them holds one item per place
/// without storing the location twice (a graph has tens of millions of them).
#[derive(Clone, Debug)]
struct ByLocation<T>(T);

impl<T: Located> PartialEq for ByLocation<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0.location() == other.0.location()
    }
}

impl<T: Located> Eq for ByLocation<T> {}

impl<T: Located> PartialOrd for ByLocation<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: Located> Ord for ByLocation<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.location().cmp(&other.0.location())
    }
}

/// Mentions or evidence, ordered by document, sentence and span, one per place.
/// Serialised as a plain sorted list.
#[derive(Clone, Debug)]
pub struct Provenance<T> {
    items: BTreeSet<ByLocation<T>>,
}

impl<T: Located + PartialEq> PartialEq for Provenance<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl<T> Default for Provenance<T> {
    fn default() -> Self {
        Provenance { items: BTreeSet::new() }
    }
}

impl<T: Located> Provenance<T> {
    pub fn insert(&mut self, item: T) {
        let item = ByLocation(item);
        match self.items.get(&item) {
            Some(existing) if item.0.outranks(&existing.0) => {
                self.items.replace(item);
            }
            Some(_) => {}
            None => {
                self.items.insert(item);
            }
        }
    }

    /// Add every item of `other`; the smaller set is walked.
    pub fn absorb(&mut self, mut other: Provenance<T>) {
        if other.len() > self.len() {
            std::mem::swap(self, &mut other);
        }
        for item in other.items {
            self.insert(item.0);
        }
    }

    /// Rewrite every item in place; `f` must not change where an item is.
    pub(crate) fn rewrite(&mut self, mut f: impl FnMut(&mut T)) {
        let items = std::mem::take(&mut self.items);
        self.items = items
            .into_iter()
            .map(|mut item| {
                f(&mut item.0);
                item
            })
            .collect();
    }
}

impl<T> Provenance<T> {
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// In order of document, sentence and span.
    pub fn iter(&self) -> Iter<'_, T> {
        Iter(self.items.iter())
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

impl<T: Serialize> Serialize for Provenance<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de, T: Deserialize<'de> + Located> Deserialize<'de> for Provenance<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<T>::deserialize(deserializer)?.into_iter().collect())
    }
}

impl<'a, T> IntoIterator for &'a Provenance<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        Iter(self.items.iter())
    }
}

/// The items of a [`Provenance`], in order of document, sentence and span.
#[derive(Clone)]
pub struct Iter<'a, T>(std::collections::btree_set::Iter<'a, ByLocation<T>>);

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;
    fn next(&mut self) -> Option<&'a T> {
        self.0.next().map(|item| &item.0)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<T> DoubleEndedIterator for Iter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|item| &item.0)
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}
