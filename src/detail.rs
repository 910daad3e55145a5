//! What the event detail panel shows, as plain functions of one record: the one-line summary in
//! plain words, the pivot clauses (query text that filters on this event's user, key, session,
//! IP, resources, request and event IDs), the Insight statistics, and the JSON tree model the tree
//! component renders row by row.
//!
//! One record at a time, so it is parsed whole — but into [`Json`], an ordered tree of our own
//! rather than `serde_json::Value`, whose maps (without the `preserve_order` feature) sort keys:
//! a responder expects `eventVersion` first and `requestParameters` where CloudTrail put it.
//! Duplicate keys are kept as they came; lookups take the last, as serde_json would.
//!
//! The tree model is flat: [`tree_rows`] walks the record and returns only the visible rows
//! (given the set of paths the user toggled), so the component renders a keyed list and holds no
//! logic. Paths are JSON pointers (`/userIdentity/arn`, `/resources/0/ARN`); a repeated key gets
//! `~2n` appended (never produced by pointer escaping), so every row's path is unique.
//!
//! Pivot clauses are checked against the engine: every clause parses with
//! `trailglass_core::query::parse` and matches the event it came from (see the tests).

use std::collections::HashSet;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use trailglass_core::engine::RowDetail;

/// A JSON value with object keys in document order.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(serde_json::Number),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    /// The value of `key` in an object (the last one if repeated).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(m) => m.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    /// Follows object keys.
    pub fn at(&self, keys: &[&str]) -> Option<&Json> {
        keys.iter().try_fold(self, |v, k| v.get(k))
    }
    /// A string, or a number/bool as its text; `None` for null, empty strings and containers.
    pub fn text(&self) -> Option<String> {
        match self {
            Json::Str(s) if !s.is_empty() => Some(s.clone()),
            Json::Num(n) => Some(n.to_string()),
            Json::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
    fn str_at(&self, keys: &[&str]) -> Option<String> {
        self.at(keys).and_then(Json::text)
    }
    fn f64_at(&self, keys: &[&str]) -> Option<f64> {
        match self.at(keys)? {
            Json::Num(n) => n.as_f64(),
            Json::Str(s) => s.parse().ok(),
            _ => None,
        }
    }
    /// The whole value as indented JSON text, keys in order.
    pub fn pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Parses one record's JSON text.
pub fn parse_json(text: &str) -> Result<Json, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Num(v.into()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Num(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Json::Null, Json::Num))
    }
    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element()? {
            out.push(v);
        }
        Ok(Json::Arr(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut out = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Json>()? {
            out.push((k, v));
        }
        Ok(Json::Obj(out))
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Num(n) => n.serialize(s),
            Json::Str(v) => s.serialize_str(v),
            Json::Arr(a) => {
                let mut seq = s.serialize_seq(Some(a.len()))?;
                for v in a {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Json::Obj(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Summary

use crate::columns::short_service;

/// `s3:PutBucketPolicy`, from eventSource and eventName (either may be missing).
fn action_of(ev: &Json) -> String {
    let src = ev.str_at(&["eventSource"]).unwrap_or_default();
    let name = ev.str_at(&["eventName"]).unwrap_or_else(|| "(unknown action)".into());
    match short_service(&src) {
        "" => name,
        s => format!("{s}:{name}"),
    }
}

/// The part of an ARN after its last `/` (`…:assumed-role/Admin/alice` → `alice`).
fn arn_tail(arn: &str) -> &str {
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

// ---------------------------------------------------------------------------------------------
// Insight statistics

/// What an Insight event measured (`insightDetails.insightContext.statistics`).
#[derive(Clone, Debug, PartialEq)]
pub struct InsightStats {
    /// "Start" or "End".
    pub state: String,
    /// "ApiCallRateInsight" or "ApiErrorRateInsight".
    pub insight_type: String,
    /// `ec2:RunInstances`.
    pub action: String,
    pub error_code: Option<String>,
    /// Averages per minute over the baseline and the insight period.
    pub baseline_avg: Option<f64>,
    pub insight_avg: Option<f64>,
    /// Durations in minutes.
    pub baseline_minutes: Option<f64>,
    pub insight_minutes: Option<f64>,
}

/// The statistics of an Insight event; `None` for other events.
pub fn insight_stats(ev: &Json) -> Option<InsightStats> {
    let d = ev.get("insightDetails").filter(|v| matches!(v, Json::Obj(_)))?;
    let st = ["insightContext", "statistics"];
    let stat = |k: &[&str]| d.f64_at(&[st.as_slice(), k].concat());
    let src = d.str_at(&["eventSource"]).unwrap_or_default();
    let name = d.str_at(&["eventName"]).unwrap_or_else(|| "(unknown action)".into());
    Some(InsightStats {
        state: d.str_at(&["state"]).unwrap_or_default(),
        insight_type: d.str_at(&["insightType"]).unwrap_or_default(),
        action: match short_service(&src) {
            "" => name,
            s => format!("{s}:{name}"),
        },
        error_code: d.str_at(&["errorCode"]),
        baseline_avg: stat(&["baseline", "average"]),
        insight_avg: stat(&["insight", "average"]),
        baseline_minutes: stat(&["baselineDuration"]),
        insight_minutes: stat(&["insightDuration"]),
    })
}

/// A number for people: three significant digits below 1, two decimals below 100, whole above.
pub fn format_number(v: f64) -> String {
    let a = v.abs();
    let s = if a == 0.0 || !a.is_finite() {
        return format!("{v}");
    } else if a >= 100.0 {
        return format!("{v:.0}");
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        let decimals = (-a.log10()).floor() as usize + 3;
        format!("{v:.decimals$}")
    };
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Minutes for people: `5 min`, `3.5 h`, `7.9 days`.
pub fn format_minutes(m: f64) -> String {
    if m < 120.0 {
        format!("{} min", format_number(m))
    } else if m < 2880.0 {
        format!("{} h", format_number(m / 60.0))
    } else {
        format!("{} days", format_number(m / 1440.0))
    }
}

impl InsightStats {
    fn is_error_rate(&self) -> bool {
        self.insight_type == "ApiErrorRateInsight"
    }

    /// "Insight: unusual rate of ec2:RunInstances (baseline 0.5/min, observed 12/min)".
    pub fn sentence(&self) -> String {
        let head = if self.state == "End" { "Insight ended" } else { "Insight" };
        let what = if self.is_error_rate() { "unusual error rate of" } else { "unusual rate of" };
        let mut parts = Vec::new();
        if let Some(e) = &self.error_code {
            parts.push(e.clone());
        }
        if let Some(b) = self.baseline_avg {
            parts.push(format!("baseline {}/min", format_number(b)));
        }
        if let Some(i) = self.insight_avg {
            parts.push(format!("observed {}/min", format_number(i)));
        }
        let detail =
            if parts.is_empty() { String::new() } else { format!(" ({})", parts.join(", ")) };
        format!("{head}: {what} {}{detail}", self.action)
    }

    /// Label/value rows for the statistics table.
    pub fn table(&self) -> Vec<(&'static str, String)> {
        let rate = |v: Option<f64>| v.map(|v| format!("{}/min", format_number(v)));
        let mut rows = vec![
            (
                "Type",
                Some(
                    if self.is_error_rate() { "API error rate" } else { "API call rate" }
                        .to_string(),
                ),
            ),
            ("State", Some(self.state.clone()).filter(|s| !s.is_empty())),
            ("Action", Some(self.action.clone())),
            ("Error code", self.error_code.clone()),
            ("Baseline average", rate(self.baseline_avg)),
            ("Insight average", rate(self.insight_avg)),
        ];
        if let (Some(b), Some(i)) = (self.baseline_avg, self.insight_avg) {
            if b > 0.0 {
                rows.push(("Ratio", Some(format!("{}×", format_number(i / b)))));
            }
        }
        rows.push(("Insight duration", self.insight_minutes.map(format_minutes)));
        rows.push(("Baseline duration", self.baseline_minutes.map(format_minutes)));
        rows.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Pivots

/// A filter built from this event: `kind` is the `data-pivot` name (`user`, `key`, `session`,
/// `role`, `action`, `ip`, `resource`, `request`, `event`), `clause` is query text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pivot {
    pub kind: &'static str,
    pub label: String,
    pub value: String,
    pub clause: String,
}

/// Values in pivot clauses are quoted as everywhere else (see `crate::clauses`).
pub use crate::clauses::quote_value as quote;

/// The pivots of one event. Indexed columns (user, key, service, action, ip) come from the
/// store (through `d`), so the clause matches exactly how the engine derived them; the rest come
/// from the record.
pub fn pivots(d: &RowDetail, ev: &Json) -> Vec<Pivot> {
    let mut out = Vec::new();
    let mut add = |kind: &'static str, label: &str, value: String, clause: String| {
        out.push(Pivot { kind, label: label.to_string(), value, clause });
    };
    let user = d.user.as_str();
    if !user.is_empty() {
        add("user", "User", user.to_string(), format!("user:{}", quote(user)));
    }
    let key = d.access_key.as_str();
    if !key.is_empty() {
        add("key", "Access key", key.to_string(), format!("key:{}", quote(key)));
    }
    let id = ev.get("userIdentity");
    let arn = id.and_then(|i| i.str_at(&["arn"])).unwrap_or_default();
    let principal = id.and_then(|i| i.str_at(&["principalId"])).unwrap_or_default();
    if arn.contains(":assumed-role/") || arn.contains(":federated-user/") {
        let short = arn.split_once('/').map_or(arn.as_str(), |(_, s)| s).to_string();
        add("session", "Session", short, format!("arn:{}", quote(&arn)));
    } else if principal.contains(':') {
        add(
            "session",
            "Session",
            principal.clone(),
            format!("userIdentity.principalId:{}", quote(&principal)),
        );
    }
    if let Some(issuer) = id.and_then(|i| i.str_at(&["sessionContext", "sessionIssuer", "arn"])) {
        let clause = format!("userIdentity.sessionContext.sessionIssuer.arn:{}", quote(&issuer));
        add("role", "Role", arn_tail(&issuer).to_string(), clause);
    }
    let (service, action) = (d.service.as_str(), d.action.as_str());
    if !action.is_empty() {
        let clause = match service {
            "" => format!("action:{}", quote(action)),
            s => format!("service:{} action:{}", quote(s), quote(action)),
        };
        let value = match short_service(service) {
            "" => action.to_string(),
            s => format!("{s}:{action}"),
        };
        add("action", "Action", value, clause);
    }
    let ip = d.source_ip.as_str();
    if !ip.is_empty() {
        // `ip:` reads a value with '/' as a CIDR block; the path term compares it as text.
        let field = if ip.contains('/') { "$.sourceIPAddress" } else { "ip" };
        add("ip", "Source IP", ip.to_string(), format!("{field}:{}", quote(ip)));
    }
    for r in resources(ev) {
        let label = format!("{}{}", r.noun[..1].to_uppercase(), &r.noun[1..]);
        add("resource", &label, r.value.clone(), format!("{}:{}", r.path, quote(&r.value)));
    }
    if let Some(req) = ev.str_at(&["requestID"]) {
        add("request", "Request ID", req.clone(), format!("requestID:{}", quote(&req)));
    }
    if let Some(eid) = ev.str_at(&["eventID"]) {
        add("event", "Event ID", eid.clone(), format!("eventID:{}", quote(&eid)));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The panel's data

/// Everything the panel header shows for one row.
#[derive(Clone, Debug, PartialEq)]
pub struct EventInfo {
    pub row: u32,
    pub event_id: String,
    pub time_ms: Option<i64>,
    /// The file (and archive member) the event came from.
    pub file: String,
    pub summary: String,
    pub pivots: Vec<Pivot>,
    pub insight: Option<InsightStats>,
    /// The parsed record, or why it could not be parsed (then `raw` is shown as text).
    pub json: Result<std::sync::Arc<Json>, String>,
    pub raw: String,
}

/// What the panel shows for one record the worker sent.
pub fn event_info(d: &RowDetail) -> EventInfo {
    let json = parse_json(&d.raw);
    let ev = json.as_ref().ok().cloned().unwrap_or(Json::Null);
    EventInfo {
        row: d.row,
        event_id: ev.str_at(&["eventID"]).unwrap_or_else(|| d.event_id.clone()),
        time_ms: d.time_ms,
        file: d.file.clone(),
        summary: summary(&ev),
        pivots: pivots(d, &ev),
        insight: insight_stats(&ev),
        json: json.map(std::sync::Arc::new),
        raw: d.raw.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// JSON tree model

/// The type of a tree node, which is also its CSS class suffix (`jt-string`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

impl Kind {
    pub fn class(self) -> &'static str {
        match self {
            Kind::Object => "jt-object",
            Kind::Array => "jt-array",
            Kind::String => "jt-string",
            Kind::Number => "jt-number",
            Kind::Bool => "jt-bool",
            Kind::Null => "jt-null",
        }
    }
}

/// One visible row of the JSON tree.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TreeRow {
    /// Object key, or the index for array elements.
    pub key: String,
    pub is_index: bool,
    /// Unique JSON-pointer-like path; the collapse/expand state is keyed by it.
    pub path: String,
    pub depth: usize,
    pub kind: Kind,
    /// Scalars: the value (strings without quotes). Containers: `{5}` / `[3]`.
    pub text: String,
    pub children: usize,
    /// Containers: shown open. Strings holding JSON: shown expanded as a tree below.
    pub open: bool,
    /// A string whose content is a JSON object or array (can be expanded).
    pub nested_json: bool,
}

/// Containers with more children than this start collapsed.
pub const COLLAPSE_OVER: usize = 25;
/// At most this many rows are produced; collapse something to see the rest.
pub const MAX_ROWS: usize = 3000;

/// The visible rows, and whether [`MAX_ROWS`] cut the list short.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TreeView {
    pub rows: Vec<TreeRow>,
    pub truncated: bool,
}

fn escape_segment(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A string that holds a JSON object or array, parsed.
fn nested(s: &str) -> Option<Json> {
    let t = s.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return None;
    }
    parse_json(s).ok().filter(|j| matches!(j, Json::Obj(_) | Json::Arr(_)))
}

/// Child entries of a container with their path segments (repeated keys get `~2n`).
fn entries(v: &Json) -> Vec<(String, bool, String, &Json)> {
    match v {
        Json::Obj(m) => {
            let mut seen: HashSet<&str> = HashSet::new();
            m.iter()
                .enumerate()
                .map(|(i, (k, x))| {
                    let seg = if seen.insert(k) {
                        escape_segment(k)
                    } else {
                        format!("{}~2{i}", escape_segment(k))
                    };
                    (k.clone(), false, seg, x)
                })
                .collect()
        }
        Json::Arr(a) => {
            a.iter().enumerate().map(|(i, x)| (i.to_string(), true, i.to_string(), x)).collect()
        }
        _ => Vec::new(),
    }
}

/// The visible rows of `root`'s tree. `toggled` holds the paths the user clicked: a container
/// in it flips its default (open unless it has more than [`COLLAPSE_OVER`] children); a string
/// holding JSON in it is shown expanded.
pub fn tree_rows(root: &Json, toggled: &HashSet<String>) -> TreeView {
    let mut view = TreeView::default();
    walk(root, "", 0, toggled, &mut view);
    view
}

fn walk(v: &Json, path: &str, depth: usize, toggled: &HashSet<String>, view: &mut TreeView) {
    for (key, is_index, seg, x) in entries(v) {
        if view.rows.len() >= MAX_ROWS {
            view.truncated = true;
            return;
        }
        let path = format!("{path}/{seg}");
        let flipped = toggled.contains(&path);
        let (kind, text, children, open, nested_json, inner) = match x {
            Json::Obj(m) => (
                Kind::Object,
                format!("{{{}}}", m.len()),
                m.len(),
                (m.len() <= COLLAPSE_OVER) != flipped,
                false,
                None,
            ),
            Json::Arr(a) => (
                Kind::Array,
                format!("[{}]", a.len()),
                a.len(),
                (a.len() <= COLLAPSE_OVER) != flipped,
                false,
                None,
            ),
            Json::Str(s) => {
                let inner = if flipped { nested(s) } else { None };
                let is_nested = flipped || nested(s).is_some();
                let n = inner.as_ref().map_or(0, |j| entries(j).len());
                (Kind::String, s.clone(), n, inner.is_some(), is_nested, inner)
            }
            Json::Num(n) => (Kind::Number, n.to_string(), 0, false, false, None),
            Json::Bool(b) => (Kind::Bool, b.to_string(), 0, false, false, None),
            Json::Null => (Kind::Null, "null".into(), 0, false, false, None),
        };
        view.rows.push(TreeRow {
            key,
            is_index,
            path: path.clone(),
            depth,
            kind,
            text,
            children,
            open,
            nested_json,
        });
        if open {
            walk(inner.as_ref().unwrap_or(x), &path, depth + 1, toggled, view);
        }
    }
}

/// The node at a tree path (strings holding JSON are entered), e.g. for "copy value".
pub fn node_at(root: &Json, path: &str) -> Option<Json> {
    let mut cur = root.clone();
    for seg in path.split('/').skip(1) {
        if let Json::Str(s) = &cur {
            cur = nested(s)?;
        }
        let next = entries(&cur)
            .into_iter()
            .find(|(_, _, sg, _)| sg == seg)
            .map(|(_, _, _, x)| x.clone())?;
        cur = next;
    }
    Some(cur)
}

/// What "copy value" puts on the clipboard: a string's text, a scalar's JSON, a container's
/// indented JSON.
pub fn copy_text(root: &Json, path: &str) -> Option<String> {
    Some(match node_at(root, path)? {
        Json::Str(s) => s,
        other => other.pretty(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use trailglass_core::engine::row_detail;
    use trailglass_core::query::parse;
    use trailglass_core::Store;

    fn ev(text: &str) -> Json {
        parse_json(text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    const BUCKET_POLICY: &str = r#"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAX","arn":"arn:aws:iam::123456789012:user/alice","accountId":"123456789012","accessKeyId":"AKIAEXAMPLE","userName":"alice"},"eventTime":"2024-03-01T10:00:05Z","eventSource":"s3.amazonaws.com","eventName":"PutBucketPolicy","awsRegion":"eu-west-1","sourceIPAddress":"203.0.113.5","errorCode":"AccessDenied","requestParameters":{"bucketName":"x","policy":"{\"Version\":\"2012-10-17\"}"},"requestID":"REQ1","eventID":"ev-1"}"#;

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

    const INSIGHT: &str = r#"{"eventVersion":"1.08","eventTime":"2022-04-12T16:10:00Z","awsRegion":"eu-central-1","eventID":"ins-1","eventType":"AwsCloudTrailInsight","recipientAccountId":"246337027688","insightDetails":{"state":"Start","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","insightType":"ApiCallRateInsight","insightContext":{"statistics":{"baseline":{"average":0.5},"insight":{"average":12},"insightDuration":5,"baselineDuration":11336}}},"eventCategory":"Insight"}"#;

    #[test]
    fn insight_summary_and_table() {
        let e = ev(INSIGHT);
        assert_eq!(
            summary(&e),
            "Insight: unusual rate of ec2:RunInstances (baseline 0.5/min, observed 12/min)"
        );
        let stats = insight_stats(&e).expect("insight");
        assert_eq!(stats.insight_minutes, Some(5.0));
        let table = stats.table();
        assert!(table.contains(&("Baseline average", "0.5/min".into())), "{table:?}");
        assert!(table.contains(&("Insight average", "12/min".into())));
        assert!(table.contains(&("Ratio", "24×".into())));
        assert!(table.contains(&("Insight duration", "5 min".into())));
        assert!(table.contains(&("Baseline duration", "7.87 days".into())));
        let err = r#"{"insightDetails":{"state":"End","eventSource":"iam.amazonaws.com","eventName":"GetUser","insightType":"ApiErrorRateInsight","errorCode":"AccessDenied","insightContext":{"statistics":{"baseline":{"average":8.82145e-05},"insight":{"average":0.6}}}}}"#;
        assert_eq!(summary(&ev(err)), "Insight ended: unusual error rate of iam:GetUser (AccessDenied, baseline 0.0000882/min, observed 0.6/min)");
        assert_eq!(insight_stats(&ev(BUCKET_POLICY)), None);
    }

    #[test]
    fn numbers_and_durations() {
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_number(0.5), "0.5");
        assert_eq!(format_number(12.0), "12");
        assert_eq!(format_number(1.234), "1.23");
        assert_eq!(format_number(1234.4), "1234");
        assert_eq!(format_number(8.82145e-05), "0.0000882");
        assert_eq!(format_minutes(5.0), "5 min");
        assert_eq!(format_minutes(210.0), "3.5 h");
        assert_eq!(format_minutes(2880.0), "2 days");
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("203.0.113.5"), "203.0.113.5");
        assert_eq!(quote("2001:db8::1"), "2001:db8::1");
        assert_eq!(quote("a b"), "\"a b\"");
        assert_eq!(quote("x\"y\\z"), "\"x\\\"y\\\\z\"");
        assert_eq!(quote("-x"), "\"-x\"");
        assert_eq!(quote("a*b?"), "\"a*b?\"");
        assert_eq!(quote("a/b"), "a/b");
        assert_eq!(quote(""), "\"\"");
    }

    /// Events with awkward values: quotes, backslashes, markup, spaces, wildcards, IPv6, a
    /// service name as source IP, a CIDR-looking source, an assumed role, resources.
    const PIVOT_EVENTS: &str = r#"{"Records":[
      BUCKET,
      {"eventVersion":"1.08","eventTime":"2024-03-01T10:01:00Z","userIdentity":{"type":"AssumedRole","principalId":"AROAX:alice@example.com","arn":"arn:aws:sts::1:assumed-role/Admin Role/alice@example.com","accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAX","arn":"arn:aws:iam::1:role/Admin Role","userName":"Admin Role"}}},"eventSource":"ec2.amazonaws.com","eventName":"TerminateInstances","sourceIPAddress":"2001:db8::1","requestParameters":{"instancesSet":{"items":[{"instanceId":"i-1"},{"instanceId":"i-2"}]}},"requestID":"r \"2\" \\ x","eventID":"ev-2"},
      {"eventVersion":"1.08","eventTime":"2024-03-01T10:02:00Z","userIdentity":{"type":"IAMUser","userName":"<script>alert(1)</script>","arn":"arn:aws:iam::1:user/x"},"eventSource":"s3.amazonaws.com","eventName":"GetObject","sourceIPAddress":"<img src=x onerror=alert(1)>","requestParameters":{"bucketName":"b*?","key":"dir/(a b).txt"},"resources":[{"ARN":"arn:aws:s3:::b*?/dir/(a b).txt"}],"eventID":"ev 3"},
      {"eventVersion":"1.08","eventTime":"2024-03-01T10:03:00Z","userIdentity":{"type":"AWSService","invokedBy":"cloudtrail.amazonaws.com"},"eventSource":"s3.amazonaws.com","eventName":"GetBucketAcl","sourceIPAddress":"cloudtrail.amazonaws.com","requestParameters":{"bucketName":"logs"},"eventID":"ev-4"},
      {"eventVersion":"1.08","eventTime":"2024-03-01T10:04:00Z","userIdentity":{"type":"IAMUser","userName":"-dash"},"eventSource":"iam.amazonaws.com","eventName":"CreateRole","sourceIPAddress":"10.0.0.1/32","requestParameters":{"roleName":"OR"},"eventID":"AND"},
      INSIGHT
    ]}"#;

    fn detail(store: &Store, row: usize) -> RowDetail {
        row_detail(store, row as u32).expect("row")
    }

    fn pivot_store() -> Store {
        let text = PIVOT_EVENTS.replace("BUCKET", BUCKET_POLICY).replace("INSIGHT", INSIGHT);
        let mut store = Store::new();
        store.ingest("pivots.json", text.as_bytes());
        assert_eq!(store.len(), 6, "{:?}", store.files());
        store
    }

    #[test]
    fn every_pivot_parses_and_matches_its_event() {
        let store = pivot_store();
        let mut kinds = HashSet::new();
        for row in 0..store.len() {
            let e = ev(store.raw(row));
            let ps = pivots(&detail(&store, row), &e);
            assert!(!ps.is_empty(), "row {row} has pivots");
            for p in ps {
                kinds.insert(p.kind);
                let q = parse(&p.clause)
                    .unwrap_or_else(|err| panic!("{:?} does not parse: {err}", p.clause));
                let hits = q.run(&store);
                assert!(
                    hits.contains(&(row as u32)),
                    "row {row}: {} = {:?} matched {hits:?}",
                    p.kind,
                    p.clause
                );
            }
        }
        for k in ["user", "key", "session", "role", "action", "ip", "resource", "request", "event"]
        {
            assert!(kinds.contains(k), "no {k} pivot");
        }
    }

    #[test]
    fn pivot_clauses() {
        let store = pivot_store();
        let clauses = |row: usize| -> Vec<(&'static str, String)> {
            pivots(&detail(&store, row), &ev(store.raw(row)))
                .into_iter()
                .map(|p| (p.kind, p.clause))
                .collect()
        };
        let first = clauses(0);
        assert!(first.contains(&("user", "user:alice".into())), "{first:?}");
        assert!(first.contains(&("key", "key:AKIAEXAMPLE".into())));
        assert!(first.contains(&("ip", "ip:203.0.113.5".into())));
        assert!(
            first.contains(&("action", "service:s3.amazonaws.com action:PutBucketPolicy".into()))
        );
        let insight = clauses(5);
        assert!(
            insight.contains(&("action", "service:ec2.amazonaws.com action:RunInstances".into())),
            "{insight:?}"
        );
        assert!(first.contains(&("resource", "requestParameters.bucketName:x".into())));
        assert!(first.contains(&("request", "requestID:REQ1".into())));
        assert!(first.contains(&("event", "eventID:ev-1".into())));
        let role = clauses(1);
        assert!(
            role.contains(&(
                "session",
                "arn:\"arn:aws:sts::1:assumed-role/Admin Role/alice@example.com\"".into()
            )),
            "{role:?}"
        );
        assert!(role.contains(&(
            "role",
            "userIdentity.sessionContext.sessionIssuer.arn:\"arn:aws:iam::1:role/Admin Role\""
                .into()
        )));
        assert!(role
            .contains(&("resource", "requestParameters.instancesSet.items.instanceId:i-2".into())));
        // Exact pivots select exactly their event here.
        let q = parse("requestID:\"r \\\"2\\\" \\\\ x\"").expect("parses");
        assert_eq!(q.run(&store), vec![1]);
        let cidr = clauses(4);
        assert!(cidr.contains(&("ip", "$.sourceIPAddress:10.0.0.1/32".into())), "{cidr:?}");
        assert!(cidr.contains(&("event", "eventID:AND".into())));
    }

    #[test]
    fn event_info_reads_a_row() {
        let store = pivot_store();
        let info = event_info(&detail(&store, 0));
        assert_eq!(info.event_id, "ev-1");
        assert_eq!(info.file, "pivots.json");
        assert!(info.summary.starts_with("alice called s3:PutBucketPolicy"));
        assert!(info.json.is_ok());
        assert!(event_info(&detail(&store, 5)).insight.is_some());
    }

    #[test]
    fn tree_keeps_order_and_collapses() {
        let root = ev(BUCKET_POLICY);
        let view = tree_rows(&root, &HashSet::new());
        let keys: Vec<&str> =
            view.rows.iter().filter(|r| r.depth == 0).map(|r| r.key.as_str()).collect();
        assert_eq!(keys.first(), Some(&"eventVersion"));
        assert_eq!(keys.get(1), Some(&"userIdentity"));
        let ui = view.rows.iter().find(|r| r.path == "/userIdentity").expect("row");
        assert_eq!(
            (ui.kind, ui.children, ui.open, ui.text.as_str()),
            (Kind::Object, 6, true, "{6}")
        );
        let arn = view.rows.iter().find(|r| r.path == "/userIdentity/arn").expect("row");
        assert_eq!(
            (arn.depth, arn.kind, arn.text.as_str()),
            (1, Kind::String, "arn:aws:iam::123456789012:user/alice")
        );
        // Collapsing hides the children.
        let toggled: HashSet<String> = ["/userIdentity".to_string()].into();
        let collapsed = tree_rows(&root, &toggled);
        assert_eq!(collapsed.rows.len(), view.rows.len() - 6);
        assert!(!collapsed.rows.iter().any(|r| r.path.starts_with("/userIdentity/")));
        // The policy string holds JSON: marked, and expandable.
        let policy = view.rows.iter().find(|r| r.path == "/requestParameters/policy").expect("row");
        assert!(policy.nested_json && !policy.open);
        let expanded = tree_rows(&root, &["/requestParameters/policy".to_string()].into());
        let inner = expanded
            .rows
            .iter()
            .find(|r| r.path == "/requestParameters/policy/Version")
            .expect("inner row");
        assert_eq!((inner.depth, inner.text.as_str()), (2, "2012-10-17"));
        assert_eq!(
            copy_text(&root, "/requestParameters/policy/Version").as_deref(),
            Some("2012-10-17")
        );
    }

    #[test]
    fn tree_kinds_paths_and_copy() {
        let root = ev(
            r#"{"a":1.5,"b":true,"c":null,"d":[{"x":"y"}],"a/b~":"s","d":"dup","big":[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25]}"#,
        );
        let view = tree_rows(&root, &HashSet::new());
        let kinds: Vec<Kind> = view.rows.iter().filter(|r| r.depth == 0).map(|r| r.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Number,
                Kind::Bool,
                Kind::Null,
                Kind::Array,
                Kind::String,
                Kind::String,
                Kind::Array
            ]
        );
        let paths: HashSet<&str> = view.rows.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(paths.len(), view.rows.len(), "paths are unique");
        assert!(paths.contains("/a~1b~0") && paths.contains("/d~25") && paths.contains("/d/0/x"));
        let big = view.rows.iter().find(|r| r.path == "/big").expect("row");
        assert!(!big.open, "large arrays start collapsed");
        assert_eq!(copy_text(&root, "/d/0/x").as_deref(), Some("y"));
        assert_eq!(copy_text(&root, "/d~25").as_deref(), Some("dup"));
        assert_eq!(copy_text(&root, "/a").as_deref(), Some("1.5"));
        assert_eq!(copy_text(&root, "/d").as_deref(), Some("[\n  {\n    \"x\": \"y\"\n  }\n]"));
        assert_eq!(copy_text(&root, "/nope"), None);
        // Pretty printing keeps document order.
        assert!(root.pretty().starts_with("{\n  \"a\": 1.5,\n  \"b\": true"));
    }

    #[test]
    fn tree_is_capped() {
        let many: Vec<String> = (0..MAX_ROWS + 10).map(|i| format!("\"k{i}\":{i}")).collect();
        let root = ev(&format!("{{{}}}", many.join(",")));
        let view = tree_rows(&root, &HashSet::new());
        assert_eq!(view.rows.len(), MAX_ROWS);
        assert!(view.truncated);
    }
}
