//! The root component: creates the shared state, puts it in context, and lays out the page.

use std::sync::Arc;

use leptos::prelude::*;

use crate::columns::rows_by_time;
use crate::components::{
    drop_zone::DropZone, empty_state::EmptyState, event_table::EventTable, file_list::FileList,
    header::Header, progress::ProgressBar,
};
use crate::state::{Dataset, ViewSettings};

/// Row ids in display order. Compared by identity, not content: a new list is a new answer,
/// and comparing a million ids on every change would cost more than re-rendering.
#[derive(Clone, Debug, Default)]
pub struct RowIds(pub Arc<[u32]>);

impl PartialEq for RowIds {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

#[component]
pub fn App() -> impl IntoView {
    let ds = Dataset::new();
    let settings = ViewSettings { local_time: RwSignal::new(false) };
    provide_context(ds);
    provide_context(settings);

    // Recomputed only when the store changes (generation bumps).
    let rows = Memo::new(move |_| {
        ds.generation.track();
        RowIds(ds.store.with_value(|s| rows_by_time(s)).into())
    });
    let has_files = Memo::new(move |_| {
        ds.generation.track();
        ds.store.with_value(|s| !s.files().is_empty())
    });

    view! {
        <DropZone>
            <Header rows=rows />
            <ProgressBar />
            <div class="layout">
                <Show when=move || has_files.get()>
                    <aside class="sidebar">
                        <FileList />
                    </aside>
                </Show>
                <section class="main-pane">
                    <Show
                        when=move || has_files.get()
                        fallback=|| view! { <EmptyState /> }
                    >
                        <EventTable rows=rows />
                    </Show>
                </section>
            </div>
        </DropZone>
    }
}
