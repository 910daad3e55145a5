//! Trailglass engine: reads CloudTrail logs in every shape users meet into a compact columnar
//! store. Pure Rust, no I/O policy and no web dependency: the app hands it bytes; it builds for
//! `wasm32-unknown-unknown` and is tested and benchmarked natively.
//!
//! # Design decisions (measured; see the store/reader module docs for the details)
//!
//! * **Reading.** Each element of a Records array / JSON array is parsed once by serde_json
//!   into a borrowed, tolerant typed struct ([`record::Ev`]: `Cow<str>` newtypes that accept
//!   strings, booleans, numbers and null and skip objects/arrays; requestParameters,
//!   responseElements, resources… are skipped by serde, never built into a `Value`), through a
//!   `StreamDeserializer` whose byte offset gives the record's end — no separate boundary pass
//!   (measured: scan + typed parse 630 MB/s, stream typed parse 820-850 MB/s on replicated corpus
//!   events). Anything unusual (a parse error, a non-object) falls back to the non-validating,
//!   memchr-based scanner ([`scan`]; 2.4-2.9 GB/s, iterative, nesting capped at 512), which also
//!   serves NDJSON lines and wrappers. A record that fails the typed parse on valid JSON
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
//!   file index `u32`, and the raw record in a chunked arena (16 MiB `String` chunks allocated once,
//!   never reallocated) referenced by chunk/offset/length. Row vectors grow by 1/4, not 2x.
//!   Records that look spaced (line breaks, or `": "` separators) are stored with insignificant
//!   whitespace removed (strings untouched); compact records are stored as they came. Measured:
//!   ~113-115 bytes per event beyond raw bytes (80 in columns, the rest dedupe table +
//!   dictionaries); 1,000,000 events of ~1.3 KB ≈ 1.3 GB raw + 115 MB, under the 2 GiB default
//!   total limit.
//! * **Speed** (native, 1 thread, a quiet 2-core machine; figures and commands in BENCHMARKS.md):
//!   `trailglass-bench --events 200000` (248 MB synthetic): plain ingest 440-460 MB/s, gz
//!   310-317 MB/s, `Value` baseline 173-188 MB/s (2.3-2.7x), 113 bytes/event beyond raw.
//!   `tests/speed.rs` (replicated corpus events): plain 596 MB/s, gz 423 MB/s, `Value` 246 MB/s.
//!   A file that is valid UTF-8 is checked once and parsed with `from_str` (serde then skips its
//!   per-string check), records are stored as slices of it. Where the time goes (perf): serde
//!   ~45%, copying the raw record into the arena ~10% plus first-touch page faults 15-18%,
//!   `add_event` ~13% (hash, dedupe table, interning), the whole-file UTF-8 check ~2%. The typed
//!   serde parse alone runs ~860 MB/s, so "5x `Value`" for the whole ingest would need a
//!   hand-written parser on the hot path or not copying the raw text.
//! * **Duplicates.** Same eventID *and* same content = the same stored (normalized) text; equal
//!   content implies equal eventID, so the key is a 64-bit hash of that text, verified by a
//!   byte comparison on a hash match (a collision never drops an event). `.json` beside its
//!   `.json.gz`, a file dropped twice, pretty vs compact copies of an event all dedupe; distinct
//!   events that share an eventID are all kept.
//! * **Limits** ([`Limits`]): decompressed bytes per file/member and in total, bytes per record,
//!   members per archive, archive nesting depth 4. Decompression reads through `take(limit + 1)`,
//!   so a bomb costs at most the limit, and reports a clear error.
//! * **Time.** A hand-written parser for `YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|±hh:mm]` (and epoch
//!   seconds/ms numbers); when eventTime is missing or unusable it falls back to `@timestamp`,
//!   `p_event_time`, `_time`, `timestamp`, `time`, and the file report says how many and which.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

pub mod query;
pub mod record;
pub mod report;
pub mod scan;
pub mod store;
pub mod time;
mod read;
pub mod synth;

pub use report::{AwsKey, FileReport, FileStatus, Position, ReadError, Rejection};
pub use store::{Column, Limits, MemoryUse, Store, Totals};

#[cfg(test)]
mod fast_tests;
