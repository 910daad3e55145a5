//! The answers the UI needs about a set of matching rows (a slice of ascending row ids, as
//! [`crate::query::Query::run`] returns them): the sidebar's facets, the time histogram, the
//! per-service summary, the table's order and pages, the exports, and over everything loaded the
//! detections (the rules' hits summarised) and the "worth a look" findings.
//!
//! These sit apart from [`crate::query`] because they consume a query's result rather than
//! define one: this module uses the query language (field names, paths, the findings' queries)
//! and the rule engine's results ([`crate::detect`]), neither of which uses it. Every answer reads the store's columns directly and counts per
//! dictionary id (see `count`), never with hash maps, so an answer over a million rows is a few
//! passes of array increments.

mod count;
mod detection_export;
mod detections;
mod export;
mod facets;
mod findings;
mod histogram;
mod identities;
mod identities_part;
mod navigator;
mod order;
mod parts;
mod services;
mod sort;

pub use detection_export::{
    detection_events, export_detections_csv, export_detections_json, DetectionEvents, DetectionRows,
};
pub use detections::{
    buckets, detection, detections, technique_events, Detection, KEPT_VALUES, TOP_VALUES,
};
pub use export::{
    export_csv, export_lines, export_ndjson, export_records_json, frame_export, frame_records_json,
    CsvColumn, LineFormat,
};
pub use facets::{facet, Facet};
pub use findings::{finding_counts, findings, Finding, FindingCount, FINDINGS, FINDINGS_RULES};
pub use histogram::{histogram, Histogram, BUCKET_SIZES_MS, MIN_BUCKETS, SERIES_TOP};
pub use identities::{
    identities, identities_part, identity_facet_counts, identity_facet_counts_with,
    identity_facets, merge_identities, merge_identity_facets, ChainNode, FirstPairs, FirstSeen,
    FirstTime, IdentitiesAnswer, IdentitiesPart, IdentityLine, LinePart, SessionLabels,
    IDENTITIES_TOP,
};
pub use navigator::{export_navigator_layer, level_color, navigator_layer, NAVIGATOR_VERSIONS};
pub use order::{compare_points, order_points, rank_in, sort_point, SortPoint};
pub use parts::{
    add_counts, add_histograms, bins_for, facet_of, histogram_in, merge_services, service_parts,
    time_range, timed_value_counts, top_counts, value_counts, Bins, ServicePart, ValueCounts,
};
pub use services::{service_summary, ServiceSummary};
pub use sort::{page, sort_rows, sorted_page, step_position, SortKey};

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
mod tests;
