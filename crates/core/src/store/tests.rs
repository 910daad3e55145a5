//! What the store keeps: owned file texts kept or dropped, duplicates against rows that point
//! into a text still being read, memory per event, mostly read through [`Store::ingest`] and
//! [`Store::ingest_owned`] (the way every caller writes a store); and the write API alone.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use super::*;
use crate::test_data::{gz, records, EV1, EV2};

#[test]
fn memory_and_send_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Store>();
    let mut s = Store::new();
    let evs: Vec<String> = (0..20_000).map(|i| EV1.replace("id-1", &format!("id-{i}"))).collect();
    let refs: Vec<&str> = evs.iter().map(|s| s.as_str()).collect();
    s.ingest("m.json", records(&refs).as_bytes());
    assert_eq!(s.len(), 20_000);
    let m = s.memory_bytes();
    assert!((m.columns + m.interned) / 20_000 < 150, "{m:?}");
    assert_eq!(Column::ALL.len(), 14);
    assert_eq!(Column::from_name("service"), Some(Column::Service));
}

/// `ev` spread over lines (its strings hold no `,"`), in key order.
fn pretty(ev: &str) -> String {
    ev.replace(",\"", ",\n        \"")
}

#[test]
fn owned_compact_file_is_kept_not_copied() {
    let text = records(&[EV1, EV2]);
    let mut s = Store::new();
    s.ingest_owned("a.json", text.clone().into_bytes());
    assert_eq!((s.len(), s.raw(0), s.raw(1)), (2, EV1, EV2));
    // The file's own text is the only raw memory: no arena chunk was allocated.
    assert_eq!(s.memory_bytes().raw, text.len() as u64);
}

#[test]
fn owned_file_mostly_copied_is_dropped() {
    // One compact record, then a pretty one (compacted into the arena): the compact one is
    // under 3/4 of the text, so it moves to the arena too and the file text is not kept.
    let big = pretty(EV2);
    let text = format!("{{\"Records\":[{EV1},\n{big}]}}");
    let mut s = Store::new();
    s.ingest_owned("a.json", text.clone().into_bytes());
    assert_eq!((s.len(), s.raw(0), s.raw(1)), (2, EV1, EV2));
    assert_eq!(s.memory_bytes().raw, CHUNK as u64, "one arena chunk, no file text");
    let mut b = Store::new();
    b.ingest("a.json", text.as_bytes());
    assert_eq!((b.raw(0), b.raw(1)), (s.raw(0), s.raw(1)));
    // Later rows still find them as duplicates.
    s.ingest_owned("b.json", records(&[EV1, EV2]).into_bytes());
    assert_eq!((s.len(), s.totals().duplicates), (2, 2));
}

#[test]
fn owned_duplicates_within_a_file_and_across_files() {
    let text = records(&[EV1, EV1, EV2]);
    let mut s = Store::new();
    s.ingest_owned("a.json", text.clone().into_bytes());
    let f = s.files()[0].clone();
    assert_eq!((f.kept, f.duplicates), (2, 1));
    let raw = s.memory_bytes().raw;
    // The same file again: all duplicates, and its text is not kept.
    s.ingest_owned("again.json", text.into_bytes());
    assert_eq!((s.len(), s.files()[1].duplicates), (2, 3));
    assert_eq!(s.memory_bytes().raw, raw);
    assert_eq!((s.raw(0), s.raw(1)), (EV1, EV2));
}

#[test]
fn owned_gzip_and_invalid_utf8() {
    let mut s = Store::new();
    s.ingest_owned("a.json.gz", gz(records(&[EV1]).as_bytes()));
    assert_eq!(s.raw(0), EV1);
    // Invalid UTF-8 where no field is read: the record is kept, its text made valid.
    let mut bad = records(&[EV2, EV1]).into_bytes();
    let at = bad.windows(6).position(|w| w == b"alert(").unwrap();
    bad[at + 5] = 0xff;
    s.ingest_owned("bad.json", bad);
    assert_eq!(s.len(), 3, "{:?}", s.files());
    assert_eq!(s.raw(1), EV2);
    assert!(s.raw(2).contains("alert\u{fffd}1)"));
}

/// The write API alone, without the reader: equal texts dedupe, values are interned per column.
#[test]
fn push_event_dedupes_by_text_and_interns() {
    use std::borrow::Cow;
    let mut s = Store::new();
    let mut values: [Cow<str>; NCOLS] = Default::default();
    values[Column::Service.index()] = Cow::Borrowed("s3.amazonaws.com");
    let a = s.push_event(0, RawText::Copy("{\"a\":1}"), (Some(5), 0), &values);
    let again = s.push_event(0, RawText::Copy("{\"a\":1}"), (Some(5), 0), &values);
    let b = s.push_event(0, RawText::Copy("{\"a\":2}"), (None, 1), &values);
    assert_eq!((a, again, b), (Pushed::Kept, Pushed::Duplicate, Pushed::Kept));
    assert_eq!((s.len(), s.raw(1), s.time_ms(0), s.time_ms(1)), (2, "{\"a\":2}", Some(5), None));
    assert_eq!(s.get(1, Column::Service), "s3.amazonaws.com");
    assert_eq!(s.dictionary(Column::Service).len(), 2, "\"\" and one value");
    assert_eq!(s.id(0, Column::Region), 0);
}

#[test]
fn absent_fields_are_told_from_empty_ones() {
    let lines = [
        r#"{"eventName":"A","eventSource":"s","errorCode":null,"userIdentity":{"type":"Root"}}"#,
        r#"{"eventName":"B","errorCode":"","userAgent":7,"sourceIPAddress":["1.2.3.4"]}"#,
        r#"{"eventName":"C","userIdentity":"{\"arn\":\"x\"}","awsRegion":{}}"#,
        r#"{"eventType":"AwsCloudTrailInsight","insightDetails":{"eventName":"D"},"userIdentity":1}"#,
    ];
    let mut s = Store::new();
    s.ingest("a.ndjson", lines.join("\n").as_bytes());
    assert_eq!(s.len(), 4);
    let absent = |row: usize| -> Vec<Column> {
        Column::ALL.into_iter().filter(|&c| s.absent(row, c)).collect()
    };
    use Column::*;
    // Missing or null: absent. Another event's column (account, user…) never is.
    assert_eq!(absent(0), vec![Region, Arn, SourceIp, ErrorCode, UserAgent, EventType, AccessKey]);
    // "" and non-text values are values; a missing userIdentity has no arn, type or key.
    assert_eq!(absent(1), vec![Service, Region, Arn, IdentityType, EventType, AccessKey]);
    // A userIdentity written as a string says nothing of the record's own paths.
    assert_eq!(absent(2), vec![Service, SourceIp, ErrorCode, UserAgent, EventType]);
    // An Insight event's service and action come from insightDetails.
    assert_eq!(absent(3), vec![Region, SourceIp, ErrorCode, UserAgent]);
    let text: Vec<bool> = (0..4).map(|r| s.identity_is_text(r)).collect();
    assert_eq!(text, vec![false, false, true, false]);
}
