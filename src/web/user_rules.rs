//! The user's own rule files in the browser: read as text on the page (they are small: capped by
//! [`check_size`]), sent to the engine as `Request::AddRules`, and remembered in local storage
//! (in the form of [`StoredRules`]) so they are sent again when the page opens, until removed.
//! What the engine made of them comes back in the answer (`rule_files`, `rule_problems`); what
//! the page itself has to say (a file too big or unreadable, storage refused) goes to
//! `Dataset::rule_notes`.

use leptos::prelude::*;
use trailglass_core::engine::Request;
use wasm_bindgen_futures::JsFuture;

use crate::model::detections::rule_files::{check_size, StoredRules};
use crate::state::Dataset;
use crate::web::worker_client::send;

/// The local-storage key of the remembered rule files.
const STORAGE_KEY: &str = "trailglass.rules";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn stored() -> StoredRules {
    let json = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    json.map(|j| StoredRules::decode(&j)).unwrap_or_default()
}

/// Writes the list back; `false` when the browser refused (no storage, or it is full).
fn store(rules: &StoredRules) -> bool {
    storage().is_some_and(|s| s.set_item(STORAGE_KEY, &rules.encode()).is_ok())
}

/// Sends the remembered rule files to the engine (at start; requests wait for the worker).
pub fn restore() {
    for (name, text) in stored().0 {
        send(&Request::AddRules { name, text });
    }
}

/// Reads rule files the user dropped or picked, sends each to the engine and remembers it.
pub fn add_files(ds: Dataset, files: Vec<web_sys::File>) {
    ds.rule_notes.set(Vec::new());
    for file in files {
        let name = file.name();
        if let Err(note) = check_size(&name, file.size() as u64) {
            ds.rule_notes.update(|n| n.push(note));
            continue;
        }
        leptos::task::spawn_local(async move {
            let text = JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
            let Some(text) = text else {
                ds.rule_notes.update(|n| n.push(format!("{name} could not be read.")));
                return;
            };
            send(&Request::AddRules { name: name.clone(), text: text.clone() });
            let mut rules = stored();
            rules.put(&name, &text);
            if !store(&rules) {
                ds.rule_notes.update(|n| {
                    n.push(format!(
                        "{name} is used now, but the browser would not store it: add it again \
                         after a reload."
                    ))
                });
            }
        });
    }
}

/// Forgets a rule file: in the engine and in local storage.
pub fn remove(name: &str) {
    send(&Request::RemoveRules { name: name.to_owned() });
    let mut rules = stored();
    rules.remove(name);
    store(&rules);
}
