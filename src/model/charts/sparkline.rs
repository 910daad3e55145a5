//! The sparkline of a series: its values as SVG polyline points in a small box.

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

    #[test]
    fn sparkline() {
        assert_eq!(sparkline_points(&[0, 5, 10], 100.0, 20.0), "0.0,20.0 50.0,10.0 100.0,0.0");
        assert_eq!(sparkline_points(&[3], 100.0, 20.0), "0.0,0.0");
        assert_eq!(sparkline_points(&[], 100.0, 20.0), "");
    }
}
