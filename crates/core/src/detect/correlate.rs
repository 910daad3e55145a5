//! Correlation rules over the store's rows: the same windows as the reference
//! (`naive_correlation`), with each row's time from the store and its group-by values from the
//! path index.
//!
//! Matches of the referred rules are grouped by their `group-by` values (a missing field is its
//! own value); in a group, sorted by time, a window starts at a match and spans `timespan`
//! (inclusive); when its measure (distinct events, distinct values of `field`, or distinct
//! referred rules) meets the condition, its events are hits and the next window starts after it.

use rustc_hash::FxHashMap;

use super::correlation::{Correlation, CorrelationType};
use super::eval::Eval;
use super::index::TextAt;

/// A referred rule's match: time, row, index of the rule in the correlation's list.
type Entry = (i64, u32, usize);

/// A match with its `field` value (value_count).
type Valued<'s> = (Entry, Option<&'s str>);

/// What a window counts distinct of: events, referred rules, or values of the field.
#[derive(PartialEq, Eq, Hash)]
enum Measure<'s> {
    Row(u32),
    Rule(usize),
    Value(&'s str),
}

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
    // First where each match's values are (reading records as needed), then their texts, borrowed.
    let mut at: Vec<(Entry, Vec<Option<TextAt>>, Option<TextAt>)> = Vec::new();
    for (ri, r) in c.rules.iter().enumerate() {
        let Some(rows) = hits.get(r.name.as_str()) else { continue };
        for &row in *rows {
            let key = group_paths
                .iter()
                .map(|p| p.and_then(|p| ev.cache.first(ev.store, p, row as usize)))
                .collect();
            let value = match c.kind {
                CorrelationType::ValueCount => {
                    field.and_then(|p| ev.cache.first(ev.store, p, row as usize))
                }
                _ => None,
            };
            let t = times.get(row as usize).copied().unwrap_or(i64::MIN);
            at.push(((t, row, ri), key, value));
        }
    }
    let (cache, store) = (&*ev.cache, ev.store);
    let text = |a: Option<TextAt>| a.and_then(|a| cache.text_at(store, a));
    let mut groups: FxHashMap<Vec<Option<&str>>, Vec<Valued>> = FxHashMap::default();
    for (entry, key, value) in at {
        let key: Vec<Option<&str>> = key.into_iter().map(text).collect();
        groups.entry(key).or_default().push((entry, text(value)));
    }
    let mut out: Vec<u32> = Vec::new();
    let fires = |count: usize| match c.kind {
        CorrelationType::Temporal if c.condition.is_empty() => count == c.rules.len(),
        _ => c.condition.iter().all(|(cmp, n)| cmp.holds(count as f64, *n)),
    };
    for (_, mut list) in groups {
        list.sort_unstable();
        // What each entry adds to a window's measure: its row, its rule, or its field's value.
        let measure: Vec<Option<Measure>> = list
            .iter()
            .map(|&((_, row, ri), value)| match c.kind {
                CorrelationType::EventCount => Some(Measure::Row(row)),
                CorrelationType::Temporal => Some(Measure::Rule(ri)),
                CorrelationType::ValueCount => value.map(Measure::Value),
            })
            .collect();
        let list: Vec<Entry> = list.into_iter().map(|(e, _)| e).collect();
        // The window of entry `i` holds entries `i..j`; both ends only move forward, so each
        // entry enters and leaves the tally once (a window that fires is emptied at once).
        let mut tally: FxHashMap<&Measure, usize> = FxHashMap::default();
        let (mut i, mut j) = (0, 0);
        while let Some(&(start, ..)) = list.get(i) {
            while let Some(&(t, ..)) = list.get(j) {
                if t.saturating_sub(start) > c.timespan_ms {
                    break;
                }
                if let Some(Some(m)) = measure.get(j) {
                    *tally.entry(m).or_default() += 1;
                }
                j += 1;
            }
            if j == i {
                // An empty window (only with a timespan ≤ 0, which the parser refuses).
                i += 1;
                j = i;
                continue;
            }
            if fires(tally.len()) {
                out.extend(list.get(i..j).unwrap_or(&[]).iter().map(|w| w.1));
                tally.clear();
                i = j;
            } else {
                if let Some(Some(m)) = measure.get(i) {
                    if let Some(n) = tally.get_mut(m) {
                        *n -= 1;
                        if *n == 0 {
                            tally.remove(m);
                        }
                    }
                }
                i += 1;
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}
