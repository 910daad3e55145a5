//! The text of a field for one row, read the way the query language names fields: an alias
//! reads its column or the time, anything else is a nested path into the record's JSON. Table
//! cells, the CSV export and the command line show values through it.

use super::parse::{resolve_alias, Alias};
use super::path::path_values;
use crate::store::Store;
use crate::time::format_ms;

/// The text of a field for one row: a field name of the language (`user`, `service`, `time`…) or
/// a nested path (`requestParameters.bucketName`, `$.anyKey`). Several values (arrays) are joined
/// with ", "; objects are compact JSON. `None` when the field has no value.
pub fn field_text(store: &Store, row: usize, path: &str) -> Option<String> {
    if row >= store.len() {
        return None;
    }
    match resolve_alias(path) {
        Some(Alias::Column(c)) => {
            let v = store.get(row, c);
            return (!v.is_empty()).then(|| v.to_owned());
        }
        Some(Alias::Time) => return store.time_ms(row).map(format_ms),
        Some(Alias::Last) => return None,
        None => {}
    }
    let body = path.strip_prefix("$.").unwrap_or(path);
    let segs: Vec<String> = body.split('.').map(str::to_ascii_lowercase).collect();
    let vals = path_values(store.raw(row), &segs);
    (!vals.is_empty()).then(|| vals.join(", "))
}
