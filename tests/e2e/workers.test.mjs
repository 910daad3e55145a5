// End-to-end: several data workers behind one tab (`?workers=2`). The files are spread over two
// workers, each with its own store, and the page sees one tab: the counts reconcile, facets and
// queries count every worker's events, the table's order runs across both (first rows, a deep
// page, the last row), the keyboard steps through it and the detail opens. Expected values come
// from the generated events here, not from the app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT, launch, openApp, tid, waitLoaded, assertClean, screenshot, search, waitCount, waitRows } from './harness.mjs';

const DIR = join(OUT, 'workers-files');
const FILES = 24;
const PER_FILE = 1500;
const N = FILES * PER_FILE;
const T0 = Date.UTC(2024, 4, 1);

/** Event n: its time interleaves across files, so both workers hold every stretch of time. */
function event(n) {
  const file = n % FILES;
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', userName: `user-${n % 13}`, arn: `arn:aws:iam::111122223333:user/user-${n % 13}` },
    eventTime: new Date(T0 + n * 2000).toISOString().replace('.000', ''),
    eventSource: ['s3.amazonaws.com', 'ec2.amazonaws.com', 'iam.amazonaws.com'][n % 3],
    eventName: ['GetObject', 'DescribeInstances', 'ListUsers'][n % 3],
    awsRegion: n % 5 ? 'eu-west-1' : 'us-east-1',
    sourceIPAddress: `198.51.100.${n % 200}`,
    ...(n % 11 === 0 ? { errorCode: 'AccessDenied' } : {}),
    requestParameters: { note: `file-${file}` },
    eventID: `ev-${String(n).padStart(6, '0')}`,
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
  };
}

function writeFiles() {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const files = Array.from({ length: FILES }, () => []);
  for (let n = 0; n < N; n++) files[n % FILES].push(event(n));
  return files.map((records, f) => {
    const path = join(DIR, `part-${String(f).padStart(2, '0')}.json`);
    writeFileSync(path, JSON.stringify({ Records: records }));
    return path;
  });
}

const where = (pred) => { let k = 0; for (let n = 0; n < N; n++) if (pred(n)) k++; return k; };

let browser; let paths;
before(async () => { browser = await launch(); paths = writeFiles(); });
after(async () => { await browser?.close(); if (!process.env.KEEP) rmSync(DIR, { recursive: true, force: true }); });

const picker = `${tid('drop-zone')} input[type=file]:not([webkitdirectory])`;

test('two workers: one tab, every count, the order across both, steps and the detail', async (t) => {
  const app = await openApp(browser, { query: '?workers=2' });
  const { page } = app;
  try {
    assert.equal(await page.getAttribute('html', 'data-workers'), '2');
    await page.setInputFiles(picker, paths);
    await waitLoaded(page, N);
    await waitCount(page, N);
    // Both workers' memory is counted.
    assert.ok(Number(await page.getAttribute('html', 'data-wasm-heap-bytes')) > 0);
    // Every file is listed once.
    assert.equal(await page.locator(`${tid('file-status')}[data-status="ok"]`).count(), FILES);
    // The service facet counts both workers' events.
    const s3 = page.locator(`${tid('facet')}[data-field="service"] .facet-value[data-value="s3.amazonaws.com"]`);
    assert.match(await s3.textContent(), new RegExp(where((n) => n % 3 === 0).toLocaleString('en-US')));
    await screenshot(page, 'workers-loaded');

    // Queries: a field, free text, a boolean, an error filter.
    await search(page, 'action:ListUsers');
    await waitCount(page, where((n) => n % 3 === 2));
    await search(page, 'file-7');
    await waitCount(page, where((n) => n % FILES === 7));
    await search(page, 'region:us-east-1 error:*');
    await waitCount(page, where((n) => n % 5 === 0 && n % 11 === 0));
    await search(page, '');
    await waitCount(page, N);

    // The table's order runs across both workers: its first row and, a deep page away, its
    // last are the first and last events in time (which end is first depends on the sort).
    const detailOf = async (row) => {
      await row.click();
      await page.waitForFunction(([sel, id]) => document.querySelector(sel)?.dataset.row === id,
        [`${tid('event-row')}.selected`, await row.getAttribute('data-row')]);
      await page.waitForFunction((sel) => document.querySelector(sel)?.dataset.eventId, tid('event-detail'));
      return page.getAttribute(tid('event-detail'), 'data-event-id');
    };
    const top = await detailOf(page.locator(tid('event-row')).first());
    await page.keyboard.press('Escape');
    await page.locator('.tbody').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await page.waitForFunction(([sel, last]) => [...document.querySelectorAll(sel)].some((r) => r.getAttribute('aria-rowindex') === last),
      [tid('event-row'), String(N + 1)]);
    const bottom = await detailOf(page.locator(`${tid('event-row')}[aria-rowindex="${N + 1}"]`));
    const ends = [top, bottom].sort();
    assert.deepEqual(ends, ['ev-000000', `ev-${String(N - 1).padStart(6, '0')}`]);
    await screenshot(page, 'workers-deep-page');
    await page.keyboard.press('Escape');
    await page.locator('.tbody').evaluate((el) => { el.scrollTop = 0; });

    // The keyboard steps through the merged order and the detail shows the event stepped to.
    await search(page, 'action:GetObject');
    await waitCount(page, where((n) => n % 3 === 0));
    await page.locator(tid('event-row')).first().click();
    await page.waitForSelector(tid('event-detail'));
    const ids = [await page.getAttribute(tid('event-detail'), 'data-event-id')];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('j');
      await page.waitForFunction(([sel, prev]) => document.querySelector(sel)?.dataset.eventId !== prev, [tid('event-detail'), ids[ids.length - 1]]);
      ids.push(await page.getAttribute(tid('event-detail'), 'data-event-id'));
    }
    // GetObject is every third event: consecutive in time, whichever worker holds each.
    const nums = ids.map((id) => Number(id.slice(3)));
    const asc = nums[1] > nums[0];
    for (let i = 1; i < nums.length; i++) assert.equal(Math.abs(nums[i] - nums[i - 1]), 3, `${ids}`);
    assert.ok(nums.every((x, i) => i === 0 || (nums[i] > nums[i - 1]) === asc), `${ids}`);
    await screenshot(page, 'workers-detail');
    // An export runs across both workers: every GetObject event once, in time order.
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(tid('export-ndjson'))]);
    const lines = readFileSync(await dl.path(), 'utf8').trim().split('\n').map((l) => JSON.parse(l).eventID);
    assert.equal(lines.length, where((n) => n % 3 === 0));
    const order = lines.map((id) => Number(id.slice(3)));
    assert.ok(order.every((x, i) => i === 0 || Math.abs(x - order[i - 1]) === 3), 'consecutive in time');
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('two workers: an event in files of both workers is kept once', async (t) => {
  // Six files again under other names: spread by name and size, so some copies land in the other
  // worker, whose dedupe never saw the original. The load's end finds them across workers.
  const copies = paths.slice(0, 6).map((p, i) => {
    const copy = join(DIR, `copy-${i}.json`);
    writeFileSync(copy, readFileSync(p));
    return copy;
  });
  const app = await openApp(browser, { query: '?workers=2' });
  const { page } = app;
  try {
    await page.setInputFiles(picker, [...paths, ...copies]);
    await waitLoaded(page, N);
    await waitCount(page, N);
    await page.waitForFunction(([sel, want]) => document.querySelector(sel)?.textContent.replace(/[^0-9]/g, '') === want,
      [tid('duplicate-count'), String(6 * PER_FILE)]);
    // Each event once in the table and in a query over every file.
    await search(page, 'file-3');
    await waitCount(page, where((n) => n % FILES === 3));
    await screenshot(page, 'workers-duplicates');
    await assertClean(t, app, assert);
  } finally { await app.close(); rmSync(join(DIR, 'copy-0.json'), { force: true }); }
});
