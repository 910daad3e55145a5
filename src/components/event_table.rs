//! The event table, virtualized: only the rows in view (plus a small margin) are in the DOM; the
//! arithmetic (which rows, where, what to fetch) is in [`crate::model::virtual_table`].
//!
//! Hand-written rather than leptos-struct-table: that crate's columns are fixed at compile time
//! by a derive on a row struct, while ours are chosen at run time (any field, nested paths), and
//! its rows set inline `style` attributes, which our Content-Security-Policy (style-src 'self')
//! forbids. Here every row is absolutely positioned through the CSSOM (`style:transform`), which
//! CSP allows, inside a fixed-height scrolling body.
//!
//! The scroller is the ARIA `grid`: its children are the header `row` and a `rowgroup` of the
//! rendered rows, each with its `aria-rowindex` so assistive technology knows where it is among
//! all `aria-rowcount` rows. The "no events" message sits outside the grid.

use leptos::html::Div;
use leptos::prelude::*;
use leptos_use::{use_element_size, use_scroll, UseElementSizeReturn, UseScrollReturn};
use trailglass_core::engine::Request;

use crate::components::event_row::EventRow;
use crate::components::table_header::TableHeader;
use crate::model::virtual_table::{
    body_height, grid_template, page_rows_in, row_width, rows_to_fetch, scroll_to_show,
    visible_range,
};
use crate::results::Results;
use crate::state::{Dataset, ViewState};
use crate::web::worker_client::send;

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
        let range = range.get();
        ds.page.with(|p| {
            let idx = page_rows_in(range, p.offset, p.rows.len());
            let rows = p.rows.get(idx.clone()).unwrap_or_default();
            idx.map(|i| p.offset + i).zip(rows.iter().cloned()).collect::<Vec<_>>()
        })
    };
    // Keep the selected row in view when the keyboard (or a link) moves it.
    Effect::new(move |_| {
        let Some(pos) = ds.selected_pos.get() else { return };
        if let Some(to) = scroll_to_show(pos, y.get_untracked(), height.get_untracked()) {
            set_y(to);
        }
    });
    let col_count = move || view.columns.with(Vec::len).to_string();

    view! {
        // Which answer the shown rows belong to (the rows arrive just after the count): tests and
        // the browser benchmark wait for the two to agree.
        <div class="event-table" data-testid="event-table"
            data-answer=move || ds.answer.with(|a| a.id) data-rows-answer=move || ds.page.with(|p| p.answer)>
            <div class="tbody" node_ref=body tabindex="0" role="grid" aria-label="Events"
                aria-rowcount=move || (total() + 1).to_string() aria-colcount=col_count>
                // Inside the scroller (sticky), so it scrolls sideways with the rows.
                <TableHeader template=template width=width />
                <div class="spacer" role="rowgroup" style:height=move || format!("{}px", body_height(total()))>
                    <For each=visible key=|(pos, line)| (*pos, line.clone())
                        children=move |(pos, line)| view! { <EventRow pos=pos line=line template=template width=width /> } />
                </div>
            </div>
            <Show when=move || { total() == 0 }>
                <div class="no-results" data-testid="no-results">
                    {move || if loading.get() {
                        "Reading files… events appear here as they are read."
                    } else {
                        "No events match. Loosen the search, clear the time range, or remove a filter."
                    }}
                </div>
            </Show>
        </div>
    }
}
