//! What the generated events are made of: regions, the story's names and keys, user agents,
//! principals, buckets, tags, hostile strings; and the id/key makers drawn from them. Indices into
//! these tables come from `Rng::below(len)` / `Zipf::sample` over non-empty tables (a test checks
//! each is non-empty).

mod services;

use crate::rng::*;
pub(crate) use services::*;

pub(crate) static REGIONS: &[&str] = &[
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "us-east-2",
    "sa-east-1",
];

pub(crate) const LEAKED_KEY: &str = "AKIA3RLEAKEDKEY7Q2ZX";
pub(crate) const BACKDOOR_KEY: &str = "AKIA3RBACKDOORK3Y9WQ";
/// The story's session keys in the second and the third account.
pub(crate) const HOP1_KEY: &str = "ASIA3RPIVOTKEYSECOND";
pub(crate) const HOP2_KEY: &str = "ASIA3RPIVOTKEYTHIRDX";
pub(crate) const ATTACKER_IP: &str = "185.220.101.47";
pub(crate) const ATTACKER_UA: &str =
    "aws-cli/1.22.34 Python/3.10.12 Linux/6.5.0-kali3-amd64 botocore/1.23.34";
pub(crate) const VICTIM: &str = "svc-deploy";
pub(crate) const BACKDOOR_USER: &str = "backup-admin";
pub(crate) const PUBLIC_BUCKET: &str = "acme-prod-customer-exports";
pub(crate) const TRAIL: &str = "acme-org-trail";
/// The server that federates `dave` with `GetFederationToken`.
pub(crate) const FED_BROKER_IP: &str = "54.86.120.33";

pub(crate) static UA_CLI: &[&str] = &[
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off command/s3.ls",
    "aws-cli/2.13.5 Python/3.11.4 Darwin/23.3.0 exe/x86_64 prompt/off command/sts.get-caller-identity",
    "aws-cli/2.15.30 Python/3.11.8 Windows/10 exe/AMD64 prompt/off command/ec2.describe-instances",
];
pub(crate) static UA_CONSOLE: &[&str] = &[
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:124.0) Gecko/20100101 Firefox/124.0",
    "AWS Internal",
    "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.669 Linux/5.10.213-180.871.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.402-b08 java/1.8.0_402 vendor/Oracle_Corporation cfg/retry-mode/standard]",
];
pub(crate) static UA_SDK: &[&str] = &[
    "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.210-201.852.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69",
    "aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/s3#1.51.4",
    "aws-sdk-java/2.25.10 Linux/5.10.210-201.852.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy",
];
pub(crate) static UA_LAMBDA: &[&str] = &["aws-sdk-nodejs/2.1550.0 linux/v18.19.0 exec-env/AWS_Lambda_nodejs18.x promise", "Boto3/1.34.42 md/Botocore#1.34.42 ua/2.0 os/linux#5.10.209 md/arch#x86_64 lang/python#3.12.2 exec-env/AWS_Lambda_python3.12 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.42"];
pub(crate) static UA_TF: &[&str] = &["APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.3 ua/2.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/iam#1.31.3"];
pub(crate) static UA_GO: &[&str] = &[
    "aws-sdk-go/1.50.38 (go1.21.8; linux; amd64)",
    "kubernetes/v1.29.1-eks-b9c9ed7 aws-sdk-go/1.50.38 (go1.21.8; linux; amd64)",
];
pub(crate) static UA_DD: &[&str] = &["Datadog/1.0 aws-sdk-go/1.44.327 (go1.20.7; linux; amd64)"];
/// Attacker-controlled strings that a viewer must display, not execute.
pub(crate) static UA_HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "=HYPERLINK(\"http://x\")",
    "curl/8.4.0 \"quoted\" \\back\\slash\\",
];

pub(crate) static HOME_IPS: &[&str] = &[
    "81.2.69.142",
    "203.0.113.24",
    "2a02:8109:b6bf:e600:4d1c:9e2:7f3a:11b2",
    "92.184.105.98",
    "2600:1700:6c80:4f20:e1a2:8d9:5bd3:19c0",
    "176.31.84.249",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    User,
    Role,
    Root,
    Service,
    Federated,
    Account,
    Saml,
    WebId,
}

pub(crate) struct P {
    pub(crate) kind: Kind,
    /// userName / role name / service name.
    pub(crate) name: &'static str,
    /// Role session name (Role, Federated: the federated user).
    pub(crate) session: &'static str,
    pub(crate) ips: &'static [&'static str],
    pub(crate) uas: &'static [&'static [&'static str]],
    pub(crate) console: bool,
}

pub(crate) const fn p(
    kind: Kind,
    name: &'static str,
    session: &'static str,
    ips: &'static [&'static str],
    uas: &'static [&'static [&'static str]],
    console: bool,
) -> P {
    P { kind, name, session, ips, uas, console }
}

pub(crate) static SVC_IP: &[&str] = &[""];

/// In activity order (Zipf rank).
pub(crate) static PRINCIPALS: &[P] = &[
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
        "frank-admin",
        &["203.0.113.24", "81.2.69.142", "AWS Internal"],
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
    p(Kind::Saml, "alice@example.com", "", &["81.2.69.142"], &[UA_CONSOLE], false),
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

/// Who opens a principal's sessions, that is, which event issues the temporary (`ASIA…`) keys it
/// uses (see `gen/sessions.rs`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Opener {
    /// No temporary keys: AWS services, IAM users outside the console, SAML and web-identity
    /// principals (they act through the role they assume), the cross-account AWSAccount caller.
    None,
    /// `sts:AssumeRole` by this AWS service (`AWSService` identity, `invokedBy`).
    Service(&'static str),
    /// `sts:AssumeRole` by the IAM user of this name, with its access key.
    User(&'static str),
    /// `sts:AssumeRole` by a session of the role of this name (role chaining).
    Role(&'static str),
    /// `sts:AssumeRole` by a role of this account outside the organization (a vendor's).
    External(&'static str),
    /// `sts:AssumeRoleWithSAML` by the SAML principal of this name.
    Saml(&'static str),
    /// `sts:AssumeRoleWithWebIdentity` by the web-identity principal of this name.
    WebId(&'static str),
    /// `sts:GetFederationToken` by the IAM user `P::name`, with its access key.
    FederationToken,
    /// `ConsoleLogin` (the root user, and IAM users in the console).
    Console,
}

/// Datadog's AWS account, which assumes `DatadogIntegrationRole` (its documented account id).
pub(crate) const DATADOG_ACCOUNT: &str = "464622532012";

/// Who opens the sessions of `p` (see [`Opener`]).
pub(crate) fn opener(p: &P) -> Opener {
    match (p.kind, p.name) {
        (Kind::Role, "aws-controltower-ConfigRecorderRole") => {
            Opener::Service("config.amazonaws.com")
        }
        (Kind::Role, "orders-api-lambda-role") => Opener::Service("lambda.amazonaws.com"),
        (Kind::Role, "eks-node-group-role") => Opener::Service("ec2.amazonaws.com"),
        (Kind::Role, "ecsTaskExecutionRole") => Opener::Service("ecs-tasks.amazonaws.com"),
        (Kind::Role, "AWSReservedSSO_AdministratorAccess_5f2c8a1d3b4e6f70") => {
            Opener::Saml("alice@example.com")
        }
        (Kind::Role, "GitHubActionsDeployRole") => {
            Opener::WebId("repo:acme/infra:ref:refs/heads/main")
        }
        (Kind::Role, "DatadogIntegrationRole") => Opener::External(DATADOG_ACCOUNT),
        (Kind::Role, "OrganizationAccountAccessRole") => Opener::User("frank-admin"),
        // The prowler scan runs as an ECS task that assumes the audit role: two hops.
        (Kind::Role, "SecurityAuditRole") => Opener::Role("ecsTaskExecutionRole"),
        (Kind::Role, _) => Opener::Service("lambda.amazonaws.com"),
        (Kind::Federated, _) => Opener::FederationToken,
        (Kind::Root, _) | (Kind::User, _) => Opener::Console,
        _ => Opener::None,
    }
}

/// What AWS services do on their own behalf.
pub(crate) static SERVICE_ACTIONS: &[(&str, &str)] = &[
    ("sts", "AssumeRole"),
    ("kms", "Decrypt"),
    ("kms", "GenerateDataKey"),
    ("s3", "GetBucketAcl"),
    ("logs", "CreateLogStream"),
    ("ec2", "CreateNetworkInterface"),
    ("ec2", "DescribeInstances"),
    ("kms", "RetireGrant"),
];

pub(crate) static BUCKETS: &[&str] = &[
    "acme-prod-app-assets",
    "acme-data-lake-raw",
    "acme-terraform-state",
    PUBLIC_BUCKET,
    "aws-cloudtrail-logs-acme-7f3a",
    "acme-ml-training-eu",
    "cdk-hnb659fds-assets-us-east-1",
];
pub(crate) static KEYS_PLAIN: &[&str] = &[
    "assets/js/app.4f2a91.js",
    "raw/2024/03/04/orders-000123.parquet",
    "env/prod/terraform.tfstate",
    "exports/customers-2024-03.csv.gz",
    "AWSLogs/o-a1b2c3d4e5/123456789012/CloudTrail/us-east-1/2024/03/04/file.json.gz",
    "images/products/sku-88123/thumb.webp",
    "models/resnet50/checkpoint-1200.pt",
];
pub(crate) static KEYS_UNICODE: &[&str] = &[
    "rapports/été/résumé-2024.pdf",
    "日本/請求書_2024-03.csv",
    "photos/🎉party-2024.jpg",
    "docs/Ünïcödé “quotes” — dash.txt",
];
pub(crate) static TAG_KEYS: &[&str] = &["team", "owner", "Name", "env", "cost-center"];
pub(crate) static TAG_VALUES: &[&str] = &[
    "platform",
    "data-eng",
    "Équipe Données",
    "東京チーム",
    "🚀 launch",
    "cost-center:4711",
    "prod",
    "staging",
];
pub(crate) static HOSTILE: &[&str] =
    &["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "=HYPERLINK(\"http://x\")"];
pub(crate) static SECRETS: &[&str] = &[
    "prod/db/postgres-master",
    "prod/api/stripe-key",
    "prod/orders/jwt-signing",
    "staging/db/postgres",
    "prod/datadog/api-key",
    "prod/github/deploy-token",
    "prod/smtp/credentials",
    "prod/redis/auth",
];
pub(crate) static FUNCTIONS: &[&str] =
    &["orders-api", "thumbnail-resizer", "nightly-report", "auth-authorizer", "stream-processor"];
pub(crate) static TABLES: &[&str] =
    &["orders", "sessions", "customers", "feature-flags", "idempotency-keys"];
pub(crate) static INSTANCE_TYPES: &[&str] =
    &["t3.medium", "m6i.large", "c7g.xlarge", "r6i.2xlarge"];

pub(crate) const B64: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
pub(crate) const UPPER32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
pub(crate) const ALNUM: &[u8; 62] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
pub(crate) const HEX: &[u8; 16] = b"0123456789abcdef";

pub(crate) fn chars(rng: &mut Rng, set: &[u8], n: usize) -> String {
    (0..n).map(|_| char::from(*rng.pick(set))).collect()
}

pub(crate) fn uuid(rng: &mut Rng) -> String {
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
pub(crate) fn id_from(seed: u64, parts: &[u64], prefix: &str, set: &[u8], n: usize) -> String {
    let mut r = Rng::new(h(&[seed, h(parts)]));
    format!("{prefix}{}", chars(&mut r, set, n))
}

pub(crate) fn str_hash(x: &str) -> u64 {
    h(&x.bytes().map(u64::from).collect::<Vec<_>>())
}
