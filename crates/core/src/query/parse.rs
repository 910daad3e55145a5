//! The query parser: a hand-written recursive descent over the text (no separate lexer), so
//! every error knows its byte range. See the grammar in the module docs of [`crate::query`].

use std::fmt;

use super::fields::{is_top_key, resolve_alias, suggest, Alias};
use super::pattern::{parse_duration, parse_ip, parse_time_period, Cidr, Glob};
use super::rules::{rule_term, RuleField, RuleTerm};
use crate::store::Column;

/// A query that could not be parsed: what is wrong, where (byte offsets into the query text,
/// `start..end`), and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QueryError {
    pub message: String,
    pub start: usize,
    pub end: usize,
    pub hint: Option<String>,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at {}..{})", self.message, self.start, self.end)?;
        if let Some(h) = &self.hint {
            write!(f, "; {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for QueryError {}

/// A parsed query expression.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    /// All children match (empty = every event).
    And(Vec<Node>),
    /// At least one child matches.
    Or(Vec<Node>),
    Not(Box<Node>),
    Leaf(Leaf),
}

#[derive(Clone, Debug)]
pub(crate) enum Leaf {
    /// Free text: the needle, JSON-escaped and ASCII-lower-cased, searched in the raw record.
    Text(String),
    /// A term on an indexed column.
    Col(Column, ColMatch),
    /// A term on a nested JSON path (segments lower-cased; keys compare case-insensitively).
    Path(Vec<String>, Glob),
    /// A nested path has a non-null, non-empty value.
    PathExists(Vec<String>),
    /// `lo <= time < hi`.
    Time(i64, i64),
    /// Has a time.
    HasTime,
    /// Time at or after (latest time in the store - ms).
    Last(i64),
    /// The rows of the detections a detection term selects.
    Rule(RuleTerm),
}

#[derive(Clone, Debug)]
pub(crate) enum ColMatch {
    /// Non-empty value.
    Exists,
    Glob(Glob),
    /// Glob on the service, also tried without the `.amazonaws.com` suffix.
    Service(Glob),
    /// Same IP address (any textual form).
    Ip(std::net::IpAddr),
    Cidr(Cidr),
}

impl Node {
    pub(crate) fn uses_text(&self) -> bool {
        match self {
            Node::And(v) | Node::Or(v) => v.iter().any(Node::uses_text),
            Node::Not(n) => n.uses_text(),
            Node::Leaf(Leaf::Text(_)) => true,
            Node::Leaf(_) => false,
        }
    }
}

const TIME_HINT: &str = "write a time like 2024-03-01, 2024-03-01T10:00 or 2024-03-01T10:00:00Z";

pub(crate) fn parse(src: &str) -> Result<Option<Node>, QueryError> {
    let mut p = Parser { src, pos: 0, depth: 0 };
    p.skip_ws();
    if p.at_end() {
        return Ok(None);
    }
    let node = p.parse_or()?;
    p.skip_ws();
    if !p.at_end() {
        // parse_or only stops early at a ')' that closes nothing.
        return Err(p.err(
            p.pos,
            p.pos + 1,
            "unmatched ')'",
            Some("remove it, or add the '(' it closes"),
        ));
    }
    Ok(Some(node))
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    depth: usize,
}

fn err(start: usize, end: usize, message: impl Into<String>, hint: Option<String>) -> QueryError {
    QueryError { message: message.into(), start, end, hint }
}

fn is_boundary(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || c == '(' || c == ')')
}

impl<'a> Parser<'a> {
    fn err(
        &self,
        start: usize,
        end: usize,
        message: impl Into<String>,
        hint: Option<&str>,
    ) -> QueryError {
        err(start, end.min(self.src.len()), message, hint.map(str::to_owned))
    }
    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }
    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }
    fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }
    fn skip_ws(&mut self) {
        let r = self.rest();
        self.pos += r.len() - r.trim_start().len();
    }
    /// An upper-case operator word at the current position.
    fn keyword(&self, k: &str) -> bool {
        let r = self.rest();
        r.starts_with(k) && is_boundary(r.get(k.len()..).and_then(|s| s.chars().next()))
    }
    /// At the end of an operand list: end, ')' or OR.
    fn at_stop(&self) -> bool {
        self.at_end() || self.peek() == Some(')') || self.keyword("OR")
    }

    fn parse_or(&mut self) -> Result<Node, QueryError> {
        let mut items = vec![self.parse_and()?];
        loop {
            self.skip_ws();
            if !self.keyword("OR") {
                break;
            }
            let at = self.pos;
            self.pos += 2;
            self.skip_ws();
            if self.at_stop() || self.keyword("AND") {
                return Err(self.err(
                    at,
                    at + 2,
                    "OR needs a term on its right",
                    Some("write a OR b"),
                ));
            }
            items.push(self.parse_and()?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Node::And(Vec::new()))
        } else {
            Node::Or(items)
        })
    }

    fn parse_and(&mut self) -> Result<Node, QueryError> {
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            if self.at_stop() {
                break;
            }
            if self.keyword("AND") {
                let at = self.pos;
                if items.is_empty() {
                    return Err(self.err(
                        at,
                        at + 3,
                        "AND needs a term on its left",
                        Some("write a AND b (or just a b)"),
                    ));
                }
                self.pos += 3;
                self.skip_ws();
                if self.at_stop() || self.keyword("AND") {
                    return Err(self.err(
                        at,
                        at + 3,
                        "AND needs a term on its right",
                        Some("write a AND b (or just a b)"),
                    ));
                }
                continue;
            }
            items.push(self.parse_unary()?);
        }
        if items.is_empty() {
            let at = self.pos;
            return Err(if self.keyword("OR") {
                self.err(at, at + 2, "OR needs a term on its left", Some("write a OR b"))
            } else if self.peek() == Some(')') && self.depth == 0 {
                self.err(at, at + 1, "unmatched ')'", Some("remove it, or add the '(' it closes"))
            } else if self.peek() == Some(')') {
                self.err(at, at + 1, "empty parentheses", Some("put a term inside, or remove them"))
            } else {
                self.err(at, at, "expected a term here", Some("the query ends too early"))
            });
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Node::And(Vec::new()))
        } else {
            Node::And(items)
        })
    }

    fn parse_unary(&mut self) -> Result<Node, QueryError> {
        self.skip_ws();
        let at = self.pos;
        if self.keyword("NOT") {
            self.pos += 3;
            self.skip_ws();
            if self.at_stop() || self.keyword("AND") {
                return Err(self.err(
                    at,
                    at + 3,
                    "NOT needs a term after it",
                    Some("write NOT error:*"),
                ));
            }
            return Ok(Node::Not(Box::new(self.parse_unary()?)));
        }
        if self.peek() == Some('-') {
            let next = self.rest().get(1..).and_then(|s| s.chars().next());
            if next.is_none_or(|c| c.is_whitespace() || c == ')') {
                return Err(self.err(
                    at,
                    at + 1,
                    "'-' must touch the term it excludes",
                    Some("write -user:bob (no space), or quote a lone dash: \"-\""),
                ));
            }
            self.pos += 1;
            return Ok(Node::Not(Box::new(self.parse_unary()?)));
        }
        self.parse_primary()
    }

    fn parse_primary(&mut self) -> Result<Node, QueryError> {
        let at = self.pos;
        match self.peek() {
            Some('(') => {
                self.pos += 1;
                self.depth += 1;
                self.skip_ws();
                if self.peek() == Some(')') {
                    return Err(self.err(
                        at,
                        self.pos + 1,
                        "empty parentheses",
                        Some("put a term inside, or remove them"),
                    ));
                }
                if self.at_end() {
                    return Err(self.err(at, at + 1, "unclosed '('", Some("add ')' to close it")));
                }
                let n = self.parse_or()?;
                self.skip_ws();
                if self.peek() != Some(')') {
                    return Err(self.err(at, at + 1, "unclosed '('", Some("add ')' to close it")));
                }
                self.pos += 1;
                self.depth -= 1;
                Ok(n)
            }
            Some('"') => {
                let chars = self.quoted()?;
                let s: String = chars.iter().map(|&(c, _)| c).collect();
                Ok(text_node(&s))
            }
            _ => self.term(),
        }
    }

    /// A quoted string at the current position (which is '"'); `\` escapes the next character.
    fn quoted(&mut self) -> Result<Vec<(char, bool)>, QueryError> {
        let at = self.pos;
        let mut out = Vec::new();
        let mut it = self.rest().char_indices().skip(1);
        while let Some((i, c)) = it.next() {
            match c {
                '\\' => match it.next() {
                    Some((_, e)) => out.push((e, true)),
                    None => break,
                },
                '"' => {
                    self.pos = at + i + 1;
                    return Ok(out);
                }
                c => out.push((c, false)),
            }
        }
        Err(self.err(at, self.src.len(), "unclosed quote", Some("add a closing \"")))
    }

    /// An unquoted run up to whitespace or a parenthesis; `\` escapes the next character.
    fn unquoted(&mut self) -> Vec<(char, bool)> {
        let mut out = Vec::new();
        let mut it = self.rest().char_indices().peekable();
        let start = self.pos;
        let mut end = self.rest().len();
        while let Some((i, c)) = it.next() {
            if c.is_whitespace() || c == '(' || c == ')' {
                end = i;
                break;
            }
            if c == '\\' {
                if let Some((_, e)) = it.next() {
                    out.push((e, true));
                    continue;
                }
            }
            out.push((c, false));
        }
        self.pos = start + end;
        out
    }

    fn term(&mut self) -> Result<Node, QueryError> {
        let start = self.pos;
        let rest = self.rest();
        let name_len = rest
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '.' | '$' | '@')))
            .unwrap_or(rest.len());
        let name = rest.get(..name_len).unwrap_or("");
        let after = rest.get(name_len..).and_then(|s| s.chars().next());
        let looks_like_arn = name.eq_ignore_ascii_case("arn")
            && rest.get(name_len + 1..name_len + 4).is_some_and(|s| s.eq_ignore_ascii_case("aws"));
        if !name.is_empty() && matches!(after, Some(':' | '>' | '<')) && !looks_like_arn {
            self.pos += name_len;
            return self.field_term(start, name);
        }
        self.word(start)
    }

    fn word(&mut self, start: usize) -> Result<Node, QueryError> {
        let mut chars = self.unquoted();
        while chars.first() == Some(&('*', false)) {
            chars.remove(0);
        }
        while chars.last() == Some(&('*', false)) {
            chars.pop();
        }
        if chars.contains(&('*', false)) {
            return Err(self.err(
                start,
                self.pos,
                "'*' inside a free-text word",
                Some("free text already matches anywhere in the event; for a pattern use a field, e.g. action:Delete*Policy"),
            ));
        }
        let s: String = chars.iter().map(|&(c, _)| c).collect();
        Ok(text_node(&s))
    }

    fn field_term(&mut self, start: usize, name: &str) -> Result<Node, QueryError> {
        let name_end = self.pos;
        // Operator.
        let rest = self.rest();
        let (op, op_len) = if let Some(r) = rest.strip_prefix(':') {
            match r.as_bytes() {
                [b'>', b'=', ..] => (">=", 3),
                [b'<', b'=', ..] => ("<=", 3),
                [b'>', ..] => (">", 2),
                [b'<', ..] => ("<", 2),
                _ => (":", 1),
            }
        } else if rest.starts_with(">=") {
            (">=", 2)
        } else if rest.starts_with("<=") {
            ("<=", 2)
        } else if rest.starts_with('>') {
            (">", 1)
        } else {
            ("<", 1)
        };
        let target = self.resolve_field(start, name_end, name)?;
        self.pos += op_len;
        let vstart = self.pos;
        if is_boundary(self.peek()) {
            let hint =
                format!("write {name}:value; {name}:* means has a value, -{name}:* means missing");
            return Err(self.err(
                start,
                self.pos,
                format!("missing value after '{name}{op}'"),
                Some(&hint),
            ));
        }
        if op != ":" && !matches!(target, Target::Time | Target::Rule(RuleField::Level)) {
            return Err(self.err(
                name_end,
                vstart,
                format!("'{op}' compares times only (and detection levels), not '{name}'"),
                Some("write time>2024-03-01 or level>=medium; for other fields use field:value"),
            ));
        }
        match target {
            Target::Time => self.time_term(op, vstart),
            Target::Last => {
                let v: String = self.unquoted().into_iter().map(|(c, _)| c).collect();
                match parse_duration(&v) {
                    Some(ms) => Ok(Node::Leaf(Leaf::Last(ms))),
                    None => Err(self.err(
                        vstart,
                        self.pos,
                        format!("'{v}' is not a duration"),
                        Some("write a whole number and s, m, h, d or w, e.g. last:1h or last:7d"),
                    )),
                }
            }
            Target::Rule(field) => {
                let (chars, quoted) = self.value(name)?;
                rule_term(field, op, &chars, quoted)
                    .map(|t| Node::Leaf(Leaf::Rule(t)))
                    .map_err(|(m, h)| self.err(vstart, self.pos, m, Some(&h)))
            }
            Target::Column(col) => {
                let (chars, quoted) = self.value(name)?;
                column_term(col, &chars, quoted)
                    .map_err(|(m, h)| self.err(vstart, self.pos, m, Some(&h)))
            }
            Target::Path(segs) => {
                let (chars, quoted) = self.value(name)?;
                if !quoted && !chars.is_empty() && chars.iter().all(|&c| c == ('*', false)) {
                    return Ok(Node::Leaf(Leaf::PathExists(segs)));
                }
                let glob = Glob::new(&chars, !quoted);
                if glob.as_literal() == Some("") {
                    return Ok(Node::Not(Box::new(Node::Leaf(Leaf::PathExists(segs)))));
                }
                Ok(Node::Leaf(Leaf::Path(segs, glob)))
            }
        }
    }

    /// A field value: quoted (literal) or unquoted (glob). Ranges are for time only.
    fn value(&mut self, name: &str) -> Result<(Vec<(char, bool)>, bool), QueryError> {
        match self.peek() {
            Some('"') => Ok((self.quoted()?, true)),
            Some('[') | Some('{') => {
                let at = self.pos;
                Err(self.err(
                    at,
                    at + 1,
                    format!("ranges work on time only, not '{name}'"),
                    Some("write time:[2024-03-01 TO 2024-03-02]; for other fields use wildcards, e.g. name:Get*"),
                ))
            }
            _ => Ok((self.unquoted(), false)),
        }
    }

    fn resolve_field(&self, start: usize, end: usize, name: &str) -> Result<Target, QueryError> {
        match resolve_alias(name) {
            Some(Alias::Column(c)) => return Ok(Target::Column(c)),
            Some(Alias::Time) => return Ok(Target::Time),
            Some(Alias::Last) => return Ok(Target::Last),
            Some(Alias::Rule(f)) => return Ok(Target::Rule(f)),
            None => {}
        }
        let (body, free) = match name.strip_prefix("$.") {
            Some(b) => (b, true),
            None => (name, false),
        };
        let segs: Vec<String> = body.split('.').map(str::to_ascii_lowercase).collect();
        if segs.iter().any(String::is_empty) {
            return Err(self.err(
                start,
                end,
                format!("'{name}' is not a field path"),
                Some("write keys separated by single dots, e.g. requestParameters.bucketName"),
            ));
        }
        let first = segs.first().map_or("", String::as_str);
        if free || is_top_key(first) {
            return Ok(Target::Path(segs));
        }
        let first_orig = body.split('.').next().unwrap_or("");
        let mut hint = match suggest(first_orig) {
            Some(s) if segs.len() == 1 => format!("did you mean '{s}'? "),
            Some(s) => format!("did you mean '{s}.…'? "),
            None => String::new(),
        };
        hint.push_str("fields are user, service, action, region, ip, error, key, account, type, category, agent, readonly, arn, eventtype, time, last, rule, level, tactic, technique, or a CloudTrail path like requestParameters.bucketName ($.key for any other key); to search text containing ':', put it in quotes");
        Err(self.err(start, end, format!("unknown field '{name}'"), Some(&hint)))
    }

    fn time_term(&mut self, op: &str, vstart: usize) -> Result<Node, QueryError> {
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

#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    Column(Column),
    Path(Vec<String>),
    Time,
    Last,
    Rule(RuleField),
}

fn text_node(s: &str) -> Node {
    if s.is_empty() {
        return Node::And(Vec::new());
    }
    Node::Leaf(Leaf::Text(json_escape_lower(s)))
}

/// The text as it appears inside a JSON string (serde_json's escaping), ASCII-lower-cased.
pub(crate) fn json_escape_lower(s: &str) -> String {
    let q = serde_json::to_string(s).unwrap_or_default();
    let inner = q.get(1..q.len().saturating_sub(1)).unwrap_or("");
    inner.to_ascii_lowercase()
}

fn column_term(
    col: Column,
    chars: &[(char, bool)],
    quoted: bool,
) -> Result<Node, (String, String)> {
    if !quoted && !chars.is_empty() && chars.iter().all(|&c| c == ('*', false)) {
        return Ok(Node::Leaf(Leaf::Col(col, ColMatch::Exists)));
    }
    let glob = Glob::new(chars, !quoted);
    if col == Column::SourceIp {
        if let Some(lit) = glob.as_literal() {
            let text: String = chars.iter().map(|&(c, _)| c).collect();
            if lit.contains('/') {
                return match Cidr::parse(&text) {
                    Ok(c) => Ok(Node::Leaf(Leaf::Col(col, ColMatch::Cidr(c)))),
                    Err(m) => Err((
                        format!("bad CIDR '{text}': {m}"),
                        "write e.g. ip:10.0.0.0/8 or ip:2001:db8::/32".into(),
                    )),
                };
            }
            if let Some(ip) = parse_ip(&text) {
                return Ok(Node::Leaf(Leaf::Col(col, ColMatch::Ip(ip))));
            }
        }
    }
    if col == Column::Service {
        return Ok(Node::Leaf(Leaf::Col(col, ColMatch::Service(glob))));
    }
    Ok(Node::Leaf(Leaf::Col(col, ColMatch::Glob(glob))))
}
