//! Duplicates across stores. Each data worker dedupes its own rows as they come (`dedupe.rs`);
//! an event in two files read by two workers is found afterwards, by exchanging each row's
//! content key (`crate::engine::dedupe`, `crate::shards`), and the copy the rules say to drop
//! is taken out of its store here: the store is written again without those rows, which its
//! files count as duplicates. (Rare: files of the same name go to the same worker, so only
//! copies under different names, a console download beside the trail's own file say, meet this.)

use std::borrow::Cow;

use super::{Column, Pushed, Store, NCOLS};

/// What identifies a record's content across stores: the 64-bit hash its own store dedupes by,
/// and the length of its stored text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ContentKey {
    pub hash: u64,
    pub len: u32,
}

impl Store {
    /// What tells this store apart from every other (a Clear or a rewrite makes another).
    pub fn store_id(&self) -> u64 {
        self.texts.id()
    }

    /// Every row's content key, with its row, in no particular order; rows whose hash another
    /// record of this store shares (a collision within it) are left out: across stores they
    /// could not be told apart by their key, so they are never dropped.
    pub fn content_keys(&self) -> impl Iterator<Item = (ContentKey, u32)> + '_ {
        self.dedupe.unique().map(|(hash, row)| {
            let len = self.texts.len_of(row as usize) as u32;
            (ContentKey { hash, len }, row)
        })
    }

    /// The row with this content key, unless none or several have its hash.
    pub fn row_with_key(&self, key: ContentKey) -> Option<u32> {
        let row = self.dedupe.only(key.hash)?;
        (self.texts.len_of(row as usize) as u32 == key.len).then_some(row)
    }

    /// This store written again without `rows` (any order; ids out of range are ignored), each
    /// counted as a duplicate of its file (read = kept + duplicates + … still holds).
    pub fn without_rows(&self, rows: &[u32]) -> Store {
        let mut drop = vec![false; self.len()];
        for &r in rows {
            if let Some(d) = drop.get_mut(r as usize) {
                *d = true;
            }
        }
        let mut out = Store::with_limits(self.limits);
        out.fast_path = self.fast_path;
        out.files = self.files.clone();
        let mut reader = self.raw_reader();
        for (row, &dropped) in drop.iter().enumerate() {
            let file = self.file_of(row);
            if dropped {
                if let Some(f) = out.files.get_mut(file) {
                    f.kept = f.kept.saturating_sub(1);
                    f.duplicates += 1;
                }
                continue;
            }
            let values: [Cow<'_, str>; NCOLS] = std::array::from_fn(|i| {
                let col = Column::ALL.get(i).copied().unwrap_or(Column::Service);
                let id = self.column(col).get(row).copied().unwrap_or(0);
                Cow::Borrowed(self.dictionary(col).get(id as usize).map_or("", |s| s))
            });
            let time = self.time.get(row).copied().filter(|&t| t != i64::MIN);
            let facts = self.facts.get(row).copied().unwrap_or(0);
            if out.push_event(file as u32, reader.get(row), (time, facts), &values)
                == Pushed::Duplicate
            {
                // Not met (a store's rows are distinct), but counted as the reader would.
                if let Some(f) = out.files.get_mut(file) {
                    f.kept = f.kept.saturating_sub(1);
                    f.duplicates += 1;
                }
            }
        }
        out
    }
}
