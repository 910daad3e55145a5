//! The load-time filter: which files are read (by their AWS key) and what is left out of those
//! read (read-only events).

use std::collections::BTreeSet;

use crate::report::{parse_aws_key, AwsKey};
use crate::ReadOptions;

/// The AWS key of `path` when it names a day (the files a filter can judge by day, account and
/// region); None for every other file.
pub fn dated_key(path: &str) -> Option<AwsKey> {
    parse_aws_key(path).filter(|k| !k.date.is_empty())
}

/// What the user chose to read. The default reads everything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadFilter {
    /// The days to read, `YYYY-MM-DD` to `YYYY-MM-DD` inclusive; None reads every day.
    pub days: Option<(String, String)>,
    /// The accounts to read; None reads every account.
    pub accounts: Option<BTreeSet<String>>,
    /// The regions to read; None reads every region.
    pub regions: Option<BTreeSet<String>>,
    /// Whether to read the files without a dated AWS key (exports, archives, other names).
    pub other: bool,
    /// Whether read-only events are left out while reading (counted, not stored).
    pub drop_read_only: bool,
}

impl Default for LoadFilter {
    fn default() -> Self {
        LoadFilter { days: None, accounts: None, regions: None, other: true, drop_read_only: false }
    }
}

impl LoadFilter {
    /// Whether the file at `path` is read.
    pub fn keeps(&self, path: &str) -> bool {
        self.keeps_key(dated_key(path).as_ref())
    }

    /// Whether a file of this key is read (None, or a key without a day: an other file).
    pub fn keeps_key(&self, key: Option<&AwsKey>) -> bool {
        match key {
            Some(k) if !k.date.is_empty() => self.keeps_place(&k.date, &k.account, &k.region),
            _ => self.other,
        }
    }

    /// Whether the log files of this day, account and region are read.
    pub fn keeps_place(&self, day: &str, account: &str, region: &str) -> bool {
        let in_days =
            self.days.as_ref().is_none_or(|(from, to)| from.as_str() <= day && day <= to.as_str());
        in_days
            && self.accounts.as_ref().is_none_or(|a| a.contains(account))
            && self.regions.as_ref().is_none_or(|r| r.contains(region))
    }

    /// What the reader leaves out of the files it reads.
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions { drop_read_only: self.drop_read_only }
    }

    /// Splits `files` into those read and those left out, each in its order.
    pub fn split<T>(&self, files: Vec<T>, path: impl Fn(&T) -> &str) -> (Vec<T>, Vec<T>) {
        files.into_iter().partition(|f| self.keeps(path(f)))
    }
}
