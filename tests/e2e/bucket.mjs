// A small generated CloudTrail bucket tree in S3's layout (what `aws s3 sync` of a trail bucket
// gives): AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_…json,
// digest files beside them, and one NDJSON export without an AWS key. Every event is known here,
// so the tests compute what a choice must load with plain JavaScript, not with the app.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
export const REGIONS = ['eu-west-1', 'us-east-1'];
/** Seven days, 2024-03-01 to 2024-03-07. */
export const DAYS = Array.from({ length: 7 }, (_, i) => `2024-03-0${i + 1}`);
/** A file an hour: 1,008 log files in all, enough for the app to offer its choice (≥ 1,000). */
export const FILES_PER_PLACE = 24;
/** Events in each log file of the i-th day (days differ, so the chart's bars do). */
export const eventsPerFile = (i) => 1 + ((i * 3) % 4);
export const EXPORT_EVENTS = 4;

const ymd = (day) => day.split('-');

/**
 * Writes the tree under `dir` (replacing it); returns its files as
 * { path (relative to dir's parent, as a folder pick shows it), account, region, day, digest, events: [{readOnly}] }.
 */
export function writeBucket(dir) {
  rmSync(dir, { recursive: true, force: true });
  const top = dir.split('/').pop();
  const files = [];
  let n = 0;
  const write = (rel, text, meta) => {
    const p = join(dir, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
    files.push({ path: `${top}/${rel}`, ...meta });
  };
  for (const account of ACCOUNTS) {
    for (const region of REGIONS) {
      for (const [i, day] of DAYS.entries()) {
        const [y, m, d] = ymd(day);
        const folder = `AWSLogs/${account}/CloudTrail/${region}/${y}/${m}/${d}`;
        for (let f = 0; f < FILES_PER_PLACE; f++) {
          const records = [];
          for (let e = 0; e < eventsPerFile(i); e++, n++) {
            const readOnly = n % 3 !== 0; // two in three read-only
            records.push({
              eventVersion: '1.08',
              userIdentity: { type: 'IAMUser', userName: `user-${n % 5}`, accountId: account, arn: `arn:aws:iam::${account}:user/user-${n % 5}` },
              eventTime: `${day}T${String(f).padStart(2, '0')}:${String(e * 10).padStart(2, '0')}:00Z`,
              eventSource: readOnly ? 's3.amazonaws.com' : 'iam.amazonaws.com',
              eventName: readOnly ? 'GetObject' : 'CreateUser',
              awsRegion: region,
              sourceIPAddress: `203.0.113.${n % 250}`,
              readOnly,
              eventID: `ev-${n}`,
              eventType: 'AwsApiCall',
              recipientAccountId: account,
            });
          }
          const name = `${account}_CloudTrail_${region}_${y}${m}${d}T${String(f).padStart(2, '0')}00Z_f${f}.json`;
          write(`${folder}/${name}`, JSON.stringify({ Records: records }), {
            account, region, day, digest: false, events: records.map((r) => ({ readOnly: r.readOnly })),
          });
        }
      }
    }
    // One digest file a day, in the first region: not events.
    for (const day of DAYS) {
      const [y, m, d] = ymd(day);
      const region = REGIONS[0];
      const name = `${account}_CloudTrail-Digest_${region}_trail_${region}_${y}${m}${d}T230000Z.json`;
      const digest = {
        awsAccountId: account, digestStartTime: `${day}T22:00:00Z`, digestEndTime: `${day}T23:00:00Z`,
        digestS3Bucket: 'trail-bucket', digestS3Object: name, logFiles: [],
      };
      write(`AWSLogs/${account}/CloudTrail-Digest/${region}/${y}/${m}/${d}/${name}`, JSON.stringify(digest), {
        account, region, day, digest: true, events: [],
      });
    }
  }
  // An export without an AWS key: an "other file".
  const lines = [];
  for (let e = 0; e < EXPORT_EVENTS; e++) {
    lines.push(JSON.stringify({
      eventVersion: '1.08', eventTime: `2024-03-02T12:0${e}:00Z`, eventSource: 'sts.amazonaws.com',
      eventName: 'GetCallerIdentity', awsRegion: 'eu-west-1', readOnly: true, eventID: `export-${e}`,
      userIdentity: { type: 'IAMUser', userName: 'exporter' }, recipientAccountId: ACCOUNTS[0],
    }));
  }
  write('siem-export.ndjson', `${lines.join('\n')}\n`, { other: true, events: lines.map(() => ({ readOnly: true })) });
  return files;
}

/** Events in `files`, and of them the read-only ones. */
export function tally(files) {
  const events = files.flatMap((f) => f.events);
  return { files: files.length, events: events.length, readOnly: events.filter((e) => e.readOnly).length };
}
