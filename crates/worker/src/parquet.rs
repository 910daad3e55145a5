//! The data worker's side of the Parquet worker (`crates/parquet-worker`): started the first
//! time a Parquet file arrives (so nobody else downloads the Parquet reader), handed one file at
//! a time, and started again after a file that crashed it. What it sends back is JSON lines and
//! what it read (`trailglass_core::Conversion`), which the session reads like any file.

use std::cell::RefCell;

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use trailglass_core::Conversion;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, MessageEvent, Worker};

thread_local! {
    static WORKER: RefCell<Option<Worker>> = const { RefCell::new(None) };
}

fn worker() -> Result<Worker, String> {
    WORKER.with(|w| {
        if let Some(w) = w.borrow().as_ref() {
            return Ok(w.clone());
        }
        let started = Worker::new("./parquet_loader.js")
            .map_err(|e| format!("the Parquet reader could not start: {e:?}"))?;
        *w.borrow_mut() = Some(started.clone());
        Ok(started)
    })
}

fn forget_worker() {
    WORKER.with(|w| {
        if let Some(w) = w.borrow_mut().take() {
            w.terminate();
        }
    });
}

/// Reads the Parquet file `bytes` into JSON lines of at most `max` bytes, in the Parquet worker.
pub async fn read(bytes: Vec<u8>, max: u64) -> Result<(Vec<u8>, Conversion), String> {
    let w = worker()?;
    let reply = Promise::new(&mut |resolve, reject| {
        let on_message = Closure::once_into_js(move |ev: MessageEvent| {
            let _ = resolve.call1(&JsValue::NULL, &ev.data());
        });
        let on_error = Closure::once_into_js(move |ev: ErrorEvent| {
            ev.prevent_default();
            let _ = reject.call1(&JsValue::NULL, &ev.message().into());
        });
        w.set_onmessage(Some(on_message.unchecked_ref()));
        w.set_onerror(Some(on_error.unchecked_ref()));
    });
    let buffer = Uint8Array::from(bytes.as_slice()).buffer();
    drop(bytes);
    let msg = Object::new();
    let _ = Reflect::set(&msg, &"bytes".into(), &buffer);
    let _ = Reflect::set(&msg, &"max".into(), &(max as f64).into());
    w.post_message_with_transfer(&msg, &Array::of1(&buffer))
        .map_err(|e| format!("the Parquet reader could not be given the file: {e:?}"))?;
    let data = match JsFuture::from(reply).await {
        Ok(d) => d,
        Err(e) => {
            // A crash (the reader aborts on what it cannot handle): a fresh worker next time.
            forget_worker();
            let why = e.as_string().unwrap_or_else(|| "it stopped".into());
            return Err(format!("the Parquet reader failed on this file: {why}"));
        }
    };
    let get = |k: &str| Reflect::get(&data, &k.into()).ok().filter(|v| !v.is_undefined());
    let lines = get("lines").map(|b| Uint8Array::new(&b).to_vec()).unwrap_or_default();
    let conversion = get("conversion")
        .and_then(|c| c.as_string())
        .and_then(|c| serde_json::from_str::<Conversion>(&c).ok())
        .ok_or("the Parquet reader gave no account of the file")?;
    Ok((lines, conversion))
}
