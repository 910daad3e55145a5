//! The load progress bar: files and bytes done, events read so far, and the file being read.

use leptos::prelude::*;

use crate::format::{format_bytes, format_count, plural};
use crate::state::Dataset;

#[component]
pub fn ProgressBar() -> impl IntoView {
    let ds = expect_context::<Dataset>();
    move || {
        ds.progress.get().map(|p| {
            let events = ds.store.with_value(|s| s.totals().kept);
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
                </div>
            }
        })
    }
}
