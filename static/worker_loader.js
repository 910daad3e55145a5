// Starts the Trailglass data worker (crates/worker/src/main.rs): loads wasm-bindgen's no-modules glue and
// the worker's wasm, both next to this file. The worker then posts "Ready" and the page's
// requests flow (src/client.rs). Written by hand instead of Trunk's loader shim so the glue gets
// its options object (the shim's bare path is deprecated and logs a warning).
importScripts('./worker.js');
wasm_bindgen({ module_or_path: './worker_bg.wasm' }).catch((err) => {
  // The page hears of it through the worker's error event.
  setTimeout(() => { throw err; });
});
