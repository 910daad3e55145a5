// End-to-end: the time histogram (stacked by service, exact tooltips, click and brush to narrow
// the time range) and the per-service panel, over real corpus data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, launch, openApp, tid, count, waitLoaded, dropFiles, assertClean, screenshot, waitCount } from './harness.mjs';

const STRATUS = join(CORPUS, 'stratus-red-team');
const files = readdirSync(STRATUS).filter((f) => f.endsWith('.json')).sort().map((f) => ({ path: join(STRATUS, f) }));
const events = files.flatMap((f) => JSON.parse(readFileSync(f.path, 'utf8')));

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const matchCount = (page) => count(page, 'match-count');

test('the histogram counts every timed event; a bar click and a brush narrow the time range', async (t) => {
  const app = await openApp(browser);
  const { page } = app;
  try {
    await dropFiles(page, files);
    await waitLoaded(page, events.length);
    // Every row is exactly as wide as the header, so the last column (Error, with long codes like
    // Client.UnauthorizedOperation here) ends in an ellipsis instead of growing per row.
    const widths = await page.evaluate(() => ({
      head: document.querySelector('[data-testid="table-header"]').getBoundingClientRect().width,
      rows: [...document.querySelectorAll('[data-testid="event-row"]')].map((r) => r.getBoundingClientRect().width),
    }));
    assert.ok(widths.rows.length > 5 && widths.rows.every((w) => Math.abs(w - widths.head) < 1), JSON.stringify(widths));
    const bars = page.locator(tid('histogram-bar'));
    await bars.first().waitFor();
    const counts = await bars.evaluateAll((els) => els.map((e) => Number(e.dataset.count)));
    assert.equal(counts.reduce((a, b) => a + b, 0), events.filter((e) => e.eventTime).length);
    assert.equal(await page.textContent(tid('histogram-tz')), 'UTC');

    // Hover: the tooltip shows the bar's exact total.
    const biggest = counts.indexOf(Math.max(...counts));
    const bar = bars.nth(biggest);
    await bar.hover();
    const tip = await page.textContent(tid('histogram-tooltip'));
    assert.ok(tip.replace(/,/g, '').includes(String(counts[biggest])), `tooltip has ${counts[biggest]}: ${tip}`);
    await screenshot(page, 'histogram');

    // Click: that bucket only.
    await bar.click();
    await waitCount(page, counts[biggest]);
    await page.locator(tid('time-range')).waitFor();
    await page.click(`${tid('time-range')} button`);
    await waitCount(page, events.length);

    // Brush across the whole plot: every timed event stays.
    const box = await page.locator(`${tid('histogram')} svg`).first().boundingBox();
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.locator(tid('time-range')).waitFor();
    const n = await matchCount(page);
    assert.ok(n > 0 && n <= events.length, `brushed ${n}`);
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('the services panel summarises each service and clicking one filters to it', async (t) => {
  const app = await openApp(browser);
  const { page } = app;
  try {
    await dropFiles(page, files);
    await waitLoaded(page, events.length);
    await page.click(tid('tab-services'));
    const panel = page.locator(tid('service-chart'));
    await panel.waitFor();
    const cards = page.locator(tid('service-card'));
    const services = new Set(events.map((e) => e.eventSource));
    assert.ok(await cards.count() >= Math.min(services.size, 12));
    const first = cards.first();
    const svc = await first.getAttribute('data-service');
    const n = events.filter((e) => e.eventSource === svc).length;
    assert.equal(Number((await first.locator('.svc-events').textContent()).replace(/[^0-9]/g, '')), n);
    await screenshot(page, 'services');
    await first.locator('.svc-name').click();
    await waitCount(page, n);
    assert.equal(await page.inputValue(tid('search-input')), `service:${svc}`);
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});
