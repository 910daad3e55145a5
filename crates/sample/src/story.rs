//! The attack story (see the crate docs): when each step happens and what it writes.

use crate::calendar::*;
use crate::catalogue::*;
use crate::event::*;
use crate::gen::{credentials, Gen, RoleSession};
use crate::json::*;
use crate::rng::*;

impl Gen<'_> {
    // ------------------------------------------------------------------------------------------
    // The attack story

    /// Story events as (time, step). The step index is interpreted by [`Gen::story_event`].
    pub(crate) fn story_times(&self) -> Vec<(i64, u16)> {
        let t0 = self.story_t0();
        let mut v: Vec<(i64, u16)> = Vec::new();
        let mut rng = Rng::new(h(&[self.opts.seed, 77]));
        let sec = 1000;
        v.push((t0, 0)); // GetCallerIdentity
        v.push((t0 + 4 * sec, 1)); // ListBuckets
        let mut t = t0 + 9 * sec;
        for i in 0..RECON.len() as u16 {
            v.push((t, 100 + i));
            t += (2 + rng.below(6) as i64) * sec;
        }
        for &(offset, step) in LATERAL {
            v.push((t0 + offset * sec, step));
        }
        let p = t0 + 14 * 60 * sec;
        v.push((p, 200)); // CreateUser
        v.push((p + 20 * sec, 201)); // CreateAccessKey
        v.push((p + 41 * sec, 202)); // AttachUserPolicy
        let d = t0 + 21 * 60 * sec;
        v.push((d, 300)); // GetCallerIdentity as backup-admin
        v.push((d + 15 * sec, 301)); // StopLogging
        v.push((d + 40 * sec, 302)); // DeleteTrail
        let b = t0 + 27 * 60 * sec;
        v.push((b, 400)); // DeleteBucketPublicAccessBlock
        v.push((b + 25 * sec, 401)); // PutBucketPolicy
        let x = t0 + 33 * 60 * sec;
        v.push((x, 500)); // ListSecrets
        let mut t = x + 6 * sec;
        for i in 0..30u16 {
            v.push((t, 501 + i));
            t += (1 + rng.below(5) as i64) * sec;
        }
        let g = t0 + 40 * 60 * sec;
        for i in 0..10u16 {
            v.push((g + i64::from(i) * 7 * sec, 600 + i));
        }
        v
    }

    /// `T0` of the crate docs.
    fn story_t0(&self) -> i64 {
        (self.opts.start_ms + (i128::from(self.opts.span_ms.max(0)) * 5 / 8) as i64)
            .div_euclid(60_000)
            * 60_000
    }

    /// A call of the attacker's (their address and user agent) as `identity`.
    fn attacker_event(
        &mut self,
        src: &'static str,
        name: &'static str,
        identity: J,
        region: &str,
    ) -> Ev {
        let mut ev = Ev::new(src, name);
        ev.identity = identity;
        ev.ip = ATTACKER_IP.to_string();
        ev.ua = ATTACKER_UA.to_string();
        ev.request_id = uuid(&mut self.rng);
        ev.tls_host =
            Some(format!("{}.{}.amazonaws.com", src.trim_end_matches(".amazonaws.com"), region));
        ev
    }

    pub(crate) fn story_event(&mut self, step: u16, ctx: &Ctx<'_>, out: &mut Vec<u8>) {
        if (250..300).contains(&step) {
            return self.story_lateral(step, ctx, out);
        }
        let acct = ctx.account;
        let backdoor = (300..=499).contains(&step);
        let user = if backdoor { BACKDOOR_USER } else { VICTIM };
        let key = if backdoor { BACKDOOR_KEY } else { LEAKED_KEY };
        let uid = if backdoor {
            id_from(self.opts.seed, &[9], "AIDA", UPPER32, 17)
        } else {
            self.unique_id(
                PRINCIPALS.iter().position(|p| p.name == VICTIM).unwrap_or(0),
                acct,
                "AIDA",
            )
        };
        let arn = format!("arn:aws:iam::{acct}:user/{user}");
        let identity = if step >= 600 {
            obj(vec![
                ("type", s("AWSAccount")),
                ("principalId", s("")),
                ("accountId", s("anonymous")),
            ])
        } else {
            obj(vec![
                ("type", s("IAMUser")),
                ("principalId", st(uid)),
                ("arn", st(arn.clone())),
                ("accountId", st(acct)),
                ("accessKeyId", s(key)),
                ("userName", s(user)),
            ])
        };
        let (src, name, denied): (&'static str, &'static str, Option<&'static str>) = match step {
            0 | 300 => ("sts.amazonaws.com", "GetCallerIdentity", None),
            1 => ("s3.amazonaws.com", "ListBuckets", None),
            100..=199 => {
                let (src, name, d) = RECON[usize::from(step - 100) % RECON.len()];
                (src, name, d)
            }
            200 => ("iam.amazonaws.com", "CreateUser", None),
            201 => ("iam.amazonaws.com", "CreateAccessKey", None),
            202 => ("iam.amazonaws.com", "AttachUserPolicy", None),
            301 => ("cloudtrail.amazonaws.com", "StopLogging", None),
            302 => ("cloudtrail.amazonaws.com", "DeleteTrail", None),
            400 => ("s3.amazonaws.com", "DeleteBucketPublicAccessBlock", None),
            401 => ("s3.amazonaws.com", "PutBucketPolicy", None),
            500 => ("secretsmanager.amazonaws.com", "ListSecrets", None),
            501..=599 => (
                "secretsmanager.amazonaws.com",
                "GetSecretValue",
                if (step - 501) % 4 == 3 { Some("AccessDeniedException") } else { None },
            ),
            _ => ("s3.amazonaws.com", "GetObject", None),
        };
        let mut ev = self.attacker_event(src, name, identity, ctx.region);
        match step {
            1 => {
                ev.request_id = self.s3_request_id();
                ev.req = obj(vec![("Host", s("s3.us-east-1.amazonaws.com"))]);
            }
            100..=199 => {
                if name == "ListAttachedUserPolicies" {
                    ev.req = obj(vec![("userName", s(VICTIM))]);
                } else if name == "DescribeInstances" {
                    ev.req = obj(vec![("instancesSet", obj(vec![])), ("filterSet", obj(vec![]))]);
                } else if name == "GetBucketPolicy" {
                    let bucket = BUCKETS[usize::from(step) % BUCKETS.len()];
                    ev.request_id = self.s3_request_id();
                    ev.req = obj(vec![
                        ("bucketName", s(bucket)),
                        ("Host", st(format!("{bucket}.s3.us-east-1.amazonaws.com"))),
                        ("policy", s("")),
                    ]);
                }
            }
            200 => {
                ev.req = obj(vec![
                    ("userName", s(BACKDOOR_USER)),
                    ("tags", J::Arr(vec![obj(vec![("key", s("owner")), ("value", s("backup"))])])),
                ]);
                ev.resp = obj(vec![(
                    "user",
                    obj(vec![
                        ("path", s("/")),
                        ("userName", s(BACKDOOR_USER)),
                        ("userId", st(id_from(self.opts.seed, &[9], "AIDA", UPPER32, 17))),
                        ("arn", st(format!("arn:aws:iam::{acct}:user/{BACKDOOR_USER}"))),
                        ("createDate", st(fmt_time(ctx.time))),
                    ]),
                )]);
            }
            201 => {
                ev.req = obj(vec![("userName", s(BACKDOOR_USER))]);
                ev.resp = obj(vec![(
                    "accessKey",
                    obj(vec![
                        ("userName", s(BACKDOOR_USER)),
                        ("accessKeyId", s(BACKDOOR_KEY)),
                        ("status", s("Active")),
                        ("createDate", st(fmt_time(ctx.time))),
                    ]),
                )]);
            }
            202 => {
                ev.req = obj(vec![
                    ("userName", s(BACKDOOR_USER)),
                    ("policyArn", s("arn:aws:iam::aws:policy/AdministratorAccess")),
                ]);
            }
            301 | 302 => {
                ev.req = obj(vec![(
                    "name",
                    st(format!("arn:aws:cloudtrail:us-east-1:{acct}:trail/{TRAIL}")),
                )]);
                ev.resources = Some(J::Arr(vec![obj(vec![
                    ("accountId", st(acct)),
                    ("type", s("AWS::CloudTrail::Trail")),
                    ("ARN", st(format!("arn:aws:cloudtrail:us-east-1:{acct}:trail/{TRAIL}"))),
                ])]));
            }
            400 | 401 => {
                ev.request_id = self.s3_request_id();
                let mut req = vec![
                    ("bucketName", s(PUBLIC_BUCKET)),
                    ("Host", st(format!("{PUBLIC_BUCKET}.s3.us-east-1.amazonaws.com"))),
                ];
                if step == 400 {
                    req.push(("publicAccessBlock", s("")));
                } else {
                    req.push((
                        "bucketPolicy",
                        obj(vec![
                            ("Version", s("2012-10-17")),
                            (
                                "Statement",
                                J::Arr(vec![obj(vec![
                                    ("Sid", s("PublicRead")),
                                    ("Effect", s("Allow")),
                                    ("Principal", s("*")),
                                    ("Action", J::Arr(vec![s("s3:GetObject")])),
                                    (
                                        "Resource",
                                        J::Arr(vec![st(format!("arn:aws:s3:::{PUBLIC_BUCKET}/*"))]),
                                    ),
                                ])]),
                            ),
                        ]),
                    ));
                    req.push(("policy", s("")));
                }
                ev.req = obj(req);
                ev.resources = Some(J::Arr(vec![obj(vec![
                    ("accountId", st(acct)),
                    ("type", s("AWS::S3::Bucket")),
                    ("ARN", st(format!("arn:aws:s3:::{PUBLIC_BUCKET}"))),
                ])]));
            }
            501..=599 => {
                let secret = SECRETS[usize::from(step - 501) % SECRETS.len()];
                ev.req = obj(vec![("secretId", s(secret))]);
                ev.resources = Some(J::Arr(vec![obj(vec![
                    ("accountId", st(acct)),
                    ("type", s("AWS::SecretsManager::Secret")),
                    (
                        "ARN",
                        st(format!(
                            "arn:aws:secretsmanager:us-east-1:{acct}:secret:{secret}-{}",
                            chars(&mut self.rng, ALNUM, 6)
                        )),
                    ),
                ])]));
            }
            600..=699 => {
                let key = format!("exports/customers-2024-03-part-{:04}.csv.gz", step - 600);
                ev.category = "Data";
                ev.management = false;
                ev.version = "1.10";
                ev.request_id = self.s3_request_id();
                ev.ua = "curl/8.4.0".to_string();
                ev.req = obj(vec![
                    ("bucketName", s(PUBLIC_BUCKET)),
                    ("Host", st(format!("{PUBLIC_BUCKET}.s3.amazonaws.com"))),
                    ("key", st(key.clone())),
                ]);
                ev.additional = Some(obj(vec![
                    ("SignatureVersion", s("")),
                    ("CipherSuite", s("TLS_AES_128_GCM_SHA256")),
                    ("bytesTransferredIn", J::I(0)),
                    ("AuthenticationMethod", s("")),
                    ("x-amz-id-2", st(chars(&mut self.rng, B64, 76))),
                    ("bytesTransferredOut", J::I(self.rng.range(5_000_000, 90_000_000) as i64)),
                ]));
                ev.resources = Some(J::Arr(vec![
                    obj(vec![
                        ("type", s("AWS::S3::Object")),
                        ("ARN", st(format!("arn:aws:s3:::{PUBLIC_BUCKET}/{key}"))),
                    ]),
                    obj(vec![
                        ("accountId", st(acct)),
                        ("type", s("AWS::S3::Bucket")),
                        ("ARN", st(format!("arn:aws:s3:::{PUBLIC_BUCKET}"))),
                    ]),
                ]));
            }
            _ => {}
        }
        if let Some(code) = denied {
            let action = format!("{}:{}", src.trim_end_matches(".amazonaws.com"), name);
            let msg = if code == "Client.UnauthorizedOperation" {
                format!("You are not authorized to perform this operation. User: {arn} is not authorized to perform: {action} because no identity-based policy allows the {action} action")
            } else if code == "AccessDenied" && src == "s3.amazonaws.com" {
                "Access Denied".to_string()
            } else {
                format!("User: {arn} is not authorized to perform: {action} because no identity-based policy allows the {action} action")
            };
            ev.error = Some((code.to_string(), msg));
        }
        render(&mut self.rng, ctx, ev, out);
    }
}

/// The lateral movement of the story: (seconds after `T0`, step). A step and the one after it at
/// the same time are the two copies of one cross-account `AssumeRole`.
static LATERAL: &[(i64, u16)] = &[
    (300, 250), // AssumeRole into the third account: denied
    (330, 251), // AssumeRole into the second account, the primary's copy
    (330, 252), // … the second account's copy
    (360, 253), // GetCallerIdentity in the second account
    (375, 254), // iam:ListUsers
    (395, 255), // iam:ListRoles
    (410, 256), // s3:ListBuckets
    (430, 257), // ec2:DescribeInstances
    (480, 258), // AssumeRole from the second account into the third, the second's copy
    (480, 259), // … the third account's copy
    (510, 260), // GetCallerIdentity in the third account
    (530, 261), // s3:ListBuckets
    (560, 262), // secretsmanager:ListSecrets
];

/// The role the attacker assumes in the other accounts, and its session name.
pub(crate) const PIVOT_ROLE: &str = "OrganizationAccountAccessRole";

impl Gen<'_> {
    /// A step of the lateral movement ([`LATERAL`]).
    fn story_lateral(&mut self, step: u16, ctx: &Ctx<'_>, out: &mut Vec<u8>) {
        let [a1, a2, a3] = self.accounts.clone();
        let t0 = self.story_t0();
        let pivot = PRINCIPALS.iter().position(|p| p.name == PIVOT_ROLE).unwrap_or(0);
        let victim = PRINCIPALS.iter().position(|p| p.name == VICTIM).unwrap_or(0);
        let uid = self.unique_id(victim, &a1, "AIDA");
        let (id2, id3) = (self.unique_id(pivot, &a2, "AROA"), self.unique_id(pivot, &a3, "AROA"));
        let hop1 = RoleSession { acct: &a2, role: PIVOT_ROLE, role_id: &id2, session: VICTIM };
        let hop2 = RoleSession { acct: &a3, role: PIVOT_ROLE, role_id: &id3, session: VICTIM };
        let user = obj(vec![
            ("type", s("IAMUser")),
            ("principalId", st(uid.clone())),
            ("arn", st(format!("arn:aws:iam::{a1}:user/{VICTIM}"))),
            ("accountId", st(a1.clone())),
            ("accessKeyId", s(LEAKED_KEY)),
            ("userName", s(VICTIM)),
        ]);
        // The sessions were created by the AssumeRole steps 251 and 258.
        let in_hop1 = || hop1.identity(HOP1_KEY.to_string(), t0 + 330_000, "false");
        let in_hop2 = || hop2.identity(HOP2_KEY.to_string(), t0 + 480_000, "false");
        let (account, identity, src, name) = match step {
            250 | 251 => (&a1, user, "sts.amazonaws.com", "AssumeRole"),
            252 => (
                &a2,
                obj(vec![
                    ("type", s("AWSAccount")),
                    ("principalId", st(uid)),
                    ("accountId", st(a1.clone())),
                ]),
                "sts.amazonaws.com",
                "AssumeRole",
            ),
            253 => (&a2, in_hop1(), "sts.amazonaws.com", "GetCallerIdentity"),
            254 => (&a2, in_hop1(), "iam.amazonaws.com", "ListUsers"),
            255 => (&a2, in_hop1(), "iam.amazonaws.com", "ListRoles"),
            256 => (&a2, in_hop1(), "s3.amazonaws.com", "ListBuckets"),
            257 => (&a2, in_hop1(), "ec2.amazonaws.com", "DescribeInstances"),
            258 => (&a2, in_hop1(), "sts.amazonaws.com", "AssumeRole"),
            259 => (
                &a3,
                obj(vec![
                    ("type", s("AWSAccount")),
                    ("principalId", st(format!("{id2}:{VICTIM}"))),
                    ("accountId", st(a2.clone())),
                ]),
                "sts.amazonaws.com",
                "AssumeRole",
            ),
            260 => (&a3, in_hop2(), "sts.amazonaws.com", "GetCallerIdentity"),
            261 => (&a3, in_hop2(), "s3.amazonaws.com", "ListBuckets"),
            _ => (&a3, in_hop2(), "secretsmanager.amazonaws.com", "ListSecrets"),
        };
        let ctx = Ctx { time: ctx.time, region: ctx.region, account: account.as_str() };
        let mut ev = self.attacker_event(src, name, identity, ctx.region);
        match step {
            250..=252 | 258 | 259 => {
                let (target, key) = match step {
                    250 => (&hop2, ""),
                    251 | 252 => (&hop1, HOP1_KEY),
                    _ => (&hop2, HOP2_KEY),
                };
                ev.req = obj(vec![
                    ("roleArn", st(target.role_arn())),
                    ("roleSessionName", s(VICTIM)),
                    ("durationSeconds", J::I(3600)),
                ]);
                ev.resources = Some(J::Arr(vec![obj(vec![
                    ("accountId", st(target.acct)),
                    ("type", s("AWS::IAM::Role")),
                    ("ARN", st(target.role_arn())),
                ])]));
                if step == 250 {
                    let msg = format!(
                        "User: arn:aws:iam::{a1}:user/{VICTIM} is not authorized to perform: \
                         sts:AssumeRole on resource: {}",
                        target.role_arn()
                    );
                    ev.error = Some(("AccessDenied".to_string(), msg));
                } else {
                    // Both copies of the call carry the same request, response and sharedEventID.
                    let mut r = Rng::new(h(&[self.opts.seed, 78, u64::from(step >= 258)]));
                    let token = format!("IQoJb3JpZ2luX2Vj{}", chars(&mut r, B64, 420));
                    ev.request_id = uuid(&mut r);
                    ev.shared_id = Some(uuid(&mut r));
                    ev.resp = obj(vec![
                        ("credentials", credentials(key.to_string(), token, ctx.time, 3600)),
                        ("assumedRoleUser", target.assumed_role_user()),
                    ]);
                }
            }
            256 | 261 => {
                ev.request_id = self.s3_request_id();
                ev.req = obj(vec![("Host", s("s3.us-east-1.amazonaws.com"))]);
            }
            254 | 255 => ev.req = obj(vec![("maxItems", J::I(100))]),
            257 => ev.req = obj(vec![("instancesSet", obj(vec![])), ("filterSet", obj(vec![]))]),
            262 => ev.req = obj(vec![("maxResults", J::I(100))]),
            _ => {}
        }
        render(&mut self.rng, &ctx, ev, out);
    }
}

/// The recon burst of the story: (eventSource, eventName, error).
pub(crate) static RECON: &[(&str, &str, Option<&str>)] = &[
    ("iam.amazonaws.com", "GetUser", None),
    ("iam.amazonaws.com", "ListAttachedUserPolicies", None),
    ("iam.amazonaws.com", "ListUsers", Some("AccessDenied")),
    ("iam.amazonaws.com", "ListRoles", Some("AccessDenied")),
    ("iam.amazonaws.com", "GetAccountAuthorizationDetails", Some("AccessDenied")),
    ("ec2.amazonaws.com", "DescribeInstances", Some("Client.UnauthorizedOperation")),
    ("ec2.amazonaws.com", "DescribeSecurityGroups", Some("Client.UnauthorizedOperation")),
    ("ec2.amazonaws.com", "DescribeVpcs", Some("Client.UnauthorizedOperation")),
    ("rds.amazonaws.com", "DescribeDBInstances", Some("AccessDenied")),
    ("lambda.amazonaws.com", "ListFunctions20150331", Some("AccessDeniedException")),
    ("kms.amazonaws.com", "ListKeys", Some("AccessDeniedException")),
    ("dynamodb.amazonaws.com", "ListTables", Some("AccessDeniedException")),
    ("organizations.amazonaws.com", "DescribeOrganization", Some("AccessDeniedException")),
    ("guardduty.amazonaws.com", "ListDetectors", Some("AccessDeniedException")),
    ("ssm.amazonaws.com", "DescribeParameters", Some("AccessDeniedException")),
    ("secretsmanager.amazonaws.com", "ListSecrets", None),
    ("cloudtrail.amazonaws.com", "DescribeTrails", None),
    ("s3.amazonaws.com", "GetBucketPolicy", Some("AccessDenied")),
    ("s3.amazonaws.com", "GetBucketPolicy", Some("AccessDenied")),
    ("s3.amazonaws.com", "GetBucketPolicy", Some("AccessDenied")),
    ("sns.amazonaws.com", "ListTopics", Some("AuthorizationError")),
    ("sqs.amazonaws.com", "ListQueues", Some("AccessDenied")),
    ("ecr.amazonaws.com", "DescribeRepositories", Some("AccessDeniedException")),
    ("iam.amazonaws.com", "ListAccessKeys", None),
];
