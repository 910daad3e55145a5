//! Nested JSON paths over a record's raw text, without building a `serde_json::Value`.
//!
//! A [`DeserializeSeed`] follows the path: at each object it compares keys (ASCII
//! case-insensitively, borrowed when unescaped) with the next segment and skips every other value
//! with `IgnoredAny`; arrays are transparent (each element continues with the same remaining
//! path). At the end of the path each scalar is handed to a predicate as text (numbers as their
//! integer or shortest float text, booleans as `true`/`false`; `null` is no value). The first
//! match stops the parse early through a private error.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::pattern::Glob;

/// What to test at the end of the path.
#[derive(Clone, Copy)]
pub(crate) enum Want<'g> {
    /// A non-null value that is not the empty string (objects and arrays count).
    Exists,
    Glob(&'g Glob),
}

const FOUND: &str = "\u{0}tg-found";

/// True when the record (JSON text) has a value at `path` that satisfies `want`.
pub(crate) fn path_matches(raw: &str, path: &[String], want: Want<'_>) -> bool {
    let mut de = serde_json::Deserializer::from_str(raw);
    match (PathSeed { path, want }).deserialize(&mut de) {
        Ok(()) => false,
        Err(e) => e.is_data() && e.to_string().starts_with(FOUND),
    }
}

struct PathSeed<'p, 'g> {
    path: &'p [String],
    want: Want<'g>,
}

fn found<E: de::Error>() -> E {
    E::custom(FOUND)
}

impl<'de> DeserializeSeed<'de> for PathSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl PathSeed<'_, '_> {
    fn leaf<E: de::Error>(&self, text: &str, is_string: bool) -> Result<(), E> {
        if !self.path.is_empty() {
            return Ok(());
        }
        let ok = match self.want {
            Want::Exists => !(is_string && text.is_empty()),
            Want::Glob(g) => g.matches(text),
        };
        if ok {
            Err(found())
        } else {
            Ok(())
        }
    }
}

impl<'de> Visitor<'de> for PathSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.leaf(v, true)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.leaf(if v { "true" } else { "false" }, false)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.leaf(&v.to_string(), false)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.leaf(&v.to_string(), false)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.leaf(&v.to_string(), false)
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(PathSeed { path: self.path, want: self.want })?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((seg, rest)) = self.path.split_first() else {
            // The path ends at an object: it exists (objects match only `*`).
            if matches!(self.want, Want::Exists) {
                return Err(found());
            }
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(());
        };
        while let Some(hit) = map.next_key_seed(KeyIs(seg))? {
            if hit {
                map.next_value_seed(PathSeed { path: rest, want: self.want })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// Deserializes a key into "is it this segment (ASCII case-insensitively)".
struct KeyIs<'s>(&'s str);

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIs<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        Ok(v.eq_ignore_ascii_case(self.0))
    }
}

/// Every value at `path` as display text (strings as-is, objects/arrays as compact JSON, numbers
/// and booleans as their text); `None` when there is none. Used for table cells and CSV columns.
pub(crate) fn path_values(raw: &str, path: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(raw) {
        collect(&v, path, &mut out);
    }
    out
}

fn collect(v: &serde_json::Value, path: &[String], out: &mut Vec<String>) {
    use serde_json::Value;
    match (v, path.split_first()) {
        (Value::Array(a), _) => a.iter().for_each(|e| collect(e, path, out)),
        (Value::Null, _) => {}
        (Value::Object(m), Some((seg, rest))) => {
            for (k, val) in m {
                if k.eq_ignore_ascii_case(seg) {
                    collect(val, rest, out);
                }
            }
        }
        (_, Some(_)) => {}
        (Value::String(s), None) => out.push(s.clone()),
        (Value::Number(n), None) => out.push(match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) => f.to_string(),
            _ => n.to_string(),
        }),
        (Value::Bool(b), None) => out.push(b.to_string()),
        (Value::Object(_), None) => out.push(v.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(p: &str) -> Vec<String> {
        p.split('.').map(str::to_ascii_lowercase).collect()
    }
    fn glob(s: &str) -> Glob {
        let cs: Vec<(char, bool)> = s.chars().map(|c| (c, false)).collect();
        Glob::new(&cs, true)
    }

    #[test]
    fn walks() {
        let raw = r#"{"a":{"B":[{"c":"x1"},{"c":"Y2"},{"c":null}],"n":5,"f":1.5,"t":true,"e":"","o":{}},"z":[[1,2],[3]]}"#;
        assert!(path_matches(raw, &segs("a.b.c"), Want::Glob(&glob("y*"))));
        assert!(path_matches(raw, &segs("a.b.c"), Want::Glob(&glob("x1"))));
        assert!(!path_matches(raw, &segs("a.b.c"), Want::Glob(&glob("z"))));
        assert!(path_matches(raw, &segs("a.n"), Want::Glob(&glob("5"))));
        assert!(path_matches(raw, &segs("a.f"), Want::Glob(&glob("1.5"))));
        assert!(path_matches(raw, &segs("a.t"), Want::Glob(&glob("TRUE"))));
        assert!(!path_matches(raw, &segs("a.e"), Want::Exists));
        assert!(path_matches(raw, &segs("a.o"), Want::Exists));
        assert!(path_matches(raw, &segs("a"), Want::Exists));
        assert!(!path_matches(raw, &segs("a"), Want::Glob(&glob("*"))) || glob("*").matches("x"));
        assert!(path_matches(raw, &segs("z"), Want::Glob(&glob("3"))));
        assert!(!path_matches(raw, &segs("a.missing"), Want::Exists));
        assert!(!path_matches("not json", &segs("a"), Want::Exists));
        assert_eq!(path_values(raw, &segs("a.b.c")), vec!["x1".to_string(), "Y2".to_string()]);
        assert_eq!(path_values(raw, &segs("a.o")), vec!["{}".to_string()]);
        assert_eq!(path_values(raw, &segs("z")), vec!["1", "2", "3"]);
    }
}
