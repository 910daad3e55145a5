//! The reference semantics of a compiled rule on one event (a `serde_json::Value`), written for
//! clarity rather than speed; faster evaluators are tested against it.
//!
//! * A dotted path walks objects; at an array it continues into every element, and a leaf that is
//!   an array stands for its elements: the field matches when any of them does.
//! * A leaf holding an object is matched as its compact JSON text; booleans and numbers as their
//!   JSON text (`true`, `42`); a JSON null matches only `null` (and `exists: false`).
//! * Text matching is case-insensitive (Unicode lowercase of both sides) unless `cased`; a `?`
//!   stands for one character of the lowercased text. Regexes are case-sensitive unless `re|i`.
//! * `field: null` matches a JSON null or a missing field; `exists: true` a present, non-null one.
//! * Keywords match anywhere in the event's compact JSON text.
//! * `fieldref` holds when some value of one field equals (or contains, …) some value of the other.
//! * `gt`/`gte`/`lt`/`lte` take JSON numbers and strings holding a number.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::net::IpAddr;

use serde_json::Value;

use super::compiled::{Match, Op, RefKind};
use super::rule::Rule;

/// The values a dotted path reaches in `event` (arrays flattened). Empty when the field is missing.
pub fn lookup<'a>(event: &'a Value, path: &str) -> Vec<&'a Value> {
    let mut out = Vec::new();
    walk(event, path, &mut out);
    out
}

fn walk<'a>(v: &'a Value, path: &str, out: &mut Vec<&'a Value>) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| walk(i, path, out)),
        _ if path.is_empty() => out.push(v),
        Value::Object(map) => {
            // A key may itself hold dots: the whole rest as a key first, then the shortest head.
            if let Some(child) = map.get(path) {
                return walk(child, "", out);
            }
            for (i, _) in path.match_indices('.') {
                let (head, tail) = (path.get(..i).unwrap_or(""), path.get(i + 1..).unwrap_or(""));
                if let Some(child) = map.get(head) {
                    walk(child, tail, out);
                    return;
                }
            }
        }
        _ => {}
    }
}

/// A leaf's text for string matching (`None` for null).
pub fn text_of(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(Cow::Borrowed(s)),
        other => Some(Cow::Owned(other.to_string())),
    }
}

fn fold<'a>(s: Cow<'a, str>, cased: bool) -> Cow<'a, str> {
    if cased {
        s
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

/// An event being evaluated, with its compact JSON text computed once, on first need.
pub struct Event<'a> {
    value: &'a Value,
    text: OnceCell<String>,
    lower: OnceCell<String>,
}

impl<'a> Event<'a> {
    pub fn new(value: &'a Value) -> Event<'a> {
        Event { value, text: OnceCell::new(), lower: OnceCell::new() }
    }

    fn text(&self, cased: bool) -> &str {
        let text = self.text.get_or_init(|| self.value.to_string());
        if cased {
            text
        } else {
            self.lower.get_or_init(|| text.to_lowercase())
        }
    }
}

fn text_op(op: &Op, s: &str) -> bool {
    match op {
        Op::Equals(v) => s == v,
        Op::Contains(v) => s.contains(v.as_str()),
        Op::StartsWith(v) => s.starts_with(v.as_str()),
        Op::EndsWith(v) => s.ends_with(v.as_str()),
        Op::Wildcard(p) => p.is_match(s),
        _ => false,
    }
}

fn leaf(op: &Op, cased: bool, v: &Value) -> bool {
    match op {
        Op::Equals(_) | Op::Contains(_) | Op::StartsWith(_) | Op::EndsWith(_) | Op::Wildcard(_) => {
            text_of(v).is_some_and(|s| text_op(op, &fold(s, cased)))
        }
        Op::Regex(re) => text_of(v).is_some_and(|s| re.is_match(&s)),
        Op::Cidr(c) => match v {
            Value::String(s) => s.trim().parse::<IpAddr>().is_ok_and(|ip| c.contains(ip)),
            _ => false,
        },
        Op::Compare(cmp, bound) => {
            let n = match v {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse::<f64>().ok(),
                _ => None,
            };
            n.is_some_and(|n| cmp.holds(n, *bound))
        }
        Op::Null | Op::Exists(_) | Op::FieldRef { .. } => false,
    }
}

fn field(event: &Event<'_>, path: &str, op: &Op, cased: bool) -> bool {
    let values = lookup(event.value, path);
    match op {
        Op::Null => values.is_empty() || values.iter().any(|v| v.is_null()),
        Op::Exists(want) => values.iter().any(|v| !v.is_null()) == *want,
        Op::FieldRef { field: other, kind } => {
            let others: Vec<Cow<'_, str>> = lookup(event.value, other)
                .into_iter()
                .filter_map(text_of)
                .map(|s| fold(s, cased))
                .collect();
            values.into_iter().filter_map(text_of).map(|s| fold(s, cased)).any(|a| {
                others.iter().any(|b| match kind {
                    RefKind::Equals => a == *b,
                    RefKind::Contains => a.contains(b.as_ref()),
                    RefKind::StartsWith => a.starts_with(b.as_ref()),
                    RefKind::EndsWith => a.ends_with(b.as_ref()),
                })
            })
        }
        _ => values.into_iter().any(|v| leaf(op, cased, v)),
    }
}

/// Whether the match tree holds for `event`.
pub fn eval(m: &Match, event: &Event<'_>) -> bool {
    match m {
        Match::And(items) => items.iter().all(|i| eval(i, event)),
        Match::Or(items) => items.iter().any(|i| eval(i, event)),
        Match::Not(inner) => !eval(inner, event),
        Match::Field { field: path, op, cased } => field(event, path, op, *cased),
        Match::Keyword { op, cased } => match op {
            Op::Regex(re) => re.is_match(event.text(true)),
            _ => text_op(op, event.text(*cased)),
        },
    }
}

/// Whether `m` holds for the JSON event `event`.
pub fn matches(m: &Match, event: &Value) -> bool {
    eval(m, &Event::new(event))
}

/// Whether a detection rule matches `event` (a correlation rule never matches one event).
pub fn rule_matches(rule: &Rule, event: &Value) -> bool {
    rule.detection().is_some_and(|m| matches(m, event))
}
