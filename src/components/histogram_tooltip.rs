//! The histogram's tooltip: the time range of the bucket under the pointer and its exact counts
//! per series. An HTML div placed beside the bucket through the CSSOM (`style:left`, which the
//! CSP allows), flipped to the left of the bucket in the right half of the chart.

use leptos::prelude::*;
use trailglass_core::answer::Histogram;

use crate::model::charts::histogram::{bucket_center, bucket_range};
use crate::model::charts::scale::Frame;
use crate::model::charts::series::bucket_detail;
use crate::model::format::{format_count, range_label};

#[component]
pub fn HistogramTooltip(
    #[prop(into)] data: Signal<Histogram>,
    frame: Memo<Frame>,
    /// The bucket to describe; `None` hides the tooltip.
    bucket: Signal<Option<usize>>,
    /// Minutes east of UTC of the zone the times are shown in.
    offset: Signal<i32>,
) -> impl IntoView {
    move || {
        let i = bucket.get()?;
        let f = frame.get();
        let ((start, end), (rows, total), n) =
            data.with(|h| (bucket_range(h, i), bucket_detail(h, i), h.counts.len()));
        let center = bucket_center(&f, i, n);
        let flip = center > f.width / 2.0;
        let rows = rows
            .into_iter()
            .map(|r| view! {
                <div class="tt-row"><span class=format!("swatch {}", r.class)></span><span class="tt-name">{r.label}</span><span class="tt-n">{format_count(r.count)}</span></div>
            })
            .collect_view();
        Some(view! {
            <div class="chart-tooltip" class:flip=flip data-testid="histogram-tooltip" role="tooltip"
                style:left=format!("{:.0}px", if flip { center - 10.0 } else { center + 10.0 })
                style:top=format!("{:.0}px", f.top)>
                <div class="tt-time">{range_label(start, end, offset.get())}</div>
                {rows}
                <div class="tt-row tt-total"><span class="tt-name">"Total"</span><span class="tt-n">{format_count(total)}</span></div>
            </div>
        })
    }
}
