//! "Worth a look": the top of the detections (the engine's rules, the Trailglass findings among
//! them, over everything loaded), most severe first, a few entries, each with its level in words
//! and its count; a click shows that rule's events, and "all detections →" opens the Detections
//! view. Hidden when nothing matched.

use leptos::prelude::*;

use crate::model::detections::{by_severity, level_class, level_label, rule_clause};
use crate::model::format::format_count;
use crate::results::Results;
use crate::state::ViewState;

/// Entries listed.
pub const SHOWN: usize = 6;

#[component]
pub fn Findings(
    /// Called with the query to show (the app commits it and switches to the events).
    on_filter: Callback<String>,
    /// "all detections →".
    on_all: Callback<()>,
) -> impl IntoView {
    let results = expect_context::<Results>();
    let view = expect_context::<ViewState>();
    let items = move || {
        results.detections.with(|ds| {
            by_severity(ds)
                .into_iter()
                .take(SHOWN)
                .map(|d| {
                    let query = rule_clause(&d.rule);
                    let active = {
                        let query = query.clone();
                        move || view.query.with(|cur| cur.trim() == query)
                    };
                    let title = format!("{}\n{} · by {}\n\n{query}", d.title, d.level.as_str(), d.author);
                    let lvl = level_class(d.level);
                    view! {
                        <li>
                            <button class="finding" class:active=active data-testid="finding" data-id=d.rule.clone()
                                data-count=d.count title=title on:click=move |_| on_filter.run(query.clone())>
                                <span class=format!("lvl-badge {lvl}")>{level_label(d.level)}</span>
                                <span class="finding-title">{d.title.clone()}</span>
                                <span class="finding-count">{format_count(d.count)}</span>
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let total = move || results.detections.with(Vec::len);
    view! {
        <Show when=move || { total() > 0 }>
            <section class="findings" data-testid="findings">
                <h3 title="The rules that matched events, over everything loaded, most severe first: leads to check, not verdicts">"Worth a look"</h3>
                <ul>{items}</ul>
                <button class="link all-detections" data-testid="all-detections" on:click=move |_| on_all.run(())>
                    {move || format!("all {} detections →", format_count(total() as u64))}
                </button>
            </section>
        </Show>
    }
}
