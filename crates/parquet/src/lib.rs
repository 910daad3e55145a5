//! Trailglass's Parquet, in and out, kept out of the engine's reader so the page's data worker
//! stays small.
//!
//! * [`read`]: a Parquet file's rows (Amazon Security Lake's OCSF, or any table of records) as
//!   JSON lines the engine reads as records. The browser runs it in a worker of its own
//!   (`crates/parquet-worker`), started only when a Parquet file arrives; `trailglass-scan` links
//!   it natively.
//! * [`ParquetWriter`] (`write.rs`): events to Parquet, the engine's indexed columns plus each
//!   event's JSON, with bounded memory (`trailglass-scan --out x.parquet`).

pub mod read;
mod write;

pub use write::*;
