//! The query parser: a hand-written recursive descent over the text (no separate lexer), so
//! every error knows its byte range. See the grammar in the module docs of [`crate::query`].
//!
//! This file holds the AST, the boolean structure (OR, AND, NOT, parentheses) and the reading of
//! words and quoted text; a field term (`name:value`, its name resolved and its value read for a
//! column, a path, a detection term or `last:`) is in `field`, and time values and ranges in
//! `time`, each an `impl Parser` block of its own.

mod field;
mod time;

use std::fmt;

use super::pattern::{Cidr, Glob};
use super::rules::RuleTerm;
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
    /// The rows an identity term (`origin:`, `session:`, `chain:`) selects.
    Who(super::who::WhoTerm),
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

    pub(crate) fn uses_rules(&self) -> bool {
        match self {
            Node::And(v) | Node::Or(v) => v.iter().any(Node::uses_rules),
            Node::Not(n) => n.uses_rules(),
            Node::Leaf(Leaf::Rule(_)) => true,
            Node::Leaf(_) => false,
        }
    }

    pub(crate) fn uses_identities(&self) -> bool {
        match self {
            Node::And(v) | Node::Or(v) => v.iter().any(Node::uses_identities),
            Node::Not(n) => n.uses_identities(),
            Node::Leaf(Leaf::Who(_)) => true,
            Node::Leaf(_) => false,
        }
    }
}

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
