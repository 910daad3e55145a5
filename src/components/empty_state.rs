//! What the page shows before anything is loaded: what to do, and that nothing leaves the tab.

use leptos::prelude::*;

use crate::components::drop_zone::{FILE_INPUT_ID, FOLDER_INPUT_ID};
use crate::web::loader::load_sample;

#[component]
pub fn EmptyState() -> impl IntoView {
    view! {
        <div class="empty-state" data-testid="empty-state">
            <h2>"Drop CloudTrail logs anywhere on this page"</h2>
            <p>
                "Files or whole folders: " <code>"{\"Records\":[…]}"</code> " logs, " <code>".json.gz"</code>
                ", zip archives, NDJSON, " <code>"lookup-events"</code> " output, EventBridge and CloudWatch Logs exports; "
                "Security Lake Parquet and OCSF, CloudTrail Lake and Athena results, Event history CSV, and SIEM exports (Elastic, Sentinel, Splunk)."
            </p>
            <p class="actions">
                <label for=FILE_INPUT_ID class="button primary">"Open files…"</label>
                <label for=FOLDER_INPUT_ID class="button">"Open folder…"</label>
                <button class="button" on:click=move |_| load_sample()>"Try the sample dataset"</button>
            </p>
            <p class="muted">"Everything happens in this browser tab. Nothing is uploaded, and the page makes no network requests."</p>
        </div>
    }
}
