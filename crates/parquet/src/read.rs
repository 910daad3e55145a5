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
//! footer that does not parse, column chunks that declare more uncompressed bytes than
//! [`Limits::max_output_bytes`]: an error saying so); reading stops at the output limit or at the
//! first page that fails, keeping the rows before it and saying where it stopped.

use std::fmt;

use bytes::Bytes;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::{Field, Row};
use serde_json::{Map, Number, Value};

/// Parquet's magic, at the start and at the end of every file.
const MAGIC: &[u8; 4] = b"PAR1";

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
                 one file may take; narrow it first (Athena, DuckDB) or split it",
                declared >> 20,
                limit >> 20
            ),
        }
    }
}

impl std::error::Error for Error {}

/// Whether `bytes` look like a whole Parquet file (magic at both ends).
pub fn is_parquet(bytes: &[u8]) -> bool {
    bytes.len() >= 12 && bytes.starts_with(MAGIC) && bytes.ends_with(MAGIC)
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
    let limit = limits.max_output_bytes as u64;
    if declared > limit {
        return Err(Error::TooLarge { declared, limit });
    }
    // Trailglass's own export (write.rs): the event is each row's `raw`, the other columns are
    // copies of its fields.
    let own_export =
        ["raw", "eventName", "eventSource"].iter().all(|c| out.columns.iter().any(|k| k == c));
    let rows = reader.get_row_iter(None).map_err(|e| Error::Footer(e.to_string()))?;
    for row in rows {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                out.stopped = Some(format!("stopped at row {}: {e}", out.rows + 1));
                break;
            }
        };
        let raw = own_export.then(|| raw_text(&row)).flatten();
        if let Some(raw) = raw {
            // One line: the record's JSON text, its newlines (only in whitespace or escapes)
            // turned into spaces.
            out.ndjson.extend(raw.bytes().map(|b| if b == b'\n' || b == b'\r' { b' ' } else { b }));
        } else if serde_json::to_writer(&mut out.ndjson, &row_json(&row)).is_err() {
            out.stopped = Some(format!("stopped at row {}: cannot write it", out.rows + 1));
            break;
        }
        out.ndjson.push(b'\n');
        out.rows += 1;
        if out.ndjson.len() > limits.max_output_bytes {
            out.stopped = Some(format!(
                "stopped after {} rows: their text passed the {} MB one file may take",
                out.rows,
                limits.max_output_bytes >> 20
            ));
            break;
        }
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

/// One row as a JSON object.
fn row_json(row: &Row) -> Value {
    Value::Object(row.get_column_iter().map(|(k, f)| (k.clone(), field_json(f))).collect())
}

/// One value (see the module docs for what becomes what).
fn field_json(f: &Field) -> Value {
    let num = |n: f64| Number::from_f64(n).map_or(Value::Null, Value::Number);
    match f {
        Field::Null => Value::Null,
        Field::Bool(b) => Value::Bool(*b),
        Field::Byte(n) => (*n).into(),
        Field::Short(n) => (*n).into(),
        Field::Int(n) => (*n).into(),
        Field::Long(n) => (*n).into(),
        Field::UByte(n) => (*n).into(),
        Field::UShort(n) => (*n).into(),
        Field::UInt(n) => (*n).into(),
        Field::ULong(n) => (*n).into(),
        Field::Float16(n) => num(f64::from(*n)),
        Field::Float(n) => num(f64::from(*n)),
        Field::Double(n) => num(*n),
        Field::Str(s) => Value::String(s.clone()),
        Field::Bytes(b) => Value::String(String::from_utf8_lossy(b.data()).into_owned()),
        // OCSF's times are epoch milliseconds.
        Field::TimestampMillis(ms) => (*ms).into(),
        Field::TimestampMicros(us) => us.div_euclid(1000).into(),
        Field::Group(r) => row_json(r),
        Field::ListInternal(l) => Value::Array(l.elements().iter().map(field_json).collect()),
        Field::MapInternal(m) => {
            let mut o = Map::new();
            for (k, v) in m.entries() {
                let key = match field_json(k) {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                o.insert(key, field_json(v));
            }
            Value::Object(o)
        }
        // Decimals, dates and times of day: as the crate prints them.
        other => Value::String(other.to_string()),
    }
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
        let tiny = Limits { max_output_bytes: 64 };
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
        let some = Limits { max_output_bytes: declared as usize };
        let c = to_ndjson(good, some).unwrap();
        assert!(c.stopped.is_none() || c.rows < 3, "{:?}", c.stopped);
    }
}
