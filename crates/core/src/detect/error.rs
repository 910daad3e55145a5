//! The one error type of the Sigma reader: every problem with a rule, from a YAML syntax error to
//! an unknown modifier, is a [`RuleError`] with the 1-based line and column where it was found and
//! the construct it concerns, so the page can point at it and the other rules go on.

use std::fmt;

/// A rule that could not be read or compiled. `line` and `column` are 1-based and point into the
/// YAML text the rule came from; `construct` names what is wrong or unsupported (e.g.
/// "modifier `base64`", "aggregation `| count()`", "selection `filter`").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub construct: String,
}

impl RuleError {
    pub(crate) fn new(
        line: usize,
        column: usize,
        construct: impl Into<String>,
        message: impl Into<String>,
    ) -> RuleError {
        RuleError { line, column, message: message.into(), construct: construct.into() }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {} ({})",
            self.line, self.column, self.message, self.construct
        )
    }
}

impl std::error::Error for RuleError {}
