//! Correlation rules over the store's rows: the same windows as the reference
//! (`naive_correlation`), with each row's time from the store and its group-by values from the
//! path index.
//!
//! Matches of the referred rules are grouped by their `group-by` values (a missing field is its
//! own value); in a group, sorted by time, a window starts at a match and spans `timespan`
//! (inclusive); when its measure (distinct events, distinct values of `field`, or distinct
//! referred rules) meets the condition, its events are hits and the next window starts after it.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use super::correlation::{Correlation, CorrelationType};
use super::eval::Eval;

/// A referred rule's match: time, row, index of the rule in the correlation's list.
type Entry = (i64, u32, usize);

/// The rows of every window of `c` that fired, ascending. `hits` maps the ids and names of
/// detection rules to their rows; a reference missing from it contributes nothing.
pub(crate) fn correlate(
    c: &Correlation,
    hits: &FxHashMap<&str, &[u32]>,
    ev: &mut Eval,
) -> Vec<u32> {
    let group_paths: Vec<Option<usize>> = c.group_by.iter().map(|f| ev.cache.path(f)).collect();
    let field = c.field.as_deref().and_then(|f| ev.cache.path(f));
    let times = ev.store.times();
    let mut groups: BTreeMap<Vec<Option<String>>, Vec<Entry>> = BTreeMap::new();
    for (ri, r) in c.rules.iter().enumerate() {
        let Some(rows) = hits.get(r.name.as_str()) else { continue };
        for &row in *rows {
            let key = group_paths
                .iter()
                .map(|p| p.and_then(|p| ev.cache.first_text(ev.store, p, row as usize)))
                .collect();
            let t = times.get(row as usize).copied().unwrap_or(i64::MIN);
            groups.entry(key).or_default().push((t, row, ri));
        }
    }
    let mut out: Vec<u32> = Vec::new();
    for (_, mut list) in groups {
        list.sort_unstable();
        let mut i = 0;
        while let Some(&(start, ..)) = list.get(i) {
            let len = list
                .iter()
                .skip(i)
                .take_while(|(t, ..)| t.saturating_sub(start) <= c.timespan_ms)
                .count();
            let window = list.get(i..i + len).unwrap_or(&[]);
            let count = match c.kind {
                CorrelationType::EventCount => {
                    window.iter().map(|w| w.1).collect::<BTreeSet<_>>().len()
                }
                CorrelationType::Temporal => {
                    window.iter().map(|w| w.2).collect::<BTreeSet<_>>().len()
                }
                CorrelationType::ValueCount => match field {
                    Some(p) => window
                        .iter()
                        .filter_map(|w| ev.cache.first_text(ev.store, p, w.1 as usize))
                        .collect::<BTreeSet<_>>()
                        .len(),
                    None => 0,
                },
            };
            let fires = match c.kind {
                CorrelationType::Temporal if c.condition.is_empty() => count == c.rules.len(),
                _ => c.condition.iter().all(|(cmp, n)| cmp.holds(count as f64, *n)),
            };
            if fires {
                out.extend(window.iter().map(|w| w.1));
                i += len;
            } else {
                i += 1;
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}
