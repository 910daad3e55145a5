//! Entry point: sets the panic hook and mounts the app. Nothing else lives here.
use trailglass::app::App;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
