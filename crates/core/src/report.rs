//! What the reader says about each file: counts, rejections, notes and the error with its position.
//!
//! One [`FileReport`] per input file (one per member for archives). The counts always reconcile:
//! `events == kept + duplicates + rejected`, where `events` counts every record the reader took to
//! be a CloudTrail event (or a record slot of a Records array / NDJSON line / JSON array that it
//! could not read). Digest records are counted apart in `digests`. Errors carry a [`Position`] so
//! the user can open the file at the right place; the numbers before the error are kept.

use std::fmt;

/// A place in a file. `line` and `column` are 1-based (column counts bytes), `byte` is the 0-based
/// offset. For events found inside a JSON string (a CloudWatch `message`, a cribl `_raw`,
/// lookup-events' `CloudTrailEvent`) it is the position of that string in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Position {
    pub line: u64,
    pub column: u64,
    pub byte: u64,
}

impl Position {
    /// Position of byte offset `byte` in `text` (counts newlines up to it; only used on errors).
    pub fn of(text: &[u8], byte: usize) -> Position {
        let byte = byte.min(text.len());
        let before = text.get(..byte).unwrap_or_default();
        let line = memchr::memchr_iter(b'\n', before).count() as u64 + 1;
        let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
        Position { line, column: (byte - line_start) as u64 + 1, byte: byte as u64 }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {} column {} (byte {})", self.line, self.column, self.byte)
    }
}

/// Why a file (or an archive as a whole) could not be read, or where reading stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    pub message: String,
    pub position: Option<Position>,
}

impl ReadError {
    pub fn new(message: impl Into<String>) -> Self {
        ReadError { message: message.into(), position: None }
    }
    pub fn at(message: impl Into<String>, position: Position) -> Self {
        ReadError { message: message.into(), position: Some(position) }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.position {
            Some(p) => write!(f, "{} at {}", self.message, p),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ReadError {}

/// Records that were counted but not stored, grouped by reason, with the first place seen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    pub reason: String,
    pub count: u64,
    pub first: Option<Position>,
}

/// Metadata taken from an AWS S3 key layout
/// (`AWSLogs/[o-org/]<account>/CloudTrail[-Digest]/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<id>.json.gz`),
/// from the folders or from the file name alone.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AwsKey {
    pub account: String,
    pub region: String,
    /// `YYYY-MM-DD`, empty when unknown.
    pub date: String,
    /// Organization id for organization trails (`o-…`).
    pub org: Option<String>,
    /// The key names a digest file (`CloudTrail-Digest`).
    pub digest: bool,
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
}

/// The reader's account of one file or archive member.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FileReport {
    pub path: String,
    /// Member name inside an archive (nested archives joined with `!`).
    pub member: Option<String>,
    /// "Records", "NDJSON", "JSON array", "event", "lookup-events", "EventBridge",
    /// "CloudWatch Logs", "cribl", "digest", "zip", "not JSON", "JSON" (other wrappers).
    pub format: String,
    /// Came through gzip (or a zip member that was compressed).
    pub compressed: bool,
    /// Decompressed size in bytes.
    pub bytes: u64,
    /// Records read: kept + duplicates + rejected.
    pub events: u64,
    pub kept: u64,
    pub duplicates: u64,
    pub rejected: u64,
    /// Digest records seen (not events).
    pub digests: u64,
    pub rejections: Vec<Rejection>,
    /// Things worth knowing that are not errors ("12 events had no eventTime; used @timestamp").
    pub notes: Vec<String>,
    pub error: Option<ReadError>,
    pub aws_key: Option<AwsKey>,
    /// Why the file was skipped (not CloudTrail, digest only, empty), when it was.
    pub skipped: Option<String>,
}

impl FileReport {
    pub fn status(&self) -> FileStatus {
        if self.error.is_some() {
            FileStatus::Error
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

    /// One human line: "12 events, 3 duplicates", or the error with its position.
    pub fn summary(&self) -> String {
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
        if self.digests > 0 {
            parts.push(plural(self.digests, "digest"));
        }
        let mut s = parts.join(", ");
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

/// Parses AWS key metadata from a path (folders or file name). None when nothing matches.
pub fn parse_aws_key(path: &str) -> Option<AwsKey> {
    let parts: Vec<&str> = path.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    // Folder layout: AWSLogs/[o-xxx/]<account>/CloudTrail[-Digest|-Insight]/<region>/YYYY/MM/DD/...
    if let Some(i) = parts.iter().position(|p| *p == "AWSLogs") {
        let mut j = i + 1;
        let mut org = None;
        if let Some(p) = parts.get(j) {
            if p.starts_with("o-") {
                org = Some((*p).to_string());
                j += 1;
            }
        }
        if let (Some(account), Some(kind)) = (parts.get(j), parts.get(j + 1)) {
            if kind.starts_with("CloudTrail") {
                let region = parts.get(j + 2).map(|s| s.to_string()).unwrap_or_default();
                let date = match (parts.get(j + 3), parts.get(j + 4), parts.get(j + 5)) {
                    (Some(y), Some(m), Some(d))
                        if y.len() == 4
                            && m.len() == 2
                            && d.len() == 2
                            && [y, m, d].iter().all(|s| s.bytes().all(|b| b.is_ascii_digit())) =>
                    {
                        format!("{y}-{m}-{d}")
                    }
                    _ => String::new(),
                };
                return Some(AwsKey {
                    account: account.to_string(),
                    region,
                    date,
                    org,
                    digest: kind.contains("Digest"),
                });
            }
        }
    }
    // File name alone: <account>_CloudTrail[-Digest]_<region>_<YYYYMMDDTHHMMZ>_...
    let name = parts.last()?;
    let fields: Vec<&str> = name.split('_').collect();
    let account = fields.first()?;
    let kind = fields.get(1)?;
    if !kind.starts_with("CloudTrail") || !account.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let region = fields.get(2).map(|s| s.to_string()).unwrap_or_default();
    let date = fields
        .get(3)
        .filter(|s| s.len() >= 8 && s.as_bytes().iter().take(8).all(|b| b.is_ascii_digit()))
        .and_then(|s| Some(format!("{}-{}-{}", s.get(0..4)?, s.get(4..6)?, s.get(6..8)?)))
        .unwrap_or_default();
    Some(AwsKey {
        account: account.to_string(),
        region,
        date,
        org: None,
        digest: kind.contains("Digest"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
