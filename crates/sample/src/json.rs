//! A tiny JSON tree and its compact writer. Hand-written rather than serde_json: an event is
//! built as a tree of static keys in CloudTrail's own key order, and a `serde_json::Value` map
//! would sort its keys (no `preserve_order` feature in this workspace); a derive per event shape
//! would be dozens of structs for data that is only ever written.

use std::io::Write;

pub(crate) enum J {
    Null,
    B(bool),
    I(i64),
    F(f64),
    S(&'static str),
    Str(String),
    Obj(Vec<(&'static str, J)>),
    Arr(Vec<J>),
}

pub(crate) fn s(x: &'static str) -> J {
    J::S(x)
}
pub(crate) fn st(x: impl Into<String>) -> J {
    J::Str(x.into())
}
pub(crate) fn obj(v: Vec<(&'static str, J)>) -> J {
    J::Obj(v)
}

/// The string at `key` of an object (`None` for other values or keys).
pub(crate) fn get_str<'j>(j: &'j J, key: &str) -> Option<&'j str> {
    match j {
        J::Obj(kv) => kv.iter().find(|(k, _)| *k == key).and_then(|(_, v)| match v {
            J::S(x) => Some(*x),
            J::Str(x) => Some(x.as_str()),
            _ => None,
        }),
        _ => None,
    }
}

pub(crate) fn write_str(out: &mut Vec<u8>, x: &str) {
    out.push(b'"');
    let b = x.as_bytes();
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        let esc: Option<&[u8]> = match c {
            b'"' => Some(b"\\\""),
            b'\\' => Some(b"\\\\"),
            b'\n' => Some(b"\\n"),
            b'\r' => Some(b"\\r"),
            b'\t' => Some(b"\\t"),
            0..=0x1f => None,
            _ => continue,
        };
        out.extend_from_slice(&b[start..i]);
        match esc {
            Some(e) => out.extend_from_slice(e),
            None => {
                let _ = write!(out, "\\u{:04x}", c);
            }
        }
        start = i + 1;
    }
    out.extend_from_slice(&b[start..]);
    out.push(b'"');
}

pub(crate) fn write_json(out: &mut Vec<u8>, j: &J) {
    match j {
        J::Null => out.extend_from_slice(b"null"),
        J::B(true) => out.extend_from_slice(b"true"),
        J::B(false) => out.extend_from_slice(b"false"),
        J::I(n) => {
            let _ = write!(out, "{n}");
        }
        J::F(f) => {
            if f.is_finite() {
                let _ = write!(out, "{f}");
            } else {
                out.extend_from_slice(b"0");
            }
        }
        J::S(x) => write_str(out, x),
        J::Str(x) => write_str(out, x),
        J::Obj(kv) => {
            out.push(b'{');
            for (i, (k, v)) in kv.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_str(out, k);
                out.push(b':');
                write_json(out, v);
            }
            out.push(b'}');
        }
        J::Arr(xs) => {
            out.push(b'[');
            for (i, v) in xs.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_json(out, v);
            }
            out.push(b']');
        }
    }
}
