//! The load plan: what a dropped tree of files holds, told by their AWS key paths before anything
//! is read, and which of them a load-time filter keeps.
//!
//! CloudTrail writes its logs to S3 as
//! `AWSLogs/[o-org/]<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_…`,
//! and an `aws s3 sync` of a trail bucket keeps that layout, so a dropped tree says by its paths
//! alone which accounts, regions and days it covers ([`crate::report::parse_aws_key`]). That is
//! cheap (no byte is read) and lets the user choose before a long load:
//!
//! * [`TreeSummary::of`] groups the (path, size) of every dropped file by day, account and
//!   region (log files only; digest files are counted apart, and are not events: the reader
//!   recognises and skips them), and counts the files without a dated key (NDJSON exports, zips,
//!   other names) as *other files*, which a filter reads or not as a whole;
//! * [`LoadFilter`] is the choice: a range of days, accounts, regions, the other files, and
//!   whether to drop read-only events while reading ([`crate::ReadOptions`]); [`LoadFilter::keeps`]
//!   judges one path, [`TreeSummary::chosen`] counts what a filter keeps without visiting the
//!   files again (the summary keeps one cell per day, account and region);
//! * [`TreeSummary::worth_choosing`] is the rule for asking at all: a choice is offered when the
//!   keyed files span more than one day, account or region and the drop is big enough that
//!   choosing pays ([`CHOOSE_MIN_FILES`] files, or about [`CHOOSE_MIN_BYTES`] of JSON, a `.gz`
//!   counted [`GZIP_RATIO`] times its size); smaller drops are read at once.
//!
//! A filter judges files by their key only: a file is read or left out whole. Files left out get a
//! line of their own in the file list ([`crate::Store::add_left_out`]).

mod filter;
mod tree;

pub use filter::{dated_key, LoadFilter};
pub use tree::{
    Group, Size, TreeSummary, CHOOSE_MIN_BYTES, CHOOSE_MIN_FILES, GZIP_RATIO, MAX_FILLED_DAYS,
};

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
mod tests;
