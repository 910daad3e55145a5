//! One service's card in the services panel: its share of the events, errors and error rate,
//! top actions and callers, first and last seen, and a sparkline of its events over time. Every
//! name, action and caller is a button that hands a query clause (quoted by
//! [`crate::model::clauses::field_clause`]) to `on_filter`. Labels from the data are text nodes.

use leptos::prelude::*;
use trailglass_core::answer::{Histogram, ServiceSummary};

use crate::model::charts::series::series_class;
use crate::model::charts::sparkline::sparkline_points;
use crate::model::clauses::field_clause;
use crate::model::columns::short_service;
use crate::model::format::{format_count, format_time, percent, plural};

/// Top actions and callers listed.
const TOP: usize = 3;
const SPARK_W: f64 = 120.0;
const SPARK_H: f64 = 24.0;

/// A `(label, count, query clause)` list as clickable lines.
fn top_list(
    title: &'static str,
    items: Vec<(String, u64, String)>,
    on_filter: Callback<String>,
) -> impl IntoView {
    let none = items.is_empty().then(|| view! { <li class="muted">"—"</li> });
    let lines = items
        .into_iter()
        .map(|(label, n, q)| {
            view! {
                <li>
                    <button class="link" title=q.clone() on:click=move |_| on_filter.run(q.clone())>{label}</button>
                    <span class="n">{format_count(n)}</span>
                </li>
            }
        })
        .collect_view();
    view! { <div class="svc-top"><h4>{title}</h4><ul>{lines}{none}</ul></div> }
}

#[component]
pub fn ServiceCard(
    s: ServiceSummary,
    /// Events over all services (the card shows its share of them).
    total: u64,
    /// The histogram split by service; services beyond its top series have no sparkline.
    histogram: Signal<Histogram>,
    on_filter: Callback<String>,
    /// Minutes east of UTC for first/last seen; `None` shows UTC.
    local_offset: Signal<Option<i32>>,
) -> impl IntoView {
    let svc = s.service.clone();
    let share = match total {
        0 => 0.0,
        t => s.events as f64 / t as f64 * 100.0,
    };
    let spark_svc = svc.clone();
    let spark = move || {
        histogram.with(|h| {
            let n = h.series.len();
            let (i, (name, v)) = h.series.iter().enumerate().find(|(_, (name, _))| *name == spark_svc)?;
            let class = format!("sparkline {}", series_class(i, n, name));
            let points = sparkline_points(v, SPARK_W, SPARK_H);
            Some(view! {
                <svg class=class viewBox=format!("0 0 {SPARK_W} {SPARK_H}") preserveAspectRatio="none" aria-hidden="true">
                    <polyline class="spark-line" points=points vector-effect="non-scaling-stroke" />
                </svg>
            })
        })
    };
    let service_q = field_clause("service", &svc, false);
    let actions = s
        .top_actions
        .iter()
        .take(TOP)
        .map(|(a, n)| (a.clone(), *n, format!("{service_q} {}", field_clause("action", a, false))))
        .collect();
    let callers = s
        .top_callers
        .iter()
        .take(TOP)
        .map(|(u, n)| {
            (
                if u.is_empty() { "(none)".to_owned() } else { u.clone() },
                *n,
                field_clause("user", u, false),
            )
        })
        .collect();
    let seen = move || {
        let off = local_offset.get().unwrap_or(0);
        match (s.first_ms, s.last_ms) {
            (Some(a), Some(b)) => format!("{} → {}", format_time(a, off), format_time(b, off)),
            _ => "no event times".to_owned(),
        }
    };
    let has_errors = s.errors > 0;
    let errors = format!("{} · {}", plural(s.errors, "error", "errors"), percent(s.error_rate));
    view! {
        <article class="service-card" data-testid="service-card" data-service=svc.clone()>
            <header class="svc-head">
                <button class="link svc-name" title=svc.clone() on:click=move |_| on_filter.run(service_q.clone())>
                    {short_service(&svc).to_owned()}
                </button>
                <span class="svc-events">{format_count(s.events)}</span>
            </header>
            <div class="share" title=format!("{share:.1}% of events")>
                <div class="share-fill" style:width=format!("{share:.2}%")></div>
            </div>
            <div class="svc-errors" class:has-errors=has_errors>{errors}</div>
            {spark}
            <div class="svc-tops">
                {top_list("Top actions", actions, on_filter)}
                {top_list("Top callers", callers, on_filter)}
            </div>
            <div class="svc-seen muted">{seen}</div>
        </article>
    }
}
