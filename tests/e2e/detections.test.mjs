// End-to-end: the Detections view as a responder uses it — the rules that matched the
// stratus-red-team detonations with their level, author and count, the ATT&CK matrix, the
// swimlane under the histogram, a click that shows a rule's events, the event detail's matched
// rules, the user's own rules (dropped, remembered, removed, broken), the exports and the
// keyboard. Expected counts are computed here from the corpus files with plain JSON.parse,
// independently of the app's engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  CORPUS, launch, openApp, tid, waitLoaded, dropFiles, assertClean, screenshot, waitCount,
} from './harness.mjs';

const STRATUS = join(CORPUS, 'stratus-red-team');
const files = readdirSync(STRATUS).filter((f) => f.endsWith('.json')).sort().map((f) => ({ path: join(STRATUS, f) }));
const events = files.flatMap((f) => JSON.parse(readFileSync(f.path, 'utf8')));
const where = (pred) => events.filter(pred).length;

// SigmaHQ's "AWS CloudTrail Important Change" (rules/sigmahq/aws_cloudtrail_disable_logging.yml).
const TRAIL_RULE = '4db60cc0-36fb-42b7-9b58-a5b53019fb74';
const trailEvents = where((e) => e.eventSource === 'cloudtrail.amazonaws.com'
  && ['StopLogging', 'UpdateTrail', 'DeleteTrail'].includes(e.eventName));

const MY_RULE_ID = '5a1f0c3e-2b7d-4e8a-9c61-0d2e3f4a5b6c';
const myRule = `title: 'E2E: <b>Windows passwords</b> read'
id: ${MY_RULE_ID}
status: experimental
author: The e2e test
tags:
    - attack.credential-access
    - attack.t1552.005
logsource:
    product: aws
    service: cloudtrail
detection:
    selection:
        eventName: GetPasswordData
    condition: selection
level: critical
`;
const myRuleEvents = where((e) => e.eventName === 'GetPasswordData');
const brokenRule = `title: Broken on purpose
id: 0b6e8a52-6a8e-4d0b-8d7f-9e1f2a3b4c5d
logsource:
    product: aws
detection:
    selection:
        eventName|frobnicate: StopLogging
    condition: selection
level: low
`;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function loaded(opts, extra = []) {
  const app = await openApp(browser, { viewport: { width: 1400, height: 900 }, ...opts });
  await dropFiles(app.page, [...files, ...extra]);
  await waitLoaded(app.page, events.length);
  return app;
}

async function openDetections(page) {
  await page.click(tid('tab-detections'));
  await page.locator(tid('detections-view')).waitFor();
  await page.locator(tid('detection')).first().waitFor();
}

const card = (rule) => `${tid('detection')}[data-rule="${rule}"]`;

test('the Detections view lists the rules that matched, with level, author and count, and a click shows their events', async (t) => {
  // A zone east of UTC, to see first/last seen follow the time-zone toggle.
  const app = await loaded({ timezoneId: 'Asia/Kolkata' });
  const { page } = app;
  try {
    await openDetections(page);
    assert.ok(trailEvents > 0, 'the corpus stops or deletes a trail');
    const trail = page.locator(card(TRAIL_RULE));
    await trail.waitFor();
    assert.equal(Number(await trail.getAttribute('data-count')), trailEvents);
    assert.equal(await trail.locator(tid('detection-count')).textContent(), `${trailEvents} events`);
    assert.equal((await trail.locator(tid('detection-author')).textContent()).trim(), 'by vitaliy0x1');
    assert.equal(await trail.locator(tid('detection-level')).textContent(), 'Medium', 'the level in words');
    assert.match(await trail.locator('.det-title').textContent(), /CloudTrail Important Change/);
    assert.match(await trail.locator(tid('detection-seen')).textContent(), /^2024-07-31 .* UTC$/);
    assert.deepEqual(await trail.locator(tid('detection-technique')).allTextContents(), ['T1685.002']);
    // Most severe first, every level also written out.
    const levels = await page.$$eval(tid('detection'), (els) => els.map((e) => e.dataset.level));
    const rank = ['informational', 'low', 'medium', 'high', 'critical'];
    assert.deepEqual(levels, [...levels].sort((a, b) => rank.indexOf(b) - rank.indexOf(a)));
    const words = await page.$$eval(`${tid('detection')} ${tid('detection-level')}`, (els) => els.map((e) => e.textContent));
    assert.ok(words.every((w) => ['Critical', 'High', 'Medium', 'Low', 'Info'].includes(w)), words.join());
    await screenshot(page, 'detections-view');

    // The time zone applies to first/last seen.
    const seen = `${card(TRAIL_RULE)} ${tid('detection-seen')}`;
    await page.click(tid('timezone-toggle'));
    await page.waitForFunction((sel) => /^2024-07-31 1[78]:.* UTC\+05:30$/.test(document.querySelector(sel)?.textContent), seen);
    await page.click(tid('timezone-toggle'));
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.endsWith(' UTC'), seen);

    // Its title is a button: the rule's events, in the table.
    await trail.locator(tid('detection-open')).click();
    await waitCount(page, trailEvents);
    assert.equal(await page.inputValue(tid('search-input')), `rule:${TRAIL_RULE}`);
    assert.equal(await page.getAttribute(tid('tab-events'), 'aria-selected'), 'true');
    const actions = await page.$$eval(`${tid('event-row')}`, (rows) => rows.map((r) => r.textContent));
    assert.equal(actions.length, trailEvents);
    assert.ok(actions.every((a) => /StopLogging|UpdateTrail|DeleteTrail/.test(a)), actions.join('\n'));

    // The event detail names the rules it matched; each is a link to that rule's events.
    await page.locator(tid('event-row')).first().click();
    await page.locator(tid('matched-rules')).waitFor();
    const matched = await page.$$eval(tid('matched-rule'), (els) => els.map((e) => e.dataset.rule));
    assert.ok(matched.includes(TRAIL_RULE), matched.join());
    await screenshot(page, 'detections-detail');
    const logging = 'd6739086-53e5-5293-8ccc-c6a5d05439b9'; // the Trailglass "logging" finding rule
    assert.ok(matched.includes(logging), matched.join());
    await page.click(`${tid('matched-rule')}[data-rule="${logging}"] button`);
    await waitCount(page, where((e) => ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'].includes(e.eventName)));
    assert.equal(await page.inputValue(tid('search-input')), `rule:${logging}`);
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('the ATT&CK matrix puts tactics in ATT&CK order and a technique click filters its events', async (t) => {
  const app = await loaded();
  const { page } = app;
  try {
    await openDetections(page);
    const tactics = await page.$$eval(tid('tactic'), (els) => els.map((e) => e.dataset.tactic));
    assert.equal(tactics[0], 'reconnaissance');
    const at = (x) => tactics.indexOf(x);
    assert.ok(at('initial-access') < at('persistence') && at('persistence') < at('privilege-escalation'));
    assert.ok(at('privilege-escalation') < at('stealth') && at('stealth') < at('defense-impairment'));
    assert.ok(at('defense-impairment') < at('credential-access') && at('exfiltration') < at('impact'));
    const cell = page.locator(`${tid('tactic')}[data-tactic="defense-impairment"] ${tid('technique')}[data-technique="T1685.002"]`);
    await cell.waitFor();
    assert.match(await cell.textContent(), /T1685\.002.*high/, 'the highest level, in words');
    await screenshot(page, 'detections-matrix');
    await cell.click();
    // The events of the rules tagged T1685.002: trails stopped or changed (the SigmaHQ rule and
    // the "logging" finding), security tooling disabled (the "defenses" finding, which covers
    // the GuardDuty and Config rules also tagged so).
    const named = ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors',
      'DeleteDetector', 'DisassociateFromMasterAccount', 'UpdateDetector', 'DisableSecurityHub',
      'StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel', 'DeleteAnalyzer',
      'DeleteFlowLogs'];
    await waitCount(page, where((e) => named.includes(e.eventName)));
    assert.equal(await page.inputValue(tid('search-input')), 'technique:T1685.002');
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('the swimlane draws the most severe detections in the histogram\'s buckets, and hovering names them', async (t) => {
  const app = await loaded();
  const { page } = app;
  try {
    const lanes = page.locator(tid('swimlane-lane'));
    await lanes.first().waitFor();
    const n = await lanes.count();
    assert.ok(n >= 1 && n <= 3, `a few lanes (${n})`);
    // The first lanes are the first detections (most severe first).
    await page.click(tid('tab-detections'));
    await page.locator(tid('detection')).first().waitFor();
    const firstRules = await page.$$eval(tid('detection'), (els) => els.map((e) => e.dataset.rule));
    const laneRules = await page.$$eval(tid('swimlane-lane'), (els) => els.map((e) => e.dataset.rule));
    assert.deepEqual(laneRules, firstRules.slice(0, n));
    const more = await page.textContent(tid('swimlane-more'));
    assert.equal(more, `+${firstRules.length - n} more detections →`);
    // Every mark sits under a histogram bar (the same bucket, the same pixels).
    const offsets = await page.evaluate(() => {
      const bars = [...document.querySelectorAll('[data-testid="histogram-bar"] rect')].map((r) => r.getBoundingClientRect());
      return [...document.querySelectorAll('[data-testid="swimlane-mark"]')].map((m) => {
        const b = m.getBoundingClientRect();
        return Math.min(...bars.map((r) => Math.abs(r.left - b.left) + Math.abs(r.width - b.width)));
      });
    });
    assert.ok(offsets.length > 0 && offsets.every((d) => d < 1), `marks under bars: ${offsets}`);
    const mark = page.locator(tid('swimlane-mark')).first();
    await mark.hover();
    const tip = page.locator(tid('swimlane-tooltip'));
    await tip.waitFor();
    const title = await page.$eval(`${tid('detection')}[data-rule="${laneRules[0]}"] .det-title`, (e) => e.textContent);
    assert.ok((await tip.textContent()).includes(title), await tip.textContent());
    await screenshot(page, 'detections-swimlane');
    await page.click(tid('swimlane-more'));
    await page.locator(tid('detections-view')).waitFor();
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('"Worth a look" is the top of the detections, and "all detections" opens the view', async (t) => {
  const app = await loaded();
  const { page } = app;
  try {
    await page.locator(tid('finding')).first().waitFor();
    const top = await page.$$eval(tid('finding'), (els) => els.map((e) => e.dataset.id));
    assert.ok(top.length > 0 && top.length <= 6);
    await page.click(tid('all-detections'));
    await page.locator(tid('detection')).first().waitFor();
    const all = await page.$$eval(tid('detection'), (els) => els.map((e) => e.dataset.rule));
    assert.deepEqual(top, all.slice(0, top.length));
    assert.equal(await page.textContent(tid('all-detections')), `all ${all.length} detections →`);
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('a dropped rule of the user runs at once, is remembered across a reload, and can be removed', async (t) => {
  const app = await loaded({}, [{ name: 'my_rule.yml', bytes: Buffer.from(myRule) }]);
  const { page } = app;
  try {
    await openDetections(page);
    const mine = page.locator(card(MY_RULE_ID));
    await mine.waitFor();
    assert.ok(myRuleEvents > 0);
    assert.equal(Number(await mine.getAttribute('data-count')), myRuleEvents);
    assert.equal(await mine.getAttribute('data-level'), 'critical');
    // A hostile title is text, not markup.
    assert.equal(await mine.locator('.det-title').textContent(), 'E2E: <b>Windows passwords</b> read');
    assert.equal(await mine.locator('.det-title b').count(), 0);
    assert.equal((await mine.locator(tid('detection-author')).textContent()).trim(), 'by The e2e test');
    assert.match(await mine.textContent(), /your rule/);
    const file = page.locator(`${tid('rule-file')}[data-name="my_rule.yml"]`);
    await file.waitFor();
    assert.match(await file.textContent(), /1 rule/);
    // Most severe: first in the list, in the matrix under its tactic.
    assert.equal(await page.getAttribute(`${tid('detection')} >> nth=0`, 'data-rule'), MY_RULE_ID);
    await page.locator(`${tid('tactic')}[data-tactic="credential-access"] ${tid('technique')}[data-technique="T1552.005"]`).waitFor();
    await mine.locator(tid('detection-open')).click();
    await waitCount(page, myRuleEvents);

    // Remembered: a reload sends it again, before any log. (The reload fetches the app again:
    // those requests are the page's own, so the record starts afresh after it.)
    await page.reload();
    await page.waitForSelector(tid('drop-zone'));
    await page.waitForLoadState('networkidle');
    app.log.lateRequests.length = 0;
    await page.evaluate(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await dropFiles(page, files);
    await waitLoaded(page, events.length);
    await page.click(tid('tab-detections'));
    await page.locator(card(MY_RULE_ID)).waitFor();

    // Removed: gone from the list, the detections and the storage.
    await page.click(`${tid('rule-file')}[data-name="my_rule.yml"] ${tid('remove-rules')}`);
    await page.locator(card(MY_RULE_ID)).waitFor({ state: 'detached' });
    await page.locator(tid('rule-file')).waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => localStorage.getItem('trailglass.rules')), '[]');
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('a broken rule shows its line, column and what is wrong; a rule file over 1 MiB is refused with a reason', async (t) => {
  const app = await loaded();
  const { page } = app;
  try {
    await openDetections(page);
    const huge = `# ${'x'.repeat(1024 * 1024)}\n`;
    await page.setInputFiles(tid('rules-input'), [
      { name: 'broken.yml', mimeType: 'application/yaml', buffer: Buffer.from(brokenRule) },
      { name: 'huge.yaml', mimeType: 'application/yaml', buffer: Buffer.from(huge) },
    ]);
    const problem = page.locator(`${tid('rule-problem')}[data-file="broken.yml"]`);
    await problem.waitFor();
    assert.equal(await problem.getAttribute('data-line'), '7');
    assert.ok(Number(await problem.getAttribute('data-column')) >= 1);
    assert.match(await problem.textContent(), /broken\.yml:7:\d+/);
    assert.match(await problem.textContent(), /frobnicate/);
    await page.locator(`${tid('rule-file')}[data-name="broken.yml"]`).waitFor();
    assert.match(await page.textContent(`${tid('rule-file')}[data-name="broken.yml"]`), /1 problem/);
    const note = await page.textContent(tid('rule-note'));
    assert.match(note, /^huge\.yaml was not read: .* 1 MiB/);
    // The other rules still ran.
    assert.ok(await page.locator(card(TRAIL_RULE)).count() === 1);
    await page.evaluate(() => document.querySelector('[data-testid="your-rules"]').scrollIntoView());
    await screenshot(page, 'detections-rules');
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('the detections export as CSV, JSON and an ATT&CK Navigator layer', async (t) => {
  const app = await loaded();
  const { page } = app;
  try {
    await openDetections(page);
    const download = async (id) => {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click(tid(id))]);
      return readFileSync(await dl.path(), 'utf8');
    };
    const csv = await download('export-detections-csv');
    assert.ok(csv.includes(TRAIL_RULE), csv.slice(0, 400));
    assert.ok(csv.includes('vitaliy0x1'));
    const json = JSON.parse(await download('export-detections-json'));
    assert.ok(JSON.stringify(json).includes(TRAIL_RULE));
    const layer = JSON.parse(await download('export-navigator'));
    assert.equal(layer.domain, 'enterprise-attack');
    assert.ok(layer.techniques.some((x) => x.techniqueID === 'T1685.002'), JSON.stringify(layer.techniques));
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test('the view is reached by keyboard (g d, Tab, Enter), and says so when nothing matched', async (t) => {
  const app = await openApp(browser);
  const { page } = app;
  try {
    const quiet = { Records: [{ eventVersion: '1.08', eventTime: '2024-03-01T10:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'HeadObject', awsRegion: 'us-east-1', eventID: 'q1', userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/app/i-1' }, sourceIPAddress: '10.0.0.1' }] };
    await dropFiles(page, [{ name: 'quiet.json', bytes: Buffer.from(JSON.stringify(quiet)) }]);
    await waitLoaded(page, 1);
    await page.keyboard.press('g');
    await page.keyboard.press('d');
    await page.locator(tid('detections-view')).waitFor();
    assert.match(await page.textContent(tid('detections-empty')), /^No detections: .*1 event/);
    await screenshot(page, 'detections-empty');
    assert.match(await page.evaluate(() => location.hash), /view=detections/);
    await page.keyboard.press('g');
    await page.keyboard.press('e');
    await page.locator(tid('event-table')).waitFor();

    // With detections: Tab reaches a detection, Enter shows its events.
    await dropFiles(page, files);
    await waitLoaded(page, events.length + 1);
    await page.keyboard.press('g');
    await page.keyboard.press('d');
    await page.locator(tid('detection')).first().waitFor();
    const first = page.locator(tid('detection-open')).first();
    const rule = await page.getAttribute(`${tid('detection')} >> nth=0`, 'data-rule');
    const want = Number(await page.getAttribute(`${tid('detection')} >> nth=0`, 'data-count'));
    await page.focus(tid('add-rules'));
    for (let i = 0; i < 60 && !(await first.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    assert.ok(await first.evaluate((el) => el === document.activeElement), 'Tab reaches the first detection');
    await page.keyboard.press('Enter');
    await waitCount(page, want);
    assert.equal(await page.inputValue(tid('search-input')), `rule:${rule}`);
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});
