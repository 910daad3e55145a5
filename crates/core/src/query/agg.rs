//! Aggregations over a query result (a slice of row ids): facets, the time histogram, the
//! per-service summary, sorting and paging, and nested-field text for table cells.
//!
//! Everything counts per dictionary id in a `Vec<u32>` sized to the column's dictionary (a few
//! thousand entries at most in practice), so a facet over a million rows is one pass of array
//! increments with no hashing.

use super::parse::{resolve_alias, Alias};
use super::path::path_values;
use crate::store::{Column, Store};
use crate::time::format_ms;

/// Counts per value of a column over some rows.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Facet {
    /// The `top_n` most frequent values (count descending, then value ascending). The missing
    /// value is the empty string.
    pub values: Vec<(String, u64)>,
    /// Rows whose value is not among `values`.
    pub other: u64,
    /// Distinct values among the rows (the empty value included).
    pub distinct: u64,
}

fn counts(store: &Store, rows: &[u32], col: Column) -> Vec<u32> {
    let ids = store.column(col);
    let mut c = vec![0u32; store.dictionary(col).len()];
    for &r in rows {
        if let Some(&id) = ids.get(r as usize) {
            if let Some(slot) = c.get_mut(id as usize) {
                *slot += 1;
            }
        }
    }
    c
}

/// The `top_n` (count, id) pairs of a counter, count descending then value ascending.
fn top(counts: &[u32], dict: &[Box<str>], top_n: usize) -> Vec<(u32, u32)> {
    let mut nz: Vec<(u32, u32)> =
        counts.iter().enumerate().filter(|(_, &c)| c > 0).map(|(i, &c)| (c, i as u32)).collect();
    let key =
        |&(c, id): &(u32, u32)| (std::cmp::Reverse(c), dict.get(id as usize).map_or("", |s| s));
    if nz.len() > top_n && top_n > 0 {
        nz.select_nth_unstable_by(top_n - 1, |a, b| key(a).cmp(&key(b)));
        nz.truncate(top_n);
    }
    nz.sort_by(|a, b| key(a).cmp(&key(b)));
    nz.truncate(top_n);
    nz
}

/// Top `top_n` values of `col` among `rows`, with the rest summed in `other`.
pub fn facet(store: &Store, rows: &[u32], col: Column, top_n: usize) -> Facet {
    let c = counts(store, rows, col);
    let dict = store.dictionary(col);
    let distinct = c.iter().filter(|&&x| x > 0).count() as u64;
    let t = top(&c, dict, top_n);
    let shown: u64 = t.iter().map(|&(c, _)| u64::from(c)).sum();
    Facet {
        values: t
            .iter()
            .map(|&(c, id)| (dict.get(id as usize).map_or("", |s| s).to_owned(), u64::from(c)))
            .collect(),
        other: rows.len() as u64 - shown.min(rows.len() as u64),
        distinct,
    }
}

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

/// One service's activity among some rows.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ServiceSummary {
    pub service: String,
    pub events: u64,
    pub distinct_actions: u64,
    /// Events with an errorCode.
    pub errors: u64,
    /// `errors / events`.
    pub error_rate: f64,
    /// Up to 5 (action, events), most first.
    pub top_actions: Vec<(String, u64)>,
    /// Up to 5 (user, events), most first.
    pub top_callers: Vec<(String, u64)>,
    /// Earliest and latest event time (None when no event has a time).
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
}

/// Per-service summaries of `rows`, most events first.
pub fn service_summary(store: &Store, rows: &[u32]) -> Vec<ServiceSummary> {
    const TOP: usize = 5;
    let sdict = store.dictionary(Column::Service);
    let svc = store.column(Column::Service);
    // Group rows by service (counting sort).
    let per = counts(store, rows, Column::Service);
    let mut offsets = vec![0usize; per.len() + 1];
    for (i, &c) in per.iter().enumerate() {
        let prev = offsets.get(i).copied().unwrap_or(0);
        if let Some(o) = offsets.get_mut(i + 1) {
            *o = prev + c as usize;
        }
    }
    let mut fill = offsets.clone();
    let mut grouped = vec![0u32; rows.len()];
    for &r in rows {
        let id = svc.get(r as usize).copied().unwrap_or(0) as usize;
        if let Some(f) = fill.get_mut(id) {
            if let Some(g) = grouped.get_mut(*f) {
                *g = r;
            }
            *f += 1;
        }
    }
    let (adict, udict) = (store.dictionary(Column::Action), store.dictionary(Column::User));
    let (acol, ucol, ecol) =
        (store.column(Column::Action), store.column(Column::User), store.column(Column::ErrorCode));
    let times = store.times();
    let mut acount = vec![0u32; adict.len()];
    let mut ucount = vec![0u32; udict.len()];
    let mut out = Vec::new();
    for (sid, &n) in per.iter().enumerate() {
        if n == 0 {
            continue;
        }
        let (s, e) =
            (offsets.get(sid).copied().unwrap_or(0), offsets.get(sid + 1).copied().unwrap_or(0));
        let group = grouped.get(s..e).unwrap_or(&[]);
        let mut errors = 0u64;
        let (mut first, mut last) = (i64::MAX, i64::MIN);
        for &r in group {
            let r = r as usize;
            if let Some(c) = acol.get(r).and_then(|&a| acount.get_mut(a as usize)) {
                *c += 1;
            }
            if let Some(c) = ucol.get(r).and_then(|&u| ucount.get_mut(u as usize)) {
                *c += 1;
            }
            if ecol.get(r).is_some_and(|&e| e != 0) {
                errors += 1;
            }
            if let Some(&t) = times.get(r).filter(|&&t| t != i64::MIN) {
                first = first.min(t);
                last = last.max(t);
            }
        }
        let distinct_actions = acount.iter().filter(|&&c| c > 0).count() as u64;
        let name = |d: &[Box<str>], id: u32| d.get(id as usize).map_or("", |s| s).to_owned();
        let top_actions = top(&acount, adict, TOP)
            .into_iter()
            .map(|(c, id)| (name(adict, id), u64::from(c)))
            .collect();
        let top_callers = top(&ucount, udict, TOP)
            .into_iter()
            .map(|(c, id)| (name(udict, id), u64::from(c)))
            .collect();
        // Reset only what this group touched.
        for &r in group {
            if let Some(c) = acol.get(r as usize).and_then(|&a| acount.get_mut(a as usize)) {
                *c = 0;
            }
            if let Some(c) = ucol.get(r as usize).and_then(|&u| ucount.get_mut(u as usize)) {
                *c = 0;
            }
        }
        let events = u64::from(n);
        out.push(ServiceSummary {
            service: name(sdict, sid as u32),
            events,
            distinct_actions,
            errors,
            error_rate: errors as f64 / events as f64,
            top_actions,
            top_callers,
            first_ms: (first <= last).then_some(first),
            last_ms: (first <= last).then_some(last),
        });
    }
    out.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.service.cmp(&b.service)));
    out
}

/// What to sort the table by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SortKey {
    /// Event time (rows without a time sort first).
    Time,
    /// A column's text (case-insensitive, then exact), ties by time.
    Column(Column),
}

/// Rank of each dictionary id in the column's sorted order (equal strings never occur).
fn ranks(store: &Store, col: Column) -> Vec<u32> {
    let dict = store.dictionary(col);
    let mut order: Vec<u32> = (0..dict.len() as u32).collect();
    let s = |id: u32| dict.get(id as usize).map_or("", |s| s);
    order.sort_unstable_by(|&a, &b| {
        let (x, y) = (s(a), s(b));
        x.bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(y.bytes().map(|c| c.to_ascii_lowercase()))
            .then_with(|| x.cmp(y))
    });
    let mut rank = vec![0u32; dict.len()];
    for (i, &id) in order.iter().enumerate() {
        if let Some(r) = rank.get_mut(id as usize) {
            *r = i as u32;
        }
    }
    rank
}

/// The sort key of every row as (primary, time, row): ascending order of these is the order.
fn keys(store: &Store, rows: &[u32], key: SortKey) -> Vec<(u32, i64, u32)> {
    let times = store.times();
    let t = |r: u32| times.get(r as usize).copied().unwrap_or(i64::MIN);
    match key {
        SortKey::Time => rows.iter().map(|&r| (0, t(r), r)).collect(),
        SortKey::Column(c) => {
            let rank = ranks(store, c);
            let ids = store.column(c);
            rows.iter()
                .map(|&r| {
                    let id = ids.get(r as usize).copied().unwrap_or(0);
                    (rank.get(id as usize).copied().unwrap_or(0), t(r), r)
                })
                .collect()
        }
    }
}

/// `rows` sorted by `key`, ties by time then row; `descending` is the exact reverse order.
pub fn sort_rows(store: &Store, rows: &[u32], key: SortKey, descending: bool) -> Vec<u32> {
    let mut k = keys(store, rows, key);
    k.sort_unstable();
    if descending {
        k.reverse();
    }
    k.into_iter().map(|(_, _, r)| r).collect()
}

/// `sorted[offset..offset + limit]`, clamped.
pub fn page(sorted: &[u32], offset: usize, limit: usize) -> &[u32] {
    let s = offset.min(sorted.len());
    let e = offset.saturating_add(limit).min(sorted.len());
    sorted.get(s..e).unwrap_or(&[])
}

/// The same rows as `page(&sort_rows(store, rows, key, descending), offset, limit)`, without
/// sorting everything. For a near page (offset + limit ≤ 4096) one pass keeps the best keys in a
/// bounded heap, walking the rows from the end when descending (data loaded in time order then
/// fills the heap with the winners at once and rejects the rest with one comparison each);
/// deeper pages select the first `offset + limit` keys in linear time. Only the kept keys are
/// sorted. Use it when the table asks for one page of a big result.
pub fn sorted_page(
    store: &Store,
    rows: &[u32],
    key: SortKey,
    descending: bool,
    offset: usize,
    limit: usize,
) -> Vec<u32> {
    type K = (u32, i64, u32);
    let want = offset.saturating_add(limit).min(rows.len());
    if want == 0 {
        return Vec::new();
    }
    // Descending = ascending order of the inverted key.
    let inv = |k: K| if descending { (u32::MAX - k.0, !k.1, u32::MAX - k.2) } else { k };
    let mut kept: Vec<K> = if want <= 4096 && want < rows.len() {
        let times = store.times();
        let rank = match key {
            SortKey::Time => Vec::new(),
            SortKey::Column(c) => ranks(store, c),
        };
        let ids = match key {
            SortKey::Time => &[][..],
            SortKey::Column(c) => store.column(c),
        };
        let key_of = |r: u32| -> K {
            let t = times.get(r as usize).copied().unwrap_or(i64::MIN);
            let p = ids.get(r as usize).and_then(|&id| rank.get(id as usize)).copied().unwrap_or(0);
            inv((p, t, r))
        };
        let mut heap = std::collections::BinaryHeap::with_capacity(want + 1);
        let mut push = |r: u32| {
            let k = key_of(r);
            if heap.len() < want {
                heap.push(k);
            } else if heap.peek().is_some_and(|top| k < *top) {
                heap.pop();
                heap.push(k);
            }
        };
        if descending {
            rows.iter().rev().for_each(|&r| push(r));
        } else {
            rows.iter().for_each(|&r| push(r));
        }
        heap.into_vec()
    } else {
        let mut k: Vec<K> = keys(store, rows, key).into_iter().map(inv).collect();
        if want < k.len() {
            k.select_nth_unstable(want - 1);
            k.truncate(want);
        }
        k
    };
    kept.sort_unstable();
    kept.into_iter().skip(offset).take(limit).map(|k| inv(k).2).collect()
}

/// The text of a field for one row: a field name of the language (`user`, `service`, `time`…) or
/// a nested path (`requestParameters.bucketName`, `$.anyKey`). Several values (arrays) are joined
/// with ", "; objects are compact JSON. `None` when the field has no value.
pub fn field_text(store: &Store, row: usize, path: &str) -> Option<String> {
    if row >= store.len() {
        return None;
    }
    match resolve_alias(path) {
        Some(Alias::Column(c)) => {
            let v = store.get(row, c);
            return (!v.is_empty()).then(|| v.to_owned());
        }
        Some(Alias::Time) => return store.time_ms(row).map(format_ms),
        Some(Alias::Last) => return None,
        None => {}
    }
    let body = path.strip_prefix("$.").unwrap_or(path);
    let segs: Vec<String> = body.split('.').map(str::to_ascii_lowercase).collect();
    let vals = path_values(store.raw(row), &segs);
    (!vals.is_empty()).then(|| vals.join(", "))
}
