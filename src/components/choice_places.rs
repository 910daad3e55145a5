//! The accounts and regions of the "Choose what to read" panel: one checkbox each, with its log
//! files and bytes.

use leptos::prelude::*;
use trailglass_core::plan::Group;

use crate::components::load_choice::edit_choice;
use crate::model::load_choice::{size_line, LoadChoice};
use crate::state::Dataset;

/// Which list: its legend, test id, groups, and how a box reads and toggles.
#[derive(Clone, Copy)]
struct Kind {
    legend: &'static str,
    testid: &'static str,
    groups: fn(&LoadChoice) -> &[Group],
    on: fn(&LoadChoice, usize) -> bool,
    toggle: fn(&mut LoadChoice, usize),
}

const ACCOUNTS: Kind = Kind {
    legend: "Accounts",
    testid: "choice-account",
    groups: |c| &c.tree.accounts,
    on: LoadChoice::account,
    toggle: LoadChoice::toggle_account,
};

const REGIONS: Kind = Kind {
    legend: "Regions",
    testid: "choice-region",
    groups: |c| &c.tree.regions,
    on: LoadChoice::region,
    toggle: LoadChoice::toggle_region,
};

#[component]
pub fn ChoicePlaces(ds: Dataset) -> impl IntoView {
    view! {
        <div class="choice-places">
            <Checks ds=ds kind=ACCOUNTS />
            <Checks ds=ds kind=REGIONS />
        </div>
    }
}

#[component]
fn Checks(ds: Dataset, kind: Kind) -> impl IntoView {
    let groups = Memo::new(move |_| {
        ds.choice.with(|c| c.as_ref().map(|c| (kind.groups)(c).to_vec()).unwrap_or_default())
    });
    view! {
        <fieldset class="choice-list">
            <legend>{kind.legend}</legend>
            <For
                each=move || groups.get().into_iter().enumerate()
                key=|(i, g)| (*i, g.clone())
                children=move |(i, g)| {
                    let on = move || ds.choice.with(|c| c.as_ref().is_some_and(|c| (kind.on)(c, i)));
                    let name = if g.name.is_empty() { "(none)".to_string() } else { g.name.clone() };
                    view! {
                        <label class="choice-item">
                            <input type="checkbox" data-testid=kind.testid data-name=g.name.clone() prop:checked=on
                                on:change=move |_| edit_choice(ds, |c| (kind.toggle)(c, i)) />
                            <span class="choice-name">{name}</span>
                            <span class="muted">{size_line(g.size)}</span>
                        </label>
                    }
                }
            />
        </fieldset>
    }
}
