//! Plain formatting functions for the views: times with their UTC offset, byte sizes, counts.
//!
//! Pure functions of their inputs (the browser's time-zone offset is passed in, never read here),
//! so they are unit-tested natively.

use time::{OffsetDateTime, UtcOffset};

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

pub use trailglass_core::units::{plural, short_count, thousands as format_count};

/// A byte size for people: `512 B`, `1.5 KB`, `231.0 MB`, `1.10 GB`.
pub fn format_bytes(n: u64) -> String {
    trailglass_core::units::bytes(n)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
