//! The column chooser: tick the indexed fields and suggested nested fields to show, or type any
//! JSON path (`requestParameters.bucketName`). A `<details>` popover: no script needed to open it.

use leptos::prelude::*;
use trailglass_core::Column;

use crate::model::columns::{default_columns, ColumnKind, SUGGESTED_PATHS};
use crate::state::ViewState;

/// Every column offered: time, the indexed fields, then the suggested paths.
fn offered() -> Vec<ColumnKind> {
    let mut all = vec![ColumnKind::Time];
    all.extend(Column::ALL.iter().map(|c| ColumnKind::Field(*c)));
    all.extend([ColumnKind::Origin, ColumnKind::Session]);
    all.extend(SUGGESTED_PATHS.iter().filter_map(|p| ColumnKind::from_id(p)));
    all
}

#[component]
pub fn ColumnChooser() -> impl IntoView {
    let view = expect_context::<ViewState>();
    let toggle = move |kind: ColumnKind| {
        view.columns.update(|cols| {
            if let Some(i) = cols.iter().position(|c| c.kind == kind) {
                if cols.len() > 1 {
                    cols.remove(i);
                }
            } else {
                cols.push(kind.def());
            }
        })
    };
    let custom = RwSignal::new(String::new());
    let add_custom = move || {
        let path = custom.get_untracked();
        if let Some(kind) = ColumnKind::from_id(&path) {
            if !view.columns.with_untracked(|c| c.iter().any(|d| d.kind == kind)) {
                view.columns.update(|c| c.push(kind.def()));
            }
            custom.set(String::new());
        }
    };
    let items = offered()
        .into_iter()
        .map(|kind| {
            let label = kind.clone().def().label;
            let id = kind.id();
            let k1 = kind.clone();
            let checked = move || view.columns.with(|c| c.iter().any(|d| d.kind == k1));
            view! {
                <label class="chooser-item" title=id.clone()>
                    <input type="checkbox" data-testid="column-option" data-column=id.clone() prop:checked=checked
                        on:change=move |_| toggle(kind.clone()) />
                    {label}
                    <span class="muted">{format!(" {id}")}</span>
                </label>
            }
        })
        .collect_view();

    view! {
        <details class="popover" data-testid="column-chooser">
            <summary class="button">"Columns"</summary>
            <div class="popover-body">
                <div class="chooser-list">{items}</div>
                <div class="chooser-custom">
                    <input type="text" placeholder="any.json.path" aria-label="Add a column by its JSON path" data-testid="column-path-input"
                        prop:value=move || custom.get() on:input=move |ev| custom.set(event_target_value(&ev))
                        on:keydown=move |ev| if ev.key() == "Enter" { add_custom() } />
                    <button class="button" data-testid="column-path-add" on:click=move |_| add_custom()>"Add"</button>
                    <button class="button" on:click=move |_| view.columns.set(default_columns())>"Reset"</button>
                </div>
            </div>
        </details>
    }
}
