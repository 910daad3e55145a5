//! The event detail panel: time, one-line summary, eventID and source file; pivots that filter
//! on this event's user, key, session, IP, resources and IDs; the rules it matched; Insight
//! statistics; copy; and the record as a JSON tree.
//!
//! Everything shown is computed by [`crate::model::detail::event_info`] in one `Memo` per
//! selected row (the record is parsed once there); this component only lays it out and raises
//! callbacks. The app owns selection and keyboard handling (j/k/Esc call the same callbacks as
//! the buttons).

use leptos::prelude::*;

use crate::components::behind::BehindThisCall;
use crate::components::json_tree::JsonTree;
use crate::components::matched_rules::MatchedRules;
use crate::model::detail::{event_info, EventInfo};
use crate::model::format::{format_offset, format_time};
use crate::state::{Dataset, ViewState};
use crate::web::clipboard::write_clipboard;
use crate::web::tz::{local_offset_at, local_offset_now};

#[component]
pub fn EventDetail(
    /// The store row shown; `None` renders nothing.
    #[prop(into)]
    row: Signal<Option<u32>>,
    /// A query clause to apply (the app adds it to the search).
    on_pivot: Callback<String>,
    /// A query to show instead of the current one (a matched rule's events).
    on_rule: Callback<String>,
    on_prev: Callback<()>,
    on_next: Callback<()>,
    on_close: Callback<()>,
    /// Show the time in the browser's zone instead of UTC.
    #[prop(into)]
    local_offset: Signal<bool>,
) -> impl IntoView {
    let ds = expect_context::<Dataset>();
    // The worker's record for the selected row; the previous one stays until it arrives (a few
    // ms), so stepping through events does not make the panel blink.
    let info = Memo::new(move |prev: Option<&Option<EventInfo>>| {
        let r = row.get()?;
        ds.detail
            .with(|d| d.as_ref().filter(|d| d.row == r).map(event_info))
            .or_else(|| prev.cloned().flatten())
    });
    let field = move |f: fn(&EventInfo) -> String| {
        move || info.with(|i| i.as_ref().map(f).unwrap_or_default())
    };

    // Copy feedback, and the text to copy by hand when the clipboard is unavailable; both tagged
    // with the row they belong to, so moving to another event hides them.
    let status = RwSignal::new(None::<(u32, String)>);
    let fallback = RwSignal::new(None::<(u32, String)>);
    let copy = Callback::new(move |text: String| {
        let Some(r) = row.get_untracked() else { return };
        fallback.set(None);
        match write_clipboard(&text) {
            Some(p) => leptos::task::spawn_local(async move {
                match wasm_bindgen_futures::JsFuture::from(p).await {
                    Ok(_) => status.set(Some((r, "Copied".into()))),
                    Err(_) => {
                        status.set(Some((
                            r,
                            "Copy was refused; select the text below and copy it".into(),
                        )));
                        fallback.set(Some((r, text)));
                    }
                }
            }),
            None => {
                status
                    .set(Some((r, "No clipboard here; select the text below and copy it".into())));
                fallback.set(Some((r, text)));
            }
        }
    });
    let mine = move |s: RwSignal<Option<(u32, String)>>| {
        move || s.get().filter(|(r, _)| Some(*r) == row.get()).map(|(_, t)| t)
    };
    let copy_event = move |_| {
        let text = info.with_untracked(|i| {
            i.as_ref().map(|i| i.json.as_ref().map_or_else(|_| i.raw.clone(), |j| j.pretty()))
        });
        if let Some(t) = text {
            copy.run(t);
        }
    };

    let time = move || {
        info.with(|i| match i.as_ref().and_then(|i| i.time_ms) {
            Some(ms) => {
                let off = if local_offset.get() { local_offset_at(ms) } else { 0 };
                format!("{} {}", format_time(ms, off), format_offset(off))
            }
            None => "(no time)".to_string(),
        })
    };
    let rules = Signal::derive(move || {
        let r = row.get();
        ds.detail.with(|d| {
            d.as_ref().filter(|d| Some(d.row) == r).map(|d| d.rules.clone()).unwrap_or_default()
        })
    });
    let view_state = expect_context::<ViewState>();
    let behind = Signal::derive(move || {
        let r = row.get();
        ds.detail.with(|d| {
            d.as_ref().filter(|d| Some(d.row) == r).map(|d| d.behind.clone()).unwrap_or_default()
        })
    });
    let on_select = Callback::new(move |r: u32| view_state.selected.set(Some(r)));
    let offset = Signal::derive(move || if local_offset.get() { local_offset_now() } else { 0 });
    let pivots = move || info.with(|i| i.as_ref().map(|i| i.pivots.clone()).unwrap_or_default());
    let insight = move || info.with(|i| i.as_ref().and_then(|i| i.insight.clone()));
    let doc = Signal::derive(move || {
        info.with(|i| i.as_ref().and_then(|i| i.json.as_ref().ok().map(|j| (i.row, j.clone()))))
    });
    let parse_error = move || {
        info.with(|i| {
            i.as_ref().and_then(|i| i.json.as_ref().err().map(|e| (e.clone(), i.raw.clone())))
        })
    };

    view! {
        <Show when=move || info.with(Option::is_some)>
            <aside class="event-detail" data-testid="event-detail" data-event-id=field(|i| i.event_id.clone())>
                <header class="ed-head">
                    <div class="ed-bar">
                        <span class="ed-time" data-testid="detail-time">{time}</span>
                        <span class="ed-nav">
                            <button class="button" data-testid="detail-prev" title="Previous event (k)" on:click=move |_| on_prev.run(())>"↑ Prev"</button>
                            <button class="button" data-testid="detail-next" title="Next event (j)" on:click=move |_| on_next.run(())>"↓ Next"</button>
                            <button class="button" data-testid="detail-close" title="Close (Esc)" aria-label="Close the detail" on:click=move |_| on_close.run(())>"✕"</button>
                        </span>
                    </div>
                    <p class="ed-summary" data-testid="detail-summary">{field(|i| i.summary.clone())}</p>
                    <dl class="ed-meta">
                        <dt>"Event ID"</dt>
                        <dd data-testid="detail-event-id">{field(|i| i.event_id.clone())}</dd>
                        <dt>"File"</dt>
                        <dd class="ed-file" title=field(|i| i.file.clone())>{field(|i| i.file.clone())}</dd>
                    </dl>
                </header>
                <BehindThisCall behind=behind on_select=on_select on_pivot=on_pivot offset=offset />
                <div class="ed-pivots" role="group" aria-label="Filter on">
                    <For each=pivots key=|p| p.clone() children=move |p| {
                        let clause = p.clause.clone();
                        view! {
                            <button class="pivot" data-testid="pivot" data-pivot=p.kind title=format!("Filter: {}", p.clause) on:click=move |_| on_pivot.run(clause.clone())>
                                <span class="pivot-label">{p.label}</span>
                                <span class="pivot-value">{p.value}</span>
                            </button>
                        }
                    } />
                </div>
                <MatchedRules rules=rules on_filter=on_rule />
                {move || insight().map(|st| view! {
                    <table class="insight-stats" data-testid="insight-stats">
                        <caption>"Insight statistics"</caption>
                        <tbody>
                            {st.table().into_iter().map(|(k, v)| view! { <tr><th scope="row">{k}</th><td>{v}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                })}
                <div class="ed-actions">
                    <button class="button" data-testid="copy-event" title="Copy the whole record, indented" on:click=copy_event>"Copy event"</button>
                    <span class="ed-status" data-testid="copy-status" role="status">{mine(status)}</span>
                </div>
                {move || mine(fallback)().map(|t| view! { <textarea class="ed-fallback" data-testid="copy-fallback" readonly prop:value=t></textarea> })}
                {move || parse_error().map(|(e, raw)| view! {
                    <p class="ed-parse-error">"This record is not shown as a tree: " {e}</p>
                    <pre class="ed-raw">{raw}</pre>
                })}
                <JsonTree doc=doc on_copy=copy />
            </aside>
        </Show>
    }
}
