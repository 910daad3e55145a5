//! What a dropped tree holds by its AWS keys: files and bytes per day, account and region, with
//! one cell per (day, account, region) so a filter's share is counted without the files.

use std::collections::{BTreeMap, BTreeSet};

use super::filter::{dated_key, LoadFilter};
use crate::time::{format_ms, parse_time_ms};
use crate::units::DAY_MS;

/// A choice is offered from this many files with a dated AWS key on (CloudTrail writes a file
/// about every five minutes per account and region: a thousand are about two days of one
/// account's two regions) ...
pub const CHOOSE_MIN_FILES: u64 = 1000;
/// ... or from this many bytes of JSON in them (256 MiB, about two seconds of reading here),
/// estimated from their sizes with a gzip file counted [`GZIP_RATIO`] times its size.
pub const CHOOSE_MIN_BYTES: u64 = 256 << 20;
/// How much JSON a `.gz` file is taken to hold, per byte: the benchmark's CloudTrail files
/// compress about 6:1 (1,244 MB of JSON in 207 MB of gzip).
pub const GZIP_RATIO: u64 = 6;
/// Days from the first to the last are all listed (those without files at zero, so gaps show)
/// when they are at most this many; a longer span lists only the days that have files.
pub const MAX_FILLED_DAYS: i64 = 366;

/// A number of files and their bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Size {
    pub files: u64,
    pub bytes: u64,
}

impl Size {
    fn add(&mut self, bytes: u64) {
        self.files += 1;
        self.bytes += bytes;
    }

    /// Both together.
    pub fn plus(self, other: Size) -> Size {
        Size { files: self.files + other.files, bytes: self.bytes + other.bytes }
    }
}

/// One day (`YYYY-MM-DD`), account or region, and the log files under it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Group {
    pub name: String,
    pub size: Size,
}

/// The files of one day, account and region (log and digest files alike), by index into the
/// summary's groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cell {
    day: usize,
    account: usize,
    region: usize,
    size: Size,
}

/// See the module docs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TreeSummary {
    /// Every file.
    pub total: Size,
    /// The days of the log files, in order (see [`MAX_FILLED_DAYS`] for the days without any).
    pub days: Vec<Group>,
    /// The accounts of the log files and digest files, by name (digests not counted in them).
    pub accounts: Vec<Group>,
    /// The regions, likewise.
    pub regions: Vec<Group>,
    /// Digest files: read (and skipped by the reader) when their day, account and region are.
    pub digests: Size,
    /// Files without a dated AWS key: read or left out as a whole ([`LoadFilter::other`]).
    pub other: Size,
    /// The bytes of JSON the files with a dated key are estimated to hold (see [`GZIP_RATIO`]).
    pub keyed_json: u64,
    cells: Vec<Cell>,
}

/// Day number since the epoch of `YYYY-MM-DD`.
fn day_number(date: &str) -> Option<i64> {
    parse_time_ms(&format!("{date}T00:00:00Z")).map(|ms| ms.div_euclid(DAY_MS))
}

fn date_of(day: i64) -> String {
    format_ms(day * DAY_MS).get(..10).unwrap_or_default().to_string()
}

/// Every day from the first to the last of `seen` (when that is a short enough span of real
/// dates), else the days of `seen`.
fn filled_days(seen: &BTreeSet<String>) -> Vec<String> {
    let first = seen.first().and_then(|d| day_number(d));
    let last = seen.last().and_then(|d| day_number(d));
    let all_real = seen.iter().all(|d| day_number(d).is_some());
    match (first, last) {
        (Some(a), Some(b)) if all_real && b >= a && b - a < MAX_FILLED_DAYS => {
            (a..=b).map(date_of).collect()
        }
        _ => seen.iter().cloned().collect(),
    }
}

/// The groups of `names`, their sizes from `sizes` (zero when absent), and each name's index.
fn groups(
    names: impl IntoIterator<Item = String>,
    sizes: &BTreeMap<String, Size>,
) -> (Vec<Group>, BTreeMap<String, usize>) {
    let groups: Vec<Group> = names
        .into_iter()
        .map(|name| Group { size: sizes.get(&name).copied().unwrap_or_default(), name })
        .collect();
    let index = groups.iter().enumerate().map(|(i, g)| (g.name.clone(), i)).collect();
    (groups, index)
}

impl TreeSummary {
    /// The summary of the files at these paths, of these sizes in bytes.
    pub fn of<'a>(files: impl IntoIterator<Item = (&'a str, u64)>) -> TreeSummary {
        let mut total = Size::default();
        let (mut digests, mut other) = (Size::default(), Size::default());
        let mut by_day: BTreeMap<String, Size> = BTreeMap::new();
        let mut by_account: BTreeMap<String, Size> = BTreeMap::new();
        let mut by_region: BTreeMap<String, Size> = BTreeMap::new();
        let (mut day_names, mut accounts, mut regions) =
            (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
        let mut cells: BTreeMap<(String, String, String), Size> = BTreeMap::new();
        let mut keyed_json = 0;
        for (path, bytes) in files {
            total.add(bytes);
            let Some(key) = dated_key(path) else {
                other.add(bytes);
                continue;
            };
            let gz = path.rsplit('.').next().is_some_and(|e| e.eq_ignore_ascii_case("gz"));
            keyed_json += if gz { bytes.saturating_mul(GZIP_RATIO) } else { bytes };
            day_names.insert(key.date.clone());
            accounts.insert(key.account.clone());
            regions.insert(key.region.clone());
            if key.digest {
                digests.add(bytes);
            } else {
                by_day.entry(key.date.clone()).or_default().add(bytes);
                by_account.entry(key.account.clone()).or_default().add(bytes);
                by_region.entry(key.region.clone()).or_default().add(bytes);
            }
            cells.entry((key.date, key.account, key.region)).or_default().add(bytes);
        }
        let (days, day_at) = groups(filled_days(&day_names), &by_day);
        let (accounts, account_at) = groups(accounts, &by_account);
        let (regions, region_at) = groups(regions, &by_region);
        let cells = cells
            .into_iter()
            .filter_map(|((d, a, r), size)| {
                Some(Cell {
                    day: *day_at.get(&d)?,
                    account: *account_at.get(&a)?,
                    region: *region_at.get(&r)?,
                    size,
                })
            })
            .collect();
        TreeSummary { total, days, accounts, regions, digests, other, keyed_json, cells }
    }

    /// The files with a dated AWS key (log and digest files).
    pub fn keyed(&self) -> Size {
        self.cells.iter().fold(Size::default(), |s, c| s.plus(c.size))
    }

    /// The days that have log files.
    pub fn days_with_files(&self) -> usize {
        self.days.iter().filter(|d| d.size.files > 0).count()
    }

    /// Whether to offer a choice before reading: the keyed files span more than one day, account
    /// or region, and they are at least [`CHOOSE_MIN_FILES`] files or hold about
    /// [`CHOOSE_MIN_BYTES`] of JSON. Smaller drops (and trees without AWS keys) are read at once.
    pub fn worth_choosing(&self) -> bool {
        let big = self.keyed().files >= CHOOSE_MIN_FILES || self.keyed_json >= CHOOSE_MIN_BYTES;
        let spread =
            self.days_with_files() > 1 || self.accounts.len() > 1 || self.regions.len() > 1;
        big && spread
    }

    /// The files (and bytes) `filter` reads: those of its days, accounts and regions, and the
    /// other files if it reads them. The same as counting the paths [`LoadFilter::keeps`] keeps.
    pub fn chosen(&self, filter: &LoadFilter) -> Size {
        fn name(groups: &[Group], i: usize) -> &str {
            groups.get(i).map_or("", |g| g.name.as_str())
        }
        let keyed = self
            .cells
            .iter()
            .filter(|c| {
                filter.keeps_place(
                    name(&self.days, c.day),
                    name(&self.accounts, c.account),
                    name(&self.regions, c.region),
                )
            })
            .fold(Size::default(), |s, c| s.plus(c.size));
        if filter.other {
            keyed.plus(self.other)
        } else {
            keyed
        }
    }
}
