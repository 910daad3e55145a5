//! The query language: parsing the search box text and evaluating it over the columnar [`Store`]
//! into the matching rows, with the text index that speeds up free text, and the text of a field
//! for one row. What the UI computes from the matches (facets, histogram, order, exports,
//! findings) is in [`crate::answer`], which uses this module and is never used by it.
//!
//! # Shape, and why
//!
//! * **Parse once, evaluate over columns.** [`parse`] turns the search box text into a small AST
//!   (or a [`QueryError`] with byte offsets and a hint). [`Query::run`] evaluates it into a bitset
//!   over rows and returns the matching row ids in ascending order.
//! * **Field terms are resolved against the dictionaries first.** A term on an indexed column
//!   (`user:`, `service:`, `ip:`, …) is matched once per *distinct* value (wildcards, CIDR and case
//!   folding are paid per dictionary entry, not per event), giving a mask of ids; then one pass over
//!   the column's `u32`s sets the row bits. Time terms are one pass over the `i64` times.
//! * **Booleans on bitsets** (`bits`, shared by evaluation and the text filters, which produce
//!   them). AND/OR/NOT are word-wise operations. An AND evaluates its cheap
//!   children (columns, time) first and hands the running intersection to its expensive children
//!   (free text, nested paths) as *candidates*, so those only look at rows that can still match.
//! * **Free text** is a case-insensitive (ASCII) substring test on the record's JSON text. Without
//!   an index every candidate record is lower-cased into a reused buffer and searched with
//!   `memchr::memmem`. A [`TextIndex`] (a per-block bloom filter of lower-cased trigrams, built
//!   once after loading by [`TextIndex::build`]) lets [`Query::run_indexed`] skip the blocks that
//!   cannot contain the text.
//! * **Nested paths** (`requestParameters.bucketName:logs*`) are prefiltered by substring tests on
//!   the raw text (the last key as `"key"`, and the longest literal part of the value when it is
//!   safe to) and only the surviving records are walked with a borrowed serde visitor that follows
//!   the path and skips everything else (no `serde_json::Value`). Records that contain a `\u` or
//!   `\/` escape are never excluded by a prefilter, so escapes cannot hide a match.
//!
//! # Grammar
//!
//! ```text
//! query      := or?                                   (empty = every event)
//! or         := and ( "OR" and )*
//! and        := unary ( "AND"? unary )*               (juxtaposition is AND)
//! unary      := ( "NOT" | "-" ) unary | primary        ("-" must touch what it negates)
//! primary    := "(" or ")" | term
//! term       := field ":" value                        match (see below)
//!             | field ( ">" | ">=" | "<" | "<=" ) time  (time only; ":>" etc. also accepted)
//!             | "time:" ( time | "[" bound "TO" bound "]" | "*" )
//!             | "last:" N ( "s" | "m" | "h" | "d" | "w" )
//!             | ( "rule" | "tactic" | "technique" ) ":" value
//!             | "level" ( ":" | ">" | ">=" | "<" | "<=" ) level
//!             | "\"" phrase "\"" | word                free text
//! field      := alias | path                           (case-insensitive)
//! path       := key ( "." key )*                       first key a CloudTrail top-level key,
//!             | "$." key ( "." key )*                  or anything after "$."
//! value      := "*" | glob | "\"" literal "\"" | cidr  (cidr on ip only)
//! ```
//!
//! * Operators `AND`, `OR`, `NOT`, `TO` are upper case; lower-case `and`/`or` are words.
//!   Precedence: NOT > AND > OR.
//! * Words and unquoted values end at whitespace or a parenthesis; `\` escapes the next character.
//! * Matching is case-insensitive for ASCII letters (field values, keys and free text).
//! * A glob matches the *whole* value: `*` any run of characters, `?` one character. In a quoted
//!   value `*` and `?` are literal. `field:*` = has a non-empty value, `-field:*` = missing or
//!   empty, `field:""` = missing or empty.
//! * Free text matches anywhere in the record's JSON text (keys included). Leading/trailing `*` on
//!   a word are ignored; a `*` or `?` inside a word is an error (use `field:value` for patterns).
//!   A word that looks like an ARN (`arn:aws:…`) is free text.
//! * `service:` also matches without the `.amazonaws.com` suffix (`service:s3`).
//! * `ip:` (and `sourceIPAddress:`) takes a CIDR (`10.0.0.0/8`, `2001:db8::/32`) or an address
//!   (compared as an address, so `::1` = `0::1`), or a glob.
//! * Times are UTC unless they carry a zone: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `…THH`, `…THH:MM`,
//!   `…THH:MM:SS[.fff]`, optionally `Z`/`±hh:mm`. A time denotes the whole period of its precision:
//!   `time:2024-03-01` is that day, `time>2024-03-01` starts after it, `time>=2024-03-01` includes
//!   it, `time<=2024-03-01` ends with it, `time:[A TO B]` is from the start of A to the end of B
//!   (`{A TO B}` excludes both, `*` is open). Events without a time never match a time term.
//! * `last:1h` = events at or after (latest event time in the store − 1 hour).
//! * Detection terms select the events of the loaded rules' detections (the union of the rows of
//!   every rule they name): `rule:` a glob on the rule's id, `name` or title; `level:` one of
//!   informational, low, medium, high, critical, or a comparison (`level>=medium`); `tactic:` a
//!   glob on its ATT&CK tactic shortnames (`defense-evasion`); `technique:` a glob on its
//!   technique ids (`T1562*`). The rules' matches are handed in by the engine
//!   ([`Query::run_with`]); without them these terms select nothing.
//! * Nested paths read the record's JSON: arrays are transparent (any element may match), keys
//!   compare case-insensitively, numbers and booleans compare as their text, objects only match `*`.
//!
//! Fields (aliases): see [`HELP`] and [`fields`].

mod bits;
mod eval;
mod fields;
mod help;
mod parse;
mod path;
mod pattern;
mod residual;
mod rules;
mod text;
mod who;

use crate::identity::Identities;
use crate::store::{Column, Store};

pub use fields::{field_text, field_text_in};
pub(crate) use fields::{resolve_alias, Alias};
pub use help::HELP;
pub use parse::QueryError;
pub use rules::{RuleRows, LEVELS};
pub use text::TextIndex;

/// What some terms need beyond the store: the loaded rules' rows (`rule:`, `level:`,
/// `tactic:`, `technique:`) and the identities (`origin:`, `session:`, `chain:`). Without them
/// those terms select nothing.
#[derive(Clone, Copy, Default)]
pub struct Context<'a> {
    pub rules: &'a [RuleRows<'a>],
    pub identities: Option<&'a Identities>,
}

/// A parsed query. Cheap to keep; evaluate it with [`Query::run`] or [`Query::run_indexed`].
#[derive(Clone, Debug)]
pub struct Query {
    root: Option<parse::Node>,
}

/// Parses the search box text. The empty (or all-blank) query matches every event.
pub fn parse(text: &str) -> Result<Query, QueryError> {
    Ok(Query { root: parse::parse(text)? })
}

impl Query {
    /// True for the empty query (every event).
    pub fn is_empty(&self) -> bool {
        self.root.is_none()
    }

    /// True when the query has a free-text term (an index would help).
    pub fn uses_text(&self) -> bool {
        self.root.as_ref().is_some_and(parse::Node::uses_text)
    }

    /// Whether it has a detection term (`rule:`, `level:`, `tactic:`, `technique:`), which needs
    /// the rules' rows ([`Query::run_with`]).
    pub fn uses_rules(&self) -> bool {
        self.root.as_ref().is_some_and(parse::Node::uses_rules)
    }

    /// Whether it has an identity term (`origin:`, `session:`, `chain:`), which needs the
    /// resolution ([`Query::run_in`]).
    pub fn uses_identities(&self) -> bool {
        self.root.as_ref().is_some_and(parse::Node::uses_identities)
    }

    /// The matching rows, ascending, scanning raw text for free-text terms.
    /// Detection terms select nothing (see [`Query::run_with`]).
    pub fn run(&self, store: &Store) -> Vec<u32> {
        eval::run(self.root.as_ref(), store, None, &Context::default())
    }

    /// The same answer as [`Query::run`], using `index` to skip blocks for free-text and path
    /// prefilters. Rows added to the store after the index was built are scanned.
    pub fn run_indexed(&self, store: &Store, index: &TextIndex) -> Vec<u32> {
        eval::run(self.root.as_ref(), store, Some(index), &Context::default())
    }

    /// The matching rows with the loaded rules' matches for the detection terms (`rule:`,
    /// `level:`, `tactic:`, `technique:`), and the text index if given.
    pub fn run_with(
        &self,
        store: &Store,
        index: Option<&TextIndex>,
        rules: &[RuleRows<'_>],
    ) -> Vec<u32> {
        self.run_in(store, index, &Context { rules, identities: None })
    }

    /// The matching rows with everything the terms may need (see [`Context`]).
    pub fn run_in(
        &self,
        store: &Store,
        index: Option<&TextIndex>,
        context: &Context<'_>,
    ) -> Vec<u32> {
        eval::run(self.root.as_ref(), store, index, context)
    }
}

/// The field names the language knows, as (name, meaning) pairs, for completion in the UI.
pub fn fields() -> &'static [(&'static str, &'static str)] {
    fields::FIELD_DOCS
}

/// The column a field name (alias) reads, if it is one of the indexed ones.
pub fn column_for(name: &str) -> Option<Column> {
    match resolve_alias(name) {
        Some(Alias::Column(c)) => Some(c),
        _ => None,
    }
}

#[cfg(test)]
pub(crate) mod tests;
