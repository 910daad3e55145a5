//! The data worker: a Web Worker that owns the events. It reads the user's files (in slices,
//! straight from the `File` objects the page hands over), decompresses and parses them into a
//! `trailglass_core` store, builds the text index while idle, and answers the page's requests
//! (`trailglass_core::engine::{Request, Reply}`, JSON over `postMessage`). The page thread only
//! renders. Built by Trunk as a `data-type="worker"` binary (index.html) and started by
//! `src/client.rs` through `static/worker_loader.js`.
//!
//! Only browser glue lives here: the event loop, `File` reading, timers and transferables. Every
//! request goes to `trailglass_core::engine::Session::handle`, and the load and indexing loops ask
//! the session what to do between their awaits (when to post, yield or stop), so what the worker
//! decides is tested natively in `trailglass_core::engine`.

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
mod parquet;

#[cfg(target_arch = "wasm32")]
mod worker {
    use std::cell::RefCell;
    use std::collections::VecDeque;

    use js_sys::{Array, Object, Reflect, Uint8Array};
    use trailglass_core::engine::{Due, Outcome, Pending, Reply, Request, Session};
    use trailglass_core::store::Limits;
    use trailglass_core::Conversion;
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

    /// The built-in sample, generated here so the engine does not depend on the generator.
    fn sample(events: usize) -> Vec<(String, Vec<u8>)> {
        trailglass_sample::builtin(events).into_iter().map(|f| (f.path, f.bytes)).collect()
    }

    /// Where a load's time went in this worker, in ms (written to the console at its end, as
    /// `console.debug`, which `scripts/bench-browser` prints as `worker_load_phases`): waiting for
    /// the browser's reads (`read`, of which `copy` is copying a file's bytes into wasm memory),
    /// storing the files (`ingest`: parsing, the store), the answers and statuses posted during
    /// the load, the last answer (`finish`) and the turns given to the event loop (`yield`: where
    /// the reads ahead complete, their bytes arriving on this thread, and requests are answered).
    #[derive(Default)]
    struct Phases {
        read: f64,
        copy: f64,
        ingest: f64,
        status: f64,
        answers: f64,
        finish: f64,
        yielded: f64,
    }

    impl Phases {
        fn report(&self, total: f64) -> String {
            format!(
                "total={total:.0} read={:.0} copy={:.0} ingest={:.0} answers={:.0} status={:.0} \
                 finish={:.0} yield={:.0}",
                self.read,
                self.copy,
                self.ingest,
                self.answers,
                self.status,
                self.finish,
                self.yielded
            )
        }
    }

    /// Milliseconds `f` took, added to `*into`.
    fn timed<R>(into: &mut f64, f: impl FnOnce() -> R) -> R {
        let t = now();
        let r = f();
        *into += now() - t;
        r
    }

    thread_local! {
        /// The running load's copy time (`read_file` adds to it).
        static COPY_MS: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
        static STATE: RefCell<Session<File>> = RefCell::new(Session::new(Limits::default(), sample));
    }

    fn with<R>(f: impl FnOnce(&mut Session<File>) -> R) -> R {
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
        let mut status = with(|s| s.status());
        status.heap_bytes = heap_bytes();
        post(&Reply::Status(status));
    }

    /// Posts the replies: a Status with the heap size filled in, an `Exported` reply with the
    /// export's bytes transferred beside it.
    fn post_all(replies: Vec<Reply>, mut export: Option<Vec<u8>>) {
        for mut r in replies {
            if let Reply::Status(s) = &mut r {
                s.heap_bytes = heap_bytes();
            }
            let bytes = match r {
                Reply::Exported { .. } => export.take().map(|out| {
                    let bytes = Uint8Array::new_with_length(out.len() as u32);
                    bytes.copy_from(&out);
                    bytes
                }),
                _ => None,
            };
            post_with(&r, bytes);
        }
    }

    /// Posts what a request or a loop's end gave and starts the loops it asks for.
    fn carry_out(out: Outcome) {
        let Outcome { replies, export, start_load, start_indexing } = out;
        post_all(replies, export);
        if start_load {
            spawn_local(load());
        }
        if start_indexing {
            spawn_local(index());
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
        // The `File`s of a Load travel beside it.
        let files: Vec<(File, u64)> = match req {
            Request::Load { .. } => Reflect::get(&data, &"files".into())
                .ok()
                .map(|a| {
                    Array::from(&a)
                        .iter()
                        .filter_map(|f| f.dyn_into::<File>().ok())
                        .map(|f| {
                            let size = f.size().max(0.0) as u64;
                            (f, size)
                        })
                        .collect()
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        carry_out(with(|s| s.handle(req, files, now())));
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
        pending: Pending<File>,
        first: Result<JsFuture, String>,
    }

    /// Takes the next file off the queue and starts reading it, so the browser reads it while
    /// the current one is parsed.
    fn take_next() -> Option<Next> {
        let pending = with(|s| s.next_file())?;
        let file = &pending.file;
        let first = read_slice(file, 0.0, SLICE.min(file.size().max(0.0))).map_err(js_text);
        Some(Next { pending, first })
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
            let t = now();
            let bytes = Uint8Array::new(&buf).to_vec();
            COPY_MS.with(|c| c.set(c.get() + now() - t));
            return Ok(bytes);
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

    /// Reads the queued files one by one until the queue is empty, the load is cancelled or
    /// cleared, or the memory budget is full; the session says when to post and to yield.
    async fn load() {
        let mut ahead: VecDeque<Next> = VecDeque::new();
        let start = now();
        let mut took = Phases::default();
        COPY_MS.with(|c| c.set(0.0));
        loop {
            if with(|s| s.should_yield(now())) {
                let t = now();
                yield_now().await;
                took.yielded += now() - t;
                with(|s| s.yielded(now()));
            }
            if with(|s| s.stopping()) {
                break;
            }
            // Keep a few files being read ahead of the parse (up to AHEAD_BYTES).
            while ahead.len() < AHEAD_FILES
                && ahead.iter().map(|n| n.pending.file.size()).sum::<f64>() < AHEAD_BYTES
            {
                match take_next() {
                    Some(n) => ahead.push_back(n),
                    None => break,
                }
            }
            let Some(Next { pending, first }) = ahead.pop_front() else { break };
            with(|s| s.start_file(&pending.path));
            let t = now();
            let read = read_file(&pending.file, first).await;
            // A Parquet file goes through the Parquet worker first (its time counts as reading).
            let (read, from) = match read {
                Ok(bytes) if trailglass_core::is_parquet(&bytes) => {
                    let max = with(|s| s.engine().store().limits().max_file_bytes);
                    match crate::parquet::read(bytes, max).await {
                        Ok((lines, from)) => (Ok(lines), Some(from)),
                        Err(why) => {
                            let from = Conversion {
                                file_bytes: pending.size,
                                stopped: Some(why),
                                ..Conversion::default()
                            };
                            (Ok(Vec::new()), Some(from))
                        }
                    }
                }
                other => (other, None),
            };
            took.read += now() - t;
            let due = timed(&mut took.ingest, || {
                with(|s| {
                    let (path, size, options) = (&pending.path, pending.size, pending.options);
                    s.file_read_from(path, size, options, read, from.as_ref(), now())
                })
            });
            match due {
                Due::Stop => break,
                Due::Nothing => {}
                Due::Status => timed(&mut took.status, || {
                    post_status();
                    with(|s| s.status_posted(now()));
                }),
                Due::Answer => timed(&mut took.answers, || {
                    let t = now();
                    let answer = with(|s| s.refresh());
                    let cost = now() - t;
                    post_status();
                    if let Some(a) = answer {
                        post(&Reply::Answer(a));
                    }
                    with(|s| s.answered(cost, now()));
                }),
            }
        }
        timed(&mut took.finish, || carry_out(with(|s| s.finish_load(now()))));
        took.copy = COPY_MS.with(|c| c.get());
        let line = format!("trailglass load phases (ms): {}", took.report(now() - start));
        web_sys::console::debug_1(&line.into());
    }

    /// Builds the text index in slices while no load runs, answering requests in between.
    async fn index() {
        loop {
            yield_now().await;
            if with(|s| s.index_status_due(now())) {
                post_status();
            }
            if !with(|s| s.index_step()) {
                break;
            }
        }
        post_status();
    }
}
