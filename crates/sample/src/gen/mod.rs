//! The generator's state ([`Gen`]): accounts, keys and identities of the principals, and the
//! small makers (tags, object keys, credentials, policies) the event kinds share.

mod background;
mod details;
mod sessions;

use crate::calendar::*;
use crate::catalogue::*;
use crate::event::*;
use crate::json::*;
use crate::rng::*;
use crate::SynthOptions;

pub(crate) struct Gen<'o> {
    pub(crate) opts: &'o SynthOptions,
    pub(crate) rng: Rng,
    pub(crate) accounts: [String; 3],
    pub(crate) svc_z: Zipf,
    pub(crate) action_z: Vec<Zipf>,
    pub(crate) region_z: Zipf,
    pub(crate) principal_z: Zipf,
    /// Indices of principals that can sign in to the console.
    pub(crate) console: Vec<usize>,
    /// Who has which temporary keys when (see `sessions.rs`).
    pub(crate) sessions: sessions::Sessions,
}

impl<'o> Gen<'o> {
    pub(crate) fn new(opts: &'o SynthOptions) -> Self {
        let acct =
            if opts.account.is_empty() { "123456789012".to_string() } else { opts.account.clone() };
        let other = |n: u64| {
            format!(
                "{:012}",
                h(&[opts.seed, n, str_hash(&acct)]) % 900_000_000_000 + 100_000_000_000
            )
        };
        let principal_z = Zipf::new(PRINCIPALS.len(), 1.0);
        let sessions = sessions::Sessions::new(opts, &principal_z);
        Gen {
            opts,
            rng: Rng::new(opts.seed),
            accounts: [acct.clone(), other(1), other(2)],
            svc_z: Zipf::new(SERVICES.len(), 1.05),
            action_z: SERVICES.iter().map(|s| Zipf::new(s.actions.len(), 1.2)).collect(),
            region_z: Zipf::new(REGIONS.len(), 1.3),
            principal_z,
            console: PRINCIPALS
                .iter()
                .enumerate()
                .filter(|(_, p)| p.console)
                .map(|(i, _)| i)
                .collect(),
            sessions,
        }
    }

    pub(crate) fn account_index(&self, account: &str) -> u64 {
        self.accounts.iter().position(|a| a == account).unwrap_or(0) as u64
    }

    pub(crate) fn access_key(&self, pi: usize, account: &str) -> String {
        if PRINCIPALS[pi].name == VICTIM && account == self.accounts[0] {
            return LEAKED_KEY.to_string();
        }
        id_from(self.opts.seed, &[1, pi as u64, self.account_index(account)], "AKIA", UPPER32, 16)
    }

    /// The temporary key of session `index` of principal `pi` in `account` (see `sessions.rs`).
    pub(crate) fn session_key(&self, pi: usize, account: &str, index: i64) -> String {
        id_from(
            self.opts.seed,
            &[2, pi as u64, self.account_index(account), index as u64],
            "ASIA",
            UPPER32,
            16,
        )
    }

    pub(crate) fn unique_id(&self, pi: usize, account: &str, prefix: &str) -> String {
        id_from(self.opts.seed, &[3, pi as u64, self.account_index(account)], prefix, UPPER32, 17)
    }

    /// Source IP, user agent and the service name for `invokedBy` of principal `pi`.
    pub(crate) fn ip_ua(&mut self, pi: usize) -> (String, String, &'static str) {
        let pr = &PRINCIPALS[pi];
        let ip =
            if pr.ips == SVC_IP { String::new() } else { (*self.rng.pick(pr.ips)).to_string() };
        let ua_set: &[&'static str] =
            if pr.uas.is_empty() { &[""] } else { pr.uas[self.rng.below(pr.uas.len())] };
        let mut ua = (*self.rng.pick(ua_set)).to_string();
        if self.rng.chance(0.0015) {
            ua = (*self.rng.pick(UA_HOSTILE)).to_string();
        }
        (ip, ua, ua_set.first().copied().unwrap_or("AWS Internal"))
    }

    /// userIdentity, source IP and user agent of principal `pi` acting in `ctx.account` at
    /// `ctx.time`. A principal with temporary keys uses the session open then (the caller opened
    /// it with [`Gen::open_session`]).
    pub(crate) fn identity(
        &mut self,
        pi: usize,
        ctx: &Ctx<'_>,
        console: bool,
    ) -> (J, String, String) {
        let pr = &PRINCIPALS[pi];
        let acct = ctx.account;
        let (session_key, created) = if Gen::uses_session(pi, console) {
            self.session(pi, ctx)
        } else {
            (String::new(), ctx.time)
        };
        let mfa = if pr.console { "true" } else { "false" };
        let attrs = || session_attributes(created, mfa);
        let (ip, ua, invoked) = self.ip_ua(pi);
        let id = match pr.kind {
            Kind::User => {
                let key = if console { session_key } else { self.access_key(pi, acct) };
                let mut v = vec![
                    ("type", s("IAMUser")),
                    ("principalId", st(self.unique_id(pi, acct, "AIDA"))),
                    ("arn", st(format!("arn:aws:iam::{acct}:user/{}", pr.name))),
                    ("accountId", st(acct)),
                    ("accessKeyId", st(key)),
                    ("userName", s(pr.name)),
                ];
                if console {
                    v.push((
                        "sessionContext",
                        obj(vec![
                            ("sessionIssuer", obj(vec![])),
                            ("webIdFederationData", obj(vec![])),
                            ("attributes", attrs()),
                        ]),
                    ));
                }
                obj(v)
            }
            Kind::Role => {
                let rid = self.unique_id(pi, acct, "AROA");
                let role = RoleSession { acct, role: pr.name, role_id: &rid, session: pr.session };
                let mut v = match role.identity(session_key, created, mfa) {
                    J::Obj(v) => v,
                    _ => vec![],
                };
                if pr.ips == SVC_IP {
                    v.push(("invokedBy", s(invoked)));
                }
                if pr.session.starts_with("i-") {
                    v.push(("ec2RoleDelivery", s("2.0")));
                }
                obj(v)
            }
            Kind::Root => obj(vec![
                ("type", s("Root")),
                ("principalId", st(acct)),
                ("arn", st(format!("arn:aws:iam::{acct}:root"))),
                ("accountId", st(acct)),
                ("accessKeyId", st(session_key.clone())),
                (
                    "sessionContext",
                    obj(vec![
                        ("sessionIssuer", obj(vec![])),
                        ("webIdFederationData", obj(vec![])),
                        ("attributes", attrs()),
                    ]),
                ),
            ]),
            Kind::Service => {
                return (
                    obj(vec![("type", s("AWSService")), ("invokedBy", s(pr.name))]),
                    pr.name.to_string(),
                    pr.name.to_string(),
                );
            }
            Kind::Federated => obj(vec![
                ("type", s("FederatedUser")),
                ("principalId", st(format!("{acct}:{}", pr.session))),
                ("arn", st(format!("arn:aws:sts::{acct}:federated-user/{}", pr.session))),
                ("accountId", st(acct)),
                ("accessKeyId", st(session_key)),
                (
                    "sessionContext",
                    obj(vec![
                        (
                            "sessionIssuer",
                            obj(vec![
                                ("type", s("IAMUser")),
                                ("principalId", st(self.unique_id(pi, acct, "AIDA"))),
                                ("arn", st(format!("arn:aws:iam::{acct}:user/{}", pr.name))),
                                ("accountId", st(acct)),
                                ("userName", s(pr.name)),
                            ]),
                        ),
                        ("webIdFederationData", obj(vec![])),
                        ("attributes", attrs()),
                    ]),
                ),
            ]),
            Kind::Account => {
                let other =
                    self.accounts.iter().find(|a| a.as_str() != acct).cloned().unwrap_or_default();
                obj(vec![
                    ("type", s("AWSAccount")),
                    (
                        "principalId",
                        st(format!("{}:ci-cross-account", self.unique_id(pi, &other, "AROA"))),
                    ),
                    ("accountId", st(other)),
                ])
            }
            Kind::Saml => saml_user(pr.name),
            Kind::WebId => web_identity_user(acct, pr.name),
        };
        (id, ip, ua)
    }

    pub(crate) fn tag(&mut self) -> J {
        let v = if self.rng.chance(0.02) {
            *self.rng.pick(HOSTILE)
        } else {
            *self.rng.pick(TAG_VALUES)
        };
        obj(vec![("key", s(TAG_KEYS[self.rng.below(TAG_KEYS.len())])), ("value", s(v))])
    }

    pub(crate) fn object_key(&mut self) -> String {
        let r = self.rng.unit();
        if r < 0.001 {
            format!("uploads/{}", self.rng.pick(HOSTILE))
        } else if r < 0.04 {
            (*self.rng.pick(KEYS_UNICODE)).to_string()
        } else {
            let base = *self.rng.pick(KEYS_PLAIN);
            format!("{base}.{}", self.rng.below(100_000))
        }
    }

    pub(crate) fn session_token(&mut self) -> String {
        let n = 340 + self.rng.below(300);
        format!("IQoJb3JpZ2luX2Vj{}", chars(&mut self.rng, B64, n))
    }

    /// A role whose sessions stay out of the logs (none of the principals').
    pub(crate) fn role_arn(&mut self, acct: &str) -> String {
        let roles = [
            "ReadOnlyAnalystRole",
            "terraform-plan-role",
            "BillingViewerRole",
            "cdk-hnb659fds-deploy-role",
            "data-pipeline-glue-role",
            "BreakGlassAdminRole",
        ];
        format!("arn:aws:iam::{acct}:role/{}", self.rng.pick(&roles))
    }

    /// The `credentials` of an STS response: `key`, a new session token, and the expiration
    /// `duration_s` after `time`.
    pub(crate) fn credentials(&mut self, key: String, time: i64, duration_s: i64) -> J {
        let token = self.session_token();
        credentials(key, token, time, duration_s)
    }

    pub(crate) fn policy_doc(&mut self, action: &str, resource: &str) -> String {
        format!(
            "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Sid\": \"Allow{}\",\n      \"Effect\": \"Allow\",\n      \"Action\": [\n        \"{action}\"\n      ],\n      \"Resource\": \"{resource}\"\n    }}\n  ]\n}}",
            self.rng.below(1000)
        )
    }

    pub(crate) fn s3_request_id(&mut self) -> String {
        chars(&mut self.rng, b"0123456789ABCDEF", 16)
    }
}

/// The `credentials` of an STS response: `key`, `token`, and the expiration `duration_s` after
/// `time` (in the format CloudTrail writes it).
pub(crate) fn credentials(key: String, token: String, time: i64, duration_s: i64) -> J {
    let exp = tm(time + duration_s * 1000);
    let months =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let (h12, ampm) = match exp.h {
        0 => (12, "AM"),
        1..=11 => (exp.h, "AM"),
        12 => (12, "PM"),
        x => (x - 12, "PM"),
    };
    let expiration = format!(
        "{} {}, {} {}:{:02}:{:02} {}",
        months[(exp.mo as usize).saturating_sub(1) % 12],
        exp.d,
        exp.y,
        h12,
        exp.mi,
        exp.s,
        ampm
    );
    obj(vec![("accessKeyId", st(key)), ("sessionToken", st(token)), ("expiration", st(expiration))])
}

/// `sessionContext.attributes` of a session created at `created` (ms).
pub(crate) fn session_attributes(created: i64, mfa: &'static str) -> J {
    obj(vec![("creationDate", st(fmt_time(created))), ("mfaAuthenticated", s(mfa))])
}

/// A session of a role: what its userIdentity and the `assumedRoleUser` that issued it share.
pub(crate) struct RoleSession<'a> {
    pub(crate) acct: &'a str,
    pub(crate) role: &'a str,
    /// The role's `AROA…` id.
    pub(crate) role_id: &'a str,
    pub(crate) session: &'a str,
}

impl RoleSession<'_> {
    pub(crate) fn arn(&self) -> String {
        format!("arn:aws:sts::{}:assumed-role/{}/{}", self.acct, self.role, self.session)
    }

    pub(crate) fn role_arn(&self) -> String {
        format!("arn:aws:iam::{}:role/{}", self.acct, self.role)
    }

    /// The `AssumedRole` userIdentity of a call with `key`, created at `created` (ms).
    pub(crate) fn identity(&self, key: String, created: i64, mfa: &'static str) -> J {
        obj(vec![
            ("type", s("AssumedRole")),
            ("principalId", st(format!("{}:{}", self.role_id, self.session))),
            ("arn", st(self.arn())),
            ("accountId", st(self.acct)),
            ("accessKeyId", st(key)),
            (
                "sessionContext",
                obj(vec![
                    (
                        "sessionIssuer",
                        obj(vec![
                            ("type", s("Role")),
                            ("principalId", st(self.role_id)),
                            ("arn", st(self.role_arn())),
                            ("accountId", st(self.acct)),
                            ("userName", st(self.role)),
                        ]),
                    ),
                    ("webIdFederationData", obj(vec![])),
                    ("attributes", session_attributes(created, mfa)),
                ]),
            ),
        ])
    }

    /// The `assumedRoleUser` of the AssumeRole* response that issued the session.
    pub(crate) fn assumed_role_user(&self) -> J {
        obj(vec![
            ("assumedRoleId", st(format!("{}:{}", self.role_id, self.session))),
            ("arn", st(self.arn())),
        ])
    }
}

/// The identity provider of the SAML principals (an Okta-like IdP string).
pub(crate) const SAML_IDP: &str = "Q4tXZ2xpc3Q9PT0yMDI0LWFjbWUtb2t0YQ==";

/// The userIdentity of a `SAMLUser` (AssumeRoleWithSAML).
pub(crate) fn saml_user(name: &'static str) -> J {
    obj(vec![
        ("type", s("SAMLUser")),
        ("principalId", st(format!("{SAML_IDP}:{name}"))),
        ("userName", s(name)),
        ("identityProvider", s(SAML_IDP)),
    ])
}

/// The GitHub Actions OIDC provider of `acct`.
pub(crate) fn oidc_provider(acct: &str) -> String {
    format!("arn:aws:iam::{acct}:oidc-provider/token.actions.githubusercontent.com")
}

/// The userIdentity of a `WebIdentityUser` (AssumeRoleWithWebIdentity); `name` is the token's
/// subject.
pub(crate) fn web_identity_user(acct: &str, name: &'static str) -> J {
    let provider = oidc_provider(acct);
    obj(vec![
        ("type", s("WebIdentityUser")),
        ("principalId", st(format!("{provider}:sts.amazonaws.com:{name}"))),
        ("userName", s(name)),
        ("identityProvider", st(provider)),
    ])
}
