//! The background: ordinary activity spread over the whole span (calls, console sign-in failures,
//! VPC endpoint network activity, Insight events).

use super::Gen;
use crate::calendar::*;
use crate::catalogue::*;
use crate::event::*;
use crate::json::*;

impl Gen<'_> {
    /// One background event at `ctx`.
    pub(crate) fn background(&mut self, ctx: &Ctx<'_>, out: &mut Vec<u8>) {
        let r = self.rng.unit();
        if r < 0.0005 {
            return self.insight(ctx, out);
        }
        if r < 0.006 {
            return self.network_activity(ctx, out);
        }
        // Service, then principal consistent with it.
        let mut si;
        let mut tries = 0;
        loop {
            si = self.svc_z.sample(&mut self.rng);
            tries += 1;
            if !SERVICES[si].global || ctx.region == "us-east-1" || tries > 8 {
                break;
            }
        }
        let svc = &SERVICES[si];
        let mut name = svc.actions[self.action_z[si].sample(&mut self.rng)];
        let mut pi = self.principal_z.sample(&mut self.rng);
        let mut source_svc = svc;
        if svc.name == "signin" {
            pi = *self.rng.pick(&self.console);
        }
        // SAML and web-identity principals act through the role they assume; their own events
        // are the ones that open its sessions.
        if matches!(PRINCIPALS[pi].kind, Kind::Saml | Kind::WebId) {
            pi = self.sessions.opens[pi].unwrap_or(pi);
        }
        let kind = PRINCIPALS[pi].kind;
        if kind == Kind::Service {
            let (mut sn, mut an) = *self.rng.pick(SERVICE_ACTIONS);
            if an == "AssumeRole" {
                // A service assumes the role it runs as: open its session if one is due, else
                // do something else (a key that nobody uses would be noise).
                if let Some(role) = self.sessions.opens[pi] {
                    if self.open_session(role, ctx, out) {
                        return;
                    }
                }
                (sn, an) = *self.rng.pick(&SERVICE_ACTIONS[1..]);
            }
            source_svc = SERVICES.iter().find(|s| s.name == sn).unwrap_or(svc);
            name = an;
        }
        let console =
            PRINCIPALS[pi].console && (source_svc.name == "signin" || self.rng.chance(0.5));
        if Gen::uses_session(pi, console) && self.open_session(pi, ctx, out) {
            return;
        }
        let mut denied = false;
        if kind != Kind::Service && name.starts_with("AssumeRole") {
            // Assuming a role is how sessions are opened: open one this principal opens if it is
            // due; else, mostly, call another service (AssumeRoleWithWebIdentity only ever comes
            // from the web identity), sometimes assume a role whose session stays out of the
            // logs, sometimes be denied.
            if let Some(role) = self.sessions.opens[pi] {
                if self.open_session(role, ctx, out) {
                    return;
                }
            }
            let r = self.rng.unit();
            if name != "AssumeRole" || r < 0.9 {
                name = "GetCallerIdentity";
                for _ in 0..8 {
                    let sj = self.svc_z.sample(&mut self.rng);
                    if !matches!(SERVICES[sj].name, "sts" | "signin") {
                        source_svc = &SERVICES[sj];
                        name = source_svc.actions[self.action_z[sj].sample(&mut self.rng)];
                        break;
                    }
                }
            } else {
                denied = r < 0.93;
            }
        }
        let (identity, ip, ua) = self.identity(pi, ctx, console);
        let arn = get_str(&identity, "arn").unwrap_or_default().to_string();
        let mut ev = Ev::new(source_svc.source, name);
        ev.identity = identity;
        ev.ip = ip;
        ev.ua = ua;
        ev.console = console && source_svc.name != "signin";
        ev.request_id = uuid(&mut self.rng);
        if kind != Kind::Service {
            ev.tls_host = Some(format!("{}.{}.amazonaws.com", source_svc.name, ctx.region));
        }
        let actor = PRINCIPALS[pi].name;
        self.details(
            &mut ev,
            source_svc,
            ctx,
            if kind == Kind::Role { PRINCIPALS[pi].session } else { actor },
        );
        if kind == Kind::Service {
            ev.tls_host = None;
            ev.event_type = if name == "RetireGrant" { "AwsServiceEvent" } else { "AwsApiCall" };
            ev.shared_event_id = self.rng.chance(0.5);
        }
        if denied {
            let role = get_str(&ev.req, "roleArn").unwrap_or_default();
            let msg = format!(
                "User: {arn} is not authorized to perform: sts:AssumeRole on resource: {role}"
            );
            ev.error = Some(("AccessDenied".to_string(), msg));
        } else if kind != Kind::Service && self.rng.chance(0.05) {
            if source_svc.name == "signin" {
                // ConsoleLogin failures carry only errorMessage and keep their responseElements.
                return self.console_failure(ctx, ev, out);
            }
            ev.error = Some(self.error_for(&ev, &arn));
        }
        render(&mut self.rng, ctx, ev, out);
    }

    pub(crate) fn console_failure(&mut self, ctx: &Ctx<'_>, ev: Ev, out: &mut Vec<u8>) {
        let o = vec![
            ("eventVersion", s("1.09")),
            ("userIdentity", ev.identity),
            ("eventTime", st(fmt_time(ctx.time))),
            ("eventSource", s("signin.amazonaws.com")),
            ("eventName", s("ConsoleLogin")),
            ("awsRegion", s(ctx.region)),
            ("sourceIPAddress", st(ev.ip)),
            ("userAgent", st(ev.ua)),
            ("errorMessage", s("Failed authentication")),
            ("requestParameters", J::Null),
            ("responseElements", obj(vec![("ConsoleLogin", s("Failure"))])),
            (
                "additionalEventData",
                obj(vec![
                    ("LoginTo", s("https://console.aws.amazon.com/console/home")),
                    ("MobileVersion", s("No")),
                    ("MFAUsed", s("No")),
                ]),
            ),
            ("eventID", st(uuid(&mut self.rng))),
            ("readOnly", J::B(false)),
            ("eventType", s("AwsConsoleSignIn")),
            ("managementEvent", J::B(true)),
            ("recipientAccountId", st(ctx.account)),
            ("eventCategory", s("Management")),
            (
                "tlsDetails",
                obj(vec![
                    ("tlsVersion", s("TLSv1.3")),
                    ("cipherSuite", s("TLS_AES_128_GCM_SHA256")),
                    ("clientProvidedHostHeader", s("signin.aws.amazon.com")),
                ]),
            ),
        ];
        write_json(out, &J::Obj(o));
    }

    pub(crate) fn network_activity(&mut self, ctx: &Ctx<'_>, out: &mut Vec<u8>) {
        let (src, name) = *self.rng.pick(&[
            ("kms.amazonaws.com", "ListKeys"),
            ("secretsmanager.amazonaws.com", "GetSecretValue"),
            ("cloudtrail.amazonaws.com", "LookupEvents"),
            ("s3.amazonaws.com", "ListBuckets"),
            ("ec2.amazonaws.com", "DescribeInstances"),
        ]);
        let other =
            self.accounts.iter().find(|a| a.as_str() != ctx.account).cloned().unwrap_or_default();
        let denied = self.rng.chance(0.7);
        let mut o = vec![
            ("eventVersion", s("1.11")),
            (
                "userIdentity",
                obj(vec![
                    ("type", s("AWSAccount")),
                    (
                        "principalId",
                        st(format!(
                            "AROA{}:i-{}",
                            chars(&mut self.rng, UPPER32, 17),
                            chars(&mut self.rng, HEX, 17)
                        )),
                    ),
                    ("accountId", st(other)),
                ]),
            ),
            ("eventTime", st(fmt_time(ctx.time))),
            ("eventSource", s(src)),
            ("eventName", s(name)),
            ("awsRegion", s(ctx.region)),
            (
                "sourceIPAddress",
                st(format!(
                    "10.{}.{}.{}",
                    self.rng.below(256),
                    self.rng.below(256),
                    1 + self.rng.below(254)
                )),
            ),
            ("userAgent", s(UA_SDK[0])),
        ];
        if denied {
            o.push(("errorCode", s("VpceAccessDenied")));
            o.push(("errorMessage", s("The request was denied due to a VPC endpoint policy")));
        }
        o.push(("requestID", st(uuid(&mut self.rng))));
        o.push(("eventID", st(uuid(&mut self.rng))));
        o.push(("eventType", s("AwsVpceEvent")));
        o.push(("recipientAccountId", st(ctx.account)));
        o.push(("sharedEventID", st(uuid(&mut self.rng))));
        o.push(("vpcEndpointId", st(format!("vpce-{}", chars(&mut self.rng, HEX, 17)))));
        o.push(("vpcEndpointAccountId", st(ctx.account)));
        o.push(("eventCategory", s("NetworkActivity")));
        write_json(out, &J::Obj(o));
    }

    pub(crate) fn insight(&mut self, ctx: &Ctx<'_>, out: &mut Vec<u8>) {
        let (src, name, kind) = *self.rng.pick(&[
            ("ec2.amazonaws.com", "RunInstances", "ApiCallRateInsight"),
            ("iam.amazonaws.com", "CreateAccessKey", "ApiCallRateInsight"),
            ("s3.amazonaws.com", "DeleteObject", "ApiErrorRateInsight"),
            ("kms.amazonaws.com", "Decrypt", "ApiCallRateInsight"),
        ]);
        let start = self.rng.chance(0.5);
        let baseline = (self.rng.below(1000) as f64) / 1000.0 + 0.001;
        let insight_avg = (20 + self.rng.below(200)) as f64;
        let mut stats = vec![
            ("baseline", obj(vec![("average", J::F(baseline))])),
            ("insight", obj(vec![("average", J::F(insight_avg))])),
        ];
        if !start {
            stats.push(("insightDuration", J::I(1 + self.rng.below(30) as i64)));
            stats.push(("baselineDuration", J::I(10_080)));
        }
        let o = vec![
            ("eventVersion", s("1.08")),
            ("eventTime", st(fmt_time(ctx.time))),
            ("awsRegion", s(ctx.region)),
            ("eventID", st(uuid(&mut self.rng))),
            ("eventType", s("AwsCloudTrailInsight")),
            ("recipientAccountId", st(ctx.account)),
            ("sharedEventID", st(uuid(&mut self.rng))),
            (
                "insightDetails",
                obj(vec![
                    ("state", s(if start { "Start" } else { "End" })),
                    ("eventSource", s(src)),
                    ("eventName", s(name)),
                    ("insightType", s(kind)),
                    (
                        "insightContext",
                        obj(vec![
                            ("statistics", obj(stats)),
                            (
                                "attributions",
                                J::Arr(vec![obj(vec![
                                    ("attribute", s("userIdentityArn")),
                                    ("insight", J::Arr(vec![obj(vec![("value", st(format!("arn:aws:sts::{}:assumed-role/GitHubActionsDeployRole/GitHubActions", ctx.account))), ("average", J::F(insight_avg))])])),
                                    ("baseline", J::Arr(vec![obj(vec![("value", st(format!("arn:aws:sts::{}:assumed-role/GitHubActionsDeployRole/GitHubActions", ctx.account))), ("average", J::F(baseline))])])),
                                ])]),
                            ),
                        ]),
                    ),
                ]),
            ),
            ("eventCategory", s("Insight")),
        ];
        write_json(out, &J::Obj(o));
    }
}
