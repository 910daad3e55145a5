//! The browser's time zone, the one thing about time the views must ask the browser for. Every
//! caller goes through here; formatting itself is pure ([`crate::model::format`]).

/// The browser's offset from UTC at a given instant (DST-aware), in minutes east of UTC.
pub fn local_offset_at(ms: i64) -> i32 {
    -(js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64)).get_timezone_offset() as i32)
}

/// The browser's offset from UTC now, in minutes east of UTC.
pub fn local_offset_now() -> i32 {
    local_offset_at(js_sys::Date::now() as i64)
}
