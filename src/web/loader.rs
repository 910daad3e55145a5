//! Handing the user's files to the data worker. The page never reads them: the `File` objects
//! (cheap handles) go to the worker, which reads, decompresses and parses them off this thread
//! and reports progress (`crates/worker/src/main.rs`).

use trailglass_core::engine::Request;

use crate::web::folders::PathFile;
use crate::web::worker_client::{send, send_files};

/// The path shown for a file: its path inside a picked folder when there is one, else its name.
fn display_path(file: &web_sys::File) -> String {
    let rel = js_sys::Reflect::get(file, &"webkitRelativePath".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    if rel.is_empty() {
        file.name()
    } else {
        rel
    }
}

/// Files from a picker or a plain drop, each with the path to show for it.
pub fn with_paths(files: Vec<web_sys::File>) -> Vec<PathFile> {
    files.into_iter().map(|f| PathFile { path: display_path(&f), file: Some(f) }).collect()
}

/// Files per message to the worker. Posting a `File` costs the page ~0.2 ms (structured clone),
/// so 500 files in one message would hold the page ~90 ms; batches with a turn of the event loop
/// between them keep every task short.
const BATCH: usize = 50;

thread_local! {
    /// Bumped by Cancel and Clear, so batches not yet sent are dropped.
    static EPOCH: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Sends `files` to the worker to read, in batches. A load already running takes them into its
/// queue (and its progress bar).
pub fn load_files(files: Vec<PathFile>) {
    let mut batches: Vec<(Vec<String>, Vec<web_sys::File>)> = Vec::new();
    let mut missing = Vec::new();
    for f in files {
        match f.file {
            Some(file) => {
                if batches.last().is_none_or(|(p, _)| p.len() >= BATCH) {
                    batches.push((Vec::new(), Vec::new()));
                }
                if let Some((paths, handles)) = batches.last_mut() {
                    paths.push(f.path);
                    handles.push(file);
                }
            }
            None => missing.push(f.path),
        }
    }
    let mut batches = batches.into_iter();
    let (paths, handles) = batches.next().unwrap_or_default();
    send_files(paths, handles, missing);
    let rest: Vec<_> = batches.collect();
    if !rest.is_empty() {
        let epoch = EPOCH.get();
        leptos::task::spawn_local(async move {
            for (paths, handles) in rest {
                gloo::timers::future::TimeoutFuture::new(0).await;
                // Cancel or Clear in between: the rest is not sent.
                if EPOCH.get() != epoch {
                    return;
                }
                send_files(paths, handles, Vec::new());
            }
        });
    }
}

/// Stops the running load after the file being read; what was read stays.
pub fn cancel_load() {
    EPOCH.set(EPOCH.get() + 1);
    send(&Request::Cancel);
}

/// Forgets every loaded file (and stops a load).
pub fn clear() {
    EPOCH.set(EPOCH.get() + 1);
    send(&Request::Clear);
}

/// Events in the built-in sample.
pub const SAMPLE_EVENTS: usize = 4000;

/// The built-in sample: a few thousand generated events of a small organisation's accounts,
/// with an incident hidden in them (see the `trailglass-sample` crate), generated in the worker.
pub fn load_sample() {
    send(&Request::Sample { events: SAMPLE_EVENTS });
}
