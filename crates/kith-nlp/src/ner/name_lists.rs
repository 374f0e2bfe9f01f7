//! Name lists derived from the training data (first and last names, words of
//! organisations, places, events and other names), jackknifed in training so that a
//! sentence never sees its own gold labels; stored in the model file (section `names`).

use super::features::word_key;
use super::labels::TYPES;
use crate::model::format::{ModelError, Reader, Writer};
use crate::model::KeyMap;

/// Name-list bits.
pub const NAME_FIRST: u8 = 1;
pub const NAME_LAST: u8 = 2;
pub const NAME_ORG: u8 = 4;
pub const NAME_LOC: u8 = 8;
pub const NAME_EVENT: u8 = 16;
pub const NAME_OTHER: u8 = 32;
pub const NAME_ORG_HEAD: u8 = 64;

/// Name lists derived from training data: word (as written) → bits.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NameLists {
    /// Sorted by word.
    pub entries: Vec<(String, u8)>,
    map: KeyMap<u8>,
}

impl NameLists {
    /// From training sentences' words and BILOU labels: first names (first token of a
    /// person of ≥ 2 tokens), last names (last token of a person), words of organisations
    /// (and their last words), places, events and other names; capitalised words only,
    /// seen at least `min_count` times in that role.
    pub fn build<'a>(
        sentences: impl Iterator<Item = (&'a [String], &'a [u8])>,
        min_count: u32,
    ) -> NameLists {
        let mut counts: std::collections::BTreeMap<(&str, u8), u32> = Default::default();
        for (words, labels) in sentences {
            for (s, e, t) in super::labels::bilou_spans(labels) {
                let mut add = |w: &'a str, bit: u8| {
                    if w.chars().next().is_some_and(|c| c.is_uppercase()) {
                        *counts.entry((w, bit)).or_default() += 1;
                    }
                };
                match TYPES[t] {
                    kith_schema::EntityType::Person => {
                        if e - s >= 2 {
                            add(&words[s], NAME_FIRST);
                        }
                        add(&words[e - 1], NAME_LAST);
                    }
                    kith_schema::EntityType::Organization => {
                        for w in &words[s..e] {
                            add(w, NAME_ORG);
                        }
                        if e - s >= 2 {
                            add(&words[e - 1], NAME_ORG_HEAD);
                        }
                    }
                    kith_schema::EntityType::Location => {
                        words[s..e].iter().for_each(|w| add(w, NAME_LOC))
                    }
                    kith_schema::EntityType::Event => {
                        words[s..e].iter().for_each(|w| add(w, NAME_EVENT))
                    }
                    _ => words[s..e].iter().for_each(|w| add(w, NAME_OTHER)),
                }
            }
        }
        let mut merged: std::collections::BTreeMap<&str, u8> = Default::default();
        for ((w, bit), c) in counts {
            if c >= min_count {
                *merged.entry(w).or_default() |= bit;
            }
        }
        NameLists::from_entries(
            merged
                .into_iter()
                .map(|(w, b)| (w.to_string(), b))
                .collect(),
        )
    }

    /// Both lists' words, bits or-ed.
    pub fn union(&self, other: &NameLists) -> NameLists {
        let mut merged: std::collections::BTreeMap<&str, u8> = Default::default();
        for (w, b) in self.entries.iter().chain(&other.entries) {
            *merged.entry(w.as_str()).or_default() |= *b;
        }
        NameLists::from_entries(
            merged
                .into_iter()
                .map(|(w, b)| (w.to_string(), b))
                .collect(),
        )
    }

    pub fn from_entries(entries: Vec<(String, u8)>) -> NameLists {
        let map = entries.iter().map(|(w, b)| (word_key(w), *b)).collect();
        NameLists { entries, map }
    }

    #[inline]
    pub fn get(&self, word_key: u64) -> u8 {
        self.map.get(&word_key).copied().unwrap_or(0)
    }

    pub fn write_to(&self, out: &mut Writer) {
        out.u32(self.entries.len() as u32);
        for (w, b) in &self.entries {
            out.str(w);
            out.u8(*b);
        }
    }

    pub fn read_from(r: &mut Reader<'_>) -> Result<NameLists, ModelError> {
        let n = r.u32()? as usize;
        r.need(n.saturating_mul(5))?;
        let mut entries = Vec::with_capacity(n);
        for _ in 0..n {
            let w = r.string()?;
            let b = r.u8()?;
            entries.push((w, b));
        }
        Ok(NameLists::from_entries(entries))
    }
}
