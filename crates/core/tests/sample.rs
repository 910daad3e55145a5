//! The built-in sample read by the engine: every event kept, none rejected, the gzip copies all
//! duplicates, and every hour of the generated week has events.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use trailglass_core::Store;
use trailglass_sample::{generate, gzip, SynthOptions};

/// Every hour of the week has background events, right after the story too (the story's events
/// must not take consecutive background slots).
#[test]
fn story_leaves_no_hole_in_the_background() {
    let opts = SynthOptions { events: 4000, events_per_file: 500, ..SynthOptions::default() };
    let mut store = Store::new();
    for f in generate(&opts) {
        store.ingest_owned(&f.path, f.bytes);
    }
    let mut hours = vec![0u32; 7 * 24];
    for &t in store.times() {
        if let Some(h) = hours.get_mut(((t - opts.start_ms) / 3_600_000) as usize) {
            *h += 1;
        }
    }
    let empty: Vec<usize> =
        hours.iter().enumerate().filter(|(_, &c)| c == 0).map(|(h, _)| h).collect();
    assert!(empty.is_empty(), "hours without events: {empty:?}");
}

#[test]
fn store_round_trip() {
    let opts = SynthOptions { events: 7_777, events_per_file: 1000, ..SynthOptions::default() };
    let files = generate(&opts);
    let mut store = Store::new();
    for f in &files {
        store.ingest(&f.path, &f.bytes);
    }
    let t = store.totals();
    assert_eq!(t.kept, opts.events as u64, "{t:?}");
    assert_eq!(t.duplicates, 0, "{t:?}");
    assert_eq!(t.rejected, 0, "{t:?}");
    assert_eq!(store.len(), opts.events);
    // Same files again, gzipped: all duplicates.
    for f in &files {
        store.ingest(&format!("{}.gz", f.path), &gzip(&f.bytes));
    }
    let t = store.totals();
    assert_eq!(t.kept, opts.events as u64);
    assert_eq!(t.duplicates, opts.events as u64);
}
