//! The time histogram of the matches, optionally split into one series per top value of a
//! column (the chart stacks them).

use super::count::top;
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
    let times = store.times();
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for &r in rows {
        if let Some(&t) = times.get(r as usize) {
            if t != i64::MIN {
                lo = lo.min(t);
                hi = hi.max(t);
            }
        }
    }
    if lo > hi {
        return Histogram { start_ms: 0, bucket_ms: 1000, counts: Vec::new(), series: Vec::new() };
    }
    let target = target_buckets.max(1) as i64;
    let bucket = BUCKET_SIZES_MS
        .iter()
        .copied()
        .find(|&b| hi.div_euclid(b) - lo.div_euclid(b) < target)
        .or_else(|| BUCKET_SIZES_MS.last().copied())
        .unwrap_or(86_400_000);
    let mut start = lo.div_euclid(bucket) * bucket;
    let mut nb = (hi.div_euclid(bucket) - lo.div_euclid(bucket) + 1) as usize;
    // Events within a few buckets (one event, a burst in one second) get empty buckets on both
    // sides, so the chart shows a bar in its context instead of one bar across the whole width.
    let min_buckets = MIN_BUCKETS.min(target_buckets);
    if nb < min_buckets {
        let pad = min_buckets - nb;
        start -= (pad / 2) as i64 * bucket;
        nb = min_buckets;
    }
    let mut counts = vec![0u64; nb];
    let slot = |t: i64| ((t - start) / bucket) as usize;
    let mut series = Vec::new();
    match split_by {
        None => {
            for &r in rows {
                if let Some(&t) = times.get(r as usize) {
                    if t != i64::MIN {
                        if let Some(c) = counts.get_mut(slot(t)) {
                            *c += 1;
                        }
                    }
                }
            }
        }
        Some(col) => {
            let dict = store.dictionary(col);
            let ids = store.column(col);
            let mut c = vec![0u32; dict.len()];
            for &r in rows {
                if times.get(r as usize).is_some_and(|&t| t != i64::MIN) {
                    if let Some(n) = ids.get(r as usize).and_then(|&id| c.get_mut(id as usize)) {
                        *n += 1;
                    }
                }
            }
            let tops = top(&c, dict, SERIES_TOP);
            // id → series index (tops.len() = "other").
            let mut which = vec![tops.len() as u32; dict.len()];
            for (i, &(_, id)) in tops.iter().enumerate() {
                if let Some(w) = which.get_mut(id as usize) {
                    *w = i as u32;
                }
            }
            let ns = tops.len() + 1;
            let mut grid = vec![0u64; nb * ns];
            for &r in rows {
                let (Some(&t), Some(&id)) = (times.get(r as usize), ids.get(r as usize)) else {
                    continue;
                };
                if t == i64::MIN {
                    continue;
                }
                let b = slot(t);
                let s = which.get(id as usize).copied().unwrap_or(tops.len() as u32) as usize;
                if let Some(g) = grid.get_mut(s * nb + b) {
                    *g += 1;
                }
                if let Some(c) = counts.get_mut(b) {
                    *c += 1;
                }
            }
            let mut chunks = grid.chunks(nb.max(1));
            for &(_, id) in &tops {
                let name = dict.get(id as usize).map_or("", |s| s).to_owned();
                series.push((name, chunks.next().map(<[u64]>::to_vec).unwrap_or_default()));
            }
            if let Some(other) = chunks.next() {
                if other.iter().any(|&x| x > 0) {
                    series.push(("other".to_owned(), other.to_vec()));
                }
            }
        }
    }
    Histogram { start_ms: start, bucket_ms: bucket, counts, series }
}
