//! Keyboard shortcuts for the whole page: `/` search, `j`/`k` (and arrows) move through the
//! events, `Enter` opens one, `Esc` closes, `?` help, `s` services, `t` time zone, and the
//! two-key `g d` / `g e` / `g s` go to the detections, the events, the services. Keys typed in
//! a text field are left alone (except `Esc`). The help overlay lists them
//! (`components::help`).

use leptos::prelude::*;
use trailglass_core::engine::Request;
use wasm_bindgen::JsCast;

use crate::state::{Panel, ViewState};
use crate::web::worker_client::send;

/// The id of the search box, which `/` focuses.
pub const SEARCH_INPUT_ID: &str = "search-input";

/// Asks the worker for the row `by` positions from the selected one (the first row when nothing
/// is selected); its `Selected` reply moves the selection.
pub fn step_selection(view: ViewState, by: i64) {
    send(&Request::Step { from: view.selected.get_untracked(), by });
}

fn typing_in_field(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// The panel `g` followed by `key` goes to.
fn go_to(key: &str) -> Option<Panel> {
    match key {
        "d" => Some(Panel::Detections),
        "e" => Some(Panel::Table),
        "s" => Some(Panel::Services),
        "i" => Some(Panel::Identities),
        _ => None,
    }
}

/// Whether the key goes to a control that acts on it itself (Enter or Space on a button or a
/// link), so a shortcut must not take it.
fn pressing_a_control(ev: &web_sys::KeyboardEvent) -> bool {
    let control = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "BUTTON" | "A" | "SUMMARY" | "LABEL"));
    control && matches!(ev.key().as_str(), "Enter" | " ")
}

pub fn install_shortcuts(view: ViewState, help_open: RwSignal<bool>) {
    // `g` was the last key: the next one names a panel.
    let after_g = StoredValue::new(false);
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let key = ev.key();
        if (typing_in_field(&ev) && key != "Escape") || pressing_a_control(&ev) {
            return;
        }
        if after_g.get_value() {
            after_g.set_value(false);
            if let Some(panel) = go_to(&key) {
                view.panel.set(panel);
                ev.prevent_default();
                return;
            }
        }
        let step = |by: i64| step_selection(view, by);
        match key.as_str() {
            "g" => after_g.set_value(true),
            "/" => {
                if let Some(el) = document().get_element_by_id(SEARCH_INPUT_ID) {
                    if let Ok(input) = el.dyn_into::<web_sys::HtmlInputElement>() {
                        let _ = input.focus();
                        input.select();
                    }
                }
            }
            "j" | "ArrowDown" => step(1),
            "k" | "ArrowUp" => step(-1),
            "Enter" if view.selected.get_untracked().is_none() => step(0),
            "Escape" => {
                if help_open.get_untracked() {
                    help_open.set(false);
                } else {
                    view.selected.set(None);
                }
                if typing_in_field(&ev) {
                    return;
                }
            }
            "?" => help_open.update(|o| *o = !*o),
            "s" => view.panel.update(|p| {
                *p = if *p == Panel::Services { Panel::Table } else { Panel::Services }
            }),
            "t" => view.local_time.update(|l| *l = !*l),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || handle.remove());
}
