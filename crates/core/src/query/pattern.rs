//! Value patterns: case-insensitive globs, IP addresses and CIDR blocks, and the time values of
//! the language with their precision (a day, a minute, …), each evaluated on plain strings so the
//! same code serves dictionary entries and nested JSON values.

use std::net::IpAddr;

use crate::time::parse_time_ms;

/// One piece of a glob.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Literal text, ASCII-lower-cased.
    Lit(String),
    /// `*`: any run of characters.
    Star,
    /// `?`: exactly one character.
    One,
}

/// A whole-value glob, case-insensitive for ASCII.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Glob {
    pub(crate) pieces: Vec<Piece>,
}

impl Glob {
    /// Builds from (char, escaped) pairs: unescaped `*`/`?` are wildcards.
    pub(crate) fn new(chars: &[(char, bool)], wild: bool) -> Glob {
        let mut pieces: Vec<Piece> = Vec::new();
        for &(c, esc) in chars {
            if wild && !esc && c == '*' {
                if pieces.last() != Some(&Piece::Star) {
                    pieces.push(Piece::Star);
                }
            } else if wild && !esc && c == '?' {
                pieces.push(Piece::One);
            } else {
                let lc = c.to_ascii_lowercase();
                match pieces.last_mut() {
                    Some(Piece::Lit(s)) => s.push(lc),
                    _ => pieces.push(Piece::Lit(lc.to_string())),
                }
            }
        }
        Glob { pieces }
    }

    /// The literal text when the glob has no wildcard.
    pub(crate) fn as_literal(&self) -> Option<&str> {
        match self.pieces.as_slice() {
            [] => Some(""),
            [Piece::Lit(s)] => Some(s),
            _ => None,
        }
    }

    /// The longest literal piece (for substring prefilters).
    pub(crate) fn longest_literal(&self) -> Option<&str> {
        self.pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Lit(s) => Some(s.as_str()),
                _ => None,
            })
            .max_by_key(|s| s.len())
    }

    pub(crate) fn matches(&self, v: &str) -> bool {
        if let Some(lit) = self.as_literal() {
            return lit.len() == v.len() && lit.eq_ignore_ascii_case(v);
        }
        glob_match(&self.pieces, v.as_bytes())
    }
}

fn char_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

fn starts_with_ci(hay: &[u8], lit: &[u8]) -> bool {
    hay.get(..lit.len()).is_some_and(|h| h.eq_ignore_ascii_case(lit))
}

/// Iterative glob matching with single-star backtracking (linear-ish, no recursion).
fn glob_match(pieces: &[Piece], v: &[u8]) -> bool {
    let (mut pi, mut vi) = (0usize, 0usize);
    let mut back: Option<(usize, usize)> = None; // (piece after the star, value position)
    loop {
        match pieces.get(pi) {
            None if vi == v.len() => return true,
            Some(Piece::Star) => {
                back = Some((pi + 1, vi));
                pi += 1;
                continue;
            }
            Some(Piece::One) if vi < v.len() => {
                vi += v.get(vi).map_or(1, |&b| char_len(b));
                pi += 1;
                continue;
            }
            Some(Piece::Lit(s))
                if v.get(vi..).is_some_and(|rest| starts_with_ci(rest, s.as_bytes())) =>
            {
                vi += s.len();
                pi += 1;
                continue;
            }
            _ => {}
        }
        // Mismatch: let the last star absorb one more character.
        match back {
            Some((bp, bv)) if bv < v.len() => {
                let nv = bv + v.get(bv).map_or(1, |&b| char_len(b));
                back = Some((bp, nv));
                pi = bp;
                vi = nv;
            }
            _ => return false,
        }
    }
}

/// An IPv4 or IPv6 network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cidr {
    pub(crate) addr: IpAddr,
    pub(crate) prefix: u8,
}

impl Cidr {
    /// Parses `addr/prefix`; the error is a message for the user.
    pub(crate) fn parse(s: &str) -> Result<Cidr, String> {
        let (a, p) = s.split_once('/').ok_or_else(|| format!("'{s}' is not a CIDR block"))?;
        let addr: IpAddr =
            a.parse().map_err(|_| format!("'{a}' is not an IPv4 or IPv6 address"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix: u8 =
            p.parse().map_err(|_| format!("'{p}' is not a prefix length (0 to {max})"))?;
        if prefix > max {
            return Err(format!("prefix length {prefix} is more than {max}"));
        }
        Ok(Cidr { addr, prefix })
    }

    pub(crate) fn contains(&self, ip: IpAddr) -> bool {
        let ip = match (self.addr, ip) {
            (IpAddr::V4(_), IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => return false,
            },
            _ => ip,
        };
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask =
                    if self.prefix == 0 { 0 } else { u32::MAX << (32 - u32::from(self.prefix)) };
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask =
                    if self.prefix == 0 { 0 } else { u128::MAX << (128 - u32::from(self.prefix)) };
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// Parses a value as an IP address (trimmed; IPv4-mapped IPv6 reads as IPv4).
pub(crate) fn parse_ip(s: &str) -> Option<IpAddr> {
    let ip: IpAddr = s.trim().parse().ok()?;
    Some(match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    })
}

/// A time value of the language: the period `[start, end)` it denotes.
pub(crate) fn parse_time_period(s: &str) -> Option<(i64, i64)> {
    const DAY: i64 = 86_400_000;
    let b = s.as_bytes();
    let all_digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    // YYYY
    if b.len() == 4 && all_digits(0..4) {
        let y: i64 = s.parse().ok()?;
        let start = parse_time_ms(&format!("{y:04}-01-01"))?;
        let end = parse_time_ms(&format!("{:04}-01-01", y + 1))?;
        return Some((start, end));
    }
    // YYYY-MM
    if b.len() == 7 && all_digits(0..4) && b.get(4) == Some(&b'-') && all_digits(5..7) {
        let start = parse_time_ms(&format!("{s}-01"))?;
        let (y, m): (i64, i64) = (s.get(0..4)?.parse().ok()?, s.get(5..7)?.parse().ok()?);
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        let end = parse_time_ms(&format!("{ny:04}-{nm:02}-01"))?;
        return Some((start, end));
    }
    // Pure numbers: epoch seconds or ms.
    if !b.is_empty() && b.iter().all(|c| c.is_ascii_digit() || *c == b'.') {
        let t = parse_time_ms(s)?;
        let seconds = s.len() <= 11 && !s.contains('.');
        return Some((t, t + if seconds { 1000 } else { 1 }));
    }
    if b.len() == 10 {
        let t = parse_time_ms(s)?;
        return Some((t, t + DAY));
    }
    // Split the clock part from the zone to find the precision.
    let clock_end = b
        .iter()
        .enumerate()
        .skip(11)
        .find(|&(_, &c)| matches!(c, b'Z' | b'z' | b'+' | b'-' | b' '))
        .map_or(b.len(), |(i, _)| i);
    let clock = s.get(11..clock_end)?;
    let (text, step) = match clock.len() {
        2 => {
            // THH: add the minutes so the general parser takes it.
            let mut t = String::with_capacity(s.len() + 3);
            t.push_str(s.get(..clock_end)?);
            t.push_str(":00");
            t.push_str(s.get(clock_end..)?);
            (t, 3_600_000)
        }
        5 => (s.to_owned(), 60_000),
        8 => (s.to_owned(), 1000),
        n if n > 9 && clock.as_bytes().get(8).is_some_and(|c| *c == b'.' || *c == b',') => {
            (s.to_owned(), 1)
        }
        _ => return None,
    };
    let t = parse_time_ms(&text)?;
    Some((t, t + step))
}

/// Parses `1h`, `30m`, `7d`, `2w`, `90s` to milliseconds.
pub(crate) fn parse_duration(s: &str) -> Option<i64> {
    let split = s.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = s.split_at(split);
    let n: i64 = n.parse().ok()?;
    let unit_ms = match unit.to_ascii_lowercase().as_str() {
        "s" => 1000,
        "m" | "min" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 7 * 86_400_000,
        _ => return None,
    };
    if n <= 0 {
        return None;
    }
    n.checked_mul(unit_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(s: &str) -> Glob {
        let cs: Vec<(char, bool)> = s.chars().map(|c| (c, false)).collect();
        Glob::new(&cs, true)
    }

    #[test]
    fn globs() {
        assert!(g("Delete*").matches("DeleteBucket"));
        assert!(g("delete*").matches("DeleteBucket"));
        assert!(!g("Delete*").matches("xDeleteBucket"));
        assert!(g("*Policy*").matches("PutBucketPolicy"));
        assert!(g("*policy*").matches("policy"));
        assert!(g("a?c").matches("abc"));
        assert!(g("a?c").matches("aéc"));
        assert!(!g("a?c").matches("ac"));
        assert!(g("*a*b*c").matches("xxaxxbxxbc"));
        assert!(!g("*a*b*c").matches("xxaxxbxxbcd"));
        assert!(g("*").matches(""));
        assert!(g("").matches(""));
        assert!(!g("").matches("x"));
        assert!(g("é*").matches("éa"));
        assert!(!g("abc").matches("ab"));
        let lit = Glob::new(&[('*', true), ('a', false)], true);
        assert!(lit.matches("*a") && !lit.matches("ba"));
    }

    #[test]
    fn cidrs() {
        let c = Cidr::parse("10.0.0.0/8")
            .unwrap_or(Cidr { addr: IpAddr::from([0, 0, 0, 0]), prefix: 32 });
        assert!(c.contains("10.1.2.3".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))));
        assert!(!c.contains("11.1.2.3".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))));
        assert!(c.contains(parse_ip("::ffff:10.9.9.9").unwrap_or(IpAddr::from([0, 0, 0, 0]))));
        let v6 = Cidr::parse("2001:db8::/32");
        assert!(v6.is_ok_and(
            |c| c.contains(parse_ip("2001:db8:1::5").unwrap_or(IpAddr::from([0, 0, 0, 0])))
        ));
        assert!(Cidr::parse("0.0.0.0/0").is_ok_and(|c| c.contains(IpAddr::from([1, 2, 3, 4]))));
        assert_eq!(Cidr::parse("10.0.0.0/33"), Err("prefix length 33 is more than 32".into()));
        assert!(Cidr::parse("10.0.0/8").is_err_and(|e| e.contains("not an IPv4")));
        assert!(Cidr::parse("10.0.0.0/x").is_err_and(|e| e.contains("prefix length")));
    }

    #[test]
    fn periods() {
        let day = parse_time_ms("2024-03-01T00:00:00Z");
        assert_eq!(parse_time_period("2024-03-01").map(|p| p.0), day);
        assert_eq!(parse_time_period("2024-03-01").map(|p| p.1 - p.0), Some(86_400_000));
        assert_eq!(parse_time_period("2024-03-01T10").map(|p| p.1 - p.0), Some(3_600_000));
        assert_eq!(parse_time_period("2024-03-01T10:00").map(|p| p.1 - p.0), Some(60_000));
        assert_eq!(parse_time_period("2024-03-01T10:00:05Z").map(|p| p.1 - p.0), Some(1000));
        assert_eq!(parse_time_period("2024-03-01T10:00:05.250Z").map(|p| p.1 - p.0), Some(1));
        assert_eq!(
            parse_time_period("2024-03-01T12:00+02:00").map(|p| p.0),
            parse_time_ms("2024-03-01T10:00:00Z")
        );
        assert_eq!(parse_time_period("2024-12").map(|p| p.1), parse_time_ms("2025-01-01"));
        assert_eq!(parse_time_period("2024").map(|p| p.1), parse_time_ms("2025-01-01"));
        for bad in ["2024-13-01", "yesterday", "2024-03-01T1", "2024-03-01T10:00:0", ""] {
            assert_eq!(parse_time_period(bad), None, "{bad}");
        }
        assert_eq!(parse_duration("1h"), Some(3_600_000));
        assert_eq!(parse_duration("7d"), Some(7 * 86_400_000));
        assert_eq!(parse_duration("0h"), None);
        assert_eq!(parse_duration("h"), None);
        assert_eq!(parse_duration("5y"), None);
    }
}
