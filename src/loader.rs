//! Reading the user's files in the browser and handing their bytes to the engine.
//!
//! Files are read one at a time with `FileReader` (gloo), then ingested into the store; between
//! files the task yields to the event loop so the progress bar repaints, and the views are told
//! of the new events a few times a second rather than after every file. This runs on the main
//! thread for now: moving reading and parsing into a Web Worker is tracked separately (the
//! engine API it calls does not change).

use std::cell::RefCell;
use std::collections::VecDeque;

use gloo::file::futures::read_as_bytes;
use gloo::timers::future::TimeoutFuture;
use leptos::prelude::*;
use trailglass_core::synth::{generate, SynthOptions};

use crate::folders::PathFile;
use crate::state::{Dataset, Progress};

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

fn size_of(f: &PathFile) -> u64 {
    f.file.as_ref().map_or(0, |f| f.size().max(0.0) as u64)
}

thread_local! {
    /// Files waiting to be read. A drop during a load joins the running load's queue (and its
    /// progress bar) instead of starting a second reader that would interleave with it.
    static QUEUE: RefCell<VecDeque<PathFile>> = const { RefCell::new(VecDeque::new()) };
}

/// Drops the files still waiting to be read (the one being read finishes).
pub fn cancel_queue() {
    QUEUE.with(|q| q.borrow_mut().clear());
}

/// Reads `files` into the dataset, updating `progress` as it goes. When a load is already
/// running, the files join its queue and this returns at once.
pub async fn load_files(ds: Dataset, files: Vec<PathFile>) {
    let bytes: u64 = files.iter().map(size_of).sum();
    let count = files.len();
    QUEUE.with(|q| q.borrow_mut().extend(files));
    if ds.progress.get_untracked().is_some() {
        ds.progress.update(|p| {
            if let Some(p) = p {
                p.files_total += count;
                p.bytes_total += bytes;
            }
        });
        return;
    }
    ds.progress.set(Some(Progress { files_total: count, bytes_total: bytes, ..Progress::default() }));
    // The views are told of new events at most this often while a load runs, and at its end.
    const REFRESH_MS: f64 = 400.0;
    let mut last_refresh = js_sys::Date::now();
    while let Some(f) = QUEUE.with(|q| q.borrow_mut().pop_front()) {
        let size = size_of(&f);
        ds.progress.update(|p| {
            if let Some(p) = p {
                p.current = f.path.clone();
            }
        });
        // Let the browser paint the progress before the (synchronous) parse.
        TimeoutFuture::new(0).await;
        match f.file {
            Some(file) => match read_as_bytes(&gloo::file::Blob::from(file)).await {
                Ok(bytes) => ds.ingest_quietly(&f.path, &bytes),
                Err(err) => ds.unreadable(&f.path, &format!("the browser could not read this file: {err}")),
            },
            None => ds.unreadable(&f.path, "the browser would not give this file"),
        }
        ds.progress.update(|p| {
            if let Some(p) = p {
                p.files_done += 1;
                p.bytes_done += size;
            }
        });
        if js_sys::Date::now() - last_refresh >= REFRESH_MS {
            ds.touch();
            last_refresh = js_sys::Date::now();
        }
    }
    ds.touch();
    ds.progress.set(None);
}

/// The built-in sample: a few thousand generated events of a small organisation's accounts,
/// with an incident hidden in them (see `trailglass_core::synth`).
pub fn load_sample(ds: Dataset) {
    let opts = SynthOptions {
        events: 4000,
        events_per_file: 500,
        attack_story: true,
        ..SynthOptions::default()
    };
    for file in generate(&opts) {
        ds.ingest_quietly(&format!("sample/{}", file.path), &file.bytes);
    }
    ds.touch();
}
