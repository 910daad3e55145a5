//! The table's header row: click a column to sort by it (again to reverse), drag its right edge
//! to resize it. Nested-path columns do not sort.

use leptos::prelude::*;

use crate::state::{Sort, ViewState};

/// The narrowest a column may be dragged.
const MIN_WIDTH: f64 = 48.0;

#[component]
pub fn TableHeader(template: Memo<String>, width: Memo<String>) -> impl IntoView {
    let view = expect_context::<ViewState>();
    // (column index, pointer x at the start, width at the start) while dragging an edge.
    let drag = StoredValue::new(None::<(usize, f64, f64)>);
    let move_handle = window_event_listener(leptos::ev::pointermove, move |ev| {
        if let Some((i, x0, w0)) = drag.get_value() {
            let w = (w0 + f64::from(ev.client_x()) - x0).max(MIN_WIDTH);
            view.columns.update(|cols| {
                if let Some(c) = cols.get_mut(i) {
                    c.width = w as u32;
                }
            });
        }
    });
    let up_handle = window_event_listener(leptos::ev::pointerup, move |_| drag.set_value(None));
    on_cleanup(move || {
        move_handle.remove();
        up_handle.remove();
    });

    let headers = move || {
        let sort = view.sort.get();
        view.columns.with(|cols| {
            cols.iter()
                .enumerate()
                .map(|(i, c)| {
                    let key = c.kind.sort_key();
                    let arrow = match key {
                        Some(k) if k == sort.key => if sort.descending { " ▼" } else { " ▲" },
                        _ => "",
                    };
                    let on_sort = move |_| {
                        if let Some(k) = key {
                            view.sort.update(|s| {
                                *s = if s.key == k { Sort { key: k, descending: !s.descending } } else { Sort { key: k, descending: false } }
                            });
                        }
                    };
                    let width = f64::from(c.width);
                    view! {
                        <div class="cell th" class:sortable=key.is_some() role="columnheader" data-testid="column-header"
                            data-column=c.kind.id() title=c.kind.id()
                            aria-sort=match arrow { " ▲" => "ascending", " ▼" => "descending", _ => "none" }
                            on:click=on_sort>
                            <span class="th-label">{c.label.clone()}{arrow}</span>
                            <span class="resize" data-testid="column-resize" on:click=|ev| ev.stop_propagation()
                                on:pointerdown=move |ev| {
                                    ev.prevent_default();
                                    drag.set_value(Some((i, f64::from(ev.client_x()), width)));
                                }></span>
                        </div>
                    }
                })
                .collect_view()
        })
    };
    view! { <div class="thead" data-testid="table-header" role="row" aria-rowindex="1" style:grid-template-columns=move || template.get() style:width=move || width.get()>{headers}</div> }
}
