//! Correlations over events of different workers, and the detections' exports merged.

use super::*;

/// One CloudTrail record of `user` (an IAM user's name) calling `name` from `ip` at minute
/// `minute` of a day.
fn call(id: &str, user: &str, name: &str, ip: &str, minute: u32) -> String {
    format!(
        r#"{{"eventVersion":"1.08","eventTime":"2026-03-01T10:{minute:02}:00Z","eventSource":"iam.amazonaws.com","eventName":"{name}","awsRegion":"us-east-1","sourceIPAddress":"{ip}","userAgent":"aws-cli/2","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::111111111111:user/{user}","accountId":"111111111111","principalId":"AIDA{user}","userName":"{user}"}},"eventID":"{id}","eventType":"AwsApiCall","readOnly":false,"recipientAccountId":"111111111111"}}"#
    )
}

fn records(calls: &[String]) -> Vec<u8> {
    format!(r#"{{"Records":[{}]}}"#, calls.join(",")).into_bytes()
}

/// Correlations whose every window needs events of both files (each alone fires none): by
/// count, by distinct addresses, and by both rules in the window.
const ACROSS: &str = "\
title: Users created
id: 5c1d0000-0000-4000-8000-000000000001
name: creates
logsource: {product: aws, service: cloudtrail}
detection:
    selection:
        eventName: CreateUser
    condition: selection
level: low
---
title: Policies attached
id: 5c1d0000-0000-4000-8000-000000000002
name: attaches
logsource: {product: aws, service: cloudtrail}
detection:
    selection:
        eventName: AttachUserPolicy
    condition: selection
level: low
---
title: Many IAM changes by one user
id: 5c1d0000-0000-4000-8000-000000000003
level: high
correlation:
    type: event_count
    rules: [creates, attaches]
    group-by: [userIdentity.arn]
    timespan: 10m
    condition: {gte: 5}
---
title: IAM changes from many addresses
id: 5c1d0000-0000-4000-8000-000000000004
level: medium
correlation:
    type: value_count
    rules: [creates, attaches]
    group-by: [userIdentity.arn]
    timespan: 10m
    condition: {gte: 4, field: sourceIPAddress}
---
title: A user created and given a policy
id: 5c1d0000-0000-4000-8000-000000000005
level: critical
tags: [attack.persistence, attack.t1098]
correlation:
    type: temporal
    rules: [creates, attaches]
    group-by: [userIdentity.arn]
    timespan: 90s
";

/// Two files, one per worker: mallory's six calls alternate between them; bob has one call in
/// each (too few for any window).
fn across_files() -> Vec<(String, Vec<u8>)> {
    let a = [
        call("a1", "mallory", "CreateUser", "198.51.100.1", 0),
        call("a2", "mallory", "CreateUser", "198.51.100.2", 2),
        call("a3", "mallory", "CreateUser", "198.51.100.1", 4),
        call("a4", "bob", "CreateUser", "192.0.2.9", 3),
    ];
    let b = [
        call("b1", "mallory", "AttachUserPolicy", "203.0.113.1", 1),
        call("b2", "mallory", "AttachUserPolicy", "203.0.113.2", 3),
        call("b3", "mallory", "AttachUserPolicy", "203.0.113.1", 5),
        call("b4", "bob", "AttachUserPolicy", "192.0.2.9", 9),
    ];
    vec![("a.json".into(), records(&a)), ("b.json".into(), records(&b))]
}

/// The detections of `ACROSS`'s correlations (the built-in rules fire too).
fn fired(a: &Answer) -> Vec<(String, u64)> {
    a.detections
        .iter()
        .filter(|d| d.rule.starts_with("5c1d0000-"))
        .map(|d| (d.title.clone(), d.count))
        .collect()
}

#[test]
fn correlations_fire_over_events_of_different_workers() {
    let want = vec![
        ("A user created and given a policy".to_string(), 6),
        ("Many IAM changes by one user".to_string(), 6),
        ("IAM changes from many addresses".to_string(), 6),
    ];
    // The rules before the load (fired when it ends), and after it (fired when they come).
    for rules_first in [true, false] {
        let mut c = Cluster::new(2);
        let add = Request::AddRules { name: "across.yml".into(), text: ACROSS.into() };
        if rules_first {
            c.ask(add.clone());
        }
        c.load(across_files());
        // Each worker holds one file: no window fits in either alone.
        for t in &c.workers {
            assert_eq!(t.engine().store().len(), 4);
        }
        if !rules_first {
            c.ask(add);
        }
        let (m, s) = c.ask(Request::View { seq: 1, view: view("", SortKey::Time, false) });
        let (m, s) = (last_answer(&m), last_answer(&s));
        assert_eq!(fired(&s), want, "one engine");
        same_answer(&m, &s);
        // The query language's rule terms select the same rows in every worker.
        let q = view("rule:\"Many IAM changes by one user\"", SortKey::Time, false);
        let (m, s) = c.ask(Request::View { seq: 2, view: q });
        assert_eq!(last_answer(&m).count, 6);
        same_answer(&last_answer(&m), &last_answer(&s));
        // A detail names the correlation it belongs to, whichever worker holds it.
        let (m, _) = c.ask(Request::Find { event_id: "b2".into() });
        let (row, _, _) = selected(&m);
        let (m, _) = c.ask(Request::Detail { row: row.expect("b2's row") });
        let rules = m.iter().find_map(|r| match r {
            Reply::Detail(Some(d)) => Some(d.rules.clone()),
            _ => None,
        });
        let ours = rules.map(|r| r.iter().filter(|r| r.starts_with("5c1d0000-")).count());
        assert_eq!(ours, Some(3), "b2 is in the three correlations");
        // The rules taken away again: no correlation is left.
        let (m, _) = c.ask(Request::RemoveRules { name: "across.yml".into() });
        assert_eq!(fired(&last_answer(&m)), Vec::new());
    }
}

#[test]
fn the_detections_exports_are_the_files_one_engine_writes() {
    use crate::engine::ExportFormat;
    // The sample's story (its rules firing in several files) and the correlations across files.
    for (files, across) in [(sample_files(3000), false), (across_files(), true)] {
        let mut c = Cluster::new(2);
        if across {
            c.ask(Request::AddRules { name: "across.yml".into(), text: ACROSS.into() });
        }
        c.load(files);
        c.ask(Request::View { seq: 1, view: view("", SortKey::Time, false) });
        for format in [
            ExportFormat::DetectionsCsv,
            ExportFormat::DetectionsJson,
            ExportFormat::AttackNavigator,
        ] {
            let (mine, theirs) = c.export(format, Vec::new());
            assert!(theirs.lines().count() > 3, "{format:?}: {theirs}");
            assert_eq!(mine, theirs, "{format:?}");
            if across && format == ExportFormat::DetectionsCsv {
                assert!(theirs.contains("a1 a2 a3 b1 b2 b3"), "{theirs}");
            }
        }
    }
}
