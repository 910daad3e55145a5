//! The answers the views show, derived from the dataset and the view state: the query's matches,
//! their sorted order, facets, the time histogram and the per-service summary.
//!
//! Each is a `Memo`, so it recomputes only when what it reads changes, and only when something
//! reads it (the service summary costs nothing while its panel is closed). Row-id lists are
//! compared by identity (`RowIds`), never element by element. The engine does the work; this
//! module only decides when.

use std::sync::Arc;

use leptos::prelude::*;
use trailglass_core::query::{facet, histogram, parse, service_summary, sort_rows, Facet, Histogram, QueryError, ServiceSummary};
use trailglass_core::{Column, Store};

use crate::state::{Dataset, ViewState};

/// Row ids in some order. Compared by identity, not content: a new list is a new answer, and
/// comparing a million ids on every change would cost more than re-rendering.
#[derive(Clone, Debug, Default)]
pub struct RowIds(pub Arc<[u32]>);

impl PartialEq for RowIds {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl RowIds {
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The facet fields of the sidebar, with their query-language names and labels.
pub const FACETS: [(Column, &str, &str); 9] = [
    (Column::Service, "service", "Service"),
    (Column::Action, "action", "Action"),
    (Column::User, "user", "User"),
    (Column::IdentityType, "type", "Identity type"),
    (Column::Region, "region", "Region"),
    (Column::SourceIp, "ip", "Source IP"),
    (Column::ErrorCode, "error", "Error"),
    (Column::Account, "account", "Account"),
    (Column::Category, "category", "Category"),
];

/// How many values each facet lists.
pub const FACET_TOP: usize = 8;
/// Buckets the histogram aims for.
pub const HISTOGRAM_BUCKETS: usize = 120;

/// Rows of `rows` whose time lies in `[start, end)`.
pub fn in_range(store: &Store, rows: &[u32], (start, end): (i64, i64)) -> Vec<u32> {
    let times = store.times();
    rows.iter()
        .copied()
        .filter(|&r| times.get(r as usize).is_some_and(|&t| t != i64::MIN && t >= start && t < end))
        .collect()
}

/// The derived answers. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Results {
    /// The current query's error, if it does not parse (the previous answer stays on screen).
    pub error: Memo<Option<QueryError>>,
    /// Matching rows, ascending row id.
    pub matches: Memo<RowIds>,
    /// Matching rows in table order.
    pub sorted: Memo<RowIds>,
    pub facets: Memo<Vec<(Column, Facet)>>,
    pub histogram: Memo<Histogram>,
    pub services: Memo<Vec<ServiceSummary>>,
}

impl Results {
    pub fn new(ds: Dataset, view: ViewState) -> Self {
        let error = Memo::new(move |_| parse(&view.query.get()).err());
        let matches = Memo::new(move |prev: Option<&RowIds>| {
            ds.generation.track();
            let range = view.range.get();
            let Ok(q) = parse(&view.query.get()) else {
                return prev.cloned().unwrap_or_default();
            };
            // The text index is kept up to date by `Dataset::touch`; rows it does not cover yet
            // are scanned.
            let rows = ds.store.with_value(|s| {
                let rows = if q.uses_text() { ds.text_index.with_value(|ix| q.run_indexed(s, ix)) } else { q.run(s) };
                match range {
                    Some(r) => in_range(s, &rows, r),
                    None => rows,
                }
            });
            RowIds(rows.into())
        });
        let sorted = Memo::new(move |_| {
            let sort = view.sort.get();
            let rows = matches.get();
            RowIds(ds.store.with_value(|s| sort_rows(s, &rows.0, sort.key, sort.descending)).into())
        });
        let facets = Memo::new(move |_| {
            let rows = matches.get();
            ds.store.with_value(|s| FACETS.iter().map(|(c, _, _)| (*c, facet(s, &rows.0, *c, FACET_TOP))).collect())
        });
        let histogram = Memo::new(move |_| {
            let rows = matches.get();
            ds.store.with_value(|s| histogram(s, &rows.0, HISTOGRAM_BUCKETS, Some(Column::Service)))
        });
        let services = Memo::new(move |_| {
            let rows = matches.get();
            ds.store.with_value(|s| service_summary(s, &rows.0))
        });
        Results { error, matches, sorted, facets, histogram, services }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_filter_is_half_open_and_skips_untimed() {
        let mut store = Store::new();
        let recs = r#"{"Records":[
          {"eventVersion":"1.08","eventTime":"2024-03-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"A","eventID":"1"},
          {"eventVersion":"1.08","eventTime":"2024-03-01T10:00:01Z","eventSource":"s3.amazonaws.com","eventName":"B","eventID":"2"},
          {"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"C","eventID":"3"}
        ]}"#;
        store.ingest("t.json", recs.as_bytes());
        assert_eq!(store.len(), 3);
        let t0 = 1_709_287_200_000;
        assert_eq!(in_range(&store, &[0, 1, 2], (t0, t0 + 1000)), vec![0]);
        assert_eq!(in_range(&store, &[0, 1, 2], (t0, t0 + 1001)), vec![0, 1]);
        assert_eq!(in_range(&store, &[2], (i64::MIN + 1, i64::MAX)), Vec::<u32>::new());
    }
}
