//! The record as a collapsible, syntax-coloured JSON tree.
//!
//! All the logic is in [`crate::model::detail::json_tree::tree_rows`], which turns the record
//! and the set of paths the user toggled into a flat list of visible rows; this component renders
//! that list, keyed, one `div` per row (indented through the CSSOM with `style:padding-left`,
//! which the CSP allows, and with its `aria-level`), and reports copy requests upward. Every key
//! and value is a text node, so markup in a log field shows as text and never runs.

use std::collections::HashSet;
use std::sync::Arc;

use leptos::prelude::*;

use crate::model::detail::json::Json;
use crate::model::detail::json_tree::{copy_text, tree_rows, Kind, TreeRow};

/// The record shown: its row id (which keys the rows and scopes the toggles) and its JSON.
pub type TreeDoc = Option<(u32, Arc<Json>)>;

#[component]
pub fn JsonTree(
    /// The record to show; `None` renders an empty tree.
    #[prop(into)]
    doc: Signal<TreeDoc>,
    /// Called with the text to copy when a row's copy button is clicked.
    on_copy: Callback<String>,
) -> impl IntoView {
    // Paths toggled by the user, and the row they belong to: showing another event starts from
    // the defaults again without an Effect to reset them.
    let toggled = RwSignal::new((u32::MAX, HashSet::<String>::new()));
    let rows = Memo::new(move |_| {
        doc.with(|d| {
            d.as_ref().map(|(id, json)| {
                let view = toggled.with(|(tid, set)| {
                    if tid == id {
                        tree_rows(json, set)
                    } else {
                        tree_rows(json, &HashSet::new())
                    }
                });
                (*id, view)
            })
        })
    });
    let toggle = move |path: String| {
        let Some(id) = doc.with_untracked(|d| d.as_ref().map(|(id, _)| *id)) else { return };
        toggled.update(|(tid, set)| {
            if *tid != id {
                *tid = id;
                set.clear();
            }
            if !set.remove(&path) {
                set.insert(path);
            }
        });
    };
    let copy = move |path: String| {
        if let Some(text) =
            doc.with_untracked(|d| d.as_ref().and_then(|(_, j)| copy_text(j, &path)))
        {
            on_copy.run(text);
        }
    };
    let items = move || {
        rows.with(|v| match v {
            Some((id, view)) => view.rows.iter().map(|r| (*id, r.clone())).collect::<Vec<_>>(),
            None => Vec::new(),
        })
    };
    let truncated = move || rows.with(|v| v.as_ref().is_some_and(|(_, view)| view.truncated));

    view! {
        <div class="json-tree" data-testid="json-tree" role="tree">
            // Keyed by row id, path and open state: toggling re-renders only that row.
            <For
                each=items
                key=|(id, r)| (*id, r.path.clone(), r.open)
                children=move |(_, r)| tree_row(r, toggle, copy)
            />
            <Show when=truncated>
                <p class="jt-more">"Only the first rows are shown: collapse a section to see the rest."</p>
            </Show>
        </div>
    }
}

/// One row: toggle and key, value (coloured by its type), expand for JSON held in a string,
/// and the copy button.
fn tree_row(
    r: TreeRow,
    toggle: impl Fn(String) + Copy + Send + Sync + 'static,
    copy: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let container = matches!(r.kind, Kind::Object | Kind::Array);
    let (toggle_path, copy_path, expand_path) = (r.path.clone(), r.path.clone(), r.path.clone());
    let key = if container {
        view! {
            <button
                class="jt-key jt-toggle"
                class:jt-index=r.is_index
                aria-expanded=r.open.to_string()
                title=if r.open { "Collapse" } else { "Expand" }
                on:click=move |_| toggle(toggle_path.clone())
            >
                <span class="jt-arrow">{if r.open { "▾" } else { "▸" }}</span>
                {r.key.clone()}
            </button>
        }
        .into_any()
    } else {
        view! {
            <span class="jt-key" class:jt-index=r.is_index>
                <span class="jt-arrow"></span>
                {r.key.clone()}
            </span>
        }
        .into_any()
    };
    let expand = r.nested_json.then(|| {
        view! {
            <button
                class="jt-expand"
                data-testid="expand-json"
                title="This string holds JSON"
                on:click=move |_| toggle(expand_path.clone())
            >
                {if r.open { "collapse JSON" } else { "expand JSON" }}
            </button>
        }
    });
    let value_class = format!("jt-val {}", r.kind.class());
    view! {
        <div class="jt-row" role="treeitem" attr:aria-level=r.depth + 1 data-path=r.path.clone() style:padding-left=format!("{}px", 4 + r.depth * 16)>
            {key}
            <span class="jt-colon">":"</span>
            <span class=value_class>{r.text}</span>
            {expand}
            <button class="jt-copy" data-testid="copy-value" title="Copy value" on:click=move |_| copy(copy_path.clone())>
                "copy"
            </button>
        </div>
    }
}
