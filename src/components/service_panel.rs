//! The per-service overview of the current result: one [`ServiceCard`] per service (most events
//! first), the first [`SHOWN`] of them, and a note counting the rest.

use leptos::prelude::*;
use trailglass_core::answer::{Histogram, ServiceSummary};

use crate::components::service_card::ServiceCard;
use crate::model::format::format_count;

/// Cards shown; the rest are counted in a note.
pub const SHOWN: usize = 12;

#[component]
pub fn ServicePanel(
    #[prop(into)] summaries: Signal<Vec<ServiceSummary>>,
    #[prop(into)] histogram: Signal<Histogram>,
    on_filter: Callback<String>,
    /// Minutes east of UTC for first/last seen; `None` (the default) shows UTC.
    #[prop(optional, into)]
    local_offset: Signal<Option<i32>>,
) -> impl IntoView {
    let total = Memo::new(move |_| summaries.with(|s| s.iter().map(|x| x.events).sum::<u64>()));
    let more = move || summaries.with(|s| s.len().saturating_sub(SHOWN));

    let card = move |s: ServiceSummary| {
        let total = total.get_untracked();
        view! { <ServiceCard s=s total=total histogram=histogram on_filter=on_filter local_offset=local_offset /> }
    };

    view! {
        <section class="service-chart" data-testid="service-chart">
            <Show
                when=move || summaries.with(|s| !s.is_empty())
                fallback=|| view! { <p class="chart-empty">"No events in this result"</p> }
            >
                <div class="service-cards">
                    {move || summaries.get().into_iter().take(SHOWN).map(card).collect_view()}
                </div>
                <Show when=move || { more() > 0 }>
                    <p class="service-more muted">
                        {move || format!("{} more services not shown", format_count(more() as u64))}
                    </p>
                </Show>
            </Show>
        </section>
    }
}
