//! `trailglass-scan --out FILE`: the streamed NDJSON, Records and Parquet outputs hold exactly
//! the query's matches (read back by `trailglass-scan` itself, by serde_json and by the parquet
//! crate's reader), zip members are read one by one, progress goes to stderr, and a bad
//! `--format` or an unwritable `--out` exits with a clear error.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use serde_json::Value;
use trailglass_core::{query, Column, Store};
use trailglass_sample::{generate, SynthOptions};

const SCAN: &str = env!("CARGO_BIN_EXE_trailglass-scan");

/// 1,500 generated events in three files, one of them inside a zip with a second member.
fn fixture(name: &str) -> (PathBuf, Store) {
    let dir = std::env::temp_dir().join(format!("tg-out-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("in")).unwrap();
    let files =
        generate(&SynthOptions { events: 1500, events_per_file: 400, ..Default::default() });
    let mut store = Store::new();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (i, f) in files.iter().enumerate() {
        store.ingest(&format!("f{i}"), &f.bytes);
        if i < 2 {
            std::fs::write(dir.join("in").join(format!("f{i}.json")), &f.bytes).unwrap();
        } else {
            zip.start_file(format!("logs/f{i}.json"), opts).unwrap();
            zip.write_all(&f.bytes).unwrap();
        }
    }
    std::fs::write(dir.join("in/more.zip"), zip.finish().unwrap().into_inner()).unwrap();
    (dir, store)
}

fn scan(args: &[&str], paths: &[&Path]) -> (i32, String, String) {
    let out = Command::new(SCAN).args(args).args(paths).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn summary(stdout: &str) -> Value {
    let mut lines = stdout.lines();
    let v = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(lines.next(), None, "stdout holds the summary alone");
    v
}

const Q: &str = "service:s3 OR error:*";

#[test]
fn ndjson_and_records_hold_the_matches() {
    let (dir, store) = fixture("json");
    let want = query::parse(Q).unwrap().run(&store).len();
    assert!(want > 0);
    for name in ["x.ndjson", "x.json"] {
        let out = dir.join(name);
        let (code, stdout, stderr) =
            scan(&["--query", Q, "--out", out.to_str().unwrap()], &[&dir.join("in")]);
        assert_eq!(code, 0, "{stderr}");
        let s = summary(&stdout);
        assert_eq!(s["matches"], want, "{name}");
        assert_eq!(s["written"], want, "{name}");
        assert_eq!(s["kept"], store.len());
        // 2 files + 2 zip members.
        assert_eq!(s["files"].as_array().unwrap().len(), 4, "{stdout}");
        assert!(s["files"].as_array().unwrap().iter().any(|f| f["member"] == "logs/f3.json"));
        let text = std::fs::read_to_string(&out).unwrap();
        if name.ends_with(".ndjson") {
            assert_eq!(text.lines().count(), want);
            for l in text.lines() {
                serde_json::from_str::<Value>(l).unwrap();
            }
        } else {
            let v: Value = serde_json::from_str(&text).expect("Records output is valid JSON");
            assert_eq!(v["Records"].as_array().unwrap().len(), want);
        }
        // Read back: the same events, and the same query matches all of them.
        let (code, stdout, stderr) = scan(&["--query", Q], &[&out]);
        assert_eq!(code, 0, "{stderr}");
        let back = summary(&stdout);
        assert_eq!(back["kept"], want, "{name}");
        assert_eq!(back["matches"], want, "{name}");
    }
}

#[test]
fn parquet_rows_and_columns() {
    let (dir, store) = fixture("parquet");
    let out = dir.join("all.parquet");
    let (code, stdout, stderr) = scan(&["--out", out.to_str().unwrap()], &[&dir.join("in")]);
    assert_eq!(code, 0, "{stderr}");
    let s = summary(&stdout);
    assert_eq!(s["written"], store.len());
    assert_eq!(s["format"], "parquet");
    let bytes = std::fs::read(&out).unwrap();
    let reader = SerializedFileReader::new(bytes::Bytes::from(bytes)).unwrap();
    assert_eq!(reader.metadata().file_metadata().num_rows(), store.len() as i64);
    // Rows come in input order (files sorted by name: f0, f1, then the zip's members), as the
    // whole store read them in the same order.
    let mut raws = store.raw_reader();
    for (row, rec) in reader.get_row_iter(None).unwrap().enumerate() {
        let rec = rec.unwrap();
        let cols: Vec<(&String, &Field)> = rec.get_column_iter().collect();
        let get = |name: &str| cols.iter().find(|(n, _)| *n == name).unwrap().1.clone();
        assert_eq!(get("eventName"), Field::Str(store.get(row, Column::Action).to_string()));
        assert_eq!(get("eventSource"), Field::Str(store.get(row, Column::Service).to_string()));
        assert_eq!(get("eventTime"), Field::TimestampMillis(store.time_ms(row).unwrap()));
        let id = query::field_text(&store, row, "eventID").unwrap();
        assert_eq!(get("eventID"), Field::Str(id));
        assert_eq!(get("raw"), Field::Str(raws.get(row).to_string()));
        match store.get(row, Column::ErrorCode) {
            "" => assert_eq!(get("errorCode"), Field::Null),
            e => assert_eq!(get("errorCode"), Field::Str(e.to_string())),
        }
    }
    // Read back by trailglass-scan: each row's raw is its event again, with the same matches.
    let want = query::parse(Q).unwrap().run(&store).len();
    let (code, stdout, stderr) = scan(&["--query", Q], &[&out]);
    assert_eq!(code, 0, "{stderr}");
    let back = summary(&stdout);
    assert_eq!(
        (back["kept"].as_u64(), back["matches"].as_u64()),
        (Some(store.len() as u64), Some(want as u64))
    );
    assert_eq!(back["files"][0]["format"], "Parquet", "{stdout}");
}

/// Security Lake's Parquet (pyarrow-written fixtures of crates/parquet) read as OCSF records.
#[test]
fn security_lake_parquet_is_read_as_its_ocsf_records() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../parquet/tests/fixtures");
    let one = fixtures.join("security_lake_1_0_zstd.parquet");
    let (code, stdout, stderr) =
        scan(&["--query", "action:AssumeRole OR error:AccessDenied"], &[&one]);
    assert_eq!(code, 0, "{stderr}");
    let s = summary(&stdout);
    assert_eq!((s["kept"].as_u64(), s["matches"].as_u64()), (Some(3), Some(2)), "{stdout}");
    assert_eq!(s["files"][0]["format"], "OCSF Parquet (Security Lake)");
    // A file that only looks like Parquet: why it was not read, no events.
    let dir = std::env::temp_dir().join(format!("tg-pq-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.parquet");
    std::fs::write(&bad, [b"PAR1".as_slice(), &[7; 64], b"PAR1"].concat()).unwrap();
    let (code, stdout, _) = scan(&[], &[&bad]);
    assert_eq!(code, 0);
    let s = summary(&stdout);
    assert_eq!(s["kept"], 0);
    let skipped = s["files"][0]["skipped"].as_str().unwrap_or_default();
    assert!(skipped.starts_with("the Parquet file was not read"), "{stdout}");
}

#[test]
fn rule_terms_run_per_file() {
    let (dir, _) = fixture("rules");
    let out = dir.join("hi.ndjson");
    let (code, whole, stderr) =
        scan(&["--query", "level:high OR level:critical"], &[&dir.join("in")]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = scan(
        &["--query", "level:high OR level:critical", "--out", out.to_str().unwrap()],
        &[&dir.join("in")],
    );
    assert_eq!(code, 0, "{stderr}");
    let s = summary(&stdout);
    assert_eq!(s["written"], s["matches"]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count() as u64, s["written"].as_u64().unwrap());
    // Per file, a rule can only see less than over the whole input (no correlation across files).
    assert!(s["matches"].as_u64() <= summary(&whole)["matches"].as_u64());
}

#[test]
fn the_output_is_not_read_as_an_input() {
    let (dir, store) = fixture("inside");
    let out = dir.join("in/x.ndjson");
    let (code, stdout, stderr) = scan(&["--out", out.to_str().unwrap()], &[&dir.join("in")]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(summary(&stdout)["written"], store.len());
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), store.len());
}

#[test]
fn progress_goes_to_stderr() {
    let (dir, _) = fixture("progress");
    let out = dir.join("x.jsonl");
    let (code, stdout, stderr) = scan(&["--out", out.to_str().unwrap()], &[&dir.join("in")]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("events written") && stderr.contains("3/3 files"), "{stderr}");
    assert!(!stdout.contains("events written"));
    summary(&stdout);
}

#[test]
fn bad_format_and_unwritable_out_are_clear_errors() {
    let (dir, _) = fixture("errors");
    let input = dir.join("in");
    let out = dir.join("x.out");
    let (code, stdout, stderr) =
        scan(&["--out", out.to_str().unwrap(), "--format", "csv"], &[&input]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("--format csv") && stderr.contains("ndjson, records or parquet"));
    let (code, _, stderr) = scan(&["--out", out.to_str().unwrap()], &[&input]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("cannot tell the format") && stderr.contains("--format"), "{stderr}");
    let (code, _, stderr) = scan(&["--format", "ndjson"], &[&input]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--format needs --out"), "{stderr}");
    let (code, _, stderr) = scan(&["--out", "x.ndjson", "--ids", "--query", "x"], &[&input]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--ids needs the whole input"), "{stderr}");
    let nowhere = dir.join("no/such/folder/x.ndjson");
    let (code, stdout, stderr) = scan(&["--out", nowhere.to_str().unwrap()], &[&input]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("cannot create") && stderr.contains("writable"), "{stderr}");
}
