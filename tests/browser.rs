//! In-browser tests (wasm-bindgen-test in headless Chromium) of what needs a browser API: reading
//! real `File` objects through the loader into the dataset. Run by scripts/test with
//! `cargo test --target wasm32-unknown-unknown`; natively this file compiles to nothing.
#![cfg(target_arch = "wasm32")]

use trailglass::loader::{load_files, with_paths};
use trailglass::state::Dataset;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn file(name: &str, bytes: &[u8]) -> web_sys::File {
    let parts = js_sys::Array::new();
    parts.push(&js_sys::Uint8Array::from(bytes).into());
    web_sys::File::new_with_u8_array_sequence(&parts, name).expect("File constructor")
}

const RECORDS: &str = r#"{"Records":[
  {"eventVersion":"1.08","eventTime":"2024-03-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"eu-west-1","eventID":"e1","userIdentity":{"type":"IAMUser","userName":"alice"}},
  {"eventVersion":"1.08","eventTime":"2024-03-01T10:00:01Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","eventID":"e2","userIdentity":{"type":"Root"}}
]}"#;

#[wasm_bindgen_test]
async fn files_are_read_into_the_store_with_progress_cleared() {
    let ds = Dataset::new();
    let files = vec![
        file("a.json", RECORDS.as_bytes()),
        file("broken.json", b"{\"Records\":[{\"eventID\": nope"),
    ];
    load_files(ds, with_paths(files)).await;
    ds.store.with_value(|s| {
        assert_eq!(s.len(), 2);
        assert_eq!(s.files().len(), 2);
        assert!(s.files()[0].error.is_none());
        assert!(s.files()[1].error.is_some(), "the broken file reports an error");
    });
    assert_eq!(ds.progress.get_untracked(), None);
    // The views were told of the new rows (at least once: a load refreshes them a few times a
    // second, not after every file).
    assert!(ds.generation.get_untracked() >= 1);
}

#[wasm_bindgen_test]
async fn the_same_file_twice_is_counted_as_duplicates() {
    let ds = Dataset::new();
    load_files(ds, with_paths(vec![file("a.json", RECORDS.as_bytes())])).await;
    load_files(ds, with_paths(vec![file("copy-of-a.json", RECORDS.as_bytes())])).await;
    let totals = ds.store.with_value(|s| s.totals());
    assert_eq!(totals.kept, 2);
    assert_eq!(totals.duplicates, 2);
    assert_eq!(totals.read, totals.kept + totals.duplicates + totals.rejected);
}

#[wasm_bindgen_test]
fn browser_time_zone_offset_is_readable() {
    // The table asks the browser for the offset of each event's instant; it must be a sane number.
    let d = js_sys::Date::new(&JsValue::from_f64(1_709_287_200_000.0));
    let offset = d.get_timezone_offset();
    assert!((-900.0..=900.0).contains(&offset));
}

use leptos::prelude::{GetUntracked, WithValue};
