//! Trailglass, the browser app: a Leptos (CSR) single-page app over `trailglass-core`.
//!
//! The engine crate does all the reading, storing and querying; this crate is split by kind:
//! - [`model`]: plain logic the views need (formatting, columns, query clauses, the URL format,
//!   table virtualization, chart geometry, the event detail), pure functions with native tests;
//! - [`web`]: browser glue (the worker client, loading files and folders, downloads, history,
//!   keyboard, theme, the browser's time zone);
//! - [`components`]: the views, one per file, wiring signals to markup.
//!
//! [`state`] holds the signals shared through context, [`results`] the worker's answers, and
//! [`app`] the root component that puts them together.

pub mod app;
pub mod components;
pub mod model;
pub mod results;
pub mod state;
pub mod web;
