//! The one place the app formats numbers, sizes and times for people: event times with their
//! UTC offset, time ranges, counts and byte sizes (the engine's `units`, re-exported), rates as
//! percentages, measured numbers and durations in minutes.
//!
//! Pure functions of their inputs (the browser's time-zone offset is passed in, never read here),
//! so they are unit-tested natively.

use time::{OffsetDateTime, UtcOffset};
use trailglass_core::units::{DAY_MS, HOUR_MS, MINUTE_MS};

/// Formats an event time (ms since the Unix epoch, UTC) as `2024-03-01 10:00:00` shifted by
/// `offset_minutes` east of UTC. Milliseconds are shown only when non-zero.
pub fn format_time(ms: i64, offset_minutes: i32) -> String {
    let Ok(utc) = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000) else {
        return format!("(invalid time {ms})");
    };
    let t = match UtcOffset::from_whole_seconds(offset_minutes.saturating_mul(60)) {
        Ok(off) => utc.to_offset(off),
        Err(_) => utc,
    };
    let base = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    match t.millisecond() {
        0 => base,
        m => format!("{base}.{m:03}"),
    }
}

/// The label of a UTC offset: `UTC`, `UTC+02:00`, `UTC−05:30`.
pub fn format_offset(offset_minutes: i32) -> String {
    if offset_minutes == 0 {
        return "UTC".to_string();
    }
    let sign = if offset_minutes > 0 { '+' } else { '−' };
    let m = offset_minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

/// Counts (`1,234,567`), plurals (`1 file`, `2 files`), byte sizes for people (`512 B`,
/// `1.5 KB`, `231.0 MB`) and short axis counts (`1.2k`): the engine's, so the page and
/// `trailglass-scan` say them alike.
pub use trailglass_core::units::{
    bytes as format_bytes, plural, short_count, thousands as format_count,
};

/// The label of a time range `[start, end)` in the zone shown: `2024-03-01 10:00:00 – 10:05:00`,
/// with the end's date only when it differs.
pub fn range_label(start_ms: i64, end_ms: i64, offset_minutes: i32) -> String {
    let (a, b) = (format_time(start_ms, offset_minutes), format_time(end_ms, offset_minutes));
    match (a.get(..11), b.get(..11), b.get(11..)) {
        (Some(da), Some(db), Some(tb)) if da == db => format!("{a} – {tb}"),
        _ => format!("{a} – {b}"),
    }
}

/// A rate in 0..=1 as a short percentage that never hides a non-zero rate: `0%`, `<0.1%`,
/// `2.5%`, `100%`.
pub fn percent(rate: f64) -> String {
    let p = rate * 100.0;
    if p <= 0.0 {
        "0%".to_owned()
    } else if p < 0.1 {
        "<0.1%".to_owned()
    } else if p >= 99.95 {
        if rate >= 1.0 {
            "100%".to_owned()
        } else {
            ">99.9%".to_owned()
        }
    } else {
        let s = format!("{p:.1}");
        format!("{}%", s.strip_suffix(".0").unwrap_or(&s))
    }
}

/// A number for people: three significant digits below 1, two decimals below 100, whole above.
pub fn format_number(v: f64) -> String {
    let a = v.abs();
    let s = if a == 0.0 || !a.is_finite() {
        return format!("{v}");
    } else if a >= 100.0 {
        return format!("{v:.0}");
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        let decimals = (-a.log10()).floor() as usize + 3;
        format!("{v:.decimals$}")
    };
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Minutes for people: `5 min`, `3.5 h`, `7.9 days`.
pub fn format_minutes(m: f64) -> String {
    let hour = (HOUR_MS / MINUTE_MS) as f64;
    let day = (DAY_MS / MINUTE_MS) as f64;
    if m < 2.0 * hour {
        format!("{} min", format_number(m))
    } else if m < 2.0 * day {
        format!("{} h", format_number(m / hour))
    } else {
        format!("{} days", format_number(m / day))
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    // 2024-03-01T10:00:00Z
    const T0: i64 = 1_709_287_200_000;

    #[test]
    fn times_in_utc_and_with_offsets() {
        // 2024-03-01T10:00:00Z
        let ms = 1_709_287_200_000;
        assert_eq!(format_time(ms, 0), "2024-03-01 10:00:00");
        assert_eq!(format_time(ms + 42, 0), "2024-03-01 10:00:00.042");
        assert_eq!(format_time(ms, 120), "2024-03-01 12:00:00");
        assert_eq!(format_time(ms, -330), "2024-03-01 04:30:00");
        // crosses midnight backwards
        assert_eq!(format_time(1_709_251_200_000, -60), "2024-02-29 23:00:00");
        assert_eq!(format_time(0, 0), "1970-01-01 00:00:00");
        assert!(format_time(i64::MAX, 0).starts_with("(invalid"));
    }

    #[test]
    fn offsets() {
        assert_eq!(format_offset(0), "UTC");
        assert_eq!(format_offset(60), "UTC+01:00");
        assert_eq!(format_offset(-330), "UTC−05:30");
        assert_eq!(format_offset(345), "UTC+05:45");
    }

    #[test]
    fn range_labels() {
        assert_eq!(range_label(T0, T0 + 5 * MINUTE_MS, 0), "2024-03-01 10:00:00 – 10:05:00");
        assert_eq!(range_label(T0, T0 + DAY_MS, 0), "2024-03-01 10:00:00 – 2024-03-02 10:00:00");
        assert_eq!(range_label(T0, T0 + HOUR_MS, 120), "2024-03-01 12:00:00 – 13:00:00");
    }

    #[test]
    fn percents() {
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.0004), "<0.1%");
        assert_eq!(percent(0.025), "2.5%");
        assert_eq!(percent(0.5), "50%");
        assert_eq!(percent(0.99999), ">99.9%");
        assert_eq!(percent(1.0), "100%");
    }

    #[test]
    fn numbers_and_durations() {
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_number(0.5), "0.5");
        assert_eq!(format_number(12.0), "12");
        assert_eq!(format_number(1.234), "1.23");
        assert_eq!(format_number(1234.4), "1234");
        assert_eq!(format_number(8.82145e-05), "0.0000882");
        assert_eq!(format_minutes(5.0), "5 min");
        assert_eq!(format_minutes(210.0), "3.5 h");
        assert_eq!(format_minutes(2880.0), "2 days");
    }
}
