//! Writing text to the clipboard. The API is looked up through `Reflect` rather than typed
//! bindings because it is absent outside secure contexts (and may be denied), where a typed call
//! would throw; callers get `None` and offer the text to copy by hand instead.

use wasm_bindgen::{JsCast, JsValue};

/// Starts `navigator.clipboard.writeText(text)`; `None` when there is no clipboard to write to.
pub fn write_clipboard(text: &str) -> Option<js_sys::Promise> {
    let get = |o: &JsValue, k: &str| {
        js_sys::Reflect::get(o, &JsValue::from_str(k))
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    };
    let clip = get(&get(&js_sys::global(), "navigator")?, "clipboard")?;
    let write: js_sys::Function = get(&clip, "writeText")?.dyn_into().ok()?;
    write.call1(&clip, &JsValue::from_str(text)).ok()?.dyn_into().ok()
}
