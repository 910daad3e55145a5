// End-to-end: the foundation flows, in headless Chromium against the built dist/ served under a
// sub-path. Counts are checked against ../shared/corpus/expected.tsv, an independent reading of
// the corpus, never against numbers written here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  CORPUS, launch, openApp, tid, count, text, waitLoaded, dropFiles, assertClean, screenshot,
} from './harness.mjs';

const expected = new Map(
  readFileSync(join(CORPUS, 'expected.tsv'), 'utf8').trim().split('\n').slice(1)
    .map((l) => l.split('\t')).map(([file, shape, events]) => [file, Number(events)]),
);
const RECON = 'cribl-aws-cloudtrail-logs/reconstructed_s3_objects';
const reconFiles = (ext) => readdirSync(join(CORPUS, RECON)).filter((f) => f.endsWith(ext)).sort()
  .map((f) => ({ rel: `${RECON}/${f}`, path: join(CORPUS, RECON, f) }));
const plain = reconFiles('.json');
const gz = reconFiles('.json.gz');
const sum = (files) => files.reduce((n, f) => n + expected.get(f.rel), 0);

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the empty app says what to do and makes no request', async (t) => {
  const app = await openApp(browser);
  try {
    assert.equal(await app.page.isVisible(tid('empty-state')), true);
    assert.equal(await count(app.page, 'loaded-count'), 0);
    assert.equal(await app.page.locator(`${tid('drop-zone')} input[type=file]`).count() >= 1, true);
    await screenshot(app.page, 'empty');
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('files chosen with the picker are read, counted and listed', async (t) => {
  const app = await openApp(browser);
  try {
    assert.ok(plain.length >= 10, 'corpus has the reconstructed S3 objects');
    await app.page.setInputFiles(`${tid('drop-zone')} input[type=file]:not([webkitdirectory])`, plain.map((f) => f.path));
    await waitLoaded(app.page, sum(plain));
    assert.equal(await count(app.page, 'match-count'), sum(plain));
    const statuses = await app.page.$$eval(tid('file-status'), (els) => els.map((e) => e.dataset.status));
    assert.equal(statuses.length, plain.length);
    assert.ok(statuses.every((s) => s === 'ok'), `all ok: ${statuses}`);
    const rows = await app.page.locator(tid('event-row')).count();
    assert.ok(rows > 0 && rows <= sum(plain), `rows rendered: ${rows}`);
    await screenshot(app.page, 'picker');
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('a dropped .json.gz beside its .json counts as duplicates, not new events', async (t) => {
  const app = await openApp(browser);
  try {
    await dropFiles(app.page, plain);
    await waitLoaded(app.page, sum(plain));
    await dropFiles(app.page, gz);
    await app.page.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length === n, [tid('file-status'), plain.length + gz.length]);
    await waitLoaded(app.page, sum(plain));
    assert.equal(await count(app.page, 'duplicate-count'), sum(gz));
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('a malformed file shows its error with a position while the good files load', async (t) => {
  const app = await openApp(browser);
  try {
    const good = ['cloudgrep/cloudtrail.json', 'stratus-red-team/aws.defense-evasion.cloudtrail-stop.json'];
    const bad = 'cloudgrep/bad_cloudtrail.json';
    await dropFiles(app.page, [...good, bad].map((rel) => ({ path: join(CORPUS, rel) })));
    const want = good.reduce((n, rel) => n + expected.get(rel), 0);
    await waitLoaded(app.page, want);
    const error = app.page.locator(`${tid('file-status')}[data-status="error"]`);
    assert.equal(await error.count(), 1);
    const msg = await error.textContent();
    assert.match(msg, /bad_cloudtrail\.json/);
    assert.match(msg, /line 26/, `error names its position: ${msg}`);
    assert.equal(await app.page.locator(`${tid('file-status')}[data-status="ok"]`).count(), good.length);
    // The header says so, and takes the user to the file list (below the facets, out of view).
    assert.equal((await app.page.textContent(tid('file-errors'))).trim(), '1 file with errors');
    const inView = () => error.evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight + 1; });
    assert.equal(await inView(), false, 'the error line starts out of view');
    await app.page.click(tid('file-errors'));
    await app.page.waitForFunction(() => { const el = document.querySelector('[data-testid="file-status"][data-status="error"]'); const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight + 1; });
    await screenshot(app.page, 'malformed');
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('the built-in sample loads with one click and the table stays virtualized', async (t) => {
  const app = await openApp(browser);
  try {
    await app.page.click(tid('load-sample'));
    await waitLoaded(app.page);
    const loaded = await count(app.page, 'loaded-count');
    assert.ok(loaded >= 1000, `sample has events: ${loaded}`);
    const rows = await app.page.locator(tid('event-row')).count();
    assert.ok(rows > 10 && rows < 100, `only the visible rows are in the DOM: ${rows}`);
    // Scroll to the end: the last rows render, still only a window of them.
    await app.page.locator('.tbody').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await app.page.waitForTimeout(200);
    const last = await app.page.$$eval(tid('event-row'), (els) => Math.max(...els.map((e) => Number(e.style.transform.replace(/[^0-9.]/g, '')))));
    assert.ok(last > (loaded - 40) * 26, `rendered near the end: ${last}`);
    await app.page.locator('.tbody').evaluate((el) => { el.scrollTop = 0; });
    await app.page.waitForTimeout(100);
    await screenshot(app.page, 'sample');
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('HTML and script in log fields render as text and never run', async (t) => {
  const app = await openApp(browser);
  try {
    const evil = {
      Records: [{
        eventVersion: '1.08', eventTime: '2024-03-01T10:00:00Z', eventSource: 's3.amazonaws.com',
        eventName: '<img src=x onerror="window.__pwned=1">', awsRegion: '<script>window.__pwned=2</script>',
        sourceIPAddress: '203.0.113.9', eventID: 'evil-1',
        userIdentity: { type: 'IAMUser', userName: '<b onmouseover="window.__pwned=3">mallory</b>' },
      }],
    };
    await dropFiles(app.page, [{ name: 'evil.json', bytes: Buffer.from(JSON.stringify(evil)) }]);
    await waitLoaded(app.page, 1);
    const rowText = await app.page.textContent(tid('event-row'));
    assert.match(rowText, /<img src=x onerror=/);
    assert.match(rowText, /<script>window.__pwned=2<\/script>/);
    await app.page.hover(tid('event-row'));
    // The same values in the facets, the event detail (summary, pivots, tree) and the charts.
    await app.page.click(tid('event-row'));
    await app.page.locator(tid('event-detail')).waitFor();
    assert.match(await app.page.textContent(tid('json-tree')), /<script>window.__pwned=2<\/script>/);
    assert.match(await app.page.textContent(`${tid('facet')}[data-field="user"]`), /<b onmouseover=/);
    await app.page.hover(`${tid('facet')}[data-field="user"] .facet-label`);
    await app.page.click(tid('tab-services'));
    await app.page.locator(tid('service-chart')).waitFor();
    assert.equal(await app.page.evaluate(() => window.__pwned), undefined);
    const injected = 'main img, main script, main b, aside img, aside script, aside b, .sidebar b, .event-detail img, .event-detail script, .event-detail b';
    assert.equal(await app.page.locator(injected).count(), 0);
    assert.equal(await app.page.locator('img, b[onmouseover]').count(), 0);
    assert.equal(await app.page.locator('script:not([src])').count(), 0);
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('the time-zone toggle switches between UTC and local time with the offset shown', async (t) => {
  // India has no daylight saving time, so the offset is the same whatever the date.
  const app = await openApp(browser, { timezoneId: 'Asia/Kolkata' });
  try {
    const rel = 'cloudgrep/cloudtrail.json';
    const event = JSON.parse(readFileSync(join(CORPUS, rel), 'utf8')).Records[0];
    const utc = new Date(event.eventTime);
    const fmt = (d) => d.toISOString().slice(0, 19).replace('T', ' ');
    await dropFiles(app.page, [{ path: join(CORPUS, rel) }]);
    await waitLoaded(app.page, 1);
    const timeCell = app.page.locator(`${tid('event-row')} .cell`).first();
    assert.equal(await text(app.page, 'timezone-toggle'), 'UTC');
    assert.equal((await timeCell.textContent()).trim(), fmt(utc));
    await app.page.click(tid('timezone-toggle'));
    assert.equal(await text(app.page, 'timezone-toggle'), 'Local (UTC+05:30)');
    assert.equal((await timeCell.textContent()).trim(), fmt(new Date(utc.getTime() + 330 * 60_000)));
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('a folder chosen with the folder picker is read recursively, and the counts reconcile', async (t) => {
  const app = await openApp(browser);
  try {
    const dir = 'cribl-aws-cloudtrail-logs';
    const rels = [...expected.keys()].filter((k) => k.startsWith(`${dir}/`));
    const read = rels.reduce((n, rel) => n + expected.get(rel), 0);
    await app.page.setInputFiles(`${tid('drop-zone')} input[webkitdirectory]`, join(CORPUS, dir));
    await app.page.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length === n, [tid('file-status'), rels.length]);
    await waitLoaded(app.page);
    const kept = await count(app.page, 'loaded-count');
    const dups = await app.page.locator(tid('duplicate-count')).count() ? await count(app.page, 'duplicate-count') : 0;
    const rejected = await app.page.locator(tid('rejected-count')).count() ? await count(app.page, 'rejected-count') : 0;
    assert.ok(kept + dups + rejected >= read, `read ${kept}+${dups}+${rejected} of at least ${read}`);
    assert.ok(dups >= expected.get(`${RECON}/${gz[0].rel.split('/').pop()}`), 'the .json.gz copies are duplicates');
    const paths = await app.page.$$eval(tid('file-status'), (els) => els.map((e) => e.getAttribute('title')));
    assert.ok(paths.some((p) => p.includes('reconstructed_s3_objects/')), `nested paths kept: ${paths[0]}`);
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('a zip archive lists each member, and Clear forgets everything', async (t) => {
  const app = await openApp(browser);
  try {
    const rel = 'cloudtrail2sightings/cloudtrail.zip';
    await dropFiles(app.page, [{ path: join(CORPUS, rel) }]);
    await waitLoaded(app.page);
    assert.ok(await count(app.page, 'loaded-count') >= expected.get(rel), 'at least the independent reading');
    const names = await app.page.$$eval(tid('file-status'), (els) => els.map((e) => e.getAttribute('title')));
    assert.ok(names.length > 1 && names.every((n) => n.startsWith('cloudtrail.zip')), `members: ${names}`);
    await app.page.click(tid('clear'));
    await app.page.locator(tid('empty-state')).waitFor();
    assert.equal(await count(app.page, 'loaded-count'), 0);
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});
