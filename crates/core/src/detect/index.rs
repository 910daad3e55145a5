//! The path index: every row's values for each field path the loaded rules name, interned into a
//! `u32` per row, extracted from the raw records on demand and kept for the next run
//! ([`DetectCache`]), so a rule tests each distinct value once instead of parsing JSON per row.
//!
//! * A path's column ([`PathCol`]) holds per row [`MISSING`], [`NULL`], a text id, or
//!   [`LIST`]` | i` for a row reaching several values (arrays), and [`NOT_DONE`] for a row not yet
//!   read. Rows are read lazily, a whole [`Trie`] group of paths per parse, when a test needs them:
//!   a test on candidate rows reads only those.
//! * Fields the store keeps as a column (`eventName`, `eventSource`, …; [`COLUMNS`]) are read
//!   from the column where it is a faithful copy of the field, and from the path otherwise. Not
//!   faithful: an empty value (missing, null, "" and non-text fields all look alike; a row the
//!   reader found without the field, or whose text does not even contain the key, is missing for
//!   sure), a value that reads as a number
//!   (the reader keeps a number's text as written, the reference prints it again), an Insight
//!   event's service and action (taken from `insightDetails`), and the `userIdentity` fields of a
//!   row whose `userIdentity` is a JSON string (the reader parses it; the reference does not).
//! * The store only grows, so the cache extends with it; [`DetectCache::reset`] (or a new cache)
//!   is for a store that was cleared or replaced. A store that visibly does not continue the one
//!   indexed (fewer rows, another first or last indexed record) resets the cache by itself.

use memchr::memmem;
use rustc_hash::FxHashMap;

use super::extract::{Trie, Val};
use crate::store::{Column, RawCache, Store};

pub(crate) const MISSING: u32 = 0;
pub(crate) const NULL: u32 = 1;
pub(crate) const LIST: u32 = 1 << 31;
pub(crate) const NOT_DONE: u32 = u32::MAX;

/// (path, column, whether it is a `userIdentity` field).
pub(crate) const COLUMNS: &[(&str, Column, bool)] = &[
    ("eventSource", Column::Service, false),
    ("eventName", Column::Action, false),
    ("awsRegion", Column::Region, false),
    ("sourceIPAddress", Column::SourceIp, false),
    ("errorCode", Column::ErrorCode, false),
    ("userAgent", Column::UserAgent, false),
    ("eventType", Column::EventType, false),
    ("userIdentity.type", Column::IdentityType, true),
    ("userIdentity.arn", Column::Arn, true),
    ("userIdentity.accessKeyId", Column::AccessKey, true),
];

/// One path's interned values.
#[derive(Debug, Default, Clone)]
pub(crate) struct PathCol {
    pub(crate) ids: Vec<u32>,
    /// Texts by id; ids 0 and 1 ([`MISSING`], [`NULL`]) hold "".
    pub(crate) dict: Vec<Box<str>>,
    map: FxHashMap<Box<str>, u32>,
    pub(crate) lists: Vec<Box<[u32]>>,
}

impl PathCol {
    fn new() -> PathCol {
        PathCol { dict: vec!["".into(), "".into()], ..PathCol::default() }
    }

    fn text_id(&mut self, s: String) -> u32 {
        if let Some(&id) = self.map.get(s.as_str()) {
            return id;
        }
        let id = self.dict.len() as u32;
        let b: Box<str> = s.into_boxed_str();
        self.map.insert(b.clone(), id);
        self.dict.push(b);
        id
    }

    fn intern(&mut self, vals: Vec<Val>) -> u32 {
        let mut ids: Vec<u32> = vals
            .into_iter()
            .map(|v| match v {
                Val::Null => NULL,
                Val::Text(s) => self.text_id(s),
            })
            .collect();
        match ids.len() {
            0 => MISSING,
            1 => ids.pop().unwrap_or(MISSING),
            _ => {
                self.lists.push(ids.into_boxed_slice());
                LIST | (self.lists.len() as u32 - 1)
            }
        }
    }

    /// The element ids of a row id (one for a single value, none for missing).
    pub(crate) fn elements(&self, id: u32) -> &[u32] {
        if id & LIST != 0 && id != NOT_DONE {
            return self.lists.get((id & !LIST) as usize).map_or(&[], |l| l);
        }
        &[]
    }
}

/// A column-backed path: which column, and which of its dictionary values are faithful.
#[derive(Debug, Clone)]
pub(crate) struct ColSource {
    pub(crate) col: Column,
    identity: bool,
    /// Per dictionary id: whether the value is a faithful copy (non-empty, not a number).
    pub(crate) trusted: Vec<bool>,
    /// Finds the key as it appears in a raw record, to prove a field missing.
    key: memmem::Finder<'static>,
}

/// Where a text of the index is: a store column's dictionary id, or a path column's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextAt {
    Col(Column, u32),
    Path(usize, u32),
}

/// What one row holds for a path: a faithful column value, or the path column's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowVal {
    Col(u32),
    Path(u32),
}

/// The path index, kept between runs over a growing store.
#[derive(Debug, Default, Clone)]
pub struct DetectCache {
    paths: Vec<String>,
    by_name: FxHashMap<String, usize>,
    /// Groups of paths read together, and each path's group.
    groups: Vec<(Trie, Vec<usize>)>,
    group_of: Vec<usize>,
    pub(crate) cols: Vec<PathCol>,
    pub(crate) source: Vec<Option<ColSource>>,
    /// Rows whose service/action columns come from `insightDetails`, ascending; rows scanned.
    insight: (Vec<u32>, usize),
    /// Rows whose `userIdentity` is a JSON string (`Store::identity_is_text`), ascending; rows
    /// scanned (only while a
    /// `userIdentity` column is in use).
    identity_string: (Vec<u32>, usize),
    /// Finds `\u`: a key written with an escape may be any key.
    escape: Escape,
    /// The block of records last read.
    raws: RawCache,
    /// Rows indexed and a fingerprint of the store they came from.
    rows: usize,
    fingerprint: u64,
}

/// A `memmem` finder for `\u`, built once.
#[derive(Debug, Clone)]
struct Escape(memmem::Finder<'static>);

impl Default for Escape {
    fn default() -> Escape {
        Escape(memmem::Finder::new(b"\\u").into_owned())
    }
}

impl Escape {
    fn find(&self, raw: &[u8]) -> Option<usize> {
        self.0.find(raw)
    }
}

/// A hash of the first and the last indexed row's records (and of the row count).
fn fingerprint(store: &Store, rows: usize) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut add = |b: u8| h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    for row in [0, rows.saturating_sub(1)] {
        let raw = store.raw(row);
        raw.bytes().take(256).for_each(&mut add);
        raw.len().to_le_bytes().into_iter().for_each(&mut add);
    }
    rows.to_le_bytes().into_iter().for_each(&mut add);
    h
}

impl DetectCache {
    pub fn new() -> DetectCache {
        DetectCache::default()
    }

    /// Forgets every row (the paths stay known).
    pub fn reset(&mut self) {
        let paths = std::mem::take(&mut self.paths);
        *self = DetectCache::default();
        self.register(&paths);
    }

    /// Makes sure `paths` are known and the cache covers `store`'s rows; false when the store
    /// does not continue the one indexed (the cache then started afresh).
    pub(crate) fn prepare(&mut self, store: &Store, paths: &[String]) -> bool {
        let continues = store.len() >= self.rows
            && (self.rows == 0 || fingerprint(store, self.rows) == self.fingerprint);
        if !continues {
            self.reset();
        }
        self.register(paths);
        self.fingerprint = fingerprint(store, store.len());
        self.rows = store.len();
        for c in &mut self.cols {
            c.ids.resize(store.len(), NOT_DONE);
        }
        if self.source.iter().flatten().any(|s| s.identity) {
            for r in self.identity_string.1..store.len() {
                if store.identity_is_text(r) {
                    self.identity_string.0.push(r as u32);
                }
            }
            self.identity_string.1 = store.len();
        }
        for s in self.source.iter_mut().flatten() {
            let dict = store.dictionary(s.col);
            for v in dict.iter().skip(s.trusted.len()) {
                s.trusted.push(!v.is_empty() && v.trim().parse::<f64>().is_err());
            }
        }
        let types = store.dictionary(Column::EventType);
        let ids = store.column(Column::EventType);
        if let Some(insight) = types.iter().position(|t| &**t == "AwsCloudTrailInsight") {
            for (r, &id) in ids.iter().enumerate().skip(self.insight.1) {
                if id as usize == insight {
                    self.insight.0.push(r as u32);
                }
            }
        }
        self.insight.1 = ids.len();
        continues
    }

    /// Adds the paths not known yet, in groups read together: each path backed by a column
    /// alone (read only for the rows where that column is not faithful), the others by their
    /// first segment (`requestParameters.…` apart from `userIdentity.…`), so a test on one field
    /// of a row does not pay for every other path the rules name (nor for a `Value` of a whole
    /// `requestParameters` some rule matches as text).
    fn register(&mut self, paths: &[String]) {
        let new: std::collections::BTreeSet<&String> =
            paths.iter().filter(|p| !self.by_name.contains_key(*p)).collect();
        let mut groups: std::collections::BTreeMap<(bool, &str), Vec<&String>> =
            std::collections::BTreeMap::new();
        for p in new {
            let backed = COLUMNS.iter().any(|(n, ..)| n == p);
            let key = if backed { p.as_str() } else { p.split('.').next().unwrap_or("") };
            groups.entry((backed, key)).or_default().push(p);
        }
        for group in groups.into_values() {
            if group.is_empty() {
                continue;
            }
            let g = self.groups.len();
            let mut members = Vec::new();
            for p in &group {
                let i = self.paths.len();
                self.paths.push((*p).clone());
                self.by_name.insert((*p).clone(), i);
                self.group_of.push(g);
                let mut col = PathCol::new();
                col.ids.resize(self.rows, NOT_DONE);
                self.cols.push(col);
                self.source.push(COLUMNS.iter().find(|(n, ..)| n == p).map(
                    |&(n, col, identity)| {
                        let last = n.rsplit('.').next().unwrap_or(n);
                        let needle = format!("\"{last}\"");
                        let key = memmem::Finder::new(needle.as_bytes()).into_owned();
                        ColSource { col, identity, trusted: Vec::new(), key }
                    },
                ));
                members.push(i);
            }
            let names: Vec<String> = group.into_iter().cloned().collect();
            self.groups.push((Trie::new(&names), members));
        }
    }

    /// The index of a registered path.
    pub(crate) fn path(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    fn is_insight(&self, row: usize) -> bool {
        self.insight.0.binary_search(&(row as u32)).is_ok()
    }

    fn identity_is_string(&self, row: usize) -> bool {
        self.identity_string.0.binary_search(&(row as u32)).is_ok()
    }

    /// Rows where a column-backed path's column is not faithful whatever its value.
    pub(crate) fn special_rows(&self, p: usize) -> Vec<usize> {
        let Some(Some(src)) = self.source.get(p) else { return Vec::new() };
        let rows = match src.col {
            Column::Service | Column::Action => &self.insight.0,
            _ if src.identity => &self.identity_string.0,
            _ => return Vec::new(),
        };
        rows.iter().map(|&r| r as usize).collect()
    }

    /// What `row` holds for path `p`, reading the record if needed.
    pub(crate) fn value(&mut self, store: &Store, p: usize, row: usize) -> RowVal {
        if let Some(Some(src)) = self.source.get(p) {
            let (col, identity) = (src.col, src.identity);
            let id = store.column(col).get(row).copied().unwrap_or(0);
            let trusted = src.trusted.get(id as usize).copied().unwrap_or(false);
            let insight = matches!(col, Column::Service | Column::Action) && self.is_insight(row);
            let special = insight || (identity && self.identity_is_string(row));
            if trusted && !special {
                return RowVal::Col(id);
            }
            if id == 0 && self.cols.get(p).and_then(|c| c.ids.get(row)) == Some(&NOT_DONE) {
                // Missing or null as the reader saw it, or not even the key in the text: both
                // are what the path reads (null and missing pass the same tests).
                let absent = !special && store.absent(row, col);
                let mut no_key = || {
                    let raw = store.raw_cached(&mut self.raws, row).as_bytes();
                    src.key.find(raw).is_none() && self.escape.find(raw).is_none()
                };
                if absent || no_key() {
                    if let Some(slot) = self.cols.get_mut(p).and_then(|c| c.ids.get_mut(row)) {
                        *slot = MISSING;
                    }
                }
            }
        }
        RowVal::Path(self.path_id(store, p, row))
    }

    /// The path column's id for `row`, reading the record (for the path's whole group) if needed.
    pub(crate) fn path_id(&mut self, store: &Store, p: usize, row: usize) -> u32 {
        let id = self.cols.get(p).and_then(|c| c.ids.get(row)).copied().unwrap_or(MISSING);
        if id != NOT_DONE {
            return id;
        }
        let Some(g) = self.group_of.get(p).copied() else { return MISSING };
        let Some((trie, members)) = self.groups.get(g) else { return MISSING };
        let vals = trie.extract_record(store.raw_cached(&mut self.raws, row));
        for (&m, v) in members.iter().zip(vals) {
            if let Some(col) = self.cols.get_mut(m) {
                if col.ids.get(row) == Some(&NOT_DONE) {
                    let id = col.intern(v);
                    if let Some(slot) = col.ids.get_mut(row) {
                        *slot = id;
                    }
                }
            }
        }
        self.cols.get(p).and_then(|c| c.ids.get(row)).copied().unwrap_or(MISSING)
    }

    /// Where the first non-null value of path `p` in `row` is (the correlation group key),
    /// reading the record if needed; [`DetectCache::text_at`] gives its text.
    pub(crate) fn first(&mut self, store: &Store, p: usize, row: usize) -> Option<TextAt> {
        match self.value(store, p, row) {
            RowVal::Col(id) => Some(TextAt::Col(self.col_of(p)?, id)),
            RowVal::Path(id) => {
                let col = self.cols.get(p)?;
                let first = if id & LIST != 0 {
                    col.elements(id).iter().copied().find(|&e| e != NULL)?
                } else {
                    id
                };
                (first > NULL).then_some(TextAt::Path(p, first))
            }
        }
    }

    /// The text at `at`.
    pub(crate) fn text_at<'s>(&'s self, store: &'s Store, at: TextAt) -> Option<&'s str> {
        match at {
            TextAt::Col(c, id) => store.dictionary(c).get(id as usize).map(|s| &**s),
            TextAt::Path(p, id) => self.cols.get(p)?.dict.get(id as usize).map(|s| &**s),
        }
    }

    fn col_of(&self, p: usize) -> Option<Column> {
        self.source.get(p)?.as_ref().map(|s| s.col)
    }
}
