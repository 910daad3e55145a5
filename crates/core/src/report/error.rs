//! Why a file could not be read, or where reading stopped: [`ReadError`], a boxed [`ErrorKind`]
//! (one word in every [`crate::FileReport`], which is usually without an error), in the style of
//! the csv crate's `Error`/`ErrorKind`.
//!
//! Each kind says what happened in typed fields; its `Display` is the message the page and
//! `trailglass-scan` show, and [`ReadError`]'s `Display` adds the [`Position`] when there is one.
//! Those strings are part of the output format: changing a message changes what users see.

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

/// Which size limit of [`crate::Limits`] stopped a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Budget {
    /// What is left of `max_memory_bytes` (smaller than the per-file limit).
    Total,
    /// `max_file_bytes`.
    PerFile,
}

impl Budget {
    fn as_str(self) -> &'static str {
        match self {
            Budget::Total => "total",
            Budget::PerFile => "per-file",
        }
    }
}

/// What was larger than a limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Oversized {
    /// A plain file (or an already decompressed member).
    File,
    /// The decompressed content of a gzip file.
    GzipContent,
    /// A zip member, decompressed.
    ZipMember,
}

impl Oversized {
    fn as_str(self) -> &'static str {
        match self {
            Oversized::File => "file",
            Oversized::GzipContent => "gzip-compressed content",
            Oversized::ZipMember => "zip member (decompressed)",
        }
    }

    /// Whether it came out of a decompressor (then it may be a decompression bomb).
    pub fn decompressed(self) -> bool {
        !matches!(self, Oversized::File)
    }
}

/// What went wrong. See the module docs.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// gzip or zip nested deeper than `max` levels.
    ArchiveTooDeep { max: u32 },
    /// Larger than a limit (decompressed); reading stopped at `limit + 1` bytes.
    TooLarge { what: Oversized, budget: Budget, limit: u64 },
    /// The gzip stream is damaged; `after`: decompressed bytes before the damage, which were read.
    Gzip { message: String, after: Option<usize> },
    /// Not a readable zip archive.
    Zip { message: String },
    /// More zip members than `max_archive_members`.
    TooManyMembers { members: usize, limit: usize },
    /// A zip member whose entry cannot be opened.
    ZipMember { message: String },
    /// A zip member whose data is damaged after `after` bytes (which were read).
    ZipMemberDamaged { message: String, after: usize },
    /// The JSON structure is broken (unbalanced, unterminated…) at `position`. `in_string`: in
    /// JSON found inside a JSON string; `position` is then that string's.
    Json { message: String, in_string: bool, position: Position },
    /// A file that never reached the reader (the app says why).
    Unreadable { reason: String },
    /// A CSV export that cannot be read as a whole (a header past the column limit).
    Csv { message: String },
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::ArchiveTooDeep { max } => {
                write!(f, "archives nested deeper than {max} levels; not read")
            }
            ErrorKind::TooLarge { what, budget, limit } => write!(
                f,
                "{} is larger than the {} limit of {limit} bytes (decompressed); not read{}",
                what.as_str(),
                budget.as_str(),
                if what.decompressed() { " (possible decompression bomb)" } else { "" }
            ),
            ErrorKind::Gzip { message, after: None } => write!(f, "gzip: {message}"),
            ErrorKind::Gzip { message, after: Some(n) } => {
                write!(f, "gzip: {message} (after {n} decompressed bytes)")
            }
            ErrorKind::Zip { message } => write!(f, "not a readable zip archive: {message}"),
            ErrorKind::TooManyMembers { members, limit } => {
                write!(f, "zip archive has {members} members, more than the limit of {limit}")
            }
            ErrorKind::ZipMember { message } => write!(f, "zip member cannot be read: {message}"),
            ErrorKind::ZipMemberDamaged { message, after } => {
                write!(f, "zip member damaged: {message} (after {after} bytes)")
            }
            ErrorKind::Json { message, in_string: false, .. } => f.write_str(message),
            ErrorKind::Json { message, in_string: true, .. } => {
                write!(f, "{message} (inside a JSON string)")
            }
            ErrorKind::Unreadable { reason } => f.write_str(reason),
            ErrorKind::Csv { message } => write!(f, "CSV: {message}"),
        }
    }
}

/// Why a file (or an archive as a whole) could not be read, or where reading stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError(Box<ErrorKind>);

impl ReadError {
    pub fn new(kind: ErrorKind) -> Self {
        ReadError(Box::new(kind))
    }

    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }

    /// Where in the file, for errors in the JSON.
    pub fn position(&self) -> Option<Position> {
        match *self.0 {
            ErrorKind::Json { position, .. } => Some(position),
            _ => None,
        }
    }

    /// The message without the position.
    pub fn message(&self) -> String {
        self.0.to_string()
    }
}

impl From<ErrorKind> for ReadError {
    fn from(kind: ErrorKind) -> Self {
        ReadError::new(kind)
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position() {
            Some(p) => write!(f, "{} at {p}", self.0),
            None => write!(f, "{}", self.0),
        }
    }
}

impl std::error::Error for ReadError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The messages are output (the page, `trailglass-scan`): each kind must keep its words.
    #[test]
    fn messages_keep_their_words() {
        let position = Position { line: 2, column: 3, byte: 9 };
        let cases = [
            (
                ErrorKind::ArchiveTooDeep { max: 4 },
                "archives nested deeper than 4 levels; not read",
            ),
            (
                ErrorKind::TooLarge { what: Oversized::File, budget: Budget::PerFile, limit: 10 },
                "file is larger than the per-file limit of 10 bytes (decompressed); not read",
            ),
            (
                ErrorKind::TooLarge {
                    what: Oversized::GzipContent,
                    budget: Budget::Total,
                    limit: 5,
                },
                "gzip-compressed content is larger than the total limit of 5 bytes \
                 (decompressed); not read (possible decompression bomb)",
            ),
            (
                ErrorKind::TooLarge {
                    what: Oversized::ZipMember,
                    budget: Budget::PerFile,
                    limit: 7,
                },
                "zip member (decompressed) is larger than the per-file limit of 7 bytes \
                 (decompressed); not read (possible decompression bomb)",
            ),
            (ErrorKind::Gzip { message: "bad".into(), after: None }, "gzip: bad"),
            (
                ErrorKind::Gzip { message: "bad".into(), after: Some(12) },
                "gzip: bad (after 12 decompressed bytes)",
            ),
            (ErrorKind::Zip { message: "eof".into() }, "not a readable zip archive: eof"),
            (
                ErrorKind::TooManyMembers { members: 4, limit: 3 },
                "zip archive has 4 members, more than the limit of 3",
            ),
            (ErrorKind::ZipMember { message: "x".into() }, "zip member cannot be read: x"),
            (
                ErrorKind::ZipMemberDamaged { message: "x".into(), after: 8 },
                "zip member damaged: x (after 8 bytes)",
            ),
            (
                ErrorKind::Json { message: "unterminated".into(), in_string: false, position },
                "unterminated at line 2 column 3 (byte 9)",
            ),
            (
                ErrorKind::Json { message: "unterminated".into(), in_string: true, position },
                "unterminated (inside a JSON string) at line 2 column 3 (byte 9)",
            ),
            (ErrorKind::Unreadable { reason: "a folder".into() }, "a folder"),
            (ErrorKind::Csv { message: "too wide".into() }, "CSV: too wide"),
        ];
        for (kind, text) in cases {
            assert_eq!(ReadError::new(kind).to_string(), text);
        }
    }
}
