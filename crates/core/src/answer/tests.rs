//! Unit tests of the answers over the query tests' small hand-written store.

use super::*;
use crate::query::tests::store;
use crate::store::Column;
use std::collections::HashMap;

#[test]
fn facets_and_histogram() {
    let s = store();
    let all: Vec<u32> = (0..s.len() as u32).collect();
    let f = facet(&s, &all, Column::Service, 2);
    assert_eq!(
        f.values,
        vec![("s3.amazonaws.com".to_string(), 2), ("iam.amazonaws.com".to_string(), 1)]
    );
    assert_eq!((f.other, f.distinct), (2, 4));
    let f = facet(&s, &[0, 1], Column::ErrorCode, 10);
    assert_eq!(f.values, vec![(String::new(), 1), ("AccessDenied".to_string(), 1)]);
    let h = histogram(&s, &all, 48, None);
    assert_eq!(h.bucket_ms, 1_800_000);
    assert_eq!(h.counts.iter().sum::<u64>(), 4);
    assert_eq!(h.counts.first(), Some(&1));
    assert_eq!(h.start_ms % h.bucket_ms, 0);
    let h = histogram(&s, &all, 48, Some(Column::Service));
    assert_eq!(h.series.len(), 3);
    for (i, c) in h.counts.iter().enumerate() {
        assert_eq!(h.series.iter().map(|(_, v)| v.get(i).copied().unwrap_or(0)).sum::<u64>(), *c);
    }
    let h = histogram(&s, &all, 2, None);
    assert_eq!(h.bucket_ms, 86_400_000);
    assert_eq!(h.counts, vec![2, 2]);
    assert!(histogram(&s, &[4], 10, None).counts.is_empty());
    // One event: the smallest bucket, centred among empty ones.
    let h = histogram(&s, &[0], 48, None);
    assert_eq!((h.bucket_ms, h.counts.len()), (1_000, MIN_BUCKETS));
    assert_eq!(h.counts.iter().position(|&c| c == 1), Some(MIN_BUCKETS / 2));
    assert_eq!(Some(h.start_ms + (MIN_BUCKETS / 2) as i64 * 1_000), s.time_ms(0));
    assert_eq!(histogram(&s, &[0], 3, None).counts.len(), 3);
    let sum = service_summary(&s, &all);
    assert_eq!(
        sum.first().map(|x| (x.service.as_str(), x.events, x.errors, x.distinct_actions)),
        Some(("s3.amazonaws.com", 2, 1, 2))
    );
    assert_eq!(sum.first().map(|x| x.error_rate), Some(0.5));
    assert_eq!(sum.len(), 4);
}

#[test]
fn sorting_and_paging() {
    let s = store();
    let all: Vec<u32> = (0..s.len() as u32).collect();
    // Row 4 has no time: last both ways.
    assert_eq!(sort_rows(&s, &all, SortKey::Time, false), vec![0, 1, 2, 3, 4]);
    assert_eq!(sort_rows(&s, &all, SortKey::Time, true), vec![3, 2, 1, 0, 4]);
    assert_eq!(sort_rows(&s, &all, SortKey::Column(Column::Service), false), vec![2, 4, 0, 1, 3]);
    assert_eq!(sort_rows(&s, &all, SortKey::Column(Column::User), false), vec![4, 1, 0, 3, 2]);
    for key in [SortKey::Time, SortKey::Column(Column::Service), SortKey::Column(Column::Region)] {
        for desc in [false, true] {
            let full = sort_rows(&s, &all, key, desc);
            for off in 0..6 {
                for lim in 0..6 {
                    assert_eq!(
                        sorted_page(&s, &all, key, desc, off, lim),
                        page(&full, off, lim).to_vec()
                    );
                }
            }
        }
    }
    assert_eq!(page(&[1, 2, 3], 5, 10), &[] as &[u32]);
}

#[test]
fn exports() {
    let s = store();
    let mut out = Vec::new();
    assert!(export_records_json(&s, &[0, 2], &mut out).is_ok());
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
    let recs = v.get("Records").and_then(|r| r.as_array());
    assert_eq!(recs.map(Vec::len), Some(2));
    assert_eq!(
        recs.and_then(|r| r.get(1)).and_then(|r| r.get("eventID")).and_then(|v| v.as_str()),
        Some("e2")
    );
    let mut out = Vec::new();
    assert!(export_ndjson(&s, &[1, 3], &mut out).is_ok());
    assert_eq!(String::from_utf8_lossy(&out).lines().count(), 2);
    let mut out = Vec::new();
    let cols = [
        CsvColumn::Time,
        CsvColumn::Column(Column::UserAgent),
        CsvColumn::parse("requestParameters.tags.value"),
        CsvColumn::parse("eventID"),
    ];
    assert!(export_csv(&s, &[0, 2, 4], &cols, &mut out).is_ok());
    assert_eq!(
        String::from_utf8_lossy(&out),
        "eventTime,user_agent,requestParameters.tags.value,eventID\r\n\
         2024-03-01T10:00:00.000Z,aws-cli/2.0,,e0\r\n\
         2024-03-02T09:00:00.000Z,\"'=HYPERLINK(\"\"x\"\")\",\"red, prod\",e2\r\n\
         ,,,e4\r\n"
    );
}

/// The selected top equals the top of a full sort (count descending, then value ascending),
/// ties at the cut included, for every `n`.
#[test]
fn top_of_is_the_full_sorts_prefix() {
    let values: Vec<(String, u64)> =
        (0..200u64).map(|i| (format!("v{:03}", (i * 37) % 200), (i * 7919) % 13)).collect();
    let mut full = values.clone();
    full.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for n in [0, 1, 5, 13, 14, 100, 199, 200, 500] {
        let top = parts::top_of(values.iter().map(|(v, c)| (v.as_str(), *c)), n);
        assert_eq!(top, full.iter().take(n).cloned().collect::<Vec<_>>(), "n = {n}");
        let f = parts::facet_of_distinct(&values, 10_000, n);
        let sum: HashMap<String, u64> = values.iter().cloned().collect();
        assert_eq!(f, parts::facet_of(&sum, 10_000, n), "n = {n}");
    }
}
