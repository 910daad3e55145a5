//! The table's columns: which ones exist, their labels and widths, their ids in the URL, and how
//! a cell's text is read from the store. Plain data and functions, tested natively; the table
//! component only lays them out.

use std::sync::Arc;

use trailglass_core::query::{field_text, SortKey};
use trailglass_core::{Column, Store};

use crate::format::format_time;

/// What a table column shows.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    /// The event time, in the chosen time zone.
    Time,
    /// One of the store's indexed columns.
    Field(Column),
    /// Any JSON path into the record, e.g. `requestParameters.bucketName`.
    Path(Arc<str>),
}

/// A column of the event table.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ColumnDef {
    pub kind: ColumnKind,
    pub label: String,
    /// Width in CSS pixels (the user may resize it).
    pub width: u32,
}

impl ColumnKind {
    /// The column's id in the URL and the column chooser: `time`, a field name (`service`), or
    /// the path itself.
    pub fn id(&self) -> String {
        match self {
            ColumnKind::Time => "time".to_string(),
            ColumnKind::Field(c) => c.name().to_string(),
            ColumnKind::Path(p) => p.to_string(),
        }
    }

    /// The inverse of [`ColumnKind::id`]; anything that is not `time` or a field name is a path.
    pub fn from_id(id: &str) -> Option<ColumnKind> {
        let id = id.trim();
        if id.is_empty() {
            return None;
        }
        Some(if id == "time" {
            ColumnKind::Time
        } else if let Some(c) = Column::from_name(id) {
            ColumnKind::Field(c)
        } else {
            ColumnKind::Path(Arc::from(id))
        })
    }

    /// How the engine sorts by this column; nested paths are not sortable.
    pub fn sort_key(&self) -> Option<SortKey> {
        match self {
            ColumnKind::Time => Some(SortKey::Time),
            ColumnKind::Field(c) => Some(SortKey::Column(*c)),
            ColumnKind::Path(_) => None,
        }
    }

    /// The column's definition with its usual label and width.
    pub fn def(self) -> ColumnDef {
        let (label, width) = match &self {
            ColumnKind::Time => ("Time".to_string(), 162),
            ColumnKind::Field(c) => match c {
                Column::User => ("User".into(), 160),
                Column::Service => ("Service".into(), 90),
                Column::Action => ("Action".into(), 180),
                Column::Region => ("Region".into(), 100),
                Column::SourceIp => ("Source IP".into(), 120),
                Column::ErrorCode => ("Error".into(), 140),
                Column::Account => ("Account".into(), 120),
                Column::Arn => ("ARN".into(), 260),
                Column::IdentityType => ("Identity type".into(), 120),
                Column::UserAgent => ("User agent".into(), 220),
                Column::EventType => ("Event type".into(), 130),
                Column::Category => ("Category".into(), 110),
                Column::AccessKey => ("Access key".into(), 170),
                Column::ReadOnly => ("Read-only".into(), 80),
            },
            ColumnKind::Path(p) => (p.rsplit('.').next().unwrap_or(p).to_string(), 180),
        };
        ColumnDef { kind: self, label, width }
    }
}

/// The columns shown before the user chooses others: who did what, when, from where, and
/// whether it failed.
pub fn default_columns() -> Vec<ColumnDef> {
    [
        ColumnKind::Time,
        ColumnKind::Field(Column::User),
        ColumnKind::Field(Column::Service),
        ColumnKind::Field(Column::Action),
        ColumnKind::Field(Column::Region),
        ColumnKind::Field(Column::SourceIp),
        ColumnKind::Field(Column::ErrorCode),
    ]
    .into_iter()
    .map(ColumnKind::def)
    .collect()
}

/// Nested fields offered in the column chooser besides the indexed ones (any other path can be
/// typed in).
pub const SUGGESTED_PATHS: [&str; 12] = [
    "eventID",
    "requestID",
    "errorMessage",
    "requestParameters.bucketName",
    "requestParameters.key",
    "requestParameters.roleArn",
    "requestParameters.userName",
    "requestParameters.policyArn",
    "userIdentity.sessionContext.sessionIssuer.userName",
    "userIdentity.principalId",
    "vpcEndpointId",
    "tlsDetails.clientProvidedHostHeader",
];

/// `s3.amazonaws.com` → `s3`: the service's short name, as people say it. Other sources (for
/// example `custom.example.com`) are shown whole.
pub fn short_service(event_source: &str) -> &str {
    event_source.strip_suffix(".amazonaws.com").unwrap_or(event_source)
}

/// The text of one cell. `offset_minutes` is the display time zone (0 for UTC).
pub fn cell_text(store: &Store, row: usize, kind: &ColumnKind, offset_minutes: i32) -> String {
    match kind {
        ColumnKind::Time => match store.time_ms(row) {
            Some(ms) => format_time(ms, offset_minutes),
            None => "(no time)".to_string(),
        },
        ColumnKind::Field(Column::Service) => short_service(store.get(row, Column::Service)).to_string(),
        ColumnKind::Field(col) => store.get(row, *col).to_string(),
        ColumnKind::Path(p) => field_text(store, row, p).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORDS: &str = r#"{"Records":[
      {"eventVersion":"1.08","eventTime":"2024-03-01T10:00:05Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"eu-west-1","sourceIPAddress":"203.0.113.5","userIdentity":{"type":"IAMUser","userName":"alice","arn":"arn:aws:iam::123456789012:user/alice"},"requestParameters":{"bucketName":"logs-bucket"},"eventID":"a1"},
      {"eventVersion":"1.08","eventTime":"2024-03-01T10:00:01Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","errorCode":"AccessDenied","userIdentity":{"type":"IAMUser","userName":"bob"},"eventID":"b2"}
    ]}"#;

    #[test]
    fn cells() {
        let mut store = Store::new();
        store.ingest("t.json", RECORDS.as_bytes());
        assert_eq!(store.len(), 2);
        let path = ColumnKind::from_id("requestParameters.bucketName").unwrap_or(ColumnKind::Time);
        assert_eq!(cell_text(&store, 0, &path, 0), "logs-bucket");
        assert_eq!(cell_text(&store, 1, &path, 0), "");
        assert_eq!(cell_text(&store, 1, &ColumnKind::Time, 0), "2024-03-01 10:00:01");
        assert_eq!(cell_text(&store, 1, &ColumnKind::Time, 60), "2024-03-01 11:00:01");
        assert_eq!(cell_text(&store, 1, &ColumnKind::Field(Column::Service), 0), "iam");
        assert_eq!(cell_text(&store, 1, &ColumnKind::Field(Column::ErrorCode), 0), "AccessDenied");
        assert_eq!(cell_text(&store, 0, &ColumnKind::Field(Column::ErrorCode), 0), "");
    }

    #[test]
    fn ids_round_trip() {
        for def in default_columns() {
            assert_eq!(ColumnKind::from_id(&def.kind.id()), Some(def.kind.clone()));
        }
        assert_eq!(ColumnKind::from_id("requestParameters.key"), Some(ColumnKind::Path(Arc::from("requestParameters.key"))));
        assert_eq!(ColumnKind::from_id(" "), None);
        assert_eq!(ColumnKind::from_id("requestParameters.key").map(|k| k.def().label), Some("key".to_string()));
        assert_eq!(ColumnKind::Path(Arc::from("x.y")).sort_key(), None);
    }

    #[test]
    fn service_short_names() {
        assert_eq!(short_service("s3.amazonaws.com"), "s3");
        assert_eq!(short_service("custom.example.com"), "custom.example.com");
        assert_eq!(short_service(""), "");
    }
}
