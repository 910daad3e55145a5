// End-to-end: the data worker. A load big enough to watch: progress while the page stays
// responsive, Cancel keeps what was read and says so, and the counts still reconcile. The files
// are generated here (plain JSON.stringify of simple CloudTrail records), so the expected counts
// come from this script, not from the app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT, launch, openApp, tid, count, text, waitLoaded, assertClean, screenshot, search, waitCount } from './harness.mjs';

const DIR = join(OUT, 'worker-files');
const FILES = 60;
const PER_FILE = 4000;

/** Writes FILES files of PER_FILE events each (~2 MB a file); returns their paths. */
function writeFiles() {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const paths = [];
  for (let f = 0; f < FILES; f++) {
    const records = [];
    for (let i = 0; i < PER_FILE; i++) {
      const n = f * PER_FILE + i;
      records.push({
        eventVersion: '1.08',
        userIdentity: { type: 'IAMUser', userName: `user-${n % 17}`, arn: `arn:aws:iam::111122223333:user/user-${n % 17}` },
        eventTime: new Date(Date.UTC(2024, 2, 1) + n * 1000).toISOString().replace('.000', ''),
        eventSource: n % 3 ? 's3.amazonaws.com' : 'ec2.amazonaws.com',
        eventName: n % 3 ? 'GetObject' : 'DescribeInstances',
        awsRegion: 'eu-west-1',
        sourceIPAddress: `203.0.113.${n % 250}`,
        requestParameters: { bucketName: `bucket-${n % 9}`, key: `logs/${n}/object-${n}.txt` },
        eventID: `ev-${n}`,
        eventType: 'AwsApiCall',
        recipientAccountId: '111122223333',
      });
    }
    const path = join(DIR, `file-${String(f).padStart(3, '0')}.json`);
    writeFileSync(path, JSON.stringify({ Records: records }));
    paths.push(path);
  }
  return paths;
}

/** How many of the generated events (numbered n) satisfy `pred`. */
const where = (pred) => {
  let k = 0;
  for (let n = 0; n < FILES * PER_FILE; n++) if (pred(n)) k++;
  return k;
};

let browser; let paths;
before(async () => { browser = await launch(); paths = writeFiles(); });
after(async () => { await browser?.close(); rmSync(DIR, { recursive: true, force: true }); });

const picker = `${tid('drop-zone')} input[type=file]:not([webkitdirectory])`;

test('a big load runs in the worker: the page answers during it and everything arrives', async (t) => {
  const app = await openApp(browser);
  const { page } = app;
  try {
    await page.setInputFiles(picker, paths);
    await page.waitForSelector(tid('progress'));
    // The page thread is free while the worker reads: a click on the theme button is handled
    // at once, with the progress bar still up.
    const before = await text(page, 'theme-toggle');
    await page.click(tid('theme-toggle'));
    assert.notEqual(await text(page, 'theme-toggle'), before);
    await screenshot(page, 'worker-progress');
    await waitLoaded(page, FILES * PER_FILE);
    assert.equal(await count(page, 'match-count'), FILES * PER_FILE);
    // The worker's memory is on the page for anyone (and the benchmark) to read: it holds the
    // 240,000 events, compressed (about a quarter of their JSON, with their columns).
    const heap = Number(await page.getAttribute('html', 'data-wasm-heap-bytes'));
    assert.ok(heap > 40e6, `worker heap ${heap}`);
    // Queries answer from the worker; free text works before and after the index is complete.
    await search(page, 'bucket-3');
    await waitCount(page, where((n) => n % 9 === 3));
    await page.waitForSelector(tid('index-status'), { state: 'detached', timeout: 60_000 });
    await search(page, 'service:ec2 user-5');
    await waitCount(page, where((n) => n % 3 === 0 && n % 17 === 5));
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

// With two workers too: the notice is the tab's, not one sentence per worker with its own count.
for (const workers of [1, 2]) test(`Cancel stops a load, keeps what was read, and says how much (${workers} worker${workers > 1 ? 's' : ''})`, async (t) => {
  const app = await openApp(browser, { query: `?workers=${workers}` });
  const { page } = app;
  try {
    await page.setInputFiles(picker, paths);
    await page.click(tid('cancel-load'));
    await page.waitForSelector(tid('load-notice'));
    await page.waitForSelector(tid('progress'), { state: 'detached' });
    const notice = await text(page, 'load-notice');
    assert.match(notice, /Load cancelled; the [\d,]+ events read before it are kept/);
    assert.equal(notice.match(/Load cancelled/g).length, 1, `one notice: ${notice}`);
    const kept = Number(notice.match(/the ([\d,]+) events/)[1].replace(/,/g, ''));
    assert.ok(kept < FILES * PER_FILE, `cancelled before the end: ${kept}`);
    assert.equal(kept % PER_FILE, 0, 'whole files only');
    assert.equal(await count(page, 'loaded-count'), kept);
    const listed = await page.locator(tid('file-status')).count();
    assert.equal(listed, kept / PER_FILE, 'the files read are listed, the rest are not');
    await screenshot(page, workers > 1 ? `worker-cancelled-${workers}` : 'worker-cancelled');
    // Loading again after a cancel works, and duplicates are recognised as such.
    await page.setInputFiles(picker, paths);
    await waitLoaded(page, FILES * PER_FILE);
    assert.equal(await count(page, 'loaded-count'), FILES * PER_FILE);
    if (kept > 0) assert.equal(await count(page, 'duplicate-count'), kept);
    assert.equal(await page.locator(tid('load-notice')).count(), 0, 'a new load clears the notice');
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});
