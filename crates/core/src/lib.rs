//! Trailglass engine: reads CloudTrail logs in every shape users meet into a compact columnar
//! store. Pure Rust, no I/O policy and no web dependency: the app hands it bytes; it builds for
//! `wasm32-unknown-unknown` and is tested and benchmarked natively.
//!
//! # Design decisions (measured; see the store/reader module docs for the details)
//!
//! * **Reading.** Each record (element of a Records array / JSON array, NDJSON line, single
//!   event) of a valid UTF-8 file first goes through `record::fast`, a hand-written single pass
//!   (crate-private): it validates the record's JSON exactly as serde_json would accept it
//!   (strings, escapes, numbers, literals, nesting; requestParameters, responseElements,
//!   resources… skipped and validated like serde's `IgnoredAny`, strings scanned 8 bytes at a
//!   time) and fills the same borrowed, tolerant typed struct serde's derive fills
//!   ([`record::Ev`]: `Cow<str>` newtypes that accept strings, booleans, numbers and null and
//!   skip objects/arrays), so classification and field extraction are shared code. It declines
//!   anything it does not read exactly as serde does — an escape in a struct-level key, a
//!   surrogate `\u` escape in an extracted value (other escapes there it decodes as serde does),
//!   a number or container where a scalar is extracted, userIdentity written as a JSON
//!   string, a duplicate known key, nesting deeper than 100, any JSON error — and the record
//!   then takes the serde path: a `StreamDeserializer` whose byte offset gives the
//!   record's end. `src/fast_tests.rs` checks the two paths against each other at every `{` of
//!   the shared corpus, synthetic data, edge cases and mutations, and that whole stores read
//!   with and without the fast path are identical. (Measured, isolated, on the synthetic
//!   benchmark data: fast path ~2.0 GB/s; serde stream typed parse ~860 MB/s.) Anything the
//!   serde path cannot take (a parse error, a non-object) falls back to the non-validating,
//!   memchr-based scanner ([`scan`]; 2.4-2.9 GB/s, iterative, nesting capped at 512), which also
//!   finds NDJSON lines and wrappers. A record that fails the typed parse on valid JSON
//!   (duplicate keys…) is parsed as a `serde_json::Value` alone; what is not valid JSON is
//!   rejected with its position. Records arrays are read element by element, so a truncated file
//!   keeps the events before the truncation, and objects lacking commas between them are recovered.
//! * **Wrappers.** Anything that is not an event is searched (depth-capped at 32 levels of
//!   objects/arrays/JSON-in-strings) for events and digests: lookup-events `CloudTrailEvent`
//!   strings, EventBridge `detail`, CloudWatch Logs `logEvents[].message`, cribl `_raw`, test
//!   harness wrappers. A record is an event when it has an eventName or eventSource, or at least
//!   two of the CloudTrail top-level keys (eventVersion, eventTime, eventSource, eventName,
//!   eventID, eventType, userIdentity, awsRegion, recipientAccountId, insightDetails); a digest
//!   when it has `logFiles` and a digest time/object key. Objects in JSON arrays / NDJSON that
//!   hold no event are skipped with a note; in a Records array they are rejected.
//! * **Store.** Columnar: time as `i64` ms (`i64::MIN` = none), each [`Column`] a `u32` id into a
//!   per-column interned dictionary (`Vec<Box<str>>` + `FxHashMap`, behind a 512-slot cache),
//!   file index `u32`, and the raw record referenced by chunk/offset/length. Row vectors grow by
//!   1/4, not 2x. Records that look spaced (line breaks, or `": "` separators) are stored with
//!   insignificant whitespace removed (strings untouched); compact records are stored as they
//!   came. Where the raw text lives: [`Store::ingest_owned`] (how the app's worker and
//!   `trailglass-scan` read) and every decompressed gzip/zip member give the store the file's
//!   text; when it is valid UTF-8 and its records are at least 3/4 of it, the store keeps it and
//!   the rows point into it (no copy). Everything else is copied into 16 MiB `String` chunks
//!   allocated once, never reallocated. Measured: ~113-117 bytes per event beyond raw bytes (80 in
//!   columns, the rest dedupe table + dictionaries); 1,000,000 events of ~1.24 KB ≈ 1.24 GB raw
//!   (exactly the files' bytes when their texts are kept) + 117 MB, under the 2 GiB default
//!   total limit.
//! * **Speed** (native, 1 thread; figures and commands in BENCHMARKS.md): `trailglass-bench
//!   --events 1000000` (1,244 MB synthetic) on 2026-11-25, two runs: `ingest_owned` 973-1,051
//!   MB/s, 6.0-6.1x the `serde_json::Value` baseline (161-173 MB/s); 200,000 events 1,097 MB/s,
//!   7.2x. The borrowing `ingest`, which copies each record into the chunks, 599-614 MB/s
//!   (3.5-3.7x), and `ingest_owned` with the copy of each file into fresh memory counted 665-731
//!   MB/s (4.1-4.2x): on this VM a first
//!   write to a fresh 4 KiB page costs 1.3-2.6 µs, and 1.24 GB of kept text needs 300,000 of
//!   them wherever they are first touched. In the browser that first touch is the copy of the
//!   `File` into wasm memory, which happens whatever the parser, so the load there took the same
//!   4.5-4.8 s with either kind of ingest (it saves 30 MB of heap). A file that is valid UTF-8
//!   is checked once. In a perf profile of the owned ingest the largest parts are the fast parse
//!   (`parse_into` and `skip_value`), `add_event` (hash, dedupe table, interning) and page faults
//!   of the store's growing vectors; the UTF-8 check is ~2%.
//! * **Duplicates.** Same eventID *and* same content = the same stored (normalized) text; equal
//!   content implies equal eventID, so the key is a 64-bit hash of that text, verified by a
//!   byte comparison on a hash match (a collision never drops an event). `.json` beside its
//!   `.json.gz`, a file dropped twice, pretty vs compact copies of an event all dedupe; distinct
//!   events that share an eventID are all kept.
//! * **Limits** ([`Limits`]): decompressed bytes per file/member and in total, bytes per record,
//!   members per archive, archive nesting depth 4. Decompression reads through `take(limit + 1)`,
//!   so a bomb costs at most the limit, and reports a clear error.
//! * **Engine** ([`engine`]). The store, its text index and the current view behind a
//!   request/reply protocol (serde JSON), which the browser app's Web Worker runs: the page asks for
//!   counts, aggregates, one page of rows or one record, never the whole result. The text index is
//!   built after a load in slices between requests.
//! * **Time.** A hand-written parser for `YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|±hh:mm]` (and epoch
//!   seconds/ms numbers); when eventTime is missing or unusable it falls back to `@timestamp`,
//!   `p_event_time`, `_time`, `timestamp`, `time`, and the file report says how many and which.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

pub mod answer;
pub mod engine;
pub mod query;
mod read;
pub mod record;
pub mod report;
pub mod scan;
pub mod store;
pub mod time;
pub mod units;

pub use report::{AwsKey, FileReport, FileStatus, Position, ReadError, Rejection};
pub use store::{Column, Limits, MemoryUse, Store, Totals};

#[cfg(test)]
mod fast_tests;
