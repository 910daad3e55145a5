//! Deterministic synthetic CloudTrail logs: the app's built-in sample dataset, the native and
//! browser benchmarks, and the robustness tests all use it.
//!
//! [`generate`] returns files laid out as AWS delivers them
//! (`AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_YYYYMMDDTHHMMZ_<16 chars>.json`),
//! each `{"Records":[…]}` compact on one line. Everything comes from a splitmix64 generator seeded
//! with [`SynthOptions::seed`]: the same options give the same bytes, on every platform (no clock,
//! no `rand`, no floating-point formatting that differs between targets; it builds for wasm32).
//!
//! What is in it: about 40 services with a Zipf-like skew (s3, sts, ec2, kms, lambda, iam, logs,
//! dynamodb, …) and their real eventNames; identities of every type (IAMUser with `AKIA…` keys,
//! AssumedRole with sessionContext/sessionIssuer and `ASIA…` session keys, Root, AWSService
//! with invokedBy, FederatedUser, AWSAccount, SAMLUser, WebIdentityUser); three accounts and eight
//! regions; public IPv4 and IPv6 addresses, `AWS Internal` and service names as source addresses;
//! real-looking user agents; about 5% errors with their messages; nested requestParameters and
//! responseElements (policy documents as JSON-in-strings, session tokens, RunInstances sets), so a
//! median record is about 1.1 KB like real CloudTrail; S3/Lambda/DynamoDB Data events,
//! NetworkActivity (VPC endpoint) events and a few Insight events; unicode (é, 日本, emoji) and, rarely,
//! hostile strings (`<script>alert(1)</script>`, `<img src=x onerror=alert(1)>`,
//! `=HYPERLINK("http://x")`) in values an attacker controls (user agents, tag values, object keys),
//! so the UI's escaping gets exercised.
//!
//! # Sessions
//!
//! Every temporary key of the background is issued in the dataset, so each call can be followed
//! back to who is behind it. A role, the federated user, the root user and an IAM user in the
//! console work in back-to-back sessions (from five minutes to twelve hours long, depending on how
//! busy the principal is: about sixteen calls each; a million events have about 18,000). Each
//! session's `ASIA…` key is issued, in the same account, at the session's `creationDate`
//! and before any use of it, by one successful event whose `durationSeconds` covers the session:
//!
//! * `sts:AssumeRole` by an AWS service (`AWSService`, `invokedBy`): `config.amazonaws.com` for
//!   `aws-controltower-ConfigRecorderRole`, `lambda.amazonaws.com` for `orders-api-lambda-role`,
//!   `ec2.amazonaws.com` for the instance role `eks-node-group-role`, `ecs-tasks.amazonaws.com`
//!   for `ecsTaskExecutionRole`;
//! * `sts:AssumeRole` by the IAM user `frank-admin` (access key) for
//!   `OrganizationAccountAccessRole` (session `frank-admin`); by a session of
//!   `ecsTaskExecutionRole` for `SecurityAuditRole` (session `prowler-scan`): a chain of two hops;
//!   by Datadog's account (`AWSAccount` 464622532012, with an externalId) for
//!   `DatadogIntegrationRole`;
//! * `sts:AssumeRoleWithSAML` by the `SAMLUser` `alice@example.com` (responseElements `issuer`,
//!   `subject`) for the Identity Center role `AWSReservedSSO_AdministratorAccess_…`;
//! * `sts:AssumeRoleWithWebIdentity` by GitHub's OIDC provider (`WebIdentityUser`,
//!   responseElements `provider`, `subjectFromWebIdentityToken`
//!   `repo:acme/infra:ref:refs/heads/main`) for `GitHubActionsDeployRole`;
//! * `sts:GetFederationToken` by the IAM user `fed-broker` (access key) for the federated user
//!   `dave`;
//! * a successful `ConsoleLogin` (no key; linked by ARN and `creationDate`) for the root user and
//!   the IAM users' console sessions.
//!
//! Besides these, a few `sts:AssumeRole` calls issue keys that are never used (sessions outside
//! the logs) and a few are denied (`AccessDenied`, no credentials).
//!
//! # The attack story (`attack_story: true`)
//!
//! A coherent incident a responder can find, 88 events in `us-east-1`, in the primary account
//! ([`SynthOptions::account`]) but for a lateral movement into the two others (written, like the
//! rest of the story, in the primary account's files). `T0` is `start_ms + span_ms * 5 / 8`
//! rounded down to the minute; with the default options that is **2024-03-08T09:00:00Z**.
//!
//! * The IAM user **`svc-deploy`** (a CI user; its normal activity, Terraform from `34.228.12.9` and
//!   `52.4.100.23`, runs through the whole dataset) has its access key **`AKIA3RLEAKEDKEY7Q2ZX`**
//!   leaked. From **`185.220.101.47`** with the user agent
//!   `aws-cli/1.22.34 Python/3.10.12 Linux/6.5.0-kali3-amd64 botocore/1.23.34`:
//! * `T0`: `sts:GetCallerIdentity`, then `s3:ListBuckets`.
//! * `T0+9s … T0+~2min`: a recon burst of ~24 calls, most failing with `AccessDenied` /
//!   `Client.UnauthorizedOperation` (iam ListUsers/ListRoles/GetAccountAuthorizationDetails,
//!   ec2 DescribeInstances, rds, lambda, kms, dynamodb, organizations, guardduty, ssm); a few succeed
//!   (iam ListAttachedUserPolicies, secretsmanager ListSecrets, cloudtrail DescribeTrails).
//! * `T0+5min`: `sts:AssumeRole` on
//!   `arn:aws:iam::<third account>:role/OrganizationAccountAccessRole`, denied (`AccessDenied`).
//! * `T0+5min30s`: `sts:AssumeRole` on
//!   `arn:aws:iam::<second account>:role/OrganizationAccountAccessRole`, session name
//!   `svc-deploy`, which succeeds and issues **`ASIA3RPIVOTKEYSECOND`**. It is recorded twice, with
//!   one sharedEventID and requestID: in the primary account (the IAM user's identity) and in the
//!   second (`AWSAccount` identity: principalId the user's `AIDA…` id, accountId the primary).
//! * `T0+6min … T0+7min10s`, in the second account as
//!   `assumed-role/OrganizationAccountAccessRole/svc-deploy` with that key: `sts:GetCallerIdentity`,
//!   `iam:ListUsers`, `iam:ListRoles`, `s3:ListBuckets`, `ec2:DescribeInstances`.
//! * `T0+8min`: from that session, `sts:AssumeRole` on the third account's
//!   `OrganizationAccountAccessRole` (session `svc-deploy`), which succeeds this time and issues
//!   **`ASIA3RPIVOTKEYTHIRDX`**; recorded in the second account (the session's identity) and in the
//!   third (`AWSAccount`: principalId `AROA…:svc-deploy`, accountId the second).
//! * `T0+8min30s … T0+9min20s`, in the third account with that key: `sts:GetCallerIdentity`,
//!   `s3:ListBuckets`, `secretsmanager:ListSecrets`.
//! * `T0+14min`: persistence: `iam:CreateUser` **`backup-admin`**, `iam:CreateAccessKey` for it
//!   (new key **`AKIA3RBACKDOORK3Y9WQ`**), `iam:AttachUserPolicy`
//!   `arn:aws:iam::aws:policy/AdministratorAccess`.
//! * `T0+21min`, now as `backup-admin` with the new key from the same IP: `sts:GetCallerIdentity`,
//!   `cloudtrail:StopLogging` then `cloudtrail:DeleteTrail` on trail **`acme-org-trail`**.
//! * `T0+27min`: `s3:DeleteBucketPublicAccessBlock` and `s3:PutBucketPolicy` with `"Principal":"*"`
//!   on bucket **`acme-prod-customer-exports`**, making it public.
//! * `T0+33min`: `secretsmanager:ListSecrets`, then a burst of 30 `GetSecretValue` within ~90 s
//!   (some `AccessDeniedException`).
//! * `T0+40min`: 10 anonymous `s3:GetObject` Data events on the now-public bucket from the same IP.
//!
//! The story's events count toward [`SynthOptions::events`] (they take the place of as many
//! background events, which stay spread evenly over the whole span, so there is no hole in the
//! background around the story; with fewer events than the story has, only its beginning is kept).

use std::io::Write;

/// Options of [`generate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthOptions {
    /// Number of events, exactly (Insight events and the attack story included).
    pub events: usize,
    /// Events per file (the last file may hold fewer). Default 2000.
    pub events_per_file: usize,
    /// PRNG seed: same options → identical bytes.
    pub seed: u64,
    /// First eventTime, ms since the Unix epoch.
    pub start_ms: i64,
    /// Events are spread evenly over `[start_ms, start_ms + span_ms)`.
    pub span_ms: i64,
    /// Primary account (12 digits), e.g. "123456789012". Two more accounts appear beside it.
    pub account: String,
    /// Embed the incident described in the module docs.
    pub attack_story: bool,
}

impl Default for SynthOptions {
    fn default() -> Self {
        SynthOptions {
            events: 10_000,
            events_per_file: 2000,
            seed: 0x7472_6169_6c67_6c61, // "trailgla"
            start_ms: 1_709_510_400_000, // 2024-03-04T00:00:00Z
            span_ms: 7 * 24 * 3_600_000,
            account: "123456789012".to_string(),
            attack_story: true,
        }
    }
}

/// One generated log file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthFile {
    /// AWS key layout, ending in `.json`.
    pub path: String,
    /// `{"Records":[…]}` on one line.
    pub bytes: Vec<u8>,
}

/// gzip of `bytes` (as AWS delivers `.json.gz`).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 6 + 64),
        flate2::Compression::default(),
    );
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

mod calendar;
mod catalogue;
mod event;
mod gen;
mod json;
mod rng;
mod story;

pub use calendar::fmt_time;
pub use rng::Rng;

use calendar::tm;
use catalogue::{chars, ALNUM, REGIONS};
use event::Ctx;
use gen::Gen;

/// Generates the files (see the module docs). `events` are spread over
/// `ceil(events / events_per_file)` files; eventTime is non-decreasing within each file.
pub fn generate(opts: &SynthOptions) -> Vec<SynthFile> {
    let n = opts.events;
    let epf = opts.events_per_file.max(1);
    let nfiles = n.div_ceil(epf);
    let mut g = Gen::new(opts);
    let span = i128::from(opts.span_ms.max(0));

    // Story events take specific slots (global event indices) near their times.
    let mut story = if opts.attack_story { g.story_times() } else { Vec::new() };
    story.truncate(n);
    let mut slots: Vec<usize> = Vec::with_capacity(story.len());
    let total_story = story.len();
    for (j, (t, _)) in story.iter().enumerate() {
        let want = if span > 0 {
            (i128::from(*t - opts.start_ms).max(0) * n as i128 / span) as usize
        } else {
            j
        };
        let lo = slots.last().map_or(0, |&p| p + 1);
        let hi = n - (total_story - j); // leave room for the rest
        slots.push(want.clamp(lo, hi.max(lo)));
    }

    let mut files = Vec::with_capacity(nfiles);
    let mut next_story = 0usize;
    let mut rec = Vec::with_capacity(4096);
    for fi in 0..nfiles {
        let lo = fi * epf;
        let hi = (lo + epf).min(n);
        let has_story = slots.get(next_story).is_some_and(|&k| k < hi);
        let (region, account) = if has_story {
            ("us-east-1", g.accounts[0].clone())
        } else {
            let r = REGIONS[g.region_z.sample(&mut g.rng)];
            let a = if g.rng.chance(0.7) {
                g.accounts[0].clone()
            } else {
                g.accounts[1 + g.rng.below(2)].clone()
            };
            (r, a)
        };
        let mut items: Vec<(i64, Vec<u8>)> = Vec::with_capacity(hi - lo);
        for k in lo..hi {
            rec.clear();
            if slots.get(next_story) == Some(&k) {
                let (t, step) = story[next_story];
                next_story += 1;
                let ctx = Ctx { time: t, region: "us-east-1", account: &account };
                g.story_event(step, &ctx, &mut rec);
                items.push((t, rec.clone()));
            } else {
                // Background times follow the background events' own order (`k` less the story
                // events before it), so the story's slots leave no hole in the background.
                let u = g.rng.unit();
                let (kb, nb) = ((k - next_story) as i128, (n - total_story).max(1) as i128);
                let time = opts.start_ms + ((span * kb + (span as f64 * u) as i128) / nb) as i64;
                let time = time.div_euclid(1000) * 1000;
                let ctx = Ctx { time, region, account: &account };
                g.background(&ctx, &mut rec);
                items.push((time, rec.clone()));
            }
        }
        items.sort_by_key(|(t, _)| *t);
        let size: usize = items.iter().map(|(_, b)| b.len() + 1).sum();
        let mut bytes = Vec::with_capacity(size + 16);
        bytes.extend_from_slice(b"{\"Records\":[");
        for (i, (_, b)) in items.iter().enumerate() {
            if i > 0 {
                bytes.push(b',');
            }
            bytes.extend_from_slice(b);
        }
        bytes.extend_from_slice(b"]}");
        let last = items.last().map_or(opts.start_ms, |(t, _)| *t);
        let stamp = tm(last.div_euclid(300_000) * 300_000 + 300_000);
        let name = chars(&mut g.rng, ALNUM, 16);
        let path = format!(
            "AWSLogs/{account}/CloudTrail/{region}/{:04}/{:02}/{:02}/{account}_CloudTrail_{region}_{:04}{:02}{:02}T{:02}{:02}Z_{name}.json",
            stamp.y, stamp.mo, stamp.d, stamp.y, stamp.mo, stamp.d, stamp.h, stamp.mi
        );
        files.push(SynthFile { path, bytes });
    }
    files
}

/// The app's built-in sample: `events` events with the attack story, in about one file per hour
/// of the generated week (each file is named, like CloudTrail's, after the end of the time it
/// covers), under `sample/`.
pub fn builtin(events: usize) -> Vec<SynthFile> {
    let defaults = SynthOptions::default();
    let hours = (defaults.span_ms / 3_600_000).max(1) as usize;
    let events_per_file = events.div_ceil(hours).max(1);
    let opts = SynthOptions { events, events_per_file, attack_story: true, ..defaults };
    let mut files = generate(&opts);
    for f in &mut files {
        f.path = format!("sample/{}", f.path);
    }
    files
}

#[cfg(test)]
mod tests;
