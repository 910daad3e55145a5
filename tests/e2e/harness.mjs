// Shared set-up for the end-to-end tests: serve dist/ under a sub-path on 127.0.0.1, drive
// Debian's chromium with playwright-core, record every network request made after the app
// started, and collect console errors and CSP violations.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/static-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, '..', '..');
export const DIST = join(ROOT, 'dist');
export const CORPUS = join(ROOT, '..', 'shared', 'corpus');
export const OUT = join(here, 'out');
mkdirSync(OUT, { recursive: true });

// A deep sub-path: the app must work from anywhere on a static host (relative URLs only).
export const PREFIX = '/some/sub/path/trailglass/';

export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-default-apps', '--disable-extensions', '--metrics-recording-only', '--mute-audio',
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/** Opens the app in a fresh page; resolves when the app has rendered. */
export async function openApp(browser, { viewport = { width: 1280, height: 720 }, colorScheme = 'light', hash = '', query = '', timezoneId = 'UTC' } = {}) {
  const server = await startServer(DIST, { prefix: PREFIX });
  const base = `http://127.0.0.1:${server.address().port}${PREFIX}`;
  const context = await browser.newContext({ viewport, colorScheme, timezoneId });
  const page = await context.newPage();
  const log = { consoleErrors: [], pageErrors: [], lateRequests: [], started: false };
  page.on('console', (m) => { if (m.type() === 'error') log.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => log.pageErrors.push(String(e)));
  // blob: and data: URLs are the page's own memory (downloads it made), not the network.
  page.on('request', (r) => {
    if (log.started && !/^(blob|data):/.test(r.url())) log.lateRequests.push(`${r.method()} ${r.url()}`);
  });
  await page.goto(base + query + hash);
  await page.waitForSelector('[data-testid="drop-zone"]');
  await page.waitForLoadState('networkidle');
  // The offline service worker caches the app shell while the page loads; wait for it, so its
  // fetches are not counted as the page's.
  await page.evaluate(() => Promise.race([
    navigator.serviceWorker?.ready,
    new Promise((ok) => setTimeout(ok, 5000)),
  ]));
  // From here on the page must not touch the network at all.
  log.started = true;
  await page.evaluate(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return {
    page, log, base,
    context,
    async close() {
      await context.close();
      await new Promise((ok) => server.close(ok));
    },
  };
}

export const tid = (id) => `[data-testid="${id}"]`;

export async function text(page, id) {
  return (await page.textContent(tid(id)))?.trim();
}

/** The number shown in a count element, as a number (thousands separators removed). */
export async function count(page, id) {
  return Number((await text(page, id)).replace(/[^0-9]/g, ''));
}

/** Waits until the load progress bar is gone and the loaded count equals `n` (or any if null). */
export async function waitLoaded(page, n = null) {
  await page.waitForFunction(
    ([sel, want]) => {
      if (document.querySelector('[data-testid="progress"]')) return false;
      const el = document.querySelector(sel);
      if (!el) return false;
      const got = Number(el.textContent.replace(/[^0-9]/g, ''));
      return want === null ? got > 0 : got === want;
    },
    [tid('loaded-count'), n],
    { timeout: 60_000 },
  );
  // The counts come with the status; the answer over the same data (with several workers,
  // merged from theirs) and its table rows come just after.
  await page.waitForFunction(() => {
    const r = document.documentElement;
    const g = r.getAttribute('data-generation');
    return g !== null && g === r.getAttribute('data-answer-generation');
  }, null, { timeout: 60_000 });
  await waitRows(page);
}

/** Types a query in the search box and commits it (Enter). */
export async function search(page, q) {
  await page.fill(tid('search-input'), q);
  await page.press(tid('search-input'), 'Enter');
}

/** Waits until the match count shows `n` and the table (if shown) holds rows of that answer
 * (the worker sends the rows just after the count). */
export async function waitCount(page, n) {
  await page.waitForFunction(([sel, want]) => Number(document.querySelector(sel)?.textContent.replace(/[^0-9]/g, '')) === want,
    [tid('match-count'), n]);
  await waitRows(page);
}

/** Waits until the table's rows belong to the answer whose count is shown. */
export async function waitRows(page) {
  await page.waitForFunction((sel) => {
    const t = document.querySelector(sel);
    return !t || t.dataset.answer === t.dataset.rowsAnswer;
  }, tid('event-table'));
}

/** Drops files on the drop zone the way a browser does: a DataTransfer in a drop event. */
export async function dropFiles(page, files) {
  const payload = files.map((f) => ({
    name: f.name ?? basename(f.path),
    b64: Buffer.from(f.bytes ?? readFileSync(f.path)).toString('base64'),
  }));
  await page.evaluate(async ({ sel, payload }) => {
    const dt = new DataTransfer();
    for (const f of payload) {
      const bin = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bin], f.name));
    }
    const zone = document.querySelector(sel);
    zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { sel: tid('drop-zone'), payload });
}

/** Asserts nothing went wrong behind the scenes. `allowRequests` lists the app's own files a
 * test expects after start (the Parquet reader, fetched only when a Parquet file arrives). */
export async function assertClean(t, app, assert, { allowRequests = [] } = {}) {
  const csp = await app.page.evaluate(() => window.__cspViolations ?? []);
  assert.deepEqual(csp, [], 'no Content-Security-Policy violations');
  assert.deepEqual(app.log.pageErrors, [], 'no uncaught errors');
  assert.deepEqual(app.log.consoleErrors, [], 'no console errors');
  const late = app.log.lateRequests.filter((r) => !allowRequests.some((a) => r.endsWith(`/${a}`)));
  assert.deepEqual(late, [], 'no network request after the app started');
}

export async function screenshot(page, name) {
  const path = join(OUT, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
