//! Identity benchmarks for `trailglass-bench`: who is behind every event of the store
//! (`trailglass_core::identity`). Prints, single thread:
//!
//! * `identities_cold_ms`: the first resolution of the whole store (it reads one record per
//!   caller group, every STS call that issues credentials and every console sign-in);
//! * `identities_grown_ms`: resolving again after the last 1% of the rows were added (what each
//!   answer during a load pays: the new rows read, every row resolved again);
//! * `identities_sessions`, `identities_origins`, `identities_unknown` (events whose credentials
//!   were issued outside the logs), `identities_reads` (records read beyond the columns);
//! * `identities_bytes_per_event`: the resolver's memory over the store's events, and its parts
//!   (`rows`: the two per-row arrays; `groups`; `issues`: STS calls, sign-ins; `sessions`).
//!
//! Figures only, no assertions.

use std::time::Instant;

use trailglass_core::identity::Identities;
use trailglass_core::Store;

/// Runs the identity benchmarks: a cold resolution of `store`, and one of the same store built
/// again from `files` with the last 1% added after a first resolution.
pub fn run(store: &Store, files: &[(String, Vec<u8>)]) {
    let t = Instant::now();
    let mut ids = Identities::new();
    ids.update(store);
    println!("identities_cold_ms={:.2}", t.elapsed().as_secs_f64() * 1000.0);
    let n = store.len();
    let unknown = (0..n).filter(|&r| ids.origin_id(r).is_none()).count();
    let st = ids.stats();
    println!("identities_sessions={}", ids.sessions());
    println!("identities_origins={}", ids.origins().len());
    println!("identities_unknown={unknown}");
    println!("identities_reads={}", st.reads);
    let per = |x: usize| if n > 0 { x as f64 / n as f64 } else { 0.0 };
    println!("identities_bytes_per_event={:.1}", per(st.total()));
    println!(
        "identities_bytes_per_event_parts=rows:{:.1} groups:{:.1} issues:{:.1} sessions:{:.1}",
        per(st.row_bytes),
        per(st.group_bytes),
        per(st.issue_bytes),
        per(st.session_bytes)
    );
    drop(ids);

    let cut = files.len() - files.len() / 100;
    let mut grown = Store::new();
    for (path, bytes) in &files[..cut] {
        grown.ingest_owned(path, bytes.clone());
    }
    let mut ids = Identities::new();
    ids.update(&grown);
    for (path, bytes) in &files[cut..] {
        grown.ingest_owned(path, bytes.clone());
    }
    let t = Instant::now();
    ids.update(&grown);
    println!("identities_grown_ms={:.2}", t.elapsed().as_secs_f64() * 1000.0);
}
