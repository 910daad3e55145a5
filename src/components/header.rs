//! The top bar: the name, the open/sample/clear actions, the counts, and the time-zone toggle.

use leptos::prelude::*;

use crate::app::RowIds;
use crate::components::drop_zone::{FILE_INPUT_ID, FOLDER_INPUT_ID};
use crate::format::{format_count, format_offset};
use crate::loader::load_sample;
use crate::state::{Dataset, ViewSettings};

/// The browser's current offset from UTC in minutes (east positive), for the toggle's label.
pub fn local_offset_now() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

#[component]
pub fn Header(rows: Memo<RowIds>) -> impl IntoView {
    let ds = expect_context::<Dataset>();
    let settings = expect_context::<ViewSettings>();
    let totals = Memo::new(move |_| {
        ds.generation.track();
        ds.store.with_value(|s| s.totals())
    });
    let loaded = move || format_count(totals.get().kept);
    let matching = move || format_count(rows.with(|r| r.0.len()) as u64);
    let tz_label = move || {
        if settings.local_time.get() {
            format!("Local ({})", format_offset(local_offset_now()))
        } else {
            "UTC".to_string()
        }
    };

    view! {
        <header class="topbar">
            <h1 class="brand">"Trailglass"</h1>
            <div class="actions">
                <label for=FILE_INPUT_ID class="button primary" data-testid="open-files">"Open files…"</label>
                <label for=FOLDER_INPUT_ID class="button" data-testid="open-folder">"Open folder…"</label>
                <button class="button" data-testid="load-sample" on:click=move |_| load_sample(ds)>
                    "Load sample"
                </button>
                <button
                    class="button"
                    data-testid="clear"
                    disabled=move || totals.get().files == 0
                    on:click=move |_| ds.clear()
                >
                    "Clear"
                </button>
            </div>
            <div class="counts">
                <span><strong data-testid="match-count">{matching}</strong>" shown"</span>
                <span>" of "<strong data-testid="loaded-count">{loaded}</strong>" events"</span>
                <Show when=move || { totals.get().duplicates > 0 }>
                    <span class="muted" data-testid="duplicate-count">
                        {move || format!(" · {} duplicates", format_count(totals.get().duplicates))}
                    </span>
                </Show>
                <Show when=move || { totals.get().rejected > 0 }>
                    <span class="warn" data-testid="rejected-count">
                        {move || format!(" · {} rejected", format_count(totals.get().rejected))}
                    </span>
                </Show>
            </div>
            <button
                class="button tz"
                data-testid="timezone-toggle"
                title="Show times in UTC or in this browser's time zone"
                on:click=move |_| settings.local_time.update(|l| *l = !*l)
            >
                {tz_label}
            </button>
        </header>
    }
}
