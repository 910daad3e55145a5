//! The Parquet worker: a Web Worker that turns one Parquet file at a time into JSON lines
//! (`trailglass_parquet::read`) for the data worker, which started it (`crates/worker`) the
//! first time a Parquet file arrived, so nobody downloads the Parquet reader who never opens a
//! Parquet file. Built by Trunk as a `data-type="worker"` binary (index.html) and started through
//! `static/parquet_loader.js`.
//!
//! Messages: in, `{bytes: ArrayBuffer, max: number}` (transferred); out, `{lines: ArrayBuffer,
//! conversion: JSON text}` (transferred) or `{error: text}`. A file that crashes the reader
//! takes this worker down, not the data worker, which then reports the file as unreadable.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the Trailglass Parquet worker runs only in a browser (wasm32)");
}

#[cfg(target_arch = "wasm32")]
mod worker {
    use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array};
    use trailglass_parquet::read::{to_ndjson, Limits};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    pub fn start() {
        let on_message =
            Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| on_message(ev.data()));
        scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
    }

    fn on_message(data: JsValue) {
        let bytes = Reflect::get(&data, &"bytes".into())
            .ok()
            .and_then(|b| b.dyn_into::<ArrayBuffer>().ok())
            .map(|b| Uint8Array::new(&b).to_vec())
            .unwrap_or_default();
        let max = Reflect::get(&data, &"max".into()).ok().and_then(|m| m.as_f64());
        let limits = max.map_or_else(Limits::default, |m| Limits { max_output_bytes: m as usize });
        let file_bytes = bytes.len();
        let out = Object::new();
        let mut transfer = Array::new();
        match to_ndjson(bytes, limits) {
            Ok(c) => {
                let conversion = serde_json::json!({
                    "file_bytes": file_bytes,
                    "rows": c.rows,
                    "codecs": c.codecs,
                    "stopped": c.stopped,
                });
                let lines = Uint8Array::from(c.ndjson.as_slice()).buffer();
                let _ = Reflect::set(&out, &"lines".into(), &lines);
                let _ = Reflect::set(&out, &"conversion".into(), &conversion.to_string().into());
                transfer = Array::of1(&lines);
            }
            Err(e) => {
                let _ = Reflect::set(&out, &"error".into(), &e.to_string().into());
            }
        }
        let _ = scope().post_message_with_transfer(&out, &transfer);
    }
}
