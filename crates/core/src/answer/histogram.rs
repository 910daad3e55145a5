//! The time histogram of the matches, optionally split into one series per top value of a
//! column (the chart stacks them).

use super::count::top;
use super::parts::{bins_for, histogram_in, time_range};
use crate::store::{Column, Store};

/// Bucket sizes the histogram chooses from, in ms: 1 s … 1 d … 1 year.
pub const BUCKET_SIZES_MS: &[i64] = &[
    1_000,
    2_000,
    5_000,
    10_000,
    15_000,
    30_000,
    60_000,
    120_000,
    300_000,
    600_000,
    900_000,
    1_800_000,
    3_600_000,
    7_200_000,
    10_800_000,
    21_600_000,
    43_200_000,
    86_400_000,
    2 * 86_400_000,
    7 * 86_400_000,
    14 * 86_400_000,
    30 * 86_400_000,
    91 * 86_400_000,
    365 * 86_400_000,
];

/// Top series kept when the histogram is split; the rest are summed as "other".
pub const SERIES_TOP: usize = 8;

/// The fewest buckets a histogram has when it may have that many (see [`histogram`]).
pub const MIN_BUCKETS: usize = 15;

/// Event counts per time bucket.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Histogram {
    /// Start of the first bucket (aligned to a multiple of `bucket_ms` since the epoch, UTC).
    pub start_ms: i64,
    /// Bucket width, one of [`BUCKET_SIZES_MS`].
    pub bucket_ms: i64,
    /// Events per bucket (rows without a time are not counted).
    pub counts: Vec<u64>,
    /// When split: one series per top value (most events first) and then "other" if any; each the
    /// same length as `counts`, summing to it.
    pub series: Vec<(String, Vec<u64>)>,
}

/// A histogram of `rows` over time with the smallest bucket size in [`BUCKET_SIZES_MS`] that
/// gives at most `target_buckets` aligned buckets (or the largest size), optionally split by a column (top [`SERIES_TOP`]).
/// Events that fall within fewer than [`MIN_BUCKETS`] buckets are centred in that many (fewer when
/// `target_buckets` is smaller).
pub fn histogram(
    store: &Store,
    rows: &[u32],
    target_buckets: usize,
    split_by: Option<Column>,
) -> Histogram {
    let Some(range) = time_range(store, rows) else {
        return Histogram { start_ms: 0, bucket_ms: 1000, counts: Vec::new(), series: Vec::new() };
    };
    let bins = bins_for(range, target_buckets);
    match split_by {
        None => histogram_in(store, rows, bins, None),
        Some(col) => {
            let dict = store.dictionary(col);
            let (times, ids) = (store.times(), store.column(col));
            let mut c = vec![0u32; dict.len()];
            for &r in rows {
                if times.get(r as usize).is_some_and(|&t| t != i64::MIN) {
                    if let Some(n) = ids.get(r as usize).and_then(|&id| c.get_mut(id as usize)) {
                        *n += 1;
                    }
                }
            }
            let names: Vec<String> = top(&c, dict, SERIES_TOP)
                .iter()
                .map(|&(_, id)| dict.get(id as usize).map_or("", |s| s).to_owned())
                .collect();
            histogram_in(store, rows, bins, Some((col, &names)))
        }
    }
}
