//! Facets: the most frequent values of a column among the matches, for the sidebar.

use super::count::{counts, top};
use crate::store::{Column, Store};

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
