//! The details of STS, IAM and console sign-in events: the role sessions issued, policies, the
//! sign-in's MFA.

use super::super::{Gen, RoleSession};
use crate::catalogue::*;
use crate::event::*;
use crate::json::*;

impl Gen<'_> {
    /// Fills the event's details when its action is one of these (`super::Gen::details`); false
    /// when it is not.
    pub(super) fn identity_details(
        &mut self,
        ev: &mut Ev,
        svc: &Svc,
        ctx: &Ctx<'_>,
        actor: &str,
    ) -> bool {
        let acct = ctx.account;
        match (svc.name, ev.name) {
            ("sts", "AssumeRole") => {
                let role_arn = self.role_arn(acct);
                let role = role_arn.rsplit('/').next().unwrap_or("role").to_string();
                let session = if actor.is_empty() {
                    format!("session-{}", self.rng.below(10_000))
                } else {
                    actor.replace(['@', ' '], "-")
                };
                ev.req = obj(vec![
                    ("roleArn", st(role_arn.clone())),
                    ("roleSessionName", st(session.clone())),
                    ("durationSeconds", J::I(3600)),
                ]);
                // A role session outside the logs: its key is never used here.
                let key = format!("ASIA{}", chars(&mut self.rng, UPPER32, 16));
                let role_id = format!("AROA{}", chars(&mut self.rng, UPPER32, 17));
                ev.resp = obj(vec![
                    ("credentials", self.credentials(key, ctx.time, 3600)),
                    (
                        "assumedRoleUser",
                        RoleSession { acct, role: &role, role_id: &role_id, session: &session }
                            .assumed_role_user(),
                    ),
                ]);
                ev.resources = Some(J::Arr(vec![obj(vec![
                    ("accountId", st(acct)),
                    ("type", s("AWS::IAM::Role")),
                    ("ARN", st(role_arn)),
                ])]));
                ev.shared_event_id = self.rng.chance(0.3);
            }
            ("sts", "GetCallerIdentity") => {}
            ("iam", "PutRolePolicy" | "CreateRole" | "AttachRolePolicy") => {
                let role = *self.rng.pick(&[
                    "orders-api-lambda-role",
                    "GitHubActionsDeployRole",
                    "eks-node-group-role",
                ]);
                let bucket = *self.rng.pick(BUCKETS);
                let doc = self.policy_doc("s3:GetObject", &format!("arn:aws:s3:::{bucket}/*"));
                ev.req = match ev.name {
                    "PutRolePolicy" => obj(vec![("roleName", s(role)), ("policyName", s("inline-s3-read")), ("policyDocument", st(doc))]),
                    "CreateRole" => obj(vec![
                        ("roleName", s(role)),
                        ("assumeRolePolicyDocument", s("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}")),
                        ("description", s("Rôle d'exécution — 日本 region test")),
                    ]),
                    _ => obj(vec![("roleName", s(role)), ("policyArn", s("arn:aws:iam::aws:policy/ReadOnlyAccess"))]),
                };
            }
            ("iam", _) => {
                let user = *self.rng.pick(&[
                    "alice",
                    "bob.martin",
                    "jenkins",
                    "grafana-reader",
                    "ops-oncall",
                ]);
                ev.req = match ev.name {
                    "ListRoles" | "ListUsers" | "GetAccountAuthorizationDetails" => {
                        obj(vec![("maxItems", J::I(100))])
                    }
                    "GetRole" | "ListAttachedRolePolicies" | "ListRolePolicies" => {
                        obj(vec![("roleName", s("orders-api-lambda-role"))])
                    }
                    "GetPolicy" | "GetPolicyVersion" => obj(vec![(
                        "policyArn",
                        st(format!("arn:aws:iam::{acct}:policy/ci-deploy")),
                    )]),
                    _ => obj(vec![("userName", s(user))]),
                };
            }
            ("signin", _) => {
                ev.event_type = "AwsConsoleSignIn";
                ev.read_only = false;
                ev.req = J::Null;
                ev.resp = obj(vec![("ConsoleLogin", s("Success"))]);
                ev.additional = Some(obj(vec![
                    ("LoginTo", s("https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_c6ab1e37c5a1d8b1")),
                    ("MobileVersion", s("No")),
                    ("MFAIdentifier", st(format!("arn:aws:iam::{acct}:mfa/{}", if actor.is_empty() { "root-account-mfa-device" } else { actor }))),
                    ("MFAUsed", s("Yes")),
                ]));
                ev.request_id = String::new();
            }
            _ => return false,
        }
        true
    }
}
