//! Light and dark themes: by default the page follows the system (CSS `prefers-color-scheme`);
//! the theme button forces one, by setting `data-theme` on `<html>`, and the choice is kept in
//! this browser's localStorage.

use leptos::prelude::*;

use crate::state::Theme;

const KEY: &str = "trailglass-theme";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

pub fn apply_theme(theme: RwSignal<Theme>) {
    let saved = storage().and_then(|s| s.get_item(KEY).ok().flatten());
    theme.set(match saved.as_deref() {
        Some("light") => Theme::Light,
        Some("dark") => Theme::Dark,
        _ => Theme::System,
    });
    Effect::new(move |_| {
        let t = theme.get();
        let name = match t {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        };
        if let Some(root) = document().document_element() {
            let _ = match name {
                Some(n) => root.set_attribute("data-theme", n),
                None => root.remove_attribute("data-theme"),
            };
        }
        if let Some(s) = storage() {
            let _ = match name {
                Some(n) => s.set_item(KEY, n),
                None => s.remove_item(KEY),
            };
        }
    });
}
