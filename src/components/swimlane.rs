//! The swimlane under the time histogram: a lane per detection (most severe first, a few at most,
//! "+N more" opening the Detections view), its title and level written over a track of marks in
//! the histogram's own buckets, so an attack reads as a story in time. Hovering shows the rule,
//! its level and its matches in that bucket; a click on a lane shows the rule's events. The
//! geometry is [`crate::model::detections::swimlane`], in the histogram's [`Frame`], so the
//! marks line up with the bars above (the two share their horizontal padding in the CSS).

use leptos::html::Div;
use leptos::prelude::*;
use leptos_use::{use_element_size, UseElementSizeReturn};
use trailglass_core::answer::Histogram;
use trailglass_core::engine::Detection;

use crate::model::charts::histogram::{bucket_center, bucket_range};
use crate::model::charts::scale::Frame;
use crate::model::detections::swimlane::{lane_at, swimlane, LANE_H, MARK_H};
use crate::model::detections::{level_class, level_label, rule_clause};
use crate::model::format::{format_count, plural, range_label};

#[component]
pub fn Swimlane(
    #[prop(into)] detections: Signal<Vec<Detection>>,
    #[prop(into)] histogram: Signal<Histogram>,
    #[prop(into)] local_offset: Signal<Option<i32>>,
    /// Called with the query to show (a lane's rule).
    on_filter: Callback<String>,
    /// "+N more": show every detection.
    on_more: Callback<()>,
) -> impl IntoView {
    let wrap = NodeRef::<Div>::new();
    let UseElementSizeReturn { width, .. } = use_element_size(wrap);
    let frame = Memo::new(move |_| Frame::histogram(width.get()));
    let buckets = Memo::new(move |_| histogram.with(|h| h.counts.len()));
    let lanes = Memo::new(move |_| detections.with(|d| swimlane(d, buckets.get(), &frame.get())));
    let cursor = RwSignal::new(None::<(f64, f64)>);
    let at = move |ev: &web_sys::MouseEvent| {
        wrap.get_untracked().map(|el| {
            let r = el.get_bounding_client_rect();
            (f64::from(ev.client_x()) - r.left(), f64::from(ev.client_y()) - r.top())
        })
    };
    let hover = Memo::new(move |_| {
        let (x, y) = cursor.get()?;
        lanes.with(|s| lane_at(s, &frame.get(), buckets.get(), x, y))
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some((x, y)) = at(&ev) else { return };
        let hit = lanes.with_untracked(|s| {
            let (lane, _) = lane_at(s, &frame.get_untracked(), buckets.get_untracked(), x, y)?;
            s.lanes.get(lane).map(|l| rule_clause(&l.rule))
        });
        if let Some(q) = hit {
            on_filter.run(q);
        }
    };
    let label = move || {
        lanes.with(|s| {
            let names: Vec<String> = s
                .lanes
                .iter()
                .map(|l| format!("{} ({}, {})", l.title, l.level.as_str(), format_count(l.count)))
                .collect();
            format!("Detections over time: {}", names.join("; "))
        })
    };
    let drawn = move || {
        let f = frame.get();
        lanes.get().lanes.into_iter().map(|l| {
            let class = format!("lane {}", level_class(l.level));
            let (label_y, mark_y) = (l.label_y(), l.mark_y());
            let marks = l.marks.iter().map(|m| view! {
                <rect class=format!("mark s{}", m.strength) data-testid="swimlane-mark" data-bucket=m.bucket data-count=m.count
                    x=m.x y=mark_y width=m.w height=MARK_H />
            }).collect_view();
            view! {
                <g class=class data-testid="swimlane-lane" data-rule=l.rule.clone() data-count=l.count>
                    <rect class="lane-track" x=f.left y=mark_y width=f.plot_w() height=MARK_H />
                    {marks}
                    <text class="lane-title" x=f.left y=label_y>
                        <tspan class="lane-level">{level_label(l.level)}</tspan>
                        {format!("  {} · {}", l.title, plural(l.count, "event", "events"))}
                    </text>
                </g>
            }
        }).collect_view()
    };
    let tooltip = move || {
        let (lane, b) = hover.get()?;
        let f = frame.get();
        let s = lanes.get();
        let l = s.lanes.get(lane)?;
        let (start, end) = histogram.with(|h| bucket_range(h, b));
        let center = bucket_center(&f, b, buckets.get());
        let flip = center > f.width / 2.0;
        let n = l.in_bucket(b);
        let off = local_offset.get().unwrap_or(0);
        Some(view! {
            <div class="chart-tooltip" class:flip=flip data-testid="swimlane-tooltip" role="tooltip"
                style:left=format!("{:.0}px", if flip { center - 10.0 } else { center + 10.0 })
                style:top=format!("{:.0}px", l.top + LANE_H)>
                <div class="tt-time">{l.title.clone()}</div>
                <div class="tt-row"><span class=format!("lvl-badge {}", level_class(l.level))>{level_label(l.level)}</span>
                    <span class="tt-name">{range_label(start, end, off)}</span><span class="tt-n">{format_count(u64::from(n))}</span></div>
                <div class="tt-row tt-total"><span class="tt-name">"All its events"</span><span class="tt-n">{format_count(l.count)}</span></div>
            </div>
        })
    };
    let more = move || lanes.with(|s| s.more);

    view! {
        <div class="swimlane" data-testid="swimlane">
            <div class="swimlane-plot" node_ref=wrap>
                <Show when=move || lanes.with(|s| !s.lanes.is_empty())>
                    <svg class="swimlane-svg" role="img" aria-label=label
                        style:height=move || format!("{}px", lanes.with(|s| s.height))
                        on:pointermove=move |ev: leptos::ev::PointerEvent| cursor.set(at(&ev))
                        on:pointerleave=move |_| cursor.set(None)
                        on:click=on_click>
                        {drawn}
                    </svg>
                    {tooltip}
                </Show>
            </div>
            <Show when=move || { more() > 0 }>
                <button class="link swimlane-more" data-testid="swimlane-more" on:click=move |_| on_more.run(())>
                    {move || {
                        let n = more();
                        format!("+{} more {} →", format_count(n as u64), if n == 1 { "detection" } else { "detections" })
                    }}
                </button>
            </Show>
        </div>
    }
}
