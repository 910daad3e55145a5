//! The per-file status list: every file read, with its event counts or the reason it failed.

use leptos::prelude::*;
use trailglass_core::FileStatus;

use crate::format::plural;
use crate::state::Dataset;

/// One line of the list, copied out of the store so the view owns it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct FileLine {
    path: String,
    status: &'static str,
    summary: String,
    /// Rejection reasons and notes.
    details: Vec<String>,
}

#[component]
pub fn FileList() -> impl IntoView {
    let ds = expect_context::<Dataset>();
    let lines = Memo::new(move |_| {
        ds.generation.track();
        ds.store.with_value(|s| {
            s.files()
                .iter()
                .map(|f| FileLine {
                    path: f.display_name(),
                    status: match f.status() {
                        FileStatus::Ok => "ok",
                        FileStatus::Error => "error",
                        FileStatus::Skipped => "skipped",
                    },
                    summary: f.summary(),
                    details: f.details(),
                })
                .collect::<Vec<_>>()
        })
    });
    let errors = move || lines.with(|l| l.iter().filter(|f| f.status == "error").count() as u64);

    view! {
        <div class="file-list">
            <h2>
                {move || plural(lines.with(|l| l.len()) as u64, "file", "files")}
                <Show when=move || { errors() > 0 }>
                    <span class="badge error">{move || plural(errors(), "error", "errors")}</span>
                </Show>
            </h2>
            <ul>
                <For
                    each=move || lines.get().into_iter().enumerate()
                    key=|(i, f)| (*i, f.clone())
                    children=|(_, f)| {
                        view! {
                            <li class=format!("file {}", f.status) data-testid="file-status" data-status=f.status title=f.path.clone()>
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
