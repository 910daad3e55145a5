//! What the text index leaves out of its blooms, and how a search gets it back from the columns.
//!
//! Records live in compressed blocks, so a free-text search should open as few as it can. Most
//! searches hit a value that is also a column (an error code, an address, an ARN, a user
//! agent), and such a value is in many records, so a bloom over the whole text would send the
//! search to most blocks. The index therefore hashes each record's *residual*: the record with
//! the content of every string that equals one of the row's own column values taken out (keys
//! and every other value stay), and keeps per row which columns were taken out
//! ([`blanked`]). A needle without `"` or `\` then occurs in a record exactly when
//! * it occurs in one of those column values (found from the dictionaries and the columns, no
//!   record read: [`column_rows`]), or
//! * it occurs in the residual (found through the blooms and then read).
//!
//! Why: a taken-out content is delimited by `"` on both sides, so an occurrence of a needle
//! without `"` lies either wholly inside it (then the needle is in that column value) or wholly
//! outside every taken-out content (then its trigrams are in the residual). A key (a string
//! followed by `:`) is never taken out, so a `"key"` needle is always in the residual.

use super::bits::Bits;
use crate::store::{Column, Store, NCOLS};

/// The contents (byte ranges, ascending) of the strings of `raw` that are values (not followed
/// by `:`), hold no `\`, and equal one of `values`; returns the bits (by [`Column::index`]) of
/// the columns whose value was one of them.
pub(crate) fn blanked(raw: &[u8], values: &[&str; NCOLS], out: &mut Vec<(usize, usize)>) -> u16 {
    out.clear();
    let mut bits = 0u16;
    let mut open: Option<usize> = None;
    for q in memchr::memchr_iter(b'"', raw) {
        if escaped(raw, q) {
            continue;
        }
        let Some(o) = open.take() else {
            open = Some(q);
            continue;
        };
        let Some(content) = raw.get(o + 1..q) else { continue };
        if content.is_empty() || raw.get(q + 1) == Some(&b':') || content.contains(&b'\\') {
            continue;
        }
        let mut hit = 0u16;
        for (c, v) in values.iter().enumerate() {
            if v.len() == content.len() && v.as_bytes() == content {
                hit |= 1 << c;
            }
        }
        if hit != 0 {
            bits |= hit;
            out.push((o + 1, q));
        }
    }
    bits
}

/// Whether the `"` at `q` is escaped (an odd run of `\` before it).
fn escaped(raw: &[u8], q: usize) -> bool {
    let before = raw.get(..q).unwrap_or_default();
    before.iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

/// A row's column values, as [`blanked`] takes them.
pub(crate) fn row_values(store: &Store, row: usize) -> [&str; NCOLS] {
    let mut v = [""; NCOLS];
    for (slot, c) in v.iter_mut().zip(Column::ALL) {
        *slot = store.get(row, c);
    }
    v
}

/// Whether the needle can be found through [`column_rows`] and the residual blooms: it holds no
/// `"` and no `\`.
pub(crate) fn plain(needle: &[u8]) -> bool {
    !needle.iter().any(|&b| b == b'"' || b == b'\\')
}

/// Rows below `covered` where `needle` (lower-cased, [`plain`]) occurs in a column value that
/// the index took out of the row's residual (`taken`: per row, the bits of [`blanked`]).
pub(crate) fn column_rows(store: &Store, taken: &[u16], needle: &[u8], covered: usize) -> Bits {
    let mut out = Bits::empty(store.len());
    let finder = memchr::memmem::Finder::new(needle);
    let mut lower = Vec::new();
    for c in Column::ALL {
        let hits: Vec<bool> = store
            .dictionary(c)
            .iter()
            .map(|v| {
                lower.clear();
                lower.extend(v.bytes().map(|b| b.to_ascii_lowercase()));
                !v.is_empty() && finder.find(&lower).is_some()
            })
            .collect();
        if !hits.contains(&true) {
            continue;
        }
        let bit = 1u16 << c.index();
        let ids = store.column(c).iter().zip(taken).take(covered);
        for (row, (&id, &t)) in ids.enumerate() {
            if t & bit != 0 && hits.get(id as usize).copied().unwrap_or(false) {
                out.set(row);
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn vals(list: &[(Column, &'static str)]) -> [&'static str; NCOLS] {
        let mut v = [""; NCOLS];
        for (c, s) in list {
            v[c.index()] = s;
        }
        v
    }

    #[test]
    fn takes_out_values_equal_to_a_column_and_nothing_else() {
        let raw = br#"{"errorCode":"AccessDenied","k":"AccessDenied","AccessDenied":1,"m":"x \"AccessDenied\"","n":"AccessDeniedX"}"#;
        let mut out = Vec::new();
        let bits = blanked(raw, &vals(&[(Column::ErrorCode, "AccessDenied")]), &mut out);
        assert_eq!(bits, 1 << Column::ErrorCode.index());
        let got: Vec<&[u8]> = out.iter().map(|&(a, b)| &raw[a..b]).collect();
        // Both values, not the key, not the escaped text, not the longer value.
        assert_eq!(got, vec![&b"AccessDenied"[..], &b"AccessDenied"[..]]);
        assert_eq!(out[0].0, 14);
        assert_eq!(blanked(raw, &vals(&[]), &mut out), 0);
        assert!(out.is_empty());
    }

    /// A word that is only ever a column value sends the search to no block: the rows come from
    /// the column; a word also in the residual (the errorMessage) still finds its blocks.
    #[test]
    fn column_values_are_answered_without_opening_blocks() {
        use crate::query::{parse, TextIndex};
        let recs: Vec<String> = (0..3000)
            .map(|i| {
                let err = if i % 7 == 0 {
                    r#","errorCode":"AccessDenied","errorMessage":"no Throttled here""#
                } else {
                    ""
                };
                format!(
                    r#"{{"eventName":"GetObject","eventSource":"s3.amazonaws.com","eventID":"e{i}","sourceIPAddress":"10.0.{}.{}"{err}}}"#,
                    i / 250,
                    i % 250
                )
            })
            .collect();
        let mut s = Store::new();
        s.ingest("a.ndjson", recs.join("\n").as_bytes());
        assert_eq!(s.len(), 3000);
        let ix = TextIndex::build(&s);
        assert_eq!(ix.candidate_blocks(&[b"accessdenied"]).count(), 0);
        assert!(ix.candidate_blocks(&[b"throttled"]).count() > 0);
        for (q, n) in
            [("AccessDenied", 429), ("accessdenied", 429), ("10.0.3.1", 111), ("Throttled", 429)]
        {
            let query = parse(q).unwrap();
            let plain = query.run(&s);
            assert_eq!(plain.len(), n, "{q}");
            assert_eq!(query.run_indexed(&s, &ix), plain, "{q}");
        }
    }

    #[test]
    fn escaped_quotes_do_not_pair() {
        let raw = br#"{"a":"q\"","b":"v"}"#;
        let mut out = Vec::new();
        assert_eq!(
            blanked(raw, &vals(&[(Column::Region, "v")]), &mut out),
            1 << Column::Region.index()
        );
        assert_eq!(out.len(), 1);
        assert_eq!(&raw[out[0].0..out[0].1], b"v");
        assert!(plain(b"access") && !plain(b"\"a") && !plain(b"a\\b"));
    }
}
