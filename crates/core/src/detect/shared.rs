//! Correlations over events held by several data workers (`crate::shards`): a correlation's
//! windows span events of every worker, so each worker locates the matches of the rules a
//! correlation refers to among its own rows ([`CorrPart`]: each match's time, row of the tab,
//! rule, group-by values and field value, the texts listed once), and the merge fires the windows
//! over all of them ([`fire_parts`]), giving each worker the rows of its own that fired. The
//! windows are the ones one engine makes (`super::correlate::fire`); only matches at the same
//! millisecond may be ordered otherwise (by the tab's row numbers, not one engine's).

use std::hash::Hash;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::correlate::{fire, locate, Window};
use super::eval::Eval;
use super::hits::Hits;
use super::index::{DetectCache, TextAt};
use super::rule::{Rule, RuleBody};
use super::run::paths;
use crate::role::Role;
use crate::store::Store;

/// A match without a field value.
pub const NO_VALUE: u32 = u32::MAX;

/// One worker's matches of one correlation's rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CorrPart {
    /// The correlation rule's id (`RuleMeta::id`).
    pub rule: String,
    pub window: Window,
    /// The distinct group-by values (per group-by field, its text or none).
    pub keys: Vec<Vec<Option<String>>>,
    /// The distinct `field` values (value_count).
    pub values: Vec<String>,
    /// Every match: time, row of the tab, index of the referred rule, index into `keys`, index
    /// into `values` ([`NO_VALUE`]: none).
    pub matches: Vec<(i64, u32, u32, u32, u32)>,
}

/// Every correlation of `rules` (with their ids, `ids[i]` for `rules[i]`) with this worker's
/// matches of the rules it refers to, numbered as rows of the tab by `role`.
pub(crate) fn parts(
    rules: &[Rule],
    ids: &[&str],
    store: &Store,
    cache: &mut DetectCache,
    hits: &Hits,
    role: Role,
) -> Vec<CorrPart> {
    cache.prepare(store, &paths(rules));
    let mut by_name: FxHashMap<&str, &[u32]> = FxHashMap::default();
    for (i, rule) in rules.iter().enumerate() {
        if rule.detection().is_some() {
            for key in [&rule.id, &rule.name].into_iter().flatten() {
                by_name.insert(key, hits.rows(i));
            }
        }
    }
    let mut ev = Eval::new(store, cache, 0);
    let mut out = Vec::new();
    for (rule, id) in rules.iter().zip(ids) {
        let RuleBody::Correlation(c) = &rule.body else { continue };
        let at = locate(c, &by_name, &mut ev);
        let (cache, store) = (&*ev.cache, ev.store);
        let text = |a: Option<TextAt>| a.and_then(|a| cache.text_at(store, a));
        let mut keys: FxHashMap<Vec<Option<&str>>, u32> = FxHashMap::default();
        let mut values: FxHashMap<&str, u32> = FxHashMap::default();
        let mut part = CorrPart {
            rule: (*id).to_string(),
            window: Window::of(c),
            keys: Vec::new(),
            values: Vec::new(),
            matches: Vec::with_capacity(at.len()),
        };
        for ((t, row, ri), key, value) in at {
            let key: Vec<Option<&str>> = key.into_iter().map(text).collect();
            let n = keys.len() as u32;
            let k = *keys.entry(key).or_insert_with_key(|key| {
                part.keys.push(key.iter().map(|v| v.map(str::to_string)).collect());
                n
            });
            let v = match text(value) {
                Some(v) => {
                    let n = values.len() as u32;
                    *values.entry(v).or_insert_with(|| {
                        part.values.push(v.to_string());
                        n
                    })
                }
                None => NO_VALUE,
            };
            part.matches.push((t, role.global(row), ri as u32, k, v));
        }
        out.push(part);
    }
    out
}

/// The windows over every worker's matches (`parts[w]` are worker `w`'s): for each worker,
/// every correlation's id with the rows of that worker (its own numbering) that fired,
/// ascending. A correlation one worker does not list is taken as having no match there.
pub fn fire_parts(parts: &[Vec<CorrPart>]) -> Vec<Vec<(String, Vec<u32>)>> {
    let of = parts.len() as u32;
    let mut rules: Vec<(&str, &Window)> = Vec::new();
    for p in parts.iter().flatten() {
        if !rules.iter().any(|(r, _)| *r == p.rule) {
            rules.push((&p.rule, &p.window));
        }
    }
    let mut out: Vec<Vec<(String, Vec<u32>)>> = vec![Vec::new(); parts.len()];
    for (rule, window) in rules {
        let mut keys: FxHashMap<&[Option<String>], u32> = FxHashMap::default();
        let mut values: FxHashMap<&str, u32> = FxHashMap::default();
        let mut matches = Vec::new();
        for p in parts.iter().flatten().filter(|p| p.rule == rule) {
            // Each worker's key and value indices, as indices over all the workers'.
            let k = interned(&mut keys, p.keys.iter().map(Vec::as_slice));
            let v = interned(&mut values, p.values.iter().map(String::as_str));
            for &(t, row, ri, key, value) in &p.matches {
                let Some(&key) = k.get(key as usize) else { continue };
                let value = v.get(value as usize).copied();
                matches.push((key, (t, row, ri as usize), value));
            }
        }
        let fired = fire(window, matches);
        for (w, rows) in out.iter_mut().enumerate() {
            let role = Role { index: w as u32, of };
            rows.push((rule.to_string(), fired.iter().filter_map(|&id| role.local(id)).collect()));
        }
    }
    out
}

/// The index over all workers of each of `items` (new ones numbered in turn).
fn interned<'a, K: Hash + Eq + ?Sized>(
    ids: &mut FxHashMap<&'a K, u32>,
    items: impl Iterator<Item = &'a K>,
) -> Vec<u32> {
    items
        .map(|item| {
            let n = ids.len() as u32;
            *ids.entry(item).or_insert(n)
        })
        .collect()
}
