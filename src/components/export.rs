//! Export of the current result: CloudTrail `{"Records":[…]}` JSON, NDJSON, or CSV of the shown
//! columns (formula-injection safe; see `trailglass_core::query::export_csv`).

use leptos::prelude::*;
use trailglass_core::query::{export_csv, export_ndjson, export_records_json, CsvColumn};

use crate::columns::ColumnKind;
use crate::download::download;
use crate::results::Results;
use crate::state::{Dataset, ViewState};

#[derive(Clone, Copy)]
enum Format {
    Json,
    Ndjson,
    Csv,
}

#[component]
pub fn ExportButtons() -> impl IntoView {
    let ds = expect_context::<Dataset>();
    let view = expect_context::<ViewState>();
    let results = expect_context::<Results>();
    let status = RwSignal::new(None::<String>);

    let run = move |format: Format| {
        let rows = results.sorted.get_untracked();
        let columns: Vec<CsvColumn> = view.columns.with_untracked(|cols| {
            cols.iter()
                .map(|c| match &c.kind {
                    ColumnKind::Time => CsvColumn::Time,
                    ColumnKind::Field(f) => CsvColumn::Column(*f),
                    ColumnKind::Path(p) => CsvColumn::Path(p.to_string()),
                })
                .collect()
        });
        let mut out = Vec::new();
        let written = ds.store.with_value(|s| match format {
            Format::Json => export_records_json(s, &rows.0, &mut out),
            Format::Ndjson => export_ndjson(s, &rows.0, &mut out),
            Format::Csv => export_csv(s, &rows.0, &columns, &mut out),
        });
        let (name, mime) = match format {
            Format::Json => ("trailglass-export.json", "application/json"),
            Format::Ndjson => ("trailglass-export.ndjson", "application/x-ndjson"),
            Format::Csv => ("trailglass-export.csv", "text/csv"),
        };
        let result = written.map_err(|e| e.to_string()).and_then(|_| download(name, mime, &out));
        status.set(result.err().map(|e| format!("Export failed: {e}")));
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
