//! One plain text, within the limits, on its way to the walk: whether the store keeps it (an
//! owned text that is valid UTF-8, checked once here) or its records are copied, and what the
//! text starts with (a BOM, nothing, JSON, or something else, which is said in the report).

use crate::report::{FileReport, Format};
use crate::scan;
use crate::store::Store;

use super::reader::{At, FileText, Input, Origin, Reader, Role};
use super::ReadOptions;

/// Reads one plain text (within the limits) into the store and adds its report.
///
/// An owned text that is valid UTF-8 is checked once here and kept by the store as the home of
/// its records; anything else is read as borrowed bytes (records copied). Rows address a text
/// with u32 offsets, so a text over 4 GiB (possible only with raised limits) is copied.
pub(super) fn read_text(store: &mut Store, rep: FileReport, input: Input<'_>, opt: ReadOptions) {
    let read = |store: &mut Store, rep: FileReport, text: FileText<'_>| {
        let file = store.files().len() as u32;
        let mut r = Reader::new(store, file, rep, text, opt);
        r.read_file();
        let rep = r.finish();
        store.push_file(rep);
    };
    match input {
        Input::Owned(v) if u32::try_from(v.len()).is_ok() => match String::from_utf8(v) {
            Ok(text) => {
                let slot = store.begin_owned();
                let first_row = store.len();
                read(store, rep, FileText::owned(&text, slot));
                store.end_owned(slot, text, first_row);
            }
            Err(e) => read(store, rep, FileText::borrowed(&e.into_bytes())),
        },
        Input::Owned(v) => read(store, rep, FileText::borrowed(&v)),
        Input::Borrowed(b) => read(store, rep, FileText::borrowed(b)),
    }
}

impl Reader<'_, '_> {
    fn read_file(&mut self) {
        let text = self.text.bytes;
        let mut start = 0;
        if text.starts_with(&[0xEF, 0xBB, 0xBF]) {
            start = 3;
        }
        start = scan::skip_ws(text, start);
        match text.get(start) {
            None => {
                self.rep.format = Format::Empty;
                self.rep.skipped = Some("empty file".into());
            }
            Some(b'{') | Some(b'[') | Some(b'"') => {
                let at = At { doc: text, origin: Origin::File, depth: 0, role: Role::Item };
                self.read_document(at, start);
            }
            Some(_) => {
                self.rep.format = Format::NotJson;
                let head = text.get(..512.min(text.len())).unwrap_or_default();
                let binary = head.iter().any(|&b| b == 0 || (b < 0x20 && !scan::is_ws(b)));
                let why = if binary {
                    "binary data, not JSON".to_string()
                } else {
                    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
                    let line =
                        String::from_utf8_lossy(line.get(..60.min(line.len())).unwrap_or_default())
                            .into_owned();
                    let kind = if line.contains(',') { "text (CSV?)" } else { "text" };
                    format!("{kind}, not JSON: starts with `{}`", line.trim())
                };
                self.rep.skipped = Some(why);
            }
        }
    }
}
