//! A per-column dictionary of distinct values, shaped for the ingest hot path: most columns hold
//! few distinct values (services, regions, accounts, users…), so a small direct-mapped cache in
//! front of the hash map answers nearly every lookup with one cheap hash and one comparison.

use rustc_hash::FxHashMap;

/// Slots of a dictionary's lookup cache (a power of two).
pub(super) const CACHE_SLOTS: usize = 512;

/// A cheap hash of a short string for the lookup cache: its length and its first and last 8
/// bytes (CloudTrail values that share a prefix — ARNs, user agents — differ near the end).
#[inline]
fn quick_hash(s: &[u8]) -> u64 {
    let n = s.len();
    let word = |r: Option<&[u8]>| {
        r.and_then(|b| <[u8; 8]>::try_from(b).ok()).map_or(0, u64::from_le_bytes)
    };
    let (a, b) = if n >= 8 {
        (word(s.get(..8)), word(s.get(n - 8..)))
    } else {
        let mut w = 0u64;
        for &c in s {
            w = (w << 8) | u64::from(c);
        }
        (w, 0)
    };
    (a ^ b.rotate_left(29) ^ (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15))
        .wrapping_mul(0xf135_7aea_2e62_a9c5)
}

/// `a == b` for short strings without a `memcmp` call (interned values are mostly 5-70 bytes
/// and compared once per column per event): 8-byte words, the tail as one overlapping word.
#[inline(always)]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| {
        s.get(at..at + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()).map_or(0, u64::from_le_bytes)
    };
    if n < 8 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    let mut i = 0;
    while i + 8 <= n {
        if word(a, i) != word(b, i) {
            return false;
        }
        i += 8;
    }
    word(a, n - 8) == word(b, n - 8)
}

/// A per-column dictionary: id 0 is always "".
#[derive(Debug)]
pub(super) struct Dict {
    pub(super) strings: Vec<Box<str>>,
    pub(super) map: FxHashMap<Box<str>, u32>,
    pub(super) bytes: u64,
    /// Direct-mapped cache `quick_hash → id`, checked before the map. Ids are never removed, so
    /// a slot is always a valid id; a hit is verified by comparing the string.
    cache: Box<[u32; CACHE_SLOTS]>,
}

impl Dict {
    pub(super) fn new() -> Self {
        let mut d = Dict {
            strings: Vec::new(),
            map: FxHashMap::default(),
            bytes: 0,
            cache: Box::new([0; CACHE_SLOTS]),
        };
        d.strings.push("".into());
        d.map.insert("".into(), 0);
        d
    }
    #[inline]
    pub(super) fn intern(&mut self, s: &str) -> u32 {
        // Most columns hold few distinct values (services, regions, accounts, users…), so the
        // cache answers nearly every lookup with one short hash and one comparison.
        let slot = (quick_hash(s.as_bytes()) >> (64 - CACHE_SLOTS.trailing_zeros())) as usize;
        if let Some(c) = self.cache.get_mut(slot) {
            if self.strings.get(*c as usize).is_some_and(|l| same_bytes(l.as_bytes(), s.as_bytes()))
            {
                return *c;
            }
        }
        let id = match self.map.get(s) {
            Some(&id) => id,
            None => {
                let id = self.strings.len() as u32;
                self.strings.push(s.into());
                self.map.insert(s.into(), id);
                self.bytes += 2 * s.len() as u64;
                id
            }
        };
        if let Some(c) = self.cache.get_mut(slot) {
            *c = id;
        }
        id
    }
    pub(super) fn get(&self, id: u32) -> &str {
        self.strings.get(id as usize).map_or("", |s| s)
    }
}
