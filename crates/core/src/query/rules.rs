//! The detection terms of the language: `rule:`, `level:` (and `level>=…`), `tactic:` and
//! `technique:`, each selecting the rows of the detections it names.
//!
//! The language does not know Sigma: it is handed, per evaluation, one [`RuleRows`] per loaded
//! rule (its names, level, ATT&CK tags and matching rows), which the engine fills from the rule
//! engine's hits. So `query/` depends on neither `detect/` nor `engine/` (the rule compiler may
//! use the query plan without a cycle), and a query evaluated without that context (the command
//! line's `--query`, the tests of other terms) simply finds no detections.

use super::bits::Bits;
use super::pattern::Glob;

/// Sigma's levels from least to most severe; [`RuleRows::level`] is an index into it.
pub const LEVELS: [&str; 5] = ["informational", "low", "medium", "high", "critical"];

/// One loaded rule as the query language sees it.
#[derive(Clone, Copy, Debug)]
pub struct RuleRows<'a> {
    /// The rule's id (what `Detection.rule` says).
    pub id: &'a str,
    /// Its `name:`, if it has one (the findings rules: `logging`, `root`, …).
    pub name: Option<&'a str>,
    pub title: &'a str,
    /// An index into [`LEVELS`].
    pub level: usize,
    /// ATT&CK tactic shortnames (`defense-evasion`).
    pub tactics: &'a [String],
    /// ATT&CK technique ids (`T1562.008`).
    pub techniques: &'a [String],
    /// The rows it matched, ascending.
    pub rows: &'a [u32],
}

/// What a detection term selects.
#[derive(Clone, Debug)]
pub(crate) enum RuleTerm {
    /// `rule:<glob>`: a rule whose id, name or title matches.
    Rule(Glob),
    /// `level:…`: a rule whose level index lies in `lo..=hi`.
    Level(usize, usize),
    /// `tactic:<glob>`: a rule with a matching tactic.
    Tactic(Glob),
    /// `technique:<glob>`: a rule with a matching technique.
    Technique(Glob),
}

/// The detection field a name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RuleField {
    Rule,
    Level,
    Tactic,
    Technique,
}

impl RuleTerm {
    fn selects(&self, r: &RuleRows<'_>) -> bool {
        match self {
            RuleTerm::Rule(g) => {
                g.matches(r.id) || r.name.is_some_and(|n| g.matches(n)) || g.matches(r.title)
            }
            RuleTerm::Level(lo, hi) => (*lo..=*hi).contains(&r.level),
            RuleTerm::Tactic(g) => r.tactics.iter().any(|t| g.matches(t)),
            RuleTerm::Technique(g) => r.techniques.iter().any(|t| g.matches(t)),
        }
    }

    /// The union of the rows of the rules it selects, over `n` rows.
    pub(crate) fn bits(&self, rules: &[RuleRows<'_>], n: usize) -> Bits {
        let mut out = Bits::empty(n);
        for r in rules.iter().filter(|r| self.selects(r)) {
            for &row in r.rows {
                out.set(row as usize);
            }
        }
        out
    }
}

const LEVEL_HINT: &str =
    "levels are informational, low, medium, high, critical; e.g. level:high or level>=medium";

/// The term for `field` `op` value (`op` one of `:`, `>`, `>=`, `<`, `<=`), or the error
/// message and hint. `chars` are (char, escaped) as the parser read them; `quoted` values have
/// no wildcards.
pub(crate) fn rule_term(
    field: RuleField,
    op: &str,
    chars: &[(char, bool)],
    quoted: bool,
) -> Result<RuleTerm, (String, String)> {
    let glob = || Glob::new(chars, !quoted);
    match field {
        RuleField::Rule => Ok(RuleTerm::Rule(glob())),
        RuleField::Tactic => Ok(RuleTerm::Tactic(glob())),
        RuleField::Technique => Ok(RuleTerm::Technique(glob())),
        RuleField::Level => {
            let text: String = chars.iter().map(|&(c, _)| c).collect();
            if !quoted && op == ":" && text == "*" {
                return Ok(RuleTerm::Level(0, LEVELS.len() - 1));
            }
            let Some(i) = LEVELS.iter().position(|l| l.eq_ignore_ascii_case(&text)) else {
                return Err((format!("unknown level '{text}'"), LEVEL_HINT.to_string()));
            };
            let top = LEVELS.len() - 1;
            // `level>critical` and `level<informational` select nothing: an empty range (1, 0).
            let (lo, hi) = match op {
                ">" => (i + 1, top),
                ">=" => (i, top),
                "<" => i.checked_sub(1).map_or((1, 0), |h| (0, h)),
                "<=" => (0, i),
                _ => (i, i),
            };
            Ok(RuleTerm::Level(lo, hi))
        }
    }
}
