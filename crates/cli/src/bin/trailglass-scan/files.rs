//! The inputs and their reports: the files under the given paths (folders walked recursively,
//! in name order), how one file's bytes go into a store (a Parquet file's rows through
//! `trailglass_parquet::read` first, as the page's Parquet worker does), and the JSON line a
//! file's [`FileReport`] becomes in the summary. Shared by the whole-input scan and the streaming
//! `--out`, so both read and describe a file the same way.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use trailglass_core::{is_parquet, FileReport, ReadOptions, Store, Totals};
use trailglass_parquet::read::{read_rows, Limits};

/// Reads one file's `bytes` into `store`: a Parquet file as its rows (JSON lines), anything else
/// as it is.
pub fn ingest(store: &mut Store, path: &str, bytes: Vec<u8>) {
    if !is_parquet(&bytes) {
        store.ingest_owned(path, bytes);
        return;
    }
    let max_output_bytes = usize::try_from(store.limits().max_file_bytes).unwrap_or(usize::MAX);
    let (lines, from) = read_rows(bytes, Limits { max_output_bytes });
    store.ingest_parquet_rows(path, lines, &from, ReadOptions::default());
}

/// Appends `p` (a file) or the files under `p` (a folder, recursively, sorted) to `out`.
pub fn collect(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(p) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                eprintln!("cannot list {}: {e}", p.display());
                return;
            }
        };
        entries.sort();
        for e in entries {
            collect(&e, out);
        }
    } else {
        out.push(p.to_path_buf());
    }
}

/// The summary's entry for one file (or archive member).
pub fn file_json(f: &FileReport) -> Value {
    json!({
        "path": f.path,
        "member": f.member,
        "format": f.format,
        "status": format!("{:?}", f.status()),
        "events": f.events,
        "kept": f.kept,
        "duplicates": f.duplicates,
        "rejected": f.rejected,
        "digests": f.digests,
        "bytes": f.bytes,
        "error": f.error.as_ref().map(|e| e.to_string()),
        "skipped": f.skipped,
        "notes": f.notes,
        "rejections": f.rejections.iter().map(|r| json!({
            "reason": r.reason, "count": r.count, "first": r.first.map(|p| p.to_string())
        })).collect::<Vec<_>>(),
    })
}

/// The summary's entry for a file that could not be read at all.
pub fn io_error_json(path: &Path, member: Option<&str>, e: &std::io::Error) -> Value {
    json!({"path": path.to_string_lossy(), "member": member, "error": e.to_string()})
}

/// The summary's part common to the whole-input scan and `--out`: the file lines and the totals.
pub fn summary(files: Vec<Value>, t: &Totals, seconds: f64) -> Value {
    json!({
        "files": files,
        "events": t.read,
        "kept": t.kept,
        "duplicates": t.duplicates,
        "rejected": t.rejected,
        "digests": t.digests,
        "bytes": t.bytes,
        "seconds": seconds,
    })
}
