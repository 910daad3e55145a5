//! Detection benchmarks for `trailglass-bench`: the built-in rules (every SigmaHQ, correlation
//! and finding rule) and one typical nested-path rule over the store. Prints, single thread:
//!
//! * `rules_all_cold_ms`: the first run with an empty path index (it reads the records the
//!   rules' nested paths need: what the first run after a load costs);
//! * `rules_all_median_ms` / `rules_all_p95_ms`: later runs, path index warm (what a re-run after
//!   a rule change or a view change costs; new rows since the last run are read incrementally);
//! * `rule_nested_cold_ms`, `rule_nested_median_ms` / `rule_nested_p95_ms`: the same for a rule
//!   testing `requestParameters.bucketName` with a wildcard and nothing else (every row a
//!   candidate: the worst case for a nested path), warm figures after one cold run;
//! * `rules_all_matches`, `rule_nested_rows`. Figures only, no assertions.

use std::time::Instant;

use crate::query::stats;
use trailglass_core::detect::{DetectCache, Hits, RuleSet};
use trailglass_core::Store;

const NESTED: &str = "title: Bucket names with logs\nid: bench-nested\nlevel: low\n\
                      detection:\n    selection:\n        requestParameters.bucketName: '*logs*'\n\
                      \x20   condition: selection\n";

fn timed(f: impl FnOnce() -> Hits) -> (f64, Hits) {
    let t = Instant::now();
    let h = std::hint::black_box(f());
    (t.elapsed().as_secs_f64() * 1000.0, h)
}

fn measure(name: &str, set: &RuleSet, store: &Store, repeat: usize) -> usize {
    let mut cache = DetectCache::new();
    let (cold, hits) = timed(|| set.run_cached(store, &mut cache));
    let warm: Vec<f64> =
        (0..repeat.max(1)).map(|_| timed(|| set.run_cached(store, &mut cache)).0).collect();
    let (med, p95) = stats(warm);
    println!("{name}_cold_ms={cold:.2}");
    println!("{name}_median_ms={med:.2}");
    println!("{name}_p95_ms={p95:.2}");
    (0..hits.len()).map(|i| hits.rows(i).len()).sum()
}

/// Runs the detection benchmarks on `store` (`repeat` warm runs each).
pub fn run(store: &Store, repeat: usize) {
    let all = RuleSet::builtin();
    let matches = measure("rules_all", &all, store, repeat);
    println!("rules_all_rules={}", all.rules().len());
    println!("rules_all_matches={matches}");
    let mut nested = RuleSet::default();
    nested.add_file("bench.yml", NESTED);
    let rows = measure("rule_nested", &nested, store, repeat);
    println!("rule_nested_rows={rows}");
}
