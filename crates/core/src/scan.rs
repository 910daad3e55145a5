//! A non-validating JSON structure scanner: finds where values end, walks object keys and array
//! elements, and removes insignificant whitespace.
//!
//! serde_json does not say where a record starts or ends; this does, at memory speed: strings are
//! skipped with `memchr2(b'"', b'\\')`, everything else is one byte-class match per byte, nesting
//! is tracked with an explicit stack (no recursion, capped at [`MAX_DEPTH`]). It checks only what
//! it needs to find boundaries (balanced, matching brackets; terminated strings). The typed parse
//! of each record validates the rest. All offsets are byte offsets into the scanned text; no
//! function here can panic on any input.

use memchr::memchr2;

/// Deepest bracket nesting the scanner accepts.
pub const MAX_DEPTH: usize = 512;

/// A scanning error: what and at which byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    pub message: String,
    pub byte: usize,
}

impl ScanError {
    fn new(message: impl Into<String>, byte: usize) -> Self {
        ScanError { message: message.into(), byte }
    }
}

#[inline]
pub fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

/// First non-whitespace offset at or after `i` (or `text.len()`).
#[inline]
pub fn skip_ws(text: &[u8], mut i: usize) -> usize {
    while let Some(&b) = text.get(i) {
        if !is_ws(b) {
            break;
        }
        i += 1;
    }
    i
}

/// `i` is at an opening quote; returns the offset just past the closing quote.
#[inline]
pub fn string_end(text: &[u8], i: usize) -> Result<usize, ScanError> {
    let mut j = i + 1;
    loop {
        let rest = text.get(j..).unwrap_or_default();
        match memchr2(b'"', b'\\', rest) {
            Some(k) => {
                let at = j + k;
                if rest.get(k) == Some(&b'\\') {
                    j = at + 2;
                } else {
                    return Ok(at + 1);
                }
            }
            None => return Err(ScanError::new("unterminated string (end of input)", text.len())),
        }
    }
}

/// Finds the end of the value starting at `i` (which must be at a non-whitespace byte).
/// Returns (end offset exclusive, whether the value contains insignificant whitespace).
/// `stack` is a reusable buffer.
pub fn value_end(text: &[u8], i: usize, stack: &mut Vec<u8>) -> Result<(usize, bool), ScanError> {
    match text.get(i) {
        None => Err(ScanError::new("unexpected end of input, expected a value", i)),
        Some(b'"') => Ok((string_end(text, i)?, false)),
        Some(b'{') | Some(b'[') => container_end(text, i, stack),
        Some(b'}') | Some(b']') | Some(b',') | Some(b':') => Err(ScanError::new(
            format!(
                "expected a value, found `{}`",
                char::from(text.get(i).copied().unwrap_or(b'?'))
            ),
            i,
        )),
        Some(_) => {
            let mut j = i;
            while let Some(&b) = text.get(j) {
                if matches!(b, b',' | b']' | b'}' | b':' | b'"' | b'{' | b'[') || is_ws(b) {
                    break;
                }
                j += 1;
            }
            Ok((j, false))
        }
    }
}

fn container_end(text: &[u8], i: usize, stack: &mut Vec<u8>) -> Result<(usize, bool), ScanError> {
    stack.clear();
    let mut ws = false;
    let mut j = i;
    while let Some(&b) = text.get(j) {
        match b {
            b'"' => {
                j = string_end(text, j)?;
                continue;
            }
            b'{' | b'[' => {
                if stack.len() >= MAX_DEPTH {
                    return Err(ScanError::new(
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                        j,
                    ));
                }
                stack.push(if b == b'{' { b'}' } else { b']' });
            }
            b'}' | b']' => {
                match stack.pop() {
                    Some(want) if want == b => {}
                    Some(want) => {
                        return Err(ScanError::new(
                            format!(
                                "expected `{}` but found `{}`",
                                char::from(want),
                                char::from(b)
                            ),
                            j,
                        ))
                    }
                    None => return Err(ScanError::new("unbalanced bracket", j)),
                }
                if stack.is_empty() {
                    return Ok((j + 1, ws));
                }
            }
            b' ' | b'\n' | b'\r' | b'\t' => ws = true,
            _ => {}
        }
        j += 1;
    }
    let what = match stack.last() {
        Some(b']') => "array",
        _ => "object",
    };
    Err(ScanError::new(format!("unexpected end of input inside an unclosed {what}"), text.len()))
}

/// Copies `src` (one JSON value) into `out` without insignificant whitespace.
pub fn compact_into(src: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.reserve(src.len());
    let mut i = 0;
    while let Some(&b) = src.get(i) {
        if b == b'"' {
            let end = string_end(src, i).unwrap_or(src.len());
            out.extend_from_slice(src.get(i..end).unwrap_or_default());
            i = end;
            continue;
        }
        if !is_ws(b) {
            out.push(b);
        }
        i += 1;
    }
}

/// Iterates the elements of an array, tolerating a missing comma between elements (counted)
/// and a trailing comma.
pub struct ArrayIter {
    pos: usize,
    done: bool,
    first: bool,
    /// Elements that were not separated by a comma (recovered).
    pub missing_commas: u64,
}

impl ArrayIter {
    /// `open` is the offset of the `[`.
    pub fn new(open: usize) -> Self {
        ArrayIter { pos: open + 1, done: false, first: true, missing_commas: 0 }
    }

    /// Offset just past the closing `]` once done.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Next element: (start, end, has_ws). Ok(None) at the closing bracket.
    pub fn next(
        &mut self,
        text: &[u8],
        stack: &mut Vec<u8>,
    ) -> Result<Option<(usize, usize, bool)>, ScanError> {
        match self.next_start(text)? {
            None => Ok(None),
            Some(i) => {
                let (end, ws) = value_end(text, i, stack)?;
                self.pos = end;
                Ok(Some((i, end, ws)))
            }
        }
    }

    /// Where the caller found the current element to end (when it parsed it itself).
    pub fn set_end(&mut self, end: usize) {
        self.pos = end;
    }

    /// Start of the next element (handling separators), or Ok(None) at the closing bracket.
    /// The caller must then call [`ArrayIter::set_end`].
    pub fn next_start(&mut self, text: &[u8]) -> Result<Option<usize>, ScanError> {
        if self.done {
            return Ok(None);
        }
        let mut i = skip_ws(text, self.pos);
        if !self.first {
            match text.get(i) {
                Some(b',') => i = skip_ws(text, i + 1),
                Some(b']') => {}
                Some(b'{') | Some(b'[') | Some(b'"') => self.missing_commas += 1,
                None => {
                    return Err(ScanError::new(
                        "unexpected end of input inside an unclosed array",
                        text.len(),
                    ))
                }
                Some(_) => return Err(ScanError::new("expected `,` or `]`", i)),
            }
        }
        match text.get(i) {
            Some(b']') => {
                self.done = true;
                self.pos = i + 1;
                Ok(None)
            }
            None => {
                Err(ScanError::new("unexpected end of input inside an unclosed array", text.len()))
            }
            Some(_) => {
                self.first = false;
                self.pos = i;
                Ok(Some(i))
            }
        }
    }
}

/// Cheap guess whether a record (already known valid) holds insignificant whitespace worth
/// compacting: pretty-printed (line breaks/tabs) or written with `": "` separators. A single-line
/// record with spaces only in odd places is stored as is (and dedupes only with identical copies).
pub fn looks_spaced(slice: &[u8]) -> bool {
    if memchr::memchr3(b'\n', b'\r', b'\t', slice).is_some() || slice.get(1) == Some(&b' ') {
        return true;
    }
    // The first `":` is at the first `:` preceded by `"` (no `memmem` searcher to build per call).
    for j in memchr::memchr_iter(b':', slice) {
        if j > 0 && slice.get(j - 1) == Some(&b'"') {
            return slice.get(j + 1) == Some(&b' ');
        }
    }
    false
}

/// Iterates the members of an object: (key start, key end (quotes included), value start).
/// Whether the key [`ObjectIter::next`] gave at `doc[ks..ke]` (quotes included) is `name`.
pub fn key_is(doc: &[u8], ks: usize, ke: usize, name: &str) -> bool {
    doc.get(ks + 1..ke.saturating_sub(1)) == Some(name.as_bytes())
}

/// The caller must call [`ObjectIter::value_done`] with the value's end before the next call.
pub struct ObjectIter {
    pos: usize,
    done: bool,
    first: bool,
}

impl ObjectIter {
    /// `open` is the offset of the `{`.
    pub fn new(open: usize) -> Self {
        ObjectIter { pos: open + 1, done: false, first: true }
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn value_done(&mut self, end: usize) {
        self.pos = end;
    }

    pub fn next(&mut self, text: &[u8]) -> Result<Option<(usize, usize, usize)>, ScanError> {
        if self.done {
            return Ok(None);
        }
        let mut i = skip_ws(text, self.pos);
        if !self.first {
            match text.get(i) {
                Some(b',') => i = skip_ws(text, i + 1),
                Some(b'}') => {}
                None => {
                    return Err(ScanError::new(
                        "unexpected end of input inside an unclosed object",
                        text.len(),
                    ))
                }
                Some(_) => return Err(ScanError::new("expected `,` or `}`", i)),
            }
        }
        match text.get(i) {
            Some(b'}') => {
                self.done = true;
                self.pos = i + 1;
                Ok(None)
            }
            Some(b'"') => {
                let kend = string_end(text, i)?;
                let c = skip_ws(text, kend);
                if text.get(c) != Some(&b':') {
                    return Err(ScanError::new("expected `:` after an object key", c));
                }
                let v = skip_ws(text, c + 1);
                if v >= text.len() {
                    return Err(ScanError::new(
                        "unexpected end of input, expected a value",
                        text.len(),
                    ));
                }
                self.first = false;
                Ok(Some((i, kend, v)))
            }
            None => {
                Err(ScanError::new("unexpected end of input inside an unclosed object", text.len()))
            }
            Some(_) => Err(ScanError::new("expected a quoted object key or `}`", i)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_and_errors() {
        let mut st = Vec::new();
        let t = br#"{"a":"x\"}","b":[1,{"c":2}]} tail"#;
        assert_eq!(value_end(t, 0, &mut st), Ok((28, false)));
        let t = b"{ \"a\" : [1, 2] }";
        assert_eq!(value_end(t, 0, &mut st), Ok((t.len(), true)));
        assert!(value_end(b"{\"a\":[}", 0, &mut st).is_err());
        assert_eq!(value_end(b"{\"a\":\"", 0, &mut st).map_err(|e| e.byte), Err(6));
        let deep = "[".repeat(100_000);
        assert!(value_end(deep.as_bytes(), 0, &mut st).is_err());
        let mut out = Vec::new();
        compact_into(b"{ \"a b\" : [ 1 ,\n 2 ] }", &mut out);
        assert_eq!(out, b"{\"a b\":[1,2]}");
    }

    #[test]
    fn array_missing_commas() {
        let t = b"[{\"a\":1}\n{\"b\":2} , {\"c\":3},]";
        let mut it = ArrayIter::new(0);
        let mut st = Vec::new();
        let mut n = 0;
        while it.next(t, &mut st).ok().flatten().is_some() {
            n += 1;
        }
        assert_eq!(n, 3);
        assert_eq!(it.missing_commas, 1);
    }
}
