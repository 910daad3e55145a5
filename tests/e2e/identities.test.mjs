// End-to-end: who is behind every call. Multi-account logs from the independent generator
// (tests/identities/generate.py: every event's origin known by construction, files out of time
// order) are dropped in; the Identities view lists their origins with chain graphs, a card's
// events are exactly that origin's, origin:/chain:/session: select as the generator says, and
// the event detail's "Behind this call" walks a three-hop cross-account chain to the STS calls.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, launch, openApp, tid, waitLoaded, dropFiles, assertClean, screenshot, search, waitCount } from './harness.mjs';

const dir = mkdtempSync(join(tmpdir(), 'tg-identities-'));
execFileSync('python3', [join(ROOT, 'tests', 'identities', 'generate.py'), dir, '--seed', '5', '--events', '900'], { stdio: 'ignore' });
const jsonl = (f) => readFileSync(join(dir, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const expected = jsonl('expected.jsonl');
const labels = new Map(jsonl('labels.jsonl').map((l) => [l.id, l.label]));
const files = [];
(function walk(d) {
  for (const n of readdirSync(d)) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) walk(p); else files.push({ path: p });
  }
})(join(dir, 'logs'));

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const ALICE = 'arn:aws:iam::111111111111:user/alice';

// With two data workers the files are spread over both, so a key issued in one worker's files
// is used in the other's: the same answers, once the workers have exchanged their identities.
for (const workers of [1, 2]) {
const query = workers > 1 ? `?workers=${workers}` : '';
const shot = (name) => (workers > 1 ? `${name}-workers-${workers}` : name);

test(`the Identities view lists the origins, and a card shows exactly its events (${workers} worker(s))`, async (t) => {
  const app = await openApp(browser, { query, viewport: { width: 1400, height: 900 } });
  const { page } = app;
  try {
    await dropFiles(page, files);
    await waitLoaded(page, expected.length);
    await page.click(tid('tab-identities'));
    await page.locator(tid('identity')).first().waitFor();
    const origins = new Set(expected.map((e) => e.origin).filter(Boolean));
    // The most active origin is first; its card has a chain graph with the roles it reached.
    const byOrigin = new Map();
    for (const e of expected) byOrigin.set(e.origin, (byOrigin.get(e.origin) ?? 0) + 1);
    const top = [...byOrigin].sort((a, b) => b[1] - a[1])[0];
    // (Waited for: with several workers the view is answered again once they have exchanged.)
    await page.waitForFunction(([sel, card, n, origin]) => {
      const first = document.querySelector(card);
      return document.querySelector(sel)?.textContent.startsWith(`${n} origins`)
        && (first?.dataset.origin || null) === origin;
    }, [tid('identities-summary'), tid('identity'), origins.size, top[0]]);
    const summary = await page.textContent(tid('identities-summary'));
    assert.match(summary, new RegExp(`^${origins.size} origins`), summary);
    const first = page.locator(tid('identity')).first();
    assert.equal((await first.getAttribute('data-origin')) || null, top[0]);
    const alice = page.locator(`${tid('identity')}[data-origin="${ALICE}"]`);
    await alice.locator(tid('chain-graph')).waitFor();
    const nodes = await alice.locator(tid('chain-node')).allTextContents();
    assert.ok(nodes.some((n) => n.includes('CrossAccountAdmin')), `alice reached the cross-account role: ${nodes}`);
    assert.ok(nodes.some((n) => n.includes('222222222222')), 'the account is labelled');
    await alice.scrollIntoViewIfNeeded();
    await screenshot(page, shot('identities'));
    // Dark mode draws it too.
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, shot('identities-dark'));
    await page.emulateMedia({ colorScheme: 'light' });

    // Sort by errors: the most failing origin first.
    await page.click(tid('identities-sort-errors'));
    const errs = await page.locator(`${tid('identity')} ${tid('identity-errors')}`).allTextContents();
    const nums = errs.map((s) => Number(s.replace(/[^0-9]/g, '')));
    assert.deepEqual(nums, [...nums].sort((a, b) => b - a), 'sorted by errors');

    // A card's events: the table, narrowed to alice's events, as many as the generator made.
    await page.click(tid('identities-sort-activity'));
    await alice.locator(tid('identity-events')).click();
    await waitCount(page, byOrigin.get(ALICE));
    assert.match(await page.inputValue(tid('search-input')), /origin:/);
    // The unknown origin (credentials issued outside the loaded logs) is a facet value too.
    const facet = page.locator(`${tid('facet')}[data-field="origin"]`);
    await facet.waitFor();
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

test(`origin:, chain: and session: select what the generator says, and the detail walks the chain (${workers} worker(s))`, async (t) => {
  const app = await openApp(browser, { query, viewport: { width: 1400, height: 900 } });
  const { page } = app;
  try {
    await dropFiles(page, files);
    await waitLoaded(page, expected.length);
    await search(page, '-origin:*');
    await waitCount(page, expected.filter((e) => e.origin === null).length);
    await search(page, 'chain:CrossAccountAdmin');
    await waitCount(page, expected.filter((e) => e.chain.some((c) => c.includes('/CrossAccountAdmin/'))).length);
    const withKey = expected.find((e) => e.session && labels.get(e.id) === 'key_reuse');
    await search(page, `session:${withKey.session}`);
    await waitCount(page, expected.filter((e) => e.session === withKey.session).length);

    // A three-hop event: user in A → role in B → role back in A or on into C.
    const deep = expected.filter((e) => labels.get(e.id) === 'xacct_three_hops' && e.origin === ALICE)
      .sort((a, b) => b.chain.length - a.chain.length)[0];
    assert.ok(deep.chain.length >= 3, `a chain of three: ${deep.chain}`);
    await search(page, `eventID:"${deep.id}"`);
    await waitCount(page, 1);
    await page.locator(tid('event-row')).first().click();
    const behind = page.locator(tid('behind'));
    await behind.waitFor();
    assert.match(await page.textContent(tid('behind-headline')), /IAM user alice/);
    const hops = page.locator(tid('behind-hop'));
    assert.equal(await hops.count(), deep.chain.length - 1, 'one hop per session after the origin');
    await screenshot(page, shot('behind'));
    // The first hop's STS call opens in the detail.
    await hops.first().locator(tid('behind-via')).click();
    await page.waitForFunction(([sel, id]) => document.querySelector(sel)?.dataset.eventId !== id, [tid('event-detail'), deep.id]);
    assert.match(await page.textContent(tid('detail-summary')), /AssumeRole/);

    // An event whose key nothing in the logs issued says so.
    const lost = expected.find((e) => e.origin === null && e.session && labels.get(e.id) === 'missing_issuer');
    await search(page, `eventID:"${lost.id}"`);
    await waitCount(page, 1);
    await page.locator(tid('event-row')).first().click();
    await page.waitForFunction(([sel, id]) => document.querySelector(sel)?.dataset.eventId === id, [tid('event-detail'), lost.id]);
    assert.match(await page.textContent(tid('behind-headline')), /credentials issued outside the loaded logs/);
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});
}

test('the sample story shows its chain: a leaked key into a second and a third account', async (t) => {
  const app = await openApp(browser, { viewport: { width: 1400, height: 900 } });
  const { page } = app;
  try {
    await page.click(tid('load-sample'));
    await waitLoaded(page);
    await page.click(tid('tab-identities'));
    const svc = page.locator(`${tid('identity')}[data-origin="arn:aws:iam::123456789012:user/svc-deploy"]`);
    await svc.waitFor();
    const nodes = await svc.locator(tid('chain-node')).allTextContents();
    assert.ok(nodes.some((n) => n.includes('OrganizationAccountAccessRole') && n.includes('577254526104')), `second account: ${nodes}`);
    assert.ok(nodes.some((n) => n.includes('OrganizationAccountAccessRole') && n.includes('830042445559')), `third account: ${nodes}`);
    // The attacker's IP is new for svc-deploy (its usual traffic comes from Terraform hosts).
    const firsts = await svc.locator(tid('identity-first')).allTextContents();
    assert.ok(firsts.some((f) => f.includes('185.220.101.47')), `a new IP: ${firsts}`);
    await svc.scrollIntoViewIfNeeded();
    await screenshot(page, 'sample-identities');

    await page.click(tid('tab-events'));
    await search(page, 'session:ASIA3RPIVOTKEYTHIRDX');
    await waitCount(page, 3);
    await page.locator(tid('event-row')).first().click();
    await page.locator(tid('behind')).waitFor();
    assert.match(await page.textContent(tid('behind-headline')), /IAM user svc-deploy/);
    const hops = await page.locator(tid('behind-hop')).allTextContents();
    assert.equal(hops.length, 2);
    assert.match(hops[0], /577254526104/);
    assert.match(hops[1], /830042445559/);
    await screenshot(page, 'sample-behind');
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});
