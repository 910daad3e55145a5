//! The drop zone: the whole page accepts dropped files and folders (leptos-use `use_drop_zone`;
//! folders are walked by `folders`), and holds the hidden file and folder pickers that the
//! "Open" buttons (labels) trigger. Rule files (`.yml`, `.yaml`) among them go to the rules
//! (`web::user_rules`), the rest to the log loader.

use leptos::html::{Div, Input};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_use::{
    use_drop_zone_with_options, UseDropZoneEvent, UseDropZoneOptions, UseDropZoneReturn,
};
use wasm_bindgen::JsCast;

use crate::model::detections::rule_files::split_rule_files;
use crate::state::Dataset;
use crate::web::folders::{files_under, take_drop_entries, PathFile};
use crate::web::loader::{offer, with_paths};
use crate::web::user_rules;

/// `id`s of the pickers, for `<label for=…>` buttons elsewhere on the page.
pub const FILE_INPUT_ID: &str = "file-input";
pub const FOLDER_INPUT_ID: &str = "folder-input";
/// The picker of rule files (`.yml`, `.yaml`).
pub const RULES_INPUT_ID: &str = "rules-input";

fn files_of(input: &web_sys::HtmlInputElement) -> Vec<web_sys::File> {
    let Some(list) = input.files() else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Sends rule files to the rules and the rest to the loader (which may offer a choice first).
fn take(ds: Dataset, files: Vec<PathFile>) {
    let (rules, logs) = split_rule_files(files, |f| f.path.as_str());
    if !rules.is_empty() {
        user_rules::add_files(ds, rules.into_iter().filter_map(|f| f.file).collect());
    }
    if !logs.is_empty() {
        offer(ds, logs);
    }
}

#[component]
pub fn DropZone(children: Children) -> impl IntoView {
    let ds = expect_context::<Dataset>();
    let zone = NodeRef::<Div>::new();
    let UseDropZoneReturn { is_over_drop_zone, .. } = use_drop_zone_with_options(
        zone,
        UseDropZoneOptions::default().on_drop(move |ev: UseDropZoneEvent| {
            // Folders come only as entries, taken now, during the event, and walked afterwards.
            match take_drop_entries(&ev.event) {
                Some(entries) => spawn_local(async move {
                    match files_under(entries).await {
                        Ok(files) => take(ds, files),
                        Err(_) => take(ds, with_paths(ev.files)),
                    }
                }),
                None if !ev.files.is_empty() => take(ds, with_paths(ev.files)),
                None => {}
            }
        }),
    );

    let on_pick = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let files = files_of(&input);
        // Clear it, so choosing the same file again is a change too.
        input.set_value("");
        if !files.is_empty() {
            take(ds, with_paths(files));
        }
    };
    let file_input = NodeRef::<Input>::new();
    // `webkitdirectory` (pick a whole folder) is not an attribute the view macro knows, so it is
    // set on the element once it exists.
    let folder_input = NodeRef::<Input>::new();
    Effect::new(move |_| {
        if let Some(el) = folder_input.get() {
            let _ = el.set_attribute("webkitdirectory", "");
        }
    });

    view! {
        <div data-testid="drop-zone" class="drop-zone" class:over=move || is_over_drop_zone.get() node_ref=zone>
            <input
                type="file"
                multiple
                id=FILE_INPUT_ID
                class="visually-hidden"
                data-testid="file-input"
                node_ref=file_input
                on:change=on_pick
            />
            <input
                type="file"
                multiple
                node_ref=folder_input
                id=FOLDER_INPUT_ID
                class="visually-hidden"
                data-testid="folder-input"
                on:change=on_pick
            />
            <input
                type="file"
                multiple
                accept=".yml,.yaml"
                id=RULES_INPUT_ID
                class="visually-hidden"
                data-testid="rules-input"
                tabindex="-1"
                aria-hidden="true"
                on:change=on_pick
            />
            {children()}
            <div class="drop-overlay" aria-hidden="true">"Drop to add these files"</div>
        </div>
    }
}
