//! Containers: gzip (and its dedupe with the plain copy), zip members of every kind, nested
//! archives, damaged members, and the limits (bombs, members, records, total).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::report::FileStatus;
use crate::test_data::{gz, records, zip_of, EV1, EV2};
use crate::{Limits, Store};

#[test]
fn gzip_and_dedupe_with_plain() {
    let plain = records(&[EV1, EV2]);
    let mut s = Store::new();
    s.ingest("a.json", plain.as_bytes());
    let r = s.ingest("a.json.gz", &gz(plain.as_bytes()));
    let f = &s.files()[r.start];
    assert!(f.compressed);
    assert_eq!((f.events, f.kept, f.duplicates), (2, 0, 2));
    // Pretty-printed copy of the same events is the same content.
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&plain).unwrap())
            .unwrap();
    // (Value reorders keys, so build a whitespace-only variant instead.)
    let spaced = plain.replace("\":", "\" : ").replace(",\"", ",\n  \"");
    let r = s.ingest("b.json", spaced.as_bytes());
    assert_eq!(s.files()[r.start].duplicates, 2, "{:?}", s.files()[r.start]);
    assert!(pretty.contains('\n'));
    assert_eq!(s.len(), 2);
    let t = s.totals();
    assert_eq!((t.read, t.kept, t.duplicates, t.files), (6, 2, 4, 3));
}

#[test]
fn limits_gzip_bomb_zip_bomb_huge_record() {
    let limits = Limits {
        max_file_bytes: 1 << 20,
        max_memory_bytes: 3 << 20,
        max_record_bytes: 4096,
        max_archive_members: 3,
    };
    // gzip bomb: 64 MiB of zeros compresses to ~64 KiB.
    let zeros = vec![b' '; 64 << 20];
    let bomb = gz(&zeros);
    let mut s = Store::with_limits(limits);
    s.ingest("bomb.json.gz", &bomb);
    let f = &s.files()[0];
    assert!(f.error.as_ref().unwrap().message().contains("limit"), "{f:?}");
    // zip bomb.
    let zb = zip_of(&[("a.json", &zeros[..8 << 20])]);
    s.ingest("bomb.zip", &zb);
    let f = &s.files()[1];
    assert!(f.error.as_ref().unwrap().message().contains("limit"), "{f:?}");
    assert_eq!(f.member.as_deref(), Some("a.json"));
    // too many members.
    let many = zip_of(&[("1", b"{}"), ("2", b"{}"), ("3", b"{}"), ("4", b"{}")]);
    let r = s.ingest("many.zip", &many);
    assert_eq!(r.len(), 1);
    assert!(s.files()[r.start].error.as_ref().unwrap().message().contains("members"));
    // Huge record rejected, the next one kept.
    let big = EV1.replace("\"b\"", &format!("\"{}\"", "x".repeat(5000)));
    let r = s.ingest("big.json", records(&[&big, EV2]).as_bytes());
    let f = &s.files()[r.start];
    assert_eq!((f.kept, f.rejected), (1, 1), "{f:?}");
    // The memory budget: room for a little less than the next file.
    let mut m = Store::new();
    m.ingest("a.json", records(&[EV1]).as_bytes());
    let after_a = m.memory_needed();
    let b = records(&[EV2]);
    let room = after_a + b.len() as u64 - 10;
    let mut s = Store::with_limits(Limits { max_memory_bytes: room, ..limits });
    s.ingest("a.json", records(&[EV1]).as_bytes());
    assert_eq!(s.memory_needed(), after_a);
    let r = s.ingest("b.json", b.as_bytes());
    assert!(s.files()[r.start].error.as_ref().unwrap().message().contains("total"));
}

#[test]
fn zip_with_folders_gz_members_and_bad_member() {
    let plain = records(&[EV1]);
    let gzm = gz(records(&[EV2]).as_bytes());
    let inner = zip_of(&[("inner/x.json", plain.as_bytes())]);
    let z = zip_of(&[
        ("AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/02/a.json", plain.as_bytes()),
        ("dir/b.json.gz", &gzm),
        ("c.txt", b"hello"),
        ("nested.zip", &inner),
        ("bad.json", b"{\"Records\":[{\"eventName\":"),
    ]);
    let mut s = Store::new();
    let r = s.ingest("all.zip", &z);
    assert_eq!(r.len(), 5, "{:#?}", s.files());
    let fs = s.files();
    assert_eq!(fs[0].aws_key.as_ref().unwrap().region, "us-east-1");
    assert_eq!(fs[0].kept, 1);
    assert_eq!((fs[1].kept, fs[1].compressed), (1, true));
    assert_eq!(fs[2].status(), FileStatus::Skipped);
    assert_eq!(fs[3].member.as_deref(), Some("nested.zip!inner/x.json"));
    assert_eq!(fs[3].duplicates, 1);
    assert!(fs[4].error.is_some());
    let r = s.ingest("broken.zip", b"PK\x03\x04garbage");
    assert_eq!(r.len(), 1);
    assert_eq!(s.files()[r.start].format, "zip");
    assert!(s.files()[r.start].error.is_some());
}
