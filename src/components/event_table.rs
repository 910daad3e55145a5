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
use trailglass_core::Column;

use crate::columns::{cell_text, ColumnDef};
use crate::components::table_header::TableHeader;
use crate::results::Results;
use crate::state::{Dataset, ViewState};
use crate::tz::local_offset_at;

/// Height of one row in CSS pixels; must match `--row-h` in style/main.css.
pub const ROW_HEIGHT: f64 = 26.0;
/// Rows rendered above and below the visible ones, so fast scrolling shows no gaps.
const OVERSCAN: usize = 10;

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
        .map(|(i, c)| if i == last { format!("minmax({}px, 1fr)", c.width) } else { format!("{}px", c.width) })
        .collect::<Vec<_>>()
        .join(" ")
}

#[component]
pub fn EventTable() -> impl IntoView {
    let ds = expect_context::<Dataset>();
    let view = expect_context::<ViewState>();
    let results = expect_context::<Results>();
    let rows = results.sorted;
    let template = Memo::new(move |_| view.columns.with(|c| grid_template(c)));

    let body = NodeRef::<Div>::new();
    let UseScrollReturn { y, set_y, .. } = use_scroll(body);
    let UseElementSizeReturn { height, .. } = use_element_size(body);
    let total = move || rows.with(|r| r.len());
    let range = Memo::new(move |_| visible_range(y.get(), height.get(), total()));
    // (position, row id) pairs in view; keyed by both, so a re-sorted list re-renders.
    let visible = move || {
        let (start, end) = range.get();
        rows.with(|r| (start..end).filter_map(|p| r.0.get(p).map(|&id| (p, id))).collect::<Vec<_>>())
    };
    // Keep the selected row in view when the keyboard moves it.
    Effect::new(move |_| {
        let Some(sel) = view.selected.get() else { return };
        let pos = rows.with_untracked(|r| r.0.iter().position(|&x| x == sel));
        if let Some(to) = pos.and_then(|p| scroll_to_show(p, y.get_untracked(), height.get_untracked())) {
            set_y(to);
        }
    });

    let render_row = move |(pos, id): (usize, u32)| {
        let row = id as usize;
        let is_error = ds.store.with_value(|s| !s.get(row, Column::ErrorCode).is_empty());
        let cells = move || {
            let local = view.local_time.get();
            view.columns.with(|cols| {
                ds.store.with_value(|s| {
                    let offset = if local { s.time_ms(row).map(local_offset_at).unwrap_or(0) } else { 0 };
                    cols.iter()
                        .map(|c| {
                            let text = cell_text(s, row, &c.kind, offset);
                            let title = text.clone();
                            view! { <div class="cell" role="gridcell" title=title>{text}</div> }
                        })
                        .collect_view()
                })
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
                on:click=move |_| view.selected.set(Some(id))
            >
                {cells}
            </div>
        }
    };

    view! {
        <div class="event-table" role="grid" data-testid="event-table" aria-rowcount=move || total().to_string()>
            <div class="tbody" node_ref=body tabindex="0">
                // Inside the scroller (sticky), so it scrolls sideways with the rows.
                <TableHeader template=template />
                <Show when=move || { total() == 0 }>
                    <div class="no-results" data-testid="no-results">
                        "No events match. Loosen the search, clear the time range, or remove a filter."
                    </div>
                </Show>
                <div class="spacer" style:height=move || format!("{}px", total() as f64 * ROW_HEIGHT)>
                    <For each=visible key=|pair| *pair children=render_row />
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
    }
}
