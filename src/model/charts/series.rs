//! The series of a chart: their colours (CSS classes), the legend with each series' total, and
//! the lines of a bucket's tooltip.

use trailglass_core::answer::Histogram;

use crate::model::columns::short_service;

/// The CSS class of series `i` of `n`: `series-0` … `series-9`, or `series-other` for the
/// engine's trailing "other".
pub fn series_class(i: usize, n: usize, name: &str) -> String {
    if name == "other" && i + 1 == n {
        "series-other".to_owned()
    } else {
        format!("series-{}", i % 10)
    }
}

/// The series to draw: the histogram's split series, or the totals as one series "events".
pub fn series_of(h: &Histogram) -> Vec<(&str, &[u64])> {
    if h.series.is_empty() {
        vec![("events", h.counts.as_slice())]
    } else {
        h.series.iter().map(|(n, v)| (n.as_str(), v.as_slice())).collect()
    }
}

/// A series in the legend or one line of the tooltip: its CSS class, full name, short label and
/// count (exact).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeriesCount {
    pub class: String,
    pub name: String,
    pub label: String,
    pub count: u64,
}

fn series_count(i: usize, n: usize, name: &str, count: u64) -> SeriesCount {
    SeriesCount {
        class: series_class(i, n, name),
        name: name.to_owned(),
        label: short_service(name).to_owned(),
        count,
    }
}

/// The legend: every series with its total over all buckets.
pub fn legend(h: &Histogram) -> Vec<SeriesCount> {
    let series = series_of(h);
    let n = series.len();
    series
        .iter()
        .enumerate()
        .map(|(i, (name, v))| series_count(i, n, name, v.iter().sum()))
        .collect()
}

/// What the tooltip of bucket `b` lists: the series with events in it, and the bucket total.
pub fn bucket_detail(h: &Histogram, b: usize) -> (Vec<SeriesCount>, u64) {
    let series = series_of(h);
    let n = series.len();
    let rows = series
        .iter()
        .enumerate()
        .filter_map(|(i, (name, v))| {
            v.get(b).copied().filter(|&c| c > 0).map(|c| series_count(i, n, name, c))
        })
        .collect();
    (rows, h.counts.get(b).copied().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::charts::fixtures::hist;

    #[test]
    fn series_classes() {
        assert_eq!(series_class(0, 3, "s3.amazonaws.com"), "series-0");
        assert_eq!(series_class(2, 3, "other"), "series-other");
        assert_eq!(series_class(12, 14, "x"), "series-2");
    }

    #[test]
    fn legend_and_tooltip_lines() {
        let h = hist(
            &[3, 0, 1234567],
            &[("s3.amazonaws.com", &[1, 0, 1234560]), ("other", &[2, 0, 7])],
        );
        let l = legend(&h);
        assert_eq!(
            l.iter().map(|e| (e.label.as_str(), e.count)).collect::<Vec<_>>(),
            [("s3", 1234561), ("other", 9)]
        );
        assert_eq!(l[0].name, "s3.amazonaws.com");
        assert_eq!(l[1].class, "series-other");
        let (rows, total) = bucket_detail(&h, 2);
        assert_eq!(total, 1234567);
        assert_eq!(rows.iter().map(|r| r.count).collect::<Vec<_>>(), [1234560, 7]);
        let (rows, total) = bucket_detail(&h, 1);
        assert!(rows.is_empty());
        assert_eq!(total, 0);
        assert_eq!(bucket_detail(&h, 9).1, 0);
        // unsplit histograms are one series
        assert_eq!(legend(&hist(&[2, 3], &[]))[0].count, 5);
    }
}
