//! The reader's tests by shape: Records, NDJSON, arrays, single events, wrappers, digests,
//! quirks, positions of errors and rejections, junk, invalid UTF-8. Containers and limits are
//! tested in `container/tests.rs`, what the store keeps in the store's tests.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::report::{FileReport, FileStatus};
use crate::test_data::{gz, records, EV1, EV2};
use crate::{Column, Store};

/// Reads one input that must give one report, and checks that its counts reconcile.
pub(super) fn one(path: &str, bytes: &[u8]) -> (Store, FileReport) {
    let mut s = Store::new();
    let r = s.ingest(path, bytes);
    assert_eq!(r.len(), 1, "{:?}", s.files());
    let f = s.files()[0].clone();
    assert_eq!(f.events, f.kept + f.duplicates + f.rejected, "{f:?}");
    (s, f)
}

#[test]
fn records_file_columns() {
    let (s, f) = one(
        "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/02/x.json",
        records(&[EV1, EV2]).as_bytes(),
    );
    assert_eq!(
        (f.events, f.kept, f.format.as_str(), f.status()),
        (2, 2, "Records", FileStatus::Ok)
    );
    let k = f.aws_key.clone().unwrap();
    assert_eq!(
        (k.account.as_str(), k.region.as_str(), k.date.as_str()),
        ("111122223333", "us-east-1", "2024-01-02")
    );
    assert_eq!(s.get(0, Column::Service), "s3.amazonaws.com");
    assert_eq!(s.get(0, Column::Action), "GetObject");
    assert_eq!(s.get(0, Column::User), "alice");
    assert_eq!(s.get(0, Column::ReadOnly), "true");
    assert_eq!(s.get(0, Column::Category), "Management");
    assert_eq!(s.get(0, Column::AccessKey), "AKIA1");
    assert_eq!(s.get(1, Column::User), "Admin");
    assert_eq!(s.get(1, Column::ErrorCode), "AccessDenied");
    assert_eq!(s.get(1, Column::Account), "111122223333");
    assert_eq!(s.get(1, Column::ReadOnly), "false");
    assert_eq!(s.time_ms(0), Some(1_704_164_645_000));
    // HTML kept verbatim in raw.
    assert!(s.raw(0).contains("<script>alert(1)</script>"));
    assert_eq!(s.raw(0), EV1);
    assert_eq!(s.file_of(1), 0);
    assert_eq!(f.summary(), "2 events");
}

#[test]
fn same_event_id_different_content_kept() {
    let b = EV1.replace("GetObject", "PutObject");
    let (s, f) = one("x.json", records(&[EV1, &b, EV1]).as_bytes());
    assert_eq!((f.events, f.kept, f.duplicates), (3, 2, 1));
    assert_eq!(s.len(), 2);
}

#[test]
fn ndjson_blank_lines_crlf_bom_and_bad_line() {
    let text =
        format!("\u{feff}{EV1}\r\n\r\n{EV2}\r\nnot json here\r\n{{\"eventName\": broken}}\r\n");
    let (s, f) = one("x.ndjson", text.as_bytes());
    assert_eq!(f.format, "NDJSON");
    assert_eq!((f.events, f.kept, f.rejected), (4, 2, 2), "{f:?}");
    assert_eq!(f.rejections.len(), 2);
    assert_eq!(f.rejections[0].first.unwrap().line, 4);
    assert_eq!(f.rejections[1].first.unwrap().line, 5);
    assert_eq!(s.get(1, Column::Action), "CreateUser");
}

#[test]
fn array_single_event_and_concatenated() {
    let (_, f) = one("a.json", format!("[{EV1},\n{EV2}]").as_bytes());
    assert_eq!((f.format.as_str(), f.kept), ("JSON array", 2));
    let (_, f) = one("e.json", EV1.as_bytes());
    assert_eq!((f.format.as_str(), f.kept), ("event", 1));
    let pretty1 = EV1.replace(",\"", ",\n  \"");
    let (_, f) = one("c.json", format!("{pretty1}\n{pretty1}\n{EV2}").as_bytes());
    assert_eq!((f.kept, f.duplicates), (2, 1));
}

#[test]
fn wrappers() {
    // lookup-events: CloudTrailEvent is a JSON string.
    let lookup = serde_json::json!({"Events": [
        {"EventId": "id-1", "EventName": "GetObject", "CloudTrailEvent": EV1},
        {"EventId": "id-2", "EventName": "CreateUser", "CloudTrailEvent": EV2}
    ]});
    let (s, f) = one("lookup.json", lookup.to_string().as_bytes());
    assert_eq!((f.format.as_str(), f.kept), ("lookup-events", 2));
    assert_eq!(s.raw(0), EV1);
    // EventBridge.
    let eb = format!(
        r#"{{"version":"0","id":"x","detail-type":"AWS API Call via CloudTrail","source":"aws.s3","time":"2024-01-02T03:04:05Z","region":"us-east-1","detail":{EV1}}}"#
    );
    let (_, f) = one("eb.json", eb.as_bytes());
    assert_eq!((f.format.as_str(), f.kept), ("EventBridge", 1));
    // CloudWatch Logs subscription.
    let cw = serde_json::json!({"messageType":"DATA_MESSAGE","logGroup":"g","logEvents":[{"id":"1","timestamp":1,"message":EV1},{"id":"2","timestamp":2,"message":EV2}]});
    let (_, f) = one("cw.json", &gz(cw.to_string().as_bytes()));
    assert_eq!((f.format.as_str(), f.kept), ("CloudWatch Logs", 2));
    // cribl _raw holding a Records file as a string, inside an array.
    let cribl =
        serde_json::json!([{"_raw": records(&[EV1, EV2]), "_time": 1}, {"_raw": "plain text"}]);
    let (_, f) = one("cribl.json", cribl.to_string().as_bytes());
    assert_eq!((f.kept, f.rejected), (2, 0));
    assert_eq!(f.notes.len(), 1, "{:?}", f.notes);
}

/// Issue 15's phantom events: SIEM documents and OCSF records carry CloudTrail's keys in
/// normalized copies; only an object that says what was called is an event, and a document that
/// holds the original event as text yields that event once.
#[test]
fn siem_documents_yield_their_original_once_and_copies_never() {
    let ev1: serde_json::Value = serde_json::from_str(EV1).unwrap();
    // ECS: event.original, ECS fields, and a vendor's copy with userIdentity and
    // recipientAccountId (which alone made a phantom event before).
    let ecs = serde_json::json!({
        "@timestamp": "2024-01-02T03:04:05Z",
        "event": {"action": "GetObject", "provider": "s3.amazonaws.com", "original": EV1},
        "aws": {"cloudtrail": {"event_version": "1.08", "user_identity": {"type": "IAMUser"}}},
        "action": {"properties": {"userIdentity": ev1["userIdentity"], "recipientAccountId": "111122223333"}},
        "message": "GetObject by alice"
    });
    let (s, f) = one("ecs.json", ecs.to_string().as_bytes());
    assert_eq!((f.events, f.kept, f.rejected), (1, 1, 0), "{f:?}");
    assert_eq!(s.raw(0), EV1);
    // Three such documents as NDJSON: three events.
    let lines = [&ecs, &ecs, &ecs].map(|d| d.to_string()).join("\n");
    let (_, f) = one("ecs.ndjson", lines.as_bytes());
    assert_eq!(f.kept, 1, "the same event three times: kept once");
    assert_eq!((f.events, f.duplicates), (3, 2));
    // The same document without its original: one event, its ECS fields mapped back
    // (read/flat/), and never one from the vendor's copy beside them (that made an event with no
    // time, service or action before).
    let mut bare = ecs.clone();
    bare["event"].as_object_mut().unwrap().remove("original");
    let (s, f) = one("bare.json", bare.to_string().as_bytes());
    assert_eq!((f.events, s.len(), f.format.as_str()), (1, 1, "ECS"), "{f:?}");
    assert_eq!((s.get(0, Column::Action), s.get(0, Column::User)), ("GetObject", ""));
    // An OCSF record: its `unmapped` keeps CloudTrail's keys, which make no second event; the
    // record is one event, read into the columns (record/ocsf.rs), its text kept as it is.
    let ocsf = serde_json::json!({
        "class_uid": 6003, "time": 1704164645000_i64,
        "api": {"operation": "GetObject", "service": {"name": "s3.amazonaws.com"}},
        "cloud": {"region": "us-east-1", "account": {"uid": "111122223333"}},
        "unmapped": {"recipientAccountId": "111122223333", "eventType": "AwsApiCall",
                     "userIdentity": ev1["userIdentity"]}
    });
    let (s, f) = one("ocsf.json", ocsf.to_string().as_bytes());
    assert_eq!((s.len(), f.format.as_str()), (1, "OCSF (Security Lake)"));
    assert_eq!((s.get(0, Column::Action), s.get(0, Column::Region)), ("GetObject", "us-east-1"));
    assert_eq!(s.time_ms(0), Some(1_704_164_645_000));
    assert_eq!(s.raw(0), ocsf.to_string());
    assert!(
        f.notes.iter().any(|n| n.starts_with("1 OCSF record (Security Lake)")),
        "{:?}",
        f.notes
    );
    // An OCSF class Security Lake does not write for CloudTrail: not an event.
    let other = serde_json::json!({"class_uid": 4001, "time": 1, "unmapped": {"eventType": "x"}});
    let (s, _) = one("ocsf-network.json", other.to_string().as_bytes());
    assert_eq!(s.len(), 0);
    // Splunk: the result's own extracted fields name the call too; `_raw` is the event.
    let splunk = serde_json::json!({"preview": false, "result": {
        "_raw": EV2, "_time": "2024-01-02T03:05:05.000+00:00",
        "eventName": "CreateUser", "eventSource": "iam.amazonaws.com", "userIdentity.type": "AssumedRole"
    }});
    let (s, f) = one("splunk.json", splunk.to_string().as_bytes());
    assert_eq!((f.events, f.kept), (1, 1), "{f:?}");
    assert_eq!(s.raw(0), EV2);
    assert_eq!(s.get(0, Column::User), "Admin");
    // A forwarder's `message` beside its own copy of the fields, in an array.
    let fwd = serde_json::json!([{"message": EV1, "cloudtrail": ev1}, {"message": EV2}]);
    let (s, f) = one("fwd.json", fwd.to_string().as_bytes());
    assert_eq!((f.events, f.kept), (2, 2), "{f:?}");
    assert_eq!((s.raw(0).as_str(), s.raw(1).as_str()), (EV1, EV2));
    // A record of a Records file that names no call is rejected, not kept.
    let named_nothing = r#"{"eventTime":"2024-01-02T03:04:05Z","userIdentity":{"type":"Root"},"recipientAccountId":"1"}"#;
    let (s, f) = one("r.json", records(&[EV1, named_nothing]).as_bytes());
    assert_eq!((f.events, f.kept, f.rejected, s.len()), (2, 1, 1, 1), "{f:?}");
}

/// `aws cloudtrail get-query-results`: rows of one-column maps, all text (read/lake.rs). Each
/// `{"eventName": …}` column alone made a phantom event before.
#[test]
fn cloudtrail_lake_results_rows_are_their_events() {
    let row = |id: &str, name: &str, user: &str| {
        serde_json::json!([
            {"eventID": id}, {"eventTime": "2024-01-02 03:04:05.000"}, {"eventName": name},
            {"eventSource": "s3.amazonaws.com"}, {"awsRegion": "eu-west-1"},
            {"userIdentity": format!("{{type=IAMUser, principalid=AIDA1, arn=arn:aws:iam::1:user/{user}, accountid=1, accesskeyid=AKIA1, username={user}, sessioncontext=null}}")},
            {"requestParameters": "{\"bucketName\":\"b\"}"}
        ])
    };
    let doc = serde_json::json!({
        "QueryStatus": "FINISHED",
        "QueryStatistics": {"ResultsCount": 3, "TotalResultsCount": 3},
        "QueryResultRows": [row("e1", "GetObject", "alice"), row("e2", "PutObject", "bob"),
                            [{"eventSource": "s3.amazonaws.com"}, {"_col1": "2"}]]
    });
    let (s, f) = one("lake.json", doc.to_string().as_bytes());
    assert_eq!((f.events, f.kept, f.format.as_str()), (2, 2, "CloudTrail Lake results"), "{f:?}");
    assert_eq!((s.get(0, Column::Action), s.get(1, Column::User)), ("GetObject", "bob"));
    assert_eq!((s.get(0, Column::AccessKey), s.get(0, Column::Region)), ("AKIA1", "eu-west-1"));
    assert_eq!(s.time_ms(0), Some(1_704_164_645_000));
    assert!(s.raw(0).contains(r#""requestParameters":{"bucketName":"b"}"#), "{}", s.raw(0));
    assert!(f
        .notes
        .iter()
        .any(|n| n.starts_with("2 CloudTrail Lake result rows read as events: lossy")));
    assert!(f.notes.iter().any(|n| n.starts_with("skipped 1 JSON object that")), "{:?}", f.notes);
}

#[test]
fn insight_digest_and_quirks() {
    let insight = r#"{"eventVersion":"1.08","eventTime":"2022-04-12T16:10:00Z","awsRegion":"eu-central-1","eventID":"i1","eventType":"AwsCloudTrailInsight","recipientAccountId":"1","insightDetails":{"state":"Start","eventSource":"autoscaling.amazonaws.com","eventName":"CompleteLifecycleAction"}}"#;
    let (s, f) = one("i.json", records(&[insight]).as_bytes());
    assert_eq!(f.kept, 1);
    assert_eq!(s.get(0, Column::Action), "CompleteLifecycleAction");
    assert_eq!(s.get(0, Column::Service), "autoscaling.amazonaws.com");
    assert_eq!(s.get(0, Column::Category), "Insight");
    let digest = r#"{"awsAccountId":"1","digestStartTime":"2015-08-20T17:01:31Z","digestEndTime":"2015-08-20T18:01:31Z","logFiles":[]}"#;
    let (_, f) = one("AWSLogs/1/CloudTrail-Digest/us-east-2/2015/08/20/d.json", digest.as_bytes());
    assert_eq!(
        (f.digests, f.events, f.status(), f.format.as_str()),
        (1, 0, FileStatus::Skipped, "digest")
    );
    assert!(f.aws_key.unwrap().digest);
    // Quirks: string booleans, space time with nanoseconds, missing userIdentity, @timestamp.
    let q1 = r#"{"eventName":"A","eventSource":"x","readOnly":"true","eventTime":"2019-01-01 00:00:00.123456789"}"#;
    let q2 = r#"{"eventName":"B","eventSource":"x","@timestamp":"2020-09-14T01:19:40.000Z","userIdentity":"{\"type\":\"Root\",\"arn\":\"arn:aws-us-gov:iam::12345:root\"}"}"#;
    let q3 =
        r#"{"eventName":"C","eventSource":"x","eventTime":"soon","recipientAccountId":"redacted"}"#;
    let (s, f) = one("q.json", format!("{q1}\n{q2}\n{q3}\n").as_bytes());
    assert_eq!(f.kept, 3);
    assert_eq!(s.get(0, Column::ReadOnly), "true");
    assert_eq!(s.time_ms(0), Some(1_546_300_800_123));
    assert_eq!(s.get(0, Column::User), "");
    assert_eq!(s.time_ms(1), Some(1_600_046_380_000));
    assert_eq!(s.get(1, Column::User), "root");
    assert_eq!(s.get(1, Column::IdentityType), "Root");
    assert_eq!(s.time_ms(2), None);
    assert_eq!(s.get(2, Column::Account), "redacted");
    assert!(f.notes.iter().any(|n| n.contains("used @timestamp")), "{:?}", f.notes);
    assert!(f.notes.iter().any(|n| n.contains("no usable time")));
}

#[test]
fn truncated_and_malformed_positions() {
    let full = records(&[EV1, EV2]);
    let cut = &full[..EV1.len() + 40];
    let (s, f) = one("t.json", cut.as_bytes());
    assert_eq!(f.kept, 1);
    assert_eq!(f.status(), FileStatus::Error);
    let e = f.error.unwrap();
    assert_eq!(e.position().unwrap().byte as usize, cut.len());
    assert!(e.to_string().contains("line 1 column"), "{e}");
    assert_eq!(s.len(), 1);
    // Missing commas between Records objects are recovered.
    let (_, f) = one("m.json", format!("{{\"Records\":[{EV1}\n{EV2}]}}").as_bytes());
    assert_eq!((f.kept, f.error.is_none()), (2, true));
    assert!(f.notes[0].contains("no comma"));
    // Invalid JSON inside one record: rejected with position, others kept.
    let bad = EV2.replace("\"AccessDenied\"", "AccessDenied");
    let (_, f) = one("b.json", format!("{{\"Records\":[{EV1},\n{bad}]}}").as_bytes());
    assert_eq!((f.kept, f.rejected), (1, 1), "{f:?}");
    let p = f.rejections[0].first.unwrap();
    assert_eq!(p.line, 2);
    assert!(f.rejections[0].reason.starts_with("invalid JSON"));
    // Mismatched bracket.
    let (_, f) = one("x.json", b"{\"Records\":[{\"a\":[1}]}");
    assert_eq!(f.error.unwrap().position().unwrap().byte, 19);
    // Non-object record slots are rejected.
    let (_, f) = one("n.json", format!("{{\"Records\":[1,null,{EV1}]}}").as_bytes());
    assert_eq!((f.kept, f.rejected), (1, 2));
}

#[test]
fn binary_junk_and_text() {
    let mut seed = 12345u64;
    for n in 0..300 {
        let len = (n * 37) % 700;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (seed >> 56) as u8
            })
            .collect();
        let mut s = Store::new();
        s.ingest("junk", &bytes);
        // Junk after a valid prefix.
        let mut v = records(&[EV1]).into_bytes();
        v.truncate(20 + n % 300);
        v.extend_from_slice(&bytes);
        s.ingest("junk2", &v);
        for f in s.files() {
            assert_eq!(f.events, f.kept + f.duplicates + f.rejected);
        }
    }
    let (_, f) = one("x.csv", b"a,b,c\n1,2,3\n");
    assert_eq!(f.status(), FileStatus::Skipped);
    let (_, f) = one("empty.json", b"   ");
    assert_eq!(f.status(), FileStatus::Skipped);
    let (_, f) = one("deep.json", "[".repeat(100_000).as_bytes());
    assert!(f.error.is_some());
    let deep_str = format!("{}{}", "{\"a\":".repeat(5000), "1");
    let (_, f) = one("deep2.json", deep_str.as_bytes());
    assert!(f.error.is_some());
}

#[test]
fn invalid_utf8_file_and_valid_copy() {
    // Bad bytes: the file is not valid UTF-8 as a whole, so every record takes the
    // per-record path. In a skipped string (requestParameters) the record is kept with
    // U+FFFD; in an indexed string it is rejected (serde validates what it reads); the
    // good record is kept as it is and dedupes with the same record from a valid file.
    let skipped = EV1.replace("alert(1)", "alertX1)").replace("id-1", "id-9");
    let indexed = EV2.replace("\"userName\":\"Admin\"", "\"userName\":\"AdmXn\"");
    let mut text = records(&[EV1, &skipped, &indexed]).into_bytes();
    for pat in [&b"alertX"[..], b"AdmX"] {
        let at = text.windows(pat.len()).position(|w| w == pat).unwrap() + pat.len() - 1;
        text[at] = 0xff;
    }
    let mut s = Store::new();
    let r = s.ingest("bad.json", &text);
    let f = &s.files()[r.start];
    assert_eq!((f.kept, f.rejected), (2, 1), "{f:?}");
    assert!(f.notes.iter().any(|n| n.contains("invalid UTF-8")), "{:?}", f.notes);
    assert!(s.raw(1).contains("alert\u{fffd}1)"));
    assert_eq!(s.get(0, Column::User), "alice");
    let r = s.ingest("good.json", records(&[EV1, EV2]).as_bytes());
    let f = &s.files()[r.start];
    assert_eq!((f.kept, f.duplicates), (1, 1), "{f:?}");
    assert_eq!(s.raw(0), EV1);
    assert_eq!(s.raw(2), EV2);
    // Pretty-printed (compacted) copies from a valid file dedupe with both.
    let spaced = records(&[EV1, EV2]).replace("\":", "\" : ").replace(",\"", ",\n  \"");
    let r = s.ingest("spaced.json", spaced.as_bytes());
    assert_eq!(s.files()[r.start].duplicates, 2);
    assert_eq!(s.len(), 3);
}

/// Read-only events are left out when the user asks: counted as read and filtered, not stored,
/// on the fast path, the serde path and inside gzip alike; the counts still reconcile.
#[test]
fn read_only_events_are_left_out_by_choice() {
    let drop = crate::ReadOptions { drop_read_only: true };
    // EV1 is read-only, EV2 is not; a third copy of EV1 with readOnly as a string, spaced.
    let spaced =
        EV1.replace("\"readOnly\":true", "\"readOnly\" : \"TRUE\"").replace("id-1", "id-3");
    let text = records(&[EV1, EV2, &spaced]);
    for fast in [true, false] {
        for bytes in [text.as_bytes().to_vec(), gz(text.as_bytes())] {
            let mut s = Store::new();
            s.set_fast_path(fast);
            s.ingest_owned_with("x.json", bytes, drop);
            let f = &s.files()[0];
            assert_eq!((f.events, f.kept, f.filtered, f.status()), (3, 1, 2, FileStatus::Ok));
            assert_eq!(f.events, f.kept + f.duplicates + f.rejected + f.filtered);
            assert_eq!((s.len(), s.get(0, Column::Action)), (1, "CreateUser"));
            assert_eq!(f.summary(), "3 events, 2 read-only left out by choice");
            let t = s.totals();
            assert_eq!((t.read, t.kept, t.filtered), (3, 1, 2));
        }
    }
    // Without the option nothing is left out.
    let mut s = Store::new();
    s.ingest_owned("x.json", text.into_bytes());
    assert_eq!((s.files()[0].kept, s.files()[0].filtered), (3, 0));
}

/// A file left out with the load-time filter is listed, never read, and counts nothing.
#[test]
fn files_left_out_get_a_line_of_their_own() {
    let mut s = Store::new();
    let path = "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/02/x.json.gz";
    assert_eq!(s.add_left_out(path, 2_500_000), 0..1);
    let f = &s.files()[0];
    assert_eq!(f.status(), FileStatus::LeftOut);
    assert_eq!(f.summary(), "left out by choice (load filter); 2.5 MB not read");
    assert_eq!(f.aws_key.as_ref().map(|k| k.date.as_str()), Some("2024-01-02"));
    let t = s.totals();
    assert_eq!((t.files, t.read, t.bytes), (1, 0, 0));
}
