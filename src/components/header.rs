//! The top bar: the name, the open/sample/clear actions, the counts, and the display toggles
//! (time zone, theme, help).

use leptos::prelude::*;

use crate::components::drop_zone::{FILE_INPUT_ID, FOLDER_INPUT_ID};
use crate::components::file_list::FILE_LIST_ID;
use crate::model::format::{format_count, format_offset, plural};
use crate::results::Results;
use crate::state::{Dataset, Theme, ViewState};
use crate::web::loader::{clear, load_sample};
use crate::web::tz::local_offset_now;

#[component]
pub fn Header(help_open: RwSignal<bool>) -> impl IntoView {
    let ds = expect_context::<Dataset>();
    let view = expect_context::<ViewState>();
    let results = expect_context::<Results>();
    let totals = Memo::new(move |_| ds.status.with(|s| s.totals));
    // Files that could not be read (or not wholly): said here, where it is seen, with a way to
    // the file list (below the facets) that says why.
    let file_errors = ds.file_errors();
    let show_files = move |_| {
        if let Some(list) = document().get_element_by_id(FILE_LIST_ID) {
            list.scroll_into_view();
        }
    };
    let loading = ds.loading();
    let tz_label = move || {
        if view.local_time.get() {
            format!("Local ({})", format_offset(local_offset_now()))
        } else {
            "UTC".to_string()
        }
    };
    let theme_label = move || match view.theme.get() {
        Theme::System => "Theme: system",
        Theme::Light => "Theme: light",
        Theme::Dark => "Theme: dark",
    };
    let next_theme = move |_| {
        view.theme.update(|t| {
            *t = match t {
                Theme::System => Theme::Dark,
                Theme::Dark => Theme::Light,
                Theme::Light => Theme::System,
            }
        })
    };
    let clear = move |_| {
        clear();
        view.selected.set(None);
        view.range.set(None);
    };

    view! {
        <header class="topbar">
            <h1 class="brand">"Trailglass"</h1>
            <div class="actions">
                <label for=FILE_INPUT_ID class="button primary" data-testid="open-files" tabindex="0">"Open files…"</label>
                <label for=FOLDER_INPUT_ID class="button" data-testid="open-folder" tabindex="0">"Open folder…"</label>
                <button class="button" data-testid="load-sample" on:click=move |_| load_sample()>"Load sample"</button>
                <button class="button" data-testid="clear" title="Forget every loaded file (and stop a load)" disabled=move || totals.get().files == 0 && !loading.get() on:click=clear>
                    "Clear"
                </button>
            </div>
            <div class="counts" aria-live="polite">
                <span><strong data-testid="match-count">{move || format_count(results.count.get() as u64)}</strong>" shown"</span>
                <span>" of "<strong data-testid="loaded-count">{move || format_count(totals.get().kept)}</strong>" events"</span>
                <Show when=move || { totals.get().duplicates > 0 }>
                    <span class="muted" title="The same event (same eventID and content) seen again">
                        " · " <span data-testid="duplicate-count">{move || format_count(totals.get().duplicates)}</span> " duplicates"
                    </span>
                </Show>
                <Show when=move || { totals.get().filtered > 0 }>
                    <span class="muted" title="Read-only events read and left out, as chosen before the load">
                        " · " <span data-testid="filtered-count">{move || format_count(totals.get().filtered)}</span> " read-only left out"
                    </span>
                </Show>
                <Show when=move || { file_errors.get() > 0 }>
                    <span class="warn">" · "
                        <button class="link warn" data-testid="file-errors" title="Show the file list and why" on:click=show_files>
                            {move || plural(file_errors.get(), "file with errors", "files with errors")}
                        </button>
                    </span>
                </Show>
                <Show when=move || { totals.get().rejected > 0 }>
                    <span class="warn">" · "
                        <button class="link warn" title="Records that could not be read: show the file list and why" on:click=show_files>
                            <span data-testid="rejected-count">{move || format_count(totals.get().rejected)}</span> " rejected"
                        </button>
                    </span>
                </Show>
            </div>
            <div class="actions">
                <button class="button tz" data-testid="timezone-toggle" title="Show times in UTC or in this browser's time zone"
                    on:click=move |_| view.local_time.update(|l| *l = !*l)>
                    {tz_label}
                </button>
                <button class="button" data-testid="theme-toggle" on:click=next_theme>{theme_label}</button>
                <button class="button" data-testid="help-button" title="Keyboard shortcuts and search syntax (?)"
                    on:click=move |_| help_open.update(|o| *o = !*o)>"?"</button>
            </div>
        </header>
    }
}
