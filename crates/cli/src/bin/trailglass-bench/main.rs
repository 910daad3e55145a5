//! `trailglass-bench [--events N] [--seed S] [--repeat K] [--events-per-file M] [--write DIR]`:
//! native benchmark of the reader and store on synthetic CloudTrail (the `trailglass-sample` crate).
//!
//! Generates N events (default 200000) in memory as AWS-layout `{"Records":[…]}` files, gzips
//! them, then prints `key=value` lines, one figure per line (MB = 1e6 bytes of uncompressed JSON;
//! throughputs are the median of K repeats, default 3):
//!
//! * `ingest_plain_mb_per_s`: every `.json` into one fresh `Store` with
//!   `store.ingest_owned(path, bytes)`, how the app and `trailglass-scan` read a file they have
//!   read into memory: the store keeps each file's text as the home of its records. Like the
//!   `Value` baseline, it starts from the bytes in memory (copies made before the clock starts);
//! * `ingest_plain_borrowed_mb_per_s`: the same with `store.ingest(path, &bytes)`, which must copy
//!   every record into the store's own memory;
//! * `ingest_plain_with_copy_mb_per_s`: `ingest_owned` with the copy of each file into a fresh
//!   buffer inside the clock (what reading a file into new memory adds, first-touch page faults
//!   included; the baseline is not charged for it);
//! * `ingest_gz_mb_per_s`: every `.json.gz` with `store.ingest` (MB/s of decompressed bytes; the
//!   decompressed text is the store's own, so it is kept without a copy either way);
//! * `value_baseline_mb_per_s`: each plain file parsed into a `serde_json::Value` and dropped;
//!   `ratio_vs_value` = ingest_plain / value_baseline, `ratio_borrowed_vs_value` likewise;
//! * `gunzip_mb_per_s`: flate2 decompression alone;
//! * `store_bytes_per_event` (columns, dedupe table and dictionaries: everything but raw record
//!   bytes) and `raw_bytes_per_event`, from `store.memory_bytes()` once the deferred record
//!   blocks are compressed (`raw_bytes_per_event_before_idle_compression` before, and
//!   `idle_compression_s`, the time that compression took);
//! * `kept`, `duplicates`, `rejected` of the plain store.
//!
//! Then the query benchmarks (`query.rs`) and the detection benchmarks (`rules.rs`:
//! `rules_all_*`, `rule_nested_*`) and the identity benchmarks (`identities.rs`:
//! `identities_*`) over one store of the generated files.
//!
//! Figures only: nothing here asserts on time. `--write DIR` also writes the generated `.json`
//! files under DIR (for looking at them or feeding other tools). `--identities-only` runs only
//! the identity benchmarks, `--answers-only` only the answer benchmarks (`answers.rs`),
//! `--load-only` only the worker-like load (`load.rs`), `--write-only` none (the
//! files are only generated and written; no gzip).

use std::io::Read;
use std::time::Instant;

use trailglass_core::Store;
use trailglass_sample::{generate, gzip, SynthOptions};

// The query benchmarks; a module of this binary, not of the library (it needs a clock).
mod query;
// The detection benchmarks (built-in Sigma rules, a nested-path rule).
mod rules;
// Who is behind every event (the identity resolver).
mod identities;
// One view's answer through the engine, one engine and one of two workers.
mod answers;
// The load as the data worker runs it (parse, detections, identities, answers), natively.
mod load;

struct Args {
    events: usize,
    seed: Option<u64>,
    repeat: usize,
    events_per_file: Option<usize>,
    write: Option<String>,
    /// Only the identity benchmarks (after building one store).
    identities_only: bool,
    /// Only the answer benchmarks.
    answers_only: bool,
    /// Only the worker-like load benchmark.
    load_only: bool,
    /// Only generate (and `--write`) the files: no benchmark (for sizes past what memory holds
    /// twice).
    write_only: bool,
}

const USAGE: &str = "usage: trailglass-bench [--events N (200000)] [--seed S] [--repeat K (3)] \
                     [--events-per-file M (2000)] [--write DIR] [--identities-only] \
                     [--answers-only] [--load-only] [--write-only]";

fn parse_args() -> Result<Args, lexopt::Error> {
    use lexopt::prelude::*;
    /// A count, `_` separators allowed (`1_000_000`).
    fn num<T: std::str::FromStr>(v: std::ffi::OsString) -> Result<T, lexopt::Error> {
        let v = v.string()?;
        v.replace('_', "").parse().map_err(|_| format!("not a number: {v}").into())
    }
    let mut a = Args {
        events: 200_000,
        seed: None,
        repeat: 3,
        events_per_file: None,
        write: None,
        identities_only: false,
        answers_only: false,
        load_only: false,
        write_only: false,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("events") => a.events = num(parser.value()?)?,
            Long("seed") => a.seed = Some(num(parser.value()?)?),
            Long("repeat") => a.repeat = num::<usize>(parser.value()?)?.max(1),
            Long("events-per-file") => a.events_per_file = Some(num(parser.value()?)?),
            Long("write") => a.write = Some(parser.value()?.string()?),
            Long("identities-only") => a.identities_only = true,
            Long("answers-only") => a.answers_only = true,
            Long("load-only") => a.load_only = true,
            Long("write-only") => a.write_only = true,
            Short('h') | Long("help") => {
                println!("{USAGE}");
                std::process::exit(0)
            }
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(a)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs.get(xs.len() / 2).copied().unwrap_or(0.0)
}

/// Median seconds of `repeat` runs of `f`.
fn time_median(repeat: usize, mut f: impl FnMut()) -> f64 {
    median(
        (0..repeat)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

/// Median seconds of `repeat` runs of `fill` on a fresh store, given what `setup` made before the
/// clock started; the previous run's store is dropped outside the clock. Returns the last store.
fn time_store<T>(
    repeat: usize,
    mut setup: impl FnMut() -> T,
    mut fill: impl FnMut(&mut Store, T),
) -> (f64, Store) {
    let mut last = Store::new();
    let mut secs = Vec::new();
    for _ in 0..repeat {
        drop(std::mem::take(&mut last));
        let input = setup();
        let t = Instant::now();
        fill(&mut last, input);
        secs.push(t.elapsed().as_secs_f64());
    }
    (median(secs), last)
}

fn mbps(bytes: u64, secs: f64) -> String {
    if secs > 0.0 {
        format!("{:.1}", bytes as f64 / 1e6 / secs)
    } else {
        "inf".to_string()
    }
}

fn main() {
    let args = parse_args().unwrap_or_else(|e| {
        eprintln!("trailglass-bench: {e}\n{USAGE}");
        std::process::exit(2)
    });
    let mut opts = SynthOptions { events: args.events, ..SynthOptions::default() };
    if let Some(s) = args.seed {
        opts.seed = s;
    }
    if let Some(e) = args.events_per_file {
        opts.events_per_file = e;
    }

    let t = Instant::now();
    let files = generate(&opts);
    let generate_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    // Only the ingest benchmarks read the gzipped files.
    let gz: Vec<(String, Vec<u8>)> =
        match args.write_only || args.answers_only || args.identities_only || args.load_only {
            true => Vec::new(),
            false => files.iter().map(|f| (format!("{}.gz", f.path), gzip(&f.bytes))).collect(),
        };
    let gzip_s = t.elapsed().as_secs_f64();
    if let Some(dir) = &args.write {
        for f in &files {
            let p = std::path::Path::new(dir).join(&f.path);
            if let Some(parent) = p.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            if let Err(e) = std::fs::write(&p, &f.bytes) {
                eprintln!("cannot write {}: {e}", p.display());
            }
        }
    }
    let plain_bytes: u64 = files.iter().map(|f| f.bytes.len() as u64).sum();
    let gz_bytes: u64 = gz.iter().map(|(_, b)| b.len() as u64).sum();

    println!("events={}", opts.events);
    println!("files={}", files.len());
    println!("plain_bytes={plain_bytes}");
    println!("gz_bytes={gz_bytes}");
    println!("generate_s={generate_s:.2}");
    println!("gzip_s={gzip_s:.2}");
    if args.write_only {
        return;
    }
    if args.identities_only {
        let mut store = Store::new();
        for f in &files {
            store.ingest_owned(&f.path, f.bytes.clone());
        }
        let owned: Vec<(String, Vec<u8>)> =
            files.iter().map(|f| (f.path.clone(), f.bytes.clone())).collect();
        identities::run(&store, &owned);
        return;
    }
    if args.load_only {
        let owned: Vec<(String, Vec<u8>)> =
            files.iter().map(|f| (f.path.clone(), f.bytes.clone())).collect();
        drop(files);
        load::run(&owned, args.repeat);
        return;
    }
    if args.answers_only {
        let owned: Vec<(String, Vec<u8>)> =
            files.iter().map(|f| (f.path.clone(), f.bytes.clone())).collect();
        drop(files);
        drop(gz);
        answers::run(&owned, args.repeat);
        return;
    }

    // Plain ingest of owned buffers (copied before the clock starts); the last store is kept for
    // the memory and count figures.
    let (plain_s, store) = time_store(
        args.repeat,
        || files.iter().map(|f| f.bytes.clone()).collect::<Vec<_>>(),
        |store, owned| {
            for (f, bytes) in files.iter().zip(owned) {
                store.ingest_owned(&f.path, bytes);
            }
        },
    );
    println!("ingest_plain_mb_per_s={}", mbps(plain_bytes, plain_s));
    let totals = store.totals();
    // Up to `store::DEFER_BYTES` of record text is kept plain through the load and
    // compressed when the worker is idle: both sizes, and that compression's speed.
    let mut store = store;
    let loaded = store.memory_bytes();
    let t = Instant::now();
    while store.compress_deferred(64) {}
    let deferred_s = t.elapsed().as_secs_f64();
    let mem = store.memory_bytes();
    drop(store);

    let (borrowed_s, _) = time_store(
        args.repeat,
        || (),
        |store, ()| {
            for f in &files {
                store.ingest(&f.path, &f.bytes);
            }
        },
    );
    println!("ingest_plain_borrowed_mb_per_s={}", mbps(plain_bytes, borrowed_s));

    let (copy_s, _) = time_store(
        args.repeat,
        || (),
        |store, ()| {
            for f in &files {
                store.ingest_owned(&f.path, f.bytes.clone());
            }
        },
    );
    println!("ingest_plain_with_copy_mb_per_s={}", mbps(plain_bytes, copy_s));

    let (gz_s, _) = time_store(
        args.repeat,
        || (),
        |store, ()| {
            for (path, bytes) in &gz {
                store.ingest(path, bytes);
            }
        },
    );
    println!("ingest_gz_mb_per_s={}", mbps(plain_bytes, gz_s));

    let value_s = time_median(args.repeat, || {
        for f in &files {
            let v: Result<serde_json::Value, _> = serde_json::from_slice(&f.bytes);
            drop(std::hint::black_box(v));
        }
    });
    println!("value_baseline_mb_per_s={}", mbps(plain_bytes, value_s));
    let ratio = |s: f64| if s > 0.0 { value_s / s } else { 0.0 };
    println!("ratio_vs_value={:.2}", ratio(plain_s));
    println!("ratio_borrowed_vs_value={:.2}", ratio(borrowed_s));
    println!("ratio_with_copy_vs_value={:.2}", ratio(copy_s));

    let gunzip_s = time_median(args.repeat, || {
        let mut buf = Vec::new();
        for (_, bytes) in &gz {
            buf.clear();
            let _ = flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut buf);
            std::hint::black_box(&buf);
        }
    });
    println!("gunzip_mb_per_s={}", mbps(plain_bytes, gunzip_s));

    let per_event = |x: u64| if opts.events > 0 { x as f64 / opts.events as f64 } else { 0.0 };
    println!("store_bytes_per_event={:.1}", per_event(mem.columns + mem.interned));
    println!("raw_bytes_per_event={:.1}", per_event(mem.raw));
    println!("raw_bytes_per_event_before_idle_compression={:.1}", per_event(loaded.raw));
    println!("idle_compression_s={deferred_s:.2}");
    println!("kept={}", totals.kept);
    println!("duplicates={}", totals.duplicates);
    println!("rejected={}", totals.rejected);

    // ---------------------------------------------------------------------------------------
    // QUERY BENCHMARKS (added by a later issue): build one store from `files`, then for each
    // query kind print `query_<what>_median_ms=` and `query_<what>_p95_ms=` over repeated runs,
    // e.g. query_filter_service_*, query_text_search_*, query_group_by_user_*, query_sort_time_*.
    // ---------------------------------------------------------------------------------------
    // The kinds, queries and repeat count live in `query.rs` beside this file (20 runs each,
    // single thread, after building the text index once; see that module).
    let mut store = Store::new();
    for f in &files {
        store.ingest_owned(&f.path, f.bytes.clone());
    }
    query::run(&store, 20);
    rules::run(&store, 20);
    let owned: Vec<(String, Vec<u8>)> =
        files.iter().map(|f| (f.path.clone(), f.bytes.clone())).collect();
    identities::run(&store, &owned);
}
