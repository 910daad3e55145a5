//! Robustness: a deterministic mutation fuzzer over real and synthetic CloudTrail.
//!
//! Inputs: every file under `../shared/corpus` (recursively) plus a few generated files (plain and
//! gzip). Each case takes one input and stacks 1–3 random mutations: byte flips, truncation,
//! deleting or duplicating ranges, inserting JSON punctuation / NUL / 0xFF / broken UTF-8, splicing
//! two inputs, nesting bombs (100k `[` or `{"a":`), JSON-in-string nesting, gzip of the mutated
//! bytes, mutated gzip bytes, and zips (made with the `zip` crate) holding mutated members, under
//! a path whose extension may or may not match. Every case is ingested into a fresh `Store`, and
//! we assert:
//!
//! * no panic (a panic writes the input to `$TMPDIR/trailglass-fuzz-<seed>-<case>.bin` and names it);
//! * `totals().read == kept + duplicates + rejected`, `len() == kept`;
//! * every kept row's `raw()` is valid JSON;
//! * the range `ingest` returned is exactly the file reports it added;
//! * ingesting the same bytes again keeps nothing new;
//! * `ingest_owned` of the same bytes gives the same reports, rows and raw texts as `ingest`
//!   (and again when both stores read the bytes a second time).
//!
//! `TRAILGLASS_FUZZ_CASES` (default 600) sets the number of cases, `TRAILGLASS_FUZZ_SEED` the
//! seed, `TRAILGLASS_FUZZ_SECONDS` an optional time budget. Long run:
//! `TRAILGLASS_FUZZ_CASES=100000000 TRAILGLASS_FUZZ_SECONDS=540 cargo test --release -p
//! trailglass-core --test fuzz_mutations -- --nocapture`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use trailglass_core::Store;
use trailglass_sample::{generate, gzip, Rng, SynthOptions};

mod common;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");

fn env_num(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => {
            v.replace('_', "").parse().unwrap_or_else(|_| panic!("{name}={v} is not a number"))
        }
        Err(_) => default,
    }
}

fn walk(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let mut es: Vec<PathBuf> =
            std::fs::read_dir(p).unwrap().map(|e| e.unwrap().path()).collect();
        es.sort();
        for e in es {
            walk(&e, out);
        }
    } else {
        out.push(p.to_path_buf());
    }
}

/// (path, bytes) of every input before mutation.
fn inputs() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(CORPUS);
    assert!(
        root.is_dir(),
        "THE SHARED CORPUS IS MISSING: expected a folder at {} (../shared/corpus beside the project). \
         The fuzz test needs it; it must not silently pass without it.",
        root.display()
    );
    let mut paths = Vec::new();
    walk(root, &mut paths);
    let mut v: Vec<(String, Vec<u8>)> = paths
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            (rel, std::fs::read(p).unwrap())
        })
        .collect();
    assert!(
        v.len() > 50,
        "the corpus looks incomplete: {} files under {}",
        v.len(),
        root.display()
    );
    let opts =
        SynthOptions { events: 120, events_per_file: 40, seed: 7, ..SynthOptions::default() };
    for f in generate(&opts) {
        v.push((format!("{}.gz", f.path), gzip(&f.bytes)));
        v.push((f.path, f.bytes));
    }
    v
}

const TOKENS: &[&[u8]] = &[
    b"\"",
    b"{",
    b"[",
    b"]",
    b"}",
    b"\\",
    b",",
    b":",
    b"\0",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\\u",
    b"\\ud800",
    b"null",
    b"\"Records\":",
    b"\"eventTime\":\"",
    b"\r\n",
    b"1e999",
    b"-",
];

fn mutate_once(
    rng: &mut Rng,
    data: &mut Vec<u8>,
    all: &[(String, Vec<u8>)],
    ops: &mut Vec<String>,
) {
    let len = data.len();
    let pos = |rng: &mut Rng, n: usize| rng.below(n + 1);
    match rng.below(13) {
        0 => {
            let k = 1 + rng.below(8);
            for _ in 0..k {
                if !data.is_empty() {
                    let i = rng.below(data.len());
                    data[i] ^= 1 << rng.below(8) as u8;
                }
            }
            ops.push(format!("flip{k}"));
        }
        1 => {
            let at = pos(rng, len);
            data.truncate(at);
            ops.push(format!("truncate@{at}"));
        }
        2 => {
            let a = pos(rng, len);
            let b = (a + rng.below(len - a + 1).min(1 + rng.below(4096))).min(len);
            data.drain(a..b);
            ops.push(format!("delete{a}..{b}"));
        }
        3 => {
            let a = pos(rng, len);
            let b = (a + rng.below(len - a + 1).min(1 + rng.below(8192))).min(len);
            let chunk = data[a..b].to_vec();
            let at = pos(rng, len);
            data.splice(at..at, chunk);
            ops.push(format!("dup{a}..{b}@{at}"));
        }
        4 => {
            let k = 1 + rng.below(16);
            for _ in 0..k {
                let t = TOKENS[rng.below(TOKENS.len())];
                let at = pos(rng, data.len());
                data.splice(at..at, t.iter().copied());
            }
            ops.push(format!("tokens{k}"));
        }
        5 => {
            let (_, other) = &all[rng.below(all.len())];
            let a = pos(rng, len);
            let b = pos(rng, other.len());
            data.truncate(a);
            data.extend_from_slice(&other[b..]);
            ops.push(format!("splice@{a}+{b}"));
        }
        6 => {
            let unit: &[u8] = match rng.below(4) {
                0 => b"[",
                1 => b"{\"a\":",
                2 => b"{\"Records\":[",
                _ => b"[{\"detail\":",
            };
            let n = if rng.below(2) == 0 { 100_000 } else { 1 + rng.below(5000) };
            let at = pos(rng, len);
            let bomb: Vec<u8> = unit.iter().copied().cycle().take(unit.len() * n).collect();
            data.splice(at..at, bomb);
            ops.push(format!("bomb{n}x{}@{at}", String::from_utf8_lossy(unit)));
        }
        7 => {
            // JSON-in-string nesting: wrap the whole input as a JSON string value, repeatedly.
            let depth = 1 + rng.below(40);
            for _ in 0..depth {
                // Backslashes double at every level: stop before it explodes.
                if data.len() > 64 << 10 {
                    break;
                }
                let s = String::from_utf8_lossy(data).into_owned();
                *data = serde_json::to_vec(&serde_json::json!({ "message": s })).unwrap();
            }
            ops.push(format!("jsonstr{depth}"));
        }
        8 => {
            *data = gzip(data);
            ops.push("gzip".into());
        }
        9 => {
            let mut gz = gzip(data);
            if !gz.is_empty() {
                match rng.below(3) {
                    0 => {
                        let i = rng.below(gz.len());
                        gz[i] ^= 1 << rng.below(8) as u8;
                    }
                    1 => gz.truncate(rng.below(gz.len())),
                    _ => {
                        let tail = gz.len().saturating_sub(8);
                        let i = tail + rng.below(gz.len() - tail);
                        gz[i] = gz[i].wrapping_add(1); // crc / size trailer
                    }
                }
            }
            *data = gz;
            ops.push("gzip+corrupt".into());
        }
        10 => {
            *data = make_zip(rng, data, all);
            ops.push("zip".into());
        }
        11 => {
            // Concatenate two inputs (NDJSON-like or two documents back to back), maybe gzip members.
            let (_, other) = &all[rng.below(all.len())];
            if rng.below(2) == 0 {
                let mut g = gzip(data);
                g.extend_from_slice(&gzip(other));
                *data = g;
                ops.push("gzip-concat".into());
            } else {
                data.push(b'\n');
                data.extend_from_slice(other);
                ops.push("concat".into());
            }
        }
        _ => {
            // Replace a random byte range with random bytes.
            let a = pos(rng, len);
            let b = (a + 1 + rng.below(64)).min(len);
            for x in &mut data[a..b] {
                *x = rng.next_u64() as u8;
            }
            ops.push(format!("random{a}..{b}"));
        }
    }
}

fn make_zip(rng: &mut Rng, data: &[u8], all: &[(String, Vec<u8>)]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let members = 1 + rng.below(4);
    for m in 0..members {
        let method = if rng.below(2) == 0 {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let opts = SimpleFileOptions::default().compression_method(method);
        let mut body = if m == 0 { data.to_vec() } else { all[rng.below(all.len())].1.clone() };
        let mut ops = Vec::new();
        if m > 0 && rng.below(2) == 0 {
            mutate_once(rng, &mut body, all, &mut ops);
        }
        let name = match rng.below(5) {
            0 => format!("logs/member{m}.json.gz"),
            1 => format!("member{m}.zip"),
            2 => format!("../../evil/{m}.json"),
            3 => format!("dir{m}/"),
            _ => format!("AWSLogs/123456789012/CloudTrail/us-east-1/2024/03/04/m{m}.json"),
        };
        if w.start_file(name, opts).is_ok() {
            let _ = w.write_all(&body);
        }
    }
    let mut z = w.finish().map(|c| c.into_inner()).unwrap_or_default();
    if rng.below(4) == 0 && !z.is_empty() {
        // Corrupt the archive itself (central directory, local headers).
        let i = rng.below(z.len());
        z[i] ^= 0x5a;
    }
    z
}

fn mutated_path(rng: &mut Rng, path: &str) -> String {
    match rng.below(6) {
        0 => format!("{path}.gz"),
        1 => format!("{path}.zip"),
        2 => "noextension".into(),
        3 => format!("weird/\u{e9}\u{65e5}<b>/{}", path.rsplit('/').next().unwrap_or("")),
        _ => path.to_string(),
    }
}

/// The invariants of one ingest into `store`; returns a description of a violation.
fn check(store: &mut Store, path: &str, bytes: &[u8]) -> Result<(), String> {
    let before = store.files().len();
    let before_len = store.len();
    let range = store.ingest(path, bytes);
    if range != (before..store.files().len()) {
        return Err(format!(
            "ingest returned {range:?} but file reports went {before}..{}",
            store.files().len()
        ));
    }
    let t = store.totals();
    if t.read != t.kept + t.duplicates + t.rejected {
        return Err(format!("totals don't add up: {t:?}"));
    }
    if store.len() as u64 != t.kept {
        return Err(format!("len {} != kept {}", store.len(), t.kept));
    }
    for row in before_len..store.len() {
        let raw = store.raw(row);
        if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&raw) {
            return Err(format!(
                "row {row} raw is not JSON ({e}): {}",
                raw.chars().take(300).collect::<String>()
            ));
        }
    }
    let per_file: u64 = store.files().iter().map(|f| f.kept).sum();
    if per_file != t.kept {
        return Err(format!("sum of per-file kept {per_file} != total kept {}", t.kept));
    }
    Ok(())
}

fn dump(seed: u64, case: u64, path: &str, bytes: &[u8]) -> PathBuf {
    let out = std::env::temp_dir().join(format!("trailglass-fuzz-{seed}-{case}.bin"));
    let _ = std::fs::write(&out, bytes);
    let _ = std::fs::write(out.with_extension("path"), path);
    out
}

#[test]
fn mutations_never_break_the_store() {
    let cases = env_num("TRAILGLASS_FUZZ_CASES", 600);
    let max_secs = env_num("TRAILGLASS_FUZZ_SECONDS", u64::MAX);
    let mut ran = 0u64;
    let seed = env_num("TRAILGLASS_FUZZ_SEED", 0x5eed_f00d);
    let all = inputs();
    let started = Instant::now();
    let mut rng = Rng::new(seed);
    let mut failures: Vec<String> = Vec::new();
    let mut total_bytes = 0u64;
    let mut kept_total = 0u64;
    let mut slowest = (0.0f64, String::new());
    // Silence the default panic printout for caught panics; we report them ourselves.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for case in 0..cases {
        if started.elapsed().as_secs() >= max_secs {
            break;
        }
        ran += 1;
        let (path0, orig) = &all[rng.below(all.len())];
        let mut data = orig.clone();
        let mut ops = Vec::new();
        for _ in 0..1 + rng.below(3) {
            mutate_once(&mut rng, &mut data, &all, &mut ops);
            if data.len() > 16 << 20 {
                data.truncate(16 << 20);
            }
        }
        let path = mutated_path(&mut rng, path0);
        total_bytes += data.len() as u64;
        let case_start = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| {
            let mut store = Store::new();
            check(&mut store, &path, &data)?;
            let kept = store.totals().kept;
            let mut owned = Store::new();
            owned.ingest_owned(&path, data.clone());
            if let Some(d) = common::first_difference(&store, &owned) {
                return Err(format!("ingest_owned differs from ingest: {d}"));
            }
            // The same bytes again: nothing new is kept.
            if case % 4 == 0 {
                check(&mut store, &path, &data)?;
                if store.totals().kept != kept {
                    return Err(format!(
                        "re-ingesting the same bytes kept {} more events",
                        store.totals().kept - kept
                    ));
                }
                owned.ingest_owned(&path, data.clone());
                if let Some(d) = common::first_difference(&store, &owned) {
                    return Err(format!(
                        "ingest_owned differs from ingest after reading the bytes twice: {d}"
                    ));
                }
            }
            Ok(kept)
        }));
        let secs = case_start.elapsed().as_secs_f64();
        if secs > slowest.0 {
            slowest =
                (secs, format!("case {case} from {path0}, ops {ops:?}, {} bytes", data.len()));
        }
        let err = match result {
            Ok(Ok(kept)) => {
                kept_total += kept;
                None
            }
            Ok(Err(e)) => Some(e),
            Err(p) => Some(format!(
                "PANIC: {}",
                p.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default()
            )),
        };
        if let Some(e) = err {
            let file = dump(seed, case, &path, &data);
            failures.push(format!("case {case} (from {path0}, ops {ops:?}, path {path:?}, {} bytes, saved to {}): {e}", data.len(), file.display()));
            if failures.len() >= 20 {
                break;
            }
        }
    }
    std::panic::set_hook(hook);
    eprintln!(
        "fuzz_mutations: {ran} cases, seed {seed:#x}, {} inputs, {:.1} MB mutated input, {kept_total} events kept, {} failures, {:.1}s",
        all.len(),
        total_bytes as f64 / 1e6,
        failures.len(),
        started.elapsed().as_secs_f64()
    );
    eprintln!("fuzz_mutations: slowest case {:.2}s: {}", slowest.0, slowest.1);
    assert!(failures.is_empty(), "{} failing cases:\n{}", failures.len(), failures.join("\n"));
}

/// Many mutated inputs into one store: the invariants hold across files too.
#[test]
fn one_store_many_mutated_files() {
    let all = inputs();
    let mut rng = Rng::new(env_num("TRAILGLASS_FUZZ_SEED", 0x5eed_f00d) ^ 1);
    let mut store = Store::new();
    let n = (env_num("TRAILGLASS_FUZZ_CASES", 600) / 5).clamp(10, 2000);
    for case in 0..n {
        let (path, orig) = &all[rng.below(all.len())];
        let mut data = orig.clone();
        let mut ops = Vec::new();
        if rng.below(3) != 0 {
            mutate_once(&mut rng, &mut data, &all, &mut ops);
        }
        if let Err(e) = check(&mut store, path, &data) {
            let file = dump(0, case, path, &data);
            panic!("case {case} ({path}, {ops:?}, saved to {}): {e}", file.display());
        }
    }
}
