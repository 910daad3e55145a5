//! A quick speed check (ignored by default; run with
//! `cargo test --release -p trailglass-core --test speed -- --ignored --nocapture`).
//! It replicates the real corpus events (stratus-red-team, otel, cribl) into one ~200 MB Records
//! file with unique eventIDs, then times `Store::ingest` plain and gzipped against a
//! `serde_json::Value` parse of the same bytes. The synthetic benchmark (`trailglass-bench`) is
//! the reference; this only needs the corpus.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use trailglass_core::Store;

fn events() -> Vec<serde_json::Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/stratus-red-team");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
            if let Some(a) = v.as_array() {
                out.extend(a.iter().cloned());
            }
        }
    }
    out
}

#[test]
#[ignore]
fn speed() {
    let evs = events();
    let target = 200usize << 20;
    let mut files: Vec<Vec<u8>> = Vec::new();
    let mut cur = Vec::from(&b"{\"Records\":["[..]);
    let mut n = 0usize;
    let mut total = 0usize;
    while total < target {
        let mut e = evs[n % evs.len()].clone();
        e["eventID"] = serde_json::Value::String(format!("ev-{n:012}"));
        if cur.len() > 13 {
            cur.push(b',');
        }
        serde_json::to_writer(&mut cur, &e).unwrap();
        n += 1;
        if cur.len() > 2 << 20 {
            cur.extend_from_slice(b"]}");
            total += cur.len();
            files.push(std::mem::replace(&mut cur, Vec::from(&b"{\"Records\":["[..])));
        }
    }
    let mb = total as f64 / 1e6;
    let gz: Vec<Vec<u8>> = files
        .iter()
        .filter(|_| std::env::var("SPEED_ONLY").is_err())
        .map(|f| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(f).unwrap();
            e.finish().unwrap()
        })
        .collect();
    let best = |f: &mut dyn FnMut() -> usize| {
        let mut b = f64::MAX;
        let mut k = 0;
        for _ in 0..3 {
            let t = Instant::now();
            k = f();
            b = b.min(t.elapsed().as_secs_f64());
        }
        (b, k)
    };
    if std::env::var("SPEED_ONLY").is_ok() {
        for _ in 0..5 {
            let mut s = Store::new();
            for (i, f) in files.iter().enumerate() {
                s.ingest(&format!("f{i}.json"), f);
            }
        }
        return;
    }
    let (tv, _) = best(&mut || {
        files
            .iter()
            .map(|f| {
                serde_json::from_slice::<serde_json::Value>(f)
                    .unwrap()
                    .as_object()
                    .map_or(0, |o| o.len())
            })
            .sum()
    });
    let mut last = None;
    let (tp, kept) = best(&mut || {
        let mut s = Store::new();
        for (i, f) in files.iter().enumerate() {
            s.ingest(&format!("f{i}.json"), f);
        }
        let k = s.len();
        last = Some(s);
        k
    });
    let (tg, kept_gz) = best(&mut || {
        let mut s = Store::new();
        for (i, f) in gz.iter().enumerate() {
            s.ingest(&format!("f{i}.json.gz"), f);
        }
        s.len()
    });
    let (ts, cnt) = best(&mut || {
        let mut st = Vec::new();
        let mut c = 0;
        for f in &files {
            let mut it = trailglass_core::scan::ArrayIter::new(11);
            while let Ok(Some(_)) = it.next(f, &mut st) {
                c += 1;
            }
        }
        c
    });
    let (tt, _) = best(&mut || {
        let mut st = Vec::new();
        let mut c = 0;
        for f in &files {
            let mut it = trailglass_core::scan::ArrayIter::new(11);
            while let Ok(Some((a, b, _))) = it.next(f, &mut st) {
                if let Ok(ev) = trailglass_core::record::parse(&f[a..b]) {
                    if ev.kind() == trailglass_core::record::Kind::Event {
                        c += 1;
                    }
                }
            }
        }
        c
    });
    let (tf, _) = best(&mut || {
        let mut st = Vec::new();
        let mut c = 0;
        for f in &files {
            let mut it = trailglass_core::scan::ArrayIter::new(11);
            while let Ok(Some((a, b, _))) = it.next(f, &mut st) {
                if let Ok(ev) = trailglass_core::record::parse(&f[a..b]) {
                    let fl = ev.fields();
                    c += fl.values.len();
                }
            }
        }
        c
    });
    let (tsd, cnt2) = best(&mut || {
        let mut c = 0;
        for f in &files {
            let mut i = 12;
            loop {
                let mut it = serde_json::Deserializer::from_slice(&f[i..])
                    .into_iter::<trailglass_core::record::Ev>();
                match it.next() {
                    Some(Ok(ev)) => {
                        if ev.kind() == trailglass_core::record::Kind::Event {
                            c += 1;
                        }
                    }
                    _ => break,
                }
                i += it.byte_offset();
                let has_nl = memchr::memchr(b'\n', &f[i - 10..i]).is_some();
                c += has_nl as usize;
                if f.get(i) == Some(&b',') {
                    i += 1
                } else {
                    break;
                }
            }
        }
        c
    });
    println!("stream_typed_mb_per_s={:.0} ({cnt2})", mb / tsd);
    println!(
        "scan_only_mb_per_s={:.0} ({cnt}) scan+typed={:.0} scan+typed+fields={:.0}",
        mb / ts,
        mb / tt,
        mb / tf
    );
    let s = last.unwrap();
    let m = s.memory_bytes();
    println!("events={n} kept={kept} kept_gz={kept_gz} mb={mb:.1}");
    println!("value_baseline_mb_per_s={:.0}", mb / tv);
    println!("ingest_plain_mb_per_s={:.0} ({:.1}x Value)", mb / tp, tv / tp);
    println!("ingest_gz_mb_per_s={:.0}", mb / tg);
    println!("store_bytes_per_event(beyond raw)={:.1} raw_bytes_per_event={:.1} input_bytes_per_event={:.1}",
        (m.columns + m.interned) as f64 / kept as f64, m.raw as f64 / kept as f64, total as f64 / n as f64);
    assert_eq!(kept, n);
}

/// Ingest of the synthetic benchmark data only (for profiling):
/// `cargo test --release -p trailglass-core --test speed synth -- --ignored --nocapture`.
#[test]
#[ignore]
fn synth_ingest() {
    let files = trailglass_sample::generate(&trailglass_sample::SynthOptions {
        events: 100_000,
        ..Default::default()
    });
    let total: usize = files.iter().map(|f| f.bytes.len()).sum();
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let mut s = Store::new();
        for f in &files {
            s.ingest(&f.path, &f.bytes);
        }
        best = best.min(t.elapsed().as_secs_f64());
        assert_eq!(s.len(), 100_000);
    }
    println!(
        "synth plain ingest: {:.0} MB/s ({} MB)",
        total as f64 / 1e6 / best,
        total / 1_000_000
    );
}
