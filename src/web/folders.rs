//! Dropped folders: the browser hands a drop's folders over only as `FileSystemEntry` objects,
//! which must be taken during the drop event and walked asynchronously (directory readers return
//! their entries in batches). The walk is a few lines of JavaScript with promises, shipped as a
//! wasm-bindgen module snippet (a separate file from our own origin, so the CSP allows it).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function drop_entries(dataTransfer) {
  const out = [];
  for (const item of dataTransfer?.items ?? []) {
    const entry = item.kind === 'file' && item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
    if (entry) out.push(entry);
  }
  return out;
}

export async function walk_entries(entries) {
  const out = [];
  const asFile = (entry) => new Promise((ok, err) => entry.file(ok, err));
  const batch = (reader) => new Promise((ok, err) => reader.readEntries(ok, err));
  async function walk(entry, prefix) {
    if (entry.isFile) {
      try { out.push([prefix + entry.name, await asFile(entry)]); }
      catch (e) { out.push([prefix + entry.name, null]); }
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (let got = await batch(reader); got.length > 0; got = await batch(reader)) {
        for (const child of got) await walk(child, prefix + entry.name + '/');
      }
    }
  }
  for (const entry of entries) await walk(entry, '');
  return out;
}
"#)]
extern "C" {
    /// The drop's entries (files and folders); must be called during the drop event.
    fn drop_entries(data_transfer: &JsValue) -> js_sys::Array;
    /// Every file under the entries, as `[path, File | null]` pairs (null: unreadable).
    #[wasm_bindgen(catch)]
    async fn walk_entries(entries: js_sys::Array) -> Result<JsValue, JsValue>;
}

/// A file to read, with the path to show for it.
pub struct PathFile {
    pub path: String,
    /// None when the browser would not give the file.
    pub file: Option<web_sys::File>,
    /// The file's size, asked once (`File.size` of a file on disk costs ~0.1 ms a call: ~1 s of
    /// the page thread for a few thousand files asked a few times).
    pub size: u64,
}

impl PathFile {
    pub fn new(path: String, file: Option<web_sys::File>) -> PathFile {
        let size = file.as_ref().map_or(0, |f| f.size().max(0.0) as u64);
        PathFile { path, file, size }
    }
}

/// Takes a drop's entries now (during the event); returns None when the browser gave none (then
/// the drop's plain file list is all there is).
pub fn take_drop_entries(event: &web_sys::DragEvent) -> Option<js_sys::Array> {
    let dt = event.data_transfer()?;
    let entries = drop_entries(&dt.into());
    (entries.length() > 0).then_some(entries)
}

/// Every file under the entries, folders walked recursively.
pub async fn files_under(entries: js_sys::Array) -> Result<Vec<PathFile>, String> {
    let pairs = walk_entries(entries).await.map_err(|e| format!("{e:?}"))?;
    let pairs: js_sys::Array = pairs.dyn_into().map_err(|_| "unexpected result".to_string())?;
    Ok(pairs
        .iter()
        .filter_map(|p| p.dyn_into::<js_sys::Array>().ok())
        .map(|p| {
            PathFile::new(
                p.get(0).as_string().unwrap_or_default(),
                p.get(1).dyn_into::<web_sys::File>().ok(),
            )
        })
        .collect())
}
