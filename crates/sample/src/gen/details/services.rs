//! The details of the other services' events: KMS, Lambda, CloudWatch Logs, DynamoDB, Secrets
//! Manager, SSM, SNS, CloudTrail, and the write calls of the rest (named resources with tags).

use super::super::Gen;
use crate::calendar::*;
use crate::catalogue::*;
use crate::event::*;
use crate::json::*;

impl Gen<'_> {
    /// Fills the event's details when its action is one of these (`super::Gen::details`); false
    /// when it is not.
    pub(super) fn services_details(
        &mut self,
        ev: &mut Ev,
        svc: &Svc,
        ctx: &Ctx<'_>,
        _actor: &str,
    ) -> bool {
        let acct = ctx.account;
        let region = ctx.region;
        match (svc.name, ev.name) {
            ("kms", _) => {
                let key_arn = format!("arn:aws:kms:{region}:{acct}:key/{}", uuid(&mut self.rng));
                let mut req = vec![("keyId", st(key_arn.clone()))];
                if matches!(ev.name, "Decrypt" | "GenerateDataKey" | "Encrypt") {
                    req.push(("encryptionAlgorithm", s("SYMMETRIC_DEFAULT")));
                    let ctxv = match self.rng.below(3) {
                        0 => obj(vec![(
                            "aws:lambda:FunctionArn",
                            st(format!(
                                "arn:aws:lambda:{region}:{acct}:function:{}",
                                self.rng.pick(FUNCTIONS)
                            )),
                        )]),
                        1 => obj(vec![(
                            "aws:s3:arn",
                            st(format!("arn:aws:s3:::{}", self.rng.pick(BUCKETS))),
                        )]),
                        _ => obj(vec![
                            (
                                "SecretARN",
                                st(format!(
                                    "arn:aws:secretsmanager:{region}:{acct}:secret:{}-{}",
                                    self.rng.pick(SECRETS),
                                    chars(&mut self.rng, ALNUM, 6)
                                )),
                            ),
                            ("SecretVersionId", st(uuid(&mut self.rng))),
                        ]),
                    };
                    req.push(("encryptionContext", ctxv));
                    if ev.name == "GenerateDataKey" {
                        req.push(("keySpec", s("AES_256")));
                    }
                }
                ev.req = obj(req);
                ev.resources = Some(J::Arr(vec![obj(vec![
                    ("accountId", st(acct)),
                    ("type", s("AWS::KMS::Key")),
                    ("ARN", st(key_arn)),
                ])]));
            }
            ("lambda", "Invoke") => {
                let f =
                    format!("arn:aws:lambda:{region}:{acct}:function:{}", self.rng.pick(FUNCTIONS));
                ev.category = "Data";
                ev.management = false;
                ev.read_only = false;
                ev.version = "1.10";
                ev.req = obj(vec![
                    ("functionName", st(f.clone())),
                    (
                        "invocationType",
                        s(if self.rng.chance(0.7) { "RequestResponse" } else { "Event" }),
                    ),
                    ("logType", s("None")),
                ]);
                ev.additional = Some(obj(vec![("functionVersion", st(format!("{f}:$LATEST")))]));
                ev.resources = Some(J::Arr(vec![obj(vec![
                    ("accountId", st(acct)),
                    ("type", s("AWS::Lambda::Function")),
                    ("ARN", st(f)),
                ])]));
            }
            ("lambda", _) => {
                let f = *self.rng.pick(FUNCTIONS);
                ev.req = obj(vec![("functionName", s(f))]);
                if ev.name.starts_with("Update") || ev.name.starts_with("Create") {
                    ev.resp = obj(vec![
                        ("functionName", s(f)),
                        ("functionArn", st(format!("arn:aws:lambda:{region}:{acct}:function:{f}"))),
                        ("runtime", s("nodejs18.x")),
                        ("role", st(format!("arn:aws:iam::{acct}:role/orders-api-lambda-role"))),
                        ("handler", s("index.handler")),
                        ("codeSize", J::I(self.rng.range(1000, 50_000_000) as i64)),
                        ("description", s("Commandes API — déployé par CI 🚀")),
                        ("timeout", J::I(30)),
                        ("memorySize", J::I(512)),
                        (
                            "lastModified",
                            st(format!("{}.000+0000", fmt_time(ctx.time).trim_end_matches('Z'))),
                        ),
                        ("codeSha256", st(chars(&mut self.rng, B64, 44))),
                        ("version", s("$LATEST")),
                        ("tracingConfig", obj(vec![("mode", s("PassThrough"))])),
                        ("revisionId", st(uuid(&mut self.rng))),
                        ("state", s("Active")),
                        ("architectures", J::Arr(vec![s("arm64")])),
                        ("ephemeralStorage", obj(vec![("size", J::I(512))])),
                    ]);
                }
            }
            ("logs", _) => {
                let f = *self.rng.pick(FUNCTIONS);
                ev.req = obj(vec![
                    ("logGroupName", st(format!("/aws/lambda/{f}"))),
                    (
                        "logStreamName",
                        st(format!(
                            "{}/[$LATEST]{}",
                            fmt_time(ctx.time).get(0..10).unwrap_or(""),
                            chars(&mut self.rng, HEX, 32)
                        )),
                    ),
                ]);
            }
            ("dynamodb", _) => {
                let t = *self.rng.pick(TABLES);
                if matches!(
                    ev.name,
                    "GetItem"
                        | "Query"
                        | "PutItem"
                        | "UpdateItem"
                        | "BatchWriteItem"
                        | "Scan"
                        | "DeleteItem"
                ) {
                    ev.category = "Data";
                    ev.management = false;
                    ev.version = "1.10";
                }
                ev.req = obj(vec![
                    ("tableName", s(t)),
                    (
                        "key",
                        obj(vec![
                            ("pk", st(format!("ORDER#{}", self.rng.below(10_000_000)))),
                            ("sk", s("META")),
                        ]),
                    ),
                    ("consistentRead", J::B(false)),
                ]);
                ev.resources = Some(J::Arr(vec![obj(vec![
                    ("accountId", st(acct)),
                    ("type", s("AWS::DynamoDB::Table")),
                    ("ARN", st(format!("arn:aws:dynamodb:{region}:{acct}:table/{t}"))),
                ])]));
            }
            ("secretsmanager", _) => {
                ev.req = obj(vec![(
                    "secretId",
                    st(format!(
                        "arn:aws:secretsmanager:{region}:{acct}:secret:{}-{}",
                        self.rng.pick(SECRETS),
                        chars(&mut self.rng, ALNUM, 6)
                    )),
                )]);
            }
            ("ssm", "SendCommand") => {
                ev.req = obj(vec![
                    ("documentName", s("AWS-RunPowerShellScript")),
                    ("instanceIds", J::Arr(vec![st(format!("i-{}", self.resource_hex()))])),
                    ("parameters", s("HIDDEN_DUE_TO_SECURITY_REASONS")),
                    ("comment", s("clean C:\\Windows\\Temp\\*.log \"nightly\"")),
                ]);
            }
            ("ssm", _) => {
                ev.req = obj(vec![
                    (
                        "name",
                        st(format!(
                            "/app/prod/{}",
                            self.rng.pick(&["db-url", "feature-flags", "api-endpoint"])
                        )),
                    ),
                    ("withDecryption", J::B(self.rng.chance(0.5))),
                ]);
            }
            ("sns", "Publish") => {
                let subj = if self.rng.chance(0.5) {
                    "🚨 ALARM: \"orders-api 5xx\" in US East (N. Virginia)"
                } else {
                    "Rapport quotidien — données prêtes"
                };
                ev.req = obj(vec![
                    ("topicArn", st(format!("arn:aws:sns:{region}:{acct}:alerts"))),
                    ("subject", s(subj)),
                    ("messageStructure", s("json")),
                ]);
                ev.resp = obj(vec![("messageId", st(uuid(&mut self.rng)))]);
            }
            ("cloudtrail", _) => {
                ev.req = match ev.name {
                    "LookupEvents" => obj(vec![
                        (
                            "lookupAttributes",
                            J::Arr(vec![obj(vec![
                                ("attributeKey", s("EventName")),
                                ("attributeValue", s("ConsoleLogin")),
                            ])]),
                        ),
                        ("maxResults", J::I(50)),
                    ]),
                    "DescribeTrails" | "ListTrails" => {
                        obj(vec![("includeShadowTrails", J::B(true))])
                    }
                    _ => obj(vec![(
                        "name",
                        st(format!("arn:aws:cloudtrail:us-east-1:{acct}:trail/{TRAIL}")),
                    )]),
                };
            }
            (
                "events" | "states" | "glue" | "cloudformation" | "sqs" | "ecr" | "ecs" | "backup",
                _,
            ) if !ev.read_only => {
                let t1 = self.tag();
                let t2 = self.tag();
                ev.req = obj(vec![
                    ("name", st(format!("{}-{}", svc.name, self.rng.below(500)))),
                    ("description", s("managed by terraform")),
                    ("tags", J::Arr(vec![t1, t2])),
                ]);
                ev.resp = obj(vec![(
                    "arn",
                    st(format!(
                        "arn:aws:{}:{region}:{acct}:resource/{}",
                        svc.name,
                        uuid(&mut self.rng)
                    )),
                )]);
            }
            _ => return false,
        }
        true
    }
}
