//! Keeps the URL fragment and the view state in step (see `url_state` for the format): the
//! state is read from the URL at start and on back/forward, and written back whenever it
//! changes — a new history entry for a new search, range, sort, columns or panel; the same entry
//! updated in place for a new selection, so j/k do not flood the history.
//!
//! The selected event is named by its eventID. When the page opens on a link before the files
//! are loaded, that id waits (`pending`) until a load brings an event that has it.

use leptos::prelude::*;
use trailglass_core::answer::SortKey;
use trailglass_core::engine::Request;

use crate::model::columns::{default_columns, ColumnKind};
use crate::model::url_state::UrlState;
use crate::state::{Dataset, Panel, Sort, ViewState};
use crate::web::worker_client::send;

fn location_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

fn write_url(fragment: &str, push: bool) {
    let Some(w) = web_sys::window() else { return };
    let loc = w.location();
    let base =
        format!("{}{}", loc.pathname().unwrap_or_default(), loc.search().unwrap_or_default());
    let url = format!("{base}{fragment}");
    if let Ok(h) = w.history() {
        let _ = if push {
            h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
        } else {
            h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
        };
    }
}

/// Sets the view's signals from a URL state.
fn apply(view: ViewState, st: &UrlState) {
    view.query.set(st.query.clone());
    view.range.set(st.range);
    let sort = st
        .sort
        .as_ref()
        .and_then(|(col, desc)| {
            ColumnKind::from_id(col)
                .and_then(|k| k.sort_key())
                .map(|key| Sort { key, descending: *desc })
        })
        .unwrap_or_default();
    view.sort.set(sort);
    let columns = st
        .columns
        .as_ref()
        .map(|ids| {
            ids.iter()
                .filter_map(|id| ColumnKind::from_id(id))
                .map(ColumnKind::def)
                .collect::<Vec<_>>()
        })
        .filter(|c| !c.is_empty())
        .unwrap_or_else(default_columns);
    view.columns.set(columns);
    view.local_time.set(st.local_time);
    view.panel.set(Panel::from_url_name(st.view.as_deref()));
}

fn sort_id(sort: Sort) -> Option<(String, bool)> {
    if sort == Sort::default() {
        return None;
    }
    let id = match sort.key {
        SortKey::Time => ColumnKind::Time.id(),
        SortKey::Column(c) => ColumnKind::Field(c).id(),
    };
    Some((id, sort.descending))
}

/// Wires the URL to the view state for the life of the app.
pub fn sync_url(ds: Dataset, view: ViewState) {
    let initial = UrlState::decode(&location_hash());
    apply(view, &initial);
    let pending = ds.pending_event;
    pending.set(initial.event.clone());

    // The eventID in the URL waits for a load that brings it: asked again after every change of
    // the data until found (the worker's `Selected` reply clears `pending`).
    let generation = Memo::new(move |_| ds.status.with(|s| s.generation));
    Effect::new(move |_| {
        let _ = generation.get();
        if let Some(event_id) = pending.get() {
            send(&Request::Find { event_id });
        }
    });

    Effect::new(move |prev: Option<UrlState>| {
        // Column ids only: widths are a matter of the screen, not of the view to share.
        let ids: Vec<String> = view.columns.with(|c| c.iter().map(|d| d.kind.id()).collect());
        let default_ids: Vec<String> = default_columns().iter().map(|d| d.kind.id()).collect();
        let st = UrlState {
            query: view.query.get(),
            range: view.range.get(),
            sort: sort_id(view.sort.get()),
            columns: (ids != default_ids).then_some(ids),
            local_time: view.local_time.get(),
            view: view.panel.get().url_name().map(str::to_string),
            event: match view.selected.get() {
                Some(row) => ds
                    .detail
                    .with(|d| d.as_ref().filter(|d| d.row == row).map(|d| d.event_id.clone()))
                    .or_else(|| prev.as_ref().and_then(|p| p.event.clone())),
                None => pending.get(),
            },
        };
        let fragment = st.encode();
        if fragment != location_hash() {
            let only_selection = prev
                .as_ref()
                .is_some_and(|p| UrlState { event: st.event.clone(), ..p.clone() } == st);
            write_url(&fragment, !only_selection);
        }
        st
    });

    // Back and forward.
    let handle = window_event_listener(leptos::ev::popstate, move |_| {
        let st = UrlState::decode(&location_hash());
        apply(view, &st);
        match &st.event {
            Some(_) => pending.set(st.event.clone()),
            None => view.selected.set(None),
        }
    });
    on_cleanup(move || handle.remove());
}
