//! From input bytes to events: container detection (gzip, zip), document shapes (Records,
//! JSON array, NDJSON / concatenated JSON, single event, wrappers), per-record parsing, and the
//! per-file report.
//!
//! Shape handling, in order:
//! * gzip (by magic bytes) and zip (by magic bytes, members of any kind, nested up to
//!   [`MAX_ARCHIVE_DEPTH`]) are expanded through `take(limit + 1)` so a bomb stops at the limit;
//! * a top-level object is walked key by key: a `Records` array is read element by element (a
//!   truncated file keeps what came before; missing commas between elements are recovered);
//!   any other object is classified as an event, a digest, or a wrapper to search;
//! * a top-level array is read element by element;
//! * when a first value is followed by more, the file is NDJSON: one value per line when the first
//!   value sat on one line (a bad line is rejected alone), otherwise concatenated values
//!   (resynchronizing at the next line that starts with `{` after an error);
//! * wrappers (anything that is not an event) are searched recursively, to [`MAX_WALK_DEPTH`]
//!   levels, including strings that hold JSON (lookup-events, CloudWatch Logs, cribl `_raw`).
//!
//! A file that is valid UTF-8 as a whole (the usual case) is validated once, up front: its
//! records are then parsed with `serde_json::from_str` (which skips serde's per-string UTF-8
//! check) and stored as slices of that `str` (no per-record validation). Other files take the
//! byte path (`from_slice`, per-record validation, lossy replacement), as documents found inside
//! JSON strings do.
//!
//! In such a file each record (Records or array element, NDJSON line, single event) first goes
//! through [`crate::record::fast`], a hand-written single pass that validates the record and
//! fills the same typed struct serde would; it declines anything unusual (escapes in keys,
//! odd types, duplicate keys, errors…), which then takes the serde path
//! described above, so results never depend on which path read a record.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use crate::record::{self, Fields, Kind, TimeFrom};
use crate::report::{parse_aws_key, FileReport, Position, ReadError, Rejection};
use crate::scan::{self, compact_into, skip_ws, value_end, ArrayIter, ObjectIter, ScanError};
use crate::store::{Pushed, RawText, Store};

/// gzip-in-zip-in-gzip… deeper than this is refused.
pub const MAX_ARCHIVE_DEPTH: u32 = 4;
/// Levels of objects/arrays/JSON strings searched for events inside wrappers.
pub const MAX_WALK_DEPTH: u32 = 32;
/// Distinct rejection reasons kept per file (the rest are counted under "other").
const MAX_REASONS: usize = 20;

/// The bytes of one input: borrowed from the caller, or owned and given to the store to keep
/// (see [`Store::ingest_owned`]).
pub(crate) enum Input<'a> {
    Borrowed(&'a [u8]),
    Owned(Vec<u8>),
}

impl Input<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            Input::Borrowed(b) => b,
            Input::Owned(v) => v,
        }
    }
}

pub(crate) fn ingest(store: &mut Store, path: &str, input: Input<'_>) {
    ingest_member(store, path, None, input, false, 0);
}

fn is_gzip(b: &[u8]) -> bool {
    b.starts_with(&[0x1f, 0x8b])
}

fn is_zip(b: &[u8]) -> bool {
    b.starts_with(b"PK\x03\x04") || b.starts_with(b"PK\x05\x06") || b.starts_with(b"PK\x07\x08")
}

fn new_report(path: &str, member: Option<String>, bytes: u64, compressed: bool) -> FileReport {
    let aws_key = parse_aws_key(member.as_deref().unwrap_or(path)).or_else(|| parse_aws_key(path));
    FileReport {
        path: path.to_string(),
        member,
        bytes,
        compressed,
        aws_key,
        ..FileReport::default()
    }
}

/// Bytes still allowed for one more file, and which limit binds.
fn budget(store: &Store) -> (u64, &'static str) {
    let total_left = store.limits.max_total_bytes.saturating_sub(store.total_bytes);
    if total_left < store.limits.max_file_bytes {
        (total_left, "total")
    } else {
        (store.limits.max_file_bytes, "per-file")
    }
}

fn limit_error(which: &str, limit: u64, what: &str) -> ReadError {
    ReadError::new(format!(
        "{what} is larger than the {which} limit of {limit} bytes (decompressed); not read{}",
        if what.contains("compressed") { " (possible decompression bomb)" } else { "" }
    ))
}

fn ingest_member(
    store: &mut Store,
    path: &str,
    member: Option<String>,
    input: Input<'_>,
    compressed: bool,
    depth: u32,
) {
    let bytes = input.bytes();
    if (is_gzip(bytes) || is_zip(bytes)) && depth >= MAX_ARCHIVE_DEPTH {
        let mut rep = new_report(path, member, bytes.len() as u64, compressed);
        rep.format = "archive".into();
        rep.error = Some(ReadError::new(format!(
            "archives nested deeper than {MAX_ARCHIVE_DEPTH} levels; not read"
        )));
        store.files.push(rep);
        return;
    }
    if is_gzip(bytes) {
        let (limit, which) = budget(store);
        let (data, err) = gunzip(bytes, limit);
        if data.len() as u64 > limit {
            let mut rep = new_report(path, member, data.len() as u64, true);
            rep.format = "gzip".into();
            rep.error = Some(limit_error(which, limit, "gzip-compressed content"));
            store.files.push(rep);
            return;
        }
        if let Some(e) = err {
            if data.is_empty() {
                let mut rep = new_report(path, member, 0, true);
                rep.format = "gzip".into();
                rep.error = Some(ReadError::new(format!("gzip: {e}")));
                store.files.push(rep);
                return;
            }
            // Keep what decompressed before the damage, and say so.
            let before = store.files.len();
            let n = data.len();
            ingest_member(store, path, member, Input::Owned(data), true, depth + 1);
            for r in store.files.iter_mut().skip(before) {
                if r.error.is_none() {
                    r.error =
                        Some(ReadError::new(format!("gzip: {e} (after {n} decompressed bytes)")));
                }
            }
            return;
        }
        ingest_member(store, path, member, Input::Owned(data), true, depth + 1);
        return;
    }
    if is_zip(bytes) {
        read_zip(store, path, member, bytes, depth);
        return;
    }
    let (limit, which) = budget(store);
    let mut rep = new_report(path, member, bytes.len() as u64, compressed);
    if bytes.len() as u64 > limit {
        rep.error = Some(limit_error(which, limit, "file"));
        store.files.push(rep);
        return;
    }
    store.total_bytes += bytes.len() as u64;
    let file = store.files.len() as u32;
    // An owned text that is valid UTF-8 is checked once here and kept by the store as the home
    // of its records; anything else is read as borrowed bytes (records copied). Rows address a
    // text with u32 offsets, so a text over 4 GiB (possible only with raised limits) is copied.
    let read = |store: &mut Store, rep, text: &[u8], own| {
        let mut r = Reader::new(store, file, rep, text, own);
        r.read_file();
        let rep = r.finish();
        store.files.push(rep);
    };
    match input {
        Input::Owned(v) if u32::try_from(v.len()).is_ok() => match String::from_utf8(v) {
            Ok(text) => {
                let slot = store.begin_owned();
                let first_row = store.len();
                read(store, rep, text.as_bytes(), Some((slot, text.as_str())));
                store.end_owned(slot, text, first_row);
            }
            Err(e) => read(store, rep, &e.into_bytes(), None),
        },
        Input::Owned(v) => read(store, rep, &v, None),
        Input::Borrowed(b) => read(store, rep, b, None),
    }
}

/// Decompresses (all gzip members) up to `limit + 1` bytes. Returns what came out and the error
/// that stopped it, if any.
fn gunzip(bytes: &[u8], limit: u64) -> (Vec<u8>, Option<std::io::Error>) {
    // ISIZE (last 4 bytes) is exact for honest single-member files; bound it by the deflate
    // maximum ratio and the limit so a lying header cannot make us reserve much.
    let isize_hint = bytes
        .len()
        .checked_sub(4)
        .and_then(|i| bytes.get(i..))
        .and_then(|s| <[u8; 4]>::try_from(s).ok())
        .map_or(0, |a| u64::from(u32::from_le_bytes(a)));
    let hint = isize_hint.min(bytes.len() as u64 * 1032).min(limit.saturating_add(1)).min(1 << 31);
    let mut out = Vec::with_capacity(hint as usize);
    let dec = flate2::read::MultiGzDecoder::new(bytes);
    let res = dec.take(limit.saturating_add(1)).read_to_end(&mut out);
    (out, res.err())
}

fn read_zip(store: &mut Store, path: &str, member: Option<String>, bytes: &[u8], depth: u32) {
    let whole_error = |store: &mut Store, msg: String| {
        let mut rep = new_report(path, member.clone(), bytes.len() as u64, false);
        rep.format = "zip".into();
        rep.error = Some(ReadError::new(msg));
        store.files.push(rep);
    };
    let mut archive = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => return whole_error(store, format!("not a readable zip archive: {e}")),
    };
    if archive.len() > store.limits.max_archive_members {
        return whole_error(
            store,
            format!(
                "zip archive has {} members, more than the limit of {}",
                archive.len(),
                store.limits.max_archive_members
            ),
        );
    }
    let before = store.files.len();
    for i in 0..archive.len() {
        let (limit, which) = budget(store);
        let mut f = match archive.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                let name = join_member(&member, &format!("#{i}"));
                let mut rep = new_report(path, Some(name), 0, true);
                rep.error = Some(ReadError::new(format!("zip member cannot be read: {e}")));
                store.files.push(rep);
                continue;
            }
        };
        let name = f
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| String::from_utf8_lossy(f.name_raw()).into_owned());
        if f.is_dir() || name.starts_with("__MACOSX/") {
            continue;
        }
        let full = join_member(&member, &name);
        let compressed = f.compression() != zip::CompressionMethod::Stored;
        let mut data =
            Vec::with_capacity(f.size().min(limit.saturating_add(1)).min(64 << 20) as usize);
        let res = (&mut f).take(limit.saturating_add(1)).read_to_end(&mut data);
        drop(f);
        if data.len() as u64 > limit {
            let mut rep = new_report(path, Some(full), data.len() as u64, compressed);
            rep.error = Some(limit_error(which, limit, "zip member (decompressed)"));
            store.files.push(rep);
            continue;
        }
        let start = store.files.len();
        let n = data.len();
        ingest_member(store, path, Some(full), Input::Owned(data), compressed, depth + 1);
        if let Err(e) = res {
            for r in store.files.iter_mut().skip(start) {
                if r.error.is_none() {
                    r.error =
                        Some(ReadError::new(format!("zip member damaged: {e} (after {n} bytes)")));
                }
            }
        }
    }
    if store.files.len() == before {
        let mut rep = new_report(path, member, bytes.len() as u64, false);
        rep.format = "zip".into();
        rep.skipped = Some("empty zip archive (no files)".into());
        store.files.push(rep);
    }
}

fn join_member(outer: &Option<String>, name: &str) -> String {
    match outer {
        Some(o) => format!("{o}!{name}"),
        None => name.to_string(),
    }
}

/// Where a document's offsets point: the file itself, or (for JSON found inside a JSON string)
/// the position of that string in the file.
#[derive(Clone, Copy, Debug)]
enum Origin {
    File,
    Embedded(usize),
}

struct Reader<'s, 't> {
    store: &'s mut Store,
    file: u32,
    rep: FileReport,
    text: &'t [u8],
    /// `text` as a `str` when the whole file is valid UTF-8 (checked once): records are then
    /// parsed with `serde_json::from_str` (no second validation of each string) and stored
    /// without validating each record again.
    text_str: Option<&'t str>,
    /// The store slot of `text` when the store will own it (records are then stored as
    /// references into it; see [`Store::ingest_owned`]).
    own: Option<u32>,
    stack: Vec<u8>,
    buf: Vec<u8>,
    reasons: BTreeMap<String, (u64, Option<Position>, usize)>,
    fallbacks: BTreeMap<&'static str, u64>,
    no_time: u64,
    bad_time: u64,
    missing_commas: u64,
    first_missing_comma: Option<Position>,
    bad_utf8: u64,
    too_deep: bool,
    max_record: usize,
    /// Inside a Records array (see [`Reader::read_array_as`]).
    strict: bool,
    /// Objects in arrays / NDJSON lines that held no CloudTrail event.
    other_objects: u64,
    first_other: Option<Position>,
}

fn key_is(doc: &[u8], ks: usize, ke: usize, name: &str) -> bool {
    doc.get(ks + 1..ke.saturating_sub(1)) == Some(name.as_bytes())
}

/// Strips serde_json's " at line L column C" suffix.
fn serde_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s.get(..i).unwrap_or(&s).to_string(),
        None => s,
    }
}

/// Byte offset inside `slice` of serde_json's (1-based) line/column.
fn serde_offset(slice: &[u8], e: &serde_json::Error) -> usize {
    let mut off = 0;
    for _ in 1..e.line() {
        match memchr::memchr(b'\n', slice.get(off..).unwrap_or_default()) {
            Some(i) => off += i + 1,
            None => break,
        }
    }
    (off + e.column().saturating_sub(1)).min(slice.len())
}

impl<'s, 't> Reader<'s, 't> {
    /// `own`: the store slot and the validated text when the store will own `text`.
    fn new(
        store: &'s mut Store,
        file: u32,
        rep: FileReport,
        text: &'t [u8],
        own: Option<(u32, &'t str)>,
    ) -> Self {
        let max_record = store.limits.max_record_bytes;
        Reader {
            store,
            file,
            rep,
            text,
            text_str: match own {
                Some((_, t)) => Some(t),
                None => std::str::from_utf8(text).ok(),
            },
            own: own.map(|(slot, _)| slot),
            stack: Vec::new(),
            buf: Vec::new(),
            reasons: BTreeMap::new(),
            fallbacks: BTreeMap::new(),
            no_time: 0,
            bad_time: 0,
            missing_commas: 0,
            first_missing_comma: None,
            bad_utf8: 0,
            too_deep: false,
            max_record,
            strict: false,
            other_objects: 0,
            first_other: None,
        }
    }

    /// `doc` as a validated `str` when it is the file's own (valid UTF-8) text.
    #[inline]
    fn doc_str(&self, doc: &[u8]) -> Option<&'t str> {
        if std::ptr::eq(doc, self.text) {
            self.text_str
        } else {
            None
        }
    }

    fn pos(&self, origin: Origin, off: usize) -> Position {
        match origin {
            Origin::File => Position::of(self.text, off),
            Origin::Embedded(o) => Position::of(self.text, o),
        }
    }

    fn set_format(&mut self, depth: u32, f: &str) {
        if depth == 0 && self.rep.format.is_empty() {
            self.rep.format = f.to_string();
        }
    }

    /// A record slot that could not be read: counted as read and rejected. The position is
    /// computed only for the first record of each reason (it costs a pass over the text).
    fn reject(&mut self, reason: String, at: (Origin, usize)) {
        self.rep.events += 1;
        self.rep.rejected += 1;
        let n = self.reasons.len();
        let key = if self.reasons.contains_key(&reason) || n < MAX_REASONS {
            reason
        } else {
            "other reasons".to_string()
        };
        if let Some(e) = self.reasons.get_mut(&key) {
            e.0 += 1;
        } else {
            let pos = self.pos(at.0, at.1);
            self.reasons.insert(key, (1, Some(pos), n));
        }
    }

    fn error(&mut self, origin: Origin, e: ScanError) {
        let pos = self.pos(origin, e.byte);
        let msg = match origin {
            Origin::File => e.message,
            Origin::Embedded(_) => format!("{} (inside a JSON string)", e.message),
        };
        if self.rep.error.is_none() {
            self.rep.error = Some(ReadError::at(msg, pos));
        } else {
            self.rep.notes.push(format!("also: {msg} at {pos}"));
        }
    }

    fn read_file(&mut self) {
        let text = self.text;
        let mut start = 0;
        if text.starts_with(&[0xEF, 0xBB, 0xBF]) {
            start = 3;
        }
        start = skip_ws(text, start);
        match text.get(start) {
            None => {
                self.rep.format = "empty".into();
                self.rep.skipped = Some("empty file".into());
            }
            Some(b'{') | Some(b'[') | Some(b'"') => {
                self.read_document(text, start, Origin::File, 0, true);
            }
            Some(_) => {
                self.rep.format = "not JSON".into();
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

    /// Reads a JSON text (a file, or JSON found inside a string) starting at `start`.
    /// Returns the number of events and digests found.
    fn read_document(
        &mut self,
        doc: &[u8],
        start: usize,
        origin: Origin,
        depth: u32,
        top: bool,
    ) -> u64 {
        let (mut found, end) = match doc.get(start) {
            Some(b'{') => self.read_object_top(doc, start, origin, depth, top),
            Some(b'[') => {
                self.set_format(depth, "JSON array");
                self.read_array_as(doc, start, origin, depth, top, false)
            }
            Some(b'"') => match value_end(doc, start, &mut self.stack) {
                Ok((e, _)) => (self.read_string(doc, start, e, origin, depth + 1), Some(e)),
                Err(err) => {
                    self.error(origin, err);
                    (0, None)
                }
            },
            _ => return 0,
        };
        let Some(end) = end else { return found };
        let next = skip_ws(doc, end);
        if next >= doc.len() {
            return found;
        }
        // More values follow: NDJSON (one per line) or concatenated JSON.
        if depth == 0 {
            self.rep.format = "NDJSON".into();
        }
        let first_one_line =
            memchr::memchr(b'\n', doc.get(start..end).unwrap_or_default()).is_none();
        if first_one_line {
            found += self.read_lines(doc, next, origin, depth, top);
        } else {
            found += self.read_concatenated(doc, next, origin, depth, top);
        }
        found
    }

    fn read_lines(
        &mut self,
        doc: &[u8],
        mut i: usize,
        origin: Origin,
        depth: u32,
        top: bool,
    ) -> u64 {
        let mut found = 0;
        while i < doc.len() {
            let le = memchr::memchr(b'\n', doc.get(i..).unwrap_or_default())
                .map_or(doc.len(), |k| i + k);
            let line = doc.get(..le).unwrap_or_default();
            let s = skip_ws(line, i);
            if s < le {
                match value_end(line, s, &mut self.stack) {
                    Ok((e, _)) => {
                        let after = skip_ws(line, e);
                        if after < le {
                            if top {
                                let p = (origin, after);
                                self.reject(
                                    "extra characters after a JSON value on this line".into(),
                                    p,
                                );
                            }
                        } else {
                            found += self.process_element(doc, s, e, origin, depth, top);
                        }
                    }
                    Err(err) => {
                        if top {
                            let p = (origin, err.byte);
                            let what = match line.get(s) {
                                Some(b'{') | Some(b'[') | Some(b'"') => {
                                    format!("invalid JSON: {}", err.message)
                                }
                                _ => "line is not JSON".to_string(),
                            };
                            self.reject(what, p);
                        }
                    }
                }
            }
            i = le + 1;
        }
        found
    }

    fn read_concatenated(
        &mut self,
        doc: &[u8],
        mut i: usize,
        origin: Origin,
        depth: u32,
        top: bool,
    ) -> u64 {
        let mut found = 0;
        loop {
            i = skip_ws(doc, i);
            if i >= doc.len() {
                break;
            }
            match value_end(doc, i, &mut self.stack) {
                Ok((e, _)) => {
                    found += self.process_element(doc, i, e, origin, depth, top);
                    i = e;
                }
                Err(err) => {
                    if top {
                        let p = (origin, err.byte);
                        self.reject(format!("invalid JSON: {}", err.message), p);
                    }
                    // Resynchronize at the next line that starts with `{`.
                    match memchr::memmem::find(doc.get(i + 1..).unwrap_or_default(), b"\n{") {
                        Some(k) => i = i + 1 + k + 1,
                        None => break,
                    }
                }
            }
        }
        found
    }

    /// A top-level object: a Records file, a single event, a digest or a wrapper.
    fn read_object_top(
        &mut self,
        doc: &[u8],
        open: usize,
        origin: Origin,
        depth: u32,
        top: bool,
    ) -> (u64, Option<usize>) {
        let mut it = ObjectIter::new(open);
        let mut found = 0;
        let mut had_records = false;
        let mut wrapper: Option<&'static str> = None;
        let mut done: Vec<(usize, usize)> = Vec::new();
        loop {
            match it.next(doc) {
                Ok(None) => break,
                Ok(Some((ks, ke, vs))) => {
                    if !had_records && key_is(doc, ks, ke, "Records") && doc.get(vs) == Some(&b'[')
                    {
                        had_records = true;
                        self.set_format(depth, "Records");
                        let (n, end) = self.read_array_as(doc, vs, origin, depth, true, true);
                        found += n;
                        match end {
                            Some(e) => it.value_done(e),
                            None => return (found, None),
                        }
                        continue;
                    }
                    for (k, name) in [
                        ("Events", "lookup-events"),
                        ("detail", "EventBridge"),
                        ("logEvents", "CloudWatch Logs"),
                        ("_raw", "cribl"),
                    ] {
                        if wrapper.is_none() && key_is(doc, ks, ke, k) {
                            wrapper = Some(name);
                        }
                    }
                    match value_end(doc, vs, &mut self.stack) {
                        Ok((e, _)) => {
                            done.push((vs, e));
                            it.value_done(e);
                        }
                        Err(err) => {
                            self.error(origin, err);
                            return (found + self.salvage(doc, &done, origin, depth), None);
                        }
                    }
                }
                Err(err) => {
                    self.error(origin, err);
                    return (found + self.salvage(doc, &done, origin, depth), None);
                }
            }
        }
        let end = it.pos();
        if had_records {
            return (found, Some(end));
        }
        if let Some(w) = wrapper {
            self.set_format(depth, w);
        }
        found += self.process_element(doc, open, end, origin, depth, top);
        (found, Some(end))
    }

    /// After an error inside an object that is not a Records file: search its complete values.
    fn salvage(&mut self, doc: &[u8], done: &[(usize, usize)], origin: Origin, depth: u32) -> u64 {
        let mut n = 0;
        for &(s, e) in done {
            n += self.walk_value(doc, s, e, origin, depth + 1, false);
        }
        n
    }

    /// Reads an array element by element. `slots`: each element is a record slot (non-events are
    /// rejected) rather than something inside a wrapper.
    fn read_array(
        &mut self,
        doc: &[u8],
        open: usize,
        origin: Origin,
        depth: u32,
        slots: bool,
    ) -> (u64, Option<usize>) {
        self.read_array_as(doc, open, origin, depth, slots, self.strict)
    }

    /// `strict`: elements are Records entries; objects that are not events are rejected rather
    /// than skipped with a note.
    #[allow(clippy::too_many_arguments)]
    fn read_array_as(
        &mut self,
        doc: &[u8],
        open: usize,
        origin: Origin,
        depth: u32,
        slots: bool,
        strict: bool,
    ) -> (u64, Option<usize>) {
        let saved = std::mem::replace(&mut self.strict, strict);
        let r = self.read_array_inner(doc, open, origin, depth, slots);
        self.strict = saved;
        r
    }

    fn read_array_inner(
        &mut self,
        doc: &[u8],
        open: usize,
        origin: Origin,
        depth: u32,
        slots: bool,
    ) -> (u64, Option<usize>) {
        let mut it = ArrayIter::new(open);
        let mut found = 0;
        loop {
            let before = it.missing_commas;
            let s = match it.next_start(doc) {
                Ok(Some(s)) => s,
                Ok(None) => return (found, Some(it.pos())),
                Err(err) => {
                    self.error(origin, err);
                    return (found, None);
                }
            };
            if it.missing_commas > before {
                self.missing_commas += 1;
                if self.first_missing_comma.is_none() {
                    self.first_missing_comma = Some(self.pos(origin, s));
                }
            }
            // Fast path: one typed parse that also tells where the record ends (serde_json's
            // stream byte offset), no separate scan. Anything unusual goes the scanner way.
            // (`ws` is not needed on this path: `add_event` decides on compaction itself.)
            if doc.get(s) == Some(&b'{') {
                // Fastest: the hand-written single pass (the common compact or pretty record in a
                // valid UTF-8 file); it declines anything it does not read exactly as serde does.
                if let (true, Some(ds)) = (self.store.fast_path, self.doc_str(doc)) {
                    let mut ev = record::Ev::default();
                    if let Some((e, ws)) = record::fast::parse_into(ds, s, &mut ev) {
                        it.set_end(e);
                        found += self.after_parse(doc, s, e, !ws, Ok(ev), origin, depth, slots);
                        continue;
                    }
                }
                let parsed = match self.doc_str(doc) {
                    Some(ds) => first_event(serde_json::Deserializer::from_str(
                        ds.get(s..).unwrap_or_default(),
                    )),
                    None => first_event(serde_json::Deserializer::from_slice(
                        doc.get(s..).unwrap_or_default(),
                    )),
                };
                if let Some((ev, len)) = parsed {
                    let e = s + len;
                    it.set_end(e);
                    found += self.after_parse(doc, s, e, false, Ok(ev), origin, depth, slots);
                    continue;
                }
            }
            match value_end(doc, s, &mut self.stack) {
                Ok((e, _)) => {
                    it.set_end(e);
                    found += self.process_element(doc, s, e, origin, depth, slots);
                }
                Err(err) => {
                    self.error(origin, err);
                    return (found, None);
                }
            }
        }
    }

    /// One value that should be (or contain) events. `slot`: a record position (Records element,
    /// array element, NDJSON line) where anything unreadable is rejected and counted.
    fn process_element(
        &mut self,
        doc: &[u8],
        s: usize,
        e: usize,
        origin: Origin,
        depth: u32,
        slot: bool,
    ) -> u64 {
        let slice = doc.get(s..e).unwrap_or_default();
        match slice.first() {
            Some(b'{') => {}
            Some(b'[') => {
                if depth >= MAX_WALK_DEPTH {
                    self.too_deep = true;
                    return 0;
                }
                return self.read_array(doc, s, origin, depth + 1, slot).0;
            }
            Some(b'"') => {
                let n = self.read_string(doc, s, e, origin, depth + 1);
                if n == 0 && slot {
                    let p = (origin, s);
                    self.reject("a string, not a JSON object".into(), p);
                }
                return n;
            }
            _ => {
                if slot {
                    let p = (origin, s);
                    self.reject("not a JSON object".into(), p);
                }
                return 0;
            }
        }
        // The fast path when it reads exactly this value (NDJSON lines, arrays, single events).
        if let (true, Some(ds)) = (self.store.fast_path, self.doc_str(doc)) {
            let mut ev = record::Ev::default();
            if let Some((end, ws)) = record::fast::parse_into(ds, s, &mut ev) {
                if end == e {
                    return self.after_parse(doc, s, e, !ws, Ok(ev), origin, depth, slot);
                }
            }
        }
        let parsed = match self.doc_str(doc).and_then(|d| d.get(s..e)) {
            Some(text) => record::parse_str(text),
            None => record::parse(slice),
        };
        self.after_parse(doc, s, e, false, parsed, origin, depth, slot)
    }

    /// Classifies and stores a record (`doc[s..e]`, an object) once the typed parse ran.
    /// `compact`: the record is known to hold no whitespace between tokens (the fast path
    /// tracks it), so it is stored as it is without looking for spacing.
    #[allow(clippy::too_many_arguments)]
    fn after_parse(
        &mut self,
        doc: &[u8],
        s: usize,
        e: usize,
        compact: bool,
        parsed: Result<record::Ev<'_>, serde_json::Error>,
        origin: Origin,
        depth: u32,
        slot: bool,
    ) -> u64 {
        let slice = doc.get(s..e).unwrap_or_default();
        let slice_str = self.doc_str(doc).and_then(|d| d.get(s..e));
        let kind = match parsed {
            Ok(ev) => match ev.kind() {
                Kind::Event => {
                    self.set_format(depth, "event");
                    let f = ev.fields();
                    self.add_event(slice, slice_str, compact, f, origin, s);
                    return 1;
                }
                k => k,
            },
            Err(err) => match record::parse_lenient(slice) {
                Ok(Some((Kind::Event, f))) => {
                    self.set_format(depth, "event");
                    self.add_event(slice, slice_str, compact, f, origin, s);
                    return 1;
                }
                Ok(Some((k, _))) => k,
                Ok(None) => Kind::Other,
                Err(_) => {
                    if slot {
                        let p = (origin, s + serde_offset(slice, &err));
                        self.reject(format!("invalid JSON: {}", serde_message(&err)), p);
                    }
                    return 0;
                }
            },
        };
        if kind == Kind::Digest {
            self.set_format(depth, "digest");
            self.rep.digests += 1;
            return 1;
        }
        let n = self.walk_object(doc, s, e, origin, depth + 1);
        if n == 0 && slot {
            if self.strict {
                let p = (origin, s);
                self.reject(
                    "not a CloudTrail event (no eventName, eventSource, eventTime…)".into(),
                    p,
                );
            } else {
                self.other_objects += 1;
                if self.first_other.is_none() {
                    self.first_other = Some(self.pos(origin, s));
                }
            }
        }
        if n == 0 {
            self.set_format(depth, "JSON");
        }
        n
    }

    fn walk_value(
        &mut self,
        doc: &[u8],
        s: usize,
        e: usize,
        origin: Origin,
        depth: u32,
        slot: bool,
    ) -> u64 {
        match doc.get(s) {
            Some(b'{') | Some(b'[') => self.process_element(doc, s, e, origin, depth, slot),
            Some(b'"') => self.read_string(doc, s, e, origin, depth + 1),
            _ => 0,
        }
    }

    /// Searches a non-event object's values for events.
    fn walk_object(&mut self, doc: &[u8], s: usize, _e: usize, origin: Origin, depth: u32) -> u64 {
        if depth > MAX_WALK_DEPTH {
            self.too_deep = true;
            return 0;
        }
        let mut it = ObjectIter::new(s);
        let mut found = 0;
        while let Ok(Some((ks, ke, vs))) = it.next(doc) {
            if key_is(doc, ks, ke, "Records") && doc.get(vs) == Some(&b'[') {
                let (n, end) = self.read_array_as(doc, vs, origin, depth, true, true);
                found += n;
                match end {
                    Some(end) => it.value_done(end),
                    None => break,
                }
                continue;
            }
            match value_end(doc, vs, &mut self.stack) {
                Ok((ve, _)) => {
                    found += self.walk_value(doc, vs, ve, origin, depth, false);
                    it.value_done(ve);
                }
                Err(_) => break,
            }
        }
        found
    }

    /// A JSON string value at `s..e` (quotes included) that may hold JSON.
    fn read_string(&mut self, doc: &[u8], s: usize, e: usize, origin: Origin, depth: u32) -> u64 {
        if depth > MAX_WALK_DEPTH {
            self.too_deep = true;
            return 0;
        }
        let inner = doc.get(s + 1..e.saturating_sub(1)).unwrap_or_default();
        // First significant character, skipping whitespace and escaped whitespace.
        let mut i = 0;
        loop {
            match inner.get(i) {
                Some(b' ') | Some(b'\t') | Some(b'\r') | Some(b'\n') => i += 1,
                Some(b'\\') if matches!(inner.get(i + 1), Some(b'n') | Some(b'r') | Some(b't')) => {
                    i += 2
                }
                Some(b'{') | Some(b'[') => break,
                _ => return 0,
            }
        }
        let Ok(text) = serde_json::from_slice::<Cow<str>>(doc.get(s..e).unwrap_or_default()) else {
            return 0;
        };
        let inner_origin = match origin {
            Origin::File => Origin::Embedded(s),
            o => o,
        };
        let bytes = text.as_bytes();
        let start = skip_ws(bytes, 0);
        self.read_document(bytes, start, inner_origin, depth, false)
    }

    /// `slice_str`: the same record as an already validated `str`, when known. `compact`: see
    /// [`Reader::after_parse`].
    fn add_event(
        &mut self,
        slice: &[u8],
        slice_str: Option<&str>,
        compact: bool,
        fields: Fields<'_>,
        origin: Origin,
        s: usize,
    ) {
        if slice.len() > self.max_record {
            let p = (origin, s);
            let limit = self.max_record;
            self.reject(format!("record larger than the limit of {limit} bytes"), p);
            return;
        }
        match fields.time_from {
            TimeFrom::EventTime => {}
            TimeFrom::Fallback(name) => *self.fallbacks.entry(name).or_insert(0) += 1,
            TimeFrom::Missing => self.no_time += 1,
        }
        if fields.bad_event_time {
            self.bad_time += 1;
        }
        // Same rule on every path (fast path, stream or scanner), so copies read through
        // different shapes normalize identically. A record known to hold no whitespace between
        // tokens skips the check: compacting it would give back the same bytes anyway.
        let spaced = !compact && scan::looks_spaced(slice);
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
                    self.bad_utf8 += 1;
                    Cow::Owned(String::from_utf8_lossy(compact).into_owned())
                }
            },
        };
        // A record taken as it is from a text the store will own is stored as a reference to it.
        let raw = match (&text, self.own, self.text_str) {
            (Cow::Borrowed(t), Some(slot), Some(doc)) if !spaced => {
                match (t.as_ptr() as usize).checked_sub(doc.as_ptr() as usize) {
                    Some(off) if off + t.len() <= doc.len() => {
                        RawText::InDoc { doc, slot, off, len: t.len() }
                    }
                    _ => RawText::Copy(t),
                }
            }
            _ => RawText::Copy(&text),
        };
        self.rep.events += 1;
        match self.store.push_event(self.file, raw, &fields) {
            Pushed::Kept => self.rep.kept += 1,
            Pushed::Duplicate => self.rep.duplicates += 1,
        }
    }

    fn finish(mut self) -> FileReport {
        let mut reasons: Vec<_> = std::mem::take(&mut self.reasons).into_iter().collect();
        reasons.sort_by_key(|r| (r.1).2);
        self.rep.rejections = reasons
            .into_iter()
            .map(|(reason, (count, first, _))| Rejection { reason, count, first })
            .collect();
        let mut notes = Vec::new();
        if self.missing_commas > 0 {
            let at =
                self.first_missing_comma.map(|p| format!(" (first at {p})")).unwrap_or_default();
            notes.push(format!(
                "recovered {} record{} that had no comma before {}{at}",
                self.missing_commas,
                if self.missing_commas == 1 { "" } else { "s" },
                if self.missing_commas == 1 { "it" } else { "them" }
            ));
        }
        if self.bad_time > 0 {
            notes.push(format!("{} events had an unreadable eventTime", self.bad_time));
        }
        for (name, n) in &self.fallbacks {
            notes.push(format!("{n} events had no usable eventTime; used {name}"));
        }
        if self.no_time > 0 {
            notes.push(format!("{} events have no usable time", self.no_time));
        }
        if self.bad_utf8 > 0 {
            notes.push(format!("{} events had invalid UTF-8, replaced with �", self.bad_utf8));
        }
        if self.other_objects > 0 {
            let at = self.first_other.map(|p| format!(" (first at {p})")).unwrap_or_default();
            notes.push(format!(
                "skipped {} JSON objects that hold no CloudTrail event{at}",
                self.other_objects
            ));
        }
        if self.too_deep {
            notes.push(format!(
                "JSON nested deeper than {MAX_WALK_DEPTH} levels was not searched for events"
            ));
        }
        self.rep.notes.splice(0..0, notes);
        let rep = &mut self.rep;
        if rep.events == 0 && rep.error.is_none() && rep.skipped.is_none() {
            if rep.digests > 0 {
                rep.format = "digest".into();
                rep.skipped = Some(format!(
                    "CloudTrail digest file ({} digest record{}, no events)",
                    rep.digests,
                    if rep.digests == 1 { "" } else { "s" }
                ));
            } else if rep.format != "Records" {
                rep.skipped = Some("no CloudTrail events found in this JSON".into());
            }
        }
        if rep.format.is_empty() {
            rep.format = "JSON".into();
        }
        self.rep
    }
}

/// The first event a serde deserializer reads (from a `&str` or bytes alike) and the byte
/// offset where it ends; `None` when it does not parse as one.
fn first_event<'de, R: serde_json::de::Read<'de>>(
    de: serde_json::Deserializer<R>,
) -> Option<(record::Ev<'de>, usize)> {
    let mut sd = de.into_iter::<record::Ev>();
    sd.next().and_then(|r| r.ok()).map(|ev| (ev, sd.byte_offset()))
}
