//! The per-file status list: every file read, with its event counts or the reason it failed, and
//! the files the user left out before the load (not read).

use leptos::prelude::*;

use crate::model::format::plural;
use crate::state::Dataset;

/// The list's element id (the header's "files with errors" scrolls it into view).
pub const FILE_LIST_ID: &str = "file-list";

#[component]
pub fn FileList() -> impl IntoView {
    let ds = expect_context::<Dataset>();
    let lines = ds.files;
    let errors = ds.file_errors();
    let left_out = ds.files_left_out();

    view! {
        <div class="file-list" id=FILE_LIST_ID data-testid="file-list">
            <h2>
                {move || plural(lines.with(|l| l.len()) as u64, "file", "files")}
                <Show when=move || { errors.get() > 0 }>
                    <span class="badge error">{move || plural(errors.get(), "error", "errors")}</span>
                </Show>
                <Show when=move || { left_out.get() > 0 }>
                    <span class="badge left-out" data-testid="left-out-count" title="Not read: left out by choice before the load">
                        {move || format!("{} left out", left_out.get())}
                    </span>
                </Show>
            </h2>
            <ul>
                <For
                    each=move || lines.get().into_iter().enumerate()
                    key=|(i, f)| (*i, f.clone())
                    children=|(_, f)| {
                        view! {
                            <li class=format!("file {}", f.status) data-testid="file-status" data-status=f.status.as_str() title=f.path.clone()>
                                <span class="file-path">{f.path.clone()}</span>
                                <span class="file-summary">{f.summary.clone()}</span>
                                {f.details.iter().map(|d| view! { <span class="file-detail">{d.clone()}</span> }).collect_view()}
                            </li>
                        }
                    }
                />
            </ul>
        </div>
    }
}
