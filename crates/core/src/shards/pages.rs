//! A page of the merged order without holding it: positions `offset..offset + limit` of the
//! order every worker's rows would have together.
//!
//! Each worker's answer carries every `stride`-th sort point of its order, so for any point the
//! merge knows within a stride how many of a worker's rows come before it. From those bounds it
//! picks a point `lo` certainly at or before the page's first row and a point `hi` certainly
//! after its last ([`window`]); each worker then says where `lo` falls in its order and sends the
//! points from there to `hi` (a page plus about two strides per worker). Merged, they place the
//! page exactly, and each worker is asked for its stretch of it ([`plan`]). Two round trips,
//! whatever the depth of the page.

use std::cmp::Ordering;

use super::merge::{Order, Orders};
use crate::answer::{order_points, SortPoint};

/// Bounds of how many rows of worker order `o` come before `p`.
fn rank_bounds(o: &Order, p: &SortPoint, descending: bool) -> (usize, usize) {
    let before = o.samples.partition_point(|s| order_points(s, p, descending) == Ordering::Less);
    if before == 0 {
        return (0, 0);
    }
    let lo = (before - 1) * o.stride + 1;
    let hi = (before * o.stride).min(o.count);
    (lo.min(hi), hi)
}

/// Points `lo` (None: the start) and `hi` (None: the end) such that positions
/// `offset..offset + limit` of the merged order lie at or after `lo` and before `hi`.
pub(super) fn window(
    orders: &Orders,
    offset: usize,
    limit: usize,
) -> (Option<SortPoint>, Option<SortPoint>) {
    let desc = orders.descending;
    let mut all: Vec<&SortPoint> = orders.shards.iter().flat_map(|o| &o.samples).collect();
    all.sort_by(|a, b| order_points(a, b, desc));
    let bounds = |p: &SortPoint| {
        orders
            .shards
            .iter()
            .map(|o| rank_bounds(o, p, desc))
            .fold((0, 0), |(a, b), (x, y)| (a + x, b + y))
    };
    // The sums of the bounds grow along `all`, so both ends are found by bisection.
    let n_lo = all.partition_point(|p| bounds(p).1 <= offset);
    let lo = n_lo.checked_sub(1).and_then(|i| all.get(i)).map(|p| (*p).clone());
    let end = offset.saturating_add(limit);
    let n_hi = all.partition_point(|p| bounds(p).0 < end);
    let hi = all.get(n_hi).map(|p| (*p).clone());
    (lo, hi)
}

/// When positions `offset..offset + limit` of the merged order lie among every worker's head
/// (its first rows' points: none of a worker's rows past its head can be in the page), each
/// worker's range from its start, for [`plan`] without asking the workers.
pub(super) fn from_heads(
    orders: &Orders,
    offset: usize,
    limit: usize,
) -> Option<Vec<(usize, Vec<SortPoint>)>> {
    let end = offset.checked_add(limit)?;
    let whole = |o: &Order| o.head.len() == o.count || o.head.len() >= end;
    orders
        .shards
        .iter()
        .all(whole)
        .then(|| orders.shards.iter().map(|o| (0, o.head.clone())).collect())
}

/// Which stretch of its order each worker gives to the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Plan {
    /// Per worker: (its first position, how many rows).
    pub stretches: Vec<(usize, usize)>,
    /// The worker of each row of the page, in page order.
    pub sequence: Vec<u32>,
}

/// The page `offset..offset + limit` from each worker's reply to the window: where `lo` falls in
/// its order and the points from there.
pub(super) fn plan(
    descending: bool,
    ranges: &[(usize, Vec<SortPoint>)],
    offset: usize,
    limit: usize,
) -> Plan {
    let before: usize = ranges.iter().map(|(start, _)| start).sum();
    let mut merged: Vec<(u32, &SortPoint)> = ranges
        .iter()
        .enumerate()
        .flat_map(|(w, (_, pts))| pts.iter().map(move |p| (w as u32, p)))
        .collect();
    merged.sort_by(|a, b| order_points(a.1, b.1, descending));
    let skip = offset.saturating_sub(before);
    let page: Vec<u32> = merged.iter().skip(skip).take(limit).map(|(w, _)| *w).collect();
    let mut stretches: Vec<(usize, usize)> = ranges.iter().map(|(s, _)| (*s, 0)).collect();
    for (w, _) in merged.iter().take(skip) {
        if let Some(s) = stretches.get_mut(*w as usize) {
            s.0 += 1;
        }
    }
    for &w in &page {
        if let Some(s) = stretches.get_mut(w as usize) {
            s.1 += 1;
        }
    }
    Plan { stretches, sequence: page }
}

/// The page's rows (or lines) from each worker's stretch, in the merged order.
pub(super) fn interleave<T>(sequence: &[u32], pages: Vec<Vec<T>>) -> Vec<T> {
    let mut its: Vec<_> = pages.into_iter().map(Vec::into_iter).collect();
    sequence.iter().filter_map(|&w| its.get_mut(w as usize).and_then(Iterator::next)).collect()
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Worker orders of points with these times (each already in order), sampled every
    /// `stride`.
    fn orders(times: &[Vec<i64>], stride: usize) -> (Orders, Vec<Vec<SortPoint>>) {
        let of = times.len() as u32;
        let pts: Vec<Vec<SortPoint>> = times
            .iter()
            .enumerate()
            .map(|(w, ts)| {
                ts.iter()
                    .enumerate()
                    .map(|(i, &t)| SortPoint { text: None, time: t, row: i as u32 * of + w as u32 })
                    .collect()
            })
            .collect();
        let shards = pts
            .iter()
            .map(|p| Order {
                answer: 1,
                count: p.len(),
                stride,
                samples: p.iter().step_by(stride).cloned().collect(),
                head: p.iter().take(100).cloned().collect(),
            })
            .collect();
        (Orders { id: 1, descending: false, shards }, pts)
    }

    /// The worker's reply to a window: where lo falls and the points before hi.
    fn range(
        p: &[SortPoint],
        lo: &Option<SortPoint>,
        hi: &Option<SortPoint>,
    ) -> (usize, Vec<SortPoint>) {
        let rank =
            |x: &SortPoint| p.partition_point(|q| order_points(q, x, false) == Ordering::Less);
        let s = lo.as_ref().map_or(0, rank);
        let e = hi.as_ref().map_or(p.len(), rank).max(s);
        (s, p[s..e].to_vec())
    }

    #[test]
    fn every_page_is_the_merged_orders_page() {
        // Three workers, overlapping times with ties.
        let times: Vec<Vec<i64>> = (0..3)
            .map(|w| {
                let mut v: Vec<i64> = (0..700).map(|i| (i * (w + 3) * 7 % 1000) as i64).collect();
                v.sort_unstable();
                v
            })
            .collect();
        let (ord, pts) = orders(&times, 16);
        let mut all: Vec<SortPoint> = pts.concat();
        all.sort_by(|a, b| order_points(a, b, false));
        // Placed through a window, and (within the first 100 rows) from the heads alone.
        let cases = [(0, 40), (1, 1), (333, 50), (2050, 40), (2099, 5), (2100, 10), (60, 40)];
        for (offset, limit, heads) in cases.iter().flat_map(|&(o, l)| [(o, l, false), (o, l, true)])
        {
            let from_heads = from_heads(&ord, offset, limit);
            assert_eq!(from_heads.is_some(), offset + limit <= 100, "offset {offset}");
            let ranges: Vec<_> = match (heads, from_heads) {
                (true, Some(r)) => r,
                (true, None) => continue,
                (false, _) => {
                    let (lo, hi) = window(&ord, offset, limit);
                    pts.iter().map(|p| range(p, &lo, &hi)).collect()
                }
            };
            let window_len: usize = ranges.iter().map(|r| r.1.len()).sum();
            assert!(window_len <= limit + 2 * 3 * 16 + 3 || heads, "window of {window_len}");
            let plan = plan(false, &ranges, offset, limit);
            let got: Vec<u32> = plan
                .sequence
                .iter()
                .scan(plan.stretches.clone(), |st, &w| {
                    let s = &mut st[w as usize];
                    let p = &pts[w as usize][s.0];
                    s.0 += 1;
                    Some(p.row)
                })
                .collect();
            let want: Vec<u32> = all.iter().skip(offset).take(limit).map(|p| p.row).collect();
            assert_eq!(got, want, "offset {offset}");
        }
    }
}
