//! A row's place in the table order as a value ([`SortPoint`]) that compares the same way in
//! every data worker, so the pages of several workers' orders can be merged (`crate::shards`).
//!
//! Within one store a column sorts by its values' ranks (`sort.rs`); across stores the ranks
//! differ, so a point carries the text itself and compares it as the ranks were made: ASCII
//! case-insensitively, then exactly. Ties go by time, then by the row's id in the whole tab,
//! which within one worker grows with its own row id: the order of one worker's points is its
//! own order.

use std::cmp::Ordering;

use super::sort::SortKey;
use crate::store::Store;

/// One row's sort key: the sort column's text (`None` when the order is by time), its time
/// (`i64::MIN` without one) and its id in the whole tab.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct SortPoint {
    pub text: Option<String>,
    pub time: i64,
    pub row: u32,
}

fn text_cmp(x: &str, y: &str) -> Ordering {
    x.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(y.bytes().map(|c| c.to_ascii_lowercase()))
        .then_with(|| x.cmp(y))
}

/// The ascending order of points.
pub fn compare_points(a: &SortPoint, b: &SortPoint) -> Ordering {
    order_points(a, b, false)
}

/// The order by text, time and row, which descending reverses.
fn reversible(a: &SortPoint, b: &SortPoint) -> Ordering {
    let text = match (&a.text, &b.text) {
        (Some(x), Some(y)) => text_cmp(x, y),
        (x, y) => x.is_some().cmp(&y.is_some()),
    };
    text.then(a.time.cmp(&b.time)).then(a.row.cmp(&b.row))
}

/// A point of a time order (no text) without a time: last in both directions.
fn untimed(p: &SortPoint) -> bool {
    p.text.is_none() && p.time == i64::MIN
}

/// The order of points in a table sorted ascending or `descending`: the reverse, but for the
/// rows without a time of a time order, which come last in both (`sort.rs`).
pub fn order_points(a: &SortPoint, b: &SortPoint, descending: bool) -> Ordering {
    let o = reversible(a, b);
    untimed(a).cmp(&untimed(b)).then(if descending { o.reverse() } else { o })
}

/// The point of `row` (a row of `store`) whose id in the whole tab is `id`.
pub fn sort_point(store: &Store, row: u32, key: SortKey, id: u32) -> SortPoint {
    let r = row as usize;
    SortPoint {
        text: match key {
            SortKey::Time => None,
            SortKey::Column(c) => Some(store.get(r, c).to_owned()),
        },
        time: store.times().get(r).copied().unwrap_or(i64::MIN),
        row: id,
    }
}

/// How many of `sorted` (a table order whose points `point_of` gives) come before `p` in that
/// order.
pub fn rank_in(
    sorted: &[u32],
    point_of: impl Fn(u32) -> SortPoint,
    p: &SortPoint,
    descending: bool,
) -> usize {
    sorted.partition_point(|&r| order_points(&point_of(r), p, descending) == Ordering::Less)
}
