//! The event table's virtualization: which rows are in view for a scroll offset, which rows to
//! ask the worker for (the rendered ones and [`PREFETCH`] more on each side), where a row sits,
//! the scroll offset that brings a row into view, and the CSS grid the columns make.
//!
//! Only the rows in view (plus [`OVERSCAN`]) are in the DOM, each absolutely positioned at
//! `position × ROW_HEIGHT` inside a spacer as tall as all rows, so a million rows scroll like a
//! hundred. Plain arithmetic on pixels and positions, tested natively; the table component
//! (`components::event_table`) only wires it to the scroller.

use std::ops::Range;

use crate::model::columns::ColumnDef;

/// Height of one row in CSS pixels; must match `--row-h` in style/main.css.
pub const ROW_HEIGHT: f64 = 26.0;
/// Rows rendered above and below the visible ones, so fast scrolling shows no gaps.
pub const OVERSCAN: usize = 10;
/// Rows asked of the worker beyond the rendered ones on each side, so scrolling a little needs
/// no new request.
pub const PREFETCH: usize = 60;

/// The rows to ask the worker for when `visible` is to be shown and `fetched` was asked for last
/// (both half-open ranges of positions); `None` when `fetched` covers `visible`.
pub fn rows_to_fetch(
    visible: (usize, usize),
    fetched: Option<(usize, usize)>,
    total: usize,
) -> Option<(usize, usize)> {
    let (start, end) = visible;
    if fetched.is_some_and(|(a, b)| a <= start && end <= b) {
        return None;
    }
    Some((start.saturating_sub(PREFETCH), (end + PREFETCH).min(total)))
}

/// The half-open range of row positions to render for a scroll offset and viewport height.
pub fn visible_range(scroll_top: f64, viewport: f64, total: usize) -> (usize, usize) {
    let first = (scroll_top.max(0.0) / ROW_HEIGHT).floor() as usize;
    let count = (viewport.max(0.0) / ROW_HEIGHT).ceil() as usize + 1;
    let start = first.saturating_sub(OVERSCAN).min(total);
    let end = (first + count + OVERSCAN).min(total);
    (start, end)
}

/// Height of the sticky header row in CSS pixels; must match `.thead` in style/main.css.
pub const HEADER_HEIGHT: f64 = 30.0;

/// The scroll offset that brings row position `pos` into a viewport (below the sticky header),
/// or None if it is in view.
pub fn scroll_to_show(pos: usize, scroll_top: f64, viewport: f64) -> Option<f64> {
    let viewport = (viewport - HEADER_HEIGHT).max(ROW_HEIGHT);
    let top = pos as f64 * ROW_HEIGHT;
    if top < scroll_top {
        Some(top)
    } else if top + ROW_HEIGHT > scroll_top + viewport {
        Some(top + ROW_HEIGHT - viewport)
    } else {
        None
    }
}

/// CSS grid columns: each column its width, the last one also taking any space left over.
pub fn grid_template(columns: &[ColumnDef]) -> String {
    let last = columns.len().saturating_sub(1);
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i == last {
                format!("minmax({}px, 1fr)", c.width)
            } else {
                format!("{}px", c.width)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The rows' width in px: the sum of the columns' widths. Rows and the header get it as a definite
/// width (`style:width`, set through the CSSOM as the strict CSP wants; `min-width: 100%` in CSS),
/// so the last column's `1fr` takes only the space left in the view and a long value ends in an
/// ellipsis, instead of each row growing to fit its own text and running past the header.
pub fn row_width(columns: &[ColumnDef]) -> u32 {
    columns.iter().map(|c| c.width).sum()
}

/// The indices into a page of fetched rows (which starts at position `page_offset` and holds
/// `page_len` rows) of the rows within `range` of positions.
pub fn page_rows_in(range: (usize, usize), page_offset: usize, page_len: usize) -> Range<usize> {
    let page_end = page_offset.saturating_add(page_len);
    let (start, end) = (range.0.clamp(page_offset, page_end), range.1.clamp(page_offset, page_end));
    (start - page_offset)..(end.max(start) - page_offset)
}

/// The y offset in px of the row at position `pos`.
pub fn row_offset(pos: usize) -> f64 {
    pos as f64 * ROW_HEIGHT
}

/// The height in px of the spacer that holds `total` rows (what the scrollbar measures).
pub fn body_height(total: usize) -> f64 {
    total as f64 * ROW_HEIGHT
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::columns::default_columns;

    #[test]
    fn window_of_rows() {
        // top of a 1M-row table, 10 rows tall viewport
        assert_eq!(visible_range(0.0, 260.0, 1_000_000), (0, 21));
        // scrolled down 1000 rows
        assert_eq!(visible_range(26_000.0, 260.0, 1_000_000), (990, 1021));
        // near the end, clamped
        assert_eq!(visible_range(26.0 * 995.0, 260.0, 1000), (985, 1000));
        // empty table, odd inputs
        assert_eq!(visible_range(500.0, 260.0, 0), (0, 0));
        assert_eq!(visible_range(-5.0, -1.0, 3), (0, 3));
    }

    #[test]
    fn fetching_rows() {
        // nothing fetched yet: the visible rows and a margin
        assert_eq!(rows_to_fetch((0, 21), None, 1000), Some((0, 81)));
        // covered
        assert_eq!(rows_to_fetch((10, 31), Some((0, 81)), 1000), None);
        // scrolled past the fetched rows
        assert_eq!(rows_to_fetch((70, 91), Some((0, 81)), 1000), Some((10, 151)));
        // the end of a small table
        assert_eq!(rows_to_fetch((0, 5), None, 5), Some((0, 5)));
        assert_eq!(rows_to_fetch((0, 0), None, 0), Some((0, 0)));
    }

    #[test]
    fn scrolling_to_a_row() {
        // 260px viewport less the 30px header: rows 0..=7 fully visible at the top
        assert_eq!(scroll_to_show(0, 0.0, 260.0), None);
        assert_eq!(scroll_to_show(7, 0.0, 260.0), None);
        assert_eq!(scroll_to_show(8, 0.0, 260.0), Some(9.0 * 26.0 - 230.0));
        assert_eq!(scroll_to_show(2, 260.0, 260.0), Some(52.0));
    }

    #[test]
    fn rows_of_a_page_in_view() {
        // page of 81 rows from position 10; rows 20..41 in view
        assert_eq!(page_rows_in((20, 41), 10, 81), 10..31);
        // view starts before the page and ends inside it
        assert_eq!(page_rows_in((0, 21), 10, 81), 0..11);
        // view past the page, or before it
        assert_eq!(page_rows_in((200, 221), 10, 81), 81..81);
        assert_eq!(page_rows_in((0, 5), 10, 81), 0..0);
        assert_eq!(page_rows_in((0, 0), 0, 0), 0..0);
    }

    #[test]
    fn row_positions() {
        assert_eq!(row_offset(0), 0.0);
        assert_eq!(row_offset(3), 78.0);
        assert_eq!(body_height(1_000_000), 26_000_000.0);
    }

    #[test]
    fn template_from_widths() {
        let cols = default_columns();
        assert_eq!(grid_template(&cols[..2]), "162px minmax(160px, 1fr)");
        assert_eq!(grid_template(&[]), "");
        assert_eq!(row_width(&cols[..2]), 322);
        assert_eq!(row_width(&[]), 0);
    }
}
