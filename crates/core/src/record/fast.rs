//! The hand-written fast path for one record: a single pass over an object that validates its
//! JSON (strings, escapes, numbers, literals, nesting) and fills the same [`Ev`] that serde's
//! derive would, so [`Ev::kind`] and [`Ev::fields`] run unchanged on either result.
//!
//! The contract is one-sided: when [`parse_into`] returns `Some(end)`, serde_json's typed
//! stream parse of the same text succeeds, ends at the same byte and yields an equal `Ev`
//! (`src/record/fast_tests.rs` checks this at every `{` of the shared corpus, of synthetic data, of
//! hand-made edge cases and of thousands of mutated records, and that stores read with and
//! without the fast path are identical; rerun it when serde_json is upgraded). Anything
//! this code does not handle the way serde does returns `None` and the caller takes the serde
//! path, so semantics never depend on which path ran. Extracted string values with escapes
//! are decoded as serde decodes them. `None` is returned for: any escape in a key at a struct
//! level, a `\u` escape of a UTF-16 surrogate in an extracted value (serde checks the pairing),
//! a number, object or array where a scalar field is extracted, a string (an object written as
//! JSON text) or any other non-object where `userIdentity`/`sessionContext`/`sessionIssuer`/
//! `insightDetails` is expected, a duplicate known key, nesting deeper than [`MAX_DEPTH`], and
//! every JSON error (serde then reports it).
//!
//! What serde skips (`IgnoredAny`) is validated as serde_json's `ignore_value` does: any JSON
//! value, `\u` escapes checked for four hex digits only, no depth limit there (this code stops
//! at [`MAX_DEPTH`] and leaves deeper records to serde). The text is already valid UTF-8, so
//! bytes ≥ 0x80 need no check; control characters (< 0x20) inside strings are errors.
//!
//! Strings are scanned 8 bytes at a time (SWAR): one word tells whether it holds a `"`, a `\`
//! or a control character, and where the first one is.

use std::borrow::Cow;

use super::{Ev, Insight, Issuer, Obj, Present, SessionContext, UserIdentity, S};

/// Nesting (objects and arrays, the record itself included) beyond which the serde path runs.
pub const MAX_DEPTH: u32 = 100;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The first byte in `w` (little-endian) that is `"`, `\` or < 0x20, as a bit mask whose
/// lowest set bit is exact (higher bits may be spurious).
#[inline(always)]
fn special(w: u64) -> u64 {
    let q = w ^ (ONES * u64::from(b'"'));
    let b = w ^ (ONES * u64::from(b'\\'));
    let quote = q.wrapping_sub(ONES) & !q;
    let back = b.wrapping_sub(ONES) & !b;
    let ctrl = w.wrapping_sub(ONES * 0x20) & !w;
    (quote | back | ctrl) & HIGH
}

struct P<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    /// Whitespace seen between tokens.
    ws: bool,
}

/// Which fields a struct level has seen (serde rejects a known key given twice).
#[derive(Default)]
struct Seen(u32);

impl Seen {
    #[inline(always)]
    fn first(&mut self, bit: u32) -> Option<()> {
        let m = 1u32 << bit;
        if self.0 & m != 0 {
            return None;
        }
        self.0 |= m;
        Some(())
    }
}

impl<'a> P<'a> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline(always)]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.b.get(self.i) {
            self.i += 1;
            self.ws = true;
        }
    }

    /// `i` is just past an opening quote. Returns the offset of the closing quote and whether
    /// the string holds an escape. `None` on a control character, a bad escape or the end.
    #[inline(always)]
    fn string_at(&self, mut i: usize) -> Option<(usize, bool)> {
        let b = self.b;
        let mut escaped = false;
        loop {
            while let Some(w) = b.get(i..i + 8) {
                let w = u64::from_le_bytes(<[u8; 8]>::try_from(w).ok()?);
                let m = special(w);
                if m != 0 {
                    i += (m.trailing_zeros() / 8) as usize;
                    break;
                }
                i += 8;
            }
            match *b.get(i)? {
                b'"' => return Some((i, escaped)),
                b'\\' => {
                    escaped = true;
                    i = escape_end(b, i + 1)?;
                }
                c if c < 0x20 => return None,
                _ => i += 1,
            }
        }
    }

    /// At `"`: skips the string (ignored-value rules).
    #[inline(always)]
    fn skip_string(&mut self) -> Option<()> {
        let (e, _) = self.string_at(self.i + 1)?;
        self.i = e + 1;
        Some(())
    }

    /// At `"`: a string without escapes, as borrowed text.
    #[inline(always)]
    fn plain_string(&mut self) -> Option<&'a str> {
        let (e, escaped) = self.string_at(self.i + 1)?;
        if escaped {
            return None;
        }
        let s = self.text.get(self.i + 1..e)?;
        self.i = e + 1;
        Some(s)
    }

    /// At `"`: an extracted string value, borrowed, or decoded as serde decodes it when it holds
    /// escapes (serde then hands over an owned string too).
    #[inline(always)]
    fn value_string(&mut self) -> Option<Cow<'a, str>> {
        let (e, escaped) = self.string_at(self.i + 1)?;
        let raw = self.text.get(self.i + 1..e)?;
        self.i = e + 1;
        if escaped {
            unescape(raw).map(Cow::Owned)
        } else {
            Some(Cow::Borrowed(raw))
        }
    }

    #[inline(always)]
    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.b.get(self.i..self.i + word.len())? == word {
            self.i += word.len();
            Some(())
        } else {
            None
        }
    }

    /// serde_json's `ignore_integer` / `ignore_decimal` / `ignore_exponent`.
    fn number(&mut self) -> Option<()> {
        let b = self.b;
        let mut i = self.i;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match *b.get(i)? {
            b'0' => {
                i += 1;
                if b.get(i).is_some_and(u8::is_ascii_digit) {
                    return None;
                }
            }
            b'1'..=b'9' => {
                i += 1;
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
            _ => return None,
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return None;
            }
        }
        if let Some(b'e' | b'E') = b.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = b.get(i) {
                i += 1;
            }
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return None;
            }
        }
        self.i = i;
        Some(())
    }

    /// Skips any JSON value (serde_json's `ignore_value`), `depth` levels deep.
    fn skip_value(&mut self, depth: u32) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                self.i += 1;
                self.skip_ws();
                if self.peek()? == b'}' {
                    self.i += 1;
                    return Some(());
                }
                loop {
                    if self.peek()? != b'"' {
                        return None;
                    }
                    self.skip_string()?;
                    self.skip_ws();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.i += 1;
                    self.skip_ws();
                    self.skip_value(depth + 1)?;
                    self.skip_ws();
                    match self.peek()? {
                        b',' => {
                            self.i += 1;
                            self.skip_ws();
                        }
                        b'}' => {
                            self.i += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                self.i += 1;
                self.skip_ws();
                if self.peek()? == b']' {
                    self.i += 1;
                    return Some(());
                }
                loop {
                    self.skip_value(depth + 1)?;
                    self.skip_ws();
                    match self.peek()? {
                        b',' => {
                            self.i += 1;
                            self.skip_ws();
                        }
                        b']' => {
                            self.i += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    /// At `{` of a struct level: calls `member(self, key)` with `self.i` at each value's first
    /// byte; `member` consumes the value. Keys with escapes are left to serde.
    #[inline(always)]
    fn members(&mut self, mut member: impl FnMut(&mut Self, &'a [u8]) -> Option<()>) -> Option<()> {
        self.i += 1;
        self.skip_ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(());
        }
        loop {
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.plain_string()?.as_bytes();
            self.skip_ws();
            if self.peek()? != b':' {
                return None;
            }
            self.i += 1;
            self.skip_ws();
            member(self, key)?;
            self.skip_ws();
            match self.peek()? {
                b',' => {
                    self.i += 1;
                    self.skip_ws();
                }
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// An `Option<S>` field: a string without escapes, `true`/`false`, or null (`None`).
    #[inline(always)]
    fn scalar(&mut self) -> Option<Option<S<'a>>> {
        match self.peek()? {
            b'"' => Some(Some(S(self.value_string()?, false))),
            b't' => {
                self.literal(b"true")?;
                Some(Some(S(Cow::Borrowed("true"), false)))
            }
            b'f' => {
                self.literal(b"false")?;
                Some(Some(S(Cow::Borrowed("false"), false)))
            }
            b'n' => {
                self.literal(b"null")?;
                Some(None)
            }
            _ => None,
        }
    }

    /// An `Option<Obj<T>>` field: an object (parsed by `inner`) or null (`None`).
    #[inline(always)]
    fn object<T>(
        &mut self,
        inner: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<Option<Obj<'a, T>>> {
        match self.peek()? {
            b'{' => Some(Some(Obj::Map(inner(self)?))),
            b'n' => {
                self.literal(b"null")?;
                Some(None)
            }
            _ => None,
        }
    }

    /// `Present`: any value.
    #[inline(always)]
    fn present(&mut self, depth: u32) -> Option<Present> {
        self.skip_value(depth)?;
        Some(Present(true))
    }

    /// The members named `keys` of an object, read as scalars (each at most once: a repeated key
    /// goes to serde), the others skipped.
    fn scalars<const N: usize>(
        &mut self,
        depth: u32,
        keys: [&[u8]; N],
    ) -> Option<[Option<S<'a>>; N]> {
        let mut out: [Option<S<'a>>; N] = std::array::from_fn(|_| None);
        let mut seen = Seen::default();
        self.members(|p, key| match keys.iter().position(|k| *k == key) {
            Some(i) => {
                seen.first(i as u32)?;
                *out.get_mut(i)? = p.scalar()?;
                Some(())
            }
            None => p.skip_value(depth + 1),
        })?;
        Some(out)
    }

    fn issuer(&mut self, depth: u32) -> Option<Issuer<'a>> {
        let [user_name, arn] = self.scalars(depth, [b"userName", b"arn"])?;
        Some(Issuer { user_name, arn })
    }

    fn session_context(&mut self, depth: u32) -> Option<SessionContext<'a>> {
        let mut v = SessionContext::default();
        let mut seen = Seen::default();
        self.members(|p, key| match key {
            b"sessionIssuer" => {
                seen.first(0)?;
                v.session_issuer = p.object(|p| p.issuer(depth + 1))?;
                Some(())
            }
            _ => p.skip_value(depth + 1),
        })?;
        Some(v)
    }

    fn user_identity(&mut self, depth: u32) -> Option<UserIdentity<'a>> {
        let mut v = UserIdentity::default();
        let mut seen = Seen::default();
        self.members(|p, key| {
            let (bit, slot) = match key {
                b"type" => (0, &mut v.kind),
                b"userName" => (1, &mut v.user_name),
                b"arn" => (2, &mut v.arn),
                b"accountId" => (3, &mut v.account_id),
                b"principalId" => (4, &mut v.principal_id),
                b"invokedBy" => (5, &mut v.invoked_by),
                b"accessKeyId" => (6, &mut v.access_key_id),
                b"sessionContext" => {
                    seen.first(7)?;
                    v.session_context = p.object(|p| p.session_context(depth + 1))?;
                    return Some(());
                }
                _ => return p.skip_value(depth + 1),
            };
            seen.first(bit)?;
            *slot = p.scalar()?;
            Some(())
        })?;
        Some(v)
    }

    fn insight(&mut self, depth: u32) -> Option<Insight<'a>> {
        let [event_name, event_source] = self.scalars(depth, [b"eventName", b"eventSource"])?;
        Some(Insight { event_name, event_source })
    }

    fn event(&mut self, v: &mut Ev<'a>) -> Option<()> {
        let mut seen = Seen::default();
        self.members(|p, key| {
            let Some(id) = event_key(key) else {
                return p.skip_value(2);
            };
            seen.first(id)?;
            let slot = match id {
                0 => &mut v.event_version,
                1 => &mut v.event_time,
                2 => &mut v.event_source,
                3 => &mut v.event_name,
                4 => &mut v.aws_region,
                5 => &mut v.recipient_account_id,
                6 => &mut v.source_ip,
                7 => &mut v.error_code,
                8 => &mut v.user_agent,
                9 => &mut v.event_type,
                10 => &mut v.event_category,
                11 => &mut v.read_only,
                12 => &mut v.event_id,
                13 => &mut v.at_timestamp,
                14 => &mut v.p_event_time,
                15 => &mut v.cribl_time,
                16 => &mut v.timestamp,
                17 => &mut v.time,
                18 => {
                    v.user_identity = p.object(|p| p.user_identity(2))?;
                    return Some(());
                }
                19 => {
                    v.insight_details = p.object(|p| p.insight(2))?;
                    return Some(());
                }
                20 => {
                    v.log_files = p.present(2)?;
                    return Some(());
                }
                21 => {
                    v.digest_start = p.present(2)?;
                    return Some(());
                }
                22 => {
                    v.digest_end = p.present(2)?;
                    return Some(());
                }
                _ => {
                    v.digest_object = p.present(2)?;
                    return Some(());
                }
            };
            *slot = p.scalar()?;
            Some(())
        })
    }
}

/// `k == lit`, compared as a fixed-size array (inline word compares, no `memcmp` call).
#[inline(always)]
fn eq<const N: usize>(k: &[u8], lit: &[u8; N]) -> bool {
    <&[u8; N]>::try_from(k).is_ok_and(|a| a == lit)
}

/// The id of a top-level key [`Ev`] reads (its bit in [`Seen`]), dispatched on the length.
#[inline(always)]
fn event_key(k: &[u8]) -> Option<u32> {
    match k.len() {
        4 => eq(k, b"time").then_some(17),
        5 => eq(k, b"_time").then_some(15),
        7 => eq(k, b"eventID").then_some(12),
        8 => {
            if eq(k, b"readOnly") {
                Some(11)
            } else {
                eq(k, b"logFiles").then_some(20)
            }
        }
        9 => {
            if eq(k, b"eventTime") {
                Some(1)
            } else if eq(k, b"eventName") {
                Some(3)
            } else if eq(k, b"awsRegion") {
                Some(4)
            } else if eq(k, b"userAgent") {
                Some(8)
            } else if eq(k, b"eventType") {
                Some(9)
            } else if eq(k, b"errorCode") {
                Some(7)
            } else {
                eq(k, b"timestamp").then_some(16)
            }
        }
        10 => eq(k, b"@timestamp").then_some(13),
        11 => eq(k, b"eventSource").then_some(2),
        12 => {
            if eq(k, b"eventVersion") {
                Some(0)
            } else if eq(k, b"userIdentity") {
                Some(18)
            } else {
                eq(k, b"p_event_time").then_some(14)
            }
        }
        13 => {
            if eq(k, b"eventCategory") {
                Some(10)
            } else {
                eq(k, b"digestEndTime").then_some(22)
            }
        }
        14 => {
            if eq(k, b"insightDetails") {
                Some(19)
            } else {
                eq(k, b"digestS3Object").then_some(23)
            }
        }
        15 => {
            if eq(k, b"sourceIPAddress") {
                Some(6)
            } else {
                eq(k, b"digestStartTime").then_some(21)
            }
        }
        18 => eq(k, b"recipientAccountId").then_some(5),
        _ => None,
    }
}

/// The text of a JSON string (between its quotes, escapes already checked by
/// [`escape_end`]) with its escapes decoded like serde_json's `parse_str`. A `\u` escape of a
/// UTF-16 surrogate returns `None`: serde pairs or rejects those itself.
#[cold]
fn unescape(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(k) = rest.find('\\') {
        out.push_str(rest.get(..k)?);
        let (c, len) = match *rest.as_bytes().get(k + 1)? {
            b'"' => ('"', 2),
            b'\\' => ('\\', 2),
            b'/' => ('/', 2),
            b'b' => ('\u{8}', 2),
            b'f' => ('\u{c}', 2),
            b'n' => ('\n', 2),
            b'r' => ('\r', 2),
            b't' => ('\t', 2),
            b'u' => {
                let hex = rest.get(k + 2..k + 6)?;
                if !hex.bytes().all(|h| h.is_ascii_hexdigit()) {
                    return None;
                }
                let n = u32::from_str_radix(hex, 16).ok()?;
                if (0xD800..=0xDFFF).contains(&n) {
                    return None;
                }
                (char::from_u32(n)?, 6)
            }
            _ => return None,
        };
        out.push(c);
        rest = rest.get(k + len..)?;
    }
    out.push_str(rest);
    Some(out)
}

/// `i` is just past a backslash inside a string: the end of the escape (ignored-string rules).
#[inline]
fn escape_end(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(i + 1),
        b'u' => {
            let hex = b.get(i + 1..i + 5)?;
            if hex.iter().all(u8::is_ascii_hexdigit) {
                Some(i + 5)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The fast path for the object at `text[start..]` (which must start with `{`), read into `ev`
/// (a default `Ev`; filled in place, as the struct is large). Returns the offset just past
/// the closing brace and whether whitespace appeared between tokens (when it did not, the
/// record is already compact). `None`: use serde (`ev` is then partly filled; drop it).
#[inline]
pub fn parse_into<'a>(text: &'a str, start: usize, ev: &mut Ev<'a>) -> Option<(usize, bool)> {
    let mut p = P { text, b: text.as_bytes(), i: start, ws: false };
    if p.peek()? != b'{' {
        return None;
    }
    p.event(ev)?;
    Some((p.i, p.ws))
}

/// [`parse_into`] a fresh `Ev`.
#[cfg(test)]
pub fn parse(text: &str, start: usize) -> Option<(Ev<'_>, usize, bool)> {
    let mut ev = Ev::default();
    let (end, ws) = parse_into(text, start, &mut ev)?;
    Some((ev, end, ws))
}
