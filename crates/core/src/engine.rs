//! The engine behind one tab: the store, its text index and the current view, driven by
//! messages. In the browser it lives in a Web Worker (`src/bin/worker.rs`) and the page talks to
//! it only through [`Request`] and [`Reply`] (JSON over `postMessage`), so the page never holds
//! the events: it asks for what it shows — counts, one page of rows, aggregates, one record.
//! Natively the same [`Engine`] is driven by tests, so everything the worker does is checked here.
//!
//! Loading is split so the worker can read files in between: [`Engine::queue`] announces files,
//! [`Engine::ingest`] reads one, [`Engine::refresh`] (called a few times a second during a load)
//! tells the page, and [`Engine::finish_load`] ends it. The text index is built in slices
//! ([`Engine::index_step`]) when the worker is idle, so a load is not slowed by it and a text query
//! before it is complete still answers (the engine scans the rows not yet indexed).

use serde::{Deserialize, Serialize};

use crate::query::{
    export_csv, export_ndjson, export_records_json, facet, field_text, findings, histogram, parse,
    service_summary, sort_rows, CsvColumn, Facet, FindingCount, Histogram, QueryError,
    ServiceSummary, SortKey, TextIndex,
};
use crate::report::FileStatus;
use crate::store::{Column, Limits, Store, Totals};
use crate::units::{mib, thousands};

/// The facet columns the answer counts, in the sidebar's order.
pub const FACET_COLUMNS: [Column; 9] = [
    Column::Service,
    Column::Action,
    Column::User,
    Column::IdentityType,
    Column::Region,
    Column::SourceIp,
    Column::ErrorCode,
    Column::Account,
    Column::Category,
];
/// How many values each facet lists.
pub const FACET_TOP: usize = 8;
/// Buckets the histogram aims for.
pub const HISTOGRAM_BUCKETS: usize = 120;
/// Rows one page request may ask for (a screen is ~40).
pub const MAX_PAGE: usize = 500;
/// Rows indexed per [`Engine::index_step`]: ~10 ms natively, a few tens of ms in wasm, so a
/// request waits at most that long behind the indexing.
pub const INDEX_SLICE: usize = 8_000;

/// What the user is looking at: the search, a brushed time range `[start, end)` in ms, the sort,
/// and whether the per-service summary is wanted (it costs a pass over the matches).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViewSpec {
    pub query: String,
    pub range: Option<(i64, i64)>,
    pub sort: SortKey,
    pub descending: bool,
    pub services: bool,
}

impl Default for ViewSpec {
    fn default() -> Self {
        ViewSpec {
            query: String::new(),
            range: None,
            sort: SortKey::Time,
            descending: false,
            services: false,
        }
    }
}

/// Progress of a running load.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub files_done: usize,
    pub files_total: usize,
    pub bytes_done: u64,
    pub bytes_total: u64,
    /// The file being read now.
    pub current: String,
}

impl Progress {
    /// Fraction done in 0..=1, by bytes (files of zero bytes count by number).
    pub fn fraction(&self) -> f64 {
        if self.bytes_total > 0 {
            (self.bytes_done as f64 / self.bytes_total as f64).clamp(0.0, 1.0)
        } else if self.files_total > 0 {
            self.files_done as f64 / self.files_total as f64
        } else {
            0.0
        }
    }
}

/// One line of the file list: a file (or archive member) and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileLine {
    pub path: String,
    /// "ok", "error" or "skipped".
    pub status: String,
    pub summary: String,
    /// Rejection reasons and notes.
    pub details: Vec<String>,
}

/// The state of the data, pushed to the page after every change and a few times a second while
/// a load runs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Status {
    /// Bumped with every change of the stored events.
    pub generation: u64,
    pub totals: Totals,
    /// Every file read so far (only sent when it changed since the last status; `None` = same).
    pub files: Option<Vec<FileLine>>,
    pub progress: Option<Progress>,
    /// Why the last load stopped early (cancelled, memory budget), if it did.
    pub notice: Option<String>,
    /// Rows covered by the text index (free text is fastest when this equals `totals.kept`).
    pub indexed: usize,
    /// Bytes of the worker's WebAssembly memory (filled in by the worker).
    pub heap_bytes: u64,
}

/// The answer to a [`ViewSpec`]: counts and aggregates, never the rows themselves.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// The `seq` of the view request this answers.
    pub seq: u64,
    /// The engine's answer number; a page of rows names the answer it was cut from.
    pub id: u64,
    /// The generation of the data it was computed on.
    pub generation: u64,
    /// The query does not parse: the previous matches are kept (and counted here).
    pub error: Option<QueryError>,
    pub count: usize,
    pub facets: Vec<(Column, Facet)>,
    pub histogram: Histogram,
    /// Present when the view asked for it.
    pub services: Option<Vec<ServiceSummary>>,
    /// The "worth a look" findings (ids and counts) over everything loaded (not only this view)
    /// that match events.
    pub findings: Vec<FindingCount>,
}

/// One table row: its store row id, time, whether it failed, and one text per asked column
/// (empty for `time`, which the page formats in its time zone).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RowLine {
    pub id: u32,
    pub time_ms: Option<i64>,
    pub error: bool,
    pub cells: Vec<String>,
}

/// Rows `offset..` of an answer in table order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RowsPage {
    pub answer: u64,
    pub offset: usize,
    pub rows: Vec<RowLine>,
}

/// One record for the detail panel, with the indexed values its pivots use.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowDetail {
    pub row: u32,
    /// Its position in the current answer's order, if it is in it.
    pub pos: Option<usize>,
    pub event_id: String,
    pub raw: String,
    /// The file (and archive member) it came from.
    pub file: String,
    pub time_ms: Option<i64>,
    pub user: String,
    pub access_key: String,
    pub service: String,
    pub action: String,
    pub source_ip: String,
}

/// Export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportFormat {
    Json,
    Ndjson,
    Csv,
}

impl ExportFormat {
    /// (file name, MIME type).
    pub fn file(self) -> (&'static str, &'static str) {
        match self {
            ExportFormat::Json => ("trailglass-export.json", "application/json"),
            ExportFormat::Ndjson => ("trailglass-export.ndjson", "application/x-ndjson"),
            ExportFormat::Csv => ("trailglass-export.csv", "text/csv"),
        }
    }
}

/// What the page asks of the engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum Request {
    /// Set the view and answer it (again after every data change, with the same `seq`).
    View {
        seq: u64,
        view: ViewSpec,
    },
    /// A page of the current answer's rows, with the texts of `columns` (column ids: `time`, a
    /// field name, or a JSON path).
    Rows {
        offset: usize,
        limit: usize,
        columns: Vec<String>,
    },
    Detail {
        row: u32,
    },
    /// The row `by` positions from `from` in the current order (the first row when `from` is
    /// `None` or no longer matches).
    Step {
        from: Option<u32>,
        by: i64,
    },
    /// The first row with this eventID (a shared link's selection).
    Find {
        event_id: String,
    },
    /// The current answer as a file (the worker sends the bytes as a transferable buffer).
    Export {
        format: ExportFormat,
        columns: Vec<String>,
    },
    /// Generate and read the built-in sample.
    Sample {
        events: usize,
    },
    /// Read files; the `File` objects travel beside this request, in the same order. `missing`
    /// are files the browser would not give (listed as unreadable).
    Load {
        paths: Vec<String>,
        missing: Vec<String>,
    },
    /// Stop the running load after the file being read, keeping what was read.
    Cancel,
    /// Forget everything (and stop a load).
    Clear,
}

/// What the engine tells the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "body")]
pub enum Reply {
    /// The worker has started and takes requests.
    Ready,
    Status(Status),
    Answer(Answer),
    Rows(RowsPage),
    Detail(Option<RowDetail>),
    /// A row chosen by `Step` or `Find`, and its position in the current order.
    Selected {
        row: Option<u32>,
        pos: Option<usize>,
        event_id: Option<String>,
    },
    /// An export's file name and type; the bytes come beside this reply.
    Exported {
        name: String,
        mime: String,
        bytes: u64,
    },
    /// Something failed in the worker (the page shows it).
    Failed {
        message: String,
    },
}

impl Reply {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_else(|e| format!(r#"{{"kind":"Failed","body":{{"message":"{e}"}}}}"#))
    }
}

/// Rows of `rows` whose time lies in `[start, end)`.
pub fn in_range(store: &Store, rows: &[u32], (start, end): (i64, i64)) -> Vec<u32> {
    let times = store.times();
    rows.iter()
        .copied()
        .filter(|&r| times.get(r as usize).is_some_and(|&t| t != i64::MIN && t >= start && t < end))
        .collect()
}

/// The position `by` steps from `current`'s in `order` (clamped); the first position when nothing
/// is selected or the selection is not in the list.
pub fn step_position(order: &[u32], current: Option<u32>, by: i64) -> Option<usize> {
    if order.is_empty() {
        return None;
    }
    match current.and_then(|c| order.iter().position(|&r| r == c)) {
        None => Some(0),
        Some(p) => Some((p as i64 + by).clamp(0, order.len() as i64 - 1) as usize),
    }
}

/// The text of a column for one row: `time` gives "" (the page formats the time), a field name
/// or path its value.
pub fn cell(store: &Store, row: usize, column: &str) -> String {
    match column {
        "time" => String::new(),
        c => match Column::from_name(c) {
            Some(col) => store.get(row, col).to_string(),
            None => field_text(store, row, c).unwrap_or_default(),
        },
    }
}

/// The engine: a store, its text index, and the current view's answer.
pub struct Engine {
    store: Store,
    index: TextIndex,
    generation: u64,
    view: Option<(u64, ViewSpec)>,
    answer_id: u64,
    /// The current matches (ascending row id) and their table order.
    matches: Vec<u32>,
    sorted: Vec<u32>,
    progress: Option<Progress>,
    notice: Option<String>,
    files_sent: Option<(usize, u64)>,
    /// The findings and the generation they were counted on.
    findings: Option<(u64, Vec<FindingCount>)>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new(Limits::default())
    }
}

impl Engine {
    pub fn new(limits: Limits) -> Self {
        Engine {
            store: Store::with_limits(limits),
            index: TextIndex::default(),
            generation: 0,
            view: None,
            answer_id: 0,
            matches: Vec::new(),
            sorted: Vec::new(),
            findings: None,
            progress: None,
            notice: None,
            files_sent: None,
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The current answer's rows in table order.
    pub fn sorted(&self) -> &[u32] {
        &self.sorted
    }

    pub fn loading(&self) -> bool {
        self.progress.is_some()
    }

    // -----------------------------------------------------------------------------------------
    // Loading

    /// Announces `files` more files of `bytes` bytes to read (joining a running load).
    pub fn queue(&mut self, files: usize, bytes: u64) {
        let p = self.progress.get_or_insert_with(Progress::default);
        if p.files_total == 0 {
            self.notice = None;
        }
        p.files_total += files;
        p.bytes_total += bytes;
    }

    /// Marks `path` as the file being read.
    pub fn start_file(&mut self, path: &str) {
        if let Some(p) = &mut self.progress {
            p.current = path.to_string();
        }
    }

    /// Reads one file's bytes (any format the reader knows); the store keeps them as the home of
    /// their records when it can ([`Store::ingest_owned`]).
    pub fn ingest(&mut self, path: &str, bytes: Vec<u8>) {
        self.store.ingest_owned(path, bytes);
    }

    /// Records a file that could not be read at all.
    pub fn unreadable(&mut self, path: &str, reason: &str) {
        self.store.add_unreadable(path, reason);
    }

    /// Counts a file of `size` bytes as done.
    pub fn file_done(&mut self, size: u64) {
        if let Some(p) = &mut self.progress {
            p.files_done += 1;
            p.bytes_done += size;
        }
    }

    /// Whether a file of `size` bytes (compressed or not) may still be read: `Err` with the
    /// message to show when the store's total budget would not hold it. `decompressed` is the
    /// size it will have once decompressed when known (a gzip trailer says it), else `size`.
    pub fn fits(&self, decompressed: u64) -> Result<(), String> {
        let limits = self.store.limits();
        let used = self.store.totals().bytes;
        if used.saturating_add(decompressed) > limits.max_total_bytes && used > 0 {
            return Err(budget_message(&self.store));
        }
        Ok(())
    }

    /// Ends the load (all read, cancelled or stopped), saying why when it stopped early.
    pub fn finish_load(&mut self, notice: Option<String>) {
        self.progress = None;
        self.notice = notice;
    }

    /// After new data: bumps the generation and recomputes the current answer, if any.
    pub fn refresh(&mut self) -> Option<Answer> {
        self.generation += 1;
        self.answer()
    }

    /// Extends the text index by one slice; true when rows remain to index.
    pub fn index_step(&mut self) -> bool {
        self.index.extend_by(&self.store, INDEX_SLICE);
        self.index.rows() < self.store.len()
    }

    /// The status to push; the file list only when it changed since the last call.
    pub fn status(&mut self) -> Status {
        let key = (self.store.files().len(), self.generation);
        let files = (self.files_sent != Some(key)).then(|| {
            self.files_sent = Some(key);
            file_lines(&self.store)
        });
        Status {
            generation: self.generation,
            totals: self.store.totals(),
            files,
            progress: self.progress.clone(),
            notice: self.notice.clone(),
            indexed: self.index.rows(),
            heap_bytes: 0,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Answers

    /// Computes the current view's answer; `None` before the page has set a view.
    /// The findings of the current data, computed once per generation.
    fn findings_now(&mut self) -> Vec<FindingCount> {
        match &self.findings {
            Some((g, f)) if *g == self.generation => f.clone(),
            _ => {
                let f = findings(&self.store);
                self.findings = Some((self.generation, f.clone()));
                f
            }
        }
    }

    pub fn answer(&mut self) -> Option<Answer> {
        let (seq, view) = self.view.clone()?;
        let error = match parse(&view.query) {
            Ok(q) => {
                let rows = if q.uses_text() {
                    q.run_indexed(&self.store, &self.index)
                } else {
                    q.run(&self.store)
                };
                self.matches = match view.range {
                    Some(r) => in_range(&self.store, &rows, r),
                    None => rows,
                };
                None
            }
            // Keep the previous matches (the page says the query has an error).
            Err(e) => Some(e),
        };
        self.sorted = sort_rows(&self.store, &self.matches, view.sort, view.descending);
        self.answer_id += 1;
        let s = &self.store;
        let rows = &self.matches;
        Some(Answer {
            seq,
            id: self.answer_id,
            generation: self.generation,
            error,
            count: rows.len(),
            facets: FACET_COLUMNS.iter().map(|&c| (c, facet(s, rows, c, FACET_TOP))).collect(),
            histogram: histogram(s, rows, HISTOGRAM_BUCKETS, Some(Column::Service)),
            services: view.services.then(|| service_summary(s, rows)),
            findings: self.findings_now(),
        })
    }

    /// Rows `offset..offset + limit` (at most [`MAX_PAGE`]) of the current order.
    pub fn rows(&self, offset: usize, limit: usize, columns: &[String]) -> RowsPage {
        let s = &self.store;
        let end = offset.saturating_add(limit.min(MAX_PAGE)).min(self.sorted.len());
        let ids = self.sorted.get(offset.min(end)..end).unwrap_or(&[]);
        RowsPage {
            answer: self.answer_id,
            offset,
            rows: ids
                .iter()
                .map(|&id| {
                    let r = id as usize;
                    RowLine {
                        id,
                        time_ms: s.time_ms(r),
                        error: !s.get(r, Column::ErrorCode).is_empty(),
                        cells: columns.iter().map(|c| cell(s, r, c)).collect(),
                    }
                })
                .collect(),
        }
    }

    fn position(&self, row: u32) -> Option<usize> {
        self.sorted.iter().position(|&r| r == row)
    }

    /// One record for the detail panel; `None` when the row does not exist.
    pub fn detail(&self, row: u32) -> Option<RowDetail> {
        let mut d = row_detail(&self.store, row)?;
        d.pos = self.position(row);
        Some(d)
    }

    /// The row `by` positions from `from` in the current order.
    pub fn step(&self, from: Option<u32>, by: i64) -> Reply {
        let pos = step_position(&self.sorted, from, by);
        let row = pos.and_then(|p| self.sorted.get(p).copied());
        let event_id = row.and_then(|r| field_text(&self.store, r as usize, "eventID"));
        Reply::Selected { row, pos, event_id }
    }

    /// The first row whose eventID is `event_id`.
    pub fn find(&self, event_id: &str) -> Reply {
        let clause = format!("eventID:\"{}\"", event_id.replace('\\', "\\\\").replace('"', "\\\""));
        let row = parse(&clause).ok().and_then(|q| q.run(&self.store).first().copied());
        let pos = row.and_then(|r| self.position(r));
        Reply::Selected { row, pos, event_id: row.map(|_| event_id.to_string()) }
    }

    /// The current answer, in table order, as a file.
    pub fn export(&self, format: ExportFormat, columns: &[String]) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        match format {
            ExportFormat::Json => export_records_json(&self.store, &self.sorted, &mut out)?,
            ExportFormat::Ndjson => export_ndjson(&self.store, &self.sorted, &mut out)?,
            ExportFormat::Csv => {
                let cols: Vec<CsvColumn> = columns.iter().map(|c| CsvColumn::parse(c)).collect();
                export_csv(&self.store, &self.sorted, &cols, &mut out)?
            }
        }
        Ok(out)
    }

    /// Forgets every event and file (the view stays).
    pub fn clear(&mut self) {
        let limits = self.store.limits();
        self.store = Store::with_limits(limits);
        self.index = TextIndex::default();
        self.matches.clear();
        self.sorted.clear();
        self.findings = None;
        self.progress = None;
        self.notice = None;
    }

    /// Reads files the caller holds (the built-in sample, which the worker generates), as a load
    /// of `File`s would: each file's text becomes the home of its records.
    pub fn load_owned(&mut self, files: impl IntoIterator<Item = (String, Vec<u8>)>) {
        for (path, bytes) in files {
            self.store.ingest_owned(&path, bytes);
        }
    }

    /// Answers a request that needs no browser API. `Load`, `Sample`, `Cancel` and `Export` are
    /// the worker's (they involve `File`s, the sample generator, the event loop and
    /// transferables) and give nothing here.
    pub fn handle(&mut self, req: Request) -> Vec<Reply> {
        match req {
            Request::View { seq, view } => {
                self.view = Some((seq, view));
                self.answer().map(Reply::Answer).into_iter().collect()
            }
            Request::Rows { offset, limit, columns } => {
                vec![Reply::Rows(self.rows(offset, limit, &columns))]
            }
            Request::Detail { row } => vec![Reply::Detail(self.detail(row))],
            Request::Step { from, by } => vec![self.step(from, by)],
            Request::Find { event_id } => vec![self.find(&event_id)],
            Request::Clear => {
                self.clear();
                self.changed()
            }
            Request::Load { .. }
            | Request::Sample { .. }
            | Request::Cancel
            | Request::Export { .. } => Vec::new(),
        }
    }

    /// The status and the recomputed answer after a change of the data.
    pub fn changed(&mut self) -> Vec<Reply> {
        let answer = self.refresh();
        let mut out = vec![Reply::Status(self.status())];
        out.extend(answer.map(Reply::Answer));
        out
    }
}

/// The message when the store's total budget is full.
pub fn budget_message(store: &Store) -> String {
    let t = store.totals();
    format!(
        "Stopped loading: the memory budget ({} of decompressed logs) is full. Loaded {} events from {} files ({}). \
         Narrow the files (fewer days, accounts or regions) and load the rest in another tab.",
        mib(store.limits().max_total_bytes),
        thousands(t.kept),
        thousands(t.files),
        mib(t.bytes)
    )
}

/// The file list's lines.
pub fn file_lines(store: &Store) -> Vec<FileLine> {
    store
        .files()
        .iter()
        .map(|f| FileLine {
            path: f.display_name(),
            status: match f.status() {
                FileStatus::Ok => "ok",
                FileStatus::Error => "error",
                FileStatus::Skipped => "skipped",
            }
            .to_string(),
            summary: f.summary(),
            details: f.details(),
        })
        .collect()
}

/// One record with what the detail panel needs (its position left empty).
pub fn row_detail(store: &Store, row: u32) -> Option<RowDetail> {
    let r = row as usize;
    if r >= store.len() {
        return None;
    }
    let file = store.files().get(store.file_of(r)).map_or_else(String::new, |f| match &f.member {
        Some(m) => format!("{}!{m}", f.path),
        None => f.path.clone(),
    });
    Some(RowDetail {
        row,
        pos: None,
        event_id: field_text(store, r, "eventID").unwrap_or_default(),
        raw: store.raw(r).to_string(),
        file,
        time_ms: store.time_ms(r),
        user: store.get(r, Column::User).to_string(),
        access_key: store.get(r, Column::AccessKey).to_string(),
        service: store.get(r, Column::Service).to_string(),
        action: store.get(r, Column::Action).to_string(),
        source_ip: store.get(r, Column::SourceIp).to_string(),
    })
}

/// The uncompressed size a gzip file declares in its trailer (ISIZE, modulo 2^32), when `bytes`
/// starts like gzip; `None` otherwise.
pub fn gzip_declared_size(bytes: &[u8]) -> Option<u64> {
    if bytes.len() < 18 || bytes.get(..2) != Some(&[0x1f, 0x8b][..]) {
        return None;
    }
    let t = bytes.get(bytes.len() - 4..)?;
    Some(u32::from_le_bytes([*t.first()?, *t.get(1)?, *t.get(2)?, *t.get(3)?]) as u64)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
mod tests;
