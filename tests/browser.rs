//! In-browser tests (wasm-bindgen-test in headless Chromium) of the page-side glue that needs a
//! browser API: how the worker's replies land in the page's signals (and on the document), and
//! how `File` objects get their display paths. Reading files in the worker is covered end to end
//! (tests/e2e), the protocol natively (`trailglass_core::engine`). Run by scripts/test with
//! `cargo test --target wasm32-unknown-unknown`; natively this file compiles to nothing.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::{GetUntracked, Set, WithUntracked};
use trailglass::state::Dataset;
use trailglass::web::loader::with_paths;
use trailglass::web::worker_client::route;
use trailglass_core::engine::{Answer, FileLine, FileState, Reply, RowLine, RowsPage, Status};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn file(name: &str, bytes: &[u8]) -> web_sys::File {
    let parts = js_sys::Array::new();
    parts.push(&js_sys::Uint8Array::from(bytes).into());
    web_sys::File::new_with_u8_array_sequence(&parts, name).expect("File constructor")
}

fn line(id: u32) -> RowLine {
    RowLine { id, time_ms: None, error: false, cells: vec![] }
}

#[wasm_bindgen_test]
fn status_replies_set_counts_files_and_the_heap_attribute() {
    let ds = Dataset::new();
    let files = vec![FileLine {
        path: "a.json".into(),
        status: FileState::Ok,
        summary: "2 events".into(),
        details: vec![],
    }];
    let mut status = Status {
        generation: 3,
        files: Some(files.clone()),
        heap_bytes: 12345,
        ..Status::default()
    };
    status.totals.kept = 2;
    route(&ds, Reply::Status(status), None);
    assert_eq!(ds.files.get_untracked(), files);
    assert_eq!(
        ds.status.with_untracked(|s| (s.generation, s.totals.kept, s.files.is_none())),
        (3, 2, true)
    );
    // A later status without a file list keeps the list.
    route(&ds, Reply::Status(Status { generation: 4, ..Status::default() }), None);
    assert_eq!(ds.files.get_untracked().len(), 1);
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .expect("root");
    assert_eq!(root.get_attribute("data-wasm-heap-bytes").as_deref(), Some("0"));
}

#[wasm_bindgen_test]
fn rows_of_an_old_answer_are_dropped() {
    let ds = Dataset::new();
    route(&ds, Reply::Answer(Answer { id: 2, count: 5, ..Answer::default() }), None);
    route(&ds, Reply::Rows(RowsPage { answer: 1, offset: 0, rows: vec![line(9)] }), None);
    assert!(ds.page.with_untracked(|p| p.rows.is_empty()), "rows of answer 1 after answer 2");
    route(&ds, Reply::Rows(RowsPage { answer: 2, offset: 3, rows: vec![line(7)] }), None);
    assert_eq!(ds.page.with_untracked(|p| (p.offset, p.rows[0].id)), (3, 7));
}

#[wasm_bindgen_test]
fn a_found_event_selects_its_row_and_ends_the_wait() {
    let ds = Dataset::new();
    ds.pending_event.set(Some("ev-1".into()));
    route(&ds, Reply::Selected { row: None, pos: None, event_id: None }, None);
    assert_eq!(ds.selected.get_untracked(), None);
    assert_eq!(
        ds.pending_event.get_untracked().as_deref(),
        Some("ev-1"),
        "not found yet: still waiting"
    );
    route(
        &ds,
        Reply::Selected { row: Some(4), pos: Some(10), event_id: Some("ev-1".into()) },
        None,
    );
    assert_eq!((ds.selected.get_untracked(), ds.selected_pos.get_untracked()), (Some(4), Some(10)));
    assert_eq!(ds.pending_event.get_untracked(), None);
}

#[wasm_bindgen_test]
fn a_failed_worker_ends_the_progress_and_says_so() {
    let ds = Dataset::new();
    let status = Status { progress: Some(Default::default()), ..Status::default() };
    route(&ds, Reply::Status(status), None);
    assert!(ds.loading().get_untracked());
    ds.fail("gone".into());
    assert!(!ds.loading().get_untracked());
    assert_eq!(ds.failure.get_untracked().as_deref(), Some("gone"));
}

#[wasm_bindgen_test]
fn picked_files_are_named_by_their_file_name() {
    let files = with_paths(vec![file("a.json", b"{}"), file("b.json.gz", b"")]);
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["a.json", "b.json.gz"]);
}

#[wasm_bindgen_test]
fn browser_time_zone_offset_is_readable() {
    // The table asks the browser for the offset of each event's instant; it must be a sane number.
    let d = js_sys::Date::new(&JsValue::from_f64(1_709_287_200_000.0));
    let offset = d.get_timezone_offset();
    assert!((-900.0..=900.0).contains(&offset));
}
