//! The Parquet worker: a Web Worker that turns one Parquet file at a time into JSON lines
//! (`trailglass_parquet::read`) for the data worker, which started it (`crates/worker`) the
//! first time a Parquet file arrived, so nobody downloads the Parquet reader who never opens a
//! Parquet file. Built by Trunk as a `data-type="worker"` binary (index.html) and started through
//! `static/parquet_loader.js`.
//!
//! Messages: in, `{bytes: ArrayBuffer, max: number}` (transferred); out, `{lines: ArrayBuffer,
//! conversion: JSON text of trailglass_core::Conversion}` (the lines transferred; a file that
//! cannot be read has no lines and says why in the conversion's `stopped`). A file that crashes the reader
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
    use trailglass_parquet::read::{read_rows, Limits};
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
        let (lines, conversion) = read_rows(bytes, limits);
        let out = Object::new();
        let lines = Uint8Array::from(lines.as_slice()).buffer();
        let conversion = serde_json::to_string(&conversion).unwrap_or_default();
        let _ = Reflect::set(&out, &"lines".into(), &lines);
        let _ = Reflect::set(&out, &"conversion".into(), &conversion.into());
        let transfer = Array::of1(&lines);
        let _ = scope().post_message_with_transfer(&out, &transfer);
    }
}
