//! One row of the event table: its cells as the chosen columns show them (times in the chosen
//! zone), placed at its position, selected on click.

use leptos::prelude::*;
use trailglass_core::engine::RowLine;

use crate::model::columns::cell_display;
use crate::model::virtual_table::row_offset;
use crate::state::{Dataset, ViewState};
use crate::web::tz::local_offset_at;

#[component]
pub fn EventRow(
    /// The row's position in the current result (0 is the first).
    pos: usize,
    line: RowLine,
    /// The columns' CSS grid template and the row's width, shared with the header.
    template: Memo<String>,
    width: Memo<String>,
) -> impl IntoView {
    let ds = expect_context::<Dataset>();
    let view = expect_context::<ViewState>();
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
    let selected = move || view.selected.get() == Some(id);
    view! {
        <div
            class="row"
            class:error=is_error
            class:alt=pos % 2 == 1
            class:selected=selected
            role="row"
            // The header is row 1.
            aria-rowindex=pos + 2
            aria-selected=move || selected().to_string()
            data-testid="event-row"
            data-row=id
            style:transform=format!("translateY({}px)", row_offset(pos))
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
}
