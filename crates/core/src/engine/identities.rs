//! The engine's identities: who is behind every row ([`Identities`], brought up to date with
//! the store before an answer: after a load always, during one each time the store has doubled),
//! the first-time marks of the Identities view, and what an answer, a table cell and the
//! event detail take from them.

use crate::answer::{
    identities, identities_part, identity_facet_counts_with, merge_identity_facets, Facet,
    FirstPairs, FirstSeen, IdentitiesAnswer, IdentitiesPart, SessionLabels, ValueCounts,
};
use crate::identity::{Behind, IdClaims, IdGraph, IdTable, Identities};
use crate::role::Role;
use crate::store::Store;

#[derive(Default)]
pub(super) struct Who {
    ids: Identities,
    first: FirstSeen,
    /// The session facet's labels, made again at each resolution.
    labels: SessionLabels,
}

impl Who {
    /// Resolves the rows added since the last call. During a load only when the store has
    /// doubled since the last resolution (every row is resolved again each time, so a load of n
    /// rows pays for about 2n instead of n per answer); the first answer after it resolves all.
    pub(super) fn update(&mut self, store: &Store, loading: bool) {
        let resolved = self.ids.rows();
        if loading && resolved > 0 && store.len() < resolved.saturating_mul(2) {
            return;
        }
        self.ids.update(store);
    }

    pub(super) fn clear(&mut self) {
        self.ids.clear();
        self.first = FirstSeen::default();
        self.labels = SessionLabels::default();
    }

    /// One of several data workers (rows named in hops are the tab's).
    pub(super) fn set_role(&mut self, role: Role) {
        self.ids.set_role(role);
        self.labels = SessionLabels::default();
    }

    /// The exchange between workers (`crate::identity::remote`).
    pub(super) fn table(&mut self, store: &Store) -> IdTable {
        self.ids.table(store)
    }

    pub(super) fn share(&mut self, store: &Store, table: IdTable) -> IdClaims {
        self.ids.share(store, table)
    }

    pub(super) fn take_graph(&mut self, graph: IdGraph) {
        self.ids.take_graph(graph);
    }

    /// The first-time pairs, for the merge of every worker's.
    pub(super) fn first_pairs(&mut self, store: &Store) -> FirstPairs {
        self.first.update(store, &self.ids);
        self.first.pairs(store, &self.ids)
    }

    pub(super) fn take_first_pairs(&mut self, store: &Store, all: &FirstPairs) {
        self.first.take_pairs(store, &self.ids, all);
    }

    pub(super) fn get(&self) -> &Identities {
        &self.ids
    }

    /// The Identities view over `rows` (its first-time marks brought up to date first).
    pub(super) fn answer(&mut self, store: &Store, rows: &[u32]) -> IdentitiesAnswer {
        self.first.update(store, &self.ids);
        identities(store, &self.ids, &self.first, rows)
    }

    /// This worker's part of the Identities view over `rows`.
    pub(super) fn part(&mut self, store: &Store, rows: &[u32]) -> IdentitiesPart {
        self.first.update(store, &self.ids);
        identities_part(store, &self.ids, &self.first, rows)
    }

    pub(super) fn facet_counts(
        &mut self,
        store: &Store,
        rows: &[u32],
    ) -> (ValueCounts, ValueCounts, u64) {
        self.labels.refresh(store, &self.ids);
        identity_facet_counts_with(&self.ids, &self.labels, rows)
    }

    pub(super) fn facets(
        &mut self,
        store: &Store,
        rows: &[u32],
        top: usize,
    ) -> Vec<(String, Facet)> {
        let counts = self.facet_counts(store, rows);
        merge_identity_facets(&[counts], top)
    }

    /// A table cell of an identity column (`origin`, `session`), if `column` is one.
    pub(super) fn cell(&self, store: &Store, row: usize, column: &str) -> Option<String> {
        match column {
            "origin" => Some(self.ids.origin_of(row).map_or_else(String::new, |o| o.text.clone())),
            "session" => Some(
                self.ids
                    .session_of(row)
                    .map_or_else(String::new, |s| self.ids.session_label(store, s)),
            ),
            _ => None,
        }
    }

    pub(super) fn behind(&self, store: &Store, row: usize) -> Behind {
        self.ids.behind(store, row)
    }
}
