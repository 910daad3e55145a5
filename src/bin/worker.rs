//! The data worker: a Web Worker that owns the events. It reads the user's files (in slices,
//! straight from the `File` objects the page hands over), decompresses and parses them into a
//! `trailglass_core` store, builds the text index while idle, and answers the page's requests
//! (`trailglass_core::engine::{Request, Reply}`, JSON over `postMessage`). The page thread only
//! renders. Built by Trunk as a `data-type="worker"` binary (index.html) and started by
//! `src/client.rs` through `static/worker_loader.js`.
//!
//! Only browser glue lives here: the event loop, `File` reading, timers and transferables. What
//! the engine does with the bytes and the requests is in `trailglass_core::engine`, tested natively.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the Trailglass worker runs only in a browser (wasm32)");
}

#[cfg(target_arch = "wasm32")]
mod worker {
    use std::cell::RefCell;
    use std::collections::VecDeque;

    use js_sys::{Array, Object, Reflect, Uint8Array};
    use trailglass_core::engine::{gzip_declared_size, Engine, Reply, Request};
    use trailglass_core::units::thousands;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::{spawn_local, JsFuture};
    use web_sys::{Blob, DedicatedWorkerGlobalScope, File, MessageEvent};

    /// Files larger than this are read in slices of this size, so the browser never holds a
    /// whole big file as one buffer besides ours.
    const SLICE: f64 = 8.0 * 1024.0 * 1024.0;
    /// Files read ahead of the one being parsed, at most, and their bytes at most.
    const AHEAD_FILES: usize = 4;
    const AHEAD_BYTES: f64 = 64.0 * 1024.0 * 1024.0;
    /// How often the page hears of a running load (progress, counts).
    const STATUS_MS: f64 = 250.0;
    /// The least time between two recomputed answers during a load (it grows with their cost).
    const ANSWER_MS: f64 = 1000.0;
    /// The load yields to the event loop at least this often, so requests (a query, Cancel) are
    /// answered while it runs.
    const YIELD_MS: f64 = 60.0;

    #[derive(Default)]
    struct State {
        engine: Engine,
        queue: VecDeque<(String, File)>,
        loading: bool,
        cancelled: bool,
        indexing: bool,
        /// Bumped by Clear: a file read before it is not stored after it.
        epoch: u64,
    }

    thread_local! {
        static STATE: RefCell<State> = RefCell::new(State::default());
    }

    fn with<R>(f: impl FnOnce(&mut State) -> R) -> R {
        STATE.with(|s| f(&mut s.borrow_mut()))
    }

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    fn now() -> f64 {
        js_sys::Date::now()
    }

    fn heap_bytes() -> u64 {
        wasm_bindgen::memory()
            .dyn_into::<js_sys::WebAssembly::Memory>()
            .map(|m| m.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as u64)
            .unwrap_or(0)
    }

    /// Posts `{json}` (and `bytes`, transferred, when given).
    fn post_with(reply: &Reply, bytes: Option<Uint8Array>) {
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"json".into(), &JsValue::from_str(&reply.to_json()));
        let transfer = Array::new();
        if let Some(b) = bytes {
            let _ = Reflect::set(&msg, &"bytes".into(), &b);
            transfer.push(&b.buffer());
        }
        if let Err(e) = scope().post_message_with_transfer(&msg, &transfer) {
            web_sys::console::error_2(&"Trailglass worker: could not post".into(), &e);
        }
    }

    fn post(reply: &Reply) {
        post_with(reply, None);
    }

    fn post_status() {
        let mut status = with(|s| s.engine.status());
        status.heap_bytes = heap_bytes();
        post(&Reply::Status(status));
    }

    fn post_all(replies: Vec<Reply>) {
        for mut r in replies {
            if let Reply::Status(s) = &mut r {
                s.heap_bytes = heap_bytes();
            }
            post(&r);
        }
    }

    pub fn start() {
        let on_message =
            Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| on_message(ev.data()));
        scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        post(&Reply::Ready);
    }

    fn on_message(data: JsValue) {
        let json = Reflect::get(&data, &"json".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let req: Request = match serde_json::from_str(&json) {
            Ok(r) => r,
            Err(e) => return post(&Reply::Failed { message: format!("bad request: {e}") }),
        };
        match req {
            Request::Load { paths, missing } => {
                let files: Vec<File> = Reflect::get(&data, &"files".into())
                    .ok()
                    .map(|a| {
                        Array::from(&a).iter().filter_map(|f| f.dyn_into::<File>().ok()).collect()
                    })
                    .unwrap_or_default();
                let bytes: u64 = files.iter().map(|f| f.size().max(0.0) as u64).sum();
                let start = with(|s| {
                    for m in &missing {
                        s.engine.unreadable(m, "the browser would not give this file");
                    }
                    s.engine.queue(files.len(), bytes);
                    s.queue.extend(paths.into_iter().zip(files));
                    if s.loading {
                        false
                    } else {
                        s.loading = true;
                        s.cancelled = false;
                        true
                    }
                });
                post_status();
                if start {
                    spawn_local(load());
                }
            }
            Request::Cancel => with(|s| {
                if s.loading {
                    s.cancelled = true;
                    s.queue.clear();
                }
            }),
            Request::Export { format, columns } => {
                let (name, mime) = format.file();
                match with(|s| s.engine.export(format, &columns)) {
                    Ok(out) => {
                        let bytes = Uint8Array::new_with_length(out.len() as u32);
                        bytes.copy_from(&out);
                        post_with(
                            &Reply::Exported {
                                name: name.into(),
                                mime: mime.into(),
                                bytes: out.len() as u64,
                            },
                            Some(bytes),
                        );
                    }
                    Err(e) => post(&Reply::Failed { message: format!("Export failed: {e}") }),
                }
            }
            Request::Clear => {
                let replies = with(|s| {
                    s.queue.clear();
                    s.cancelled = s.loading;
                    s.epoch += 1;
                    s.engine.handle(Request::Clear)
                });
                post_all(replies);
            }
            Request::Sample { events } => {
                let files = trailglass_sample::builtin(events);
                let replies = with(|s| {
                    s.engine.load_owned(files.into_iter().map(|f| (f.path, f.bytes)));
                    s.engine.changed()
                });
                post_all(replies);
                start_indexing();
            }
            other => post_all(with(|s| s.engine.handle(other))),
        }
    }

    /// A promise of `blob`'s bytes `start..end` (the whole blob when it is small).
    fn read_slice(blob: &Blob, start: f64, end: f64) -> Result<JsFuture, JsValue> {
        let part = if start == 0.0 && end >= blob.size() {
            blob.clone()
        } else {
            blob.slice_with_f64_and_f64(start, end)?
        };
        Ok(JsFuture::from(part.array_buffer()))
    }

    /// A file taken from the queue whose first slice is being read.
    struct Next {
        path: String,
        file: File,
        first: Result<JsFuture, String>,
    }

    /// Takes the next file off the queue and starts reading it, so the browser reads it while
    /// the current one is parsed.
    fn take_next() -> Option<Next> {
        let (path, file) = with(|s| if s.cancelled { None } else { s.queue.pop_front() })?;
        let first = read_slice(&file, 0.0, SLICE.min(file.size().max(0.0))).map_err(js_text);
        Some(Next { path, file, first })
    }

    /// Reads a whole file into wasm memory in slices, `first` being the first slice's read;
    /// each next slice is requested before the current one is copied.
    ///
    /// A file of one slice (most CloudTrail files) is copied straight into a vector of its size
    /// (`to_vec`: no zero-filling of memory the copy overwrites; the store keeps that vector as
    /// the home of the file's records, so it is fresh memory each time).
    async fn read_file(file: &File, first: Result<JsFuture, String>) -> Result<Vec<u8>, String> {
        let size = file.size().max(0.0);
        let mut pending = first?;
        if size <= SLICE {
            let buf = pending.await.map_err(js_text)?;
            return Ok(Uint8Array::new(&buf).to_vec());
        }
        let mut out = Vec::new();
        out.try_reserve_exact(size as usize)
            .map_err(|_| format!("not enough memory for a file of {size} bytes"))?;
        let mut start = 0.0;
        loop {
            let buf = pending.await.map_err(js_text)?;
            let next = start + SLICE;
            let more = next < size;
            if more {
                pending = read_slice(file, next, (next + SLICE).min(size)).map_err(js_text)?;
            } else {
                pending = JsFuture::from(js_sys::Promise::resolve(&JsValue::UNDEFINED));
            }
            let arr = Uint8Array::new(&buf);
            let at = out.len();
            out.resize(at + arr.length() as usize, 0);
            if let Some(dst) = out.get_mut(at..) {
                arr.copy_to(dst);
            }
            if !more {
                return Ok(out);
            }
            start = next;
        }
    }

    fn js_text(v: JsValue) -> String {
        v.as_string()
            .or_else(|| Reflect::get(&v, &"message".into()).ok().and_then(|m| m.as_string()))
            .unwrap_or_else(|| format!("{v:?}"))
    }

    /// Lets the event loop run (incoming requests, Cancel).
    async fn yield_now() {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        });
        let _ = JsFuture::from(promise).await;
    }

    /// Reads the queued files one by one until the queue is empty, the load is cancelled, or the
    /// memory budget is full.
    async fn load() {
        let mut last_status = now();
        // The first answer comes after the first file, so the page shows events at once.
        let mut last_answer = f64::NEG_INFINITY;
        let mut answer_cost = 0.0;
        let mut last_yield = now();
        let mut notice = None;
        let epoch = with(|s| s.epoch);
        let cleared = move || with(|s| s.epoch != epoch);
        let mut ahead: VecDeque<Next> = VecDeque::new();
        loop {
            if now() - last_yield >= YIELD_MS {
                yield_now().await;
                last_yield = now();
            }
            if with(|s| s.cancelled) {
                break;
            }
            // Keep a few files being read ahead of the parse (up to AHEAD_BYTES).
            while ahead.len() < AHEAD_FILES
                && ahead.iter().map(|n| n.file.size()).sum::<f64>() < AHEAD_BYTES
            {
                match take_next() {
                    Some(n) => ahead.push_back(n),
                    None => break,
                }
            }
            let Some(Next { path, file, first }) = ahead.pop_front() else { break };
            let size = file.size().max(0.0) as u64;
            with(|s| s.engine.start_file(&path));
            let read = read_file(&file, first).await;
            if cleared() {
                break;
            }
            match read {
                Ok(bytes) => {
                    let need = gzip_declared_size(&bytes).unwrap_or(size).max(size);
                    let stop = with(|s| match s.engine.fits(need) {
                        Ok(()) => {
                            s.engine.ingest(&path, bytes);
                            None
                        }
                        Err(message) => Some(message),
                    });
                    if let Some(message) = stop {
                        let left = with(|s| {
                            let n = s.queue.len() + 1 + ahead.len();
                            s.queue.clear();
                            n
                        });
                        notice = Some(format!("{message} {left} files were not read."));
                        break;
                    }
                }
                Err(e) => with(|s| {
                    s.engine
                        .unreadable(&path, &format!("the browser could not read this file: {e}"))
                }),
            }
            with(|s| s.engine.file_done(size));
            if now() - last_answer >= ANSWER_MS.max(answer_cost * 4.0) {
                let t = now();
                let answer = with(|s| s.engine.refresh());
                answer_cost = now() - t;
                post_status();
                if let Some(a) = answer {
                    post(&Reply::Answer(a));
                }
                last_answer = now();
                last_status = now();
            } else if now() - last_status >= STATUS_MS {
                post_status();
                last_status = now();
            }
        }
        let cancelled = with(|s| {
            s.loading = false;
            std::mem::take(&mut s.cancelled)
        });
        if notice.is_none() && cancelled && !cleared() {
            let kept = with(|s| s.engine.store().totals().kept);
            notice = Some(format!(
                "Load cancelled; the {} events read before it are kept.",
                thousands(kept)
            ));
        }
        let replies = with(|s| {
            s.engine.finish_load(notice);
            s.engine.changed()
        });
        post_all(replies);
        start_indexing();
    }

    /// Builds the text index in slices while no load runs, answering requests in between.
    fn start_indexing() {
        let go = with(|s| {
            !s.indexing && !s.loading && {
                s.indexing = true;
                true
            }
        });
        if !go {
            return;
        }
        spawn_local(async {
            let mut last_status = now();
            loop {
                yield_now().await;
                if now() - last_status >= STATUS_MS {
                    post_status();
                    last_status = now();
                }
                let (more, stop) =
                    with(|s| if s.loading { (true, true) } else { (s.engine.index_step(), false) });
                if stop || !more {
                    break;
                }
            }
            with(|s| s.indexing = false);
            post_status();
        });
    }
}
