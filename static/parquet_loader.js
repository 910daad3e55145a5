// Starts Trailglass's Parquet worker (crates/parquet-worker/src/main.rs) the way
// worker_loader.js starts the data worker: wasm-bindgen's no-modules glue and the wasm, both next
// to this file. The data worker starts it, the first time a Parquet file arrives, and posts the
// file at once: messages that arrive while the wasm is being compiled are held here and handed
// to the worker's own handler (set by its main) once it runs.
const early = [];
self.onmessage = (event) => early.push(event);
importScripts('./parquet_worker.js');
wasm_bindgen({ module_or_path: './parquet_worker_bg.wasm' }).then(() => {
  for (const event of early.splice(0)) self.onmessage(event);
}).catch((err) => {
  // The data worker hears of it through this worker's error event.
  setTimeout(() => { throw err; });
});
