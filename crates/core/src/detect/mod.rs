//! Detections: Sigma rules read into an engine-independent form, run over the columnar store,
//! and a naive reference evaluator the fast path is tested against.
//!
//! * [`rule`]: the rule model and [`parse_rules`]; [`meta`]: level and ATT&CK tags;
//!   [`correlation`]: the correlation rule format.
//! * `yaml` (private): YAML documents as a tree with positions (`saphyr-parser`; why is there).
//! * `selection` (private) and [`condition`]: the detection section, compiled to [`Match`].
//! * [`compiled`]: the engine-independent [`Match`] tree; [`pattern`]: Sigma wildcards; [`re`]:
//!   the one module naming the regex crate.
//! * [`naive`] and [`naive_correlation`]: the reference semantics, one JSON event (or a slice of
//!   them) at a time, against which the store's evaluation is checked.
//! * [`set`]: the loaded rules ([`RuleSet`]: built-in and the user's files, their metadata and
//!   problems) and running them over a store into [`Hits`]; `builtin` embeds the shipped files.
//! * Running (all private): `run` registers the paths the rules read and runs each rule; `plan`
//!   compiles a [`Match`] into tests on those paths, `eval` evaluates them on row sets (`rows`)
//!   within candidate rows; `index` is the path index ([`DetectCache`]: each path's values per
//!   row, interned, read by `extract` from the raw records in one pass per row, or taken from the
//!   store's columns where they are faithful); `correlate` builds correlation windows from rows, and `shared` over several workers' rows.
//!   `hits` holds the answer. Dependencies point one way: set → run → correlate → eval → plan →
//!   index → extract → naive.
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
mod hits;
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
mod shared;
mod yaml;

pub use compiled::{Cidr, Cmp, Match, Op, RefKind};
pub use correlate::Window;
pub use correlation::{Correlation, CorrelationType, RuleRef};
pub use error::RuleError;
pub use hits::Hits;
pub use index::DetectCache;
pub use meta::{Level, Tag, TagKind};
pub use rule::{
    check_references, parse_rule, parse_rules, parse_rules_named, Logsource, Rule, RuleBody,
};
pub use selection::MAX_VALUES;
pub use set::{RuleMeta, RuleOrigin, RuleProblem, RuleSet};
pub use shared::{fire_parts, CorrPart, NO_VALUE};
pub use yaml::{MAX_BYTES, MAX_DEPTH, MAX_NODES};
