//! A data worker's place among the tab's (`crate::shards`): how the rows it names are numbered
//! in the whole tab. The engine, the merge and the identity exchange all number rows by it.

use serde::{Deserialize, Serialize};

/// This worker's place among `of` data workers: rows of the whole tab are numbered
/// `local * of + index`, so each worker's ids keep its own rows' order and `id % of` names the
/// worker. One worker alone (`of` = 1) keeps its own ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub index: u32,
    pub of: u32,
}

impl Default for Role {
    fn default() -> Self {
        Role { index: 0, of: 1 }
    }
}

impl Role {
    /// The id in the whole tab of this worker's `row`.
    pub fn global(self, row: u32) -> u32 {
        row.saturating_mul(self.of.max(1)).saturating_add(self.index)
    }

    /// This worker's row of a tab-wide `id`, if the row is this worker's.
    pub fn local(self, id: u32) -> Option<u32> {
        let of = self.of.max(1);
        (id % of == self.index).then_some(id / of)
    }

    /// The worker holding a tab-wide row id.
    pub fn owner(of: u32, id: u32) -> u32 {
        id % of.max(1)
    }

    /// Whether this worker keeps the `i`-th file of the built-in sample (they are dealt round).
    pub fn keeps_sample_file(self, i: usize) -> bool {
        i % self.of.max(1) as usize == self.index as usize
    }
}
