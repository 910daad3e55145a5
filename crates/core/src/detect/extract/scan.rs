//! The lexer pass of [`Trie`]: the record scanned with the reader's lexer, answering as the
//! serde pass does or giving up (see the parent module).

use serde_json::Value;

use super::{lookup, val, Node, Out, Trie, Val};
use crate::record::lex::{Lex, MAX_DEPTH};

impl Trie {
    /// The values of every path in `raw` by the lexer, or `None` where the serde pass must
    /// decide (see the module's text): a record is an object here, the rest is serde's.
    #[cfg(test)]
    pub(super) fn scan(&self, raw: &str) -> Option<Vec<Vec<Val>>> {
        self.scan_with(raw, false)
    }

    /// [`Trie::scan`]; with `record`, stopping early as [`Trie::extract_record`] says.
    pub(super) fn scan_with(&self, raw: &str, record: bool) -> Option<Vec<Vec<Val>>> {
        let mut lx = Lex::new(raw, 0);
        lx.skip_ws();
        if lx.peek()? != b'{' {
            return None;
        }
        let mut out = Out { vals: vec![Vec::new(); self.paths.len()], slow: false };
        let root = self.nodes.first()?;
        if record && !root.children.is_empty() && root.ends.is_empty() {
            if self.scan_members(&mut lx, root, 0, &mut out, true)? {
                return Some(out.vals);
            }
        } else {
            self.scan_value(&mut lx, 0, 0, &mut out)?;
        }
        lx.skip_ws();
        (lx.i == raw.len()).then_some(out.vals)
    }

    /// At the first byte of a value reached by `node`, `depth` levels deep: reads it as the
    /// serde pass does (`Seed`), or `None`.
    fn scan_value(&self, lx: &mut Lex, node: usize, depth: u32, out: &mut Out) -> Option<()> {
        let n = self.nodes.get(node)?;
        let start = lx.i;
        match lx.peek()? {
            b'{' if !n.ends.is_empty() => {
                // A path ends at this object: every path below is looked up in its `Value`.
                lx.skip_value(depth)?;
                let v: Value = serde_json::from_str(lx.text.get(start..lx.i)?).ok()?;
                for (p, rest) in &n.below {
                    for x in lookup(&v, rest) {
                        out.push(*p, val(x));
                    }
                }
                Some(())
            }
            b'{' if !n.children.is_empty() => {
                self.scan_members(lx, n, depth, out, false).map(|_| ())
            }
            b'[' if !n.children.is_empty() || !n.ends.is_empty() => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                if !lx.open(b']')? {
                    return Some(());
                }
                loop {
                    self.scan_value(lx, node, depth + 1, out)?;
                    if !lx.more(b']')? {
                        return Some(());
                    }
                }
            }
            _ if n.ends.is_empty() => lx.skip_value(depth),
            b'"' => {
                let v = Val::Text(lx.value_string()?.into_owned());
                n.ends.iter().for_each(|&p| out.push(p, v.clone()));
                Some(())
            }
            b'n' => {
                lx.literal(b"null")?;
                n.ends.iter().for_each(|&p| out.push(p, Val::Null));
                Some(())
            }
            _ => {
                // Numbers and booleans as `Value` prints them (serde reads the number).
                lx.skip_value(depth)?;
                let v: Value = serde_json::from_str(lx.text.get(start..lx.i)?).ok()?;
                let v = val(&v);
                n.ends.iter().for_each(|&p| out.push(p, v.clone()));
                Some(())
            }
        }
    }

    /// At `{` of an object whose members `n` has children for. With `stop`, returns `true` as
    /// soon as every child has been read and nothing after could change the answer (see
    /// [`Trie::extract_record`]), `false` at the closing brace.
    fn scan_members(
        &self,
        lx: &mut Lex,
        n: &Node,
        depth: u32,
        out: &mut Out,
        stop: bool,
    ) -> Option<bool> {
        if depth >= MAX_DEPTH {
            return None;
        }
        if !lx.open(b'}')? {
            return Some(false);
        }
        // Children seen, as bits of their position in `n.children` (more than 64: serde's).
        let mut seen = 0u64;
        if n.children.len() > 64 {
            return None;
        }
        loop {
            let key = lx.key()?;
            match n.children.iter().position(|(s, _)| s == key) {
                Some(k) => {
                    if seen & (1 << k) != 0 {
                        return None;
                    }
                    seen |= 1 << k;
                    let c = n.children.get(k)?.1;
                    self.scan_value(lx, c, depth + 1, out)?;
                    let every = u64::MAX >> (64 - n.children.len().clamp(1, 64));
                    if stop && seen == every {
                        let rest = lx.b.get(lx.i..)?;
                        if self.ends_after.iter().all(|f| f.find(rest).is_none()) {
                            return Some(true);
                        }
                    }
                }
                None => {
                    if let Some((head, _)) = key.split_once('.') {
                        if n.children.iter().any(|(s, _)| s == head) {
                            return None;
                        }
                    }
                    lx.skip_value(depth + 1)?;
                }
            }
            if !lx.more(b'}')? {
                return Some(false);
            }
        }
    }
}
