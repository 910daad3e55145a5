// End-to-end: what a SIEM or OCSF export holds, read as a new user would drop it (issue 15): a
// document that keeps the original event as text yields that event once, normalized copies invent
// none, an OCSF record (Security Lake) is one event in CloudTrail's columns, and events without a
// time never open the table, whichever way it is sorted by time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, tid, dropFiles, waitLoaded, waitRows, assertClean, screenshot, count } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const event = (n, time) => ({
  eventVersion: '1.08',
  userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::111122223333:user/u${n}`, accountId: '111122223333', userName: `u${n}` },
  ...(time ? { eventTime: time } : {}),
  eventSource: 's3.amazonaws.com',
  eventName: time ? `Call${n}` : 'NoTimeCall',
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.9',
  eventID: `00000000-0000-0000-0000-00000000000${n}`,
  eventType: 'AwsApiCall',
  recipientAccountId: '111122223333',
});

// Three ECS documents (event.original, ECS fields and a vendor's copy with userIdentity and
// recipientAccountId), one without its original (its ECS fields mapped back: one event, lossy), an
// OCSF record, a Splunk result (its own fields name the call too) and a plain event without a time.
const ecs = (e) => ({
  '@timestamp': e.eventTime,
  event: { action: e.eventName, provider: e.eventSource, original: JSON.stringify(e) },
  aws: { cloudtrail: { event_version: '1.08', user_identity: { type: 'IAMUser' } } },
  action: { properties: { userIdentity: e.userIdentity, recipientAccountId: e.recipientAccountId } },
});
const real = [1, 2, 3].map((n) => event(n, `2024-01-0${n}T10:00:00Z`));
const bare = ecs(event(7, '2024-01-07T10:00:00Z'));
delete bare.event.original;
const splunk = event(4, '2024-01-04T10:00:00Z');
const lines = [
  ...real.map(ecs),
  bare,
  { class_uid: 6003, time: Date.parse('2024-01-05T10:00:00Z'), api: { operation: 'GetObject', service: { name: 's3.amazonaws.com' } },
    actor: { user: { type: 'IAMUser', uid: 'arn:aws:iam::111122223333:user/ocsf-user' } }, metadata: { uid: 'ocsf-event-1' },
    unmapped: { recipientAccountId: '111122223333', eventType: 'AwsApiCall', userIdentity: real[0].userIdentity } },
  { preview: false, result: { _raw: JSON.stringify(splunk), eventName: splunk.eventName, eventSource: splunk.eventSource } },
  event(5, null),
];
const want = ['Call1', 'Call2', 'Call3', 'Call4', 'GetObject', 'Call7', 'NoTimeCall'];

/** The action and time cells of every row, in table order. */
const rows = (page) => page.$$eval(tid('event-row'), (rs) => rs.map((r) => r.textContent));

test('SIEM documents yield their original events once and copies none, OCSF is read; untimed rows come last', async (t) => {
  const app = await openApp(browser);
  const { page } = app;
  try {
    await dropFiles(page, [{ name: 'siem-export.ndjson', bytes: Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n')) }]);
    await waitLoaded(page);
    assert.equal(await count(page, 'loaded-count'), want.length, 'exactly the real events');
    await waitRows(page);
    let seen = await rows(page);
    assert.equal(seen.length, want.length);
    want.forEach((w) => assert.ok(seen.some((r) => r.includes(w)), `${w} is a row`));
    // By time ascending (the default): the untimed event last.
    assert.ok(!seen[0].includes('(no time)'), `first row ${seen[0]}`);
    assert.ok(seen.at(-1).includes('(no time)') && seen.at(-1).includes('NoTimeCall'), `last row ${seen.at(-1)}`);
    await screenshot(page, 'inputs-siem-ascending');
    // Descending: the newest first, the untimed event still last.
    await page.click(`${tid('column-header')}[data-column="time"]`);
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('Call7'), tid('event-row'));
    seen = await rows(page);
    assert.ok(seen[0].includes('Call7'), `first row ${seen[0]}`);
    assert.ok(seen[1].includes('GetObject') && seen[1].includes('ocsf-user'), `second row ${seen[1]}`);
    assert.ok(seen.at(-1).includes('NoTimeCall'), `last row ${seen.at(-1)}`);
    await screenshot(page, 'inputs-siem-descending');
    // The OCSF event's detail shows the OCSF record as it came.
    await page.locator(tid('event-row')).nth(1).click();
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('class_uid'), tid('event-detail'));
    assert.equal(await page.textContent(tid('detail-summary')), 'ocsf-user called s3:GetObject');
    assert.equal(await page.getAttribute(tid('event-detail'), 'data-event-id'), 'ocsf-event-1');
    await screenshot(page, 'inputs-ocsf-detail');
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});

// Athena's CSV of `SELECT *` over the CloudTrail table (every field quoted, structs as Trino text,
// JSON columns as JSON text, partition columns last), recognised by its header whatever its name.
const q = (cells) => cells.map((c) => `"${String(c).replaceAll('"', '""')}"`).join(',');
const athenaHeader = ['eventversion', 'useridentity', 'eventtime', 'eventsource', 'eventname', 'awsregion', 'sourceipaddress',
  'useragent', 'errorcode', 'errormessage', 'requestparameters', 'eventid', 'readonly', 'recipientaccountid', 'region', 'year'];
const athenaRow = (n, name, agent, message) => q(['1.08',
  `{type=IAMUser, principalid=AIDA${n}, arn=arn:aws:iam::111122223333:user/csv-user${n}, accountid=111122223333, accesskeyid=AKIA${n}, username=csv-user${n}, sessioncontext=null}`,
  `2024-02-0${n}T10:00:00Z`, 's3.amazonaws.com', name, 'eu-west-1', '203.0.113.7', agent, message ? 'AccessDenied' : '', message,
  JSON.stringify({ bucketName: 'b' }), `athena-${n}`, 'false', '111122223333', 'eu-west-1', '2024']);
const athena = [q(athenaHeader), athenaRow(1, 'PutObject', '=HYPERLINK("http://x")', '<img src=x onerror=alert(1)>\nDenied'),
  athenaRow(2, 'GetObject', 'aws-cli/2', ''), ''].join('\n');

test('an Athena CSV export is read back into events; formula and markup cells stay text', async (t) => {
  const app = await openApp(browser);
  const { page } = app;
  try {
    await dropFiles(page, [{ name: 'query-results/0f3c.txt', bytes: Buffer.from(athena) }]);
    await waitLoaded(page);
    assert.equal(await count(page, 'loaded-count'), 2);
    const seen = await rows(page);
    assert.ok(seen[0].includes('PutObject') && seen[0].includes('csv-user1'), seen[0]);
    const files = await page.$$eval(tid('file-status'), (ls) => ls.map((l) => l.textContent));
    assert.ok(files[0].includes('Athena CSV') && files[0].includes('lossy'), files[0]);
    await page.locator(tid('event-row')).first().click();
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('HYPERLINK'), tid('event-detail'));
    const detail = await page.textContent(tid('event-detail'));
    assert.ok(detail.includes('<img src=x onerror=alert(1)>'), 'markup shown as text');
    assert.equal(await page.$$eval('img[src="x"]', (l) => l.length), 0, 'no element made from a cell');
    await screenshot(page, 'inputs-athena-csv');
    await assertClean(t, app, assert);
  } finally { await app.close(); }
});
