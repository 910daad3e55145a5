//! The in-memory store of events: columnar, interned, with raw records in a chunked arena.
//!
//! Shaped for millions of events in a browser tab whose memory only grows:
//! * one `Vec<u32>` per [`Column`] (`column`) holding ids into a per-column dictionary
//!   (`dict`: `Vec<Box<str>>` + `FxHashMap`, low-cardinality strings stored once, looked up
//!   through a 512-slot direct-mapped cache first), `Vec<i64>` for time (ms since the epoch,
//!   `i64::MIN` = none), `Vec<u32>` for the file index;
//! * raw records (`texts`): a record that looks spaced (line breaks, tabs, or `": "`
//!   separators; see [`crate::scan::looks_spaced`]) is stored with insignificant whitespace
//!   removed (strings untouched), others as they came, in LZ4-compressed blocks of 64 KiB
//!   (two bytes per row locate a record; the first GiB of blocks compressed only when the
//!   worker is idle, `texts`). They are read through a [`RawReader`], which keeps
//!   the last block it opened, so a pass over rows in order decompresses each block once;
//!   [`Store::raw`] reads one record;
//! * duplicates (`dedupe.rs`): same eventID *and* same content = the same stored (normalized)
//!   text, found by a 64-bit hash and confirmed byte for byte; across the stores of several
//!   data workers by that hash and the text's length (`remove.rs`);
//! * row vectors grow by a quarter at a time (bounded slack), not 2x.
//!
//! The store knows nothing of file formats: the reader (`crate::read`, which also defines
//! [`Store::ingest`] and [`Store::ingest_owned`]) writes it through the narrow crate-private API
//! of `write` — `push_event`, `begin_owned`/`end_owned`, `push_file`, byte accounting — and never
//! touches its fields. Memory per event is measured in
//! BENCHMARKS.md ("Design measurements").
//!
//! Everything is plain owned data, so the store is `Send + Sync`.

use std::ops::Range;

use crate::report::{ErrorKind, FileReport, ReadError};

mod column;
mod dedupe;
mod dict;
mod remove;
mod texts;
mod write;

pub use column::Column;
pub(crate) use column::NCOLS;
use dedupe::Dedupe;
use dict::{Dict, CACHE_SLOTS};
pub use remove::ContentKey;
use texts::Texts;
#[cfg(test)]
pub(crate) use texts::BLOCK;
pub use texts::{RawCache, DEFER_BYTES};

/// Caps that protect the tab. Defaults: 1 GiB decompressed per file or archive member, 3 GiB of
/// memory for the store and its text index (peak ≈ that + the files being read and one file's
/// decompressed buffer, under the 4 GiB wasm32 heap), 8 MiB per record (CloudTrail's own
/// events are far smaller), 100,000 members per archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Decompressed bytes per file or archive member.
    pub max_file_bytes: u64,
    /// Bytes of memory the events may take: the store's own ([`Store::memory_bytes`]: columns,
    /// compressed record texts, dictionaries) and its text index's (see
    /// [`Store::memory_needed`]). A load stops before a file that would not fit; a member being
    /// decompressed stops at what is left.
    pub max_memory_bytes: u64,
    /// Bytes of one record (one event's JSON text).
    pub max_record_bytes: usize,
    /// Members per zip archive.
    pub max_archive_members: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 1 << 30,
            max_memory_bytes: 3 << 30,
            max_record_bytes: 8 << 20,
            max_archive_members: 100_000,
        }
    }
}

/// Store-wide counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Totals {
    pub read: u64,
    pub kept: u64,
    pub duplicates: u64,
    pub rejected: u64,
    /// Events read and left out by the user's choice at load (`read` = kept + duplicates +
    /// rejected + filtered).
    #[serde(default)]
    pub filtered: u64,
    pub digests: u64,
    pub files: u64,
    /// Decompressed bytes read.
    pub bytes: u64,
}

impl std::ops::AddAssign for Totals {
    /// The totals of two stores together (two data workers' files).
    fn add_assign(&mut self, o: Totals) {
        self.read += o.read;
        self.kept += o.kept;
        self.duplicates += o.duplicates;
        self.rejected += o.rejected;
        self.filtered += o.filtered;
        self.digests += o.digests;
        self.files += o.files;
        self.bytes += o.bytes;
    }
}

/// Memory estimates in bytes (capacities, not lengths).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct MemoryUse {
    /// Column vectors, time, file index and the dedupe table.
    pub columns: u64,
    /// The record texts: compressed blocks, the open block, the dictionary, the per-row starts.
    pub raw: u64,
    /// Dictionaries (strings and their hash maps).
    pub interned: u64,
}

impl MemoryUse {
    pub fn total(&self) -> u64 {
        self.columns + self.raw + self.interned
    }
}

/// The bit of a row's facts (beside the columns' absent bits) for a `userIdentity` written as a
/// JSON string.
pub(crate) const IDENTITY_TEXT: u16 = 1 << 15;

/// All loaded events plus the per-file reports. See the module docs for the layout.
#[derive(Debug)]
pub struct Store {
    limits: Limits,
    files: Vec<FileReport>,
    time: Vec<i64>,
    file: Vec<u32>,
    cols: [Vec<u32>; NCOLS],
    dicts: [Dict; NCOLS],
    /// Per row, what an empty column value alone cannot tell: a bit per column (by
    /// [`Column::index`]) set when the record has no value at all for the column's field
    /// (missing or null, not `""` or a non-text value: [`Store::absent`]), and
    /// [`IDENTITY_TEXT`] when its `userIdentity` is an object written as a JSON string.
    facts: Vec<u16>,
    texts: Texts,
    /// The block the duplicate check last opened.
    dedupe_cache: RawCache,
    dedupe: Dedupe,
    /// Whether the reader may use its hand-written record parser (always, except in the tests
    /// that compare it with the serde path).
    fast_path: bool,
}

impl Default for Store {
    fn default() -> Self {
        Store::new()
    }
}

/// Outcome of [`Store::push_event`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pushed {
    Kept,
    Duplicate,
}

impl Store {
    /// A store with [`Limits::default`].
    pub fn new() -> Self {
        Store::with_limits(Limits::default())
    }

    pub fn with_limits(limits: Limits) -> Self {
        Store {
            limits,
            files: Vec::new(),
            time: Vec::new(),
            file: Vec::new(),
            cols: Default::default(),
            dicts: std::array::from_fn(|_| Dict::new()),
            facts: Vec::new(),
            texts: Texts::default(),
            dedupe_cache: RawCache::default(),
            dedupe: Dedupe::default(),
            fast_path: true,
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    pub fn files(&self) -> &[FileReport] {
        &self.files
    }

    /// Kept events (rows).
    pub fn len(&self) -> usize {
        self.time.len()
    }

    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    pub fn totals(&self) -> Totals {
        let mut t = Totals { files: self.files.len() as u64, ..Totals::default() };
        for f in &self.files {
            t += Totals {
                read: f.events,
                kept: f.kept,
                duplicates: f.duplicates,
                rejected: f.rejected,
                filtered: f.filtered,
                digests: f.digests,
                files: 0,
                bytes: f.bytes,
            };
        }
        t
    }

    /// eventTime (or the fallback time field) in ms since the Unix epoch, UTC.
    pub fn time_ms(&self, row: usize) -> Option<i64> {
        self.time.get(row).copied().filter(|&t| t != i64::MIN)
    }

    /// The column's value for `row`; "" when missing (or `row` out of range).
    pub fn get(&self, row: usize, col: Column) -> &str {
        let i = col.index();
        match (self.cols.get(i), self.dicts.get(i)) {
            (Some(c), Some(d)) => c.get(row).map_or("", |&id| d.get(id)),
            _ => "",
        }
    }

    /// The interned id of the column's value for `row` (0 = ""), for fast grouping.
    pub fn id(&self, row: usize, col: Column) -> u32 {
        self.cols.get(col.index()).and_then(|c| c.get(row).copied()).unwrap_or(0)
    }

    /// The distinct values of a column, indexed by id.
    pub fn dictionary(&self, col: Column) -> &[Box<str>] {
        self.dicts.get(col.index()).map_or(&[], |d| &d.strings)
    }

    /// The record's own JSON text (unescaped if it came from a JSON string), with insignificant
    /// whitespace removed; "" for a row out of range. Decompresses its block: for more than one
    /// row, read through [`Store::raw_reader`].
    pub fn raw(&self, row: usize) -> String {
        self.raw_reader().get(row).to_string()
    }

    /// Reads records, keeping the block last opened (see the module docs).
    pub fn raw_reader(&self) -> RawReader<'_> {
        RawReader { store: self, cache: RawCache::default() }
    }

    /// `row`'s record, through a cache the caller keeps (across calls, where a [`RawReader`]
    /// cannot be kept).
    pub fn raw_cached<'a>(&'a self, cache: &'a mut RawCache, row: usize) -> &'a str {
        self.texts.get(cache, row)
    }

    /// The first row of each block of records, ascending (the last is the open block's).
    pub fn block_starts(&self) -> &[u32] {
        self.texts.block_starts()
    }

    /// Compresses up to `max_blocks` of the record blocks whose compression was deferred (see
    /// `texts`); true when some still wait. Called when the worker is idle.
    pub fn compress_deferred(&mut self, max_blocks: usize) -> bool {
        self.texts.compress_deferred(max_blocks)
    }

    /// Whether some record blocks wait for [`Store::compress_deferred`].
    pub fn compress_waiting(&self) -> bool {
        self.texts.compress_waiting()
    }

    /// Sets how many plain bytes of sealed blocks may wait for compression (0: every block is
    /// compressed as it seals; see `texts`).
    pub fn set_defer_limit(&mut self, bytes: u64) {
        self.texts.set_defer_limit(bytes);
    }

    /// Plain bytes of every stored record text (what they would take uncompressed).
    pub fn raw_plain_bytes(&self) -> u64 {
        self.texts.plain_bytes()
    }

    /// Index into [`Store::files`] of the file this row came from.
    pub fn file_of(&self, row: usize) -> usize {
        self.file.get(row).map_or(0, |&f| f as usize)
    }

    /// Whether `row`'s record has no value (missing or null) for the field of `col`, as its
    /// reader found it. False when it has one, and where the reader could not say: a column
    /// taken from elsewhere (an Insight event's service and action, the account, the user, the
    /// category, readOnly) or from a `userIdentity` that is not an object.
    pub fn absent(&self, row: usize, col: Column) -> bool {
        self.facts.get(row).is_some_and(|b| b & (1 << col.index()) != 0)
    }

    /// Whether `row`'s `userIdentity` is an object written as a JSON string (its columns are
    /// read from inside the string; the record's own `userIdentity.…` paths reach nothing).
    pub fn identity_is_text(&self, row: usize) -> bool {
        self.facts.get(row).is_some_and(|b| b & IDENTITY_TEXT != 0)
    }

    /// The memory the events take against [`Limits::max_memory_bytes`]: the store's, plus the
    /// text index built over its records (1/16 of their plain bytes; `query::text`).
    pub fn memory_needed(&self) -> u64 {
        self.memory_bytes().total() + self.texts.plain_bytes() / 16
    }

    pub fn memory_bytes(&self) -> MemoryUse {
        fn cap<T>(v: &Vec<T>) -> u64 {
            (v.capacity() * std::mem::size_of::<T>()) as u64
        }
        let mut columns = cap(&self.time) + cap(&self.file) + cap(&self.facts);
        columns += self.cols.iter().map(cap).sum::<u64>();
        columns += self.dedupe.memory_bytes();
        let interned = self
            .dicts
            .iter()
            .map(|d| {
                d.bytes
                    + d.strings.capacity() as u64 * 16
                    + d.map.capacity() as u64 * (16 + 4 + 1)
                    + (CACHE_SLOTS * 4) as u64
            })
            .sum();
        MemoryUse { columns, raw: self.texts.bytes(), interned }
    }
}

/// Reads records of a [`Store`] (see [`Store::raw_reader`]).
#[derive(Debug)]
pub struct RawReader<'s> {
    store: &'s Store,
    cache: RawCache,
}

impl<'s> RawReader<'s> {
    /// `row`'s record, as [`Store::raw`] gives it.
    pub fn get(&mut self, row: usize) -> &str {
        self.store.texts.get(&mut self.cache, row)
    }

    /// The store read.
    pub fn store(&self) -> &'s Store {
        self.store
    }
}

// Accessors for the query engine.
impl Store {
    /// A column's ids, one per row (index into [`Store::dictionary`]).
    pub fn column(&self, col: Column) -> &[u32] {
        self.cols.get(col.index()).map_or(&[], |c| c)
    }

    /// Every row's time in ms since the epoch, `i64::MIN` when it has none.
    pub fn times(&self) -> &[i64] {
        &self.time
    }
}

// For the app: files that never reached the reader.
impl Store {
    /// Records a file that could not be read at all (the browser refused it, it is a folder…),
    /// so it still gets a line in the report. Returns its index range in [`Store::files`].
    pub fn add_unreadable(&mut self, path: &str, reason: &str) -> Range<usize> {
        let i = self.files.len();
        self.files.push(FileReport {
            path: path.to_string(),
            aws_key: crate::report::parse_aws_key(path),
            error: Some(ReadError::new(ErrorKind::Unreadable { reason: reason.to_string() })),
            ..Default::default()
        });
        i..i + 1
    }
}

#[cfg(test)]
mod tests;
