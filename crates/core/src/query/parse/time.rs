//! Time terms: `time:` with a time of some precision (a day, a minute, …) standing for its whole
//! period, the comparisons, and `[A TO B]` ranges (`{}` to exclude a bound, `*` for open).

use super::{is_boundary, Leaf, Node, Parser, QueryError};
use crate::query::pattern::parse_time_period;

const TIME_HINT: &str = "write a time like 2024-03-01, 2024-03-01T10:00 or 2024-03-01T10:00:00Z";

impl Parser<'_> {
    pub(super) fn time_term(&mut self, op: &str, vstart: usize) -> Result<Node, QueryError> {
        if op == ":" && matches!(self.peek(), Some('[') | Some('{')) {
            return self.time_range(vstart);
        }
        let v: String = match self.peek() {
            Some('"') => self.quoted()?.into_iter().map(|(c, _)| c).collect(),
            _ => self.unquoted().into_iter().map(|(c, _)| c).collect(),
        };
        if op == ":" && v == "*" {
            return Ok(Node::Leaf(Leaf::HasTime));
        }
        let (s, e) = parse_time_period(&v).ok_or_else(|| {
            self.err(vstart, self.pos, format!("'{v}' is not a time"), Some(TIME_HINT))
        })?;
        let (lo, hi) = match op {
            ">" => (e, i64::MAX),
            ">=" => (s, i64::MAX),
            "<" => (i64::MIN, s),
            "<=" => (i64::MIN, e),
            _ => (s, e),
        };
        Ok(Node::Leaf(Leaf::Time(lo, hi)))
    }

    fn time_range(&mut self, at: usize) -> Result<Node, QueryError> {
        let open = self.peek();
        let rest = self.rest();
        let close = rest.find([']', '}']).ok_or_else(|| {
            self.err(
                at,
                self.src.len(),
                "unclosed time range",
                Some("write time:[2024-03-01 TO 2024-03-02]"),
            )
        })?;
        let inner = rest.get(1..close).unwrap_or("");
        let close_c = rest.get(close..).and_then(|s| s.chars().next());
        let end = at + close + 1;
        let parts: Vec<&str> = inner.split_whitespace().collect();
        let (a, b) = match parts.as_slice() {
            [a, "TO", b] => (*a, *b),
            _ => {
                return Err(self.err(at, end, "a time range is [start TO end]", Some("write time:[2024-03-01T10:00 TO 2024-03-01T12:00] (TO in capitals; * for open)")));
            }
        };
        let bound = |s: &str, this: &Self| -> Result<Option<(i64, i64)>, QueryError> {
            if s == "*" {
                return Ok(None);
            }
            let off = inner.find(s).map_or(at, |o| at + 1 + o);
            parse_time_period(s).map(Some).ok_or_else(|| {
                this.err(off, off + s.len(), format!("'{s}' is not a time"), Some(TIME_HINT))
            })
        };
        let lo = match (bound(a, self)?, open) {
            (None, _) => i64::MIN,
            (Some((s, _)), Some('[')) => s,
            (Some((_, e)), _) => e,
        };
        let hi = match (bound(b, self)?, close_c) {
            (None, _) => i64::MAX,
            (Some((_, e)), Some(']')) => e,
            (Some((s, _)), _) => s,
        };
        self.pos = end;
        if !is_boundary(self.peek()) {
            return Err(self.err(
                end,
                end + 1,
                "unexpected text after the time range",
                Some("leave a space after ']'"),
            ));
        }
        Ok(Node::Leaf(Leaf::Time(lo, hi)))
    }
}
