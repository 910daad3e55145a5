//! The root component: creates the shared state, puts it in context, and lays out the page.

use leptos::prelude::*;

use crate::components::{
    detections::DetectionsView, drop_zone::DropZone, empty_state::EmptyState,
    event_detail::EventDetail, event_table::EventTable, facets::FacetSidebar, file_list::FileList,
    findings::Findings, header::Header, help::HelpOverlay, histogram::Histogram,
    identities::IdentitiesView, load_choice::LoadChoicePanel, progress::ProgressBar,
    search_bar::SearchBar, service_panel::ServicePanel, swimlane::Swimlane,
};
use crate::model::clauses::field_clause;
use crate::results::Results;
use crate::state::{Dataset, Panel, ViewState};
use crate::web::history::sync_url;
use crate::web::keyboard::{install_shortcuts, step_selection};
use crate::web::theme::apply_theme;
use crate::web::tz::local_offset_now;
use crate::web::user_rules;
use crate::web::worker_client::start as start_worker;

#[component]
pub fn App() -> impl IntoView {
    let view = ViewState::new();
    let ds = Dataset::with_selection(view.selected);
    start_worker(ds);
    user_rules::restore();
    let results = Results::new(ds, view);
    let help_open = RwSignal::new(false);
    provide_context(ds);
    provide_context(view);
    provide_context(results);

    sync_url(ds, view);
    apply_theme(view.theme);
    install_shortcuts(view, help_open);

    // Callbacks the charts hand their clicks to.
    let on_range = Callback::new(move |(a, b): (i64, i64)| view.range.set(Some((a, b))));
    let on_service =
        Callback::new(move |svc: String| view.add_clause(&field_clause("service", &svc, false)));
    let on_clause = Callback::new(move |clause: String| view.add_clause(&clause));
    // A detection, technique or matched rule: its events, in the table (the detections count
    // over everything loaded, so the query is replaced rather than narrowed).
    let on_detection = Callback::new(move |q: String| {
        view.set_query(q);
        view.panel.set(Panel::Table);
    });
    // An origin's events: narrow the current result to them, in the table.
    let on_identity = Callback::new(move |clause: String| {
        view.add_clause(&clause);
        view.panel.set(Panel::Table);
    });
    let on_all_detections = Callback::new(move |_| view.panel.set(Panel::Detections));
    let on_prev = Callback::new(move |_| step_selection(view, -1));
    let on_next = Callback::new(move |_| step_selection(view, 1));
    let on_close = Callback::new(move |_| view.selected.set(None));
    let selected = Signal::derive(move || view.selected.get());
    let local_time = Signal::derive(move || view.local_time.get());
    // One offset for a whole chart axis (the table converts each event's time on its own).
    let offset = Signal::derive(move || view.local_time.get().then(local_offset_now));

    let has_files = Memo::new(move |_| ds.files.with(|f| !f.is_empty()));

    view! {
        <DropZone>
            <Header help_open=help_open />
            <ProgressBar />
            <Show when=move || has_files.get() fallback=|| view! { <EmptyState /> }>
                <SearchBar />
                <Histogram data=results.histogram local_offset=offset on_range=on_range on_series=on_service />
                <Swimlane detections=results.detections histogram=results.histogram local_offset=offset
                    on_filter=on_detection on_more=on_all_detections />
                <div class="layout">
                    <aside class="sidebar">
                        <Findings on_filter=on_detection on_all=on_all_detections />
                        <FacetSidebar />
                        <FileList />
                    </aside>
                    <section class="main-pane">
                        {move || match view.panel.get() {
                            Panel::Table => view! { <EventTable /> }.into_any(),
                            Panel::Services => view! {
                                <ServicePanel summaries=results.services histogram=results.histogram on_filter=on_clause local_offset=offset />
                            }.into_any(),
                            Panel::Detections => view! {
                                <DetectionsView on_filter=on_detection local_time=local_time />
                            }.into_any(),
                            Panel::Identities => view! {
                                <IdentitiesView on_filter=on_identity local_time=local_time />
                            }.into_any(),
                        }}
                    </section>
                    <Show when=move || selected.get().is_some()>
                        <aside class="detail-pane">
                            <EventDetail row=selected on_pivot=on_clause on_rule=on_detection on_prev=on_prev on_next=on_next on_close=on_close
                                local_offset=local_time />
                        </aside>
                    </Show>
                </div>
            </Show>
            <HelpOverlay open=help_open />
            <LoadChoicePanel />
        </DropZone>
    }
}
