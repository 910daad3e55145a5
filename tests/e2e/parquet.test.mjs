// End-to-end: Amazon Security Lake's Parquet dropped as a new user would (issue 15). The Parquet
// reader is a worker of its own, fetched only when a Parquet file arrives; its rows (OCSF 1.0.0-rc.2
// and 1.1, written by pyarrow: crates/parquet/tests/fixtures/make.py) are read into CloudTrail's
// columns, the file list says where they came from, and a broken file says why it was not read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launch, openApp, tid, dropFiles, waitLoaded, waitRows, search, waitCount, assertClean, screenshot, count } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const fixture = (name) => readFileSync(join(ROOT, 'crates', 'parquet', 'tests', 'fixtures', name));

test('Security Lake Parquet is read into the table by a worker fetched only then', async (t) => {
  const app = await openApp(browser);
  const { page } = app;
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  try {
    // A JSON file first: the Parquet reader is not fetched for it.
    const plain = { Records: [{ eventVersion: '1.08', eventTime: '2024-01-01T00:00:00Z', eventSource: 's3.amazonaws.com',
      eventName: 'ListBuckets', awsRegion: 'us-east-1', eventID: 'plain-1', userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root' } }] };
    await dropFiles(page, [{ name: 'plain.json', bytes: Buffer.from(JSON.stringify(plain)) }]);
    await waitLoaded(page);
    assert.ok(!fetched.some((p) => p.includes('parquet')), `nothing of the Parquet reader before a Parquet file: ${fetched}`);

    const broken = Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64, 7), Buffer.from('PAR1')]);
    await dropFiles(page, [
      { name: 'security-lake/1.0/part-0.zstd.parquet', bytes: fixture('security_lake_1_0_zstd.parquet') },
      { name: 'security-lake/2.0/part-0.snappy.parquet', bytes: fixture('security_lake_1_1_snappy.parquet') },
      { name: 'security-lake/broken.parquet', bytes: broken },
    ]);
    await waitLoaded(page);
    assert.ok(fetched.some((p) => p.endsWith('parquet_worker_bg.wasm')), 'the Parquet reader was fetched for the Parquet files');
    // Three rows from each file (same metadata.uid, different content: not duplicates).
    assert.equal(await count(page, 'loaded-count'), 7);
    await waitRows(page);
    await search(page, 'action:AssumeRole');
    await waitCount(page, 2);
    await search(page, 'error:AccessDenied');
    await waitCount(page, 2);
    await page.locator(tid('event-row')).first().click();
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('class_uid'), tid('event-detail'));
    assert.equal(await page.textContent(tid('detail-summary')), 'Admin/bob called s3:PutBucketPolicy from 198.51.100.7 — AccessDenied');
    await screenshot(page, 'parquet-detail');
    // The file list: where the rows came from, and why the broken file was not read.
    const files = await page.$$eval(tid('file-status'), (ls) => ls.map((l) => l.textContent));
    const lake = files.filter((f) => f.includes('OCSF Parquet (Security Lake)'));
    assert.equal(lake.length, 2, files.join('\n'));
    assert.ok(lake.every((f) => f.includes('3 rows read from a Parquet file')), lake.join('\n'));
    const bad = files.find((f) => f.includes('broken.parquet'));
    assert.ok(bad?.includes('not read'), bad);
    await page.locator(tid('file-list')).scrollIntoViewIfNeeded();
    await screenshot(page, 'parquet-files');
    // The only requests after start: the Parquet reader's own three files, from the app's origin.
    const reader = ['parquet_loader.js', 'parquet_worker.js', 'parquet_worker_bg.wasm'];
    assert.deepEqual(app.log.lateRequests.map((r) => r.split('/').at(-1)).sort(), [...reader].sort());
    await assertClean(t, app, assert, { allowRequests: reader });
  } finally { await app.close(); }
});
