//! The tab's status from its workers' statuses: counts, progress, index and memory add up; the
//! file list is every worker's list; the generation is the sum of theirs (each only grows, so
//! the sum changes exactly when one of them does); the notices merge into one said with the
//! tab's counts.

use crate::engine::{FileLine, Notice, Progress, Status};

/// The last status of each worker and its last file list (a status carries the list only when
/// it changed).
#[derive(Default)]
pub(super) struct Statuses {
    last: Vec<Option<Status>>,
    /// Each worker's progress in the running load, kept when it finished before the others
    /// (it then counts as done).
    progress: Vec<Option<Progress>>,
    files: Vec<Vec<FileLine>>,
    files_changed: bool,
}

impl Statuses {
    pub(super) fn new(of: usize) -> Self {
        Statuses {
            last: vec![None; of],
            progress: vec![None; of],
            files: vec![Vec::new(); of],
            files_changed: false,
        }
    }

    /// Takes worker `w`'s status in.
    pub(super) fn take(&mut self, w: usize, mut s: Status) {
        if let (Some(files), Some(slot)) = (s.files.take(), self.files.get_mut(w)) {
            *slot = files;
            self.files_changed = true;
        }
        if let (Some(p), Some(slot)) = (&s.progress, self.progress.get_mut(w)) {
            *slot = Some(p.clone());
        }
        if let Some(slot) = self.last.get_mut(w) {
            *slot = Some(s);
        }
    }

    /// Whether a worker's last status says it is loading.
    pub(super) fn loading(&self) -> bool {
        self.last.iter().flatten().any(|s| s.progress.is_some())
    }

    /// The tab's status (the file list when a worker's changed since the last call).
    pub(super) fn merged(&mut self) -> Status {
        let mut out = Status::default();
        for s in self.last.iter().flatten() {
            out.totals += s.totals;
            out.generation += s.generation;
            out.indexed += s.indexed;
            out.heap_bytes += s.heap_bytes;
        }
        let running = self.last.iter().flatten().any(|s| s.progress.is_some());
        if !running {
            self.progress.iter_mut().for_each(|p| *p = None);
        }
        out.progress = running.then(|| {
            let mut p = Progress::default();
            for (last, kept) in self.last.iter().zip(&self.progress) {
                let now = last.as_ref().and_then(|s| s.progress.as_ref());
                let Some(r) = now.or(kept.as_ref()) else { continue };
                // A worker that finished first counts as done.
                let done = now.is_none();
                p.files_done += if done { r.files_total } else { r.files_done };
                p.files_total += r.files_total;
                p.bytes_done += if done { r.bytes_total } else { r.bytes_done };
                p.bytes_total += r.bytes_total;
                if p.current.is_empty() && !done {
                    p.current.clone_from(&r.current);
                }
            }
            p
        });
        out.notice = Notice::merge(self.last.iter().flatten().filter_map(|s| s.notice.as_ref()));
        if std::mem::take(&mut self.files_changed) {
            out.files = Some(self.files.concat());
        }
        out
    }
}
