//! Pixels: a linear scale from a domain to a range, and the chart's frame (its size and the
//! margins around the plot area).

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_scale_maps() {
        let s = LinearScale::new((0.0, 100.0), (120.0, 20.0));
        assert_eq!(s.map(0.0), 120.0);
        assert_eq!(s.map(50.0), 70.0);
        assert_eq!(LinearScale::new((5.0, 5.0), (0.0, 10.0)).map(7.0), 0.0);
    }
}
