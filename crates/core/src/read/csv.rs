//! CSV rows, within the limits, for the flattened exports (`flat/`): RFC 4180 quoting (quoted
//! fields with commas, doubled quotes and newlines), read by BurntSushi's `csv-core`, the
//! parser inside the `csv` crate.
//!
//! Why `csv-core` and not `csv`'s `Reader`: the `Reader` grows a record's buffer for as long as
//! the record goes on, so one 200 MB cell costs 200 MB more than the file. `csv-core` writes
//! into buffers the caller gives and says when they are full; [`Rows`] grows them up to the
//! record limit (`Limits::max_record_bytes`) and the column limit ([`MAX_COLUMNS`]), then reads
//! the rest of that row into the same buffers without keeping it, and says the row was too
//! large. Memory stays within the limits whatever the file holds; `csv-core` is small, needs no
//! `std`, and its one dependency (memchr) is the reader's already, which suits the wasm worker.
//!
//! `csv-core` never fails: junk reads as some rows, which the header then does not recognise,
//! or whose number of fields is wrong. Cells are never altered: a cell starting with `=`, `+`,
//! `-` or `@` is data (the app's own CSV export neutralises such cells when writing).

use csv_core::{ReadRecordResult, Reader as Core};

/// The most columns a header (or a row) may have: more is an error, read no further. CloudTrail
/// has about 30 top-level fields and Sentinel's table about 60; 4096 leaves room for any real
/// export and keeps a hostile header of 100,000 columns from costing more than this.
pub(super) const MAX_COLUMNS: usize = 4096;

/// The fields of one row.
#[derive(Debug)]
pub(super) struct Fields<'a> {
    out: &'a [u8],
    ends: &'a [usize],
}

impl<'a> Fields<'a> {
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Field `i`'s bytes.
    pub(super) fn get(&self, i: usize) -> Option<&'a [u8]> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { *self.ends.get(i - 1)? };
        self.out.get(start..end)
    }

    /// Field `i` as text (invalid UTF-8 replaced).
    pub(super) fn text(&self, i: usize) -> Option<String> {
        self.get(i).map(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// A blank line (one empty field): not a row.
    pub(super) fn is_blank(&self) -> bool {
        self.len() <= 1 && self.get(0).is_none_or(|f| f.iter().all(|b| b.is_ascii_whitespace()))
    }
}

/// One row, or why it was not kept.
#[derive(Debug)]
pub(super) enum Row<'a> {
    Fields(Fields<'a>),
    /// Larger than the record limit.
    TooLarge,
    /// More than [`MAX_COLUMNS`] fields.
    TooManyFields,
}

/// The rows of a CSV text: see the module docs.
pub(super) struct Rows<'t> {
    text: &'t [u8],
    pos: usize,
    core: Core,
    out: Vec<u8>,
    ends: Vec<usize>,
    max_bytes: usize,
    done: bool,
}

impl<'t> Rows<'t> {
    /// Rows of `text[start..]`; a row's text may be at most `max_bytes` long.
    pub(super) fn new(text: &'t [u8], start: usize, max_bytes: usize) -> Self {
        Rows {
            text,
            pos: start,
            core: Core::new(),
            out: vec![0; (64 << 10).min(max_bytes + 1)],
            ends: vec![0; 64],
            max_bytes,
            done: false,
        }
    }

    /// The next row and the offset of its first byte; `None` at the end.
    pub(super) fn next_row(&mut self) -> Option<(usize, Row<'_>)> {
        if self.done {
            return None;
        }
        while matches!(self.text.get(self.pos), Some(b'\r' | b'\n')) {
            self.pos += 1;
        }
        let start = self.pos;
        let (mut olen, mut elen) = (0, 0);
        let mut over: Option<Row<'static>> = None;
        loop {
            let input = self.text.get(self.pos..).unwrap_or_default();
            let (res, nin, nout, nend) = self.core.read_record(
                input,
                self.out.get_mut(olen..).unwrap_or_default(),
                self.ends.get_mut(elen..).unwrap_or_default(),
            );
            self.pos += nin;
            olen += nout;
            elen += nend;
            match res {
                // The whole text is given at once: an empty input that is not the end would
                // loop forever, so it is taken as the end.
                ReadRecordResult::InputEmpty if input.is_empty() => {
                    self.done = true;
                    return None;
                }
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    if over.is_none() && self.out.len() <= self.max_bytes {
                        let len = (self.out.len() * 2).clamp(1, self.max_bytes + 1);
                        self.out.resize(len, 0);
                    } else {
                        // Too large: the rest of the row is read into the same buffer, not kept.
                        over.get_or_insert(Row::TooLarge);
                        olen = 0;
                    }
                }
                ReadRecordResult::OutputEndsFull => {
                    if over.is_none() && self.ends.len() < MAX_COLUMNS {
                        let len = (self.ends.len() * 2).min(MAX_COLUMNS);
                        self.ends.resize(len, 0);
                    } else {
                        over.get_or_insert(Row::TooManyFields);
                        elen = 0;
                    }
                }
                ReadRecordResult::Record => {
                    let row = match over {
                        Some(why) => why,
                        None => Row::Fields(Fields {
                            out: self.out.get(..olen).unwrap_or_default(),
                            ends: self.ends.get(..elen).unwrap_or_default(),
                        }),
                    };
                    return Some((start, row));
                }
                ReadRecordResult::End => {
                    self.done = true;
                    return None;
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    fn all(text: &[u8], max: usize) -> Vec<(usize, Result<Vec<String>, String>)> {
        let mut rows = Rows::new(text, 0, max);
        let mut out = Vec::new();
        while let Some((at, row)) = rows.next_row() {
            out.push((
                at,
                match row {
                    Row::Fields(f) => Ok((0..f.len()).map(|i| f.text(i).unwrap()).collect()),
                    Row::TooLarge => Err("large".into()),
                    Row::TooManyFields => Err("wide".into()),
                },
            ));
        }
        out
    }

    #[test]
    fn quoting_newlines_and_no_final_newline() {
        let rows = all(b"a,b\r\n\"x, \"\"y\"\"\nz\",=1+2\n\n@c,-d", 100);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0], (0, Ok(vec!["a".into(), "b".into()])));
        assert_eq!(rows[1], (5, Ok(vec!["x, \"y\"\nz".into(), "=1+2".into()])));
        assert_eq!(rows[2].1, Ok(vec!["@c".into(), "-d".into()]));
    }

    #[test]
    fn limits_reject_the_row_and_go_on() {
        let big = format!("h\n{}\nok\n", "x".repeat(1000));
        let rows = all(big.as_bytes(), 100);
        assert_eq!(rows[1].1, Err("large".to_string()));
        assert_eq!(rows[2].1, Ok(vec!["ok".to_string()]));
        // Exactly the limit fits.
        let rows = all(format!("{}\n", "y".repeat(100)).as_bytes(), 100);
        assert_eq!(rows[0].1.as_ref().map(|r| r[0].len()), Ok(100));
        let wide = format!("{}\nnext\n", ",".repeat(MAX_COLUMNS));
        let rows = all(wide.as_bytes(), 1 << 20);
        assert_eq!(rows[0].1, Err("wide".to_string()));
        assert_eq!(rows[1].1, Ok(vec!["next".to_string()]));
    }

    #[test]
    fn junk_never_panics() {
        let mut seed = 7u64;
        for n in 0..200 {
            let bytes: Vec<u8> = (0..(n * 13) % 500)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                    (seed >> 56) as u8
                })
                .collect();
            let _ = all(&bytes, 64);
        }
    }
}
