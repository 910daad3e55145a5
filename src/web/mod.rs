//! Browser glue: the parts of the app that talk to the browser (the data worker, files and
//! folders, the user's rule files, downloads, the clipboard, the URL and history, keyboard,
//! theme and time zone). Each is a thin layer over `web-sys`; what can be computed without the
//! browser lives in [`crate::model`].

pub mod clipboard;
pub mod download;
pub mod folders;
pub mod history;
pub mod keyboard;
pub mod loader;
pub mod theme;
pub mod tz;
pub mod user_rules;
pub mod worker_client;
