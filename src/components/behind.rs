//! "Behind this call" in the event detail: the chain from the origin to this call as a
//! breadcrumb, each hop with the call that made it (a click opens that STS event), its time and
//! source IP; or, plainly, that the credentials were issued outside the loaded logs.

use leptos::prelude::*;
use trailglass_core::identity::Behind;

use crate::model::clauses::field_clause;
use crate::model::format::format_time;
use crate::model::identities::behind_headline;

#[component]
pub fn BehindThisCall(
    #[prop(into)] behind: Signal<Behind>,
    /// Opens another event (the STS call that made a hop).
    on_select: Callback<u32>,
    /// A query clause to apply.
    on_pivot: Callback<String>,
    /// Minutes east of UTC for times.
    #[prop(into)]
    offset: Signal<i32>,
) -> impl IntoView {
    let has = move || behind.with(|b| b.origin.is_some() || !b.hops.is_empty() || b.note.is_some());
    view! {
        <Show when=has>
            <section class="behind" data-testid="behind" aria-label="Behind this call">
                <h3>"Behind this call"</h3>
                <p class="behind-head" data-testid="behind-headline">{move || behind.with(behind_headline)}</p>
                <ol class="behind-chain">
                    {move || behind.with(|b| b.origin.clone()).map(|o| {
                        let clause = field_clause("origin", &o.text, false);
                        view! {
                            <li class="behind-origin" data-testid="behind-origin">
                                <button class="pivot" title=format!("Filter: {clause}") on:click=move |_| on_pivot.run(clause.clone())>
                                    <span class="pivot-label">{o.kind.label()}</span>
                                    <span class="pivot-value">{o.name.clone()}</span>
                                </button>
                            </li>
                        }
                    })}
                    {move || behind.get().hops.into_iter().map(|h| {
                        let when = h.time_ms;
                        let via = h.via.clone().unwrap_or_else(|| "issued outside the loaded logs".into());
                        let link = h.via_row;
                        let account = h.account.clone().unwrap_or_default();
                        let chain = field_clause("chain", &h.identity, false);
                        view! {
                            <li class="behind-hop" data-testid="behind-hop" title=h.identity.clone()>
                                <span class="behind-arrow" aria-hidden="true">"→"</span>
                                <button class="behind-role" title=format!("Filter: {chain}") on:click=move |_| on_pivot.run(chain.clone())>{h.name.clone()}</button>
                                <span class="behind-account muted">{account}</span>
                                {match link {
                                    Some(r) => view! {
                                        <button class="behind-via" data-testid="behind-via" title="Open the call that made these credentials"
                                            on:click=move |_| on_select.run(r)>{via}</button>
                                    }.into_any(),
                                    None => view! { <span class="behind-via muted">{via}</span> }.into_any(),
                                }}
                                <span class="behind-when muted">{move || when.map(|t| format_time(t, offset.get())).unwrap_or_default()}</span>
                                <span class="behind-ip muted">{h.source_ip.clone()}</span>
                            </li>
                        }
                    }).collect_view()}
                </ol>
                {move || behind.with(|b| b.origin.as_ref().and(b.note.clone())).map(|n| view! { <p class="behind-note muted" data-testid="behind-note">{n}</p> })}
                {move || behind.with(|b| b.source_identity.clone()).map(|s| view! { <p class="behind-source muted">"sourceIdentity: " {s}</p> })}
            </section>
        </Show>
    }
}
