//! "Your rules": the rule files the user added (by the *Add rules* button or dropped with the
//! logs), as the engine read them (rules and problems per file), each with a remove button; what
//! the page itself had to say about them (too big, unreadable); and every rule that could not be
//! compiled, with its file, line, column and what is wrong — as text, never markup.

use leptos::prelude::*;

use crate::components::add_rules::AddRulesButton;
use crate::model::format::plural;
use crate::results::Results;
use crate::state::Dataset;
use crate::web::user_rules;

#[component]
pub fn YourRules() -> impl IntoView {
    let ds = expect_context::<Dataset>();
    let results = expect_context::<Results>();
    let files = move || {
        results
            .rule_files
            .get()
            .into_iter()
            .map(|f| {
                let name = f.name.clone();
                let problems = (f.problems > 0).then(|| {
                    view! { <span class="warn">{format!(" · {}", plural(f.problems.into(), "problem", "problems"))}</span> }
                });
                view! {
                    <li class="rule-file" data-testid="rule-file" data-name=f.name.clone()>
                        <span class="rule-file-name">{f.name.clone()}</span>
                        <span class="muted">{plural(f.rules.into(), "rule", "rules")}</span>
                        {problems}
                        <button class="button small" data-testid="remove-rules" aria-label=format!("Remove {}", f.name)
                            on:click=move |_| user_rules::remove(&name)>"Remove"</button>
                    </li>
                }
            })
            .collect_view()
    };
    let problems = move || {
        results
            .rule_problems
            .get()
            .into_iter()
            .map(|p| {
                view! {
                    <li class="rule-problem" data-testid="rule-problem" data-file=p.file.clone() data-line=p.line data-column=p.column>
                        <code class="rule-where">{format!("{}:{}:{}", p.file, p.line, p.column)}</code>
                        {p.rule.map(|r| view! { <span class="rule-name">{r}</span> })}
                        <span class="rule-message">{p.message}</span>
                    </li>
                }
            })
            .collect_view()
    };
    let has_problems = move || results.rule_problems.with(|p| !p.is_empty());
    view! {
        <section class="your-rules" data-testid="your-rules" aria-labelledby="your-rules-title">
            <h3 id="your-rules-title">"Your rules"</h3>
            <p class="muted">
                "Sigma rules of your own (" <code>".yml"</code> ", " <code>".yaml"</code>
                ", up to 1 MiB each), added here or dropped with the logs, run at once over everything loaded \
                 and are remembered in this browser until removed."
            </p>
            <AddRulesButton />
            {move || ds.rule_notes.get().into_iter().map(|n| view! { <p class="warn" data-testid="rule-note">{n}</p> }).collect_view()}
            <ul class="rule-files">{files}</ul>
            <Show when=has_problems>
                <h4>"Rules that could not be used"</h4>
                <ul class="rule-problems">{problems}</ul>
            </Show>
        </section>
    }
}
