//! The app's shared state: the loaded dataset and the load progress.
//!
//! The store is large and changes only when files are added or cleared, so it is not a signal:
//! it sits in a `StoredValue` (read with `with_value`, never cloned), and a `generation` counter
//! signal is bumped after every change. Views derive `Memo`s that read `generation` and then the
//! store, so they recompute exactly when the data changes. `Dataset` is `Copy` and goes to
//! children through context.

use leptos::prelude::*;
use trailglass_core::Store;

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
}

impl Dataset {
    pub fn new() -> Self {
        Self {
            store: StoredValue::new(Store::new()),
            generation: RwSignal::new(0),
            progress: RwSignal::new(None),
        }
    }

    /// Reads one file's bytes into the store and tells the views.
    pub fn ingest(&self, path: &str, bytes: &[u8]) {
        self.store.update_value(|s| {
            s.ingest(path, bytes);
        });
        self.generation.update(|g| *g += 1);
    }

    /// Records a file that could not be read at all (it still gets a line in the file list).
    pub fn unreadable(&self, path: &str, reason: &str) {
        self.store.update_value(|s| {
            s.add_unreadable(path, reason);
        });
        self.generation.update(|g| *g += 1);
    }

    /// Forgets every loaded file.
    pub fn clear(&self) {
        self.store.set_value(Store::new());
        self.generation.update(|g| *g += 1);
    }
}

impl Default for Dataset {
    fn default() -> Self {
        Self::new()
    }
}

/// Display settings shared by the views.
#[derive(Clone, Copy)]
pub struct ViewSettings {
    /// Show times in the browser's local zone instead of UTC.
    pub local_time: RwSignal<bool>,
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
}
