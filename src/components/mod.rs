//! The views, one component per file. Each reads what it needs from context (`Dataset`,
//! `ViewSettings`) or props, and holds no logic beyond wiring signals to markup.

pub mod drop_zone;
pub mod empty_state;
pub mod event_table;
pub mod file_list;
pub mod header;
pub mod progress;
