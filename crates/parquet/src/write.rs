//! Events to Parquet (the export): one row per event, the engine's indexed columns as typed,
//! nullable columns plus `raw`, the event's own JSON text, so a tool such as DuckDB can filter on
//! the columns and still reach any field with `json_extract(raw, '$.…')`.
//!
//! Shaped for two callers that must both keep memory bounded: `trailglass-scan --out x.parquet`
//! (streaming folders of any size, one store per file) and, later, the web page's export (this
//! crate has no web dependency and builds for `wasm32-unknown-unknown`). So:
//! * rows are pushed one at a time ([`ParquetWriter::push`]) into per-column buffers (one byte
//!   arena and one offset list per text column: no allocation per value), and a row group is
//!   written out when it reaches [`ROW_GROUP_ROWS`] rows or [`ROW_GROUP_BYTES`] bytes of text,
//!   whichever comes first: memory is one row group's values plus one column chunk's pages;
//! * it uses only the low-level column writer of the `parquet` crate (apache arrow-rs) with
//!   `default-features = false` and the pure-Rust snappy codec: no arrow, no async, no C;
//! * the mapping from a [`Store`] row to a row ([`Event::from_store`]) lives here, beside the
//!   schema, so the two cannot drift apart.
//!
//! Empty text values (the store's "" for a missing field) are written as NULL, so
//! `errorCode IS NULL` selects the calls that succeeded.

use std::borrow::Cow;
use std::io::Write;
use std::sync::Arc;

use parquet::basic::Compression;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int64Type};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use parquet::schema::types::ColumnPath;
use trailglass_core::scan::{key_is, skip_ws, value_end, ObjectIter};
use trailglass_core::{Column, Store};

pub use parquet::errors::ParquetError;

/// Rows of a row group at most.
pub const ROW_GROUP_ROWS: usize = 65_536;
/// Bytes of buffered text (every text column, `raw` included) at which a row group is written
/// even before [`ROW_GROUP_ROWS`]: CloudTrail records run from ~0.5 to several KiB.
pub const ROW_GROUP_BYTES: usize = 32 << 20;

/// The text columns, in schema order, and the engine column each is read from.
pub const TEXT_COLUMNS: [(&str, Column); 13] = [
    ("eventSource", Column::Service),
    ("eventName", Column::Action),
    ("awsRegion", Column::Region),
    ("account", Column::Account),
    ("user", Column::User),
    ("userArn", Column::Arn),
    ("userType", Column::IdentityType),
    ("accessKeyId", Column::AccessKey),
    ("sourceIPAddress", Column::SourceIp),
    ("userAgent", Column::UserAgent),
    ("errorCode", Column::ErrorCode),
    ("eventType", Column::EventType),
    ("eventCategory", Column::Category),
];
const NTEXT: usize = TEXT_COLUMNS.len();

/// The Parquet schema: `eventTime` (ms, UTC), the text columns, `readOnly`, `eventID`, `raw`.
pub fn schema_text() -> String {
    let mut s = String::from("message trailglass_event {\n");
    s.push_str("  optional int64 eventTime (TIMESTAMP(MILLIS,true));\n");
    for (name, _) in TEXT_COLUMNS {
        s.push_str(&format!("  optional binary {name} (STRING);\n"));
    }
    s.push_str("  optional boolean readOnly;\n");
    s.push_str("  optional binary eventID (STRING);\n");
    s.push_str("  required binary raw (STRING);\n}\n");
    s
}

/// One event's values, borrowed from wherever the caller keeps them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Event<'a> {
    /// eventTime in ms since the Unix epoch, UTC.
    pub time_ms: Option<i64>,
    /// The [`TEXT_COLUMNS`]' values in that order ("" = NULL).
    pub text: [&'a str; NTEXT],
    pub read_only: Option<bool>,
    pub event_id: Option<&'a str>,
    /// The event's JSON text.
    pub raw: &'a str,
}

impl<'a> Event<'a> {
    /// `row` of `store`, with `raw` its record text (from [`Store::raw_reader`], which the caller
    /// keeps for a pass over many rows) and `event_id` read from it ([`event_id`]).
    pub fn from_store(
        store: &'a Store,
        row: usize,
        raw: &'a str,
        event_id: Option<&'a str>,
    ) -> Self {
        Event {
            time_ms: store.time_ms(row),
            text: TEXT_COLUMNS.map(|(_, c)| store.get(row, c)),
            read_only: match store.get(row, Column::ReadOnly) {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            event_id,
            raw,
        }
    }
}

/// The top-level `eventID` of a record's JSON text (the store does not index it). `None` when
/// it has none, it is not a string, or the text is not a JSON object. The record's members are
/// walked with the engine's non-validating scanner (the store's texts are valid JSON already),
/// values skipped by `memchr`, which took a quarter of the time serde's validating skip did.
pub fn event_id(raw: &str) -> Option<Cow<'_, str>> {
    let doc = raw.as_bytes();
    let open = skip_ws(doc, 0);
    if doc.get(open) != Some(&b'{') {
        return None;
    }
    let mut members = ObjectIter::new(open);
    let mut stack = Vec::new();
    while let Ok(Some((ks, ke, vs))) = members.next(doc) {
        let (ve, _) = value_end(doc, vs, &mut stack).ok()?;
        if key_is(doc, ks, ke, "eventID") {
            let v = raw.get(vs..ve)?;
            let inner = v.strip_prefix('"')?.strip_suffix('"')?;
            return if inner.contains('\\') {
                serde_json::from_str::<String>(v).ok().map(Cow::Owned)
            } else {
                Some(Cow::Borrowed(inner))
            };
        }
        members.value_done(ve);
    }
    None
}

/// One text column's buffered values: the bytes of the non-null ones end to end, their ends,
/// and a definition level per row (1 = present).
#[derive(Default)]
struct Texts {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    defs: Vec<i16>,
}

impl Texts {
    fn push(&mut self, v: Option<&str>) {
        match v {
            Some(v) => {
                self.bytes.extend_from_slice(v.as_bytes());
                self.ends.push(self.bytes.len());
                self.defs.push(1);
            }
            None => self.defs.push(0),
        }
    }

    /// The values as Parquet byte arrays sharing one buffer, and the buffer emptied.
    fn take(&mut self) -> Vec<ByteArray> {
        let all = bytes::Bytes::from(std::mem::take(&mut self.bytes));
        let mut start = 0;
        let out = self
            .ends
            .iter()
            .map(|&end| {
                let v = ByteArray::from(all.slice(start..end));
                start = end;
                v
            })
            .collect();
        self.ends.clear();
        out
    }
}

/// Writes [`Event`]s to a Parquet file in bounded row groups (see the module docs).
pub struct ParquetWriter<W: Write + Send> {
    inner: SerializedFileWriter<W>,
    times: Vec<i64>,
    time_defs: Vec<i16>,
    text: [Texts; NTEXT],
    read_only: Vec<bool>,
    read_only_defs: Vec<i16>,
    event_id: Texts,
    raw: Texts,
    rows: usize,
    written: u64,
}

impl<W: Write + Send> ParquetWriter<W> {
    /// Starts a file on `sink` (its header is written at once). Snappy-compressed pages;
    /// dictionary encoding for the text columns but `eventID` and `raw`, which rarely repeat.
    pub fn new(sink: W) -> Result<Self, ParquetError> {
        let schema = Arc::new(parse_message_type(&schema_text())?);
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("trailglass-parquet {}", env!("CARGO_PKG_VERSION")))
            .set_column_dictionary_enabled(ColumnPath::from("eventID"), false)
            .set_column_dictionary_enabled(ColumnPath::from("raw"), false)
            // Min/max of JSON texts help no reader skip a page.
            .set_column_statistics_enabled(ColumnPath::from("raw"), EnabledStatistics::None)
            .build();
        Ok(ParquetWriter {
            inner: SerializedFileWriter::new(sink, schema, Arc::new(props))?,
            times: Vec::new(),
            time_defs: Vec::new(),
            text: Default::default(),
            read_only: Vec::new(),
            read_only_defs: Vec::new(),
            event_id: Texts::default(),
            raw: Texts::default(),
            rows: 0,
            written: 0,
        })
    }

    /// Adds one row; writes a row group when the buffered one is full.
    pub fn push(&mut self, e: &Event<'_>) -> Result<(), ParquetError> {
        match e.time_ms {
            Some(t) => {
                self.times.push(t);
                self.time_defs.push(1);
            }
            None => self.time_defs.push(0),
        }
        for (buf, v) in self.text.iter_mut().zip(e.text) {
            buf.push((!v.is_empty()).then_some(v));
        }
        match e.read_only {
            Some(b) => {
                self.read_only.push(b);
                self.read_only_defs.push(1);
            }
            None => self.read_only_defs.push(0),
        }
        self.event_id.push(e.event_id);
        self.raw.push(Some(e.raw));
        self.rows += 1;
        if self.rows >= ROW_GROUP_ROWS || self.buffered_bytes() >= ROW_GROUP_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    /// Rows pushed so far (written or buffered).
    pub fn rows(&self) -> u64 {
        self.written + self.rows as u64
    }

    fn buffered_bytes(&self) -> usize {
        self.raw.bytes.len()
            + self.event_id.bytes.len()
            + self.text.iter().map(|t| t.bytes.len()).sum::<usize>()
    }

    /// Writes the buffered rows as one row group (nothing when none are buffered).
    fn flush(&mut self) -> Result<(), ParquetError> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut group = self.inner.next_row_group()?;
        // Columns come in schema order: eventTime, the text columns, readOnly, eventID, raw.
        let mut n = 0;
        while let Some(mut col) = group.next_column()? {
            match n {
                0 => {
                    col.typed::<Int64Type>().write_batch(
                        &self.times,
                        Some(&self.time_defs),
                        None,
                    )?;
                }
                i if i <= NTEXT => {
                    if let Some(t) = self.text.get_mut(i - 1) {
                        let vals = t.take();
                        col.typed::<ByteArrayType>().write_batch(&vals, Some(&t.defs), None)?;
                        t.defs.clear();
                    }
                }
                i if i == NTEXT + 1 => {
                    col.typed::<BoolType>().write_batch(
                        &self.read_only,
                        Some(&self.read_only_defs),
                        None,
                    )?;
                }
                i if i == NTEXT + 2 => {
                    let vals = self.event_id.take();
                    col.typed::<ByteArrayType>().write_batch(
                        &vals,
                        Some(&self.event_id.defs),
                        None,
                    )?;
                    self.event_id.defs.clear();
                }
                _ => {
                    let vals = self.raw.take();
                    col.typed::<ByteArrayType>().write_batch(&vals, None, None)?;
                    self.raw.defs.clear();
                }
            }
            col.close()?;
            n += 1;
        }
        group.close()?;
        self.times.clear();
        self.time_defs.clear();
        self.read_only.clear();
        self.read_only_defs.clear();
        self.written += self.rows as u64;
        self.rows = 0;
        Ok(())
    }

    /// Writes the last row group and the footer; returns the sink and the rows written.
    pub fn finish(mut self) -> Result<(W, u64), ParquetError> {
        self.flush()?;
        let rows = self.written;
        Ok((self.inner.into_inner()?, rows))
    }
}

#[cfg(test)]
mod tests;
