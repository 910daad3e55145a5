//! The command lines are strict: an unknown flag or a missing value is an error with the usage
//! (exit 2), `--help` lists every option (exit 0).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

fn run(bin: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(bin).args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const SCAN: &str = env!("CARGO_BIN_EXE_trailglass-scan");
const BENCH: &str = env!("CARGO_BIN_EXE_trailglass-bench");

#[test]
fn scan_rejects_an_unknown_flag_with_the_usage() {
    let (code, stdout, stderr) = run(SCAN, &["--bogus", "x.json"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("--bogus") && stderr.contains("usage: trailglass-scan"), "{stderr}");
}

#[test]
fn scan_needs_a_value_for_query_and_a_path() {
    let (code, _, stderr) = run(SCAN, &["--query"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("usage:"), "{stderr}");
    let (code, _, stderr) = run(SCAN, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no PATH"), "{stderr}");
}

#[test]
fn scan_help_lists_every_option() {
    let (code, stdout, _) = run(SCAN, &["--help"]);
    assert_eq!(code, 0);
    for opt in
        ["--query", "--ids", "--detections", "--rules", "--origins", "--out", "--format", "--help"]
    {
        assert!(stdout.contains(opt), "{opt} missing from:\n{stdout}");
    }
}

#[test]
fn bench_rejects_unknown_flags_and_bad_numbers() {
    let (code, _, stderr) = run(BENCH, &["--bogus"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("usage: trailglass-bench"), "{stderr}");
    let (code, _, stderr) = run(BENCH, &["--events", "many"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not a number"), "{stderr}");
    let (code, stdout, _) = run(BENCH, &["--help"]);
    assert_eq!(code, 0);
    for opt in ["--events", "--seed", "--repeat", "--events-per-file", "--write"] {
        assert!(stdout.contains(opt), "{opt} missing from:\n{stdout}");
    }
}
