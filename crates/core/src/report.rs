//! What the reader says about each file: counts, rejections, notes and the error with its position.
//!
//! One [`FileReport`] per input file (one per member for archives). The counts always reconcile:
//! `events == kept + duplicates + rejected + filtered`, where `events` counts every record the
//! reader took to be a CloudTrail event (or a record slot of a Records array / NDJSON line / JSON
//! array that it could not read) and `filtered` the events the user chose to leave out at load
//! (read-only events). Digest records are counted apart in `digests`. A file the user left out
//! with the load-time filter is never read and has a report of its own status
//! ([`FileStatus::LeftOut`]). Errors carry a [`Position`] so
//! the user can open the file at the right place; the numbers before the error are kept.
//!
//! Kinds are types ([`Format`], [`ErrorKind`]); the strings users see come from their `as_str` /
//! `Display` and are what `trailglass-scan` prints, so they are part of its output format.

use std::fmt;

use crate::units::thousands;

mod aws_key;
mod error;

pub use aws_key::{parse_aws_key, AwsKey};
pub use error::{Budget, ErrorKind, Oversized, Position, ReadError};

/// The shape a file was read as (of its top-level document; wrappers by their tell-tale key).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// Not determined: the file was stopped before reading (a limit, an unreadable member).
    #[default]
    Unknown,
    /// `{"Records": [...]}`, CloudTrail's own.
    Records,
    /// One JSON value per line, or JSON values one after another.
    Ndjson,
    JsonArray,
    /// A single event.
    Event,
    /// `aws cloudtrail lookup-events` output.
    LookupEvents,
    EventBridge,
    /// A CloudWatch Logs subscription message.
    CloudWatchLogs,
    Cribl,
    Digest,
    /// A zip archive that failed (or was empty) as a whole.
    Zip,
    /// A gzip file that failed as a whole.
    Gzip,
    /// An archive nested too deep.
    Archive,
    NotJson,
    Empty,
    /// JSON holding no recognized shape (other wrappers).
    Json,
    /// OCSF records (Amazon Security Lake), read into CloudTrail's columns.
    Ocsf,
    /// CloudTrail Lake query results (`get-query-results`).
    LakeResults,
    /// A Parquet file's rows holding OCSF records (Amazon Security Lake).
    ParquetOcsf,
    /// A Parquet file's rows that are not OCSF, or a Parquet file not read (inside an archive).
    Parquet,
    /// Athena query results over the CloudTrail table, as CSV (read back; lossy).
    AthenaCsv,
    /// CloudTrail Lake results downloaded as CSV (read back; lossy).
    LakeCsv,
    /// The CloudTrail console's Event history download, as CSV (a summary; lossy).
    EventHistoryCsv,
    /// Microsoft Sentinel's `AWSCloudTrail` rows exported as CSV (lossy).
    SentinelCsv,
    /// Microsoft Sentinel's `AWSCloudTrail` rows as JSON (lossy).
    Sentinel,
    /// Elastic ECS documents without the original event (lossy).
    Ecs,
    /// Kibana's CSV export of ECS documents (lossy).
    KibanaCsv,
}

impl Format {
    /// Whether the format is another tool's export of the events (OCSF, Parquet, Lake and
    /// Athena results, SIEM rows), which the file's line names ("3 events from Athena CSV").
    pub fn is_export(self) -> bool {
        matches!(
            self,
            Format::Ocsf
                | Format::LakeResults
                | Format::ParquetOcsf
                | Format::Parquet
                | Format::AthenaCsv
                | Format::LakeCsv
                | Format::EventHistoryCsv
                | Format::SentinelCsv
                | Format::Sentinel
                | Format::Ecs
                | Format::KibanaCsv
        )
    }

    /// The name users see: "Records", "NDJSON", "JSON array", "event", "lookup-events",
    /// "EventBridge", "CloudWatch Logs", "cribl", "digest", "zip", "gzip", "archive",
    /// "not JSON", "empty", "JSON", the flattened exports ("Athena CSV", "CloudTrail Lake CSV",
    /// "Event history CSV", "Sentinel CSV", "Sentinel", "ECS", "Kibana CSV (ECS)"), and "" when
    /// unknown.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Unknown => "",
            Format::Records => "Records",
            Format::Ndjson => "NDJSON",
            Format::JsonArray => "JSON array",
            Format::Event => "event",
            Format::LookupEvents => "lookup-events",
            Format::EventBridge => "EventBridge",
            Format::CloudWatchLogs => "CloudWatch Logs",
            Format::Cribl => "cribl",
            Format::Digest => "digest",
            Format::Zip => "zip",
            Format::Gzip => "gzip",
            Format::Archive => "archive",
            Format::NotJson => "not JSON",
            Format::Empty => "empty",
            Format::Json => "JSON",
            Format::Ocsf => "OCSF (Security Lake)",
            Format::LakeResults => "CloudTrail Lake results",
            Format::ParquetOcsf => "OCSF Parquet (Security Lake)",
            Format::Parquet => "Parquet",
            Format::AthenaCsv => "Athena CSV",
            Format::LakeCsv => "CloudTrail Lake CSV",
            Format::EventHistoryCsv => "Event history CSV",
            Format::SentinelCsv => "Sentinel CSV",
            Format::Sentinel => "Sentinel",
            Format::Ecs => "ECS",
            Format::KibanaCsv => "Kibana CSV (ECS)",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Serialized as its name ([`Format::as_str`]).
impl serde::Serialize for Format {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for Format {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Format {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Records that were counted but not stored, grouped by reason, with the first place seen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    pub reason: String,
    pub count: u64,
    pub first: Option<Position>,
}

/// Overall state of one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileStatus {
    /// Read; may hold zero events (an empty Records file is Ok).
    Ok,
    /// Reading failed or stopped early; see [`FileReport::error`]. Events before the error are kept.
    Error,
    /// Nothing to show and not an error: a digest file, or a file that is not CloudTrail JSON
    /// (see [`FileReport::skipped`] for why).
    Skipped,
    /// Not read: the user left it out with the load-time filter ([`FileReport::left_out`]).
    LeftOut,
}

/// The reader's account of one file or archive member.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FileReport {
    pub path: String,
    /// Member name inside an archive (nested archives joined with `!`).
    pub member: Option<String>,
    /// The shape it was read as; [`Format::as_str`] gives the name users see.
    pub format: Format,
    /// Came through gzip (or a zip member that was compressed).
    pub compressed: bool,
    /// Decompressed size in bytes.
    pub bytes: u64,
    /// Records read: kept + duplicates + rejected + filtered.
    pub events: u64,
    pub kept: u64,
    pub duplicates: u64,
    pub rejected: u64,
    /// Events read and left out by the user's choice at load (read-only events), not stored.
    pub filtered: u64,
    /// Digest records seen (not events).
    pub digests: u64,
    pub rejections: Vec<Rejection>,
    /// Things worth knowing that are not errors ("12 events had no eventTime; used @timestamp").
    pub notes: Vec<String>,
    pub error: Option<ReadError>,
    pub aws_key: Option<AwsKey>,
    /// Why the file was skipped (not CloudTrail, digest only, empty), when it was.
    pub skipped: Option<String>,
    /// The file's size in bytes, when the user left it out with the load-time filter (it was
    /// never read: `bytes` and every count stay 0).
    pub left_out: Option<u64>,
}

impl FileReport {
    /// The report of a file of `size` bytes that the user left out with the load-time filter.
    pub fn left_out(path: &str, size: u64) -> Self {
        FileReport {
            path: path.to_string(),
            aws_key: parse_aws_key(path),
            left_out: Some(size),
            ..FileReport::default()
        }
    }

    pub fn status(&self) -> FileStatus {
        if self.error.is_some() {
            FileStatus::Error
        } else if self.left_out.is_some() {
            FileStatus::LeftOut
        } else if self.events == 0 && self.skipped.is_some() {
            FileStatus::Skipped
        } else {
            FileStatus::Ok
        }
    }

    /// Path plus member, for messages.
    pub fn display_name(&self) -> String {
        match &self.member {
            Some(m) => format!("{} ▸ {}", self.path, m),
            None => self.path.clone(),
        }
    }

    /// The lines that explain the counts beyond [`FileReport::summary`]: each rejection's
    /// reason, how many, and where the first one was; then the notes.
    pub fn details(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .rejections
            .iter()
            .map(|r| match &r.first {
                Some(p) => format!("{} rejected: {} (first at {p})", r.count, r.reason),
                None => format!("{} rejected: {}", r.count, r.reason),
            })
            .collect();
        out.extend(self.notes.iter().cloned());
        out
    }

    /// One human line: "12 events, 3 duplicates", or the error with its position, or that the
    /// user left the file out.
    pub fn summary(&self) -> String {
        if let (Some(size), None) = (self.left_out, &self.error) {
            return format!(
                "left out by choice (load filter); {} not read",
                crate::units::bytes(size)
            );
        }
        let mut parts = Vec::new();
        if self.events > 0 || (self.error.is_none() && self.skipped.is_none()) {
            parts.push(plural(self.events, "event"));
        }
        if self.duplicates > 0 {
            parts.push(plural(self.duplicates, "duplicate"));
        }
        if self.rejected > 0 {
            parts.push(format!("{} rejected", self.rejected));
        }
        if self.filtered > 0 {
            parts.push(format!("{} read-only left out by choice", thousands(self.filtered)));
        }
        if self.digests > 0 {
            parts.push(plural(self.digests, "digest"));
        }
        let mut s = parts.join(", ");
        if self.events > 0 && self.format.is_export() {
            s.push_str(" from ");
            s.push_str(self.format.as_str());
        }
        let tail = match (&self.error, &self.skipped) {
            (Some(e), _) => Some(format!("error: {e}")),
            (None, Some(why)) if self.events == 0 => Some(format!("skipped: {why}")),
            _ => None,
        };
        if let Some(t) = tail {
            if !s.is_empty() {
                s.push_str("; ");
            }
            s.push_str(&t);
        }
        s
    }
}

fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names are output (`trailglass-scan`'s JSON, the page): each must keep its spelling.
    #[test]
    fn format_names_and_json() {
        let names = [
            (Format::Unknown, ""),
            (Format::Records, "Records"),
            (Format::Ndjson, "NDJSON"),
            (Format::JsonArray, "JSON array"),
            (Format::Event, "event"),
            (Format::LookupEvents, "lookup-events"),
            (Format::EventBridge, "EventBridge"),
            (Format::CloudWatchLogs, "CloudWatch Logs"),
            (Format::Cribl, "cribl"),
            (Format::Digest, "digest"),
            (Format::Zip, "zip"),
            (Format::Gzip, "gzip"),
            (Format::Archive, "archive"),
            (Format::NotJson, "not JSON"),
            (Format::Empty, "empty"),
            (Format::Json, "JSON"),
            (Format::AthenaCsv, "Athena CSV"),
            (Format::LakeCsv, "CloudTrail Lake CSV"),
            (Format::EventHistoryCsv, "Event history CSV"),
            (Format::SentinelCsv, "Sentinel CSV"),
            (Format::Sentinel, "Sentinel"),
            (Format::Ecs, "ECS"),
            (Format::KibanaCsv, "Kibana CSV (ECS)"),
        ];
        for (format, name) in names {
            assert_eq!((format.as_str(), format.to_string()), (name, name.to_string()));
            assert_eq!(format, name);
            assert_eq!(serde_json::to_string(&format).ok(), serde_json::to_string(name).ok());
        }
    }

    #[test]
    fn details_explain_rejections_then_notes() {
        let r = FileReport {
            rejections: vec![Rejection {
                reason: "not a JSON object".into(),
                count: 2,
                first: Some(Position { line: 3, column: 1, byte: 40 }),
            }],
            notes: vec!["1 event had no eventTime".into()],
            ..Default::default()
        };
        assert_eq!(
            r.details(),
            vec![
                "2 rejected: not a JSON object (first at line 3 column 1 (byte 40))".to_string(),
                "1 event had no eventTime".to_string()
            ]
        );
    }
}
