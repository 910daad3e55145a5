//! The tree summary and the filter, on generated bucket trees: the counts are checked against a
//! plain count of the paths, and [`TreeSummary::chosen`] against [`LoadFilter::keeps`] file by
//! file for many filters.

use std::collections::BTreeSet;

use super::*;

/// The key path of a log (or digest) file of CloudTrail's layout.
fn key(account: &str, region: &str, day: &str, n: u32, digest: bool) -> String {
    let (y, m, d) = (&day[0..4], &day[5..7], &day[8..10]);
    let kind = if digest { "CloudTrail-Digest" } else { "CloudTrail" };
    format!(
        "bucket/AWSLogs/{account}/{kind}/{region}/{y}/{m}/{d}/{account}_{kind}_{region}_{y}{m}{d}T{:02}00Z_x{n}.json.gz",
        n % 24
    )
}

const ACCOUNTS: [&str; 3] = ["111111111111", "222222222222", "333333333333"];
const REGIONS: [&str; 2] = ["eu-west-1", "us-east-1"];
/// Seven days with a gap (the 5th has no files).
const DAYS: [&str; 6] =
    ["2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04", "2024-03-06", "2024-03-07"];

/// (path, size): per account, region and day `n` log files of 1000 + n bytes (n grows with each
/// combination), one digest file of 500 bytes each, and three other files.
fn tree() -> Vec<(String, u64)> {
    let mut files = Vec::new();
    let mut n = 0u32;
    for a in ACCOUNTS {
        for r in REGIONS {
            for d in DAYS {
                for _ in 0..(1 + n % 4) {
                    files.push((key(a, r, d, n, false), 1000 + u64::from(n)));
                    n += 1;
                }
                files.push((key(a, r, d, n, true), 500));
            }
        }
    }
    files.push(("export.ndjson".into(), 7000));
    files.push(("case/customer.zip".into(), 9000));
    files.push(("AWSLogs/111111111111/CloudTrail/eu-west-1/notes.json".into(), 11));
    files
}

fn summary(files: &[(String, u64)]) -> TreeSummary {
    TreeSummary::of(files.iter().map(|(p, s)| (p.as_str(), *s)))
}

fn set(names: &[&str]) -> Option<BTreeSet<String>> {
    Some(names.iter().map(|s| s.to_string()).collect())
}

/// Files and bytes of the files `pred` holds for.
fn count(files: &[(String, u64)], pred: impl Fn(&str) -> bool) -> Size {
    let mut s = Size::default();
    for (_, b) in files.iter().filter(|(p, _)| pred(p)) {
        s.files += 1;
        s.bytes += b;
    }
    s
}

#[test]
fn the_summary_counts_log_files_by_day_account_and_region() {
    let files = tree();
    let s = summary(&files);
    assert_eq!(s.total, count(&files, |_| true));
    let days: Vec<&str> = s.days.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        days,
        [
            "2024-03-01",
            "2024-03-02",
            "2024-03-03",
            "2024-03-04",
            "2024-03-05",
            "2024-03-06",
            "2024-03-07"
        ],
        "every day of the span, the gap included"
    );
    assert_eq!(s.days[4].size, Size::default(), "the gap has no files");
    assert_eq!(s.days_with_files(), 6);
    let logs = |p: &str| p.contains("/CloudTrail/") && p.contains("_CloudTrail_");
    for d in &s.days {
        let ymd = d.name.replace('-', "/");
        assert_eq!(d.size, count(&files, |p| logs(p) && p.contains(&ymd)), "{}", d.name);
    }
    let names = |g: &[Group]| g.iter().map(|g| g.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&s.accounts), ACCOUNTS);
    assert_eq!(names(&s.regions), REGIONS);
    for a in &s.accounts {
        assert_eq!(a.size, count(&files, |p| logs(p) && p.contains(&format!("/{}/", a.name))));
    }
    for r in &s.regions {
        assert_eq!(r.size, count(&files, |p| logs(p) && p.contains(&format!("/{}/", r.name))));
    }
    assert_eq!(s.digests, count(&files, |p| p.contains("CloudTrail-Digest")));
    // The undated key, the NDJSON export and the zip are the other files.
    assert_eq!(s.other, Size { files: 3, bytes: 7000 + 9000 + 11 });
    assert_eq!(s.keyed().plus(s.other), s.total);
    assert!(!s.worth_choosing(), "{} small keyed files", s.keyed().files);
}

#[test]
fn the_default_filter_keeps_everything() {
    let files = tree();
    let f = LoadFilter::default();
    assert!(files.iter().all(|(p, _)| f.keeps(p)));
    assert_eq!(summary(&files).chosen(&f), summary(&files).total);
    assert_eq!(f.read_options(), crate::ReadOptions::default());
}

#[test]
fn a_filter_keeps_its_days_accounts_and_regions_and_counts_them() {
    let files = tree();
    let s = summary(&files);
    let f = LoadFilter {
        days: Some(("2024-03-02".into(), "2024-03-03".into())),
        accounts: set(&["222222222222"]),
        regions: None,
        other: false,
        drop_read_only: true,
    };
    let kept = |p: &str| {
        p.contains("/222222222222/") && (p.contains("/2024/03/02/") || p.contains("/2024/03/03/"))
    };
    for (p, _) in &files {
        assert_eq!(f.keeps(p), kept(p), "{p}");
    }
    // Two days × two regions of one account, log and digest files.
    assert_eq!(s.chosen(&f), count(&files, kept));
    assert_eq!(s.chosen(&f).files, files.iter().filter(|(p, _)| kept(p)).count() as u64);
    assert!(f.read_options().drop_read_only);
    let (read, left) = f.split(files.clone(), |(p, _)| p.as_str());
    assert_eq!((read.len() + left.len(), read.len() as u64), (files.len(), s.chosen(&f).files));
    assert!(read.iter().all(|(p, _)| kept(p)) && left.iter().all(|(p, _)| !kept(p)));
}

/// Differential: for many filters, the summary's count equals the count of the paths `keeps`
/// keeps.
#[test]
fn chosen_agrees_with_keeps_for_every_filter() {
    let files = tree();
    let s = summary(&files);
    let all_days: Vec<String> = s.days.iter().map(|d| d.name.clone()).collect();
    let mut checked = 0;
    for (i, from) in all_days.iter().enumerate() {
        for to in all_days.iter().skip(i) {
            for accounts in [None, set(&["111111111111"]), set(&[]), set(&ACCOUNTS[1..])] {
                for regions in [None, set(&["us-east-1"])] {
                    for other in [true, false] {
                        let f = LoadFilter {
                            days: Some((from.clone(), to.clone())),
                            accounts: accounts.clone(),
                            regions: regions.clone(),
                            other,
                            drop_read_only: false,
                        };
                        assert_eq!(s.chosen(&f), count(&files, |p| f.keeps(p)), "{f:?}");
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(checked, 28 * 4 * 2 * 2);
}

#[test]
fn small_or_uniform_drops_are_read_at_once() {
    let k = |a: usize, d: usize, n: u32| key(ACCOUNTS[a], REGIONS[0], DAYS[d % 6], n, false);
    // Many files of one day, account and region: nothing to choose.
    let one: Vec<(String, u64)> = (0..5000).map(|n| (k(0, 0, n), 1000)).collect();
    assert!(!summary(&one).worth_choosing());
    // Spread over days but few and small (the identities test's drop: 483 files of 900 events).
    let few: Vec<(String, u64)> = (0..999).map(|n| (k(0, n as usize, n), 1000)).collect();
    assert!(!summary(&few).worth_choosing());
    // One more file: enough.
    let mut enough = few.clone();
    enough.push((k(1, 0, 999), 10));
    assert!(summary(&enough).worth_choosing());
    // Few files, but big: 256 MiB of JSON, or a sixth of it gzipped.
    let big: Vec<(String, u64)> = (0..4).map(|n| (k(0, n as usize, n), 64 << 20)).collect();
    assert!(summary(&big).worth_choosing());
    let gz = |size: u64| -> Vec<(String, u64)> {
        (0..4).map(|n| (k(0, n as usize, n).replace(".json.gz", ".JSON.GZ"), size)).collect()
    };
    assert!(summary(&gz(11 << 20)).worth_choosing(), "4 × 11 MiB gzip ≈ 264 MiB of JSON");
    assert!(!summary(&gz(10 << 20)).worth_choosing(), "4 × 10 MiB gzip ≈ 240 MiB of JSON");
    let plain: Vec<(String, u64)> =
        gz(11 << 20).into_iter().map(|(p, s)| (p.replace(".JSON.GZ", ".json"), s)).collect();
    assert!(!summary(&plain).worth_choosing(), "44 MiB of plain JSON");
    assert_eq!(summary(&plain).keyed_json, 44 << 20);
    // Files without AWS keys never ask.
    let plain: Vec<(String, u64)> = (0..1000).map(|n| (format!("f{n}.json"), 1 << 20)).collect();
    let s = summary(&plain);
    assert!(!s.worth_choosing());
    assert!(s.days.is_empty() && s.accounts.is_empty());
    assert_eq!(s.other, Size { files: 1000, bytes: 1000 << 20 });
}

#[test]
fn a_long_span_lists_only_the_days_with_files() {
    let files = vec![
        (key(ACCOUNTS[0], REGIONS[0], "2022-01-01", 0, false), 1),
        (key(ACCOUNTS[0], REGIONS[0], "2024-06-30", 1, false), 1),
    ];
    let s = summary(&files);
    assert_eq!(s.days.len(), 2);
    // A key whose date is not a real one is listed as it is.
    let odd = vec![(key(ACCOUNTS[0], REGIONS[0], "2024-13-40", 0, false), 1)];
    let s = summary(&odd);
    assert_eq!(s.days.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), ["2024-13-40"]);
}

#[test]
fn file_names_alone_are_keys_too() {
    // A flat folder of downloaded log files: the name says account, region and day.
    let files: Vec<(String, u64)> = (0..3)
        .map(|n| {
            (
                format!(
                    "downloads/{}_CloudTrail_eu-west-1_2024030{}T1200Z_ab.json.gz",
                    ACCOUNTS[0],
                    n + 1
                ),
                5,
            )
        })
        .collect();
    let s = summary(&files);
    assert_eq!(s.days_with_files(), 3);
    let f = LoadFilter {
        days: Some(("2024-03-02".into(), "2024-03-02".into())),
        ..LoadFilter::default()
    };
    assert_eq!(s.chosen(&f), Size { files: 1, bytes: 5 });
    assert!(f.keeps(&files[1].0) && !f.keeps(&files[0].0));
}
