//! Handing the user's files to the data worker. The page never reads them: the `File` objects
//! (cheap handles) go to the worker, which reads, decompresses and parses them off this thread
//! and reports progress (`src/bin/worker.rs`).

use trailglass_core::engine::Request;

use crate::client::{send, send_files};
use crate::folders::PathFile;

/// The path shown for a file: its path inside a picked folder when there is one, else its name.
fn display_path(file: &web_sys::File) -> String {
    let rel = js_sys::Reflect::get(file, &"webkitRelativePath".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    if rel.is_empty() { file.name() } else { rel }
}

/// Files from a picker or a plain drop, each with the path to show for it.
pub fn with_paths(files: Vec<web_sys::File>) -> Vec<PathFile> {
    files.into_iter().map(|f| PathFile { path: display_path(&f), file: Some(f) }).collect()
}

/// Sends `files` to the worker to read. A load already running takes them into its queue (and
/// its progress bar).
pub fn load_files(files: Vec<PathFile>) {
    let mut paths = Vec::new();
    let mut handles = Vec::new();
    let mut missing = Vec::new();
    for f in files {
        match f.file {
            Some(file) => {
                paths.push(f.path);
                handles.push(file);
            }
            None => missing.push(f.path),
        }
    }
    send_files(paths, handles, missing);
}

/// Stops the running load after the file being read; what was read stays.
pub fn cancel_load() {
    send(&Request::Cancel);
}

/// Forgets every loaded file (and stops a load).
pub fn clear() {
    send(&Request::Clear);
}

/// Events in the built-in sample.
pub const SAMPLE_EVENTS: usize = 4000;

/// The built-in sample: a few thousand generated events of a small organisation's accounts,
/// with an incident hidden in them (see `trailglass_core::synth`), generated in the worker.
pub fn load_sample() {
    send(&Request::Sample { events: SAMPLE_EVENTS });
}
