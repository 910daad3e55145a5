//! A rule's [`Match`] tree compiled for the columnar store: every field leaf becomes a test on one
//! registered path of the [`DetectCache`], answered per distinct value, never per row.
//!
//! * Leaves of an `Or` on the same field merge into one [`Leaf`] with several tests (a row matches
//!   when any of its values passes any test), so `eventName: [a, b, c]` is one pass, not three.
//! * `exists: false` is `Not(exists: true)`: "no value is non-null" is not an any-of-values test.
//! * `fieldref` and keywords cannot be answered per value of one field; they are tested per row,
//!   on the rows still candidates when they are reached (see `eval`).
//! * [`Plan::cost`] orders an `And`'s parts cheap first (column-backed leaves, then other paths,
//!   then per-row tests), so the costly parts see only the rows the cheap ones left.
//!
//! The per-value semantics are the reference's (`naive`), applied to a value's text: strings as
//! they are, numbers and booleans as their JSON text, objects as compact JSON, null apart.

use std::net::IpAddr;

use super::compiled::{Match, Op, RefKind};
use super::index::DetectCache;

/// A compiled rule detection.
#[derive(Debug, Clone)]
pub(crate) enum Plan {
    And(Vec<Plan>),
    Or(Vec<Plan>),
    Not(Box<Plan>),
    Leaf(Leaf),
    FieldRef {
        path: usize,
        other: usize,
        kind: RefKind,
        cased: bool,
    },
    Keyword {
        op: Op,
        cased: bool,
    },
    /// A leaf whose path is not registered (cannot happen for a prepared cache): matches nothing.
    Never,
}

/// Tests on one path: a row passes when one of its values passes one of the tests.
#[derive(Debug, Clone)]
pub(crate) struct Leaf {
    pub(crate) path: usize,
    pub(crate) tests: Vec<(Op, bool)>,
    /// Identifies equal leaves across rules (their results are shared within a run).
    pub(crate) key: String,
    /// Whether the path is read from a store column where it can be.
    pub(crate) column: bool,
}

impl Leaf {
    fn plan(cache: &DetectCache, field: &str, tests: Vec<(Op, bool)>) -> Plan {
        let Some(path) = cache.path(field) else { return Plan::Never };
        let key = format!("{field}\u{0}{tests:?}");
        let column = cache.source.get(path).is_some_and(Option::is_some);
        Plan::Leaf(Leaf { path, tests, key, column })
    }

    /// Whether a value with this text passes.
    pub(crate) fn text(&self, s: &str) -> bool {
        let mut lower: Option<String> = None;
        self.tests.iter().any(|(op, cased)| {
            let folded: &str =
                if *cased { s } else { lower.get_or_insert_with(|| s.to_lowercase()) };
            text_test(op, s, folded)
        })
    }

    /// Whether a JSON null passes.
    pub(crate) fn null(&self) -> bool {
        self.tests.iter().any(|(op, _)| matches!(op, Op::Null))
    }

    /// Whether a row without the field passes.
    pub(crate) fn missing(&self) -> bool {
        self.null()
    }
}

/// One test on a non-null value: `raw` as it is, `folded` as the test's case wants it.
fn text_test(op: &Op, raw: &str, folded: &str) -> bool {
    match op {
        Op::Equals(v) => folded == v,
        Op::Contains(v) => folded.contains(v.as_str()),
        Op::StartsWith(v) => folded.starts_with(v.as_str()),
        Op::EndsWith(v) => folded.ends_with(v.as_str()),
        Op::Wildcard(p) => p.is_match(folded),
        Op::Regex(re) => re.is_match(raw),
        Op::Cidr(c) => raw.trim().parse::<IpAddr>().is_ok_and(|ip| c.contains(ip)),
        Op::Compare(cmp, bound) => raw.trim().parse::<f64>().is_ok_and(|n| cmp.holds(n, *bound)),
        Op::Exists(want) => *want,
        Op::Null | Op::FieldRef { .. } => false,
    }
}

/// A keyword test on an event's compact JSON text (already folded when `cased` is false).
pub(crate) fn keyword_test(op: &Op, text: &str) -> bool {
    text_test(op, text, text)
}

/// `fieldref`: `a` (a value of this field) against `b` (a value of the other), both folded.
pub(crate) fn ref_test(kind: RefKind, a: &str, b: &str) -> bool {
    match kind {
        RefKind::Equals => a == b,
        RefKind::Contains => a.contains(b),
        RefKind::StartsWith => a.starts_with(b),
        RefKind::EndsWith => a.ends_with(b),
    }
}

/// Compiles `m` against the paths registered in `cache` (every field of `m` must be).
pub(crate) fn compile(m: &Match, cache: &DetectCache) -> Plan {
    match m {
        Match::And(items) => Plan::And(items.iter().map(|i| compile(i, cache)).collect()),
        Match::Not(inner) => Plan::Not(Box::new(compile(inner, cache))),
        Match::Or(items) => {
            let mut out: Vec<Plan> = Vec::new();
            let mut merged: Vec<(&str, Vec<(Op, bool)>)> = Vec::new();
            for i in items {
                match i {
                    Match::Field { field, op, cased } if mergeable(op) => {
                        match merged.iter_mut().find(|(f, _)| f == field) {
                            Some((_, tests)) => tests.push((op.clone(), *cased)),
                            None => merged.push((field, vec![(op.clone(), *cased)])),
                        }
                    }
                    other => out.push(compile(other, cache)),
                }
            }
            let mut leaves: Vec<Plan> =
                merged.into_iter().map(|(f, tests)| Leaf::plan(cache, f, tests)).collect();
            leaves.append(&mut out);
            if leaves.len() == 1 {
                leaves.pop().unwrap_or(Plan::Never)
            } else {
                Plan::Or(leaves)
            }
        }
        Match::Field { field, op, cased } => match op {
            Op::Exists(false) => {
                Plan::Not(Box::new(Leaf::plan(cache, field, vec![(Op::Exists(true), *cased)])))
            }
            Op::FieldRef { field: other, kind } => match (cache.path(field), cache.path(other)) {
                (Some(path), Some(other)) => {
                    Plan::FieldRef { path, other, kind: *kind, cased: *cased }
                }
                _ => Plan::Never,
            },
            _ => Leaf::plan(cache, field, vec![(op.clone(), *cased)]),
        },
        Match::Keyword { op, cased } => Plan::Keyword { op: op.clone(), cased: *cased },
    }
}

fn mergeable(op: &Op) -> bool {
    !matches!(op, Op::Exists(false) | Op::FieldRef { .. })
}

impl Plan {
    /// A rough relative cost of evaluating this over a row set.
    pub(crate) fn cost(&self) -> u32 {
        match self {
            Plan::Never => 0,
            Plan::Leaf(l) if l.column => 1,
            Plan::Leaf(_) => 3,
            Plan::FieldRef { .. } => 8,
            Plan::Keyword { .. } => 12,
            Plan::Not(p) => p.cost(),
            Plan::And(items) | Plan::Or(items) => {
                items.iter().map(Plan::cost).fold(0u32, u32::saturating_add).min(1000)
            }
        }
    }
}
