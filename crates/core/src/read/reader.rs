//! The state of reading one text, and the small `Copy` values that say where the reader is.
//!
//! [`Reader`] holds what lives as long as the file: the store it writes to, the report it fills,
//! the file's text, scratch buffers and the [`Tally`]. What changes from value to value travels
//! as one [`At`] (the document, how its offsets map to the file, the depth, the [`Role`] of a
//! value there) instead of a row of arguments, so each walking method takes `at` and a span.
//! [`Input`] (the bytes of one input, borrowed or owned) lives here too: containers and texts
//! both take it, and this module depends on neither.

use crate::report::{ErrorKind, FileReport, Format, Position};
use crate::scan::ScanError;
use crate::store::Store;

use super::tally::Tally;
use super::ReadOptions;

/// Levels of objects/arrays/JSON strings searched for events inside wrappers.
pub(super) const MAX_WALK_DEPTH: u32 = 32;

/// Where a document's offsets point: the file itself, or (for JSON found inside a JSON string)
/// the position of that string in the file.
#[derive(Clone, Copy, Debug)]
pub(super) enum Origin {
    File,
    Embedded(usize),
}

impl Origin {
    /// The file offset to report for offset `off` of a document of this origin.
    fn file_offset(self, off: usize) -> usize {
        match self {
            Origin::File => off,
            Origin::Embedded(o) => o,
        }
    }
}

/// What a value is to the file, which decides what happens when it holds no event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    /// Inside a wrapper (or JSON found in a string): searched for events, never rejected.
    Within,
    /// A record slot of a JSON array or an NDJSON line (or the file itself): what is not
    /// readable is rejected; an object that holds no event is skipped with a note.
    Item,
    /// An entry of a `Records` array: anything that is not an event is rejected.
    Record,
}

impl Role {
    /// Whether the value is a record slot, where what cannot be read is counted as rejected.
    pub(super) fn is_slot(self) -> bool {
        self != Role::Within
    }
}

/// Where the reader is: the document `doc` (the file's text, or JSON unescaped from a string),
/// how its offsets map to the file, the nesting depth, and the role of the value being read.
#[derive(Clone, Copy, Debug)]
pub(super) struct At<'d> {
    pub(super) doc: &'d [u8],
    pub(super) origin: Origin,
    pub(super) depth: u32,
    pub(super) role: Role,
}

impl<'d> At<'d> {
    pub(super) fn deeper(self) -> Self {
        At { depth: self.depth + 1, ..self }
    }

    pub(super) fn as_role(self, role: Role) -> Self {
        At { role, ..self }
    }

    pub(super) fn bytes(self, s: usize, e: usize) -> &'d [u8] {
        self.doc.get(s..e).unwrap_or_default()
    }
}

/// Whether a record's bytes are known to hold no whitespace between tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Layout {
    /// Known compact (the fast path tracks it): stored as it is, without looking for spacing.
    Compact,
    /// Not known: looked at, and compacted if it looks spaced.
    Unchecked,
}

/// The bytes of one input: borrowed from the caller, or owned (see [`Store::ingest_owned`]).
pub(super) enum Input<'a> {
    Borrowed(&'a [u8]),
    Owned(Vec<u8>),
}

impl Input<'_> {
    pub(super) fn bytes(&self) -> &[u8] {
        match self {
            Input::Borrowed(b) => b,
            Input::Owned(v) => v,
        }
    }
}

/// The text of the file being read.
#[derive(Clone, Copy, Debug)]
pub(super) struct FileText<'t> {
    pub(super) bytes: &'t [u8],
    /// `bytes` as a `str` when the whole file is valid UTF-8 (checked once): records are then
    /// parsed with `serde_json::from_str` (no second validation of each string) and stored
    /// without validating each record again.
    pub(super) str: Option<&'t str>,
}

impl<'t> FileText<'t> {
    /// Bytes, checked once for UTF-8 here.
    pub(super) fn bytes(bytes: &'t [u8]) -> Self {
        FileText { bytes, str: std::str::from_utf8(bytes).ok() }
    }
}

/// Reading one file: see the module docs.
pub(super) struct Reader<'s, 't> {
    pub(super) store: &'s mut Store,
    /// Index of the file's report in the store.
    pub(super) file: u32,
    pub(super) rep: FileReport,
    pub(super) text: FileText<'t>,
    /// The scanner's bracket stack.
    pub(super) stack: Vec<u8>,
    /// Compaction buffer.
    pub(super) buf: Vec<u8>,
    pub(super) tally: Tally,
    pub(super) max_record: usize,
    /// The store's [`Store::fast_path`], read once.
    pub(super) fast_path: bool,
    /// Events with `readOnly` true are counted as filtered and not stored ([`ReadOptions`]).
    pub(super) drop_read_only: bool,
}

impl<'s, 't> Reader<'s, 't> {
    pub(super) fn new(
        store: &'s mut Store,
        file: u32,
        rep: FileReport,
        text: FileText<'t>,
        options: ReadOptions,
    ) -> Self {
        let max_record = store.limits().max_record_bytes;
        let fast_path = store.fast_path();
        Reader {
            store,
            file,
            rep,
            text,
            stack: Vec::new(),
            buf: Vec::new(),
            tally: Tally::default(),
            max_record,
            fast_path,
            drop_read_only: options.drop_read_only,
        }
    }

    /// `doc` as a validated `str` when it is the file's own (valid UTF-8) text.
    #[inline]
    pub(super) fn doc_str(&self, doc: &[u8]) -> Option<&'t str> {
        if std::ptr::eq(doc, self.text.bytes) {
            self.text.str
        } else {
            None
        }
    }

    pub(super) fn pos(&self, origin: Origin, off: usize) -> Position {
        Reader::position_in(self.text.bytes, origin, off)
    }

    /// [`Reader::pos`] without borrowing the reader (for the lazy positions of the tally).
    pub(super) fn position_in(text: &[u8], origin: Origin, off: usize) -> Position {
        Position::of(text, origin.file_offset(off))
    }

    /// The file's format, from the first shape seen at the top level.
    pub(super) fn set_format(&mut self, depth: u32, f: Format) {
        if depth == 0 && self.rep.format == Format::Unknown {
            self.rep.format = f;
        }
    }

    /// A record slot that could not be read: counted as read and rejected. The position is
    /// computed only for the first record of each reason (it costs a pass over the text).
    pub(super) fn reject(&mut self, reason: String, origin: Origin, off: usize) {
        self.rep.events += 1;
        self.rep.rejected += 1;
        let text = self.text.bytes;
        self.tally.reject(reason, || Reader::position_in(text, origin, off));
    }

    /// The report, with what the tally counted written into it.
    pub(super) fn finish(self) -> FileReport {
        let mut rep = self.rep;
        self.tally.finish(&mut rep, MAX_WALK_DEPTH);
        rep
    }

    /// A structural error: the file's error, or a note when it already has one.
    pub(super) fn error(&mut self, origin: Origin, e: ScanError) {
        let position = self.pos(origin, e.byte);
        let in_string = matches!(origin, Origin::Embedded(_));
        let kind = ErrorKind::Json { message: e.message, in_string, position };
        if self.rep.error.is_none() {
            self.rep.error = Some(kind.into());
        } else {
            self.rep.notes.push(format!("also: {kind} at {position}"));
        }
    }
}
