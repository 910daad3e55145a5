//! The JSON lexer under the record fast path (`fast.rs`) and the rules' path extraction
//! (`detect/extract.rs`): strings scanned 8 bytes at a time (SWAR), values skipped and validated
//! as serde_json's `ignore_value` does, escapes decoded as serde decodes them. Every method
//! returns `None` where serde might disagree or the text is not JSON; callers then take serde.

use std::borrow::Cow;

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

pub(crate) struct Lex<'a> {
    pub(crate) text: &'a str,
    pub(crate) b: &'a [u8],
    pub(crate) i: usize,
    /// Whitespace seen between tokens.
    pub(crate) ws: bool,
}

impl<'a> Lex<'a> {
    /// A lexer at byte `start` of `text`.
    pub(crate) fn new(text: &'a str, start: usize) -> Lex<'a> {
        Lex { text, b: text.as_bytes(), i: start, ws: false }
    }

    #[inline(always)]
    pub(crate) fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline(always)]
    pub(crate) fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.b.get(self.i) {
            self.i += 1;
            self.ws = true;
        }
    }

    /// `i` is just past an opening quote. Returns the offset of the closing quote and whether
    /// the string holds an escape. `None` on a control character, a bad escape or the end.
    #[inline(always)]
    pub(crate) fn string_at(&self, mut i: usize) -> Option<(usize, bool)> {
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
    pub(crate) fn skip_string(&mut self) -> Option<()> {
        let (e, _) = self.string_at(self.i + 1)?;
        self.i = e + 1;
        Some(())
    }

    /// At `"`: a string without escapes, as borrowed text.
    #[inline(always)]
    pub(crate) fn plain_string(&mut self) -> Option<&'a str> {
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
    pub(crate) fn value_string(&mut self) -> Option<Cow<'a, str>> {
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
    pub(crate) fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.b.get(self.i..self.i + word.len())? == word {
            self.i += word.len();
            Some(())
        } else {
            None
        }
    }

    /// serde_json's `ignore_integer` / `ignore_decimal` / `ignore_exponent`.
    pub(crate) fn number(&mut self) -> Option<()> {
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

    /// At `{` or `[`: steps in; false (and past it) when `close` follows at once (empty).
    #[inline(always)]
    pub(crate) fn open(&mut self, close: u8) -> Option<bool> {
        self.i += 1;
        self.skip_ws();
        if self.peek()? == close {
            self.i += 1;
            return Some(false);
        }
        Some(true)
    }

    /// After a key: past the `:` and the whitespace around it.
    #[inline(always)]
    pub(crate) fn colon(&mut self) -> Option<()> {
        self.skip_ws();
        if self.peek()? != b':' {
            return None;
        }
        self.i += 1;
        self.skip_ws();
        Some(())
    }

    /// At `"` of a member: its key (without escapes; `None` with) and past the `:`.
    #[inline(always)]
    pub(crate) fn key(&mut self) -> Option<&'a str> {
        if self.peek()? != b'"' {
            return None;
        }
        let key = self.plain_string()?;
        self.colon()?;
        Some(key)
    }

    /// After a member or element: true past a `,` (another follows), false past `close`.
    #[inline(always)]
    pub(crate) fn more(&mut self, close: u8) -> Option<bool> {
        self.skip_ws();
        match self.peek()? {
            b',' => {
                self.i += 1;
                self.skip_ws();
                Some(true)
            }
            c if c == close => {
                self.i += 1;
                Some(false)
            }
            _ => None,
        }
    }

    /// Skips any JSON value (serde_json's `ignore_value`), `depth` levels deep.
    pub(crate) fn skip_value(&mut self, depth: u32) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                if !self.open(b'}')? {
                    return Some(());
                }
                loop {
                    if self.peek()? != b'"' {
                        return None;
                    }
                    self.skip_string()?;
                    self.colon()?;
                    self.skip_value(depth + 1)?;
                    if !self.more(b'}')? {
                        return Some(());
                    }
                }
            }
            b'[' => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                if !self.open(b']')? {
                    return Some(());
                }
                loop {
                    self.skip_value(depth + 1)?;
                    if !self.more(b']')? {
                        return Some(());
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
}

/// The text of a JSON string (between its quotes, escapes already checked by
/// [`escape_end`]) with its escapes decoded like serde_json's `parse_str`. A `\u` escape of a
/// UTF-16 surrogate returns `None`: serde pairs or rejects those itself.
#[cold]
pub(crate) fn unescape(raw: &str) -> Option<String> {
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
pub(crate) fn escape_end(b: &[u8], i: usize) -> Option<usize> {
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
