//! Handing the user's files to the data worker. The page never reads them: the `File` objects
//! (cheap handles) go to the worker, which reads, decompresses and parses them off this thread
//! and reports progress (`crates/worker/src/main.rs`).
//!
//! A big drop whose AWS key paths span several days, accounts or regions is first offered for a
//! choice ([`offer`]; the rule is `TreeSummary::worth_choosing` in the engine's `plan`): its
//! files wait here, the panel shows their summary, and the user reads what they chose
//! ([`read_chosen`]: the files left out go to the worker as paths alone, never read), everything
//! ([`read_everything`]), or nothing ([`drop_offer`]).

use std::cell::RefCell;

use leptos::prelude::Set;

use trailglass_core::engine::{LeftOut, ReadOptions, Request};
use trailglass_core::plan::{LoadFilter, TreeSummary};

use crate::model::load_choice::LoadChoice;
use crate::state::Dataset;
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
    files.into_iter().map(|f| PathFile::new(display_path(&f), Some(f))).collect()
}

/// Files per message to the worker. Posting a `File` costs the page ~0.2 ms (structured clone),
/// so 500 files in one message would hold the page ~90 ms; batches with a turn of the event loop
/// between them keep every task short.
const BATCH: usize = 50;

thread_local! {
    /// Bumped by Cancel and Clear, so batches not yet sent are dropped.
    static EPOCH: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// The files of a drop waiting for the user's choice (`Dataset::choice` shows their summary).
    static OFFERED: RefCell<Vec<PathFile>> = const { RefCell::new(Vec::new()) };
}

fn size_of(f: &PathFile) -> u64 {
    f.size
}

/// Reads `files` at once, or, when the drop is worth a choice (with any files already waiting
/// for one), keeps them and opens the "Choose what to read" panel.
pub fn offer(ds: Dataset, files: Vec<PathFile>) {
    let (tree, waiting) = OFFERED.with(|o| {
        let mut o = o.borrow_mut();
        o.extend(files);
        let tree = TreeSummary::of(o.iter().map(|f| (f.path.as_str(), size_of(f))));
        let now = (!tree.worth_choosing()).then(|| std::mem::take(&mut *o));
        (tree, now)
    });
    match waiting {
        Some(files) => {
            ds.choice.set(None);
            load_files(files);
        }
        None => ds.choice.set(Some(LoadChoice::new(tree))),
    }
}

/// Reads the waiting files `filter` keeps; the others are listed as left out by choice.
pub fn read_chosen(ds: Dataset, filter: &LoadFilter) {
    let files = OFFERED.with(|o| std::mem::take(&mut *o.borrow_mut()));
    ds.choice.set(None);
    let (read, left) = filter.split(files, |f| f.path.as_str());
    let left_out =
        left.iter().map(|f| LeftOut { path: f.path.clone(), bytes: size_of(f) }).collect();
    send_load(read, left_out, filter.read_options());
}

/// Reads every waiting file, as if no choice had been offered.
pub fn read_everything(ds: Dataset) {
    let files = OFFERED.with(|o| std::mem::take(&mut *o.borrow_mut()));
    ds.choice.set(None);
    load_files(files);
}

/// Forgets the waiting files: nothing is read.
pub fn drop_offer(ds: Dataset) {
    OFFERED.with(|o| o.borrow_mut().clear());
    ds.choice.set(None);
}

/// Sends `files` to the worker to read, in batches. A load already running takes them into its
/// queue (and its progress bar).
pub fn load_files(files: Vec<PathFile>) {
    send_load(files, Vec::new(), ReadOptions::default());
}

/// [`load_files`], with the files the user left out (listed, not read) and what to leave out
/// of those read.
fn send_load(files: Vec<PathFile>, left_out: Vec<LeftOut>, options: ReadOptions) {
    let mut batches: Vec<(Vec<String>, Vec<web_sys::File>, Vec<u64>)> = Vec::new();
    let mut missing = Vec::new();
    for f in files {
        match f.file {
            Some(file) => {
                if batches.last().is_none_or(|(p, _, _)| p.len() >= BATCH) {
                    batches.push((Vec::new(), Vec::new(), Vec::new()));
                }
                if let Some((paths, handles, sizes)) = batches.last_mut() {
                    paths.push(f.path);
                    handles.push(file);
                    sizes.push(f.size);
                }
            }
            None => missing.push(f.path),
        }
    }
    let mut batches = batches.into_iter();
    let (paths, handles, sizes) = batches.next().unwrap_or_default();
    send_files(paths, handles, sizes, missing, left_out, options);
    let rest: Vec<_> = batches.collect();
    if !rest.is_empty() {
        let epoch = EPOCH.get();
        leptos::task::spawn_local(async move {
            for (paths, handles, sizes) in rest {
                gloo::timers::future::TimeoutFuture::new(0).await;
                // Cancel or Clear in between: the rest is not sent.
                if EPOCH.get() != epoch {
                    return;
                }
                send_files(paths, handles, sizes, Vec::new(), Vec::new(), options);
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
