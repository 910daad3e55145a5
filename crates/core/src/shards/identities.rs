//! Who is behind every call across workers, once a load has ended (after the duplicates): every
//! worker sends its identity table; the merge joins them and sends the tab's table to all; each
//! resolves again with it and claims the sessions it can answer for the others; the merge picks
//! the claims one engine would have made and sends the chosen graph to all, which follow their
//! chains through it and send their first-time pairs (what each origin did when); the merge
//! sends the tab's earliest to all, which answer again (their Status and Answer come unasked,
//! as after a load).
//! The rules: `crate::identity::remote`.

use super::{Coordinator, Job, Out};
use crate::answer::FirstPairs;
use crate::engine::{Reply, Request};
use crate::identity::{IdClaims, IdGraph, IdTable};

pub(super) enum IdStage {
    /// Waiting for every worker's table (and the store it was made of).
    Tables(Vec<Option<((u64, u64), IdTable)>>),
    /// Waiting for every worker's claims.
    Claims { table: Box<IdTable>, stores: Vec<(u64, u64)>, got: Vec<Option<IdClaims>> },
    /// Waiting for every worker's first-time pairs (under the origins the graph gave).
    Pairs { stores: Vec<(u64, u64)>, got: Vec<Option<FirstPairs>> },
}

impl Coordinator {
    /// Starts the exchange (a load of several workers has ended, its duplicates dropped).
    pub(super) fn start_identities(&mut self) -> Vec<Out> {
        let n = self.of as usize;
        let asks = (0..self.of).map(|w| (w, Request::IdTable)).collect();
        self.job(Job::Identities(IdStage::Tables(vec![None; n])), asks)
    }

    pub(super) fn feed_identities(
        &mut self,
        id: u64,
        stage: IdStage,
        w: u32,
        reply: Reply,
    ) -> Vec<Out> {
        match (stage, reply) {
            (IdStage::Tables(mut got), Reply::IdTable { store, rows, table }) => {
                if let Some(slot) = got.get_mut(w as usize) {
                    *slot = Some(((store, rows), *table));
                }
                if got.iter().any(Option::is_none) {
                    return self.keep(id, Job::Identities(IdStage::Tables(got)));
                }
                let (stores, tables): (Vec<_>, Vec<_>) = got.into_iter().flatten().unzip();
                let table = Box::new(IdTable::merge(tables));
                let asks = stores
                    .iter()
                    .enumerate()
                    .map(|(w, &(store, rows))| {
                        (w as u32, Request::IdShare { store, rows, table: table.clone() })
                    })
                    .collect();
                let got = vec![None; self.of as usize];
                self.job_as(id, Job::Identities(IdStage::Claims { table, stores, got }), asks)
            }
            (IdStage::Claims { table, stores, mut got }, Reply::IdClaims { claims }) => {
                if let Some(slot) = got.get_mut(w as usize) {
                    *slot = Some(*claims);
                }
                if got.iter().any(Option::is_none) {
                    let stage = IdStage::Claims { table, stores, got };
                    return self.keep(id, Job::Identities(stage));
                }
                let graph = Box::new(IdGraph::of(&table, got.into_iter().flatten().collect()));
                let asks = stores
                    .iter()
                    .enumerate()
                    .map(|(w, &(store, rows))| {
                        (w as u32, Request::IdGraph { store, rows, graph: graph.clone() })
                    })
                    .collect();
                let got = vec![None; self.of as usize];
                self.job_as(id, Job::Identities(IdStage::Pairs { stores, got }), asks)
            }
            (IdStage::Pairs { stores, mut got }, Reply::IdPairs { pairs }) => {
                if let Some(slot) = got.get_mut(w as usize) {
                    *slot = Some(*pairs);
                }
                if got.iter().any(Option::is_none) {
                    return self.keep(id, Job::Identities(IdStage::Pairs { stores, got }));
                }
                let pairs = Box::new(FirstPairs::merge(got.into_iter().flatten().collect()));
                stores
                    .into_iter()
                    .enumerate()
                    .map(|(w, (store, rows))| {
                        Out::Ask(w as u32, Request::IdFirsts { store, rows, pairs: pairs.clone() })
                    })
                    .collect()
            }
            // A reply of another kind than asked: the exchange is given up (the next load's end
            // starts another).
            _ => Vec::new(),
        }
    }
}
