//! `trailglass-scan --detections [--rules PATH]...`: the detections and unsupported rules in the
//! JSON, user rules from files and folders, duplicates counted once and distinct events sharing
//! an eventID each counted, and the JSON without `--detections` unchanged.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const SCAN: &str = env!("CARGO_BIN_EXE_trailglass-scan");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scan(args: &[&str]) -> (i32, Value, String) {
    let out = Command::new(SCAN).args(args).output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = stdout.lines().next().and_then(|l| serde_json::from_str(l).ok());
    (out.status.code().unwrap_or(-1), json.unwrap_or(Value::Null), stderr)
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tg-detections-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn detection<'a>(out: &'a Value, title: &str) -> &'a Value {
    out["detections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["title"] == title)
        .unwrap_or_else(|| panic!("no detection {title} in {out}"))
}

#[test]
fn builtin_detections_with_their_metadata() {
    let fixture = root().join("tests/sigma/aws_cloudtrail_disable_logging.json");
    let f = fixture.to_str().unwrap();
    let (code, out, stderr) = scan(&["--detections", f]);
    assert_eq!(code, 0, "{stderr}");
    let d = detection(&out, "AWS CloudTrail Important Change");
    assert_eq!(d["rule"], "4db60cc0-36fb-42b7-9b58-a5b53019fb74");
    assert_eq!((d["level"].as_str(), d["author"].as_str()), (Some("medium"), Some("vitaliy0x1")));
    assert_eq!(d["attack"], serde_json::json!(["T1685.002"]));
    assert_eq!(d["matches"], 3);
    assert_eq!(d["ids"], serde_json::json!(["match-1", "match-2", "match-3"]));
    assert_eq!(out["unsupported"], serde_json::json!([]));
    // Every listed detection matched something; base rules of correlations are not listed.
    for d in out["detections"].as_array().unwrap() {
        assert!(d["matches"].as_u64().unwrap() >= 1);
        assert_eq!(d["ids"].as_array().unwrap().len() as u64, d["matches"].as_u64().unwrap());
    }
    // The same file twice: its events are duplicates, counted once.
    let (_, twice, _) = scan(&["--detections", f, f]);
    assert_eq!(detection(&twice, "AWS CloudTrail Important Change")["matches"], 3);
    // Without --detections the JSON has neither key (and is otherwise the same).
    let (_, plain, _) = scan(&[f]);
    assert!(plain.get("detections").is_none() && plain.get("unsupported").is_none());
    let mut with = out.clone();
    let obj = with.as_object_mut().unwrap();
    obj.remove("detections");
    obj.remove("unsupported");
    obj.remove("seconds");
    let mut plain = plain;
    plain.as_object_mut().unwrap().remove("seconds");
    assert_eq!(with, plain);
}

const EVENTS: &str = r#"{"Records":[
{"eventID":"same","eventName":"MyThing","eventSource":"x.amazonaws.com","eventTime":"2024-01-01T00:00:00Z","n":1},
{"eventID":"same","eventName":"MyThing","eventSource":"x.amazonaws.com","eventTime":"2024-01-01T00:00:01Z","n":2},
{"eventID":"other","eventName":"MyThing","eventSource":"x.amazonaws.com","eventTime":"2024-01-01T00:00:02Z"}
]}"#;

const MINE: &str =
    "title: My thing\nid: user-rule-1\nauthor: me\nlevel: high\ntags:\n  - attack.t1078\n\
                    detection:\n  s:\n    eventName: mything\n  condition: s\n";
const BROKEN: &str =
    "title: Broken\nid: broken-1\ndetection:\n  s:\n    eventName|base64: x\n  condition: s\n";

#[test]
fn user_rules_from_files_and_folders() {
    let d = tmp("user");
    std::fs::write(d.join("events.json"), EVENTS).unwrap();
    let rules = d.join("rules");
    std::fs::create_dir_all(rules.join("sub")).unwrap();
    std::fs::write(rules.join("mine.yml"), MINE).unwrap();
    std::fs::write(rules.join("sub/broken.yaml"), BROKEN).unwrap();
    std::fs::write(rules.join("notes.txt"), "not a rule").unwrap();
    let events = d.join("events.json");
    let (code, out, stderr) =
        scan(&["--detections", "--rules", rules.to_str().unwrap(), events.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let m = detection(&out, "My thing");
    assert_eq!(m["rule"], "user-rule-1");
    assert_eq!((m["author"].as_str(), m["level"].as_str()), (Some("me"), Some("high")));
    assert_eq!(m["attack"], serde_json::json!(["T1078"]));
    // Two distinct events share an eventID: both count, the id is listed twice.
    assert_eq!(m["matches"], 3);
    assert_eq!(m["ids"], serde_json::json!(["other", "same", "same"]));
    let unsupported = out["unsupported"].as_array().unwrap();
    assert_eq!(unsupported.len(), 1, "{unsupported:?}");
    let reason = unsupported[0]["reason"].as_str().unwrap();
    assert!(reason.contains("broken.yaml:5:") && reason.contains("base64"), "{reason}");
    // A single file given with --rules is read whatever its name.
    let single = rules.join("mine.yml");
    let (_, out, _) =
        scan(&["--detections", "--rules", single.to_str().unwrap(), events.to_str().unwrap()]);
    assert_eq!(detection(&out, "My thing")["matches"], 3);
    assert_eq!(out["unsupported"], serde_json::json!([]));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn rules_flag_needs_detections_and_help_lists_both() {
    let (code, _, stderr) = scan(&["--rules", "x.yml", "y.json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--rules needs --detections"), "{stderr}");
    let (code, _, stderr) = scan(&["--detections", "--rules"]);
    assert_eq!(code, 2, "{stderr}");
    let out = Command::new(SCAN).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("--detections") && help.contains("--rules PATH"), "{help}");
}

#[test]
fn a_query_selects_the_events_of_detections() {
    let fixture = root().join("tests/sigma/aws_cloudtrail_disable_logging.json");
    let f = fixture.to_str().unwrap();
    let (code, out, stderr) = scan(&["--query", "rule:4db60cc0-36fb-42b7-9b58-a5b53019fb74", f]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(out["matches"], 3, "the detection's three events");
    assert!(out.get("detections").is_none(), "a query alone does not list detections");
    let (_, out, _) = scan(&["--query", "-rule:4db60cc0-36fb-42b7-9b58-a5b53019fb74", f]);
    let all = out["kept"].as_u64().unwrap();
    assert_eq!(out["matches"].as_u64(), Some(all - 3));
    let (_, out, _) = scan(&["--query", "technique:T1685* level>=medium", "--detections", f]);
    let d = detection(&out, "AWS CloudTrail Important Change");
    assert!(out["matches"].as_u64().unwrap() >= d["matches"].as_u64().unwrap());
    // A user's rule named in the query, from --rules without --detections.
    let dir = tmp("query-rules");
    std::fs::write(dir.join("mine.yml"), MINE).unwrap();
    std::fs::write(dir.join("events.json"), EVENTS).unwrap();
    let (code, out, stderr) = scan(&[
        "--rules",
        dir.join("mine.yml").to_str().unwrap(),
        "--query",
        "rule:user-rule-1",
        dir.join("events.json").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(out["matches"], 3);
}
