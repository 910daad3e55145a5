//! The per-file status list: every file read, with its event counts or the reason it failed, and
//! the files the user left out before the load (not read), folded into one line that lists them
//! when opened (they can be most of a big drop, and drawing hundreds of lines nobody asked to
//! see would cost the page while the worker reads).

use leptos::prelude::*;
use trailglass_core::engine::{FileLine, FileState};
use wasm_bindgen::JsCast;

use crate::model::format::{format_count, plural};
use crate::state::Dataset;

/// The list's element id (the header's "files with errors" scrolls it into view).
pub const FILE_LIST_ID: &str = "file-list";

/// One file's line.
fn file_line(f: FileLine) -> impl IntoView {
    view! {
        <li class=format!("file {}", f.status) data-testid="file-status" data-status=f.status.as_str() title=f.path.clone()>
            <span class="file-path">{f.path.clone()}</span>
            <span class="file-summary">{f.summary.clone()}</span>
            {f.details.iter().map(|d| view! { <span class="file-detail">{d.clone()}</span> }).collect_view()}
        </li>
    }
}

#[component]
pub fn FileList() -> impl IntoView {
    let ds = expect_context::<Dataset>();
    let lines = ds.files;
    let errors = ds.file_errors();
    let left_out = ds.files_left_out();
    // The lines of one side (left out or not), numbered in the list's order: Memos, so a status
    // that changes nothing of one side leaves its list alone.
    let side = move |out: bool| {
        Memo::new(move |_| {
            lines.with(|l| {
                l.iter()
                    .enumerate()
                    .filter(|(_, f)| (f.status == FileState::LeftOut) == out)
                    .map(|(i, f)| (i, f.clone()))
                    .collect::<Vec<_>>()
            })
        })
    };
    let (read, left) = (side(false), side(true));
    // The folded lines are drawn only while open.
    let open = RwSignal::new(false);
    let on_toggle = move |ev: leptos::ev::Event| {
        let details = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok());
        open.set(details.is_some_and(|d| d.open()));
    };

    view! {
        <div class="file-list" id=FILE_LIST_ID data-testid="file-list">
            <h2>
                {move || plural(lines.with(|l| l.len()) as u64, "file", "files")}
                <Show when=move || { errors.get() > 0 }>
                    <span class="badge error">{move || plural(errors.get(), "error", "errors")}</span>
                </Show>
                <Show when=move || { left_out.get() > 0 }>
                    <span class="badge left-out" data-testid="left-out-count" title="Not read: left out by choice before the load">
                        {move || format!("{} left out", format_count(left_out.get()))}
                    </span>
                </Show>
            </h2>
            <ul>
                <For each=move || read.get() key=|(i, f)| (*i, f.clone()) children=|(_, f)| file_line(f) />
            </ul>
            <Show when=move || { left_out.get() > 0 }>
                <details class="left-out-files" data-testid="left-out-files" on:toggle=on_toggle>
                    <summary>{move || format!("{} left out by choice (load filter): not read", plural(left_out.get(), "file", "files"))}</summary>
                    <Show when=move || open.get()>
                        <ul>
                            <For each=move || left.get() key=|(i, f)| (*i, f.clone()) children=|(_, f)| file_line(f) />
                        </ul>
                    </Show>
                </details>
            </Show>
        </div>
    }
}
