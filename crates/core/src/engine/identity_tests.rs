//! The engine's identities as a load drives them: resolved again when the store has doubled
//! during a load and always after it, so an STS call delivered after the calls its key made
//! links them once it is read, and answers carry the Identities view and the origin facets.

use super::*;
use crate::store::Limits;

const USE: &str = r#"{"Records":[
  {"eventVersion":"1.08","eventTime":"2024-03-01T10:05:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.5","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111:assumed-role/Deploy/alice","accountId":"111","accessKeyId":"ASIAUSE"},"eventID":"use"},
  {"eventVersion":"1.08","eventTime":"2024-03-01T10:06:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.5","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111:user/bob","accountId":"111","accessKeyId":"AKIABOB"},"eventID":"bob"}
]}"#;

const STS: &str = r#"{"Records":[
  {"eventVersion":"1.08","eventTime":"2024-03-01T10:00:00Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.5","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111:user/alice","accountId":"111","accessKeyId":"AKIAALICE"},"requestParameters":{"roleArn":"arn:aws:iam::111:role/Deploy","roleSessionName":"alice"},"responseElements":{"credentials":{"accessKeyId":"ASIAUSE"},"assumedRoleUser":{"arn":"arn:aws:sts::111:assumed-role/Deploy/alice"}},"eventID":"sts"}
]}"#;

fn read(e: &mut Engine, path: &str, text: &str) -> Answer {
    e.start_file(path);
    e.ingest(path, text.as_bytes().to_vec());
    e.file_done(text.len() as u64);
    e.refresh().expect("an answer")
}

#[test]
fn a_late_sts_call_links_its_key_once_resolved_and_after_the_load_always() {
    let mut e = Engine::new(Limits::default());
    let spec = ViewSpec { query: "origin:alice".into(), identities: true, ..ViewSpec::default() };
    assert_eq!(e.set_view(1, spec).map(|a| a.count), Some(0));
    e.queue(2, (USE.len() + STS.len()) as u64);
    assert_eq!(read(&mut e, "use.json", USE).count, 0, "nothing issued ASIAUSE yet");
    // 3 rows, fewer than twice the 2 resolved: the answer during the load keeps the resolution.
    assert_eq!(read(&mut e, "sts.json", STS).count, 0);
    e.finish_load(None);
    let a = e.refresh().expect("an answer");
    assert_eq!(a.count, 2, "the use and alice's own AssumeRole");
    let who = a.identities.expect("the Identities view was asked for");
    assert_eq!(who.lines.len(), 1);
    assert_eq!(who.lines[0].origin.as_ref().map(|o| o.name.as_str()), Some("alice"));
    assert_eq!(
        who.lines[0].nodes.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(),
        ["alice", "Deploy"]
    );
    let facet = &a.who_facets[0];
    assert_eq!(facet.0, "origin");
    assert_eq!(facet.1.values, vec![("arn:aws:iam::111:user/alice".to_string(), 2)]);
    // The detail of the use says who is behind it and which call made its credentials.
    let sts_row = (0..3).find(|&r| e.detail(r).is_some_and(|d| d.event_id == "sts")).unwrap();
    let use_row = (0..3).find(|&r| e.detail(r).is_some_and(|d| d.event_id == "use")).unwrap();
    let b = e.detail(use_row).unwrap().behind;
    assert_eq!(b.origin.map(|o| o.text), Some("arn:aws:iam::111:user/alice".to_string()));
    assert_eq!(b.hops.len(), 1);
    assert_eq!(b.hops[0].via_row, Some(sts_row));
    // A view without the Identities panel does not pay for it.
    let a = e.set_view(2, ViewSpec::default()).unwrap();
    assert!(a.identities.is_none());
}
