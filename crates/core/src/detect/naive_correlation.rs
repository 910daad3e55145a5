//! The reference semantics of correlation rules over a slice of `(time_ms, event)`, given which
//! events each detection rule matched. Clear rather than fast (quadratic in a group's matches).
//!
//! Matches of the referred rules are grouped by the values of the `group-by` fields (a missing
//! field is its own group value, `None`). In each group, sorted by time, a window starts at each
//! match and spans `timespan` (inclusive); the window's measure is the number of distinct events
//! (`event_count`), of distinct values of `field` (`value_count`), or of distinct referred rules
//! (`temporal`, which by default needs all of them). When the condition holds the window is a hit
//! and the next window starts after it, so a burst is reported once, not once per event.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use super::correlation::{Correlation, CorrelationType};
use super::error::RuleError;
use super::naive::{lookup, rule_matches, text_of};
use super::rule::Rule;

/// The values of the `group-by` fields of one event.
pub type GroupKey = Vec<Option<String>>;
/// A match in a group: time, event index, index of the referred rule.
type Entry = (i64, usize, usize);

/// One firing of a correlation rule.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationHit {
    /// The values of the `group-by` fields, in their order.
    pub group: GroupKey,
    pub first_ms: i64,
    pub last_ms: i64,
    /// Indices into the event slice, in time order, each once.
    pub events: Vec<usize>,
    /// The measure that met the condition (events, distinct values or rules).
    pub count: usize,
}

/// The events each detection rule of `rules` matches, under its id and under its name.
pub fn rule_hits(rules: &[Rule], events: &[(i64, Value)]) -> HashMap<String, Vec<usize>> {
    let mut out = HashMap::new();
    for rule in rules.iter().filter(|r| r.detection().is_some()) {
        let hits: Vec<usize> = events
            .iter()
            .enumerate()
            .filter(|(_, (_, e))| rule_matches(rule, e))
            .map(|(i, _)| i)
            .collect();
        for key in [&rule.id, &rule.name].into_iter().flatten() {
            out.insert(key.clone(), hits.clone());
        }
    }
    out
}

/// The first value of `path` in `event`, as text (objects as compact JSON).
fn value_text(event: &Value, path: &str) -> Option<String> {
    lookup(event, path).into_iter().find_map(|v| text_of(v).map(|s| s.into_owned()))
}

/// Evaluates a correlation. `hits` maps rule ids and names to the events they matched (as
/// [`rule_hits`] builds it); a reference missing from it is an error at the reference.
pub fn eval_correlation(
    c: &Correlation,
    events: &[(i64, Value)],
    hits: &HashMap<String, Vec<usize>>,
) -> Result<Vec<CorrelationHit>, RuleError> {
    let mut groups: BTreeMap<GroupKey, Vec<Entry>> = BTreeMap::new();
    for (ri, r) in c.rules.iter().enumerate() {
        let Some(matched) = hits.get(&r.name) else {
            let m = format!("the correlation refers to `{}`, which is not a known rule", r.name);
            return Err(RuleError::new(r.line, r.column, format!("rule `{}`", r.name), m));
        };
        for &ei in matched {
            let Some((t, e)) = events.get(ei) else { continue };
            let key = c.group_by.iter().map(|f| value_text(e, f)).collect();
            groups.entry(key).or_default().push((*t, ei, ri));
        }
    }
    let mut out = Vec::new();
    for (group, mut list) in groups {
        list.sort_unstable();
        let mut i = 0;
        while let Some(&(start, ..)) = list.get(i) {
            let end = list
                .iter()
                .skip(i)
                .take_while(|(t, ..)| t.saturating_sub(start) <= c.timespan_ms)
                .count()
                + i;
            let window = list.get(i..end).unwrap_or(&[]);
            let count = measure(c, events, window);
            let fires = match c.kind {
                CorrelationType::Temporal if c.condition.is_empty() => count == c.rules.len(),
                _ => c.condition.iter().all(|(cmp, n)| cmp.holds(count as f64, *n)),
            };
            if fires {
                let mut ids: Vec<usize> = Vec::new();
                for &(_, ei, _) in window {
                    if !ids.contains(&ei) {
                        ids.push(ei);
                    }
                }
                let last = window.last().map_or(start, |w| w.0);
                out.push(CorrelationHit {
                    group: group.clone(),
                    first_ms: start,
                    last_ms: last,
                    events: ids,
                    count,
                });
                i = end;
            } else {
                i += 1;
            }
        }
    }
    out.sort_by_key(|h| (h.first_ms, h.events.first().copied()));
    Ok(out)
}

fn measure(c: &Correlation, events: &[(i64, Value)], window: &[Entry]) -> usize {
    match c.kind {
        CorrelationType::EventCount => window.iter().map(|w| w.1).collect::<BTreeSet<_>>().len(),
        CorrelationType::ValueCount => {
            let Some(field) = &c.field else { return 0 };
            window
                .iter()
                .filter_map(|w| events.get(w.1).and_then(|(_, e)| value_text(e, field)))
                .collect::<BTreeSet<_>>()
                .len()
        }
        CorrelationType::Temporal => window.iter().map(|w| w.2).collect::<BTreeSet<_>>().len(),
    }
}
