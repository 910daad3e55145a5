//! What each Sigma construct means, checked with the naive evaluator on hand-made events: every
//! modifier, wildcards and their escapes, null/exists, arrays, objects, numbers and booleans,
//! case-insensitivity, keywords, and the condition's precedence, `1 of` / `all of` / `them`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use serde_json::{json, Value};
use trailglass_core::detect::condition::{parse, Cond, Target};
use trailglass_core::detect::{naive, parse_rule, Match};

/// The match tree of a rule whose detection is `detection` (YAML, indented by four).
fn rule(detection: &str) -> Match {
    let text = format!("title: t\nlogsource: {{product: aws}}\ndetection:\n{detection}\n");
    parse_rule(&text).unwrap_or_else(|e| panic!("{e}\n{text}")).detection().unwrap().clone()
}

/// A one-selection rule: `sel:` holding `body`, condition `sel`.
fn sel(body: &str) -> Match {
    rule(&format!("    sel:\n        {body}\n    condition: sel"))
}

fn hit(m: &Match, e: Value) -> bool {
    naive::matches(m, &e)
}

#[test]
fn equals_is_case_insensitive_unless_cased() {
    let m = sel("eventName: stoplogging");
    assert!(hit(&m, json!({"eventName": "StopLogging"})));
    assert!(!hit(&m, json!({"eventName": "StopLoggingX"})));
    assert!(!hit(&m, json!({"other": "StopLogging"})));
    let m = sel("eventName|cased: StopLogging");
    assert!(hit(&m, json!({"eventName": "StopLogging"})));
    assert!(!hit(&m, json!({"eventName": "stoplogging"})));
    // Unicode lowercase on both sides.
    let m = sel("userName: 'ÉCOLE-Ä'");
    assert!(hit(&m, json!({"userName": "école-ä"})));
}

#[test]
fn contains_startswith_endswith_all_and_lists() {
    let m = sel("userAgent|contains: 'S3 Browser'");
    assert!(hit(&m, json!({"userAgent": "aws-cli s3 browser 9"})));
    assert!(!hit(&m, json!({"userAgent": "S3Browser"})));
    let m = sel("eventName|startswith: 'Update'");
    assert!(hit(&m, json!({"eventName": "UpdateFunctionConfiguration20150331v2"})));
    assert!(!hit(&m, json!({"eventName": "xUpdate"})));
    let m = sel("eventName|endswith: 'trail'");
    assert!(
        hit(&m, json!({"eventName": "DeleteTrail"})) && !hit(&m, json!({"eventName": "Trails"}))
    );
    let m = sel("eventName: [A, B]");
    assert!(hit(&m, json!({"eventName": "b"})) && !hit(&m, json!({"eventName": "c"})));
    let m = sel("p|contains|all: ['one', 'two']");
    assert!(hit(&m, json!({"p": "two and one"})));
    assert!(!hit(&m, json!({"p": "one only"})));
    let m = sel("p|contains: ['one', 'two']");
    assert!(hit(&m, json!({"p": "one only"})));
}

#[test]
fn wildcards_and_escapes() {
    let m = sel("eventName: 'List*'");
    assert!(
        hit(&m, json!({"eventName": "ListBuckets"})) && !hit(&m, json!({"eventName": "GetList"}))
    );
    let m = sel("eventName: 'Get?ucket'");
    assert!(
        hit(&m, json!({"eventName": "GetBucket"})) && !hit(&m, json!({"eventName": "GetBBucket"}))
    );
    let m = sel(r"p: 'a\*b'");
    assert!(hit(&m, json!({"p": "a*b"})) && !hit(&m, json!({"p": "axb"})));
    let m = sel(r"p: 'a\?b'");
    assert!(hit(&m, json!({"p": "a?b"})) && !hit(&m, json!({"p": "axb"})));
    // `\*` is a literal star; a backslash before anything else stays a backslash.
    let m = sel(r"p: 'C:\Windows\*'");
    assert!(hit(&m, json!({"p": r"C:\Windows*"})) && !hit(&m, json!({"p": r"C:\Windows\x"})));
    let m = sel(r"p: 'C:\Windows\\*'");
    assert!(hit(&m, json!({"p": r"C:\Windows\x"})) && !hit(&m, json!({"p": r"C:\Windowsx"})));
    let m = sel(r"p: 'dir\\*'");
    assert!(hit(&m, json!({"p": r"dir\anything"})));
    // `contains: '*'`: any present, non-null value.
    let m = sel("p|contains: '*'");
    assert!(hit(&m, json!({"p": ""})) && hit(&m, json!({"p": 3})) && !hit(&m, json!({})));
    assert!(!hit(&m, json!({"p": null})));
}

#[test]
fn regex_is_cased_unless_i_and_unanchored() {
    let m = sel("userIdentity.arn|re: '.+:assumed-role/aws:.+'");
    assert!(hit(
        &m,
        json!({"userIdentity": {"arn": "arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1"}})
    ));
    assert!(!hit(&m, json!({"userIdentity": {"arn": "arn:aws:sts::1:assumed-role/AWS:ec2/i-1"}})));
    let m = sel("p|re: 'ab+c'");
    assert!(hit(&m, json!({"p": "xxabbbcxx"})) && !hit(&m, json!({"p": "ABC"})));
    let m = sel("p|re|i: '^ab+c$'");
    assert!(hit(&m, json!({"p": "ABBC"})) && !hit(&m, json!({"p": "xabc"})));
    let m = sel("p|re|s: 'a.b'");
    assert!(hit(&m, json!({"p": "a\nb"})));
    let m = sel("p|re: 'a.b'");
    assert!(!hit(&m, json!({"p": "a\nb"})));
    let m = sel("p|re|m: '^b$'");
    assert!(hit(&m, json!({"p": "a\nb\nc"})));
}

#[test]
fn cidr() {
    let m = sel("sourceIPAddress|cidr: ['10.0.0.0/8', '2001:db8::/32']");
    assert!(hit(&m, json!({"sourceIPAddress": "10.200.1.1"})));
    assert!(hit(&m, json!({"sourceIPAddress": "2001:db8::5"})));
    assert!(!hit(&m, json!({"sourceIPAddress": "11.0.0.1"})));
    assert!(!hit(&m, json!({"sourceIPAddress": "AWS Internal"})));
    assert!(!hit(&m, json!({})));
}

#[test]
fn null_and_exists() {
    let m = sel("errorCode: null");
    assert!(hit(&m, json!({})) && hit(&m, json!({"errorCode": null})));
    assert!(!hit(&m, json!({"errorCode": "AccessDenied"})) && !hit(&m, json!({"errorCode": ""})));
    let m = sel("errorCode: 'null'");
    assert!(!hit(&m, json!({})) && hit(&m, json!({"errorCode": "NULL"})));
    let m = sel("errorCode|exists: true");
    assert!(
        hit(&m, json!({"errorCode": "x"}))
            && !hit(&m, json!({}))
            && !hit(&m, json!({"errorCode": null}))
    );
    let m = sel("errorCode|exists: false");
    assert!(hit(&m, json!({})) && !hit(&m, json!({"errorCode": "x"})));
    // `errorCode: ['Success', null]`: either.
    let m = sel("errorCode: ['Success', null]");
    assert!(hit(&m, json!({})) && hit(&m, json!({"errorCode": "success"})));
    assert!(!hit(&m, json!({"errorCode": "AccessDenied"})));
}

#[test]
fn fieldref() {
    let m = sel("userIdentity.userName|fieldref: requestParameters.userName");
    assert!(hit(
        &m,
        json!({"userIdentity": {"userName": "Bob"}, "requestParameters": {"userName": "bob"}})
    ));
    assert!(!hit(
        &m,
        json!({"userIdentity": {"userName": "bob"}, "requestParameters": {"userName": "eve"}})
    ));
    assert!(!hit(&m, json!({"userIdentity": {"userName": "bob"}})));
    let m = sel("userIdentity.arn|fieldref|endswith: requestParameters.userName");
    assert!(hit(
        &m,
        json!({"userIdentity": {"arn": "arn:aws:iam::1:user/bob"}, "requestParameters": {"userName": "bob"}})
    ));
    let m = sel("a|fieldref|cased: b");
    assert!(!hit(&m, json!({"a": "X", "b": "x"})) && hit(&m, json!({"a": "x", "b": "x"})));
}

#[test]
fn numeric_comparisons() {
    for (body, yes, no) in [
        ("fromPort|gt: 21", 22, 21),
        ("fromPort|gte: 22", 22, 21),
        ("fromPort|lt: 23", 22, 23),
        ("fromPort|lte: 22", 22, 23),
    ] {
        let m = sel(body);
        assert!(hit(&m, json!({"fromPort": yes})), "{body}");
        assert!(hit(&m, json!({"fromPort": yes.to_string()})), "{body} (string)");
        assert!(!hit(&m, json!({"fromPort": no})), "{body}");
        assert!(!hit(&m, json!({"fromPort": "many"})) && !hit(&m, json!({})), "{body}");
    }
}

#[test]
fn numbers_and_booleans_match_as_json_text() {
    let m = sel("readOnly: false");
    assert!(hit(&m, json!({"readOnly": false})) && !hit(&m, json!({"readOnly": true})));
    assert!(hit(&m, json!({"readOnly": "false"})));
    let m = sel("requestParameters.enable: 'false'");
    assert!(hit(&m, json!({"requestParameters": {"enable": false}})));
    let m = sel("fromPort: 22");
    assert!(hit(&m, json!({"fromPort": 22})) && hit(&m, json!({"fromPort": "22"})));
    assert!(!hit(&m, json!({"fromPort": 222})));
    let m = sel("fromPort|startswith: '2'");
    assert!(hit(&m, json!({"fromPort": 222})));
}

#[test]
fn arrays_and_objects() {
    // A field inside an array of objects matches when any element does.
    let m = sel("resources.ARN|endswith: ':trail/x'");
    let e = json!({"resources": [{"ARN": "arn:a"}, {"ARN": "arn:aws:cloudtrail:r:1:trail/x"}]});
    assert!(hit(&m, e));
    assert!(!hit(&m, json!({"resources": []})));
    // A leaf array stands for its elements.
    let m = sel("requestParameters.containerDefinitions.command|contains: '$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'");
    let e = json!({"requestParameters": {"containerDefinitions": [
        {"command": ["sh", "-c"]},
        {"command": ["curl 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]}
    ]}});
    assert!(hit(&m, e));
    // An object is matched as its compact JSON text.
    let m = sel("requestParameters|contains: 'Suspended'");
    assert!(hit(
        &m,
        json!({"requestParameters": {"VersioningConfiguration": {"Status": "Suspended"}}})
    ));
    let m = sel(r#"requestParameters|contains: '"status":"enabled"'"#);
    assert!(hit(&m, json!({"requestParameters": {"Status": "Enabled"}})));
    // A key holding dots is found as a whole.
    let m = sel("'requestParameters.x.y': 1");
    assert!(hit(&m, json!({"requestParameters": {"x.y": 1}})));
    assert!(hit(&m, json!({"requestParameters": {"x": {"y": 1}}})));
}

#[test]
fn keywords_search_the_whole_event() {
    let m = rule(
        "    keywords:\n        - 'TruffleHog'\n        - 'pacu*session'\n    condition: keywords",
    );
    assert!(hit(&m, json!({"userAgent": "trufflehog/3.0"})));
    assert!(hit(&m, json!({"a": {"b": ["Pacu-1 session"]}})));
    assert!(!hit(&m, json!({"userAgent": "aws-cli"})));
    let m = rule("    keywords:\n        '|all':\n            - alpha\n            - beta\n    condition: keywords");
    assert!(hit(&m, json!({"x": "ALPHA", "y": "beta"})) && !hit(&m, json!({"x": "alpha"})));
}

#[test]
fn maps_are_anded_lists_of_maps_ored() {
    let m = sel("{eventSource: s3.amazonaws.com, eventName: ListBuckets}");
    assert!(hit(&m, json!({"eventSource": "s3.amazonaws.com", "eventName": "ListBuckets"})));
    assert!(!hit(&m, json!({"eventSource": "s3.amazonaws.com", "eventName": "GetObject"})));
    let m = rule("    sel:\n        - eventName: A\n        - eventSource: b\n    condition: sel");
    assert!(hit(&m, json!({"eventName": "a"})) && hit(&m, json!({"eventSource": "B"})));
    assert!(!hit(&m, json!({"eventName": "b"})));
}

fn name(n: &str, at: usize) -> Cond {
    Cond::Name(n.into(), at)
}

#[test]
fn condition_precedence() {
    // not > and > or
    assert_eq!(
        parse("a or b and not c").unwrap(),
        Cond::Or(vec![
            name("a", 0),
            Cond::And(vec![name("b", 5), Cond::Not(Box::new(name("c", 15)))])
        ])
    );
    assert_eq!(
        parse("not a and b").unwrap(),
        Cond::And(vec![Cond::Not(Box::new(name("a", 4))), name("b", 10)])
    );
    assert_eq!(
        parse("(a or b) and c").unwrap(),
        Cond::And(vec![Cond::Or(vec![name("a", 1), name("b", 6)]), name("c", 13)])
    );
    assert_eq!(
        parse("1 of sel_* and not all of them").unwrap(),
        Cond::And(vec![
            Cond::OneOf(Target::Pattern("sel_*".into()), 0),
            Cond::Not(Box::new(Cond::AllOf(Target::Them, 19))),
        ])
    );
    assert_eq!(
        parse("A AND NOT B").unwrap(),
        Cond::And(vec![name("A", 0), Cond::Not(Box::new(name("B", 10)))])
    );
    // Evaluated: a or (b and not c).
    let m = rule("    a: {x: 1}\n    b: {y: 1}\n    c: {z: 1}\n    condition: a or b and not c");
    assert!(hit(&m, json!({"x": 1, "z": 1})));
    assert!(hit(&m, json!({"y": 1})));
    assert!(!hit(&m, json!({"y": 1, "z": 1})));
}

#[test]
fn one_of_all_of_them() {
    let d = "    sel_a: {x: 1}\n    sel_b: {y: 1}\n    _helper: {z: 1}\n";
    let m = rule(&format!("{d}    condition: 1 of sel_*"));
    assert!(hit(&m, json!({"y": 1})) && !hit(&m, json!({"z": 1})));
    let m = rule(&format!("{d}    condition: all of sel_*"));
    assert!(hit(&m, json!({"x": 1, "y": 1})) && !hit(&m, json!({"x": 1})));
    let m = rule(&format!("{d}    condition: 1 of them"));
    assert!(!hit(&m, json!({"z": 1})), "`them` leaves out names starting with _");
    assert!(hit(&m, json!({"x": 1})));
    let m = rule(&format!("{d}    condition: all of them"));
    assert!(hit(&m, json!({"x": 1, "y": 1})) && !hit(&m, json!({"x": 1, "z": 1})));
    let m = rule(&format!("{d}    condition: all of them and _helper"));
    assert!(hit(&m, json!({"x": 1, "y": 1, "z": 1})));
    let m = rule(&format!("{d}    condition: 1 of sel_a"));
    assert!(hit(&m, json!({"x": 1})) && !hit(&m, json!({"y": 1})));
    // A list of conditions is their `or`.
    let m = rule(&format!("{d}    condition:\n        - sel_a\n        - _helper"));
    assert!(hit(&m, json!({"z": 1})) && !hit(&m, json!({"y": 1})));
}
