//! Running a rule list over a store: the paths every rule names are registered in the path index,
//! each detection compiles to a [`Plan`](super::plan::Plan) evaluated over all rows, then each
//! correlation is built from the rows of the rules it refers to.

use rustc_hash::FxHashMap;

use super::correlate::correlate;
use super::eval::Eval;
use super::index::DetectCache;
use super::plan::compile;
use super::rule::{Rule, RuleBody};
use super::set::Hits;
use crate::store::Store;

/// Every path the rules read.
fn paths(rules: &[Rule]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in rules {
        match &r.body {
            RuleBody::Detection(m) => out.extend(m.fields().into_iter().map(str::to_string)),
            RuleBody::Correlation(c) => {
                out.extend(c.group_by.iter().cloned());
                out.extend(c.field.iter().cloned());
            }
        }
    }
    out
}

pub(crate) fn run(rules: &[Rule], store: &Store, cache: &mut DetectCache) -> Hits {
    cache.prepare(store, &paths(rules));
    let plans: Vec<_> = rules.iter().map(|r| r.detection().map(|m| compile(m, cache))).collect();
    let mut ev = Eval::new(store, cache);
    let all = ev.all();
    let mut rows: Vec<Vec<u32>> = plans
        .iter()
        .map(|p| p.as_ref().map(|p| ev.eval(p, &all).to_vec()).unwrap_or_default())
        .collect();
    let mut by_name: FxHashMap<&str, &[u32]> = FxHashMap::default();
    for (rule, hit) in rules.iter().zip(&rows) {
        if rule.detection().is_some() {
            for key in [&rule.id, &rule.name].into_iter().flatten() {
                by_name.insert(key, hit);
            }
        }
    }
    let corr: Vec<(usize, Vec<u32>)> = rules
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match &r.body {
            RuleBody::Correlation(c) => Some((i, correlate(c, &by_name, &mut ev))),
            RuleBody::Detection(_) => None,
        })
        .collect();
    for (i, r) in corr {
        if let Some(slot) = rows.get_mut(i) {
            *slot = r;
        }
    }
    Hits::new(rows)
}
