//! Trailglass, the browser app: a Leptos (CSR) single-page app over `trailglass-core`.
//!
//! The engine crate does all the reading, storing and querying; this crate only wires signals to
//! views. Plain logic the views need (formatting, column definitions) lives in small modules
//! with native unit tests (`format`, `columns`); browser glue lives in `loader`; components, one
//! per file, live in `components`.

pub mod app;
pub mod charts;
pub mod clauses;
pub mod client;
pub mod columns;
pub mod components;
pub mod detail;
pub mod download;
pub mod folders;
pub mod format;
pub mod history;
pub mod keyboard;
pub mod loader;
pub mod results;
pub mod state;
pub mod theme;
pub mod tz;
pub mod url_state;
