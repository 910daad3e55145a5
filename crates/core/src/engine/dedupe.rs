//! Duplicates across data workers (see `crate::store::remove` and `crate::shards::dedupe`):
//! after a load each worker sends the content key of each of its rows to the worker that owns
//! the key (`hash % workers`), which already holds the keys of its own rows; the owner finds the
//! keys more than one worker holds and names the copies to drop: every copy but the one of the
//! lowest-numbered worker, so the event stays once, whichever files held it. The key is only a
//! candidate: each pair's two texts are hashed again with another hash ([`Engine::digests`])
//! and dropped only when those agree too.
//!
//! A key travels as 16 bytes (hash, text length, row: little-endian) in base64, so a million
//! rows cost ~11 MB of messages rather than the ~35 MB their JSON numbers would.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use super::protocol::Reply;
use super::state::Engine;
use crate::store::ContentKey;

const KEY_BYTES: usize = 16;

/// `keys` as one string.
pub fn encode(keys: &[(ContentKey, u32)]) -> String {
    let mut bytes = Vec::with_capacity(keys.len() * KEY_BYTES);
    for (k, row) in keys {
        bytes.extend_from_slice(&k.hash.to_le_bytes());
        bytes.extend_from_slice(&k.len.to_le_bytes());
        bytes.extend_from_slice(&row.to_le_bytes());
    }
    STANDARD.encode(bytes)
}

/// The keys of [`encode`]; nothing for a string that is not one (a partial key is dropped).
pub fn decode(text: &str) -> Vec<(ContentKey, u32)> {
    let Ok(bytes) = STANDARD.decode(text) else { return Vec::new() };
    bytes
        .chunks_exact(KEY_BYTES)
        .filter_map(|c| {
            let hash = u64::from_le_bytes(c.get(..8)?.try_into().ok()?);
            let len = u32::from_le_bytes(c.get(8..12)?.try_into().ok()?);
            let row = u32::from_le_bytes(c.get(12..16)?.try_into().ok()?);
            Some((ContentKey { hash, len }, row))
        })
        .collect()
}

/// A candidate duplicate: the copy kept and the copy dropped, each as (worker, row).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair {
    pub keep: (u32, u32),
    pub lose: (u32, u32),
}

/// `pairs` as one string (four little-endian `u32`s each, base64).
pub fn encode_pairs(pairs: &[Pair]) -> String {
    let mut bytes = Vec::with_capacity(pairs.len() * 16);
    for p in pairs {
        for x in [p.keep.0, p.keep.1, p.lose.0, p.lose.1] {
            bytes.extend_from_slice(&x.to_le_bytes());
        }
    }
    STANDARD.encode(bytes)
}

/// The pairs of [`encode_pairs`]; nothing for a string that is not one.
pub fn decode_pairs(text: &str) -> Vec<Pair> {
    let Ok(bytes) = STANDARD.decode(text) else { return Vec::new() };
    let word = |c: &[u8], i: usize| -> Option<u32> {
        Some(u32::from_le_bytes(c.get(i * 4..i * 4 + 4)?.try_into().ok()?))
    };
    bytes
        .chunks_exact(16)
        .filter_map(|c| {
            Some(Pair { keep: (word(c, 0)?, word(c, 1)?), lose: (word(c, 2)?, word(c, 3)?) })
        })
        .collect()
}

/// The digests of [`Engine::digests`]; nothing for a string that is not one.
pub fn decode_digests(text: &str) -> Vec<u64> {
    let Ok(bytes) = STANDARD.decode(text) else { return Vec::new() };
    bytes.chunks_exact(8).filter_map(|c| Some(u64::from_le_bytes(c.try_into().ok()?))).collect()
}

/// The second hash of a record's text: SipHash-1-3 with fixed keys (`DefaultHasher::new`), the
/// same in every worker of one build. FxHash, the dedupe's key, is fast but weak: two distinct
/// records of a million generated ones shared its hash and length, which a store's own dedupe
/// settles by comparing the texts and the workers cannot.
fn digest(text: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    h.write(text.as_bytes());
    h.finish()
}

impl Engine {
    /// [`Reply::Keys`]: this worker's keys for each owner but itself.
    pub fn content_keys(&self) -> Reply {
        let role = self.role();
        let of = u64::from(role.of.max(1));
        let mut per: Vec<Vec<(ContentKey, u32)>> = vec![Vec::new(); of as usize];
        for (key, row) in self.store().content_keys() {
            let owner = (key.hash % of) as usize;
            if owner != role.index as usize {
                if let Some(v) = per.get_mut(owner) {
                    v.push((key, row));
                }
            }
        }
        Reply::Keys { store: self.store().store_id(), to: per.iter().map(|v| encode(v)).collect() }
    }

    /// [`Reply::Pairs`]: of the keys this worker owns, each copy but the lowest-numbered
    /// worker's, paired with that one (this worker's own rows among them): candidates, which
    /// [`Engine::digests`] confirms. Nothing when `store` is no longer this worker's (cleared or
    /// rewritten since its keys were sent).
    pub fn owned_duplicates(&self, store: u64, from: &[(u32, String)]) -> Reply {
        let mut pairs: Vec<Pair> = Vec::new();
        if store != self.store().store_id() {
            return Reply::Pairs { pairs: encode_pairs(&pairs) };
        }
        let me = self.role().index;
        let mut incoming: Vec<(ContentKey, u32, u32)> = Vec::new();
        let several = from.iter().filter(|(w, k)| *w != me && !k.is_empty()).count() > 1;
        for (w, keys) in from.iter().filter(|(w, _)| *w != me) {
            for (key, row) in decode(keys) {
                if several {
                    incoming.push((key, *w, row));
                } else if let Some(mine) = self.store().row_with_key(key) {
                    let (keep, lose) =
                        if *w < me { ((*w, row), (me, mine)) } else { ((me, mine), (*w, row)) };
                    pairs.push(Pair { keep, lose });
                }
            }
        }
        // Several workers sent keys: group the copies of each key, this worker's with them.
        incoming.sort_unstable_by_key(|&(k, w, _)| (k.hash, k.len, w));
        for run in incoming.chunk_by(|a, b| a.0 == b.0) {
            let Some(&(key, _, _)) = run.first() else { continue };
            let mine = self.store().row_with_key(key).map(|r| (me, r));
            let mut copies: Vec<(u32, u32)> = run.iter().map(|&(_, w, r)| (w, r)).collect();
            copies.extend(mine);
            copies.sort_unstable();
            let Some(&keep) = copies.first() else { continue };
            pairs.extend(copies.iter().skip(1).map(|&lose| Pair { keep, lose }));
        }
        Reply::Pairs { pairs: encode_pairs(&pairs) }
    }

    /// [`Reply::Digests`]: a second hash of each of `rows`' texts, independent of the dedupe's
    /// (SipHash, where the key is FxHash), in their order; nothing when `store` is no longer
    /// this worker's. Two texts are taken for one only when both hashes and the length agree.
    pub fn digests(&self, store: u64, rows: &[u32]) -> Reply {
        if store != self.store().store_id() {
            return Reply::Digests { store, digests: String::new() };
        }
        let mut reader = self.store().raw_reader();
        let mut bytes = Vec::with_capacity(rows.len() * 8);
        for &r in rows {
            bytes.extend_from_slice(&digest(reader.get(r as usize)).to_le_bytes());
        }
        Reply::Digests { store, digests: STANDARD.encode(bytes) }
    }

    /// Takes `rows` (duplicates of another worker's) out of store `store` and answers again:
    /// the store is written anew, its index and identities made again from it. Nothing when
    /// there is nothing to take or `store` is no longer this worker's.
    pub fn drop_rows(&mut self, store: u64, rows: &[u32]) -> Vec<Reply> {
        if rows.is_empty() || store != self.store().store_id() {
            return Vec::new();
        }
        let rewritten = self.store().without_rows(rows);
        self.replace_store(rewritten);
        self.changed()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn keys_travel_whole() {
        let keys = vec![
            (ContentKey { hash: u64::MAX, len: 7 }, 0),
            (ContentKey { hash: 1 << 63 | 5, len: u32::MAX }, 42),
        ];
        assert_eq!(decode(&encode(&keys)), keys);
        assert_eq!(decode(&encode(&[])), vec![]);
        // Not base64, or a partial key: nothing, or the whole keys only.
        assert_eq!(decode("%%%"), vec![]);
        assert_eq!(decode(&STANDARD.encode([7u8; 15])), vec![]);
        assert_eq!(decode(&STANDARD.encode([0u8; 20])), vec![(ContentKey { hash: 0, len: 0 }, 0)]);
    }
}
