//! The [`Engine`] as a load drives it: files announced, read and counted, the end of the load,
//! the text index built slice by slice, and the status the page shows meanwhile.

use super::{file_lines, Engine, COMPRESS_SLICE, INDEX_SLICE};
use crate::engine::protocol::{Answer, Progress, Status};
use crate::engine::Notice;
use crate::{Conversion, ReadOptions};

impl Engine {
    /// Announces `files` more files of `bytes` bytes to read (joining a running load).
    pub fn queue(&mut self, files: usize, bytes: u64) {
        let p = self.progress.get_or_insert_with(Progress::default);
        if p.files_total == 0 {
            self.notice = None;
        }
        p.files_total += files;
        p.bytes_total += bytes;
    }

    /// Marks `path` as the file being read.
    pub fn start_file(&mut self, path: &str) {
        if let Some(p) = &mut self.progress {
            p.current = path.to_string();
        }
    }

    /// Reads one file's bytes (any format the reader knows); the store keeps them as the home of
    /// their records when it can ([`crate::store::Store::ingest_owned`]).
    pub fn ingest(&mut self, path: &str, bytes: Vec<u8>) {
        self.ingest_with(path, bytes, ReadOptions::default());
    }

    /// [`Engine::ingest`] leaving out what the user chose at load ([`ReadOptions`]).
    pub fn ingest_with(&mut self, path: &str, bytes: Vec<u8>, options: ReadOptions) {
        self.store.ingest_owned_with(path, bytes, options);
    }

    /// Reads the JSON lines another reader made of a file ([`crate::read::Conversion`]).
    pub fn ingest_parquet_rows(
        &mut self,
        path: &str,
        lines: Vec<u8>,
        from: &Conversion,
        options: ReadOptions,
    ) {
        self.store.ingest_parquet_rows(path, lines, from, options);
    }

    /// Records a file that could not be read at all.
    pub fn unreadable(&mut self, path: &str, reason: &str) {
        self.store.add_unreadable(path, reason);
    }

    /// Records a file of `size` bytes the user left out with the load-time filter (not read).
    pub fn left_out(&mut self, path: &str, size: u64) {
        self.store.add_left_out(path, size);
    }

    /// Counts a file of `size` bytes as done.
    pub fn file_done(&mut self, size: u64) {
        if let Some(p) = &mut self.progress {
            p.files_done += 1;
            p.bytes_done += size;
        }
    }

    /// Ends the load (all read, cancelled or stopped), saying why when it stopped early.
    pub fn finish_load(&mut self, notice: Option<Notice>) {
        self.progress = None;
        self.load_json = None;
        self.notice = notice;
    }

    /// After new data: bumps the generation and recomputes the current answer, if any.
    pub fn refresh(&mut self) -> Option<Answer> {
        self.generation += 1;
        self.answer()
    }

    /// Extends the text index by one slice, or once it is whole compresses a slice of the
    /// record blocks whose compression was deferred (`store::texts`); true while either work
    /// remains.
    pub fn index_step(&mut self) -> bool {
        if self.index.rows() < self.store.len() {
            self.index.extend_by(&self.store, INDEX_SLICE);
            return self.index.rows() < self.store.len() || self.store.compress_waiting();
        }
        self.store.compress_deferred(COMPRESS_SLICE)
    }

    /// The status to push; the file list only when it changed since the last call.
    pub fn status(&mut self) -> Status {
        let key = (self.store.files().len(), self.generation);
        let files = (self.files_sent != Some(key)).then(|| {
            self.files_sent = Some(key);
            file_lines(&self.store)
        });
        Status {
            generation: self.generation,
            totals: self.store.totals(),
            files,
            progress: self.progress.clone(),
            notice: self.notice.clone(),
            indexed: self.index.rows(),
            heap_bytes: 0,
        }
    }
}
