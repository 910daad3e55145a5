//! The store's write side, the only way in: [`Store::push_event`] (dedupe, interning, growth by
//! a quarter), the owned texts of files being read ([`Store::begin_owned`]/[`Store::end_owned`]),
//! and what the reader records besides events (reports, byte accounting). The reader uses
//! these and nothing else of the store, so the store's layout can change behind them.

use std::borrow::Cow;

use super::{Dedupe, Pushed, RawText, Store, NCOLS};
use crate::report::FileReport;

impl Store {
    /// Grows every per-row vector by 1/4 (not 2x): bounds the slack to 25% of the column bytes,
    /// which matters when a million rows must fit a tab.
    fn grow(&mut self) {
        let extra = (self.time.len() / 4).max(4096);
        self.time.reserve_exact(extra);
        self.file.reserve_exact(extra);
        self.raw_chunk.reserve_exact(extra);
        self.raw_off.reserve_exact(extra);
        self.raw_len.reserve_exact(extra);
        self.facts.reserve_exact(extra);
        for c in &mut self.cols {
            c.reserve_exact(extra);
        }
    }

    /// A row's raw text while the owned file text `raw` refers to is still being read (its slot
    /// is empty until [`Store::end_owned`]).
    fn raw_reading<'a>(&'a self, row: usize, raw: RawText<'a>) -> &'a str {
        match raw {
            RawText::InDoc { doc, slot, .. } if self.raw_chunk.get(row) == Some(&slot) => {
                match (self.raw_off.get(row), self.raw_len.get(row)) {
                    (Some(&o), Some(&l)) => doc.get(o as usize..(o + l) as usize).unwrap_or(""),
                    _ => "",
                }
            }
            _ => self.raw(row),
        }
    }

    /// Adds one event of file `file` unless the same compact record is already stored. `raw` is
    /// the record text without insignificant whitespace; `values` the indexed fields in
    /// [`Column::ALL`] order; `facts` the row's bits of [`Store::absent`] and [`IDENTITY_TEXT`].
    pub(crate) fn push_event(
        &mut self,
        file: u32,
        raw: RawText<'_>,
        (time_ms, facts): (Option<i64>, u16),
        values: &[Cow<'_, str>; NCOLS],
    ) -> Pushed {
        let compact = raw.text();
        let hash = Dedupe::hash(compact);
        if self.dedupe.rows(hash).any(|r| self.raw_reading(r as usize, raw) == compact) {
            return Pushed::Duplicate;
        }
        self.dedupe.insert(hash, self.time.len() as u32);
        if self.time.len() == self.time.capacity() {
            self.grow();
        }
        let (chunk, off) = match raw {
            RawText::Copy(t) => self.texts.push(t),
            RawText::InDoc { slot, off, .. } => (slot, off as u32),
        };
        self.raw_chunk.push(chunk);
        self.raw_off.push(off);
        self.raw_len.push(compact.len() as u32);
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

    /// Starts reading a file text the store will own: returns the slot its records refer to.
    pub(crate) fn begin_owned(&mut self) -> u32 {
        self.texts.reserve()
    }

    /// Ends reading the owned `text` of `slot`, whose rows start at `first_row`. The text is kept
    /// when its records make up at least 3/4 of it (the usual compact log file: the records are
    /// then never copied); otherwise (a pretty-printed file whose records were compacted into the
    /// arena, a file of duplicates, a wrapper around little) the few records that refer to it are
    /// copied into the arena and the text is dropped, so it never holds much dead weight.
    pub(crate) fn end_owned(&mut self, slot: u32, mut text: String, first_row: usize) {
        let rows = first_row..self.raw_chunk.len();
        let in_slot = |s: &Store, r: usize| s.raw_chunk.get(r) == Some(&slot);
        let used: u64 = rows
            .clone()
            .filter(|&r| in_slot(self, r))
            .map(|r| u64::from(self.raw_len.get(r).copied().unwrap_or(0)))
            .sum();
        if used * 4 >= text.len() as u64 * 3 && used > 0 {
            if text.capacity() > text.len() + text.len() / 8 {
                text.shrink_to_fit();
            }
            self.texts.fill(slot, text);
            return;
        }
        for r in rows {
            if !in_slot(self, r) {
                continue;
            }
            let (Some(&o), Some(&l)) = (self.raw_off.get(r), self.raw_len.get(r)) else {
                continue;
            };
            let (chunk, off) =
                self.texts.push(text.get(o as usize..(o + l) as usize).unwrap_or(""));
            if let (Some(c), Some(of)) = (self.raw_chunk.get_mut(r), self.raw_off.get_mut(r)) {
                *c = chunk;
                *of = off;
            }
        }
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

    /// Decompressed bytes the total limit still allows.
    pub(crate) fn bytes_left(&self) -> u64 {
        self.limits.max_total_bytes.saturating_sub(self.total_bytes)
    }

    /// Counts `n` decompressed bytes read against the total limit.
    pub(crate) fn count_bytes(&mut self, n: u64) {
        self.total_bytes += n;
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
