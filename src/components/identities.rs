//! The Identities view: one card per origin behind the current result (IAM users, root, SSO
//! users, SAML and web-identity subjects, AWS services, and the calls whose credentials were
//! issued outside the loaded logs), sortable by activity, errors or recency.

use leptos::prelude::*;

use crate::components::identity_card::IdentityCard;
use crate::model::format::format_count;
use crate::model::identities::{sorted_lines, IdentitySort};
use crate::results::Results;
use crate::web::tz::local_offset_now;

/// Cards drawn at once; the rest come with "Show more".
const PAGE: usize = 40;

#[component]
pub fn IdentitiesView(
    /// A query that shows an origin's events (the app shows them in the table).
    on_filter: Callback<String>,
    #[prop(into)] local_time: Signal<bool>,
) -> impl IntoView {
    let results = expect_context::<Results>();
    let sort = RwSignal::new(IdentitySort::Activity);
    let shown = RwSignal::new(PAGE);
    let offset = Signal::derive(move || if local_time.get() { local_offset_now() } else { 0 });
    let lines = Memo::new(move |_| results.identities.with(|a| sorted_lines(&a.lines, sort.get())));
    let summary = move || {
        results.identities.with(|a| {
            let mut s = format!(
                "{} origins, {} sessions behind {} events",
                format_count(a.origins),
                format_count(a.sessions),
                format_count(results.count.get() as u64)
            );
            if a.more > 0 {
                s.push_str(&format!(" ({} less active origins not listed)", format_count(a.more)));
            }
            s
        })
    };
    view! {
        <section class="identities" data-testid="identities-view">
            <header class="id-bar">
                <span class="muted" data-testid="identities-summary" aria-live="polite">{summary}</span>
                <span class="id-sort" role="group" aria-label="Sort by">
                    {IdentitySort::ALL.into_iter().map(|s| view! {
                        <button class="button" class:active=move || sort.get() == s data-testid=format!("identities-sort-{}", s.id())
                            aria-pressed=move || (sort.get() == s).to_string() on:click=move |_| sort.set(s)>{s.label()}</button>
                    }).collect_view()}
                </span>
            </header>
            <Show when=move || lines.with(|l| !l.is_empty())
                fallback=|| view! { <p class="chart-empty" data-testid="identities-empty">"No events in this result, so nobody behind them"</p> }>
                <div class="id-cards">
                    {move || lines.get().into_iter().take(shown.get()).map(|l| view! {
                        <IdentityCard line=l on_filter=on_filter offset=offset />
                    }).collect_view()}
                </div>
                <Show when=move || lines.with(|l| l.len() > shown.get())>
                    <button class="button" data-testid="identities-more" on:click=move |_| shown.update(|n| *n += PAGE)>
                        {move || format!("Show more ({} not shown)", lines.with(|l| l.len().saturating_sub(shown.get())))}
                    </button>
                </Show>
            </Show>
        </section>
    }
}
