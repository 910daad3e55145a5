//! Unit tests: every operator and every error message, over a small hand-written store.

use super::*;

const RECORDS: &str = r#"{"Records":[
{"eventVersion":"1.08","eventTime":"2024-03-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"DeleteBucket","awsRegion":"us-east-1","sourceIPAddress":"10.1.2.3","userAgent":"aws-cli/2.0","userIdentity":{"type":"IAMUser","userName":"alice","arn":"arn:aws:iam::111111111111:user/alice","accountId":"111111111111","accessKeyId":"AKIAALICE"},"requestParameters":{"bucketName":"logs-prod"},"eventID":"e0","readOnly":false,"eventType":"AwsApiCall","recipientAccountId":"111111111111"},
{"eventVersion":"1.08","eventTime":"2024-03-01T11:30:00Z","eventSource":"s3.amazonaws.com","eventName":"PutBucketPolicy","awsRegion":"eu-west-1","sourceIPAddress":"192.168.0.7","userAgent":"console","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111111111111:assumed-role/Admin/bob","sessionContext":{"sessionIssuer":{"userName":"Admin"}}},"requestParameters":{"bucketName":"data","policy":"{\"Statement\":[]}"},"errorCode":"AccessDenied","errorMessage":"Access Denied","eventID":"e1","readOnly":false,"eventType":"AwsApiCall"},
{"eventVersion":"1.08","eventTime":"2024-03-02T09:00:00Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","sourceIPAddress":"2001:db8::5","userAgent":"=HYPERLINK(\"x\")","userIdentity":{"type":"Root","arn":"arn:aws:iam::222222222222:root","accountId":"222222222222"},"requestParameters":{"userName":"backup-admin","tags":[{"key":"team","value":"red"},{"key":"env","value":"prod"}]},"eventID":"e2","readOnly":false,"eventType":"AwsApiCall","resources":[{"ARN":"arn:aws:iam::222222222222:user/backup-admin"}]},
{"eventVersion":"1.08","eventTime":"2024-03-02T09:30:00Z","eventSource":"sts.amazonaws.com","eventName":"GetCallerIdentity","awsRegion":"us-east-1","sourceIPAddress":"AWS Internal","userIdentity":{"type":"AWSService","invokedBy":"ec2.amazonaws.com"},"eventID":"e3","readOnly":true,"eventType":"AwsApiCall","requestParameters":null,"responseElements":{"count":42,"ratio":0.5}},
{"eventVersion":"1.08","eventSource":"kms.amazonaws.com","eventName":"Decrypt","awsRegion":"ap-south-1","userIdentity":{"type":"AWSService"},"eventID":"e4","readOnly":true,"eventType":"AwsApiCall","additionalEventData":{"note":"caf\u00e9 C:\\temp \"quoted\""}}
]}"#;

pub(crate) fn store() -> Store {
    let mut s = Store::new();
    s.ingest("t.json", RECORDS.as_bytes());
    s
}

/// Matching eventIDs, e.g. "e0 e2".
fn ids(store: &Store, q: &str) -> String {
    let query = match parse(q) {
        Ok(q) => q,
        Err(e) => return format!("ERR {e}"),
    };
    let plain = query.run(store);
    let ix = TextIndex::build(store);
    assert_eq!(plain, query.run_indexed(store, &ix), "indexed run differs for {q}");
    plain
        .iter()
        .map(|&r| field_text(store, r as usize, "eventID").unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn store_loaded() {
    assert_eq!(store().len(), 5);
}

#[test]
fn free_text_and_phrases() {
    let s = store();
    assert_eq!(ids(&s, ""), "e0 e1 e2 e3 e4");
    assert_eq!(ids(&s, "   "), "e0 e1 e2 e3 e4");
    assert_eq!(ids(&s, "accessdenied"), "e1");
    assert_eq!(ids(&s, "ACCESSDENIED"), "e1");
    assert_eq!(ids(&s, "\"Access Denied\""), "e1");
    assert_eq!(ids(&s, "\"access  denied\""), "");
    assert_eq!(ids(&s, "backup-admin"), "e2");
    assert_eq!(ids(&s, "*backup*"), "e2");
    assert_eq!(ids(&s, "*"), "e0 e1 e2 e3 e4");
    assert_eq!(ids(&s, "\"\""), "e0 e1 e2 e3 e4");
    assert_eq!(ids(&s, "bucketName"), "e0 e1");
    // Text inside JSON strings: quotes and backslashes as the user sees them.
    assert_eq!(ids(&s, r#""C:\\temp \"quoted\"""#), "e4");
    assert_eq!(ids(&s, "arn:aws:iam::222222222222:root"), "e2");
    assert_eq!(ids(&s, "logs prod"), "e0");
    assert_eq!(ids(&s, "and"), "");
}

#[test]
fn columns_and_aliases() {
    let s = store();
    assert_eq!(ids(&s, "user:alice"), "e0");
    assert_eq!(ids(&s, "user:ALICE"), "e0");
    assert_eq!(ids(&s, "username:alice"), "e0");
    assert_eq!(ids(&s, "user:admin"), "e1");
    assert_eq!(ids(&s, "service:s3"), "e0 e1");
    assert_eq!(ids(&s, "source:s3.amazonaws.com"), "e0 e1");
    assert_eq!(ids(&s, "eventSource:iam"), "e2");
    assert_eq!(ids(&s, "service:s"), "");
    assert_eq!(ids(&s, "action:Delete*"), "e0");
    assert_eq!(ids(&s, "name:*Policy*"), "e1");
    assert_eq!(ids(&s, "eventName:get?allerIdentity"), "e3");
    assert_eq!(ids(&s, "region:us-east-1"), "e0 e2 e3");
    assert_eq!(ids(&s, "error:AccessDenied"), "e1");
    assert_eq!(ids(&s, "error:*"), "e1");
    assert_eq!(ids(&s, "-error:*"), "e0 e2 e3 e4");
    assert_eq!(ids(&s, "error:\"\""), "e0 e2 e3 e4");
    assert_eq!(ids(&s, "key:AKIAALICE"), "e0");
    assert_eq!(ids(&s, "account:222222222222"), "e2");
    assert_eq!(ids(&s, "type:root"), "e2");
    assert_eq!(ids(&s, "category:Management"), "e0 e1 e2 e3 e4");
    assert_eq!(ids(&s, "agent:aws-cli*"), "e0");
    assert_eq!(ids(&s, "readonly:true"), "e3 e4");
    assert_eq!(ids(&s, "arn:*:root"), "e2");
    assert_eq!(ids(&s, "eventtype:AwsApiCall"), "e0 e1 e2 e3 e4");
    assert_eq!(ids(&s, "user:\"ali*\""), "");
    assert_eq!(ids(&s, "user:ali\\*"), "");
}

#[test]
fn ips_and_cidr() {
    let s = store();
    assert_eq!(ids(&s, "ip:10.0.0.0/8"), "e0");
    assert_eq!(ids(&s, "ip:192.168.0.0/16"), "e1");
    assert_eq!(ids(&s, "ip:0.0.0.0/0"), "e0 e1");
    assert_eq!(ids(&s, "ip:2001:db8::/32"), "e2");
    assert_eq!(ids(&s, "ip:2001:0db8:0::5"), "e2");
    assert_eq!(ids(&s, "ip:10.1.2.3"), "e0");
    assert_eq!(ids(&s, "sourceIPAddress:10.*"), "e0");
    assert_eq!(ids(&s, "ip:\"AWS Internal\""), "e3");
}

#[test]
fn nested_paths() {
    let s = store();
    assert_eq!(ids(&s, "requestParameters.bucketName:logs*"), "e0");
    assert_eq!(ids(&s, "requestparameters.bucketname:DATA"), "e1");
    assert_eq!(ids(&s, "requestParameters.bucketName:*"), "e0 e1");
    assert_eq!(ids(&s, "-requestParameters.bucketName:*"), "e2 e3 e4");
    assert_eq!(ids(&s, "requestParameters.bucketName:\"\""), "e2 e3 e4");
    assert_eq!(ids(&s, "userIdentity.sessionContext.sessionIssuer.userName:Admin"), "e1");
    assert_eq!(ids(&s, "requestParameters.tags.value:prod"), "e2");
    assert_eq!(ids(&s, "resources.ARN:*backup-admin"), "e2");
    assert_eq!(ids(&s, "responseElements.count:42"), "e3");
    assert_eq!(ids(&s, "responseElements.ratio:0.5"), "e3");
    assert_eq!(ids(&s, "readOnly:true"), "e3 e4");
    assert_eq!(ids(&s, "requestParameters:*"), "e0 e1 e2");
    assert_eq!(ids(&s, "additionalEventData.note:café*"), "e4");
    assert_eq!(ids(&s, "$.eventVersion:1.08"), "e0 e1 e2 e3 e4");
    assert_eq!(ids(&s, "$.nothing:*"), "");
    assert_eq!(field_text(&s, 2, "requestParameters.tags.key"), Some("team, env".into()));
    assert_eq!(
        field_text(&s, 0, "requestParameters"),
        Some(r#"{"bucketName":"logs-prod"}"#.into())
    );
    assert_eq!(field_text(&s, 0, "user"), Some("alice".into()));
    assert_eq!(field_text(&s, 0, "time"), Some("2024-03-01T10:00:00.000Z".into()));
    assert_eq!(field_text(&s, 4, "time"), None);
    assert_eq!(field_text(&s, 9, "user"), None);
}

#[test]
fn time_terms() {
    let s = store();
    assert_eq!(ids(&s, "time:2024-03-01"), "e0 e1");
    assert_eq!(ids(&s, "time>2024-03-01"), "e2 e3");
    assert_eq!(ids(&s, "time>=2024-03-01T11:30"), "e1 e2 e3");
    assert_eq!(ids(&s, "time:>=2024-03-01T11:30"), "e1 e2 e3");
    assert_eq!(ids(&s, "time<2024-03-01T11:30"), "e0");
    assert_eq!(ids(&s, "time<=2024-03-01T11:30"), "e0 e1");
    assert_eq!(ids(&s, "time>2024-03-01T11:30"), "e2 e3");
    assert_eq!(ids(&s, "time:[2024-03-01T10:00 TO 2024-03-01T12:00]"), "e0 e1");
    assert_eq!(ids(&s, "time:[2024-03-01T10:01 TO 2024-03-02T09:00]"), "e1 e2");
    assert_eq!(ids(&s, "time:{2024-03-01T10:00 TO 2024-03-02T09:00}"), "e1");
    assert_eq!(ids(&s, "time:[* TO 2024-03-01]"), "e0 e1");
    assert_eq!(ids(&s, "time:[2024-03-02 TO *]"), "e2 e3");
    assert_eq!(ids(&s, "time:2024-03-01T12:00+02:00"), "e0");
    assert_eq!(ids(&s, "time:*"), "e0 e1 e2 e3");
    assert_eq!(ids(&s, "-time:*"), "e4");
    assert_eq!(ids(&s, "last:30m"), "e2 e3");
    assert_eq!(ids(&s, "last:12h"), "e2 e3");
    assert_eq!(ids(&s, "last:1d"), "e0 e1 e2 e3");
    assert_eq!(ids(&s, "last:2d"), "e0 e1 e2 e3");
    assert_eq!(ids(&s, "time:2024-03"), "e0 e1 e2 e3");
}

#[test]
fn booleans() {
    let s = store();
    assert_eq!(ids(&s, "service:s3 region:us-east-1"), "e0");
    assert_eq!(ids(&s, "service:s3 AND region:us-east-1"), "e0");
    assert_eq!(ids(&s, "service:s3 OR service:iam"), "e0 e1 e2");
    assert_eq!(ids(&s, "NOT service:s3"), "e2 e3 e4");
    assert_eq!(ids(&s, "-service:s3"), "e2 e3 e4");
    assert_eq!(ids(&s, "NOT NOT service:s3"), "e0 e1");
    assert_eq!(ids(&s, "service:s3 OR service:iam region:us-east-1"), "e0 e1 e2");
    assert_eq!(ids(&s, "(service:s3 OR service:iam) region:us-east-1"), "e0 e2");
    assert_eq!(ids(&s, "(service:s3 OR service:iam) -(region:us-east-1)"), "e1");
    assert_eq!(ids(&s, "-(accessdenied OR alice)"), "e2 e3 e4");
    assert_eq!(ids(&s, "service:s3 -accessdenied"), "e0");
    assert_eq!(ids(&s, "readonly:true OR requestParameters.bucketName:data"), "e1 e3 e4");
    assert_eq!(ids(&s, "((user:alice))"), "e0");
    assert_eq!(ids(&s, "or"), "e1");
}

fn err(q: &str) -> QueryError {
    match parse(q) {
        Ok(_) => QueryError { message: "parsed".into(), start: 0, end: 0, hint: None },
        Err(e) => e,
    }
}

#[track_caller]
fn check_err(q: &str, msg: &str, span: (usize, usize), hint: &str) {
    let e = err(q);
    assert!(e.message.contains(msg), "{q}: {e}");
    assert_eq!((e.start, e.end), span, "{q}: {e}");
    assert!(e.hint.as_deref().unwrap_or("").contains(hint), "{q}: {e}");
    assert!(e.end <= q.len() && e.start <= e.end);
    assert!(!e.to_string().is_empty());
}

#[test]
fn errors() {
    check_err("a)", "unmatched ')'", (1, 2), "remove it");
    check_err(")", "unmatched ')'", (0, 1), "remove it");
    check_err("(a", "unclosed '('", (0, 1), "add ')'");
    check_err("(", "unclosed '('", (0, 1), "add ')'");
    check_err("(a OR (b)", "unclosed '('", (0, 1), "add ')'");
    check_err("()", "empty parentheses", (0, 2), "put a term");
    check_err("a OR", "OR needs a term on its right", (2, 4), "a OR b");
    check_err("OR a", "OR needs a term on its left", (0, 2), "a OR b");
    check_err("(OR a)", "OR needs a term on its left", (1, 3), "a OR b");
    check_err("a AND", "AND needs a term on its right", (2, 5), "a AND b");
    check_err("AND a", "AND needs a term on its left", (0, 3), "a AND b");
    check_err("NOT", "NOT needs a term after it", (0, 3), "NOT error:*");
    check_err("a NOT", "NOT needs a term after it", (2, 5), "NOT error:*");
    check_err("- a", "'-' must touch", (0, 1), "-user:bob");
    check_err("\"abc", "unclosed quote", (0, 4), "closing");
    check_err("user:\"abc", "unclosed quote", (5, 9), "closing");
    check_err("Delete*Bucket", "'*' inside a free-text word", (0, 13), "action:Delete*");
    check_err("user:", "missing value after 'user:'", (0, 5), "user:*");
    check_err("user: bob", "missing value after 'user:'", (0, 5), "-user:*");
    check_err("user>bob", "'>' compares times only", (4, 5), "time>");
    check_err("last:1y", "'1y' is not a duration", (5, 7), "last:1h");
    check_err("last:abc", "not a duration", (5, 8), "last:7d");
    check_err("user:[a TO b]", "ranges work on time only", (5, 6), "time:[");
    check_err("requestParameters..x:1", "is not a field path", (0, 20), "separated by single dots");
    check_err("usr:bob", "unknown field 'usr'", (0, 3), "did you mean 'user'?");
    check_err("servce:s3", "unknown field 'servce'", (0, 6), "did you mean 'service'?");
    check_err(
        "requestParamters.bucketName:x",
        "unknown field",
        (0, 27),
        "did you mean 'requestParameters.…'?",
    );
    check_err("10:00", "unknown field '10'", (0, 2), "put it in quotes");
    check_err("time>yesterday", "'yesterday' is not a time", (5, 14), "2024-03-01");
    check_err("time:2024-13-01", "is not a time", (5, 15), "2024-03-01T10:00");
    check_err("time:[2024-03-01 TO 2024-03-02", "unclosed time range", (5, 30), "TO");
    check_err(
        "time:[2024-03-01 2024-03-02]",
        "a time range is [start TO end]",
        (5, 28),
        "TO in capitals",
    );
    check_err("time:[2024-03-01 TO nope]", "'nope' is not a time", (20, 24), "2024-03-01");
    check_err("time:[* TO *]x", "unexpected text after the time range", (13, 14), "space");
    check_err(
        "ip:10.0.0.0/33",
        "bad CIDR '10.0.0.0/33': prefix length 33 is more than 32",
        (3, 14),
        "ip:10.0.0.0/8",
    );
    check_err("ip:10.0.0/8", "is not an IPv4 or IPv6 address", (3, 11), "2001:db8::/32");
    check_err("ip:::1/200", "more than 128", (3, 10), "2001:db8");
    check_err("a (b", "unclosed '('", (2, 3), "add ')'");
}

#[test]
fn never_panics_on_odd_input() {
    let s = store();
    let inputs = [
        "\\",
        "\"\\",
        "((((",
        "))))",
        "-",
        "--a",
        "-(",
        "NOT(",
        "a:b:c",
        ":",
        "::",
        ">",
        "time:[",
        "time:[]",
        "time:{ TO }",
        "é:ü",
        "日本",
        "time:\"2024-03-01\"",
        "last:",
        "$.:x",
        "$.",
        "a\\ b",
        "user:\\",
        "ip:/",
        "ip:1.2.3.4/",
        "🦀*🦀",
        "user:*a*b*c*d*e*f*g*",
        "(a OR (b AND NOT (c OR -d)))",
        "time>=\u{0}",
        "x\u{200b}:y",
    ];
    for q in inputs {
        if let Ok(query) = parse(q) {
            let _ = query.run(&s);
        }
    }
    for n in 0..200usize {
        let alphabet = ['a', ':', '"', '(', ')', '-', '*', ' ', 'O', 'R', '[', '\\', 'é'];
        let q: String = (0..n % 13).filter_map(|i| alphabet.get((i * 7 + n) % 13)).collect();
        if let Ok(query) = parse(&q) {
            let _ = query.run(&s);
        }
    }
}

#[test]
fn help_and_fields() {
    assert!(HELP.contains("ip:10.0.0.0/8"));
    assert!(fields().iter().any(|(n, _)| *n == "user"));
    assert_eq!(column_for("ip"), Some(Column::SourceIp));
    assert_eq!(column_for("time"), None);
    assert!(parse("").is_ok_and(|q| q.is_empty()));
    assert!(parse("foo").is_ok_and(|q| q.uses_text()));
    assert!(parse("user:x").is_ok_and(|q| !q.uses_text()));
}

/// Detection terms select the rows of the rules they name, from the context the engine hands in.
#[test]
fn detection_terms() {
    let s = store();
    let t = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let (ta, tb, tc) =
        (t(&["defense-evasion"]), t(&["persistence", "privilege-escalation"]), t(&[]));
    let (qa, qb) = (t(&["T1562.008"]), t(&["T1078.004"]));
    let rules = [
        RuleRows {
            id: "aaaa-1",
            name: Some("logging"),
            title: "CloudTrail stopped",
            level: 3,
            tactics: &ta,
            techniques: &qa,
            rows: &[0, 1],
        },
        RuleRows {
            id: "bbbb-2",
            name: None,
            title: "Root user activity",
            level: 2,
            tactics: &tb,
            techniques: &qb,
            rows: &[2],
        },
        RuleRows {
            id: "cccc-3",
            name: None,
            title: "Low thing",
            level: 1,
            tactics: &tc,
            techniques: &tc,
            rows: &[1, 3],
        },
    ];
    let ix = TextIndex::build(&s);
    let with = |q: &str| {
        let query = match parse(q) {
            Ok(query) => query,
            Err(e) => return format!("ERR {e}"),
        };
        let rows = query.run_with(&s, None, &rules);
        assert_eq!(rows, query.run_with(&s, Some(&ix), &rules), "indexed run differs for {q}");
        let ids: Vec<String> = rows
            .iter()
            .map(|&r| field_text(&s, r as usize, "eventID").unwrap_or_default())
            .collect();
        ids.join(" ")
    };
    assert_eq!(with("rule:aaaa-1"), "e0 e1");
    assert_eq!(with("rule:logging"), "e0 e1");
    assert_eq!(with("rule:*ROOT*"), "e2");
    assert_eq!(with("rule:\"Root user activity\""), "e2");
    assert_eq!(with("rule:\"Root*\""), "");
    assert_eq!(with("rule:nope"), "");
    assert_eq!(with("level:high"), "e0 e1");
    assert_eq!(with("level:HIGH"), "e0 e1");
    assert_eq!(with("level>=medium"), "e0 e1 e2");
    assert_eq!(with("level:>=medium"), "e0 e1 e2");
    assert_eq!(with("level>medium"), "e0 e1");
    assert_eq!(with("level<medium"), "e1 e3");
    assert_eq!(with("level<=low"), "e1 e3");
    assert_eq!(with("level>critical"), "");
    assert_eq!(with("level<informational"), "");
    assert_eq!(with("level:*"), "e0 e1 e2 e3");
    assert_eq!(with("tactic:persistence"), "e2");
    assert_eq!(with("tactic:*evasion"), "e0 e1");
    assert_eq!(with("technique:T1562*"), "e0 e1");
    assert_eq!(with("technique:t1078.004"), "e2");
    assert_eq!(with("technique:T1078"), "", "a whole value: T1078* for sub-techniques");
    // Combined with everything else.
    assert_eq!(with("level>=medium service:s3"), "e0 e1");
    assert_eq!(with("-rule:*"), "e4");
    assert_eq!(with("rule:logging OR user:Admin OR type:Root"), "e0 e1 e2");
    assert_eq!(with("NOT level:high AND (tactic:* OR error:*)"), "e2");
    assert_eq!(with("technique:T1562* bucketName"), "e0 e1");
    // Without the rules' matches the terms select nothing.
    assert_eq!(ids(&s, "rule:*"), "");
    assert_eq!(ids(&s, "-level:*"), "e0 e1 e2 e3 e4");
    assert!(parse("level:high").is_ok_and(|q| !q.uses_text()));
    // Errors say what the values can be.
    check_err("level:severe", "unknown level 'severe'", (6, 12), "informational, low, medium");
    check_err("level>=bad", "unknown level 'bad'", (7, 10), "level>=medium");
    check_err("level:", "missing value after 'level:'", (0, 6), "level:*");
    check_err("rule>x", "'>' compares times only", (4, 5), "level>=medium");
    check_err("tactic:[a TO b]", "ranges work on time only", (7, 8), "time:[");
    check_err("levle:high", "unknown field 'levle'", (0, 5), "did you mean 'level'?");
    assert!(HELP.contains("technique:T1562*") && fields().iter().any(|(n, _)| *n == "level"));
    assert_eq!(LEVELS[3], "high");
}
