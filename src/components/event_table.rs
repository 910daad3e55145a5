//! The event table, virtualized: only the rows in view (plus a small margin) are in the DOM, so
//! a million rows scroll like a hundred.
//!
//! Hand-written rather than leptos-struct-table: that crate's columns are fixed at compile time
//! by a derive on a row struct, while ours are chosen at run time (any field, nested paths), and
//! its rows set inline `style` attributes, which our Content-Security-Policy (style-src 'self')
//! forbids. Here every row is absolutely positioned through the CSSOM (`style:transform`), which
//! CSP allows, inside a fixed-height scrolling body. Headers sort (click) and resize (drag the
//! right edge); the selected row follows the keyboard.

use leptos::html::Div;
use leptos::prelude::*;
use leptos_use::{use_element_size, use_scroll, UseElementSizeReturn, UseScrollReturn};
use trailglass_core::engine::{Request, RowLine};

use crate::client::send;
use crate::columns::{cell_display, ColumnDef};
use crate::components::table_header::TableHeader;
use crate::results::Results;
use crate::state::{Dataset, ViewState};
use crate::tz::local_offset_at;

/// Height of one row in CSS pixels; must match `--row-h` in style/main.css.
pub const ROW_HEIGHT: f64 = 26.0;
/// Rows rendered above and below the visible ones, so fast scrolling shows no gaps.
const OVERSCAN: usize = 10;
/// Rows asked of the worker beyond the rendered ones on each side, so scrolling a little needs
/// no new request.
const PREFETCH: usize = 60;

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
/// ellipsis, instead of each row growing to fit its own text (the last column of a row with a
/// long error used to run past the header's and be cut at the edge).
pub fn row_width(columns: &[ColumnDef]) -> u32 {
    columns.iter().map(|c| c.width).sum()
}

#[component]
pub fn EventTable() -> impl IntoView {
    let ds = expect_context::<Dataset>();
    let view = expect_context::<ViewState>();
    let results = expect_context::<Results>();
    let template = Memo::new(move |_| view.columns.with(|c| grid_template(c)));
    let width = Memo::new(move |_| format!("{}px", view.columns.with(|c| row_width(c))));
    let loading = ds.loading();

    let body = NodeRef::<Div>::new();
    let UseScrollReturn { y, set_y, .. } = use_scroll(body);
    let UseElementSizeReturn { height, .. } = use_element_size(body);
    let total = move || results.count.get();
    let range = Memo::new(move |_| visible_range(y.get(), height.get(), total()));
    // Ask the worker for the rows in view (and a margin) when the answer, the columns or the
    // scroll position needs rows it has not sent.
    let fetched = StoredValue::new(None::<(u64, Vec<String>, (usize, usize))>);
    Effect::new(move |_| {
        let visible = range.get();
        let answer = ds.answer.with(|a| a.id);
        let columns: Vec<String> = view.columns.with(|c| c.iter().map(|d| d.kind.id()).collect());
        let before = fetched.with_value(|f| {
            f.as_ref().filter(|(a, c, _)| *a == answer && *c == columns).map(|(_, _, r)| *r)
        });
        if let Some((offset, end)) = rows_to_fetch(visible, before, total()) {
            send(&Request::Rows { offset, limit: end - offset, columns: columns.clone() });
            fetched.set_value(Some((answer, columns, (offset, end))));
        }
    });
    // The rows in view that have arrived, with their positions.
    let visible = move || {
        let (start, end) = range.get();
        ds.page.with(|p| {
            p.rows
                .iter()
                .enumerate()
                .map(|(i, r)| (p.offset + i, r))
                .filter(|(pos, _)| (start..end).contains(pos))
                .map(|(pos, r)| (pos, r.clone()))
                .collect::<Vec<_>>()
        })
    };
    // Keep the selected row in view when the keyboard (or a link) moves it.
    Effect::new(move |_| {
        let Some(pos) = ds.selected_pos.get() else { return };
        if let Some(to) = scroll_to_show(pos, y.get_untracked(), height.get_untracked()) {
            set_y(to);
        }
    });

    let render_row = move |(pos, line): (usize, RowLine)| {
        let id = line.id;
        let is_error = line.error;
        let cells = move || {
            let local = view.local_time.get();
            let offset = if local { line.time_ms.map(local_offset_at).unwrap_or(0) } else { 0 };
            view.columns.with(|cols| {
                cols.iter()
                    .zip(line.cells.iter())
                    .map(|(c, raw)| {
                        let text = cell_display(&c.kind, raw, line.time_ms, offset);
                        let title = text.clone();
                        view! { <div class="cell" role="gridcell" title=title>{text}</div> }
                    })
                    .collect_view()
            })
        };
        view! {
            <div
                class="row"
                class:error=is_error
                class:alt=pos % 2 == 1
                class:selected=move || view.selected.get() == Some(id)
                role="row"
                data-testid="event-row"
                data-row=id
                style:transform=format!("translateY({}px)", pos as f64 * ROW_HEIGHT)
                style:grid-template-columns=move || template.get()
                style:width=move || width.get()
                on:click=move |_| {
                    ds.selected_pos.set(Some(pos));
                    view.selected.set(Some(id));
                }
            >
                {cells}
            </div>
        }
    };

    view! {
        <div class="event-table" role="grid" data-testid="event-table" aria-rowcount=move || total().to_string()
            // Which answer the shown rows belong to (the rows arrive just after the count): tests
            // and the browser benchmark wait for the two to agree.
            data-answer=move || ds.answer.with(|a| a.id) data-rows-answer=move || ds.page.with(|p| p.answer)>
            <div class="tbody" node_ref=body tabindex="0">
                // Inside the scroller (sticky), so it scrolls sideways with the rows.
                <TableHeader template=template width=width />
                <Show when=move || { total() == 0 }>
                    <div class="no-results" data-testid="no-results">
                        {move || if loading.get() {
                            "Reading files… events appear here as they are read."
                        } else {
                            "No events match. Loosen the search, clear the time range, or remove a filter."
                        }}
                    </div>
                </Show>
                <div class="spacer" style:height=move || format!("{}px", total() as f64 * ROW_HEIGHT)>
                    <For each=visible key=|(pos, line)| (*pos, line.clone()) children=render_row />
                </div>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::default_columns;

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
    fn template_from_widths() {
        let cols = default_columns();
        assert_eq!(grid_template(&cols[..2]), "162px minmax(160px, 1fr)");
        assert_eq!(grid_template(&[]), "");
        assert_eq!(row_width(&cols[..2]), 322);
        assert_eq!(row_width(&[]), 0);
    }
}
