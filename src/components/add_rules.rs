//! *Add rules…*: opens the rule-file picker that lives in the drop zone (a button rather than a
//! `<label>`, so Enter and Space work as for any button). What is picked is routed like a drop.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::drop_zone::RULES_INPUT_ID;

#[component]
pub fn AddRulesButton() -> impl IntoView {
    let open = move |_| {
        let input = document().get_element_by_id(RULES_INPUT_ID);
        if let Some(el) = input.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            el.click();
        }
    };
    view! {
        <button class="button" data-testid="add-rules" title="Add Sigma rule files (.yml, .yaml; up to 1 MiB each)"
            on:click=open>"Add rules…"</button>
    }
}
