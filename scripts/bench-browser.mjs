// The browser benchmark of Trailglass (issue 6): the release app in headless Chromium against a
// plain JavaScript baseline in the same browser. Run through scripts/bench-browser (which builds
// dist/ first); this script assumes dist/ exists.
//
//   node scripts/bench-browser.mjs --events N [--gz] [--repeat K] [--load-timeout SECONDS] [--no-duckdb] [--days K] [--workers W]
//
// 1. Generates N synthetic events (trailglass-bench --write; deterministic, default seed) as
//    AWS-layout .json files, and with --gz their .json.gz, cached under
//    $TRAILGLASS_BENCH_DATA (default /tmp/trailglass-bench-data)/<N>/{plain,gz}.
// 2. Serves dist/ on 127.0.0.1 under a sub-path, opens the app, feeds every file through the
//    file picker and measures the load, the heap after it, the longest main-thread task during
//    it, and query latencies as the user sees them (a field filter, free text, a facet click).
// 3. Reads the same files in a fresh page of the same browser with a plain JavaScript baseline:
//    arrayBuffer (through DecompressionStream for gz), TextDecoder, JSON.parse and a per-service
//    count of Records.
// 3b. Unless --no-duckdb, reads them once more in a fresh page with DuckDB-WASM, the alternative
//    a user could pick (scripts/bench/duckdb.mjs: its built-in JSON import of six fields, the same
//    per-service count); a failure there is printed with how far it got (duckdb_complete=false)
//    and does not fail the run.
// 4. Measures the gzip -9 size of the bundle and the first render of the empty app.
//
// The files span several days, accounts and regions, so the app first offers its "Choose what to
// read" panel: a full load clicks *Read everything* and is timed from that click; with --days K
// the first K days are chosen and *Read selected* clicked (timed from it), the load's figures
// are printed (files_kept, load_seconds, …) and the run ends there (scripts/bench/plan.mjs).
//
// Prints `key=value` lines on stdout, one figure per line; progress and errors go to stderr.
// Exits 1 when the app does not load every event (the figures measured so far are printed,
// with load_complete=false).
//
// The app is driven only through stable data-testids and figures read from the page, so the
// script measures the same thing whether files are read on the main thread or in a worker. The
// app reads, stores and queries in a Web Worker: its heap is the worker's wasm memory, which the
// app writes into data-wasm-heap-bytes; a query ends when the count shows and the table's rows
// belong to that answer; detections_ready_seconds_after_load is how long after the load the shown
// answer (which carries the detections) caught up with the data; free-text figures are taken after
// the text index (built by the worker after the load) is complete, and how long that took is
// printed as index_ready_seconds_after_load; identities_ready_seconds_after_load is how long after
// the load the Identities view shows its cards for all the data.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, openSync, closeSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, DIST, PREFIX, ROOT, tid } from '../tests/e2e/harness.mjs';
import { startServer } from './static-server.mjs';
import { runDuckdb } from './bench/duckdb.mjs';
import { withTimeout } from './bench/timeout.mjs';
import { choose, inDates } from './bench/plan.mjs';

// ---------------------------------------------------------------------------------------------
// Arguments

function usage(code) {
  (code ? console.error : console.log)(
    'usage: scripts/bench-browser --events N [--gz] [--no-build] [--repeat K (5)] [--load-timeout SECONDS] [--no-duckdb] [--days K] [--workers W (1)]');
  process.exit(code);
}
const argv = process.argv.slice(2);
const opt = { events: null, gz: false, repeat: 5, loadTimeoutS: null, duckdb: true, days: null, workers: 1 };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const num = () => {
    const v = Number(String(argv[++i] ?? '').replace(/_/g, ''));
    if (!Number.isFinite(v) || v <= 0) { console.error(`${a} needs a positive number`); usage(2); }
    return v;
  };
  if (a === '--events') opt.events = Math.floor(num());
  else if (a === '--gz') opt.gz = true;
  else if (a === '--repeat') opt.repeat = Math.floor(num());
  else if (a === '--load-timeout') opt.loadTimeoutS = num();
  else if (a === '--no-duckdb') opt.duckdb = false;
  else if (a === '--days') opt.days = Math.floor(num());
  else if (a === '--workers') opt.workers = Math.floor(num());
  else if (a === '--help' || a === '-h') usage(0);
  else { console.error(`unknown argument ${a}`); usage(2); }
}
if (!opt.events) usage(2);
const N = opt.events;

// Every wait is bounded; the bounds grow with N. The load bound assumes at worst ~2.5 MB/s
// (0.5 ms an event) plus a minute; queries get 10 s plus 50 µs an event.
const LOAD_TIMEOUT_MS = (opt.loadTimeoutS ?? 60 + N * 0.0005) * 1000;
const QUERY_TIMEOUT_MS = 10_000 + N * 0.05;
const BASELINE_TIMEOUT_MS = LOAD_TIMEOUT_MS;

const log = (...m) => console.error('#', ...m);
const out = [];
const put = (k, v) => { out.push([k, v]); console.log(`${k}=${v}`); };
const fail = (msg) => { console.error(`bench-browser: ${msg}`); process.exitCode = 1; };

// ---------------------------------------------------------------------------------------------
// Data

const DATA = process.env.TRAILGLASS_BENCH_DATA ?? '/tmp/trailglass-bench-data';

function walk(dir) {
  const files = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) files.push(...walk(p));
    else if (e.isFile()) files.push(p);
  }
  return files.sort();
}

function generate() {
  const base = join(DATA, String(N));
  const plain = join(base, 'plain');
  if (!existsSync(plain)) {
    mkdirSync(base, { recursive: true });
    const tmp = `${plain}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    log(`generating ${N} events into ${plain} (trailglass-bench --write; it runs its native benchmarks too, see ${base}/native-bench.txt)`);
    const fd = openSync(join(base, 'native-bench.txt'), 'w');
    const r = spawnSync('cargo', ['run', '--release', '--locked', '-p', 'trailglass-cli', '--bin', 'trailglass-bench', '--',
      '--events', String(N), '--write', tmp, '--repeat', '1',
      // Past five million the in-memory native benchmarks would hold the JSON twice.
      ...(N > 5_000_000 ? ['--write-only'] : [])], { cwd: ROOT, stdio: ['ignore', fd, 'inherit'] });
    closeSync(fd);
    if (r.status !== 0) throw new Error(`trailglass-bench failed (exit ${r.status ?? r.signal})`);
    renameSync(tmp, plain);
  }
  const plainFiles = walk(plain).filter((p) => p.endsWith('.json'));
  if (!opt.gz) return { plainFiles, files: plainFiles };
  const gz = join(base, 'gz');
  if (!existsSync(gz)) {
    const tmp = `${gz}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    log(`gzipping ${plainFiles.length} files into ${gz}`);
    for (const p of plainFiles) {
      const dest = join(tmp, `${relative(plain, p)}.gz`);
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(dest, gzipSync(readFileSync(p)));
    }
    renameSync(tmp, gz);
  }
  return { plainFiles, files: walk(gz).filter((p) => p.endsWith('.json.gz')) };
}

// ---------------------------------------------------------------------------------------------
// Statistics

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
/** Nearest-rank p95 (with 5 runs, the slowest). */
function p95(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(0.95 * s.length) - 1)];
}
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'nan');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'nan');
const f3 = (x) => (Number.isFinite(x) ? x.toFixed(3) : 'nan');

// ---------------------------------------------------------------------------------------------
// Renderer memory from /proc, over the renderer processes below `browserPid` (a figure that holds whether the data lives in the page or a worker:
// dedicated workers run in their page's renderer process).

// Figures of the largest renderer (the app's, at the time this is called): resident now, and
// its peak (VmHWM).
function rendererMemory(browserPid) {
  if (!browserPid || !existsSync('/proc')) return null;
  const children = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(d));
    } catch { /* gone */ }
  }
  const todo = [browserPid];
  let rss = 0; let hwm = 0; let found = 0;
  while (todo.length) {
    const pid = todo.pop();
    todo.push(...(children.get(pid) ?? []));
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (k) => Number((status.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm')) ?? [0, 0])[1]) * 1024;
      rss = Math.max(rss, kb('VmRSS')); hwm = Math.max(hwm, kb('VmHWM')); found++;
    } catch { /* gone */ }
  }
  return found ? { rss, hwm } : null;
}

// ---------------------------------------------------------------------------------------------
// In-page instruments, installed before any of the app's scripts run.

function instruments() {
  // The wasm heap: wasm-bindgen's glue keeps its WebAssembly.Memory to itself, so catch it as it
  // is instantiated (in this page only: a worker's instance is out of reach from here).
  const memories = (globalThis.__benchWasmMemories = []);
  const keep = (result) => {
    try {
      const instance = result instanceof WebAssembly.Instance ? result : result?.instance;
      for (const v of Object.values(instance?.exports ?? {})) if (v instanceof WebAssembly.Memory) memories.push(v);
    } catch { /* not ours to break */ }
    return result;
  };
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const orig = WebAssembly[name];
    if (typeof orig !== 'function') continue;
    WebAssembly[name] = function (...args) { return orig.apply(this, args).then(keep); };
  }
  // First render: the first animation frame in which the drop zone is laid out, measured from
  // the navigation's time origin.
  const check = () => {
    const el = document.querySelector('[data-testid="drop-zone"]');
    if (el && el.getClientRects().length) globalThis.__benchFirstRender = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

// ---------------------------------------------------------------------------------------------
// Main

const { plainFiles, files } = generate();
const plainBytes = plainFiles.reduce((s, p) => s + statSync(p).size, 0);
const fileBytes = files.reduce((s, p) => s + statSync(p).size, 0);
const MB = plainBytes / 1e6;
put('events', N);
put('files', files.length);
put('gz', opt.gz);
put('plain_bytes', plainBytes);
if (opt.gz) put('gz_bytes', fileBytes);
put('repeat', opt.repeat);
put('workers', opt.workers);

// Bundle: every .wasm and .js the page loads from dist/ (boot.js, the glue, its snippets, the
// service worker), each gzipped at level 9.
{
  let wasm = 0; let js = 0;
  for (const p of walk(DIST)) {
    if (relative(DIST, p).startsWith('.')) continue; // trunk's .stage
    const z = (b) => gzipSync(readFileSync(b), { level: 9 }).length;
    if (p.endsWith('.wasm')) wasm += z(p);
    else if (p.endsWith('.js') || p.endsWith('.mjs')) js += z(p);
  }
  put('bundle_gzip_bytes', wasm + js);
  put('bundle_wasm_gzip_bytes', wasm);
  put('bundle_js_gzip_bytes', js);
}

const server = await startServer(DIST, { prefix: PREFIX });
// With --workers W the app spreads the files over W data workers (`?workers=W`, always given:
// unasked, the app starts one per core).
const url = `http://127.0.0.1:${server.address().port}${PREFIX}?workers=${opt.workers}`;
// --enable-precise-memory-info: performance.memory unrounded and updated at once.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
});
// playwright-core's Browser does not give the pid; chromium is this process's descendant.
const browserPid = process.pid;

async function freshPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, timezoneId: 'UTC' });
  await context.addInitScript(instruments);
  const page = await context.newPage();
  const errors = [];
  let onError = null;
  const failed = new Promise((_, no) => { onError = no; });
  failed.catch(() => {});
  page.on('pageerror', (e) => { errors.push(String(e)); onError(new Error(`uncaught error in the page: ${e}`)); });
  page.on('crash', () => onError(new Error('the page crashed (renderer process gone; out of memory?)')));
  // Each data worker writes where its load's time went (crates/worker: `Phases`).
  const phases = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
    const p = m.text().match(/^trailglass load phases \(ms\): (.*)$/);
    if (p) phases.push(p[1]);
  });
  return { context, page, errors, failed, phases };
}

let exitCode = 0;
try {
  // ---- first render of the empty app, median of 3 fresh contexts (no cache, no service worker)
  {
    const times = [];
    for (let i = 0; i < 3; i++) {
      const { context, page } = await freshPage();
      await page.goto(url, { timeout: 30_000 });
      await page.waitForSelector(tid('drop-zone'), { state: 'visible', timeout: 30_000 });
      await page.waitForFunction(() => globalThis.__benchFirstRender, null, { timeout: 30_000 });
      times.push(await page.evaluate(() => globalThis.__benchFirstRender));
      await context.close();
    }
    put('first_render_ms', f1(median(times)));
  }

  // ---- the app: load every file through the picker
  const app = await freshPage();
  const { page } = app;
  await page.goto(url, { timeout: 30_000 });
  await page.waitForSelector(tid('drop-zone'), { timeout: 30_000 });
  await page.waitForLoadState('networkidle', { timeout: 30_000 });
  await page.evaluate(() => Promise.race([navigator.serviceWorker?.ready, new Promise((ok) => setTimeout(ok, 5000))]));

  const inputSel = `${tid('drop-zone')} input[type=file]:not([webkitdirectory])`;
  await page.evaluate(({ inputSel, want }) => {
    const num = (sel) => {
      const el = document.querySelector(sel);
      return el ? Number(el.textContent.replace(/[^0-9]/g, '')) : null;
    };
    const b = (window.__bench = { t0: null, longtasks: [], progressChanges: [], sawProgress: false });
    // Long tasks, from before the files are set (buffered: also any already recorded).
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, dur: e.duration });
      }).observe({ type: 'longtask', buffered: true });
      b.longtaskSupported = true;
    } catch { b.longtaskSupported = false; }
    // The load starts when the picker reports its files.
    document.addEventListener('change', (e) => {
      if (b.t0 === null && e.target.matches?.(inputSel)) b.t0 = performance.now();
    }, { capture: true });
    // Ends in the first frame where the progress bar is gone and events are loaded. Every
    // frame also notes whether the progress text changed (to see it stays alive).
    b.done = new Promise((resolve) => {
      let last = null;
      const tick = () => {
        const now = performance.now();
        const p = document.querySelector('[data-testid="progress"]');
        const n = num('[data-testid="loaded-count"]') ?? 0;
        if (p) {
          b.sawProgress = true;
          const text = p.textContent;
          if (text !== last) { b.progressChanges.push(now); last = text; }
        }
        if (b.t0 !== null && !p && (n === want || n > 0 || b.sawProgress)) resolve({ t1: now, loaded: n });
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
  }, { inputSel, want: N });

  // Read every file once first, so the load does not measure the disk: after a run that needed
  // much memory (the native 1M benchmark) the files had left the page cache and a load took 24 s
  // instead of 4.7 (the baseline, which runs later on cached files, looked normal).
  for (const f of files) readFileSync(f);
  log(`loading ${files.length} files (${f1(fileBytes / 1e6)} MB${opt.gz ? ` gz, ${f1(MB)} MB plain` : ''}) into the app`);
  const loaded = page.evaluate(() => window.__bench.done);
  // TRAILGLASS_PROFILE=FILE: a CPU profile of the page thread through the load (DevTools
  // format), and its top self-time entries on stderr.
  const profiler = process.env.TRAILGLASS_PROFILE ? await page.context().newCDPSession(page) : null;
  if (profiler) {
    await profiler.send('Profiler.enable');
    await profiler.send('Profiler.setSamplingInterval', { interval: 1000 });
    await profiler.send('Profiler.start');
  }
  await page.setInputFiles(inputSel, files, { timeout: 120_000 });
  // The "Choose what to read" panel: everything, or the first --days K days (timed from the click).
  const plan = await choose(page, { days: opt.days });
  put('choice_panel', plan.panel);
  const keptPlain = inDates(plainFiles, plan.dates);
  if (opt.days) { put('days_kept', plan.dates.join(',')); put('files_kept', `${plan.filesKept}/${plan.filesTotal}`); }
  const loadMB = keptPlain.reduce((s, p) => s + statSync(p).size, 0) / 1e6;
  let load;
  try {
    load = await withTimeout(Promise.race([loaded, app.failed]), LOAD_TIMEOUT_MS, 'the app did not finish loading');
  } catch (err) {
    // How far it got, if the page still answers.
    const shown = await withTimeout(page.evaluate(() => ({
      loaded: document.querySelector('[data-testid="loaded-count"]')?.textContent,
      progress: document.querySelector('[data-testid="progress"]')?.textContent,
    })), 5000, 'page state').catch(() => null);
    put('load_complete', false);
    if (shown) put('loaded_shown', JSON.stringify(shown));
    const mem = rendererMemory(browserPid);
    if (mem) { put('renderer_rss_bytes', mem.rss); put('renderer_peak_rss_bytes', mem.hwm); }
    throw new Error(`${err.message}${app.errors.length ? `\n  page errors: ${app.errors.slice(0, 5).join('\n  ')}` : ''}`);
  }
  if (profiler) {
    const { profile } = await profiler.send('Profiler.stop');
    writeFileSync(process.env.TRAILGLASS_PROFILE, JSON.stringify(profile));
    const self = new Map();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const f = byId.get(id).callFrame;
      const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
      self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    log(`profile: ${f1(total)} ms sampled; top self time:`);
    for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) log(`  ${f1(ms)} ms  ${name}`);
  }
  const bench = await page.evaluate(() => ({
    t0: window.__bench.t0,
    longtasks: window.__bench.longtasks,
    longtaskSupported: window.__bench.longtaskSupported,
    progressChanges: window.__bench.progressChanges,
  }));
  const loadMs = load.t1 - bench.t0;
  const loadS = loadMs / 1000;
  const during = bench.longtasks.filter((t) => t.start + t.dur >= bench.t0 && t.start <= load.t1);
  const gaps = [];
  {
    const marks = [bench.t0, ...bench.progressChanges.filter((t) => t >= bench.t0), load.t1];
    for (let i = 1; i < marks.length; i++) gaps.push(marks[i] - marks[i - 1]);
  }
  if (!opt.days) put('load_complete', load.loaded === N);
  put('loaded_events', load.loaded);
  put('load_seconds', f3(loadS));
  put('load_mb_per_s', f1(loadMB / loadS));
  put('events_per_s', Math.round(load.loaded / loadS));
  put('longest_task_ms', bench.longtaskSupported ? f1(Math.max(0, ...during.map((t) => t.dur))) : 'unsupported');
  put('long_tasks', during.length);
  put('long_tasks_total_ms', f1(during.reduce((s, t) => s + t.dur, 0)));
  // Each worker's own account of the load, in ms (one line per worker, ' | ' between).
  put('worker_load_phases', app.phases.join(' | ') || 'none');
  // Where they were: start relative to the picker's change event (negative = began before it,
  // e.g. the browser building the FileList) and duration, in ms.
  put('long_task_list', during.map((t) => `${f1(t.start - bench.t0)}:${f1(t.dur)}`).join(',') || 'none');
  // What the workers' messages cost the page thread so far, by reply kind:
  // kind:messages:JSON bytes:ms (parse, merge, signals; src/web/worker_client.rs).
  const messages = () => page.evaluate(() => document.documentElement.getAttribute('data-worker-messages') ?? 'none');
  put('page_messages_at_load_end', await messages());
  put('progress_updates', bench.progressChanges.filter((t) => t >= bench.t0).length);
  put('progress_max_gap_ms', f1(Math.max(...gaps)));

  // Heap after load. heap_bytes = the page's used JS heap + the wasm linear memory (caught at
  // instantiation; it is an ArrayBuffer outside the JS heap, not counted in performance.memory).
  // When the app keeps its data in a worker the page's instance is not where the data is: then
  // the app may report its heap in a data-wasm-heap-bytes attribute, preferred when present.
  const heap = await page.evaluate(() => ({
    jsUsed: performance.memory?.usedJSHeapSize ?? null,
    jsTotal: performance.memory?.totalJSHeapSize ?? null,
    wasm: (globalThis.__benchWasmMemories ?? []).reduce((s, m) => s + m.buffer.byteLength, 0),
    instances: (globalThis.__benchWasmMemories ?? []).length,
    app: document.querySelector('[data-wasm-heap-bytes]')?.getAttribute('data-wasm-heap-bytes') ?? null,
  }));
  const wasmBytes = heap.app !== null ? Number(heap.app) : heap.wasm;
  put('heap_bytes', (heap.jsUsed ?? 0) + wasmBytes);
  put('wasm_heap_bytes', wasmBytes);
  // With workers running and no figure from the app, the page's own instance is not the store:
  // say so in the source (renderer_peak_rss_bytes still covers the workers, same process).
  const workers = page.workers().length;
  put('wasm_heap_source', heap.app !== null ? 'app'
    : `${heap.instances ? 'page-instance' : 'none-found'}${workers ? `-only(workers=${workers},not-counted)` : ''}`);
  put('js_heap_used_bytes', heap.jsUsed ?? 'unsupported');
  put('js_heap_total_bytes', heap.jsTotal ?? 'unsupported');
  put('heap_bytes_per_event', f1(((heap.jsUsed ?? 0) + wasmBytes) / N));
  const mem = rendererMemory(browserPid);
  if (mem) { put('renderer_rss_bytes', mem.rss); put('renderer_peak_rss_bytes', mem.hwm); }
  if (opt.days) { // the chosen days' load was the figure
    await app.context.close(); await browser.close(); await new Promise((ok) => server.close(ok)); process.exit(0);
  }
  if (load.loaded !== N) throw new Error(`the app finished with ${load.loaded} of ${N} events loaded`);

  // ---- detections: every answer carries the detections of the data it was computed on (all
  // rules over everything loaded), and the page writes the generation of the data and that of
  // the shown answer on the root element. They are complete when the two agree.
  {
    const t = Date.now();
    await page.waitForFunction(() => {
      const r = document.documentElement;
      const g = r.getAttribute('data-generation');
      return g !== null && g === r.getAttribute('data-answer-generation');
    }, null, { timeout: LOAD_TIMEOUT_MS, polling: 20 });
    put('detections_ready_seconds_after_load', f3((Date.now() - t) / 1000));
    put('detections_shown', await page.evaluate(() => document.querySelectorAll('[data-testid="finding"]').length));
  }

  // ---- identities: who is behind every call is resolved with every answer (so during a load
  // too); the Identities view is one more answer away. identities_ready_seconds_after_load is
  // from the end of the load to the view showing its cards for all the data (the tab is clicked
  // as soon as the load ends), identities_view_ms from the click (with several workers, the
  // merge of their parts; the exchange itself runs when the load ends).
  {
    const t = Date.now();
    await page.click(tid('tab-identities'));
    const clicked = Date.now();
    await page.waitForFunction(() => {
      const r = document.documentElement;
      const g = r.getAttribute('data-generation');
      return document.querySelector('[data-testid="identity"]') !== null && g !== null
        && g === r.getAttribute('data-answer-generation');
    }, null, { timeout: LOAD_TIMEOUT_MS, polling: 20 });
    put('identities_view_ms', f1(Date.now() - clicked));
    const ready = Number(out.find(([k]) => k === 'detections_ready_seconds_after_load')?.[1] ?? 0);
    put('identities_ready_seconds_after_load', f3((Date.now() - t) / 1000 + ready));
    put('identities_shown', await page.evaluate(() => document.querySelectorAll('[data-testid="identity"]').length));
    await page.click(tid('tab-events'));
    await page.locator(tid('event-table')).waitFor();
  }

  // ---- the text index: the app builds it after the load, in the worker, between requests
  // (until it is complete a word search scans the rows not yet indexed). Wait for it, so the
  // text figures are those of the indexed steady state; how long it took is a figure too.
  {
    const t = Date.now();
    await page.waitForFunction(() => !document.querySelector('[data-testid="index-status"]'), null, { timeout: LOAD_TIMEOUT_MS, polling: 50 });
    put('index_ready_seconds_after_load', f3((Date.now() - t) / 1000));
    // The same, once the load's end has settled (the exchanges between workers, the index).
    put('page_messages_settled', await messages());
  }

  // ---- queries, as the user sees them: from the Enter key (or the click) to the first frame
  // that shows the new count in match-count and the table's rows of that answer.
  await page.evaluate(() => {
    const b = window.__bench;
    b.q = null;
    const armed = (kind) => (e) => {
      if (b.q && b.q.t0 === null && (kind !== 'keydown' || e.key === 'Enter')) b.q.t0 = performance.now();
    };
    document.addEventListener('keydown', armed('keydown'), { capture: true });
    document.addEventListener('click', armed('click'), { capture: true });
    // Arms a measurement: ends at the first frame after the key or click in which match-count
    // shows `want` (or, with want null, anything other than what it shows now).
    // The table's rows belong to the answer shown (they come from the worker just after the
    // count); true when there is no table (another panel).
    const rowsCurrent = () => {
      const t = document.querySelector('[data-testid="event-table"]');
      return !t || t.dataset.answer === t.dataset.rowsAnswer;
    };
    b.arm = (want) => {
      const read = () => Number(document.querySelector('[data-testid="match-count"]')?.textContent.replace(/[^0-9]/g, '') ?? NaN);
      const before = read();
      const q = (b.q = { t0: null });
      q.done = new Promise((resolve) => {
        const tick = () => {
          const now = performance.now();
          const c = read();
          if (q.t0 !== null && (want === null ? c !== before : c === want) && rowsCurrent()) resolve({ ms: now - q.t0, count: c });
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
    };
  });
  const matchCount = () => page.evaluate(() => Number(document.querySelector('[data-testid="match-count"]').textContent.replace(/[^0-9]/g, '')));
  const search = tid('search-input');

  /** Types `text` into the search box without firing input (no debounced commit), arms, presses
   * Enter, and resolves with { ms, count }. */
  async function enter(text, want) {
    await page.evaluate(({ search, text, want }) => {
      document.querySelector(search).value = text;
      window.__bench.arm(want);
    }, { search, text, want });
    const done = page.evaluate(() => window.__bench.q.done);
    await page.press(search, 'Enter', { timeout: QUERY_TIMEOUT_MS });
    return withTimeout(Promise.race([done, app.failed]), QUERY_TIMEOUT_MS, `query "${text}"`);
  }
  const clears = [];
  async function clear() {
    if (await matchCount() === N) return;
    clears.push((await enter('', N)).ms);
  }

  async function pair(name, a, b) {
    // Warm-up: learn each query's count, from the cleared search (so each must match fewer
    // than all events).
    const want = {};
    for (const q of [a, b]) {
      await clear();
      want[q] = (await enter(q, null)).count;
      if (want[q] === N || want[q] === 0) log(`warning: "${q}" matches ${want[q]} of ${N} events`);
    }
    const times = [];
    for (let i = 0; i < opt.repeat; i++) {
      const q = i % 2 ? b : a;
      if (await matchCount() === want[q]) await clear();
      const r = await enter(q, want[q]);
      times.push(r.ms);
    }
    put(`${name}_median_ms`, f1(median(times)));
    put(`${name}_p95_ms`, f1(p95(times)));
    put(`${name}_rows`, `${want[a]}/${want[b]}`);
    log(`${name}: ${a} → ${want[a]}, ${b} → ${want[b]}; runs ms: ${times.map(f1).join(' ')}`);
  }

  await pair('filter', 'service:s3', 'service:ec2');
  await pair('text', 'AccessDenied', 'ThrottlingException');

  // Facet: clear the search, then click the first value of the service facet.
  {
    const facet = `${tid('facet')}[data-field="service"] ${tid('facet-include')}`;
    const times = []; let rows = null;
    for (let i = 0; i <= opt.repeat; i++) { // the first click is a warm-up
      await clear();
      await page.waitForSelector(facet, { timeout: QUERY_TIMEOUT_MS });
      await page.evaluate(() => window.__bench.arm(null));
      const done = page.evaluate(() => window.__bench.q.done);
      await page.click(facet, { timeout: QUERY_TIMEOUT_MS });
      const r = await withTimeout(Promise.race([done, app.failed]), QUERY_TIMEOUT_MS, 'facet click');
      rows = r.count;
      if (i > 0) times.push(r.ms);
    }
    put('facet_median_ms', f1(median(times)));
    put('facet_p95_ms', f1(p95(times)));
    put('facet_rows', rows);
    log(`facet: runs ms: ${times.map(f1).join(' ')}`);
  }
  await clear();

  // Detail: from the click on a row of the table to the first frame in which the detail panel
  // shows that row's event (its record read from the worker's compressed blocks). Each run
  // clicks another row, so no run reopens the event on screen.
  {
    const times = [];
    for (let i = 0; i <= opt.repeat; i++) { // the first click is a warm-up
      const row = page.locator(tid('event-row')).nth(2 + (i * 3) % 12);
      await row.waitFor({ timeout: QUERY_TIMEOUT_MS });
      const id = await row.getAttribute('data-row');
      const done = page.evaluate((id) => new Promise((resolve) => {
        let t0 = null;
        const shownId = () => document.querySelector('[data-testid="event-detail"]')?.dataset.eventId;
        const before = shownId();
        document.addEventListener('click', () => { if (t0 === null) t0 = performance.now(); }, { capture: true, once: true });
        const tick = () => {
          const now = shownId();
          const shown = document.querySelector('[data-testid="event-row"].selected')?.dataset.row === id
            && now && now !== before;
          if (t0 !== null && shown) resolve(performance.now() - t0);
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }), id);
      await row.click({ timeout: QUERY_TIMEOUT_MS });
      const ms = await withTimeout(Promise.race([done, app.failed]), QUERY_TIMEOUT_MS, 'detail');
      if (i > 0) times.push(ms);
      await page.keyboard.press('Escape');
    }
    put('detail_median_ms', f1(median(times)));
    put('detail_p95_ms', f1(p95(times)));
    log(`detail: runs ms: ${times.map(f1).join(' ')}`);
  }
  put('clear_median_ms', f1(median(clears)));
  put('clear_p95_ms', f1(p95(clears)));
  if (app.errors.length) log(`page errors during the run:\n  ${app.errors.join('\n  ')}`);
  put('page_messages_end', await messages());
  put('page_errors', app.errors.length);
  await app.context.close();

  // ---- the plain JavaScript baseline, same files, same browser, a fresh page
  {
    const context = await browser.newContext();
    const bpage = await context.newPage();
    let crashed; const crash = new Promise((_, no) => { crashed = no; }); crash.catch(() => {});
    bpage.on('crash', () => crashed(new Error('the baseline page crashed')));
    await bpage.setContent('<input type="file" multiple id="f">');
    await bpage.setInputFiles('#f', files, { timeout: 120_000 });
    log('baseline: JSON.parse of the same files');
    const r = await withTimeout(Promise.race([crash, bpage.evaluate(async (gz) => {
      const files = [...document.getElementById('f').files];
      const t0 = performance.now();
      const counts = Object.create(null);
      let bytes = 0; let events = 0;
      const decoder = new TextDecoder();
      for (const file of files) {
        const buf = gz
          ? await new Response(file.stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer()
          : await file.arrayBuffer();
        bytes += buf.byteLength;
        const doc = JSON.parse(decoder.decode(buf));
        for (const r of doc.Records) { counts[r.eventSource] = (counts[r.eventSource] ?? 0) + 1; events++; }
      }
      return { ms: performance.now() - t0, bytes, events, services: Object.keys(counts).length };
    }, opt.gz)]), BASELINE_TIMEOUT_MS, 'the baseline did not finish');
    await context.close();
    if (r.events !== N || r.bytes !== plainBytes) log(`warning: baseline read ${r.events} events, ${r.bytes} bytes`);
    const baseMbps = r.bytes / 1e6 / (r.ms / 1000);
    put('baseline_seconds', f3(r.ms / 1000));
    put('baseline_mb_per_s', f1(baseMbps));
    put('baseline_events_per_s', Math.round(r.events / (r.ms / 1000)));
    put('load_vs_baseline', f2(MB / loadS / baseMbps));
  }

  // ---- DuckDB-WASM, same files, same browser, a fresh page
  if (opt.duckdb) {
    log('duckdb: DuckDB-WASM importing the same files');
    const d = await runDuckdb(browser, files, { gz: opt.gz, timeoutMs: BASELINE_TIMEOUT_MS, log });
    const s = d.ms / 1000;
    put('duckdb_version', d.version ?? 'unknown');
    put('duckdb_bundle', d.bundle ?? 'unknown');
    put('duckdb_init_seconds', f3((d.initMs ?? NaN) / 1000));
    put('duckdb_complete', d.complete);
    put('duckdb_rows', d.rows ?? 'unknown');
    put('duckdb_files_read', `${d.filesDone ?? 0}/${d.files}`);
    put('duckdb_seconds', f3(s));
    put('duckdb_mb_per_s', f1(d.bytes / 1e6 / s));
    put('duckdb_heap_bytes', d.heapBytes ?? 'unknown');
    put('duckdb_offsite_requests', d.offsite.length);
    put('load_vs_duckdb', d.complete ? f2(s / loadS) : 'nan');
    if (!d.complete) put('duckdb_error', JSON.stringify(d.error));
    else if (d.rows !== N || d.bytes !== plainBytes) log(`warning: DuckDB read ${d.rows} events, ${d.bytes} bytes`);
    if (d.offsite.length) log(`warning: DuckDB asked for (refused): ${d.offsite.slice(0, 5).join(' ')}`);
  }
} catch (err) {
  fail(err.message);
  exitCode = 1;
} finally {
  await browser.close().catch(() => {});
  await new Promise((ok) => server.close(ok));
}
process.exit(exitCode);
