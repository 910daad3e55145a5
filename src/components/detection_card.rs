//! One detection in the Detections view: its level (a coloured badge that also says it), title,
//! author (DRL 1.1 asks for the author with every detection), where the rule comes from and its
//! link, when its events happened, its ATT&CK techniques and tactics, its count, and its top
//! identities and source IPs. The title (a button: Tab reaches it, Enter presses it) shows the
//! rule's events; a technique shows the events of its detections; an identity or IP narrows the
//! rule's events to it. Every text from a rule or a log is a text node.

use leptos::prelude::*;
use trailglass_core::engine::Detection;

use crate::model::detections::matrix::tactic_name;
use crate::model::detections::{
    level_class, level_label, origin_label, rule_and_clause, rule_clause, safe_link, seen_label,
    technique_clause,
};
use crate::model::format::{format_count, plural};
use crate::web::tz::local_offset_at;

/// A titled list of `(value, count)` that filter the rule's events on `field`.
fn tops(
    title: &'static str,
    rule: &str,
    field: &'static str,
    items: &[(String, u64)],
    on_filter: Callback<String>,
) -> impl IntoView {
    let none = items.is_empty().then(|| view! { <li class="muted">"—"</li> });
    let lines = items
        .iter()
        .map(|(value, n)| {
            let q = rule_and_clause(rule, field, value);
            let shown = if value.is_empty() { "(none)".to_owned() } else { value.clone() };
            view! {
                <li>
                    <button class="link" title=format!("Show: {q}") on:click=move |_| on_filter.run(q.clone())>{shown}</button>
                    <span class="n">{format_count(*n)}</span>
                </li>
            }
        })
        .collect_view();
    view! { <div class="det-top"><h4>{title}</h4><ul>{lines}{none}</ul></div> }
}

#[component]
pub fn DetectionCard(
    d: Detection,
    /// Called with the query to show (the app commits it and switches to the events).
    on_filter: Callback<String>,
    /// Show times in the browser's zone instead of UTC.
    #[prop(into)]
    local_time: Signal<bool>,
) -> impl IntoView {
    let lvl = level_class(d.level);
    let clause = rule_clause(&d.rule);
    let open = {
        let clause = clause.clone();
        move |_| on_filter.run(clause.clone())
    };
    let (first, last) = (d.first_ms, d.last_ms);
    let seen = move || {
        let off = match (local_time.get(), first.or(last)) {
            (true, Some(ms)) => local_offset_at(ms),
            _ => 0,
        };
        seen_label(first, last, off).unwrap_or_else(|| "no event times".to_owned())
    };
    let link = safe_link(d.link.as_deref()).map(|href| {
        view! { <a class="det-link" href=href.to_owned() target="_blank" rel="noopener noreferrer" title=href.to_owned()>"rule ↗"</a> }
    });
    let techniques = d
        .techniques
        .iter()
        .map(|t| {
            let q = technique_clause(t);
            view! {
                <button class="chip technique-chip" data-testid="detection-technique" title=format!("Show: {q}")
                    on:click=move |_| on_filter.run(q.clone())>{t.clone()}</button>
            }
        })
        .collect_view();
    let tactics = d.tactics.iter().map(|t| tactic_name(t)).collect::<Vec<_>>().join(", ");
    let count_text = plural(d.count, "event", "events");

    view! {
        <li class=format!("det-card {lvl}") data-testid="detection" data-rule=d.rule.clone() data-count=d.count
            data-level=d.level.as_str()>
            <div class="det-head">
                <span class=format!("lvl-badge {lvl}") data-testid="detection-level">{level_label(d.level)}</span>
                <button class="det-title" data-testid="detection-open" title=format!("Show its {count_text} ({clause})")
                    on:click=open>{d.title.clone()}</button>
                <span class="det-count" data-testid="detection-count">{count_text.clone()}</span>
            </div>
            <div class="det-meta">
                <span data-testid="detection-author">"by " {d.author.clone()}</span>
                {(origin_label(d.origin) != d.author).then(|| view! { <span class="det-origin">{origin_label(d.origin)}</span> })}
                {link}
                <span class="det-seen" data-testid="detection-seen">{seen}</span>
            </div>
            <div class="det-attack">
                {techniques}
                <span class="muted">{tactics}</span>
            </div>
            <div class="det-tops">
                {tops("Top identities", &d.rule, "user", &d.top_users, on_filter)}
                {tops("Top source IPs", &d.rule, "ip", &d.top_ips, on_filter)}
            </div>
        </li>
    }
}
