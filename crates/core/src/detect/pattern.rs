//! Sigma's wildcard values: `*` (any run of characters), `?` (one character) and the backslash
//! escapes that make them literal. Kept apart from the compiled form so the later columnar step
//! can reuse the same parser and matcher on dictionary values.
//!
//! Escaping follows the Sigma specification: `\*` and `\?` are a literal `*` and `?`, `\\` is one
//! literal backslash, and a backslash before anything else stays a backslash (so `C:\Windows` needs
//! no escaping, and `\\*` is a backslash followed by a wildcard).

/// One piece of a wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Lit(String),
    /// `?`: exactly one character.
    AnyOne,
    /// `*`: any run of characters, empty included.
    AnyRun,
}

/// A wildcard pattern matched against a whole string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub pieces: Vec<Piece>,
}

impl Pattern {
    /// Reads a Sigma value: wildcards active, backslash escapes resolved.
    pub fn parse_sigma(value: &str) -> Pattern {
        let mut p = Pattern { pieces: Vec::new() };
        let mut lit = String::new();
        let mut chars = value.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.peek() {
                    Some(&n @ ('*' | '?' | '\\')) => {
                        lit.push(n);
                        chars.next();
                    }
                    _ => lit.push('\\'),
                },
                '*' | '?' => {
                    p.push_lit(&mut lit);
                    p.push(if c == '*' { Piece::AnyRun } else { Piece::AnyOne });
                }
                _ => lit.push(c),
            }
        }
        p.push_lit(&mut lit);
        p
    }

    fn push_lit(&mut self, lit: &mut String) {
        if !lit.is_empty() {
            self.pieces.push(Piece::Lit(std::mem::take(lit)));
        }
    }

    /// Appends a piece, merging runs of `*` (they mean the same as one).
    pub fn push(&mut self, piece: Piece) {
        if piece == Piece::AnyRun && self.pieces.last() == Some(&Piece::AnyRun) {
            return;
        }
        self.pieces.push(piece);
    }

    /// The pattern with `*` added before (`contains`, `endswith`) and/or after (`contains`,
    /// `startswith`).
    pub fn wrapped(self, before: bool, after: bool) -> Pattern {
        let mut p = Pattern { pieces: Vec::with_capacity(self.pieces.len() + 2) };
        if before {
            p.push(Piece::AnyRun);
        }
        for piece in self.pieces {
            p.push(piece);
        }
        if after {
            p.push(Piece::AnyRun);
        }
        p
    }

    /// The same pattern with its literals in Unicode lowercase.
    pub fn lowercased(self) -> Pattern {
        let pieces = self
            .pieces
            .into_iter()
            .map(|p| match p {
                Piece::Lit(s) => Piece::Lit(s.to_lowercase()),
                other => other,
            })
            .collect();
        Pattern { pieces }
    }

    /// Whether the whole of `text` matches (characters, not bytes, for `?`). Linear in practice;
    /// at worst the length of the text times the number of pieces.
    pub fn is_match(&self, text: &str) -> bool {
        let mut rest = text;
        let mut pieces = self.pieces.iter().peekable();
        // The text after the last `*` seen, and the pieces after it, to retry from one char later.
        let mut retry: Option<(&str, std::iter::Peekable<std::slice::Iter<'_, Piece>>)> = None;
        loop {
            let step = match pieces.peek() {
                None if rest.is_empty() => return true,
                None => false,
                Some(Piece::AnyRun) => {
                    pieces.next();
                    if pieces.peek().is_none() {
                        return true;
                    }
                    retry = Some((rest, pieces.clone()));
                    continue;
                }
                Some(Piece::AnyOne) => match rest.chars().next() {
                    Some(c) => {
                        rest = rest.get(c.len_utf8()..).unwrap_or("");
                        pieces.next();
                        true
                    }
                    None => false,
                },
                Some(Piece::Lit(l)) => match rest.strip_prefix(l.as_str()) {
                    Some(r) => {
                        rest = r;
                        pieces.next();
                        true
                    }
                    None => false,
                },
            };
            if step {
                continue;
            }
            match retry.take() {
                Some((from, after)) => match from.chars().next() {
                    Some(c) => {
                        let from = from.get(c.len_utf8()..).unwrap_or("");
                        rest = from;
                        pieces = after.clone();
                        retry = Some((from, after));
                    }
                    None => return false,
                },
                None => return false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, t: &str) -> bool {
        Pattern::parse_sigma(p).is_match(t)
    }

    #[test]
    fn wildcards_and_escapes() {
        assert!(m("a*c", "abbbc") && m("a*c", "ac") && !m("a*c", "acb"));
        assert!(m("a?c", "abc") && !m("a?c", "ac") && m("a?c", "aéc"));
        assert!(m("*", "") && m("**", "x") && m("*b*", "abc") && !m("*d*", "abc"));
        assert!(m(r"a\*c", "a*c") && !m(r"a\*c", "abc"));
        assert!(m(r"a\?c", "a?c") && !m(r"a\?c", "abc"));
        assert!(m(r"C:\Windows", r"C:\Windows"));
        assert!(m(r"a\\*", r"a\xyz") && !m(r"a\\*", "axyz"));
        assert!(m("*a*a*a*b", "aaaaaaaaab") && !m("*a*a*a*b", "aaaaaaaaa"));
        assert_eq!(
            Pattern::parse_sigma("x**y").pieces,
            vec![Piece::Lit("x".into()), Piece::AnyRun, Piece::Lit("y".into())]
        );
    }
}
