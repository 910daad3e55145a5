//! Exports of a result: CloudTrail `{"Records":[…]}` JSON, NDJSON, and CSV of chosen columns.
//!
//! JSON exports write each record's stored text (the original JSON with insignificant whitespace
//! removed), so nothing is re-serialized or lost. CSV follows RFC 4180 (fields containing `,`,
//! `"`, CR or LF are quoted, quotes doubled, records end with CRLF) and neutralises spreadsheet
//! formula injection: a value starting with `=`, `+`, `-`, `@`, a tab or a CR gets a leading `'`
//! (so a negative number is exported as `'-5`; the apostrophe is what spreadsheets expect).

use std::io::{self, Write};

use crate::query::{field_text_in, resolve_alias, Alias};
use crate::store::{Column, RawReader, Store};
use crate::time::format_ms;

/// Writes `{"Records":[…]}` with one record per line.
pub fn export_records_json(store: &Store, rows: &[u32], w: &mut impl Write) -> io::Result<()> {
    w.write_all(b"{\"Records\":[")?;
    let mut raws = store.raw_reader();
    for (i, &r) in rows.iter().enumerate() {
        w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        w.write_all(raws.get(r as usize).as_bytes())?;
    }
    w.write_all(b"\n]}\n")
}

/// Writes one record per line (newline-delimited JSON).
pub fn export_ndjson(store: &Store, rows: &[u32], w: &mut impl Write) -> io::Result<()> {
    let mut raws = store.raw_reader();
    for &r in rows {
        w.write_all(raws.get(r as usize).as_bytes())?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// `{"Records":[…]}` around records given one per line (each a record's text), as
/// [`export_records_json`] writes it.
pub fn frame_records_json(
    lines: impl IntoIterator<Item = Vec<u8>>,
    w: &mut impl Write,
) -> io::Result<()> {
    w.write_all(b"{\"Records\":[")?;
    for (i, line) in lines.into_iter().enumerate() {
        w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        w.write_all(&line)?;
    }
    w.write_all(b"\n]}\n")
}

/// A file of `format` from its lines ([`export_lines`], in table order): the JSON array, the
/// NDJSON lines, or the CSV header and rows of `columns`.
pub fn frame_export(
    format: LineFormat,
    columns: &[CsvColumn],
    lines: impl IntoIterator<Item = Vec<u8>>,
    w: &mut impl Write,
) -> io::Result<()> {
    match format {
        LineFormat::Records => frame_records_json(lines, w),
        LineFormat::Ndjson | LineFormat::Csv => {
            let end: &[u8] = if format == LineFormat::Csv { b"\r\n" } else { b"\n" };
            if format == LineFormat::Csv {
                w.write_all(&csv_header(columns)?)?;
            }
            for line in lines {
                w.write_all(&line)?;
                w.write_all(end)?;
            }
            Ok(())
        }
    }
}

/// The exports that are one line per event (what a data worker sends of its stretch of the
/// order when several are merged).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LineFormat {
    /// `{"Records":[…]}`: the line is the record.
    Records,
    Ndjson,
    /// The line is the row's CSV fields (without the line end).
    Csv,
}

/// Each row's line of `format` (without its line end or separator).
pub fn export_lines(
    store: &Store,
    rows: &[u32],
    format: LineFormat,
    columns: &[CsvColumn],
) -> io::Result<Vec<String>> {
    let mut raws = store.raw_reader();
    rows.iter()
        .map(|&r| match format {
            LineFormat::Records | LineFormat::Ndjson => Ok(raws.get(r as usize).to_owned()),
            LineFormat::Csv => csv_line(&mut raws, r as usize, columns)
                .map(|l| String::from_utf8_lossy(&l).into_owned()),
        })
        .collect()
}

/// A CSV column: the event time, an indexed column, or a nested path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CsvColumn {
    /// eventTime as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    Time,
    Column(Column),
    /// A nested JSON path (`requestParameters.bucketName`); arrays joined with ", ".
    Path(String),
}

impl CsvColumn {
    /// From a field name of the query language (`time`, `user`, `ip`…), a column's short name
    /// (`source_ip`), or else a path.
    pub fn parse(name: &str) -> CsvColumn {
        match resolve_alias(name) {
            Some(Alias::Time) => CsvColumn::Time,
            Some(Alias::Column(c)) => CsvColumn::Column(c),
            _ => match Column::from_name(name) {
                Some(c) => CsvColumn::Column(c),
                None => CsvColumn::Path(name.to_owned()),
            },
        }
    }

    /// The header text.
    pub fn header(&self) -> &str {
        match self {
            CsvColumn::Time => "eventTime",
            CsvColumn::Column(c) => c.name(),
            CsvColumn::Path(p) => p,
        }
    }

    fn value(&self, raws: &mut RawReader<'_>, row: usize) -> String {
        let store = raws.store();
        match self {
            CsvColumn::Time => store.time_ms(row).map(format_ms).unwrap_or_default(),
            CsvColumn::Column(c) => store.get(row, *c).to_owned(),
            CsvColumn::Path(p) => {
                field_text_in(raws, row, &format!("$.{}", p.strip_prefix("$.").unwrap_or(p)))
                    .unwrap_or_default()
            }
        }
    }
}

/// Writes one CSV field: neutralised, then quoted when needed.
pub(crate) fn write_field(w: &mut impl Write, v: &str) -> io::Result<()> {
    let inject = matches!(v.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'));
    let quote = v.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
    if quote {
        w.write_all(b"\"")?;
    }
    if inject {
        w.write_all(b"'")?;
    }
    if quote {
        w.write_all(v.replace('"', "\"\"").as_bytes())?;
        w.write_all(b"\"")
    } else {
        w.write_all(v.as_bytes())
    }
}

/// The CSV header line (with its CRLF).
fn csv_header(columns: &[CsvColumn]) -> io::Result<Vec<u8>> {
    let mut line = Vec::new();
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            line.push(b',');
        }
        write_field(&mut line, c.header())?;
    }
    line.extend_from_slice(b"\r\n");
    Ok(line)
}

/// One row's CSV fields (without the CRLF).
fn csv_line(raws: &mut RawReader<'_>, row: usize, columns: &[CsvColumn]) -> io::Result<Vec<u8>> {
    let mut line = Vec::new();
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            line.push(b',');
        }
        write_field(&mut line, &c.value(raws, row))?;
    }
    Ok(line)
}

/// Writes a header line and one line per row.
pub fn export_csv(
    store: &Store,
    rows: &[u32],
    columns: &[CsvColumn],
    w: &mut impl Write,
) -> io::Result<()> {
    w.write_all(&csv_header(columns)?)?;
    let mut raws = store.raw_reader();
    for &r in rows {
        w.write_all(&csv_line(&mut raws, r as usize, columns)?)?;
        w.write_all(b"\r\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(v: &str) -> String {
        let mut out = Vec::new();
        let _ = write_field(&mut out, v);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn csv_quoting_and_injection() {
        assert_eq!(f("plain"), "plain");
        assert_eq!(f("a,b"), "\"a,b\"");
        assert_eq!(f("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(f("two\nlines"), "\"two\nlines\"");
        assert_eq!(f("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(f("=1+2"), "'=1+2");
        assert_eq!(f("+1"), "'+1");
        assert_eq!(f("-5"), "'-5");
        assert_eq!(f("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(f("\tx"), "'\tx");
        assert_eq!(f("\rx"), "\"'\rx\"");
        assert_eq!(f("a=b"), "a=b");
        assert_eq!(f(""), "");
        assert_eq!(CsvColumn::parse("user"), CsvColumn::Column(Column::User));
        assert_eq!(CsvColumn::parse("source_ip"), CsvColumn::Column(Column::SourceIp));
        assert_eq!(CsvColumn::parse("time"), CsvColumn::Time);
        assert_eq!(
            CsvColumn::parse("requestParameters.bucketName"),
            CsvColumn::Path("requestParameters.bucketName".into())
        );
    }
}
