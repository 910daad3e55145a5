//! Documented shapes (services, SAML, web identity, federation tokens, Identity Center, console
//! sign-ins and role switches), loops and deep chains, broken fields, growing loads, and the
//! stratus-red-team detonations.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use serde_json::{json, Value};

use super::*;

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
        let bytes = std::fs::read(format!("{dir}{f}")).expect("the shared corpus");
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

#[test]
fn every_stratus_red_team_call_made_with_issued_or_long_term_keys_has_its_users_origin() {
    // An independent reading of each detonation with serde: a key issued by a successful STS
    // call of an IAM user belongs to that user, as do the user's own long-term-key calls.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/stratus-red-team/");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).expect("the shared corpus") {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let Ok(doc) = serde_json::from_slice::<Value>(&bytes) else { continue };
        let records = doc.get("Records").unwrap_or(&doc).as_array().cloned().unwrap_or_default();
        let text = |v: &Value, p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_string);
        let mut issued = std::collections::HashMap::new();
        for r in &records {
            let issuing = text(r, "/eventSource").as_deref() == Some("sts.amazonaws.com")
                && r.get("errorCode").is_none()
                && text(r, "/userIdentity/type").as_deref() == Some("IAMUser");
            if let (true, Some(k), Some(a)) = (
                issuing,
                text(r, "/responseElements/credentials/accessKeyId"),
                text(r, "/userIdentity/arn"),
            ) {
                issued.insert(k, a);
            }
        }
        let mut s = Store::new();
        s.ingest("f.json", &bytes);
        let mut ids = Identities::new();
        ids.update(&s);
        for r in &records {
            let (Some(id), Some(key)) = (text(r, "/eventID"), text(r, "/userIdentity/accessKeyId"))
            else {
                continue;
            };
            let want = match text(r, "/userIdentity/type").as_deref() {
                Some("IAMUser") if key.starts_with("AKIA") => text(r, "/userIdentity/arn"),
                _ => issued.get(&key).cloned(),
            };
            let Some(want) = want else { continue };
            let Some(row) = (0..s.len())
                .find(|&x| crate::query::field_text(&s, x, "eventID").as_deref() == Some(&id))
            else {
                continue;
            };
            assert_eq!(
                ids.origin_of(row).map(|o| o.text.clone()),
                Some(want),
                "{} {id}",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} calls checked");
}

#[test]
fn many_distinct_keys_stay_small() {
    // Every event its own long-term key (and every tenth its own temporary one, never issued):
    // the groups and sessions grow with the keys, but nothing per key is read or kept beyond a
    // few words: ~200 bytes per event here, most of it vectors' spare capacity. (The benchmark's
    // 1M-event figure is ~15 bytes per event; this is the worst case, one group per event.)
    let n: usize = 40_000;
    let mut text = String::from("{\"Records\":[");
    for i in 0..n {
        if i > 0 {
            text.push(',');
        }
        let ui = if i % 10 == 0 {
            role(A, "R", "s", &format!("ASIA{i:016}"), "2024-03-08T09:00:00Z")
        } else {
            user(A, &format!("u{}", i % 100), &format!("AKIA{i:016}"))
        };
        text.push_str(
            &event(
                &format!("e{i}"),
                &t((i % 600) as i64, 0),
                ui,
                "s3.amazonaws.com",
                "GetObject",
                A,
            )
            .to_string(),
        );
    }
    text.push_str("]}");
    let mut s = Store::new();
    s.ingest("many.json", text.as_bytes());
    let mut ids = Identities::new();
    ids.update(&s);
    let st = ids.stats();
    let per_event = st.total() as f64 / n as f64;
    assert!(per_event < 250.0, "{per_event:.1} bytes per event with a key per event: {st:?}");
    assert_eq!(st.reads, n / 10, "only the role sessions' records are read");
    assert_eq!(ids.origins().len(), 90, "u1…u99 but the tenths, which are role sessions");
    assert_eq!(
        ids.origin_of(row(&s, "e1")).map(|o| o.text.as_str()),
        Some("arn:aws:iam::111111111111:user/u1")
    );
    assert_eq!(ids.origin_of(row(&s, "e10")), None);
}
