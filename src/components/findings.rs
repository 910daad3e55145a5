//! "Worth a look": the engine's findings (well-known signs of trouble, each a query) that match
//! loaded events, with their counts; a click shows that finding's events. Hidden when none match.

use leptos::prelude::*;
use trailglass_core::answer::Finding;

use crate::model::format::format_count;
use crate::results::Results;
use crate::state::ViewState;

#[component]
pub fn Findings() -> impl IntoView {
    let results = expect_context::<Results>();
    let view = expect_context::<ViewState>();
    let items = move || {
        results.findings.with(|counts| {
            counts
                .iter()
                .filter_map(|c| Some((Finding::by_id(&c.id)?, c.count)))
                .map(|(f, count)| {
                    let query = f.query;
                    let active = move || view.query.with(|cur| cur.trim() == query);
                    view! {
                        <li>
                            <button class="finding" class:active=active data-testid="finding" data-id=f.id data-count=count
                                title=format!("{}\n\n{}", f.why, f.query)
                                on:click=move |_| view.set_query(query.to_string())>
                                <span class="finding-title">{f.title}</span>
                                <span class="finding-count">{format_count(count as u64)}</span>
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <Show when=move || results.findings.with(|f| !f.is_empty())>
            <section class="findings" data-testid="findings">
                <h3 title="Well-known signs of trouble in all loaded events: leads to check, not verdicts">"Worth a look"</h3>
                <ul>{items}</ul>
            </section>
        </Show>
    }
}
