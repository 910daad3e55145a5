// End-to-end: accessibility. axe-core audits the main screens against WCAG 2.1 A and AA (roles
// and their required children, names and labels, colour contrast in both themes), and every
// screen must have zero violations.
//
// axe is evaluated in the page through the DevTools protocol (`page.evaluate` of its source):
// the page's Content-Security-Policy allows no inline script, so a <script> tag would be refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { OUT, launch, openApp, tid, waitLoaded, waitRows, assertClean } from './harness.mjs';
import { writeBucket } from './bucket.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Runs axe on the whole page; returns the violations as readable lines (empty when none). */
async function audit(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}\n      ${n.failureSummary.replace(/\n/g, '\n      ')}`),
    }));
  }, WCAG);
  return violations.map((v) => {
    const nodes = v.nodes.slice(0, 5).map((n) => `    ${n}`).join('\n');
    const more = v.nodes.length > 5 ? `\n    … and ${v.nodes.length - 5} more` : '';
    return `${v.id} (${v.impact}, ${v.nodes.length} element(s)): ${v.help}\n${nodes}${more}`;
  });
}

async function assertAccessible(page, screen) {
  const found = await audit(page);
  assert.equal(found.length, 0, `${screen}: ${found.length} axe violation(s):\n${found.join('\n')}`);
}

/** The app with the built-in sample loaded and the table's rows shown. */
async function loaded(options) {
  const app = await openApp(browser, options);
  await app.page.click(tid('load-sample'));
  await waitLoaded(app.page);
  await app.page.locator(tid('event-row')).first().waitFor();
  await waitRows(app.page);
  return app;
}

async function openDetail(page) {
  await page.locator(tid('event-row')).first().click();
  await page.locator(tid('json-tree')).waitFor();
}

async function openDetections(page) {
  await page.click(tid('tab-detections'));
  await page.locator(tid('detection')).first().waitFor();
  await page.locator(tid('attack-matrix')).waitFor();
}

async function openServices(page) {
  await page.click(tid('tab-services'));
  await page.locator(tid('service-card')).first().waitFor();
}

for (const colorScheme of ['light', 'dark']) {
  test(`the empty screen is accessible (${colorScheme})`, async (t) => {
    const app = await openApp(browser, { colorScheme });
    try {
      await assertAccessible(app.page, `empty, ${colorScheme}`);
      await assertClean(t, app, assert);
    } finally { await app.close(); }
  });

  test(`the loaded table, the event detail and the services panel are accessible (${colorScheme})`, async (t) => {
    const app = await loaded({ colorScheme });
    const { page } = app;
    try {
      await assertAccessible(page, `loaded, ${colorScheme}`);
      await openDetail(page);
      await assertAccessible(page, `detail open, ${colorScheme}`);
      await openServices(page);
      await assertAccessible(page, `services panel, ${colorScheme}`);
      await assertClean(t, app, assert);
    } finally { await app.close(); }
  });

  test(`the detections view, its matrix, the swimlane and the matched rules are accessible (${colorScheme})`, async (t) => {
    const app = await loaded({ colorScheme });
    const { page } = app;
    try {
      await page.locator(tid('swimlane-lane')).first().waitFor();
      await openDetections(page);
      await assertAccessible(page, `detections view, ${colorScheme}`);
      await page.locator(tid('detection-open')).first().click();
      await page.locator(tid('event-row')).first().click();
      await page.locator(tid('matched-rules')).waitFor();
      await assertAccessible(page, `a detection's events with the detail, ${colorScheme}`);
      await assertClean(t, app, assert);
    } finally { await app.close(); }
  });

  test(`the "Choose what to read" panel and the files left out are accessible (${colorScheme})`, async (t) => {
    const dir = join(OUT, `a11y-bucket-${colorScheme}`);
    writeBucket(dir);
    const app = await openApp(browser, { colorScheme });
    const { page } = app;
    try {
      await page.setInputFiles(`${tid('drop-zone')} input[webkitdirectory]`, dir);
      await page.locator(tid('load-choice')).waitFor();
      await page.click(`${tid('choice-day')}[data-day="2024-03-02"]`);
      await assertAccessible(page, `choice panel, ${colorScheme}`);
      await page.click(tid('read-selected'));
      await waitLoaded(page);
      await page.locator(tid('left-out-count')).waitFor();
      await page.click(`${tid('left-out-files')} > summary`);
      await page.locator(`${tid('file-status')}[data-status="left-out"]`).first().waitFor();
      await assertAccessible(page, `files left out, ${colorScheme}`);
      await assertClean(t, app, assert);
    } finally { await app.close(); rmSync(dir, { recursive: true, force: true }); }
  });
}

test('the help overlay and the explicit dark theme are accessible', async (t) => {
  const app = await loaded();
  const { page } = app;
  try {
    // System → dark: the theme chosen in the app, not the browser's preference.
    await page.click(tid('theme-toggle'));
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await assertAccessible(page, 'loaded, dark theme chosen');
    await page.click(tid('help-button'));
    await page.locator(tid('help')).waitFor();
    await assertAccessible(page, 'help overlay');
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});
