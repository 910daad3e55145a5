//! The table's columns: which ones exist, their labels and widths, their ids in the URL, and how
//! a cell's text is read from the store. Plain data and functions, tested natively; the table
//! component only lays them out.

use std::sync::Arc;

use trailglass_core::answer::SortKey;
use trailglass_core::Column;

use crate::model::format::format_time;

/// What a table column shows.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    /// The event time, in the chosen time zone.
    Time,
    /// One of the store's indexed columns.
    Field(Column),
    /// Any JSON path into the record, e.g. `requestParameters.bucketName`.
    Path(Arc<str>),
    /// Who is really behind the call (the engine's identities): the origin, or the session.
    Origin,
    Session,
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
            ColumnKind::Origin => "origin".to_string(),
            ColumnKind::Session => "session".to_string(),
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
        } else if id == "origin" {
            ColumnKind::Origin
        } else if id == "session" {
            ColumnKind::Session
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
            ColumnKind::Path(_) | ColumnKind::Origin | ColumnKind::Session => None,
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
            ColumnKind::Origin => ("Origin".into(), 240),
            ColumnKind::Session => ("Session".into(), 170),
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

/// The text of one cell from what the worker sent for it (`raw`: the field's value, empty for
/// the time column) and the row's time. `offset_minutes` is the display time zone (0 for UTC).
pub fn cell_display(
    kind: &ColumnKind,
    raw: &str,
    time_ms: Option<i64>,
    offset_minutes: i32,
) -> String {
    match kind {
        ColumnKind::Time => match time_ms {
            Some(ms) => format_time(ms, offset_minutes),
            None => "(no time)".to_string(),
        },
        ColumnKind::Field(Column::Service) => short_service(raw).to_string(),
        ColumnKind::Origin if raw.is_empty() => "(issued outside the logs)".to_string(),
        _ => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells() {
        let path = ColumnKind::from_id("requestParameters.bucketName").unwrap_or(ColumnKind::Time);
        assert_eq!(cell_display(&path, "logs-bucket", None, 0), "logs-bucket");
        let t = Some(1_709_287_201_000);
        assert_eq!(cell_display(&ColumnKind::Time, "", t, 0), "2024-03-01 10:00:01");
        assert_eq!(cell_display(&ColumnKind::Time, "", t, 60), "2024-03-01 11:00:01");
        assert_eq!(cell_display(&ColumnKind::Time, "", None, 0), "(no time)");
        assert_eq!(
            cell_display(&ColumnKind::Field(Column::Service), "iam.amazonaws.com", t, 0),
            "iam"
        );
        assert_eq!(
            cell_display(&ColumnKind::Field(Column::ErrorCode), "AccessDenied", t, 0),
            "AccessDenied"
        );
    }

    #[test]
    fn ids_round_trip() {
        for def in default_columns() {
            assert_eq!(ColumnKind::from_id(&def.kind.id()), Some(def.kind.clone()));
        }
        assert_eq!(
            ColumnKind::from_id("requestParameters.key"),
            Some(ColumnKind::Path(Arc::from("requestParameters.key")))
        );
        assert_eq!(ColumnKind::from_id(" "), None);
        assert_eq!(
            ColumnKind::from_id("requestParameters.key").map(|k| k.def().label),
            Some("key".to_string())
        );
        assert_eq!(ColumnKind::Path(Arc::from("x.y")).sort_key(), None);
        assert_eq!(ColumnKind::from_id("origin"), Some(ColumnKind::Origin));
        assert_eq!(ColumnKind::from_id("session").map(|k| k.id()).as_deref(), Some("session"));
        assert_eq!(cell_display(&ColumnKind::Origin, "", None, 0), "(issued outside the logs)");
    }

    #[test]
    fn service_short_names() {
        assert_eq!(short_service("s3.amazonaws.com"), "s3");
        assert_eq!(short_service("custom.example.com"), "custom.example.com");
        assert_eq!(short_service(""), "");
    }
}
