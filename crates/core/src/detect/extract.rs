//! The values of many dotted paths in one record, read in one pass over its raw JSON text, with
//! exactly the semantics of the reference's `naive::lookup` (which walks a `serde_json::Value`).
//!
//! The paths form a trie of segments that one pass over the text follows, skipping every value no
//! path needs, so no `Value` is built for the common record. Two passes implement it:
//! * the lexer pass (`Trie::scan_with`), with the reader's own lexer ([`crate::record::lex`]:
//!   strings 8 bytes at a time, skipped values validated as serde's `ignore_value` does), about
//!   4× faster than serde's visitor and one-sided like the reader's fast path: wherever serde
//!   might decide differently (an escaped key, a `\u` surrogate, nesting past the lexer's depth,
//!   a key that would send the serde pass to its slow road, anything that is not JSON) it gives up
//!   and the serde pass runs. For a record of the store it may stop before the end
//!   ([`Trie::extract_record`]);
//! * the serde pass, a `DeserializeSeed` skipping with `IgnoredAny`, the reference of the first
//!   (`extract_tests.rs` holds them equal on real, synthetic, hand-made and mutated records).
//!
//! Where the reference's rules need a `Value` both build one or give up on streaming:
//! * a path ending at an object or array element that is an object: the subtree becomes a `Value`
//!   (its text is compact JSON as `Value` writes it) and every path below it is looked up there;
//! * a key holding a dot that could be part of a path (the reference tries a whole dotted rest as
//!   one key first), a key seen twice in one object (`Value` keeps the last): the record is
//!   marked `slow` and the caller looks everything up in a `Value` of the whole record;
//! * a path with an empty segment is always looked up that way (the trie's `slow` list).
//!
//! Values come out as [`Val`]: `null`, or the text the reference matches (strings as they are,
//! numbers and booleans as `Value` prints them).

use std::fmt;

use memchr::memmem;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::naive::{lookup, text_of};

/// One value a path reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Val {
    Null,
    Text(String),
}

#[derive(Debug, Default, Clone)]
struct Node {
    children: Vec<(String, usize)>,
    /// Paths (by index) ending here.
    ends: Vec<usize>,
    /// Every path through or ending at this node, with the rest of its path after the node.
    below: Vec<(usize, String)>,
}

/// A set of paths, numbered in the order given.
#[derive(Debug, Clone)]
pub(crate) struct Trie {
    nodes: Vec<Node>,
    paths: Vec<String>,
    /// Paths looked up in a `Value` of the whole record, always.
    slow: Vec<usize>,
    /// Per first segment, a finder of `"segment` (a second copy of the key, or a dotted key
    /// starting with it), and one of `\u` (a key written with escapes may be any key).
    ends_after: Vec<memmem::Finder<'static>>,
}

impl Trie {
    pub(crate) fn new(paths: &[String]) -> Trie {
        let mut t = Trie {
            nodes: vec![Node::default()],
            paths: paths.to_vec(),
            slow: Vec::new(),
            ends_after: vec![memmem::Finder::new(b"\\u").into_owned()],
        };
        for (pi, p) in paths.iter().enumerate() {
            let segs: Vec<&str> = p.split('.').collect();
            if p.is_empty() || segs.iter().any(|s| s.is_empty()) {
                t.slow.push(pi);
                continue;
            }
            let mut at = 0;
            for (si, seg) in segs.iter().enumerate() {
                let rest = segs.get(si..).unwrap_or(&[]).join(".");
                if let Some(n) = t.nodes.get_mut(at) {
                    n.below.push((pi, rest));
                }
                let next = t
                    .nodes
                    .get(at)
                    .and_then(|n| n.children.iter().find(|(s, _)| s == seg).map(|c| c.1));
                at = match next {
                    Some(c) => c,
                    None => {
                        let c = t.nodes.len();
                        t.nodes.push(Node::default());
                        if let Some(n) = t.nodes.get_mut(at) {
                            n.children.push((seg.to_string(), c));
                        }
                        c
                    }
                };
            }
            if let Some(n) = t.nodes.get_mut(at) {
                n.ends.push(pi);
                n.below.push((pi, String::new()));
            }
        }
        let roots = t.nodes.first().map(|n| n.children.clone()).unwrap_or_default();
        for (seg, _) in roots {
            let needle = format!("\"{seg}");
            t.ends_after.push(memmem::Finder::new(needle.as_bytes()).into_owned());
        }
        t
    }

    /// The values of every path in `raw`, indexed like the paths. A text that is not JSON has
    /// no values (the reference reads it as an empty object).
    #[cfg(test)]
    pub(crate) fn extract(&self, raw: &str) -> Vec<Vec<Val>> {
        if self.slow.is_empty() {
            if let Some(vals) = self.scan(raw) {
                return vals;
            }
        }
        self.extract_serde(raw)
    }

    /// [`Trie::extract`] for a record the store holds: the store keeps only records its reader
    /// parsed as JSON, so once every key the paths start with has been read, the rest of the
    /// text need not be read (and validated) too. It is only searched for what would change the
    /// answer: a second copy of one of those keys or a dotted key starting with one (the
    /// reference takes the last copy, and tries a dotted key whole), or a `\u` escape (a key
    /// written with escapes may be any key); if any appears, the record is read to its end.
    pub(crate) fn extract_record(&self, raw: &str) -> Vec<Vec<Val>> {
        if self.slow.is_empty() {
            if let Some(vals) = self.scan_with(raw, true) {
                return vals;
            }
        }
        self.extract_serde(raw)
    }

    /// [`Trie::extract`] by serde alone.
    fn extract_serde(&self, raw: &str) -> Vec<Vec<Val>> {
        let mut out = Out { vals: vec![Vec::new(); self.paths.len()], slow: false };
        let mut de = serde_json::Deserializer::from_str(raw);
        let ok = (Seed { trie: self, node: 0, out: &mut out }).deserialize(&mut de).is_ok()
            && de.end().is_ok();
        if !ok {
            return vec![Vec::new(); self.paths.len()];
        }
        if out.slow || !self.slow.is_empty() {
            let v: Value = serde_json::from_str(raw).unwrap_or(Value::Null);
            let redo: Vec<usize> =
                if out.slow { (0..self.paths.len()).collect() } else { self.slow.clone() };
            for pi in redo {
                if let (Some(slot), Some(p)) = (out.vals.get_mut(pi), self.paths.get(pi)) {
                    *slot = lookup(&v, p).into_iter().map(val).collect();
                }
            }
        }
        out.vals
    }
}

fn val(v: &Value) -> Val {
    match text_of(v) {
        Some(s) => Val::Text(s.into_owned()),
        None => Val::Null,
    }
}

struct Out {
    vals: Vec<Vec<Val>>,
    slow: bool,
}

impl Out {
    fn push(&mut self, path: usize, v: Val) {
        if let Some(slot) = self.vals.get_mut(path) {
            slot.push(v);
        }
    }
}

struct Seed<'t, 'o> {
    trie: &'t Trie,
    node: usize,
    out: &'o mut Out,
}

impl Seed<'_, '_> {
    fn scalar<E: de::Error>(self, v: Val) -> Result<(), E> {
        if let Some(n) = self.trie.nodes.get(self.node) {
            for &p in &n.ends {
                self.out.push(p, v.clone());
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.scalar(Val::Text(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.scalar(Val::Text(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.scalar(Val::Text(serde_json::Number::from(v).to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.scalar(Val::Text(serde_json::Number::from(v).to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        let n = serde_json::Number::from_f64(v).map_or_else(|| "null".into(), |n| n.to_string());
        self.scalar(Val::Text(n))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar(Val::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let (trie, node) = (self.trie, self.node);
        while seq.next_element_seed(Seed { trie, node, out: &mut *self.out })?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let trie = self.trie;
        let Some(n) = trie.nodes.get(self.node) else {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(());
        };
        if !n.ends.is_empty() {
            // A path ends at this object: the reference matches its compact JSON text, so the
            // subtree is read as a `Value` and every path below is looked up in it.
            let mut obj = serde_json::Map::new();
            while let Some((k, v)) = map.next_entry::<String, Value>()? {
                obj.insert(k, v);
            }
            let v = Value::Object(obj);
            for (p, rest) in &n.below {
                for x in lookup(&v, rest) {
                    self.out.push(*p, val(x));
                }
            }
            return Ok(());
        }
        let mut seen: Vec<usize> = Vec::new();
        while let Some(hit) = map.next_key_seed(KeyIs(n))? {
            match hit {
                Key::Child(c) if !seen.contains(&c) => {
                    seen.push(c);
                    map.next_value_seed(Seed { trie, node: c, out: &mut *self.out })?;
                }
                Key::Child(_) | Key::Dotted => {
                    self.out.slow = true;
                    map.next_value::<IgnoredAny>()?;
                }
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

enum Key {
    Child(usize),
    /// A key with a dot whose first part is a segment here: the reference may read it whole.
    Dotted,
    Other,
}

struct KeyIs<'n>(&'n Node);

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIs<'_> {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        if let Some((_, c)) = self.0.children.iter().find(|(s, _)| s == v) {
            return Ok(Key::Child(*c));
        }
        if let Some((head, _)) = v.split_once('.') {
            if self.0.children.iter().any(|(s, _)| s == head) {
                return Ok(Key::Dotted);
            }
        }
        Ok(Key::Other)
    }
}

mod scan;
#[cfg(test)]
mod tests;
