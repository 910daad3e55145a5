//! The traps: a role session and its user, two users assuming the same role at once,
//! a key issued again hours later and an expired use, a failed AssumeRole and a missing STS
//! event, three hops across two accounts through the copies of a cross-account call.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use serde_json::{json, Value};

use super::*;

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
