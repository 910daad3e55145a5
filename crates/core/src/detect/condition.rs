//! The `condition:` of a Sigma detection: parsed into a small tree ([`Cond`]) with each name's
//! position, then resolved against the rule's selections into one [`Match`].
//!
//! Grammar, with Sigma's precedence (`not` binds tighter than `and`, `and` tighter than `or`):
//!
//! ```text
//! or      := and ("or" and)*
//! and     := not ("and" not)*
//! not     := "not" not | primary
//! primary := "(" or ")" | ("1" | "all") "of" (name-pattern | "them") | name
//! ```
//!
//! Keywords are case-insensitive. `them` means every selection whose name does not start with
//! `_`; a name pattern may use `*`. The deprecated aggregation syntax (`sel | count() > 5`,
//! `| near`) is refused with a pointer to correlation rules. Nesting is limited to [`MAX_NESTING`]
//! so a hostile condition cannot exhaust the stack.

use super::compiled::Match;

/// The deepest nesting of parentheses and `not` accepted.
pub const MAX_NESTING: usize = 64;
/// The longest condition accepted, in bytes.
pub const MAX_LEN: usize = 16 * 1024;

/// What `1 of` / `all of` ranges over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Them,
    /// A selection name, possibly with `*` wildcards.
    Pattern(String),
}

/// A parsed condition. `usize` fields are character offsets into the condition string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cond {
    Name(String, usize),
    Not(Box<Cond>),
    And(Vec<Cond>),
    Or(Vec<Cond>),
    OneOf(Target, usize),
    AllOf(Target, usize),
}

/// A problem in a condition: the character offset in the condition string, the construct, and a
/// message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CondError {
    pub offset: usize,
    pub construct: String,
    pub message: String,
}

fn err(offset: usize, construct: impl Into<String>, message: impl Into<String>) -> CondError {
    CondError { offset, construct: construct.into(), message: message.into() }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Open,
    Close,
    Word(String),
}

const AGGREGATION: &str = "the aggregation syntax (`| count() > N`, `| near`) is deprecated \
     and not supported: write a correlation rule (`correlation:` with type event_count, \
     value_count or temporal, `group-by` and `timespan`) that refers to this rule";

fn tokens(s: &str) -> Result<Vec<(Tok, usize)>, CondError> {
    let mut out = Vec::new();
    let mut chars = s.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '(' => out.push((Tok::Open, i)),
            ')' => out.push((Tok::Close, i)),
            '|' => return Err(err(i, "aggregation `|`", AGGREGATION)),
            c if c.is_alphanumeric() || matches!(c, '_' | '-' | '*' | '.') => {
                let mut w = String::from(c);
                while let Some(&(_, n)) = chars.peek() {
                    if !(n.is_alphanumeric() || matches!(n, '_' | '-' | '*' | '.')) {
                        break;
                    }
                    w.push(n);
                    chars.next();
                }
                out.push((Tok::Word(w), i));
            }
            other => return Err(err(i, format!("`{other}`"), format!("unexpected `{other}`"))),
        }
    }
    Ok(out)
}

struct P {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    end: usize,
    depth: usize,
}

fn is_kw(t: Option<&(Tok, usize)>, kw: &str) -> bool {
    matches!(t, Some((Tok::Word(w), _)) if w.eq_ignore_ascii_case(kw))
}

impl P {
    fn peek(&self) -> Option<&(Tok, usize)> {
        self.toks.get(self.pos)
    }

    fn at(&self) -> usize {
        self.peek().map_or(self.end, |t| t.1)
    }

    fn deeper(&mut self) -> Result<(), CondError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            let m = format!("the condition nests deeper than {MAX_NESTING} levels");
            return Err(err(self.at(), "condition nesting", m));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Cond, CondError> {
        let mut items = vec![self.and()?];
        while is_kw(self.peek(), "or") {
            self.pos += 1;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Cond::Or(items) })
    }

    fn and(&mut self) -> Result<Cond, CondError> {
        let mut items = vec![self.not()?];
        while is_kw(self.peek(), "and") {
            self.pos += 1;
            items.push(self.not()?);
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Cond::And(items) })
    }

    fn not(&mut self) -> Result<Cond, CondError> {
        if is_kw(self.peek(), "not") {
            self.pos += 1;
            self.deeper()?;
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(Cond::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Cond, CondError> {
        let at = self.at();
        let Some((tok, _)) = self.peek().cloned() else {
            return Err(err(at, "condition", "the condition ends where a selection was expected"));
        };
        self.pos += 1;
        let word = match tok {
            Tok::Open => {
                self.deeper()?;
                let inner = self.or()?;
                self.depth -= 1;
                if self.peek().map(|t| &t.0) != Some(&Tok::Close) {
                    return Err(err(self.at(), "`(`", "this `(` is not closed by a `)`"));
                }
                self.pos += 1;
                return Ok(inner);
            }
            Tok::Close => return Err(err(at, "`)`", "a `)` without its `(`")),
            Tok::Word(w) => w,
        };
        let lower = word.to_ascii_lowercase();
        if is_kw(self.peek(), "of") {
            self.pos += 1;
            let target_at = self.at();
            let target = match self.peek().cloned() {
                Some((Tok::Word(t), _)) if t.eq_ignore_ascii_case("them") => Target::Them,
                Some((Tok::Word(t), _)) if !is_reserved(&t) => Target::Pattern(t),
                _ => {
                    let m = format!("`{word} of` must be followed by a selection name or `them`");
                    return Err(err(target_at, format!("`{word} of`"), m));
                }
            };
            self.pos += 1;
            return match lower.as_str() {
                "1" => Ok(Cond::OneOf(target, at)),
                "all" => Ok(Cond::AllOf(target, at)),
                _ => {
                    let m = "only `1 of` and `all of` are defined by Sigma";
                    Err(err(at, format!("`{word} of`"), m))
                }
            };
        }
        if is_reserved(&word) {
            return Err(err(
                at,
                format!("`{word}`"),
                format!("`{word}` where a selection was expected"),
            ));
        }
        Ok(Cond::Name(word, at))
    }
}

fn is_reserved(w: &str) -> bool {
    ["and", "or", "not", "of", "them", "all"].iter().any(|k| w.eq_ignore_ascii_case(k))
}

/// Parses a condition string.
pub fn parse(s: &str) -> Result<Cond, CondError> {
    if s.len() > MAX_LEN {
        return Err(err(
            0,
            "condition length",
            format!("the condition is longer than {MAX_LEN} bytes"),
        ));
    }
    let mut p = P { toks: tokens(s)?, pos: 0, end: s.chars().count(), depth: 0 };
    let c = p.or()?;
    if let Some((t, at)) = p.peek() {
        let what = match t {
            Tok::Open => "(".to_string(),
            Tok::Close => ")".to_string(),
            Tok::Word(w) => w.clone(),
        };
        return Err(err(
            *at,
            format!("`{what}`"),
            format!("unexpected `{what}` (missing `and`/`or`?)"),
        ));
    }
    Ok(c)
}

/// Whether a selection name matches a `1 of` pattern (`*` any run of characters).
fn name_matches(pattern: &str, name: &str) -> bool {
    let p = super::pattern::Pattern::parse_sigma(&pattern.replace('?', "\\?"));
    p.is_match(name)
}

/// Replaces names by their selections' matches.
pub fn resolve(c: &Cond, selections: &[(String, Match)]) -> Result<Match, CondError> {
    Ok(match c {
        Cond::Name(n, at) => match selections.iter().find(|(s, _)| s == n) {
            Some((_, m)) => m.clone(),
            None => {
                let m = format!("the condition names `{n}`, which is not a selection of this rule");
                return Err(err(*at, format!("selection `{n}`"), m));
            }
        },
        Cond::Not(inner) => Match::Not(Box::new(resolve(inner, selections)?)),
        Cond::And(items) => {
            Match::and(items.iter().map(|i| resolve(i, selections)).collect::<Result<_, _>>()?)
        }
        Cond::Or(items) => {
            Match::or(items.iter().map(|i| resolve(i, selections)).collect::<Result<_, _>>()?)
        }
        Cond::OneOf(t, at) | Cond::AllOf(t, at) => {
            let picked: Vec<Match> = selections
                .iter()
                .filter(|(name, _)| match t {
                    Target::Them => !name.starts_with('_'),
                    Target::Pattern(p) => name_matches(p, name),
                })
                .map(|(_, m)| m.clone())
                .collect();
            if picked.is_empty() {
                let what = match t {
                    Target::Them => "them".to_string(),
                    Target::Pattern(p) => p.clone(),
                };
                let m = format!("`{what}` matches no selection of this rule");
                return Err(err(*at, format!("selection `{what}`"), m));
            }
            if matches!(c, Cond::AllOf(..)) {
                Match::and(picked)
            } else {
                Match::or(picked)
            }
        }
    })
}
