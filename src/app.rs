//! The root component: creates the shared state, puts it in context, and lays out the page.

use leptos::prelude::*;

use crate::components::{
    drop_zone::DropZone, empty_state::EmptyState, event_table::EventTable, facets::FacetSidebar,
    file_list::FileList, header::Header, help::HelpOverlay, progress::ProgressBar, search_bar::SearchBar,
};
use crate::history::sync_url;
use crate::keyboard::install_shortcuts;
use crate::results::Results;
use crate::state::{Dataset, Panel, ViewState};
use crate::theme::apply_theme;

#[component]
pub fn App() -> impl IntoView {
    let ds = Dataset::new();
    let view = ViewState::new();
    let results = Results::new(ds, view);
    let help_open = RwSignal::new(false);
    provide_context(ds);
    provide_context(view);
    provide_context(results);

    sync_url(ds, view);
    apply_theme(view.theme);
    install_shortcuts(view, results, help_open);

    let has_files = Memo::new(move |_| {
        ds.generation.track();
        ds.store.with_value(|s| !s.files().is_empty())
    });

    view! {
        <DropZone>
            <Header help_open=help_open />
            <ProgressBar />
            <Show when=move || has_files.get() fallback=|| view! { <EmptyState /> }>
                <SearchBar />
                <div class="layout">
                    <aside class="sidebar">
                        <FacetSidebar />
                        <FileList />
                    </aside>
                    <section class="main-pane">
                        {move || match view.panel.get() {
                            Panel::Table => view! { <EventTable /> }.into_any(),
                            Panel::Services => view! { <p class="muted pad">"Per-service charts load here."</p> }.into_any(),
                        }}
                    </section>
                </div>
            </Show>
            <HelpOverlay open=help_open />
        </DropZone>
    }
}
