//! The resolver on event shapes from the AWS documentation and the corpus (stratus-red-team,
//! cribl), with the traps: two users assuming the same role at once, a key issued again
//! hours later to another origin, uses delivered before the STS call, three hops across two
//! accounts, a missing STS event, a failed AssumeRole, loops and deep chains, broken fields.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use serde_json::{json, Value};

use super::*;

const A: &str = "111111111111";
const B: &str = "222222222222";

fn t(min: i64, sec: i64) -> String {
    format!("2024-03-08T{:02}:{:02}:{:02}Z", 9 + min / 60, min % 60, sec)
}

fn user(acct: &str, name: &str, key: &str) -> Value {
    json!({"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":format!("arn:aws:iam::{acct}:user/{name}"),
           "accountId":acct,"accessKeyId":key,"userName":name})
}

fn role(acct: &str, role: &str, session: &str, key: &str, created: &str) -> Value {
    json!({"type":"AssumedRole","principalId":format!("AROAEXAMPLE:{session}"),
           "arn":format!("arn:aws:sts::{acct}:assumed-role/{role}/{session}"),"accountId":acct,"accessKeyId":key,
           "sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE",
               "arn":format!("arn:aws:iam::{acct}:role/{role}"),"accountId":acct,"userName":role},
               "webIdFederationData":{},"attributes":{"creationDate":created,"mfaAuthenticated":"false"}}})
}

fn event(id: &str, time: &str, ui: Value, source: &str, name: &str, recipient: &str) -> Value {
    json!({"eventVersion":"1.08","userIdentity":ui,"eventTime":time,"eventSource":source,"eventName":name,
           "awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15",
           "requestParameters":null,"responseElements":null,"eventID":id,"eventType":"AwsApiCall",
           "recipientAccountId":recipient})
}

/// A successful AssumeRole by `ui` into `acct`'s `role_name` issuing `key`.
#[allow(clippy::too_many_arguments)]
fn assume(
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

fn store_of(files: &[Vec<Value>]) -> Store {
    let mut s = Store::new();
    for (i, f) in files.iter().enumerate() {
        let text = json!({"Records": f}).to_string();
        s.ingest(&format!("f{i}.json"), text.as_bytes());
    }
    s
}

fn resolved(files: &[Vec<Value>]) -> (Store, Identities) {
    let s = store_of(files);
    let mut ids = Identities::new();
    ids.update(&s);
    (s, ids)
}

fn row(s: &Store, id: &str) -> usize {
    (0..s.len())
        .find(|&r| crate::query::field_text(s, r, "eventID").as_deref() == Some(id))
        .unwrap()
}

fn origin(s: &Store, ids: &Identities, id: &str) -> Option<String> {
    ids.origin_of(row(s, id)).map(|o| o.text.clone())
}

fn chain(s: &Store, ids: &Identities, id: &str) -> Vec<String> {
    ids.chain_texts(s, row(s, id))
}

const ALICE: &str = "arn:aws:iam::111111111111:user/alice";
const BOB: &str = "arn:aws:iam::111111111111:user/bob";

#[test]
fn a_long_term_key_belongs_to_its_user_and_a_role_session_to_who_assumed_it() {
    let created = t(0, 0);
    let files = vec![
        // The use is delivered in a file before the one holding the STS call.
        vec![event(
            "use",
            &t(5, 0),
            role(A, "Deploy", "alice", "ASIAUSE1", &created),
            "s3.amazonaws.com",
            "ListBuckets",
            A,
        )],
        vec![
            event(
                "direct",
                &t(0, 0),
                user(A, "alice", "AKIAALICE"),
                "iam.amazonaws.com",
                "ListUsers",
                A,
            ),
            assume(
                "sts",
                &created,
                user(A, "alice", "AKIAALICE"),
                A,
                "Deploy",
                "alice",
                "ASIAUSE1",
            ),
        ],
    ];
    let (s, ids) = resolved(&files);
    assert_eq!(origin(&s, &ids, "direct").as_deref(), Some(ALICE));
    assert_eq!(chain(&s, &ids, "direct"), vec![ALICE]);
    assert_eq!(origin(&s, &ids, "use").as_deref(), Some(ALICE));
    assert_eq!(
        chain(&s, &ids, "use"),
        vec![ALICE, "arn:aws:sts::111111111111:assumed-role/Deploy/alice"]
    );
    let b = ids.behind(&s, row(&s, "use"));
    assert_eq!(b.hops.len(), 1);
    assert_eq!(b.hops[0].via.as_deref(), Some("AssumeRole"));
    assert_eq!(b.hops[0].via_row, Some(row(&s, "sts") as u32));
    assert_eq!(b.hops[0].name, "Deploy");
    assert!(b.note.is_none());
}

#[test]
fn two_users_assuming_the_same_role_at_once_are_two_sessions() {
    let c = t(0, 0);
    let files = vec![vec![
        assume("a1", &c, user(A, "alice", "AKIAALICE"), A, "Admin", "ops", "ASIAK1"),
        assume("b1", &c, user(A, "bob", "AKIABOB"), A, "Admin", "ops", "ASIAK2"),
        event(
            "a2",
            &t(1, 0),
            role(A, "Admin", "ops", "ASIAK1", &c),
            "ec2.amazonaws.com",
            "RunInstances",
            A,
        ),
        event(
            "b2",
            &t(1, 0),
            role(A, "Admin", "ops", "ASIAK2", &c),
            "ec2.amazonaws.com",
            "RunInstances",
            A,
        ),
    ]];
    let (s, ids) = resolved(&files);
    assert_eq!(origin(&s, &ids, "a2").as_deref(), Some(ALICE));
    assert_eq!(origin(&s, &ids, "b2").as_deref(), Some(BOB));
    assert_ne!(ids.session_of(row(&s, "a2")), ids.session_of(row(&s, "b2")));
}

#[test]
fn a_key_issued_again_hours_later_is_another_session_and_an_expired_use_is_unknown() {
    let c1 = t(0, 0);
    let c2 = t(180, 0);
    let files = vec![vec![
        assume("i1", &c1, user(A, "alice", "AKIAALICE"), A, "R", "s", "ASIAREUSED"),
        event(
            "u1",
            &t(30, 0),
            role(A, "R", "s", "ASIAREUSED", &c1),
            "s3.amazonaws.com",
            "GetObject",
            A,
        ),
        // One hour after the first issue ended, before the second: nothing issued it.
        event(
            "gap",
            &t(121, 0),
            role(A, "R", "s", "ASIAREUSED", &c1),
            "s3.amazonaws.com",
            "GetObject",
            A,
        ),
        assume("i2", &c2, user(A, "bob", "AKIABOB"), A, "R", "s", "ASIAREUSED"),
        event(
            "u2",
            &t(200, 0),
            role(A, "R", "s", "ASIAREUSED", &c2),
            "s3.amazonaws.com",
            "GetObject",
            A,
        ),
    ]];
    let (s, ids) = resolved(&files);
    assert_eq!(origin(&s, &ids, "u1").as_deref(), Some(ALICE));
    assert_eq!(origin(&s, &ids, "u2").as_deref(), Some(BOB));
    assert_eq!(origin(&s, &ids, "gap"), None);
    assert_eq!(ids.behind(&s, row(&s, "gap")).note.as_deref(), Some(OUTSIDE));
    assert_eq!(chain(&s, &ids, "gap"), vec!["arn:aws:sts::111111111111:assumed-role/R/s"]);
}

#[test]
fn a_failed_assume_role_creates_no_session_and_a_missing_one_starts_the_chain_at_the_first_hop() {
    let c = t(0, 0);
    let mut failed = assume("f", &c, user(A, "alice", "AKIAALICE"), A, "R", "s", "ASIAFAIL");
    failed["errorCode"] = json!("AccessDenied");
    failed["responseElements"] = Value::Null;
    let mut failed_with_creds =
        assume("f2", &c, user(A, "alice", "AKIAALICE"), A, "R", "s", "ASIAFAIL2");
    failed_with_creds["errorCode"] = json!("AccessDenied");
    let files = vec![vec![
        failed,
        failed_with_creds,
        event(
            "u",
            &t(1, 0),
            role(A, "R", "s", "ASIAFAIL2", &c),
            "s3.amazonaws.com",
            "GetObject",
            A,
        ),
        // A chain whose first hop was issued outside the logs: R2 assumed R3.
        assume("hop", &t(2, 0), role(A, "R2", "x", "ASIAOUT", &c), A, "R3", "y", "ASIAIN"),
        event(
            "deep",
            &t(3, 0),
            role(A, "R3", "y", "ASIAIN", &t(2, 0)),
            "kms.amazonaws.com",
            "Decrypt",
            A,
        ),
    ]];
    let (s, ids) = resolved(&files);
    assert_eq!(
        origin(&s, &ids, "f").as_deref(),
        Some(ALICE),
        "a failed call is still its caller's"
    );
    assert_eq!(origin(&s, &ids, "u"), None);
    assert_eq!(origin(&s, &ids, "deep"), None);
    assert_eq!(
        chain(&s, &ids, "deep"),
        vec![
            "arn:aws:sts::111111111111:assumed-role/R2/x",
            "arn:aws:sts::111111111111:assumed-role/R3/y"
        ]
    );
    let b = ids.behind(&s, row(&s, "deep"));
    assert_eq!(b.note.as_deref(), Some(OUTSIDE));
    assert_eq!(b.hops.len(), 2);
    assert_eq!(b.hops[0].via, None);
}

#[test]
fn three_hops_across_two_accounts_through_the_copies_of_a_cross_account_call() {
    let c1 = t(0, 0);
    let c2 = t(1, 0);
    // alice in A assumes OrgAdmin in B: the copy in A has her identity, the copy in B an
    // AWSAccount stub; both share a sharedEventID. OrgAdmin then assumes Deploy back in A.
    let mut copy_a =
        assume("xa", &c1, user(A, "alice", "AKIAALICE"), B, "OrgAdmin", "alice", "ASIAB1");
    copy_a["sharedEventID"] = json!("shared-1");
    copy_a["recipientAccountId"] = json!(A);
    let stub = json!({"type":"AWSAccount","principalId":"AIDAEXAMPLE","accountId":A});
    let mut copy_b = assume("xb", &c1, stub, B, "OrgAdmin", "alice", "ASIAB1");
    copy_b["sharedEventID"] = json!("shared-1");
    let files = [
        vec![event(
            "final",
            &t(2, 0),
            role(A, "Deploy", "h2", "ASIAA2", &c2),
            "cloudtrail.amazonaws.com",
            "DeleteTrail",
            A,
        )],
        vec![copy_b],
        vec![assume(
            "h2",
            &c2,
            role(B, "OrgAdmin", "alice", "ASIAB1", &c1),
            A,
            "Deploy",
            "h2",
            "ASIAA2",
        )],
        vec![copy_a],
    ];
    let (s, ids) = resolved(&files);
    assert_eq!(origin(&s, &ids, "final").as_deref(), Some(ALICE));
    assert_eq!(
        chain(&s, &ids, "final"),
        vec![
            ALICE,
            "arn:aws:sts::222222222222:assumed-role/OrgAdmin/alice",
            "arn:aws:sts::111111111111:assumed-role/Deploy/h2"
        ]
    );
    // The stub copy in B is tied to the caller's copy in A.
    assert_eq!(origin(&s, &ids, "xb").as_deref(), Some(ALICE));
    let b = ids.behind(&s, row(&s, "final"));
    assert_eq!(b.hops.iter().map(|h| h.account.clone().unwrap()).collect::<Vec<_>>(), vec![B, A]);
    assert_eq!(b.hops[0].via_row, Some(row(&s, "xa") as u32), "the hop links the caller's copy");
}

#[test]
fn services_saml_web_identity_and_federation_tokens_are_origins() {
    let c = t(0, 0);
    let svc = json!({"type":"AWSService","invokedBy":"lambda.amazonaws.com"});
    let mut saml = event(
        "saml",
        &c,
        json!({"type":"SAMLUser","principalId":"idp:kim@example.com","userName":"kim@example.com","identityProvider":"idp"}),
        "sts.amazonaws.com",
        "AssumeRoleWithSAML",
        A,
    );
    saml["requestParameters"] = json!({"roleArn":"arn:aws:iam::111111111111:role/Saml","roleSessionName":"kim@example.com","durationSeconds":"28800"});
    saml["responseElements"] = json!({"issuer":"https://idp.example.com/saml","subject":"kim@example.com",
        "credentials":{"accessKeyId":"ASIASAML"},"assumedRoleUser":{"arn":"arn:aws:sts::111111111111:assumed-role/Saml/kim@example.com"}});
    let mut web = event(
        "web",
        &c,
        json!({"type":"WebIdentityUser","principalId":"x","userName":"repo:org/app:ref:refs/heads/main"}),
        "sts.amazonaws.com",
        "AssumeRoleWithWebIdentity",
        A,
    );
    web["responseElements"] = json!({"subjectFromWebIdentityToken":"repo:org/app:ref:refs/heads/main",
        "provider":"arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com",
        "credentials":{"accessKeyId":"ASIAWEB"},"assumedRoleUser":{"arn":"arn:aws:sts::111111111111:assumed-role/Gh/GitHubActions"}});
    let mut fed = event(
        "fed",
        &c,
        user(A, "broker", "AKIABROKER"),
        "sts.amazonaws.com",
        "GetFederationToken",
        A,
    );
    fed["responseElements"] = json!({"credentials":{"accessKeyId":"ASIAFED"},"federatedUser":{"arn":"arn:aws:sts::111111111111:federated-user/partner"}});
    let fed_ui = json!({"type":"FederatedUser","principalId":"111111111111:partner","arn":"arn:aws:sts::111111111111:federated-user/partner","accountId":A,"accessKeyId":"ASIAFED"});
    let files = vec![vec![
        event("svc", &c, svc.clone(), "kms.amazonaws.com", "Decrypt", A),
        assume("svcsts", &c, svc, A, "fn-role", "fn", "ASIAFN"),
        event(
            "fnuse",
            &t(1, 0),
            role(A, "fn-role", "fn", "ASIAFN", &c),
            "dynamodb.amazonaws.com",
            "PutItem",
            A,
        ),
        saml,
        event(
            "samluse",
            &t(300, 0),
            role(A, "Saml", "kim@example.com", "ASIASAML", &c),
            "s3.amazonaws.com",
            "GetObject",
            A,
        ),
        web,
        event(
            "webuse",
            &t(1, 0),
            role(A, "Gh", "GitHubActions", "ASIAWEB", &c),
            "ecr.amazonaws.com",
            "PutImage",
            A,
        ),
        fed,
        event("feduse", &t(1, 0), fed_ui, "sts.amazonaws.com", "GetCallerIdentity", A),
    ]];
    let (s, ids) = resolved(&files);
    assert_eq!(origin(&s, &ids, "svc").as_deref(), Some("lambda.amazonaws.com"));
    assert_eq!(origin(&s, &ids, "fnuse").as_deref(), Some("lambda.amazonaws.com"));
    assert_eq!(chain(&s, &ids, "svc"), vec!["lambda.amazonaws.com"]);
    let saml_origin = "saml:https://idp.example.com/saml/kim@example.com";
    assert_eq!(origin(&s, &ids, "saml").as_deref(), Some(saml_origin));
    assert_eq!(
        origin(&s, &ids, "samluse").as_deref(),
        Some(saml_origin),
        "durationSeconds as a string"
    );
    assert_eq!(
        chain(&s, &ids, "samluse"),
        vec![saml_origin, "arn:aws:sts::111111111111:assumed-role/Saml/kim@example.com"]
    );
    let web_origin = "web:token.actions.githubusercontent.com/repo:org/app:ref:refs/heads/main";
    assert_eq!(origin(&s, &ids, "webuse").as_deref(), Some(web_origin));
    assert_eq!(ids.origin_of(row(&s, "webuse")).unwrap().name, "repo:org/app:ref:refs/heads/main");
    assert_eq!(
        origin(&s, &ids, "feduse").as_deref(),
        Some("arn:aws:iam::111111111111:user/broker")
    );
    assert_eq!(
        chain(&s, &ids, "feduse"),
        vec![
            "arn:aws:iam::111111111111:user/broker",
            "arn:aws:sts::111111111111:federated-user/partner"
        ]
    );
}

#[test]
fn identity_center_sessions_name_the_sso_user_and_console_sessions_link_by_arn_and_creation() {
    // The cribl shapes: AssumeRoleWithSAML into an AWSReservedSSO_ role, then a console
    // sign-in of that session without an access key, linked by ARN and creationDate.
    let c = t(0, 0);
    let arn =
        "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_abc123/kamilo@example.com";
    let mut saml = event(
        "sso-saml",
        &c,
        json!({"type":"SAMLUser","principalId":"idp:kamilo@example.com","userName":"kamilo@example.com","identityProvider":"idp"}),
        "sts.amazonaws.com",
        "AssumeRoleWithSAML",
        A,
    );
    saml["responseElements"] = json!({"issuer":"https://portal.sso.us-west-2.amazonaws.com/saml/assertion/X","subject":"kamilo@example.com",
        "credentials":{"accessKeyId":"ASIASSO"},"assumedRoleUser":{"arn":arn}});
    let mut ui = role(A, "AWSReservedSSO_Admin_abc123", "kamilo@example.com", "", &c);
    ui.as_object_mut().unwrap().remove("accessKeyId");
    let mut login = event("login", &t(0, 1), ui.clone(), "signin.amazonaws.com", "ConsoleLogin", A);
    login["responseElements"] = json!({"ConsoleLogin":"Success"});
    let mut console_ui =
        role(A, "AWSReservedSSO_Admin_abc123", "kamilo@example.com", "ASIACONSOLE", &c);
    console_ui["sessionCredentialFromConsole"] = json!("true");
    let ic = json!({"type":"IdentityCenterUser","accountId":A,"onBehalfOf":{"userId":"u-1","identityStoreArn":"arn:aws:identitystore::111111111111:identitystore/d-1234567890"},"userName":"kamilo@example.com"});
    let files = vec![vec![
        event("ic", &c, ic, "signin.amazonaws.com", "CredentialVerification", A),
        saml,
        login,
        event("console", &t(3, 0), console_ui, "ec2.amazonaws.com", "DescribeInstances", A),
    ]];
    let (s, ids) = resolved(&files);
    let sso = "sso:d-1234567890/kamilo@example.com";
    assert_eq!(origin(&s, &ids, "ic").as_deref(), Some(sso));
    // Identity Center signs its users in by SAML into AWSReservedSSO_ roles: the SAML call
    // itself is the SSO user's.
    assert_eq!(origin(&s, &ids, "sso-saml").as_deref(), Some(sso));
    assert_eq!(origin(&s, &ids, "login").as_deref(), Some(sso));
    assert_eq!(origin(&s, &ids, "console").as_deref(), Some(sso));
    assert_eq!(chain(&s, &ids, "console"), vec![sso, arn]);
    assert_eq!(ids.origin_of(row(&s, "console")).unwrap().name, "kamilo@example.com");
    let b = ids.behind(&s, row(&s, "login"));
    assert_eq!(
        b.hops[0].via_row,
        Some(row(&s, "sso-saml") as u32),
        "linked by ARN and creationDate"
    );
}

#[test]
fn a_console_role_switch_continues_from_the_user_who_switched() {
    let c = t(0, 0);
    let mut ui = role(B, "Admin", "alice", "", &c);
    ui.as_object_mut().unwrap().remove("accessKeyId");
    let mut switch = event("switch", &c, ui, "signin.amazonaws.com", "SwitchRole", B);
    switch["responseElements"] = json!({"SwitchRole":"Success"});
    switch["additionalEventData"] =
        json!({"SwitchFrom":ALICE,"RedirectTo":"https://console.aws.amazon.com"});
    let mut console_ui = role(B, "Admin", "alice", "ASIASWITCHED", &c);
    console_ui["sessionCredentialFromConsole"] = json!("true");
    let files = vec![vec![
        switch,
        event("after", &t(2, 0), console_ui, "s3.amazonaws.com", "ListBuckets", B),
    ]];
    let (s, ids) = resolved(&files);
    assert_eq!(origin(&s, &ids, "after").as_deref(), Some(ALICE));
    assert_eq!(
        chain(&s, &ids, "after"),
        vec![ALICE, "arn:aws:sts::222222222222:assumed-role/Admin/alice"]
    );
    assert_eq!(ids.behind(&s, row(&s, "after")).hops[0].via.as_deref(), Some("SwitchRole"));
}

#[test]
fn loops_and_chains_deeper_than_sixteen_hops_are_cut() {
    let c = t(0, 0);
    // K1 issued by a call made with K2, K2 by a call made with K1.
    let files = vec![vec![
        assume("l1", &c, role(A, "R2", "b", "ASIAK2", &c), A, "R1", "a", "ASIAK1"),
        assume("l2", &c, role(A, "R1", "a", "ASIAK1", &c), A, "R2", "b", "ASIAK2"),
    ]];
    let (s, ids) = resolved(&files);
    assert_eq!(origin(&s, &ids, "l1"), None);
    assert_eq!(ids.behind(&s, row(&s, "l1")).cut, Some(Cut::Loop));

    let mut evs = vec![];
    let mut caller = user(A, "alice", "AKIAALICE");
    for i in 0..20 {
        let key = format!("ASIADEEP{i}");
        evs.push(assume(
            &format!("d{i}"),
            &t(i, 0),
            caller.clone(),
            A,
            &format!("R{i}"),
            "s",
            &key,
        ));
        caller = role(A, &format!("R{i}"), "s", &key, &t(i, 0));
    }
    evs.push(event("bottom", &t(21, 0), caller, "s3.amazonaws.com", "ListBuckets", A));
    let (s, ids) = resolved(&[evs]);
    // d15 is made by the 15th hop (alice + 15 role sessions = 16 hops): still known.
    assert_eq!(origin(&s, &ids, "d15").as_deref(), Some(ALICE));
    assert_eq!(origin(&s, &ids, "d16"), None);
    let b = ids.behind(&s, row(&s, "bottom"));
    assert_eq!(b.cut, Some(Cut::TooDeep));
    assert!(b.note.unwrap().contains("16"));
    assert_eq!(b.hops.len(), MAX_HOPS);
}

#[test]
fn malformed_credentials_and_identities_never_stop_the_load() {
    let c = t(0, 0);
    let mut bad_creds = assume("bc", &c, user(A, "alice", "AKIAALICE"), A, "R", "s", "X");
    bad_creds["responseElements"]["credentials"] = json!("not an object");
    let mut bad_ui = event("bu", &c, json!(42), "s3.amazonaws.com", "GetObject", A);
    bad_ui["userIdentity"] = json!([1, 2]);
    let mut dup =
        assume("dup", &c, user(A, "alice", "AKIAALICE"), A, "R", "s", "ASIADUP").to_string();
    dup = dup.replacen("\"eventID\"", "\"sharedEventID\":1,\"sharedEventID\":2,\"eventID\"", 1);
    let text = format!(
        "{{\"Records\":[{},{},{},{}]}}",
        bad_creds,
        bad_ui,
        dup,
        event("ok", &t(1, 0), user(A, "bob", "AKIABOB"), "s3.amazonaws.com", "GetObject", A)
    );
    let mut s = Store::new();
    s.ingest("bad.json", text.as_bytes());
    let mut ids = Identities::new();
    ids.update(&s);
    assert_eq!(ids.rows(), s.len());
    assert_eq!(origin(&s, &ids, "ok").as_deref(), Some(BOB));
    assert_eq!(origin(&s, &ids, "bu"), None);
}

#[test]
fn resolving_again_after_more_files_equals_resolving_once() {
    let c = t(0, 0);
    let files = [
        vec![event(
            "use",
            &t(5, 0),
            role(A, "Deploy", "alice", "ASIAUSE1", &c),
            "s3.amazonaws.com",
            "ListBuckets",
            A,
        )],
        vec![assume("sts", &c, user(A, "alice", "AKIAALICE"), A, "Deploy", "alice", "ASIAUSE1")],
    ];
    let mut s = Store::new();
    let mut ids = Identities::new();
    s.ingest("a.json", json!({"Records": files[0]}).to_string().as_bytes());
    ids.update(&s);
    assert_eq!(origin(&s, &ids, "use"), None, "nothing issued it yet");
    s.ingest("b.json", json!({"Records": files[1]}).to_string().as_bytes());
    ids.update(&s);
    assert_eq!(origin(&s, &ids, "use").as_deref(), Some(ALICE), "the late STS call links it");
}

#[test]
fn the_stratus_red_team_detonations_resolve() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/stratus-red-team/");
    let mut s = Store::new();
    for f in [
        "aws.persistence.sts-federation-token.json",
        "aws.execution.ec2-launch-unusual-instances.json",
    ] {
        let Ok(bytes) = std::fs::read(format!("{dir}{f}")) else { return };
        s.ingest(f, &bytes);
    }
    let mut ids = Identities::new();
    ids.update(&s);
    let by_action = |a: &str| (0..s.len()).find(|&r| s.get(r, Column::Action) == a).unwrap();
    let fed = by_action("GetCallerIdentity");
    assert_eq!(
        ids.origin_of(fed).unwrap().text,
        "arn:aws:iam::742491224508:user/stratus-red-team-user-federation-user"
    );
    let run = by_action("RunInstances");
    assert_eq!(ids.origin_of(run).unwrap().text, "arn:aws:iam::900138736586:user/christophe");
}
