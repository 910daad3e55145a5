//! The facet sidebar: the top values of the common fields in the current result, each with its
//! count; clicking a value narrows the search to it, the "−" beside it excludes it.

use leptos::prelude::*;
use trailglass_core::answer::Facet;

use crate::model::clauses::field_clause;
use crate::model::columns::short_service;
use crate::model::format::format_count;
use crate::results::{Results, FACETS};
use crate::state::ViewState;

#[component]
fn FacetBlock(name: &'static str, label: &'static str, data: Facet, total: u64) -> impl IntoView {
    let view = expect_context::<ViewState>();
    let other = data.other;
    let distinct = data.distinct;
    let items = data
        .values
        .into_iter()
        .map(|(value, n)| {
            let shown = match (name, value.as_str()) {
                ("origin", "") => "(issued outside the logs)".to_string(),
                (_, "") => "(none)".to_string(),
                ("service", v) => short_service(v).to_string(),
                (_, v) => v.to_string(),
            };
            let pct = if total > 0 { n as f64 * 100.0 / total as f64 } else { 0.0 };
            let shown_name = shown.clone();
            let include = field_clause(name, &value, false);
            let exclude = field_clause(name, &value, true);
            view! {
                <li class="facet-value" data-value=value.clone()>
                    <button class="facet-include" data-testid="facet-include" title=format!("Show only {include}")
                        on:click=move |_| view.add_clause(&include)>
                        <span class="facet-bar" style:width=format!("{pct:.1}%")></span>
                        <span class="facet-label">{shown}</span>
                        <span class="facet-count">{format_count(n)}</span>
                    </button>
                    <button class="facet-exclude" data-testid="facet-exclude" title=format!("Exclude: {exclude}")
                        aria-label=format!("Exclude {shown_name}")
                        on:click=move |_| view.add_clause(&exclude)>"−"</button>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="facet" data-testid="facet" data-field=name>
            <h3>{label}<span class="muted">{format!(" {}", format_count(distinct))}</span></h3>
            <ul>{items}</ul>
            <Show when=move || { other > 0 }>
                <p class="facet-other muted">{format!("+ {} in other values", format_count(other))}</p>
            </Show>
        </section>
    }
}

#[component]
pub fn FacetSidebar() -> impl IntoView {
    let results = expect_context::<Results>();
    move || {
        let total = results.count.get() as u64;
        let main = results.facets.with(|facets| {
            facets
                .iter()
                .zip(FACETS.iter())
                .map(|((_, f), (_, name, label))| view! { <FacetBlock name=*name label=*label data=f.clone() total=total /> })
                .collect_view()
        });
        // Who is behind the matches (the engine's identities), after the common fields.
        let who = results.who_facets.with(|facets| {
            facets
                .iter()
                .filter_map(|(name, f)| {
                    let (name, label) = match name.as_str() {
                        "origin" => ("origin", "Origin"),
                        "session" => ("session", "Session"),
                        _ => return None,
                    };
                    Some(view! { <FacetBlock name=name label=label data=f.clone() total=total /> })
                })
                .collect_view()
        });
        (main, who)
    }
}
