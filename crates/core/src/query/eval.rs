//! Evaluation of a parsed query over the store into a row bitset.
//!
//! `eval(node, cand)` returns a set `S ⊆ cand` (all rows when `cand` is `None`) equal to the rows
//! of `cand` that match `node`. Cheap leaves (columns, time) compute over every row and intersect;
//! expensive leaves (free text, nested paths) only visit `cand`. AND evaluates its cheap children
//! first and narrows `cand` as it goes; NOT is `cand \ eval(child, cand)`. Detection terms are
//! cheap leaves too: the union of rows the engine already has per rule.

use super::bits::Bits;
use super::parse::{ColMatch, Leaf, Node};
use super::path::{path_matches, Want};
use super::pattern::parse_ip;
use super::text::{filter_rows, TextIndex};
use super::Context;
use crate::store::{Column, Store};

pub(crate) fn run(
    root: Option<&Node>,
    store: &Store,
    index: Option<&TextIndex>,
    context: &Context<'_>,
) -> Vec<u32> {
    let n = store.len();
    let Some(root) = root else {
        return (0..n as u32).collect();
    };
    let mut cx = Cx { store, index, context: *context, max_time: None };
    cx.eval(root, None).to_rows()
}

struct Cx<'s> {
    store: &'s Store,
    index: Option<&'s TextIndex>,
    /// The loaded rules' matches and the identities, for the detection and identity terms
    /// (without them those select nothing).
    context: Context<'s>,
    max_time: Option<Option<i64>>,
}

/// Relative cost class: cheap leaves first.
fn cost(n: &Node) -> u8 {
    match n {
        Node::Leaf(Leaf::Text(_)) => 2,
        Node::Leaf(Leaf::Path(..)) | Node::Leaf(Leaf::PathExists(_)) => 3,
        Node::Leaf(_) => 0,
        Node::Not(c) => cost(c),
        Node::And(v) | Node::Or(v) => v.iter().map(cost).max().unwrap_or(0).max(1),
    }
}

impl Cx<'_> {
    fn eval(&mut self, node: &Node, cand: Option<&Bits>) -> Bits {
        let n = self.store.len();
        match node {
            Node::And(items) => {
                let mut order: Vec<&Node> = items.iter().collect();
                order.sort_by_key(|c| cost(c));
                let mut acc: Option<Bits> = cand.cloned();
                for item in order {
                    let r = self.eval(item, acc.as_ref());
                    let empty = r.is_zero();
                    acc = Some(r);
                    if empty {
                        break;
                    }
                }
                acc.unwrap_or_else(|| Bits::full(n))
            }
            Node::Or(items) => {
                let mut acc = Bits::empty(n);
                for item in items {
                    let r = self.eval(item, cand);
                    acc.or(&r);
                }
                acc
            }
            Node::Not(child) => {
                let r = self.eval(child, cand);
                let mut all = cand.cloned().unwrap_or_else(|| Bits::full(n));
                all.and_not(&r);
                all
            }
            Node::Leaf(leaf) => {
                let mut r = self.leaf(leaf, cand);
                if let Some(c) = cand {
                    r.and(c);
                }
                r
            }
        }
    }

    fn leaf(&mut self, leaf: &Leaf, cand: Option<&Bits>) -> Bits {
        let store = self.store;
        let n = store.len();
        match leaf {
            Leaf::Col(col, m) => column_bits(store, *col, m),
            Leaf::Time(lo, hi) => time_bits(store, |t| t != i64::MIN && *lo <= t && t < *hi),
            Leaf::HasTime => time_bits(store, |t| t != i64::MIN),
            Leaf::Last(ms) => {
                let max = *self.max_time.get_or_insert_with(|| {
                    store.times().iter().copied().filter(|&t| t != i64::MIN).max()
                });
                match max {
                    Some(max) => {
                        let lo = max.saturating_sub(*ms);
                        time_bits(store, |t| t != i64::MIN && t >= lo)
                    }
                    None => Bits::empty(n),
                }
            }
            Leaf::Rule(term) => term.bits(self.context.rules, n),
            Leaf::Who(term) => term.bits(store, self.context.identities, n),
            Leaf::Text(needle) => {
                filter_rows(store, self.index, cand, (&[], &[needle.as_bytes()]), false)
            }
            Leaf::PathExists(segs) => self.path_bits(segs, Want::Exists, cand, None),
            Leaf::Path(segs, glob) => {
                // The value's longest literal is a safe prefilter unless it could be a number
                // (numbers are compared in a normalized form, not as written).
                let lit = glob
                    .longest_literal()
                    .filter(|l| {
                        !l.is_empty()
                            && !l.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
                    })
                    .map(super::parse::json_escape_lower);
                self.path_bits(segs, Want::Glob(glob), cand, lit)
            }
        }
    }

    fn path_bits(
        &self,
        segs: &[String],
        want: Want<'_>,
        cand: Option<&Bits>,
        lit: Option<String>,
    ) -> Bits {
        let store = self.store;
        let key = segs
            .last()
            .map(|k| format!("\"{}\"", super::parse::json_escape_lower(k)))
            .unwrap_or_default();
        let lits: Vec<&[u8]> = lit.iter().map(|l| l.as_bytes()).collect();
        let pre = filter_rows(store, self.index, cand, (&[key.as_bytes()], &lits), true);
        let mut out = Bits::empty(store.len());
        let mut raws = store.raw_reader();
        for row in pre.ones_from(0) {
            if path_matches(raws.get(row), segs, want) {
                out.set(row);
            }
        }
        out
    }
}

fn time_bits(store: &Store, f: impl Fn(i64) -> bool) -> Bits {
    let times = store.times();
    let mut out = Bits::empty(times.len());
    for (w, chunk) in out.words_mut().iter_mut().zip(times.chunks(64)) {
        let mut word = 0u64;
        for (j, &t) in chunk.iter().enumerate() {
            word |= u64::from(f(t)) << j;
        }
        *w = word;
    }
    out
}

/// The dictionary ids of `col` whose value satisfies `m`.
fn id_mask(store: &Store, col: Column, m: &ColMatch) -> Vec<bool> {
    store
        .dictionary(col)
        .iter()
        .map(|v| match m {
            ColMatch::Exists => !v.is_empty(),
            ColMatch::Glob(g) => g.matches(v),
            ColMatch::Service(g) => {
                g.matches(v) || v.strip_suffix(".amazonaws.com").is_some_and(|s| g.matches(s))
            }
            ColMatch::Ip(ip) => {
                parse_ip(v).is_some_and(|a| a == *ip) || v.eq_ignore_ascii_case(&ip.to_string())
            }
            ColMatch::Cidr(c) => parse_ip(v).is_some_and(|a| c.contains(a)),
        })
        .collect()
}

fn column_bits(store: &Store, col: Column, m: &ColMatch) -> Bits {
    let mask = id_mask(store, col, m);
    let ids = store.column(col);
    let mut out = Bits::empty(ids.len());
    if !mask.iter().any(|&b| b) {
        return out;
    }
    for (w, chunk) in out.words_mut().iter_mut().zip(ids.chunks(64)) {
        let mut word = 0u64;
        for (j, &id) in chunk.iter().enumerate() {
            word |= u64::from(mask.get(id as usize).copied().unwrap_or(false)) << j;
        }
        *w = word;
    }
    out
}
