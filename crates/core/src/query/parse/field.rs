//! Field terms: the name before `:` (or a comparison) resolved to a column, a nested path, the
//! time, `last`, or a detection term, and the value read for it. Errors point at the name or the
//! value and say what would be accepted.

use super::{is_boundary, ColMatch, Leaf, Node, Parser, QueryError};
use crate::query::fields::{is_top_key, resolve_alias, suggest, Alias};
use crate::query::pattern::{parse_duration, parse_ip, Cidr, Glob};
use crate::query::rules::{rule_term, RuleField};
use crate::query::who::{WhoField, WhoTerm};
use crate::store::Column;

impl Parser<'_> {
    /// The term after the field name `name` (which started at `start`; the position is just after
    /// it, at `:` or a comparison).
    pub(super) fn field_term(&mut self, start: usize, name: &str) -> Result<Node, QueryError> {
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
            Target::Who(field) => {
                let (chars, quoted) = self.value(name)?;
                Ok(Node::Leaf(Leaf::Who(WhoTerm::new(field, &chars, quoted))))
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
            Some(Alias::Who(f)) => return Ok(Target::Who(f)),
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
        hint.push_str("fields are user, service, action, region, ip, error, key, account, type, category, agent, readonly, arn, eventtype, time, last, rule, level, tactic, technique, origin, session, chain, or a CloudTrail path like requestParameters.bucketName ($.key for any other key); to search text containing ':', put it in quotes");
        Err(self.err(start, end, format!("unknown field '{name}'"), Some(&hint)))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    Column(Column),
    Path(Vec<String>),
    Time,
    Last,
    Rule(RuleField),
    Who(WhoField),
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
