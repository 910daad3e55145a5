//! The page's side of the data workers (`crates/worker/src/main.rs`): starts them, sends them
//! [`Request`]s and hands their [`Reply`]s to the [`Dataset`] signals. Requests sent before a
//! worker has started wait in a queue. With several workers (`?workers=N`) every request and
//! reply goes through the merge (`trailglass_core::shards::Coordinator`), which spreads the files
//! and makes one reply of theirs. Browser glue only: the protocol and the merge are
//! `trailglass_core`, tested natively.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect, Uint8Array};
use trailglass_core::engine::{LeftOut, ReadOptions, Reply, Request};
use trailglass_core::shards::{Coordinator, Out};
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

/// The data workers, and the merge of their replies when there are several.
#[derive(Default)]
struct Links {
    links: Vec<Link>,
    merge: Option<Coordinator>,
}

thread_local! {
    static LINKS: RefCell<Links> = RefCell::new(Links::default());
}

/// How many data workers this page starts: `?workers=N` in the address (1 to 8), else one per
/// two cores the browser reports (`navigator.hardwareConcurrency`), at least one and at most
/// [`DEFAULT_WORKERS`]. Each worker has its own store and its own wasm32 memory, so two hold
/// about twice what one does and load faster; but every answer is then merged on the page
/// thread, which on two cores competes with the workers: there two load a million events in
/// 4.8–7.0 s against 8.2 s, and answer a filter in 108–132 ms against 76 ms (BENCHMARKS.md).
fn worker_count() -> u32 {
    let window = web_sys::window();
    let search = window.as_ref().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let asked = search
        .trim_start_matches('?')
        .split('&')
        .find_map(|kv| kv.strip_prefix("workers="))
        .and_then(|n| n.parse::<u32>().ok());
    let cores = window.map_or(1.0, |w| w.navigator().hardware_concurrency());
    default_workers(asked, cores)
}

/// The most data workers a page starts unasked.
const DEFAULT_WORKERS: u32 = 4;

/// `asked` (1 to 8), else one per two of `cores`, from one to [`DEFAULT_WORKERS`].
fn default_workers(asked: Option<u32>, cores: f64) -> u32 {
    match asked {
        Some(n) => n.clamp(1, 8),
        None if cores.is_finite() && cores >= 1.0 => (cores as u32 / 2).clamp(1, DEFAULT_WORKERS),
        None => 1,
    }
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

/// Posts to worker `w`, or queues until it is ready.
fn post_to(l: &mut Links, w: usize, msg: JsValue) {
    if let Some(link) = l.links.get_mut(w) {
        match (&link.worker, link.ready) {
            (Some(worker), true) => {
                let _ = worker.post_message(&msg);
            }
            _ => link.waiting.push(msg),
        }
    }
}

/// Carries out the merge's outs: asks to the workers, replies to the page (after the borrow of
/// the links ends).
fn carry_out(l: &mut Links, outs: Vec<Out>, files: &[web_sys::File]) -> Vec<Reply> {
    let mut replies = Vec::new();
    for o in outs {
        match o {
            Out::Ask(w, req) => post_to(l, w as usize, message(&req, None)),
            Out::Load(w, req, idx) => {
                let arr = Array::new();
                for f in idx.iter().filter_map(|&i| files.get(i)) {
                    arr.push(f);
                }
                post_to(l, w as usize, message(&req, Some(arr)));
            }
            Out::Reply(r) => replies.push(*r),
            Out::Download { name, mime, bytes } => {
                let size = bytes.len() as u64;
                let arr = Uint8Array::new_with_length(bytes.len() as u32);
                arr.copy_from(&bytes);
                replies.push(match crate::web::download::download_array(&name, &mime, &arr) {
                    Ok(()) => Reply::Exported { name, mime, bytes: size },
                    Err(e) => Reply::Failed { message: format!("Export failed: {e}") },
                });
            }
        }
    }
    replies
}

thread_local! {
    static DATASET: RefCell<Option<Dataset>> = const { RefCell::new(None) };
}

/// Hands replies of the merge to the page.
fn deliver(replies: Vec<Reply>) {
    if replies.is_empty() {
        return;
    }
    if let Some(ds) = DATASET.with(|d| *d.borrow()) {
        for r in replies {
            match r {
                // The merged export was saved already (`carry_out`).
                Reply::Exported { .. } => ds.apply(r),
                r => route(&ds, r, None),
            }
        }
    }
}

/// Sends a request to the worker (through the merge when there are several).
pub fn send(req: &Request) {
    let replies = LINKS.with(|l| {
        let mut l = l.borrow_mut();
        match l.merge.as_mut() {
            None => {
                post_to(&mut l, 0, message(req, None));
                Vec::new()
            }
            Some(m) => {
                let outs = m.request(req.clone(), &[]);
                carry_out(&mut l, outs, &[])
            }
        }
    });
    deliver(replies);
}

/// Sends files to read (the `File` objects are structured-cloned, not copied; `sizes` are theirs),
/// with the files the browser would not give, those the user left out, and what to leave out of
/// those read.
pub fn send_files(
    paths: Vec<String>,
    files: Vec<web_sys::File>,
    sizes: Vec<u64>,
    missing: Vec<String>,
    left_out: Vec<LeftOut>,
    options: ReadOptions,
) {
    let req = Request::Load { paths, missing, left_out, options };
    let replies = LINKS.with(|l| {
        let mut l = l.borrow_mut();
        match l.merge.as_mut() {
            None => {
                let arr = Array::new();
                for f in &files {
                    arr.push(f);
                }
                post_to(&mut l, 0, message(&req, Some(arr)));
                Vec::new()
            }
            Some(m) => {
                let outs = m.request(req, &sizes);
                carry_out(&mut l, outs, &files)
            }
        }
    });
    deliver(replies);
}

/// Starts the workers and routes their replies into `ds` for the life of the page.
pub fn start(ds: Dataset) {
    let of = worker_count();
    DATASET.with(|d| *d.borrow_mut() = Some(ds));
    set_root_attribute("data-workers", u64::from(of));
    for w in 0..of as usize {
        let worker = match web_sys::Worker::new(WORKER_URL) {
            Ok(w) => w,
            Err(e) => {
                ds.fail(format!("The data worker could not start: {e:?}"));
                return;
            }
        };
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                on_reply(ds, w, ev.data());
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
        LINKS.with(|l| l.borrow_mut().links.push(Link { worker: Some(worker), ..Link::default() }));
    }
    if of > 1 {
        let merge = Coordinator::new(of);
        let start = merge.start();
        LINKS.with(|l| {
            let mut l = l.borrow_mut();
            l.merge = Some(merge);
            carry_out(&mut l, start, &[]);
        });
    }
}

/// A message of worker `w`: with one worker its reply goes to the page; with several, to the
/// merge, whose replies go to the page. What it cost the page thread is tallied.
fn on_reply(ds: Dataset, w: usize, data: JsValue) {
    let start = now_ms();
    let json =
        Reflect::get(&data, &"json".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
    let bytes =
        Reflect::get(&data, &"bytes".into()).ok().and_then(|b| b.dyn_into::<Uint8Array>().ok());
    let reply = match serde_json::from_str::<Reply>(&json) {
        Ok(Reply::Ready) => return flush(w),
        Ok(reply) => reply,
        Err(e) => return ds.fail(format!("The data worker sent something unreadable: {e}")),
    };
    let reply = LINKS.with(|l| {
        let mut l = l.borrow_mut();
        let Some(m) = l.merge.as_mut() else { return Err(Box::new(reply)) };
        let outs = m.reply(w as u32, reply, js_sys::Date::now());
        Ok(carry_out(&mut l, outs, &[]))
    });
    match reply {
        Err(reply) => route(&ds, *reply, bytes),
        Ok(replies) => deliver(replies),
    }
    let text = TALLY.with(|t| {
        let mut t = t.borrow_mut();
        t.add(reply_kind(&json), json.len() as u64, now_ms() - start);
        t.text()
    });
    if let Some(root) =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-worker-messages", &text);
    }
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

thread_local! {
    static TALLY: RefCell<Tally> = RefCell::new(Tally::default());
}

/// The kind of a reply from its JSON (`{"kind":"Answer",…}`; serde writes the tag first).
fn reply_kind(json: &str) -> &str {
    json.strip_prefix("{\"kind\":\"").and_then(|s| s.split('"').next()).unwrap_or("?")
}

/// What the workers' messages cost the page thread, by reply kind: how many, their JSON bytes,
/// and the milliseconds from a message's arrival to its replies handed on (parsing, the merge,
/// the signals and what renders at once). On `<html data-worker-messages>` for the benchmark.
#[derive(Default)]
struct Tally {
    kinds: Vec<(String, u64, u64, f64)>,
}

impl Tally {
    fn add(&mut self, kind: &str, bytes: u64, ms: f64) {
        match self.kinds.iter_mut().find(|k| k.0 == kind) {
            Some(k) => {
                k.1 += 1;
                k.2 += bytes;
                k.3 += ms;
            }
            None => self.kinds.push((kind.to_string(), 1, bytes, ms)),
        }
    }

    /// `kind:messages:bytes:ms` for each kind, space-separated.
    fn text(&self) -> String {
        let each = self.kinds.iter().map(|(k, n, b, ms)| format!("{k}:{n}:{b}:{ms:.0}"));
        each.collect::<Vec<_>>().join(" ")
    }
}

/// Worker `w` is ready: sends what waited.
fn flush(w: usize) {
    let (worker, waiting) = LINKS.with(|l| {
        let mut l = l.borrow_mut();
        match l.links.get_mut(w) {
            Some(link) => {
                link.ready = true;
                (link.worker.clone(), std::mem::take(&mut link.waiting))
            }
            None => (None, Vec::new()),
        }
    });
    if let Some(worker) = worker {
        for m in waiting {
            let _ = worker.post_message(&m);
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

#[cfg(test)]
mod tests {
    use super::default_workers;

    #[test]
    fn the_tally_adds_each_kinds_messages() {
        let mut t = super::Tally::default();
        t.add(super::reply_kind(r#"{"kind":"Answer","body":{}}"#), 10, 1.5);
        t.add(super::reply_kind(r#"{"kind":"Status","body":{}}"#), 4, 0.2);
        t.add("Answer", 20, 2.0);
        assert_eq!(t.text(), "Answer:2:30:4 Status:1:4:0");
        assert_eq!(super::reply_kind("junk"), "?");
    }

    #[test]
    fn one_worker_per_two_cores_up_to_four_unless_asked() {
        assert_eq!(default_workers(None, 2.0), 1);
        assert_eq!(default_workers(None, 1.0), 1);
        assert_eq!(default_workers(None, 4.0), 2);
        assert_eq!(default_workers(None, 6.0), 3);
        assert_eq!(default_workers(None, 16.0), 4);
        // A browser that hides its cores (0, or not a number) gets one.
        assert_eq!(default_workers(None, 0.0), 1);
        assert_eq!(default_workers(None, f64::NAN), 1);
        assert_eq!(default_workers(Some(1), 16.0), 1);
        assert_eq!(default_workers(Some(3), 2.0), 3);
        assert_eq!(default_workers(Some(0), 2.0), 1);
        assert_eq!(default_workers(Some(99), 2.0), 8);
    }
}
