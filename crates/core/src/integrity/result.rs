//! The report of [`super::verify`]: typed verdicts whose serde names are the wire strings the
//! page and `trailglass-scan --verify` show, one entry per dropped file and per listed file not
//! dropped, one per digest, and the summary counts.

use serde::Serialize;

/// A log file's verdict.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum LogVerdict {
    /// Listed by an accepted digest, and its uncompressed bytes hash to the listed value.
    Valid,
    /// Listed, and its bytes (or the file itself, not inflating) differ.
    Modified,
    /// Listed by an accepted digest, not dropped.
    Missing,
    /// Dropped, listed by no accepted digest.
    NotCovered,
    /// Listed, with data after its first gzip member (events appended).
    TrailingData,
}

/// A digest's signature verdict.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureVerdict {
    Valid,
    Invalid,
    /// No later digest carries its signature.
    UncheckedNewest,
    /// No key file, or no key with its fingerprint.
    UncheckedNoKey,
}

/// A digest's link to its predecessor.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ChainVerdict {
    Ok,
    Gap,
    HashMismatch,
}

/// One log file (dropped, or listed and missing: then `path` is the S3 key).
#[derive(Serialize, Debug, Clone)]
pub struct LogFileResult {
    pub path: String,
    pub verdict: LogVerdict,
    /// The digest that lists it.
    pub digest: Option<String>,
    pub s3_object: Option<String>,
    pub note: Option<String>,
}

/// One dropped digest.
#[derive(Serialize, Debug, Clone)]
pub struct DigestResult {
    pub path: String,
    pub signature: SignatureVerdict,
    pub chain: ChainVerdict,
    /// Whether its log files count (not `invalid`, not contradicted by the next digest).
    pub accepted: bool,
    pub s3_object: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    /// Its `previousDigestS3Object`.
    pub previous: Option<String>,
    pub note: Option<String>,
}

/// A break in the chain: `digest` names `missing` as its predecessor, which was not dropped or
/// does not hash to what `digest` says.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub digest: String,
    pub missing: String,
    pub chain: ChainVerdict,
}

/// The chain over all digests: complete (no break) from the first `digestStartTime` to the last
/// `digestEndTime`, or its breaks.
#[derive(Serialize, Debug, Clone)]
pub struct ChainSummary {
    pub complete: bool,
    pub from: Option<String>,
    pub to: Option<String>,
    pub gaps: Vec<Gap>,
}

/// The counts.
#[derive(Serialize, Debug, Clone)]
pub struct Summary {
    pub verified: usize,
    pub modified: usize,
    pub missing: usize,
    pub not_covered: usize,
    pub trailing_data: usize,
    pub digests: usize,
    pub signatures_valid: usize,
    pub signatures_invalid: usize,
    pub signatures_unchecked: usize,
    pub chain: ChainSummary,
}

/// Everything [`super::verify`] found; `notes` says what could not be used and why.
#[derive(Serialize, Debug, Clone)]
pub struct Report {
    pub log_files: Vec<LogFileResult>,
    pub digests: Vec<DigestResult>,
    pub summary: Summary,
    pub notes: Vec<String>,
}

impl Summary {
    pub(crate) fn of(logs: &[LogFileResult], digests: &[DigestResult]) -> Summary {
        let logs_with = |v: LogVerdict| logs.iter().filter(|l| l.verdict == v).count();
        let signed = |v: SignatureVerdict| digests.iter().filter(|d| d.signature == v).count();
        let gaps: Vec<Gap> = digests
            .iter()
            .filter(|d| d.chain != ChainVerdict::Ok)
            .map(|d| Gap {
                digest: d.path.clone(),
                missing: d.previous.clone().unwrap_or_default(),
                chain: d.chain,
            })
            .collect();
        Summary {
            verified: logs_with(LogVerdict::Valid),
            modified: logs_with(LogVerdict::Modified),
            missing: logs_with(LogVerdict::Missing),
            not_covered: logs_with(LogVerdict::NotCovered),
            trailing_data: logs_with(LogVerdict::TrailingData),
            digests: digests.len(),
            signatures_valid: signed(SignatureVerdict::Valid),
            signatures_invalid: signed(SignatureVerdict::Invalid),
            signatures_unchecked: signed(SignatureVerdict::UncheckedNewest)
                + signed(SignatureVerdict::UncheckedNoKey),
            chain: ChainSummary {
                complete: !digests.is_empty() && gaps.is_empty(),
                from: digests.iter().filter_map(|d| d.start.clone()).min(),
                to: digests.iter().filter_map(|d| d.end.clone()).max(),
                gaps,
            },
        }
    }
}
