//! "Worth a look": the engine's findings (well-known signs of trouble, each a query) that match
//! loaded events, with their counts; a click shows that finding's events. Hidden when none match.

use leptos::prelude::*;

use crate::format::format_count;
use crate::results::Results;
use crate::state::ViewState;

#[component]
pub fn Findings() -> impl IntoView {
    let results = expect_context::<Results>();
    let view = expect_context::<ViewState>();
    let items = move || {
        results
            .findings
            .get()
            .into_iter()
            .map(|f| {
                let query = f.query.clone();
                let active = {
                    let q = f.query.clone();
                    move || view.query.with(|cur| cur.trim() == q)
                };
                view! {
                    <li>
                        <button class="finding" class:active=active data-testid="finding" data-id=f.id.clone() data-count=f.count
                            title=format!("{}\n\n{}", f.why, f.query)
                            on:click=move |_| view.set_query(query.clone())>
                            <span class="finding-title">{f.title.clone()}</span>
                            <span class="finding-count">{format_count(f.count as u64)}</span>
                        </button>
                    </li>
                }
            })
            .collect_view()
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
