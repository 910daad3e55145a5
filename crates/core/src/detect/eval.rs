//! Evaluating a [`Plan`] over the store's rows, within a candidate set.
//!
//! `eval(plan, domain)` returns the rows of `domain` the plan holds for: an `And` narrows the
//! domain part by part (cheapest first), an `Or` tests each part only on the rows no earlier part
//! matched, a `Not` is the domain minus its part. A leaf on a domain that is a good share of the
//! store is answered for every row in one tight pass over the ids (a table of the verdict per
//! distinct value) and kept for the run, since many rules test the same field the same way
//! (`eventSource: iam.amazonaws.com`); on a small domain it tests just those rows, reading their
//! records into the path index only then (a leaf on a nested path is answered for every row only
//! when every row is a candidate). Keywords and `fieldref` are tested row by row.

use rustc_hash::FxHashMap;
use serde_json::Value;

use super::compiled::Op;
use super::index::{DetectCache, RowVal, LIST, MISSING, NULL};
use super::plan::{keyword_test, ref_test, Leaf, Plan};
use super::rows::Rows;
use crate::store::Store;

/// Verdicts per distinct value: 0 not yet known, 1 no, 2 yes.
type Memo = Vec<u8>;

fn memo(m: &mut Memo, id: usize, f: impl FnOnce() -> bool) -> bool {
    if m.len() <= id {
        m.resize(id + 1, 0);
    }
    match m.get(id) {
        Some(1) => false,
        Some(2) => true,
        _ => {
            let v = f();
            if let Some(slot) = m.get_mut(id) {
                *slot = if v { 2 } else { 1 };
            }
            v
        }
    }
}

/// One run's evaluator: the store, the path index, and the leaves answered for every row.
pub(crate) struct Eval<'a> {
    pub(crate) store: &'a Store,
    pub(crate) cache: &'a mut DetectCache,
    full: FxHashMap<String, Rows>,
    n: usize,
    /// The first row this run evaluates (the rows before it were evaluated by an earlier run).
    lo: usize,
}

struct Tables {
    col: Memo,
    path: Memo,
}

impl<'a> Eval<'a> {
    /// An evaluator of the rows from `lo` on.
    pub(crate) fn new(store: &'a Store, cache: &'a mut DetectCache, lo: usize) -> Eval<'a> {
        Eval { store, cache, full: FxHashMap::default(), n: store.len(), lo: lo.min(store.len()) }
    }

    /// No row (of this run's words).
    fn none(&self) -> Rows {
        Rows::empty(self.n, self.lo)
    }

    /// Every row this run evaluates.
    pub(crate) fn all(&self) -> Rows {
        Rows::from_row(self.n, self.lo)
    }

    pub(crate) fn eval(&mut self, plan: &Plan, domain: &Rows) -> Rows {
        match plan {
            Plan::Never => self.none(),
            Plan::And(items) => {
                let mut order: Vec<&Plan> = items.iter().collect();
                order.sort_by_key(|p| p.cost());
                let mut cur = domain.clone();
                for p in order {
                    if cur.is_empty() {
                        break;
                    }
                    cur = self.eval(p, &cur);
                }
                cur
            }
            Plan::Or(items) => {
                let mut order: Vec<&Plan> = items.iter().collect();
                order.sort_by_key(|p| p.cost());
                let mut acc = self.none();
                let mut rest = domain.clone();
                for p in order {
                    if rest.is_empty() {
                        break;
                    }
                    let r = self.eval(p, &rest);
                    rest.and_not(&r);
                    acc.or(&r);
                }
                acc
            }
            Plan::Not(inner) => {
                let r = self.eval(inner, domain);
                let mut out = domain.clone();
                out.and_not(&r);
                out
            }
            Plan::Leaf(leaf) => self.leaf(leaf, domain),
            Plan::FieldRef { path, other, kind, cased } => {
                let mut out = self.none();
                for row in domain.ones() {
                    let a = self.texts(*path, row, *cased);
                    let b = self.texts(*other, row, *cased);
                    if a.iter().any(|x| b.iter().any(|y| ref_test(*kind, x, y))) {
                        out.set(row);
                    }
                }
                out
            }
            Plan::Keyword { op, cased } => {
                let mut out = self.none();
                for row in domain.ones() {
                    let v: Value = serde_json::from_str(self.store.raw(row))
                        .unwrap_or_else(|_| Value::Object(Default::default()));
                    let text = v.to_string();
                    let ok = match op {
                        Op::Regex(_) => keyword_test(op, &text),
                        _ if *cased => keyword_test(op, &text),
                        _ => keyword_test(op, &text.to_lowercase()),
                    };
                    if ok {
                        out.set(row);
                    }
                }
                out
            }
        }
    }

    /// The non-null texts of a path in a row, folded unless `cased`.
    fn texts(&mut self, p: usize, row: usize, cased: bool) -> Vec<String> {
        let fold = |s: &str| if cased { s.to_string() } else { s.to_lowercase() };
        match self.cache.value(self.store, p, row) {
            RowVal::Col(id) => {
                let col = self.cache.source.get(p).and_then(|s| s.as_ref()).map(|s| s.col);
                col.and_then(|c| self.store.dictionary(c).get(id as usize))
                    .map(|s| fold(s))
                    .into_iter()
                    .collect()
            }
            RowVal::Path(id) => {
                let Some(col) = self.cache.cols.get(p) else { return Vec::new() };
                let one = [id];
                let ids: &[u32] = if id & LIST != 0 { col.elements(id) } else { &one };
                ids.iter()
                    .filter(|&&e| e > NULL)
                    .filter_map(|&e| col.dict.get(e as usize))
                    .map(|s| fold(s))
                    .collect()
            }
        }
    }

    fn leaf(&mut self, leaf: &Leaf, domain: &Rows) -> Rows {
        if let Some(full) = self.full.get(&leaf.key) {
            let mut out = full.clone();
            out.and(domain);
            return out;
        }
        let mut t = Tables { col: Vec::new(), path: Vec::new() };
        // A column-backed leaf on a good share of the rows is cheapest for every row at once; a
        // path leaf only on a full domain (elsewhere, rows outside it would be read for nothing).
        // "Every row" is every row of this run.
        let (count, span) = (domain.count(), self.n - self.lo);
        let dense = if leaf.column { count * 4 >= span } else { count == span };
        if !dense {
            let mut out = self.none();
            for row in domain.ones() {
                if self.row(leaf, &mut t, row) {
                    out.set(row);
                }
            }
            return out;
        }
        let full = self.dense(leaf, &mut t);
        let mut out = full.clone();
        out.and(domain);
        self.full.insert(leaf.key.clone(), full);
        out
    }

    /// Whether `row` passes `leaf`.
    fn row(&mut self, leaf: &Leaf, t: &mut Tables, row: usize) -> bool {
        match self.cache.value(self.store, leaf.path, row) {
            RowVal::Col(id) => {
                let Some(src) = self.cache.source.get(leaf.path).and_then(|s| s.as_ref()) else {
                    return false;
                };
                let dict = self.store.dictionary(src.col);
                memo(&mut t.col, id as usize, || {
                    dict.get(id as usize).is_some_and(|s| leaf.text(s))
                })
            }
            RowVal::Path(id) => self.path_verdict(leaf, t, id),
        }
    }

    fn path_verdict(&self, leaf: &Leaf, t: &mut Tables, id: u32) -> bool {
        let Some(col) = self.cache.cols.get(leaf.path) else { return false };
        let mut one = |e: u32| match e {
            MISSING => leaf.missing(),
            NULL => leaf.null(),
            _ => memo(&mut t.path, e as usize, || {
                col.dict.get(e as usize).is_some_and(|s| leaf.text(s))
            }),
        };
        if id & LIST != 0 {
            col.elements(id).iter().any(|&e| e != MISSING && one(e))
        } else {
            one(id)
        }
    }

    /// `leaf` for every row of the run (the bits of earlier rows are not meaningful).
    fn dense(&mut self, leaf: &Leaf, t: &mut Tables) -> Rows {
        let mut out = self.none();
        let src = self.cache.source.get(leaf.path).and_then(|s| s.clone());
        let Some(src) = src else {
            for row in self.lo..self.n {
                let id = self.cache.path_id(self.store, leaf.path, row);
                if self.path_verdict(leaf, t, id) {
                    out.set(row);
                }
            }
            return out;
        };
        // 0 no, 1 yes, 2 not faithful: ask the row.
        let dict = self.store.dictionary(src.col);
        let table: Vec<u8> = dict
            .iter()
            .zip(src.trusted.iter().chain(std::iter::repeat(&false)))
            .map(|(s, &ok)| if !ok { 2 } else { u8::from(leaf.text(s)) })
            .collect();
        let ids = self.store.column(src.col);
        let mut ask: Vec<usize> = Vec::new();
        let first = out.base();
        for (wi, word) in out.words_mut().iter_mut().enumerate() {
            let base = (first + wi) * 64;
            let mut w = 0u64;
            for (b, &id) in ids.get(base..).unwrap_or(&[]).iter().take(64).enumerate() {
                match table.get(id as usize) {
                    Some(1) => w |= 1 << b,
                    Some(0) => {}
                    _ => ask.push(base + b),
                }
            }
            *word = w;
        }
        ask.extend(self.cache.special_rows(leaf.path).into_iter().filter(|&r| r >= first * 64));
        for row in ask {
            if self.row(leaf, t, row) {
                out.set(row);
            } else {
                out.clear(row);
            }
        }
        out
    }
}
