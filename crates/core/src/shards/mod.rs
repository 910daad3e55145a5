//! Several data workers behind one tab: the files spread over them, each with its own store
//! and text index, and their replies merged into the replies one worker holding everything
//! would give. [`Coordinator`] is the merge, written without I/O: the page hands it each of its
//! own requests and each worker's reply, and posts what it returns ([`Out`]). Natively the tests
//! drive it over in-process engines and compare every reply with a single engine's.
//!
//! * `spread`: which worker reads which file.
//! * `status`: the tab's status from theirs.
//! * `merge`: one answer from their parts, with a second round for the histogram.
//! * `pages`: a page of the merged order from a window of each worker's; `page_job` the jobs
//!   over a stretch of it (a table page, a Step's row, an export's chunks).
//! * `place`: where a row is in the merged order (Detail, Step, Find).
//! * `dedupe`: the events more than one worker holds, found when a load ends.
//! * `identities`: then the chains of who is behind each call, across the workers.
//! * `correlations`: then the correlation rules' windows over every worker's matches; and the
//!   detections' exports.
//!
//! A worker answers the requests of one kind in the order they came (`postMessage` keeps the
//! order), so each worker's replies to the merge's asks are matched to them by a queue; Status
//! and Answer replies come unasked during a load and are taken as they come. Every ask names the
//! worker's answer it was made for; a reply computed on another (the worker's data moved on) is
//! dropped, and the next merged answer makes the page ask again.

mod correlations;
mod dedupe;
mod identities;
mod merge;
mod page_job;
mod pages;
mod place;
mod spread;
mod status;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
mod tests;

use std::collections::{HashMap, VecDeque};

use crate::engine::{Answer, Reply, Request, Role, ViewSpec, ANSWER_MS, MAX_PAGE, STATUS_MS};
use correlations::{CorrStage, DetectionExport};
use dedupe::DedupeStage;
use identities::IdStage;
use merge::{merge, Orders, Round};
use page_job::{PageFor, PageJob};
use place::{PlaceStage, Purpose};
pub use spread::spread;
use status::Statuses;

/// What the page does with what the merge returns.
#[derive(Clone, Debug, PartialEq)]
pub enum Out {
    /// Post a request to worker `0`.
    Ask(u32, Request),
    /// Post a `Load` to worker `0` with the files of these indices (into the page's request's
    /// files) beside it.
    Load(u32, Request, Vec<usize>),
    /// Hand this reply to the page.
    Reply(Box<Reply>),
    /// Save this file (a merged export), then tell the page it is exported.
    Download { name: String, mime: String, bytes: Vec<u8> },
}

/// A reply for the page.
fn to_page(r: Reply) -> Out {
    Out::Reply(Box::new(r))
}

/// What a page's request (or a merge) waits for.
enum Job {
    /// The second round of the merged answer to view `seq`.
    Round { seq: u64, round: Box<Round> },
    /// A stretch of the merged order: a page of rows, a Step's row, a chunk of an export.
    Page(PageJob),
    /// Where a row is in the merged order: for a Detail, or a Step, Find.
    Place { purpose: Purpose, stage: PlaceStage },
    /// The duplicates across workers.
    Dedupe(DedupeStage),
    /// The identities across workers.
    Identities(IdStage),
    /// The correlations across workers.
    Correlations(CorrStage),
    /// A detections' export.
    DetectionExport(DetectionExport),
}

/// The merge of `of` data workers' replies (see the module docs).
pub struct Coordinator {
    of: u32,
    statuses: Statuses,
    view: Option<(u64, ViewSpec)>,
    /// Each worker's latest answer to the current view.
    answers: Vec<Option<Answer>>,
    /// Each worker's detections as its last answer that carried them gave them, with their
    /// stamp (`ViewPart::detections_included`).
    detections: Vec<Option<(u64, Vec<crate::engine::Detection>)>>,
    answer_id: u64,
    orders: Orders,
    jobs: HashMap<u64, Job>,
    next_job: u64,
    /// Per worker, the jobs whose asks it has not answered yet, in the order asked.
    queues: Vec<VecDeque<u64>>,
    /// During a load the page hears of it at the pace one worker keeps ([`STATUS_MS`],
    /// [`ANSWER_MS`]), not at every worker's: when it last had a status and an answer, and
    /// whether one is held back (it goes with the next reply past its time, or at once when the
    /// load ends; the workers' statuses keep coming meanwhile).
    paced: Paced,
}

#[derive(Default)]
struct Paced {
    status_ms: Option<f64>,
    status_held: bool,
    answer_ms: Option<f64>,
    answer_held: bool,
}

impl Coordinator {
    pub fn new(of: u32) -> Self {
        let of = of.max(1);
        Coordinator {
            of,
            statuses: Statuses::new(of as usize),
            view: None,
            answers: vec![None; of as usize],
            detections: vec![None; of as usize],
            answer_id: 0,
            orders: Orders::default(),
            jobs: HashMap::new(),
            next_job: 0,
            queues: vec![VecDeque::new(); of as usize],
            paced: Paced::default(),
        }
    }

    pub fn workers(&self) -> u32 {
        self.of
    }

    /// What to post first: each worker's place among them.
    pub fn start(&self) -> Vec<Out> {
        (0..self.of)
            .map(|index| Out::Ask(index, Request::Shard { role: Role { index, of: self.of } }))
            .collect()
    }

    fn all(&self, req: &Request) -> Vec<Out> {
        (0..self.of).map(|w| Out::Ask(w, req.clone())).collect()
    }

    fn job(&mut self, job: Job, asks: Vec<(u32, Request)>) -> Vec<Out> {
        let id = self.next_job;
        self.next_job += 1;
        self.job_as(id, job, asks)
    }

    /// One of the page's requests; `sizes` are the sizes of a `Load`'s files, in its order.
    pub fn request(&mut self, req: Request, sizes: &[u64]) -> Vec<Out> {
        match req {
            Request::View { seq, ref view } => {
                self.view = Some((seq, view.clone()));
                self.answers.iter_mut().for_each(|a| *a = None);
                // A new view is answered as soon as every worker has, even during a load.
                self.paced.answer_ms = None;
                self.all(&req)
            }
            Request::Rows { offset, limit, columns } => {
                self.page(offset, limit.min(MAX_PAGE), columns, PageFor::Table)
            }
            Request::Detail { row } => {
                let owner = Role::owner(self.of, row);
                let job = Job::Place {
                    purpose: Purpose::Detail(None),
                    stage: PlaceStage::Locate { owner },
                };
                self.job(
                    job,
                    vec![(owner, Request::Detail { row }), (owner, Request::Locate { row })],
                )
            }
            Request::Step { from, by } => match from {
                None => self.select(0),
                Some(row) => {
                    let owner = Role::owner(self.of, row);
                    let job = Job::Place {
                        purpose: Purpose::Step { by },
                        stage: PlaceStage::Locate { owner },
                    };
                    self.job(job, vec![(owner, Request::Locate { row })])
                }
            },
            Request::Find { event_id } => {
                let asks = (0..self.of)
                    .map(|w| (w, Request::Find { event_id: event_id.clone() }))
                    .collect();
                let job = Job::Place {
                    purpose: Purpose::Find { event_id },
                    stage: PlaceStage::Found(vec![None; self.of as usize]),
                };
                self.job(job, asks)
            }
            Request::Load { paths, missing, left_out, options } => {
                let parts = spread(&paths, sizes, self.of as usize);
                parts
                    .into_iter()
                    .enumerate()
                    .filter(|(w, files)| *w == 0 || !files.is_empty())
                    .map(|(w, files)| {
                        let first = w == 0;
                        let request = Request::Load {
                            paths: files.iter().filter_map(|&i| paths.get(i).cloned()).collect(),
                            missing: if first { missing.clone() } else { Vec::new() },
                            left_out: if first { left_out.clone() } else { Vec::new() },
                            options,
                        };
                        Out::Load(w as u32, request, files)
                    })
                    .collect()
            }
            Request::Export { format, columns } => self.export(format, columns),
            // The sample is read at once (no load to end): the identities and correlations are
            // exchanged after it, and the correlations again after a change of the rules.
            Request::Sample { .. } if self.of > 1 => {
                let mut out = self.all(&req);
                out.extend(self.exchanges());
                out
            }
            Request::AddRules { .. } | Request::RemoveRules { .. } if self.of > 1 => {
                let mut out = self.all(&req);
                out.extend(self.start_correlations());
                out
            }
            other => self.all(&other),
        }
    }

    /// A reply of worker `w`, at `now_ms`.
    pub fn reply(&mut self, w: u32, reply: Reply, now_ms: f64) -> Vec<Out> {
        let mut out = match reply {
            Reply::Ready => Vec::new(),
            Reply::Status(s) => {
                let was_loading = self.statuses.loading();
                self.statuses.take(w as usize, s);
                self.paced.status_held = true;
                if was_loading && !self.statuses.loading() && self.of > 1 {
                    self.start_dedupe()
                } else {
                    Vec::new()
                }
            }
            Reply::Answer(a) => self.answer(w, a),
            Reply::Failed { message } => {
                // The failure answers the worker's oldest ask (an export's lines, the only ask
                // that fails): that job is given up, so the worker's later replies still meet
                // their own asks; the other workers' replies to it find no job and are dropped.
                if let Some(id) = self.queues.get_mut(w as usize).and_then(VecDeque::pop_front) {
                    self.jobs.remove(&id);
                }
                vec![to_page(Reply::Failed { message })]
            }
            other => match self.queues.get_mut(w as usize).and_then(VecDeque::pop_front) {
                Some(id) => match self.jobs.remove(&id) {
                    Some(job) => self.feed(id, job, w, other),
                    None => Vec::new(),
                },
                None => Vec::new(),
            },
        };
        out.extend(self.paced_out(now_ms));
        out
    }

    /// The status and the answer held back, if their time has come (at once outside a load).
    fn paced_out(&mut self, now: f64) -> Vec<Out> {
        let loading = self.statuses.loading();
        let due = |last: Option<f64>, every: f64| !loading || last.is_none_or(|t| now - t >= every);
        let mut out = Vec::new();
        if self.paced.status_held && due(self.paced.status_ms, STATUS_MS) {
            self.paced.status_held = false;
            self.paced.status_ms = loading.then_some(now);
            out.push(to_page(Reply::Status(self.statuses.merged())));
        }
        if self.paced.answer_held && due(self.paced.answer_ms, ANSWER_MS) {
            self.paced.answer_held = false;
            self.paced.answer_ms = loading.then_some(now);
            out.extend(self.start_round());
        }
        out
    }

    /// A worker's answer to the current view: once every worker has answered it, the merged
    /// answer is due.
    fn answer(&mut self, w: u32, mut a: Answer) -> Vec<Out> {
        // Every answer's detections are kept or filled in, whatever its view.
        if let (Some(p), Some(slot)) = (a.part.as_deref(), self.detections.get_mut(w as usize)) {
            if p.detections_included {
                *slot = Some((p.detections_stamp, a.detections.clone()));
            } else if let Some((stamp, d)) = slot.as_ref() {
                if *stamp == p.detections_stamp {
                    a.detections.clone_from(d);
                }
            }
        }
        let Some((seq, _)) = &self.view else { return Vec::new() };
        if a.seq != *seq || a.part.is_none() {
            return Vec::new();
        }
        if let Some(slot) = self.answers.get_mut(w as usize) {
            *slot = Some(a);
        }
        if self.answers.iter().all(Option::is_some) {
            // Merged when its time comes (see `paced_out`).
            self.paced.answer_held = true;
        }
        Vec::new()
    }

    /// The merged answer of the workers' latest answers to the current view: the second round,
    /// or with no timed match the answer at once.
    fn start_round(&mut self) -> Vec<Out> {
        let Some((seq, view)) = self.view.clone() else { return Vec::new() };
        let answers: Vec<Answer> = self.answers.iter().flatten().cloned().collect();
        if answers.len() != self.of as usize {
            return Vec::new();
        }
        match Round::start(answers) {
            Ok((round, ask)) => {
                let asks = (0..self.of).map(|w| (w, ask.clone())).collect();
                self.job(Job::Round { seq, round: Box::new(round) }, asks)
            }
            Err(answers) => {
                self.answer_id += 1;
                let (a, orders) = merge(answers, seq, self.answer_id, &view, Default::default());
                self.orders = orders;
                vec![to_page(Reply::Answer(a))]
            }
        }
    }

    /// Whether worker `w`'s reply was computed on the answer the merged orders hold.
    fn current(&self, w: u32, answer: u64) -> bool {
        self.orders.shards.get(w as usize).is_some_and(|o| o.answer == answer)
    }

    /// Feeds worker `w`'s reply to job `id`; puts the job back if it waits for more.
    fn feed(&mut self, id: u64, job: Job, w: u32, reply: Reply) -> Vec<Out> {
        match job {
            Job::Page(page) => self.feed_page(id, page, w, reply),
            Job::Place { purpose, stage } => self.feed_place(id, purpose, stage, w, reply),
            Job::Dedupe(stage) => self.feed_dedupe(id, stage, w, reply),
            Job::Identities(stage) => self.feed_identities(id, stage, w, reply),
            Job::Correlations(stage) => self.feed_correlations(id, stage, w, reply),
            Job::DetectionExport(job) => self.feed_detection_export(id, job, w, reply),
            Job::Round { seq, mut round } => {
                let Reply::Bins { answer, histogram, detections } = reply else {
                    return Vec::new();
                };
                if !round.take(w as usize, answer, histogram, detections) {
                    // The worker moved on: its next answer starts another round.
                    return Vec::new();
                }
                if !round.complete() {
                    return self.keep(id, Job::Round { seq, round });
                }
                let Some((current, view)) = self.view.clone().filter(|(s, _)| *s == seq) else {
                    return Vec::new();
                };
                self.answer_id += 1;
                let (a, orders) = round.finish(current, self.answer_id, &view);
                self.orders = orders;
                vec![to_page(Reply::Answer(a))]
            }
        }
    }

    /// What follows a load's end (its duplicates dropped): the identities and the correlations
    /// over every worker's events.
    fn exchanges(&mut self) -> Vec<Out> {
        let mut out = self.start_identities();
        out.extend(self.start_correlations());
        out
    }

    fn keep(&mut self, id: u64, job: Job) -> Vec<Out> {
        self.jobs.insert(id, job);
        Vec::new()
    }

    /// A job that asks again under its own id.
    fn job_as(&mut self, id: u64, job: Job, asks: Vec<(u32, Request)>) -> Vec<Out> {
        self.jobs.insert(id, job);
        asks.into_iter()
            .map(|(w, r)| {
                if let Some(q) = self.queues.get_mut(w as usize) {
                    q.push_back(id);
                }
                Out::Ask(w, r)
            })
            .collect()
    }
}
