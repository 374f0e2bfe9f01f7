//! Sets of mentions and evidence keyed by where they are, so that merging a document into
//! an entity or relation costs a logarithm of its size, not a re-sort of everything it has.

use kith_schema::{CharSpan, DocId, Evidence, Mention};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

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

/// Mentions or evidence, ordered by document, sentence and span, one per place.
/// Serialised as a plain sorted list.
#[derive(Clone, Debug, PartialEq)]
pub struct Provenance<T> {
    items: BTreeMap<(DocId, u32, CharSpan), T>,
}

impl<T> Default for Provenance<T> {
    fn default() -> Self {
        Provenance { items: BTreeMap::new() }
    }
}

impl<T: Located> Provenance<T> {
    pub fn insert(&mut self, item: T) {
        let (doc, sentence, span) = item.location();
        let key = (doc.clone(), sentence, span);
        match self.items.get_mut(&key) {
            Some(existing) if item.outranks(existing) => *existing = item,
            Some(_) => {}
            None => {
                self.items.insert(key, item);
            }
        }
    }

    /// Add every item of `other`; the smaller set is walked.
    pub fn absorb(&mut self, mut other: Provenance<T>) {
        if other.len() > self.len() {
            std::mem::swap(self, &mut other);
        }
        for item in other.items.into_values() {
            self.insert(item);
        }
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
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator + Clone {
        self.items.values()
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

impl<'a, T> IntoIterator for &'a Provenance<T> {
    type Item = &'a T;
    type IntoIter = std::collections::btree_map::Values<'a, (DocId, u32, CharSpan), T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.values()
    }
}

impl<T: Serialize> Serialize for Provenance<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.items.values())
    }
}

impl<'de, T: Deserialize<'de> + Located> Deserialize<'de> for Provenance<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<T>::deserialize(deserializer)?.into_iter().collect())
    }
}
