//! Trailglass's Parquet, kept out of the engine (`trailglass-core`) so the page's data worker
//! stays small: the browser loads this crate (in its own worker, `crates/parquet-worker`) only
//! when a Parquet file arrives, and `trailglass-scan` links it natively.
//!
//! [`read`]: Amazon Security Lake's OCSF Parquet (any Parquet of records) turned into one JSON
//! object per row, which the engine reads as OCSF records (`trailglass_core` `record/ocsf.rs`).

pub mod read;
