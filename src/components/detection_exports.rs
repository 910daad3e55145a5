//! Export of the detections over everything loaded: CSV and JSON (rule id, title, level, author,
//! techniques, event ids, first and last seen) and an ATT&CK Navigator layer of the techniques
//! hit, to open in the tool analysts already use. The worker writes the file; the bytes come back
//! as a download like any export (`web::worker_client::route`).

use leptos::prelude::*;
use trailglass_core::engine::{ExportFormat as Format, Request};

use crate::state::Dataset;
use crate::web::worker_client::send;

#[component]
pub fn DetectionExports() -> impl IntoView {
    let ds = expect_context::<Dataset>();
    let status = ds.export_error;
    let run = move |format: Format| {
        status.set(None);
        send(&Request::Export { format, columns: Vec::new() });
    };
    view! {
        <div class="export" role="group" aria-label="Export the detections">
            <button class="button" data-testid="export-detections-csv" title="Download the detections as CSV (rule, level, author, techniques, event ids, first and last seen)"
                on:click=move |_| run(Format::DetectionsCsv)>"CSV"</button>
            <button class="button" data-testid="export-detections-json" title="Download the detections as JSON"
                on:click=move |_| run(Format::DetectionsJson)>"JSON"</button>
            <button class="button" data-testid="export-navigator" title="Download an ATT&CK Navigator layer of the techniques hit"
                on:click=move |_| run(Format::AttackNavigator)>"ATT&CK Navigator layer"</button>
            {move || status.get().map(|s| view! { <span class="warn" role="status">{s}</span> })}
        </div>
    }
}
