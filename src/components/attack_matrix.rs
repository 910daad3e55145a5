//! The ATT&CK matrix of the detections: tactics as columns in ATT&CK order, the techniques hit
//! under each with their count, coloured by the highest level of their rules (and saying that
//! level, so colour is not the only sign). A technique is a button that shows the events of its
//! detections (`technique:T…`). The layout is [`crate::model::detections::matrix`]; the column
//! widths go through the CSSOM (`style:`), as the CSP requires.

use leptos::prelude::*;
use trailglass_core::engine::Detection;

use crate::model::detections::matrix::{grid_template, matrix, techniques_hit, TechniqueCell};
use crate::model::detections::{level_class, technique_clause};
use crate::model::format::{format_count, plural};

fn cell(t: TechniqueCell, on_filter: Callback<String>) -> impl IntoView {
    let q = technique_clause(&t.id);
    let rules = t
        .rules
        .iter()
        .map(|(l, title, n)| format!("{}: {title} ({})", l.as_str(), format_count(*n)))
        .collect::<Vec<_>>()
        .join("\n");
    let title = format!("{} — {}\n{rules}\n\nShow: {q}", t.id, plural(t.count, "match", "matches"));
    view! {
        <li>
            <button class=format!("technique {}", level_class(t.level)) data-testid="technique" data-technique=t.id.clone()
                data-count=t.count title=title on:click=move |_| on_filter.run(q.clone())>
                <span class="tech-id">{t.id.clone()}</span>
                <span class="tech-n">{format!("{} · {}", format_count(t.count), t.level.as_str())}</span>
            </button>
        </li>
    }
}

#[component]
pub fn AttackMatrix(
    #[prop(into)] detections: Signal<Vec<Detection>>,
    /// Each technique's distinct events.
    #[prop(into)]
    techniques: Signal<Vec<(String, u64)>>,
    /// Called with the query to show.
    on_filter: Callback<String>,
) -> impl IntoView {
    let columns = Memo::new(move |_| detections.with(|d| techniques.with(|t| matrix(d, t))));
    let template = move || columns.with(|c| grid_template(c));
    let summary = move || {
        columns.with(|c| {
            let tactics = c.iter().filter(|c| !c.techniques.is_empty()).count() as u64;
            format!(
                "{} in {}",
                plural(techniques_hit(c) as u64, "technique", "techniques"),
                plural(tactics, "tactic", "tactics")
            )
        })
    };
    let body = move || {
        columns
            .get()
            .into_iter()
            .map(|c| {
                let empty = c.techniques.is_empty();
                let cells = c.techniques.into_iter().map(|t| cell(t, on_filter)).collect_view();
                view! {
                    <div class="tactic" class:empty=empty data-testid="tactic" data-tactic=c.id.clone()>
                        <h4 class="tactic-name" title=c.name.clone()>{c.name.clone()}</h4>
                        <ul class="tactic-techniques">{cells}</ul>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <section class="attack-matrix" data-testid="attack-matrix" aria-labelledby="attack-matrix-title">
            <h3 id="attack-matrix-title">"MITRE ATT&CK® matrix " <span class="muted">{summary}</span></h3>
            <div class="matrix-grid" style:grid-template-columns=template>{body}</div>
        </section>
    }
}
