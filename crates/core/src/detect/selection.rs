//! Reads one Sigma selection (a named entry of `detection:`) into a [`Match`] tree.
//!
//! A map is an `And` of its fields, a list of maps an `Or` of them, a list of plain values (or one
//! value) keywords searched in the whole event. A field's key is `name|modifier|…`; its value one
//! scalar or a list (ORed, or ANDed with `|all`). Every value counts against the rule's budget of
//! [`MAX_VALUES`], so a 10,000-value rule is an error rather than a slow page.

use super::compiled::{Cidr, Cmp, Match, Op, RefKind};
use super::error::RuleError;
use super::pattern::Pattern;
use super::re::{ReFlags, Regex};
use super::yaml::{Kind, Node};

/// The most values (field values and keywords, over all selections) one rule may hold.
pub const MAX_VALUES: usize = 4096;

/// Values used so far by the rule being read.
#[derive(Debug, Default)]
pub(crate) struct Budget {
    used: usize,
}

impl Budget {
    fn take(&mut self, at: &Node) -> Result<(), RuleError> {
        self.used += 1;
        if self.used > MAX_VALUES {
            let m = format!("the rule has more than {MAX_VALUES} values");
            return Err(at.error("value count", m));
        }
        Ok(())
    }
}

/// Modifiers that Sigma defines but this reader does not implement yet.
const NOT_YET: &[&str] = &[
    "base64",
    "base64offset",
    "utf16le",
    "utf16be",
    "utf16",
    "wide",
    "windash",
    "expand",
    "neq",
    "minute",
    "hour",
    "day",
    "week",
    "month",
    "year",
];

/// The operator family chosen by a key's modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Text { before: bool, after: bool },
    Regex(ReFlags),
    Cidr,
    Exists,
    FieldRef(RefKind),
    Compare(Cmp),
}

#[derive(Debug, Clone, Copy)]
struct Mods {
    family: Family,
    all: bool,
    cased: bool,
}

fn read_mods(key: &Node, names: &[&str]) -> Result<Mods, RuleError> {
    let mut text: Option<&str> = None;
    let mut special: Option<(&str, Family)> = None;
    let mut flags: Option<ReFlags> = None;
    let (mut all, mut cased, mut fieldref) = (false, false, false);
    let clash = |a: &str, b: &str| {
        key.error(
            format!("modifier `{b}`"),
            format!("modifier `{b}` cannot be combined with `{a}`"),
        )
    };
    for &name in names {
        let mut set_special = |f: Family| match special {
            Some((prev, _)) => Err(clash(prev, name)),
            None => {
                special = Some((name, f));
                Ok(())
            }
        };
        match name {
            "contains" | "startswith" | "endswith" => match text {
                Some(prev) => return Err(clash(prev, name)),
                None => text = Some(name),
            },
            "all" => all = true,
            "cased" => cased = true,
            "fieldref" => fieldref = true,
            "re" => {
                flags = Some(ReFlags::default());
                set_special(Family::Regex(ReFlags::default()))?;
            }
            "i" | "m" | "s" => {
                let Some(f) = flags.as_mut() else {
                    let m = format!("`{name}` is a sub-modifier of `re` and must follow it");
                    return Err(key.error(format!("modifier `{name}`"), m));
                };
                match name {
                    "i" => f.ignore_case = true,
                    "m" => f.multi_line = true,
                    _ => f.dot_all = true,
                }
            }
            "cidr" => set_special(Family::Cidr)?,
            "exists" => set_special(Family::Exists)?,
            "gt" => set_special(Family::Compare(Cmp::Gt))?,
            "gte" => set_special(Family::Compare(Cmp::Gte))?,
            "lt" => set_special(Family::Compare(Cmp::Lt))?,
            "lte" => set_special(Family::Compare(Cmp::Lte))?,
            "" => return Err(key.error("modifier", "empty modifier (`||` or a trailing `|`)")),
            other if NOT_YET.contains(&other) => {
                let m = format!("modifier `{other}` is not supported yet");
                return Err(key.error(format!("modifier `{other}`"), m));
            }
            other => {
                return Err(
                    key.error(format!("modifier `{other}`"), format!("unknown modifier `{other}`"))
                );
            }
        }
    }
    let family = match (special, text, fieldref) {
        (Some((s, _)), _, true) => return Err(clash("fieldref", s)),
        (Some((s, _)), Some(t), false) => return Err(clash(s, t)),
        (Some((_, Family::Regex(_))), None, false) => Family::Regex(flags.unwrap_or_default()),
        (Some((_, f)), None, false) => f,
        (None, t, true) => Family::FieldRef(match t {
            Some("contains") => RefKind::Contains,
            Some("startswith") => RefKind::StartsWith,
            Some("endswith") => RefKind::EndsWith,
            _ => RefKind::Equals,
        }),
        (None, t, false) => Family::Text {
            before: matches!(t, Some("contains" | "endswith")),
            after: matches!(t, Some("contains" | "startswith")),
        },
    };
    Ok(Mods { family, all, cased })
}

/// One value under `mods` for `field` (`None` for a keyword).
fn leaf(field: Option<&str>, mods: &Mods, v: &Node) -> Result<Match, RuleError> {
    let construct = |what: &str| format!("{what} value");
    let text = match &v.kind {
        Kind::Scalar { text, .. } => text.as_str(),
        _ => {
            let m = format!("a value must be a scalar, not {}", v.kind_name());
            return Err(v.error("value", m));
        }
    };
    let cased = mods.cased;
    const PLAIN: Family = Family::Text { before: false, after: false };
    let op = match mods.family {
        _ if v.is_null() && !matches!(mods.family, Family::Exists | Family::Compare(_)) => {
            if field.is_none() || mods.family != PLAIN {
                return Err(v.error("null value", "null cannot be combined with a modifier"));
            }
            Op::Null
        }
        Family::Text { before, after } => {
            let text = v.as_bool().map(|b| if b { "true" } else { "false" }).unwrap_or(text);
            let p = Pattern::parse_sigma(text);
            let p = if field.is_none() { p.wrapped(true, true) } else { p.wrapped(before, after) };
            Op::from_pattern(if cased { p } else { p.lowercased() })
        }
        Family::Regex(flags) => match Regex::new(text, flags) {
            Ok(re) => Op::Regex(re),
            Err(e) => return Err(v.error(construct("regex"), format!("bad regex: {e}"))),
        },
        Family::Cidr => match Cidr::parse(text) {
            Some(c) => Op::Cidr(c),
            None => {
                let m = format!("`{text}` is not an IP network such as 10.0.0.0/8");
                return Err(v.error(construct("cidr"), m));
            }
        },
        Family::Exists => match v.as_bool() {
            Some(b) => Op::Exists(b),
            None => return Err(v.error(construct("exists"), "`exists` takes true or false")),
        },
        Family::FieldRef(kind) => Op::FieldRef { field: text.to_string(), kind },
        Family::Compare(cmp) => match v.as_number().or_else(|| text.trim().parse().ok()) {
            Some(n) if f64::is_finite(n) => Op::Compare(cmp, n),
            _ => return Err(v.error(construct("numeric"), "a comparison takes a number")),
        },
    };
    Ok(match field {
        Some(f) => Match::Field { field: f.to_string(), op, cased },
        None => Match::Keyword { op, cased },
    })
}

/// A key's values: one scalar or a list of scalars, combined by `Or` (or `And` with `all`).
fn values(
    field: Option<&str>,
    mods: &Mods,
    v: &Node,
    budget: &mut Budget,
) -> Result<Match, RuleError> {
    let items: Vec<&Node> = match &v.kind {
        Kind::Seq(items) if items.is_empty() => {
            return Err(v.error("empty list", "a field's list of values is empty"));
        }
        Kind::Seq(items) => items.iter().collect(),
        Kind::Scalar { .. } => vec![v],
        Kind::Map(_) => {
            let m = "a field's value cannot be a map: name nested fields with dots (a.b.c)";
            return Err(v.error("map value", m));
        }
    };
    let mut leaves = Vec::with_capacity(items.len());
    for item in items {
        budget.take(item)?;
        leaves.push(leaf(field, mods, item)?);
    }
    Ok(if mods.all { Match::and(leaves) } else { Match::or(leaves) })
}

/// A map of `field|mods: values`, ANDed.
fn read_map(entries: &[(Node, Node)], at: &Node, budget: &mut Budget) -> Result<Match, RuleError> {
    if entries.is_empty() {
        return Err(at.error("empty selection", "the selection's map is empty"));
    }
    let mut parts = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        let Some(k) = key.scalar() else {
            return Err(key.error("field name", "a field name must be a scalar"));
        };
        let mut names = k.split('|');
        let field = names.next().unwrap_or("").trim();
        let mods: Vec<&str> = names.collect();
        let mods = read_mods(key, &mods)?;
        let field = if field.is_empty() {
            if !matches!(mods.family, Family::Text { before: false, after: false }) {
                let m = "a keyword (a key with no field name) takes only `all` and `cased`";
                return Err(key.error("keyword modifier", m));
            }
            None
        } else {
            Some(field)
        };
        parts.push(values(field, &mods, value, budget)?);
    }
    Ok(Match::and(parts))
}

/// Reads the selection `node`.
pub(crate) fn read_selection(node: &Node, budget: &mut Budget) -> Result<Match, RuleError> {
    let keyword =
        Mods { family: Family::Text { before: true, after: true }, all: false, cased: false };
    match &node.kind {
        Kind::Map(entries) => read_map(entries, node, budget),
        Kind::Seq(items) if items.is_empty() => {
            Err(node.error("empty selection", "the selection's list is empty"))
        }
        Kind::Seq(items) => {
            let mut parts = Vec::with_capacity(items.len());
            for item in items {
                parts.push(match &item.kind {
                    Kind::Map(entries) => read_map(entries, item, budget)?,
                    Kind::Scalar { .. } if item.is_null() => {
                        return Err(item.error("null keyword", "a keyword cannot be null"));
                    }
                    Kind::Scalar { .. } => {
                        budget.take(item)?;
                        leaf(None, &keyword, item)?
                    }
                    Kind::Seq(_) => {
                        return Err(item.error(
                            "nested list",
                            "a selection's list holds maps or values, not lists",
                        ));
                    }
                });
            }
            Ok(Match::or(parts))
        }
        Kind::Scalar { .. } if node.is_null() => {
            Err(node.error("empty selection", "the selection is empty"))
        }
        Kind::Scalar { .. } => {
            budget.take(node)?;
            leaf(None, &keyword, node)
        }
    }
}
