//! Helpers shared by the integration tests.

use trailglass_core::{Column, Store};

/// The first difference between two stores' reports and rows (time, file, every column, raw
/// text), or `None` when they hold the same. Used to check that [`Store::ingest_owned`] reads
/// exactly what [`Store::ingest`] reads.
pub fn first_difference(a: &Store, b: &Store) -> Option<String> {
    if a.files() != b.files() {
        return Some(format!("file reports differ:\n{:?}\n{:?}", a.files(), b.files()));
    }
    if a.len() != b.len() {
        return Some(format!("{} rows against {}", a.len(), b.len()));
    }
    for row in 0..a.len() {
        if a.time_ms(row) != b.time_ms(row) || a.file_of(row) != b.file_of(row) {
            return Some(format!("row {row}: time or file differ"));
        }
        for col in Column::ALL {
            if a.get(row, col) != b.get(row, col) {
                return Some(format!(
                    "row {row} {}: {:?} against {:?}",
                    col.name(),
                    a.get(row, col),
                    b.get(row, col)
                ));
            }
        }
        if a.raw(row) != b.raw(row) {
            return Some(format!("row {row} raw: {:?} against {:?}", a.raw(row), b.raw(row)));
        }
    }
    None
}
