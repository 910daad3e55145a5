//! Progress of a streaming `--out` on stderr: files done / total, bytes read, events written
//! and the decompressed MB/s, at most one line a second (and one at the end), so a long run
//! shows it is alive without flooding a terminal or a log; stdout keeps only the summary.

use std::time::{Duration, Instant};

pub struct Progress {
    total_files: usize,
    started: Instant,
    last: Instant,
}

/// Bytes in MB (1e6), one decimal.
fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

impl Progress {
    pub fn new(total_files: usize) -> Self {
        let now = Instant::now();
        Progress { total_files, started: now, last: now }
    }

    fn line(&self, files: usize, bytes: u64, written: u64) -> String {
        let s = self.started.elapsed().as_secs_f64().max(1e-9);
        format!(
            "trailglass-scan: {files}/{} files, {} read ({:.0} MB/s), {written} events written",
            self.total_files,
            mb(bytes),
            bytes as f64 / 1e6 / s
        )
    }

    /// Prints a line when a second has passed since the last.
    pub fn tick(&mut self, files: usize, bytes: u64, written: u64) {
        if self.last.elapsed() >= Duration::from_secs(1) {
            self.last = Instant::now();
            eprintln!("{}", self.line(files, bytes, written));
        }
    }

    /// The last line, always printed.
    pub fn done(&self, files: usize, bytes: u64, written: u64) {
        eprintln!(
            "{} in {:.1} s",
            self.line(files, bytes, written),
            self.started.elapsed().as_secs_f64()
        );
    }
}
