//! Export of the current result: CloudTrail `{"Records":[…]}` JSON, NDJSON, or CSV of the shown
//! columns (formula-injection safe; see `trailglass_core::answer::export_csv`).

use leptos::prelude::*;
use trailglass_core::engine::{ExportFormat as Format, Request};

use crate::state::{Dataset, ViewState};
use crate::web::worker_client::send;

#[component]
pub fn ExportButtons() -> impl IntoView {
    let ds = expect_context::<Dataset>();
    let view = expect_context::<ViewState>();
    let status = ds.export_error;

    // The worker writes the file from the current answer (in table order, the shown columns for
    // CSV) and sends the bytes back; `Dataset::apply` offers them as a download.
    let run = move |format: Format| {
        status.set(None);
        let columns: Vec<String> =
            view.columns.with_untracked(|cols| cols.iter().map(|c| c.kind.id()).collect());
        send(&Request::Export { format, columns });
    };

    view! {
        <div class="export" role="group" aria-label="Export the current result">
            <button class="button" data-testid="export-json" title="Download the current result as CloudTrail JSON ({\"Records\":[…]})"
                on:click=move |_| run(Format::Json)>"JSON"</button>
            <button class="button" data-testid="export-ndjson" title="Download the current result as NDJSON, one event a line"
                on:click=move |_| run(Format::Ndjson)>"NDJSON"</button>
            <button class="button" data-testid="export-csv" title="Download the shown columns of the current result as CSV"
                on:click=move |_| run(Format::Csv)>"CSV"</button>
            {move || status.get().map(|s| view! { <span class="warn">{s}</span> })}
        </div>
    }
}
