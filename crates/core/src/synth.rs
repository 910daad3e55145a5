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
//! AssumedRole with sessionContext/sessionIssuer and hourly `ASIA…` session keys, Root, AWSService
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
//! # The attack story (`attack_story: true`)
//!
//! A coherent incident a responder can find, about 75 events, all in the primary account
//! ([`SynthOptions::account`]) and `us-east-1`. `T0` is `start_ms + span_ms * 5 / 8` rounded down to
//! the minute; with the default options that is **2024-03-08T09:00:00Z**.
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

// Indices below come from `Rng::below(len)` / `Zipf::sample` over non-empty static tables (a unit
// test checks every table is non-empty), so indexing cannot go out of bounds.
#![allow(clippy::indexing_slicing)]

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

// ---------------------------------------------------------------------------------------------
// PRNG

/// splitmix64: small, fast, good enough, identical on every target.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5851_f42d_4c95_7f2d)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }
    /// Uniform in `0..n` (0 when `n == 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below((hi - lo + 1) as usize) as u64
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Stable hash of a few numbers (keys that must not depend on the draw order).
fn h(parts: &[u64]) -> u64 {
    parts.iter().fold(0x243f_6a88_85a3_08d3, |acc, &p| mix(acc ^ mix(p.wrapping_add(0x1357_9bdf))))
}

/// Zipf-like sampler over `n` items: weight of rank r is 1/(r+1)^s.
struct Zipf {
    cum: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Self {
        let mut acc = 0.0;
        let cum = (0..n.max(1))
            .map(|r| {
                acc += 1.0 / ((r + 1) as f64).powf(s);
                acc
            })
            .collect();
        Zipf { cum }
    }
    fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.cum.last().copied().unwrap_or(1.0);
        let u = rng.unit() * total;
        self.cum.partition_point(|&c| c <= u).min(self.cum.len() - 1)
    }
}

// ---------------------------------------------------------------------------------------------
// A tiny JSON tree and writer (keys in CloudTrail's order; proper escaping).

enum J {
    Null,
    B(bool),
    I(i64),
    F(f64),
    S(&'static str),
    Str(String),
    Obj(Vec<(&'static str, J)>),
    Arr(Vec<J>),
}

fn s(x: &'static str) -> J {
    J::S(x)
}
fn st(x: impl Into<String>) -> J {
    J::Str(x.into())
}
fn obj(v: Vec<(&'static str, J)>) -> J {
    J::Obj(v)
}

fn write_str(out: &mut Vec<u8>, x: &str) {
    out.push(b'"');
    let b = x.as_bytes();
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        let esc: Option<&[u8]> = match c {
            b'"' => Some(b"\\\""),
            b'\\' => Some(b"\\\\"),
            b'\n' => Some(b"\\n"),
            b'\r' => Some(b"\\r"),
            b'\t' => Some(b"\\t"),
            0..=0x1f => None,
            _ => continue,
        };
        out.extend_from_slice(&b[start..i]);
        match esc {
            Some(e) => out.extend_from_slice(e),
            None => {
                let _ = write!(out, "\\u{:04x}", c);
            }
        }
        start = i + 1;
    }
    out.extend_from_slice(&b[start..]);
    out.push(b'"');
}

fn write_json(out: &mut Vec<u8>, j: &J) {
    match j {
        J::Null => out.extend_from_slice(b"null"),
        J::B(true) => out.extend_from_slice(b"true"),
        J::B(false) => out.extend_from_slice(b"false"),
        J::I(n) => {
            let _ = write!(out, "{n}");
        }
        J::F(f) => {
            if f.is_finite() {
                let _ = write!(out, "{f}");
            } else {
                out.extend_from_slice(b"0");
            }
        }
        J::S(x) => write_str(out, x),
        J::Str(x) => write_str(out, x),
        J::Obj(kv) => {
            out.push(b'{');
            for (i, (k, v)) in kv.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_str(out, k);
                out.push(b':');
                write_json(out, v);
            }
            out.push(b'}');
        }
        J::Arr(xs) => {
            out.push(b'[');
            for (i, v) in xs.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_json(out, v);
            }
            out.push(b']');
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Time

fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

struct Tm {
    y: i64,
    mo: u32,
    d: u32,
    h: u32,
    mi: u32,
    s: u32,
}

fn tm(ms: i64) -> Tm {
    let secs = ms.div_euclid(1000);
    let (y, mo, d) = civil(secs.div_euclid(86_400));
    let r = secs.rem_euclid(86_400) as u32;
    Tm { y, mo, d, h: r / 3600, mi: r / 60 % 60, s: r % 60 }
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
pub fn fmt_time(ms: i64) -> String {
    let t = tm(ms);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", t.y, t.mo, t.d, t.h, t.mi, t.s)
}

// ---------------------------------------------------------------------------------------------
// Catalogue

struct Svc {
    name: &'static str,
    source: &'static str,
    global: bool,
    actions: &'static [&'static str],
}

const fn svc(
    name: &'static str,
    source: &'static str,
    global: bool,
    actions: &'static [&'static str],
) -> Svc {
    Svc { name, source, global, actions }
}

/// In popularity order (Zipf rank).
static SERVICES: &[Svc] = &[
    svc(
        "s3",
        "s3.amazonaws.com",
        false,
        &[
            "GetBucketAcl",
            "GetObject",
            "GetBucketLocation",
            "PutObject",
            "HeadObject",
            "ListObjects",
            "ListBuckets",
            "GetBucketPolicy",
            "DeleteObject",
            "GetBucketEncryption",
            "GetBucketVersioning",
            "GetBucketPublicAccessBlock",
            "PutBucketTagging",
            "CreateBucket",
            "PutBucketPolicy",
            "DeleteBucket",
        ],
    ),
    svc(
        "sts",
        "sts.amazonaws.com",
        false,
        &[
            "AssumeRole",
            "GetCallerIdentity",
            "GetSessionToken",
            "AssumeRoleWithWebIdentity",
            "GetAccessKeyInfo",
        ],
    ),
    svc(
        "ec2",
        "ec2.amazonaws.com",
        false,
        &[
            "DescribeInstances",
            "DescribeSecurityGroups",
            "DescribeVpcs",
            "DescribeSubnets",
            "DescribeNetworkInterfaces",
            "DescribeVolumes",
            "DescribeImages",
            "DescribeInstanceStatus",
            "CreateTags",
            "RunInstances",
            "StartInstances",
            "StopInstances",
            "AuthorizeSecurityGroupIngress",
            "CreateNetworkInterface",
            "DeleteNetworkInterface",
            "TerminateInstances",
            "CreateSnapshot",
        ],
    ),
    svc(
        "kms",
        "kms.amazonaws.com",
        false,
        &[
            "Decrypt",
            "GenerateDataKey",
            "Encrypt",
            "DescribeKey",
            "ListAliases",
            "ListKeys",
            "GetKeyPolicy",
            "CreateGrant",
            "RetireGrant",
            "ScheduleKeyDeletion",
        ],
    ),
    svc(
        "lambda",
        "lambda.amazonaws.com",
        false,
        &[
            "Invoke",
            "GetFunction",
            "ListFunctions20150331",
            "GetFunctionConfiguration",
            "UpdateFunctionCode20150331v2",
            "UpdateFunctionConfiguration20150331v2",
            "CreateFunction20150331",
            "AddPermission20150331v2",
            "DeleteFunction20150331",
        ],
    ),
    svc(
        "iam",
        "iam.amazonaws.com",
        true,
        &[
            "GetRole",
            "ListRoles",
            "GetUser",
            "ListAttachedRolePolicies",
            "ListUsers",
            "GetPolicy",
            "GetPolicyVersion",
            "ListAccessKeys",
            "ListRolePolicies",
            "PutRolePolicy",
            "CreateRole",
            "AttachRolePolicy",
            "CreateAccessKey",
            "UpdateAccessKey",
            "DeleteAccessKey",
            "CreateUser",
            "AttachUserPolicy",
            "CreateLoginProfile",
            "DeleteUser",
            "GetAccountAuthorizationDetails",
        ],
    ),
    svc(
        "logs",
        "logs.amazonaws.com",
        false,
        &[
            "CreateLogStream",
            "DescribeLogGroups",
            "DescribeLogStreams",
            "FilterLogEvents",
            "GetLogEvents",
            "CreateLogGroup",
            "PutRetentionPolicy",
            "StartQuery",
            "DeleteLogGroup",
        ],
    ),
    svc(
        "dynamodb",
        "dynamodb.amazonaws.com",
        false,
        &[
            "GetItem",
            "Query",
            "PutItem",
            "UpdateItem",
            "DescribeTable",
            "ListTables",
            "BatchWriteItem",
            "Scan",
            "DeleteItem",
            "CreateBackup",
        ],
    ),
    svc(
        "cloudtrail",
        "cloudtrail.amazonaws.com",
        false,
        &[
            "LookupEvents",
            "DescribeTrails",
            "GetTrailStatus",
            "GetEventSelectors",
            "ListTrails",
            "PutEventSelectors",
            "CreateTrail",
            "StartLogging",
            "StopLogging",
            "DeleteTrail",
            "UpdateTrail",
        ],
    ),
    svc(
        "sns",
        "sns.amazonaws.com",
        false,
        &[
            "Publish",
            "ListTopics",
            "GetTopicAttributes",
            "ListSubscriptionsByTopic",
            "Subscribe",
            "CreateTopic",
            "SetTopicAttributes",
        ],
    ),
    svc(
        "sqs",
        "sqs.amazonaws.com",
        false,
        &[
            "GetQueueAttributes",
            "ListQueues",
            "GetQueueUrl",
            "SetQueueAttributes",
            "CreateQueue",
            "PurgeQueue",
            "DeleteQueue",
        ],
    ),
    svc(
        "secretsmanager",
        "secretsmanager.amazonaws.com",
        false,
        &[
            "GetSecretValue",
            "DescribeSecret",
            "ListSecrets",
            "PutSecretValue",
            "RotateSecret",
            "CreateSecret",
            "DeleteSecret",
        ],
    ),
    svc(
        "ssm",
        "ssm.amazonaws.com",
        false,
        &[
            "GetParameter",
            "GetParameters",
            "DescribeInstanceInformation",
            "GetParametersByPath",
            "UpdateInstanceInformation",
            "ListCommands",
            "SendCommand",
            "PutParameter",
            "StartSession",
            "DescribeParameters",
        ],
    ),
    svc(
        "monitoring",
        "monitoring.amazonaws.com",
        false,
        &["DescribeAlarms", "GetMetricData", "ListMetrics", "PutMetricAlarm", "DeleteAlarms"],
    ),
    svc(
        "config",
        "config.amazonaws.com",
        false,
        &[
            "PutEvaluations",
            "DescribeConfigRules",
            "DescribeConfigurationRecorders",
            "GetResourceConfigHistory",
            "PutConfigurationRecorder",
        ],
    ),
    svc(
        "ecr",
        "ecr.amazonaws.com",
        false,
        &[
            "GetAuthorizationToken",
            "BatchGetImage",
            "GetDownloadUrlForLayer",
            "DescribeRepositories",
            "DescribeImages",
            "PutImage",
            "CreateRepository",
        ],
    ),
    svc(
        "ecs",
        "ecs.amazonaws.com",
        false,
        &[
            "DescribeServices",
            "DescribeTasks",
            "ListTasks",
            "DescribeClusters",
            "RegisterTaskDefinition",
            "UpdateService",
            "RunTask",
        ],
    ),
    svc(
        "eks",
        "eks.amazonaws.com",
        false,
        &[
            "DescribeCluster",
            "ListClusters",
            "DescribeNodegroup",
            "ListNodegroups",
            "UpdateNodegroupConfig",
        ],
    ),
    svc(
        "rds",
        "rds.amazonaws.com",
        false,
        &[
            "DescribeDBInstances",
            "DescribeDBClusters",
            "DescribeDBSnapshots",
            "CreateDBSnapshot",
            "ModifyDBInstance",
            "DeleteDBInstance",
        ],
    ),
    svc(
        "elasticloadbalancing",
        "elasticloadbalancing.amazonaws.com",
        false,
        &[
            "DescribeTargetHealth",
            "DescribeLoadBalancers",
            "DescribeTargetGroups",
            "RegisterTargets",
            "DeregisterTargets",
        ],
    ),
    svc(
        "autoscaling",
        "autoscaling.amazonaws.com",
        false,
        &[
            "DescribeAutoScalingGroups",
            "DescribeScalingActivities",
            "UpdateAutoScalingGroup",
            "SetDesiredCapacity",
        ],
    ),
    svc(
        "cloudformation",
        "cloudformation.amazonaws.com",
        false,
        &[
            "DescribeStacks",
            "ListStacks",
            "DescribeStackEvents",
            "GetTemplate",
            "CreateStack",
            "UpdateStack",
            "DeleteStack",
        ],
    ),
    svc(
        "guardduty",
        "guardduty.amazonaws.com",
        false,
        &[
            "ListDetectors",
            "GetFindings",
            "ListFindings",
            "GetDetector",
            "CreateSampleFindings",
            "UpdateDetector",
            "DeleteDetector",
        ],
    ),
    svc("signin", "signin.amazonaws.com", true, &["ConsoleLogin", "SwitchRole", "CheckMfa"]),
    svc(
        "organizations",
        "organizations.amazonaws.com",
        true,
        &[
            "DescribeOrganization",
            "ListAccounts",
            "DescribeAccount",
            "ListPoliciesForTarget",
            "ListRoots",
            "LeaveOrganization",
        ],
    ),
    svc(
        "route53",
        "route53.amazonaws.com",
        true,
        &[
            "ListHostedZones",
            "GetHostedZone",
            "ListResourceRecordSets",
            "ChangeResourceRecordSets",
            "GetChange",
        ],
    ),
    svc(
        "sso",
        "sso.amazonaws.com",
        false,
        &[
            "ListApplications",
            "ListInstances",
            "DescribePermissionSet",
            "ListAccountAssignments",
            "CreateAccountAssignment",
        ],
    ),
    svc(
        "securityhub",
        "securityhub.amazonaws.com",
        false,
        &[
            "GetFindings",
            "BatchImportFindings",
            "DescribeHub",
            "GetEnabledStandards",
            "BatchUpdateFindings",
        ],
    ),
    svc(
        "athena",
        "athena.amazonaws.com",
        false,
        &[
            "GetQueryExecution",
            "StartQueryExecution",
            "GetQueryResults",
            "ListWorkGroups",
            "ListDataCatalogs",
        ],
    ),
    svc(
        "glue",
        "glue.amazonaws.com",
        false,
        &["GetTable", "GetDatabase", "GetTables", "GetPartitions", "CreateTable", "StartCrawler"],
    ),
    svc(
        "kinesis",
        "kinesis.amazonaws.com",
        false,
        &["DescribeStream", "ListStreams", "ListShards", "CreateStream", "DescribeStreamSummary"],
    ),
    svc(
        "firehose",
        "firehose.amazonaws.com",
        false,
        &["DescribeDeliveryStream", "ListDeliveryStreams", "UpdateDestination"],
    ),
    svc(
        "events",
        "events.amazonaws.com",
        false,
        &["DescribeRule", "ListRules", "PutRule", "PutTargets", "ListTargetsByRule", "DeleteRule"],
    ),
    svc(
        "states",
        "states.amazonaws.com",
        false,
        &[
            "StartExecution",
            "DescribeExecution",
            "ListStateMachines",
            "DescribeStateMachine",
            "StopExecution",
        ],
    ),
    svc(
        "apigateway",
        "apigateway.amazonaws.com",
        false,
        &["GetRestApis", "GetStages", "GetResources", "CreateDeployment", "UpdateStage"],
    ),
    svc(
        "cognito-idp",
        "cognito-idp.amazonaws.com",
        false,
        &["DescribeUserPool", "ListUserPools", "AdminGetUser", "AdminCreateUser", "ListUsers"],
    ),
    svc(
        "elasticfilesystem",
        "elasticfilesystem.amazonaws.com",
        false,
        &["DescribeFileSystems", "DescribeMountTargets", "CreateMountTarget"],
    ),
    svc(
        "backup",
        "backup.amazonaws.com",
        false,
        &[
            "ListBackupJobs",
            "ListBackupVaults",
            "StartBackupJob",
            "DescribeBackupJob",
            "DeleteRecoveryPoint",
        ],
    ),
    svc(
        "acm",
        "acm.amazonaws.com",
        false,
        &["DescribeCertificate", "ListCertificates", "RequestCertificate", "GetCertificate"],
    ),
    svc(
        "access-analyzer",
        "access-analyzer.amazonaws.com",
        false,
        &["ListAnalyzers", "ListFindings", "GetFinding", "ValidatePolicy"],
    ),
    svc(
        "health",
        "health.amazonaws.com",
        false,
        &["DescribeEvents", "DescribeEventAggregates", "DescribeAffectedEntities"],
    ),
    svc("tagging", "tagging.amazonaws.com", false, &["GetResources", "TagResources", "GetTagKeys"]),
    svc(
        "servicequotas",
        "servicequotas.amazonaws.com",
        false,
        &["ListServiceQuotas", "GetServiceQuota", "ListAWSDefaultServiceQuotas"],
    ),
];

static REGIONS: &[&str] = &[
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "us-east-2",
    "sa-east-1",
];

const LEAKED_KEY: &str = "AKIA3RLEAKEDKEY7Q2ZX";
const BACKDOOR_KEY: &str = "AKIA3RBACKDOORK3Y9WQ";
const ATTACKER_IP: &str = "185.220.101.47";
const ATTACKER_UA: &str = "aws-cli/1.22.34 Python/3.10.12 Linux/6.5.0-kali3-amd64 botocore/1.23.34";
const VICTIM: &str = "svc-deploy";
const BACKDOOR_USER: &str = "backup-admin";
const PUBLIC_BUCKET: &str = "acme-prod-customer-exports";
const TRAIL: &str = "acme-org-trail";

static UA_CLI: &[&str] = &[
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off command/s3.ls",
    "aws-cli/2.13.5 Python/3.11.4 Darwin/23.3.0 exe/x86_64 prompt/off command/sts.get-caller-identity",
    "aws-cli/2.15.30 Python/3.11.8 Windows/10 exe/AMD64 prompt/off command/ec2.describe-instances",
];
static UA_CONSOLE: &[&str] = &[
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:124.0) Gecko/20100101 Firefox/124.0",
    "AWS Internal",
    "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.669 Linux/5.10.213-180.871.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.402-b08 java/1.8.0_402 vendor/Oracle_Corporation cfg/retry-mode/standard]",
];
static UA_SDK: &[&str] = &[
    "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.210-201.852.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69",
    "aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/s3#1.51.4",
    "aws-sdk-java/2.25.10 Linux/5.10.210-201.852.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy",
];
static UA_LAMBDA: &[&str] = &["aws-sdk-nodejs/2.1550.0 linux/v18.19.0 exec-env/AWS_Lambda_nodejs18.x promise", "Boto3/1.34.42 md/Botocore#1.34.42 ua/2.0 os/linux#5.10.209 md/arch#x86_64 lang/python#3.12.2 exec-env/AWS_Lambda_python3.12 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.42"];
static UA_TF: &[&str] = &["APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.3 ua/2.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/iam#1.31.3"];
static UA_GO: &[&str] = &[
    "aws-sdk-go/1.50.38 (go1.21.8; linux; amd64)",
    "kubernetes/v1.29.1-eks-b9c9ed7 aws-sdk-go/1.50.38 (go1.21.8; linux; amd64)",
];
static UA_DD: &[&str] = &["Datadog/1.0 aws-sdk-go/1.44.327 (go1.20.7; linux; amd64)"];
/// Attacker-controlled strings that a viewer must display, not execute.
static UA_HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "=HYPERLINK(\"http://x\")",
    "curl/8.4.0 \"quoted\" \\back\\slash\\",
];

static HOME_IPS: &[&str] = &[
    "81.2.69.142",
    "203.0.113.24",
    "2a02:8109:b6bf:e600:4d1c:9e2:7f3a:11b2",
    "92.184.105.98",
    "2600:1700:6c80:4f20:e1a2:8d9:5bd3:19c0",
    "176.31.84.249",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    User,
    Role,
    Root,
    Service,
    Federated,
    Account,
    Saml,
    WebId,
}

struct P {
    kind: Kind,
    /// userName / role name / service name.
    name: &'static str,
    /// Role session name (Role, Federated: the federated user).
    session: &'static str,
    ips: &'static [&'static str],
    uas: &'static [&'static [&'static str]],
    console: bool,
}

const fn p(
    kind: Kind,
    name: &'static str,
    session: &'static str,
    ips: &'static [&'static str],
    uas: &'static [&'static [&'static str]],
    console: bool,
) -> P {
    P { kind, name, session, ips, uas, console }
}

static SVC_IP: &[&str] = &[""];

/// In activity order (Zipf rank).
static PRINCIPALS: &[P] = &[
    p(Kind::Service, "lambda.amazonaws.com", "", SVC_IP, &[], false),
    p(Kind::Service, "ec2.amazonaws.com", "", SVC_IP, &[], false),
    p(
        Kind::Role,
        "aws-controltower-ConfigRecorderRole",
        "AWSConfig-Describe",
        SVC_IP,
        &[&["config.amazonaws.com"]],
        false,
    ),
    p(
        Kind::Role,
        "orders-api-lambda-role",
        "orders-api",
        &["54.163.21.87", "3.91.172.40"],
        &[UA_LAMBDA],
        false,
    ),
    p(
        Kind::Role,
        "AWSReservedSSO_AdministratorAccess_5f2c8a1d3b4e6f70",
        "alice@example.com",
        &["81.2.69.142", "2a02:8109:b6bf:e600:4d1c:9e2:7f3a:11b2", "AWS Internal"],
        &[UA_CONSOLE, UA_CLI],
        true,
    ),
    p(Kind::User, VICTIM, "", &["34.228.12.9", "52.4.100.23"], &[UA_TF], false),
    p(
        Kind::Role,
        "eks-node-group-role",
        "i-0a1b2c3d4e5f67890",
        &["3.88.14.201", "44.202.17.66"],
        &[UA_GO],
        false,
    ),
    p(Kind::User, "alice", "", HOME_IPS, &[UA_CLI, UA_SDK], false),
    p(
        Kind::Role,
        "GitHubActionsDeployRole",
        "GitHubActions",
        &["20.42.11.5", "4.227.8.3", "2603:1030:403:3::2a0"],
        &[UA_SDK, UA_TF],
        false,
    ),
    p(Kind::Service, "cloudtrail.amazonaws.com", "", SVC_IP, &[], false),
    p(Kind::User, "bob.martin", "", &["92.184.105.98", "AWS Internal"], &[UA_CONSOLE], true),
    p(
        Kind::Role,
        "DatadogIntegrationRole",
        "DatadogAWSIntegration",
        &["3.233.144.10", "3.233.144.11"],
        &[UA_DD],
        false,
    ),
    p(Kind::Service, "autoscaling.amazonaws.com", "", SVC_IP, &[], false),
    p(
        Kind::Role,
        "OrganizationAccountAccessRole",
        "carol",
        &["176.31.84.249", "AWS Internal"],
        &[UA_CONSOLE, UA_CLI],
        true,
    ),
    p(Kind::User, "grafana-reader", "", &["34.107.22.181"], &[UA_GO], false),
    p(Kind::Service, "config.amazonaws.com", "", SVC_IP, &[], false),
    p(
        Kind::Role,
        "ecsTaskExecutionRole",
        "7c3e1f0b9a2d4e6f8a1b2c3d4e5f6a7b",
        &["18.208.42.9"],
        &[UA_SDK],
        false,
    ),
    p(Kind::User, "jenkins", "", &["10.20.3.14", "52.55.101.7"], &[UA_SDK, UA_CLI], false),
    p(Kind::Service, "guardduty.amazonaws.com", "", SVC_IP, &[], false),
    p(Kind::Role, "SecurityAuditRole", "prowler-scan", &["198.51.100.77"], &[UA_SDK], false),
    p(
        Kind::Federated,
        "fed-broker",
        "dave",
        &["2600:1700:6c80:4f20:e1a2:8d9:5bd3:19c0"],
        &[UA_CONSOLE],
        true,
    ),
    p(Kind::Account, "", "", &["52.94.133.131", "AWS Internal"], &[UA_SDK], false),
    p(Kind::User, "frank-admin", "", &["203.0.113.24", "81.2.69.142"], &[UA_CLI, UA_CONSOLE], true),
    p(Kind::Service, "s3.amazonaws.com", "", SVC_IP, &[], false),
    p(Kind::User, "backup-svc", "", &["54.211.8.3"], &[UA_SDK], false),
    p(Kind::Root, "", "", &["81.2.69.142"], &[UA_CONSOLE], true),
    p(Kind::Saml, "erin@corp.example", "", &["198.51.100.23"], &[UA_CONSOLE], false),
    p(Kind::WebId, "repo:acme/infra:ref:refs/heads/main", "", &["20.42.11.5"], &[UA_SDK], false),
    p(
        Kind::User,
        "ops-oncall",
        "",
        &["92.184.105.98", "2a02:8109:b6bf:e600:4d1c:9e2:7f3a:11b2"],
        &[UA_CLI],
        false,
    ),
];

/// What AWS services do on their own behalf.
static SERVICE_ACTIONS: &[(&str, &str)] = &[
    ("sts", "AssumeRole"),
    ("kms", "Decrypt"),
    ("kms", "GenerateDataKey"),
    ("s3", "GetBucketAcl"),
    ("logs", "CreateLogStream"),
    ("ec2", "CreateNetworkInterface"),
    ("ec2", "DescribeInstances"),
    ("kms", "RetireGrant"),
];

static BUCKETS: &[&str] = &[
    "acme-prod-app-assets",
    "acme-data-lake-raw",
    "acme-terraform-state",
    PUBLIC_BUCKET,
    "aws-cloudtrail-logs-acme-7f3a",
    "acme-ml-training-eu",
    "cdk-hnb659fds-assets-us-east-1",
];
static KEYS_PLAIN: &[&str] = &[
    "assets/js/app.4f2a91.js",
    "raw/2024/03/04/orders-000123.parquet",
    "env/prod/terraform.tfstate",
    "exports/customers-2024-03.csv.gz",
    "AWSLogs/o-a1b2c3d4e5/123456789012/CloudTrail/us-east-1/2024/03/04/file.json.gz",
    "images/products/sku-88123/thumb.webp",
    "models/resnet50/checkpoint-1200.pt",
];
static KEYS_UNICODE: &[&str] = &[
    "rapports/été/résumé-2024.pdf",
    "日本/請求書_2024-03.csv",
    "photos/🎉party-2024.jpg",
    "docs/Ünïcödé “quotes” — dash.txt",
];
static TAG_KEYS: &[&str] = &["team", "owner", "Name", "env", "cost-center"];
static TAG_VALUES: &[&str] = &[
    "platform",
    "data-eng",
    "Équipe Données",
    "東京チーム",
    "🚀 launch",
    "cost-center:4711",
    "prod",
    "staging",
];
static HOSTILE: &[&str] =
    &["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "=HYPERLINK(\"http://x\")"];
static SECRETS: &[&str] = &[
    "prod/db/postgres-master",
    "prod/api/stripe-key",
    "prod/orders/jwt-signing",
    "staging/db/postgres",
    "prod/datadog/api-key",
    "prod/github/deploy-token",
    "prod/smtp/credentials",
    "prod/redis/auth",
];
static FUNCTIONS: &[&str] =
    &["orders-api", "thumbnail-resizer", "nightly-report", "auth-authorizer", "stream-processor"];
static TABLES: &[&str] = &["orders", "sessions", "customers", "feature-flags", "idempotency-keys"];
static INSTANCE_TYPES: &[&str] = &["t3.medium", "m6i.large", "c7g.xlarge", "r6i.2xlarge"];

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const UPPER32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const ALNUM: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &[u8; 16] = b"0123456789abcdef";

fn chars(rng: &mut Rng, set: &[u8], n: usize) -> String {
    (0..n).map(|_| char::from(*rng.pick(set))).collect()
}

fn uuid(rng: &mut Rng) -> String {
    let a = rng.next_u64();
    let b = rng.next_u64();
    let mut x = [0u8; 32];
    for (i, c) in x.iter_mut().enumerate() {
        let word = if i < 16 { a } else { b };
        *c = HEX[((word >> ((i % 16) * 4)) & 15) as usize];
    }
    x[12] = b'4';
    x[16] = HEX[8 + (b & 3) as usize];
    let s = String::from_utf8_lossy(&x).into_owned();
    format!("{}-{}-{}-{}-{}", &s[0..8], &s[8..12], &s[12..16], &s[16..20], &s[20..32])
}

/// A deterministic id from a stable hash (keys that must stay the same across events).
fn id_from(seed: u64, parts: &[u64], prefix: &str, set: &[u8], n: usize) -> String {
    let mut r = Rng::new(h(&[seed, h(parts)]));
    format!("{prefix}{}", chars(&mut r, set, n))
}

fn str_hash(x: &str) -> u64 {
    h(&x.bytes().map(u64::from).collect::<Vec<_>>())
}

// ---------------------------------------------------------------------------------------------
// Events

struct Ctx<'a> {
    time: i64,
    region: &'static str,
    account: &'a str,
}

/// The parts of one event that vary; [`render`] adds the rest in CloudTrail's key order.
struct Ev {
    version: &'static str,
    identity: J,
    source: &'static str,
    name: &'static str,
    ip: String,
    ua: String,
    error: Option<(String, String)>,
    req: J,
    resp: J,
    additional: Option<J>,
    request_id: String,
    read_only: bool,
    resources: Option<J>,
    event_type: &'static str,
    api_version: Option<&'static str>,
    management: bool,
    shared_event_id: bool,
    vpce: Option<String>,
    category: &'static str,
    tls_host: Option<String>,
    console: bool,
}

impl Ev {
    fn new(source: &'static str, name: &'static str) -> Ev {
        Ev {
            version: "1.09",
            identity: J::Null,
            source,
            name,
            ip: String::new(),
            ua: String::new(),
            error: None,
            req: J::Null,
            resp: J::Null,
            additional: None,
            request_id: String::new(),
            read_only: is_read_only(name),
            resources: None,
            event_type: "AwsApiCall",
            api_version: None,
            management: true,
            shared_event_id: false,
            vpce: None,
            category: "Management",
            tls_host: None,
            console: false,
        }
    }
}

fn is_read_only(name: &str) -> bool {
    const RO: &[&str] = &[
        "Get",
        "List",
        "Describe",
        "Head",
        "Lookup",
        "Search",
        "Scan",
        "Query",
        "BatchGet",
        "Check",
        "Decrypt",
        "Encrypt",
        "GenerateDataKey",
        "AssumeRole",
        "Filter",
        "Validate",
    ];
    RO.iter().any(|p| name.starts_with(p))
}

fn render(rng: &mut Rng, ctx: &Ctx<'_>, ev: Ev, out: &mut Vec<u8>) {
    let mut o: Vec<(&'static str, J)> = Vec::with_capacity(28);
    o.push(("eventVersion", s(ev.version)));
    o.push(("userIdentity", ev.identity));
    o.push(("eventTime", st(fmt_time(ctx.time))));
    o.push(("eventSource", s(ev.source)));
    o.push(("eventName", s(ev.name)));
    o.push(("awsRegion", s(ctx.region)));
    o.push(("sourceIPAddress", st(ev.ip)));
    o.push(("userAgent", st(ev.ua)));
    let failed = ev.error.is_some();
    if let Some((code, msg)) = ev.error {
        o.push(("errorCode", st(code)));
        o.push(("errorMessage", st(msg)));
    }
    o.push(("requestParameters", ev.req));
    o.push(("responseElements", if failed { J::Null } else { ev.resp }));
    if let Some(a) = ev.additional {
        o.push(("additionalEventData", a));
    }
    o.push(("requestID", st(ev.request_id)));
    o.push(("eventID", st(uuid(rng))));
    o.push(("readOnly", J::B(ev.read_only)));
    if let Some(r) = ev.resources {
        o.push(("resources", r));
    }
    o.push(("eventType", s(ev.event_type)));
    if let Some(v) = ev.api_version {
        o.push(("apiVersion", s(v)));
    }
    o.push(("managementEvent", J::B(ev.management)));
    o.push(("recipientAccountId", st(ctx.account)));
    if ev.shared_event_id {
        o.push(("sharedEventID", st(uuid(rng))));
    }
    if let Some(v) = ev.vpce {
        o.push(("vpcEndpointId", st(v)));
        o.push(("vpcEndpointAccountId", st(ctx.account)));
    }
    o.push(("eventCategory", s(ev.category)));
    if let Some(host) = ev.tls_host {
        let (v, c) = if rng.chance(0.8) {
            ("TLSv1.3", "TLS_AES_128_GCM_SHA256")
        } else {
            ("TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256")
        };
        o.push((
            "tlsDetails",
            obj(vec![
                ("tlsVersion", s(v)),
                ("cipherSuite", s(c)),
                ("clientProvidedHostHeader", st(host)),
            ]),
        ));
    }
    if ev.console {
        o.push(("sessionCredentialFromConsole", s("true")));
    }
    write_json(out, &J::Obj(o));
}

struct Gen<'o> {
    opts: &'o SynthOptions,
    rng: Rng,
    accounts: [String; 3],
    svc_z: Zipf,
    action_z: Vec<Zipf>,
    region_z: Zipf,
    principal_z: Zipf,
    /// Indices of principals that can sign in to the console.
    console: Vec<usize>,
}

impl<'o> Gen<'o> {
    fn new(opts: &'o SynthOptions) -> Self {
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

    fn account_index(&self, account: &str) -> u64 {
        self.accounts.iter().position(|a| a == account).unwrap_or(0) as u64
    }

    fn access_key(&self, pi: usize, account: &str) -> String {
        if PRINCIPALS[pi].name == VICTIM && account == self.accounts[0] {
            return LEAKED_KEY.to_string();
        }
        id_from(self.opts.seed, &[1, pi as u64, self.account_index(account)], "AKIA", UPPER32, 16)
    }

    fn session_key(&self, pi: usize, account: &str, hour: i64) -> String {
        id_from(
            self.opts.seed,
            &[2, pi as u64, self.account_index(account), hour as u64],
            "ASIA",
            UPPER32,
            16,
        )
    }

    fn unique_id(&self, pi: usize, account: &str, prefix: &str) -> String {
        id_from(self.opts.seed, &[3, pi as u64, self.account_index(account)], prefix, UPPER32, 17)
    }

    /// userIdentity, source IP and user agent of principal `pi` acting in `account` at `time`.
    fn identity(&mut self, pi: usize, ctx: &Ctx<'_>, console: bool) -> (J, String, String) {
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

    fn tag(&mut self) -> J {
        let v = if self.rng.chance(0.02) {
            *self.rng.pick(HOSTILE)
        } else {
            *self.rng.pick(TAG_VALUES)
        };
        obj(vec![("key", s(TAG_KEYS[self.rng.below(TAG_KEYS.len())])), ("value", s(v))])
    }

    fn object_key(&mut self) -> String {
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

    fn session_token(&mut self) -> String {
        let n = 340 + self.rng.below(300);
        format!("IQoJb3JpZ2luX2Vj{}", chars(&mut self.rng, B64, n))
    }

    fn role_arn(&mut self, acct: &str) -> String {
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

    fn credentials(&mut self, acct: &str, role: &str, session: &str, time: i64) -> J {
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

    fn policy_doc(&mut self, action: &str, resource: &str) -> String {
        format!(
            "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Sid\": \"Allow{}\",\n      \"Effect\": \"Allow\",\n      \"Action\": [\n        \"{action}\"\n      ],\n      \"Resource\": \"{resource}\"\n    }}\n  ]\n}}",
            self.rng.below(1000)
        )
    }

    fn s3_request_id(&mut self) -> String {
        chars(&mut self.rng, b"0123456789ABCDEF", 16)
    }

    /// Fills requestParameters/responseElements/resources/additionalEventData for the action.
    fn details(&mut self, ev: &mut Ev, svc: &Svc, ctx: &Ctx<'_>, actor: &str) {
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
                ev.resp = self.credentials(acct, &role, &session, ctx.time);
                ev.resources = Some(J::Arr(vec![obj(vec![
                    ("accountId", st(acct)),
                    ("type", s("AWS::IAM::Role")),
                    ("ARN", st(role_arn)),
                ])]));
                ev.shared_event_id = self.rng.chance(0.3);
            }
            ("sts", "AssumeRoleWithWebIdentity" | "AssumeRoleWithSAML") => {
                let role_arn = format!("arn:aws:iam::{acct}:role/GitHubActionsDeployRole");
                ev.req = obj(vec![
                    ("roleArn", st(role_arn.clone())),
                    ("roleSessionName", s("GitHubActions")),
                    ("durationSeconds", J::I(3600)),
                ]);
                let mut resp = match self.credentials(
                    acct,
                    "GitHubActionsDeployRole",
                    "GitHubActions",
                    ctx.time,
                ) {
                    J::Obj(v) => v,
                    _ => vec![],
                };
                resp.push((
                    "provider",
                    st(format!(
                        "arn:aws:iam::{acct}:oidc-provider/token.actions.githubusercontent.com"
                    )),
                ));
                resp.push(("audience", s("sts.amazonaws.com")));
                ev.resp = J::Obj(resp);
                ev.resources = Some(J::Arr(vec![obj(vec![
                    ("accountId", st(acct)),
                    ("type", s("AWS::IAM::Role")),
                    ("ARN", st(role_arn)),
                ])]));
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

    fn error_for(&mut self, ev: &Ev, arn: &str) -> (String, String) {
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

    /// One background event at `ctx`.
    fn background(&mut self, ctx: &Ctx<'_>, out: &mut Vec<u8>) {
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
        let kind = PRINCIPALS[pi].kind;
        match kind {
            Kind::Service => {
                let (sn, an) = *self.rng.pick(SERVICE_ACTIONS);
                source_svc = SERVICES.iter().find(|s| s.name == sn).unwrap_or(svc);
                name = an;
            }
            Kind::Saml => {
                source_svc = SERVICES.iter().find(|s| s.name == "sts").unwrap_or(svc);
                name = "AssumeRoleWithSAML";
            }
            Kind::WebId => {
                source_svc = SERVICES.iter().find(|s| s.name == "sts").unwrap_or(svc);
                name = "AssumeRoleWithWebIdentity";
            }
            _ => {}
        }
        let console =
            PRINCIPALS[pi].console && (source_svc.name == "signin" || self.rng.chance(0.5));
        let (identity, ip, ua) = self.identity(pi, ctx, console);
        let arn = match &identity {
            J::Obj(v) => v
                .iter()
                .find(|(k, _)| *k == "arn")
                .and_then(|(_, a)| if let J::Str(x) = a { Some(x.clone()) } else { None })
                .unwrap_or_default(),
            _ => String::new(),
        };
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
        if kind != Kind::Service && self.rng.chance(0.05) {
            if source_svc.name == "signin" {
                // ConsoleLogin failures carry only errorMessage and keep their responseElements.
                return self.console_failure(ctx, ev, out);
            }
            ev.error = Some(self.error_for(&ev, &arn));
        }
        render(&mut self.rng, ctx, ev, out);
    }

    fn console_failure(&mut self, ctx: &Ctx<'_>, ev: Ev, out: &mut Vec<u8>) {
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

    fn network_activity(&mut self, ctx: &Ctx<'_>, out: &mut Vec<u8>) {
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

    fn insight(&mut self, ctx: &Ctx<'_>, out: &mut Vec<u8>) {
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

    // ------------------------------------------------------------------------------------------
    // The attack story

    /// Story events as (time, step). The step index is interpreted by [`Gen::story_event`].
    fn story_times(&self) -> Vec<(i64, u16)> {
        let t0 = (self.opts.start_ms + (i128::from(self.opts.span_ms.max(0)) * 5 / 8) as i64)
            .div_euclid(60_000)
            * 60_000;
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

    fn story_event(&mut self, step: u16, ctx: &Ctx<'_>, out: &mut Vec<u8>) {
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
        let mut ev = Ev::new(src, name);
        ev.identity = identity;
        ev.ip = ATTACKER_IP.to_string();
        ev.ua = ATTACKER_UA.to_string();
        ev.request_id = uuid(&mut self.rng);
        ev.tls_host = Some(format!(
            "{}.{}.amazonaws.com",
            src.trim_end_matches(".amazonaws.com"),
            ctx.region
        ));
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

/// The recon burst of the story: (eventSource, eventName, error).
static RECON: &[(&str, &str, Option<&str>)] = &[
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::Store;

    fn small(events: usize, attack: bool) -> SynthOptions {
        SynthOptions {
            events,
            events_per_file: 500,
            attack_story: attack,
            ..SynthOptions::default()
        }
    }

    fn records(f: &SynthFile) -> Vec<serde_json::Value> {
        let v: serde_json::Value = serde_json::from_slice(&f.bytes).expect("file is JSON");
        v["Records"].as_array().expect("Records").clone()
    }

    #[test]
    fn tables_non_empty() {
        assert!(SERVICES.len() >= 40);
        assert!(SERVICES.iter().all(|s| !s.actions.is_empty()));
        assert!(PRINCIPALS
            .iter()
            .all(|p| !p.ips.is_empty() && p.uas.iter().all(|u| !u.is_empty())));
        for set in [
            UA_CLI,
            UA_CONSOLE,
            UA_SDK,
            UA_LAMBDA,
            UA_TF,
            UA_GO,
            UA_DD,
            UA_HOSTILE,
            HOME_IPS,
            BUCKETS,
            KEYS_PLAIN,
            KEYS_UNICODE,
            TAG_VALUES,
            HOSTILE,
            SECRETS,
            FUNCTIONS,
            TABLES,
            INSTANCE_TYPES,
            REGIONS,
        ] {
            assert!(!set.is_empty());
        }
        assert!(!SERVICE_ACTIONS.is_empty() && !RECON.is_empty());
    }

    #[test]
    fn time_format() {
        assert_eq!(fmt_time(1_709_510_400_000), "2024-03-04T00:00:00Z");
        assert_eq!(fmt_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(fmt_time(951_825_599_000), "2000-02-29T11:59:59Z");
        assert_eq!(fmt_time(-1000), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn deterministic() {
        let a = generate(&small(3000, true));
        let b = generate(&small(3000, true));
        assert_eq!(a, b);
        let c = generate(&SynthOptions { seed: 99, ..small(3000, true) });
        assert_ne!(a, c);
    }

    #[test]
    fn counts_validity_and_order() {
        for (n, epf) in [
            (0usize, 500usize),
            (1, 500),
            (499, 500),
            (500, 500),
            (501, 500),
            (2345, 500),
            (10, 3),
            (80, 1000),
        ] {
            let files = generate(&SynthOptions {
                events: n,
                events_per_file: epf,
                ..SynthOptions::default()
            });
            assert_eq!(files.len(), n.div_ceil(epf), "n={n} epf={epf}");
            let mut total = 0;
            let mut ids = std::collections::HashSet::new();
            for f in &files {
                let recs = records(f);
                assert!(!recs.is_empty() && recs.len() <= epf);
                total += recs.len();
                let mut prev = String::new();
                for r in &recs {
                    let t = r["eventTime"].as_str().unwrap().to_string();
                    assert_eq!(t.len(), 20, "{t}");
                    assert!(t >= prev, "eventTime decreases in {}: {prev} > {t}", f.path);
                    prev = t;
                    assert!(
                        ids.insert(r["eventID"].as_str().unwrap().to_string()),
                        "duplicate eventID"
                    );
                    let id = r["eventID"].as_str().unwrap();
                    assert_eq!(id.len(), 36);
                    assert_eq!(&id[14..15], "4");
                }
                // Path in AWS layout.
                assert!(f.path.starts_with("AWSLogs/") && f.path.ends_with(".json"), "{}", f.path);
                let parts: Vec<&str> = f.path.split('/').collect();
                assert_eq!(parts.len(), 8, "{}", f.path);
                assert_eq!(parts[2], "CloudTrail");
                let fname = parts[7];
                assert!(
                    fname.starts_with(&format!("{}_CloudTrail_{}_", parts[1], parts[3])),
                    "{}",
                    f.path
                );
                // Compact on one line.
                assert!(!f.bytes.contains(&b'\n'));
            }
            assert_eq!(total, n);
        }
    }

    #[test]
    fn realism_mix_and_sizes() {
        let files = generate(&SynthOptions { events: 20_000, ..SynthOptions::default() });
        let mut sizes = Vec::new();
        let mut types = std::collections::BTreeMap::<String, usize>::new();
        let mut cats = std::collections::BTreeMap::<String, usize>::new();
        let mut services = std::collections::BTreeSet::new();
        let (mut errors, mut total) = (0usize, 0usize);
        let mut text = String::new();
        for f in &files {
            text.push_str(std::str::from_utf8(&f.bytes).unwrap());
            for r in records(f) {
                total += 1;
                sizes.push(serde_json::to_vec(&r).unwrap().len());
                if let Some(t) = r["userIdentity"]["type"].as_str() {
                    *types.entry(t.to_string()).or_default() += 1;
                }
                *cats.entry(r["eventCategory"].as_str().unwrap_or("").to_string()).or_default() +=
                    1;
                if let Some(s) = r["eventSource"].as_str() {
                    services.insert(s.to_string());
                }
                if r.get("errorCode").is_some() || r.get("errorMessage").is_some() {
                    errors += 1;
                }
                if r["eventCategory"] == "Insight" {
                    assert!(r.get("eventName").is_none());
                    assert!(r["insightDetails"]["insightContext"]["statistics"].is_object());
                }
            }
        }
        sizes.sort_unstable();
        let median = sizes[sizes.len() / 2];
        assert!((700..=1700).contains(&median), "median record {median} bytes");
        for t in [
            "IAMUser",
            "AssumedRole",
            "Root",
            "AWSService",
            "FederatedUser",
            "AWSAccount",
            "SAMLUser",
            "WebIdentityUser",
        ] {
            assert!(types.get(t).copied().unwrap_or(0) > 0, "no {t}: {types:?}");
        }
        for c in ["Management", "Data", "NetworkActivity", "Insight"] {
            assert!(cats.get(c).copied().unwrap_or(0) > 0, "no {c}: {cats:?}");
        }
        assert!(services.len() >= 35, "{}", services.len());
        let rate = errors as f64 / total as f64;
        assert!((0.03..=0.08).contains(&rate), "error rate {rate}");
        for needle in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "=HYPERLINK(\\\"http://x\\\")",
            "日本",
            "é",
            "🚀",
            "AWS Internal",
            "2a02:",
            "lambda.amazonaws.com",
        ] {
            assert!(text.contains(needle), "missing {needle}");
        }
    }

    #[test]
    fn attack_story_present() {
        let opts = SynthOptions::default();
        let files = generate(&opts);
        let all: Vec<serde_json::Value> = files.iter().flat_map(records).collect();
        let from_attacker: Vec<&serde_json::Value> =
            all.iter().filter(|r| r["sourceIPAddress"] == ATTACKER_IP).collect();
        assert!(from_attacker.len() >= 70, "{}", from_attacker.len());
        let has = |name: &str| from_attacker.iter().any(|r| r["eventName"] == name);
        for n in [
            "GetCallerIdentity",
            "ListBuckets",
            "CreateUser",
            "CreateAccessKey",
            "AttachUserPolicy",
            "StopLogging",
            "DeleteTrail",
            "PutBucketPolicy",
            "GetSecretValue",
            "GetObject",
        ] {
            assert!(has(n), "story lacks {n}");
        }
        let denied = from_attacker
            .iter()
            .filter(|r| {
                r["errorCode"]
                    .as_str()
                    .is_some_and(|c| c.contains("Denied") || c.contains("Unauthorized"))
            })
            .count();
        assert!(denied >= 15, "{denied}");
        let first = from_attacker.iter().map(|r| r["eventTime"].as_str().unwrap()).min().unwrap();
        assert_eq!(first, "2024-03-08T09:00:00Z");
        assert!(
            all.iter().any(|r| r["userIdentity"]["accessKeyId"] == LEAKED_KEY
                && r["sourceIPAddress"] != ATTACKER_IP),
            "victim's normal use"
        );
        let text: String =
            files.iter().map(|f| String::from_utf8_lossy(&f.bytes).into_owned()).collect();
        assert!(
            text.contains(BACKDOOR_KEY)
                && text.contains("AdministratorAccess")
                && text.contains(PUBLIC_BUCKET)
        );
        // Without the story: no attacker.
        let quiet = generate(&SynthOptions { attack_story: false, ..opts });
        assert!(!quiet.iter().any(|f| String::from_utf8_lossy(&f.bytes).contains(ATTACKER_IP)));
    }

    /// The sample's size: every hour of the week has background events, right after the story too
    /// (its events once took consecutive background slots and left a three-hour hole).
    #[test]
    fn story_leaves_no_hole_in_the_background() {
        let opts = SynthOptions { events: 4000, events_per_file: 500, ..SynthOptions::default() };
        let mut store = Store::new();
        for f in generate(&opts) {
            store.ingest_owned(&f.path, f.bytes);
        }
        let mut hours = vec![0u32; 7 * 24];
        for &t in store.times() {
            if let Some(h) = hours.get_mut(((t - opts.start_ms) / 3_600_000) as usize) {
                *h += 1;
            }
        }
        let empty: Vec<usize> =
            hours.iter().enumerate().filter(|(_, &c)| c == 0).map(|(h, _)| h).collect();
        assert!(empty.is_empty(), "hours without events: {empty:?}");
    }

    #[test]
    fn gzip_round_trip() {
        let f = &generate(&small(300, false))[0];
        let gz = gzip(&f.bytes);
        assert!(gz.len() < f.bytes.len() / 3);
        let mut d = flate2::read::GzDecoder::new(&gz[..]);
        let mut back = Vec::new();
        std::io::Read::read_to_end(&mut d, &mut back).unwrap();
        assert_eq!(back, f.bytes);
    }

    #[test]
    fn store_round_trip() {
        let opts = SynthOptions { events: 7_777, events_per_file: 1000, ..SynthOptions::default() };
        let files = generate(&opts);
        let mut store = Store::new();
        for f in &files {
            store.ingest(&f.path, &f.bytes);
        }
        let t = store.totals();
        assert_eq!(t.kept, opts.events as u64, "{t:?}");
        assert_eq!(t.duplicates, 0, "{t:?}");
        assert_eq!(t.rejected, 0, "{t:?}");
        assert_eq!(store.len(), opts.events);
        // Same files again, gzipped: all duplicates.
        for f in &files {
            store.ingest(&format!("{}.gz", f.path), &gzip(&f.bytes));
        }
        let t = store.totals();
        assert_eq!(t.kept, opts.events as u64);
        assert_eq!(t.duplicates, opts.events as u64);
    }
}
