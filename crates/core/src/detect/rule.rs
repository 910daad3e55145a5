//! The Sigma rule model and its reading from a YAML document: metadata, then either a detection
//! (selections and a condition, compiled to one [`Match`]) or a correlation over other rules.
//!
//! Unknown top-level keys (`fields`, `related`, `license`, …) are ignored as Sigma allows; known
//! ones of the wrong shape are errors. Text fields are capped (a title at Sigma's 256 characters,
//! other text at [`MAX_TEXT`]) so a hostile rule cannot make the page carry megabytes of it. A
//! list of conditions means their `or`.

use super::compiled::Match;
use super::condition;
use super::correlation::{self, Correlation};
use super::error::RuleError;
use super::meta::{Level, Tag};
use super::selection::{read_selection, Budget};
use super::yaml::{self, Kind, Node};

/// The longest title, in characters (Sigma's own limit).
pub const MAX_TITLE: usize = 256;
/// The longest other text field, in characters.
pub const MAX_TEXT: usize = 64 * 1024;

/// Where a rule's events come from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Logsource {
    pub product: Option<String>,
    pub service: Option<String>,
    pub category: Option<String>,
    pub definition: Option<String>,
}

/// What a rule does: test single events, or correlate other rules' matches.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleBody {
    Detection(Match),
    Correlation(Correlation),
}

/// One Sigma rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub title: String,
    pub id: Option<String>,
    /// The `name` a correlation may refer to instead of the id.
    pub name: Option<String>,
    pub status: Option<String>,
    pub description: Option<String>,
    pub references: Vec<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub modified: Option<String>,
    pub tags: Vec<Tag>,
    pub logsource: Logsource,
    pub falsepositives: Vec<String>,
    pub level: Option<Level>,
    pub body: RuleBody,
}

impl Rule {
    /// The detection's match tree (`None` for a correlation rule).
    pub fn detection(&self) -> Option<&Match> {
        match &self.body {
            RuleBody::Detection(m) => Some(m),
            RuleBody::Correlation(_) => None,
        }
    }

    /// The ATT&CK technique ids of its tags (`T1562.008`).
    pub fn techniques(&self) -> Vec<&str> {
        self.tags
            .iter()
            .filter_map(|t| match &t.kind {
                super::meta::TagKind::Technique(id) => Some(id.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The ATT&CK tactics of its tags (`defense-evasion`).
    pub fn tactics(&self) -> Vec<&str> {
        self.tags
            .iter()
            .filter_map(|t| match &t.kind {
                super::meta::TagKind::Tactic(id) => Some(id.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// Reads every rule of a YAML text (one per `---` document), each on its own: one bad rule is one
/// error, the others are read.
pub fn parse_rules(text: &str) -> Vec<Result<Rule, RuleError>> {
    parse_rules_named(text).into_iter().map(|(_, r)| r).collect()
}

/// [`parse_rules`], each document with what names it when its YAML could be read: its `title`
/// (or else its `id`) as written, up to [`MAX_TITLE`] characters, so a rule that cannot be used
/// is still named to the user.
pub fn parse_rules_named(text: &str) -> Vec<(Option<String>, Result<Rule, RuleError>)> {
    yaml::documents(text)
        .into_iter()
        .map(|d| match d {
            Ok(n) => (name_of(&n), read_rule(&n)),
            Err(e) => (None, Err(e)),
        })
        .collect()
}

fn name_of(doc: &Node) -> Option<String> {
    let scalar =
        |k: &str| doc.get(k).and_then(Node::scalar).map(str::trim).filter(|s| !s.is_empty());
    let name = scalar("title").or_else(|| scalar("id"))?;
    Some(name.chars().take(MAX_TITLE).collect())
}

/// Reads a text holding exactly one rule.
pub fn parse_rule(text: &str) -> Result<Rule, RuleError> {
    let mut all = parse_rules(text);
    match all.len() {
        1 => all.pop().unwrap_or_else(|| Err(RuleError::new(1, 1, "document", "no rule"))),
        0 => Err(RuleError::new(1, 1, "empty document", "the text holds no rule")),
        n => {
            Err(RuleError::new(1, 1, "several documents", format!("the text holds {n} documents")))
        }
    }
}

/// The correlation rules of `rules` that refer to a rule not in `rules` (by id or name): the index
/// of each such correlation and the error at its first unknown reference.
pub fn check_references(rules: &[Rule]) -> Vec<(usize, RuleError)> {
    let known = |name: &str| {
        rules.iter().any(|r| r.id.as_deref() == Some(name) || r.name.as_deref() == Some(name))
    };
    let mut out = Vec::new();
    for (i, r) in rules.iter().enumerate() {
        let RuleBody::Correlation(c) = &r.body else { continue };
        if let Some(bad) = c.rules.iter().find(|x| !known(&x.name)) {
            let m = format!("the correlation refers to `{}`, which is not a known rule", bad.name);
            out.push((i, RuleError::new(bad.line, bad.column, format!("rule `{}`", bad.name), m)));
        }
    }
    out
}

fn text(node: &Node, key: &str, max: usize) -> Result<String, RuleError> {
    let construct = format!("`{key}`");
    let Some(s) = node.scalar().filter(|_| !node.is_null()) else {
        return Err(
            node.error(construct, format!("`{key}` must be text, not {}", node.kind_name()))
        );
    };
    let n = s.chars().count();
    if n > max {
        let m = format!("`{key}` is {n} characters long, more than the {max} accepted");
        return Err(node.error(construct, m));
    }
    Ok(s.to_string())
}

fn opt_text(doc: &Node, key: &str, max: usize) -> Result<Option<String>, RuleError> {
    doc.get(key).filter(|n| !n.is_null()).map(|n| text(n, key, max)).transpose()
}

/// A list of text, or one text standing for a list of one.
fn text_list(doc: &Node, key: &str) -> Result<Vec<String>, RuleError> {
    match doc.get(key) {
        None => Ok(Vec::new()),
        Some(n) if n.is_null() => Ok(Vec::new()),
        Some(n @ Node { kind: Kind::Seq(items), .. }) => {
            if items.len() > super::selection::MAX_VALUES {
                return Err(n.error(format!("`{key}`"), format!("`{key}` has too many entries")));
            }
            items.iter().filter(|i| !i.is_null()).map(|i| text(i, key, MAX_TEXT)).collect()
        }
        Some(n) => Ok(vec![text(n, key, MAX_TEXT)?]),
    }
}

fn read_rule(doc: &Node) -> Result<Rule, RuleError> {
    if doc.entries().is_none() {
        let m = format!("a rule is a map of fields, not {}", doc.kind_name());
        return Err(doc.error("rule", m));
    }
    let title = match doc.get("title") {
        Some(t) => text(t, "title", MAX_TITLE)?,
        None => return Err(doc.error("`title`", "the rule has no `title`")),
    };
    let level = match doc.get("level").filter(|n| !n.is_null()) {
        Some(l) => match l.scalar().and_then(|s| Level::parse(&s.to_ascii_lowercase())) {
            Some(level) => Some(level),
            None => {
                let m = "`level` is one of informational, low, medium, high, critical";
                return Err(l.error("`level`", m));
            }
        },
        None => None,
    };
    let logsource = match doc.get("logsource").filter(|n| !n.is_null()) {
        Some(l) if l.entries().is_none() => {
            return Err(l.error("`logsource`", "`logsource` must be a map"))
        }
        Some(l) => Logsource {
            product: opt_text(l, "product", MAX_TEXT)?,
            service: opt_text(l, "service", MAX_TEXT)?,
            category: opt_text(l, "category", MAX_TEXT)?,
            definition: opt_text(l, "definition", MAX_TEXT)?,
        },
        None => Logsource::default(),
    };
    let body = match (doc.get("detection"), doc.get("correlation")) {
        (Some(d), None) => RuleBody::Detection(read_detection(d)?),
        (None, Some(c)) => RuleBody::Correlation(correlation::read(c)?),
        (Some(_), Some(c)) => {
            return Err(
                c.error("`correlation`", "a rule has `detection` or `correlation`, not both")
            );
        }
        (None, None) => {
            return Err(
                doc.error("`detection`", "the rule has neither `detection` nor `correlation`")
            );
        }
    };
    Ok(Rule {
        title,
        id: opt_text(doc, "id", MAX_TITLE)?,
        name: opt_text(doc, "name", MAX_TITLE)?,
        status: opt_text(doc, "status", MAX_TITLE)?,
        description: opt_text(doc, "description", MAX_TEXT)?,
        references: text_list(doc, "references")?,
        author: opt_text(doc, "author", MAX_TEXT)?,
        date: opt_text(doc, "date", MAX_TITLE)?,
        modified: opt_text(doc, "modified", MAX_TITLE)?,
        tags: text_list(doc, "tags")?.iter().map(|t| Tag::parse(t)).collect(),
        logsource,
        falsepositives: text_list(doc, "falsepositives")?,
        level,
        body,
    })
}

/// The condition string's position: a single-line scalar's characters start one column later
/// when it is quoted.
fn condition_error(node: &Node, e: condition::CondError) -> RuleError {
    let quoted = matches!(&node.kind, Kind::Scalar { plain: false, .. });
    let column = node.column + e.offset + usize::from(quoted);
    let message = format!("{} (at character {} of the condition)", e.message, e.offset + 1);
    RuleError::new(node.line, column, e.construct, message)
}

fn read_detection(d: &Node) -> Result<Match, RuleError> {
    let Some(entries) = d.entries() else {
        return Err(
            d.error("`detection`", "`detection` must be a map of selections and a condition")
        );
    };
    let mut budget = Budget::default();
    let mut selections = Vec::with_capacity(entries.len());
    let mut condition = None;
    let mut timeframe = None;
    for (k, v) in entries {
        match k.scalar() {
            Some("condition") => condition = Some(v),
            Some("timeframe") => timeframe = Some(k),
            Some(name) => selections.push((name.to_string(), read_selection(v, &mut budget)?)),
            None => return Err(k.error("selection name", "a selection name must be a scalar")),
        }
    }
    let Some(cnode) = condition else {
        return Err(d.error("`condition`", "the detection has no `condition`"));
    };
    let texts: Vec<&Node> = match &cnode.kind {
        Kind::Seq(items) if !items.is_empty() => items.iter().collect(),
        Kind::Scalar { .. } if !cnode.is_null() => vec![cnode],
        _ => return Err(cnode.error("`condition`", "`condition` must be text")),
    };
    let mut parts = Vec::with_capacity(texts.len());
    for t in texts {
        let Some(s) = t.scalar() else {
            return Err(t.error("`condition`", "`condition` must be text"));
        };
        let c = condition::parse(s).map_err(|e| condition_error(t, e))?;
        parts.push(condition::resolve(&c, &selections).map_err(|e| condition_error(t, e))?);
    }
    if let Some(tf) = timeframe {
        let m = "`timeframe` in a detection is the deprecated aggregation syntax: write a \
                 correlation rule (`correlation:` with `timespan`) that refers to this rule";
        return Err(tf.error("aggregation `timeframe`", m));
    }
    Ok(Match::or(parts))
}
