//! The values of many dotted paths in one record, read in one pass over its raw JSON text, with
//! exactly the semantics of the reference's `naive::lookup` (which walks a `serde_json::Value`).
//!
//! The paths form a trie of segments; a serde `DeserializeSeed` follows it, skipping every value
//! no path needs with `IgnoredAny`, so no `Value` is built for the common record. Where the
//! reference's rules need a `Value` the pass builds one or gives up on streaming:
//! * a path ending at an object or array element that is an object: the subtree becomes a `Value`
//!   (its text is compact JSON as `Value` writes it) and every path below it is looked up there;
//! * a key holding a dot that could be part of a path (the reference tries a whole dotted rest as
//!   one key first), a key seen twice in one object (`Value` keeps the last): the record is
//!   marked `slow` and the caller looks everything up in a `Value` of the whole record;
//! * a path with an empty segment is always looked up that way (see [`Trie::slow_paths`]).
//!
//! Values come out as [`Val`]: `null`, or the text the reference matches (strings as they are,
//! numbers and booleans as `Value` prints them).

use std::fmt;

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
}

impl Trie {
    pub(crate) fn new(paths: &[String]) -> Trie {
        let mut t = Trie { nodes: vec![Node::default()], paths: paths.to_vec(), slow: Vec::new() };
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
        t
    }

    /// The values of every path in `raw`, indexed like the paths. A text that is not JSON has
    /// no values (the reference reads it as an empty object).
    pub(crate) fn extract(&self, raw: &str) -> Vec<Vec<Val>> {
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn check(raw: &str, paths: &[&str]) {
        let paths: Vec<String> = paths.iter().map(|s| s.to_string()).collect();
        let got = Trie::new(&paths).extract(raw);
        let v: Value = serde_json::from_str(raw).unwrap_or(Value::Object(Default::default()));
        for (i, p) in paths.iter().enumerate() {
            let want: Vec<Val> = lookup(&v, p).into_iter().map(val).collect();
            assert_eq!(got[i], want, "{p} in {raw}");
        }
    }

    #[test]
    fn same_values_as_the_reference() {
        let raw = r#"{"a":{"b":[{"c":"x"},{"c":null},{"c":[1,2.50,true]},{"c":{"z":1,"y":[]}}],"n":-3,"o":{"k":"v","j":{"q":1}}},"d.e":"dotted","d":{"e":"plain"},"f":{"g.h":1,"g":{"h":2}},"arr":[[{"x":1}],{"x":"2"}],"s":"q"}"#;
        check(
            raw,
            &[
                "a.b.c", "a.n", "a.o", "a.o.k", "a.o.j.q", "d.e", "f.g.h", "arr.x", "s", "s.t",
                "missing", "a", "a.b", "", "a..b", "a.",
            ],
        );
        check(r#"{"k":1,"k":2}"#, &["k"]);
        check(r#"{"k":{"a":1},"k":{"a":2}}"#, &["k.a"]);
        check("not json", &["k"]);
        check(r#"{"k":1} trailing"#, &["k"]);
        check(r#"[{"k":1},{"k":2}]"#, &["k"]);
        check(r#"{"k":"\u00e9\"x"}"#, &["k"]);
        check(r#"{"big":123456789012345678901234567890,"f":1e400}"#, &["big", "f"]);
    }
}
