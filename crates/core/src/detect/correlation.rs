//! The Sigma correlation rule format (a `correlation:` section instead of `detection:`): which
//! rules it refers to, how their matches are grouped and counted over a time window, and when it
//! fires. Types `event_count`, `value_count` and `temporal` are read; the others Sigma defines
//! (`temporal_ordered`, `value_sum`, …) are refused by name.

use super::compiled::Cmp;
use super::error::RuleError;
use super::yaml::{Kind, Node};

/// Which correlation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CorrelationType {
    /// Matches of the referred rules, per group, within the timespan.
    EventCount,
    /// Distinct values of `field` among those matches.
    ValueCount,
    /// Every referred rule matched at least once, per group, within the timespan.
    Temporal,
}

/// A reference to another rule, by id or name, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRef {
    pub name: String,
    pub line: usize,
    pub column: usize,
}

/// A correlation rule's `correlation:` section.
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    pub kind: CorrelationType,
    pub rules: Vec<RuleRef>,
    pub group_by: Vec<String>,
    pub timespan_ms: i64,
    /// Every comparison must hold for the count (empty for `temporal`, where it is implied).
    pub condition: Vec<(Cmp, f64)>,
    /// The field whose distinct values `value_count` counts.
    pub field: Option<String>,
    /// Whether the referred rules also report their own matches.
    pub generate: bool,
}

/// Reads `30s`, `5m`, `1h`, `2d`, `1w` into milliseconds.
pub fn parse_timespan(s: &str) -> Option<i64> {
    let s = s.trim();
    let unit = s.chars().last()?;
    let n: i64 = s.get(..s.len() - unit.len_utf8())?.parse().ok()?;
    let ms = match unit {
        's' => 1_000,
        'm' => 60_000,
        'h' => 3_600_000,
        'd' => 86_400_000,
        'w' => 7 * 86_400_000,
        _ => return None,
    };
    n.checked_mul(ms).filter(|&v| v > 0)
}

fn strings<'a>(node: &'a Node, what: &str) -> Result<Vec<(String, &'a Node)>, RuleError> {
    let items: Vec<&Node> = match &node.kind {
        Kind::Seq(items) => items.iter().collect(),
        Kind::Scalar { .. } => vec![node],
        Kind::Map(_) => return Err(node.error(what, format!("`{what}` must be a list of names"))),
    };
    items
        .into_iter()
        .map(|n| match n.scalar() {
            Some(s) if !n.is_null() => Ok((s.to_string(), n)),
            _ => Err(n.error(what, format!("`{what}` must be a list of names"))),
        })
        .collect()
}

/// Reads the `correlation:` map.
pub(crate) fn read(node: &Node) -> Result<Correlation, RuleError> {
    if node.entries().is_none() {
        return Err(node.error("correlation", "`correlation` must be a map"));
    }
    let need = |k: &str| {
        node.get(k).ok_or_else(|| {
            node.error(format!("correlation `{k}`"), format!("the correlation has no `{k}`"))
        })
    };
    let t = need("type")?;
    let kind = match t.scalar().unwrap_or("") {
        "event_count" => CorrelationType::EventCount,
        "value_count" => CorrelationType::ValueCount,
        "temporal" => CorrelationType::Temporal,
        other => {
            let m = format!("correlation type `{other}` is not supported (event_count, value_count, temporal are)");
            return Err(t.error(format!("correlation type `{other}`"), m));
        }
    };
    if let Some(a) = node.get("aliases") {
        return Err(a.error("correlation `aliases`", "correlation `aliases` are not supported yet"));
    }
    let rules_node = need("rules")?;
    let rules: Vec<RuleRef> = strings(rules_node, "rules")?
        .into_iter()
        .map(|(name, n)| RuleRef { name, line: n.line, column: n.column })
        .collect();
    if rules.is_empty() {
        return Err(rules_node.error("correlation `rules`", "the correlation refers to no rule"));
    }
    let group_by = match node.get("group-by") {
        Some(g) => strings(g, "group-by")?.into_iter().map(|(s, _)| s).collect(),
        None => Vec::new(),
    };
    let ts = node.get("timespan").or_else(|| node.get("timeframe"));
    let ts = ts
        .ok_or_else(|| node.error("correlation `timespan`", "the correlation has no `timespan`"))?;
    let timespan_ms = ts.scalar().and_then(parse_timespan).ok_or_else(|| {
        ts.error("correlation `timespan`", "a timespan is a number and a unit: 30s, 5m, 1h, 1d, 1w")
    })?;
    let mut condition = Vec::new();
    let mut field = None;
    match node.get("condition") {
        Some(c) => {
            let Some(entries) = c.entries() else {
                return Err(
                    c.error("correlation `condition`", "the condition is a map such as `gte: 10`")
                );
            };
            for (k, v) in entries {
                let cmp = match k.scalar().unwrap_or("") {
                    "gt" => Cmp::Gt,
                    "gte" => Cmp::Gte,
                    "lt" => Cmp::Lt,
                    "lte" => Cmp::Lte,
                    "eq" => Cmp::Eq,
                    "field" => {
                        field = v.scalar().filter(|_| !v.is_null()).map(str::to_string);
                        if field.is_none() {
                            return Err(v.error("correlation `field`", "`field` names a field"));
                        }
                        continue;
                    }
                    other => {
                        let m = format!(
                            "unknown correlation condition `{other}` (gt, gte, lt, lte, eq, field)"
                        );
                        return Err(k.error(format!("correlation condition `{other}`"), m));
                    }
                };
                let Some(n) = v.as_number() else {
                    return Err(v.error("correlation condition", "a count bound must be a number"));
                };
                condition.push((cmp, n));
            }
        }
        None if kind == CorrelationType::Temporal => {}
        None => {
            return Err(node.error("correlation `condition`", "the correlation has no `condition`"))
        }
    }
    if kind != CorrelationType::Temporal && condition.is_empty() {
        return Err(
            node.error("correlation `condition`", "the condition has no comparison (gte: 10, …)")
        );
    }
    if kind == CorrelationType::ValueCount && field.is_none() {
        return Err(node.error("correlation `field`", "a value_count condition needs `field`"));
    }
    let generate = match node.get("generate") {
        Some(g) => g
            .as_bool()
            .ok_or_else(|| g.error("correlation `generate`", "`generate` is true or false"))?,
        None => false,
    };
    Ok(Correlation { kind, rules, group_by, timespan_ms, condition, field, generate })
}
