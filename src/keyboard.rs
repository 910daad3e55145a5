//! Keyboard shortcuts for the whole page: `/` search, `j`/`k` (and arrows) move through the
//! events, `Enter` opens one, `Esc` closes, `?` help, `s` services, `t` time zone. Keys typed in
//! a text field are left alone (except `Esc`).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::search_bar::SEARCH_INPUT_ID;
use crate::results::Results;
use crate::state::{Panel, ViewState};

/// The row after (`step` = 1) or before (-1) `current` in `order`; the first row when nothing is
/// selected or the selection is no longer in the list.
pub fn step_selection(order: &[u32], current: Option<u32>, step: isize) -> Option<u32> {
    let pos = current.and_then(|c| order.iter().position(|&r| r == c));
    match pos {
        None => order.first().copied(),
        Some(p) => {
            let next = (p as isize + step).clamp(0, order.len() as isize - 1);
            order.get(next as usize).copied()
        }
    }
}

fn typing_in_field(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

pub fn install_shortcuts(view: ViewState, results: Results, help_open: RwSignal<bool>) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let key = ev.key();
        if typing_in_field(&ev) && key != "Escape" {
            return;
        }
        let step = |s: isize| {
            let order = results.sorted.get_untracked();
            view.selected.set(step_selection(&order.0, view.selected.get_untracked(), s));
        };
        match key.as_str() {
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
            "s" => view.panel.update(|p| *p = if *p == Panel::Table { Panel::Services } else { Panel::Table }),
            "t" => view.local_time.update(|l| *l = !*l),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || handle.remove());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stepping() {
        let order = [5, 3, 9];
        assert_eq!(step_selection(&order, None, 1), Some(5));
        assert_eq!(step_selection(&order, Some(5), 1), Some(3));
        assert_eq!(step_selection(&order, Some(9), 1), Some(9));
        assert_eq!(step_selection(&order, Some(3), -1), Some(5));
        assert_eq!(step_selection(&order, Some(5), -1), Some(5));
        assert_eq!(step_selection(&order, Some(42), 1), Some(5));
        assert_eq!(step_selection(&[], Some(1), 1), None);
    }
}
