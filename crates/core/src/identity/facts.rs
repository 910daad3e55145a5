//! What the resolver reads from a raw record beyond the store's columns: the identity of a
//! caller (`sessionContext`, `onBehalfOf`, `invokedBy`, …), the credentials an STS call issued,
//! a console sign-in, the `sharedEventID` of a cross-account copy.
//!
//! Only a few records are read this way (one per distinct caller identity, the STS calls, the
//! sign-ins and the `AWSAccount` copies), so serde reads the few subtrees that matter into
//! `Value`s and skips the rest of the record; a record it cannot read (a duplicate key, broken
//! JSON the tolerant scanner kept, a subtree of the wrong type) gives no facts and never stops
//! the others.

use serde::Deserialize;
use serde_json::Value;

use crate::time::parse_time_ms;

/// The facts of a record's `userIdentity` (and its sharedEventID).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct IdentityFacts {
    pub(crate) account: Option<String>,
    pub(crate) principal_id: Option<String>,
    pub(crate) user_name: Option<String>,
    pub(crate) invoked_by: Option<String>,
    /// `sessionContext.attributes.creationDate`, ms.
    pub(crate) created_ms: Option<i64>,
    pub(crate) source_identity: Option<String>,
    /// The Identity Center identity store id (`d-…`) of `onBehalfOf.identityStoreArn` or
    /// `identityStoreArn`.
    pub(crate) store_id: Option<String>,
    /// `onBehalfOf.userId` or `userId`.
    pub(crate) sso_user_id: Option<String>,
    pub(crate) shared_event: Option<String>,
}

/// Which STS call issued credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum IssueKind {
    AssumeRole,
    AssumeRoleWithSaml,
    AssumeRoleWithWebIdentity,
    GetSessionToken,
    GetFederationToken,
}

impl IssueKind {
    /// The STS eventName that issues credentials, if `name` is one.
    pub(crate) fn from_event_name(name: &str) -> Option<IssueKind> {
        Some(match name {
            "AssumeRole" => IssueKind::AssumeRole,
            "AssumeRoleWithSAML" => IssueKind::AssumeRoleWithSaml,
            "AssumeRoleWithWebIdentity" => IssueKind::AssumeRoleWithWebIdentity,
            "GetSessionToken" => IssueKind::GetSessionToken,
            "GetFederationToken" => IssueKind::GetFederationToken,
            _ => return None,
        })
    }

    pub fn event_name(self) -> &'static str {
        match self {
            IssueKind::AssumeRole => "AssumeRole",
            IssueKind::AssumeRoleWithSaml => "AssumeRoleWithSAML",
            IssueKind::AssumeRoleWithWebIdentity => "AssumeRoleWithWebIdentity",
            IssueKind::GetSessionToken => "GetSessionToken",
            IssueKind::GetFederationToken => "GetFederationToken",
        }
    }

    /// The credentials' lifetime when the call does not say (the STS API reference's defaults:
    /// one hour for the AssumeRole family, 12 hours for GetSessionToken and GetFederationToken).
    fn default_seconds(self) -> i64 {
        match self {
            IssueKind::GetSessionToken | IssueKind::GetFederationToken => 43_200,
            _ => 3_600,
        }
    }
}

/// The credentials one successful STS call issued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IssueFacts {
    pub(crate) kind: IssueKind,
    /// `responseElements.credentials.accessKeyId`.
    pub(crate) key: Box<str>,
    /// How long the credentials live, ms.
    pub(crate) lifetime_ms: i64,
    /// The session they make: `assumedRoleUser.arn` or `federatedUser.arn`.
    pub(crate) session_arn: Option<Box<str>>,
    /// `saml:<issuer>/<subject>` or `web:<provider>/<subject>` for the federation calls.
    pub(crate) federated_origin: Option<Box<str>>,
}

/// A successful console sign-in or role switch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SignInFacts {
    /// `additionalEventData.SwitchFrom` of a SwitchRole: the principal that switched.
    pub(crate) switch_from: Option<String>,
    pub(crate) identity: IdentityFacts,
}

/// The longest lifetime STS grants (36 hours, GetSessionToken's maximum); a larger
/// `durationSeconds` is taken as this.
const MAX_SECONDS: i64 = 129_600;

#[derive(Deserialize, Default)]
#[serde(default)]
struct IdentityPart {
    #[serde(rename = "userIdentity")]
    ui: Value,
    #[serde(rename = "sharedEventID")]
    shared: Value,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct FullPart {
    #[serde(rename = "userIdentity")]
    ui: Value,
    #[serde(rename = "sharedEventID")]
    shared: Value,
    #[serde(rename = "requestParameters")]
    req: Value,
    #[serde(rename = "responseElements")]
    resp: Value,
    #[serde(rename = "additionalEventData")]
    add: Value,
}

/// A string at `path` (numbers as their text), trimmed; `None` when missing or empty.
fn text(v: &Value, path: &[&str]) -> Option<String> {
    let mut v = v;
    for k in path {
        v = v.get(k)?;
    }
    let s = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// A userIdentity that is an object written as a JSON string is read from inside the string,
/// as the reader does.
fn identity_value(ui: Value) -> Value {
    match ui {
        Value::String(s) => serde_json::from_str(&s).unwrap_or(Value::Null),
        v => v,
    }
}

/// The identity store id of an identity store ARN (`arn:aws:identitystore::1:identitystore/d-x`).
fn store_id(arn: &str) -> Option<String> {
    let id = arn.rsplit('/').next()?.trim();
    (!id.is_empty()).then(|| id.to_string())
}

fn identity_facts(ui: &Value, shared: &Value) -> IdentityFacts {
    let store = text(ui, &["onBehalfOf", "identityStoreArn"])
        .or_else(|| text(ui, &["identityStoreArn"]))
        .and_then(|a| store_id(&a));
    IdentityFacts {
        account: text(ui, &["accountId"]),
        principal_id: text(ui, &["principalId"]),
        user_name: text(ui, &["userName"]),
        invoked_by: text(ui, &["invokedBy"]),
        created_ms: text(ui, &["sessionContext", "attributes", "creationDate"])
            .and_then(|t| parse_time_ms(&t)),
        source_identity: text(ui, &["sessionContext", "sourceIdentity"]),
        store_id: store,
        sso_user_id: text(ui, &["onBehalfOf", "userId"]).or_else(|| text(ui, &["userId"])),
        shared_event: text(shared, &[]),
    }
}

/// The identity facts of a raw record; `None` when it cannot be read.
pub(crate) fn read_identity(raw: &str) -> Option<IdentityFacts> {
    let p: IdentityPart = serde_json::from_str(raw).ok()?;
    Some(identity_facts(&identity_value(p.ui), &p.shared))
}

/// The credentials a successful STS call of `kind` issued, with its caller's facts; `None` when
/// the record has no readable access key in `responseElements.credentials`.
pub(crate) fn read_issue(raw: &str, kind: IssueKind) -> Option<(IssueFacts, IdentityFacts)> {
    let p: FullPart = serde_json::from_str(raw).ok()?;
    let key = text(&p.resp, &["credentials", "accessKeyId"])?;
    let seconds = text(&p.req, &["durationSeconds"])
        .and_then(|s| s.parse::<i64>().ok())
        .filter(|&s| s > 0)
        .unwrap_or_else(|| kind.default_seconds())
        .min(MAX_SECONDS);
    let session_arn = text(&p.resp, &["assumedRoleUser", "arn"])
        .or_else(|| text(&p.resp, &["federatedUser", "arn"]));
    let federated_origin = match kind {
        IssueKind::AssumeRoleWithSaml => {
            let issuer = text(&p.resp, &["issuer"]);
            let subject = text(&p.resp, &["subject"]);
            match (issuer, subject) {
                (Some(i), Some(s)) => Some(format!("saml:{i}/{s}")),
                _ => None,
            }
        }
        IssueKind::AssumeRoleWithWebIdentity => {
            let provider = text(&p.resp, &["provider"]);
            let subject = text(&p.resp, &["subjectFromWebIdentityToken"]);
            match (provider, subject) {
                (Some(pr), Some(s)) => Some(format!("web:{}/{s}", provider_name(&pr))),
                _ => None,
            }
        }
        _ => None,
    };
    let ui = identity_value(p.ui);
    let issue = IssueFacts {
        kind,
        key: key.into(),
        lifetime_ms: seconds * 1000,
        session_arn: session_arn.map(Into::into),
        federated_origin: federated_origin.map(Into::into),
    };
    Some((issue, identity_facts(&ui, &p.shared)))
}

/// A web identity provider without the IAM ARN around it:
/// `arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com` →
/// `token.actions.githubusercontent.com`.
pub(crate) fn provider_name(p: &str) -> &str {
    match p.find(":oidc-provider/") {
        Some(i) if p.starts_with("arn:") => &p[i + ":oidc-provider/".len()..],
        _ => p,
    }
}

/// A console sign-in's facts (`SwitchFrom` of a role switch); `None` when unreadable or when
/// it did not succeed.
pub(crate) fn read_sign_in(raw: &str) -> Option<SignInFacts> {
    let p: FullPart = serde_json::from_str(raw).ok()?;
    let ok = ["ConsoleLogin", "SwitchRole"]
        .iter()
        .any(|k| text(&p.resp, &[k]).is_some_and(|v| v.eq_ignore_ascii_case("success")));
    if !ok {
        return None;
    }
    let ui = identity_value(p.ui);
    Some(SignInFacts {
        switch_from: text(&p.add, &["SwitchFrom"]),
        identity: identity_facts(&ui, &p.shared),
    })
}
