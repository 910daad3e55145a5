//! The store's write side, the only way in: [`Store::push_event`] (dedupe, interning, the record
//! text into its block, growth by a quarter) and what the reader records besides events
//! (reports, byte accounting). The reader uses
//! these and nothing else of the store, so the store's layout can change behind them.

use std::borrow::Cow;

use super::{Dedupe, Pushed, Store, NCOLS};
use crate::report::FileReport;

impl Store {
    /// Grows every per-row vector by 1/4 (not 2x): bounds the slack to 25% of the column bytes,
    /// which matters when millions of rows must fit a tab.
    fn grow(&mut self) {
        let extra = (self.time.len() / 4).max(4096);
        self.time.reserve_exact(extra);
        self.file.reserve_exact(extra);
        self.texts.reserve_rows(extra);
        self.facts.reserve_exact(extra);
        for c in &mut self.cols {
            c.reserve_exact(extra);
        }
    }

    /// Adds one event of file `file` unless the same compact record is already stored. `raw` is
    /// the record text without insignificant whitespace; `values` the indexed fields in
    /// [`Column::ALL`] order; `facts` the row's bits of [`Store::absent`] and [`IDENTITY_TEXT`].
    pub(crate) fn push_event(
        &mut self,
        file: u32,
        raw: &str,
        (time_ms, facts): (Option<i64>, u16),
        values: &[Cow<'_, str>; NCOLS],
    ) -> Pushed {
        let hash = Dedupe::hash(raw);
        for r in self.dedupe.rows(hash) {
            if self.texts.get(&mut self.dedupe_cache, r as usize) == raw {
                return Pushed::Duplicate;
            }
        }
        self.dedupe.insert(hash, self.time.len() as u32);
        if self.time.len() == self.time.capacity() {
            self.grow();
        }
        self.texts.push(raw);
        self.facts.push(facts);
        self.time.push(time_ms.unwrap_or(i64::MIN));
        self.file.push(file);
        for (i, v) in values.iter().enumerate() {
            if let (Some(col), Some(dict)) = (self.cols.get_mut(i), self.dicts.get_mut(i)) {
                col.push(dict.intern(v));
            }
        }
        Pushed::Kept
    }
}

// What the reader writes besides events (see the module docs).
impl Store {
    /// Appends the report of one file (or archive member).
    pub(crate) fn push_file(&mut self, report: FileReport) {
        self.files.push(report);
    }

    /// The reports from index `start` on (the reader adds to the errors of the members of an
    /// archive or a gzip stream damaged after them).
    pub(crate) fn files_from_mut(&mut self, start: usize) -> &mut [FileReport] {
        self.files.get_mut(start..).unwrap_or_default()
    }

    /// Decompressed bytes the memory budget still has room for (a member is decompressed whole
    /// before its records are stored).
    pub(crate) fn bytes_left(&self) -> u64 {
        self.limits.max_memory_bytes.saturating_sub(self.memory_needed())
    }

    /// Whether the reader may use its hand-written record parser.
    pub(crate) fn fast_path(&self) -> bool {
        self.fast_path
    }

    /// Turns the hand-written record parser off, for the tests that compare it with serde.
    #[cfg(test)]
    pub(crate) fn set_fast_path(&mut self, on: bool) {
        self.fast_path = on;
    }
}
