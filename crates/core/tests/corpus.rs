//! The reader against real CloudTrail data nobody here wrote: `../shared/corpus` (see its
//! README.md) and its independent reading `expected.tsv`. Every listed file must yield at least
//! the expected events (exceptions are listed with their reason and asserted exactly), the same
//! digests, and an error with a position where the independent reader met one (or, where we do
//! better, a note saying what we recovered and where).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use trailglass_core::{Column, FileStatus, Store};

mod common;

fn corpus() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    assert!(
        p.join("expected.tsv").is_file(),
        "the shared corpus is missing: expected {}/expected.tsv (it lives beside the project as ../shared/corpus)",
        p.display()
    );
    p
}

fn load(rel: &str) -> Store {
    let mut s = Store::new();
    let bytes = std::fs::read(corpus().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    s.ingest(rel, &bytes);
    s
}

struct Expected {
    file: String,
    events: u64,
    digests: u64,
    error: String,
}

fn expected() -> Vec<Expected> {
    let text = std::fs::read_to_string(corpus().join("expected.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            Expected {
                file: c[0].to_string(),
                events: c[2].parse().unwrap(),
                digests: c[4].parse().unwrap(),
                error: c.get(5).unwrap_or(&"").to_string(),
            }
        })
        .collect()
}

/// Files where we read differently from expected.tsv, with why. (file, events we read)
/// None read fewer events. The cloudtrail2sightings member whose Records objects lack commas is
/// recovered (3 events) instead of failing, so it has a note with a position instead of an error.
const RECOVERED: &[(&str, u64)] = &[
    ("cloudtrail2sightings/unzipped/aws.execution.ec2-user-data.json", 3),
    ("cloudtrail2sightings/cloudtrail.zip", 15),
];
/// Files where we read fewer events than expected.tsv: none.
const FEWER: &[(&str, u64, &str)] = &[];

#[test]
fn every_expected_file() {
    let exp = expected();
    assert!(exp.len() > 200, "expected.tsv looks truncated");
    let mut failures = Vec::new();
    for e in &exp {
        let s = load(&e.file);
        let t = s.totals();
        for f in s.files() {
            assert_eq!(
                f.events,
                f.kept + f.duplicates + f.rejected,
                "{}: counts do not reconcile",
                e.file
            );
        }
        let fewer = FEWER.iter().find(|x| x.0 == e.file);
        match fewer {
            Some(&(_, n, why)) => assert_eq!(t.read, n, "{}: documented exception ({why})", e.file),
            None => {
                if t.read < e.events {
                    failures.push(format!("{}: read {} < expected {}", e.file, t.read, e.events));
                }
            }
        }
        if t.digests != e.digests {
            failures.push(format!("{}: digests {} != {}", e.file, t.digests, e.digests));
        }
        let errors: Vec<_> = s.files().iter().filter_map(|f| f.error.as_ref()).collect();
        if let Some(&(_, n)) = RECOVERED.iter().find(|x| x.0 == e.file) {
            assert_eq!(t.read, n, "{}", e.file);
            let note = s.files().iter().flat_map(|f| &f.notes).find(|n| n.contains("no comma"));
            assert!(
                note.is_some_and(|n| n.contains("line 112 column 1")),
                "{}: {:?}",
                e.file,
                s.files()
            );
        } else if !e.error.is_empty() {
            if errors.is_empty() || errors.iter().any(|er| er.position().is_none()) {
                failures
                    .push(format!("{}: expected an error with a position, got {errors:?}", e.file));
            }
        } else if !errors.is_empty() {
            failures.push(format!("{}: unexpected error {errors:?}", e.file));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn truncated_file_position() {
    let s = load("cloudgrep/bad_cloudtrail.json");
    let f = &s.files()[0];
    assert_eq!(f.status(), FileStatus::Error);
    let e = f.error.as_ref().unwrap();
    let p = e.position().unwrap();
    assert_eq!((p.line, p.column, p.byte), (26, 26, 965), "{e}");
    assert!(f.summary().contains("line 26 column 26 (byte 965)"), "{}", f.summary());
}

#[test]
fn cribl_pairs_dedupe() {
    let dir = corpus().join("cribl-aws-cloudtrail-logs/reconstructed_s3_objects");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 40);
    let mut all = Store::new();
    let mut plain_events = 0;
    for n in &names {
        let mut s = Store::new();
        let a = s.ingest(n, &std::fs::read(dir.join(n)).unwrap());
        let gz = format!("{n}.gz");
        let b = s.ingest(&gz, &std::fs::read(dir.join(&gz)).unwrap());
        let (fa, fb) = (&s.files()[a.start], &s.files()[b.start]);
        assert!(fb.compressed && fa.events > 0);
        assert_eq!((fb.events, fb.duplicates, fb.kept), (fa.events, fa.events, 0), "{n}");
        let key = fa.aws_key.as_ref().unwrap();
        assert_eq!(key.account, "650992545562");
        assert!(!key.region.is_empty() && key.date == "2022-01-03", "{key:?}");
        plain_events += fa.events;
        all.ingest(n, &std::fs::read(dir.join(n)).unwrap());
        all.ingest(&gz, &std::fs::read(dir.join(&gz)).unwrap());
    }
    let t = all.totals();
    assert_eq!((t.read, t.duplicates, t.kept), (2 * plain_events, plain_events, plain_events));
}

fn event_id(raw: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(raw).ok()?;
    v.get("eventID").and_then(|x| x.as_str()).map(str::to_string)
}

#[test]
fn panther_keeps_events_sharing_ids() {
    let s = load("panther-analysis/extracted/panther_analysis_cloudtrail_test_logs.ndjson");
    let f = &s.files()[0];
    // 464 lines; 441 distinct contents (23 lines are exact copies of another line).
    assert_eq!((f.events, f.kept, f.duplicates, f.rejected), (464, 441, 23, 0), "{f:?}");
    let ids: HashSet<String> = (0..s.len()).filter_map(|r| event_id(&s.raw(r))).collect();
    assert_eq!(ids.len(), 125);
    let mut per_id: BTreeMap<String, u32> = BTreeMap::new();
    for r in 0..s.len() {
        if let Some(id) = event_id(&s.raw(r)) {
            *per_id.entry(id).or_default() += 1;
        }
    }
    assert!(per_id.values().any(|&n| n > 10), "distinct events sharing one eventID are all kept");
}

#[test]
fn digests_insights_wrappers_and_time_fallback() {
    let s = load("otel-collector-contrib/cloudtrail_digest_empty.json");
    let f = &s.files()[0];
    assert_eq!(
        (f.status(), f.digests, f.events, f.format.as_str()),
        (FileStatus::Skipped, 1, 0, "digest")
    );

    let s = load("streamalert/original/cloudtrail_insights.json");
    assert_eq!(s.len(), 1);
    assert_eq!(s.get(0, Column::Category), "Insight");
    assert_eq!(s.get(0, Column::Action), "CompleteLifecycleAction");
    assert_eq!(s.get(0, Column::Service), "autoscaling.amazonaws.com");

    let s = load("otel-collector-contrib/cloudtrail_log.json");
    let cats: HashSet<&str> = (0..s.len()).map(|r| s.get(r, Column::Category)).collect();
    assert!(
        cats.contains("Insight") && cats.contains("Data") && cats.contains("Management"),
        "{cats:?}"
    );

    let s = load("otel-collector-contrib/cloudtrail_log_cw.json");
    assert_eq!((s.files()[0].format.as_str(), s.len()), ("CloudWatch Logs", 1));
    assert_eq!(s.get(0, Column::Action), "PutObject");

    let s = load("streamalert/original/cloudwatch_cloudtrail.json");
    assert_eq!(s.len(), 1);

    let s = load("cribl-aws-cloudtrail-logs/BeVTW2.json");
    assert_eq!(s.len(), 44);
    assert!(s.raw(0).starts_with("{\"eventVersion\""), "raw is the unescaped, compacted event");

    let s = load("otrf-security-datasets/ec2_proxy_s3_exfiltration.zip");
    let f = &s.files()[0];
    assert_eq!(
        (f.member.as_deref(), f.kept),
        (Some("ec2_proxy_s3_exfiltration_2020-09-14011940.json"), 103)
    );
    assert!(
        f.notes.iter().any(|n| n == "103 events had no usable eventTime; used @timestamp"),
        "{:?}",
        f.notes
    );
    assert!((0..s.len()).all(|r| s.time_ms(r).is_some()));

    let s = load("otrf-security-datasets/AWS_S3_HoneyBucketLogs.csv");
    assert_eq!(s.files()[0].status(), FileStatus::Skipped);
    assert!(s.files()[0].summary().contains("not JSON"), "{}", s.files()[0].summary());

    let s = load("cloudtrail2sightings/cloudtrail.zip");
    assert_eq!(s.files().len(), 4);
    assert_eq!(s.totals().kept, 15);

    let s = load("otel-collector-contrib/cloudtrail_log_empty.json");
    assert_eq!((s.files()[0].status(), s.files()[0].events), (FileStatus::Ok, 0));
}

/// The store may own the files it reads (`ingest_owned`, how the app and `trailglass-scan` read):
/// the same reports, rows and raw texts as reading borrowed bytes, for every corpus file, one
/// store each and all in one store (with every file read twice, so duplicates of records that
/// live in owned texts are found too).
#[test]
fn owned_reading_equals_borrowed() {
    let mut all_b = Store::new();
    let mut all_o = Store::new();
    for e in expected() {
        let bytes = std::fs::read(corpus().join(&e.file)).unwrap();
        let mut b = Store::new();
        b.ingest(&e.file, &bytes);
        let mut o = Store::new();
        o.ingest_owned(&e.file, bytes.clone());
        if let Some(d) = common::first_difference(&b, &o) {
            panic!("{}: {d}", e.file);
        }
        for _ in 0..2 {
            all_b.ingest(&e.file, &bytes);
            all_o.ingest_owned(&e.file, bytes.clone());
        }
    }
    assert!(all_b.totals().duplicates > 0);
    if let Some(d) = common::first_difference(&all_b, &all_o) {
        panic!("whole corpus: {d}");
    }
}

#[test]
fn whole_corpus_in_one_store() {
    let mut s = Store::new();
    let mut n = 0;
    for e in expected() {
        s.ingest(&e.file, &std::fs::read(corpus().join(&e.file)).unwrap());
        n += 1;
    }
    let t = s.totals();
    assert!(t.files >= n);
    assert_eq!(t.read, t.kept + t.duplicates + t.rejected);
    assert_eq!(t.kept as usize, s.len());
    for r in 0..s.len() {
        assert!(
            serde_json::from_str::<serde_json::Value>(&s.raw(r)).is_ok(),
            "row {r} raw is JSON"
        );
        assert!(s.file_of(r) < s.files().len());
    }
}
