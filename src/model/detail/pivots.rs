//! Pivots: query clauses built from one event (its user, access key, session, role, action,
//! source IP, resources, request and event IDs) that the panel offers as "filter on this".
//! Values are quoted as everywhere else ([`crate::model::clauses`]), and the tests check that
//! every clause parses and matches the event it came from.

use trailglass_core::engine::RowDetail;

use crate::model::columns::short_service;
use crate::model::detail::json::Json;
use crate::model::detail::summary::{arn_tail, resources};

/// A filter built from this event: `kind` is the `data-pivot` name (`user`, `key`, `session`,
/// `role`, `action`, `ip`, `resource`, `request`, `event`), `clause` is query text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pivot {
    pub kind: &'static str,
    pub label: String,
    pub value: String,
    pub clause: String,
}

/// Values in pivot clauses are quoted as everywhere else (see `crate::model::clauses`).
pub use crate::model::clauses::quote_value as quote;

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
        let label = capitalized(r.noun);
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

/// `log group` → `Log group`.
fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use trailglass_core::query::parse;

    use super::*;
    use crate::model::detail::fixtures::{detail, ev, pivot_store};

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

    #[test]
    fn every_pivot_parses_and_matches_its_event() {
        let store = pivot_store();
        let mut kinds = HashSet::new();
        for row in 0..store.len() {
            let e = ev(&store.raw(row));
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
            pivots(&detail(&store, row), &ev(&store.raw(row)))
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
}
