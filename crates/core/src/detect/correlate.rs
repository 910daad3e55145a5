//! Correlation rules over the store's rows: the same windows as the reference
//! (`naive_correlation`), with each row's time from the store and its group-by values from the
//! path index.
//!
//! Matches of the referred rules are grouped by their `group-by` values (a missing field is its
//! own value); in a group, sorted by time, a window starts at a match and spans `timespan`
//! (inclusive); when its measure (distinct events, distinct values of `field`, or distinct
//! referred rules) meets the condition, its events are hits and the next window starts after it.
//!
//! [`locate`] finds each match's time and values, [`fire`] makes the windows: one engine runs
//! both ([`correlate`]); with several data workers each locates its own matches and the merge
//! fires the windows over all of them (`super::shared`).

use std::hash::Hash;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::compiled::Cmp;
use super::correlation::{Correlation, CorrelationType};
use super::eval::Eval;
use super::index::TextAt;

/// A referred rule's match: time, row, index of the rule in the correlation's list.
pub(crate) type Entry = (i64, u32, usize);

/// A match with where its group-by values and its `field` value (value_count) are.
pub(crate) type Located = (Entry, Vec<Option<TextAt>>, Option<TextAt>);

/// What a correlation's windows need besides the matches: its type, span and condition, and
/// how many rules it refers to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Window {
    pub kind: CorrelationType,
    pub timespan_ms: i64,
    pub condition: Vec<(Cmp, f64)>,
    pub rules: usize,
}

impl Window {
    pub(crate) fn of(c: &Correlation) -> Window {
        Window {
            kind: c.kind,
            timespan_ms: c.timespan_ms,
            condition: c.condition.clone(),
            rules: c.rules.len(),
        }
    }

    fn fires(&self, count: usize) -> bool {
        match self.kind {
            CorrelationType::Temporal if self.condition.is_empty() => count == self.rules,
            _ => self.condition.iter().all(|(cmp, n)| cmp.holds(count as f64, *n)),
        }
    }
}

/// What a window counts distinct of: events, referred rules, or values of the field.
#[derive(PartialEq, Eq, Hash)]
enum Measure<V> {
    Row(u32),
    Rule(usize),
    Value(V),
}

/// The rows of every window of `c` that fired, ascending. `hits` maps the ids and names of
/// detection rules to their rows; a reference missing from it contributes nothing.
pub(crate) fn correlate(
    c: &Correlation,
    hits: &FxHashMap<&str, &[u32]>,
    ev: &mut Eval,
) -> Vec<u32> {
    let at = locate(c, hits, ev);
    let (cache, store) = (&*ev.cache, ev.store);
    let text = |a: Option<TextAt>| a.and_then(|a| cache.text_at(store, a));
    let matches = at.into_iter().map(|(entry, key, value)| {
        (key.into_iter().map(text).collect::<Vec<Option<&str>>>(), entry, text(value))
    });
    fire(&Window::of(c), matches)
}

/// Every match of the rules `c` refers to, with where its group-by values and (value_count) its
/// field's value are (reading records as needed).
pub(crate) fn locate(
    c: &Correlation,
    hits: &FxHashMap<&str, &[u32]>,
    ev: &mut Eval,
) -> Vec<Located> {
    let group_paths: Vec<Option<usize>> = c.group_by.iter().map(|f| ev.cache.path(f)).collect();
    let field = c.field.as_deref().and_then(|f| ev.cache.path(f));
    let times = ev.store.times();
    let mut at: Vec<Located> = Vec::new();
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
    at
}

/// The rows of every window that fired among `matches` (each with its group and, for
/// value_count, its field's value), ascending. Rows are whatever numbering the matches use (a
/// store's rows, or a tab's over several workers); within a group, matches are ordered by time,
/// then row, then rule.
pub(crate) fn fire<G: Hash + Eq, V: Hash + Eq>(
    w: &Window,
    matches: impl IntoIterator<Item = (G, Entry, Option<V>)>,
) -> Vec<u32> {
    let mut groups: FxHashMap<G, Vec<(Entry, Option<V>)>> = FxHashMap::default();
    for (key, entry, value) in matches {
        groups.entry(key).or_default().push((entry, value));
    }
    let mut out: Vec<u32> = Vec::new();
    for (_, mut list) in groups {
        list.sort_unstable_by_key(|(e, _)| *e);
        // What each entry adds to a window's measure: its row, its rule, or its field's value.
        let (list, measure): (Vec<Entry>, Vec<Option<Measure<V>>>) = list
            .into_iter()
            .map(|((t, row, ri), value)| {
                let m = match w.kind {
                    CorrelationType::EventCount => Some(Measure::Row(row)),
                    CorrelationType::Temporal => Some(Measure::Rule(ri)),
                    CorrelationType::ValueCount => value.map(Measure::Value),
                };
                ((t, row, ri), m)
            })
            .unzip();
        // The window of entry `i` holds entries `i..j`; both ends only move forward, so each
        // entry enters and leaves the tally once (a window that fires is emptied at once).
        let mut tally: FxHashMap<&Measure<V>, usize> = FxHashMap::default();
        let (mut i, mut j) = (0, 0);
        while let Some(&(start, ..)) = list.get(i) {
            while let Some(&(t, ..)) = list.get(j) {
                if t.saturating_sub(start) > w.timespan_ms {
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
            if w.fires(tally.len()) {
                out.extend(list.get(i..j).unwrap_or(&[]).iter().map(|e| e.1));
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
