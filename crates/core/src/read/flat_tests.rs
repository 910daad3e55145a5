//! Reader-level tests of the flattened exports (issue 15; `flat/`, `mapped.rs`, `csv.rs`):
//! small realistic fixtures of each source, the columns that come out, the format, the lossy
//! note, counts that reconcile, and hostile CSV.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use super::tests::one;
use crate::report::FileStatus;
use crate::store::Limits;
use crate::test_data::{gz, EV1};
use crate::{Column, Store};

/// Athena's CSV of `SELECT *` over the standard CloudTrail table: every field quoted, structs
/// as Trino text, JSON columns as JSON text, partition columns at the end.
const ATHENA: &str = concat!(
    r#""eventversion","useridentity","eventtime","eventsource","eventname","awsregion","sourceipaddress","useragent","errorcode","errormessage","requestparameters","responseelements","additionaleventdata","requestid","eventid","resources","eventtype","apiversion","readonly","recipientaccountid","serviceeventdetails","sharedeventid","vpcendpointid","tlsdetails","region","year","month","day""#,
    "\n",
    r#""1.08","{type=AssumedRole, principalid=AROA1:bob, arn=arn:aws:sts::111122223333:assumed-role/Admin/bob, accountid=111122223333, invokedby=null, accesskeyid=ASIA1, username=null, sessioncontext={attributes={mfaauthenticated=false, creationdate=2024-01-02T03:00:00Z}, sessionissuer={type=Role, principalid=AROA1, arn=arn:aws:iam::111122223333:role/Admin, accountid=111122223333, username=Admin}, webidfederationdata=null, sourceidentity=null, ec2roledelivery=null, ec2issuedinvpc=null}}","2024-01-02T03:04:05Z","s3.amazonaws.com","PutObject","eu-west-1","203.0.113.7","=HYPERLINK(""http://x"")","AccessDenied","Access
Denied","{""bucketName"":""b"",""key"":""a,b""}","","","R1","ath-1","[{arn=arn:aws:s3:::b, accountid=111122223333, type=AWS::S3::Bucket}]","AwsApiCall","","false","111122223333","","","","{tlsversion=TLSv1.3, ciphersuite=TLS_AES_128_GCM_SHA256, clientprovidedhostheader=b.s3.amazonaws.com}","eu-west-1","2024","01","02""#,
    "\n",
    r#""1.08","{type=IAMUser, principalid=AIDA1, arn=arn:aws:iam::111122223333:user/alice, accountid=111122223333, invokedby=null, accesskeyid=AKIA1, username=alice, sessioncontext=null}","2024-01-02T03:05:05Z","iam.amazonaws.com","ListUsers","us-east-1","198.51.100.1","aws-cli/2","","","","","","R2","ath-2","","AwsApiCall","","true","111122223333","","","","","us-east-1","2024","01","02""#,
    "\n",
    r#""","","","","","","","","","","","","","","","","","","","","","","","","us-east-1","2024","01","02""#,
    "\n"
);

#[test]
fn athena_csv_rows_are_their_events() {
    let (s, f) = one("results/4f1c.csv", ATHENA.as_bytes());
    assert_eq!((f.events, f.kept, f.rejected, f.format.as_str()), (2, 2, 0, "Athena CSV"), "{f:?}");
    assert_eq!(
        (s.get(0, Column::Action), s.get(0, Column::Service)),
        ("PutObject", "s3.amazonaws.com")
    );
    assert_eq!(s.time_ms(0), Some(1_704_164_645_000));
    assert_eq!(s.get(0, Column::Arn), "arn:aws:sts::111122223333:assumed-role/Admin/bob");
    assert_eq!(s.get(0, Column::User), "Admin");
    assert_eq!(s.get(0, Column::IdentityType), "AssumedRole");
    assert_eq!(s.get(0, Column::AccessKey), "ASIA1");
    assert_eq!(
        (s.get(0, Column::Region), s.get(0, Column::Account)),
        ("eu-west-1", "111122223333")
    );
    assert_eq!(
        (s.get(0, Column::SourceIp), s.get(0, Column::ErrorCode)),
        ("203.0.113.7", "AccessDenied")
    );
    assert_eq!(s.get(0, Column::ReadOnly), "false");
    // A formula-looking cell is data, kept as it is.
    assert_eq!(s.get(0, Column::UserAgent), "=HYPERLINK(\"http://x\")");
    // JSON columns parsed back, structs too; a quoted newline stays in its cell.
    let raw: serde_json::Value = serde_json::from_str(&s.raw(0)).unwrap();
    assert_eq!(raw["requestParameters"]["key"], "a,b");
    assert_eq!(raw["errorMessage"], "Access\nDenied");
    assert_eq!(raw["resources"][0]["type"], "AWS::S3::Bucket");
    assert_eq!(raw["tlsDetails"]["tlsVersion"], "TLSv1.3");
    assert_eq!(raw["readOnly"], false);
    assert_eq!(raw["userIdentity"]["sessionContext"]["attributes"]["mfaAuthenticated"], "false");
    assert_eq!((s.get(1, Column::User), s.get(1, Column::ReadOnly)), ("alice", "true"));
    let note =
        f.notes.iter().find(|n| n.starts_with("2 rows from Athena CSV read as events (lossy:"));
    let note = note.unwrap_or_else(|| panic!("{:?}", f.notes));
    assert!(note.contains("4 not understood, left out (day, month, region, year)"), "{note}");
    assert!(
        f.notes.iter().any(|n| n.starts_with("skipped 1 row of Athena CSV that list no event")),
        "{:?}",
        f.notes
    );
}

#[test]
fn lake_csv_gzipped_and_duplicates() {
    let csv = "eventID,eventTime,eventName,eventSource,awsRegion,userIdentity,sourceIPAddress,errorCode\n\
        e1,2024-01-02 03:04:05.000,GetObject,s3.amazonaws.com,eu-west-1,\"{type=IAMUser, arn=arn:aws:iam::1:user/alice, accountid=1, accesskeyid=AKIA1, username=alice}\",192.0.2.1,\n\
        e1,2024-01-02 03:04:05.000,GetObject,s3.amazonaws.com,eu-west-1,\"{type=IAMUser, arn=arn:aws:iam::1:user/alice, accountid=1, accesskeyid=AKIA1, username=alice}\",192.0.2.1,\n\
        s3.amazonaws.com\n";
    let (s, f) = one("result_1.csv.gz", &gz(csv.as_bytes()));
    assert_eq!(f.format.as_str(), "CloudTrail Lake CSV", "{f:?}");
    assert_eq!((f.events, f.kept, f.duplicates, f.rejected), (3, 1, 1, 1), "{f:?}");
    assert_eq!(f.rejections[0].first.unwrap().line, 4);
    assert!(f.rejections[0].reason.contains("different number of fields than the header (8)"));
    assert_eq!((s.get(0, Column::User), s.get(0, Column::AccessKey)), ("alice", "AKIA1"));
    assert_eq!(s.time_ms(0), Some(1_704_164_645_000));
    assert_eq!(s.get(0, Column::Account), "1");
}

#[test]
fn event_history_csv_summary_and_original_column() {
    let csv = "Event name,Event time,User name,Event source,Resource type,Resource name,AWS access key,AWS region,Error code,Source IP address,Event ID,Read-only,Request ID\n\
        ConsoleLogin,2024-01-02T03:04:05Z,alice,signin.amazonaws.com,,,,us-east-1,,203.0.113.9,h-1,false,\n\
        DeleteBucket,2024-01-02T03:05:05Z,bob,s3.amazonaws.com,AWS::S3::Bucket,my-bucket,AKIA2,eu-west-1,AccessDenied,198.51.100.2,h-2,false,r-2\n";
    let (s, f) = one("event_history.csv", csv.as_bytes());
    assert_eq!((f.format.as_str(), f.kept), ("Event history CSV", 2), "{f:?}");
    assert_eq!((s.get(0, Column::Action), s.get(0, Column::User)), ("ConsoleLogin", "alice"));
    assert_eq!(
        (s.get(1, Column::AccessKey), s.get(1, Column::ErrorCode)),
        ("AKIA2", "AccessDenied")
    );
    assert_eq!(
        (s.get(1, Column::Region), s.get(1, Column::SourceIp)),
        ("eu-west-1", "198.51.100.2")
    );
    assert_eq!(s.get(1, Column::ReadOnly), "false");
    assert_eq!(s.time_ms(0), Some(1_704_164_645_000));
    assert!(
        s.raw(1).contains(r#""resources":[{"ARN":"my-bucket","type":"AWS::S3::Bucket"}]"#),
        "{}",
        s.raw(1)
    );
    assert!(
        f.notes[0].starts_with(
            "2 rows from Event history CSV read as events (lossy: the download is a summary"
        ),
        "{:?}",
        f.notes
    );
    // A download that keeps the event's JSON: that is read as it is, not mapped.
    let quoted = EV1.replace('"', "\"\"");
    let csv = format!("Event name,Event time,Event source,Event ID,CloudTrail event\nGetObject,2024-01-02T03:04:05Z,s3.amazonaws.com,id-1,\"{quoted}\"\n");
    let (s, f) = one("history.csv", csv.as_bytes());
    assert_eq!((f.kept, s.raw(0).as_str()), (1, EV1), "{f:?}");
    assert!(
        f.notes.iter().any(|n| n.starts_with("1 row of Event history CSV held the original event")),
        "{:?}",
        f.notes
    );
}

#[test]
fn sentinel_csv_and_json_rows() {
    let csv = "TimeGenerated [UTC],EventVersion,EventSource,EventName,EventTypeName,UserIdentityType,UserIdentityArn,UserIdentityAccountId,UserIdentityAccessKeyId,UserIdentityUserName,SessionMfaAuthenticated,SessionIssuerType,SessionIssuerArn,SessionIssuerUserName,AWSRegion,SourceIpAddress,UserAgent,ErrorCode,ErrorMessage,RequestParameters,AwsEventId,AwsRequestId_,ReadOnly,RecipientAccountId,ManagementEvent,TenantId,Type\n\
        \"1/2/2024, 3:04:05.000 AM\",1.08,ec2.amazonaws.com,RunInstances,AwsApiCall,AssumedRole,arn:aws:sts::111122223333:assumed-role/Admin/bob,111122223333,ASIA9,,false,Role,arn:aws:iam::111122223333:role/Admin,Admin,ap-south-1,198.51.100.4,console.amazonaws.com,Client.UnauthorizedOperation,nope,\"{\"\"instanceType\"\":\"\"t3.micro\"\"}\",sen-1,req-1,False,111122223333,True,tenant,AWSCloudTrail\n";
    let (s, f) = one("sentinel.csv", csv.as_bytes());
    assert_eq!((f.format.as_str(), f.kept), ("Sentinel CSV", 1), "{f:?}");
    assert_eq!(s.time_ms(0), Some(1_704_164_645_000));
    assert_eq!(
        (s.get(0, Column::Action), s.get(0, Column::Service)),
        ("RunInstances", "ec2.amazonaws.com")
    );
    assert_eq!((s.get(0, Column::User), s.get(0, Column::IdentityType)), ("Admin", "AssumedRole"));
    assert_eq!((s.get(0, Column::AccessKey), s.get(0, Column::Region)), ("ASIA9", "ap-south-1"));
    assert_eq!(
        (s.get(0, Column::ErrorCode), s.get(0, Column::ReadOnly)),
        ("Client.UnauthorizedOperation", "false")
    );
    assert_eq!(s.get(0, Column::Account), "111122223333");
    assert!(
        s.raw(0).contains(r#""requestParameters":{"instanceType":"t3.micro"}"#),
        "{}",
        s.raw(0)
    );
    assert!(f.notes[0].contains("2 not understood, left out (TenantId, Type)"), "{:?}", f.notes);
    // The same table as JSON rows (NDJSON): named by its source.
    let row = serde_json::json!({"TimeGenerated": "2024-01-02T03:04:05Z", "EventSource": "s3.amazonaws.com",
        "EventName": "GetObject", "UserIdentityArn": "arn:aws:iam::1:user/alice", "UserIdentityType": "IAMUser",
        "AWSRegion": "us-east-1", "AwsEventId": "sj-1", "ReadOnly": true, "TenantId": "t"});
    let mut row2 = row.clone();
    row2["AwsEventId"] = "sj-2".into();
    let (s, f) = one("sentinel.ndjson", format!("{row}\n{row2}\n").as_bytes());
    assert_eq!((f.format.as_str(), f.kept), ("Sentinel", 2), "{f:?}");
    assert_eq!((s.get(0, Column::User), s.get(0, Column::ReadOnly)), ("alice", "true"));
    assert!(
        f.notes[0].starts_with("2 documents from Sentinel AWSCloudTrail read as events"),
        "{:?}",
        f.notes
    );
}

#[test]
fn ecs_documents_without_the_original() {
    let nested = serde_json::json!({
        "@timestamp": "2024-01-02T03:04:05.000Z",
        "event": {"action": "GetObject", "provider": "s3.amazonaws.com", "id": "ecs-1", "kind": "event"},
        "source": {"address": "203.0.113.9", "ip": "203.0.113.9"},
        "user_agent": {"original": "aws-cli/2"},
        "cloud": {"region": "us-east-1", "account": {"id": "111122223333"}, "provider": "aws"},
        "user": {"name": "alice"},
        "aws": {"cloudtrail": {"event_version": "1.08", "read_only": true, "error_code": "NoSuchKey",
            "user_identity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/alice", "access_key_id": "AKIA1"},
            "flattened": {"request_parameters": {"bucketName": "b"}}}},
        "agent": {"type": "filebeat"}
    });
    let (s, f) = one("ecs.json", nested.to_string().as_bytes());
    assert_eq!((f.events, f.kept, f.format.as_str()), (1, 1, "ECS"), "{f:?}");
    assert_eq!(
        (s.get(0, Column::Action), s.get(0, Column::Service)),
        ("GetObject", "s3.amazonaws.com")
    );
    assert_eq!(s.time_ms(0), Some(1_704_164_645_000));
    assert_eq!(
        (s.get(0, Column::Arn), s.get(0, Column::AccessKey)),
        ("arn:aws:iam::111122223333:user/alice", "AKIA1")
    );
    assert_eq!((s.get(0, Column::User), s.get(0, Column::SourceIp)), ("alice", "203.0.113.9"));
    assert_eq!(
        (s.get(0, Column::Region), s.get(0, Column::Account)),
        ("us-east-1", "111122223333")
    );
    assert_eq!((s.get(0, Column::ErrorCode), s.get(0, Column::ReadOnly)), ("NoSuchKey", "true"));
    assert!(s.raw(0).contains(r#""requestParameters":{"bucketName":"b"}"#), "{}", s.raw(0));
    assert!(f.notes[0].starts_with("1 document from ECS read as events (lossy:"), "{:?}", f.notes);
    assert!(
        f.notes[0].contains("not understood, left out (agent, cloud.provider, event.kind)"),
        "{:?}",
        f.notes
    );
    // Dotted keys, as NDJSON, and inside an Elasticsearch search response.
    let dotted = serde_json::json!({"@timestamp": "2024-01-02T03:05:05Z", "event.action": "CreateUser",
        "event.provider": "iam.amazonaws.com", "event.id": "ecs-2", "aws.cloudtrail.user_identity.arn": "arn:aws:iam::1:user/bob",
        "aws.cloudtrail.user_identity.type": "IAMUser", "source.ip": "198.51.100.1"});
    let (s, f) = one("ecs.ndjson", format!("{dotted}\n{nested}\n").as_bytes());
    assert_eq!((f.kept, f.format.as_str()), (2, "ECS"), "{f:?}");
    assert_eq!((s.get(0, Column::User), s.get(0, Column::Action)), ("bob", "CreateUser"));
    let search = serde_json::json!({"took": 3, "hits": {"total": 1, "hits": [{"_index": "logs-aws.cloudtrail", "_source": dotted}]}});
    let (s, f) = one("search.json", search.to_string().as_bytes());
    assert_eq!((f.kept, s.get(0, Column::Action)), (1, "CreateUser"), "{f:?}");
    // Other ECS logs are not CloudTrail: no event.
    let sshd = serde_json::json!({"@timestamp": "2024-01-02T03:05:05Z", "event": {"action": "login", "id": "x"}, "host": {"name": "h"}});
    let (s, _) = one("sshd.json", sshd.to_string().as_bytes());
    assert_eq!(s.len(), 0);
}

/// The original event wins: an ECS document WITH `event.original` is that event, once, and its
/// ECS fields never add a second.
#[test]
fn ecs_with_the_original_is_one_event() {
    let doc = serde_json::json!({
        "@timestamp": "2024-01-02T03:04:05Z",
        "event": {"action": "GetObject", "provider": "s3.amazonaws.com", "id": "other", "original": EV1},
        "aws": {"cloudtrail": {"user_identity": {"arn": "arn:aws:iam::1:user/x"}}},
        "cloud": {"region": "us-east-1"}
    });
    let (s, f) = one("ecs-orig.json", doc.to_string().as_bytes());
    assert_eq!((f.events, f.kept, s.len()), (1, 1, 1), "{f:?}");
    assert_eq!(s.raw(0), EV1);
    assert!(!f.notes.iter().any(|n| n.contains("from ECS")), "{:?}", f.notes);
    // In a Kibana CSV: the event.original column is read as it is.
    let quoted = EV1.replace('"', "\"\"");
    let csv = format!("@timestamp,event.action,event.provider,cloud.region,event.original\n\"Jan 2, 2024 @ 03:04:05.000\",GetObject,s3.amazonaws.com,us-east-1,\"{quoted}\"\n");
    let (s, f) = one("kibana.csv", csv.as_bytes());
    assert_eq!(
        (f.kept, f.format.as_str(), s.raw(0).as_str()),
        (1, "Kibana CSV (ECS)", EV1),
        "{f:?}"
    );
}

#[test]
fn kibana_csv_with_dotted_columns() {
    let csv = "\u{feff}\"@timestamp\",\"event.action\",\"event.provider\",\"event.id\",\"source.ip\",\"cloud.region\",\"cloud.account.id\",\"aws.cloudtrail.user_identity.arn\",\"aws.cloudtrail.user_identity.access_key_id\",\"aws.cloudtrail.error_code\",\"host.name\"\n\
        \"Jan 2, 2024 @ 03:04:05.000\",\"DeleteTrail\",\"cloudtrail.amazonaws.com\",\"k-1\",\"203.0.113.5\",\"us-west-2\",\"111122223333\",\"arn:aws:iam::111122223333:user/mallory\",\"AKIA7\",\"-\",\"h\"\n";
    let (s, f) = one("discover.csv", csv.as_bytes());
    assert_eq!((f.format.as_str(), f.kept), ("Kibana CSV (ECS)", 1), "{f:?}");
    assert_eq!(s.time_ms(0), Some(1_704_164_645_000));
    assert_eq!((s.get(0, Column::User), s.get(0, Column::AccessKey)), ("mallory", "AKIA7"));
    assert_eq!(
        (s.get(0, Column::Region), s.get(0, Column::Account)),
        ("us-west-2", "111122223333")
    );
    // `-` is data too.
    assert_eq!(s.get(0, Column::ErrorCode), "-");
    assert!(f.notes[0].contains("1 not understood, left out (host.name)"), "{:?}", f.notes);
}

#[test]
fn hostile_csv() {
    // A header of 100,000 columns: an error within the column limit.
    let wide =
        format!("{}\n1\n", (0..100_000).map(|i| format!("c{i}")).collect::<Vec<_>>().join(","));
    let (_, f) = one("wide.csv", wide.as_bytes());
    assert_eq!(f.status(), FileStatus::Error, "{f:?}");
    assert!(f.error.as_ref().unwrap().to_string().contains("more than 4096 columns"), "{f:?}");
    // A cell larger than the record limit: that row rejected, the others kept.
    let header = "eventID,eventTime,eventName,eventSource,userAgent\n";
    let row = |id: &str, ua: &str| {
        format!("{id},2024-01-02T03:04:05Z,GetObject,s3.amazonaws.com,\"{ua}\"\n")
    };
    let text =
        format!("{header}{}{}{}", row("a", "ok"), row("b", &"x".repeat(20_000)), row("c", "ok"));
    let limits = Limits { max_record_bytes: 10_000, ..Limits::default() };
    let mut s = Store::with_limits(limits);
    s.ingest("big.csv", text.as_bytes());
    let f = &s.files()[0];
    assert_eq!((f.events, f.kept, f.rejected), (3, 2, 1), "{f:?}");
    assert_eq!(f.rejections[0].reason, "row larger than the limit of 10000 bytes");
    assert_eq!(f.rejections[0].first.unwrap().line, 3);
    // With the default limit (8 MB), a 20 MB cell the same.
    let text = format!("{header}{}{}", row("a", &"y".repeat(20 << 20)), row("c", "ok"));
    let (_, f) = one("huge.csv", text.as_bytes());
    assert_eq!((f.kept, f.rejected), (1, 1), "{f:?}");
    // Junk after a recognised header never panics; the counts reconcile.
    let mut seed = 99u64;
    for n in 0..100 {
        let mut bytes = header.as_bytes().to_vec();
        bytes.extend((0..(n * 29) % 800).map(|_| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 56) as u8
        }));
        one("junk.csv", &bytes);
    }
    // A header that is no export: today's skip, saying which header it saw.
    let (_, f) = one("other.csv", b"id,name,price\n1,a,2\n");
    assert_eq!(f.status(), FileStatus::Skipped);
    assert!(f.skipped.as_ref().unwrap().contains("`id,name,price`"), "{f:?}");
    assert_eq!(f.format.as_str(), "not JSON");
}

/// Issue 15's 200 MB cell, at the default limits: that row is rejected with its reason, the
/// next one kept; memory beyond the file stays within the record limit (`csv.rs`).
#[test]
fn a_200_mb_cell_is_one_rejected_row() {
    let mut text = String::with_capacity(201 << 20);
    text.push_str("eventID,eventTime,eventName,eventSource,userAgent\n");
    text.push_str("a,2024-01-02T03:04:05Z,GetObject,s3.amazonaws.com,\"");
    text.extend(std::iter::repeat_n('z', 200 << 20));
    text.push_str("\"\nb,2024-01-02T03:04:05Z,GetObject,s3.amazonaws.com,ok\n");
    let (s, f) = one("cell.csv", text.as_bytes());
    assert_eq!((f.events, f.kept, f.rejected, s.len()), (2, 1, 1, 1), "{f:?}");
    assert_eq!(f.rejections[0].reason, "row larger than the limit of 8388608 bytes");
    assert_eq!(f.rejections[0].first.unwrap().line, 2);
}
