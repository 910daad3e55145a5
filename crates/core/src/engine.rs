//! The engine behind one tab: the store, its text index and the current view, driven by
//! messages. In the browser it lives in a Web Worker (`crates/worker/src/main.rs`) and the page talks to
//! it only through [`Request`] and [`Reply`] (JSON over `postMessage`), so the page never holds
//! the events: it asks for what it shows — counts, one page of rows, aggregates, one record.
//! Natively the same [`Session`] is driven by tests, so everything the worker decides is checked
//! here.
//!
//! # Shape
//!
//! * `protocol`: the messages and the values they carry (their JSON is the contract with the
//!   page).
//! * `state`: [`Engine`], the data and the current view: it reads files, answers views, cuts
//!   pages of rows, exports, and builds the text index in slices ([`Engine::index_step`]) when
//!   the worker is idle, so a load is not slowed by it and a text query before it is complete
//!   still answers (the engine scans the rows not yet indexed).
//! * `load`: the load policy, a state machine with the clock passed in: the queue, the cadence of
//!   Status and Answer replies during a load, the yields, the memory budget, Cancel and Clear.
//! * `detections`: the loaded rules and their hits on the current data, computed once per
//!   generation; the detections, findings and detection-term rows of every answer come from it.
//! * `session`: [`Session`], the one dispatcher: every [`Request`] goes through
//!   [`Session::handle`], and the worker's load and indexing loops call it between their awaits.
//!
//! The modules depend one way: `session` on `state` and `load`, `state` on `detections`, those on
//! `protocol` (and the store, the query language, the rules and the answers); this file only
//! declares and re-exports them.

pub mod dedupe;
mod detections;
mod identities;
mod load;
mod notice;
mod part;
mod protocol;
mod session;
mod state;

pub use detections::{rule_rows, write_detections};
pub use load::{
    budget_message, fits, gzip_declared_size, Cadence, Due, Load, Pending, ANSWER_MS, STATUS_MS,
    YIELD_MS,
};
pub use notice::Notice;
pub use part::{Role, ViewPart, MAX_SAMPLES, MIN_STRIDE};
pub use protocol::{
    Answer, Detection, ExportFormat, FileLine, FileState, LeftOut, Level, Progress, ReadOptions,
    Reply, Request, RowDetail, RowLine, RowsPage, RuleFile, RuleOrigin, RuleProblem, Status,
    ViewSpec,
};
pub use session::{Outcome, SampleFn, Session};
pub use state::{
    row_detail, Engine, FACET_COLUMNS, FACET_TOP, HISTOGRAM_BUCKETS, INDEX_SLICE, MAX_PAGE,
};

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
mod tests;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
mod detection_tests;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod identity_tests;
