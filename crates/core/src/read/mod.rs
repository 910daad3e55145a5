//! The reader: from input bytes to events in the [`Store`] and one [`crate::FileReport`] per
//! file. It defines [`Store::ingest`] and [`Store::ingest_owned`] here, so the store never names
//! the reader; the reader writes the store only through its narrow crate-private API.
//!
//! The modules follow the data:
//! * [`container`]: gzip and zip (by magic bytes, nested up to [`container::MAX_ARCHIVE_DEPTH`]) expanded
//!   within [`crate::Limits`] through `take(limit + 1)`, so a bomb costs at most the limit and
//!   reports a clear error;
//! * [`text`]: a plain text: kept by the store or copied from, BOM, empty, not JSON;
//! * [`mapped`], [`flat`], [`csv`]: exports another tool flattened (Athena, Lake and Event
//!   history CSV, Sentinel rows, ECS documents without `event.original`), put back into
//!   CloudTrail's shape and read as records; lossy, and the file's line says so;
//! * [`shape`]: the walk over a text's shapes (Records, JSON arrays, NDJSON / concatenated JSON,
//!   single events, wrappers searched to [`reader::MAX_WALK_DEPTH`] levels, JSON inside strings);
//! * [`record`]: one found record, parsed and stored with its normalized text;
//! * [`tally`]: what was counted, written into the file's report;
//! * [`reader`]: the per-file state and the small values that say where the walk is.
//!
//! A file that is valid UTF-8 as a whole (the usual case) is validated once, up front: its
//! records are then parsed with `serde_json::from_str` (which skips serde's per-string UTF-8
//! check) and stored as slices of that `str` (no per-record validation). Other files take the
//! byte path (`from_slice`, per-record validation, lossy replacement), as documents found inside
//! JSON strings do.
//!
//! In such a file each record (element of a Records array / JSON array, NDJSON line, single
//! event) first goes through [`crate::record::fast`], a hand-written single pass: it validates
//! the record's JSON exactly as serde_json would accept it (requestParameters,
//! responseElements, resources… skipped and validated like serde's `IgnoredAny`, strings
//! scanned 8 bytes at a time) and fills the same borrowed, tolerant typed struct serde's derive
//! fills ([`crate::record::Ev`]), so classification and field extraction are shared code. It
//! declines anything it does not read exactly as serde does (see its module docs), and the
//! record then takes the serde path: a `StreamDeserializer` whose byte offset gives the record's
//! end. `src/record/fast_tests.rs` checks the two paths against each other and that whole stores
//! read with and without the fast path are identical. Anything the serde path cannot take (a
//! parse error, a non-object) falls back to the non-validating, memchr-based scanner
//! ([`crate::scan`]; iterative, nesting capped at 512), which also finds NDJSON lines and
//! wrappers. A record that fails the typed parse on valid JSON (duplicate keys…) is parsed as a
//! `serde_json::Value` alone; what is not valid JSON is rejected with its position. Records
//! arrays are read element by element, so a truncated file keeps the events before the
//! truncation, and objects lacking commas between them are recovered.
//!
//! Classification: a record is an event when it has an eventName or eventSource, or at least
//! two of the CloudTrail top-level keys (eventVersion, eventTime, eventSource, eventName,
//! eventID, eventType, userIdentity, awsRegion, recipientAccountId, insightDetails); a digest
//! when it has `logFiles` and a digest time/object key. Anything else is searched for events and
//! digests: lookup-events `CloudTrailEvent` strings, EventBridge `detail`, CloudWatch Logs
//! `logEvents[].message`, cribl `_raw`, test harness wrappers. Objects in JSON arrays / NDJSON
//! that hold no event are skipped with a note; in a Records array they are rejected.
//!
//! Load options ([`ReadOptions`]): what the user chose at load time to leave out while reading.
//! An event left out (a read-only event, with `drop_read_only`) is read and classified, then
//! counted in the file's `filtered` and not stored, so the counts still reconcile:
//! `events == kept + duplicates + rejected + filtered`. Files the user left out whole are never
//! given to the reader: [`Store::add_left_out`] gives them their report.
//!
//! Speed (measured in BENCHMARKS.md): the owned ingest's largest costs are the fast parse and the
//! store's `push_event` (hash, dedupe table, interning); the single UTF-8 check of a file is a
//! small part.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::report::FileReport;
use crate::store::Store;

mod container;
mod converted;
mod csv;
mod flat;
mod lake;
mod mapped;
mod reader;
mod record;
mod shape;
mod siem;
mod tally;
mod text;

#[cfg(test)]
mod flat_tests;
#[cfg(test)]
mod tests;

pub use converted::{is_parquet, Conversion};
use reader::Input;

/// What the user chose at load time to leave out of what is read (the load-time filter's part
/// that needs the records; which files are read at all is decided before, by path). The default
/// keeps everything.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReadOptions {
    /// Events with `readOnly` true are counted (as `filtered`) and not stored.
    #[serde(default)]
    pub drop_read_only: bool,
}

impl Store {
    /// Reads one input (any supported format; gzip and zip expanded). Appends one
    /// [`crate::FileReport`] per file (one per member for zips; an archive that fails as a whole
    /// gets one report) and returns the range of indices into [`Store::files`] that this call
    /// added. Never panics on any bytes; a bad file or record never stops the others.
    pub fn ingest(&mut self, path: &str, bytes: &[u8]) -> Range<usize> {
        let start = self.files().len();
        container::ingest(self, path, Input::Borrowed(bytes), ReadOptions::default());
        start..self.files().len()
    }

    /// [`Store::ingest`] of bytes the store may keep: a plain (or decompressed) file that is valid
    /// UTF-8 becomes the home of its records' raw text instead of being copied record by record
    /// (kept when its records make up at least 3/4 of it). The way to read a file that was read
    /// into memory for this purpose anyway (the browser's worker, `trailglass-scan`).
    pub fn ingest_owned(&mut self, path: &str, bytes: Vec<u8>) -> Range<usize> {
        self.ingest_owned_with(path, bytes, ReadOptions::default())
    }

    /// [`Store::ingest_owned`] leaving out what `options` say (counted as `filtered`).
    pub fn ingest_owned_with(
        &mut self,
        path: &str,
        bytes: Vec<u8>,
        options: ReadOptions,
    ) -> Range<usize> {
        let start = self.files().len();
        container::ingest(self, path, Input::Owned(bytes), options);
        start..self.files().len()
    }

    /// Records a file of `size` bytes that the user left out with the load-time filter: it is
    /// never read, and gets a line saying so ([`crate::FileStatus::LeftOut`]; no events, no bytes
    /// read). Returns its index range in [`Store::files`].
    pub fn add_left_out(&mut self, path: &str, size: u64) -> Range<usize> {
        let start = self.files().len();
        self.push_file(FileReport::left_out(path, size));
        start..self.files().len()
    }
}
