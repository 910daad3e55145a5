//! Duplicates: the same eventID *and* the same content is one event. Equal content implies an
//! equal eventID, so the key is a 64-bit hash of the record's stored (whitespace-normalized)
//! text, `hash → first row`, and a hash match is confirmed byte for byte by the caller, so a
//! collision never drops an event: a different record with the same hash is kept and listed in
//! `extra` (practically never used). `.json` beside its `.json.gz`, a file dropped twice, pretty
//! and compact copies of one event all dedupe; distinct events that share an eventID are all kept.

use std::collections::hash_map::Entry;
use std::hash::Hasher;

use rustc_hash::{FxHashMap, FxHasher};

#[derive(Debug, Default)]
pub(crate) struct Dedupe {
    first: FxHashMap<u64, u32>,
    /// Rows whose hash collided with a different record.
    extra: FxHashMap<u64, Vec<u32>>,
}

impl Dedupe {
    /// The key of a record's stored text.
    #[inline]
    pub(crate) fn hash(text: &str) -> u64 {
        let mut h = FxHasher::default();
        h.write(text.as_bytes());
        h.finish()
    }

    /// The stored rows whose text has this hash: the caller compares their texts.
    #[inline]
    pub(crate) fn rows(&self, hash: u64) -> impl Iterator<Item = u32> + '_ {
        let first = self.first.get(&hash).copied();
        let extra = first.and_then(|_| self.extra.get(&hash)).into_iter().flatten().copied();
        first.into_iter().chain(extra)
    }

    /// Records `row` (not a duplicate of any of [`Dedupe::rows`]) under its hash.
    #[inline]
    pub(crate) fn insert(&mut self, hash: u64, row: u32) {
        match self.first.entry(hash) {
            Entry::Occupied(_) => self.extra.entry(hash).or_default().push(row),
            Entry::Vacant(slot) => {
                slot.insert(row);
            }
        }
    }

    /// (hash, row) of every hash that only one row has.
    pub(crate) fn unique(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.first.iter().filter(|(h, _)| !self.extra.contains_key(h)).map(|(&h, &r)| (h, r))
    }

    /// The row with this hash, when exactly one has it.
    pub(crate) fn only(&self, hash: u64) -> Option<u32> {
        let row = self.first.get(&hash).copied()?;
        (!self.extra.contains_key(&hash)).then_some(row)
    }

    /// Bytes held by the table (hashbrown: key + value per bucket plus one control byte).
    pub(crate) fn memory_bytes(&self) -> u64 {
        self.first.capacity() as u64 * (8 + 4 + 1)
    }
}
