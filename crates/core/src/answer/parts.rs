//! The mergeable halves of an answer, for a tab whose events are spread over several data
//! workers (`crate::shards`): what each worker counts over its own rows, and how the counts of all
//! of them make the answer one worker holding every row would give.
//!
//! A top-N list cannot be merged (a value ninth in each worker may be first overall), so a part
//! carries every value that occurs among the matches with its count ([`ValueCounts`]); the merge
//! adds them and cuts the top N with the same order as [`super::facet`] (count descending, then
//! value ascending). The histogram's buckets depend on the time range of *all* the matches, so it
//! is counted in a second round over buckets the merge chose ([`Bins`], [`histogram_in`]).
//! Equality with the single-worker answer is what `shards/tests.rs` checks.

use std::collections::HashMap;

use super::count::counts;
use super::facets::Facet;
use super::histogram::{Histogram, BUCKET_SIZES_MS, MIN_BUCKETS};
use super::services::ServiceSummary;
use crate::store::{Column, Store};

/// Every value of a column among some rows with its count (> 0), in no particular order.
pub type ValueCounts = Vec<(String, u64)>;

/// The values of `col` among `rows`, with their counts.
pub fn value_counts(store: &Store, rows: &[u32], col: Column) -> ValueCounts {
    named(store.dictionary(col), &counts(store, rows, col))
}

/// The values of `col` among the rows of `rows` that have a time (what the split histogram
/// counts its series over).
pub fn timed_value_counts(store: &Store, rows: &[u32], col: Column) -> ValueCounts {
    let times = store.times();
    let timed: Vec<u32> = rows
        .iter()
        .copied()
        .filter(|&r| times.get(r as usize).is_some_and(|&t| t != i64::MIN))
        .collect();
    value_counts(store, &timed, col)
}

fn named(dict: &[Box<str>], counts: &[u32]) -> ValueCounts {
    counts
        .iter()
        .enumerate()
        .filter(|(_, &c)| c > 0)
        .map(|(id, &c)| (dict.get(id).map_or("", |s| s).to_owned(), u64::from(c)))
        .collect()
}

/// The sum of several workers' counts.
pub fn add_counts<'a>(parts: impl IntoIterator<Item = &'a ValueCounts>) -> HashMap<String, u64> {
    let mut sum: HashMap<String, u64> = HashMap::new();
    for part in parts {
        for (v, c) in part {
            *sum.entry(v.clone()).or_insert(0) += c;
        }
    }
    sum
}

/// The `n` most frequent values, count descending then value ascending (the order of
/// [`super::facet`]'s list).
pub fn top_counts(sum: &HashMap<String, u64>, n: usize) -> Vec<(String, u64)> {
    top_of(sum.iter().map(|(v, &c)| (v.as_str(), c)), n)
}

/// The `n` largest counts of distinct `values` (count descending, then value ascending): the
/// first `n` selected in linear time, and only they sorted and copied (a facet over tens of
/// thousands of session labels is asked for its top ten).
pub fn top_of<'a>(values: impl Iterator<Item = (&'a str, u64)>, n: usize) -> Vec<(String, u64)> {
    let order = |a: &(&str, u64), b: &(&str, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
    let mut all: Vec<(&str, u64)> = values.collect();
    if n == 0 {
        return Vec::new();
    }
    if all.len() > n {
        all.select_nth_unstable_by(n - 1, order);
        all.truncate(n);
    }
    all.sort_unstable_by(order);
    all.into_iter().map(|(v, c)| (v.to_string(), c)).collect()
}

/// The facet of one part's counts whose values are distinct (no sum needed).
pub fn facet_of_distinct(values: &ValueCounts, rows: u64, n: usize) -> Facet {
    let values_top = top_of(values.iter().map(|(v, c)| (v.as_str(), *c)), n);
    let shown: u64 = values_top.iter().map(|(_, c)| c).sum();
    Facet { values: values_top, other: rows - shown.min(rows), distinct: values.len() as u64 }
}

pub fn facet_of(sum: &HashMap<String, u64>, rows: u64, n: usize) -> Facet {
    let values = top_counts(sum, n);
    let shown: u64 = values.iter().map(|(_, c)| c).sum();
    Facet { values, other: rows - shown.min(rows), distinct: sum.len() as u64 }
}

/// One service among one worker's matches: what its summary adds up from.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ServicePart {
    pub service: String,
    pub events: u64,
    pub errors: u64,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    pub actions: ValueCounts,
    pub callers: ValueCounts,
}

/// The service parts of `rows`, one per service among them.
pub fn service_parts(store: &Store, rows: &[u32]) -> Vec<ServicePart> {
    let svc = store.column(Column::Service);
    let mut groups: Vec<Vec<u32>> = vec![Vec::new(); store.dictionary(Column::Service).len()];
    for &r in rows {
        if let Some(g) = svc.get(r as usize).and_then(|&id| groups.get_mut(id as usize)) {
            g.push(r);
        }
    }
    let (ecol, times) = (store.column(Column::ErrorCode), store.times());
    let sdict = store.dictionary(Column::Service);
    groups
        .iter()
        .enumerate()
        .filter(|(_, g)| !g.is_empty())
        .map(|(id, g)| {
            let errors = g.iter().filter(|&&r| ecol.get(r as usize).is_some_and(|&e| e != 0));
            let timed = g.iter().filter_map(|&r| times.get(r as usize).copied());
            let (first, last) = timed.filter(|&t| t != i64::MIN).fold(
                (None, None),
                |(lo, hi): (Option<i64>, Option<i64>), t| {
                    (Some(lo.map_or(t, |x| x.min(t))), Some(hi.map_or(t, |x| x.max(t))))
                },
            );
            ServicePart {
                service: sdict.get(id).map_or("", |s| s).to_owned(),
                events: g.len() as u64,
                errors: errors.count() as u64,
                first_ms: first,
                last_ms: last,
                actions: value_counts(store, g, Column::Action),
                callers: value_counts(store, g, Column::User),
            }
        })
        .collect()
}

/// The per-service summary of every worker's parts, as [`super::service_summary`] gives it over
/// all the rows.
pub fn merge_services<'a>(parts: impl IntoIterator<Item = &'a ServicePart>) -> Vec<ServiceSummary> {
    const TOP: usize = 5;
    let mut by: HashMap<&str, Vec<&ServicePart>> = HashMap::new();
    for p in parts {
        by.entry(p.service.as_str()).or_default().push(p);
    }
    let mut out: Vec<ServiceSummary> = by
        .into_iter()
        .map(|(service, ps)| {
            let events: u64 = ps.iter().map(|p| p.events).sum();
            let errors: u64 = ps.iter().map(|p| p.errors).sum();
            let actions = add_counts(ps.iter().map(|p| &p.actions));
            let callers = add_counts(ps.iter().map(|p| &p.callers));
            ServiceSummary {
                service: service.to_owned(),
                events,
                distinct_actions: actions.len() as u64,
                errors,
                error_rate: errors as f64 / events.max(1) as f64,
                top_actions: top_counts(&actions, TOP),
                top_callers: top_counts(&callers, TOP),
                first_ms: ps.iter().filter_map(|p| p.first_ms).min(),
                last_ms: ps.iter().filter_map(|p| p.last_ms).max(),
            }
        })
        .collect();
    out.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.service.cmp(&b.service)));
    out
}

/// The buckets of a histogram: the first one's start, their width, how many.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Bins {
    pub start_ms: i64,
    pub bucket_ms: i64,
    pub count: usize,
}

/// The earliest and latest time among `rows` (rows without a time left out).
pub fn time_range(store: &Store, rows: &[u32]) -> Option<(i64, i64)> {
    let times = store.times();
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for &r in rows {
        if let Some(&t) = times.get(r as usize).filter(|&&t| t != i64::MIN) {
            lo = lo.min(t);
            hi = hi.max(t);
        }
    }
    (lo <= hi).then_some((lo, hi))
}

/// The buckets for events between `lo` and `hi`: the smallest size in [`BUCKET_SIZES_MS`] that
/// gives fewer than `target_buckets` aligned buckets (or the largest size); events within fewer
/// than [`MIN_BUCKETS`] buckets are centred in that many (fewer when `target_buckets` is smaller).
pub fn bins_for((lo, hi): (i64, i64), target_buckets: usize) -> Bins {
    let target = target_buckets.max(1) as i64;
    let bucket = BUCKET_SIZES_MS
        .iter()
        .copied()
        .find(|&b| hi.div_euclid(b) - lo.div_euclid(b) < target)
        .or_else(|| BUCKET_SIZES_MS.last().copied())
        .unwrap_or(86_400_000);
    let mut start = lo.div_euclid(bucket) * bucket;
    let mut count = (hi.div_euclid(bucket) - lo.div_euclid(bucket) + 1) as usize;
    // Events within a few buckets (one event, a burst in one second) get empty buckets on both
    // sides, so the chart shows a bar in its context instead of one bar across the whole width.
    let min_buckets = MIN_BUCKETS.min(target_buckets);
    if count < min_buckets {
        let pad = min_buckets - count;
        start -= (pad / 2) as i64 * bucket;
        count = min_buckets;
    }
    Bins { start_ms: start, bucket_ms: bucket, count }
}

/// The histogram of `rows` over `bins`, split by `split` (a column and the values that get a
/// series each, in order; every other value goes to "other", listed only when it has events).
/// Times outside the bins are not counted.
pub fn histogram_in(
    store: &Store,
    rows: &[u32],
    bins: Bins,
    split: Option<(Column, &[String])>,
) -> Histogram {
    let Bins { start_ms: start, bucket_ms: bucket, count: nb } = bins;
    let times = store.times();
    let slot = |t: i64| (t >= start).then(|| ((t - start) / bucket.max(1)) as usize);
    let mut counts = vec![0u64; nb];
    let Some((col, names)) = split else {
        for &r in rows {
            if let Some(b) =
                times.get(r as usize).filter(|&&t| t != i64::MIN).and_then(|&t| slot(t))
            {
                if let Some(c) = counts.get_mut(b) {
                    *c += 1;
                }
            }
        }
        return Histogram { start_ms: start, bucket_ms: bucket, counts, series: Vec::new() };
    };
    let dict = store.dictionary(col);
    let ids = store.column(col);
    // id → series index (names.len() = "other").
    let mut which = vec![names.len(); dict.len()];
    let index: HashMap<&str, usize> =
        names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    for (id, s) in dict.iter().enumerate() {
        if let (Some(&i), Some(w)) = (index.get(&**s), which.get_mut(id)) {
            *w = i;
        }
    }
    let ns = names.len() + 1;
    let mut grid = vec![0u64; nb * ns];
    for &r in rows {
        let (Some(&t), Some(&id)) = (times.get(r as usize), ids.get(r as usize)) else {
            continue;
        };
        let Some(b) = (t != i64::MIN).then(|| slot(t)).flatten().filter(|&b| b < nb) else {
            continue;
        };
        let s = which.get(id as usize).copied().unwrap_or(names.len());
        if let Some(g) = grid.get_mut(s * nb + b) {
            *g += 1;
        }
        if let Some(c) = counts.get_mut(b) {
            *c += 1;
        }
    }
    let mut chunks = grid.chunks(nb.max(1));
    let mut series = Vec::new();
    for name in names {
        series.push((name.clone(), chunks.next().map(<[u64]>::to_vec).unwrap_or_default()));
    }
    if let Some(other) = chunks.next() {
        if other.iter().any(|&x| x > 0) {
            series.push(("other".to_owned(), other.to_vec()));
        }
    }
    Histogram { start_ms: start, bucket_ms: bucket, counts, series }
}

/// The sum of histograms over the same bins (the first's bins; series by position, "other"
/// present when any has it).
pub fn add_histograms<'a>(parts: impl IntoIterator<Item = &'a Histogram>) -> Histogram {
    let mut out: Option<Histogram> = None;
    for h in parts {
        let Some(o) = &mut out else {
            out = Some(h.clone());
            continue;
        };
        for (a, b) in o.counts.iter_mut().zip(&h.counts) {
            *a += b;
        }
        for (name, values) in &h.series {
            match o.series.iter_mut().find(|(n, _)| n == name) {
                Some((_, acc)) => acc.iter_mut().zip(values).for_each(|(a, b)| *a += b),
                None => o.series.push((name.clone(), values.clone())),
            }
        }
    }
    out.unwrap_or_default()
}
