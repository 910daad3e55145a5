//! The "Choose what to read" panel: a big drop whose AWS key paths span several days, accounts or
//! regions waits here before anything is read (`web::loader::offer`). It shows the days as a bar
//! chart, the accounts and regions with their files, the options, a live count of what the
//! choice reads, and *Read selected* (Enter), *Read everything*, *Cancel* (Escape). The state
//! and its rules are `model::load_choice`; this only wires them to the markup.

use leptos::html::{Button, Div};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::choice_days::ChoiceDays;
use crate::components::choice_places::ChoicePlaces;
use crate::model::load_choice::{size_line, LoadChoice};
use crate::state::Dataset;
use crate::web::loader::{drop_offer, read_chosen, read_everything};

/// Changes the waiting choice, if there is one.
pub fn edit_choice(ds: Dataset, f: impl FnOnce(&mut LoadChoice)) {
    ds.choice.update(|c| {
        if let Some(c) = c {
            f(c)
        }
    });
}

/// Keeps Tab inside the dialog (it is modal): from its last control to its first, and back.
fn trap_tab(dialog: &web_sys::HtmlElement, ev: &web_sys::KeyboardEvent) {
    let Ok(list) = dialog.query_selector_all("button:not([disabled]), input, summary") else {
        return;
    };
    let at = |i: u32| list.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok());
    let (Some(first), Some(last)) = (at(0), at(list.length().saturating_sub(1))) else {
        return;
    };
    let target = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok());
    let to = match (ev.shift_key(), target) {
        (false, Some(t)) if t == last => first,
        (true, Some(t)) if t == first => last,
        _ => return,
    };
    ev.prevent_default();
    let _ = to.focus();
}

/// Whether a key goes to a control that acts on Enter itself (a button, a link).
fn on_control(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "BUTTON" | "A" | "SUMMARY"))
}

#[component]
pub fn LoadChoicePanel() -> impl IntoView {
    let ds = expect_context::<Dataset>();
    let open = Memo::new(move |_| ds.choice.with(Option::is_some));
    view! {
        <Show when=move || open.get()>
            <ChoiceDialog ds=ds />
        </Show>
    }
}

#[component]
fn ChoiceDialog(ds: Dataset) -> impl IntoView {
    let get = move |f: fn(&LoadChoice) -> String| {
        ds.choice.with(|c| c.as_ref().map(f).unwrap_or_default())
    };
    let can_read =
        Memo::new(move |_| ds.choice.with(|c| c.as_ref().is_some_and(LoadChoice::can_read)));
    let read = move || {
        if let Some(filter) = ds.choice.with_untracked(|c| c.as_ref().map(LoadChoice::filter)) {
            if can_read.get_untracked() {
                read_chosen(ds, &filter);
            }
        }
    };
    // Focus goes into the dialog when it opens, on its primary action.
    let primary = NodeRef::<Button>::new();
    Effect::new(move |_| {
        if let Some(b) = primary.get() {
            let _ = b.focus();
        }
    });
    // Keys typed here stay here (the page's shortcuts are behind the dialog).
    let dialog = NodeRef::<Div>::new();
    let on_key = move |ev: web_sys::KeyboardEvent| {
        ev.stop_propagation();
        match ev.key().as_str() {
            "Tab" => {
                if let Some(d) = dialog.get_untracked() {
                    trap_tab(&d, &ev);
                }
            }
            "Escape" => {
                ev.prevent_default();
                drop_offer(ds);
            }
            "Enter" if !on_control(&ev) => {
                ev.prevent_default();
                read();
            }
            _ => {}
        }
    };
    let has_other =
        Memo::new(move |_| ds.choice.with(|c| c.as_ref().is_some_and(|c| c.tree.other.files > 0)));
    let other = Memo::new(move |_| ds.choice.with(|c| c.as_ref().is_some_and(|c| c.other)));
    let drop_ro =
        Memo::new(move |_| ds.choice.with(|c| c.as_ref().is_some_and(|c| c.drop_read_only)));

    view! {
        <div class="overlay choice-overlay">
            <div class="overlay-body load-choice" data-testid="load-choice" role="dialog" aria-modal="true"
                aria-labelledby="load-choice-title" node_ref=dialog on:keydown=on_key>
                <h2 id="load-choice-title">"Choose what to read"</h2>
                <p class="muted">
                    {move || get(|c| format!(
                        "{} dropped; {} name their account, region and day. Nothing is read until you choose; what you leave out is listed but never read.",
                        size_line(c.tree.total), crate::model::format::plural(c.tree.keyed().files, "file", "files"),
                    ))}
                </p>
                <ChoiceDays ds=ds />
                <ChoicePlaces ds=ds />
                <div class="choice-options">
                    <Show when=move || has_other.get()>
                        <label>
                            <input type="checkbox" data-testid="choice-other" prop:checked=move || other.get()
                                on:change=move |_| edit_choice(ds, |c| c.other = !c.other) />
                            {move || get(|c| format!(" Read the other files (no AWS key: exports, archives, other names): {}", size_line(c.tree.other)))}
                        </label>
                    </Show>
                    <label>
                        <input type="checkbox" data-testid="choice-drop-read-only" prop:checked=move || drop_ro.get()
                            on:change=move |_| edit_choice(ds, |c| c.drop_read_only = !c.drop_read_only) />
                        " Leave out read-only events (Describe…, Get…, List…): counted, not kept"
                    </label>
                </div>
                <p class="choice-summary" data-testid="choice-summary" aria-live="polite">
                    {move || get(|c| format!("Reading {}", c.summary()))}
                </p>
                <div class="choice-actions">
                    <button class="button primary" data-testid="read-selected" node_ref=primary
                        disabled=move || !can_read.get() on:click=move |_| read()>"Read selected"</button>
                    <button class="button" data-testid="read-everything" on:click=move |_| read_everything(ds)>"Read everything"</button>
                    <button class="button" data-testid="choice-cancel" title="Read nothing (Escape)" on:click=move |_| drop_offer(ds)>"Cancel"</button>
                </div>
            </div>
        </div>
    }
}
