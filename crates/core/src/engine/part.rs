//! The engine as one of several data workers (a *shard*; `crate::shards` merges them): its
//! place among them ([`Role`]), the part of an answer it gives instead of a whole one
//! ([`ViewPart`]), and what it answers for the merge: a view's histogram over the merged buckets,
//! the sort points of a stretch of its order, the rank of a point in it, the place of a row.
//!
//! Row ids that leave a shard are ids in the whole tab ([`Role::global`]), so the page and the
//! merge never mistake one worker's row for another's; positions stay the shard's own.

use serde::{Deserialize, Serialize};

pub use crate::role::Role;

use super::state::{Engine, FACET_COLUMNS};
use crate::answer::{
    histogram_in, rank_in, service_parts, sort_point, time_range, timed_value_counts, value_counts,
    Bins, Histogram, IdentitiesPart, ServicePart, SortKey, SortPoint, ValueCounts,
};
use crate::store::{Column, Store};

/// One worker's part of a view's answer: what the merge adds up (every value with its count, not
/// a top list), the time range of its matches (the merged histogram's buckets come from all of
/// them), and every `stride`-th sort point of its order (where to look for a page).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ViewPart {
    pub role: Role,
    /// Earliest and latest time among the matches.
    pub range: Option<(i64, i64)>,
    pub facets: Vec<(Column, ValueCounts)>,
    /// The services among the matches that have a time (the histogram's series are their top).
    pub series: ValueCounts,
    /// When the view asked for the per-service summary.
    pub services: Option<Vec<ServicePart>>,
    /// The sort points at positions 0, stride, 2·stride … of this worker's order.
    pub stride: usize,
    pub samples: Vec<SortPoint>,
    /// The sort points of the first [`HEAD_POINTS`] rows of this worker's order (or all of
    /// them): the merge places a page among them at once (the table's first pages).
    #[serde(default)]
    pub head: Vec<SortPoint>,
    /// The origin and session facets' counts (origins, session labels, rows counted).
    pub who: (ValueCounts, ValueCounts, u64),
    /// When the view asked for the Identities view.
    pub identities: Option<IdentitiesPart>,
    /// Which computation of the rules' hits the answer's detections are (see
    /// `detections_included`).
    #[serde(default)]
    pub detections_stamp: u64,
    /// Whether the answer carries its detections; when not, they are those of the worker's
    /// last answer that did, of the same stamp (they change once per data generation or rules
    /// change, not with the view, and a worker's lists of every value are large).
    #[serde(default)]
    pub detections_included: bool,
}

/// Sort points a part carries at most; the stride grows past it.
pub const MAX_SAMPLES: usize = 4096;
/// The smallest stride between samples.
pub const MIN_STRIDE: usize = 256;
/// The rows of each worker's order whose sort points its part carries from the start.
pub const HEAD_POINTS: usize = 256;

/// The view part of `rows` (the matches, ascending) whose table order is `sorted`.
pub(super) fn view_part(
    store: &Store,
    role: Role,
    rows: &[u32],
    sorted: &[u32],
    key: SortKey,
    services: bool,
) -> ViewPart {
    let stride = MIN_STRIDE.max(sorted.len().div_ceil(MAX_SAMPLES));
    ViewPart {
        role,
        range: time_range(store, rows),
        facets: FACET_COLUMNS.iter().map(|&c| (c, value_counts(store, rows, c))).collect(),
        series: timed_value_counts(store, rows, Column::Service),
        services: services.then(|| service_parts(store, rows)),
        stride,
        samples: sorted
            .iter()
            .step_by(stride)
            .map(|&r| sort_point(store, r, key, role.global(r)))
            .collect(),
        head: sorted
            .iter()
            .take(HEAD_POINTS)
            .map(|&r| sort_point(store, r, key, role.global(r)))
            .collect(),
        who: Default::default(),
        identities: None,
        detections_stamp: 0,
        detections_included: false,
    }
}

impl Engine {
    fn point_of(&self, row: u32) -> SortPoint {
        let key = self.view_key().0;
        sort_point(self.store(), row, key, self.role().global(row))
    }

    /// The histogram of the current matches over `bins`, split by service into `series`.
    pub fn bins(&self, bins: Bins, series: &[String]) -> Histogram {
        histogram_in(self.store(), self.matches(), bins, Some((Column::Service, series)))
    }

    /// How many rows of the current order come before `p`.
    pub fn rank(&self, p: &SortPoint) -> usize {
        rank_in(self.sorted(), |r| self.point_of(r), p, self.view_key().1)
    }

    /// The position in the current order of the first row at or after `lo` (the start when
    /// `None`), and the points of the rows from there that come before `hi` (to the end when
    /// `None`).
    pub fn range(&self, lo: Option<&SortPoint>, hi: Option<&SortPoint>) -> (usize, Vec<SortPoint>) {
        let start = lo.map_or(0, |p| self.rank(p));
        let end = hi.map_or(self.sorted().len(), |p| self.rank(p)).max(start);
        let points = self.sorted().get(start..end).unwrap_or(&[]).iter().map(|&r| self.point_of(r));
        (start, points.collect())
    }

    /// A row's sort point and position in the current order, if it is in it.
    pub fn locate(&self, row: u32) -> (Option<SortPoint>, Option<usize>) {
        if row as usize >= self.store().len() {
            return (None, None);
        }
        let point = self.point_of(row);
        let pos = self.matches().binary_search(&row).is_ok().then(|| self.rank(&point));
        (Some(point), pos)
    }
}
