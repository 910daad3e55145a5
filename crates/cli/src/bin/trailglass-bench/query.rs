//! Query benchmarks for `trailglass-bench` (native only: it reads the clock). Prints
//! `query_<what>_median_ms=` and `query_<what>_p95_ms=` lines, single thread, over `repeat` runs
//! of each query kind on the given store. Figures only, no assertions.

use std::time::Instant;

use trailglass_core::answer::{facet, findings, histogram, sort_rows, sorted_page, SortKey};
use trailglass_core::query::{parse, Query, TextIndex};
use trailglass_core::{Column, Store};

/// The median and the 95th percentile of `ms`.
pub(crate) fn stats(mut ms: Vec<f64>) -> (f64, f64) {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let i = ((ms.len() as f64 * q).ceil() as usize)
            .saturating_sub(1)
            .min(ms.len().saturating_sub(1));
        ms.get(i).copied().unwrap_or(0.0)
    };
    (at(0.5), at(0.95))
}

fn measure(name: &str, repeat: usize, mut f: impl FnMut() -> usize) {
    let mut times = Vec::with_capacity(repeat);
    let mut n = 0;
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        n = std::hint::black_box(f());
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (med, p95) = stats(times);
    println!("query_{name}_median_ms={med:.2}");
    println!("query_{name}_p95_ms={p95:.2}");
    println!("query_{name}_rows={n}");
}

/// A benchmark query; a typo here is a bug in this file, so it stops the run.
fn q(text: &str) -> Query {
    match parse(text) {
        Ok(q) => q,
        Err(e) => {
            eprintln!("bench query {text:?}: {e}");
            std::process::exit(2);
        }
    }
}

/// Runs every query benchmark on `store` (`repeat` runs each; 20 is a good default).
pub fn run(store: &Store, repeat: usize) {
    let t = Instant::now();
    let ix = TextIndex::build(store);
    println!("query_text_index_build_ms={:.1}", t.elapsed().as_secs_f64() * 1000.0);
    println!("query_text_index_bytes={}", ix.memory_bytes());
    println!("query_text_index_fill={:.3}", ix.fill_ratio());
    let structured = [
        ("filter_equality", "service:s3.amazonaws.com"),
        ("filter_wildcard", "action:*Policy*"),
        ("filter_cidr", "ip:185.220.0.0/16"),
        ("filter_bool3", "service:ec2 error:* -region:us-east-1"),
        ("filter_time_range", "time:[2024-03-06 TO 2024-03-07T12:00]"),
    ];
    for (name, text) in structured {
        let query = q(text);
        measure(name, repeat, || query.run_indexed(store, &ix).len());
    }
    let texts = [
        ("text_rare", "AKIA3RBACKDOORK3Y9WQ"),
        ("text_word", "backup-admin"),
        ("text_common", "AccessDenied"),
        ("text_phrase", "\"Access Denied\""),
    ];
    for (name, text) in texts {
        let query = q(text);
        measure(name, repeat, || query.run_indexed(store, &ix).len());
    }
    let query = q("backup-admin");
    measure("text_word_unindexed", repeat.min(5), || query.run(store).len());
    let query = q("service:s3 backup");
    measure("text_and_column", repeat, || query.run_indexed(store, &ix).len());
    let query = q("requestParameters.bucketName:*logs*");
    measure("path_wildcard", repeat.min(5), || query.run_indexed(store, &ix).len());

    let all: Vec<u32> = (0..store.len() as u32).collect();
    let five = [Column::Service, Column::Action, Column::User, Column::Region, Column::ErrorCode];
    measure("facets5_top10", repeat, || {
        five.iter().map(|&c| facet(store, &all, c, 10).values.len()).sum()
    });
    measure("histogram", repeat, || histogram(store, &all, 100, None).counts.len());
    measure("histogram_by_service", repeat, || {
        histogram(store, &all, 100, Some(Column::Service)).counts.len()
    });
    measure("facets5_plus_histogram", repeat, || {
        five.iter().map(|&c| facet(store, &all, c, 10).values.len()).sum::<usize>()
            + histogram(store, &all, 100, Some(Column::Service)).counts.len()
    });
    measure("page_time_desc", repeat, || {
        sorted_page(store, &all, SortKey::Time, true, 0, 100).len()
    });
    measure("page_user", repeat, || {
        sorted_page(store, &all, SortKey::Column(Column::User), false, 0, 100).len()
    });
    measure("page_time_deep", repeat, || {
        sorted_page(store, &all, SortKey::Time, false, 500_000, 100).len()
    });
    measure("sort_time_full", repeat.min(5), || sort_rows(store, &all, SortKey::Time, true).len());
    // Every "worth a look" finding counted over the whole store (once per change of the data).
    measure("findings_all", repeat.min(5), || findings(store).len());
}
