//! The generator's own checks: tables, time format, determinism, counts and order, realism,
//! the story. Reading the sample with the engine is tested in `crates/core/tests/sample.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::catalogue::*;
use crate::story::RECON;

fn small(events: usize, attack: bool) -> SynthOptions {
    SynthOptions { events, events_per_file: 500, attack_story: attack, ..SynthOptions::default() }
}

fn records(f: &SynthFile) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_slice(&f.bytes).expect("file is JSON");
    v["Records"].as_array().expect("Records").clone()
}

#[test]
fn tables_non_empty() {
    assert!(SERVICES.len() >= 40);
    assert!(SERVICES.iter().all(|s| !s.actions.is_empty()));
    assert!(PRINCIPALS.iter().all(|p| !p.ips.is_empty() && p.uas.iter().all(|u| !u.is_empty())));
    for set in [
        UA_CLI,
        UA_CONSOLE,
        UA_SDK,
        UA_LAMBDA,
        UA_TF,
        UA_GO,
        UA_DD,
        UA_HOSTILE,
        HOME_IPS,
        BUCKETS,
        KEYS_PLAIN,
        KEYS_UNICODE,
        TAG_VALUES,
        HOSTILE,
        SECRETS,
        FUNCTIONS,
        TABLES,
        INSTANCE_TYPES,
        REGIONS,
    ] {
        assert!(!set.is_empty());
    }
    assert!(!SERVICE_ACTIONS.is_empty() && !RECON.is_empty());
}

#[test]
fn time_format() {
    assert_eq!(fmt_time(1_709_510_400_000), "2024-03-04T00:00:00Z");
    assert_eq!(fmt_time(0), "1970-01-01T00:00:00Z");
    assert_eq!(fmt_time(951_825_599_000), "2000-02-29T11:59:59Z");
    assert_eq!(fmt_time(-1000), "1969-12-31T23:59:59Z");
}

#[test]
fn deterministic() {
    let a = generate(&small(3000, true));
    let b = generate(&small(3000, true));
    assert_eq!(a, b);
    let c = generate(&SynthOptions { seed: 99, ..small(3000, true) });
    assert_ne!(a, c);
}

#[test]
fn counts_validity_and_order() {
    for (n, epf) in [
        (0usize, 500usize),
        (1, 500),
        (499, 500),
        (500, 500),
        (501, 500),
        (2345, 500),
        (10, 3),
        (80, 1000),
    ] {
        let files =
            generate(&SynthOptions { events: n, events_per_file: epf, ..SynthOptions::default() });
        assert_eq!(files.len(), n.div_ceil(epf), "n={n} epf={epf}");
        let mut total = 0;
        let mut ids = std::collections::HashSet::new();
        for f in &files {
            let recs = records(f);
            assert!(!recs.is_empty() && recs.len() <= epf);
            total += recs.len();
            let mut prev = String::new();
            for r in &recs {
                let t = r["eventTime"].as_str().unwrap().to_string();
                assert_eq!(t.len(), 20, "{t}");
                assert!(t >= prev, "eventTime decreases in {}: {prev} > {t}", f.path);
                prev = t;
                assert!(
                    ids.insert(r["eventID"].as_str().unwrap().to_string()),
                    "duplicate eventID"
                );
                let id = r["eventID"].as_str().unwrap();
                assert_eq!(id.len(), 36);
                assert_eq!(&id[14..15], "4");
            }
            // Path in AWS layout.
            assert!(f.path.starts_with("AWSLogs/") && f.path.ends_with(".json"), "{}", f.path);
            let parts: Vec<&str> = f.path.split('/').collect();
            assert_eq!(parts.len(), 8, "{}", f.path);
            assert_eq!(parts[2], "CloudTrail");
            let fname = parts[7];
            assert!(
                fname.starts_with(&format!("{}_CloudTrail_{}_", parts[1], parts[3])),
                "{}",
                f.path
            );
            // Compact on one line.
            assert!(!f.bytes.contains(&b'\n'));
        }
        assert_eq!(total, n);
    }
}

#[test]
fn realism_mix_and_sizes() {
    let files = generate(&SynthOptions { events: 20_000, ..SynthOptions::default() });
    let mut sizes = Vec::new();
    let mut types = std::collections::BTreeMap::<String, usize>::new();
    let mut cats = std::collections::BTreeMap::<String, usize>::new();
    let mut services = std::collections::BTreeSet::new();
    let (mut errors, mut total) = (0usize, 0usize);
    let mut text = String::new();
    for f in &files {
        text.push_str(std::str::from_utf8(&f.bytes).unwrap());
        for r in records(f) {
            total += 1;
            sizes.push(serde_json::to_vec(&r).unwrap().len());
            if let Some(t) = r["userIdentity"]["type"].as_str() {
                *types.entry(t.to_string()).or_default() += 1;
            }
            *cats.entry(r["eventCategory"].as_str().unwrap_or("").to_string()).or_default() += 1;
            if let Some(s) = r["eventSource"].as_str() {
                services.insert(s.to_string());
            }
            if r.get("errorCode").is_some() || r.get("errorMessage").is_some() {
                errors += 1;
            }
            if r["eventCategory"] == "Insight" {
                assert!(r.get("eventName").is_none());
                assert!(r["insightDetails"]["insightContext"]["statistics"].is_object());
            }
        }
    }
    sizes.sort_unstable();
    let median = sizes[sizes.len() / 2];
    assert!((700..=1700).contains(&median), "median record {median} bytes");
    for t in [
        "IAMUser",
        "AssumedRole",
        "Root",
        "AWSService",
        "FederatedUser",
        "AWSAccount",
        "SAMLUser",
        "WebIdentityUser",
    ] {
        assert!(types.get(t).copied().unwrap_or(0) > 0, "no {t}: {types:?}");
    }
    for c in ["Management", "Data", "NetworkActivity", "Insight"] {
        assert!(cats.get(c).copied().unwrap_or(0) > 0, "no {c}: {cats:?}");
    }
    assert!(services.len() >= 35, "{}", services.len());
    let rate = errors as f64 / total as f64;
    assert!((0.03..=0.08).contains(&rate), "error rate {rate}");
    for needle in [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "=HYPERLINK(\\\"http://x\\\")",
        "日本",
        "é",
        "🚀",
        "AWS Internal",
        "2a02:",
        "lambda.amazonaws.com",
    ] {
        assert!(text.contains(needle), "missing {needle}");
    }
}

#[test]
fn attack_story_present() {
    let opts = SynthOptions::default();
    let files = generate(&opts);
    let all: Vec<serde_json::Value> = files.iter().flat_map(records).collect();
    let from_attacker: Vec<&serde_json::Value> =
        all.iter().filter(|r| r["sourceIPAddress"] == ATTACKER_IP).collect();
    assert!(from_attacker.len() >= 70, "{}", from_attacker.len());
    let has = |name: &str| from_attacker.iter().any(|r| r["eventName"] == name);
    for n in [
        "GetCallerIdentity",
        "ListBuckets",
        "CreateUser",
        "CreateAccessKey",
        "AttachUserPolicy",
        "StopLogging",
        "DeleteTrail",
        "PutBucketPolicy",
        "GetSecretValue",
        "GetObject",
    ] {
        assert!(has(n), "story lacks {n}");
    }
    let denied = from_attacker
        .iter()
        .filter(|r| {
            r["errorCode"]
                .as_str()
                .is_some_and(|c| c.contains("Denied") || c.contains("Unauthorized"))
        })
        .count();
    assert!(denied >= 15, "{denied}");
    let first = from_attacker.iter().map(|r| r["eventTime"].as_str().unwrap()).min().unwrap();
    assert_eq!(first, "2024-03-08T09:00:00Z");
    assert!(
        all.iter().any(|r| r["userIdentity"]["accessKeyId"] == LEAKED_KEY
            && r["sourceIPAddress"] != ATTACKER_IP),
        "victim's normal use"
    );
    let text: String =
        files.iter().map(|f| String::from_utf8_lossy(&f.bytes).into_owned()).collect();
    assert!(
        text.contains(BACKDOOR_KEY)
            && text.contains("AdministratorAccess")
            && text.contains(PUBLIC_BUCKET)
    );
    // Without the story: no attacker.
    let quiet = generate(&SynthOptions { attack_story: false, ..opts });
    assert!(!quiet.iter().any(|f| String::from_utf8_lossy(&f.bytes).contains(ATTACKER_IP)));
}

#[test]
fn gzip_round_trip() {
    let f = &generate(&small(300, false))[0];
    let gz = gzip(&f.bytes);
    assert!(gz.len() < f.bytes.len() / 3);
    let mut d = flate2::read::GzDecoder::new(&gz[..]);
    let mut back = Vec::new();
    std::io::Read::read_to_end(&mut d, &mut back).unwrap();
    assert_eq!(back, f.bytes);
}
