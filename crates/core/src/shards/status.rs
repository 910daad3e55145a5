//! The tab's status from its workers' statuses: counts, progress, index and memory add up; the
//! file list is every worker's lines in the order they came; the generation is the sum of
//! theirs (each only grows, so the sum changes exactly when one of them does); the notices merge
//! into one said with the tab's counts.

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
    /// The tab's file list as (worker, line) in the order the lines first came: a worker's new
    /// lines go at the end, so the page's list only grows at its end while a load runs (in
    /// workers' order, every status would move one worker's lines and the page would draw
    /// them all again).
    order: Vec<(usize, usize)>,
}

impl Statuses {
    pub(super) fn new(of: usize) -> Self {
        Statuses {
            last: vec![None; of],
            progress: vec![None; of],
            files: vec![Vec::new(); of],
            files_changed: false,
            order: Vec::new(),
        }
    }

    /// Takes worker `w`'s status in.
    pub(super) fn take(&mut self, w: usize, mut s: Status) {
        if let (Some(files), Some(slot)) = (s.files.take(), self.files.get_mut(w)) {
            let (was, now) = (slot.len(), files.len());
            if now < was {
                self.order.retain(|&(o, i)| o != w || i < now);
            }
            self.order.extend((was..now).map(|i| (w, i)));
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
            let line = |&(w, i): &(usize, usize)| self.files.get(w).and_then(|f| f.get(i)).cloned();
            out.files = Some(self.order.iter().filter_map(line).collect());
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::Statuses;
    use crate::engine::{FileLine, FileState, Status};

    fn lines(names: &[&str]) -> Option<Vec<FileLine>> {
        let line = |n: &&str| FileLine {
            path: n.to_string(),
            status: FileState::Ok,
            summary: String::new(),
            details: Vec::new(),
        };
        Some(names.iter().map(line).collect())
    }

    fn paths(s: &mut Statuses) -> Vec<String> {
        s.merged().files.unwrap_or_default().into_iter().map(|f| f.path).collect()
    }

    #[test]
    fn the_file_list_grows_at_its_end() {
        let mut s = Statuses::new(2);
        s.take(0, Status { files: lines(&["a"]), ..Status::default() });
        s.take(1, Status { files: lines(&["x"]), ..Status::default() });
        assert_eq!(paths(&mut s), ["a", "x"]);
        // Worker 0's second file comes after worker 1's first, where it would have gone before.
        s.take(0, Status { files: lines(&["a", "b"]), ..Status::default() });
        s.take(1, Status { files: lines(&["x", "y"]), ..Status::default() });
        assert_eq!(paths(&mut s), ["a", "x", "b", "y"]);
        // A line that changes keeps its place; a list that shrinks loses its lines.
        let mut changed = lines(&["a", "b"]).unwrap_or_default();
        changed[1].summary = "done".into();
        s.take(0, Status { files: Some(changed), ..Status::default() });
        let merged = s.merged().files.unwrap_or_default();
        assert_eq!((merged[2].path.as_str(), merged[2].summary.as_str()), ("b", "done"));
        s.take(1, Status { files: lines(&[]), ..Status::default() });
        s.take(0, Status { files: lines(&["c"]), ..Status::default() });
        assert_eq!(paths(&mut s), ["c"]);
    }
}
