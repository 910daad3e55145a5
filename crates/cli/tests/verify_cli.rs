//! `trailglass-scan --verify`: on a signed two-digest tree written to a temp dir (signed here as
//! CloudTrail signs, with a key generated for the test), the `"integrity"` JSON says which log
//! files are valid, modified or not covered and which signatures hold; `--public-keys` without
//! `--verify`, `--verify` with `--out`, and an unreadable key file exit 2.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::io::Write;
use std::path::Path;
use std::process::Command;

use base64::Engine as _;
use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};

const SCAN: &str = env!("CARGO_BIN_EXE_trailglass-scan");

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn write_gz(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    std::fs::write(path, e.finish().unwrap()).unwrap();
}

/// Two digests, each listing one log file; returns the key file's path.
fn signed_tree(dir: &Path) -> std::path::PathBuf {
    let key = RsaPrivateKey::new(&mut rand::thread_rng(), 1024).unwrap();
    let mut previous = (Value::Null, Value::Null, "null".to_owned());
    for hour in 1..=2 {
        let log_key = format!(
            "AWSLogs/1/CloudTrail/eu-west-1/2026/12/03/1_CloudTrail_eu-west-1_h{hour}.json.gz"
        );
        let log = format!(
            r#"{{"Records":[{{"eventTime":"2026-12-03T0{hour}:10:00Z","eventName":"Get{hour}","eventID":"e{hour}"}}]}}"#
        );
        write_gz(&dir.join(&log_key), log.as_bytes());
        let object = format!(
            "AWSLogs/1/CloudTrail-Digest/eu-west-1/2026/12/03/1_CloudTrail-Digest_h{hour}.json.gz"
        );
        let end = format!("2026-12-03T0{hour}:59:59Z");
        let digest = json!({"digestStartTime": format!("2026-12-03T0{hour}:00:00Z"),
            "digestEndTime": end, "digestS3Bucket": "b", "digestS3Object": object,
            "digestPublicKeyFingerprint": "fp1", "digestSignatureAlgorithm": "SHA256withRSA",
            "previousDigestS3Bucket": if previous.0.is_null() { Value::Null } else { json!("b") },
            "previousDigestS3Object": previous.0, "previousDigestHashValue": previous.1,
            "previousDigestSignature": if hour == 1 { Value::Null } else { json!(previous.2) },
            "logFiles": [{"s3Bucket": "b", "s3Object": log_key,
                "hashValue": hex_of(&Sha256::digest(log.as_bytes())), "hashAlgorithm": "SHA-256"}]});
        let bytes = digest.to_string().into_bytes();
        write_gz(&dir.join(&object), &bytes);
        let hash = hex_of(&Sha256::digest(&bytes));
        let signed = format!("{end}\nb/{object}\n{hash}\n{}", previous.2);
        let sig = key.sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(signed)).unwrap();
        previous = (json!(object), json!(hash), hex_of(&sig));
    }
    let der = key.to_public_key().to_pkcs1_der().unwrap();
    let value = base64::engine::general_purpose::STANDARD.encode(der.as_bytes());
    let keys = dir.join("keys.json");
    let list = json!({"PublicKeyList": [{"Value": value, "Fingerprint": "fp1",
        "ValidityStartTime": "2026-01-01T00:00:00Z", "ValidityEndTime": "2027-01-01T00:00:00Z"}]});
    std::fs::write(&keys, list.to_string()).unwrap();
    keys
}

fn scan(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(SCAN).args(args).output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

fn verdicts(integrity: &Value, list: &str, field: &str) -> Vec<String> {
    integrity[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e[field].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn verify_reports_integrity_in_the_summary() {
    let dir = std::env::temp_dir().join(format!("tg-verify-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let keys = signed_tree(&dir.join("logs"));
    let logs = dir.join("logs");
    let (code, stdout, stderr) =
        scan(&["--verify", "--public-keys", keys.to_str().unwrap(), logs.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let i = &v["integrity"];
    // keys.json is in the folder too, and is left out as the key file.
    assert_eq!(verdicts(i, "log_files", "verdict"), ["valid", "valid"], "{i:#}");
    assert_eq!(verdicts(i, "digests", "signature"), ["valid", "unchecked-newest"], "{i:#}");
    assert_eq!(verdicts(i, "digests", "chain"), ["ok", "ok"]);
    assert_eq!(i["summary"]["verified"], 2);
    assert_eq!(i["summary"]["chain"]["complete"], true);
    assert_eq!(i["summary"]["chain"]["from"], "2026-12-03T01:00:00Z");
    // The store still read the events (digests are recognised and skipped there).
    assert_eq!(v["events"], 2, "{stdout}");
    assert_eq!(v["digests"], 2, "{stdout}");

    // A changed log file; no key file: signatures unchecked.
    let changed =
        logs.join("AWSLogs/1/CloudTrail/eu-west-1/2026/12/03/1_CloudTrail_eu-west-1_h1.json.gz");
    write_gz(&changed, br#"{"Records":[]}"#);
    let (code, stdout, _) = scan(&["--verify", logs.to_str().unwrap()]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let i = &v["integrity"];
    let entry = i["log_files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"].as_str().unwrap().ends_with("h1.json.gz"))
        .unwrap();
    assert_eq!(entry["verdict"], "modified", "{i:#}");
    assert_eq!(verdicts(i, "digests", "signature"), ["unchecked-no-key", "unchecked-newest"]);
    assert_eq!(i["summary"]["modified"], 1);
    // Without --public-keys, keys.json is just a file no digest lists.
    assert_eq!(i["summary"]["not_covered"], 1, "{i:#}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn verify_flags_are_checked() {
    let (code, stdout, _) = scan(&["--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("--verify") && stdout.contains("--public-keys"), "{stdout}");
    let (code, _, stderr) = scan(&["--public-keys", "k.json", "x"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--public-keys needs --verify"), "{stderr}");
    let (code, _, stderr) = scan(&["--verify", "--out", "o.ndjson", "x"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--verify"), "{stderr}");
    let (code, _, stderr) = scan(&["--verify", "--public-keys", "/nonexistent/k.json", "x"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot read --public-keys"), "{stderr}");
}
