//! A Parquet file (Amazon Security Lake's OCSF, or any table of records) read into one JSON
//! object per row, newline-separated: the text the engine already reads as OCSF records (or as
//! CloudTrail records, when the rows are CloudTrail's own columns).
//!
//! Why rows through JSON rather than columns straight into the store: the engine's reader owns
//! classification, the OCSF mapping, dedupe and the report, and keeps each record's text for the
//! detail view; a row's JSON is that text. The record API of the `parquet` crate assembles nested
//! rows (structs, lists, maps: `actor.user.uid`, `resources[]`, `unmapped`) from the columns'
//! repetition and definition levels, which is the part not worth writing again.
//!
//! A Parquet file of Trailglass's own export (`write.rs`: the indexed columns and `raw`) gives
//! back each row's `raw`, the event as it was.
//!
//! Values as the OCSF JSON has them: timestamps become epoch milliseconds (OCSF's `time`), dates
//! and times text, binary that is not UTF-8 base64-free text (lossy), decimals text, NaN null.
//!
//! Hostile files: the footer is checked before any page is read (a file that is not Parquet, a
//! footer that does not parse, column chunks that declare more than four times
//! [`Limits::max_output_bytes`] of uncompressed bytes: an error saying so); reading stops at the output limit or at the
//! first page that fails, keeping the rows before it and saying where it stopped.

use std::fmt;

use bytes::Bytes;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::{Field, Row};
use serde_json::{Number, Value};
use trailglass_core::{is_parquet, Conversion};

/// How much one file may become.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The JSON text written, and the uncompressed bytes the footer may declare.
    pub max_output_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_output_bytes: 1 << 30 }
    }
}

/// A file read: its rows as JSON lines, and what the file report should say.
#[derive(Debug, Default)]
pub struct Converted {
    /// One JSON object per row, each followed by `\n`.
    pub ndjson: Vec<u8>,
    /// Rows written to `ndjson`.
    pub rows: u64,
    /// Rows the footer lists.
    pub rows_declared: u64,
    /// The top-level columns, in order.
    pub columns: Vec<String>,
    /// The compression codecs of the column chunks (`ZSTD`, `SNAPPY`…), each once.
    pub codecs: Vec<String>,
    /// Why reading stopped before the last row, when it did.
    pub stopped: Option<String>,
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The bytes do not start and end with Parquet's magic.
    NotParquet,
    /// The footer does not parse (or a row group cannot be opened).
    Footer(String),
    /// The column chunks declare more uncompressed data than the limit.
    TooLarge { declared: u64, limit: u64 },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotParquet => write!(f, "not a Parquet file (no PAR1 magic at both ends)"),
            Error::Footer(e) => write!(f, "the Parquet footer cannot be read: {e}"),
            Error::TooLarge { declared, limit } => write!(
                f,
                "the Parquet file declares {} MB of uncompressed columns, more than the {} MB \
                 one file may hold; narrow it first (Athena, DuckDB) or split it",
                declared >> 20,
                limit >> 20
            ),
        }
    }
}

impl std::error::Error for Error {}

/// Reads a Parquet file into JSON lines and the account of it the engine's report takes
/// (`trailglass_core::Conversion`): a file that cannot be read at all gives no lines and the
/// reason as `stopped`. What `trailglass-scan` and the page's Parquet worker both call.
pub fn read_rows(bytes: Vec<u8>, limits: Limits) -> (Vec<u8>, Conversion) {
    let file_bytes = bytes.len() as u64;
    match to_ndjson(bytes, limits) {
        Ok(c) => {
            let from =
                Conversion { file_bytes, rows: c.rows, codecs: c.codecs, stopped: c.stopped };
            (c.ndjson, from)
        }
        Err(e) => (
            Vec::new(),
            Conversion { file_bytes, stopped: Some(e.to_string()), ..Conversion::default() },
        ),
    }
}

/// Reads a Parquet file's rows into JSON lines (see the module docs).
pub fn to_ndjson(bytes: Vec<u8>, limits: Limits) -> Result<Converted, Error> {
    if !is_parquet(&bytes) {
        return Err(Error::NotParquet);
    }
    let reader =
        SerializedFileReader::new(Bytes::from(bytes)).map_err(|e| Error::Footer(e.to_string()))?;
    let meta = reader.metadata();
    let mut out = Converted {
        rows_declared: u64::try_from(meta.file_metadata().num_rows()).unwrap_or(0),
        columns: meta
            .file_metadata()
            .schema_descr()
            .root_schema()
            .get_fields()
            .iter()
            .map(|f| f.name().to_string())
            .collect(),
        ..Converted::default()
    };
    let mut declared: u64 = 0;
    for rg in meta.row_groups() {
        for c in rg.columns() {
            declared = declared.saturating_add(u64::try_from(c.uncompressed_size()).unwrap_or(0));
            let codec = format!("{:?}", c.compression());
            // `ZSTD(ZstdLevel(1))` → `ZSTD`: the level is the writer's business.
            let codec = codec.split('(').next().unwrap_or_default().to_string();
            if !out.codecs.contains(&codec) {
                out.codecs.push(codec);
            }
        }
    }
    // The rows' JSON is usually larger than their columns; a footer that declares more than
    // four times what the rows may become is refused before any page is read (a bomb's claim).
    let limit = (limits.max_output_bytes as u64).saturating_mul(4);
    if declared > limit {
        return Err(Error::TooLarge { declared, limit });
    }
    // Trailglass's own export (write.rs): the event is each row's `raw`, the other columns are
    // copies of its fields.
    let own_export =
        ["raw", "eventName", "eventSource"].iter().all(|c| out.columns.iter().any(|k| k == c));
    let rows = reader.get_row_iter(None).map_err(|e| Error::Footer(e.to_string()))?;
    let mut line = Vec::new();
    for row in rows {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                out.stopped = Some(format!("stopped at row {}: {e}", out.rows + 1));
                break;
            }
        };
        line.clear();
        match own_export.then(|| raw_text(&row)).flatten() {
            // One line: the record's JSON text, its newlines (only in whitespace or escapes)
            // turned into spaces.
            Some(raw) => {
                line.extend(raw.bytes().map(|b| if b == b'\n' || b == b'\r' { b' ' } else { b }))
            }
            None => {
                if write_row(&mut line, &row).is_err() {
                    out.stopped = Some(format!("stopped at row {}: cannot write it", out.rows + 1));
                    break;
                }
            }
        }
        line.push(b'\n');
        // Stop before the row that would pass the limit, so what was read stays within it.
        if out.ndjson.len() + line.len() > limits.max_output_bytes {
            let rows = if out.rows == 1 { "row" } else { "rows" };
            out.stopped = Some(format!(
                "stopped after {} {rows}: their text reached the {} MB one file may take",
                out.rows,
                limits.max_output_bytes >> 20
            ));
            break;
        }
        out.ndjson.extend_from_slice(&line);
        out.rows += 1;
    }
    Ok(out)
}

/// The `raw` column of a row of Trailglass's own export.
fn raw_text(row: &Row) -> Option<&str> {
    row.get_column_iter().find(|(k, _)| k.as_str() == "raw").and_then(|(_, f)| match f {
        Field::Str(s) => Some(s.as_str()),
        _ => None,
    })
}

/// Writes one row as a JSON object into `out`, straight from the record API's values (no
/// `serde_json::Value` between: building and dropping one per row was a fifth of the time).
fn write_row(out: &mut Vec<u8>, row: &Row) -> serde_json::Result<()> {
    out.push(b'{');
    for (i, (k, f)) in row.get_column_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut *out, k.as_str())?;
        out.push(b':');
        write_field(out, f)?;
    }
    out.push(b'}');
    Ok(())
}

/// One value (see the module docs for what becomes what).
fn write_field(out: &mut Vec<u8>, f: &Field) -> serde_json::Result<()> {
    let mut num = |n: f64| match Number::from_f64(n) {
        Some(n) => serde_json::to_writer(&mut *out, &n),
        None => serde_json::to_writer(&mut *out, &Value::Null),
    };
    match f {
        Field::Null => out.extend_from_slice(b"null"),
        Field::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Field::Byte(n) => serde_json::to_writer(&mut *out, n)?,
        Field::Short(n) => serde_json::to_writer(&mut *out, n)?,
        Field::Int(n) => serde_json::to_writer(&mut *out, n)?,
        Field::Long(n) => serde_json::to_writer(&mut *out, n)?,
        Field::UByte(n) => serde_json::to_writer(&mut *out, n)?,
        Field::UShort(n) => serde_json::to_writer(&mut *out, n)?,
        Field::UInt(n) => serde_json::to_writer(&mut *out, n)?,
        Field::ULong(n) => serde_json::to_writer(&mut *out, n)?,
        Field::Float16(n) => num(f64::from(*n))?,
        Field::Float(n) => num(f64::from(*n))?,
        Field::Double(n) => num(*n)?,
        Field::Str(s) => serde_json::to_writer(&mut *out, s.as_str())?,
        Field::Bytes(b) => serde_json::to_writer(&mut *out, &String::from_utf8_lossy(b.data()))?,
        // OCSF's times are epoch milliseconds.
        Field::TimestampMillis(ms) => serde_json::to_writer(&mut *out, ms)?,
        Field::TimestampMicros(us) => serde_json::to_writer(&mut *out, &us.div_euclid(1000))?,
        Field::Group(r) => write_row(out, r)?,
        Field::ListInternal(l) => {
            out.push(b'[');
            for (i, e) in l.elements().iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_field(out, e)?;
            }
            out.push(b']');
        }
        Field::MapInternal(m) => {
            out.push(b'{');
            for (i, (k, v)) in m.entries().iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                match k {
                    Field::Str(s) => serde_json::to_writer(&mut *out, s.as_str())?,
                    other => serde_json::to_writer(&mut *out, &other.to_string())?,
                }
                out.push(b':');
                write_field(out, v)?;
            }
            out.push(b'}');
        }
        // Decimals, dates and times of day: as the crate prints them.
        other => serde_json::to_writer(&mut *out, &other.to_string())?,
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn lines(c: &Converted) -> Vec<Value> {
        c.ndjson
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_slice(l).unwrap())
            .collect()
    }

    /// The fixtures are written by pyarrow (tests/fixtures/make.py), an independent writer, in
    /// Security Lake's two CloudTrail shapes and four codecs.
    #[test]
    fn security_lake_files_of_both_versions_and_every_codec_read_back_as_ocsf_rows() {
        for codec in ["zstd", "gzip", "snappy", "none"] {
            for version in ["1_0", "1_1"] {
                let name = format!("security_lake_{version}_{codec}.parquet");
                let c = to_ndjson(fixture(&name), Limits::default()).unwrap();
                assert_eq!((c.rows, c.rows_declared, &c.stopped), (3, 3, &None), "{name}");
                let want_codec = match codec {
                    "none" => "UNCOMPRESSED",
                    other => &other.to_ascii_uppercase(),
                };
                assert_eq!(c.codecs, [want_codec], "{name}");
                let rows = lines(&c);
                let r = &rows[0];
                assert_eq!(r["api"]["operation"], "AssumeRole", "{name}");
                assert_eq!(r["api"]["service"]["name"], "sts.amazonaws.com");
                assert_eq!(r["time"], 1_704_164_645_000_i64, "{name}");
                assert_eq!(r["src_endpoint"]["ip"], "198.51.100.7");
                assert_eq!(r["unmapped"]["eventType"], "AwsApiCall");
                assert_eq!(r["resources"][0]["type"], "AWS::IAM::Role");
                assert!(c.columns.contains(&"actor".to_string()));
                // A null struct member stays null; the error of the third row is there.
                assert_eq!(rows[2]["api"]["response"]["error"], "AccessDenied", "{name}");
                if version == "1_1" {
                    assert_eq!(r["class_uid"], 6003);
                    assert_eq!(
                        r["actor"]["user"]["uid"],
                        "arn:aws:sts::111122223333:assumed-role/Admin/bob"
                    );
                    // time_dt is a TIMESTAMP column: epoch ms too.
                    assert_eq!(r["time_dt"], 1_704_164_645_000_i64);
                } else {
                    assert_eq!(r["class_uid"], 3005);
                    assert_eq!(
                        r["actor"]["user"]["uuid"],
                        "arn:aws:sts::111122223333:assumed-role/Admin/bob"
                    );
                }
            }
        }
    }

    #[test]
    fn what_is_not_parquet_or_breaks_says_so_and_never_panics() {
        assert_eq!(
            to_ndjson(b"{\"Records\":[]}".to_vec(), Limits::default()).unwrap_err(),
            Error::NotParquet
        );
        assert_eq!(
            to_ndjson(b"PAR1PAR1".to_vec(), Limits::default()).unwrap_err(),
            Error::NotParquet
        );
        let good = fixture("security_lake_1_1_zstd.parquet");
        // A footer that does not parse.
        let mut bad = good.clone();
        let n = bad.len();
        for b in bad.get_mut(n - 200..n - 8).unwrap() {
            *b ^= 0x5a;
        }
        assert!(matches!(to_ndjson(bad, Limits::default()), Err(Error::Footer(_))));
        // Pages damaged: an error or fewer rows with the reason, never a panic.
        for at in (4..good.len() - 8).step_by(97) {
            let mut bad = good.clone();
            bad[at] ^= 0xff;
            if let Ok(c) = to_ndjson(bad, Limits::default()) {
                assert!(c.rows <= 3);
            }
        }
        // Truncated anywhere: not Parquet any more (the tail magic is gone) or an error.
        for cut in [5, 100, good.len() / 2, good.len() - 1] {
            assert!(to_ndjson(good[..cut].to_vec(), Limits::default()).is_err());
        }
        // The declared size is checked before reading; the output limit stops with a reason.
        let tiny = Limits { max_output_bytes: 16 };
        assert!(matches!(to_ndjson(good.clone(), tiny), Err(Error::TooLarge { .. })));
        let declared: u64 = {
            let r = SerializedFileReader::new(Bytes::from(good.clone())).unwrap();
            r.metadata()
                .row_groups()
                .iter()
                .flat_map(|g| g.columns())
                .map(|c| c.uncompressed_size() as u64)
                .sum()
        };
        let some = Limits { max_output_bytes: (declared as usize).div_ceil(4) };
        let c = to_ndjson(good.clone(), some).unwrap();
        assert!(c.stopped.is_none() || c.rows < 3, "{:?}", c.stopped);
        // Stopped by the output limit: what was read stays within it, whole rows only.
        let all = to_ndjson(good.clone(), Limits::default()).unwrap().ndjson;
        let first = all.iter().position(|&b| b == b'\n').unwrap() + 1;
        let c = to_ndjson(good, Limits { max_output_bytes: first + 10 }).unwrap();
        assert_eq!((c.rows, c.ndjson.len()), (1, first));
        assert!(c.stopped.unwrap().starts_with("stopped after 1 row:"));
    }
}
