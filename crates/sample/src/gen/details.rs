//! Per-service request parameters, response elements and resources of a background event, and
//! the errors a call may fail with.

use super::{Gen, RoleSession};
use crate::calendar::*;
use crate::catalogue::*;
use crate::event::*;
use crate::json::*;

impl Gen<'_> {
    /// Fills requestParameters/responseElements/resources/additionalEventData for the action.
    pub(crate) fn details(&mut self, ev: &mut Ev, svc: &Svc, ctx: &Ctx<'_>, actor: &str) {
        let acct = ctx.account;
        let region = ctx.region;
        let rng_obj = |g: &mut Self| chars(&mut g.rng, HEX, 17);
        match (svc.name, ev.name) {
            ("s3", "GetObject" | "PutObject" | "HeadObject" | "DeleteObject" | "ListObjects") => {
                let bucket = *self.rng.pick(BUCKETS);
                let host = format!("{bucket}.s3.{region}.amazonaws.com");
                ev.category = "Data";
                ev.management = false;
                ev.version = "1.10";
                ev.request_id = self.s3_request_id();
                let (req, res) = if ev.name == "ListObjects" {
                    (
                        obj(vec![
                            ("bucketName", s(bucket)),
                            ("Host", st(host.clone())),
                            ("prefix", s("exports/")),
                            ("list-type", s("2")),
                            ("encoding-type", s("url")),
                        ]),
                        J::Arr(vec![obj(vec![
                            ("accountId", st(acct)),
                            ("type", s("AWS::S3::Bucket")),
                            ("ARN", st(format!("arn:aws:s3:::{bucket}"))),
                        ])]),
                    )
                } else {
                    let key = self.object_key();
                    (
                        obj(vec![
                            ("bucketName", s(bucket)),
                            ("Host", st(host.clone())),
                            ("key", st(key.clone())),
                        ]),
                        J::Arr(vec![
                            obj(vec![
                                ("type", s("AWS::S3::Object")),
                                ("ARN", st(format!("arn:aws:s3:::{bucket}/{key}"))),
                            ]),
                            obj(vec![
                                ("accountId", st(acct)),
                                ("type", s("AWS::S3::Bucket")),
                                ("ARN", st(format!("arn:aws:s3:::{bucket}"))),
                            ]),
                        ]),
                    )
                };
                ev.req = req;
                ev.resources = Some(res);
                let out = if ev.name == "GetObject" { self.rng.range(200, 40_000_000) } else { 0 };
                let inb = if ev.name == "PutObject" { self.rng.range(200, 40_000_000) } else { 0 };
                let amzid = chars(&mut self.rng, B64, 76);
                ev.additional = Some(obj(vec![
                    ("SignatureVersion", s("SigV4")),
                    ("CipherSuite", s("TLS_AES_128_GCM_SHA256")),
                    ("bytesTransferredIn", J::I(inb as i64)),
                    ("AuthenticationMethod", s("AuthHeader")),
                    ("x-amz-id-2", st(amzid)),
                    ("bytesTransferredOut", J::I(out as i64)),
                ]));
                if ev.name == "PutObject" {
                    ev.resp = obj(vec![
                        ("x-amz-server-side-encryption", s("aws:kms")),
                        (
                            "x-amz-server-side-encryption-aws-kms-key-id",
                            st(format!("arn:aws:kms:{region}:{acct}:key/{}", uuid(&mut self.rng))),
                        ),
                        ("x-amz-version-id", st(chars(&mut self.rng, ALNUM, 32))),
                    ]);
                }
                ev.tls_host = Some(host);
            }
            ("s3", _) => {
                let bucket = *self.rng.pick(BUCKETS);
                let host = format!("s3.{region}.amazonaws.com");
                ev.request_id = self.s3_request_id();
                let mut req = vec![("Host", st(host.clone()))];
                if ev.name != "ListBuckets" {
                    req.insert(0, ("bucketName", s(bucket)));
                    ev.resources = Some(J::Arr(vec![obj(vec![
                        ("accountId", st(acct)),
                        ("type", s("AWS::S3::Bucket")),
                        ("ARN", st(format!("arn:aws:s3:::{bucket}"))),
                    ])]));
                }
                match ev.name {
                    "GetBucketAcl" => req.push(("acl", s(""))),
                    "GetBucketPolicy" | "PutBucketPolicy" => req.push(("policy", s(""))),
                    "PutBucketTagging" => {
                        let t = self.tag();
                        req.push(("tagging", s("")));
                        req.push((
                            "Tagging",
                            obj(vec![
                                ("xmlns", s("http://s3.amazonaws.com/doc/2006-03-01/")),
                                ("TagSet", obj(vec![("Tag", t)])),
                            ]),
                        ));
                    }
                    "GetBucketLocation" => req.push(("location", s(""))),
                    _ => {}
                }
                ev.req = obj(req);
                let amzid = chars(&mut self.rng, B64, 76);
                ev.additional = Some(obj(vec![
                    ("SignatureVersion", s("SigV4")),
                    ("CipherSuite", s("TLS_AES_128_GCM_SHA256")),
                    ("bytesTransferredIn", J::I(0)),
                    ("AuthenticationMethod", s("AuthHeader")),
                    ("x-amz-id-2", st(amzid)),
                    ("bytesTransferredOut", J::I(self.rng.range(0, 2000) as i64)),
                ]));
                ev.tls_host = Some(host);
            }
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
            ("ec2", "RunInstances") => {
                let itype = *self.rng.pick(INSTANCE_TYPES);
                let ami = format!("ami-{}", chars(&mut self.rng, HEX, 17));
                let subnet = format!("subnet-{}", rng_obj(self));
                let sg = format!("sg-{}", rng_obj(self));
                let t1 = self.tag();
                let t2 = self.tag();
                ev.req = obj(vec![
                    (
                        "instancesSet",
                        obj(vec![(
                            "items",
                            J::Arr(vec![obj(vec![
                                ("imageId", st(ami.clone())),
                                ("minCount", J::I(1)),
                                ("maxCount", J::I(1)),
                            ])]),
                        )]),
                    ),
                    ("instanceType", s(itype)),
                    (
                        "blockDeviceMapping",
                        obj(vec![(
                            "items",
                            J::Arr(vec![obj(vec![
                                ("deviceName", s("/dev/xvda")),
                                (
                                    "ebs",
                                    obj(vec![
                                        ("volumeSize", J::I(50)),
                                        ("deleteOnTermination", J::B(true)),
                                        ("volumeType", s("gp3")),
                                        ("encrypted", J::B(true)),
                                    ]),
                                ),
                            ])]),
                        )]),
                    ),
                    ("monitoring", obj(vec![("enabled", J::B(false))])),
                    ("disableApiTermination", J::B(false)),
                    ("subnetId", st(subnet.clone())),
                    ("iamInstanceProfile", obj(vec![("name", s("eks-node-group-role"))])),
                    (
                        "tagSpecificationSet",
                        obj(vec![(
                            "items",
                            J::Arr(vec![obj(vec![
                                ("resourceType", s("instance")),
                                ("tags", J::Arr(vec![t1, t2])),
                            ])]),
                        )]),
                    ),
                    (
                        "metadataOptions",
                        obj(vec![
                            ("httpTokens", s("required")),
                            ("httpPutResponseHopLimit", J::I(2)),
                        ]),
                    ),
                ]);
                let iid = format!("i-{}", rng_obj(self));
                let eni = format!("eni-{}", rng_obj(self));
                let ip4 = format!(
                    "10.{}.{}.{}",
                    self.rng.below(256),
                    self.rng.below(256),
                    self.rng.below(254) + 1
                );
                ev.resp = obj(vec![
                    ("requestId", st(uuid(&mut self.rng))),
                    ("reservationId", st(format!("r-{}", rng_obj(self)))),
                    ("ownerId", st(acct)),
                    ("groupSet", obj(vec![])),
                    (
                        "instancesSet",
                        obj(vec![(
                            "items",
                            J::Arr(vec![obj(vec![
                                ("instanceId", st(iid)),
                                ("imageId", st(ami)),
                                ("currentInstanceBootMode", s("uefi")),
                                (
                                    "instanceState",
                                    obj(vec![("code", J::I(0)), ("name", s("pending"))]),
                                ),
                                (
                                    "privateDnsName",
                                    st(format!("ip-{}.ec2.internal", ip4.replace('.', "-"))),
                                ),
                                ("amiLaunchIndex", J::I(0)),
                                ("instanceType", s(itype)),
                                ("launchTime", J::I(ctx.time)),
                                (
                                    "placement",
                                    obj(vec![
                                        ("availabilityZone", st(format!("{region}a"))),
                                        ("tenancy", s("default")),
                                    ]),
                                ),
                                ("subnetId", st(subnet)),
                                ("privateIpAddress", st(ip4.clone())),
                                (
                                    "groupSet",
                                    obj(vec![(
                                        "items",
                                        J::Arr(vec![obj(vec![
                                            ("groupId", st(sg)),
                                            ("groupName", s("eks-nodes")),
                                        ])]),
                                    )]),
                                ),
                                (
                                    "networkInterfaceSet",
                                    obj(vec![(
                                        "items",
                                        J::Arr(vec![obj(vec![
                                            ("networkInterfaceId", st(eni)),
                                            ("status", s("in-use")),
                                            ("privateIpAddress", st(ip4)),
                                        ])]),
                                    )]),
                                ),
                                ("ebsOptimized", J::B(true)),
                                ("enaSupport", J::B(true)),
                            ])]),
                        )]),
                    ),
                ]);
                ev.api_version = None;
            }
            ("ec2", "DescribeInstances" | "DescribeInstanceStatus") => {
                ev.req = obj(vec![
                    ("instancesSet", obj(vec![])),
                    (
                        "filterSet",
                        obj(vec![(
                            "items",
                            J::Arr(vec![obj(vec![
                                ("name", s("instance-state-name")),
                                (
                                    "valueSet",
                                    obj(vec![(
                                        "items",
                                        J::Arr(vec![
                                            obj(vec![("value", s("running"))]),
                                            obj(vec![("value", s("pending"))]),
                                        ]),
                                    )]),
                                ),
                            ])]),
                        )]),
                    ),
                    ("maxResults", J::I(1000)),
                ]);
            }
            ("ec2", "StartInstances" | "StopInstances" | "TerminateInstances") => {
                let iid = format!("i-{}", rng_obj(self));
                ev.req = obj(vec![(
                    "instancesSet",
                    obj(vec![("items", J::Arr(vec![obj(vec![("instanceId", st(iid.clone()))])]))]),
                )]);
                ev.resp = obj(vec![
                    ("requestId", st(uuid(&mut self.rng))),
                    (
                        "instancesSet",
                        obj(vec![(
                            "items",
                            J::Arr(vec![obj(vec![
                                ("instanceId", st(iid)),
                                (
                                    "currentState",
                                    obj(vec![("code", J::I(64)), ("name", s("stopping"))]),
                                ),
                                (
                                    "previousState",
                                    obj(vec![("code", J::I(16)), ("name", s("running"))]),
                                ),
                            ])]),
                        )]),
                    ),
                ]);
            }
            ("ec2", "CreateTags") => {
                let t = self.tag();
                ev.req = obj(vec![
                    (
                        "resourcesSet",
                        obj(vec![(
                            "items",
                            J::Arr(vec![obj(vec![(
                                "resourceId",
                                st(format!("i-{}", rng_obj(self))),
                            )])]),
                        )]),
                    ),
                    ("tagSet", obj(vec![("items", J::Arr(vec![t]))])),
                ]);
                ev.resp =
                    obj(vec![("requestId", st(uuid(&mut self.rng))), ("_return", J::B(true))]);
            }
            ("ec2", "AuthorizeSecurityGroupIngress") => {
                let cidr = if self.rng.chance(0.3) { "0.0.0.0/0" } else { "10.0.0.0/8" };
                ev.req = obj(vec![
                    ("groupId", st(format!("sg-{}", rng_obj(self)))),
                    (
                        "ipPermissions",
                        obj(vec![(
                            "items",
                            J::Arr(vec![obj(vec![
                                ("ipProtocol", s("tcp")),
                                ("fromPort", J::I(22)),
                                ("toPort", J::I(22)),
                                ("groups", obj(vec![])),
                                (
                                    "ipRanges",
                                    obj(vec![(
                                        "items",
                                        J::Arr(vec![obj(vec![
                                            ("cidrIp", s(cidr)),
                                            ("description", s("ssh from bastion — temporaire")),
                                        ])]),
                                    )]),
                                ),
                            ])]),
                        )]),
                    ),
                ]);
                ev.resp =
                    obj(vec![("requestId", st(uuid(&mut self.rng))), ("_return", J::B(true))]);
            }
            ("ec2", _) => {
                ev.req = if ev.name.starts_with("Describe") {
                    obj(vec![("maxResults", J::I(1000)), ("filterSet", obj(vec![]))])
                } else {
                    obj(vec![("resourceId", st(format!("vol-{}", rng_obj(self))))])
                };
            }
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
                    ("instanceIds", J::Arr(vec![st(format!("i-{}", rng_obj(self)))])),
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
            _ => {
                ev.req = if self.rng.chance(0.5) {
                    obj(vec![("maxResults", J::I(100))])
                } else {
                    J::Null
                };
            }
        }
    }

    pub(crate) fn error_for(&mut self, ev: &Ev, arn: &str) -> (String, String) {
        let action = format!("{}:{}", ev.source.trim_end_matches(".amazonaws.com"), ev.name);
        let who = if arn.is_empty() { "anonymous".to_string() } else { arn.to_string() };
        let r = self.rng.below(10);
        match (ev.source, r) {
            (_, 0) => ("ThrottlingException".into(), "Rate exceeded".into()),
            ("ec2.amazonaws.com", 1..=6) => ("Client.UnauthorizedOperation".into(), "You are not authorized to perform this operation. User: ".to_string() + &who + " is not authorized to perform: " + &action + " because no identity-based policy allows the action. Encoded authorization failure message: " + &chars(&mut self.rng, ALNUM, 120)),
            ("ec2.amazonaws.com", _) => ("Client.InvalidInstanceID.NotFound".into(), format!("The instance ID 'i-{}' does not exist", chars(&mut self.rng, HEX, 17))),
            ("s3.amazonaws.com", 1..=5) => ("AccessDenied".into(), "Access Denied".into()),
            ("s3.amazonaws.com", 6 | 7) => ("NoSuchBucket".into(), "The specified bucket does not exist".into()),
            ("s3.amazonaws.com", _) => ("NoSuchKey".into(), "The specified key does not exist.".into()),
            ("iam.amazonaws.com", 8 | 9) => ("NoSuchEntityException".into(), "The user with name ghost-user cannot be found.".into()),
            ("iam.amazonaws.com", 7) => ("EntityAlreadyExistsException".into(), "Role with name orders-api-lambda-role already exists.".into()),
            ("kms.amazonaws.com" | "secretsmanager.amazonaws.com" | "dynamodb.amazonaws.com" | "lambda.amazonaws.com" | "ssm.amazonaws.com", 8) => ("ResourceNotFoundException".into(), "Requested resource not found".into()),
            ("kms.amazonaws.com" | "secretsmanager.amazonaws.com" | "dynamodb.amazonaws.com" | "lambda.amazonaws.com" | "ssm.amazonaws.com", 9) => ("ValidationException".into(), "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null".into()),
            ("kms.amazonaws.com" | "secretsmanager.amazonaws.com" | "dynamodb.amazonaws.com" | "lambda.amazonaws.com", _) => ("AccessDeniedException".into(), format!("User: {who} is not authorized to perform: {action} because no identity-based policy allows the {action} action")),
            _ => ("AccessDenied".into(), format!("User: {who} is not authorized to perform: {action} because no identity-based policy allows the {action} action")),
        }
    }
}
