//! The Detections view (the third panel, beside Events and Services): what the rules found over
//! everything loaded. A bar with the tally by level, *Add rules* and the exports; the ATT&CK
//! matrix; every detection, most severe first ([`DetectionCard`]); and the user's rules with the
//! rules that could not be compiled. While a load runs the engine re-answers as it reads, so the
//! list grows; when nothing matched, it says how much was looked at.

use leptos::prelude::*;

use crate::components::add_rules::AddRulesButton;
use crate::components::attack_matrix::AttackMatrix;
use crate::components::detection_card::DetectionCard;
use crate::components::detection_exports::DetectionExports;
use crate::components::your_rules::YourRules;
use crate::model::detections::{empty_message, tally_line};
use crate::model::format::plural;
use crate::results::Results;
use crate::state::Dataset;

#[component]
pub fn DetectionsView(
    /// Called with the query to show (the app commits it and switches to the events).
    on_filter: Callback<String>,
    #[prop(into)] local_time: Signal<bool>,
) -> impl IntoView {
    let ds = expect_context::<Dataset>();
    let results = expect_context::<Results>();
    let detections = results.detections;
    let loading = ds.loading();
    let any = move || detections.with(|d| !d.is_empty());
    let heading = move || {
        detections.with(|d| {
            let n = plural(d.len() as u64, "rule matched", "rules matched");
            match tally_line(d) {
                t if t.is_empty() => n,
                t => format!("{n}: {t}"),
            }
        })
    };
    let empty = move || {
        let events = ds.status.with(|s| s.totals.kept);
        let rules = results.rules_run.get();
        empty_message((rules > 0).then_some(rules as u64), events)
    };
    let cards = move || {
        detections
            .get()
            .into_iter()
            .map(|d| view! { <DetectionCard d=d on_filter=on_filter local_time=local_time /> })
            .collect_view()
    };

    view! {
        <section class="detections-view" data-testid="detections-view" aria-labelledby="detections-title">
            <div class="det-bar">
                <h2 id="detections-title">"Detections"</h2>
                <span class="muted" data-testid="detections-summary" aria-live="polite">{heading}</span>
                <span class="det-bar-actions">
                    <AddRulesButton />
                    <DetectionExports />
                </span>
            </div>
            <Show when=move || loading.get()>
                <p class="muted det-loading">"Reading files… detections update as events are read."</p>
            </Show>
            <Show when=any fallback=move || view! { <p class="det-empty" data-testid="detections-empty">{empty}</p> }>
                <AttackMatrix detections=detections techniques=results.techniques on_filter=on_filter />
                <ol class="det-list" aria-label="Detections, most severe first">{cards}</ol>
            </Show>
            <YourRules />
        </section>
    }
}
