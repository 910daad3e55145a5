//! The reader's side of the flattened exports (`flat/`): a CSV text whose header is an export's
//! (hooked where `text.rs` found the text is not JSON), and a JSON document that is not a
//! CloudTrail record but a Sentinel row or an ECS document without its original (hooked in
//! `shape.rs` after the walk found no event in it, so an `event.original`, `message` or `_raw`
//! holding the event is always read first, and a record is never read twice). Each mapped row
//! becomes CloudTrail JSON text and is read through `read_document`, as Lake's rows are, so
//! classification, columns, dedupe and limits are the ordinary ones.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::report::{ErrorKind, Format};
use crate::scan::{value_end, ObjectIter};

use super::csv::{Row, Rows, MAX_COLUMNS};
use super::flat::{self, ecs, Mapped, Source, ORIGINAL_COLUMNS};
use super::lake::lists_event;
use super::reader::{At, Origin, Reader, Role};

/// A header as the file's line quotes it: its first columns, shortened.
fn header_text(names: &[String]) -> String {
    let mut s = names.iter().take(12).map(String::as_str).collect::<Vec<_>>().join(",");
    if names.len() > 12 {
        s.push_str(",…");
    }
    if s.chars().count() > 120 {
        s = s.chars().take(120).collect::<String>() + "…";
    }
    s
}

impl Reader<'_, '_> {
    /// Reads the text from `start` as a flattened CSV export when its header is one. `Err` with
    /// the header it saw otherwise (nothing was read or counted).
    pub(super) fn read_csv(&mut self, start: usize) -> Result<(), String> {
        let text = self.text.bytes;
        let mut rows = Rows::new(text, start, self.max_record);
        let names: Vec<String> = match rows.next_row() {
            None => return Err(String::new()),
            Some((_, Row::Fields(f))) => (0..f.len()).filter_map(|i| f.text(i)).collect(),
            Some((_, over)) => {
                let message = match over {
                    Row::TooManyFields => {
                        format!(
                            "the header has more than {MAX_COLUMNS} columns (the limit); not read"
                        )
                    }
                    _ => format!(
                        "the header is larger than the record limit of {} bytes; not read",
                        self.max_record
                    ),
                };
                self.rep.format = Format::NotJson;
                self.rep.error = Some(ErrorKind::Csv { message }.into());
                return Ok(());
            }
        };
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let Some((source, cols)) = flat::recognise(&refs) else {
            return Err(header_text(&names));
        };
        self.rep.format = source.csv_format();
        let rules = source.rules();
        let original = names
            .iter()
            .position(|n| ORIGINAL_COLUMNS.iter().any(|o| o.eq_ignore_ascii_case(n.trim())));
        {
            let m = self.tally.mapped.entry(source).or_default();
            m.csv = true;
            for (i, name) in names.iter().enumerate() {
                let read = cols.contains(&Some(i)) || original == Some(i);
                if read {
                    m.understood.insert(name.clone());
                } else {
                    m.not_understood(name.clone());
                }
            }
        }
        let at = At { doc: text, origin: Origin::File, depth: 0, role: Role::Item };
        while let Some((off, row)) = rows.next_row() {
            let f = match row {
                Row::Fields(f) if f.is_blank() => continue,
                Row::Fields(f) => f,
                Row::TooLarge => {
                    let why = format!("row larger than the limit of {} bytes", self.max_record);
                    self.reject(why, Origin::File, off);
                    continue;
                }
                Row::TooManyFields => {
                    self.reject(
                        format!("row has more than {MAX_COLUMNS} fields"),
                        Origin::File,
                        off,
                    );
                    continue;
                }
            };
            if f.len() != names.len() {
                let why = format!(
                    "row has a different number of fields than the header ({})",
                    names.len()
                );
                self.reject(why, Origin::File, off);
                continue;
            }
            // The original event, when the export kept it: read as it is.
            if let Some(cell) = original.and_then(|i| f.text(i)) {
                let t = cell.trim_start();
                if t.starts_with('{') {
                    let inside = At {
                        doc: t.as_bytes(),
                        origin: Origin::Embedded(off),
                        depth: 1,
                        role: Role::Within,
                    };
                    let n = self.read_document(inside, 0);
                    if n > 0 {
                        self.tally.mapped.entry(source).or_default().originals += n;
                        continue;
                    }
                }
            }
            let mapped = flat::map(rules, |i| {
                cols.get(i).copied().flatten().and_then(|c| f.text(c)).map(Value::String)
            });
            self.read_mapped(at, source, mapped, off);
        }
        Ok(())
    }

    /// A JSON object at `at.doc[s..e]` that held no event: read as the event it lists when it
    /// is a Sentinel row or an ECS document (`flat/ecs.rs`). Returns the events found.
    pub(super) fn read_flat_object(&mut self, at: At<'_>, s: usize, e: usize) -> u64 {
        // Cheap refusal first, without building anything: every document mapped has a
        // top-level key `event`, `event.…`, `EventName` or `EventSource`.
        if !self.has_flat_key(at.doc, s) {
            return 0;
        }
        let Ok(v) = serde_json::from_slice::<Value>(at.bytes(s, e)) else { return 0 };
        let Some(source) = ecs::source_of(&v) else { return 0 };
        let mapped = ecs::map_document(source, &v);
        if lists_event(&mapped.record) {
            let mut unknown = BTreeSet::new();
            let more = ecs::unknown_fields(source, &v, &mut unknown);
            let m = self.tally.mapped.entry(source).or_default();
            m.unknown_more |= more;
            for name in unknown {
                m.not_understood(name);
            }
        }
        self.read_mapped(at, source, mapped, s)
    }

    /// Whether the object at `doc[s..]` has a top-level key a mapped document needs.
    fn has_flat_key(&mut self, doc: &[u8], s: usize) -> bool {
        let mut it = ObjectIter::new(s);
        while let Ok(Some((ks, ke, vs))) = it.next(doc) {
            let key = doc.get(ks + 1..ke.saturating_sub(1)).unwrap_or_default();
            if key == b"event"
                || key.starts_with(b"event.")
                || key == b"EventName"
                || key == b"EventSource"
            {
                return true;
            }
            let Ok((ve, _)) = value_end(doc, vs, &mut self.stack) else { return false };
            it.value_done(ve);
        }
        false
    }

    /// One mapped row or document (at offset `off` of `at.doc`): read as the event it lists, or
    /// counted as one that lists none.
    fn read_mapped(&mut self, at: At<'_>, source: Source, mapped: Mapped, off: usize) -> u64 {
        let rules = source.rules();
        let text = self.text.bytes;
        let m = self.tally.mapped.entry(source).or_default();
        // A CSV's understood columns are its header's, named once; a document's, as they come.
        if !m.csv {
            let used = mapped.used.iter().filter_map(|&i| rules.get(i));
            m.understood.extend(used.map(|r| r.from.to_string()));
        }
        if !lists_event(&mapped.record) {
            m.no_event.add(|| Reader::position_in(text, at.origin, off));
            return 0;
        }
        let record = Value::Object(mapped.record).to_string();
        let origin = match at.origin {
            Origin::File => Origin::Embedded(off),
            o => o,
        };
        let inside = At { doc: record.as_bytes(), origin, depth: at.depth + 1, role: Role::Within };
        let n = self.read_document(inside, 0);
        self.tally.mapped.entry(source).or_default().events += n;
        n
    }
}
