//! Flattened JSON documents: which source a document is from (Sentinel's `AWSCloudTrail` row,
//! an ECS document of Elastic's AWS integration), how a rule's dotted path is found in it
//! (nested objects, dotted keys, or both mixed, as Elasticsearch returns either), and which of
//! its fields no rule understands (named in the file's note).

use std::collections::BTreeSet;

use serde_json::Value;

use super::{map, Mapped, Source};

/// Distinct field names not understood that a file's note keeps (the rest are counted).
pub(in crate::read) const MAX_UNKNOWN: usize = 64;

/// The value at the dotted `path` in `v`: `{"event":{"action":…}}`, `{"event.action":…}` and
/// `{"event":{"action.x":…}}` alike. The tries are bounded by the path's segments.
pub(in crate::read) fn lookup<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    let Value::Object(m) = v else { return None };
    if let Some(x) = m.get(path) {
        return Some(x);
    }
    path.match_indices('.').find_map(|(i, _)| {
        let head = path.get(..i)?;
        let rest = path.get(i + 1..)?;
        lookup(m.get(head)?, rest)
    })
}

fn text<'v>(v: &'v Value, path: &str) -> Option<&'v str> {
    lookup(v, path).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// The source of a JSON document that is not a CloudTrail record, when it is one this reader
/// maps: a Sentinel row names its call (`EventName` / `EventSource`) and has `TimeGenerated`
/// or `AwsEventId`; an ECS document names its call (`event.action` / `event.provider`) and is
/// AWS's (`aws.cloudtrail.*`, a provider `*.amazonaws.com`, the `aws.cloudtrail` dataset or
/// the `aws` cloud), so other ECS logs are never taken for CloudTrail.
pub(in crate::read) fn source_of(v: &Value) -> Option<Source> {
    let Value::Object(m) = v else { return None };
    let has = |k: &str| m.get(k).is_some_and(|x| !x.is_null());
    if (has("EventName") || has("EventSource")) && (has("TimeGenerated") || has("AwsEventId")) {
        return Some(Source::Sentinel);
    }
    let provider = text(v, "event.provider");
    if provider.is_none() && text(v, "event.action").is_none() {
        return None;
    }
    let aws = lookup(v, "aws.cloudtrail").is_some()
        || m.keys().any(|k| k.starts_with("aws.cloudtrail."))
        || provider.is_some_and(|p| p.ends_with(".amazonaws.com"))
        || text(v, "event.dataset") == Some("aws.cloudtrail")
        || text(v, "cloud.provider") == Some("aws");
    aws.then_some(Source::Ecs)
}

/// `v` mapped by `source`'s rules.
pub(in crate::read) fn map_document(source: Source, v: &Value) -> Mapped {
    let rules = source.rules();
    map(rules, |i| rules.get(i).and_then(|r| lookup(v, r.from)).cloned())
}

/// Adds to `out` the dotted names of `v`'s fields that no rule of `source` reads (a rule reads
/// a field or everything under it), up to [`MAX_UNKNOWN`] names; returns whether more were
/// left uncounted.
pub(in crate::read) fn unknown_fields(
    source: Source,
    v: &Value,
    out: &mut BTreeSet<String>,
) -> bool {
    let mut more = false;
    let mut stack: Vec<(String, &Value)> = Vec::new();
    if let Value::Object(m) = v {
        stack.extend(m.iter().map(|(k, x)| (k.clone(), x)));
    }
    while let Some((name, x)) = stack.pop() {
        let rules = source.rules();
        let read = rules.iter().any(|r| {
            source.matches(r, &name)
                || name.strip_prefix(r.from).is_some_and(|rest| rest.starts_with('.'))
        });
        if read {
            continue;
        }
        match x {
            // Within a rule's path: look further down (`aws` holds `aws.cloudtrail.…`).
            Value::Object(inner)
                if !inner.is_empty()
                    && name.matches('.').count() < 8
                    && rules.iter().any(|r| r.from.starts_with(&format!("{name}."))) =>
            {
                stack.extend(inner.iter().map(|(k, y)| (format!("{name}.{k}"), y)));
            }
            _ => {
                if out.contains(&name) {
                    continue;
                }
                if out.len() >= MAX_UNKNOWN {
                    more = true;
                } else {
                    out.insert(name);
                }
            }
        }
    }
    more
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_dotted_and_mixed_paths() {
        let v = json!({"event": {"action": "A"}, "aws.cloudtrail": {"user_identity": {"arn": "x"}},
                       "source.ip": "1.2.3.4"});
        assert_eq!(lookup(&v, "event.action"), Some(&json!("A")));
        assert_eq!(lookup(&v, "aws.cloudtrail.user_identity.arn"), Some(&json!("x")));
        assert_eq!(lookup(&v, "source.ip"), Some(&json!("1.2.3.4")));
        assert_eq!(lookup(&v, "event.provider"), None);
        assert_eq!(lookup(&json!("x"), "a"), None);
    }

    #[test]
    fn sources_of_documents() {
        let ecs = json!({"event": {"action": "GetObject", "provider": "s3.amazonaws.com"}});
        assert_eq!(source_of(&ecs), Some(Source::Ecs));
        let other =
            json!({"event": {"action": "login", "provider": "sshd"}, "host": {"name": "h"}});
        assert_eq!(source_of(&other), None);
        let dataset = json!({"event.action": "x", "event.dataset": "aws.cloudtrail"});
        assert_eq!(source_of(&dataset), Some(Source::Ecs));
        let sentinel = json!({"TimeGenerated": "2024-01-02T03:04:05Z", "EventName": "GetObject"});
        assert_eq!(source_of(&sentinel), Some(Source::Sentinel));
        // lookup-events' elements name their call too, but are no Sentinel rows.
        let lookup_events = json!({"EventName": "GetObject", "EventTime": 1, "EventId": "e"});
        assert_eq!(source_of(&lookup_events), None);
    }

    #[test]
    fn fields_no_rule_reads() {
        let v = json!({"event": {"action": "A", "kind": "event"}, "agent": {"id": "1"},
                       "aws": {"cloudtrail": {"flattened": {"request_parameters": {"b": 1}}, "x": 2}}});
        let mut out = BTreeSet::new();
        assert!(!unknown_fields(Source::Ecs, &v, &mut out));
        assert_eq!(
            out.into_iter().collect::<Vec<_>>(),
            ["agent", "aws.cloudtrail.x", "event.kind"].map(String::from)
        );
    }
}
