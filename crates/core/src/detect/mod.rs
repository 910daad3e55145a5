//! Detections: Sigma rules read into an engine-independent form, and a naive reference evaluator.
//!
//! * [`rule`]: the rule model and [`parse_rules`]; [`meta`]: level and ATT&CK tags;
//!   [`correlation`]: the correlation rule format.
//! * `yaml` (private): YAML documents as a tree with positions (`saphyr-parser`; why is there).
//! * `selection` (private) and [`condition`]: the detection section, compiled to [`Match`].
//! * [`compiled`]: the [`Match`] tree that a later step compiles into the columnar query plan;
//!   [`pattern`]: Sigma wildcards; [`re`]: the one module naming the regex crate.
//! * [`naive`] and [`naive_correlation`]: the reference semantics, one JSON event (or a slice of
//!   them) at a time, against which faster evaluators are checked.
//! * [`set`]: the loaded rules ([`RuleSet`]: built-in and the user's files, their metadata and
//!   problems) and running them over a store into [`Hits`]; `builtin` (private) embeds the
//!   shipped rule files, `run` (private) evaluates them.
//!
//! Every problem with a rule is a [`RuleError`] with line and column; nothing here panics on a
//! hostile rule, and each limit (values, nesting, sizes) is a named constant in its module.

mod builtin;
pub mod compiled;
pub mod condition;
mod correlate;
pub mod correlation;
mod error;
mod eval;
mod extract;
mod index;
pub mod meta;
pub mod naive;
pub mod naive_correlation;
pub mod pattern;
mod plan;
pub mod re;
mod rows;
pub mod rule;
mod run;
mod selection;
pub mod set;
mod yaml;

pub use compiled::{Cidr, Cmp, Match, Op, RefKind};
pub use correlation::{Correlation, CorrelationType, RuleRef};
pub use error::RuleError;
pub use index::DetectCache;
pub use meta::{Level, Tag, TagKind};
pub use rule::{check_references, parse_rule, parse_rules, Logsource, Rule, RuleBody};
pub use selection::MAX_VALUES;
pub use set::{Hits, RuleMeta, RuleOrigin, RuleProblem, RuleSet};
pub use yaml::{MAX_BYTES, MAX_DEPTH, MAX_NODES};
