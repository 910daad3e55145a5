//! Counting per dictionary id, shared by the facets, the split histogram and the service
//! summary: a `Vec<u32>` sized to the column's dictionary (a few thousand entries at most in
//! practice), so counting a million rows is one pass of array increments with no hashing.

use crate::store::{Column, Store};

pub(super) fn counts(store: &Store, rows: &[u32], col: Column) -> Vec<u32> {
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
pub(super) fn top(counts: &[u32], dict: &[Box<str>], top_n: usize) -> Vec<(u32, u32)> {
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
