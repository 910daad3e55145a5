//! The search box: the query language in one line, committed as the user pauses typing (or on
//! Enter), its error shown at its position, recent queries offered, and the panel switch,
//! columns and export actions beside it.

use gloo::timers::callback::Timeout;
use leptos::prelude::*;

use crate::components::{column_chooser::ColumnChooser, export::ExportButtons};
use crate::model::format::{format_count, format_time};
use crate::results::Results;
use crate::state::{Panel, ViewState};
use crate::web::keyboard::SEARCH_INPUT_ID;

/// How long typing must pause before the query runs.
const DEBOUNCE_MS: u32 = 180;

#[component]
pub fn SearchBar() -> impl IntoView {
    let view = expect_context::<ViewState>();
    let results = expect_context::<Results>();
    // The pending commit; a Timeout is not Send, so this is local storage.
    let pending: StoredValue<Option<Timeout>, LocalStorage> = StoredValue::new_local(None);

    let commit = move |text: String| {
        pending.update_value(|p| *p = None);
        if text != view.query.get_untracked() {
            view.set_query(text);
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let t = Timeout::new(DEBOUNCE_MS, move || commit(text));
        pending.update_value(|p| *p = Some(t));
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Enter" => commit(event_target_value(&ev)),
        "Escape" => {
            if let Some(el) = ev
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok())
            {
                let _ = el.blur();
            }
        }
        _ => {}
    };

    let error_view = move || {
        results.error.get().map(|e| {
            let q = view.query.get();
            let start = e.start.min(q.len());
            let end = e.end.clamp(start, q.len());
            let (before, mid, after) = match (q.get(..start), q.get(start..end), q.get(end..)) {
                (Some(a), Some(b), Some(c)) => (a.to_string(), b.to_string(), c.to_string()),
                _ => (q.clone(), String::new(), String::new()),
            };
            let mid = if mid.is_empty() { " ".to_string() } else { mid };
            view! {
                <div class="query-error" data-testid="query-error" role="alert">
                    <code class="query-echo">{before}<mark>{mid}</mark>{after}</code>
                    <span class="query-message">{format!("{} (at character {})", e.message, start + 1)}</span>
                    {e.hint.map(|h| view! { <span class="query-hint">{h}</span> })}
                    <span class="muted">" — showing the results of the last valid search"</span>
                </div>
            }
        })
    };
    // The tab says how many rules matched, so detections are noticed from any panel.
    let detections_tab = move || match results.detections.with(Vec::len) {
        0 => "Detections".to_owned(),
        n => format!("Detections ({})", format_count(n as u64)),
    };
    let range_view = move || {
        view.range.get().map(|(a, b)| {
            view! {
                <span class="chip" data-testid="time-range">
                    {format!("{} → {} UTC", format_time(a, 0), format_time(b, 0))}
                    <button class="chip-x" title="Clear the time range" aria-label="Clear the time range" on:click=move |_| view.range.set(None)>"×"</button>
                </span>
            }
        })
    };

    view! {
        <div class="searchbar">
            <div class="search-row">
                <input
                    id=SEARCH_INPUT_ID
                    class="search-input"
                    data-testid="search-input"
                    aria-label="Search events"
                    type="search"
                    list="recent-queries"
                    placeholder="Search: words, field:value, AND/OR/NOT, time>2024-03-01, ip:10.0.0.0/8 …  (press / to focus, ? for help)"
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=move || view.query.get()
                    on:input=on_input
                    on:keydown=on_keydown
                />
                <datalist id="recent-queries">
                    <For each=move || view.recent.get() key=|q| q.clone() children=|q| view! { <option value=q></option> } />
                </datalist>
                {range_view}
                <div class="tabs" role="tablist" aria-label="Panel">
                    <button role="tab" class="tab" data-testid="tab-events" class:active=move || view.panel.get() == Panel::Table
                        aria-selected=move || (view.panel.get() == Panel::Table).to_string()
                        on:click=move |_| view.panel.set(Panel::Table)>"Events"</button>
                    <button role="tab" class="tab" data-testid="tab-services" class:active=move || view.panel.get() == Panel::Services
                        aria-selected=move || (view.panel.get() == Panel::Services).to_string()
                        on:click=move |_| view.panel.set(Panel::Services)>"Services"</button>
                    <button role="tab" class="tab" data-testid="tab-identities" class:active=move || view.panel.get() == Panel::Identities
                        aria-selected=move || (view.panel.get() == Panel::Identities).to_string()
                        title="Who is really behind the calls: origins, role hops, accounts (g i)"
                        on:click=move |_| view.panel.set(Panel::Identities)>"Identities"</button>
                    <button role="tab" class="tab" data-testid="tab-detections" class:active=move || view.panel.get() == Panel::Detections
                        aria-selected=move || (view.panel.get() == Panel::Detections).to_string()
                        title="The rules that matched, the ATT&CK matrix, your rules (g d)"
                        on:click=move |_| view.panel.set(Panel::Detections)>{detections_tab}</button>
                </div>
                <ColumnChooser />
                <ExportButtons />
            </div>
            {error_view}
        </div>
    }
}
