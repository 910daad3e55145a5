//! The arithmetic of the charts: scales, tick choice, stacking, bar geometry, hit-testing, brush
//! ranges, short labels and query clauses. The chart components only wire these to SVG.
//!
//! Everything here is a plain function of its inputs (pixel sizes, a [`Histogram`], a UTC offset
//! in minutes passed in, never read from the browser), so it is unit-tested natively. Bars are
//! laid out by *bucket index* (one band of `plot_w / n` pixels per bucket), and the time axis maps
//! `[start_ms, start_ms + n * bucket_ms]` onto the same pixels, so ticks, bars and brush agree.
//! Counts shown to people in tooltips are exact; only axis ticks use short labels (`1.2k`).

use time::{Date, Month, OffsetDateTime};
use trailglass_core::answer::Histogram;

const SEC: i64 = 1_000;
const MIN: i64 = 60 * SEC;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;
const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A linear map from a domain `[d0, d1]` to a range `[r0, r1]` (pixels).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinearScale {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl LinearScale {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Self {
        Self { d0: domain.0, d1: domain.1, r0: range.0, r1: range.1 }
    }
    /// Domain → range. A zero-width domain maps everything to `r0`.
    pub fn map(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span == 0.0 {
            return self.r0;
        }
        self.r0 + (v - self.d0) / span * (self.r1 - self.r0)
    }
    /// Range → domain.
    pub fn invert(&self, px: f64) -> f64 {
        let span = self.r1 - self.r0;
        if span == 0.0 {
            return self.d0;
        }
        self.d0 + (px - self.r0) / span * (self.d1 - self.d0)
    }
}

/// The chart's box: total size and the margins around the plot area.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Frame {
    /// The histogram's frame for a container width: room for count labels on the left and time
    /// labels below.
    pub fn histogram(width: f64) -> Self {
        Self {
            width: width.max(0.0),
            height: 140.0,
            left: 42.0,
            right: 18.0,
            top: 8.0,
            bottom: 20.0,
        }
    }
    pub fn plot_w(&self) -> f64 {
        (self.width - self.left - self.right).max(0.0)
    }
    pub fn plot_h(&self) -> f64 {
        (self.height - self.top - self.bottom).max(0.0)
    }
    /// The y pixel of the baseline (count 0).
    pub fn baseline(&self) -> f64 {
        self.top + self.plot_h()
    }
}

/// How many buckets to ask the engine for at a chart width: about one per 6 px, 20 to 240.
pub fn target_buckets(width: f64) -> usize {
    ((width / 6.0) as usize).clamp(20, 240)
}

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

pub use crate::format::short_count;

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

/// The time axis of a histogram drawn in `frame`: (x pixel, label) of round times, about one per
/// 90 px, in the zone `offset_minutes` east of UTC.
pub fn time_axis(h: &Histogram, frame: &Frame, offset_minutes: i32) -> Vec<(f64, String)> {
    let end = h.start_ms + h.counts.len() as i64 * h.bucket_ms;
    let x = LinearScale::new(
        (h.start_ms as f64, end as f64),
        (frame.left, frame.left + frame.plot_w()),
    );
    let ticks = time_ticks(h.start_ms, end, (frame.plot_w() / 90.0) as usize, offset_minutes);
    ticks.into_iter().map(|t| (x.map(t.ms as f64), t.label)).collect()
}

/// The CSS class of series `i` of `n`: `series-0` … `series-9`, or `series-other` for the
/// engine's trailing "other".
pub fn series_class(i: usize, n: usize, name: &str) -> String {
    if name == "other" && i + 1 == n {
        "series-other".to_owned()
    } else {
        format!("series-{}", i % 10)
    }
}

/// The series to draw: the histogram's split series, or the totals as one series "events".
pub fn series_of(h: &Histogram) -> Vec<(&str, &[u64])> {
    if h.series.is_empty() {
        vec![("events", h.counts.as_slice())]
    } else {
        h.series.iter().map(|(n, v)| (n.as_str(), v.as_slice())).collect()
    }
}

/// A series in the legend or one line of the tooltip: its CSS class, full name, short label and
/// count (exact).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeriesCount {
    pub class: String,
    pub name: String,
    pub label: String,
    pub count: u64,
}

fn series_count(i: usize, n: usize, name: &str, count: u64) -> SeriesCount {
    SeriesCount {
        class: series_class(i, n, name),
        name: name.to_owned(),
        label: crate::columns::short_service(name).to_owned(),
        count,
    }
}

/// The legend: every series with its total over all buckets.
pub fn legend(h: &Histogram) -> Vec<SeriesCount> {
    let series = series_of(h);
    let n = series.len();
    series
        .iter()
        .enumerate()
        .map(|(i, (name, v))| series_count(i, n, name, v.iter().sum()))
        .collect()
}

/// What the tooltip of bucket `b` lists: the series with events in it, and the bucket total.
pub fn bucket_detail(h: &Histogram, b: usize) -> (Vec<SeriesCount>, u64) {
    let series = series_of(h);
    let n = series.len();
    let rows = series
        .iter()
        .enumerate()
        .filter_map(|(i, (name, v))| {
            v.get(b).copied().filter(|&c| c > 0).map(|c| series_count(i, n, name, c))
        })
        .collect();
    (rows, h.counts.get(b).copied().unwrap_or(0))
}

/// The x pixel of the centre of bucket `i` of `n`.
pub fn bucket_center(frame: &Frame, i: usize, n: usize) -> f64 {
    frame.left + (i as f64 + 0.5) * frame.plot_w() / n.max(1) as f64
}

/// The x position and width of bucket `i` of `n` in the plot: equal bands, with a 1 px gap
/// when bands are wider than 3 px.
pub fn bar_x(frame: &Frame, i: usize, n: usize) -> (f64, f64) {
    let band = frame.plot_w() / n.max(1) as f64;
    let gap = if band > 3.0 { 1.0 } else { 0.0 };
    (frame.left + i as f64 * band, (band - gap).max(0.5))
}

/// One coloured piece of a stacked bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub class: String,
    pub count: u64,
    pub y: f64,
    pub h: f64,
}

/// One bucket's stacked bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub index: usize,
    pub start_ms: i64,
    pub total: u64,
    pub x: f64,
    pub w: f64,
    pub segments: Vec<Segment>,
}

/// Stacks the series of every non-empty bucket into rectangles, the first series at the bottom,
/// against a y domain `[0, y_max]`. Non-zero segments are at least 1 px tall.
pub fn stack_bars(h: &Histogram, frame: &Frame, y_max: u64) -> Vec<Bar> {
    let series = series_of(h);
    let n = h.counts.len();
    let y = LinearScale::new((0.0, y_max.max(1) as f64), (frame.baseline(), frame.top));
    let mut bars = Vec::new();
    for (i, &total) in h.counts.iter().enumerate() {
        if total == 0 {
            continue;
        }
        let (x, w) = bar_x(frame, i, n);
        let mut cum = 0u64;
        let mut segments = Vec::new();
        for (s, (name, values)) in series.iter().enumerate() {
            let c = values.get(i).copied().unwrap_or(0);
            if c == 0 {
                continue;
            }
            let (y0, y1) = (y.map(cum as f64), y.map((cum + c) as f64));
            let hgt = (y0 - y1).max(1.0);
            segments.push(Segment {
                class: series_class(s, series.len(), name),
                count: c,
                y: y0 - hgt,
                h: hgt,
            });
            cum += c;
        }
        bars.push(Bar {
            index: i,
            start_ms: h.start_ms + i as i64 * h.bucket_ms,
            total,
            x,
            w,
            segments,
        });
    }
    bars
}

/// The bucket under pixel `x` (relative to the chart's left edge), if any.
pub fn bucket_at(frame: &Frame, x: f64, n: usize) -> Option<usize> {
    let w = frame.plot_w();
    if n == 0 || w <= 0.0 || x < frame.left || x >= frame.left + w {
        return None;
    }
    Some((((x - frame.left) / w * n as f64) as usize).min(n - 1))
}

/// The time range `[start, end)` of bucket `i`.
pub fn bucket_range(h: &Histogram, i: usize) -> (i64, i64) {
    let start = h.start_ms + i as i64 * h.bucket_ms;
    (start, start + h.bucket_ms)
}

/// Drags shorter than this (px) are clicks.
pub const CLICK_SLOP: f64 = 3.0;

/// What a press at `x0` and release at `x1` selects: a drag selects the whole buckets it spans
/// (clamped to the plot); a click selects the bucket under it if that bucket has events.
pub fn selection(h: &Histogram, frame: &Frame, x0: f64, x1: f64) -> Option<(i64, i64)> {
    let n = h.counts.len();
    if (x1 - x0).abs() < CLICK_SLOP {
        let i = bucket_at(frame, x1, n)?;
        return (h.counts.get(i).copied().unwrap_or(0) > 0).then(|| bucket_range(h, i));
    }
    let (a, b) = (x0.min(x1), x0.max(x1));
    let right = frame.left + frame.plot_w();
    if n == 0 || b < frame.left || a >= right {
        return None;
    }
    let first = bucket_at(frame, a.max(frame.left), n)?;
    let last = bucket_at(frame, b.min(right - 0.001), n)?;
    Some((bucket_range(h, first).0, bucket_range(h, last).1))
}

/// The label of a time range `[start, end)` in the zone shown: `2024-03-01 10:00:00 – 10:05:00`,
/// with the end's date only when it differs.
pub fn range_label(start_ms: i64, end_ms: i64, offset_minutes: i32) -> String {
    let (a, b) = (
        crate::format::format_time(start_ms, offset_minutes),
        crate::format::format_time(end_ms, offset_minutes),
    );
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

/// SVG polyline points for a sparkline of `values` in a `w` × `h` box (0 at the bottom).
pub fn sparkline_points(values: &[u64], w: f64, h: f64) -> String {
    let max = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let n = values.len();
    let step = if n > 1 { w / (n - 1) as f64 } else { 0.0 };
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| format!("{:.1},{:.1}", i as f64 * step, h - v as f64 / max * h))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2024-03-01T10:00:00Z
    const T0: i64 = 1_709_287_200_000;

    fn hist(counts: &[u64], series: &[(&str, &[u64])]) -> Histogram {
        Histogram {
            start_ms: T0,
            bucket_ms: 60_000,
            counts: counts.to_vec(),
            series: series.iter().map(|(n, v)| ((*n).to_owned(), v.to_vec())).collect(),
        }
    }

    #[test]
    fn linear_scale_maps_and_inverts() {
        let s = LinearScale::new((0.0, 100.0), (120.0, 20.0));
        assert_eq!(s.map(0.0), 120.0);
        assert_eq!(s.map(50.0), 70.0);
        assert_eq!(s.invert(20.0), 100.0);
        assert_eq!(LinearScale::new((5.0, 5.0), (0.0, 10.0)).map(7.0), 0.0);
    }

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

    #[test]
    fn time_axis_positions() {
        // 60 one-minute buckets over 360 px from x = 42: a tick every 15 minutes, 90 px apart
        let h = hist(&[1; 60], &[]);
        let f = Frame::histogram(420.0);
        let axis = time_axis(&h, &f, 0);
        assert_eq!(axis.first(), Some(&(42.0, "10:00".to_owned())));
        assert_eq!(axis.get(1), Some(&(132.0, "10:15".to_owned())));
        assert_eq!(axis.len(), 5);
    }

    #[test]
    fn series_classes() {
        assert_eq!(series_class(0, 3, "s3.amazonaws.com"), "series-0");
        assert_eq!(series_class(2, 3, "other"), "series-other");
        assert_eq!(series_class(12, 14, "x"), "series-2");
    }

    #[test]
    fn stacking_into_rectangles() {
        let h = hist(&[3, 0, 10], &[("a", &[1, 0, 6]), ("other", &[2, 0, 4])]);
        let f =
            Frame { width: 140.0, height: 120.0, left: 20.0, right: 0.0, top: 10.0, bottom: 10.0 };
        let bars = stack_bars(&h, &f, 10);
        assert_eq!(bars.len(), 2); // the empty bucket has no bar
        let b = &bars[1];
        assert_eq!((b.index, b.total, b.start_ms), (2, 10, T0 + 120_000));
        assert_eq!((b.x, b.w), (100.0, 39.0));
        assert_eq!(b.segments[0], Segment { class: "series-0".into(), count: 6, y: 50.0, h: 60.0 });
        assert_eq!(
            b.segments[1],
            Segment { class: "series-other".into(), count: 4, y: 10.0, h: 40.0 }
        );
        // unsplit: one series; tiny counts still get a pixel
        let h = hist(&[1, 1000], &[]);
        let bars = stack_bars(&h, &f, 1000);
        assert_eq!(bars[0].segments[0].h, 1.0);
        assert_eq!(bars[0].segments[0].class, "series-0");
    }

    #[test]
    fn legend_and_tooltip_lines() {
        let h = hist(
            &[3, 0, 1234567],
            &[("s3.amazonaws.com", &[1, 0, 1234560]), ("other", &[2, 0, 7])],
        );
        let l = legend(&h);
        assert_eq!(
            l.iter().map(|e| (e.label.as_str(), e.count)).collect::<Vec<_>>(),
            [("s3", 1234561), ("other", 9)]
        );
        assert_eq!(l[0].name, "s3.amazonaws.com");
        assert_eq!(l[1].class, "series-other");
        let (rows, total) = bucket_detail(&h, 2);
        assert_eq!(total, 1234567);
        assert_eq!(rows.iter().map(|r| r.count).collect::<Vec<_>>(), [1234560, 7]);
        let (rows, total) = bucket_detail(&h, 1);
        assert!(rows.is_empty());
        assert_eq!(total, 0);
        assert_eq!(bucket_detail(&h, 9).1, 0);
        // unsplit histograms are one series
        assert_eq!(legend(&hist(&[2, 3], &[]))[0].count, 5);
    }

    #[test]
    fn hit_testing_and_selection() {
        let h = hist(&[1, 0, 2, 5], &[]);
        let f =
            Frame { width: 130.0, height: 120.0, left: 10.0, right: 0.0, top: 0.0, bottom: 0.0 };
        // 4 buckets of 30 px from x = 10
        assert_eq!(bucket_at(&f, 9.9, 4), None);
        assert_eq!(bucket_at(&f, 10.0, 4), Some(0));
        assert_eq!(bucket_at(&f, 75.0, 4), Some(2));
        assert_eq!(bucket_at(&f, 129.9, 4), Some(3));
        assert_eq!(bucket_at(&f, 130.0, 4), None);
        assert_eq!(bucket_at(&f, 50.0, 0), None);
        assert_eq!(bucket_center(&f, 1, 4), 55.0);
        // click on a bar, on an empty bucket, outside
        assert_eq!(selection(&h, &f, 75.0, 76.0), Some((T0 + 120_000, T0 + 180_000)));
        assert_eq!(selection(&h, &f, 45.0, 45.0), None);
        assert_eq!(selection(&h, &f, 2.0, 2.0), None);
        // drag right to left across buckets 1..=3, and beyond the plot (clamped)
        assert_eq!(selection(&h, &f, 100.0, 45.0), Some((T0 + 60_000, T0 + 240_000)));
        assert_eq!(selection(&h, &f, 0.0, 500.0), Some((T0, T0 + 240_000)));
        assert_eq!(selection(&h, &f, 200.0, 300.0), None);
    }

    #[test]
    fn range_labels() {
        assert_eq!(range_label(T0, T0 + 5 * MIN, 0), "2024-03-01 10:00:00 – 10:05:00");
        assert_eq!(range_label(T0, T0 + DAY, 0), "2024-03-01 10:00:00 – 2024-03-02 10:00:00");
        assert_eq!(range_label(T0, T0 + HOUR, 120), "2024-03-01 12:00:00 – 13:00:00");
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
    fn sparkline() {
        assert_eq!(sparkline_points(&[0, 5, 10], 100.0, 20.0), "0.0,20.0 50.0,10.0 100.0,0.0");
        assert_eq!(sparkline_points(&[3], 100.0, 20.0), "0.0,0.0");
        assert_eq!(sparkline_points(&[], 100.0, 20.0), "");
        assert_eq!(target_buckets(600.0), 100);
        assert_eq!(target_buckets(10.0), 20);
    }
}
