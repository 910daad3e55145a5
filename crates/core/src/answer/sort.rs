//! The table's order and its pages: sorting the matches by time or a column's text, one page of
//! that order without sorting everything, and stepping through the order from a row.
//!
//! A column sorts by each dictionary id's rank in the column's sorted values, so comparing two
//! rows compares two integers; ties go by time, then row id, which makes every order total and
//! descending its exact reverse, but for one thing: by time, rows without a time come after
//! every timed row in both directions (so the table never opens on them).

use crate::store::{Column, Store};

/// What to sort the table by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SortKey {
    /// Event time (rows without a time last, in both directions).
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

/// A row's sort key: (primary, time, row).
type Key = (u32, i64, u32);

/// The sort key of a row as (primary, time, row): ascending order of these is the order. The
/// primary is the column value's rank, or by time 1 for a row without one and 0 otherwise.
fn key_fn(store: &Store, key: SortKey) -> impl Fn(u32) -> Key + '_ {
    let times = store.times();
    let (rank, ids) = match key {
        SortKey::Time => (Vec::new(), &[][..]),
        SortKey::Column(c) => (ranks(store, c), store.column(c)),
    };
    move |r: u32| {
        let t = times.get(r as usize).copied().unwrap_or(i64::MIN);
        let p = match key {
            SortKey::Time => u32::from(t == i64::MIN),
            SortKey::Column(_) => {
                ids.get(r as usize).and_then(|&id| rank.get(id as usize)).copied().unwrap_or(0)
            }
        };
        (p, t, r)
    }
}

/// The key whose ascending order is the order of `key` descending: every part reversed but the
/// primary of a time order (rows without a time stay last).
fn descending_key(key: SortKey) -> impl Fn(Key) -> Key {
    move |k: Key| match key {
        SortKey::Time => (k.0, !k.1, u32::MAX - k.2),
        SortKey::Column(_) => (u32::MAX - k.0, !k.1, u32::MAX - k.2),
    }
}

/// `rows` sorted by `key`, ties by time then row; `descending` is the reverse order (but rows
/// without a time stay last in a time order).
pub fn sort_rows(store: &Store, rows: &[u32], key: SortKey, descending: bool) -> Vec<u32> {
    let (key_of, inv) = (key_fn(store, key), ordered(key, descending));
    let mut k: Vec<Key> = rows.iter().map(|&r| inv(key_of(r))).collect();
    k.sort_unstable();
    k.into_iter().map(|x| inv(x).2).collect()
}

/// The key whose ascending order is the table's order: the row's own, or descending's.
/// Its own inverse, so it also turns a sorted key back into the row's.
fn ordered(key: SortKey, descending: bool) -> impl Fn(Key) -> Key {
    let down = descending_key(key);
    move |k| if descending { down(k) } else { k }
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
    let want = offset.saturating_add(limit).min(rows.len());
    if want == 0 {
        return Vec::new();
    }
    let (own, inv) = (key_fn(store, key), ordered(key, descending));
    let key_of = |r: u32| inv(own(r));
    let mut kept: Vec<Key> = if want <= 4096 && want < rows.len() {
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
        let mut k: Vec<Key> = rows.iter().map(|&r| key_of(r)).collect();
        if want < k.len() {
            k.select_nth_unstable(want - 1);
            k.truncate(want);
        }
        k
    };
    kept.sort_unstable();
    kept.into_iter().skip(offset).take(limit).map(|k| inv(k).2).collect()
}

/// The position `by` steps from `current`'s in `order` (clamped); the first position when nothing
/// is selected or the selection is not in the list.
pub fn step_position(order: &[u32], current: Option<u32>, by: i64) -> Option<usize> {
    if order.is_empty() {
        return None;
    }
    match current.and_then(|c| order.iter().position(|&r| r == c)) {
        None => Some(0),
        Some(p) => Some((p as i64 + by).clamp(0, order.len() as i64 - 1) as usize),
    }
}
