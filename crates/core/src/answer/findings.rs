//! "Worth a look": well-known signs of trouble in CloudTrail, each a query of the ordinary language
//! (so a click shows its events and the user can refine it), counted over everything loaded.
//! These are leads for a responder, not verdicts: a CreateUser is routine in most accounts.
//!
//! Each finding is also a Sigma rule of the rule engine (`crates/core/rules/trailglass/findings/`,
//! its `name:` the finding's id), so the counts the engine sends ([`finding_counts`]) come from
//! the same hits as the detections: one mechanism. The queries stay because a click on a finding
//! puts its query in the search box; [`findings`] counts them with the query language, the
//! reference the rules are tested against (they select the same events).

use serde::{Deserialize, Serialize};

use crate::detect::{Hits, RuleOrigin, RuleSet};
use crate::query::parse;
use crate::store::Store;

/// Where the findings rules are, under `crates/core/rules/`.
pub const FINDINGS_RULES: &str = "trailglass/findings/";

/// One kind of finding: what it is called, why it matters, and the query that finds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finding {
    pub id: &'static str,
    pub title: &'static str,
    pub why: &'static str,
    pub query: &'static str,
}

/// The findings, most alarming first.
pub const FINDINGS: &[Finding] = &[
    Finding {
        id: "logging",
        title: "CloudTrail stopped or changed",
        why: "An attacker's first step to hide: StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors.",
        query: "action:StopLogging OR action:DeleteTrail OR action:UpdateTrail OR action:PutEventSelectors",
    },
    Finding {
        id: "defenses",
        title: "Security tooling disabled",
        why: "GuardDuty, Security Hub, Config, Access Analyzer or flow logs turned off or deleted.",
        query: "action:DeleteDetector OR action:DisassociateFromMasterAccount OR action:UpdateDetector OR action:DisableSecurityHub OR action:StopConfigurationRecorder OR action:DeleteConfigurationRecorder OR action:DeleteDeliveryChannel OR action:DeleteAnalyzer OR action:DeleteFlowLogs",
    },
    Finding {
        id: "root",
        title: "Root user activity",
        why: "The root user should almost never act; any use deserves a reason.",
        query: "type:Root",
    },
    Finding {
        id: "console-no-mfa",
        title: "Console sign-in without MFA",
        why: "A successful ConsoleLogin with additionalEventData.MFAUsed = No.",
        query: "action:ConsoleLogin additionalEventData.MFAUsed:No responseElements.ConsoleLogin:Success",
    },
    Finding {
        id: "console-failed",
        title: "Failed console sign-ins",
        why: "Password guessing shows as ConsoleLogin failures.",
        query: "action:ConsoleLogin responseElements.ConsoleLogin:Failure",
    },
    Finding {
        id: "credentials",
        title: "New users, keys or passwords",
        why: "Persistence: CreateUser, CreateAccessKey, CreateLoginProfile, UpdateLoginProfile.",
        query: "action:CreateUser OR action:CreateAccessKey OR action:CreateLoginProfile OR action:UpdateLoginProfile",
    },
    Finding {
        id: "permissions",
        title: "Permissions granted",
        why: "Policies attached or written to users, roles and groups; trust policies changed.",
        query: "action:Attach*Policy OR action:Put*Policy service:iam OR action:CreatePolicyVersion OR action:UpdateAssumeRolePolicy OR action:AddUserToGroup",
    },
    Finding {
        id: "public-data",
        title: "Buckets or snapshots opened up",
        why: "Bucket policies and ACLs changed, public access blocks removed, snapshots or AMIs shared.",
        query: "action:PutBucketPolicy OR action:PutBucketAcl OR action:DeleteBucketPublicAccessBlock OR action:DeletePublicAccessBlock OR action:PutBucketPublicAccessBlock OR action:ModifySnapshotAttribute OR action:ModifyImageAttribute OR action:ModifyDBSnapshotAttribute",
    },
    Finding {
        id: "secrets",
        title: "Secrets read",
        why: "Secrets Manager values and EC2 Windows passwords read (a burst from one caller stands out).",
        query: "action:GetSecretValue OR action:BatchGetSecretValue OR action:GetPasswordData",
    },
    Finding {
        id: "network",
        title: "Network opened or keys added",
        why: "Security group ingress opened, key pairs created or imported.",
        query: "action:AuthorizeSecurityGroupIngress OR action:CreateKeyPair OR action:ImportKeyPair",
    },
    Finding {
        id: "kms",
        title: "KMS keys disabled or scheduled for deletion",
        why: "Ransomware and sabotage: ScheduleKeyDeletion, DisableKey.",
        query: "action:ScheduleKeyDeletion OR action:DisableKey",
    },
    Finding {
        id: "denied",
        title: "Access denied",
        why: "Many denials from one caller are typical of an attacker probing a stolen key.",
        query: "error:*AccessDenied* OR error:*Unauthorized*",
    },
];

impl Finding {
    /// The finding of that id.
    pub fn by_id(id: &str) -> Option<&'static Finding> {
        FINDINGS.iter().find(|f| f.id == id)
    }
}

/// A finding (by [`Finding::id`]; its texts are in [`FINDINGS`]) with the number of loaded events
/// it matches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingCount {
    pub id: String,
    pub count: usize,
}

/// The findings whose rule matched at least one event of `hits`, in [`FINDINGS`] order, counted
/// from the rows of the Trailglass findings rules (by their `name`).
pub fn finding_counts(rules: &RuleSet, hits: &Hits) -> Vec<FindingCount> {
    FINDINGS
        .iter()
        .filter_map(|f| {
            let i = rules.rules().iter().position(|m| {
                m.origin == RuleOrigin::Trailglass
                    && m.file.starts_with(FINDINGS_RULES)
                    && m.name.as_deref() == Some(f.id)
            })?;
            let count = hits.rows(i).len();
            (count > 0).then(|| FindingCount { id: f.id.to_string(), count })
        })
        .collect()
}

/// The findings that match at least one event of `store`, in [`FINDINGS`] order, counted with
/// their queries.
pub fn findings(store: &Store) -> Vec<FindingCount> {
    FINDINGS
        .iter()
        .filter_map(|f| {
            let count = parse(f.query).ok()?.run(store).len();
            (count > 0).then(|| FindingCount { id: f.id.to_string(), count })
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use trailglass_sample::{generate, SynthOptions};

    #[test]
    fn every_query_parses_and_ids_are_unique() {
        for f in FINDINGS {
            assert!(parse(f.query).is_ok(), "{}: {:?}", f.id, parse(f.query).err());
        }
        let mut ids: Vec<_> = FINDINGS.iter().map(|f| f.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), FINDINGS.len());
    }

    fn store_of(records: &[&str]) -> Store {
        let mut s = Store::new();
        s.ingest("t.json", format!("{{\"Records\":[{}]}}", records.join(",")).as_bytes());
        s
    }

    fn ev(extra: &str) -> String {
        format!(
            r#"{{"eventVersion":"1.08","eventTime":"2024-03-01T10:00:00Z","awsRegion":"us-east-1","eventID":"{}",{extra}}}"#,
            extra.len()
        )
    }

    #[test]
    fn each_finding_matches_its_events_only() {
        let rows = [
            ev(
                r#""eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","userIdentity":{"type":"IAMUser","userName":"a"}"#,
            ),
            ev(
                r#""eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","userIdentity":{"type":"Root"},"additionalEventData":{"MFAUsed":"No"},"responseElements":{"ConsoleLogin":"Success"}"#,
            ),
            ev(
                r#""eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","userIdentity":{"type":"IAMUser","userName":"b"},"additionalEventData":{"MFAUsed":"Yes"},"responseElements":{"ConsoleLogin":"Failure"}"#,
            ),
            ev(
                r#""eventSource":"iam.amazonaws.com","eventName":"AttachUserPolicy","userIdentity":{"type":"IAMUser","userName":"a"}"#,
            ),
            ev(
                r#""eventSource":"s3.amazonaws.com","eventName":"PutBucketPolicy","userIdentity":{"type":"IAMUser","userName":"a"}"#,
            ),
            ev(
                r#""eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":{"type":"IAMUser","userName":"a"},"errorCode":"AccessDenied""#,
            ),
            ev(
                r#""eventSource":"s3.amazonaws.com","eventName":"ListBuckets","userIdentity":{"type":"IAMUser","userName":"a"}"#,
            ),
        ];
        let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
        let s = store_of(&refs);
        assert_eq!(s.len(), 7, "{:?}", s.files());
        let got: Vec<(String, usize)> = findings(&s).into_iter().map(|f| (f.id, f.count)).collect();
        assert!(got.iter().all(|(id, _)| Finding::by_id(id).is_some()));
        let want = [
            ("logging", 1),
            ("root", 1),
            ("console-no-mfa", 1),
            ("console-failed", 1),
            ("permissions", 1),
            ("public-data", 1),
            ("denied", 1),
        ];
        assert_eq!(got, want.iter().map(|(i, n)| (i.to_string(), *n)).collect::<Vec<_>>());
    }

    /// The sample's incident shows up in the findings.
    #[test]
    fn the_sample_story_is_found() {
        let mut s = Store::new();
        for f in generate(&SynthOptions { events: 4000, ..SynthOptions::default() }) {
            s.ingest_owned(&f.path, f.bytes);
        }
        let got = findings(&s);
        let count = |id: &str| got.iter().find(|f| f.id == id).map_or(0, |f| f.count);
        assert!(count("logging") >= 2, "{got:?}");
        assert!(count("credentials") >= 2);
        assert!(count("permissions") >= 1);
        assert!(count("public-data") >= 2);
        assert!(count("secrets") >= 30);
        assert!(count("denied") >= 15);
    }
}
