//! One origin in the Identities view: who it is, what it did (events, errors, sessions, first
//! and last seen), the roles and accounts it reached as a small graph, where it came from
//! (addresses, agents, regions) and what it did for the first time within the loaded data.

use leptos::prelude::*;
use trailglass_core::answer::IdentityLine;

use crate::model::format::{format_count, format_time};
use crate::model::identities::{clip, kind_label, layout, origin_clause, NODE_H, NODE_W};

/// The chain graph: origin → role → role, accounts under the names.
#[component]
fn ChainGraph(line: IdentityLine) -> impl IntoView {
    let g = layout(&line.nodes, &line.edges);
    if g.nodes.len() < 2 {
        return view! { <p class="id-graph-none muted">"No role hops: it called with its own credentials"</p> }
            .into_any();
    }
    let (w, h) = (g.width + 2.0, g.height + 2.0);
    let edges = g
        .edges
        .iter()
        .map(|&(x1, y1, x2, y2, n)| {
            let mid = (x1 + x2) / 2.0;
            let d = format!("M{x1:.1},{y1:.1} C{mid:.1},{y1:.1} {mid:.1},{y2:.1} {x2:.1},{y2:.1}");
            view! { <path class="id-edge" d=d marker-end="url(#id-arrow)"><title>{format!("{} sessions", format_count(n))}</title></path> }
        })
        .collect_view();
    let nodes = g
        .nodes
        .iter()
        .map(|n| {
            let label = clip(&n.label, 20);
            let account = n.account.clone().unwrap_or_default();
            let full = format!("{}{}", n.label, n.account.as_ref().map(|a| format!(" ({a})")).unwrap_or_default());
            view! {
                <g class="id-node" class:id-node-origin=n.origin data-testid="chain-node" transform=format!("translate({:.1},{:.1})", n.x + 1.0, n.y + 1.0)>
                    <title>{full}</title>
                    <rect width=NODE_W height=NODE_H rx="6"></rect>
                    <text x="8" y="14" class="id-node-name">{label}</text>
                    <text x="8" y="28" class="id-node-account">{account}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="id-graph" data-testid="chain-graph" width=w height=h viewBox=format!("0 0 {w:.0} {h:.0}") role="img"
            aria-label="The roles and accounts this origin reached">
            <defs>
                <marker id="id-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto">
                    <path d="M0,0 L8,4 L0,8 z" class="id-arrow"></path>
                </marker>
            </defs>
            {edges}
            {nodes}
        </svg>
    }
    .into_any()
}

fn values(list: &[(String, u64)]) -> String {
    list.iter().map(|(v, n)| format!("{v} ({})", format_count(*n))).collect::<Vec<_>>().join(", ")
}

#[component]
pub fn IdentityCard(
    line: IdentityLine,
    on_filter: Callback<String>,
    /// Minutes east of UTC for times.
    #[prop(into)]
    offset: Signal<i32>,
) -> impl IntoView {
    let clause = origin_clause(&line);
    let kind = kind_label(line.origin.as_ref().map(|o| o.kind));
    let (name, text) = match &line.origin {
        Some(o) => (o.name.clone(), o.text.clone()),
        None => ("Credentials issued outside the loaded logs".to_string(), String::new()),
    };
    let seen =
        move |ms: Option<i64>| ms.map_or_else(|| "—".to_string(), |t| format_time(t, offset.get()));
    let (first, last) = (line.first_ms, line.last_ms);
    let firsts = line.firsts.clone();
    let has_firsts = !firsts.is_empty();
    let accounts = line.accounts.join(", ");
    let has_errors = line.errors > 0;
    let unknown = line.origin.is_none();
    let title = text.clone();
    view! {
        <article class="id-card" class:id-unknown=unknown data-testid="identity" data-origin=text>
            <header class="id-head">
                <span class="id-kind" data-kind=kind>{kind}</span>
                <h3 class="id-name" title=title>{name}</h3>
                <button class="button id-events" data-testid="identity-events" title=format!("Show its events: {clause}")
                    on:click=move |_| on_filter.run(clause.clone())>
                    {format!("{} events →", format_count(line.events))}
                </button>
            </header>
            <dl class="id-stats">
                <div><dt>"Errors"</dt><dd class:id-errors=has_errors data-testid="identity-errors">{format_count(line.errors)}</dd></div>
                <div><dt>"Sessions"</dt><dd>{format_count(line.sessions)}</dd></div>
                <div><dt>"Services"</dt><dd>{format_count(line.services)}</dd></div>
                <div><dt>"First seen"</dt><dd>{move || seen(first)}</dd></div>
                <div><dt>"Last seen"</dt><dd>{move || seen(last)}</dd></div>
            </dl>
            <ChainGraph line=line.clone() />
            <dl class="id-where">
                <Show when={let a = accounts.clone(); move || !a.is_empty()}>
                    <dt>"Accounts"</dt><dd>{accounts.clone()}</dd>
                </Show>
                <dt>"Source IPs"</dt><dd>{values(&line.ips)}</dd>
                <dt>"User agents"</dt><dd class="id-agents">{values(&line.agents)}</dd>
                <dt>"Regions"</dt><dd>{values(&line.regions)}</dd>
            </dl>
            <Show when=move || has_firsts>
                <div class="id-firsts" data-testid="identity-firsts">
                    <h4>"First time within the loaded data"</h4>
                    <ul>
                        {firsts.iter().map(|f| {
                            let t = f.time_ms;
                            view! {
                                <li data-testid="identity-first">
                                    <span class="badge-new">"new"</span>
                                    <span class="id-first-what">{f.what.clone()}</span>
                                    <span class="id-first-value">{f.value.clone()}</span>
                                    <span class="muted">{move || format_time(t, offset.get())}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            </Show>
        </article>
    }
}
