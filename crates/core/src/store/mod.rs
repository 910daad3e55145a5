//! The in-memory store of events: columnar, interned, with raw records in a chunked arena.
//!
//! Shaped for millions of events in a browser tab whose memory only grows:
//! * one `Vec<u32>` per [`Column`] ([`column`]) holding ids into a per-column dictionary
//!   ([`dict`]: `Vec<Box<str>>` + `FxHashMap`, low-cardinality strings stored once, looked up
//!   through a 512-slot direct-mapped cache first), `Vec<i64>` for time (ms since the epoch,
//!   `i64::MIN` = none), `Vec<u32>` for the file index, and the raw record referenced by
//!   chunk/offset/length;
//! * raw records ([`texts`]): a record that looks spaced (line breaks, tabs, or `": "`
//!   separators; see [`crate::scan::looks_spaced`]) is stored with insignificant whitespace
//!   removed (strings untouched), others as they came. Where the text lives: when the store owns
//!   the file's text ([`Store::ingest_owned`], and every decompressed gzip/zip member) and the
//!   text is valid UTF-8, a record taken as it is stays in that text and the row refers to it (no
//!   copy); everything else (compacted, unescaped from a JSON string, read from borrowed bytes) is
//!   appended to 16 MiB `String` chunks allocated once at full capacity and never reallocated. A
//!   file text is kept only when its records make up at least 3/4 of it; otherwise its few
//!   records move to the chunks and the text is dropped (a pretty-printed file, a file of
//!   duplicates);
//! * duplicates: same eventID *and* same content = the same stored (normalized) text; equal
//!   content implies equal eventID, so the key is a 64-bit hash of that text (`u64 → row`),
//!   verified by a byte comparison on a hash match (a collision never drops an event). `.json`
//!   beside its `.json.gz`, a file dropped twice, pretty vs compact copies of an event all
//!   dedupe; distinct events that share an eventID are all kept;
//! * row vectors grow by a quarter at a time (bounded slack), not 2x.
//!
//! The store knows nothing of file formats: the reader (`crate::read`, which also defines
//! [`Store::ingest`] and [`Store::ingest_owned`]) writes it through a narrow crate-private API —
//! [`Store::push_event`], [`Store::begin_owned`]/[`Store::end_owned`], [`Store::push_file`],
//! byte accounting — and never touches its fields. Memory per event is measured in
//! BENCHMARKS.md ("Design measurements").
//!
//! Everything is plain owned data, so the store is `Send + Sync`.

use std::borrow::Cow;
use std::hash::Hasher;
use std::ops::Range;

use rustc_hash::{FxHashMap, FxHasher};

use crate::report::{ErrorKind, FileReport, ReadError};

mod column;
mod dict;
mod texts;

pub use column::Column;
pub(crate) use column::NCOLS;
use dict::{Dict, CACHE_SLOTS};
pub(crate) use texts::RawText;
use texts::Texts;
#[cfg(test)]
pub(crate) use texts::CHUNK;

/// Caps that protect the tab. Defaults: 1 GiB decompressed per file or archive member, 2 GiB
/// decompressed in total per store (peak memory ≈ kept raw text ≤ total + one file's
/// decompressed buffer ≤ 1 GiB + columns, under the 4 GiB wasm32 heap), 8 MiB per record
/// (CloudTrail's own events are far smaller), 100,000 members per archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Decompressed bytes per file or archive member.
    pub max_file_bytes: u64,
    /// Decompressed bytes over all ingested inputs.
    pub max_total_bytes: u64,
    /// Bytes of one record (one event's JSON text).
    pub max_record_bytes: usize,
    /// Members per zip archive.
    pub max_archive_members: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 1 << 30,
            max_total_bytes: 2 << 30,
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
    pub digests: u64,
    pub files: u64,
    /// Decompressed bytes read.
    pub bytes: u64,
}

/// Memory estimates in bytes (capacities, not lengths).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct MemoryUse {
    /// Column vectors, time, file index, raw references and the dedupe table.
    pub columns: u64,
    /// Raw record arena.
    pub raw: u64,
    /// Dictionaries (strings and their hash maps).
    pub interned: u64,
}

impl MemoryUse {
    pub fn total(&self) -> u64 {
        self.columns + self.raw + self.interned
    }
}

/// All loaded events plus the per-file reports. See the module docs for the layout.
#[derive(Debug)]
pub struct Store {
    limits: Limits,
    files: Vec<FileReport>,
    /// Decompressed bytes consumed so far (checked against `max_total_bytes`).
    total_bytes: u64,
    time: Vec<i64>,
    file: Vec<u32>,
    cols: [Vec<u32>; NCOLS],
    dicts: [Dict; NCOLS],
    raw_chunk: Vec<u32>,
    raw_off: Vec<u32>,
    raw_len: Vec<u32>,
    texts: Texts,
    dedupe: FxHashMap<u64, u32>,
    /// Rows whose hash collided with a different record (practically never used).
    dedupe_extra: FxHashMap<u64, Vec<u32>>,
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
            total_bytes: 0,
            time: Vec::new(),
            file: Vec::new(),
            cols: Default::default(),
            dicts: std::array::from_fn(|_| Dict::new()),
            raw_chunk: Vec::new(),
            raw_off: Vec::new(),
            raw_len: Vec::new(),
            texts: Texts::default(),
            dedupe: FxHashMap::default(),
            dedupe_extra: FxHashMap::default(),
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
            t.read += f.events;
            t.kept += f.kept;
            t.duplicates += f.duplicates;
            t.rejected += f.rejected;
            t.digests += f.digests;
            t.bytes += f.bytes;
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
    /// whitespace removed.
    pub fn raw(&self, row: usize) -> &str {
        match (self.raw_chunk.get(row), self.raw_off.get(row), self.raw_len.get(row)) {
            (Some(&c), Some(&o), Some(&l)) => self.texts.get(c, o, l),
            _ => "",
        }
    }

    /// Index into [`Store::files`] of the file this row came from.
    pub fn file_of(&self, row: usize) -> usize {
        self.file.get(row).map_or(0, |&f| f as usize)
    }

    pub fn memory_bytes(&self) -> MemoryUse {
        fn cap<T>(v: &Vec<T>) -> u64 {
            (v.capacity() * std::mem::size_of::<T>()) as u64
        }
        let mut columns = cap(&self.time)
            + cap(&self.file)
            + cap(&self.raw_chunk)
            + cap(&self.raw_off)
            + cap(&self.raw_len);
        columns += self.cols.iter().map(cap).sum::<u64>();
        // hashbrown: (key + value) per bucket plus one control byte.
        columns += self.dedupe.capacity() as u64 * (8 + 4 + 1);
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

    /// Grows every per-row vector by 1/4 (not 2x): bounds the slack to 25% of the column bytes,
    /// which matters when a million rows must fit a tab.
    fn grow(&mut self) {
        let extra = (self.time.len() / 4).max(4096);
        self.time.reserve_exact(extra);
        self.file.reserve_exact(extra);
        self.raw_chunk.reserve_exact(extra);
        self.raw_off.reserve_exact(extra);
        self.raw_len.reserve_exact(extra);
        for c in &mut self.cols {
            c.reserve_exact(extra);
        }
    }

    /// A row's raw text while the owned file text `raw` refers to is still being read (its slot
    /// is empty until [`Store::end_owned`]).
    fn raw_reading<'a>(&'a self, row: usize, raw: RawText<'a>) -> &'a str {
        match raw {
            RawText::InDoc { doc, slot, .. } if self.raw_chunk.get(row) == Some(&slot) => {
                match (self.raw_off.get(row), self.raw_len.get(row)) {
                    (Some(&o), Some(&l)) => doc.get(o as usize..(o + l) as usize).unwrap_or(""),
                    _ => "",
                }
            }
            _ => self.raw(row),
        }
    }

    /// Adds one event of file `file` unless the same compact record is already stored. `raw` is
    /// the record text without insignificant whitespace; `values` the indexed fields in
    /// [`Column::ALL`] order.
    pub(crate) fn push_event(
        &mut self,
        file: u32,
        raw: RawText<'_>,
        time_ms: Option<i64>,
        values: &[Cow<'_, str>; NCOLS],
    ) -> Pushed {
        let compact = raw.text();
        let mut h = FxHasher::default();
        h.write(compact.as_bytes());
        let hash = h.finish();
        match self.dedupe.get(&hash) {
            Some(&row) => {
                if self.raw_reading(row as usize, raw) == compact {
                    return Pushed::Duplicate;
                }
                if let Some(rows) = self.dedupe_extra.get(&hash) {
                    if rows.iter().any(|&r| self.raw_reading(r as usize, raw) == compact) {
                        return Pushed::Duplicate;
                    }
                }
                let row = self.time.len() as u32;
                self.dedupe_extra.entry(hash).or_default().push(row);
            }
            None => {
                self.dedupe.insert(hash, self.time.len() as u32);
            }
        }
        if self.time.len() == self.time.capacity() {
            self.grow();
        }
        let (chunk, off) = match raw {
            RawText::Copy(t) => self.texts.push(t),
            RawText::InDoc { slot, off, .. } => (slot, off as u32),
        };
        self.raw_chunk.push(chunk);
        self.raw_off.push(off);
        self.raw_len.push(compact.len() as u32);
        self.time.push(time_ms.unwrap_or(i64::MIN));
        self.file.push(file);
        for (i, v) in values.iter().enumerate() {
            if let (Some(col), Some(dict)) = (self.cols.get_mut(i), self.dicts.get_mut(i)) {
                col.push(dict.intern(v));
            }
        }
        Pushed::Kept
    }

    /// Starts reading a file text the store will own: returns the slot its records refer to.
    pub(crate) fn begin_owned(&mut self) -> u32 {
        self.texts.reserve()
    }

    /// Ends reading the owned `text` of `slot`, whose rows start at `first_row`. The text is kept
    /// when its records make up at least 3/4 of it (the usual compact log file: the records are
    /// then never copied); otherwise (a pretty-printed file whose records were compacted into the
    /// arena, a file of duplicates, a wrapper around little) the few records that refer to it are
    /// copied into the arena and the text is dropped, so it never holds much dead weight.
    pub(crate) fn end_owned(&mut self, slot: u32, mut text: String, first_row: usize) {
        let rows = first_row..self.raw_chunk.len();
        let in_slot = |s: &Store, r: usize| s.raw_chunk.get(r) == Some(&slot);
        let used: u64 = rows
            .clone()
            .filter(|&r| in_slot(self, r))
            .map(|r| u64::from(self.raw_len.get(r).copied().unwrap_or(0)))
            .sum();
        if used * 4 >= text.len() as u64 * 3 && used > 0 {
            if text.capacity() > text.len() + text.len() / 8 {
                text.shrink_to_fit();
            }
            self.texts.fill(slot, text);
            return;
        }
        for r in rows {
            if !in_slot(self, r) {
                continue;
            }
            let (Some(&o), Some(&l)) = (self.raw_off.get(r), self.raw_len.get(r)) else {
                continue;
            };
            let (chunk, off) =
                self.texts.push(text.get(o as usize..(o + l) as usize).unwrap_or(""));
            if let (Some(c), Some(of)) = (self.raw_chunk.get_mut(r), self.raw_off.get_mut(r)) {
                *c = chunk;
                *of = off;
            }
        }
    }
}

// What the reader writes besides events (see the module docs).
impl Store {
    /// Appends the report of one file (or archive member).
    pub(crate) fn push_file(&mut self, report: FileReport) {
        self.files.push(report);
    }

    /// The reports from index `start` on (the reader adds to the errors of the members of an
    /// archive or a gzip stream damaged after them).
    pub(crate) fn files_from_mut(&mut self, start: usize) -> &mut [FileReport] {
        self.files.get_mut(start..).unwrap_or_default()
    }

    /// Decompressed bytes the total limit still allows.
    pub(crate) fn bytes_left(&self) -> u64 {
        self.limits.max_total_bytes.saturating_sub(self.total_bytes)
    }

    /// Counts `n` decompressed bytes read against the total limit.
    pub(crate) fn count_bytes(&mut self, n: u64) {
        self.total_bytes += n;
    }

    /// Whether the reader may use its hand-written record parser.
    pub(crate) fn fast_path(&self) -> bool {
        self.fast_path
    }

    /// Turns the hand-written record parser off, for the tests that compare it with serde.
    #[cfg(test)]
    pub(crate) fn set_fast_path(&mut self, on: bool) {
        self.fast_path = on;
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
