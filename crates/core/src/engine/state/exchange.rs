//! The engine's side of the identity exchange between data workers (`crate::identity::remote`;
//! the merge drives it in `crate::shards::identities`): its table, its claims once it has the
//! tab's table, the chains through the other workers' sessions. Each step names the store it
//! was made for (its id and rows): a worker whose store moved on answers nothing of it.

use super::Engine;
use crate::engine::Reply;

use crate::answer::FirstPairs;
use crate::identity::{IdGraph, IdTable};

impl Engine {
    pub(super) fn fingerprint(&self) -> (u64, u64) {
        (self.store.store_id(), self.store.len() as u64)
    }

    /// [`Reply::IdTable`]: what this worker's identities link by.
    pub fn id_table(&mut self) -> Reply {
        let (store, rows) = self.fingerprint();
        let table = Box::new(self.who.table(&self.store));
        Reply::IdTable { store, rows, table }
    }

    /// [`Reply::IdClaims`]: resolved again with the tab's table, what this worker answers for
    /// the others (nothing when the store moved on).
    pub fn id_share(&mut self, store: u64, rows: u64, table: IdTable) -> Reply {
        if (store, rows) != self.fingerprint() {
            return Reply::IdClaims { claims: Box::default() };
        }
        Reply::IdClaims { claims: Box::new(self.who.share(&self.store, table)) }
    }

    /// [`Reply::IdPairs`]: follows the chains through the other workers' sessions; this
    /// worker's first-time pairs under the origins it now knows (nothing when the store moved
    /// on).
    pub fn id_graph(&mut self, store: u64, rows: u64, graph: IdGraph) -> Reply {
        if (store, rows) != self.fingerprint() {
            return Reply::IdPairs { pairs: Box::default() };
        }
        self.who.take_graph(graph);
        Reply::IdPairs { pairs: Box::new(self.who.first_pairs(&self.store)) }
    }

    /// Takes the tab's first-time pairs and answers again (the data is the same generation:
    /// the rules' hits stand).
    pub fn id_firsts(&mut self, store: u64, rows: u64, pairs: &FirstPairs) -> Vec<Reply> {
        if (store, rows) != self.fingerprint() {
            return Vec::new();
        }
        self.who.take_first_pairs(&self.store, pairs);
        self.rules_changed()
    }
}
