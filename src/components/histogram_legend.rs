//! The histogram's legend: one button per series with its total (clicking a service filters on
//! it), and the time zone the axis is drawn in.

use leptos::prelude::*;
use trailglass_core::answer::Histogram;

use crate::model::charts::series::legend;
use crate::model::format::format_count;

#[component]
pub fn HistogramLegend(
    #[prop(into)] data: Signal<Histogram>,
    /// Called with a series' full name when its button is clicked; `None` makes them inert.
    on_series: Option<Callback<String>>,
    /// The axis' time zone (`UTC`, `UTC+02:00`).
    caption: Signal<String>,
) -> impl IntoView {
    let items = move || {
        data.with(legend)
            .into_iter()
            .map(|e| {
                let clickable = on_series.is_some() && !matches!(e.name.as_str(), "other" | "events");
                let name = e.name.clone();
                view! {
                    <button class="legend-item" disabled=!clickable title=e.name
                        on:click=move |_| if let Some(cb) = on_series { cb.run(name.clone()) }>
                        <span class=format!("swatch {}", e.class)></span>{e.label}<span class="muted">{format_count(e.count)}</span>
                    </button>
                }
            })
            .collect_view()
    };
    view! {
        <div class="legend">
            {items}
            <span class="axis-caption" data-testid="histogram-tz">{move || caption.get()}</span>
        </div>
    }
}
