//! The days of the "Choose what to read" panel: a bar per day (files and MB, drawn as SVG inside
//! a button: click a day to read it alone, shift-click to extend the range), two date fields for
//! either end, and *All days*.

use leptos::prelude::*;

use crate::components::load_choice::edit_choice;
use crate::model::format::{format_bytes, format_count};
use crate::model::load_choice::DayBar;
use crate::state::Dataset;

/// Height of a bar's drawing area (SVG units = px).
const BAR_H: f64 = 44.0;

#[component]
pub fn ChoiceDays(ds: Dataset) -> impl IntoView {
    // The bars without their chosen flag: the list is rebuilt only when another drop joins
    // (the flag is read by each button, so a click keeps the focus where it is).
    let bars = Memo::new(move |_| {
        ds.choice
            .with(|c| c.as_ref().map(|c| c.bars()).unwrap_or_default())
            .into_iter()
            .map(|b| DayBar { chosen: false, ..b })
            .collect::<Vec<_>>()
    });
    let chosen = move |i: usize| ds.choice.with(|c| c.as_ref().is_some_and(|c| c.day_chosen(i)));
    let date = move |last: bool| {
        ds.choice.with(|c| {
            c.as_ref()
                .map(|c| if last { c.to_date() } else { c.from_date() }.to_string())
                .unwrap_or_default()
        })
    };
    let first_day = move || bars.with(|b| b.first().map(|d| d.date.clone()).unwrap_or_default());
    let last_day = move || bars.with(|b| b.last().map(|d| d.date.clone()).unwrap_or_default());

    view! {
        <fieldset class="choice-days">
            <legend>"Days"</legend>
            <div class="choice-range">
                <label>"From "
                    <input type="date" data-testid="choice-from" min=first_day max=last_day prop:value=move || date(false)
                        on:change=move |ev| { let v = event_target_value(&ev); edit_choice(ds, |c| c.set_from(&v)) } />
                </label>
                <label>" to "
                    <input type="date" data-testid="choice-to" min=first_day max=last_day prop:value=move || date(true)
                        on:change=move |ev| { let v = event_target_value(&ev); edit_choice(ds, |c| c.set_to(&v)) } />
                </label>
                <button class="button" data-testid="choice-all-days" on:click=move |_| edit_choice(ds, |c| c.all_days())>"All days"</button>
                <span class="muted">"Click a day to read it alone; shift-click to extend."</span>
            </div>
            <div class="day-bars" data-testid="choice-days">
                <For
                    each=move || bars.get()
                    key=|b| (b.index, b.date.clone(), b.files, b.bytes)
                    children=move |b| {
                        let i = b.index;
                        let h = (b.height * BAR_H).round();
                        let title = format!("{}: {} files, {}", b.date, format_count(b.files), format_bytes(b.bytes));
                        view! {
                            <button class="day" class:chosen=move || chosen(i) data-testid="choice-day" data-day=b.date.clone()
                                aria-pressed=move || if chosen(i) { "true" } else { "false" } title=title
                                on:click=move |ev| { let extend = ev.shift_key(); edit_choice(ds, |c| c.click_day(i, extend)) }>
                                <svg class="day-bar" width="24" height=BAR_H viewBox=format!("0 0 24 {BAR_H}") aria-hidden="true">
                                    <rect class="day-bar-bg" x="0" y="0" width="24" height=BAR_H />
                                    <rect class="day-bar-fill" x="0" y=BAR_H - h width="24" height=h />
                                </svg>
                                <span class="day-label">{b.label.clone()}</span>" "
                                <span class="day-size">{format!("{} files", format_count(b.files))}</span>" "
                                <span class="day-size">{format_bytes(b.bytes)}</span>
                            </button>
                        }
                    }
                />
            </div>
        </fieldset>
    }
}
