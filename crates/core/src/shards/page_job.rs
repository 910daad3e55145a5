//! The coordinator's jobs over a stretch of the merged order (see `pages.rs` for the window):
//! a page of the table, the row a Step lands on, and an export, which walks the whole order in
//! chunks and asks each worker for its stretch as export lines (the CSV row, the record), so the
//! file is the one a single worker would write.

use super::{pages, to_page, Coordinator, Job, Out};
use crate::answer::{frame_export, CsvColumn, LineFormat, SortPoint};
use crate::engine::{ExportFormat, Reply, Request, RowLine, RowsPage};

/// Rows an export asks the workers for at a time.
pub(super) const EXPORT_CHUNK: usize = 5_000;

/// What a stretch of the order is for.
pub(super) enum PageFor {
    /// A page of the table (`Reply::Rows`).
    Table,
    /// The row a Step lands on (`Reply::Selected`).
    Select,
    /// A chunk of an export.
    Export(Box<Exporting>),
}

/// An export under way: the lines so far, in order.
pub(super) struct Exporting {
    format: ExportFormat,
    lines: LineFormat,
    total: usize,
    done: Vec<Vec<u8>>,
}

pub(super) struct PageJob {
    offset: usize,
    limit: usize,
    columns: Vec<String>,
    purpose: PageFor,
    stage: Stage,
}

enum Stage {
    Ranges(Vec<Option<(usize, Vec<SortPoint>)>>),
    Fetch { sequence: Vec<u32>, got: Vec<Option<Fetched>>, waiting: usize },
}

/// A worker's stretch: table rows or export lines.
enum Fetched {
    Rows(Vec<RowLine>),
    Lines(Vec<String>),
}

impl Coordinator {
    /// Starts a job over positions `offset..offset + limit` of the merged order.
    pub(super) fn page(
        &mut self,
        offset: usize,
        limit: usize,
        columns: Vec<String>,
        purpose: PageFor,
    ) -> Vec<Out> {
        let total = self.orders.total();
        if offset >= total || limit == 0 {
            return self.finish_page(offset, Vec::new(), Vec::new(), columns, purpose);
        }
        // A page within every worker's head (the first rows after a new answer): placed at once.
        if let Some(ranges) = pages::from_heads(&self.orders, offset, limit) {
            let id = self.next_job;
            self.next_job += 1;
            return self.fetch(
                id,
                PageJob { offset, limit, columns, purpose, stage: Stage::Ranges(Vec::new()) },
                ranges,
            );
        }
        let (lo, hi) = pages::window(&self.orders, offset, limit);
        let asks =
            (0..self.of).map(|w| (w, Request::Range { lo: lo.clone(), hi: hi.clone() })).collect();
        let stage = Stage::Ranges(vec![None; self.of as usize]);
        self.job(Job::Page(PageJob { offset, limit, columns, purpose, stage }), asks)
    }

    /// The row at merged position `pos`, as a Step's reply.
    pub(super) fn select(&mut self, pos: usize) -> Vec<Out> {
        self.page(pos, 1, vec!["eventID".into()], PageFor::Select)
    }

    /// Starts an export of the current order, or of the detections.
    pub(super) fn export(&mut self, format: ExportFormat, columns: Vec<String>) -> Vec<Out> {
        let lines = match format {
            ExportFormat::Json => LineFormat::Records,
            ExportFormat::Ndjson => LineFormat::Ndjson,
            ExportFormat::Csv => LineFormat::Csv,
            ExportFormat::DetectionsCsv
            | ExportFormat::DetectionsJson
            | ExportFormat::AttackNavigator => return self.export_detections(format),
        };
        let total = self.orders.total();
        let e = Exporting { format, lines, total, done: Vec::with_capacity(total) };
        self.page(0, EXPORT_CHUNK, columns, PageFor::Export(Box::new(e)))
    }

    pub(super) fn feed_page(&mut self, id: u64, job: PageJob, w: u32, reply: Reply) -> Vec<Out> {
        let PageJob { offset, limit, columns, purpose, stage } = job;
        match (stage, reply) {
            (Stage::Ranges(mut got), Reply::Range { answer, start, points }) => {
                if !self.current(w, answer) {
                    return self.drop_page(purpose);
                }
                if let Some(slot) = got.get_mut(w as usize) {
                    *slot = Some((start, points));
                }
                if got.iter().any(Option::is_none) {
                    let job =
                        PageJob { offset, limit, columns, purpose, stage: Stage::Ranges(got) };
                    return self.keep(id, Job::Page(job));
                }
                let ranges: Vec<_> = got.into_iter().flatten().collect();
                let job =
                    PageJob { offset, limit, columns, purpose, stage: Stage::Ranges(Vec::new()) };
                self.fetch(id, job, ranges)
            }
            (Stage::Fetch { sequence, mut got, waiting }, reply) => {
                let (answer, fetched) = match reply {
                    Reply::Rows(page) => (page.answer, Fetched::Rows(page.rows)),
                    Reply::Lines { answer, lines } => (answer, Fetched::Lines(lines)),
                    _ => return self.drop_page(purpose),
                };
                if !self.current(w, answer) {
                    return self.drop_page(purpose);
                }
                if let Some(slot) = got.get_mut(w as usize) {
                    *slot = Some(fetched);
                }
                let waiting = waiting.saturating_sub(1);
                let job = PageJob {
                    offset,
                    limit,
                    columns,
                    purpose,
                    stage: Stage::Fetch { sequence, got, waiting },
                };
                if waiting > 0 {
                    return self.keep(id, Job::Page(job));
                }
                self.page_done(job)
            }
            (_, _) => self.drop_page(purpose),
        }
    }

    /// Asks each worker for its stretch of the page `job` names, placed by `ranges` (each
    /// worker's position of its first point and the points from there).
    fn fetch(&mut self, id: u64, job: PageJob, ranges: Vec<(usize, Vec<SortPoint>)>) -> Vec<Out> {
        let PageJob { offset, limit, columns, purpose, .. } = job;
        let plan = pages::plan(self.orders.descending, &ranges, offset, limit);
        let ask = |at: usize, n: usize| match &purpose {
            PageFor::Export(e) => {
                Request::Lines { format: e.lines, columns: columns.clone(), offset: at, limit: n }
            }
            _ => Request::Rows { offset: at, limit: n, columns: columns.clone() },
        };
        let asks: Vec<(u32, Request)> = plan
            .stretches
            .iter()
            .enumerate()
            .filter(|(_, &(_, n))| n > 0)
            .map(|(w, &(at, n))| (w as u32, ask(at, n)))
            .collect();
        let mut got: Vec<Option<Fetched>> =
            (0..self.of).map(|_| Some(Fetched::Rows(Vec::new()))).collect();
        for (w, _) in &asks {
            if let Some(g) = got.get_mut(*w as usize) {
                *g = None;
            }
        }
        let stage = Stage::Fetch { sequence: plan.sequence, got, waiting: asks.len() };
        let job = PageJob { offset, limit, columns, purpose, stage };
        if asks.is_empty() {
            return self.page_done(job);
        }
        self.job_as(id, Job::Page(job), asks)
    }

    /// A job whose every worker has sent its stretch.
    fn page_done(&mut self, job: PageJob) -> Vec<Out> {
        let PageJob { offset, columns, purpose, stage, .. } = job;
        let Stage::Fetch { sequence, got, .. } = stage else { return Vec::new() };
        let (mut rows, mut lines) = (Vec::new(), Vec::new());
        for g in got {
            match g {
                Some(Fetched::Lines(l)) => {
                    rows.push(Vec::new());
                    lines.push(l);
                }
                Some(Fetched::Rows(r)) => {
                    rows.push(r);
                    lines.push(Vec::new());
                }
                None => {
                    rows.push(Vec::new());
                    lines.push(Vec::new());
                }
            }
        }
        let rows = pages::interleave(&sequence, rows);
        let lines = pages::interleave(&sequence, lines);
        self.finish_page(offset, rows, lines, columns, purpose)
    }

    /// The reply of a stretch (or, for an export, the next chunk or the file).
    fn finish_page(
        &mut self,
        offset: usize,
        rows: Vec<RowLine>,
        lines: Vec<String>,
        columns: Vec<String>,
        purpose: PageFor,
    ) -> Vec<Out> {
        match purpose {
            PageFor::Table => {
                vec![to_page(Reply::Rows(RowsPage { answer: self.orders.id, offset, rows }))]
            }
            PageFor::Select => {
                let row = rows.first();
                let event_id = row.and_then(|r| r.cells.first()).filter(|c| !c.is_empty()).cloned();
                vec![to_page(Reply::Selected {
                    row: row.map(|r| r.id),
                    pos: row.map(|_| offset),
                    event_id,
                })]
            }
            PageFor::Export(mut e) => {
                let (got, next) = (lines.len(), offset + lines.len());
                e.done.extend(lines.into_iter().map(String::into_bytes));
                if got > 0 && next < e.total {
                    return self.page(next, EXPORT_CHUNK, columns, PageFor::Export(e));
                }
                let csv: Vec<CsvColumn> = columns.iter().map(|c| CsvColumn::parse(c)).collect();
                let mut bytes = Vec::new();
                let (name, mime) = e.format.file();
                match frame_export(e.lines, &csv, std::mem::take(&mut e.done), &mut bytes) {
                    Ok(()) => vec![Out::Download { name: name.into(), mime: mime.into(), bytes }],
                    Err(err) => {
                        vec![to_page(Reply::Failed { message: format!("Export failed: {err}") })]
                    }
                }
            }
        }
    }

    /// A job whose worker moved on (new data): a table page or a step is asked again after the
    /// next answer; an export says it stopped.
    fn drop_page(&mut self, purpose: PageFor) -> Vec<Out> {
        match purpose {
            PageFor::Export(_) => vec![to_page(Reply::Failed {
                message: "Export failed: the events changed while exporting (a load is running); \
                          export again when it ends."
                    .into(),
            })],
            _ => Vec::new(),
        }
    }
}
