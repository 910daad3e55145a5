//! Reading the user's files in the browser and handing their bytes to the engine.
//!
//! Files are read one at a time with `FileReader` (gloo), then ingested into the store; between
//! files the task yields to the event loop so the progress bar repaints. This runs on the main
//! thread for now: moving reading and parsing into a Web Worker is tracked separately (the
//! engine API it calls does not change).

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

/// Reads `files` into the dataset, updating `progress` as it goes.
pub async fn load_files(ds: Dataset, files: Vec<PathFile>) {
    let size_of = |f: &PathFile| f.file.as_ref().map_or(0, |f| f.size().max(0.0) as u64);
    let bytes_total: u64 = files.iter().map(size_of).sum();
    ds.progress.set(Some(Progress {
        files_total: files.len(),
        bytes_total,
        ..Progress::default()
    }));
    for f in files {
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
                Ok(bytes) => ds.ingest(&f.path, &bytes),
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
    }
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
        ds.ingest(&format!("sample/{}", file.path), &file.bytes);
    }
}
