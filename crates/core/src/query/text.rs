//! Free-text search: an ASCII-case-insensitive substring test on each record's JSON text, and the
//! optional [`TextIndex`] that lets it skip most of the text.
//!
//! The index takes the store's blocks (64 KiB of records, compressed) and keeps, per block, a
//! bloom filter of the lower-cased byte trigrams of the records' residuals (one
//! hash, [`BLOOM_BITS`] bits): each record without the values it shares with its own columns,
//! which are found from the columns instead (`residual.rs`). A needle of n ≥ 3 bytes without
//! `"` or `\` is in a row whose column values hold it, or in a block whose filter has all of its
//! n − 2 trigrams; every other block is skipped without reading (decompressing) its text. A
//! needle shorter than 3 bytes, or with a `"` or `\`, gets no help. The filter is about 1/16 of the raw text in size (4 KiB per 64 KiB). It also
//! keeps, per row, whether the record contains a `\u` or `\/` escape (such records are never
//! excluded by the nested-path prefilters, which look for the unescaped text).

use memchr::memmem::Finder;

use super::bits::Bits;
use super::residual::{blanked, column_rows, plain, row_values};
use crate::store::Store;

/// Bloom filter bits per block (a power of two): 1/16 of a store block's 64 KiB.
pub(crate) const BLOOM_BITS: usize = 32768;
const WORDS: usize = BLOOM_BITS / 64;
const SHIFT: u32 = 32 - BLOOM_BITS.trailing_zeros();

/// A per-block trigram bloom index over the raw text of a store's rows. Build it once after
/// loading (about one pass over the raw text); [`crate::query::Query::run_indexed`] uses it.
/// Rows added later are simply scanned; [`TextIndex::extend`] indexes them.
#[derive(Clone, Debug, Default)]
pub struct TextIndex {
    /// First row of each block, plus the end row (so blocks are `starts[i]..starts[i+1]`).
    starts: Vec<u32>,
    /// `WORDS` u64 per block.
    bloom: Vec<u64>,
    /// Rows whose record has a `\u` or `\/` escape.
    escaped: Vec<u64>,
    /// Per row, the columns whose values were left out of its residual (`residual::blanked`).
    taken: Vec<u16>,
}

#[inline]
fn tri_hash(a: u8, b: u8, c: u8) -> usize {
    let x = u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c);
    (x.wrapping_mul(0x9E37_79B1) >> SHIFT) as usize
}

pub(crate) fn has_escape(raw: &[u8]) -> bool {
    memchr::memchr_iter(b'\\', raw).any(|i| matches!(raw.get(i + 1), Some(b'u' | b'/')))
}

impl TextIndex {
    /// Indexes every row of the store.
    pub fn build(store: &Store) -> TextIndex {
        let mut ix = TextIndex { starts: vec![0], ..TextIndex::default() };
        ix.extend(store);
        ix
    }

    /// Rows covered by the index.
    pub fn rows(&self) -> usize {
        self.starts.last().map_or(0, |&r| r as usize)
    }

    /// Bytes held by the index.
    pub fn memory_bytes(&self) -> u64 {
        (self.starts.capacity() * 4
            + self.bloom.capacity() * 8
            + self.escaped.capacity() * 8
            + self.taken.capacity() * 2) as u64
    }

    /// Indexes the rows added to the store since the last build/extend.
    pub fn extend(&mut self, store: &Store) {
        self.extend_by(store, usize::MAX);
        self.bloom.shrink_to_fit();
        self.starts.shrink_to_fit();
        self.taken.shrink_to_fit();
    }

    /// Indexes at most `max_rows` of the rows not yet covered (a worker indexes in slices between
    /// messages), and the rest of the block where they end. Its blocks are the store's, so a block
    /// the index lets a search skip is a compressed block it does not open; the store's open block,
    /// indexed before it was full, is indexed again, whole, by the next call.
    pub fn extend_by(&mut self, store: &Store, max_rows: usize) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        self.drop_partial(store);
        let mut row = self.rows();
        let firsts = store.block_starts();
        // A slice ends where a block does, so the next one does not index it again.
        let mut n = store.len().min(row.saturating_add(max_rows.max(1)));
        let b = firsts.partition_point(|&f| (f as usize) < n);
        n = firsts.get(b).map_or(store.len(), |&f| f as usize).min(store.len());
        if self.escaped.len() < n.div_ceil(64) {
            self.escaped.resize(n.div_ceil(64), 0);
        }
        let mut raws = store.raw_reader();
        let mut spans = Vec::new();
        while row < n {
            let mut block = [0u64; WORDS];
            let b = firsts.partition_point(|&f| f as usize <= row);
            let end = firsts.get(b).map_or(n, |&f| (f as usize).min(n)).max(row + 1);
            while row < end {
                let raw = raws.get(row).as_bytes();
                self.taken.push(blanked(raw, &row_values(store, row), &mut spans));
                let mut from = 0;
                for &(a, b) in &spans {
                    add_trigrams(&mut block, raw.get(from..a).unwrap_or_default());
                    from = b;
                }
                add_trigrams(&mut block, raw.get(from..).unwrap_or_default());
                if has_escape(raw) {
                    if let Some(w) = self.escaped.get_mut(row / 64) {
                        *w |= 1 << (row % 64);
                    }
                }
                row += 1;
            }
            self.bloom.extend_from_slice(&block);
            self.starts.push(row as u32);
        }
    }

    /// Forgets the last block when it no longer covers all of its store block (it was indexed
    /// while that block was still filling, or a slice ended inside it).
    fn drop_partial(&mut self, store: &Store) {
        let (Some(&end), Some(&start)) = (self.starts.last(), self.starts.iter().rev().nth(1))
        else {
            return;
        };
        let firsts = store.block_starts();
        let b = firsts.partition_point(|&f| f <= start);
        let block_end = firsts.get(b).map_or(store.len() as u32, |&f| f);
        if end >= block_end {
            return;
        }
        self.starts.pop();
        self.bloom.truncate(self.bloom.len().saturating_sub(WORDS));
        self.taken.truncate(start as usize);
        for r in start as usize..end as usize {
            if let Some(w) = self.escaped.get_mut(r / 64) {
                *w &= !(1 << (r % 64));
            }
        }
    }

    /// Share of bloom bits set (for tuning; about 0.3-0.5 is useful).
    #[doc(hidden)]
    pub fn fill_ratio(&self) -> f64 {
        let ones: u64 = self.bloom.iter().map(|w| u64::from(w.count_ones())).sum();
        ones as f64 / (self.bloom.len().max(1) * 64) as f64
    }

    pub(crate) fn escaped(&self, row: usize) -> bool {
        self.escaped.get(row / 64).is_some_and(|w| w >> (row % 64) & 1 == 1)
    }

    /// The blocks, as row ranges, that may contain all the needles (all rows covered by the index
    /// when no needle has 3 bytes).
    pub(crate) fn candidate_blocks<'a>(
        &'a self,
        needles: &[&[u8]],
    ) -> impl Iterator<Item = (usize, usize)> + 'a {
        let mut hashes: Vec<usize> = needles
            .iter()
            .flat_map(|n| {
                n.windows(3).map(|w| {
                    tri_hash(
                        w.first().copied().unwrap_or(0),
                        w.get(1).copied().unwrap_or(0),
                        w.get(2).copied().unwrap_or(0),
                    )
                })
            })
            .collect();
        hashes.sort_unstable();
        hashes.dedup();
        let blocks = self.starts.len().saturating_sub(1);
        (0..blocks).filter_map(move |b| {
            let words = self.bloom.get(b * WORDS..(b + 1) * WORDS)?;
            let all =
                hashes.iter().all(|&h| words.get(h / 64).is_some_and(|w| w >> (h % 64) & 1 == 1));
            if !all {
                return None;
            }
            Some((*self.starts.get(b)? as usize, *self.starts.get(b + 1)? as usize))
        })
    }
}

fn add_trigrams(block: &mut [u64; WORDS], raw: &[u8]) {
    // Rolling 24-bit window of lower-cased bytes; the first two positions only prime it.
    let mut x: u32 = 0;
    for (i, &c) in raw.iter().enumerate() {
        x = (x << 8 | u32::from(c.to_ascii_lowercase())) & 0x00FF_FFFF;
        if i >= 2 {
            let h = (x.wrapping_mul(0x9E37_79B1) >> SHIFT) as usize;
            if let Some(w) = block.get_mut(h / 64) {
                *w |= 1 << (h % 64);
            }
        }
    }
}

/// Case-insensitive substring tests with a reused lower-casing buffer.
pub(crate) struct Matcher {
    finders: Vec<Finder<'static>>,
    buf: Vec<u8>,
}

impl Matcher {
    /// `needles` must already be ASCII-lower-cased; all must occur.
    pub(crate) fn new(needles: &[&[u8]]) -> Self {
        Matcher {
            finders: needles.iter().map(|n| Finder::new(n).into_owned()).collect(),
            buf: Vec::new(),
        }
    }

    pub(crate) fn matches(&mut self, hay: &[u8]) -> bool {
        self.buf.clear();
        self.buf.extend(hay.iter().map(u8::to_ascii_lowercase));
        let buf = &self.buf;
        self.finders.iter().all(|f| f.find(buf).is_some())
    }
}

/// Rows among `cand` (all rows when `None`) whose raw text contains every needle (lower-cased),
/// plus, when `keep_escaped`, rows with an escape (see the module docs). `keys` are needles
/// written as a quoted key (`"name"`, only ever looked for as a key); `texts` any other text.
pub(crate) fn filter_rows(
    store: &Store,
    index: Option<&TextIndex>,
    cand: Option<&Bits>,
    (keys, texts): (&[&[u8]], &[&[u8]]),
    keep_escaped: bool,
) -> Bits {
    let n = store.len();
    let mut out = Bits::empty(n);
    let needles: Vec<&[u8]> = keys.iter().chain(texts).copied().collect();
    let mut m = Matcher::new(&needles);
    let mut raws = store.raw_reader();
    let mut test = |row: usize, out: &mut Bits, m: &mut Matcher| {
        if cand.is_some_and(|c| !c.get(row)) {
            return;
        }
        let raw = raws.get(row).as_bytes();
        if m.matches(raw) || (keep_escaped && has_escape(raw)) {
            out.set(row);
        }
    };
    let mut scanned_from = 0;
    if let Some(ix) = index {
        let covered = ix.rows().min(n);
        if texts.iter().all(|t| plain(t)) {
            // Rows whose own column values hold a text needle (not in their residual): with one
            // needle alone they match without a read; otherwise they are read like the rest.
            let mut direct = Bits::empty(n);
            for t in texts {
                direct.or(&column_rows(store, &ix.taken, t, covered));
            }
            let sure = keys.is_empty() && texts.len() == 1;
            for row in direct.ones_from(0) {
                if !sure {
                    test(row, &mut out, &mut m);
                } else if cand.is_none_or(|c| c.get(row)) {
                    out.set(row);
                }
            }
            for (s, e) in ix.candidate_blocks(&needles) {
                for row in s..e.min(covered) {
                    if !(sure && direct.get(row)) {
                        test(row, &mut out, &mut m);
                    }
                }
            }
        } else {
            // A needle the residual cannot answer for: every covered row is read.
            for row in 0..covered {
                test(row, &mut out, &mut m);
            }
        }
        if keep_escaped {
            for row in 0..covered {
                if ix.escaped(row) && cand.is_none_or(|c| c.get(row)) {
                    out.set(row);
                }
            }
        }
        scanned_from = covered;
    }
    match cand {
        // Sparse candidates: visit only their bits.
        Some(c) => {
            for row in c.ones_from(scanned_from) {
                test(row, &mut out, &mut m);
            }
        }
        None => {
            for row in scanned_from..n {
                test(row, &mut out, &mut m);
            }
        }
    }
    out
}
