//! The help overlay (`?`): keyboard shortcuts and the search syntax, from the engine's own help
//! text so the two never disagree.

use leptos::prelude::*;
use trailglass_core::query::HELP;

const SHORTCUTS: [(&str, &str); 10] = [
    ("/", "focus the search box"),
    ("j / ↓", "next event"),
    ("k / ↑", "previous event"),
    ("Enter", "open the selected event"),
    ("Esc", "close the detail, leave the search box, close this help"),
    ("s", "switch between events and services"),
    ("g d", "go to the detections (Tab to a rule, Enter shows its events)"),
    ("g e / g s", "go to the events / the services"),
    ("t", "toggle UTC / local time"),
    ("?", "this help"),
];

#[component]
pub fn HelpOverlay(open: RwSignal<bool>) -> impl IntoView {
    view! {
        <Show when=move || open.get()>
            <div class="overlay" data-testid="help" role="dialog" aria-label="Help" on:click=move |_| open.set(false)>
                <div class="overlay-body" on:click=|ev| ev.stop_propagation()>
                    <button class="button close" on:click=move |_| open.set(false)>"Close"</button>
                    <h2>"Keyboard"</h2>
                    <table class="shortcuts">
                        {SHORTCUTS.iter().map(|(k, what)| view! { <tr><td><kbd>{*k}</kbd></td><td>{*what}</td></tr> }).collect_view()}
                    </table>
                    <h2>"Search"</h2>
                    <pre class="help-text">{HELP}</pre>
                </div>
            </div>
        </Show>
    }
}
