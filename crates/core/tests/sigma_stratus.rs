//! The 57 SigmaHQ CloudTrail rules run by the naive evaluator over the stratus-red-team
//! detonations in `../shared/corpus/stratus-red-team`: each detonation that a rule was written for
//! is found by that rule (checked by reading the events), and the rules stay quiet where they must.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use trailglass_core::detect::{naive, parse_rule, Rule};

fn shared(rel: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared").join(rel);
    assert!(p.is_dir(), "missing {} (it lives beside the project as ../shared)", p.display());
    p
}

fn rules() -> BTreeMap<String, Rule> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(shared("sigma/rules")).unwrap() {
        let path = e.unwrap().path();
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        out.insert(stem, parse_rule(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
    }
    out
}

fn events(file: &str) -> Vec<Value> {
    let path = shared("corpus/stratus-red-team").join(file);
    let v: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    match v {
        Value::Array(items) => items,
        other => vec![other],
    }
}

/// Rule file stem → number of events of `file` it matches, for the rules that match any.
fn hits(rules: &BTreeMap<String, Rule>, file: &str) -> BTreeMap<String, usize> {
    let evs = events(file);
    rules
        .iter()
        .map(|(name, r)| (name.clone(), evs.iter().filter(|e| naive::rule_matches(r, e)).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// (detonation file, rule file stem, events matched): checked by reading each file's events.
const FOUND: &[(&str, &str, usize)] = &[
    // StopLogging / DeleteTrail on cloudtrail.amazonaws.com.
    ("aws.defense-evasion.cloudtrail-stop.json", "aws_cloudtrail_disable_logging", 1),
    ("aws.defense-evasion.cloudtrail-delete.json", "aws_cloudtrail_disable_logging", 1),
    // DeleteFlowLogs without an errorCode (the `errorCode: null` branch).
    ("aws.defense-evasion.vpc-remove-flow-logs.json", "aws_cloudtrail_vpc_flow_logs_deleted", 1),
    // SendCommand on ssm without an errorCode, in both detonations that send one.
    ("aws.execution.ssm-send-command.json", "aws_cloudtrail_ssm_malicious_usage", 1),
    (
        "aws.credential-access.ec2-steal-instance-credentials.json",
        "aws_cloudtrail_ssm_malicious_usage",
        1,
    ),
    // AuthorizeSecurityGroupIngress on ec2.
    (
        "aws.exfiltration.ec2-security-group-open-port-22-ingress.json",
        "aws_cloudtrail_security_group_change_ingress_egress",
        1,
    ),
    // ModifySnapshotAttribute on ec2 (sharing with another account).
    ("aws.exfiltration.ec2-share-ebs-snapshot.json", "aws_snapshot_backup_exfiltration", 1),
    // ConsoleLogin, MFAUsed "No" against the rule's 'NO' (case-insensitive), Success.
    (
        "aws.initial-access.console-login-without-mfa.json",
        "aws_cloudtrail_console_login_success_without_mfa",
        1,
    ),
    // CreateAccessKey (the rule's filter compares the ARN with a literal that never occurs).
    ("aws.persistence.iam-backdoor-user.json", "aws_iam_backdoor_users_keys", 1),
    ("aws.persistence.iam-create-admin-user.json", "aws_iam_backdoor_users_keys", 1),
    // UpdateFunctionConfiguration20150331v2 (startswith) with a non-empty `layers` array.
    ("aws.persistence.lambda-layer-extension.json", "aws_new_lambda_layer_attached", 1),
    // UpdateLoginProfile by a user on another user (the fieldref filter does not hold).
    ("aws.privilege-escalation.iam-update-user-login-profile.json", "aws_update_login_profile", 1),
    // 30 of the 34 events are an AssumedRole identity issued by a Role (counted by hand).
    ("aws.credential-access.ec2-get-password-data.json", "aws_sts_assumerole_misuse", 30),
];

/// (detonation, rule) pairs where the rule must stay quiet, and why.
const QUIET: &[(&str, &str)] = &[
    // ModifyInstanceAttribute here carries `requestParameters.userData`, not `attribute: userData`.
    ("aws.execution.ec2-user-data.json", "aws_ec2_startup_script_change"),
    // The stolen credentials' ARN is `assumed-role/stratus-…-role/i-…`, not `assumed-role/aws:…`.
    (
        "aws.credential-access.ec2-steal-instance-credentials.json",
        "aws_cloudtrail_imds_malicious_usage",
    ),
    // The only trail events are StopLogging / DeleteTrail / PutEventSelectors.
    ("aws.defense-evasion.cloudtrail-event-selectors.json", "aws_cloudtrail_disable_logging"),
    // CreateLoginProfile / DeleteLoginProfile, not UpdateLoginProfile.
    ("aws.persistence.iam-create-user-login-profile.json", "aws_update_login_profile"),
];

#[test]
fn detonations_are_found_by_their_rules() {
    let rules = rules();
    assert_eq!(rules.len(), 57);
    for &(file, rule, n) in FOUND {
        assert!(rules.contains_key(rule), "no rule {rule}");
        let got = hits(&rules, file);
        assert_eq!(got.get(rule).copied(), Some(n), "{file}: {rule} (all hits: {got:?})");
    }
}

#[test]
fn near_misses_stay_quiet() {
    let rules = rules();
    for &(file, rule) in QUIET {
        assert!(rules.contains_key(rule), "no rule {rule}");
        let got = hits(&rules, file);
        assert!(!got.contains_key(rule), "{file}: {rule} fired ({got:?})");
    }
}

#[test]
fn detonations_without_a_rule_are_not_claimed() {
    // Secrets Manager, Route 53 resolver logs and Roles Anywhere have no rule in the set; only the
    // broad AssumeRole rule may fire on them, never a rule written for something else.
    let rules = rules();
    for file in [
        "aws.credential-access.secretsmanager-batch-retrieve-secrets.json",
        "aws.credential-access.secretsmanager-retrieve-secrets.json",
        "aws.defense-evasion.dns-delete-logs.json",
        "aws.persistence.rolesanywhere-create-trust-anchor.json",
    ] {
        let got = hits(&rules, file);
        assert!(got.keys().all(|r| r == "aws_sts_assumerole_misuse"), "{file}: {got:?}");
    }
}
