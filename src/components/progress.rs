//! The load progress bar (files and bytes done, events read so far, the file being read) with its
//! Cancel button, and the notices of a load that stopped early or a worker that failed.

use leptos::prelude::*;

use crate::model::format::{format_bytes, format_count, plural};
use crate::state::Dataset;
use crate::web::loader::cancel_load;

#[component]
pub fn ProgressBar() -> impl IntoView {
    let ds = expect_context::<Dataset>();
    let bar = move || {
        ds.status.with(|s| {
            s.progress.clone().map(|p| {
                let events = s.totals.kept;
                let pct = format!("{:.1}%", p.fraction() * 100.0);
                view! {
                    <div class="progress" data-testid="progress" role="progressbar"
                         aria-valuemin="0" aria-valuemax="100" aria-valuenow=format!("{:.0}", p.fraction() * 100.0)>
                        <div class="progress-bar" style:width=pct.clone()></div>
                        <div class="progress-text">
                            {format!(
                                "Reading {} of {} files — {} of {} — {} so far — {}",
                                format_count((p.files_done + 1).min(p.files_total) as u64),
                                format_count(p.files_total as u64),
                                format_bytes(p.bytes_done),
                                format_bytes(p.bytes_total),
                                plural(events, "event", "events"),
                                p.current,
                            )}
                        </div>
                        <button class="button progress-cancel" data-testid="cancel-load"
                            title="Stop reading; the events read so far stay" on:click=move |_| cancel_load()>
                            "Cancel"
                        </button>
                    </div>
                }
            })
        })
    };
    let notice = move || ds.status.with(|s| s.notice_text());
    // After a load the worker indexes the text for free-text search; until it is done a word
    // search scans the rows not yet indexed (correct, slower).
    let indexing = move || {
        ds.status.with(|s| {
            let total = s.totals.kept as usize;
            (s.progress.is_none() && s.indexed < total).then_some((s.indexed, total))
        })
    };
    let failure = move || ds.failure.get();
    view! {
        {bar}
        {move || indexing().map(|(done, total)| view! {
            <div class="index-status muted" data-testid="index-status" data-indexed=done data-total=total role="status">
                {format!("Indexing text for fast search… {:.0}%", done as f64 * 100.0 / total.max(1) as f64)}
            </div>
        })}
        {move || notice().map(|n| view! { <div class="notice" data-testid="load-notice" role="status">{n}</div> })}
        {move || failure().map(|f| view! { <div class="notice error" data-testid="worker-failure" role="alert">{f}</div> })}
    }
}
