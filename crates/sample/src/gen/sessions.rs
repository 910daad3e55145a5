//! Sessions: every temporary (`ASIA…`) key the background uses is issued by one event of the
//! dataset, so that each use can be followed back to who is behind it.
//!
//! A principal with temporary keys (a role, the federated user, the root user, an IAM user in the
//! console) works in back-to-back sessions of a fixed length per principal, [`Sessions::ms`]:
//! session `i` covers `[i * ms, (i + 1) * ms)` and its key is a hash of (principal, account, `i`),
//! like the other ids. The length follows the principal's expected rate of calls, so that a
//! session is used about [`USES`] times whatever the density of the dataset: five minutes for
//! the busiest roles of a million events, twelve hours for the rarest principals of a small
//! sample. A session shorter than STS's shortest lifetime (15 minutes) is simply given up early.
//!
//! Sessions are opened lazily, and that is what keeps the count of events exact: background times
//! never decrease, so when the generator is about to write a call in a session that is not open
//! yet, it writes in that slot, at that time, the event that opens it instead ([`opener`]: an
//! AWS service's, an IAM user's or another role session's `sts:AssumeRole`,
//! `AssumeRoleWithSAML`, `AssumeRoleWithWebIdentity`, `GetFederationToken`, or a `ConsoleLogin`),
//! and notes the time. That time is the session's `creationDate`; every later use of the key
//! comes after it, within the session, which `durationSeconds` covers. A session opened by a
//! session of another role (role chaining) first needs that one open: the slot then opens the
//! other. A service's or an issuer's own draw of `sts:AssumeRole` opens a session that is due,
//! rather than issuing a key nobody uses.

use super::{oidc_provider, saml_user, web_identity_user, Gen, RoleSession};
use crate::catalogue::*;
use crate::event::*;
use crate::json::*;
use crate::rng::*;
use crate::SynthOptions;

/// Uses a session should have, about (it sets the session lengths).
const USES: f64 = 16.0;
/// Session lengths, seconds: the shortest that gives [`USES`] uses, else the longest.
const LENGTHS_S: &[i64] = &[300, 600, 900, 1800, 3600, 7200, 10_800, 14_400, 21_600, 43_200];
/// Role chaining caps a session at one hour.
const CHAINED_MAX_S: i64 = 3600;
/// STS's shortest `durationSeconds`.
const MIN_DURATION_S: i64 = 900;

/// The session lengths and the open sessions of the principals.
pub(crate) struct Sessions {
    /// Session length of each principal, ms.
    ms: Vec<i64>,
    /// The open session of each (principal, account): its index and creation time.
    open: Vec<Option<(i64, i64)>>,
    /// For each principal, the role whose sessions it opens, if any (see [`opener`]).
    pub(crate) opens: Vec<Option<usize>>,
}

/// Index of the principal `name` of `kind`.
fn principal(kind: Kind, name: &str) -> Option<usize> {
    PRINCIPALS.iter().position(|p| p.kind == kind && p.name == name)
}

impl Sessions {
    pub(crate) fn new(opts: &SynthOptions, principals: &Zipf) -> Sessions {
        let mut opens = vec![None; PRINCIPALS.len()];
        for (r, p) in PRINCIPALS.iter().enumerate() {
            let by = match opener(p) {
                Opener::Service(n) => principal(Kind::Service, n),
                Opener::User(n) => principal(Kind::User, n),
                Opener::Role(n) => principal(Kind::Role, n),
                Opener::Saml(n) => principal(Kind::Saml, n),
                Opener::WebId(n) => principal(Kind::WebId, n),
                _ => None,
            };
            if let Some(o) = by.and_then(|b| opens.get_mut(b)) {
                if o.is_none() {
                    *o = Some(r);
                }
            }
        }
        // Expected calls per hour of each principal (SAML and web-identity principals call
        // through their role; IAM users are in the console half the time).
        let total = principals.cum.last().copied().unwrap_or(1.0).max(f64::MIN_POSITIVE);
        let weight = |i: usize| {
            let below =
                if i == 0 { 0.0 } else { principals.cum.get(i - 1).copied().unwrap_or(0.0) };
            (principals.cum.get(i).copied().unwrap_or(0.0) - below) / total
        };
        let hours = (opts.span_ms as f64 / 3_600_000.0).max(1.0);
        let ms = PRINCIPALS
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut w = weight(i);
                for (j, q) in PRINCIPALS.iter().enumerate() {
                    if matches!(q.kind, Kind::Saml | Kind::WebId) && opens[j] == Some(i) {
                        w += weight(j);
                    }
                }
                if p.kind == Kind::User {
                    w /= 2.0;
                }
                let rate = opts.events as f64 * w / hours;
                let want = if rate > 0.0 { USES * 3600.0 / rate } else { f64::INFINITY };
                let mut len = LENGTHS_S
                    .iter()
                    .copied()
                    .find(|&l| l as f64 >= want)
                    .unwrap_or(LENGTHS_S[LENGTHS_S.len() - 1]);
                if matches!(opener(p), Opener::Role(_)) {
                    len = len.min(CHAINED_MAX_S);
                }
                len * 1000
            })
            .collect();
        Sessions { ms, open: vec![None; PRINCIPALS.len() * 3], opens }
    }

    /// Index of the session of `pi` at `time`.
    fn index(&self, pi: usize, time: i64) -> i64 {
        time.div_euclid(self.ms.get(pi).copied().unwrap_or(3_600_000).max(1))
    }

    /// `durationSeconds` of the sessions of `pi`: they last their whole length.
    pub(crate) fn duration_s(&self, pi: usize) -> i64 {
        (self.ms.get(pi).copied().unwrap_or(3_600_000) / 1000).max(MIN_DURATION_S)
    }

    /// Creation time of the session of `pi` in account `a` at `time`, if it is open.
    fn created(&self, pi: usize, a: usize, time: i64) -> Option<i64> {
        let i = self.index(pi, time);
        match self.open.get(pi * 3 + a) {
            Some(Some((j, c))) if *j == i => Some(*c),
            _ => None,
        }
    }
}

impl Gen<'_> {
    /// Whether a call of `pi` (in the console or not) is made with a temporary key.
    pub(crate) fn uses_session(pi: usize, console: bool) -> bool {
        match PRINCIPALS[pi].kind {
            Kind::Role | Kind::Federated | Kind::Root => true,
            Kind::User => console,
            _ => false,
        }
    }

    /// Key and creation time of the session of `pi` at `ctx` (its start if it is not open, which
    /// [`Gen::open_session`] rules out).
    pub(crate) fn session(&self, pi: usize, ctx: &Ctx<'_>) -> (String, i64) {
        let a = self.account_index(ctx.account) as usize;
        let i = self.sessions.index(pi, ctx.time);
        let start = i * self.sessions.ms.get(pi).copied().unwrap_or(3_600_000);
        let created = self.sessions.created(pi, a, ctx.time).unwrap_or(start);
        (self.session_key(pi, ctx.account, i), created)
    }

    /// If the session of `pi` at `ctx` is not open, writes the event that opens it (or, when a
    /// session of another role opens it and that one is not open either, the event that opens
    /// that one) and returns true.
    pub(crate) fn open_session(&mut self, pi: usize, ctx: &Ctx<'_>, out: &mut Vec<u8>) -> bool {
        let a = self.account_index(ctx.account) as usize;
        if self.sessions.created(pi, a, ctx.time).is_some() {
            return false;
        }
        if let Opener::Role(parent) = opener(&PRINCIPALS[pi]) {
            if let Some(pj) = principal(Kind::Role, parent) {
                if self.open_session(pj, ctx, out) {
                    return true;
                }
            }
        }
        self.write_opener(pi, ctx, out);
        let i = self.sessions.index(pi, ctx.time);
        if let Some(o) = self.sessions.open.get_mut(pi * 3 + a) {
            *o = Some((i, ctx.time));
        }
        true
    }

    /// The event that opens the session of `pi` at `ctx`.
    fn write_opener(&mut self, pi: usize, ctx: &Ctx<'_>, out: &mut Vec<u8>) {
        let pr = &PRINCIPALS[pi];
        let acct = ctx.account;
        let key = self.session_key(pi, acct, self.sessions.index(pi, ctx.time));
        let duration = self.sessions.duration_s(pi);
        let op = opener(pr);
        let name = match op {
            Opener::Console | Opener::None => return self.console_login(pi, ctx, out),
            Opener::FederationToken => return self.federation_token(pi, key, ctx, out),
            Opener::Saml(_) => "AssumeRoleWithSAML",
            Opener::WebId(_) => "AssumeRoleWithWebIdentity",
            _ => "AssumeRole",
        };
        let mut ev = Ev::new("sts.amazonaws.com", name);
        ev.request_id = uuid(&mut self.rng);
        ev.tls_host = Some(format!("sts.{}.amazonaws.com", ctx.region));
        let role_arn = format!("arn:aws:iam::{acct}:role/{}", pr.name);
        let mut req = vec![("roleArn", st(role_arn.clone())), ("roleSessionName", s(pr.session))];
        (ev.identity, ev.ip, ev.ua) = match op {
            Opener::Service(svc) => {
                ev.tls_host = None;
                (
                    obj(vec![("type", s("AWSService")), ("invokedBy", s(svc))]),
                    svc.to_string(),
                    svc.to_string(),
                )
            }
            Opener::User(n) | Opener::Role(n) => {
                let kind = if matches!(op, Opener::User(_)) { Kind::User } else { Kind::Role };
                let caller = principal(kind, n).unwrap_or(pi);
                self.identity(caller, ctx, false)
            }
            Opener::External(other) => {
                let (ip, ua, _) = self.ip_ua(pi);
                req.push(("externalId", s("3c0f5d1e9b8a4f27a6d2e1c0b9a87f65")));
                let role = id_from(self.opts.seed, &[5], "AROA", UPPER32, 17);
                (
                    obj(vec![
                        ("type", s("AWSAccount")),
                        ("principalId", st(format!("{role}:datadog-aws-integration"))),
                        ("accountId", s(other)),
                    ]),
                    ip,
                    ua,
                )
            }
            Opener::Saml(n) => {
                let (ip, ua, _) = self.ip_ua(pi);
                req.insert(
                    0,
                    ("sAMLAssertionID", st(format!("_{}", chars(&mut self.rng, HEX, 32)))),
                );
                req.push((
                    "principalArn",
                    st(format!(
                        "arn:aws:iam::{acct}:saml-provider/AWSSSO_5f2c8a1d3b4e6f70_DO_NOT_DELETE"
                    )),
                ));
                (saml_user(n), ip, ua)
            }
            Opener::WebId(n) => {
                let (ip, ua, _) = self.ip_ua(pi);
                (web_identity_user(acct, n), ip, ua)
            }
            _ => (J::Null, String::new(), String::new()),
        };
        req.push(("durationSeconds", J::I(duration)));
        ev.req = obj(req);
        let role_id = self.unique_id(pi, acct, "AROA");
        let session = RoleSession { acct, role: pr.name, role_id: &role_id, session: pr.session };
        let mut resp = vec![
            ("credentials", self.credentials(key, ctx.time, duration)),
            ("assumedRoleUser", session.assumed_role_user()),
        ];
        match op {
            Opener::Saml(n) => {
                resp.push(("subjectType", s("persistent")));
                resp.push((
                    "issuer",
                    s("https://portal.sso.us-east-1.amazonaws.com/saml/assertion/NTAwNjQ1Mjg0NTY3X2lucy0xYTJiM2M0ZDVlNmY3YTg5"),
                ));
                resp.push(("subject", s(n)));
                resp.push(("audience", s("https://signin.aws.amazon.com/saml")));
                resp.push(("nameQualifier", s("aF3kS9wZxq1T0mB7yVd2LpR8uN4=")));
            }
            Opener::WebId(n) => {
                resp.push(("subjectFromWebIdentityToken", s(n)));
                resp.push(("provider", st(oidc_provider(acct))));
                resp.push(("audience", s("sts.amazonaws.com")));
            }
            _ => {}
        }
        ev.resp = J::Obj(resp);
        ev.resources = Some(J::Arr(vec![obj(vec![
            ("accountId", st(acct)),
            ("type", s("AWS::IAM::Role")),
            ("ARN", st(role_arn)),
        ])]));
        render(&mut self.rng, ctx, ev, out);
    }

    /// A successful `ConsoleLogin` of the root user or of an IAM user: it opens their console
    /// session (linked to its uses by ARN and `creationDate`).
    fn console_login(&mut self, pi: usize, ctx: &Ctx<'_>, out: &mut Vec<u8>) {
        let pr = &PRINCIPALS[pi];
        let acct = ctx.account;
        let identity = if pr.kind == Kind::Root {
            obj(vec![
                ("type", s("Root")),
                ("principalId", st(acct)),
                ("arn", st(format!("arn:aws:iam::{acct}:root"))),
                ("accountId", st(acct)),
            ])
        } else {
            obj(vec![
                ("type", s("IAMUser")),
                ("principalId", st(self.unique_id(pi, acct, "AIDA"))),
                ("arn", st(format!("arn:aws:iam::{acct}:user/{}", pr.name))),
                ("accountId", st(acct)),
                ("userName", s(pr.name)),
            ])
        };
        let ip = match *self.rng.pick(pr.ips) {
            "AWS Internal" => pr.ips[0],
            ip => ip,
        };
        let mut ev = Ev::new("signin.amazonaws.com", "ConsoleLogin");
        ev.identity = identity;
        ev.ip = ip.to_string();
        ev.ua = (*self.rng.pick(&UA_CONSOLE[..2])).to_string();
        ev.tls_host = Some("signin.aws.amazon.com".to_string());
        if let Some(signin) = SERVICES.iter().find(|s| s.name == "signin") {
            self.details(&mut ev, signin, ctx, pr.name);
        }
        render(&mut self.rng, ctx, ev, out);
    }

    /// `sts:GetFederationToken` by the broker IAM user (`P::name`) with its access key: it opens
    /// a session of the federated user `P::session`.
    fn federation_token(&mut self, pi: usize, key: String, ctx: &Ctx<'_>, out: &mut Vec<u8>) {
        let pr = &PRINCIPALS[pi];
        let acct = ctx.account;
        let duration = self.sessions.duration_s(pi);
        let mut ev = Ev::new("sts.amazonaws.com", "GetFederationToken");
        ev.identity = obj(vec![
            ("type", s("IAMUser")),
            ("principalId", st(self.unique_id(pi, acct, "AIDA"))),
            ("arn", st(format!("arn:aws:iam::{acct}:user/{}", pr.name))),
            ("accountId", st(acct)),
            ("accessKeyId", st(self.access_key(pi, acct))),
            ("userName", s(pr.name)),
        ]);
        ev.ip = FED_BROKER_IP.to_string();
        ev.ua = UA_SDK[0].to_string();
        ev.request_id = uuid(&mut self.rng);
        ev.tls_host = Some(format!("sts.{}.amazonaws.com", ctx.region));
        let policy = self.policy_doc("s3:GetObject", "arn:aws:s3:::acme-prod-app-assets/*");
        ev.req = obj(vec![
            ("name", s(pr.session)),
            ("durationSeconds", J::I(duration)),
            ("policy", st(policy)),
        ]);
        ev.resp = obj(vec![
            ("credentials", self.credentials(key, ctx.time, duration)),
            (
                "federatedUser",
                obj(vec![
                    ("federatedUserId", st(format!("{acct}:{}", pr.session))),
                    ("arn", st(format!("arn:aws:sts::{acct}:federated-user/{}", pr.session))),
                ]),
            ),
            ("packedPolicySize", J::I(9)),
        ]);
        render(&mut self.rng, ctx, ev, out);
    }
}
