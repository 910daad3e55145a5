//! Running a rule list over a store: each detection rule's rows, then each correlation rule's
//! rows from the rows of the rules it refers to.
//!
//! This version evaluates the naive reference on each row's raw JSON parsed into a
//! `serde_json::Value` (a row whose text does not parse is an empty object), so it is correct by
//! construction and slow; the columnar plan replaces it.

use std::collections::HashMap;

use serde_json::Value;

use super::naive::{self, Event};
use super::naive_correlation::eval_correlation;
use super::rule::{Rule, RuleBody};
use super::set::Hits;
use crate::store::Store;

/// A row's event as the reference sees it.
pub(crate) fn row_value(store: &Store, row: usize) -> Value {
    serde_json::from_str(store.raw(row)).unwrap_or_else(|_| Value::Object(Default::default()))
}

pub(crate) fn run(rules: &[Rule], store: &Store) -> Hits {
    let events: Vec<(i64, Value)> = (0..store.len())
        .map(|r| (store.times().get(r).copied().unwrap_or(i64::MIN), row_value(store, r)))
        .collect();
    let mut rows: Vec<Vec<u32>> = vec![Vec::new(); rules.len()];
    for (row, (_, v)) in events.iter().enumerate() {
        let ev = Event::new(v);
        for (slot, rule) in rows.iter_mut().zip(rules) {
            if let RuleBody::Detection(m) = &rule.body {
                if naive::eval(m, &ev) {
                    slot.push(row as u32);
                }
            }
        }
    }
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (rule, hit) in rules.iter().zip(&rows) {
        if rule.detection().is_some() {
            for key in [&rule.id, &rule.name].into_iter().flatten() {
                by_name.insert(key.clone(), hit.iter().map(|&r| r as usize).collect());
            }
        }
    }
    for (slot, rule) in rows.iter_mut().zip(rules) {
        if let RuleBody::Correlation(c) = &rule.body {
            let mut all: Vec<u32> = eval_correlation(c, &events, &by_name)
                .unwrap_or_default()
                .iter()
                .flat_map(|h| h.events.iter().map(|&e| e as u32))
                .collect();
            all.sort_unstable();
            all.dedup();
            *slot = all;
        }
    }
    Hits::new(rows)
}
