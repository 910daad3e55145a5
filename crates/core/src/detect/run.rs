//! Running a rule list over a store: the paths every rule names are registered in the path index,
//! each detection compiles to a [`Plan`](super::plan::Plan) evaluated over all rows, then each
//! correlation is built from the rows of the rules it refers to.

use rustc_hash::FxHashMap;

use super::correlate::correlate;
use super::eval::Eval;
use super::hits::Hits;
use super::index::DetectCache;
use super::plan::compile;
use super::rule::{Rule, RuleBody};
use crate::store::Store;

/// Every path the rules read.
pub(super) fn paths(rules: &[Rule]) -> Vec<String> {
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
    run_from(rules, store, cache, None)
}

/// [`run`], given `earlier`: these rules' hits over the first rows of this same store (then
/// only the rows after them are evaluated, and each detection's new rows are appended to its
/// earlier ones; correlations, which span rows, are built again from all of them). Detections
/// test one event at a time, so this is the same answer as a run over everything. When the cache
/// finds the store is not the one it indexed, everything is evaluated.
pub(crate) fn run_from(
    rules: &[Rule],
    store: &Store,
    cache: &mut DetectCache,
    earlier: Option<(&Hits, usize)>,
) -> Hits {
    let continued = cache.prepare(store, &paths(rules));
    let (prev, lo) = match earlier {
        Some((h, rows)) if continued && h.len() == rules.len() && rows <= store.len() => {
            (Some(h), rows)
        }
        _ => (None, 0),
    };
    let plans: Vec<_> = rules.iter().map(|r| r.detection().map(|m| compile(m, cache))).collect();
    let mut ev = Eval::new(store, cache, lo);
    let all = ev.all();
    let mut rows: Vec<Vec<u32>> = plans
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let new = p.as_ref().map(|p| ev.eval(p, &all).to_vec()).unwrap_or_default();
            match prev {
                Some(h) if p.is_some() => {
                    let mut r = h.rows(i).to_vec();
                    r.extend(new);
                    r
                }
                _ => new,
            }
        })
        .collect();
    let mut by_name: FxHashMap<&str, &[u32]> = FxHashMap::default();
    // Whether a detection matched rows this run: a correlation over rules that did not is what
    // it was (its windows depend only on their rows, and rows' times and values never change).
    let mut grew: FxHashMap<&str, bool> = FxHashMap::default();
    for (i, (rule, hit)) in rules.iter().zip(&rows).enumerate() {
        if rule.detection().is_some() {
            for key in [&rule.id, &rule.name].into_iter().flatten() {
                by_name.insert(key, hit);
                grew.insert(key, prev.is_none_or(|h| h.rows(i).len() != hit.len()));
            }
        }
    }
    let corr: Vec<(usize, Vec<u32>)> = rules
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match (&r.body, prev) {
            (RuleBody::Correlation(c), Some(h))
                if !c.rules.iter().any(|x| grew.get(x.name.as_str()).copied().unwrap_or(false)) =>
            {
                Some((i, h.rows(i).to_vec()))
            }
            (RuleBody::Correlation(c), _) => Some((i, correlate(c, &by_name, &mut ev))),
            (RuleBody::Detection(_), _) => None,
        })
        .collect();
    for (i, r) in corr {
        if let Some(slot) = rows.get_mut(i) {
            *slot = r;
        }
    }
    Hits::new(rows)
}
