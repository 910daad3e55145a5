//! The load policy with fake time: the cadence alone, then whole loads driven through the
//! session the way the worker's loop drives them (files are bytes, reads are instant).

use super::*;
use crate::engine::tests::{sample_files, session, Tab, RECORDS};
use crate::engine::{FileState, Reply, Request, Session, Status};
use crate::store::{Limits, Store};
use crate::ReadOptions;

fn load_request(s: &mut Tab, names: &[&str], now_ms: f64) -> bool {
    let files = names.iter().map(|_| (RECORDS.as_bytes().to_vec(), RECORDS.len() as u64)).collect();
    let req = Request::Load {
        paths: names.iter().map(|n| n.to_string()).collect(),
        missing: vec![],
        left_out: vec![],
        options: ReadOptions::default(),
    };
    s.handle(req, files, now_ms).start_load
}

/// Reads one file as the worker's loop does, the read ending at `now_ms`; `None` when the loop
/// ends before it (cancelled, queue empty).
fn turn(s: &mut Tab, now_ms: f64, answer_cost_ms: f64) -> Option<Due> {
    if s.should_yield(now_ms) {
        s.yielded(now_ms);
    }
    if s.stopping() {
        return None;
    }
    let p = s.next_file()?;
    s.start_file(&p.path);
    let due = s.file_read(&p.path, p.size, p.options, Ok(p.file), now_ms);
    match due {
        Due::Answer => {
            s.refresh();
            s.answered(answer_cost_ms, now_ms + answer_cost_ms);
        }
        Due::Status => s.status_posted(now_ms),
        Due::Nothing | Due::Stop => {}
    }
    Some(due)
}

fn final_status(s: &mut Tab, now_ms: f64) -> Status {
    let out = s.finish_load(now_ms);
    out.replies
        .into_iter()
        .find_map(|r| match r {
            Reply::Status(st) => Some(st),
            _ => None,
        })
        .expect("a status")
}

#[test]
fn status_every_250_ms_answers_every_second_or_more_yields_every_60_ms() {
    let mut c = Cadence::new(1000.0);
    assert!(!c.should_yield(1059.0));
    assert!(c.should_yield(1060.0));
    c.yielded(1060.0);
    assert!(!c.should_yield(1119.0));
    // The first answer is due after the first file, however soon.
    assert_eq!(c.due(1001.0), Due::Answer);
    c.answered(10.0, 1010.0);
    assert_eq!(c.due(1100.0), Due::Nothing);
    assert_eq!(c.due(1260.0), Due::Status);
    c.status_posted(1260.0);
    assert_eq!(c.due(1500.0), Due::Nothing);
    assert_eq!(c.due(2009.0), Due::Status);
    assert_eq!(c.due(2010.0), Due::Answer);
    // An answer that cost 400 ms is recomputed 1,600 ms later at the earliest.
    c.answered(400.0, 2010.0);
    assert_eq!(c.due(3010.0), Due::Status);
    assert_eq!(c.due(3609.0), Due::Status);
    assert_eq!(c.due(3610.0), Due::Answer);
}

#[test]
fn a_load_of_many_files_is_throttled() {
    let mut s = session();
    let names: Vec<String> = (0..25).map(|i| format!("f{i}.json")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    assert!(load_request(&mut s, &refs, 0.0), "starts a load");
    assert!(!load_request(&mut s, &["late.json"], 0.0), "joins the running load");
    // One file every 100 ms, answers costing 5 ms.
    let dues: Vec<Due> = (1..).map_while(|i| turn(&mut s, f64::from(i) * 100.0, 5.0)).collect();
    assert_eq!(dues.len(), 26);
    let at = |d: Due| dues.iter().enumerate().filter(move |(_, &x)| x == d).map(|(i, _)| i + 1);
    assert_eq!(at(Due::Answer).collect::<Vec<_>>(), vec![1, 12, 23]);
    assert_eq!(at(Due::Status).collect::<Vec<_>>(), vec![4, 7, 10, 15, 18, 21, 26]);
    assert!(s.load().running());
    let st = final_status(&mut s, 2700.0);
    assert!(!s.load().running());
    assert_eq!((st.notice, st.progress), (None, None));
    assert_eq!(st.files.map(|f| f.len()), Some(26));
}

#[test]
fn the_budget_stops_a_load_and_says_how_many_files_were_left() {
    // Room for the first file and not for the second.
    let mut one = Store::new();
    one.ingest_owned("a.json", RECORDS.as_bytes().to_vec());
    let limits = Limits { max_memory_bytes: one.memory_needed() + 10, ..Limits::default() };
    let mut s: Tab = Session::new(limits, sample_files);
    assert!(load_request(&mut s, &["a.json", "b.json", "c.json", "d.json"], 0.0));
    assert_eq!(turn(&mut s, 10.0, 1.0), Some(Due::Answer));
    // The worker reads ahead: c.json is taken off the queue while b.json is read.
    let b = s.next_file().expect("b");
    let _c = s.next_file().expect("c");
    s.start_file(&b.path);
    assert_eq!(s.file_read(&b.path, b.size, b.options, Ok(b.file), 20.0), Due::Stop);
    let st = final_status(&mut s, 30.0);
    let notice = st.notice_text().expect("a notice");
    assert!(notice.starts_with("Stopped loading: the memory budget"), "{notice}");
    assert!(notice.ends_with(" 3 files were not read."), "{notice}");
    assert_eq!((st.totals.kept, st.totals.files), (3, 1));
    // The next load starts afresh.
    assert!(load_request(&mut s, &["e.json"], 40.0));
}

#[test]
fn cancel_keeps_what_was_read() {
    let mut s = session();
    assert!(load_request(&mut s, &["a.json", "b.json", "c.json"], 0.0));
    assert_eq!(turn(&mut s, 10.0, 1.0), Some(Due::Answer));
    assert_eq!(s.handle(Request::Cancel, Vec::new(), 20.0).replies, vec![]);
    assert_eq!(turn(&mut s, 30.0, 1.0), None, "the loop stops before its next file");
    let st = final_status(&mut s, 40.0);
    assert_eq!(st.totals.kept, 3);
    assert_eq!(
        st.notice_text().as_deref(),
        Some("Load cancelled; the 3 events read before it are kept.")
    );
    // Cancel without a load does nothing.
    s.handle(Request::Cancel, Vec::new(), 50.0);
    assert!(!s.stopping());
}

#[test]
fn clear_drops_a_file_read_before_it() {
    let mut s = session();
    assert!(load_request(&mut s, &["a.json", "b.json"], 0.0));
    let a = s.next_file().expect("a");
    s.start_file(&a.path);
    // Clear arrives while a.json is being read.
    let out = s.handle(Request::Clear, Vec::new(), 5.0);
    assert!(matches!(&out.replies[0], Reply::Status(st) if st.totals.kept == 0));
    assert_eq!(s.file_read(&a.path, a.size, a.options, Ok(a.file), 10.0), Due::Stop);
    assert_eq!(turn(&mut s, 20.0, 1.0), None, "b.json was dropped with the queue");
    let st = final_status(&mut s, 30.0);
    assert_eq!((st.totals.kept, st.totals.files, st.notice), (0, 0, None));
    // A load after the Clear stores its files.
    assert!(load_request(&mut s, &["c.json"], 40.0));
    assert_eq!(turn(&mut s, 50.0, 1.0), Some(Due::Answer));
    assert_eq!(final_status(&mut s, 60.0).totals.kept, 3);
}

#[test]
fn unreadable_files_are_listed_and_indexing_waits_for_the_load() {
    let mut s = session();
    let req = Request::Load {
        paths: vec!["a.json".into()],
        missing: vec!["gone.json".into()],
        left_out: vec![],
        options: ReadOptions::default(),
    };
    let out = s.handle(req, vec![(Vec::new(), 7)], 0.0);
    assert!(out.start_load && !out.start_indexing);
    assert!(!s.start_indexing(1.0), "no indexing during a load");
    let a = s.next_file().expect("a");
    assert_eq!(
        s.file_read(&a.path, a.size, a.options, Err("NotReadableError".into()), 10.0),
        Due::Answer
    );
    let out = s.finish_load(20.0);
    assert!(out.start_indexing);
    assert!(!s.start_indexing(21.0), "already indexing");
    let Some(Reply::Status(st)) = out.replies.first() else { panic!("{:?}", out.replies) };
    let files = st.files.as_ref().expect("the file list");
    assert_eq!(files.len(), 2);
    assert!(files.iter().all(|f| f.status == crate::engine::FileState::Error), "{files:?}");
    assert!(files[1].summary.contains("NotReadableError"), "{files:?}");
    assert!(!s.index_status_due(200.0));
    assert!(s.index_status_due(270.0));
    assert!(!s.index_status_due(300.0));
    while s.index_step() {}
    assert!(s.start_indexing(400.0), "ended, may start again");
}

#[test]
fn the_budget_stops_a_load_with_a_clear_message() {
    let mut one = Store::new();
    one.ingest_owned("t.json", RECORDS.as_bytes().to_vec());
    let limits = Limits { max_memory_bytes: one.memory_needed() + 500, ..Limits::default() };
    let mut e = crate::engine::Engine::new(limits);
    assert!(fits(e.store(), 1 << 40).is_ok(), "an empty store takes any first file");
    e.ingest("t.json", RECORDS.as_bytes().to_vec());
    assert!(fits(e.store(), 1000).is_ok(), "1000 bytes grow it by 400");
    let err = fits(e.store(), 1500).expect_err("full");
    assert!(err.contains("memory budget") && err.contains("Loaded 3 events from 1 files"), "{err}");
}

#[test]
fn gzip_trailer_size() {
    let gz = trailglass_sample::gzip(RECORDS.as_bytes());
    assert_eq!(gzip_declared_size(&gz), Some(RECORDS.len() as u64));
    assert_eq!(gzip_declared_size(RECORDS.as_bytes()), None);
}

/// A load the user chose: the files left out are listed at once and never read, and the
/// request's options reach the reader of each of its files; the counts reconcile.
#[test]
fn a_chosen_load_lists_the_files_left_out_and_leaves_out_read_only_events() {
    let mut s = session();
    let text = r#"{"Records":[
      {"eventName":"GetObject","eventSource":"s3.amazonaws.com","readOnly":true,"eventID":"1"},
      {"eventName":"PutObject","eventSource":"s3.amazonaws.com","readOnly":false,"eventID":"2"}]}"#;
    let req = Request::Load {
        paths: vec!["a.json".into()],
        missing: vec![],
        left_out: vec![crate::engine::LeftOut { path: "b.json".into(), bytes: 1234 }],
        options: ReadOptions { drop_read_only: true },
    };
    assert!(s.handle(req, vec![(text.as_bytes().to_vec(), text.len() as u64)], 0.0).start_load);
    assert_eq!(turn(&mut s, 10.0, 1.0), Some(Due::Answer));
    assert_eq!(turn(&mut s, 20.0, 1.0), None);
    let st = final_status(&mut s, 30.0);
    let t = st.totals;
    assert_eq!((t.read, t.kept, t.filtered, t.files, t.bytes), (2, 1, 1, 2, text.len() as u64));
    assert_eq!(t.read, t.kept + t.duplicates + t.rejected + t.filtered);
    let files = st.files.expect("the file list");
    let lines: Vec<_> =
        files.iter().map(|f| (f.path.as_str(), f.status, f.summary.as_str())).collect();
    assert_eq!(
        lines,
        [
            ("b.json", FileState::LeftOut, "left out by choice (load filter); 1.2 KB not read"),
            ("a.json", FileState::Ok, "2 events, 1 read-only left out by choice"),
        ]
    );
}
