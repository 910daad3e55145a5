//! The load policy: which file is read next, when a running load tells the page (a Status, a
//! recomputed Answer), when it lets the event loop run, when the memory budget stops it, and
//! what Cancel and Clear do to it. It is a plain state machine: the clock is an argument
//! (`now_ms`, milliseconds from any origin), the files are opaque handles of type `F` (a browser
//! `File` in the worker, bytes in tests), so every decision is tested natively while the worker
//! only reads bytes and posts messages.
//!
//! The cadence: a Status at most every [`STATUS_MS`]; an Answer (which recounts every facet, so
//! its cost grows with the data) after the first file and then at least [`ANSWER_MS`] and at
//! least four times its last cost apart, so recomputing stays a small share of the load; a yield
//! to the event loop at least every [`YIELD_MS`], so a query or Cancel sent during a load is
//! answered within a file or so.

use std::collections::VecDeque;

use super::notice::Notice;
use crate::store::Store;
use crate::ReadOptions;

/// How often the page hears of a running load (progress, counts).
pub const STATUS_MS: f64 = 250.0;
/// The least time between two recomputed answers during a load (it grows with their cost).
pub const ANSWER_MS: f64 = 1000.0;
/// The load yields to the event loop at least this often, so requests (a query, Cancel) are
/// answered while it runs.
pub const YIELD_MS: f64 = 60.0;

/// A queued file: its path, its size in bytes, the caller's handle to its bytes, and what the
/// user chose to leave out of it (the options of the load request it came in).
#[derive(Clone, Debug, PartialEq)]
pub struct Pending<F> {
    pub path: String,
    pub size: u64,
    pub file: F,
    pub options: ReadOptions,
}

/// What the load loop does after a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    /// Nothing to tell yet: read the next file.
    Nothing,
    /// Post a Status.
    Status,
    /// Recompute the answer, post a Status and the Answer, and report the cost
    /// ([`Cadence::answered`]).
    Answer,
    /// The load ends here (the budget is full, or Clear came while the file was read).
    Stop,
}

/// The timing of one running load.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cadence {
    last_status: f64,
    last_answer: f64,
    answer_cost: f64,
    last_yield: f64,
}

impl Cadence {
    /// A load starting at `now_ms`: its first answer is due after its first file, so the page
    /// shows events at once.
    pub fn new(now_ms: f64) -> Self {
        Cadence {
            last_status: now_ms,
            last_answer: f64::NEG_INFINITY,
            answer_cost: 0.0,
            last_yield: now_ms,
        }
    }

    /// Whether the load should let the event loop run before its next file.
    pub fn should_yield(&self, now_ms: f64) -> bool {
        now_ms - self.last_yield >= YIELD_MS
    }

    /// The event loop ran until `now_ms`.
    pub fn yielded(&mut self, now_ms: f64) {
        self.last_yield = now_ms;
    }

    /// What is due after a file finished at `now_ms`.
    pub fn due(&self, now_ms: f64) -> Due {
        if now_ms - self.last_answer >= ANSWER_MS.max(self.answer_cost * 4.0) {
            Due::Answer
        } else if now_ms - self.last_status >= STATUS_MS {
            Due::Status
        } else {
            Due::Nothing
        }
    }

    /// An answer that took `cost_ms` to compute was posted (with a Status) at `now_ms`.
    pub fn answered(&mut self, cost_ms: f64, now_ms: f64) {
        self.answer_cost = cost_ms;
        self.last_answer = now_ms;
        self.last_status = now_ms;
    }

    /// A Status was posted at `now_ms`.
    pub fn status_posted(&mut self, now_ms: f64) {
        self.last_status = now_ms;
    }
}

/// The queue of files and the state of the load reading it.
#[derive(Debug)]
pub struct Load<F> {
    queue: VecDeque<Pending<F>>,
    /// A load loop is running (it ends by [`Load::finish`]).
    running: bool,
    /// Cancel (or Clear) came: the loop stops before its next file.
    cancelled: bool,
    /// Bumped by Clear: a file read before it is not stored after it.
    epoch: u64,
    /// The epoch the running load started in.
    started_in: u64,
    /// Files taken off the queue by the loop and not finished yet.
    in_flight: usize,
    /// Why the running load stopped early, once it did.
    notice: Option<Notice>,
    cadence: Cadence,
}

impl<F> Default for Load<F> {
    fn default() -> Self {
        Load {
            queue: VecDeque::new(),
            running: false,
            cancelled: false,
            epoch: 0,
            started_in: 0,
            in_flight: 0,
            notice: None,
            cadence: Cadence::new(0.0),
        }
    }
}

impl<F> Load<F> {
    /// Whether a load loop is running.
    pub fn running(&self) -> bool {
        self.running
    }

    /// Queues files; true when no load runs yet, so the caller starts one (at `now_ms`).
    pub fn enqueue(&mut self, files: impl IntoIterator<Item = Pending<F>>, now_ms: f64) -> bool {
        self.queue.extend(files);
        if self.running {
            return false;
        }
        self.running = true;
        self.cancelled = false;
        self.started_in = self.epoch;
        self.in_flight = 0;
        self.notice = None;
        self.cadence = Cadence::new(now_ms);
        true
    }

    /// Cancel: the running load stops after the file being read, keeping what was read.
    pub fn cancel(&mut self) {
        if self.running {
            self.cancelled = true;
            self.queue.clear();
        }
    }

    /// Clear: the queue is dropped, the running load stops, and the file it is reading is not
    /// stored.
    pub fn clear(&mut self) {
        self.queue.clear();
        self.cancelled = self.running;
        self.epoch += 1;
    }

    /// Whether the running load was cleared since it started.
    pub fn cleared(&self) -> bool {
        self.epoch != self.started_in
    }

    /// Whether the loop stops before its next file.
    pub fn stopping(&self) -> bool {
        self.cancelled
    }

    /// The next file to read, unless the load stops.
    pub fn next_file(&mut self) -> Option<Pending<F>> {
        if self.cancelled {
            return None;
        }
        let next = self.queue.pop_front()?;
        self.in_flight += 1;
        Some(next)
    }

    /// A file taken by [`Load::next_file`] is done.
    pub fn file_done(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    /// `store`'s budget is full: drops the queue and keeps the notice to show (with how many
    /// files, the current one included, are left unread).
    pub fn stop_full(&mut self, store: &Store) {
        let left = self.queue.len() + self.in_flight;
        self.queue.clear();
        self.notice = Some(Notice::full(store, left as u64));
    }

    /// The load loop ended: the notice to show (why it stopped early, if it did).
    pub fn finish(&mut self) -> Option<Notice> {
        let cancelled = std::mem::take(&mut self.cancelled);
        self.running = false;
        self.in_flight = 0;
        let mut notice = self.notice.take();
        if notice.is_none() && cancelled && !self.cleared() {
            notice = Some(Notice::Cancelled);
        }
        notice
    }

    pub fn cadence(&self) -> &Cadence {
        &self.cadence
    }

    pub fn cadence_mut(&mut self) -> &mut Cadence {
        &mut self.cadence
    }
}

/// Whether a file may still be read: `Err` with the message to show when the store's total
/// budget would not hold it. `decompressed` is the size it will have once decompressed when
/// known (see [`gzip_declared_size`]), else its size.
pub fn fits(store: &Store, decompressed: u64) -> Result<(), String> {
    let used = store.memory_needed();
    let grows = decompressed.saturating_mul(STORED_PER_BYTE.0) / STORED_PER_BYTE.1;
    if used.saturating_add(grows) > store.limits().max_memory_bytes && !store.is_empty() {
        return Err(budget_message(store));
    }
    Ok(())
}

/// What the store and its text index grow by per decompressed byte read, as a fraction (a
/// little over what was measured on CloudTrail logs: ~0.38 for compressed records, columns and
/// index; BENCHMARKS.md, "The compressed store").
const STORED_PER_BYTE: (u64, u64) = (2, 5);

/// The message when the memory budget is full.
pub fn budget_message(store: &Store) -> String {
    Notice::full(store, 0).text(&store.totals())
}

/// The uncompressed size a gzip file declares in its trailer (ISIZE, modulo 2^32), when `bytes`
/// starts like gzip; `None` otherwise. The budget check reads it before the file is decompressed.
pub fn gzip_declared_size(bytes: &[u8]) -> Option<u64> {
    if bytes.len() < 18 || bytes.get(..2) != Some(&[0x1f, 0x8b][..]) {
        return None;
    }
    let t = bytes.get(bytes.len() - 4..)?;
    Some(u32::from_le_bytes([*t.first()?, *t.get(1)?, *t.get(2)?, *t.get(3)?]) as u64)
}

/// The bytes a file needs in the budget: its decompressed size when its gzip trailer says it,
/// never less than its size.
pub(super) fn budget_need(bytes: &[u8], size: u64) -> u64 {
    gzip_declared_size(bytes).unwrap_or(size).max(size)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
mod tests;
