//! Fast timestamp parsing for CloudTrail's time fields.
//!
//! CloudTrail writes `2020-01-10T16:06:40Z`; exports and test data also use a space instead of
//! `T`, fractional seconds up to nanoseconds, offsets (`+02:00`, `+0200`), a missing zone (taken
//! as UTC), and epoch numbers (seconds or milliseconds) in fallback fields. A hand-written parser
//! avoids a date library and runs in a few nanoseconds; it never panics on any input.

/// Parses an ISO-8601-like UTC time to ms since the Unix epoch.
pub fn parse_time_ms(s: &str) -> Option<i64> {
    // CloudTrail's own form, `YYYY-MM-DDTHH:MM:SSZ`: the same checks and arithmetic as below,
    // without the trimming and the general shape handling.
    if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1, b'T', h0, h1, b':', i0, i1, b':', s0, s1, b'Z'] =
        *s.as_bytes()
    {
        let digits = [y0, y1, y2, y3, m0, m1, d0, d1, h0, h1, i0, i1, s0, s1];
        if digits.iter().all(u8::is_ascii_digit) {
            let n = |a: u8, b: u8| i64::from(a - b'0') * 10 + i64::from(b - b'0');
            let (year, month, day) = (n(y0, y1) * 100 + n(y2, y3), n(m0, m1), n(d0, d1));
            let (hour, minute, second) = (n(h0, h1), n(i0, i1), n(s0, s1));
            if !(1..=12).contains(&month)
                || !(1..=31).contains(&day)
                || hour > 24
                || minute > 59
                || second > 60
            {
                return None;
            }
            return Some(
                days_from_civil(year, month, day) * 86_400_000
                    + hour * 3_600_000
                    + minute * 60_000
                    + second * 1000,
            );
        }
    }
    let b = s.trim().as_bytes();
    if b.is_empty() {
        return None;
    }
    if b.iter().all(|c| c.is_ascii_digit() || *c == b'.') {
        return parse_epoch(s.trim());
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let d = b.get(r)?;
        let mut v = 0i64;
        for &c in d {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i64::from(c - b'0');
        }
        Some(v)
    };
    let year = num(0..4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let month = num(5..7)?;
    let day = num(8..10)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let mut ms = days * 86_400_000;
    if b.len() == 10 {
        return Some(ms);
    }
    match b.get(10) {
        Some(b'T') | Some(b't') | Some(b' ') => {}
        _ => return None,
    }
    let hour = num(11..13)?;
    if b.get(13) != Some(&b':') {
        return None;
    }
    let minute = num(14..16)?;
    let (second, mut i) = if b.get(16) == Some(&b':') { (num(17..19)?, 19) } else { (0, 16) };
    if hour > 24 || minute > 59 || second > 60 {
        return None;
    }
    ms += hour * 3_600_000 + minute * 60_000 + second * 1000;
    if matches!(b.get(i), Some(b'.') | Some(b',')) {
        i += 1;
        let mut frac = 0i64;
        let mut digits = 0;
        while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            if digits < 3 {
                frac = frac * 10 + i64::from(c - b'0');
            }
            digits += 1;
            i += 1;
        }
        if digits == 0 {
            return None;
        }
        for _ in digits..3 {
            frac *= 10;
        }
        ms += frac;
    }
    // Optional space before the zone ("2019-01-01 00:00:00 UTC").
    if b.get(i) == Some(&b' ') {
        i += 1;
    }
    match b.get(i..) {
        None | Some([]) | Some(b"Z") | Some(b"z") | Some(b"UTC") | Some(b"GMT") => Some(ms),
        Some(rest) => {
            let sign = match rest.first() {
                Some(b'+') => -1,
                Some(b'-') => 1,
                _ => return None,
            };
            let oh = num(i + 1..i + 3)?;
            let om = match rest.len() {
                3 => 0,
                5 => num(i + 3..i + 5)?,
                6 if rest.get(3) == Some(&b':') => num(i + 4..i + 6)?,
                _ => return None,
            };
            Some(ms + sign * (oh * 3_600_000 + om * 60_000))
        }
    }
}

/// Epoch seconds (≤ 1e11, may have a fraction) or milliseconds.
pub fn parse_epoch(s: &str) -> Option<i64> {
    let v: f64 = s.parse().ok()?;
    epoch_from_f64(v)
}

pub(crate) fn epoch_from_f64(v: f64) -> Option<i64> {
    if !v.is_finite() || v < 0.0 {
        return None;
    }
    let ms = if v < 1e11 { v * 1000.0 } else { v };
    if ms > 1e15 {
        return None;
    }
    Some(ms as i64)
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Formats ms since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ` (for tools and tests).
pub fn format_ms(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(parse_time_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_time_ms("2020-01-10T16:06:40Z"), Some(1_578_672_400_000));
        assert_eq!(parse_time_ms("2020-01-10 16:06:40"), Some(1_578_672_400_000));
        assert_eq!(parse_time_ms("2020-01-10T16:06:40.123456789Z"), Some(1_578_672_400_123));
        assert_eq!(parse_time_ms("2020-01-10T18:06:40+02:00"), Some(1_578_672_400_000));
        assert_eq!(parse_time_ms("2020-01-10T18:06:40+0200"), Some(1_578_672_400_000));
        assert_eq!(parse_time_ms("2020-01-10T16:06:40.5"), Some(1_578_672_400_500));
        assert_eq!(parse_time_ms("1578672400"), Some(1_578_672_400_000));
        assert_eq!(parse_time_ms("1578672400123"), Some(1_578_672_400_123));
        assert_eq!(parse_time_ms("2019-01-01 00:00:00 UTC"), Some(1_546_300_800_000));
        assert_eq!(format_ms(1_578_672_400_123), "2020-01-10T16:06:40.123Z");
        for bad in [
            "",
            "...",
            "foo",
            "2020-13-01T00:00:00Z",
            "2020-01-10X16",
            "2020-01-10T16:06:40Q",
            "2020-01-10T1",
            "é",
        ] {
            assert_eq!(parse_time_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn fast_path_matches_general() {
        // `…Z` takes the fast path, `…z` the general one: same answers, valid or not.
        for t in [
            "1970-01-01T00:00:00Z",
            "2024-02-29T23:59:60Z",
            "0000-03-01T24:00:00Z",
            "9999-12-31T23:59:59Z",
            "2020-00-10T16:06:40Z",
            "2020-13-10T16:06:40Z",
            "2020-01-00T16:06:40Z",
            "2020-01-32T16:06:40Z",
            "2020-01-10T25:06:40Z",
            "2020-01-10T16:60:40Z",
            "2020-01-10T16:06:61Z",
            "2020-01-1aT16:06:40Z",
        ] {
            assert_eq!(parse_time_ms(t), parse_time_ms(&t.replace('Z', "z")), "{t}");
        }
        assert_eq!(parse_time_ms("2020-01-10T16:06:40Z"), Some(1_578_672_400_000));
    }
}
