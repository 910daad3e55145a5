//! The app's plain logic: what the views show, computed from their inputs. Nothing here touches
//! the browser (a time-zone offset, a pixel width or a record is passed in), so every module is
//! unit-tested natively with `cargo test -p trailglass`.

pub mod charts;
pub mod clauses;
pub mod columns;
pub mod detail;
pub mod detections;
pub mod format;
pub mod identities;
pub mod load_choice;
pub mod url_state;
pub mod virtual_table;
