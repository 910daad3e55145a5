//! The generator's state ([`Gen`]): accounts, keys and identities of the principals, and the
//! small makers (tags, object keys, credentials, policies) the event kinds share.

mod background;
mod details;

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
        Gen {
            opts,
            rng: Rng::new(opts.seed),
            accounts: [acct.clone(), other(1), other(2)],
            svc_z: Zipf::new(SERVICES.len(), 1.05),
            action_z: SERVICES.iter().map(|s| Zipf::new(s.actions.len(), 1.2)).collect(),
            region_z: Zipf::new(REGIONS.len(), 1.3),
            principal_z: Zipf::new(PRINCIPALS.len(), 1.0),
            console: PRINCIPALS
                .iter()
                .enumerate()
                .filter(|(_, p)| p.console)
                .map(|(i, _)| i)
                .collect(),
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

    pub(crate) fn session_key(&self, pi: usize, account: &str, hour: i64) -> String {
        id_from(
            self.opts.seed,
            &[2, pi as u64, self.account_index(account), hour as u64],
            "ASIA",
            UPPER32,
            16,
        )
    }

    pub(crate) fn unique_id(&self, pi: usize, account: &str, prefix: &str) -> String {
        id_from(self.opts.seed, &[3, pi as u64, self.account_index(account)], prefix, UPPER32, 17)
    }

    /// userIdentity, source IP and user agent of principal `pi` acting in `account` at `time`.
    pub(crate) fn identity(
        &mut self,
        pi: usize,
        ctx: &Ctx<'_>,
        console: bool,
    ) -> (J, String, String) {
        let pr = &PRINCIPALS[pi];
        let acct = ctx.account;
        let hour = ctx.time.div_euclid(3_600_000);
        let created =
            st(fmt_time(hour * 3_600_000 + (h(&[pi as u64, hour as u64]) % 600_000) as i64));
        let mfa = if pr.console { "true" } else { "false" };
        let attrs = || {
            obj(vec![
                (
                    "creationDate",
                    J::Str(match &created {
                        J::Str(x) => x.clone(),
                        _ => String::new(),
                    }),
                ),
                ("mfaAuthenticated", s(mfa)),
            ])
        };
        let ip =
            if pr.ips == SVC_IP { String::new() } else { (*self.rng.pick(pr.ips)).to_string() };
        let ua_set: &[&str] =
            if pr.uas.is_empty() { &[""] } else { pr.uas[self.rng.below(pr.uas.len())] };
        let mut ua = (*self.rng.pick(ua_set)).to_string();
        if self.rng.chance(0.0015) {
            ua = (*self.rng.pick(UA_HOSTILE)).to_string();
        }
        let id = match pr.kind {
            Kind::User => {
                let key = if console { self.session_key(pi, acct, hour) } else { self.access_key(pi, acct) };
                let mut v = vec![
                    ("type", s("IAMUser")),
                    ("principalId", st(self.unique_id(pi, acct, "AIDA"))),
                    ("arn", st(format!("arn:aws:iam::{acct}:user/{}", pr.name))),
                    ("accountId", st(acct)),
                    ("accessKeyId", st(key)),
                    ("userName", s(pr.name)),
                ];
                if console {
                    v.push(("sessionContext", obj(vec![("sessionIssuer", obj(vec![])), ("webIdFederationData", obj(vec![])), ("attributes", attrs())])));
                }
                obj(v)
            }
            Kind::Role => {
                let rid = self.unique_id(pi, acct, "AROA");
                let mut v = vec![
                    ("type", s("AssumedRole")),
                    ("principalId", st(format!("{rid}:{}", pr.session))),
                    ("arn", st(format!("arn:aws:sts::{acct}:assumed-role/{}/{}", pr.name, pr.session))),
                    ("accountId", st(acct)),
                    ("accessKeyId", st(self.session_key(pi, acct, hour))),
                    (
                        "sessionContext",
                        obj(vec![
                            (
                                "sessionIssuer",
                                obj(vec![
                                    ("type", s("Role")),
                                    ("principalId", st(rid)),
                                    ("arn", st(format!("arn:aws:iam::{acct}:role/{}", pr.name))),
                                    ("accountId", st(acct)),
                                    ("userName", s(pr.name)),
                                ]),
                            ),
                            ("webIdFederationData", obj(vec![])),
                            ("attributes", attrs()),
                        ]),
                    ),
                ];
                if pr.ips == SVC_IP {
                    v.push(("invokedBy", s(ua_set.first().copied().unwrap_or("AWS Internal"))));
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
                ("accessKeyId", st(self.session_key(pi, acct, hour))),
                ("sessionContext", obj(vec![("sessionIssuer", obj(vec![])), ("webIdFederationData", obj(vec![])), ("attributes", attrs())])),
            ]),
            Kind::Service => {
                return (obj(vec![("type", s("AWSService")), ("invokedBy", s(pr.name))]), pr.name.to_string(), pr.name.to_string());
            }
            Kind::Federated => obj(vec![
                ("type", s("FederatedUser")),
                ("principalId", st(format!("{acct}:{}", pr.session))),
                ("arn", st(format!("arn:aws:sts::{acct}:federated-user/{}", pr.session))),
                ("accountId", st(acct)),
                ("accessKeyId", st(self.session_key(pi, acct, hour))),
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
                let other = self.accounts.iter().find(|a| a.as_str() != acct).cloned().unwrap_or_default();
                obj(vec![("type", s("AWSAccount")), ("principalId", st(format!("{}:ci-cross-account", self.unique_id(pi, &other, "AROA")))), ("accountId", st(other))])
            }
            Kind::Saml => {
                let idp = "Q4tXZ2xpc3Q9PT0yMDI0LWFjbWUtb2t0YQ==";
                obj(vec![("type", s("SAMLUser")), ("principalId", st(format!("{idp}:{}", pr.name))), ("userName", s(pr.name)), ("identityProvider", s(idp))])
            }
            Kind::WebId => obj(vec![
                ("type", s("WebIdentityUser")),
                ("principalId", st(format!("arn:aws:iam::{acct}:oidc-provider/token.actions.githubusercontent.com:sts.amazonaws.com:{}", pr.name))),
                ("userName", s(pr.name)),
                ("identityProvider", st(format!("arn:aws:iam::{acct}:oidc-provider/token.actions.githubusercontent.com"))),
            ]),
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

    pub(crate) fn role_arn(&mut self, acct: &str) -> String {
        let roles = [
            "orders-api-lambda-role",
            "GitHubActionsDeployRole",
            "DatadogIntegrationRole",
            "eks-node-group-role",
            "aws-controltower-ConfigRecorderRole",
            "SecurityAuditRole",
        ];
        format!("arn:aws:iam::{acct}:role/{}", self.rng.pick(&roles))
    }

    pub(crate) fn credentials(&mut self, acct: &str, role: &str, session: &str, time: i64) -> J {
        let key = format!("ASIA{}", chars(&mut self.rng, UPPER32, 16));
        let tok = self.session_token();
        let exp = tm(time + 3_600_000);
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
        let rid = format!("AROA{}", chars(&mut self.rng, UPPER32, 17));
        obj(vec![
            (
                "credentials",
                obj(vec![
                    ("accessKeyId", st(key)),
                    ("sessionToken", st(tok)),
                    ("expiration", st(expiration)),
                ]),
            ),
            (
                "assumedRoleUser",
                obj(vec![
                    ("assumedRoleId", st(format!("{rid}:{session}"))),
                    ("arn", st(format!("arn:aws:sts::{acct}:assumed-role/{role}/{session}"))),
                ]),
            ),
        ])
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
