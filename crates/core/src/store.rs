//! The in-memory store of events: columnar, interned, with raw records in a chunked arena.
//!
//! Shaped for millions of events in a browser tab whose memory only grows:
//! * one `Vec<u32>` per [`Column`] holding ids into a per-column dictionary (low-cardinality
//!   strings are stored once; looked up through a small direct-mapped cache, then a hash
//!   map), `Vec<i64>` for time (ms since the epoch, `i64::MIN` = none), `Vec<u32>` for the file
//!   index;
//! * raw records: a record that looks spaced (line breaks, tabs, or `": "` separators; see
//!   [`crate::scan::looks_spaced`]) is stored with insignificant whitespace removed, others as they
//!   came. Where the text lives: when the store owns the file's text ([`Store::ingest_owned`], and
//!   every decompressed gzip/zip member) and the text is valid UTF-8, a record taken as it is
//!   stays in that text and the row refers to it (no copy); everything else (compacted,
//!   unescaped from a JSON string, read from borrowed bytes) is appended to 16 MiB `String`
//!   chunks allocated once at full capacity and never reallocated — no 1 GB doubling `Vec`. A file
//!   text is kept only when its records make up at least 3/4 of it; otherwise its few records
//!   move to the chunks and the text is dropped (a pretty-printed file, a file of duplicates);
//! * a dedupe table `u64 hash of the stored record → row`, verified by comparing bytes, so two
//!   records are duplicates exactly when their stored text is equal (which implies the same
//!   eventID); pretty and compact copies of one event dedupe, distinct events sharing an eventID
//!   do not;
//! * row vectors grow by a quarter at a time (bounded slack).
//!
//! Everything is plain owned data, so the store is `Send + Sync`.

use std::hash::Hasher;
use std::ops::Range;

use rustc_hash::{FxHashMap, FxHasher};

use crate::record::Fields;
use crate::report::FileReport;

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

/// The indexed string columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Column {
    /// eventSource (insightDetails.eventSource for Insight events).
    Service,
    /// eventName, or insightDetails.eventName for Insight events.
    Action,
    /// awsRegion.
    Region,
    /// recipientAccountId, else userIdentity.accountId.
    Account,
    /// userName, else sessionIssuer.userName, else last part of the ARN, else principalId/invokedBy.
    User,
    /// userIdentity.arn.
    Arn,
    /// userIdentity.type.
    IdentityType,
    /// sourceIPAddress.
    SourceIp,
    /// errorCode.
    ErrorCode,
    /// userAgent.
    UserAgent,
    /// eventType.
    EventType,
    /// eventCategory; "Management" when absent, "Insight" for AwsCloudTrailInsight.
    Category,
    /// userIdentity.accessKeyId.
    AccessKey,
    /// readOnly normalized to "true"/"false"/"".
    ReadOnly,
}

pub(crate) const NCOLS: usize = 14;

impl Column {
    pub const ALL: [Column; NCOLS] = [
        Column::Service,
        Column::Action,
        Column::Region,
        Column::Account,
        Column::User,
        Column::Arn,
        Column::IdentityType,
        Column::SourceIp,
        Column::ErrorCode,
        Column::UserAgent,
        Column::EventType,
        Column::Category,
        Column::AccessKey,
        Column::ReadOnly,
    ];

    /// Short name, e.g. "service".
    pub fn name(self) -> &'static str {
        match self {
            Column::Service => "service",
            Column::Action => "action",
            Column::Region => "region",
            Column::Account => "account",
            Column::User => "user",
            Column::Arn => "arn",
            Column::IdentityType => "identity_type",
            Column::SourceIp => "source_ip",
            Column::ErrorCode => "error_code",
            Column::UserAgent => "user_agent",
            Column::EventType => "event_type",
            Column::Category => "category",
            Column::AccessKey => "access_key",
            Column::ReadOnly => "read_only",
        }
    }

    /// Column by its short name.
    pub fn from_name(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == name)
    }

    pub(crate) fn index(self) -> usize {
        self as usize
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

/// Slots of a dictionary's lookup cache (a power of two).
const CACHE_SLOTS: usize = 512;

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
struct Dict {
    strings: Vec<Box<str>>,
    map: FxHashMap<Box<str>, u32>,
    bytes: u64,
    /// Direct-mapped cache `quick_hash → id`, checked before the map. Ids are never removed, so
    /// a slot is always a valid id; a hit is verified by comparing the string.
    cache: Box<[u32; CACHE_SLOTS]>,
}

impl Dict {
    fn new() -> Self {
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
    fn intern(&mut self, s: &str) -> u32 {
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
    fn get(&self, id: u32) -> &str {
        self.strings.get(id as usize).map_or("", |s| s)
    }
}

const CHUNK: usize = 16 << 20;

/// Where raw records live: append-only arena chunks of fixed capacity, and whole file texts the
/// store took ownership of ([`Store::ingest_owned`]), side by side in one list so a row refers to
/// either by (chunk, offset, length).
#[derive(Debug, Default)]
struct Texts {
    chunks: Vec<String>,
    /// The arena chunk being appended to (never an owned file text).
    current: Option<usize>,
}

impl Texts {
    /// Appends `s` to the arena, returning (chunk, offset).
    fn push(&mut self, s: &str) -> (u32, u32) {
        let cur = self
            .current
            .filter(|&i| self.chunks.get(i).is_some_and(|c| c.capacity() - c.len() >= s.len()));
        let idx = match cur {
            Some(i) => i,
            None => {
                self.chunks.push(String::with_capacity(CHUNK.max(s.len())));
                self.chunks.len() - 1
            }
        };
        self.current = Some(idx);
        match self.chunks.get_mut(idx) {
            Some(c) => {
                let off = c.len();
                c.push_str(s);
                (idx as u32, off as u32)
            }
            None => (0, 0),
        }
    }
    /// An empty place for a file text that is being read; filled by [`Texts::fill`].
    fn reserve(&mut self) -> u32 {
        self.chunks.push(String::new());
        (self.chunks.len() - 1) as u32
    }
    fn fill(&mut self, slot: u32, text: String) {
        if let Some(c) = self.chunks.get_mut(slot as usize) {
            *c = text;
        }
    }
    fn get(&self, chunk: u32, off: u32, len: u32) -> &str {
        self.chunks
            .get(chunk as usize)
            .and_then(|c| c.get(off as usize..off as usize + len as usize))
            .unwrap_or("")
    }
    fn bytes(&self) -> u64 {
        self.chunks.iter().map(|c| c.capacity() as u64).sum()
    }
}

/// A record's text as [`Store::push_event`] gets it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum RawText<'a> {
    /// To be copied into the arena.
    Copy(&'a str),
    /// `doc[off..off + len]` of the owned file text being read into `slot` (see
    /// [`Store::ingest_owned`]): stored as a reference, not copied.
    InDoc { doc: &'a str, slot: u32, off: usize, len: usize },
}

impl<'a> RawText<'a> {
    fn text(self) -> &'a str {
        match self {
            RawText::Copy(t) => t,
            RawText::InDoc { doc, off, len, .. } => doc.get(off..off + len).unwrap_or(""),
        }
    }
}

/// All loaded events plus the per-file reports. See the module docs for the layout.
#[derive(Debug)]
pub struct Store {
    pub(crate) limits: Limits,
    pub(crate) files: Vec<FileReport>,
    /// Decompressed bytes consumed so far (checked against `max_total_bytes`).
    pub(crate) total_bytes: u64,
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
    pub(crate) fast_path: bool,
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

    /// Reads one input (any supported format; gzip and zip expanded). Appends one [`FileReport`]
    /// per file (one per member for zips; an archive that fails as a whole gets one report) and
    /// returns the range of indices into [`Store::files`] that this call added. Never panics on
    /// any bytes; a bad file or record never stops the others.
    pub fn ingest(&mut self, path: &str, bytes: &[u8]) -> Range<usize> {
        let start = self.files.len();
        crate::read::ingest(self, path, crate::read::Input::Borrowed(bytes));
        start..self.files.len()
    }

    /// [`Store::ingest`] of bytes the store may keep: a plain (or decompressed) file that is valid
    /// UTF-8 becomes the home of its records' raw text instead of being copied record by record
    /// (see [`Store::end_owned`] for when it is kept). The way to read a file that was read into
    /// memory for this purpose anyway (the browser's worker, `trailglass-scan`).
    pub fn ingest_owned(&mut self, path: &str, bytes: Vec<u8>) -> Range<usize> {
        let start = self.files.len();
        crate::read::ingest(self, path, crate::read::Input::Owned(bytes));
        start..self.files.len()
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

    /// Adds one event unless the same compact record is already stored.
    /// `raw` is the record text without insignificant whitespace.
    pub(crate) fn push_event(
        &mut self,
        file: u32,
        raw: RawText<'_>,
        fields: &Fields<'_>,
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
        self.time.push(fields.time_ms.unwrap_or(i64::MIN));
        self.file.push(file);
        for (i, v) in fields.values.iter().enumerate() {
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
        self.files.push(crate::report::FileReport {
            path: path.to_string(),
            aws_key: crate::report::parse_aws_key(path),
            error: Some(crate::report::ReadError::new(reason)),
            ..Default::default()
        });
        i..i + 1
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;
    use crate::report::FileStatus;
    use std::io::Write;

    const EV1: &str = r#"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDA1","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","accessKeyId":"AKIA1","userName":"alice"},"eventTime":"2024-01-02T03:04:05Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userAgent":"aws-cli/2","requestParameters":{"bucketName":"b","key":"<script>alert(1)</script>"},"responseElements":null,"eventID":"id-1","readOnly":true,"eventType":"AwsApiCall","recipientAccountId":"111122223333"}"#;
    const EV2: &str = r#"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/Admin/bob","accountId":"111122223333","sessionContext":{"sessionIssuer":{"userName":"Admin"}}},"eventTime":"2024-01-02T03:05:05Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.1","errorCode":"AccessDenied","eventID":"id-2","readOnly":false,"eventType":"AwsApiCall"}"#;

    fn records(evs: &[&str]) -> String {
        format!("{{\"Records\":[{}]}}", evs.join(","))
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in members {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn one(path: &str, bytes: &[u8]) -> (Store, FileReport) {
        let mut s = Store::new();
        let r = s.ingest(path, bytes);
        assert_eq!(r.len(), 1, "{:?}", s.files());
        let f = s.files()[0].clone();
        assert_eq!(f.events, f.kept + f.duplicates + f.rejected, "{f:?}");
        (s, f)
    }

    #[test]
    fn records_file_columns() {
        let (s, f) = one(
            "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/02/x.json",
            records(&[EV1, EV2]).as_bytes(),
        );
        assert_eq!(
            (f.events, f.kept, f.format.as_str(), f.status()),
            (2, 2, "Records", FileStatus::Ok)
        );
        let k = f.aws_key.clone().unwrap();
        assert_eq!(
            (k.account.as_str(), k.region.as_str(), k.date.as_str()),
            ("111122223333", "us-east-1", "2024-01-02")
        );
        assert_eq!(s.get(0, Column::Service), "s3.amazonaws.com");
        assert_eq!(s.get(0, Column::Action), "GetObject");
        assert_eq!(s.get(0, Column::User), "alice");
        assert_eq!(s.get(0, Column::ReadOnly), "true");
        assert_eq!(s.get(0, Column::Category), "Management");
        assert_eq!(s.get(0, Column::AccessKey), "AKIA1");
        assert_eq!(s.get(1, Column::User), "Admin");
        assert_eq!(s.get(1, Column::ErrorCode), "AccessDenied");
        assert_eq!(s.get(1, Column::Account), "111122223333");
        assert_eq!(s.get(1, Column::ReadOnly), "false");
        assert_eq!(s.time_ms(0), Some(1_704_164_645_000));
        // HTML kept verbatim in raw.
        assert!(s.raw(0).contains("<script>alert(1)</script>"));
        assert_eq!(s.raw(0), EV1);
        assert_eq!(s.file_of(1), 0);
        assert_eq!(f.summary(), "2 events");
    }

    #[test]
    fn gzip_and_dedupe_with_plain() {
        let plain = records(&[EV1, EV2]);
        let mut s = Store::new();
        s.ingest("a.json", plain.as_bytes());
        let r = s.ingest("a.json.gz", &gz(plain.as_bytes()));
        let f = &s.files()[r.start];
        assert!(f.compressed);
        assert_eq!((f.events, f.kept, f.duplicates), (2, 0, 2));
        // Pretty-printed copy of the same events is the same content.
        let pretty = serde_json::to_string_pretty(
            &serde_json::from_str::<serde_json::Value>(&plain).unwrap(),
        )
        .unwrap();
        // (Value reorders keys, so build a whitespace-only variant instead.)
        let spaced = plain.replace("\":", "\" : ").replace(",\"", ",\n  \"");
        let r = s.ingest("b.json", spaced.as_bytes());
        assert_eq!(s.files()[r.start].duplicates, 2, "{:?}", s.files()[r.start]);
        assert!(pretty.contains('\n'));
        assert_eq!(s.len(), 2);
        let t = s.totals();
        assert_eq!((t.read, t.kept, t.duplicates, t.files), (6, 2, 4, 3));
    }

    #[test]
    fn same_event_id_different_content_kept() {
        let b = EV1.replace("GetObject", "PutObject");
        let (s, f) = one("x.json", records(&[EV1, &b, EV1]).as_bytes());
        assert_eq!((f.events, f.kept, f.duplicates), (3, 2, 1));
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn ndjson_blank_lines_crlf_bom_and_bad_line() {
        let text =
            format!("\u{feff}{EV1}\r\n\r\n{EV2}\r\nnot json here\r\n{{\"eventName\": broken}}\r\n");
        let (s, f) = one("x.ndjson", text.as_bytes());
        assert_eq!(f.format, "NDJSON");
        assert_eq!((f.events, f.kept, f.rejected), (4, 2, 2), "{f:?}");
        assert_eq!(f.rejections.len(), 2);
        assert_eq!(f.rejections[0].first.unwrap().line, 4);
        assert_eq!(f.rejections[1].first.unwrap().line, 5);
        assert_eq!(s.get(1, Column::Action), "CreateUser");
    }

    #[test]
    fn array_single_event_and_concatenated() {
        let (_, f) = one("a.json", format!("[{EV1},\n{EV2}]").as_bytes());
        assert_eq!((f.format.as_str(), f.kept), ("JSON array", 2));
        let (_, f) = one("e.json", EV1.as_bytes());
        assert_eq!((f.format.as_str(), f.kept), ("event", 1));
        let pretty1 = EV1.replace(",\"", ",\n  \"");
        let (_, f) = one("c.json", format!("{pretty1}\n{pretty1}\n{EV2}").as_bytes());
        assert_eq!((f.kept, f.duplicates), (2, 1));
    }

    #[test]
    fn wrappers() {
        // lookup-events: CloudTrailEvent is a JSON string.
        let lookup = serde_json::json!({"Events": [
            {"EventId": "id-1", "EventName": "GetObject", "CloudTrailEvent": EV1},
            {"EventId": "id-2", "EventName": "CreateUser", "CloudTrailEvent": EV2}
        ]});
        let (s, f) = one("lookup.json", lookup.to_string().as_bytes());
        assert_eq!((f.format.as_str(), f.kept), ("lookup-events", 2));
        assert_eq!(s.raw(0), EV1);
        // EventBridge.
        let eb = format!(
            r#"{{"version":"0","id":"x","detail-type":"AWS API Call via CloudTrail","source":"aws.s3","time":"2024-01-02T03:04:05Z","region":"us-east-1","detail":{EV1}}}"#
        );
        let (_, f) = one("eb.json", eb.as_bytes());
        assert_eq!((f.format.as_str(), f.kept), ("EventBridge", 1));
        // CloudWatch Logs subscription.
        let cw = serde_json::json!({"messageType":"DATA_MESSAGE","logGroup":"g","logEvents":[{"id":"1","timestamp":1,"message":EV1},{"id":"2","timestamp":2,"message":EV2}]});
        let (_, f) = one("cw.json", &gz(cw.to_string().as_bytes()));
        assert_eq!((f.format.as_str(), f.kept), ("CloudWatch Logs", 2));
        // cribl _raw holding a Records file as a string, inside an array.
        let cribl =
            serde_json::json!([{"_raw": records(&[EV1, EV2]), "_time": 1}, {"_raw": "plain text"}]);
        let (_, f) = one("cribl.json", cribl.to_string().as_bytes());
        assert_eq!((f.kept, f.rejected), (2, 0));
        assert_eq!(f.notes.len(), 1, "{:?}", f.notes);
    }

    #[test]
    fn insight_digest_and_quirks() {
        let insight = r#"{"eventVersion":"1.08","eventTime":"2022-04-12T16:10:00Z","awsRegion":"eu-central-1","eventID":"i1","eventType":"AwsCloudTrailInsight","recipientAccountId":"1","insightDetails":{"state":"Start","eventSource":"autoscaling.amazonaws.com","eventName":"CompleteLifecycleAction"}}"#;
        let (s, f) = one("i.json", records(&[insight]).as_bytes());
        assert_eq!(f.kept, 1);
        assert_eq!(s.get(0, Column::Action), "CompleteLifecycleAction");
        assert_eq!(s.get(0, Column::Service), "autoscaling.amazonaws.com");
        assert_eq!(s.get(0, Column::Category), "Insight");
        let digest = r#"{"awsAccountId":"1","digestStartTime":"2015-08-20T17:01:31Z","digestEndTime":"2015-08-20T18:01:31Z","logFiles":[]}"#;
        let (_, f) =
            one("AWSLogs/1/CloudTrail-Digest/us-east-2/2015/08/20/d.json", digest.as_bytes());
        assert_eq!(
            (f.digests, f.events, f.status(), f.format.as_str()),
            (1, 0, FileStatus::Skipped, "digest")
        );
        assert!(f.aws_key.unwrap().digest);
        // Quirks: string booleans, space time with nanoseconds, missing userIdentity, @timestamp.
        let q1 = r#"{"eventName":"A","eventSource":"x","readOnly":"true","eventTime":"2019-01-01 00:00:00.123456789"}"#;
        let q2 = r#"{"eventName":"B","eventSource":"x","@timestamp":"2020-09-14T01:19:40.000Z","userIdentity":"{\"type\":\"Root\",\"arn\":\"arn:aws-us-gov:iam::12345:root\"}"}"#;
        let q3 = r#"{"eventName":"C","eventSource":"x","eventTime":"soon","recipientAccountId":"redacted"}"#;
        let (s, f) = one("q.json", format!("{q1}\n{q2}\n{q3}\n").as_bytes());
        assert_eq!(f.kept, 3);
        assert_eq!(s.get(0, Column::ReadOnly), "true");
        assert_eq!(s.time_ms(0), Some(1_546_300_800_123));
        assert_eq!(s.get(0, Column::User), "");
        assert_eq!(s.time_ms(1), Some(1_600_046_380_000));
        assert_eq!(s.get(1, Column::User), "root");
        assert_eq!(s.get(1, Column::IdentityType), "Root");
        assert_eq!(s.time_ms(2), None);
        assert_eq!(s.get(2, Column::Account), "redacted");
        assert!(f.notes.iter().any(|n| n.contains("used @timestamp")), "{:?}", f.notes);
        assert!(f.notes.iter().any(|n| n.contains("no usable time")));
    }

    #[test]
    fn truncated_and_malformed_positions() {
        let full = records(&[EV1, EV2]);
        let cut = &full[..EV1.len() + 40];
        let (s, f) = one("t.json", cut.as_bytes());
        assert_eq!(f.kept, 1);
        assert_eq!(f.status(), FileStatus::Error);
        let e = f.error.unwrap();
        assert_eq!(e.position.unwrap().byte as usize, cut.len());
        assert!(e.to_string().contains("line 1 column"), "{e}");
        assert_eq!(s.len(), 1);
        // Missing commas between Records objects are recovered.
        let (_, f) = one("m.json", format!("{{\"Records\":[{EV1}\n{EV2}]}}").as_bytes());
        assert_eq!((f.kept, f.error.is_none()), (2, true));
        assert!(f.notes[0].contains("no comma"));
        // Invalid JSON inside one record: rejected with position, others kept.
        let bad = EV2.replace("\"AccessDenied\"", "AccessDenied");
        let (_, f) = one("b.json", format!("{{\"Records\":[{EV1},\n{bad}]}}").as_bytes());
        assert_eq!((f.kept, f.rejected), (1, 1), "{f:?}");
        let p = f.rejections[0].first.unwrap();
        assert_eq!(p.line, 2);
        assert!(f.rejections[0].reason.starts_with("invalid JSON"));
        // Mismatched bracket.
        let (_, f) = one("x.json", b"{\"Records\":[{\"a\":[1}]}");
        assert_eq!(f.error.unwrap().position.unwrap().byte, 19);
        // Non-object record slots are rejected.
        let (_, f) = one("n.json", format!("{{\"Records\":[1,null,{EV1}]}}").as_bytes());
        assert_eq!((f.kept, f.rejected), (1, 2));
    }

    #[test]
    fn binary_junk_and_text() {
        let mut seed = 12345u64;
        for n in 0..300 {
            let len = (n * 37) % 700;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    (seed >> 56) as u8
                })
                .collect();
            let mut s = Store::new();
            s.ingest("junk", &bytes);
            // Junk after a valid prefix.
            let mut v = records(&[EV1]).into_bytes();
            v.truncate(20 + n % 300);
            v.extend_from_slice(&bytes);
            s.ingest("junk2", &v);
            for f in s.files() {
                assert_eq!(f.events, f.kept + f.duplicates + f.rejected);
            }
        }
        let (_, f) = one("x.csv", b"a,b,c\n1,2,3\n");
        assert_eq!(f.status(), FileStatus::Skipped);
        let (_, f) = one("empty.json", b"   ");
        assert_eq!(f.status(), FileStatus::Skipped);
        let (_, f) = one("deep.json", "[".repeat(100_000).as_bytes());
        assert!(f.error.is_some());
        let deep_str = format!("{}{}", "{\"a\":".repeat(5000), "1");
        let (_, f) = one("deep2.json", deep_str.as_bytes());
        assert!(f.error.is_some());
    }

    #[test]
    fn limits_gzip_bomb_zip_bomb_huge_record() {
        let limits = Limits {
            max_file_bytes: 1 << 20,
            max_total_bytes: 3 << 20,
            max_record_bytes: 4096,
            max_archive_members: 3,
        };
        // gzip bomb: 64 MiB of zeros compresses to ~64 KiB.
        let zeros = vec![b' '; 64 << 20];
        let bomb = gz(&zeros);
        let mut s = Store::with_limits(limits);
        s.ingest("bomb.json.gz", &bomb);
        let f = &s.files()[0];
        assert!(f.error.as_ref().unwrap().message.contains("limit"), "{f:?}");
        // zip bomb.
        let zb = zip_of(&[("a.json", &zeros[..8 << 20])]);
        s.ingest("bomb.zip", &zb);
        let f = &s.files()[1];
        assert!(f.error.as_ref().unwrap().message.contains("limit"), "{f:?}");
        assert_eq!(f.member.as_deref(), Some("a.json"));
        // too many members.
        let many = zip_of(&[("1", b"{}"), ("2", b"{}"), ("3", b"{}"), ("4", b"{}")]);
        let r = s.ingest("many.zip", &many);
        assert_eq!(r.len(), 1);
        assert!(s.files()[r.start].error.as_ref().unwrap().message.contains("members"));
        // Huge record rejected, the next one kept.
        let big = EV1.replace("\"b\"", &format!("\"{}\"", "x".repeat(5000)));
        let r = s.ingest("big.json", records(&[&big, EV2]).as_bytes());
        let f = &s.files()[r.start];
        assert_eq!((f.kept, f.rejected), (1, 1), "{f:?}");
        // Total limit.
        let mut s = Store::with_limits(Limits { max_total_bytes: 1000, ..limits });
        s.ingest("a.json", records(&[EV1]).as_bytes());
        let r = s.ingest("b.json", records(&[EV2]).as_bytes());
        assert!(s.files()[r.start].error.as_ref().unwrap().message.contains("total"));
    }

    #[test]
    fn zip_with_folders_gz_members_and_bad_member() {
        let plain = records(&[EV1]);
        let gzm = gz(records(&[EV2]).as_bytes());
        let inner = zip_of(&[("inner/x.json", plain.as_bytes())]);
        let z = zip_of(&[
            ("AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/02/a.json", plain.as_bytes()),
            ("dir/b.json.gz", &gzm),
            ("c.txt", b"hello"),
            ("nested.zip", &inner),
            ("bad.json", b"{\"Records\":[{\"eventName\":"),
        ]);
        let mut s = Store::new();
        let r = s.ingest("all.zip", &z);
        assert_eq!(r.len(), 5, "{:#?}", s.files());
        let fs = s.files();
        assert_eq!(fs[0].aws_key.as_ref().unwrap().region, "us-east-1");
        assert_eq!(fs[0].kept, 1);
        assert_eq!((fs[1].kept, fs[1].compressed), (1, true));
        assert_eq!(fs[2].status(), FileStatus::Skipped);
        assert_eq!(fs[3].member.as_deref(), Some("nested.zip!inner/x.json"));
        assert_eq!(fs[3].duplicates, 1);
        assert!(fs[4].error.is_some());
        let r = s.ingest("broken.zip", b"PK\x03\x04garbage");
        assert_eq!(r.len(), 1);
        assert_eq!(s.files()[r.start].format, "zip");
        assert!(s.files()[r.start].error.is_some());
    }

    #[test]
    fn memory_and_send_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Store>();
        let mut s = Store::new();
        let evs: Vec<String> =
            (0..20_000).map(|i| EV1.replace("id-1", &format!("id-{i}"))).collect();
        let refs: Vec<&str> = evs.iter().map(|s| s.as_str()).collect();
        s.ingest("m.json", records(&refs).as_bytes());
        assert_eq!(s.len(), 20_000);
        let m = s.memory_bytes();
        assert!((m.columns + m.interned) / 20_000 < 150, "{m:?}");
        assert_eq!(Column::ALL.len(), 14);
        assert_eq!(Column::from_name("service"), Some(Column::Service));
    }

    #[test]
    fn invalid_utf8_file_and_valid_copy() {
        // Bad bytes: the file is not valid UTF-8 as a whole, so every record takes the
        // per-record path. In a skipped string (requestParameters) the record is kept with
        // U+FFFD; in an indexed string it is rejected (serde validates what it reads); the
        // good record is kept as it is and dedupes with the same record from a valid file.
        let skipped = EV1.replace("alert(1)", "alertX1)").replace("id-1", "id-9");
        let indexed = EV2.replace("\"userName\":\"Admin\"", "\"userName\":\"AdmXn\"");
        let mut text = records(&[EV1, &skipped, &indexed]).into_bytes();
        for pat in [&b"alertX"[..], b"AdmX"] {
            let at = text.windows(pat.len()).position(|w| w == pat).unwrap() + pat.len() - 1;
            text[at] = 0xff;
        }
        let mut s = Store::new();
        let r = s.ingest("bad.json", &text);
        let f = &s.files()[r.start];
        assert_eq!((f.kept, f.rejected), (2, 1), "{f:?}");
        assert!(f.notes.iter().any(|n| n.contains("invalid UTF-8")), "{:?}", f.notes);
        assert!(s.raw(1).contains("alert\u{fffd}1)"));
        assert_eq!(s.get(0, Column::User), "alice");
        let r = s.ingest("good.json", records(&[EV1, EV2]).as_bytes());
        let f = &s.files()[r.start];
        assert_eq!((f.kept, f.duplicates), (1, 1), "{f:?}");
        assert_eq!(s.raw(0), EV1);
        assert_eq!(s.raw(2), EV2);
        // Pretty-printed (compacted) copies from a valid file dedupe with both.
        let spaced = records(&[EV1, EV2]).replace("\":", "\" : ").replace(",\"", ",\n  \"");
        let r = s.ingest("spaced.json", spaced.as_bytes());
        assert_eq!(s.files()[r.start].duplicates, 2);
        assert_eq!(s.len(), 3);
    }

    /// `ev` spread over lines (its strings hold no `,"`), in key order.
    fn pretty(ev: &str) -> String {
        ev.replace(",\"", ",\n        \"")
    }

    #[test]
    fn owned_compact_file_is_kept_not_copied() {
        let text = records(&[EV1, EV2]);
        let mut s = Store::new();
        s.ingest_owned("a.json", text.clone().into_bytes());
        assert_eq!((s.len(), s.raw(0), s.raw(1)), (2, EV1, EV2));
        // The file's own text is the only raw memory: no arena chunk was allocated.
        assert_eq!(s.memory_bytes().raw, text.len() as u64);
    }

    #[test]
    fn owned_file_mostly_copied_is_dropped() {
        // One compact record, then a pretty one (compacted into the arena): the compact one is
        // under 3/4 of the text, so it moves to the arena too and the file text is not kept.
        let big = pretty(EV2);
        let text = format!("{{\"Records\":[{EV1},\n{big}]}}");
        let mut s = Store::new();
        s.ingest_owned("a.json", text.clone().into_bytes());
        assert_eq!((s.len(), s.raw(0), s.raw(1)), (2, EV1, EV2));
        assert_eq!(s.memory_bytes().raw, CHUNK as u64, "one arena chunk, no file text");
        let mut b = Store::new();
        b.ingest("a.json", text.as_bytes());
        assert_eq!((b.raw(0), b.raw(1)), (s.raw(0), s.raw(1)));
        // Later rows still find them as duplicates.
        s.ingest_owned("b.json", records(&[EV1, EV2]).into_bytes());
        assert_eq!((s.len(), s.totals().duplicates), (2, 2));
    }

    #[test]
    fn owned_duplicates_within_a_file_and_across_files() {
        let text = records(&[EV1, EV1, EV2]);
        let mut s = Store::new();
        s.ingest_owned("a.json", text.clone().into_bytes());
        let f = s.files()[0].clone();
        assert_eq!((f.kept, f.duplicates), (2, 1));
        let raw = s.memory_bytes().raw;
        // The same file again: all duplicates, and its text is not kept.
        s.ingest_owned("again.json", text.into_bytes());
        assert_eq!((s.len(), s.files()[1].duplicates), (2, 3));
        assert_eq!(s.memory_bytes().raw, raw);
        assert_eq!((s.raw(0), s.raw(1)), (EV1, EV2));
    }

    #[test]
    fn owned_gzip_and_invalid_utf8() {
        let mut s = Store::new();
        s.ingest_owned("a.json.gz", gz(records(&[EV1]).as_bytes()));
        assert_eq!(s.raw(0), EV1);
        // Invalid UTF-8 where no field is read: the record is kept, its text made valid.
        let mut bad = records(&[EV2, EV1]).into_bytes();
        let at = bad.windows(6).position(|w| w == b"alert(").unwrap();
        bad[at + 5] = 0xff;
        s.ingest_owned("bad.json", bad);
        assert_eq!(s.len(), 3, "{:?}", s.files());
        assert_eq!(s.raw(1), EV2);
        assert!(s.raw(2).contains("alert\u{fffd}1)"));
    }
}
