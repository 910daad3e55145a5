//! The table's columns: which ones exist, their labels and widths, and how a cell's text is read
//! from the store. Plain data and functions, tested natively; the table component only lays
//! them out.

use trailglass_core::{Column, Store};

use crate::format::format_time;

/// What a table column shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    /// The event time, in the chosen time zone.
    Time,
    /// One of the store's interned columns.
    Field(Column),
}

/// A column of the event table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnDef {
    pub kind: ColumnKind,
    pub label: &'static str,
    /// Initial width in CSS pixels.
    pub width: u32,
}

/// The columns shown before the user chooses others: who did what, when, from where, and
/// whether it failed.
pub const DEFAULT_COLUMNS: [ColumnDef; 7] = [
    ColumnDef { kind: ColumnKind::Time, label: "Time", width: 170 },
    ColumnDef { kind: ColumnKind::Field(Column::User), label: "User", width: 180 },
    ColumnDef { kind: ColumnKind::Field(Column::Service), label: "Service", width: 110 },
    ColumnDef { kind: ColumnKind::Field(Column::Action), label: "Action", width: 200 },
    ColumnDef { kind: ColumnKind::Field(Column::Region), label: "Region", width: 110 },
    ColumnDef { kind: ColumnKind::Field(Column::SourceIp), label: "Source IP", width: 140 },
    ColumnDef { kind: ColumnKind::Field(Column::ErrorCode), label: "Error", width: 170 },
];

/// `s3.amazonaws.com` → `s3`: the service's short name, as people say it. Other sources (for
/// example `custom.example.com`) are shown whole.
pub fn short_service(event_source: &str) -> &str {
    event_source.strip_suffix(".amazonaws.com").unwrap_or(event_source)
}

/// The text of one cell. `offset_minutes` is the display time zone (0 for UTC).
pub fn cell_text(store: &Store, row: usize, kind: ColumnKind, offset_minutes: i32) -> String {
    match kind {
        ColumnKind::Time => match store.time_ms(row) {
            Some(ms) => format_time(ms, offset_minutes),
            None => "(no time)".to_string(),
        },
        ColumnKind::Field(Column::Service) => short_service(store.get(row, Column::Service)).to_string(),
        ColumnKind::Field(col) => store.get(row, col).to_string(),
    }
}

/// Row ids of the whole store in time order (events without a time last, then in load order).
/// The query engine replaces this with its own sorted result pages.
pub fn rows_by_time(store: &Store) -> Vec<u32> {
    let mut rows: Vec<u32> = (0..store.len()).filter_map(|r| u32::try_from(r).ok()).collect();
    rows.sort_by_key(|&r| (store.time_ms(r as usize).unwrap_or(i64::MAX), r));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORDS: &str = r#"{"Records":[
      {"eventVersion":"1.08","eventTime":"2024-03-01T10:00:05Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"eu-west-1","sourceIPAddress":"203.0.113.5","userIdentity":{"type":"IAMUser","userName":"alice","arn":"arn:aws:iam::123456789012:user/alice"},"eventID":"a1"},
      {"eventVersion":"1.08","eventTime":"2024-03-01T10:00:01Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","errorCode":"AccessDenied","userIdentity":{"type":"IAMUser","userName":"bob"},"eventID":"b2"}
    ]}"#;

    #[test]
    fn cells_and_time_order() {
        let mut store = Store::new();
        store.ingest("t.json", RECORDS.as_bytes());
        assert_eq!(store.len(), 2);
        let rows = rows_by_time(&store);
        assert_eq!(rows.len(), 2);
        let first = rows[0] as usize;
        assert_eq!(cell_text(&store, first, ColumnKind::Time, 0), "2024-03-01 10:00:01");
        assert_eq!(cell_text(&store, first, ColumnKind::Time, 60), "2024-03-01 11:00:01");
        assert_eq!(cell_text(&store, first, ColumnKind::Field(Column::Service), 0), "iam");
        assert_eq!(cell_text(&store, first, ColumnKind::Field(Column::ErrorCode), 0), "AccessDenied");
        assert_eq!(cell_text(&store, first, ColumnKind::Field(Column::User), 0), "bob");
        let second = rows[1] as usize;
        assert_eq!(cell_text(&store, second, ColumnKind::Field(Column::Action), 0), "GetObject");
        assert_eq!(cell_text(&store, second, ColumnKind::Field(Column::ErrorCode), 0), "");
    }

    #[test]
    fn service_short_names() {
        assert_eq!(short_service("s3.amazonaws.com"), "s3");
        assert_eq!(short_service("custom.example.com"), "custom.example.com");
        assert_eq!(short_service(""), "");
    }
}
