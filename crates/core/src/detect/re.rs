//! The single place that names the regex crate, so the choice can be swapped without touching the
//! reader or the evaluators.
//!
//! `regex-lite` is used: it guarantees matching in time linear in the haystack (no backtracking
//! blow-up on a hostile pattern), and it is much smaller in a wasm bundle than `regex`, at the cost
//! of Unicode classes (`\p{..}`; `\w`, `\d` and case folding are ASCII-only) and speed on large
//! inputs. That trade can be revisited once the columnar step measures it; only this file changes.
//! Patterns are compiled with size and nesting limits, so a huge pattern is an error, not a hang.

use std::fmt;

/// The longest pattern accepted, in bytes.
pub const MAX_PATTERN_BYTES: usize = 16 * 1024;
/// The compiled program's size limit (`RegexBuilder::size_limit`).
pub const SIZE_LIMIT: usize = 1 << 20;
/// The deepest group nesting accepted (`RegexBuilder::nest_limit`).
pub const NEST_LIMIT: u32 = 64;

/// The `re` sub-modifiers: `i` (ignore case), `m` (multi-line), `s` (dot matches newline).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReFlags {
    pub ignore_case: bool,
    pub multi_line: bool,
    pub dot_all: bool,
}

/// A compiled regular expression; two are equal when their source and flags are.
#[derive(Clone)]
pub struct Regex {
    inner: regex_lite::Regex,
    flags: ReFlags,
}

impl Regex {
    /// Compiles `source` with `flags`, within the limits above. Sigma regexes are case-sensitive
    /// unless the `i` sub-modifier is given.
    pub fn new(source: &str, flags: ReFlags) -> Result<Regex, String> {
        if source.len() > MAX_PATTERN_BYTES {
            return Err(format!(
                "the pattern is {} bytes, more than the {MAX_PATTERN_BYTES} accepted",
                source.len()
            ));
        }
        let inner = regex_lite::RegexBuilder::new(source)
            .case_insensitive(flags.ignore_case)
            .multi_line(flags.multi_line)
            .dot_matches_new_line(flags.dot_all)
            .size_limit(SIZE_LIMIT)
            .nest_limit(NEST_LIMIT)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Regex { inner, flags })
    }

    /// Whether the pattern matches anywhere in `text` (Sigma regexes are not anchored).
    pub fn is_match(&self, text: &str) -> bool {
        self.inner.is_match(text)
    }

    pub fn as_str(&self) -> &str {
        self.inner.as_str()
    }

    pub fn flags(&self) -> ReFlags {
        self.flags
    }
}

impl PartialEq for Regex {
    fn eq(&self, other: &Regex) -> bool {
        self.as_str() == other.as_str() && self.flags == other.flags
    }
}

impl fmt::Debug for Regex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Regex").field("source", &self.as_str()).field("flags", &self.flags).finish()
    }
}
