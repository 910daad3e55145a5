//! Where a row is in the merged order, for a Detail (its position), a Step (the row `by` away)
//! and a Find (the first worker's row with the eventID): its owner locates it, every other
//! worker ranks its sort point, and the sum is its position.

use super::{to_page, Coordinator, Job, Out};
use crate::engine::{Reply, Request, Role, RowDetail};

/// What placing a row is for.
pub(super) enum Purpose {
    Detail(Option<Box<RowDetail>>),
    Step { by: i64 },
    Find { event_id: String },
}

pub(super) enum PlaceStage {
    /// Waiting for the Find replies of every worker.
    Found(Vec<Option<Option<u32>>>),
    /// Waiting for the row's owner to locate it.
    Locate { owner: u32 },
    /// Waiting for the others' ranks of the row's point; `pos` its position with its owner.
    Rank { row: u32, pos: usize, ranks: Vec<Option<usize>> },
}

impl Coordinator {
    pub(super) fn feed_place(
        &mut self,
        id: u64,
        purpose: Purpose,
        stage: PlaceStage,
        w: u32,
        reply: Reply,
    ) -> Vec<Out> {
        match (stage, reply) {
            (PlaceStage::Found(mut got), Reply::Selected { row, .. }) => {
                if let Some(slot) = got.get_mut(w as usize) {
                    *slot = Some(row);
                }
                if got.iter().any(Option::is_none) {
                    return self.keep(id, Job::Place { purpose, stage: PlaceStage::Found(got) });
                }
                let Purpose::Find { event_id } = purpose else { return Vec::new() };
                // The first worker that has it (the lowest index: its files came first).
                let Some(row) = got.into_iter().flatten().flatten().next() else {
                    return vec![to_page(Reply::Selected { row: None, pos: None, event_id: None })];
                };
                let owner = Role::owner(self.of, row);
                let job = Job::Place {
                    purpose: Purpose::Find { event_id },
                    stage: PlaceStage::Locate { owner },
                };
                self.job_as(id, job, vec![(owner, Request::Locate { row })])
            }
            (PlaceStage::Locate { owner }, Reply::Detail(d)) => {
                let job = Job::Place {
                    purpose: Purpose::Detail(d.map(Box::new)),
                    stage: PlaceStage::Locate { owner },
                };
                self.keep(id, job)
            }
            (PlaceStage::Locate { owner }, Reply::Located { answer, point, pos }) => {
                let row = point.as_ref().map(|p| p.row);
                let (Some(point), Some(pos), true) = (point, pos, self.current(owner, answer))
                else {
                    return self.placed(purpose, row, None);
                };
                let row = point.row;
                let others: Vec<u32> = (0..self.of).filter(|&x| x != owner).collect();
                if others.is_empty() {
                    return self.placed(purpose, Some(row), Some(pos));
                }
                let mut ranks = vec![None; self.of as usize];
                if let Some(r) = ranks.get_mut(owner as usize) {
                    *r = Some(0);
                }
                let asks =
                    others.iter().map(|&x| (x, Request::Rank { point: point.clone() })).collect();
                self.job_as(
                    id,
                    Job::Place { purpose, stage: PlaceStage::Rank { row, pos, ranks } },
                    asks,
                )
            }
            (PlaceStage::Rank { row, pos, mut ranks }, Reply::Rank { answer, rank }) => {
                if !self.current(w, answer) {
                    return self.placed(purpose, Some(row), None);
                }
                if let Some(slot) = ranks.get_mut(w as usize) {
                    *slot = Some(rank);
                }
                if ranks.iter().any(Option::is_none) {
                    let stage = PlaceStage::Rank { row, pos, ranks };
                    return self.keep(id, Job::Place { purpose, stage });
                }
                let global = pos + ranks.into_iter().flatten().sum::<usize>();
                self.placed(purpose, Some(row), Some(global))
            }
            _ => Vec::new(),
        }
    }

    /// A row placed in the merged order (`pos`; `None` when it is not in it).
    fn placed(&mut self, purpose: Purpose, row: Option<u32>, pos: Option<usize>) -> Vec<Out> {
        match purpose {
            Purpose::Detail(d) => {
                vec![to_page(Reply::Detail(d.map(|d| RowDetail { pos, ..*d })))]
            }
            Purpose::Find { event_id } => {
                vec![to_page(Reply::Selected { row, pos, event_id: row.map(|_| event_id) })]
            }
            Purpose::Step { by } => {
                let total = self.orders.total() as i64;
                let target = match pos {
                    Some(p) if total > 0 => (p as i64 + by).clamp(0, total - 1) as usize,
                    _ => 0,
                };
                self.select(target)
            }
        }
    }
}
