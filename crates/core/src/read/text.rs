//! One plain text, within the limits, on its way to the walk: checked once for UTF-8, and what
//! it starts with (a BOM, nothing, JSON, or something else, which is said in the report).

use crate::report::{FileReport, Format};
use crate::scan;
use crate::store::Store;

use super::reader::{At, FileText, Input, Origin, Reader, Role};
use super::ReadOptions;

/// Reads one plain text (within the limits) into the store and adds its report. A text that is
/// valid UTF-8 as a whole (checked once here) has its records stored without checking each
/// again; the store copies every record into its own blocks either way.
pub(super) fn read_text(store: &mut Store, rep: FileReport, input: Input<'_>, opt: ReadOptions) {
    let file = store.files().len() as u32;
    let mut r = Reader::new(store, file, rep, FileText::bytes(input.bytes()), opt);
    r.read_file();
    let rep = r.finish();
    store.push_file(rep);
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
            Some(_) if super::converted::is_parquet(text) => {
                // Parquet is read before the engine (`read/converted.rs`), only for a file
                // dropped as it is.
                self.rep.format = Format::Parquet;
                self.rep.skipped = Some(
                    "a Parquet file inside an archive is not read: extract it and open the \
                     .parquet file itself"
                        .into(),
                );
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
