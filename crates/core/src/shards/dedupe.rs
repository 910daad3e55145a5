//! Duplicates across workers, once a load has ended (the rules: `crate::engine::dedupe`):
//! every worker sends its content keys, by owner; each owner gets the keys it owns and names
//! the candidate pairs (the copy kept, the copy dropped); every worker hashes the texts of its
//! candidates' rows again with a second hash; each worker with confirmed copies to drop
//! rewrites its store without them and answers again (its Status and Answer come unasked, as
//! after a load). The identity exchange (`super::identities`) follows, whatever was found.

use super::{Coordinator, Job, Out};
use crate::engine::dedupe::{decode_digests, decode_pairs, Pair};
use crate::engine::{Reply, Request};

pub(super) enum DedupeStage {
    /// Waiting for every worker's keys: its store and its keys for each owner.
    Keys(Vec<Option<(u64, Vec<String>)>>),
    /// Waiting for every owner's candidate pairs; the stores the keys came from.
    Pairs { stores: Vec<u64>, got: Vec<Option<Vec<Pair>>> },
    /// Waiting for the second hashes of the candidates' rows: per worker the rows asked and
    /// their hashes once come.
    Digests { stores: Vec<u64>, pairs: Vec<Pair>, asked: Vec<Vec<u32>>, got: Vec<Option<Vec<u64>>> },
}

impl Coordinator {
    /// Starts the exchange (a load of several workers has just ended).
    pub(super) fn start_dedupe(&mut self) -> Vec<Out> {
        let n = self.of as usize;
        let asks = (0..self.of).map(|w| (w, Request::Keys)).collect();
        self.job(Job::Dedupe(DedupeStage::Keys(vec![None; n])), asks)
    }

    pub(super) fn feed_dedupe(
        &mut self,
        id: u64,
        stage: DedupeStage,
        w: u32,
        reply: Reply,
    ) -> Vec<Out> {
        let n = self.of as usize;
        match (stage, reply) {
            (DedupeStage::Keys(mut got), Reply::Keys { store, to }) => {
                if let Some(slot) = got.get_mut(w as usize) {
                    *slot = Some((store, to));
                }
                if got.iter().any(Option::is_none) {
                    return self.keep(id, Job::Dedupe(DedupeStage::Keys(got)));
                }
                let got: Vec<(u64, Vec<String>)> = got.into_iter().flatten().collect();
                let stores: Vec<u64> = got.iter().map(|(s, _)| *s).collect();
                let asks: Vec<(u32, Request)> = (0..self.of)
                    .map(|owner| {
                        let from = got
                            .iter()
                            .enumerate()
                            .filter(|(sender, _)| *sender != owner as usize)
                            .filter_map(|(sender, (_, to))| {
                                let keys = to.get(owner as usize).filter(|k| !k.is_empty())?;
                                Some((sender as u32, keys.clone()))
                            })
                            .collect();
                        let store = stores.get(owner as usize).copied().unwrap_or(0);
                        (owner, Request::Owned { store, from })
                    })
                    .collect();
                let stage = DedupeStage::Pairs { stores, got: vec![None; n] };
                self.job_as(id, Job::Dedupe(stage), asks)
            }
            (DedupeStage::Pairs { stores, mut got }, Reply::Pairs { pairs }) => {
                if let Some(slot) = got.get_mut(w as usize) {
                    *slot = Some(decode_pairs(&pairs));
                }
                if got.iter().any(Option::is_none) {
                    return self.keep(id, Job::Dedupe(DedupeStage::Pairs { stores, got }));
                }
                let pairs: Vec<Pair> = got.into_iter().flatten().flatten().collect();
                if pairs.is_empty() {
                    return self.exchanges();
                }
                // Every row of a pair, per worker, each once.
                let mut asked: Vec<Vec<u32>> = vec![Vec::new(); n];
                for p in &pairs {
                    for (w, r) in [p.keep, p.lose] {
                        if let Some(v) = asked.get_mut(w as usize) {
                            v.push(r);
                        }
                    }
                }
                asked.iter_mut().for_each(|v| {
                    v.sort_unstable();
                    v.dedup();
                });
                let asks = asked
                    .iter()
                    .zip(&stores)
                    .enumerate()
                    .map(|(w, (rows, &store))| {
                        (w as u32, Request::Digests { store, rows: rows.clone() })
                    })
                    .collect();
                let stage = DedupeStage::Digests { stores, pairs, asked, got: vec![None; n] };
                self.job_as(id, Job::Dedupe(stage), asks)
            }
            (
                DedupeStage::Digests { stores, pairs, asked, mut got },
                Reply::Digests { store, digests },
            ) => {
                let digests = decode_digests(&digests);
                let whole = stores.get(w as usize) == Some(&store)
                    && asked.get(w as usize).is_some_and(|a| a.len() == digests.len());
                if let Some(slot) = got.get_mut(w as usize) {
                    // A worker whose store moved on confirms nothing.
                    *slot = Some(if whole { digests } else { Vec::new() });
                }
                if got.iter().any(Option::is_none) {
                    let stage = DedupeStage::Digests { stores, pairs, asked, got };
                    return self.keep(id, Job::Dedupe(stage));
                }
                let digest = |(w, r): (u32, u32)| -> Option<u64> {
                    let rows = asked.get(w as usize)?;
                    let i = rows.binary_search(&r).ok()?;
                    got.get(w as usize)?.as_ref()?.get(i).copied()
                };
                let mut drop: Vec<Vec<u32>> = vec![Vec::new(); n];
                for p in &pairs {
                    let same =
                        matches!((digest(p.keep), digest(p.lose)), (Some(a), Some(b)) if a == b);
                    if let (true, Some(d)) = (same, drop.get_mut(p.lose.0 as usize)) {
                        d.push(p.lose.1);
                    }
                }
                let mut out: Vec<Out> = drop
                    .into_iter()
                    .zip(stores)
                    .enumerate()
                    .filter(|(_, (rows, _))| !rows.is_empty())
                    .map(|(w, (rows, store))| Out::Ask(w as u32, Request::DropRows { store, rows }))
                    .collect();
                // Each worker takes its requests in order: the tables come of the stores
                // without their duplicates.
                out.extend(self.exchanges());
                out
            }
            // A reply of another kind than asked: the exchange is given up (the next load's end
            // starts another).
            _ => Vec::new(),
        }
    }
}
