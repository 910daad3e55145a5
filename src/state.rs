//! The app's shared state: the loaded dataset and the load progress.
//!
//! The store is large and changes only when files are added or cleared, so it is not a signal:
//! it sits in a `StoredValue` (read with `with_value`, never cloned), and a `generation` counter
//! signal is bumped after every change. Views derive `Memo`s that read `generation` and then the
//! store, so they recompute exactly when the data changes. `Dataset` is `Copy` and goes to
//! children through context, and so does `ViewState`, the signals of what the user is looking at.

use leptos::prelude::*;
use trailglass_core::query::{SortKey, TextIndex};
use trailglass_core::Store;

use crate::clauses::add_clause;
use crate::columns::{default_columns, ColumnDef};

/// Progress of a running load, shown as a progress bar.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    pub files_done: usize,
    pub files_total: usize,
    pub bytes_done: u64,
    pub bytes_total: u64,
    /// The file being read now.
    pub current: String,
}

impl Progress {
    /// Fraction done in 0..=1, by bytes (files of zero bytes count by number).
    pub fn fraction(&self) -> f64 {
        if self.bytes_total > 0 {
            (self.bytes_done as f64 / self.bytes_total as f64).clamp(0.0, 1.0)
        } else if self.files_total > 0 {
            self.files_done as f64 / self.files_total as f64
        } else {
            0.0
        }
    }
}

/// The loaded events and what is happening to them. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Dataset {
    pub store: StoredValue<Store>,
    /// Bumped after every change of `store`; the only thing views subscribe to.
    pub generation: RwSignal<u64>,
    /// `Some` while files are being read.
    pub progress: RwSignal<Option<Progress>>,
    /// The free-text index (`TextIndex`: trigram blooms per block of records), extended each
    /// time the views are told of new rows, so a word search skips the blocks that cannot hold
    /// it instead of scanning every record.
    pub text_index: StoredValue<TextIndex>,
}

impl Dataset {
    pub fn new() -> Self {
        Self {
            store: StoredValue::new(Store::new()),
            generation: RwSignal::new(0),
            progress: RwSignal::new(None),
            text_index: StoredValue::new(TextIndex::default()),
        }
    }

    /// Reads one file's bytes into the store and tells the views.
    pub fn ingest(&self, path: &str, bytes: &[u8]) {
        self.ingest_quietly(path, bytes);
        self.touch();
    }

    /// Reads one file's bytes into the store without telling the views yet: a load of many
    /// files calls this per file and [`Dataset::touch`] now and then, so the answers (matches,
    /// sort, facets, charts) are not recomputed after every one of hundreds of files.
    pub fn ingest_quietly(&self, path: &str, bytes: &[u8]) {
        self.store.update_value(|s| {
            s.ingest(path, bytes);
        });
    }

    /// Tells the views the store has changed (after indexing the new rows' text).
    pub fn touch(&self) {
        self.store.with_value(|s| self.text_index.update_value(|ix| ix.extend(s)));
        self.generation.update(|g| *g += 1);
    }

    /// Records a file that could not be read at all (it still gets a line in the file list; the
    /// views hear of it with the next [`Dataset::touch`]).
    pub fn unreadable(&self, path: &str, reason: &str) {
        self.store.update_value(|s| {
            s.add_unreadable(path, reason);
        });
    }

    /// Forgets every loaded file.
    pub fn clear(&self) {
        self.store.set_value(Store::new());
        self.text_index.set_value(TextIndex::default());
        self.generation.update(|g| *g += 1);
    }
}

impl Default for Dataset {
    fn default() -> Self {
        Self::new()
    }
}

/// How the table is sorted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort { key: SortKey::Time, descending: false }
    }
}

/// Which main panel is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Panel {
    #[default]
    Table,
    Services,
}

/// Colour theme: follow the system, or forced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

/// What the user is looking at: the search, the time range, the sort, the columns, the selected
/// event and display settings. All of it round-trips through the URL (`url_state`). Cheap to copy.
#[derive(Clone, Copy)]
pub struct ViewState {
    /// The committed query text (the search box commits it as the user pauses typing).
    pub query: RwSignal<String>,
    /// A brushed time range `[start, end)` in ms, applied on top of the query.
    pub range: RwSignal<Option<(i64, i64)>>,
    pub sort: RwSignal<Sort>,
    pub columns: RwSignal<Vec<ColumnDef>>,
    /// The selected event (a row id of the store).
    pub selected: RwSignal<Option<u32>>,
    /// Show times in the browser's local zone instead of UTC.
    pub local_time: RwSignal<bool>,
    pub panel: RwSignal<Panel>,
    pub theme: RwSignal<Theme>,
    /// Queries run recently, newest first (for the search box's history).
    pub recent: RwSignal<Vec<String>>,
}

impl ViewState {
    pub fn new() -> Self {
        Self {
            query: RwSignal::new(String::new()),
            range: RwSignal::new(None),
            sort: RwSignal::new(Sort::default()),
            columns: RwSignal::new(default_columns()),
            selected: RwSignal::new(None),
            local_time: RwSignal::new(false),
            panel: RwSignal::new(Panel::Table),
            theme: RwSignal::new(Theme::System),
            recent: RwSignal::new(Vec::new()),
        }
    }

    /// Narrows the search with one more clause (a facet or pivot click).
    pub fn add_clause(&self, clause: &str) {
        let q = add_clause(&self.query.get_untracked(), clause);
        self.set_query(q);
    }

    /// Commits a query and remembers it among the recent ones.
    pub fn set_query(&self, q: String) {
        let trimmed = q.trim().to_string();
        if !trimmed.is_empty() {
            self.recent.update(|r| remember(r, &trimmed));
        }
        self.query.set(q);
    }
}

impl Default for ViewState {
    fn default() -> Self {
        Self::new()
    }
}

/// Puts `q` first in the recent list, without repeats, keeping at most 12.
pub fn remember(recent: &mut Vec<String>, q: &str) {
    recent.retain(|r| r != q);
    recent.insert(0, q.to_string());
    recent.truncate(12);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_fraction() {
        let p = Progress { files_done: 1, files_total: 4, bytes_done: 50, bytes_total: 200, current: String::new() };
        assert!((p.fraction() - 0.25).abs() < 1e-9);
        let by_files = Progress { files_done: 1, files_total: 2, ..Default::default() };
        assert!((by_files.fraction() - 0.5).abs() < 1e-9);
        assert_eq!(Progress::default().fraction(), 0.0);
    }

    #[test]
    fn recent_queries() {
        let mut r = Vec::new();
        for q in ["a", "b", "a", "c"] {
            remember(&mut r, q);
        }
        assert_eq!(r, vec!["c", "a", "b"]);
        for i in 0..20 {
            remember(&mut r, &format!("q{i}"));
        }
        assert_eq!(r.len(), 12);
        assert_eq!(r[0], "q19");
    }
}
