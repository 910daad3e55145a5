//! Document shapes: the walk from a file's text to its records, in the order the shapes are
//! tried.
//!
//! * A top-level object is walked key by key: a `Records` array is read element by element (a
//!   truncated file keeps what came before; missing commas between elements are recovered); any
//!   other object is classified as an event, a digest, or a wrapper to search.
//! * A top-level array is read element by element.
//! * When a first value is followed by more, the file is NDJSON: one value per line when the
//!   first value sat on one line (a bad line is rejected alone), otherwise concatenated values
//!   (resynchronizing at the next line that starts with `{` after an error).
//! * A SIEM document holding the original event as text (`message`, `_raw`, `event.original`)
//!   yields that event once, its normalized copies beside it never (`siem.rs`).
//! * A Sentinel row or an ECS document without its original, where nothing inside held an
//!   event, is mapped back into CloudTrail's shape (`mapped.rs`, `flat/`).
//! * Wrappers (anything that is not an event) are searched recursively, to
//!   [`MAX_WALK_DEPTH`] levels, including strings that hold JSON (lookup-events, CloudWatch Logs,
//!   cribl `_raw`).
//!
//! Each record (array element, NDJSON line, single event) of a valid UTF-8 text first goes
//! through [`crate::record::fast`]; when it declines, a serde stream parse both reads the record
//! and says where it ends; when that fails too, the scanner finds the end and the record is parsed
//! on its own (strictly, then leniently), so results never depend on which path read a record.
//! The walk is one module because it is one recursion: records hold wrappers that hold records.

use std::borrow::Cow;

use crate::record::{self, Ev, Kind};
use crate::report::Format;
use crate::scan::{key_is, skip_ws, value_end, ArrayIter, ObjectIter};

use super::lake::lake_row;
use super::reader::{At, Layout, Origin, Reader, Role, MAX_WALK_DEPTH};
use super::record::{first_event, serde_message, serde_offset};

impl Reader<'_, '_> {
    /// Reads a JSON text (the file, role [`Role::Item`], or JSON found inside a string,
    /// [`Role::Within`]) starting at `start`. Returns the number of events and digests found.
    pub(super) fn read_document(&mut self, at: At<'_>, start: usize) -> u64 {
        let doc = at.doc;
        let (mut found, end) = match doc.get(start) {
            Some(b'{') => self.read_object_top(at, start),
            Some(b'[') => {
                self.set_format(at.depth, Format::JsonArray);
                self.read_array(at, start)
            }
            Some(b'"') => match value_end(doc, start, &mut self.stack) {
                Ok((e, _)) => (self.read_string(at.deeper(), start, e), Some(e)),
                Err(err) => {
                    self.error(at.origin, err);
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
        if at.depth == 0 {
            self.rep.format = Format::Ndjson;
        }
        let first_one_line = memchr::memchr(b'\n', at.bytes(start, end)).is_none();
        if first_one_line {
            found += self.read_lines(at, next);
        } else {
            found += self.read_concatenated(at, next);
        }
        found
    }

    fn read_lines(&mut self, at: At<'_>, mut i: usize) -> u64 {
        let doc = at.doc;
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
                            if at.role.is_slot() {
                                let why = "extra characters after a JSON value on this line";
                                self.reject(why.into(), at.origin, after);
                            }
                        } else {
                            found += self.process_element(at, s, e);
                        }
                    }
                    Err(err) => {
                        if at.role.is_slot() {
                            let what = match line.get(s) {
                                Some(b'{') | Some(b'[') | Some(b'"') => {
                                    format!("invalid JSON: {}", err.message)
                                }
                                _ => "line is not JSON".to_string(),
                            };
                            self.reject(what, at.origin, err.byte);
                        }
                    }
                }
            }
            i = le + 1;
        }
        found
    }

    fn read_concatenated(&mut self, at: At<'_>, mut i: usize) -> u64 {
        let doc = at.doc;
        let mut found = 0;
        loop {
            i = skip_ws(doc, i);
            if i >= doc.len() {
                break;
            }
            match value_end(doc, i, &mut self.stack) {
                Ok((e, _)) => {
                    found += self.process_element(at, i, e);
                    i = e;
                }
                Err(err) => {
                    if at.role.is_slot() {
                        self.reject(format!("invalid JSON: {}", err.message), at.origin, err.byte);
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

    /// A top-level object: a Records file, a single event, a digest or a wrapper. Returns what
    /// it found and where it ends (`None` when reading stopped at an error).
    fn read_object_top(&mut self, at: At<'_>, open: usize) -> (u64, Option<usize>) {
        let doc = at.doc;
        let mut it = ObjectIter::new(open);
        let mut found = 0;
        let mut had_records = false;
        let mut wrapper: Option<Format> = None;
        let mut done: Vec<(usize, usize)> = Vec::new();
        loop {
            match it.next(doc) {
                Ok(None) => break,
                Ok(Some((ks, ke, vs))) => {
                    if !had_records && key_is(doc, ks, ke, "Records") && doc.get(vs) == Some(&b'[')
                    {
                        had_records = true;
                        self.set_format(at.depth, Format::Records);
                        let (n, end) = self.read_array(at.as_role(Role::Record), vs);
                        found += n;
                        match end {
                            Some(e) => it.value_done(e),
                            None => return (found, None),
                        }
                        continue;
                    }
                    for (k, format) in [
                        ("Events", Format::LookupEvents),
                        ("detail", Format::EventBridge),
                        ("logEvents", Format::CloudWatchLogs),
                        ("_raw", Format::Cribl),
                        ("QueryResultRows", Format::LakeResults),
                    ] {
                        if wrapper.is_none() && key_is(doc, ks, ke, k) {
                            wrapper = Some(format);
                        }
                    }
                    match value_end(doc, vs, &mut self.stack) {
                        Ok((e, _)) => {
                            done.push((vs, e));
                            it.value_done(e);
                        }
                        Err(err) => {
                            self.error(at.origin, err);
                            return (found + self.salvage(at, &done), None);
                        }
                    }
                }
                Err(err) => {
                    self.error(at.origin, err);
                    return (found + self.salvage(at, &done), None);
                }
            }
        }
        let end = it.pos();
        if had_records {
            return (found, Some(end));
        }
        if let Some(w) = wrapper {
            self.set_format(at.depth, w);
        }
        found += self.process_element(at, open, end);
        (found, Some(end))
    }

    /// After an error inside an object that is not a Records file: search its complete values.
    fn salvage(&mut self, at: At<'_>, done: &[(usize, usize)]) -> u64 {
        let inside = at.deeper().as_role(Role::Within);
        let mut n = 0;
        for &(s, e) in done {
            n += self.walk_value(inside, s, e);
        }
        n
    }

    /// Reads an array element by element, each in the role `at.role`. Returns what it found and
    /// where the array ends (`None` when reading stopped at an error).
    fn read_array(&mut self, at: At<'_>, open: usize) -> (u64, Option<usize>) {
        let doc = at.doc;
        let mut it = ArrayIter::new(open);
        let mut found = 0;
        loop {
            let before = it.missing_commas;
            let s = match it.next_start(doc) {
                Ok(Some(s)) => s,
                Ok(None) => return (found, Some(it.pos())),
                Err(err) => {
                    self.error(at.origin, err);
                    return (found, None);
                }
            };
            if it.missing_commas > before {
                let text = self.text.bytes;
                let origin = at.origin;
                self.tally.missing_commas.add(|| Reader::position_in(text, origin, s));
            }
            // Fast path: one typed parse that also tells where the record ends (serde_json's
            // stream byte offset), no separate scan. Anything unusual goes the scanner way.
            // (`ws` is not needed on this path: `add_event` decides on compaction itself.)
            if doc.get(s) == Some(&b'{') {
                // Fastest: the hand-written single pass (the common compact or pretty record in a
                // valid UTF-8 file); it declines anything it does not read exactly as serde does.
                if let (true, Some(ds)) = (self.fast_path, self.doc_str(doc)) {
                    let mut ev = Ev::default();
                    if let Some((e, ws)) = record::fast::parse_into(ds, s, &mut ev) {
                        it.set_end(e);
                        let layout = if ws { Layout::Unchecked } else { Layout::Compact };
                        found += self.after_parse(at, (s, e), layout, Ok(ev));
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
                    found += self.after_parse(at, (s, e), Layout::Unchecked, Ok(ev));
                    continue;
                }
            }
            match value_end(doc, s, &mut self.stack) {
                Ok((e, _)) => {
                    it.set_end(e);
                    found += self.process_element(at, s, e);
                }
                Err(err) => {
                    self.error(at.origin, err);
                    return (found, None);
                }
            }
        }
    }

    /// One value `at.doc[s..e]` that should be (or contain) events. In a record slot
    /// ([`Role::is_slot`]) anything unreadable is rejected and counted.
    fn process_element(&mut self, at: At<'_>, s: usize, e: usize) -> u64 {
        let doc = at.doc;
        let slot = at.role.is_slot();
        match at.bytes(s, e).first() {
            Some(b'{') => {}
            Some(b'[') => {
                if at.depth >= MAX_WALK_DEPTH {
                    self.tally.too_deep = true;
                    return 0;
                }
                return self.read_array(at.deeper(), s).0;
            }
            Some(b'"') => {
                let n = self.read_string(at.deeper(), s, e);
                if n == 0 && slot {
                    self.reject("a string, not a JSON object".into(), at.origin, s);
                }
                return n;
            }
            _ => {
                if slot {
                    self.reject("not a JSON object".into(), at.origin, s);
                }
                return 0;
            }
        }
        // The fast path when it reads exactly this value (NDJSON lines, arrays, single events).
        if let (true, Some(ds)) = (self.fast_path, self.doc_str(doc)) {
            let mut ev = Ev::default();
            if let Some((end, ws)) = record::fast::parse_into(ds, s, &mut ev) {
                if end == e {
                    let layout = if ws { Layout::Unchecked } else { Layout::Compact };
                    return self.after_parse(at, (s, e), layout, Ok(ev));
                }
            }
        }
        let parsed = match self.doc_str(doc).and_then(|d| d.get(s..e)) {
            Some(text) => record::parse_str(text),
            None => record::parse(at.bytes(s, e)),
        };
        self.after_parse(at, (s, e), Layout::Unchecked, parsed)
    }

    /// Classifies and stores a record (`at.doc[s..e]`, an object) once the typed parse ran.
    fn after_parse(
        &mut self,
        at: At<'_>,
        (s, e): (usize, usize),
        layout: Layout,
        parsed: Result<Ev<'_>, serde_json::Error>,
    ) -> u64 {
        let kind = match parsed {
            Ok(ev) => match ev.kind() {
                Kind::Event => {
                    // A SIEM document with the event's fields and its original text: the
                    // original is the event, once.
                    if ev.may_hold_original() {
                        let inner = at.deeper().as_role(Role::Within);
                        if let Some(n @ 1..) = self.read_originals(inner, s) {
                            return n;
                        }
                    }
                    self.set_format(at.depth, Format::Event);
                    self.add_event(at, (s, e), layout, ev.fields());
                    return 1;
                }
                Kind::Ocsf => {
                    // The typed view reads too little of OCSF: the whole record, once.
                    match serde_json::from_slice::<serde_json::Value>(at.bytes(s, e)) {
                        Ok(v) => return self.add_ocsf(at, (s, e), layout, record::ocsf_fields(&v)),
                        Err(_) => Kind::Ocsf,
                    }
                }
                k => k,
            },
            Err(err) => match record::parse_lenient(at.bytes(s, e)) {
                Ok(Some((Kind::Event, f))) => {
                    self.set_format(at.depth, Format::Event);
                    self.add_event(at, (s, e), layout, f);
                    return 1;
                }
                Ok(Some((Kind::Ocsf, f))) => return self.add_ocsf(at, (s, e), layout, f),
                Ok(Some((k, _))) => k,
                Ok(None) => Kind::Other,
                Err(_) => {
                    if at.role.is_slot() {
                        let off = s + serde_offset(at.bytes(s, e), &err);
                        self.reject(
                            format!("invalid JSON: {}", serde_message(&err)),
                            at.origin,
                            off,
                        );
                    }
                    return 0;
                }
            },
        };
        if kind == Kind::Digest {
            self.set_format(at.depth, Format::Digest);
            self.rep.digests += 1;
            return 1;
        }
        let mut n = self.walk_object(at.deeper().as_role(Role::Within), s);
        if n == 0 {
            // No event inside (nor an original text): a flattened document (a Sentinel row, an
            // ECS document without `event.original`) lists one in its own fields (`mapped.rs`).
            n = self.read_flat_object(at, s, e);
        }
        if n == 0 {
            match at.role {
                Role::Record => {
                    let why = "not a CloudTrail event (no eventName, eventSource, eventTime…)";
                    self.reject(why.into(), at.origin, s);
                }
                Role::Item => {
                    let text = self.text.bytes;
                    let origin = at.origin;
                    self.tally.other_objects.add(|| Reader::position_in(text, origin, s));
                }
                Role::Within => {}
            }
            self.set_format(at.depth, Format::Json);
        }
        n
    }

    /// CloudTrail Lake's `QueryResultRows` at `doc[s..e]` (`lake.rs`): each row that lists an
    /// event is read as the record it was.
    fn read_lake_rows(&mut self, at: At<'_>, s: usize, e: usize) -> u64 {
        let Ok(rows) = serde_json::from_slice::<Vec<serde_json::Value>>(at.bytes(s, e)) else {
            return 0;
        };
        let mut found = 0;
        for row in rows {
            match lake_row(row) {
                Some(text) => {
                    let inside = At {
                        doc: text.as_bytes(),
                        origin: Origin::Embedded(s),
                        depth: at.depth + 1,
                        role: Role::Within,
                    };
                    let n = self.read_document(inside, 0);
                    self.tally.lake_rows += n;
                    found += n;
                }
                None => {
                    let text = self.text.bytes;
                    let origin = at.origin;
                    self.tally.other_objects.add(|| Reader::position_in(text, origin, s));
                }
            }
        }
        found
    }

    /// Stores an OCSF record with the columns read from it.
    fn add_ocsf(
        &mut self,
        at: At<'_>,
        span: (usize, usize),
        layout: Layout,
        fields: record::Fields<'_>,
    ) -> u64 {
        // OCSF lines or array elements: the file is OCSF, whatever holds them.
        if at.depth == 0
            && matches!(self.rep.format, Format::Unknown | Format::Ndjson | Format::JsonArray)
        {
            self.rep.format = Format::Ocsf;
        }
        self.tally.ocsf += 1;
        self.add_event(at, span, layout, fields);
        1
    }

    fn walk_value(&mut self, at: At<'_>, s: usize, e: usize) -> u64 {
        match at.doc.get(s) {
            Some(b'{') | Some(b'[') => self.process_element(at, s, e),
            Some(b'"') => self.read_string(at.deeper(), s, e),
            _ => 0,
        }
    }

    /// Searches the values of a non-event object at `s` for events.
    fn walk_object(&mut self, at: At<'_>, s: usize) -> u64 {
        if at.depth > MAX_WALK_DEPTH {
            self.tally.too_deep = true;
            return 0;
        }
        // A SIEM document holding the original event as text: that text is read, and the
        // normalized copies of its fields beside it are not (they would add the event again).
        if let Some(n) = self.read_originals(at, s) {
            return n;
        }
        let doc = at.doc;
        let mut it = ObjectIter::new(s);
        let mut found = 0;
        while let Ok(Some((ks, ke, vs))) = it.next(doc) {
            if key_is(doc, ks, ke, "QueryResultRows") && doc.get(vs) == Some(&b'[') {
                match value_end(doc, vs, &mut self.stack) {
                    Ok((ve, _)) => {
                        found += self.read_lake_rows(at, vs, ve);
                        it.value_done(ve);
                        continue;
                    }
                    Err(_) => break,
                }
            }
            if key_is(doc, ks, ke, "Records") && doc.get(vs) == Some(&b'[') {
                let (n, end) = self.read_array(at.as_role(Role::Record), vs);
                found += n;
                match end {
                    Some(end) => it.value_done(end),
                    None => break,
                }
                continue;
            }
            match value_end(doc, vs, &mut self.stack) {
                Ok((ve, _)) => {
                    found += self.walk_value(at, vs, ve);
                    it.value_done(ve);
                }
                Err(_) => break,
            }
        }
        found
    }

    /// Reads the original event that the object at `s` holds as text, when it holds one: a
    /// `message`, `_raw` or `original` string, or ECS's `event.original`, that names an event's
    /// keys (Elastic, Splunk, CloudWatch Logs, Cribl keep the event so). `None` when it holds no
    /// such text; otherwise the events found there (the object's other values are not read,
    /// even when none was: they are the SIEM's copies of the same event).
    fn read_originals(&mut self, at: At<'_>, s: usize) -> Option<u64> {
        let held = self.original_texts(at.doc, s);
        if held.is_empty() {
            return None;
        }
        Some(held.into_iter().map(|(vs, ve)| self.walk_value(at, vs, ve)).sum())
    }

    /// A JSON string value at `s..e` (quotes included) that may hold JSON.
    fn read_string(&mut self, at: At<'_>, s: usize, e: usize) -> u64 {
        if at.depth > MAX_WALK_DEPTH {
            self.tally.too_deep = true;
            return 0;
        }
        let inner = at.bytes(s + 1, e.saturating_sub(1));
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
        let Ok(text) = serde_json::from_slice::<Cow<str>>(at.bytes(s, e)) else {
            return 0;
        };
        let origin = match at.origin {
            Origin::File => Origin::Embedded(s),
            o => o,
        };
        let bytes = text.as_bytes();
        let start = skip_ws(bytes, 0);
        let inside = At { doc: bytes, origin, depth: at.depth, role: Role::Within };
        self.read_document(inside, start)
    }
}
