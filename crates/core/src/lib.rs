//! Trailglass engine: reads CloudTrail logs in every shape users meet into a compact columnar
//! store and answers queries over it. Pure Rust, no I/O policy and no web dependency: the app
//! hands it bytes; it builds for `wasm32-unknown-unknown` and is tested and benchmarked natively.
//!
//! # Layers (each module's docs say why it is shaped so; figures are in BENCHMARKS.md)
//!
//! * **Reading** (`read/`, crate-private; entered through [`Store::ingest`] and
//!   [`Store::ingest_owned`]): containers (gzip, zip, nested, within [`Limits`]), document shapes
//!   (Records, JSON arrays, NDJSON, single events, wrappers such as lookup-events, EventBridge,
//!   CloudWatch Logs and cribl, searched to a fixed depth) and records. Each record of a valid
//!   UTF-8 file first goes through the hand-written parser `record::fast`, which validates it
//!   exactly as serde_json would and fills the same typed struct ([`record::Ev`]); what it declines
//!   takes the serde path, and what serde cannot take the non-validating [`scan`]ner, so results
//!   never depend on which path read a record. A truncated file keeps the events before the
//!   truncation; bad records are rejected with their position, never stopping the others.
//! * **Classification** ([`record`]): a record is an event when it has an eventName or
//!   eventSource, or two of CloudTrail's top-level keys; a digest when it has `logFiles` and a
//!   digest key; anything else is a wrapper to search.
//! * **Reports** ([`report`]): one [`FileReport`] per file or member, whose counts always
//!   reconcile (`events == kept + duplicates + rejected + filtered`, `filtered` being the events
//!   left out by the user's [`ReadOptions`]), with typed [`report::Format`] and [`ReadError`]
//!   kinds whose strings are what the page and `trailglass-scan` show.
//! * **Load plan** ([`plan`]): what a dropped tree holds by its AWS key paths, before anything is
//!   read, and which files a load-time filter keeps (the others are never read).
//! * **Store** ([`store`]): columnar; each [`Column`] a `u32` id into a per-column interned
//!   dictionary, time as `i64` ms, and the raw record (insignificant whitespace removed) kept in
//!   the file's own text when the store owns it, else in fixed-size arena chunks. Duplicates are
//!   the same stored text (a hash verified by a byte comparison), so copies of a file in other
//!   shapes or compressions dedupe and distinct events sharing an eventID are all kept.
//! * **Limits** ([`Limits`]): decompressed bytes per file/member and in total, bytes per record,
//!   members per archive, archive nesting depth 4. Decompression reads through `take(limit + 1)`,
//!   so a bomb costs at most the limit, and reports a clear error.
//! * **Engine** ([`engine`]): the store, its text index and the current view behind a
//!   request/reply protocol (serde JSON), which the browser app's Web Worker runs: the page asks
//!   for counts, aggregates, one page of rows or one record, never the whole result. The text
//!   index is built after a load in slices between requests.
//! * **Queries** ([`query`]): the query language, its evaluation over the columns, aggregates,
//!   findings and export.
//! * **Time** ([`time`]): a hand-written parser for `YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|±hh:mm]` (and
//!   epoch seconds/ms numbers); when eventTime is missing or unusable the reader falls back to
//!   `@timestamp`, `p_event_time`, `_time`, `timestamp`, `time`, and the file report says how
//!   many and which.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

pub mod answer;
pub mod detect;
pub mod engine;
pub mod identity;
pub mod integrity;
pub mod plan;
pub mod query;
mod read;
pub mod record;
pub mod report;
pub mod role;
pub mod scan;
pub mod shards;
pub mod store;
pub mod time;
pub mod units;

pub use read::{is_parquet, Conversion, ReadOptions};
pub use report::{
    AwsKey, ErrorKind, FileReport, FileStatus, Format, Position, ReadError, Rejection,
};
pub use store::{Column, Limits, MemoryUse, RawCache, RawReader, Store, Totals};

#[cfg(test)]
mod test_data;
