//! The page's side of the data worker (`crates/worker/src/main.rs`): starts it, sends it
//! [`Request`]s and hands its [`Reply`]s to the [`Dataset`] signals. Requests sent before the
//! worker has started wait in a queue. Browser glue only: the protocol is
//! `trailglass_core::engine`, tested natively.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect, Uint8Array};
use trailglass_core::engine::{LeftOut, ReadOptions, Reply, Request};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::Dataset;

/// The worker's loader, next to index.html (static/worker_loader.js).
const WORKER_URL: &str = "./worker_loader.js";

#[derive(Default)]
struct Link {
    worker: Option<web_sys::Worker>,
    ready: bool,
    /// Messages (and their files) sent before the worker said it was ready.
    waiting: Vec<JsValue>,
}

thread_local! {
    static LINK: RefCell<Link> = RefCell::new(Link::default());
}

fn message(req: &Request, files: Option<Array>) -> JsValue {
    let msg = Object::new();
    let json = serde_json::to_string(req).unwrap_or_default();
    let _ = Reflect::set(&msg, &"json".into(), &JsValue::from_str(&json));
    if let Some(f) = files {
        let _ = Reflect::set(&msg, &"files".into(), &f);
    }
    msg.into()
}

fn post(msg: JsValue) {
    LINK.with(|l| {
        let mut l = l.borrow_mut();
        match (&l.worker, l.ready) {
            (Some(w), true) => {
                let _ = w.post_message(&msg);
            }
            _ => l.waiting.push(msg),
        }
    });
}

/// Sends a request to the worker.
pub fn send(req: &Request) {
    post(message(req, None));
}

/// Sends files to read (the `File` objects are structured-cloned, not copied), with the files
/// the browser would not give, those the user left out, and what to leave out of those read.
pub fn send_files(
    paths: Vec<String>,
    files: Vec<web_sys::File>,
    missing: Vec<String>,
    left_out: Vec<LeftOut>,
    options: ReadOptions,
) {
    let arr = Array::new();
    for f in files {
        arr.push(&f);
    }
    post(message(&Request::Load { paths, missing, left_out, options }, Some(arr)));
}

/// Starts the worker and routes its replies into `ds` for the life of the page.
pub fn start(ds: Dataset) {
    let worker = match web_sys::Worker::new(WORKER_URL) {
        Ok(w) => w,
        Err(e) => {
            ds.fail(format!("The data worker could not start: {e:?}"));
            return;
        }
    };
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let data = ev.data();
            let json = Reflect::get(&data, &"json".into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            let bytes = Reflect::get(&data, &"bytes".into())
                .ok()
                .and_then(|b| b.dyn_into::<Uint8Array>().ok());
            match serde_json::from_str::<Reply>(&json) {
                Ok(Reply::Ready) => flush(),
                Ok(reply) => route(&ds, reply, bytes),
                Err(e) => ds.fail(format!("The data worker sent something unreadable: {e}")),
            }
        });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(
        move |ev: web_sys::ErrorEvent| {
            ev.prevent_default();
            ds.fail(format!(
            "The data worker stopped ({}). This usually means the browser ran out of memory for this tab; \
             reload the page and load fewer files.",
            ev.message()
        ));
        },
    );
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    LINK.with(|l| l.borrow_mut().worker = Some(worker));
}

/// The worker is ready: sends what waited.
fn flush() {
    let (worker, waiting) = LINK.with(|l| {
        let mut l = l.borrow_mut();
        l.ready = true;
        (l.worker.clone(), std::mem::take(&mut l.waiting))
    });
    if let Some(w) = worker {
        for m in waiting {
            let _ = w.post_message(&m);
        }
    }
}

/// Routes one reply of the worker (and the bytes beside it, for an export): the browser's part
/// here (the heap attribute, saving the export as a download), the signals' part in
/// [`Dataset::apply`].
pub fn route(ds: &Dataset, reply: Reply, bytes: Option<Uint8Array>) {
    match &reply {
        Reply::Status(s) => {
            set_root_attribute("data-wasm-heap-bytes", s.heap_bytes);
            set_root_attribute("data-generation", s.generation);
        }
        Reply::Answer(a) => {
            set_root_attribute("data-answer-generation", a.generation);
        }
        Reply::Exported { name, mime, .. } => {
            let saved = match bytes {
                Some(b) => crate::web::download::download_array(name, mime, &b),
                None => Err("the export came without its bytes".to_string()),
            };
            if let Err(e) = saved {
                ds.apply(Reply::Failed { message: format!("Export failed: {e}") });
                return;
            }
        }
        _ => {}
    }
    ds.apply(reply);
}

/// Writes a figure of the worker on the root element, for the browser benchmark and anyone
/// curious: its WebAssembly memory size (`data-wasm-heap-bytes`), the generation of the data
/// (`data-generation`), the generation the shown answer was computed on
/// (`data-answer-generation`; equal to the data's once the answer is up to date, detections
/// included).
fn set_root_attribute(name: &str, value: u64) {
    if let Some(root) =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element())
    {
        let _ = root.set_attribute(name, &value.to_string());
    }
}
