//! `trailglass-scan --query … [--ids]`: the same answers as the engine, and exit code 2 with the
//! position on a bad query.

use std::process::Command;

use trailglass_core::query;
use trailglass_core::Store;
use trailglass_sample::{generate, SynthOptions};

fn fixture() -> (std::path::PathBuf, Store) {
    let dir = std::env::temp_dir().join(format!("tg-query-cli-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let mut store = Store::new();
    for (i, f) in
        generate(&SynthOptions { events: 1500, events_per_file: 500, ..Default::default() })
            .iter()
            .enumerate()
    {
        let p = dir.join(format!("f{i}.json"));
        assert!(std::fs::write(&p, &f.bytes).is_ok());
        store.ingest(&p.to_string_lossy(), &f.bytes);
    }
    (dir, store)
}

#[test]
fn query_matches_and_ids() {
    let (dir, store) = fixture();
    let q = "service:s3 OR error:*";
    let out = Command::new(env!("CARGO_BIN_EXE_trailglass-scan"))
        .arg("--query")
        .arg(q)
        .arg("--ids")
        .arg(&dir)
        .output();
    let Ok(out) = out else { panic!("cannot run trailglass-scan") };
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let json: serde_json::Value =
        serde_json::from_str(lines.next().unwrap_or("")).unwrap_or_default();
    let rows = query::parse(q).map(|q| q.run(&store)).unwrap_or_default();
    assert!(!rows.is_empty());
    assert_eq!(json["matches"], rows.len());
    assert_eq!(json["kept"], store.len());
    let ids: Vec<&str> = lines.collect();
    let want: Vec<String> = rows
        .iter()
        .map(|&r| query::field_text(&store, r as usize, "eventID").unwrap_or("-".into()))
        .collect();
    assert_eq!(ids, want);

    // Without --query: no "matches" key.
    let Ok(out) = Command::new(env!("CARGO_BIN_EXE_trailglass-scan")).arg(&dir).output() else {
        panic!("cannot run")
    };
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert!(json.get("matches").is_none() && json.get("kept").is_some());

    // A bad query: exit 2, message with the position and a hint.
    let Ok(out) = Command::new(env!("CARGO_BIN_EXE_trailglass-scan"))
        .args(["--query=usr:bob"])
        .arg(&dir)
        .output()
    else {
        panic!("cannot run")
    };
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown field 'usr'")
            && err.contains("0..3")
            && err.contains("did you mean 'user'"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
