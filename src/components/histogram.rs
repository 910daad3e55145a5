//! The time histogram: events over time stacked by service, with a brush to pick a time range.
//!
//! Hand-written SVG rather than leptos-chartistry: that crate has no stacked bars (bars sit side
//! by side) and no brush, its default tooltip rounds counts, and it sets inline `style`
//! attributes, which our Content-Security-Policy (`style-src 'self'`) forbids. Here colours come
//! from classes (`.series-N` in style/charts.css), the tooltip is an HTML div placed through the
//! CSSOM (`style:left`), and all the geometry is computed by the tested functions in
//! [`crate::model::charts`]. The tooltip and the legend are components of their own.
//! Press-drag-release selects whole buckets; a click selects one bar's bucket.

use leptos::html::Div;
use leptos::prelude::*;
use leptos_use::{use_element_size, UseElementSizeReturn};
use trailglass_core::answer::Histogram as Hist;
use wasm_bindgen::JsCast;

use crate::components::histogram_legend::HistogramLegend;
use crate::components::histogram_tooltip::HistogramTooltip;
use crate::model::charts::histogram::{bucket_at, selection, stack_bars, time_axis};
use crate::model::charts::scale::{Frame, LinearScale};
use crate::model::charts::ticks::count_ticks;
use crate::model::format::{format_offset, short_count};

#[component]
pub fn Histogram(
    #[prop(into)] data: Signal<Hist>,
    #[prop(into)] local_offset: Signal<Option<i32>>,
    on_range: Callback<(i64, i64)>,
    #[prop(optional, into)] on_series: Option<Callback<String>>,
) -> impl IntoView {
    let wrap = NodeRef::<Div>::new();
    let UseElementSizeReturn { width, .. } = use_element_size(wrap);
    let frame = Memo::new(move |_| Frame::histogram(width.get()));
    let offset = move || local_offset.get().unwrap_or(0);
    let empty = Memo::new(move |_| data.with(|h| h.counts.iter().all(|&c| c == 0)));
    let y_ticks = Memo::new(move |_| {
        data.with(|h| count_ticks(h.counts.iter().copied().max().unwrap_or(0), 3))
    });
    let y_scale = move || {
        let f = frame.get();
        LinearScale::new(
            (0.0, y_ticks.with(|t| t.last().copied().unwrap_or(1)) as f64),
            (f.baseline(), f.top),
        )
    };
    let bars = Memo::new(move |_| {
        let top = y_ticks.with(|t| t.last().copied().unwrap_or(1));
        data.with(|h| stack_bars(h, &frame.get(), top))
    });
    let x_ticks = Memo::new(move |_| data.with(|h| time_axis(h, &frame.get(), offset())));

    // Pointer state: where the button went down (while dragging) and where the pointer is now,
    // both in px from the chart's left edge.
    let press = RwSignal::new(None::<f64>);
    let cursor = RwSignal::new(None::<f64>);
    let x_of = move |ev: &web_sys::MouseEvent| {
        wrap.get_untracked()
            .map(|el| f64::from(ev.client_x()) - el.get_bounding_client_rect().left())
    };
    let hover = Memo::new(move |_| {
        let x = cursor.get()?;
        data.with(|h| {
            bucket_at(&frame.get(), x, h.counts.len())
                .filter(|&i| h.counts.get(i).is_some_and(|&c| c > 0))
        })
    });
    let on_down = move |ev: leptos::ev::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        if let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
        press.set(x_of(&ev));
    };
    let on_up = move |ev: leptos::ev::PointerEvent| {
        let (Some(x0), Some(x1)) = (press.get_untracked(), x_of(&ev)) else { return };
        press.set(None);
        if let Some(range) = data.with_untracked(|h| selection(h, &frame.get_untracked(), x0, x1)) {
            on_range.run(range);
        }
    };
    let brush = move || {
        let (a, b, f) = (press.get()?, cursor.get()?, frame.get());
        let (lo, hi) = (a.min(b).max(f.left), a.max(b).min(f.left + f.plot_w()));
        (hi > lo)
            .then(|| view! { <rect class="brush" x=lo y=f.top width=hi - lo height=f.plot_h() /> })
    };

    // The bucket whose tooltip shows: the one under the pointer, unless a drag is under way.
    let tip = Signal::derive(move || if press.get().is_some() { None } else { hover.get() });
    let offset = Signal::derive(offset);
    let caption = move || local_offset.get().map_or_else(|| "UTC".to_owned(), format_offset);

    view! {
        <div class="histogram" data-testid="histogram">
            <div class="histogram-plot" node_ref=wrap>
                <Show when=move || !empty.get() fallback=|| view! { <p class="chart-empty">"No events with a time in this result"</p> }>
                    <svg class="histogram-svg" role="img" aria-label="Events over time"
                        on:pointerdown=on_down on:pointerup=on_up
                        on:pointercancel=move |_| press.set(None)
                        on:pointermove=move |ev: leptos::ev::PointerEvent| cursor.set(x_of(&ev))
                        on:pointerleave=move |_| cursor.set(None)>
                        {move || y_ticks.get().into_iter().map(|t| {
                            let (y, f) = (y_scale().map(t as f64), frame.get());
                            view! {
                                <line class="grid" x1=f.left x2=f.left + f.plot_w() y1=y y2=y />
                                <text class="axis-label" x=f.left - 5.0 y=y + 4.0 text-anchor="end">{short_count(t)}</text>
                            }
                        }).collect_view()}
                        {move || bars.get().into_iter().map(|b| {
                            let (x, w) = (b.x, b.w);
                            view! {
                                <g class="bar" data-testid="histogram-bar" data-count=b.total data-start=b.start_ms>
                                    {b.segments.into_iter().map(|s| view! { <rect class=s.class x=x y=s.y width=w height=s.h /> }).collect_view()}
                                </g>
                            }
                        }).collect_view()}
                        {move || x_ticks.get().into_iter().map(|(x, label)| {
                            let f = frame.get();
                            view! {
                                <line class="tick" x1=x x2=x y1=f.baseline() y2=f.baseline() + 4.0 />
                                <text class="axis-label" x=x y=f.baseline() + 15.0 text-anchor="middle">{label}</text>
                            }
                        }).collect_view()}
                        {brush}
                    </svg>
                    <HistogramTooltip data=data frame=frame bucket=tip offset=offset />
                </Show>
            </div>
            <Show when=move || !empty.get()>
                <HistogramLegend data=data on_series=on_series caption=Signal::derive(caption) />
            </Show>
        </div>
    }
}
