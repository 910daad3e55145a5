//! The swimlane under the time histogram: one lane per detection, most severe first, at most a
//! few (the rest counted as "+N more"), each a line with the rule's title over a track of marks,
//! one mark per bucket with matches. The engine counts a detection's matches in the histogram's
//! own buckets (`Detection.buckets`), and the marks are laid out with the histogram's
//! [`bar_x`] in the same [`Frame`], so a mark sits exactly under the bar of its events and an
//! attack reads left to right as a story.
//!
//! A mark's strength (1–4, a CSS class) grows with its share of the lane's busiest bucket, so a
//! burst stands out within its lane; its colour is the level's.

use trailglass_core::engine::{Detection, Level};

use crate::model::charts::histogram::{bar_x, bucket_at};
use crate::model::charts::scale::Frame;
use crate::model::detections::by_severity;

/// Lanes drawn at most.
pub const MAX_LANES: usize = 3;
/// A lane's height: its title line, then its marks.
pub const LANE_H: f64 = 20.0;
/// The height of a lane's title line (the baseline sits 3 px above its end).
pub const LABEL_H: f64 = 12.0;
/// The height of a mark.
pub const MARK_H: f64 = 6.0;
/// Marks are at least this wide, so a one-event bucket of a long range is still seen.
pub const MIN_MARK_W: f64 = 2.0;

/// One bucket with matches.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub bucket: usize,
    pub count: u32,
    pub x: f64,
    pub w: f64,
    /// 1 (a few of the lane's busiest bucket) to 4 (the busiest).
    pub strength: u8,
}

/// One detection's lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    pub rule: String,
    pub title: String,
    pub level: Level,
    pub count: u64,
    /// The lane's top edge.
    pub top: f64,
    pub marks: Vec<Mark>,
}

impl Lane {
    /// The baseline of the title.
    pub fn label_y(&self) -> f64 {
        self.top + LABEL_H - 3.0
    }
    /// The top edge of the marks.
    pub fn mark_y(&self) -> f64 {
        self.top + LABEL_H
    }
    /// Its matches in bucket `b`.
    pub fn in_bucket(&self, b: usize) -> u32 {
        self.marks.iter().find(|m| m.bucket == b).map_or(0, |m| m.count)
    }
}

/// The lanes to draw, the detections not drawn, and the height of it all.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Swimlane {
    pub lanes: Vec<Lane>,
    /// Detections without a lane ("+N more").
    pub more: usize,
    pub height: f64,
}

/// The swimlane of `detections` over a histogram of `buckets` buckets drawn in `frame`. A
/// detection none of whose events has a time (no marks) gets no lane; it counts among the rest.
pub fn swimlane(detections: &[Detection], buckets: usize, frame: &Frame) -> Swimlane {
    let mut lanes = Vec::new();
    for d in by_severity(detections) {
        if lanes.len() == MAX_LANES {
            break;
        }
        let busiest = d.buckets.iter().copied().max().unwrap_or(0);
        if busiest == 0 || d.buckets.len() != buckets {
            continue;
        }
        let marks = d
            .buckets
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(i, &count)| {
                let (x, w) = bar_x(frame, i, buckets);
                let (x, w) =
                    if w < MIN_MARK_W { (x - (MIN_MARK_W - w) / 2.0, MIN_MARK_W) } else { (x, w) };
                let strength =
                    (u64::from(count) * 4).div_ceil(u64::from(busiest)).clamp(1, 4) as u8;
                Mark { bucket: i, count, x, w, strength }
            })
            .collect();
        lanes.push(Lane {
            rule: d.rule.clone(),
            title: d.title.clone(),
            level: d.level,
            count: d.count,
            top: lanes.len() as f64 * LANE_H,
            marks,
        });
    }
    let height = if lanes.is_empty() { 0.0 } else { lanes.len() as f64 * LANE_H + 2.0 };
    Swimlane { more: detections.len() - lanes.len(), height, lanes }
}

/// The lane and bucket under a point (px from the swimlane's top left), if any.
pub fn lane_at(
    s: &Swimlane,
    frame: &Frame,
    buckets: usize,
    x: f64,
    y: f64,
) -> Option<(usize, usize)> {
    if y < 0.0 {
        return None;
    }
    let lane = (y / LANE_H) as usize;
    s.lanes.get(lane)?;
    Some((lane, bucket_at(frame, x, buckets)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::detections::fixtures::detection;

    fn with_buckets(rule: &str, level: Level, buckets: &[u32]) -> Detection {
        let mut d = detection(rule, level, buckets.iter().map(|&b| u64::from(b)).sum());
        d.buckets = buckets.to_vec();
        d
    }

    // 4 buckets of 100 px from x = 42
    fn frame() -> Frame {
        Frame::histogram(460.0)
    }

    #[test]
    fn marks_sit_under_the_histogram_bars() {
        let s = swimlane(&[with_buckets("a", Level::High, &[0, 3, 0, 12])], 4, &frame());
        assert_eq!(s.lanes.len(), 1);
        let lane = &s.lanes[0];
        assert_eq!(lane.marks.len(), 2);
        assert_eq!(lane.marks[0], Mark { bucket: 1, count: 3, x: 142.0, w: 99.0, strength: 1 });
        assert_eq!(lane.marks[1].strength, 4);
        assert_eq!((lane.marks[1].x, lane.marks[1].w), bar_x(&frame(), 3, 4));
        assert_eq!(lane.in_bucket(3), 12);
        assert_eq!(lane.in_bucket(0), 0);
        assert_eq!(s.height, LANE_H + 2.0);
        assert_eq!(lane.mark_y(), LABEL_H);
    }

    #[test]
    fn thin_buckets_still_show() {
        let mut b = vec![0u32; 1000];
        b[500] = 1;
        let s = swimlane(&[with_buckets("a", Level::Low, &b)], 1000, &frame());
        let m = &s.lanes[0].marks[0];
        assert_eq!(m.w, MIN_MARK_W);
        let (x, w) = bar_x(&frame(), 500, 1000);
        assert!((m.x + m.w / 2.0 - (x + w / 2.0)).abs() < 1e-9, "centred on its bucket");
    }

    #[test]
    fn a_few_lanes_most_severe_first() {
        let ds = vec![
            with_buckets("low", Level::Low, &[1, 0]),
            with_buckets("crit", Level::Critical, &[0, 1]),
            with_buckets("high-big", Level::High, &[5, 5]),
            with_buckets("high", Level::High, &[1, 0]),
            with_buckets("timeless", Level::Critical, &[0, 0]),
            with_buckets("med", Level::Medium, &[2, 2]),
            with_buckets("info", Level::Informational, &[2, 2]),
        ];
        let s = swimlane(&ds, 2, &frame());
        let rules: Vec<_> = s.lanes.iter().map(|l| l.rule.as_str()).collect();
        assert_eq!(rules, ["crit", "high-big", "high"]);
        assert_eq!(s.more, 4);
        assert_eq!(s.lanes[2].top, 2.0 * LANE_H);
        // buckets of another histogram (an answer in between) draw nothing
        assert!(swimlane(&ds, 3, &frame()).lanes.is_empty());
        assert_eq!(swimlane(&[], 2, &frame()), Swimlane::default());
    }

    #[test]
    fn hovering() {
        let ds = vec![
            with_buckets("a", Level::High, &[1, 0, 0, 2]),
            with_buckets("b", Level::Low, &[1, 1, 1, 1]),
        ];
        let s = swimlane(&ds, 4, &frame());
        assert_eq!(lane_at(&s, &frame(), 4, 50.0, 5.0), Some((0, 0)));
        assert_eq!(lane_at(&s, &frame(), 4, 400.0, LANE_H + 1.0), Some((1, 3)));
        assert_eq!(lane_at(&s, &frame(), 4, 400.0, 3.0 * LANE_H), None);
        assert_eq!(lane_at(&s, &frame(), 4, 10.0, 5.0), None, "in the gutter");
        assert_eq!(lane_at(&s, &frame(), 4, 50.0, -1.0), None);
    }
}
