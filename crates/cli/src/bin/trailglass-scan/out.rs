//! The writers of `--out`: NDJSON (one event's JSON a line), CloudTrail's `{"Records":[…]}`
//! written incrementally (the opening at creation, a comma before every event but the first, the
//! closing at [`Sink::finish`]), and Parquet (`trailglass-parquet`, bounded row groups). Each
//! takes one event at a time from a store that is about to be dropped, so nothing here grows
//! with the input (Parquet keeps at most one row group).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use trailglass_core::Store;
use trailglass_parquet::{event_id, Event, ParquetWriter};

/// The format of `--out`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Ndjson,
    Records,
    Parquet,
}

impl Format {
    /// By `--format`'s value.
    pub fn from_name(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "ndjson" | "jsonl" => Some(Format::Ndjson),
            "records" | "json" => Some(Format::Records),
            "parquet" => Some(Format::Parquet),
            _ => None,
        }
    }

    /// By the file's extension: `.ndjson`/`.jsonl`, `.json`, `.parquet`.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?;
        match ext.to_ascii_lowercase().as_str() {
            "ndjson" | "jsonl" => Some(Format::Ndjson),
            "json" => Some(Format::Records),
            "parquet" => Some(Format::Parquet),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Ndjson => "ndjson",
            Format::Records => "records",
            Format::Parquet => "parquet",
        }
    }
}

enum Kind {
    Ndjson(BufWriter<File>),
    Records(BufWriter<File>),
    Parquet(Box<ParquetWriter<BufWriter<File>>>),
}

/// An open `--out` file.
pub struct Sink {
    kind: Kind,
    path: PathBuf,
    written: u64,
}

/// A write error with where and what to do.
fn failed(path: &Path, e: impl std::fmt::Display) -> String {
    format!(
        "cannot write {}: {e} (check the disk space and that the folder is writable)",
        path.display()
    )
}

impl Sink {
    /// Creates (or truncates) `path` and writes the format's opening.
    pub fn create(path: &Path, format: Format) -> Result<Sink, String> {
        let file = File::create(path).map_err(|e| {
            format!(
                "cannot create {}: {e} (check that its folder exists and is writable)",
                path.display()
            )
        })?;
        let mut w = BufWriter::with_capacity(1 << 20, file);
        let kind = match format {
            Format::Ndjson => Kind::Ndjson(w),
            Format::Records => {
                w.write_all(b"{\"Records\":[").map_err(|e| failed(path, e))?;
                Kind::Records(w)
            }
            Format::Parquet => {
                Kind::Parquet(Box::new(ParquetWriter::new(w).map_err(|e| failed(path, e))?))
            }
        };
        Ok(Sink { kind, path: path.to_path_buf(), written: 0 })
    }

    /// Writes `row` of `store`, whose record text is `raw`.
    pub fn write(&mut self, store: &Store, row: usize, raw: &str) -> Result<(), String> {
        let r = match &mut self.kind {
            Kind::Ndjson(w) => w.write_all(raw.as_bytes()).and_then(|()| w.write_all(b"\n")),
            Kind::Records(w) => {
                let sep: &[u8] = if self.written == 0 { b"\n" } else { b",\n" };
                w.write_all(sep).and_then(|()| w.write_all(raw.as_bytes()))
            }
            Kind::Parquet(p) => {
                let id = event_id(raw);
                let e = Event::from_store(store, row, raw, id.as_deref());
                p.push(&e).map_err(std::io::Error::other)
            }
        };
        r.map_err(|e| failed(&self.path, e))?;
        self.written += 1;
        Ok(())
    }

    /// Events written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Writes the format's closing and flushes; the events written.
    pub fn finish(self) -> Result<u64, String> {
        let path = &self.path;
        match self.kind {
            Kind::Ndjson(mut w) => w.flush().map_err(|e| failed(path, e))?,
            Kind::Records(mut w) => {
                w.write_all(b"\n]}\n").and_then(|()| w.flush()).map_err(|e| failed(path, e))?
            }
            Kind::Parquet(p) => {
                let (mut w, _) = p.finish().map_err(|e| failed(path, e))?;
                w.flush().map_err(|e| failed(path, e))?;
            }
        }
        Ok(self.written)
    }
}
