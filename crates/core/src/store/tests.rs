//! What the store keeps: records in compressed blocks read back as they were, duplicates found
//! in sealed blocks, memory per event, mostly read through [`Store::ingest`] and
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

/// `n` distinct copies of EV1.
fn many(n: usize) -> Vec<String> {
    (0..n).map(|i| EV1.replace("id-1", &format!("id-{i}"))).collect()
}

#[test]
fn records_read_back_from_compressed_blocks() {
    let evs = many(3000);
    let refs: Vec<&str> = evs.iter().map(|s| s.as_str()).collect();
    let text = records(&refs);
    let mut s = Store::new();
    s.ingest_owned("a.json", text.clone().into_bytes());
    assert_eq!(s.len(), 3000);
    // Many blocks, kept plain until the worker is idle (compression deferred), and read so.
    let plain = s.raw_plain_bytes();
    assert_eq!(plain, evs.iter().map(|e| e.len() as u64).sum::<u64>());
    assert!(plain > 8 * BLOCK as u64);
    assert!(s.memory_bytes().raw > plain, "{} of {plain}", s.memory_bytes().raw);
    for (i, e) in evs.iter().enumerate() {
        assert_eq!(s.raw_reader().get(i), e, "row {i}");
    }
    // Compressed a few blocks at a time, read back the same between steps and after.
    assert!(s.compress_deferred(3));
    assert_eq!(s.raw(1), evs[1]);
    while s.compress_deferred(3) {}
    assert!(!s.compress_deferred(3));
    // The text held in far fewer bytes than it has.
    assert!(s.memory_bytes().raw * 3 < plain, "{} of {plain}", s.memory_bytes().raw);
    // Every record as it was: in order through one reader, out of order one by one.
    let mut r = s.raw_reader();
    for (i, e) in evs.iter().enumerate() {
        assert_eq!(r.get(i), e, "row {i}");
    }
    for i in [2999, 0, 1500, 1, 2998] {
        assert_eq!(s.raw(i), evs[i]);
        assert_eq!(r.get(i), evs[i]);
    }
    assert_eq!((s.raw(3000), r.get(usize::MAX)), (String::new(), ""));
    // A cache kept from another store misses rather than answers with its text.
    let mut cache = RawCache::default();
    assert_eq!(s.raw_cached(&mut cache, 10), evs[10]);
    let mut t = Store::new();
    t.ingest("b.json", records(&[EV2]).as_bytes());
    assert_eq!(t.raw_cached(&mut cache, 0), EV2);
    assert_eq!(s.raw_cached(&mut cache, 10), evs[10]);
}

#[test]
fn past_the_deferred_limit_blocks_are_compressed_as_they_seal() {
    let evs = many(3000);
    let refs: Vec<&str> = evs.iter().map(|s| s.as_str()).collect();
    let (mut all, mut none, mut some) = (Store::new(), Store::new(), Store::new());
    none.set_defer_limit(0);
    some.set_defer_limit(4 * BLOCK as u64);
    for s in [&mut all, &mut none, &mut some] {
        s.ingest_owned("a.json", records(&refs).into_bytes());
    }
    let (a, n, m) = (all.memory_bytes().raw, none.memory_bytes().raw, some.memory_bytes().raw);
    // Nothing deferred: compressed as it came; a limit of four blocks: about four blocks more
    // of text less what they compress to (each block sealed past it compressed the oldest
    // waiting one too).
    assert!(n * 3 < all.raw_plain_bytes(), "{n}");
    assert!(m > n + 2 * BLOCK as u64 && m < n + 5 * BLOCK as u64, "{m} against {n}");
    assert!(a > m, "{a} against {m}");
    assert!(!none.compress_deferred(1));
    while some.compress_deferred(1) {}
    while all.compress_deferred(1) {}
    // Compressing later or at once gives the same blocks (give or take the compressor's reused
    // buffer, grown in another order).
    for later in [all.memory_bytes().raw, some.memory_bytes().raw] {
        assert!(later.abs_diff(n) < 1024, "{later} against {n}");
    }
    for (i, e) in evs.iter().enumerate() {
        assert_eq!((none.raw(i), some.raw(i)), (e.clone(), e.clone()), "row {i}");
    }
}

#[test]
fn records_larger_than_a_block_get_one_of_their_own() {
    let big = EV1.replace("id-1", &"x".repeat(3 * BLOCK));
    let mut s = Store::new();
    s.ingest("a.json", records(&[EV2, &big, EV1, &big.replace("xxx", "yyy")]).as_bytes());
    assert_eq!(s.len(), 4);
    assert_eq!((s.raw(0), s.raw(1), s.raw(2)), (EV2.to_string(), big.clone(), EV1.to_string()));
    assert_eq!(s.raw(3), big.replace("xxx", "yyy"));
}

#[test]
fn text_that_does_not_compress_is_kept_as_it_is() {
    // A record of pseudo-random letters bigger than a block: LZ4 would not make it smaller.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let noise: String = (0..2 * BLOCK)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(b'a' + (x % 26) as u8)
        })
        .collect();
    let ev = EV1.replace("id-1", &noise);
    let mut s = Store::new();
    s.ingest("a.json", records(&[EV2, &ev, EV1]).as_bytes());
    assert_eq!((s.raw(0), s.raw(1), s.raw(2)), (EV2.to_string(), ev, EV1.to_string()));
    // Held in about its own size (beside the open block and the compressor's buffer, a block
    // each): no buffer of the big block's size left behind.
    let raw = s.memory_bytes().raw;
    assert!(raw < s.raw_plain_bytes() + 2 * BLOCK as u64 + 8192, "{raw}");
}

#[test]
fn pretty_records_are_stored_compact() {
    let text = format!("{{\"Records\":[{EV1},\n{}]}}", pretty(EV2));
    let mut s = Store::new();
    s.ingest_owned("a.json", text.clone().into_bytes());
    assert_eq!((s.raw(0), s.raw(1)), (EV1.to_string(), EV2.to_string()));
    // Later rows still find them as duplicates.
    s.ingest_owned("b.json", records(&[EV1, EV2]).into_bytes());
    assert_eq!((s.len(), s.totals().duplicates), (2, 2));
}

#[test]
fn duplicates_are_found_in_sealed_blocks() {
    let evs = many(2000);
    let refs: Vec<&str> = evs.iter().map(|s| s.as_str()).collect();
    let text = records(&refs);
    let mut s = Store::new();
    s.ingest_owned("a.json", text.clone().into_bytes());
    let raw = s.memory_bytes().raw;
    // The same file again, and a file of its events in reverse: all duplicates, nothing stored.
    s.ingest_owned("again.json", text.into_bytes());
    let back: Vec<&str> = refs.iter().rev().copied().collect();
    s.ingest("back.json", records(&back).as_bytes());
    assert_eq!((s.len(), s.files()[1].duplicates, s.files()[2].duplicates), (2000, 2000, 2000));
    assert_eq!(s.memory_bytes().raw, raw);
}

#[test]
fn owned_duplicates_within_a_file_and_across_files() {
    let text = records(&[EV1, EV1, EV2]);
    let mut s = Store::new();
    s.ingest_owned("a.json", text.clone().into_bytes());
    let f = s.files()[0].clone();
    assert_eq!((f.kept, f.duplicates), (2, 1));
    s.ingest_owned("again.json", text.into_bytes());
    assert_eq!((s.len(), s.files()[1].duplicates), (2, 3));
    assert_eq!((s.raw(0), s.raw(1)), (EV1.to_string(), EV2.to_string()));
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
    let a = s.push_event(0, "{\"a\":1}", (Some(5), 0), &values);
    let again = s.push_event(0, "{\"a\":1}", (Some(5), 0), &values);
    let b = s.push_event(0, "{\"a\":2}", (None, 1), &values);
    assert_eq!((a, again, b), (Pushed::Kept, Pushed::Duplicate, Pushed::Kept));
    assert_eq!((s.len(), s.time_ms(0), s.time_ms(1)), (2, Some(5), None));
    assert_eq!(s.raw(1), "{\"a\":2}");
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
