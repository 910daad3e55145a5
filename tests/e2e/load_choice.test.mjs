// End-to-end: the load-time filter, tried as a new user would. A generated bucket tree (three
// accounts, two regions, seven days, digest files, an NDJSON export) is picked as a folder; the
// "Choose what to read" panel shows what it holds before anything is read; the user picks one
// day and one account (or drops read-only events, or reads everything, or cancels), and the
// counts and the file list say what was read and what was left out by choice. Expected numbers
// come from the generator (tests/e2e/bucket.mjs), not from the app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { OUT, launch, openApp, tid, count, text, waitLoaded, assertClean, screenshot } from './harness.mjs';
import { ACCOUNTS, DAYS, REGIONS, FILES_PER_PLACE, writeBucket, tally } from './bucket.mjs';

const DIR = join(OUT, 'bucket-tree');
const folderPicker = `${tid('drop-zone')} input[webkitdirectory]`;
const filePicker = `${tid('drop-zone')} input[type=file]:not([webkitdirectory])`;

let browser; let files;
before(async () => { browser = await launch(); files = writeBucket(DIR); });
after(async () => { await browser?.close(); rmSync(DIR, { recursive: true, force: true }); });

const all = () => tally(files);
/** A count as the page writes it (`1,030`). */
const fmt = (n) => n.toLocaleString('en-US');

/** Picks the tree as a folder and waits for the panel. */
async function pickTree(page) {
  await page.setInputFiles(folderPicker, DIR);
  await page.waitForSelector(tid('load-choice'));
}

/** Lines of the file list by status. */
async function fileStates(page) {
  return page.$$eval(tid('file-status'), (els) => els.map((e) => ({
    status: e.dataset.status, path: e.getAttribute('title'), summary: e.querySelector('.file-summary').textContent,
  })));
}

test('the panel shows the tree before reading; one day of one account is read, the rest left out by choice', async (t) => {
  const app = await openApp(browser);
  const { page } = app;
  try {
    await pickTree(page);
    // Nothing is read yet.
    assert.equal(await page.locator(tid('progress')).count(), 0);
    assert.equal(await page.locator(tid('file-status')).count(), 0);
    const total = all();
    assert.match(await text(page, 'choice-summary'), new RegExp(`^Reading ${fmt(total.files)} of ${fmt(total.files)} files, `));
    assert.deepEqual(await page.$$eval(tid('choice-day'), (els) => els.map((e) => e.dataset.day)), DAYS);
    assert.deepEqual(await page.$$eval(tid('choice-account'), (els) => els.map((e) => e.dataset.name)), ACCOUNTS);
    assert.deepEqual(await page.$$eval(tid('choice-region'), (els) => els.map((e) => e.dataset.name)), REGIONS);
    // Each day says its log files (digests apart).
    const perDay = ACCOUNTS.length * REGIONS.length * FILES_PER_PLACE;
    assert.deepEqual(await page.$$eval(`${tid('choice-day')} .day-size`, (els) => els.slice(0, 1).map((e) => e.textContent)), [`${perDay} files`]);
    await screenshot(page, 'load-choice-light');
    // Keyboard: the focus starts on Read selected and Tab stays in the dialog.
    const focused = () => page.evaluate(() => document.activeElement?.dataset.testid);
    assert.equal(await focused(), 'read-selected');
    await page.focus(tid('choice-cancel'));
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'choice-from');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(), 'choice-cancel');

    // One day, one account.
    const day = '2024-03-04'; const account = ACCOUNTS[1];
    await page.click(`${tid('choice-day')}[data-day="${day}"]`);
    for (const a of ACCOUNTS.filter((a) => a !== account)) await page.click(`${tid('choice-account')}[data-name="${a}"]`);
    assert.equal(await page.getAttribute(`${tid('choice-day')}[data-day="${day}"]`, 'aria-pressed'), 'true');
    assert.equal(await page.getAttribute(`${tid('choice-day')}[data-day="2024-03-05"]`, 'aria-pressed'), 'false');
    assert.equal(await page.inputValue(tid('choice-from')), day);
    assert.equal(await page.inputValue(tid('choice-to')), day);
    const chosen = files.filter((f) => f.other || (f.day === day && f.account === account));
    const want = tally(chosen);
    assert.match(await text(page, 'choice-summary'), new RegExp(`^Reading ${fmt(want.files)} of ${fmt(total.files)} files, `));
    await screenshot(page, 'load-choice-one-day');

    // Enter reads the choice (the focus is on the last checkbox clicked).
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('load-choice'), { state: 'detached' });
    await waitLoaded(page, want.events);
    assert.equal(await count(page, 'loaded-count'), want.events);
    // The files left out are one folded line until opened.
    assert.equal(await page.locator(`${tid('file-status')}[data-status="left-out"]`).count(), 0);
    assert.equal(await text(page, 'left-out-files'), `${fmt(total.files - want.files)} files left out by choice (load filter): not read`);
    await page.click(`${tid('left-out-files')} > summary`);
    // The folded lines render once it opens (a frame after the click, not within it).
    await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length >= n,
      [tid('file-status'), total.files], { timeout: 10_000 }).catch(() => {});
    const lines = await fileStates(page);
    assert.equal(lines.length, total.files, 'every file has a line');
    const left = lines.filter((l) => l.status === 'left-out');
    assert.equal(left.length, total.files - want.files);
    assert.ok(left.every((l) => /^left out by choice \(load filter\); [\d.]+ (B|KB) not read$/.test(l.summary)), left[0]?.summary);
    assert.equal(await count(page, 'left-out-count'), total.files - want.files);
    const read = lines.filter((l) => l.status !== 'left-out');
    assert.deepEqual(read.map((l) => l.path).sort(), chosen.map((f) => f.path).sort(), 'exactly the chosen files were read');
    assert.ok(read.filter((l) => l.path.includes('CloudTrail-Digest')).every((l) => l.status === 'skipped'), 'digests are not events');
    assert.equal(await page.locator(tid('filtered-count')).count(), 0, 'no events were left out');
    await page.click(`${tid('left-out-files')} > summary`); // fold them again, for the picture
    await page.$eval('#file-list h2', (h) => h.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'load-choice-file-list');
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('read-only events left out at load are counted, and the counts reconcile', async (t) => {
  const app = await openApp(browser, { colorScheme: 'dark' });
  const { page } = app;
  try {
    await pickTree(page);
    await page.check(tid('choice-drop-read-only'));
    // Two days by the date fields; every account and region.
    await page.fill(tid('choice-from'), '2024-03-06');
    await page.fill(tid('choice-to'), '2024-03-07');
    const chosen = files.filter((f) => f.other || f.day >= '2024-03-06');
    const want = tally(chosen);
    assert.match(await text(page, 'choice-summary'), new RegExp(`^Reading ${fmt(want.files)} of `));
    await screenshot(page, 'load-choice-dark');
    await page.click(tid('read-selected'));
    await waitLoaded(page, want.events - want.readOnly);
    assert.equal(await count(page, 'filtered-count'), want.readOnly);
    // read = kept + duplicates + rejected + filtered, and the file lines say it per file.
    assert.equal(await count(page, 'loaded-count') + await count(page, 'filtered-count'), want.events);
    assert.equal(await page.locator(tid('duplicate-count')).count(), 0);
    assert.equal(await page.locator(tid('rejected-count')).count(), 0);
    await page.click(`${tid('left-out-files')} > summary`);
    // The folded lines render a frame after the click (as in the test above).
    await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length >= n,
      [`${tid('file-status')}[data-status="left-out"]`, files.length - chosen.length], { timeout: 10_000 }).catch(() => {});
    const lines = await fileStates(page);
    const log = lines.find((l) => l.path.endsWith('_f0.json') && l.path.includes('/2024/03/06/'));
    const f = chosen.find((c) => c.path === log.path);
    const ro = f.events.filter((e) => e.readOnly).length;
    assert.equal(log.summary, `${f.events.length} events, ${ro} read-only left out by choice`);
    assert.equal(lines.filter((l) => l.status === 'left-out').length, files.length - chosen.length);
    await screenshot(page, 'load-choice-read-only-dark');
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('Escape reads nothing; Read everything reads every file; a small drop is read at once', async (t) => {
  const app = await openApp(browser);
  const { page } = app;
  try {
    await pickTree(page);
    await page.keyboard.press('Escape');
    await page.waitForSelector(tid('load-choice'), { state: 'detached' });
    assert.equal(await page.locator(tid('empty-state')).count(), 1, 'nothing was read');
    await pickTree(page);
    await page.click(tid('read-everything'));
    const total = all();
    await waitLoaded(page, total.events);
    assert.equal(await page.locator(tid('left-out-count')).count(), 0);
    assert.equal(await page.locator(tid('file-status')).count(), total.files);
    await page.click(tid('clear'));
    // A few keyed files over several days: read at once, no panel.
    const few = files.filter((f) => !f.digest && !f.other && f.account === ACCOUNTS[0] && f.region === REGIONS[0]).slice(0, 12);
    await page.setInputFiles(filePicker, few.map((f) => join(OUT, f.path)));
    await waitLoaded(page, tally(few).events);
    assert.equal(await page.locator(tid('load-choice')).count(), 0);
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});
