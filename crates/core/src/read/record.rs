//! One record, once the walk found it: the serde fallbacks of the typed parse (and what their
//! errors say), and storing an event with its normalized text.
//!
//! Classification and field extraction are [`crate::record`]'s (shared by the fast path and
//! serde); this module is the reader's side of it: it decides how a record's text is kept
//! (compacted when it looks spaced, borrowed from the owned file text when taken as it is,
//! copied otherwise) and counts what it saw into the [`super::tally::Tally`].

use std::borrow::Cow;

use crate::record::{Ev, Fields};
use crate::scan::{self, compact_into};
use crate::store::{Column, Pushed};

use super::reader::{At, Layout, Reader};

/// The first event a serde deserializer reads (from a `&str` or bytes alike) and the byte
/// offset where it ends; `None` when it does not parse as one.
pub(super) fn first_event<'de, R: serde_json::de::Read<'de>>(
    de: serde_json::Deserializer<R>,
) -> Option<(Ev<'de>, usize)> {
    let mut sd = de.into_iter::<Ev>();
    sd.next().and_then(|r| r.ok()).map(|ev| (ev, sd.byte_offset()))
}

/// Strips serde_json's " at line L column C" suffix.
pub(super) fn serde_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s.get(..i).unwrap_or(&s).to_string(),
        None => s,
    }
}

/// Byte offset inside `slice` of serde_json's (1-based) line/column.
pub(super) fn serde_offset(slice: &[u8], e: &serde_json::Error) -> usize {
    let mut off = 0;
    for _ in 1..e.line() {
        match memchr::memchr(b'\n', slice.get(off..).unwrap_or_default()) {
            Some(i) => off += i + 1,
            None => break,
        }
    }
    (off + e.column().saturating_sub(1)).min(slice.len())
}

impl Reader<'_, '_> {
    /// Stores the event `at.doc[s..e]` with its `fields` (or rejects it when it is larger than
    /// the record limit, or counts it as filtered when the user chose to leave out read-only
    /// events and it is one). `layout`: see [`Layout`].
    pub(super) fn add_event(
        &mut self,
        at: At<'_>,
        (s, e): (usize, usize),
        layout: Layout,
        fields: Fields<'_>,
    ) {
        let slice = at.bytes(s, e);
        if slice.len() > self.max_record {
            let limit = self.max_record;
            self.reject(format!("record larger than the limit of {limit} bytes"), at.origin, s);
            return;
        }
        // Left out by choice: read and counted, never stored (its time and text are not needed).
        if self.drop_read_only && fields.get(Column::ReadOnly) == "true" {
            self.rep.events += 1;
            self.rep.filtered += 1;
            return;
        }
        // The same record as an already validated `str`, when it is in the file's own text.
        let slice_str = self.doc_str(at.doc).and_then(|d| d.get(s..e));
        self.tally.time(fields.time_from, fields.bad_event_time);
        // Same rule on every path (fast path, stream or scanner), so copies read through
        // different shapes normalize identically. A record known to hold no whitespace between
        // tokens skips the check: compacting it would give back the same bytes anyway.
        let spaced = layout == Layout::Unchecked && scan::looks_spaced(slice);
        let compact: &[u8] = if spaced {
            compact_into(slice, &mut self.buf);
            &self.buf
        } else {
            slice
        };
        let text: Cow<str> = match slice_str {
            // Compaction only drops ASCII whitespace, so validated text stays valid; the
            // common (compact) case borrows the validated record as is.
            Some(t) if !spaced => Cow::Borrowed(t),
            _ => match std::str::from_utf8(compact) {
                Ok(t) => Cow::Borrowed(t),
                Err(_) => {
                    self.tally.bad_utf8 += 1;
                    Cow::Owned(String::from_utf8_lossy(compact).into_owned())
                }
            },
        };
        self.rep.events += 1;
        match self.store.push_event(
            self.file,
            &text,
            (fields.time_ms, fields.facts),
            &fields.values,
        ) {
            Pushed::Kept => self.rep.kept += 1,
            Pushed::Duplicate => self.rep.duplicates += 1,
        }
    }
}
