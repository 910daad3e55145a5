// End-to-end: the event detail — the whole record as a tree, the plain-words summary, pivots that
// filter, previous/next, copy, Insight statistics — over real corpus data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, launch, openApp, tid, waitLoaded, dropFiles, assertClean, screenshot, search, waitCount } from './harness.mjs';

const OTEL = join(CORPUS, 'otel-collector-contrib', 'cloudtrail_log.json');
const records = JSON.parse(readFileSync(OTEL, 'utf8')).Records;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('clicking an event opens its detail with tree, summary, pivots, prev/next and copy', async (t) => {
  const app = await openApp(browser);
  const { page } = app;
  try {
    await app.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await dropFiles(page, [{ path: OTEL }]);
    await waitLoaded(page, records.length);
    const target = records.find((r) => r.eventName === 'CreateUser');
    await search(page, 'action:CreateUser');
    await waitCount(page, 1);
    await page.locator(tid('event-row')).first().click();
    const detail = page.locator(tid('event-detail'));
    await detail.waitFor();
    assert.equal(await detail.getAttribute('data-event-id'), target.eventID);
    assert.match(await page.textContent(tid('detail-summary')), /CreateUser/);
    const tree = await page.textContent(tid('json-tree'));
    assert.ok(tree.includes(target.userIdentity.arn ?? target.eventID), 'the tree shows the record');
    await screenshot(page, 'detail');

    // Copy the whole record: the clipboard holds it, parsed equal to the original.
    await page.click(tid('copy-event'));
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    assert.deepEqual(copied, target);

    // Pivot on the source IP: every event from that address.
    await search(page, '');
    await waitCount(page, records.length);
    const ipPivot = page.locator(`${tid('pivot')}[data-pivot="ip"]`);
    await ipPivot.click();
    const n = records.filter((r) => r.sourceIPAddress === target.sourceIPAddress).length;
    await waitCount(page, n);
    assert.match(await page.inputValue(tid('search-input')), /ip:/);

    // Previous / next walk the list; close hides the panel.
    const before = await detail.getAttribute('data-event-id');
    await page.click(tid('detail-next'));
    await page.waitForFunction(([sel, id]) => document.querySelector(sel)?.dataset.eventId !== id, [tid('event-detail'), before]);
    await page.click(tid('detail-prev'));
    await page.waitForFunction(([sel, id]) => document.querySelector(sel)?.dataset.eventId === id, [tid('event-detail'), before]);
    await page.click(tid('detail-close'));
    await detail.waitFor({ state: 'detached' });
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('an Insight event shows its statistics', async (t) => {
  const app = await openApp(browser);
  const { page } = app;
  try {
    await dropFiles(page, [{ path: OTEL }]);
    await waitLoaded(page, records.length);
    await search(page, 'eventtype:AwsCloudTrailInsight');
    await waitCount(page, 1);
    await page.locator(tid('event-row')).first().click();
    await page.locator(tid('insight-stats')).waitFor();
    const insight = records.find((r) => r.eventType === 'AwsCloudTrailInsight');
    assert.equal(await page.getAttribute(tid('event-detail'), 'data-event-id'), insight.eventID);
    const stats = await page.textContent(tid('insight-stats'));
    const baseline = insight.insightDetails.insightContext.statistics.baseline.average;
    assert.ok(stats.includes(String(baseline).slice(0, 4)), `baseline ${baseline} in ${stats}`);
    await screenshot(page, 'insight');
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});
