//! Display forms of a time that CSV exports write instead of ISO 8601, rewritten as ISO 8601 so
//! the reader's time parser ([`crate::time::parse_time_ms`]) takes them:
//! * Kibana's default `dateFormat`: `Jan 2, 2024 @ 03:04:05.000`;
//! * the Log Analytics (Sentinel) portal's CSV: `1/2/2024, 3:04:05.000 AM`.
//!
//! Both are written in the exporting browser's time zone, which the file does not say: they are
//! read as UTC (the note of the file says the source was lossy). Hand-written for these two
//! shapes only: a date library would be a large dependency of the wasm build for two patterns.

use crate::time::parse_time_ms;

const MONTHS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// `s` as ISO 8601 when it is one of the display forms (and not already a form the reader
/// takes); `None` otherwise.
pub(super) fn iso(s: &str) -> Option<String> {
    let s = s.trim();
    if parse_time_ms(s).is_some() {
        return None;
    }
    let (y, m, d, clock) = kibana(s).or_else(|| log_analytics(s))?;
    let (clock, pm) = match clock.rsplit_once(' ') {
        Some((c, h)) if h.eq_ignore_ascii_case("PM") => (c, Some(true)),
        Some((c, h)) if h.eq_ignore_ascii_case("AM") => (c, Some(false)),
        _ => (clock, None),
    };
    let mut parts = clock.splitn(3, ':');
    let mut hour: u32 = parts.next()?.trim().parse().ok()?;
    let minute: u32 = parts.next()?.parse().ok()?;
    let seconds = parts.next()?;
    let (sec, frac) = match seconds.split_once('.') {
        Some((s, f)) => (s, Some(f)),
        None => (seconds, None),
    };
    let sec: u32 = sec.parse().ok()?;
    match pm {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    if frac.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
    let out = format!("{y:04}-{m:02}-{d:02}T{hour:02}:{minute:02}:{sec:02}{frac}Z");
    parse_time_ms(&out).map(|_| out)
}

/// `Jan 2, 2024 @ 03:04:05.000` → (2024, 1, 2, "03:04:05.000").
fn kibana(s: &str) -> Option<(u32, u32, u32, &str)> {
    let (date, clock) = s.split_once(" @ ")?;
    let (month, rest) = date.split_once(' ')?;
    let (day, year) = rest.split_once(',')?;
    let m =
        MONTHS.iter().position(|n| month.get(..3).is_some_and(|p| p.eq_ignore_ascii_case(n)))?;
    Some((year.trim().parse().ok()?, m as u32 + 1, day.trim().parse().ok()?, clock.trim()))
}

/// `1/2/2024, 3:04:05.000 AM` (month first) → (2024, 1, 2, "3:04:05.000 AM").
fn log_analytics(s: &str) -> Option<(u32, u32, u32, &str)> {
    let (date, clock) = s.split_once(", ")?;
    let mut p = date.splitn(3, '/');
    let m = p.next()?.parse().ok()?;
    let d = p.next()?.parse().ok()?;
    let y = p.next()?.parse().ok()?;
    Some((y, m, d, clock.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_forms() {
        assert_eq!(iso("Jan 2, 2024 @ 03:04:05.000").as_deref(), Some("2024-01-02T03:04:05.000Z"));
        assert_eq!(iso("Dec 31, 2023 @ 23:59:59").as_deref(), Some("2023-12-31T23:59:59Z"));
        assert_eq!(iso("1/2/2024, 3:04:05.120 PM").as_deref(), Some("2024-01-02T15:04:05.120Z"));
        assert_eq!(iso("1/2/2024, 12:00:00 AM").as_deref(), Some("2024-01-02T00:00:00Z"));
        // Already readable, or not a time: left alone.
        for s in [
            "2024-01-02T03:04:05Z",
            "2024-01-02 03:04:05.000",
            "soon",
            "",
            "1/2/2024",
            "Foo 2, 2024 @ 1:2:3",
        ] {
            assert_eq!(iso(s), None, "{s}");
        }
        assert_eq!(iso("13/45/2024, 3:04:05 PM"), None);
    }
}
