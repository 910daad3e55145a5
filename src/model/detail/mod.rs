//! What the event detail panel shows, as plain functions of one record, one module per part:
//! [`json`] (the record parsed in document order), [`summary`] (the one-line summary in plain
//! words and the resources an event names), [`insight`] (the statistics of an Insight event),
//! [`pivots`] (query clauses that filter on this event's user, key, session, IP, resources and
//! IDs) and [`json_tree`] (the rows of the collapsible tree the tree component renders). This
//! module puts them together into what the panel shows for one row ([`event_info`]).
//!
//! One record at a time, so it is parsed whole. Pivot clauses are checked against the engine:
//! every clause parses with `trailglass_core::query::parse` and matches the event it came from
//! (see the tests in [`pivots`]).

use std::sync::Arc;

use trailglass_core::engine::RowDetail;

pub mod insight;
pub mod json;
pub mod json_tree;
pub mod pivots;
pub mod summary;

use insight::{insight_stats, InsightStats};
use json::{parse_json, Json};
use pivots::{pivots, Pivot};
use summary::summary;

/// Everything the panel header shows for one row.
#[derive(Clone, Debug, PartialEq)]
pub struct EventInfo {
    pub row: u32,
    pub event_id: String,
    pub time_ms: Option<i64>,
    /// The file (and archive member) the event came from.
    pub file: String,
    pub summary: String,
    pub pivots: Vec<Pivot>,
    pub insight: Option<InsightStats>,
    /// The parsed record, or why it could not be parsed (then `raw` is shown as text).
    pub json: Result<Arc<Json>, String>,
    pub raw: String,
}

/// What the panel shows for one record the worker sent.
pub fn event_info(d: &RowDetail) -> EventInfo {
    let json = parse_json(&d.raw);
    let ev = json.as_ref().ok().cloned().unwrap_or(Json::Null);
    EventInfo {
        row: d.row,
        event_id: ev
            .str_at(&["eventID"])
            .or_else(|| ev.get("class_uid").and(ev.str_at(&["metadata", "uid"])))
            .unwrap_or_else(|| d.event_id.clone()),
        time_ms: d.time_ms,
        file: d.file.clone(),
        summary: summary(&ev),
        pivots: pivots(d, &ev),
        insight: insight_stats(&ev),
        json: json.map(Arc::new),
        raw: d.raw.clone(),
    }
}

/// Records and stores to test with.
#[cfg(test)]
mod fixtures {
    use trailglass_core::engine::{row_detail, RowDetail};
    use trailglass_core::Store;

    use super::json::{parse_json, Json};

    pub fn ev(text: &str) -> Json {
        parse_json(text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    pub const BUCKET_POLICY: &str = r#"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAX","arn":"arn:aws:iam::123456789012:user/alice","accountId":"123456789012","accessKeyId":"AKIAEXAMPLE","userName":"alice"},"eventTime":"2024-03-01T10:00:05Z","eventSource":"s3.amazonaws.com","eventName":"PutBucketPolicy","awsRegion":"eu-west-1","sourceIPAddress":"203.0.113.5","errorCode":"AccessDenied","requestParameters":{"bucketName":"x","policy":"{\"Version\":\"2012-10-17\"}"},"requestID":"REQ1","eventID":"ev-1"}"#;

    pub const INSIGHT: &str = r#"{"eventVersion":"1.08","eventTime":"2022-04-12T16:10:00Z","awsRegion":"eu-central-1","eventID":"ins-1","eventType":"AwsCloudTrailInsight","recipientAccountId":"246337027688","insightDetails":{"state":"Start","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","insightType":"ApiCallRateInsight","insightContext":{"statistics":{"baseline":{"average":0.5},"insight":{"average":12},"insightDuration":5,"baselineDuration":11336}}},"eventCategory":"Insight"}"#;

    /// Events with awkward values: quotes, backslashes, markup, spaces, wildcards, IPv6, a
    /// service name as source IP, a CIDR-looking source, an assumed role, resources.
    const PIVOT_EVENTS: &str = r#"{"Records":[
      BUCKET,
      {"eventVersion":"1.08","eventTime":"2024-03-01T10:01:00Z","userIdentity":{"type":"AssumedRole","principalId":"AROAX:alice@example.com","arn":"arn:aws:sts::1:assumed-role/Admin Role/alice@example.com","accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAX","arn":"arn:aws:iam::1:role/Admin Role","userName":"Admin Role"}}},"eventSource":"ec2.amazonaws.com","eventName":"TerminateInstances","sourceIPAddress":"2001:db8::1","requestParameters":{"instancesSet":{"items":[{"instanceId":"i-1"},{"instanceId":"i-2"}]}},"requestID":"r \"2\" \\ x","eventID":"ev-2"},
      {"eventVersion":"1.08","eventTime":"2024-03-01T10:02:00Z","userIdentity":{"type":"IAMUser","userName":"<script>alert(1)</script>","arn":"arn:aws:iam::1:user/x"},"eventSource":"s3.amazonaws.com","eventName":"GetObject","sourceIPAddress":"<img src=x onerror=alert(1)>","requestParameters":{"bucketName":"b*?","key":"dir/(a b).txt"},"resources":[{"ARN":"arn:aws:s3:::b*?/dir/(a b).txt"}],"eventID":"ev 3"},
      {"eventVersion":"1.08","eventTime":"2024-03-01T10:03:00Z","userIdentity":{"type":"AWSService","invokedBy":"cloudtrail.amazonaws.com"},"eventSource":"s3.amazonaws.com","eventName":"GetBucketAcl","sourceIPAddress":"cloudtrail.amazonaws.com","requestParameters":{"bucketName":"logs"},"eventID":"ev-4"},
      {"eventVersion":"1.08","eventTime":"2024-03-01T10:04:00Z","userIdentity":{"type":"IAMUser","userName":"-dash"},"eventSource":"iam.amazonaws.com","eventName":"CreateRole","sourceIPAddress":"10.0.0.1/32","requestParameters":{"roleName":"OR"},"eventID":"AND"},
      INSIGHT
    ]}"#;

    pub fn detail(store: &Store, row: usize) -> RowDetail {
        row_detail(store, row as u32).expect("row")
    }

    pub fn pivot_store() -> Store {
        let text = PIVOT_EVENTS.replace("BUCKET", BUCKET_POLICY).replace("INSIGHT", INSIGHT);
        let mut store = Store::new();
        store.ingest("pivots.json", text.as_bytes());
        assert_eq!(store.len(), 6, "{:?}", store.files());
        store
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{detail, pivot_store};
    use super::*;

    #[test]
    fn event_info_reads_a_row() {
        let store = pivot_store();
        let info = event_info(&detail(&store, 0));
        assert_eq!(info.event_id, "ev-1");
        assert_eq!(info.file, "pivots.json");
        assert!(info.summary.starts_with("alice called s3:PutBucketPolicy"));
        assert!(info.json.is_ok());
        assert!(event_info(&detail(&store, 5)).insight.is_some());
    }
}
