//! Files another reader turned into JSON lines first: a Parquet file's rows (`crates/parquet`,
//! which the page loads in a worker of its own only when a Parquet file arrives, and which
//! `trailglass-scan` links). The engine reads the lines as any NDJSON file (OCSF rows are OCSF
//! records, `record/ocsf.rs`) and the file's report then says where they came from.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::ReadOptions;
use crate::report::Format;
use crate::store::Store;

/// What the other reader said of the file: its size, the rows it wrote, and what to note (the
/// codec, where it stopped and why).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversion {
    /// The size of the file as it was dropped (the Parquet file).
    pub file_bytes: u64,
    /// Rows written as JSON lines.
    pub rows: u64,
    /// The file's compression codecs (`ZSTD`, `SNAPPY`…).
    pub codecs: Vec<String>,
    /// Why the other reader stopped before the last row, when it did (with no rows: why the
    /// file could not be read at all).
    pub stopped: Option<String>,
}

/// Whether `bytes` are a whole Parquet file (`PAR1` at both ends): what the page's data worker
/// hands to the Parquet worker before the engine sees it.
pub fn is_parquet(bytes: &[u8]) -> bool {
    bytes.len() >= 12 && bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1")
}

impl Store {
    /// Reads `lines`, the JSON lines another reader made of the file at `path` (see the module
    /// docs), and marks the file's report as read from Parquet. Returns its index range in
    /// [`Store::files`].
    pub fn ingest_parquet_rows(
        &mut self,
        path: &str,
        lines: Vec<u8>,
        from: &Conversion,
        options: ReadOptions,
    ) -> Range<usize> {
        let added = self.ingest_owned_with(path, lines, options);
        for rep in self.files_from_mut(added.start) {
            rep.format = match rep.format {
                Format::Ocsf => Format::ParquetOcsf,
                _ => Format::Parquet,
            };
            rep.compressed = true;
            let rows = if from.rows == 1 { "row" } else { "rows" };
            let codecs =
                if from.codecs.is_empty() { "none".into() } else { from.codecs.join(", ") };
            if from.rows == 0 {
                rep.skipped = Some(match &from.stopped {
                    Some(why) => format!("the Parquet file was not read: {why}"),
                    None => "a Parquet file with no rows".into(),
                });
                continue;
            }
            rep.notes.insert(
                0,
                format!(
                    "{} {rows} read from a Parquet file of {} bytes (compression: {codecs})",
                    from.rows, from.file_bytes
                ),
            );
            if let Some(why) = &from.stopped {
                rep.notes.insert(1, format!("the Parquet reader {why}"));
            }
        }
        added
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn rows_of_ocsf_read_from_parquet_say_so_in_the_report() {
        let mut s = Store::new();
        let lines = concat!(
            r#"{"class_uid":3005,"time":1704164645000,"api":{"operation":"AssumeRole","service":{"name":"sts.amazonaws.com"}},"metadata":{"uid":"e1"}}"#,
            "\n",
            r#"{"class_uid":6003,"time":1704164705000,"api":{"operation":"GetObject","service":{"name":"s3.amazonaws.com"}},"metadata":{"uid":"e2"}}"#,
            "\n"
        );
        let from = Conversion {
            file_bytes: 16_000,
            rows: 2,
            codecs: vec!["ZSTD".into()],
            stopped: Some("stopped at row 3: bad page".into()),
        };
        let r = s.ingest_parquet_rows(
            "lake/x.parquet",
            lines.as_bytes().to_vec(),
            &from,
            ReadOptions::default(),
        );
        let f = &s.files()[r.start];
        assert_eq!(f.format, Format::ParquetOcsf);
        assert_eq!((f.events, f.kept), (2, 2));
        assert_eq!(
            f.notes[0],
            "2 rows read from a Parquet file of 16000 bytes (compression: ZSTD)"
        );
        assert_eq!(f.notes[1], "the Parquet reader stopped at row 3: bad page");
        assert_eq!(s.len(), 2);
        // Rows that are not events: a Parquet file, no events, and nothing invented.
        let r = s.ingest_parquet_rows(
            "other.parquet",
            b"{\"a\":1}\n{\"a\":2}\n".to_vec(),
            &Conversion { file_bytes: 10, rows: 2, ..Conversion::default() },
            ReadOptions::default(),
        );
        let f = &s.files()[r.start];
        assert_eq!((f.format, f.kept), (Format::Parquet, 0));
        assert_eq!(s.len(), 2);
        // A file the Parquet reader could not read at all: why, and no events.
        let broken = Conversion { stopped: Some("no PAR1 footer".into()), ..Conversion::default() };
        let r = s.ingest_parquet_rows("bad.parquet", Vec::new(), &broken, ReadOptions::default());
        let f = &s.files()[r.start];
        assert_eq!(f.skipped.as_deref(), Some("the Parquet file was not read: no PAR1 footer"));
        assert_eq!((f.format, f.events, f.notes.len()), (Format::Parquet, 0, 0));
        assert_eq!(
            s.files()[0].summary(),
            "2 events from OCSF Parquet (Security Lake)",
            "the file's line names the source"
        );
    }
}
