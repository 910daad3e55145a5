//! Saving a file the app made (an export) to the user's disk: a Blob, an object URL, and a click
//! on an `<a download>`. Nothing leaves the machine.

use wasm_bindgen::JsCast;

/// Offers `bytes` as a download named `name`. Returns an error text when the browser refuses.
pub fn download(name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    download_array(name, mime, &js_sys::Uint8Array::from(bytes))
}

/// Offers a JavaScript byte array (an export the worker sent) as a download, without copying it
/// into wasm memory.
pub fn download_array(name: &str, mime: &str, bytes: &js_sys::Uint8Array) -> Result<(), String> {
    let err = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let parts = js_sys::Array::new();
    parts.push(bytes);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).map_err(err)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(err)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a = document
        .create_element("a")
        .map_err(err)?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| "not an anchor")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The click has started the download; the URL can go once the event loop turns.
    gloo::timers::callback::Timeout::new(1_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
