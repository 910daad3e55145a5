//! The event table, virtualized: only the rows in view (plus a small margin) are in the DOM, so
//! a million rows scroll like a hundred.
//!
//! Hand-written rather than leptos-struct-table: that crate's columns are fixed at compile time
//! by a derive on a row struct, while ours are chosen at run time (any field, nested paths), and
//! its rows set inline `style` attributes, which our Content-Security-Policy (style-src 'self')
//! forbids. Here every row is absolutely positioned through the CSSOM (`style:transform`), which
//! CSP allows, inside a fixed-height scrolling body.

use leptos::html::Div;
use leptos::prelude::*;
use leptos_use::{use_element_size, use_scroll, UseElementSizeReturn, UseScrollReturn};
use trailglass_core::Column;

use crate::app::RowIds;
use crate::columns::{cell_text, ColumnDef, ColumnKind, DEFAULT_COLUMNS};
use crate::state::{Dataset, ViewSettings};

/// Height of one row in CSS pixels; must match `.row` in style/main.css.
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

/// CSS grid columns: each column its width, the last one also taking any space left over.
fn grid_template(columns: &[ColumnDef]) -> String {
    let last = columns.len().saturating_sub(1);
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| if i == last { format!("minmax({}px, 1fr)", c.width) } else { format!("{}px", c.width) })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The browser's offset from UTC at a given instant (DST-aware), east positive.
fn local_offset_at(ms: i64) -> i32 {
    -(js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64)).get_timezone_offset() as i32)
}

#[component]
pub fn EventTable(rows: Memo<RowIds>) -> impl IntoView {
    let ds = expect_context::<Dataset>();
    let settings = expect_context::<ViewSettings>();
    let columns = DEFAULT_COLUMNS;
    let template = grid_template(&columns);

    let body = NodeRef::<Div>::new();
    let UseScrollReturn { y, .. } = use_scroll(body);
    let UseElementSizeReturn { height, .. } = use_element_size(body);
    let total = move || rows.with(|r| r.0.len());
    let range = Memo::new(move |_| visible_range(y.get(), height.get(), total()));
    // (position, row id) pairs in view; keyed by both, so a re-sorted list re-renders.
    let visible = move || {
        let (start, end) = range.get();
        rows.with(|r| (start..end).filter_map(|p| r.0.get(p).map(|&id| (p, id))).collect::<Vec<_>>())
    };

    let header = columns
        .iter()
        .map(|c| view! { <div class="cell th" role="columnheader">{c.label}</div> })
        .collect_view();

    let row_template = template.clone();
    let render_row = move |(pos, id): (usize, u32)| {
        let template = row_template.clone();
        let row = id as usize;
        let is_error = ds.store.with_value(|s| !s.get(row, Column::ErrorCode).is_empty());
        let cells = columns
            .iter()
            .map(|c| {
                let kind = c.kind;
                let text = move || {
                    ds.store.with_value(|s| {
                        let offset = match (kind, settings.local_time.get()) {
                            (ColumnKind::Time, true) => s.time_ms(row).map(local_offset_at).unwrap_or(0),
                            _ => 0,
                        };
                        cell_text(s, row, kind, offset)
                    })
                };
                view! { <div class="cell" role="gridcell" title=text.clone()>{text}</div> }
            })
            .collect_view();
        view! {
            <div
                class="row"
                class:error=is_error
                class:alt=pos % 2 == 1
                role="row"
                data-testid="event-row"
                data-row=id
                style:transform=format!("translateY({}px)", pos as f64 * ROW_HEIGHT)
                style:grid-template-columns=template.clone()
            >
                {cells}
            </div>
        }
    };

    view! {
        <div class="event-table" role="grid" data-testid="event-table">
            <div class="thead" role="row" style:grid-template-columns=template.clone()>{header}</div>
            <div class="tbody" node_ref=body>
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
    fn template_from_widths() {
        assert_eq!(grid_template(&DEFAULT_COLUMNS[..2]), "170px minmax(180px, 1fr)");
    }
}
