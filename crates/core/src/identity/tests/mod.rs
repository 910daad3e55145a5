//! The resolver on event shapes from the AWS documentation and the corpus (stratus-red-team,
//! cribl), with the traps: two users assuming the same role at once, a key issued again
//! hours later to another origin, uses delivered before the STS call, three hops across two
//! accounts, a missing STS event, a failed AssumeRole, loops and deep chains, broken fields.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use serde_json::{json, Value};

pub(super) use super::*;

pub(super) const A: &str = "111111111111";
pub(super) const B: &str = "222222222222";

pub(super) fn t(min: i64, sec: i64) -> String {
    format!("2024-03-08T{:02}:{:02}:{:02}Z", 9 + min / 60, min % 60, sec)
}

pub(super) fn user(acct: &str, name: &str, key: &str) -> Value {
    json!({"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":format!("arn:aws:iam::{acct}:user/{name}"),
           "accountId":acct,"accessKeyId":key,"userName":name})
}

pub(super) fn role(acct: &str, role: &str, session: &str, key: &str, created: &str) -> Value {
    json!({"type":"AssumedRole","principalId":format!("AROAEXAMPLE:{session}"),
           "arn":format!("arn:aws:sts::{acct}:assumed-role/{role}/{session}"),"accountId":acct,"accessKeyId":key,
           "sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE",
               "arn":format!("arn:aws:iam::{acct}:role/{role}"),"accountId":acct,"userName":role},
               "webIdFederationData":{},"attributes":{"creationDate":created,"mfaAuthenticated":"false"}}})
}

pub(super) fn event(
    id: &str,
    time: &str,
    ui: Value,
    source: &str,
    name: &str,
    recipient: &str,
) -> Value {
    json!({"eventVersion":"1.08","userIdentity":ui,"eventTime":time,"eventSource":source,"eventName":name,
           "awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15",
           "requestParameters":null,"responseElements":null,"eventID":id,"eventType":"AwsApiCall",
           "recipientAccountId":recipient})
}

/// A successful AssumeRole by `ui` into `acct`'s `role_name` issuing `key`.
#[allow(clippy::too_many_arguments)]
pub(super) fn assume(
    id: &str,
    time: &str,
    ui: Value,
    acct: &str,
    role_name: &str,
    session: &str,
    key: &str,
) -> Value {
    let mut e = event(id, time, ui, "sts.amazonaws.com", "AssumeRole", acct);
    e["requestParameters"] = json!({"roleArn":format!("arn:aws:iam::{acct}:role/{role_name}"),
        "roleSessionName":session,"durationSeconds":3600});
    e["responseElements"] = json!({"credentials":{"accessKeyId":key,"sessionToken":"IQoJ","expiration":"Mar 8, 2024, 11:00:00 AM"},
        "assumedRoleUser":{"assumedRoleId":format!("AROAEXAMPLE:{session}"),
        "arn":format!("arn:aws:sts::{acct}:assumed-role/{role_name}/{session}")}});
    e
}

pub(super) fn store_of(files: &[Vec<Value>]) -> Store {
    let mut s = Store::new();
    for (i, f) in files.iter().enumerate() {
        let text = json!({"Records": f}).to_string();
        s.ingest(&format!("f{i}.json"), text.as_bytes());
    }
    s
}

/// One engine's resolution of `files`, checked against the same events dealt over two and
/// three data workers (`split`).
pub(super) fn resolved(files: &[Vec<Value>]) -> (Store, Identities) {
    let s = store_of(files);
    let mut ids = Identities::new();
    ids.update(&s);
    for of in [2, 3] {
        split::agrees(files, (&s, &ids), of);
    }
    (s, ids)
}

pub(super) fn row(s: &Store, id: &str) -> usize {
    (0..s.len())
        .find(|&r| crate::query::field_text(s, r, "eventID").as_deref() == Some(id))
        .unwrap()
}

pub(super) fn origin(s: &Store, ids: &Identities, id: &str) -> Option<String> {
    ids.origin_of(row(s, id)).map(|o| o.text.clone())
}

pub(super) fn chain(s: &Store, ids: &Identities, id: &str) -> Vec<String> {
    ids.chain_texts(s, row(s, id))
}

pub(super) const ALICE: &str = "arn:aws:iam::111111111111:user/alice";
pub(super) const BOB: &str = "arn:aws:iam::111111111111:user/bob";

mod shapes;
mod split;
mod traps;
