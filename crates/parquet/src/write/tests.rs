//! The writer against the `parquet` crate's own reader: every row, the typed columns, NULLs,
//! and row groups bounded as the module docs say.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

use super::*;

fn sample_store(events: usize) -> Store {
    let mut store = Store::new();
    let opts = trailglass_sample::SynthOptions { events, ..Default::default() };
    for f in trailglass_sample::generate(&opts) {
        store.ingest_owned(&f.path, f.bytes);
    }
    store
}

fn write(store: &Store) -> Vec<u8> {
    let mut w = ParquetWriter::new(Vec::new()).unwrap();
    let mut raws = store.raw_reader();
    for row in 0..store.len() {
        let raw = raws.get(row).to_string();
        let id = event_id(&raw).map(|c| c.into_owned());
        w.push(&Event::from_store(store, row, &raw, id.as_deref())).unwrap();
    }
    let (bytes, rows) = w.finish().unwrap();
    assert_eq!(rows, store.len() as u64);
    bytes
}

#[test]
fn rows_and_columns_read_back() {
    let store = sample_store(3000);
    let bytes = write(&store);
    let reader = SerializedFileReader::new(bytes::Bytes::from(bytes)).unwrap();
    let meta = reader.metadata();
    assert_eq!(meta.file_metadata().num_rows(), store.len() as i64);
    let names: Vec<String> = meta
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    assert_eq!(names.len(), NTEXT + 4);
    assert_eq!(names[0], "eventTime");
    assert_eq!(names[2], "eventName");
    assert_eq!(names.last().unwrap(), "raw");
    let mut raws = store.raw_reader();
    for (row, rec) in reader.get_row_iter(None).unwrap().enumerate() {
        let rec = rec.unwrap();
        let fields: Vec<(&String, &Field)> = rec.get_column_iter().collect();
        match (fields[0].1, store.time_ms(row)) {
            (Field::TimestampMillis(t), Some(want)) => assert_eq!(*t, want),
            (Field::Null, None) => {}
            other => panic!("row {row}: eventTime {other:?}"),
        }
        for (i, (_, col)) in TEXT_COLUMNS.iter().enumerate() {
            let want = store.get(row, *col);
            match fields[i + 1].1 {
                Field::Str(s) => assert_eq!(s, want),
                Field::Null => assert_eq!(want, "", "row {row} {}", fields[i + 1].0),
                other => panic!("row {row}: {other:?}"),
            }
        }
        let raw = raws.get(row).to_string();
        match fields[NTEXT + 2].1 {
            Field::Str(s) => assert_eq!(Some(s.as_str()), event_id(&raw).as_deref()),
            Field::Null => assert_eq!(event_id(&raw), None),
            other => panic!("{other:?}"),
        }
        assert_eq!(fields[NTEXT + 3].1, &Field::Str(raw));
        let ro = match store.get(row, Column::ReadOnly) {
            "true" => Field::Bool(true),
            "false" => Field::Bool(false),
            _ => Field::Null,
        };
        assert_eq!(fields[NTEXT + 1].1, &ro);
    }
}

#[test]
fn row_groups_are_bounded() {
    let mut w = ParquetWriter::new(Vec::new()).unwrap();
    let raw = "x".repeat(4096);
    let n = ROW_GROUP_BYTES / 4096 * 2 + 10;
    for i in 0..n {
        let e = Event { time_ms: Some(i as i64), raw: &raw, ..Event::default() };
        w.push(&e).unwrap();
    }
    assert_eq!(w.rows(), n as u64);
    let (bytes, _) = w.finish().unwrap();
    let reader = SerializedFileReader::new(bytes::Bytes::from(bytes)).unwrap();
    let groups = reader.metadata().row_groups();
    assert_eq!(groups.len(), 3, "two full groups by bytes and the rest");
    assert!(groups.iter().all(|g| g.num_rows() as usize <= ROW_GROUP_BYTES / 4096 + 1));
    assert_eq!(groups.iter().map(|g| g.num_rows()).sum::<i64>(), n as i64);
}

#[test]
fn an_empty_file_is_valid() {
    let (bytes, rows) = ParquetWriter::new(Vec::new()).unwrap().finish().unwrap();
    assert_eq!(rows, 0);
    let reader = SerializedFileReader::new(bytes::Bytes::from(bytes)).unwrap();
    assert_eq!(reader.metadata().file_metadata().num_rows(), 0);
}

#[test]
fn event_id_is_the_top_level_one() {
    assert_eq!(
        event_id(r#"{"requestParameters":{"eventID":"inner"},"eventID":"outer"}"#).as_deref(),
        Some("outer")
    );
    assert_eq!(event_id(r#"{"eventName":"X"}"#), None);
    assert_eq!(event_id("not json"), None);
    assert_eq!(event_id(r#"{"eventID":7}"#), None);
    assert_eq!(event_id(r#" {"a":[1,{"eventID":"x"}],"eventID":"a\"b"}"#).as_deref(), Some("a\"b"));
}
