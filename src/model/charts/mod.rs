//! The arithmetic of the charts, one module per concern: [`scale`] (linear maps, the chart's
//! frame), [`ticks`] (round count and time ticks), [`series`] (series colours, legend and tooltip
//! lines), [`histogram`] (the histogram's bars, axis, hit-testing and brush) and [`sparkline`].
//! The chart components only wire these to SVG.
//!
//! Everything here is a plain function of its inputs (pixel sizes, a
//! [`Histogram`](trailglass_core::answer::Histogram), a UTC offset in minutes passed in, never read
//! from the browser), so it is unit-tested natively. Bars are laid out by *bucket index* (one band
//! of `plot_w / n` pixels per bucket), and the time axis maps `[start_ms, start_ms + n *
//! bucket_ms]` onto the same pixels, so ticks, bars and brush agree. Counts shown to people in
//! tooltips are exact; only axis ticks use short labels (`1.2k`, from [`crate::model::format`]).

pub mod histogram;
pub mod scale;
pub mod series;
pub mod sparkline;
pub mod ticks;

/// A histogram to test with: one-minute buckets from 2024-03-01T10:00:00Z.
#[cfg(test)]
mod fixtures {
    use trailglass_core::answer::Histogram;

    pub const T0: i64 = 1_709_287_200_000;

    pub fn hist(counts: &[u64], series: &[(&str, &[u64])]) -> Histogram {
        Histogram {
            start_ms: T0,
            bucket_ms: 60_000,
            counts: counts.to_vec(),
            series: series.iter().map(|(n, v)| ((*n).to_owned(), v.to_vec())).collect(),
        }
    }
}
