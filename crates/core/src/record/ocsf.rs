//! OCSF records, as Amazon Security Lake writes CloudTrail (API Activity, class 6003, or 3005 in OCSF 1.0.0-rc.2;
//! Authentication, 3002; Account Change, 3001; OCSF 1.0.0-rc.2 and 1.1), read into the same
//! columns as a CloudTrail record, so every query, facet and chart works on them. The record's
//! own text is what the store keeps (the detail view shows the OCSF record).
//!
//! What maps to what: `api.operation` → action, `api.service.name` → service, `cloud.region`,
//! `cloud.account.uid` (or rc.2's `cloud.account_uid`, `unmapped.recipientAccountId`,
//! Security Lake's `accountid`) → account, `actor.user.uid` (or `uuid`, whichever is an ARN) → ARN,
//! `actor.user.type` → identity type, `actor.user.credential_uid` → access key, the user as
//! CloudTrail's column has it (the role of `actor.session.issuer`, else `actor.user.name`,
//! else the ARN's last part), `src_endpoint.ip`, `http_request.user_agent`,
//! `api.response.error` → error, `time` (epoch ms) or `time_dt`; from `unmapped`, where Security
//! Lake keeps what OCSF has no place for: `eventType`, `eventCategory`, `readOnly`.

use std::borrow::Cow;

use serde_json::Value;

use super::fields::{arn_tail_start, Fields, TimeFrom};
use crate::store::Column;
use crate::time::{epoch_from_f64, parse_time_ms};

/// The OCSF classes Security Lake writes for CloudTrail's events: API Activity (6003 from OCSF
/// 1.0 on; 3005 in 1.0.0-rc.2, which Security Lake's 1.0 sources write), Authentication (3002)
/// and Account Change (3001).
pub const CLASSES: [&str; 4] = ["6003", "3005", "3002", "3001"];

/// The value at `pointer` (`/api/operation`) as text (strings as they are, numbers and
/// booleans printed), when it is one and not blank.
fn text<'v>(v: &'v Value, pointer: &str) -> Option<Cow<'v, str>> {
    match v.pointer(pointer)? {
        Value::String(s) => Some(Cow::Borrowed(s.as_str())),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        _ => None,
    }
    .filter(|s| !s.trim().is_empty())
}

/// The last part of an ARN, as CloudTrail's user column takes it.
fn tail(arn: &str) -> Option<&str> {
    arn_tail_start(arn).and_then(|i| arn.get(i..))
}

/// The columns of an OCSF record `v` (see the module docs).
pub fn ocsf_fields(v: &Value) -> Fields<'static> {
    let mut f = Fields::empty();
    let mut set = |c: Column, s: Option<Cow<'_, str>>| {
        if let (Some(s), Some(slot)) = (s, f.values.get_mut(c.index())) {
            *slot = Cow::Owned(s.into_owned());
        }
    };
    set(Column::Action, text(v, "/api/operation"));
    set(Column::Service, text(v, "/api/service/name"));
    set(Column::Region, text(v, "/cloud/region"));
    // OCSF 1.1 has `cloud.account.uid`, 1.0.0-rc.2 `cloud.account_uid`; Security Lake also
    // keeps CloudTrail's own `recipientAccountId` in `unmapped` and the partition's `accountid`.
    let account =
        ["/cloud/account/uid", "/cloud/account_uid", "/unmapped/recipientAccountId", "/accountid"]
            .into_iter()
            .find_map(|p| text(v, p));
    set(Column::Account, account);
    set(Column::SourceIp, text(v, "/src_endpoint/ip"));
    set(Column::UserAgent, text(v, "/http_request/user_agent"));
    set(Column::ErrorCode, text(v, "/api/response/error"));
    set(Column::IdentityType, text(v, "/actor/user/type"));
    set(Column::AccessKey, text(v, "/actor/user/credential_uid"));
    let uid = text(v, "/actor/user/uid");
    let uuid = text(v, "/actor/user/uuid");
    let is_arn = |s: &Option<Cow<'_, str>>| s.as_ref().is_some_and(|s| s.starts_with("arn:"));
    let arn = if is_arn(&uid) || !is_arn(&uuid) { uid } else { uuid };
    let issuer = text(v, "/actor/session/issuer");
    let user = issuer
        .as_deref()
        .and_then(tail)
        .map(str::to_owned)
        .or_else(|| text(v, "/actor/user/name").map(Cow::into_owned))
        .or_else(|| arn.as_deref().and_then(tail).map(str::to_owned));
    set(Column::User, user.map(Cow::Owned));
    set(Column::Arn, arn);
    set(Column::EventType, text(v, "/unmapped/eventType"));
    let category = text(v, "/unmapped/eventCategory").unwrap_or(Cow::Borrowed("Management"));
    set(Column::Category, Some(category));
    let read_only = text(v, "/unmapped/readOnly").map(|r| r.trim().to_ascii_lowercase());
    set(Column::ReadOnly, read_only.filter(|r| r == "true" || r == "false").map(Cow::Owned));
    let time = match v.get("time") {
        Some(Value::Number(n)) => n.as_f64().and_then(epoch_from_f64),
        Some(Value::String(s)) => s.parse::<f64>().ok().and_then(epoch_from_f64),
        _ => None,
    }
    .or_else(|| text(v, "/time_dt").and_then(|t| parse_time_ms(&t)));
    if let Some(ms) = time {
        f.time_ms = Some(ms);
        f.time_from = TimeFrom::EventTime;
    }
    f
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn an_api_activity_record_fills_cloudtrails_columns() {
        let v: Value = serde_json::from_str(
            r#"{"class_uid":6003,"time":1704164645000,"activity_name":"Update",
            "api":{"operation":"PutBucketPolicy","service":{"name":"s3.amazonaws.com"},
                   "response":{"error":"AccessDenied"}},
            "actor":{"user":{"type":"AssumedRole","uid":"arn:aws:sts::111122223333:assumed-role/Admin/bob",
                     "credential_uid":"ASIA1","name":"bob"},
                     "session":{"issuer":"arn:aws:iam::111122223333:role/Admin"}},
            "src_endpoint":{"ip":"198.51.100.7"},"http_request":{"user_agent":"aws-cli/2"},
            "cloud":{"region":"eu-west-1","account":{"uid":"111122223333"}},
            "unmapped":{"eventType":"AwsApiCall","readOnly":"false"}}"#,
        )
        .unwrap();
        let f = ocsf_fields(&v);
        let want = [
            (Column::Action, "PutBucketPolicy"),
            (Column::Service, "s3.amazonaws.com"),
            (Column::ErrorCode, "AccessDenied"),
            (Column::IdentityType, "AssumedRole"),
            (Column::Arn, "arn:aws:sts::111122223333:assumed-role/Admin/bob"),
            (Column::User, "Admin"),
            (Column::AccessKey, "ASIA1"),
            (Column::SourceIp, "198.51.100.7"),
            (Column::UserAgent, "aws-cli/2"),
            (Column::Region, "eu-west-1"),
            (Column::Account, "111122223333"),
            (Column::EventType, "AwsApiCall"),
            (Column::Category, "Management"),
            (Column::ReadOnly, "false"),
        ];
        for (c, w) in want {
            assert_eq!(f.get(c), w, "{c:?}");
        }
        assert_eq!((f.time_ms, f.time_from), (Some(1_704_164_645_000), TimeFrom::EventTime));
        // OCSF 1.0.0-rc.2: the ARN in uuid, the time as text; no issuer: the user's name.
        let v: Value = serde_json::from_str(
            r#"{"class_uid":"3002","time_dt":"2024-01-02T03:04:05Z","api":{"operation":"ConsoleLogin"},
            "actor":{"user":{"uid":"AIDA1","uuid":"arn:aws:iam::1:user/alice","name":"alice"}}}"#,
        )
        .unwrap();
        let f = ocsf_fields(&v);
        assert_eq!(f.get(Column::Arn), "arn:aws:iam::1:user/alice");
        assert_eq!(f.get(Column::User), "alice");
        assert_eq!(f.time_ms, Some(1_704_164_645_000));
        assert_eq!(f.get(Column::ReadOnly), "");
        // rc.2's account field, and Security Lake's partition column when nothing else has it.
        let f = ocsf_fields(&serde_json::json!({"cloud": {"account_uid": "2"}, "accountid": "3"}));
        assert_eq!(f.get(Column::Account), "2");
        let f = ocsf_fields(&serde_json::json!({"accountid": "3"}));
        assert_eq!(f.get(Column::Account), "3");
    }
}
