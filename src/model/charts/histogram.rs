//! The histogram's geometry: the time axis under the bars, the stacked bar of each bucket, which
//! bucket is under the pointer, and the time range a click or a drag (the brush) selects.

use trailglass_core::answer::Histogram;

use crate::model::charts::scale::{Frame, LinearScale};
use crate::model::charts::series::{series_class, series_of};
use crate::model::charts::ticks::time_ticks;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::charts::fixtures::{hist, T0};

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
}
