// End-to-end: the viewer as a responder uses it — search, facets, sort, columns, export, the
// URL, the keyboard, offline. Expected answers are computed here from the corpus files with
// plain JSON.parse, independently of the app's engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  CORPUS, launch, openApp, tid, count, waitLoaded, dropFiles, assertClean, screenshot, search, waitCount,
} from './harness.mjs';

const STRATUS = join(CORPUS, 'stratus-red-team');
const files = readdirSync(STRATUS).filter((f) => f.endsWith('.json')).sort().map((f) => ({ path: join(STRATUS, f) }));
const events = files.flatMap((f) => JSON.parse(readFileSync(f.path, 'utf8')));
const where = (pred) => events.filter(pred).length;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function loaded(opts) {
  const app = await openApp(browser, opts);
  await dropFiles(app.page, files);
  await waitLoaded(app.page, events.length);
  return app;
}

test('field search, free text, boolean queries and time ranges give exact counts', async (t) => {
  const app = await loaded();
  const { page } = app;
  try {
    await search(page, 'action:GetPasswordData');
    await waitCount(page, where((e) => e.eventName === 'GetPasswordData'));
    await search(page, 'action:Describe*');
    await waitCount(page, where((e) => e.eventName?.startsWith('Describe')));
    await search(page, 'service:ec2 -action:Describe*');
    await waitCount(page, where((e) => e.eventSource === 'ec2.amazonaws.com' && !e.eventName?.startsWith('Describe')));
    await search(page, 'action:GetSecretValue OR action:AssumeRole');
    await waitCount(page, where((e) => ['GetSecretValue', 'AssumeRole'].includes(e.eventName)));
    await search(page, 'error:*');
    await waitCount(page, where((e) => !!e.errorCode));
    const times = events.map((e) => Date.parse(e.eventTime)).sort((a, b) => a - b);
    const mid = new Date(times[Math.floor(times.length / 2)]).toISOString().slice(0, 19);
    await search(page, `time>=${mid}`);
    await waitCount(page, times.filter((x) => x >= Date.parse(`${mid}Z`)).length);
    // free text, case-insensitive
    await search(page, 'getpassworddata');
    await waitCount(page, events.filter((e) => JSON.stringify(e).toLowerCase().includes('getpassworddata')).length);
    await screenshot(page, 'search');
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('a bad query shows its error at its position and keeps the last answer', async (t) => {
  const app = await loaded();
  const { page } = app;
  try {
    await search(page, 'action:GetPasswordData');
    const want = where((e) => e.eventName === 'GetPasswordData');
    await waitCount(page, want);
    await search(page, 'action:GetPasswordData AND (region:us-east-1');
    const err = page.locator(tid('query-error'));
    await err.waitFor();
    const text = await err.textContent();
    assert.match(text, /at character \d+/);
    assert.equal(await count(page, 'match-count'), want, 'still the last valid answer');
    await screenshot(page, 'query-error');
    await search(page, 'action:GetPasswordData');
    await err.waitFor({ state: 'detached' });
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('facets count the current result; include and exclude narrow it', async (t) => {
  const app = await loaded();
  const { page } = app;
  try {
    const facet = page.locator(`${tid('facet')}[data-field="service"]`);
    await facet.waitFor();
    const first = facet.locator('.facet-value').first();
    const value = await first.getAttribute('data-value');
    const n = where((e) => e.eventSource === value);
    assert.equal(Number((await first.locator('.facet-count').textContent()).replace(/[^0-9]/g, '')), n);
    await first.locator(tid('facet-include')).click();
    await waitCount(page, n);
    assert.match(await page.inputValue(tid('search-input')), /^service:/);
    await search(page, '');
    await waitCount(page, events.length);
    await page.locator(`${tid('facet')}[data-field="service"] .facet-value`).first().locator(tid('facet-exclude')).click();
    await waitCount(page, events.length - n);
    assert.equal(await page.locator(`${tid('facet')}[data-field]`).count() >= 9, true);
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('columns sort, and a nested field can be added as a column', async (t) => {
  const app = await loaded();
  const { page } = app;
  try {
    const names = events.map((e) => e.eventName ?? '').sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    // The worker answers each sort; wait for the first row's action to be the expected one.
    const firstActionIs = (want) => page.waitForFunction(([sel, w]) => {
      const cell = document.querySelector(sel)?.querySelectorAll('.cell')[3];
      return cell?.textContent.toLowerCase() === w;
    }, [tid('event-row'), want.toLowerCase()]);
    await page.click(`${tid('column-header')}[data-column="action"]`);
    await firstActionIs(names[0]);
    await page.click(`${tid('column-header')}[data-column="action"]`);
    await firstActionIs(names[names.length - 1]);

    await page.click(`${tid('column-chooser')} summary`);
    await page.fill(tid('column-path-input'), 'requestParameters.secretId');
    await page.click(tid('column-path-add'));
    await page.keyboard.press('Escape');
    assert.equal(await page.locator(`${tid('column-header')}[data-column="requestParameters.secretId"]`).count(), 1);
    await search(page, 'action:GetSecretValue');
    await waitCount(page, where((e) => e.eventName === 'GetSecretValue'));
    const secretIds = new Set(events.filter((e) => e.eventName === 'GetSecretValue').map((e) => e.requestParameters?.secretId));
    const cell = await page.locator(tid('event-row')).first().locator('.cell').last().textContent();
    assert.ok(secretIds.has(cell), `a secretId from the data: ${cell}`);
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('columns resize by dragging their edge; recent searches are offered again', async (t) => {
  const app = await loaded();
  const { page } = app;
  try {
    const header = page.locator(`${tid('column-header')}[data-column="user"]`);
    const before = (await header.boundingBox()).width;
    const handle = (await header.locator(tid('column-resize')).boundingBox());
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + 90, handle.y + handle.height / 2, { steps: 6 });
    await page.mouse.up();
    const after = (await header.boundingBox()).width;
    assert.ok(Math.abs(after - before - 90) <= 3, `width ${before} → ${after}`);
    const cell = await page.locator(tid('event-row')).first().locator('.cell').nth(1).boundingBox();
    assert.ok(Math.abs(cell.width - after) <= 3, 'the rows follow the header');
    assert.doesNotMatch(page.url(), /cols=/, 'widths are not part of the shared view');

    await search(page, 'service:ec2');
    await search(page, 'action:GetSecretValue');
    const offered = await page.$$eval('#recent-queries option', (els) => els.map((e) => e.value));
    assert.deepEqual(offered.slice(0, 2), ['action:GetSecretValue', 'service:ec2']);
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('export downloads the current result as JSON and as injection-safe CSV', async (t) => {
  const app = await openApp(browser);
  const { page } = app;
  try {
    const evil = {
      Records: [
        { eventVersion: '1.08', eventTime: '2024-03-01T10:00:00Z', eventSource: 's3.amazonaws.com', eventName: '=HYPERLINK("http://x","y")', awsRegion: 'us-east-1', eventID: 'x1', userIdentity: { type: 'IAMUser', userName: '+cmd|calc' } },
        { eventVersion: '1.08', eventTime: '2024-03-01T10:00:01Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: 'us-east-1', eventID: 'x2', userIdentity: { type: 'IAMUser', userName: '@sum, "quoted"' } },
      ],
    };
    await dropFiles(page, [{ name: 'evil.json', bytes: Buffer.from(JSON.stringify(evil)) }]);
    await waitLoaded(page, 2);
    const [csvDl] = await Promise.all([page.waitForEvent('download'), page.click(tid('export-csv'))]);
    const csv = readFileSync(await csvDl.path(), 'utf8');
    assert.match(csv, /'=HYPERLINK\(""http:\/\/x"",""y""\)/, csv);
    assert.match(csv, /'\+cmd\|calc/);
    assert.match(csv, /"'@sum, ""quoted"""/);
    const [jsonDl] = await Promise.all([page.waitForEvent('download'), page.click(tid('export-json'))]);
    const out = JSON.parse(readFileSync(await jsonDl.path(), 'utf8'));
    assert.equal(out.Records.length, 2);
    assert.deepEqual(out.Records.map((r) => r.eventID).sort(), ['x1', 'x2']);
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('the URL keeps the view: reload restores it, back and forward step through searches', async (t) => {
  const app = await loaded();
  const { page } = app;
  try {
    await search(page, 'service:ec2');
    await waitCount(page, where((e) => e.eventSource === 'ec2.amazonaws.com'));
    await search(page, 'action:GetPasswordData');
    await waitCount(page, where((e) => e.eventName === 'GetPasswordData'));
    await page.locator(tid('event-row')).first().click();
    await page.waitForFunction(() => location.hash.includes('ev='));
    const url = page.url();
    assert.match(url, /q=action%3AGetPasswordData/);
    await page.goBack();
    await page.waitForFunction(() => decodeURIComponent(location.hash).includes('service:ec2'));
    await waitCount(page, where((e) => e.eventSource === 'ec2.amazonaws.com'));
    assert.equal(await page.inputValue(tid('search-input')), 'service:ec2');
    await page.goForward();
    await waitCount(page, where((e) => e.eventName === 'GetPasswordData'));
    // A fresh tab on the link, then the same files: the search and the selected event come back.
    const selectedId = decodeURIComponent(new URL(url).hash.match(/ev=([^&]*)/)[1]);
    const again = await browser.newPage();
    try {
      await again.goto(url);
      await again.waitForSelector(tid('drop-zone'));
      await dropFiles(again, files);
      await waitCount(again, where((e) => e.eventName === 'GetPasswordData'));
      assert.equal(await again.inputValue(tid('search-input')), 'action:GetPasswordData');
      // The worker finds the linked event once the files that bring it are read.
      await again.waitForSelector(`${tid('event-row')}.selected`);
      const selected = await again.locator(`${tid('event-row')}.selected`).count();
      assert.equal(selected, 1, `event ${selectedId} is selected again`);
      assert.equal(await again.getAttribute(tid('event-detail'), 'data-event-id'), selectedId);
    } finally { await again.close(); }
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('keyboard: / focuses search, j/k move the selection, ? opens help, Esc closes', async (t) => {
  const app = await loaded();
  const { page } = app;
  try {
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'search-input');
    await page.keyboard.press('Escape');
    // The worker answers each step; wait for the selection to move (or to come back).
    const selected = `${tid('event-row')}.selected`;
    const waitSelected = (test) => page.waitForFunction(([sel, t]) => {
      const row = document.querySelector(sel)?.dataset.row;
      return row !== undefined && (t.not === undefined || row !== t.not) && (t.is === undefined || row === t.is);
    }, [selected, test]);
    await page.locator('body').press('j');
    await waitSelected({});
    const first = await page.locator(selected).getAttribute('data-row');
    await page.keyboard.press('j');
    await waitSelected({ not: first });
    const second = await page.locator(selected).getAttribute('data-row');
    assert.notEqual(first, second);
    await page.keyboard.press('k');
    await waitSelected({ is: first });
    assert.equal(await page.locator(selected).getAttribute('data-row'), first);
    await page.keyboard.press('?');
    await page.locator(tid('help')).waitFor();
    await screenshot(page, 'help');
    await page.keyboard.press('Escape');
    await page.locator(tid('help')).waitFor({ state: 'detached' });
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('dark theme renders the loaded view', async (t) => {
  const app = await loaded({ colorScheme: 'dark' });
  try {
    await screenshot(app.page, 'dark');
    const bg = await app.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(15, 18, 23)');
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('after one visit the app opens and reads files with no network', async (t) => {
  const app = await openApp(browser);
  const { page } = app;
  try {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null || navigator.serviceWorker.ready, null, { timeout: 10_000 });
    await page.evaluate(() => navigator.serviceWorker.ready);
    await app.context.setOffline(true);
    await page.reload();
    await page.waitForSelector(tid('drop-zone'));
    assert.equal(await page.evaluate(() => navigator.onLine), false);
    await dropFiles(page, files.slice(0, 3));
    const want = files.slice(0, 3).reduce((n, f) => n + JSON.parse(readFileSync(f.path, 'utf8')).length, 0);
    await waitLoaded(page, want);
    await screenshot(page, 'offline');
  } finally {
    await app.context.setOffline(false);
    await app.close();
  }
});

test('"Worth a look" counts the findings over everything loaded, and a click shows their events', async (t) => {
  const app = await openApp(browser);
  const { page } = app;
  try {
    await dropFiles(page, files);
    await waitLoaded(page, events.length);
    await page.locator(tid('findings')).waitFor();
    // The findings are rules of the detection engine now (crates/core/rules/trailglass/findings,
    // each with a stable id); their counts are those of the Detections view, where every
    // detection is listed ("Worth a look" shows the most severe few).
    const FINDING_RULES = {
      logging: 'd6739086-53e5-5293-8ccc-c6a5d05439b9',
      secrets: '942baaab-918c-5e79-a26c-188df26ca9b1',
      denied: 'c2e5c1cf-ec38-52ce-86c4-3d42d5cd7d45',
      kms: 'd71006c0-ca47-5598-a817-a25ea80d05a5',
    };
    await page.click(tid('tab-detections'));
    await page.locator(tid('detection')).first().waitFor();
    const byRule = Object.fromEntries(await page.$$eval(tid('detection'), (els) => els.map((e) => [e.dataset.rule, Number(e.dataset.count)])));
    const shown = Object.fromEntries(Object.entries(FINDING_RULES).map(([id, rule]) => [id, byRule[rule]]));
    // Independent counts from the files.
    const named = (...names) => where((e) => names.includes(e.eventName));
    const want = {
      logging: named('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'),
      secrets: named('GetSecretValue', 'BatchGetSecretValue', 'GetPasswordData'),
      denied: where((e) => /accessdenied|unauthorized/i.test(e.errorCode ?? '')),
    };
    for (const [id, n] of Object.entries(want)) {
      assert.ok(n > 0, `the corpus has ${id} events`);
      assert.equal(shown[id], n, `${id}: ${JSON.stringify(shown)}`);
    }
    // A finding with no events is not listed.
    assert.equal(shown.kms, undefined);
    // Narrowing the view does not change them; clicking one shows its events.
    await page.click(tid('tab-events'));
    await search(page, 'service:s3');
    await page.click(`${tid('finding')}[data-id="${FINDING_RULES.logging}"]`);
    await waitCount(page, want.logging);
    assert.equal(await page.inputValue(tid('search-input')), `rule:${FINDING_RULES.logging}`);
    assert.equal(await page.getAttribute(`${tid('finding')}[data-id="${FINDING_RULES.logging}"]`, 'class'), 'finding active');
    await screenshot(page, 'findings');
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});
