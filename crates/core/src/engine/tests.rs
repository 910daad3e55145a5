//! The engine and its dispatcher driven as the worker drives them (files as bytes, time fixed);
//! the load policy's own tests are in `load/tests.rs`.

use super::state::in_range;
use super::*;
use crate::answer::{step_position, SortKey};
use crate::query::parse;
use crate::store::{Column, Limits};

/// The built-in sample as the worker hands it to the session.
pub(super) fn sample_files(events: usize) -> Vec<(String, Vec<u8>)> {
    trailglass_sample::builtin(events).into_iter().map(|f| (f.path, f.bytes)).collect()
}

fn load_sample(e: &mut Engine, events: usize) {
    e.load_owned(sample_files(events));
}

/// A session whose files are bytes.
pub(super) type Tab = Session<Vec<u8>>;

pub(super) fn session() -> Tab {
    Session::new(Limits::default(), sample_files)
}

/// The replies to a request that carries no files.
pub(super) fn handle(s: &mut Tab, req: Request) -> Vec<Reply> {
    s.handle(req, Vec::new(), 0.0).replies
}

pub(super) const RECORDS: &str = r#"{"Records":[
  {"eventVersion":"1.08","eventTime":"2024-03-01T10:00:05Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"eu-west-1","sourceIPAddress":"203.0.113.5","userIdentity":{"type":"IAMUser","userName":"alice","accessKeyId":"AKIAALICE"},"requestParameters":{"bucketName":"logs-bucket"},"eventID":"a1"},
  {"eventVersion":"1.08","eventTime":"2024-03-01T10:00:01Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","errorCode":"AccessDenied","userIdentity":{"type":"IAMUser","userName":"bob"},"eventID":"b2"},
  {"eventVersion":"1.08","eventTime":"2024-03-01T10:00:03Z","eventSource":"s3.amazonaws.com","eventName":"PutObject","awsRegion":"eu-west-1","sourceIPAddress":"203.0.113.5","userIdentity":{"type":"IAMUser","userName":"alice"},"eventID":"c3"}
]}"#;

pub(super) fn view(query: &str) -> ViewSpec {
    ViewSpec { query: query.into(), ..ViewSpec::default() }
}

pub(super) fn loaded() -> Tab {
    let mut s = session();
    let e = s.engine_mut();
    e.queue(1, RECORDS.len() as u64);
    e.start_file("t.json");
    e.ingest("t.json", RECORDS.as_bytes().to_vec());
    e.file_done(RECORDS.len() as u64);
    e.finish_load(None);
    e.refresh();
    s
}

pub(super) fn answer(replies: Vec<Reply>) -> Answer {
    replies
        .into_iter()
        .find_map(|r| match r {
            Reply::Answer(a) => Some(a),
            _ => None,
        })
        .expect("an answer")
}

#[test]
fn a_view_is_answered_with_counts_and_aggregates_and_rows_come_by_page() {
    let mut e = loaded();
    let a = answer(handle(&mut e, Request::View { seq: 7, view: view("service:s3") }));
    assert_eq!((a.seq, a.count, a.error.clone()), (7, 2, None));
    let (col, services) = &a.facets[0];
    assert_eq!(*col, Column::Service);
    assert_eq!(services.values, vec![("s3.amazonaws.com".to_string(), 2)]);
    assert_eq!(a.histogram.counts.iter().sum::<u64>(), 2);
    assert!(a.services.is_none(), "not asked for");

    // Rows in time order, the columns' texts; time left to the page.
    let cols =
        vec!["time".to_string(), "user".to_string(), "requestParameters.bucketName".to_string()];
    let Reply::Rows(page) =
        handle(&mut e, Request::Rows { offset: 0, limit: 10, columns: cols }).remove(0)
    else {
        panic!()
    };
    assert_eq!(page.answer, a.id);
    let ids: Vec<u32> = page.rows.iter().map(|r| r.id).collect();
    assert_eq!(ids, vec![2, 0]);
    assert_eq!(page.rows[1].cells, vec!["", "alice", "logs-bucket"]);
    assert_eq!(page.rows[1].time_ms, Some(1_709_287_205_000));

    // Descending sort, by user, with the service summary.
    let v = ViewSpec {
        sort: SortKey::Column(Column::User),
        descending: true,
        services: true,
        ..view("")
    };
    let a2 = answer(handle(&mut e, Request::View { seq: 8, view: v }));
    assert!(a2.id > a.id);
    assert_eq!(a2.services.as_ref().map(Vec::len), Some(2));
    // bob, then alice latest first (descending is the exact reverse order)
    assert_eq!(e.engine().sorted(), &[1, 0, 2]);
    // A page past the end is empty, a page is capped.
    let Reply::Rows(p) =
        handle(&mut e, Request::Rows { offset: 5, limit: 10, columns: vec![] }).remove(0)
    else {
        panic!()
    };
    assert!(p.rows.is_empty());
}

#[test]
fn a_bad_query_keeps_the_previous_matches_and_says_why() {
    let mut e = loaded();
    answer(handle(&mut e, Request::View { seq: 1, view: view("error:*") }));
    let a = answer(handle(&mut e, Request::View { seq: 2, view: view("service:(s3") }));
    assert!(a.error.is_some());
    assert_eq!(a.count, 1, "the previous answer's matches");
}

#[test]
fn time_range_is_half_open() {
    let mut e = loaded();
    let t = 1_709_287_201_000;
    let v = ViewSpec { range: Some((t, t + 2000)), ..view("") };
    assert_eq!(answer(handle(&mut e, Request::View { seq: 1, view: v })).count, 1);
    assert_eq!(in_range(e.engine().store(), &[0, 1, 2], (t, t + 2001)), vec![1, 2]);
}

#[test]
fn stepping_finding_and_detail() {
    let mut e = loaded();
    answer(handle(&mut e, Request::View { seq: 1, view: view("") }));
    // order by time: 1, 2, 0
    assert_eq!(
        e.engine().step(None, 1),
        Reply::Selected { row: Some(1), pos: Some(0), event_id: Some("b2".into()) }
    );
    assert_eq!(
        e.engine().step(Some(1), 1),
        Reply::Selected { row: Some(2), pos: Some(1), event_id: Some("c3".into()) }
    );
    assert_eq!(
        e.engine().step(Some(0), 1),
        Reply::Selected { row: Some(0), pos: Some(2), event_id: Some("a1".into()) }
    );
    assert_eq!(
        e.engine().step(Some(1), -1),
        Reply::Selected { row: Some(1), pos: Some(0), event_id: Some("b2".into()) }
    );
    assert_eq!(
        e.engine().find("c3"),
        Reply::Selected { row: Some(2), pos: Some(1), event_id: Some("c3".into()) }
    );
    assert_eq!(e.engine().find("nope"), Reply::Selected { row: None, pos: None, event_id: None });
    let d = e.engine().detail(0).expect("row 0");
    assert_eq!(
        (d.user.as_str(), d.access_key.as_str(), d.service.as_str(), d.pos),
        ("alice", "AKIAALICE", "s3.amazonaws.com", Some(2))
    );
    assert!(d.raw.contains("logs-bucket"));
    assert_eq!(d.event_id, "a1");
    assert_eq!(d.file, "t.json");
    assert_eq!(e.engine().detail(99), None);
    assert_eq!(step_position(&[], Some(1), 1), None);
    assert_eq!(step_position(&[5, 3], Some(42), 1), Some(0));
}

#[test]
fn an_ocsf_record_is_stepped_to_and_found_by_its_metadata_uid() {
    let mut s = session();
    let e = s.engine_mut();
    let ocsf = r#"{"class_uid":6003,"time":1709287210000,"api":{"operation":"GetObject","service":{"name":"s3.amazonaws.com"}},"metadata":{"uid":"ocsf-1"}}"#;
    e.ingest("lake.json", ocsf.as_bytes().to_vec());
    e.finish_load(None);
    e.refresh();
    answer(handle(&mut s, Request::View { seq: 1, view: view("") }));
    let found = Reply::Selected { row: Some(0), pos: Some(0), event_id: Some("ocsf-1".into()) };
    assert_eq!(s.engine().find("ocsf-1"), found);
    assert_eq!(s.engine().step(None, 1), found);
    assert_eq!(
        s.engine().find("nope").clone(),
        Reply::Selected { row: None, pos: None, event_id: None }
    );
}

#[test]
fn status_carries_progress_totals_and_the_file_list_only_when_changed() {
    let mut e = Engine::default();
    e.queue(2, 100);
    e.start_file("t.json");
    let s = e.status();
    assert_eq!(
        s.progress.as_ref().map(|p| (p.files_total, p.bytes_total, p.current.as_str())),
        Some((2, 100, "t.json"))
    );
    e.ingest("t.json", RECORDS.as_bytes().to_vec());
    e.file_done(60);
    e.unreadable("gone.json", "the browser could not read this file");
    e.file_done(40);
    e.refresh();
    let s = e.status();
    assert_eq!(s.totals.kept, 3);
    let files = s.files.expect("changed");
    assert_eq!(files.len(), 2);
    assert_eq!(files[1].status, FileState::Error);
    assert!(e.status().files.is_none(), "unchanged");
    e.finish_load(Some(crate::engine::Notice::Cancelled));
    let s = e.status();
    assert_eq!((s.progress, s.notice), (None, Some(crate::engine::Notice::Cancelled)));
    assert!(
        (Progress { bytes_done: 50, bytes_total: 200, ..Progress::default() }.fraction() - 0.25)
            .abs()
            < 1e-9
    );
}

#[test]
fn the_index_is_built_in_slices_and_text_queries_answer_before_it_is_complete() {
    let mut e = session();
    load_sample(e.engine_mut(), 3000);
    e.engine_mut().refresh();
    let expected =
        answer(handle(&mut e, Request::View { seq: 1, view: view("AKIA3RLEAKEDKEY7Q2ZX") })).count;
    assert!(expected > 0);
    let mut slices = 0;
    while e.engine_mut().index_step() {
        slices += 1;
        assert!(slices < 10_000);
    }
    assert_eq!(e.engine_mut().status().indexed, e.engine().store().len());
    assert_eq!(
        answer(handle(&mut e, Request::View { seq: 2, view: view("AKIA3RLEAKEDKEY7Q2ZX") })).count,
        expected
    );
    // The same as a full build.
    let e = e.engine();
    let full = crate::query::TextIndex::build(e.store());
    let q = parse("AccessDenied").expect("parses");
    assert_eq!(q.run_indexed(e.store(), &full), q.run_indexed(e.store(), e.index()));
}

#[test]
fn clear_sample_and_export() {
    let mut e = loaded();
    answer(handle(&mut e, Request::View { seq: 1, view: view("user:alice") }));
    let csv = String::from_utf8(
        e.engine().export(ExportFormat::Csv, &["time".into(), "action".into()]).expect("csv"),
    )
    .expect("utf8");
    assert_eq!(csv.lines().count(), 3, "{csv}");
    let nd = e.engine().export(ExportFormat::Ndjson, &[]).expect("ndjson");
    assert_eq!(nd.iter().filter(|&&b| b == b'\n').count(), 2);
    let replies = handle(&mut e, Request::Clear);
    assert!(matches!(&replies[0], Reply::Status(s) if s.totals.kept == 0));
    assert_eq!(answer(replies).count, 0);
    // The view stays: the sample is answered through it.
    let a = answer(handle(&mut e, Request::Sample { events: 600 }));
    assert!(a.count < 600 && a.count > 0, "{}", a.count);
    assert_eq!(answer(handle(&mut e, Request::View { seq: 2, view: view("") })).count, 600);
}

#[test]
fn messages_round_trip_as_json() {
    /// Every variant, by name: a new one fails to compile here until the lists below have it.
    fn request_kind(r: &Request) -> &'static str {
        match r {
            Request::View { .. } => "View",
            Request::Rows { .. } => "Rows",
            Request::Detail { .. } => "Detail",
            Request::Step { .. } => "Step",
            Request::Find { .. } => "Find",
            Request::Export { .. } => "Export",
            Request::Sample { .. } => "Sample",
            Request::Load { .. } => "Load",
            Request::Cancel => "Cancel",
            Request::Clear => "Clear",
            Request::AddRules { .. } => "AddRules",
            Request::RemoveRules { .. } => "RemoveRules",
            Request::Shard { .. } => "Shard",
            Request::Bins { .. } => "Bins",
            Request::Range { .. } => "Range",
            Request::Rank { .. } => "Rank",
            Request::Locate { .. } => "Locate",
            Request::Lines { .. } => "Lines",
            Request::Keys => "Keys",
            Request::Owned { .. } => "Owned",
            Request::DropRows { .. } => "DropRows",
            Request::Digests { .. } => "Digests",
            Request::IdTable => "IdTable",
            Request::IdShare { .. } => "IdShare",
            Request::IdGraph { .. } => "IdGraph",
            Request::IdFirsts { .. } => "IdFirsts",
            Request::CorrParts => "CorrParts",
            Request::CorrRows { .. } => "CorrRows",
            Request::DetectionEvents => "DetectionEvents",
        }
    }
    fn reply_kind(r: &Reply) -> &'static str {
        match r {
            Reply::Ready => "Ready",
            Reply::Status(_) => "Status",
            Reply::Answer(_) => "Answer",
            Reply::Rows(_) => "Rows",
            Reply::Detail(_) => "Detail",
            Reply::Selected { .. } => "Selected",
            Reply::Exported { .. } => "Exported",
            Reply::Failed { .. } => "Failed",
            Reply::Bins { .. } => "Bins",
            Reply::Range { .. } => "Range",
            Reply::Rank { .. } => "Rank",
            Reply::Located { .. } => "Located",
            Reply::Lines { .. } => "Lines",
            Reply::Keys { .. } => "Keys",
            Reply::Pairs { .. } => "Pairs",
            Reply::Digests { .. } => "Digests",
            Reply::IdTable { .. } => "IdTable",
            Reply::IdClaims { .. } => "IdClaims",
            Reply::IdPairs { .. } => "IdPairs",
            Reply::CorrParts { .. } => "CorrParts",
            Reply::DetectionEvents { .. } => "DetectionEvents",
        }
    }
    let reqs = vec![
        Request::View {
            seq: 3,
            view: ViewSpec {
                range: Some((1, 2)),
                sort: SortKey::Column(Column::SourceIp),
                ..view("x")
            },
        },
        Request::Rows { offset: 1, limit: 2, columns: vec!["time".into()] },
        Request::Detail { row: 4 },
        Request::Step { from: None, by: -1 },
        Request::Find { event_id: "a\"1".into() },
        Request::Export { format: ExportFormat::Csv, columns: vec![] },
        Request::Sample { events: 600 },
        Request::Load {
            paths: vec!["a".into()],
            missing: vec!["b".into()],
            left_out: vec![LeftOut { path: "c".into(), bytes: 12 }],
            options: ReadOptions { drop_read_only: true },
        },
        Request::Cancel,
        Request::Clear,
        Request::AddRules { name: "mine.yml".into(), text: "title: t\n".into() },
        Request::RemoveRules { name: "mine.yml".into() },
        Request::Shard { role: Role { index: 1, of: 2 } },
        Request::Bins {
            bins: crate::answer::Bins { start_ms: 0, bucket_ms: 1000, count: 3 },
            series: vec!["s3".into()],
        },
        Request::Range {
            lo: Some(crate::answer::SortPoint { text: Some("a".into()), time: 5, row: 3 }),
            hi: None,
        },
        Request::Rank { point: crate::answer::SortPoint { text: None, time: 1, row: 2 } },
        Request::Locate { row: 7 },
        Request::Lines {
            format: crate::answer::LineFormat::Csv,
            columns: vec!["user".into()],
            offset: 0,
            limit: 2,
        },
        Request::Keys,
        Request::Owned { store: u64::MAX, from: vec![(1, "AAAA".into())] },
        Request::DropRows { store: 3, rows: vec![1, 2] },
        Request::Digests { store: 3, rows: vec![0] },
        Request::IdTable,
        Request::IdShare { store: 3, rows: 9, table: Box::default() },
        Request::IdGraph { store: 3, rows: 9, graph: Box::default() },
        Request::IdFirsts { store: 3, rows: 9, pairs: Box::default() },
        Request::CorrParts,
        Request::CorrRows { store: 3, rows: 9, version: 1, fired: vec![("r".into(), vec![2])] },
        Request::DetectionEvents,
    ];
    let mut kinds: Vec<&str> = reqs.iter().map(request_kind).collect();
    kinds.dedup();
    assert_eq!(kinds.len(), 29, "every request: {kinds:?}");
    for r in reqs {
        let text = serde_json::to_string(&r).expect("ser");
        assert_eq!(serde_json::from_str::<Request>(&text).expect("de"), r, "{text}");
    }
    let mut e = loaded();
    let mut replies = handle(&mut e, Request::View { seq: 1, view: view("") });
    replies.push(Reply::Status(e.engine_mut().status()));
    replies.push(Reply::Detail(e.engine().detail(0)));
    replies.push(Reply::Ready);
    replies.extend(handle(&mut e, Request::Rows { offset: 0, limit: 2, columns: vec![] }));
    replies.extend(handle(&mut e, Request::Find { event_id: "a1".into() }));
    let export =
        e.handle(Request::Export { format: ExportFormat::Ndjson, columns: vec![] }, vec![], 0.0);
    let lines = export.export.as_ref().map(|b| b.iter().filter(|&&c| c == b'\n').count());
    assert_eq!(lines, Some(3), "the export's bytes come beside its reply");
    replies.extend(export.replies);
    replies.push(Reply::Failed { message: "bad request".into() });
    e.engine_mut().set_role(Role { index: 1, of: 2 });
    replies.extend(handle(&mut e, Request::View { seq: 2, view: view("") }));
    let bins = crate::answer::Bins { start_ms: 0, bucket_ms: 1000, count: 2 };
    replies.extend(handle(&mut e, Request::Bins { bins, series: vec![] }));
    replies.extend(handle(&mut e, Request::Range { lo: None, hi: None }));
    let point = crate::answer::SortPoint { text: None, time: 0, row: 1 };
    replies.extend(handle(&mut e, Request::Rank { point }));
    replies.extend(handle(&mut e, Request::Locate { row: 1 }));
    let format = crate::answer::LineFormat::Ndjson;
    replies.extend(handle(&mut e, Request::Lines { format, columns: vec![], offset: 0, limit: 2 }));
    replies.extend(handle(&mut e, Request::Keys));
    let store = e.engine().store().store_id();
    replies.extend(handle(&mut e, Request::Owned { store, from: vec![] }));
    replies.extend(handle(&mut e, Request::Digests { store, rows: vec![0, 1] }));
    replies.extend(handle(&mut e, Request::IdTable));
    let table = match replies.last() {
        Some(Reply::IdTable { table, .. }) => table.clone(),
        other => panic!("an identity table, not {other:?}"),
    };
    let rows = e.engine().store().len() as u64;
    replies.extend(handle(&mut e, Request::IdShare { store, rows, table }));
    replies.extend(handle(&mut e, Request::IdGraph { store, rows, graph: Box::default() }));
    replies.extend(handle(&mut e, Request::CorrParts));
    replies.extend(handle(&mut e, Request::DetectionEvents));
    let mut kinds: Vec<&str> = replies.iter().map(reply_kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds.len(), 21, "every reply: {kinds:?}");
    for r in replies {
        assert_eq!(serde_json::from_str::<Reply>(&r.to_json()).expect("de"), r);
    }
}

/// The sample's files are named (like CloudTrail's) a few minutes after the last event they hold,
/// and sit in that day's folder: a responder reading a story event's file name sees its hour.
#[test]
fn sample_files_are_named_after_their_events() {
    let mut e = Engine::default();
    load_sample(&mut e, 4000);
    let s = e.store();
    let mut last = vec![i64::MIN; s.files().len()];
    let mut first = vec![i64::MAX; s.files().len()];
    for row in 0..s.len() {
        let (f, t) = (s.file_of(row), s.time_ms(row).expect("timed"));
        last[f] = last[f].max(t);
        first[f] = first[f].min(t);
    }
    assert!(s.files().len() >= 100, "{} files", s.files().len());
    for (i, f) in s.files().iter().enumerate() {
        // …_CloudTrail_<region>_YYYYMMDDTHHMMZ_<name>.json
        let stamp = f.path.rsplit('_').nth(1).expect("stamp");
        let iso = format!(
            "{}-{}-{}T{}:{}:00Z",
            &stamp[0..4],
            &stamp[4..6],
            &stamp[6..8],
            &stamp[9..11],
            &stamp[11..13]
        );
        let named = crate::time::parse_time_ms(&iso).expect("stamp parses");
        assert!(
            named > last[i] && named - last[i] <= 5 * 60_000,
            "{}: last event {}",
            f.path,
            crate::time::format_ms(last[i])
        );
        assert!(last[i] - first[i] <= 3 * 3_600_000, "{} spans {} ms", f.path, last[i] - first[i]);
        assert!(
            f.path.contains(&format!("/{}/{}/{}/", &stamp[0..4], &stamp[4..6], &stamp[6..8])),
            "{}",
            f.path
        );
    }
}

/// Every answer carries the findings of all loaded data (not of the view), recounted when the
/// data changes and gone after Clear.
#[test]
fn answers_carry_the_findings() {
    let mut e = session();
    let a = answer(handle(&mut e, Request::View { seq: 1, view: view("service:s3") }));
    assert!(a.findings.is_empty());
    let a = answer(handle(&mut e, Request::Sample { events: 2000 }));
    let logging = a.findings.iter().find(|f| f.id == "logging").expect("logging finding");
    assert!(logging.count >= 2, "{logging:?}");
    // The view does not narrow them.
    assert!(a.count < 2000);
    let query = crate::answer::Finding::by_id("logging").expect("known").query;
    let n = answer(handle(&mut e, Request::View { seq: 2, view: view(query) })).count;
    assert_eq!(n, logging.count);
    assert!(answer(handle(&mut e, Request::Clear)).findings.is_empty());
}

/// A file's status crosses to the page as the strings it always had.
#[test]
fn file_states_serialize_as_their_names() {
    for (state, name) in [
        (FileState::Ok, "ok"),
        (FileState::Error, "error"),
        (FileState::Skipped, "skipped"),
        (FileState::LeftOut, "left-out"),
    ] {
        assert_eq!(serde_json::to_string(&state).expect("ser"), format!("\"{name}\""));
        assert_eq!(serde_json::from_str::<FileState>(&format!("\"{name}\"")).expect("de"), state);
        assert_eq!((state.as_str(), state.to_string()), (name, name.to_string()));
    }
}

/// A load the store will hold whole in 1.5 GiB waits to be compressed when the worker is idle
/// (the index loop does it); a bigger one is compressed as it is read.
#[test]
fn small_loads_are_compressed_when_idle_big_ones_as_they_come() {
    let big = crate::store::DEFER_BYTES / 2 + 1;
    // One batch of 10 MiB; two batches of just over half the limit each (the second shows the
    // load is big; blocks sealed after it are compressed).
    for (batches, deferred) in [(vec![10 << 20], true), (vec![big, big], false)] {
        let mut e = Engine::default();
        for b in batches {
            e.plan_compression(b);
        }
        load_sample(&mut e, 20_000);
        let (raw, plain) = (e.store().memory_bytes().raw, e.store().raw_plain_bytes());
        assert!(plain > 4 << 20, "{plain}");
        assert_eq!(raw > plain, deferred, "{raw} held for {plain}");
        while e.index_step() {}
        let raw = e.store().memory_bytes().raw;
        assert!(raw * 3 < plain, "{raw} held for {plain} once idle");
        assert_eq!(e.detail(7).map(|d| d.row), Some(7));
    }
}
