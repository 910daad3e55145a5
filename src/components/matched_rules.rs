//! The event detail's "Matched rules": the rules this event matched (`RowDetail.rules`), each by
//! its level (in words) and title as in the Detections view, a link that shows that rule's
//! events. A rule the current detections do not name (an answer in between) is shown by its id.

use leptos::prelude::*;

use crate::model::detections::{find, level_class, level_label, rule_clause};
use crate::results::Results;

#[component]
pub fn MatchedRules(
    /// The ids of the rules the shown event matched.
    #[prop(into)]
    rules: Signal<Vec<String>>,
    /// Called with the query to show.
    on_filter: Callback<String>,
) -> impl IntoView {
    let results = expect_context::<Results>();
    let items = move || {
        let ids = rules.get();
        results.detections.with(|ds| {
            ids.iter()
                .map(|id| {
                    let q = rule_clause(id);
                    let (badge, title) = match find(ds, id) {
                        Some(d) => {
                            let lvl = level_class(d.level);
                            let badge = view! { <span class=format!("lvl-badge {lvl}")>{level_label(d.level)}</span> };
                            (Some(badge), d.title.clone())
                        }
                        None => (None, id.clone()),
                    };
                    view! {
                        <li data-testid="matched-rule" data-rule=id.clone()>
                            {badge}
                            <button class="link" title=format!("Show: {q}") on:click=move |_| on_filter.run(q.clone())>{title}</button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <Show when=move || rules.with(|r| !r.is_empty())>
            <section class="matched-rules" data-testid="matched-rules" aria-labelledby="matched-rules-title">
                <h4 id="matched-rules-title">"Matched rules"</h4>
                <ul>{items}</ul>
            </section>
        </Show>
    }
}
