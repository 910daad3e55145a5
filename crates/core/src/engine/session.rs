//! One tab's engine behind one dispatcher: [`Session::handle`] answers every [`Request`], and
//! the load and indexing loops call the session between their awaits. It joins the engine's data
//! ([`Engine`]) with the load policy ([`Load`]) so that no request is half handled here and half
//! in the worker: the worker only reads `File`s, keeps the event loop turning and posts what the
//! session returns (see [`Outcome`]).
//!
//! `F` is the handle of a file to read: a browser `File` in the worker, anything in tests.

use super::load::{budget_need, fits, Due, Load, Pending, STATUS_MS};
use super::part::Role;
use super::protocol::{Answer, Reply, Request, Status};
use super::state::Engine;
use crate::store::Limits;
use crate::{Conversion, ReadOptions};

/// Generates the built-in sample of `events` events as (path, bytes) files. The engine does not
/// depend on the generator; the worker hands it in.
pub type SampleFn = fn(usize) -> Vec<(String, Vec<u8>)>;

/// What the caller does after a request: post `replies` in order, the bytes of the `Exported`
/// reply among them (if any) beside it, and start the load loop or the indexing when asked.
#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    pub replies: Vec<Reply>,
    /// An export's file, to transfer beside its `Exported` reply.
    pub export: Option<Vec<u8>>,
    /// Files were queued and no load loop runs yet: start one.
    pub start_load: bool,
    /// The data changed and no indexing runs: start indexing.
    pub start_indexing: bool,
}

impl Outcome {
    fn replies(replies: Vec<Reply>) -> Self {
        Outcome { replies, ..Outcome::default() }
    }
}

/// The engine, its load, and the indexing loop's state.
pub struct Session<F> {
    engine: Engine,
    load: Load<F>,
    /// The indexing loop runs, and when it last posted a Status.
    indexing: Option<f64>,
    sample: SampleFn,
}

impl<F> Session<F> {
    pub fn new(limits: Limits, sample: SampleFn) -> Self {
        Session { engine: Engine::new(limits), load: Load::default(), indexing: None, sample }
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn engine_mut(&mut self) -> &mut Engine {
        &mut self.engine
    }

    pub fn load(&self) -> &Load<F> {
        &self.load
    }

    /// Answers `req` at `now_ms`. `files` are the handles (and sizes) that travel beside a
    /// `Load`, in the order of its paths; other requests have none.
    pub fn handle(&mut self, req: Request, files: Vec<(F, u64)>, now_ms: f64) -> Outcome {
        let role = self.engine.role();
        let mut out = self.handle_local(req, files, now_ms);
        if role.of > 1 {
            out.replies.iter_mut().for_each(|r| to_global(role, r));
        }
        out
    }

    /// [`Session::handle`] with the row ids of the request and its replies this worker's own.
    fn handle_local(&mut self, req: Request, files: Vec<(F, u64)>, now_ms: f64) -> Outcome {
        let role = self.engine.role();
        let e = &mut self.engine;
        match req {
            Request::View { seq, view } => {
                Outcome::replies(e.set_view(seq, view).map(Reply::Answer).into_iter().collect())
            }
            Request::Rows { offset, limit, columns } => {
                Outcome::replies(vec![Reply::Rows(e.rows(offset, limit, &columns))])
            }
            Request::Detail { row } => {
                Outcome::replies(vec![Reply::Detail(role.local(row).and_then(|r| e.detail(r)))])
            }
            Request::Step { from, by } => {
                Outcome::replies(vec![e.step(from.and_then(|f| role.local(f)), by)])
            }
            Request::Find { event_id } => Outcome::replies(vec![e.find(&event_id)]),
            Request::Shard { role } => {
                e.set_role(role);
                Outcome::default()
            }
            Request::Bins { bins, series } => Outcome::replies(vec![Reply::Bins {
                answer: e.answer_id(),
                histogram: e.bins(bins, &series),
                detections: e.detection_buckets(bins),
            }]),
            Request::Range { lo, hi } => {
                let (start, points) = e.range(lo.as_ref(), hi.as_ref());
                Outcome::replies(vec![Reply::Range { answer: e.answer_id(), start, points }])
            }
            Request::Rank { point } => {
                Outcome::replies(vec![Reply::Rank { answer: e.answer_id(), rank: e.rank(&point) }])
            }
            Request::Lines { format, columns, offset, limit } => {
                match e.export_lines(format, &columns, offset, limit) {
                    Ok(lines) => {
                        Outcome::replies(vec![Reply::Lines { answer: e.answer_id(), lines }])
                    }
                    Err(err) => Outcome::replies(vec![Reply::Failed {
                        message: format!("Export failed: {err}"),
                    }]),
                }
            }
            Request::Keys => Outcome::replies(vec![e.content_keys()]),
            Request::Owned { store, from } => {
                Outcome::replies(vec![e.owned_duplicates(store, &from)])
            }
            Request::Digests { store, rows } => Outcome::replies(vec![e.digests(store, &rows)]),
            Request::DropRows { store, rows } => {
                let replies = e.drop_rows(store, &rows);
                let start_indexing = !replies.is_empty() && self.start_indexing(now_ms);
                Outcome { replies, start_indexing, ..Outcome::default() }
            }
            Request::IdTable => Outcome::replies(vec![e.id_table()]),
            Request::IdShare { store, rows, table } => {
                Outcome::replies(vec![e.id_share(store, rows, *table)])
            }
            Request::IdGraph { store, rows, graph } => {
                Outcome::replies(vec![e.id_graph(store, rows, *graph)])
            }
            Request::IdFirsts { store, rows, pairs } => {
                Outcome::replies(e.id_firsts(store, rows, &pairs))
            }
            Request::CorrParts => Outcome::replies(vec![e.corr_parts()]),
            Request::CorrRows { store, rows, version, fired } => {
                Outcome::replies(e.corr_rows(store, rows, version, fired))
            }
            Request::DetectionEvents => Outcome::replies(vec![e.detection_events()]),
            Request::Locate { row } => {
                let (point, pos) = role.local(row).map_or((None, None), |r| e.locate(r));
                Outcome::replies(vec![Reply::Located { answer: e.answer_id(), point, pos }])
            }
            Request::Export { format, columns } => {
                let (name, mime) = format.file();
                match e.export(format, &columns) {
                    Ok(out) => Outcome {
                        replies: vec![Reply::Exported {
                            name: name.into(),
                            mime: mime.into(),
                            bytes: out.len() as u64,
                        }],
                        export: Some(out),
                        ..Outcome::default()
                    },
                    Err(err) => Outcome::replies(vec![Reply::Failed {
                        message: format!("Export failed: {err}"),
                    }]),
                }
            }
            Request::Sample { events } => {
                let files = (self.sample)(events).into_iter().enumerate();
                e.load_owned(files.filter(|(i, _)| role.keeps_sample_file(*i)).map(|(_, f)| f));
                let replies = e.changed();
                let start_indexing = self.start_indexing(now_ms);
                Outcome { replies, start_indexing, ..Outcome::default() }
            }
            Request::Load { paths, missing, left_out, options } => {
                for m in &missing {
                    e.unreadable(m, "the browser would not give this file");
                }
                for f in &left_out {
                    e.left_out(&f.path, f.bytes);
                }
                let bytes: u64 = files.iter().map(|(_, size)| size).sum();
                e.queue(files.len(), bytes);
                e.plan_compression(
                    paths.iter().zip(&files).map(|(p, (_, size))| json_bytes(p, *size)).sum(),
                );
                let pending = paths.into_iter().zip(files).map(|(path, (file, size))| Pending {
                    path,
                    size,
                    file,
                    options,
                });
                let start_load = self.load.enqueue(pending, now_ms);
                Outcome {
                    replies: vec![Reply::Status(self.engine.status())],
                    start_load,
                    ..Outcome::default()
                }
            }
            Request::Cancel => {
                self.load.cancel();
                Outcome::default()
            }
            Request::Clear => {
                self.load.clear();
                e.clear();
                Outcome::replies(e.changed())
            }
            Request::AddRules { name, text } => {
                e.add_rules(&name, &text);
                Outcome::replies(e.rules_changed())
            }
            Request::RemoveRules { name } => {
                e.remove_rules(&name);
                Outcome::replies(e.rules_changed())
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // The load loop's turns

    /// Whether the load loop should let the event loop run before its next file.
    pub fn should_yield(&self, now_ms: f64) -> bool {
        self.load.cadence().should_yield(now_ms)
    }

    /// The event loop ran until `now_ms`.
    pub fn yielded(&mut self, now_ms: f64) {
        self.load.cadence_mut().yielded(now_ms);
    }

    /// Whether the load loop stops before its next file (Cancel or Clear came).
    pub fn stopping(&self) -> bool {
        self.load.stopping()
    }

    /// The next file to read (taken off the queue; the loop may read a few ahead), unless the
    /// load stops.
    pub fn next_file(&mut self) -> Option<Pending<F>> {
        self.load.next_file()
    }

    /// The loop starts reading `path` (the progress shows it).
    pub fn start_file(&mut self, path: &str) {
        self.engine.start_file(path);
    }

    /// A file's bytes arrived (or the reason the browser could not read them) at `now_ms`: stores
    /// them (leaving out what `options` say) unless Clear came meanwhile or the budget is full,
    /// and says what is due.
    pub fn file_read(
        &mut self,
        path: &str,
        size: u64,
        options: ReadOptions,
        read: Result<Vec<u8>, String>,
        now_ms: f64,
    ) -> Due {
        self.file_read_from(path, size, options, read, None, now_ms)
    }

    /// [`Session::file_read`] of a file another reader turned into JSON lines first (a Parquet
    /// file's rows, `from` saying what it read: [`Conversion`]); `None` is `file_read`.
    pub fn file_read_from(
        &mut self,
        path: &str,
        size: u64,
        options: ReadOptions,
        read: Result<Vec<u8>, String>,
        from: Option<&Conversion>,
        now_ms: f64,
    ) -> Due {
        if self.load.cleared() {
            return Due::Stop;
        }
        match read {
            Ok(bytes) => {
                if fits(self.engine.store(), budget_need(&bytes, size)).is_err() {
                    self.load.stop_full(self.engine.store());
                    return Due::Stop;
                }
                match from {
                    Some(from) => self.engine.ingest_parquet_rows(path, bytes, from, options),
                    None => self.engine.ingest_with(path, bytes, options),
                }
            }
            Err(err) => self
                .engine
                .unreadable(path, &format!("the browser could not read this file: {err}")),
        }
        self.engine.file_done(size);
        self.load.file_done();
        self.load.cadence().due(now_ms)
    }

    /// The answer of the data read so far ([`Due::Answer`]); the caller measures how long this
    /// takes and reports it with [`Session::answered`].
    pub fn refresh(&mut self) -> Option<Answer> {
        self.engine.refresh()
    }

    /// An answer that took `cost_ms` was posted with a Status at `now_ms`.
    pub fn answered(&mut self, cost_ms: f64, now_ms: f64) {
        self.load.cadence_mut().answered(cost_ms, now_ms);
    }

    /// The status to post (the file list only when it changed since the last one).
    pub fn status(&mut self) -> Status {
        self.engine.status()
    }

    /// A Status was posted at `now_ms` ([`Due::Status`]).
    pub fn status_posted(&mut self, now_ms: f64) {
        self.load.cadence_mut().status_posted(now_ms);
    }

    /// The load loop ended at `now_ms` (the queue is empty, or it stopped): the final status and
    /// answer, and whether to start indexing.
    pub fn finish_load(&mut self, now_ms: f64) -> Outcome {
        let notice = self.load.finish();
        self.engine.finish_load(notice);
        let replies = self.engine.changed();
        let start_indexing = self.start_indexing(now_ms);
        Outcome { replies, start_indexing, ..Outcome::default() }
    }

    // -----------------------------------------------------------------------------------------
    // Indexing

    /// Whether the indexing loop should start at `now_ms` (none runs, no load runs); if so it is
    /// marked as running. The loop indexes a slice per turn and yields between them.
    pub fn start_indexing(&mut self, now_ms: f64) -> bool {
        let go = self.indexing.is_none() && !self.load.running();
        if go {
            self.indexing = Some(now_ms);
        }
        go
    }

    /// Whether the indexing loop posts a Status at `now_ms` (every [`STATUS_MS`], so the page
    /// sees the index grow); if so it counts as posted.
    pub fn index_status_due(&mut self, now_ms: f64) -> bool {
        match &mut self.indexing {
            Some(last) if now_ms - *last >= STATUS_MS => {
                *last = now_ms;
                true
            }
            _ => false,
        }
    }

    /// Indexes one slice; false when the indexing loop ends (all rows indexed, or a load started:
    /// the load's end starts it again), which also marks it as ended. The loop then posts a last
    /// Status.
    pub fn index_step(&mut self) -> bool {
        let more = !self.load.running() && self.engine.index_step();
        if !more {
            self.indexing = None;
        }
        more
    }
}

/// The JSON a file of `size` bytes is taken to hold: a compressed one (`.gz`, `.zip`)
/// [`crate::plan::GZIP_RATIO`] times its size.
fn json_bytes(path: &str, size: u64) -> u64 {
    let p = path.to_ascii_lowercase();
    if p.ends_with(".gz") || p.ends_with(".zip") {
        size.saturating_mul(crate::plan::GZIP_RATIO)
    } else {
        size
    }
}

/// Rewrites the row ids of a reply of this worker as ids in the whole tab.
fn to_global(role: Role, reply: &mut Reply) {
    match reply {
        Reply::Rows(page) => page.rows.iter_mut().for_each(|r| r.id = role.global(r.id)),
        Reply::Detail(Some(d)) => d.row = role.global(d.row),
        Reply::Selected { row: Some(r), .. } => *r = role.global(*r),
        _ => {}
    }
}
