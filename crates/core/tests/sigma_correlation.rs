//! Sigma correlation rules: read from a multi-document file (the correlation and the rules it
//! refers to), and evaluated by the naive correlation evaluator on hand-made event series and on
//! the stratus-red-team user-data download, rewritten from the "unsupported" `count() > 10` rule.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;

use serde_json::{json, Value};
use trailglass_core::detect::correlation::parse_timespan;
use trailglass_core::detect::naive_correlation::{eval_correlation, rule_hits, CorrelationHit};
use trailglass_core::detect::{
    check_references, parse_rules, Cmp, CorrelationType, Rule, RuleBody,
};

fn rules(text: &str) -> Vec<Rule> {
    parse_rules(text).into_iter().map(|r| r.unwrap_or_else(|e| panic!("{e}"))).collect()
}

/// Runs the last rule of `text` (a correlation) over `events`, with the others as its base rules.
fn run(text: &str, events: &[(i64, Value)]) -> Vec<CorrelationHit> {
    let all = rules(text);
    let hits = rule_hits(&all, events);
    let RuleBody::Correlation(c) = &all.last().unwrap().body else { panic!("not a correlation") };
    eval_correlation(c, events, &hits).unwrap()
}

const MIN: i64 = 60_000;

const LOGIN_BURST: &str = "\
title: Failed console login
id: 11111111-0000-0000-0000-000000000001
name: failed_login
detection:
    selection:
        eventName: ConsoleLogin
        errorMessage: Failed authentication
    condition: selection
---
title: Console login brute force
id: 11111111-0000-0000-0000-000000000002
level: high
correlation:
    type: event_count
    rules:
        - failed_login
    group-by:
        - sourceIPAddress
    timespan: 10m
    condition:
        gte: 3
";

fn login(ip: &str, failed: bool) -> Value {
    let mut e = json!({"eventName": "ConsoleLogin", "sourceIPAddress": ip});
    if failed {
        e["errorMessage"] = json!("Failed authentication");
    }
    e
}

#[test]
fn reads_a_correlation_with_its_rules() {
    let all = rules(LOGIN_BURST);
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].name.as_deref(), Some("failed_login"));
    let RuleBody::Correlation(c) = &all[1].body else { panic!() };
    assert_eq!(c.kind, CorrelationType::EventCount);
    assert_eq!(c.rules[0].name, "failed_login");
    assert_eq!((c.rules[0].line, c.rules[0].column), (16, 11));
    assert_eq!(c.group_by, vec!["sourceIPAddress".to_string()]);
    assert_eq!(c.timespan_ms, 10 * MIN);
    assert_eq!(c.condition, vec![(Cmp::Gte, 3.0)]);
    assert!(!c.generate);
    let with_generate = format!("{LOGIN_BURST}    generate: true\n");
    let RuleBody::Correlation(c) = &rules(&with_generate)[1].body else { panic!() };
    assert!(c.generate);
    assert_eq!(parse_timespan("30s"), Some(30_000));
    assert_eq!(parse_timespan("1h"), Some(3_600_000));
    assert_eq!(parse_timespan("2d"), Some(2 * 86_400_000));
    assert_eq!(parse_timespan("0m"), None);
    assert_eq!(parse_timespan("5y"), None);
}

#[test]
fn event_count_per_group_in_a_window() {
    let events = vec![
        (0, login("1.1.1.1", true)),
        (MIN, login("1.1.1.1", true)),
        (2 * MIN, login("2.2.2.2", true)),
        (3 * MIN, login("1.1.1.1", false)),
        (4 * MIN, login("1.1.1.1", true)),
        (5 * MIN, login("2.2.2.2", true)),
        // Too late for 2.2.2.2's window starting at 2 min.
        (13 * MIN, login("2.2.2.2", true)),
    ];
    let got = run(LOGIN_BURST, &events);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].group, vec![Some("1.1.1.1".to_string())]);
    assert_eq!(got[0].events, vec![0, 1, 4]);
    assert_eq!((got[0].first_ms, got[0].last_ms, got[0].count), (0, 4 * MIN, 3));
    // The window is inclusive: the third attempt exactly 10 minutes after the first counts.
    let events = vec![(0, login("a", true)), (MIN, login("a", true)), (10 * MIN, login("a", true))];
    assert_eq!(run(LOGIN_BURST, &events).len(), 1);
    let events =
        vec![(0, login("a", true)), (MIN, login("a", true)), (10 * MIN + 1, login("a", true))];
    assert!(run(LOGIN_BURST, &events).is_empty());
    // A burst is reported once; the next window starts after it.
    let events: Vec<_> = (0..7).map(|i| (i * MIN, login("a", true))).collect();
    let got = run(LOGIN_BURST, &events);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].count, 7);
}

#[test]
fn value_count_distinct_values() {
    let text = "\
title: Bucket read
id: r1
detection:
    sel:
        eventName: GetObject
    condition: sel
---
title: Many buckets read by one identity
correlation:
    type: value_count
    rules: [r1]
    group-by: [userIdentity.arn]
    timespan: 1h
    condition:
        field: requestParameters.bucketName
        gt: 2
";
    let get = |arn: &str, bucket: &str| {
        json!({"eventName": "GetObject", "userIdentity": {"arn": arn},
               "requestParameters": {"bucketName": bucket}})
    };
    let events = vec![
        (0, get("alice", "a")),
        (1, get("alice", "a")),
        (2, get("alice", "b")),
        (3, get("bob", "a")),
        (4, get("bob", "b")),
        (5, get("bob", "c")),
        (6, get("alice", "b")),
    ];
    let got = run(text, &events);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].group, vec![Some("bob".to_string())]);
    assert_eq!((got[0].count, got[0].events.clone()), (3, vec![3, 4, 5]));
}

#[test]
fn temporal_needs_every_rule_in_the_window() {
    // SES sending enabled and an address verified in quick succession: the unsupported
    // aws_ses_messaging_enabled written as a correlation.
    let text = "\
title: SES sending enabled
name: ses_enabled
detection:
    sel: {eventSource: ses.amazonaws.com, eventName: UpdateAccountSendingEnabled}
    condition: sel
---
title: SES identity verified
name: ses_verify
detection:
    sel: {eventSource: ses.amazonaws.com, eventName: VerifyEmailIdentity}
    condition: sel
---
title: Potential AWS Cloud Email Service Abuse
correlation:
    type: temporal
    rules: [ses_enabled, ses_verify]
    group-by: [recipientAccountId]
    timespan: 5m
";
    let ev = |name: &str, acct: &str| json!({"eventSource": "ses.amazonaws.com", "eventName": name, "recipientAccountId": acct});
    let events = vec![
        (0, ev("UpdateAccountSendingEnabled", "1")),
        (MIN, ev("VerifyEmailIdentity", "2")),
        (2 * MIN, ev("VerifyEmailIdentity", "1")),
        (3 * MIN, ev("UpdateAccountSendingEnabled", "2")),
        (20 * MIN, ev("UpdateAccountSendingEnabled", "3")),
        (30 * MIN, ev("VerifyEmailIdentity", "3")),
    ];
    let got = run(text, &events);
    let groups: Vec<_> = got.iter().map(|h| h.group[0].clone().unwrap()).collect();
    assert_eq!(groups, vec!["1", "2"], "{got:?}");
    assert_eq!(got[0].events, vec![0, 2]);
    assert_eq!(got[1].events, vec![1, 3]);
}

#[test]
fn unknown_rule_reference_is_an_error_at_the_reference() {
    let text = "\
title: Burst
correlation:
    type: event_count
    rules:
        - no_such_rule
    timespan: 1h
    condition: {gte: 1}
";
    let all = rules(text);
    let RuleBody::Correlation(c) = &all[0].body else { panic!() };
    let e = eval_correlation(c, &[], &rule_hits(&all, &[])).unwrap_err();
    assert_eq!((e.line, e.column, e.construct.as_str()), (5, 11, "rule `no_such_rule`"), "{e}");
    // Found before any event is seen, per correlation; rules it does know are fine.
    assert_eq!(check_references(&all), vec![(0, e)]);
    assert!(check_references(&rules(LOGIN_BURST)).is_empty());
}

#[test]
fn stratus_user_data_download_as_a_correlation() {
    // aws_ec2_download_userdata (SigmaHQ unsupported, `count() > 10` in 30m) as a correlation.
    let text = "\
title: AWS EC2 Download Userdata
id: 26ff4080-194e-47e7-9889-ef7602efed0c
author: faloker
detection:
    selection_source:
        eventSource: ec2.amazonaws.com
        requestParameters.attribute: userData
        eventName: DescribeInstanceAttribute
    condition: selection_source
---
title: AWS EC2 Download Userdata (bulk)
correlation:
    type: event_count
    rules: [26ff4080-194e-47e7-9889-ef7602efed0c]
    group-by: [userIdentity.arn]
    timespan: 30m
    condition: {gt: 10}
";
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/stratus-red-team/aws.discovery.ec2-download-user-data.json");
    let Value::Array(items) = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap() else {
        panic!("not an array")
    };
    let events: Vec<(i64, Value)> = items
        .into_iter()
        .map(|e| {
            let t = trailglass_core::time::parse_time_ms(e["eventTime"].as_str().unwrap()).unwrap();
            (t, e)
        })
        .collect();
    let got = run(text, &events);
    // 15 DescribeInstanceAttribute(userData) calls within seconds, by one assumed role.
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].count, 15);
    assert!(got[0].group[0]
        .as_deref()
        .unwrap()
        .contains("assumed-role/stratus-red-team-get-usr-data-role"));
    assert!(got[0].last_ms - got[0].first_ms < 60_000);
}
