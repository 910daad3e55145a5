//! Axis ticks: round counts (1, 2 or 5 × 10^k) for the y axis, and round times for the x axis
//! (seconds … hours, midnights, Mondays, first of the month, New Year) in the zone shown, with
//! their labels.

use time::{Date, Month, OffsetDateTime};
use trailglass_core::units::{DAY_MS as DAY, HOUR_MS as HOUR, MINUTE_MS as MIN, SECOND_MS as SEC};

const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A "nice" step (1, 2 or 5 × 10^k, at least 1) giving at most about `target` steps up to `max`.
pub fn nice_step(max: u64, target: usize) -> u64 {
    let raw = max as f64 / target.max(1) as f64;
    let mut p = 1u64;
    loop {
        for m in [1u64, 2, 5] {
            match m.checked_mul(p) {
                Some(s) if s as f64 >= raw => return s,
                Some(_) => {}
                None => return u64::MAX,
            }
        }
        match p.checked_mul(10) {
            Some(n) => p = n,
            None => return u64::MAX,
        }
    }
}

/// Count ticks for a bar chart whose tallest bar is `max`: `0, step, …, top` with `top >= max` a
/// multiple of the step. The y domain is `[0, top]`. Never empty; `max == 0` gives `[0, 1]`.
pub fn count_ticks(max: u64, target: usize) -> Vec<u64> {
    if max == 0 {
        return vec![0, 1];
    }
    let step = nice_step(max, target);
    let top = max.div_ceil(step).saturating_mul(step);
    (0..=top / step).map(|i| i * step).collect()
}

/// A tick on the time axis: where (ms since the epoch, UTC) and what it says (in the zone shown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeTick {
    pub ms: i64,
    pub label: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Fixed(i64),
    Week,
    Months(u8),
    Years(i32),
}

impl Step {
    fn approx_ms(self) -> f64 {
        match self {
            Step::Fixed(ms) => ms as f64,
            Step::Week => (7 * DAY) as f64,
            Step::Months(k) => f64::from(k) * 30.44 * DAY as f64,
            Step::Years(k) => f64::from(k) * 365.25 * DAY as f64,
        }
    }
}

const STEPS: &[Step] = &[
    Step::Fixed(SEC),
    Step::Fixed(2 * SEC),
    Step::Fixed(5 * SEC),
    Step::Fixed(10 * SEC),
    Step::Fixed(15 * SEC),
    Step::Fixed(30 * SEC),
    Step::Fixed(MIN),
    Step::Fixed(2 * MIN),
    Step::Fixed(5 * MIN),
    Step::Fixed(10 * MIN),
    Step::Fixed(15 * MIN),
    Step::Fixed(30 * MIN),
    Step::Fixed(HOUR),
    Step::Fixed(2 * HOUR),
    Step::Fixed(3 * HOUR),
    Step::Fixed(6 * HOUR),
    Step::Fixed(12 * HOUR),
    Step::Fixed(DAY),
    Step::Fixed(2 * DAY),
    Step::Week,
    Step::Months(1),
    Step::Months(3),
    Step::Months(6),
    Step::Years(1),
    Step::Years(2),
    Step::Years(5),
    Step::Years(10),
    Step::Years(50),
    Step::Years(100),
];

/// Calendar fields of an instant already shifted to the zone shown (so read as UTC).
fn fields(local_ms: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(local_ms.div_euclid(SEC)).ok()
}

/// Ms (local, read as UTC) of midnight on the first of a month; `month0` may run past 11.
fn month_start(year: i32, month0: i64) -> Option<i64> {
    let y = year.checked_add(month0.div_euclid(12) as i32)?;
    let m = Month::try_from(month0.rem_euclid(12) as u8 + 1).ok()?;
    let d = Date::from_calendar_date(y, m, 1).ok()?;
    Some(d.midnight().assume_utc().unix_timestamp() * SEC)
}

fn date_label(t: &OffsetDateTime) -> String {
    let m = u8::from(t.month());
    if m == 1 && t.day() == 1 {
        t.year().to_string()
    } else {
        format!("{} {}", MONTHS[usize::from(m - 1)], t.day())
    }
}

fn tick_label(step: Step, local_ms: i64) -> String {
    let Some(t) = fields(local_ms) else { return String::new() };
    let midnight = t.hour() == 0 && t.minute() == 0 && t.second() == 0;
    match step {
        Step::Fixed(s) if s < DAY && midnight => date_label(&t),
        Step::Fixed(s) if s < MIN => format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second()),
        Step::Fixed(s) if s < DAY => format!("{:02}:{:02}", t.hour(), t.minute()),
        Step::Fixed(_) | Step::Week => date_label(&t),
        Step::Months(_) if t.month() == Month::January => t.year().to_string(),
        Step::Months(_) => MONTHS[usize::from(u8::from(t.month()) - 1)].to_string(),
        Step::Years(_) => t.year().to_string(),
    }
}

/// Round time ticks within `[start_ms, end_ms]`, at most about `target` of them, at round times
/// of the zone `offset_minutes` east of UTC (seconds … hours, midnights, Mondays, first of the
/// month, New Year), labelled in that zone (`10:30`, `Mar 1` at midnight, `2024` at New Year).
pub fn time_ticks(start_ms: i64, end_ms: i64, target: usize, offset_minutes: i32) -> Vec<TimeTick> {
    if end_ms < start_ms {
        return Vec::new();
    }
    let off = i64::from(offset_minutes) * MIN;
    let (lo, hi) = (start_ms + off, end_ms + off);
    let span = (hi - lo) as f64;
    let target = target.max(1) as f64;
    let step =
        STEPS.iter().copied().find(|s| span / s.approx_ms() <= target).unwrap_or(Step::Years(1000));
    let mut locals = Vec::new();
    match step {
        Step::Fixed(_) | Step::Week => {
            let (size, anchor) = match step {
                Step::Fixed(s) => (s, 0),
                _ => (7 * DAY, 4 * DAY), // 1970-01-05 was a Monday
            };
            let mut t = (lo - anchor).div_euclid(size) * size + anchor;
            if t < lo {
                t += size;
            }
            while t <= hi {
                locals.push(t);
                t += size;
            }
        }
        Step::Months(k) => {
            let Some(f) = fields(lo) else { return Vec::new() };
            let k = i64::from(k);
            let mut m0 = i64::from(u8::from(f.month()) - 1);
            m0 = m0.div_euclid(k) * k;
            while let Some(t) = month_start(f.year(), m0) {
                if t > hi {
                    break;
                }
                if t >= lo {
                    locals.push(t);
                }
                m0 += k;
            }
        }
        Step::Years(k) => {
            let Some(f) = fields(lo) else { return Vec::new() };
            let mut y = f.year().div_euclid(k) * k;
            while let Some(t) = month_start(y, 0) {
                if t > hi {
                    break;
                }
                if t >= lo {
                    locals.push(t);
                }
                y += k;
            }
        }
    }
    locals.into_iter().map(|t| TimeTick { ms: t - off, label: tick_label(step, t) }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::charts::fixtures::T0;

    #[test]
    fn nice_count_ticks() {
        assert_eq!(count_ticks(0, 3), vec![0, 1]);
        assert_eq!(count_ticks(1, 3), vec![0, 1]);
        assert_eq!(count_ticks(7, 3), vec![0, 5, 10]);
        assert_eq!(count_ticks(57, 3), vec![0, 20, 40, 60]);
        assert_eq!(count_ticks(100, 4), vec![0, 50, 100]);
        assert_eq!(count_ticks(1234, 3), vec![0, 500, 1000, 1500]);
        assert_eq!(nice_step(u64::MAX, 1), u64::MAX);
    }

    #[test]
    fn time_ticks_minutes_hours_days() {
        // one hour, ~6 ticks → every 10 minutes on the hour's grid
        let t = time_ticks(T0, T0 + HOUR, 6, 0);
        assert_eq!(t.len(), 7);
        assert_eq!(t[0], TimeTick { ms: T0, label: "10:00".into() });
        assert_eq!(t[1].label, "10:10");
        // starts mid-way: first tick is the next round time
        let t = time_ticks(T0 + 7 * MIN, T0 + HOUR, 6, 0);
        assert_eq!(t[0].label, "10:10");
        // seconds
        let t = time_ticks(T0, T0 + 30 * SEC, 6, 0);
        assert_eq!(t[1].label, "10:00:05");
        // a day and a half: midnight is labelled with the date
        let t = time_ticks(T0, T0 + 36 * HOUR, 6, 0);
        assert!(t.iter().any(|k| k.label == "Mar 2"), "{t:?}");
        assert!(t.iter().all(|k| k.ms % (6 * HOUR) == 0));
        // a month of days
        let t = time_ticks(T0, T0 + 30 * DAY, 6, 0);
        assert_eq!(t[0].label, "Mar 4"); // a Monday
        assert_eq!(t[1].label, "Mar 11");
    }

    #[test]
    fn time_ticks_months_years_and_empty() {
        let t = time_ticks(T0, T0 + 320 * DAY, 6, 0);
        assert_eq!(
            t.iter().map(|k| k.label.as_str()).collect::<Vec<_>>(),
            ["Apr", "Jul", "Oct", "2025"]
        );
        let t = time_ticks(T0, T0 + 3000 * DAY, 6, 0);
        assert_eq!(t[0].label, "2026");
        assert!(time_ticks(T0, T0 - 1, 6, 0).is_empty());
        assert_eq!(time_ticks(T0, T0, 6, 0).len(), 1);
    }

    #[test]
    fn time_ticks_in_local_time() {
        // UTC+05:30: 10:00Z is 15:30 local; hourly ticks land on local hours
        let t = time_ticks(T0, T0 + 6 * HOUR, 6, 330);
        assert_eq!(t[0].label, "16:00");
        assert_eq!(t[0].ms, T0 + 30 * MIN);
        // UTC−05:00: local midnight of Mar 2 is 05:00Z
        let t = time_ticks(T0, T0 + 2 * DAY, 4, -300);
        let mar2 = t.iter().find(|k| k.label == "Mar 2").map(|k| k.ms);
        assert_eq!(mar2, Some(1_709_355_600_000));
    }
}
