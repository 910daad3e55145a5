//! What the resolver answers with: origins and their kinds, the hops of a chain, who is behind
//! one call, the resolver's own figures. Plain serde types the page and the command line read.

use super::resolve::arn_account;

/// What kind of principal an origin is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum OriginKind {
    IamUser,
    Root,
    SsoUser,
    Saml,
    WebIdentity,
    Service,
}

impl OriginKind {
    /// A word for the page (`IAM user`, `SSO user`, …).
    pub fn label(self) -> &'static str {
        match self {
            OriginKind::IamUser => "IAM user",
            OriginKind::Root => "root",
            OriginKind::SsoUser => "SSO user",
            OriginKind::Saml => "SAML subject",
            OriginKind::WebIdentity => "web identity",
            OriginKind::Service => "AWS service",
        }
    }
}

/// The principal a chain starts from.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Origin {
    pub kind: OriginKind,
    /// As `trailglass-scan --origins` writes it: the user's or root's ARN, the service's name,
    /// `saml:<issuer>/<subject>`, `web:<provider>/<subject>`, `sso:<store>/<user>`.
    pub text: String,
    /// A short name: the user name, `root 123456789012`, the subject, the service.
    pub name: String,
}

impl Origin {
    pub(crate) fn new(kind: OriginKind, text: String) -> Origin {
        let name = match kind {
            OriginKind::IamUser => text.rsplit('/').next().unwrap_or(&text).to_string(),
            OriginKind::Root => format!("root {}", arn_account(&text).unwrap_or("")),
            OriginKind::SsoUser => {
                text.rsplit('/').next().unwrap_or(&text).trim_start_matches("sso:").to_string()
            }
            OriginKind::Saml | OriginKind::WebIdentity => match text.split_once('/') {
                Some((_, rest)) if kind == OriginKind::Saml => {
                    rest.rsplit('/').next().unwrap_or(rest).to_string()
                }
                Some((_, rest)) => rest.to_string(),
                None => text.clone(),
            },
            OriginKind::Service => text.clone(),
        };
        Origin { kind, text, name }
    }
}

/// Why a chain stops before its origin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Cut {
    /// The credentials lead back to themselves.
    Loop,
    /// More than [`MAX_HOPS`](super::MAX_HOPS) hops.
    TooDeep,
}

/// One hop of a chain: a session, and the call that made it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Hop {
    /// The session's identity: its ARN (`arn:aws:sts::1:assumed-role/Role/session`), or the
    /// service, or the principal id of an `AWSAccount` caller.
    pub identity: String,
    /// The role or user name, the part a person reads.
    pub name: String,
    pub account: Option<String>,
    /// The access key of its credentials.
    pub key: String,
    /// The call that made it (`AssumeRole`, `SwitchRole`, …) and its row; `None` when it is
    /// not in the loaded logs or the session is the origin's own (a long-term key).
    pub via: Option<String>,
    pub via_row: Option<u32>,
    /// When and from where that call was made (else the session's first event).
    pub time_ms: Option<i64>,
    pub source_ip: String,
}

/// Who is behind one call: the origin (if known) and the hops from it to the caller.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Behind {
    pub origin: Option<Origin>,
    /// From the first known hop to the caller's own session.
    pub hops: Vec<Hop>,
    pub cut: Option<Cut>,
    /// Said when the origin is unknown (credentials issued outside the loaded logs, a cut).
    pub note: Option<String>,
    /// `sourceIdentity`, when a hop set it.
    pub source_identity: Option<String>,
}

/// What the resolver read and holds (estimates of heap bytes, for the benchmark).
#[derive(Clone, Copy, Debug, Default)]
pub struct IdentityStats {
    /// Records read beyond the columns.
    pub reads: usize,
    /// The per-row arrays (group and session of every row).
    pub row_bytes: usize,
    /// Caller groups, their facts and their map.
    pub group_bytes: usize,
    /// STS issues, console sign-ins, the copies' rows.
    pub issue_bytes: usize,
    /// Sessions, origins, the sharedEventIDs read.
    pub session_bytes: usize,
}

impl IdentityStats {
    pub fn total(&self) -> usize {
        self.row_bytes + self.group_bytes + self.issue_bytes + self.session_bytes
    }
}

/// The note of an unknown origin.
pub const OUTSIDE: &str = "credentials issued outside the loaded logs";
