// The DuckDB-WASM baseline of the browser benchmark (issue 14): what a user could pick instead of
// Trailglass, run over the same files in a fresh page of the same browser, after the app and the
// JSON.parse baseline. Imported by scripts/bench-browser.mjs.
//
// DuckDB-WASM (npm @duckdb/duckdb-wasm, its own bundle selection: the single-threaded "eh" build
// in this Chromium) is served with apache-arrow from node_modules by a second instance of
// scripts/static-server.mjs on 127.0.0.1; the page aborts (and counts) any request that would
// leave that origin. It is asked to do, per file, in order:
//   1. read the bytes in JS (file.arrayBuffer(), or through DecompressionStream('gzip') for
//      .json.gz), the next file read while DuckDB imports the current one;
//   2. slice, without parsing, the bytes from the first `[` after `"Records"` to the last `]`
//      (the row array of a CloudTrail file);
//   3. db.registerFileBuffer + conn.insertJSONFromPath(name, { shape: 'row-array', columns })
//      into one table: DuckDB-WASM's built-in JSON→Arrow importer, not the `json` extension
//      (read_json), which DuckDB-WASM downloads at run time and so cannot run offline;
//      six fields: eventTime, eventSource, eventName, awsRegion, sourceIPAddress as VARCHAR and
//      userIdentity as STRUCT(arn VARCHAR) (the importer takes nested fields as a struct);
//   4. then one query, the per-service count (as the JSON.parse baseline's).
// duckdb_seconds is from the first read to the count answered; the database's start (module,
// worker, wasm instantiation, open) is before it and printed apart as duckdb_init_seconds.
import { join } from 'node:path';
import { ROOT } from '../../tests/e2e/harness.mjs';
import { startServer } from '../static-server.mjs';
import { withTimeout } from './timeout.mjs';

const MODULES = '/node_modules/';
const DIST = `${MODULES}@duckdb/duckdb-wasm/dist/`;
const IMPORTS = {
  '@duckdb/duckdb-wasm': `${DIST}duckdb-browser.mjs`,
  'apache-arrow': `${MODULES}apache-arrow/Arrow.dom.mjs`,
  flatbuffers: `${MODULES}flatbuffers/mjs/flatbuffers.js`,
  tslib: `${MODULES}tslib/tslib.es6.mjs`,
};
const PAGE = `<!doctype html><meta charset="utf-8"><title>DuckDB-WASM baseline</title>
<script type="importmap">${JSON.stringify({ imports: IMPORTS })}</script>
<input type="file" multiple id="f">`;

/** In the DuckDB worker, before the wasm is instantiated: keep its WebAssembly.Memory (exported,
 * or imported as env.memory) so its size can be read after the run. Only those two places are
 * looked at: the other import namespaces are emscripten's GOT proxies, which create an entry
 * for every name read (enumerating them breaks the instantiation). */
function catchWorkerMemory() {
  const memories = (globalThis.__benchWasmMemories = []);
  const keep = (m) => { if (m instanceof WebAssembly.Memory && !memories.includes(m)) memories.push(m); };
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const orig = WebAssembly[name];
    if (typeof orig !== 'function') continue;
    WebAssembly[name] = function (source, imports, ...rest) {
      keep(imports?.env?.memory);
      return orig.call(this, source, imports, ...rest).then((r) => {
        keep((r instanceof WebAssembly.Instance ? r : r?.instance)?.exports?.memory);
        return r;
      });
    };
  }
}

/** In the page: DuckDB-WASM's module and its worker (the worker's memory is watched before
 * openDatabase instantiates the wasm in it). */
async function createWorker(dist) {
  const duckdb = await import('@duckdb/duckdb-wasm');
  const bundle = await duckdb.selectBundle({
    mvp: { mainModule: `${dist}duckdb-mvp.wasm`, mainWorker: `${dist}duckdb-browser-mvp.worker.js` },
    eh: { mainModule: `${dist}duckdb-eh.wasm`, mainWorker: `${dist}duckdb-browser-eh.worker.js` },
  });
  const t0 = performance.now();
  window.__duck = { duckdb, bundle, t0, worker: new Worker(bundle.mainWorker), filesDone: 0, bytes: 0 };
  return bundle.mainModule.split('/').pop();
}

async function openDatabase() {
  const d = window.__duck;
  d.db = new d.duckdb.AsyncDuckDB(new d.duckdb.VoidLogger(), d.worker);
  d.stage = 'instantiating';
  await d.db.instantiate(d.bundle.mainModule, d.bundle.pthreadWorker);
  d.stage = 'opening';
  await d.db.open({});
  d.stage = 'connecting';
  d.conn = await d.db.connect();
  d.stage = 'setting up';
  // Nothing may be fetched behind the benchmark's back (the json extension would be).
  await d.conn.query('SET autoinstall_known_extensions = false');
  await d.conn.query('SET autoload_known_extensions = false');
  const version = (await d.conn.query('SELECT version() AS v')).toArray()[0].v;
  return { version, initMs: performance.now() - d.t0 };
}

/** In the page: the timed run over the picked files. Never throws: a failure is returned with
 * how far the run got. */
async function importAll(gz) {
  const d = window.__duck;
  const arrow = await import('apache-arrow');
  const utf8 = () => new arrow.Utf8();
  const columns = {
    eventTime: utf8(), eventSource: utf8(), eventName: utf8(), awsRegion: utf8(), sourceIPAddress: utf8(),
    userIdentity: new arrow.Struct([new arrow.Field('arn', utf8(), true)]),
  };
  const files = [...document.getElementById('f').files];
  const read = async (file) => new Uint8Array(gz
    ? await new Response(file.stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer()
    : await file.arrayBuffer());
  const RECORDS = new TextEncoder().encode('"Records"');
  // The row array: from the first `[` after "Records" to the last `]`, found without parsing.
  const rowArray = (bytes) => {
    let at = -1;
    search: for (let i = 0; i + RECORDS.length <= bytes.length; i++) {
      for (let j = 0; j < RECORDS.length; j++) if (bytes[i + j] !== RECORDS[j]) continue search;
      at = i + RECORDS.length; break;
    }
    const open = at < 0 ? -1 : bytes.indexOf(0x5b, at);
    const close = bytes.lastIndexOf(0x5d);
    if (open < 0 || close < open) throw new Error('no "Records" array');
    return bytes.subarray(open, close + 1);
  };
  const t0 = performance.now();
  try {
    let next = files.length ? read(files[0]) : null;
    for (let i = 0; i < files.length; i++) {
      d.stage = `reading ${files[i].name}`;
      const bytes = await next;
      next = i + 1 < files.length ? read(files[i + 1]) : null;
      next?.catch(() => {}); // awaited (and thrown) on the next turn
      d.bytes += bytes.length;
      const name = `f${i}.json`;
      d.stage = `importing ${files[i].name}`;
      await d.db.registerFileBuffer(name, rowArray(bytes));
      await d.conn.insertJSONFromPath(name, { name: 'ct', shape: 'row-array', create: i === 0, columns });
      await d.db.dropFile(name);
      d.filesDone = i + 1;
      console.debug(`duckdb-progress ${d.filesDone} ${d.bytes}`);
    }
    d.stage = 'counting';
    const counts = (await d.conn.query(
      'SELECT eventSource, count(*)::INTEGER AS n FROM ct GROUP BY eventSource')).toArray();
    const ms = performance.now() - t0;
    const rows = counts.reduce((s, r) => s + r.n, 0);
    return { complete: true, ms, rows, services: counts.length, filesDone: d.filesDone, bytes: d.bytes };
  } catch (err) {
    const error = `${d.stage}: ${err?.message ?? err}`;
    return { complete: false, ms: performance.now() - t0, filesDone: d.filesDone, bytes: d.bytes, error };
  }
}

/** In the page, after a failure: the rows the table holds, if the database still answers. */
async function countRows() {
  const d = window.__duck;
  return Number((await d.conn.query('SELECT count(*)::INTEGER AS n FROM ct')).toArray()[0].n);
}

/**
 * Runs the DuckDB-WASM baseline over `files` in a fresh context of `browser`. Resolves (never
 * rejects) with { complete, ms, rows, services, filesDone, files, bytes, heapBytes, initMs,
 * version, bundle, offsite, error }; when it does not complete, rows/filesDone/bytes say how far
 * it got.
 */
export async function runDuckdb(browser, files, { gz, timeoutMs, log }) {
  const server = await startServer(join(ROOT, 'node_modules'), { prefix: MODULES });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const context = await browser.newContext();
  // Every request that would leave the server is refused and counted (blob: and data: URLs are
  // the page's own memory). The page's request event also sees those of the DuckDB worker.
  const offsite = [];
  const local = (url) => url.startsWith(`${origin}/`) || /^(blob|data):/.test(url);
  const note = (url) => { if (!local(url) && !offsite.includes(url)) offsite.push(url); };
  await context.route('**/*', (route) => {
    if (local(route.request().url())) return route.continue();
    note(route.request().url());
    return route.abort('blockedbyclient');
  });
  await context.route(`${origin}/duckdb.html`, (route) => route.fulfill({ contentType: 'text/html', body: PAGE }));
  const page = await context.newPage();
  page.on('request', (req) => note(req.url()));
  let crashed; const crash = new Promise((_, no) => { crashed = no; }); crash.catch(() => {});
  page.on('crash', () => crashed(new Error('the DuckDB page crashed (renderer process gone; out of memory?)')));
  /** `fn(arg)` in the page, bounded, and cut short by a crash. */
  const inPage = (fn, arg, ms, what) => withTimeout(Promise.race([crash, page.evaluate(fn, arg)]), ms, what);
  const progress = { filesDone: 0, bytes: 0 };
  page.on('console', (m) => {
    const p = /^duckdb-progress (\d+) (\d+)$/.exec(m.text());
    if (p) { progress.filesDone = Number(p[1]); progress.bytes = Number(p[2]); }
  });
  const r = { complete: false, files: files.length, offsite };
  let started = null; let worker = null;
  try {
    await page.goto(`${origin}/duckdb.html`, { timeout: 30_000 });
    const workerStarted = page.waitForEvent('worker', { timeout: 30_000 });
    r.bundle = await page.evaluate(createWorker, DIST);
    worker = await workerStarted;
    await worker.evaluate(catchWorkerMemory)
      .catch((e) => log(`duckdb: the worker's memory cannot be watched: ${e.message}`));
    Object.assign(r, await inPage(openDatabase, undefined, 120_000, 'DuckDB-WASM did not start'));
    log(`duckdb: ${r.version} (${r.bundle}) started in ${(r.initMs / 1000).toFixed(1)} s; importing the same files`);
    await page.setInputFiles('#f', files, { timeout: 120_000 });
    started = Date.now();
    Object.assign(r, await inPage(importAll, gz, timeoutMs, 'DuckDB-WASM did not finish'));
    if (!r.complete) throw new Error(r.error);
  } catch (err) {
    // How far it got: from the page if it still answers (after a timeout, the count waits for
    // the file being imported), else from its last progress message.
    const state = await inPage(() => window.__duck && { filesDone: window.__duck.filesDone, bytes: window.__duck.bytes, stage: window.__duck.stage },
      undefined, 5000, 'page state').catch(() => null);
    r.filesDone = state?.filesDone ?? progress.filesDone;
    r.bytes = state?.bytes ?? progress.bytes;
    r.error = err.message + (state?.stage && !err.message.includes(state.stage) ? ` (${state.stage})` : '');
    r.complete = false;
    if (started !== null) r.ms ??= Date.now() - started;
    r.rows = await inPage(countRows, undefined, 10_000, 'count').catch(() => null);
  } finally {
    r.heapBytes = await worker?.evaluate(() => globalThis.__benchWasmMemories.reduce((s, m) => s + m.buffer.byteLength, 0))
      .catch(() => null);
    await context.close().catch(() => {});
    await new Promise((ok) => server.close(ok));
  }
  return r;
}
