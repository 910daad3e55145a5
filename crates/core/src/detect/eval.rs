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
use super::index::{ColSource, DetectCache, RowVal, LIST, MISSING, NULL};
use super::plan::{keyword_test, ref_test, Leaf, Plan};
use super::rows::Rows;
use crate::store::{Column, Store};

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

/// A column's rows of the run by dictionary id, built once per run for all the leaves on that
/// column: a leaf then visits the rows of the values it passes, not every row.
struct Postings {
    /// Where each id's rows start in `rows` (one more entry than ids).
    offsets: Vec<u32>,
    rows: Vec<u32>,
}

impl Postings {
    /// A counting sort of rows `lo..` of `ids` (values below `k`) by id.
    fn new(ids: &[u32], lo: usize, k: usize) -> Postings {
        let mut offsets = vec![0u32; k + 1];
        for &id in ids {
            if let Some(o) = offsets.get_mut(id as usize + 1) {
                *o += 1;
            }
        }
        let mut sum = 0;
        for o in &mut offsets {
            sum += *o;
            *o = sum;
        }
        let mut next = offsets.clone();
        let mut rows = vec![0u32; ids.len()];
        for (r, &id) in ids.iter().enumerate() {
            if let Some(at) = next.get_mut(id as usize) {
                if let Some(slot) = rows.get_mut(*at as usize) {
                    *slot = (lo + r) as u32;
                }
                *at += 1;
            }
        }
        Postings { offsets, rows }
    }

    /// The rows holding `id`, ascending.
    fn rows_of(&self, id: usize) -> &[u32] {
        match (self.offsets.get(id), self.offsets.get(id + 1)) {
            (Some(&a), Some(&b)) => self.rows.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// One run's evaluator: the store, the path index, and the leaves answered for every row.
pub(crate) struct Eval<'a> {
    pub(crate) store: &'a Store,
    pub(crate) cache: &'a mut DetectCache,
    full: FxHashMap<String, Rows>,
    postings: FxHashMap<Column, Postings>,
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
        let (n, lo) = (store.len(), lo.min(store.len()));
        Eval { store, cache, full: FxHashMap::default(), postings: FxHashMap::default(), n, lo }
    }

    /// The postings of `col` for this run's rows.
    fn postings(&mut self, col: Column) -> &Postings {
        let (store, lo, n) = (self.store, self.lo, self.n);
        self.postings.entry(col).or_insert_with(|| {
            let ids = store.column(col).get(lo..n).unwrap_or(&[]);
            Postings::new(ids, lo, store.dictionary(col).len())
        })
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
                let mut raws = self.store.raw_reader();
                for row in domain.ones() {
                    let v: Value = serde_json::from_str(raws.get(row))
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
        if !dense && leaf.column {
            return self.column_rows(leaf, &mut t, domain);
        }
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
        let (store, table) = (self.store, verdicts(self.store, leaf, &src));
        let missing = leaf.missing();
        let mut ask: Vec<usize> = Vec::new();
        let post = self.postings(src.col);
        for (id, verdict) in table.iter().enumerate() {
            let rows = post.rows_of(id);
            match verdict {
                1 => rows.iter().for_each(|&r| out.set(r as usize)),
                0 => {}
                _ if id == 0 => {
                    for &r in rows {
                        settle_empty(store, src.col, missing, r as usize, &mut out, &mut ask);
                    }
                }
                _ => ask.extend(rows.iter().map(|&r| r as usize)),
            }
        }
        let first = out.base() * 64;
        ask.extend(self.cache.special_rows(leaf.path).into_iter().filter(|&r| r >= first));
        self.ask(leaf, t, ask, &mut out);
        out
    }

    /// A column-backed `leaf` on the rows of `domain`, by their column ids.
    fn column_rows(&mut self, leaf: &Leaf, t: &mut Tables, domain: &Rows) -> Rows {
        let mut out = self.none();
        let Some(src) = self.cache.source.get(leaf.path).and_then(|s| s.clone()) else {
            return out;
        };
        let (store, table) = (self.store, verdicts(self.store, leaf, &src));
        let (ids, missing) = (store.column(src.col), leaf.missing());
        let mut ask: Vec<usize> = Vec::new();
        for row in domain.ones() {
            let id = ids.get(row).copied().unwrap_or(0);
            match table.get(id as usize) {
                Some(1) => out.set(row),
                Some(0) => {}
                _ if id == 0 => settle_empty(store, src.col, missing, row, &mut out, &mut ask),
                _ => ask.push(row),
            }
        }
        let special = self.cache.special_rows(leaf.path);
        ask.extend(special.into_iter().filter(|&r| domain.has(r)));
        self.ask(leaf, t, ask, &mut out);
        out
    }

    /// Sets or clears in `out` each row of `ask` by reading it ([`Eval::row`]).
    fn ask(&mut self, leaf: &Leaf, t: &mut Tables, ask: Vec<usize>, out: &mut Rows) {
        for row in ask {
            if self.row(leaf, t, row) {
                out.set(row);
            } else {
                out.clear(row);
            }
        }
    }
}

/// A row whose column value is empty: a record the reader found without the field is missing
/// (`Store::absent`: in `out` when a missing field passes), any other is read (`ask`).
fn settle_empty(
    store: &Store,
    col: Column,
    missing: bool,
    row: usize,
    out: &mut Rows,
    ask: &mut Vec<usize>,
) {
    match store.absent(row, col) {
        true if missing => out.set(row),
        true => {}
        false => ask.push(row),
    }
}

/// A column-backed leaf's verdict per dictionary value of its column: 0 no, 1 yes, 2 not a
/// faithful copy of the field (its rows are read).
fn verdicts(store: &Store, leaf: &Leaf, src: &ColSource) -> Vec<u8> {
    store
        .dictionary(src.col)
        .iter()
        .zip(src.trusted.iter().chain(std::iter::repeat(&false)))
        .map(|(s, &ok)| if !ok { 2 } else { u8::from(leaf.text(s)) })
        .collect()
}
