//! The one-line summary of an event in plain words ("alice called s3:PutBucketPolicy on bucket
//! x from 203.0.113.5 — AccessDenied"): who acted, what they called, on which resources, from
//! where, and whether it failed. Insight events are summarized by their statistics instead.

use crate::model::columns::short_service;
use crate::model::detail::insight::insight_stats;
use crate::model::detail::json::Json;

/// `s3:PutBucketPolicy`, from eventSource and eventName (either may be missing).
fn action_of(ev: &Json) -> String {
    let src = ev.str_at(&["eventSource"]).unwrap_or_default();
    let name = ev.str_at(&["eventName"]).unwrap_or_else(|| "(unknown action)".into());
    call(&src, name)
}

/// `service:name` (`s3:GetObject`), or the name alone without a service.
fn call(service: &str, name: String) -> String {
    match short_service(service) {
        "" => name,
        s => format!("{s}:{name}"),
    }
}

/// The part of an ARN after its last `/` (`…:assumed-role/Admin/alice` → `alice`).
pub fn arn_tail(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// Who acted, in plain words: `alice`, `root`, `Admin/alice` (role/session), `AWS service
/// ec2.amazonaws.com`, `account 111122223333`, or `an unknown caller`.
pub fn actor(ev: &Json) -> String {
    let Some(id) = ev.get("userIdentity").filter(|v| matches!(v, Json::Obj(_))) else {
        return "an unknown caller".into();
    };
    let ty = id.str_at(&["type"]).unwrap_or_default();
    let arn = id.str_at(&["arn"]).unwrap_or_default();
    let invoked_by = id.str_at(&["invokedBy"]);
    let principal = id.str_at(&["principalId"]).unwrap_or_default();
    let who = match ty.as_str() {
        "Root" => Some("root".to_string()),
        "AWSService" => {
            return match invoked_by {
                Some(svc) => format!("AWS service {svc}"),
                None => "an AWS service".into(),
            }
        }
        "AssumedRole" => {
            let role = id.str_at(&["sessionContext", "sessionIssuer", "userName"]);
            let session = if arn.contains(":assumed-role/") && arn.matches('/').count() >= 2 {
                Some(arn_tail(&arn).to_string())
            } else {
                principal.split_once(':').map(|(_, s)| s.to_string()).filter(|s| !s.is_empty())
            };
            match (role, session) {
                (Some(r), Some(s)) => Some(format!("{r}/{s}")),
                (Some(r), None) => Some(r),
                (None, Some(s)) => Some(s),
                (None, None) => None,
            }
        }
        "AWSAccount" => id.str_at(&["accountId"]).map(|a| format!("account {a}")),
        _ => None,
    };
    let who = who
        .or_else(|| id.str_at(&["userName"]))
        .or_else(|| (!arn.is_empty()).then(|| arn_tail(&arn).to_string()))
        .or_else(|| (!principal.is_empty()).then_some(principal))
        .or_else(|| (!ty.is_empty()).then(|| format!("a {ty} identity")));
    match (who, invoked_by) {
        (Some(w), Some(svc)) => format!("{w} (via {svc})"),
        (Some(w), None) => w,
        (None, Some(svc)) => format!("AWS service {svc}"),
        (None, None) => "an unknown caller".into(),
    }
}

/// A resource the event acted on: what it is, its name, and the query path that finds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    pub noun: &'static str,
    pub value: String,
    /// Dotted path for the query language, e.g. `requestParameters.bucketName`.
    pub path: String,
}

/// Request/response keys that name a resource, and what to call it.
const RESOURCE_KEYS: &[(&str, &str)] = &[
    ("bucketName", "bucket"),
    ("key", "object"),
    ("instanceId", "instance"),
    ("roleName", "role"),
    ("userName", "user"),
    ("groupName", "group"),
    ("policyArn", "policy"),
    ("policyName", "policy"),
    ("functionName", "function"),
    ("tableName", "table"),
    ("queueUrl", "queue"),
    ("topicArn", "topic"),
    ("keyId", "key"),
    ("secretId", "secret"),
    ("clusterName", "cluster"),
    ("dBInstanceIdentifier", "database"),
    ("stackName", "stack"),
    ("logGroupName", "log group"),
    ("trailName", "trail"),
    ("repositoryName", "repository"),
    ("volumeId", "volume"),
    ("snapshotId", "snapshot"),
    ("imageId", "image"),
    ("groupId", "security group"),
    ("vpcId", "VPC"),
    ("subnetId", "subnet"),
    ("hostedZoneId", "hosted zone"),
    ("certificateArn", "certificate"),
    ("accessKeyId", "access key"),
    ("instanceProfileName", "instance profile"),
    ("detectorId", "detector"),
    ("resourceArn", "resource"),
];

/// At most this many resources are listed (a bulk call can name hundreds).
const MAX_RESOURCES: usize = 8;

/// True when `key` can be a segment of a query field path (`[A-Za-z0-9_@$]+`).
fn path_safe(key: &str) -> bool {
    !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '@' | '$'))
}

fn collect_resources(v: &Json, path: &mut Vec<String>, depth: usize, out: &mut Vec<Resource>) {
    if depth > 8 || out.len() >= MAX_RESOURCES {
        return;
    }
    match v {
        Json::Arr(a) => a.iter().for_each(|x| collect_resources(x, path, depth + 1, out)),
        Json::Obj(m) => {
            for (k, x) in m {
                if !path_safe(k) {
                    continue;
                }
                path.push(k.clone());
                let noun = RESOURCE_KEYS.iter().find(|(rk, _)| rk == k).map(|&(_, n)| n);
                match (noun, x.text()) {
                    (Some(noun), Some(value)) if !matches!(x, Json::Bool(_)) => {
                        let r = Resource { noun, value, path: path.join(".") };
                        if out.len() < MAX_RESOURCES && !out.contains(&r) {
                            out.push(r);
                        }
                    }
                    _ => collect_resources(x, path, depth + 1, out),
                }
                path.pop();
            }
        }
        _ => {}
    }
}

/// The resources an event names: from requestParameters (else responseElements), then the
/// `resources[].ARN` list.
pub fn resources(ev: &Json) -> Vec<Resource> {
    let mut out = Vec::new();
    for top in ["requestParameters", "responseElements"] {
        if let Some(v) = ev.get(top) {
            collect_resources(v, &mut vec![top.to_string()], 0, &mut out);
        }
        if !out.is_empty() {
            break;
        }
    }
    if let Some(Json::Arr(list)) = ev.get("resources") {
        for r in list {
            if let Some(arn) = r.str_at(&["ARN"]) {
                let res = Resource { noun: "resource", value: arn, path: "resources.ARN".into() };
                if out.len() < MAX_RESOURCES && !out.iter().any(|o| o.value == res.value) {
                    out.push(res);
                }
            }
        }
    }
    out
}

/// ` on bucket x`, ` on object x/photos/1.jpg`, ` on role Admin (+2 more)`, or "".
pub fn resource_phrase(ev: &Json) -> String {
    let list = resources(ev);
    let Some(first) = list.first() else { return String::new() };
    let bucket = list.iter().find(|r| r.noun == "bucket");
    let object = list.iter().find(|r| r.noun == "object");
    let (text, used) = match (bucket, object) {
        (Some(b), Some(o)) => (format!("object {}/{}", b.value, o.value), 2),
        _ => (format!("{} {}", first.noun, first.value), 1),
    };
    match list.len().saturating_sub(used) {
        0 => format!(" on {text}"),
        n => format!(" on {text} (+{n} more)"),
    }
}

/// The one-line summary: "alice called s3:PutBucketPolicy on bucket x from 203.0.113.5 —
/// AccessDenied"; Insight events summarize their statistics instead.
pub fn summary(ev: &Json) -> String {
    if let Some(stats) = insight_stats(ev) {
        return stats.sentence();
    }
    if let Some(s) = ocsf_summary(ev) {
        return s;
    }
    let action = action_of(ev);
    let event_type = ev.str_at(&["eventType"]).unwrap_or_default();
    let mut s = if event_type == "AwsServiceEvent" {
        format!("AWS service event {action}")
    } else if ev.str_at(&["eventName"]).as_deref() == Some("ConsoleLogin") {
        format!("{} signed in to the console", actor(ev))
    } else {
        format!("{} called {action}", actor(ev))
    };
    s.push_str(&resource_phrase(ev));
    if let Some(ip) = ev.str_at(&["sourceIPAddress"]) {
        s.push_str(" from ");
        s.push_str(&ip);
    }
    let failure = ev.str_at(&["errorCode"]).or_else(|| {
        (ev.str_at(&["responseElements", "ConsoleLogin"]).as_deref() == Some("Failure"))
            .then(|| "Failure".into())
    });
    if let Some(e) = failure {
        s.push_str(" — ");
        s.push_str(&e);
    }
    s
}

/// The summary of an OCSF record (Security Lake; the engine reads it as `record/ocsf.rs` says):
/// who (`actor.user`), what (`api.service.name`, `api.operation`), from where, and its error.
/// `None` when `ev` is not one.
fn ocsf_summary(ev: &Json) -> Option<String> {
    ev.get("class_uid")?;
    let operation = ev.str_at(&["api", "operation"])?;
    let service = ev.str_at(&["api", "service", "name"]).unwrap_or_default();
    let action = call(&service, operation);
    // The ARN is in `uid` (OCSF 1.1) or `uuid` (1.0.0-rc.2, whose `uid` is the principal id).
    let arn = ["uid", "uuid"]
        .into_iter()
        .filter_map(|k| ev.str_at(&["actor", "user", k]))
        .find(|a| a.starts_with("arn:"));
    let who = ev
        .str_at(&["actor", "user", "name"])
        .or_else(|| {
            arn.map(|a| match a.split_once(":assumed-role/") {
                Some((_, role_session)) => role_session.to_string(),
                None => arn_tail(&a).to_string(),
            })
        })
        .or_else(|| ev.str_at(&["actor", "user", "uid"]))
        .unwrap_or_else(|| "an unknown caller".into());
    let mut s = format!("{who} called {action}");
    if let Some(ip) = ev.str_at(&["src_endpoint", "ip"]) {
        s.push_str(" from ");
        s.push_str(&ip);
    }
    if let Some(e) = ev.str_at(&["api", "response", "error"]) {
        s.push_str(" — ");
        s.push_str(&e);
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::detail::fixtures::{ev, BUCKET_POLICY};

    #[test]
    fn summary_of_an_ocsf_record() {
        let r = r#"{"class_uid":6003,"api":{"operation":"DeleteTrail","service":{"name":"cloudtrail.amazonaws.com"},"response":{"error":"AccessDenied"}},"actor":{"user":{"uid":"arn:aws:iam::1:user/mallory"}},"src_endpoint":{"ip":"198.51.100.7"}}"#;
        assert_eq!(
            summary(&ev(r)),
            "mallory called cloudtrail:DeleteTrail from 198.51.100.7 — AccessDenied"
        );
        // OCSF 1.0.0-rc.2 (Security Lake 1.0): the principal id in uid, the ARN in uuid.
        let r = r#"{"class_uid":3005,"api":{"operation":"GetObject","service":{"name":"s3.amazonaws.com"}},"actor":{"user":{"uid":"AROAX:bob","uuid":"arn:aws:sts::1:assumed-role/Admin/bob"}}}"#;
        assert_eq!(summary(&ev(r)), "Admin/bob called s3:GetObject");
    }

    #[test]
    fn summary_of_a_failed_call() {
        assert_eq!(
            summary(&ev(BUCKET_POLICY)),
            "alice called s3:PutBucketPolicy on bucket x from 203.0.113.5 — AccessDenied"
        );
    }

    #[test]
    fn summary_actors() {
        let root = r#"{"userIdentity":{"type":"Root","arn":"arn:aws:iam::1:root","accountId":"1"},"eventSource":"iam.amazonaws.com","eventName":"CreateUser","requestParameters":{"userName":"bob"}}"#;
        assert_eq!(summary(&ev(root)), "root called iam:CreateUser on user bob");
        let role = r#"{"userIdentity":{"type":"AssumedRole","principalId":"AROAX:alice","arn":"arn:aws:sts::1:assumed-role/Admin/alice","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::1:role/Admin","userName":"Admin"}}},"eventSource":"ec2.amazonaws.com","eventName":"TerminateInstances","sourceIPAddress":"2001:db8::1","requestParameters":{"instancesSet":{"items":[{"instanceId":"i-1"},{"instanceId":"i-2"}]}}}"#;
        assert_eq!(
            summary(&ev(role)),
            "Admin/alice called ec2:TerminateInstances on instance i-1 (+1 more) from 2001:db8::1"
        );
        let svc = r#"{"userIdentity":{"type":"AWSService","invokedBy":"cloudtrail.amazonaws.com"},"eventSource":"s3.amazonaws.com","eventName":"GetBucketAcl","sourceIPAddress":"cloudtrail.amazonaws.com","requestParameters":{"bucketName":"logs","Host":"logs.s3.amazonaws.com"}}"#;
        assert_eq!(summary(&ev(svc)), "AWS service cloudtrail.amazonaws.com called s3:GetBucketAcl on bucket logs from cloudtrail.amazonaws.com");
        let none = r#"{"eventSource":"sts.amazonaws.com","eventName":"GetCallerIdentity"}"#;
        assert_eq!(summary(&ev(none)), "an unknown caller called sts:GetCallerIdentity");
        let via = r#"{"userIdentity":{"type":"IAMUser","userName":"carol","invokedBy":"AWS Internal"},"eventSource":"s3.amazonaws.com","eventName":"GetObject","requestParameters":{"bucketName":"b","key":"a/b.txt"}}"#;
        assert_eq!(
            summary(&ev(via)),
            "carol (via AWS Internal) called s3:GetObject on object b/a/b.txt"
        );
        let login = r#"{"userIdentity":{"type":"IAMUser","userName":"dave"},"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","sourceIPAddress":"198.51.100.1","responseElements":{"ConsoleLogin":"Failure"}}"#;
        assert_eq!(
            summary(&ev(login)),
            "dave signed in to the console from 198.51.100.1 — Failure"
        );
        let arns = r#"{"userIdentity":{"type":"AWSAccount","accountId":"999"},"eventSource":"kms.amazonaws.com","eventName":"Decrypt","resources":[{"ARN":"arn:aws:kms:eu-west-1:1:key/k1","type":"AWS::KMS::Key"}]}"#;
        assert_eq!(
            summary(&ev(arns)),
            "account 999 called kms:Decrypt on resource arn:aws:kms:eu-west-1:1:key/k1"
        );
        let svc_event = r#"{"eventType":"AwsServiceEvent","eventSource":"kms.amazonaws.com","eventName":"RotateKey"}"#;
        assert_eq!(summary(&ev(svc_event)), "AWS service event kms:RotateKey");
        assert_eq!(summary(&Json::Null), "an unknown caller called (unknown action)");
    }
}
