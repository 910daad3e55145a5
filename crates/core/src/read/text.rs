//! One plain text, within the limits, on its way to the walk: checked once for UTF-8, and what
//! it starts with (a BOM, nothing, JSON, a flattened CSV export known by its header, or
//! something else, which is said in the report).

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
            // A CSV whose header is quoted (Athena quotes every field): a string followed by a
            // comma is no JSON text.
            Some(b'"') if self.quoted_csv(start) => self.read_not_json(start),
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
            Some(_) => self.read_not_json(start),
        }
    }

    /// Whether the text at `start` (a `"`) is a quoted CSV header: the string ends before a
    /// comma.
    fn quoted_csv(&mut self, start: usize) -> bool {
        let text = self.text.bytes;
        let end = scan::value_end(text, start, &mut self.stack);
        matches!(end, Ok((e, _)) if text.get(e) == Some(&b','))
    }

    /// A text that is not JSON: a flattened CSV export, or said to be neither.
    fn read_not_json(&mut self, start: usize) {
        let text = self.text.bytes;
        self.rep.format = Format::NotJson;
        let head = text.get(..512.min(text.len())).unwrap_or_default();
        let binary = head.iter().any(|&b| b == 0 || (b < 0x20 && !scan::is_ws(b)));
        let why = if binary {
            "binary data, not JSON".to_string()
        } else {
            // A flattened export (Athena, Lake, Event history, Sentinel, Kibana), known
            // by its header line (`mapped.rs`); otherwise said to be not JSON.
            let header = match self.read_csv(start) {
                Ok(()) => return,
                Err(header) => header,
            };
            let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
            let line = String::from_utf8_lossy(line.get(..60.min(line.len())).unwrap_or_default())
                .into_owned();
            if line.contains(',') && !header.is_empty() {
                format!(
                    "CSV, not JSON, and its header is not an export Trailglass reads \
                     (Athena, CloudTrail Lake, Event history, Sentinel, Kibana ECS): \
                     `{header}`"
                )
            } else {
                format!("text, not JSON: starts with `{}`", line.trim())
            }
        };
        self.rep.skipped = Some(why);
    }
}
