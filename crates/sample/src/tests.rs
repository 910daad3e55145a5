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
        "AssumeRole",
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

/// Milliseconds since the epoch of an eventTime (`YYYY-MM-DDTHH:MM:SSZ`), by the days-from-civil
/// algorithm (independent of the generator's own calendar, which goes the other way).
fn ms(t: &str) -> i64 {
    let n = |a: usize, b: usize| t[a..b].parse::<i64>().unwrap();
    let (y, m, d) = (n(0, 4), n(5, 7), n(8, 10));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    ((days * 24 + n(11, 13)) * 60 + n(14, 16)) * 60_000 + n(17, 19) * 1000
}

#[test]
fn ms_reads_what_fmt_time_writes() {
    for t in [0, 951_825_599_000, 1_709_510_400_000, 1_709_888_399_000, -1000] {
        assert_eq!(ms(&fmt_time(t)), t);
    }
}

/// The successful call that issued a temporary key, as an origin resolver sees it.
struct Issue {
    time: i64,
    until: i64,
    arn: String,
    name: String,
    shared: Option<String>,
}

/// Issuing calls by (key, account); panics when one key is issued twice in an account.
fn issues(all: &[serde_json::Value]) -> std::collections::HashMap<(String, String), Issue> {
    let mut issued = std::collections::HashMap::new();
    for r in all {
        let Some(key) = r["responseElements"]["credentials"]["accessKeyId"].as_str() else {
            continue;
        };
        assert!(r.get("errorCode").is_none(), "a failed call issues {key}");
        let name = r["eventName"].as_str().unwrap().to_string();
        let default = match name.as_str() {
            "AssumeRole" | "AssumeRoleWithSAML" | "AssumeRoleWithWebIdentity" => 3600,
            "GetSessionToken" | "GetFederationToken" => 43_200,
            other => panic!("{other} issues {key}"),
        };
        let time = ms(r["eventTime"].as_str().unwrap());
        let duration = r["requestParameters"]["durationSeconds"].as_i64().unwrap_or(default);
        let resp = &r["responseElements"];
        let arn = resp["assumedRoleUser"]["arn"].as_str().or(resp["federatedUser"]["arn"].as_str());
        let issue = Issue {
            time,
            until: time + duration * 1000,
            arn: arn.unwrap_or_default().to_string(),
            name,
            shared: r["sharedEventID"].as_str().map(str::to_string),
        };
        let account = r["recipientAccountId"].as_str().unwrap().to_string();
        let prev = issued.insert((key.to_string(), account), issue);
        assert!(prev.is_none(), "{key} issued twice in one account");
    }
    issued
}

/// The contract of the origin resolver: every `ASIA…` key an AssumedRole or FederatedUser
/// identity uses is issued by exactly one successful STS call in the same account, at or before
/// its first use, for the session ARN it is used as, with a lifetime that covers every use and a
/// `creationDate` equal to the call's time; console sessions (root, IAM users) have a successful
/// ConsoleLogin at their `creationDate`.
#[test]
fn every_session_key_is_issued_before_its_uses() {
    let files = generate(&SynthOptions { events: 50_000, ..SynthOptions::default() });
    let all: Vec<serde_json::Value> = files.iter().flat_map(records).collect();
    let issued = issues(&all);
    let logins: std::collections::HashSet<(String, String, String)> = all
        .iter()
        .filter(|r| {
            r["eventName"] == "ConsoleLogin" && r["responseElements"]["ConsoleLogin"] == "Success"
        })
        .map(|r| {
            let s = |v: &serde_json::Value| v.as_str().unwrap().to_string();
            (s(&r["recipientAccountId"]), s(&r["userIdentity"]["arn"]), s(&r["eventTime"]))
        })
        .collect();
    let mut used = std::collections::HashSet::new();
    let (mut by_key, mut by_login) = (0usize, 0usize);
    for r in &all {
        let id = &r["userIdentity"];
        let Some(key) = id["accessKeyId"].as_str().filter(|k| k.starts_with("ASIA")) else {
            continue;
        };
        let account = r["recipientAccountId"].as_str().unwrap().to_string();
        let t = ms(r["eventTime"].as_str().unwrap());
        let created = id["sessionContext"]["attributes"]["creationDate"].as_str().unwrap();
        match id["type"].as_str().unwrap() {
            "AssumedRole" | "FederatedUser" => {
                let what = format!("{key} used in {account} at {}", r["eventTime"]);
                let issue = issued.get(&(key.to_string(), account.clone())).expect(&what);
                assert!(issue.time <= t && t <= issue.until, "{what}: outside its lifetime");
                assert_eq!(issue.arn, id["arn"].as_str().unwrap(), "{what}");
                assert_eq!(ms(created), issue.time, "{what}: creationDate");
                assert_eq!(id["accountId"].as_str(), Some(account.as_str()), "{what}");
                used.insert(key.to_string());
                by_key += 1;
            }
            "Root" | "IAMUser" => {
                let arn = id["arn"].as_str().unwrap().to_string();
                let login = (account, arn, created.to_string());
                assert!(logins.contains(&login), "no ConsoleLogin for {login:?}");
                assert!(ms(created) <= t);
                by_login += 1;
            }
            other => panic!("{other} with {key}"),
        }
    }
    assert!(by_key > 10_000 && by_login > 200, "{by_key} {by_login}");
    // Sessions are used about two dozen times each; the keys issued and never used are few.
    let sessions = issued.len() + logins.len();
    assert!((500..=4000).contains(&sessions), "{sessions} sessions");
    let unused = issued.keys().filter(|(k, _)| !used.contains(k)).count();
    assert!(unused * 4 < issued.len(), "{unused} of {} keys unused", issued.len());
    // Every kind of issuer is there, and a chain of two hops: a role session whose issuer's own
    // key was issued by a role session.
    for n in ["AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "GetFederationToken"]
    {
        assert!(issued.values().any(|i| i.name == n), "no {n}");
    }
    let callers: Vec<&serde_json::Value> = all
        .iter()
        .filter(|r| {
            r["responseElements"]["credentials"].is_object()
                && r["userIdentity"]["type"] == "AssumedRole"
        })
        .collect();
    assert!(callers.iter().any(|r| {
        let id = &r["userIdentity"];
        let key = (
            id["accessKeyId"].as_str().unwrap().to_string(),
            id["accountId"].as_str().unwrap().to_string(),
        );
        issued.get(&key).is_some_and(|i| i.name == "AssumeRole" && i.arn.contains("assumed-role/"))
    }));
    let saml = all.iter().find(|r| r["eventName"] == "AssumeRoleWithSAML").unwrap();
    assert!(saml["responseElements"]["issuer"].is_string());
    assert_eq!(saml["responseElements"]["subject"], "alice@example.com");
    let web = all.iter().find(|r| r["eventName"] == "AssumeRoleWithWebIdentity").unwrap();
    assert!(web["responseElements"]["provider"].as_str().unwrap().contains(":oidc-provider/"));
    assert!(web["responseElements"]["subjectFromWebIdentityToken"]
        .as_str()
        .unwrap()
        .starts_with("repo:"));
    let by_service = all.iter().find(|r| {
        r["eventName"] == "AssumeRole" && r["userIdentity"]["invokedBy"] == "lambda.amazonaws.com"
    });
    assert!(by_service.is_some(), "no AssumeRole by lambda.amazonaws.com");
    // Denied AssumeRole calls exist, rarely, without credentials.
    let denied = all
        .iter()
        .filter(|r| r["eventName"] == "AssumeRole" && r["errorCode"] == "AccessDenied")
        .inspect(|r| assert!(r["responseElements"].is_null()))
        .count();
    assert!((1..=200).contains(&denied), "{denied} denied AssumeRole");
}

#[test]
fn story_moves_into_the_other_accounts() {
    let opts = SynthOptions::default();
    let accounts = crate::gen::Gen::new(&opts).accounts;
    assert_eq!(crate::gen::Gen::new(&opts).story_times().len(), 88, "the crate docs say 88");
    let all: Vec<serde_json::Value> = generate(&opts).iter().flat_map(records).collect();
    let issued = issues(&all);
    let attacker: Vec<&serde_json::Value> =
        all.iter().filter(|r| r["sourceIPAddress"] == ATTACKER_IP).collect();
    let role = |a: &str| format!("arn:aws:iam::{a}:role/OrganizationAccountAccessRole");
    let assume = |a: &str| -> Vec<&serde_json::Value> {
        attacker
            .iter()
            .copied()
            .filter(|r| {
                r["eventName"] == "AssumeRole" && r["requestParameters"]["roleArn"] == role(a)
            })
            .collect()
    };
    // Denied first, straight into the third account.
    let third = assume(&accounts[2]);
    assert!(third.iter().any(|r| r["errorCode"] == "AccessDenied"
        && r["userIdentity"]["accessKeyId"] == LEAKED_KEY
        && r["responseElements"].is_null()));
    // Then into the second: two copies of one call.
    let second = assume(&accounts[1]);
    assert_eq!(second.len(), 2);
    assert!(second[0]["sharedEventID"].is_string());
    assert_eq!(second[0]["sharedEventID"], second[1]["sharedEventID"]);
    assert_eq!(second[0]["requestID"], second[1]["requestID"]);
    assert_ne!(second[0]["eventID"], second[1]["eventID"]);
    let copy = |a: &str| *second.iter().find(|r| r["recipientAccountId"] == a).unwrap();
    let (mine, theirs) = (copy(&accounts[0]), copy(&accounts[1]));
    assert_eq!(mine["userIdentity"]["type"], "IAMUser");
    assert_eq!(mine["userIdentity"]["accessKeyId"], LEAKED_KEY);
    assert_eq!(theirs["userIdentity"]["type"], "AWSAccount");
    assert_eq!(theirs["userIdentity"]["accountId"], accounts[0].as_str());
    assert!(theirs["userIdentity"]["principalId"].as_str().unwrap().starts_with("AIDA"));
    assert_eq!(mine["responseElements"], theirs["responseElements"]);
    assert_eq!(mine["responseElements"]["credentials"]["accessKeyId"], HOP1_KEY);
    // The new key at work in the second account, then the second hop into the third.
    let in_account = |key: &str, a: &str| {
        attacker
            .iter()
            .filter(|r| r["userIdentity"]["accessKeyId"] == key && r["recipientAccountId"] == a)
            .count()
    };
    assert!(in_account(HOP1_KEY, &accounts[1]) >= 5);
    let hop1 = &issued[&(HOP1_KEY.to_string(), accounts[1].clone())];
    assert_eq!(
        hop1.arn,
        format!(
            "arn:aws:sts::{}:assumed-role/OrganizationAccountAccessRole/svc-deploy",
            accounts[1]
        )
    );
    assert_eq!(hop1.shared, mine["sharedEventID"].as_str().map(str::to_string));
    let ok: Vec<&&serde_json::Value> =
        third.iter().filter(|r| r.get("errorCode").is_none()).collect();
    assert_eq!(ok.len(), 2);
    assert_eq!(ok[0]["sharedEventID"], ok[1]["sharedEventID"]);
    assert!(ok.iter().any(|r| r["userIdentity"]["accessKeyId"] == HOP1_KEY));
    assert!(ok.iter().any(|r| r["userIdentity"]["type"] == "AWSAccount"
        && r["userIdentity"]["accountId"] == accounts[1].as_str()));
    assert!(in_account(HOP2_KEY, &accounts[2]) >= 3);
}
