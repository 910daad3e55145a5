//! The compiled, engine-independent form of a rule's detection: a tree of [`Match`] nodes.
//!
//! It is plain data (Debug, Clone, PartialEq) so it can be inspected, tested and compiled again by
//! a later step into the columnar query plan, and evaluated directly by the reference evaluator
//! (`naive`). Every leaf names one field by its dotted CloudTrail path and one operator with one
//! value; lists of values are `Or` (or `And` with `|all`) of leaves, so a compiler that wants
//! "field in {a, b, c}" groups sibling leaves of the same field and operator. Text values of
//! case-insensitive leaves (`cased: false`) are stored already in Unicode lowercase.

use std::net::IpAddr;

use super::pattern::Pattern;
use super::re::Regex;

/// A boolean combination of field tests.
#[derive(Debug, Clone, PartialEq)]
pub enum Match {
    And(Vec<Match>),
    Or(Vec<Match>),
    Not(Box<Match>),
    /// One test of the field at `field` (a dotted path such as
    /// `userIdentity.sessionContext.sessionIssuer.userName`).
    Field {
        field: String,
        op: Op,
        cased: bool,
    },
    /// A keyword: `op` (`Contains` or `Wildcard`) applied to the whole event's compact JSON text.
    Keyword {
        op: Op,
        cased: bool,
    },
}

/// What a leaf tests.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Equals(String),
    Contains(String),
    StartsWith(String),
    EndsWith(String),
    /// A value with `*`/`?` wildcards, matched against the whole text.
    Wildcard(Pattern),
    /// `re`: matched anywhere in the text (not anchored).
    Regex(Regex),
    /// `cidr`: the value is an IP address inside the network.
    Cidr(Cidr),
    /// `exists: true` (present and not null) or `exists: false` (missing or null).
    Exists(bool),
    /// `fieldref`: this field's value compared to the value of the field named here.
    FieldRef {
        field: String,
        kind: RefKind,
    },
    /// `field: null`: a JSON null or a missing field.
    Null,
    /// `gt`, `gte`, `lt`, `lte`: a number (or a string holding one) compared to the value.
    Compare(Cmp, f64),
}

/// How a `fieldref` compares the two values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    Equals,
    Contains,
    StartsWith,
    EndsWith,
}

/// A numeric comparison, `value <op> bound`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Cmp {
    Gt,
    Gte,
    Lt,
    Lte,
    Eq,
}

impl Cmp {
    pub fn holds(self, value: f64, bound: f64) -> bool {
        match self {
            Cmp::Gt => value > bound,
            Cmp::Gte => value >= bound,
            Cmp::Lt => value < bound,
            Cmp::Lte => value <= bound,
            Cmp::Eq => value == bound,
        }
    }
}

/// An IPv4 or IPv6 network, `address/prefix`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    pub network: IpAddr,
    pub prefix: u8,
}

impl Cidr {
    /// Reads `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a full-length prefix).
    pub fn parse(text: &str) -> Option<Cidr> {
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().ok()?)),
            None => (text, None),
        };
        let network: IpAddr = addr.trim().parse().ok()?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Cidr { network, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

impl Op {
    /// The simplest operator for a wildcard pattern: `Equals`, `StartsWith`, `EndsWith` or
    /// `Contains` when the only wildcards are a leading and/or trailing `*`.
    pub fn from_pattern(p: Pattern) -> Op {
        use super::pattern::Piece::{AnyRun, Lit};
        match p.pieces.as_slice() {
            [] => Op::Equals(String::new()),
            [Lit(s)] => Op::Equals(s.clone()),
            [Lit(s), AnyRun] => Op::StartsWith(s.clone()),
            [AnyRun, Lit(s)] => Op::EndsWith(s.clone()),
            [AnyRun, Lit(s), AnyRun] => Op::Contains(s.clone()),
            _ => Op::Wildcard(p),
        }
    }
}

impl Match {
    /// `And` of `items`, flattened; one item stands alone.
    pub fn and(items: Vec<Match>) -> Match {
        Match::join(items, true)
    }

    /// `Or` of `items`, flattened; one item stands alone.
    pub fn or(items: Vec<Match>) -> Match {
        Match::join(items, false)
    }

    fn join(items: Vec<Match>, and: bool) -> Match {
        let mut flat = Vec::with_capacity(items.len());
        for m in items {
            match m {
                Match::And(inner) if and => flat.extend(inner),
                Match::Or(inner) if !and => flat.extend(inner),
                other => flat.push(other),
            }
        }
        if flat.len() == 1 {
            if let Some(only) = flat.pop() {
                return only;
            }
        }
        if and {
            Match::And(flat)
        } else {
            Match::Or(flat)
        }
    }

    /// The field paths this tree reads (fieldref targets included), each once, in order.
    pub fn fields(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_fields(&mut out);
        out
    }

    fn collect_fields<'a>(&'a self, out: &mut Vec<&'a str>) {
        let mut add = |f: &'a str| {
            if !out.contains(&f) {
                out.push(f);
            }
        };
        match self {
            Match::And(items) | Match::Or(items) => {
                for m in items {
                    m.collect_fields(out);
                }
            }
            Match::Not(m) => m.collect_fields(out),
            Match::Field { field, op, .. } => {
                add(field);
                if let Op::FieldRef { field, .. } = op {
                    add(field);
                }
            }
            Match::Keyword { .. } => {}
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn cidr() {
        let c = Cidr::parse("10.1.0.0/16").unwrap();
        assert!(c.contains("10.1.200.3".parse().unwrap()));
        assert!(!c.contains("10.2.0.1".parse().unwrap()));
        let all = Cidr::parse("0.0.0.0/0").unwrap();
        assert!(all.contains("8.8.8.8".parse().unwrap()));
        let v6 = Cidr::parse("2001:db8::/32").unwrap();
        assert!(v6.contains("2001:db8:1::1".parse().unwrap()));
        assert!(Cidr::parse("10.0.0.0/33").is_none() && Cidr::parse("nope/8").is_none());
    }
}
