//! Where raw records live: compressed blocks of about [`BLOCK`] bytes of record text, appended
//! one after the other, and the open block still being filled (plain text). Rows are stored in
//! order and a record never spans two blocks (one bigger than a block gets a block of its own),
//! so a block holds the records of a run of rows back to back: per block its first row, per row
//! only the offset where its record starts (under [`BLOCK`], so a `u16`); the record ends where
//! the next row's starts, or at the block's end. Two bytes per row instead of twelve.
//!
//! The codec is LZ4 (`lz4_flex`, pure Rust), every block after the first compressed with the
//! first block's text as its dictionary, so a 64 KiB block compresses like a much larger one.
//! Chosen by measurement in wasm (Node 20's V8, the benchmark's records; BENCHMARKS.md, "The
//! compressed store"): LZ4 with that dictionary at 64 KiB gave 4.5:1 at ~320 MB/s to compress and
//! ~1.5 GB/s to decompress; without it 3.9:1 (4.4:1 only at 256 KiB, which opens 4× the text
//! for one record); snappy 3.9:1 at ~550 MB/s; deflate level 1 4.1–4.3:1 at ~160 MB/s (~220 MB/s
//! to decompress); ruzstd's fastest level 5.5:1 at ~56 MB/s, too slow to keep up with a load.
//!
//! Compression is deferred for a small load: when the engine expects the store to hold at most
//! [`DEFER_BYTES`] (1.5 GiB) of records after a load (`Engine::plan_compression`), sealed blocks
//! are kept as plain text and compressed later, when the worker is idle
//! ([`Texts::compress_deferred`], after the text index); should more come than that, each block
//! sealed past it compresses itself and the oldest waiting one, so the waiting ones drain. A
//! bigger load compresses every block as it seals (and drains any still waiting). So a load of a
//! million events spends no time compressing while the user waits (LZ4 at ~300 MB/s in wasm was
//! ~4 s of it; BENCHMARKS.md, "Deferred compression"), while a big one keeps its peak memory: at
//! five million events, deferring the first GiB raised the worker's peak from 3.0 to 3.6 GB
//! (the plain blocks freed later are holes the growing columns cannot use).
//!
//! Reading goes through a [`RawCache`] (decompressed blocks), so a pass over rows in order
//! decompresses each block once; a plain block is read in place.

/// Plain bytes of record text per block (the open block is sealed before it would pass this).
pub(crate) const BLOCK: usize = 64 << 10;

/// Plain bytes of sealed blocks that may wait, uncompressed, for the worker to be idle (see the
/// module docs).
pub const DEFER_BYTES: u64 = 3 << 29;

#[derive(Debug)]
struct Sealed {
    data: Data,
    /// Plain bytes.
    len: u32,
}

/// How a sealed block is kept.
#[derive(Debug)]
enum Data {
    /// LZ4 with the dictionary (every block but the first).
    Lz4Dict(Box<[u8]>),
    /// LZ4 without it (the first block).
    Lz4(Box<[u8]>),
    /// As it is: LZ4 would not make it smaller (text that does not repeat itself), or its
    /// compression is deferred (its number is in `Texts::deferred`).
    Plain(Box<str>),
}

impl Data {
    fn bytes(&self) -> u64 {
        match self {
            Data::Lz4Dict(b) | Data::Lz4(b) => b.len() as u64,
            Data::Plain(s) => s.len() as u64,
        }
    }
}

/// The record texts (see the module docs).
#[derive(Debug)]
pub(super) struct Texts {
    id: u64,
    sealed: Vec<Sealed>,
    /// The block being filled; its number is `sealed.len()`.
    open: String,
    /// First row of every block, the open one included (empty before the first record).
    first_row: Vec<u32>,
    /// Per row, where its record starts in its block.
    start: Vec<u16>,
    /// The first block's text, the dictionary of the others.
    dict: Option<Box<[u8]>>,
    /// Reused output buffer of the compressor.
    scratch: Vec<u8>,
    /// Plain bytes of every sealed block.
    sealed_plain: u64,
    /// Sealed blocks kept plain until the worker is idle, oldest first, and their bytes.
    deferred: std::collections::VecDeque<u32>,
    deferred_bytes: u64,
    /// How many plain bytes may wait ([`DEFER_BYTES`]; 0 compresses every block as it seals).
    defer_limit: u64,
}

/// Decompressed blocks kept by a reader between records: the last [`CACHED`] opened, so rows
/// read in an order other than the store's (a time sort of files from several accounts and
/// regions, read one after the other) still find their block most of the time. Each names the
/// texts it came from, so a cache kept across stores (one that outlives a Clear) only misses.
#[derive(Debug, Default, Clone)]
pub struct RawCache {
    /// (texts, block), text, last use; at most [`CACHED`].
    slots: Vec<((u64, u32), String, u64)>,
    clock: u64,
}

/// Blocks a [`RawCache`] keeps (1 MiB).
const CACHED: usize = 16;

/// Tells every [`Texts`] apart (for [`RawCache`]).
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Default for Texts {
    fn default() -> Texts {
        Texts {
            id: next_id(),
            sealed: Vec::new(),
            open: String::new(),
            first_row: Vec::new(),
            start: Vec::new(),
            dict: None,
            scratch: Vec::new(),
            sealed_plain: 0,
            deferred: Default::default(),
            deferred_bytes: 0,
            defer_limit: DEFER_BYTES,
        }
    }
}

impl Texts {
    /// Appends the record of the next row.
    pub(super) fn push(&mut self, s: &str) {
        let row = self.start.len() as u32;
        if !self.open.is_empty() && self.open.len() + s.len() > BLOCK {
            self.seal();
        }
        if self.open.is_empty() {
            self.first_row.push(row);
            if self.open.capacity() == 0 {
                self.open.reserve_exact(BLOCK.max(s.len()));
            }
        }
        // A record starts only in an empty block or where it fits before BLOCK.
        self.start.push(u16::try_from(self.open.len()).unwrap_or(u16::MAX));
        self.open.push_str(s);
    }

    /// Room for `extra` more rows (the store grows its row vectors together).
    pub(super) fn reserve_rows(&mut self, extra: usize) {
        self.start.reserve_exact(extra);
    }

    /// Seals the open block: kept plain for later while the deferred bytes stay within the
    /// limit, else compressed now, with the oldest deferred block too.
    fn seal(&mut self) {
        let text = std::mem::take(&mut self.open);
        let len = text.len() as u64;
        let block = self.sealed.len() as u32;
        if self.dict.is_none() {
            self.dict = Some(text.as_bytes().into());
        }
        let data = if self.deferred_bytes + len <= self.defer_limit {
            self.deferred.push_back(block);
            self.deferred_bytes += len;
            Data::Plain(text.as_str().into())
        } else {
            let data = self.compress_block(block, &text);
            self.compress_deferred(1);
            data
        };
        self.sealed.push(Sealed { data, len: len as u32 });
        self.sealed_plain += len;
        self.open = text;
        self.open.clear();
        if self.open.capacity() > BLOCK {
            // A block that held one big record: back to the usual sizes.
            self.open = String::new();
            self.scratch = Vec::new();
        }
    }

    /// `plain` compressed (LZ4, with the dictionary when there is one), or kept as it is when
    /// that would not make it smaller.
    fn compress(&mut self, plain: &str) -> Data {
        let bytes = plain.as_bytes();
        self.scratch.resize(lz4_flex::block::get_maximum_output_size(bytes.len()), 0);
        let with_dict = self.dict.as_deref();
        let n = match with_dict {
            Some(d) => lz4_flex::block::compress_into_with_dict(bytes, &mut self.scratch, d),
            None => lz4_flex::block::compress_into(bytes, &mut self.scratch),
        };
        // The output buffer is sized for the worst case, so compression does not fail; a block
        // that does not get smaller is kept as it is.
        match n.ok().filter(|&n| n < bytes.len()).and_then(|n| self.scratch.get(..n)) {
            Some(c) if with_dict.is_some() => Data::Lz4Dict(c.into()),
            Some(c) => Data::Lz4(c.into()),
            None => Data::Plain(plain.into()),
        }
    }

    /// Compresses up to `max_blocks` deferred blocks, oldest first; true when some still wait.
    pub(super) fn compress_deferred(&mut self, max_blocks: usize) -> bool {
        for _ in 0..max_blocks {
            let Some(block) = self.deferred.pop_front() else { break };
            let Some(text) = self.sealed.get_mut(block as usize).and_then(|s| match &mut s.data {
                Data::Plain(t) => Some(std::mem::take(t)),
                _ => None,
            }) else {
                continue;
            };
            self.deferred_bytes = self.deferred_bytes.saturating_sub(text.len() as u64);
            let data = self.compress_block(block, &text);
            if let Some(s) = self.sealed.get_mut(block as usize) {
                s.data = data;
            }
        }
        !self.deferred.is_empty()
    }

    /// Whether some sealed blocks wait for [`Texts::compress_deferred`].
    pub(super) fn compress_waiting(&self) -> bool {
        !self.deferred.is_empty()
    }

    /// Block `block`'s text compressed: the first block is the dictionary, so it is compressed
    /// without one.
    fn compress_block(&mut self, block: u32, plain: &str) -> Data {
        if block != 0 {
            return self.compress(plain);
        }
        let dict = self.dict.take();
        let data = self.compress(plain);
        self.dict = dict;
        data
    }

    /// Sets how many plain bytes may wait for compression (0 compresses as it seals).
    pub(super) fn set_defer_limit(&mut self, bytes: u64) {
        self.defer_limit = bytes;
    }

    /// What tells these texts apart from every other.
    pub(super) fn id(&self) -> u64 {
        self.id
    }

    /// The length of `row`'s record (0 for a row out of range).
    pub(super) fn len_of(&self, row: usize) -> usize {
        self.locate(row).map_or(0, |(_, r)| r.len())
    }

    /// The block holding `row`'s record, and the byte range of the record in it.
    fn locate(&self, row: usize) -> Option<(u32, std::ops::Range<usize>)> {
        let start = usize::from(*self.start.get(row)?);
        let block = self.first_row.partition_point(|&f| f as usize <= row).checked_sub(1)?;
        let next_in_block = row + 1 < self.start.len()
            && self.first_row.get(block + 1).is_none_or(|&f| f as usize > row + 1);
        let end = if next_in_block {
            usize::from(*self.start.get(row + 1)?)
        } else if block == self.sealed.len() {
            self.open.len()
        } else {
            self.sealed.get(block)?.len as usize
        };
        Some((block as u32, start..end))
    }

    /// `row`'s record, through `cache` when its block is sealed ("" for a row out of range).
    pub(super) fn get<'a>(&'a self, cache: &'a mut RawCache, row: usize) -> &'a str {
        let Some((block, range)) = self.locate(row) else { return "" };
        if block as usize == self.sealed.len() {
            return self.open.get(range).unwrap_or("");
        }
        if let Some(Sealed { data: Data::Plain(text), .. }) = self.sealed.get(block as usize) {
            return text.get(range).unwrap_or("");
        }
        let key = (self.id, block);
        cache.clock += 1;
        let i = match cache.slots.iter().position(|s| s.0 == key) {
            Some(i) => i,
            None => self.open_block(cache, key),
        };
        match cache.slots.get_mut(i) {
            Some(slot) => {
                slot.2 = cache.clock;
                slot.1.get(range).unwrap_or("")
            }
            None => "",
        }
    }

    /// Decompresses a block into `cache`, in place of the one least recently used when it is
    /// full; returns its slot (its text left empty when it cannot be read).
    fn open_block(&self, cache: &mut RawCache, key: (u64, u32)) -> usize {
        let i = if cache.slots.len() < CACHED {
            cache.slots.push((key, String::new(), 0));
            cache.slots.len() - 1
        } else {
            let lru = cache.slots.iter().enumerate().min_by_key(|(_, s)| s.2);
            lru.map_or(0, |(i, _)| i)
        };
        if let Some(slot) = cache.slots.get_mut(i) {
            slot.0 = key;
            slot.1 = self.decompress(key.1);
        }
        i
    }

    /// The text of sealed `block` ("" when it cannot be read).
    fn decompress(&self, block: u32) -> String {
        let Some(s) = self.sealed.get(block as usize) else { return String::new() };
        let bytes = match &s.data {
            Data::Plain(t) => return t.to_string(),
            Data::Lz4(b) => lz4_flex::block::decompress(b, s.len as usize),
            Data::Lz4Dict(b) => {
                let dict = self.dict.as_deref().unwrap_or_default();
                lz4_flex::block::decompress_with_dict(b, s.len as usize, dict)
            }
        };
        match bytes {
            // Valid UTF-8 when it went in; checked again rather than trusted (no unsafe here).
            Ok(b) if b.len() == s.len as usize => String::from_utf8(b).unwrap_or_default(),
            _ => String::new(),
        }
    }

    /// Bytes held: compressed blocks, the open block, the dictionary.
    pub(super) fn bytes(&self) -> u64 {
        let sealed: u64 = self.sealed.iter().map(|s| s.data.bytes()).sum();
        sealed
            + (self.sealed.capacity() * std::mem::size_of::<Sealed>()) as u64
            + self.open.capacity() as u64
            + self.dict.as_ref().map_or(0, |d| d.len() as u64)
            + self.scratch.capacity() as u64
            + (self.first_row.capacity() * 4 + self.start.capacity() * 2) as u64
    }

    /// The first row of every block.
    pub(super) fn block_starts(&self) -> &[u32] {
        &self.first_row
    }

    /// Plain bytes of every record text held.
    pub(super) fn plain_bytes(&self) -> u64 {
        self.sealed_plain + self.open.len() as u64
    }
}
