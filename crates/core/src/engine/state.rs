//! The engine's data and view: the store, its text index, the current view and its answer,
//! the loading progress. [`Engine`] computes what the page shows from these and never talks to
//! the page itself: the dispatcher (`session.rs`) turns requests into its calls and its results
//! into replies, and the load policy (`load.rs`) decides when a load calls it. The rules and
//! their hits are kept by `detections.rs`; this file asks it for them when it answers. What a
//! load calls (files in, progress, the end of a load, the text index's slices, the status) is in
//! `state/loading.rs`.

use super::detections::{write_detections, Detector};
use super::identities::Who;
use super::notice::Notice;
use super::part::{view_part, Role};

mod correlations;
mod exchange;
mod loading;
use super::protocol::{
    Answer, ExportFormat, FileLine, Progress, Reply, RowDetail, RowLine, RowsPage, ViewSpec,
};
use crate::answer::{
    export_csv, export_lines, export_ndjson, export_records_json, facet, histogram,
    service_summary, sort_rows, step_position, Bins, CsvColumn, Histogram, LineFormat, SortKey,
};
use crate::query::{field_text, field_text_in, parse, Context, TextIndex};
use crate::store::{Column, Limits, RawReader, Store};

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
/// Deferred record blocks compressed per [`Engine::index_step`] once the index is whole: 4 MiB
/// of text, ~15 ms in wasm.
pub const COMPRESS_SLICE: usize = 64;

/// Rows of `rows` whose time lies in `[start, end)`.
pub(super) fn in_range(store: &Store, rows: &[u32], (start, end): (i64, i64)) -> Vec<u32> {
    let times = store.times();
    rows.iter()
        .copied()
        .filter(|&r| times.get(r as usize).is_some_and(|&t| t != i64::MIN && t >= start && t < end))
        .collect()
}

/// The text of a column for one row: `time` gives "" (the page formats the time), a field name
/// or path its value.
fn cell(raws: &mut RawReader<'_>, who: &Who, row: usize, column: &str) -> String {
    let store = raws.store();
    if let Some(c) = who.cell(store, row, column) {
        return c;
    }
    match column {
        "time" => String::new(),
        c => match Column::from_name(c) {
            Some(col) => store.get(row, col).to_string(),
            None => field_text_in(raws, row, c).unwrap_or_default(),
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
    notice: Option<Notice>,
    files_sent: Option<(usize, u64)>,
    /// The rules, and their hits on the current generation.
    detector: Detector,
    /// Who is behind every row.
    who: Who,
    /// Set when this engine is one of several data workers: it then answers with a part.
    role: Option<Role>,
    /// During a load: the store's record bytes when it began, and the JSON bytes its files are
    /// taken to hold ([`Engine::plan_compression`]).
    load_json: Option<(u64, u64)>,
    /// One of several workers: the stamp of the detections its last answer carried (the next
    /// answers leave them out while they are the same; `ViewPart::detections_included`).
    detections_sent: Option<u64>,
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
            detector: Detector::default(),
            who: Who::default(),
            role: None,
            load_json: None,
            detections_sent: None,
            progress: None,
            notice: None,
            files_sent: None,
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    #[cfg(test)]
    pub(super) fn index(&self) -> &TextIndex {
        &self.index
    }

    /// The current answer's rows in table order.
    pub fn sorted(&self) -> &[u32] {
        &self.sorted
    }

    /// The number of the current answer (a page names the answer it was cut from).
    pub fn answer_id(&self) -> u64 {
        self.answer_id
    }

    /// The current answer's rows, ascending.
    pub fn matches(&self) -> &[u32] {
        &self.matches
    }

    /// The current view's sort and whether it is descending.
    pub fn view_key(&self) -> (SortKey, bool) {
        self.view.as_ref().map_or((SortKey::Time, false), |(_, v)| (v.sort, v.descending))
    }

    /// This engine's place among the tab's data workers (alone: index 0 of 1).
    pub fn role(&self) -> Role {
        self.role.unwrap_or_default()
    }

    /// Makes this engine one of several data workers: its answers become parts for the merge.
    pub fn set_role(&mut self, role: Role) {
        self.role = Some(role);
        self.who.set_role(role);
    }

    // -----------------------------------------------------------------------------------------
    // Answers

    /// Adds (or replaces, by name) a user's rule file: its rules run at once.
    pub fn add_rules(&mut self, name: &str, text: &str) {
        self.detector.add_file(name, text);
    }

    /// Forgets a user's rule file.
    pub fn remove_rules(&mut self, name: &str) {
        self.detector.remove_file(name);
    }

    /// Sets the view and answers it.
    pub fn set_view(&mut self, seq: u64, view: ViewSpec) -> Option<Answer> {
        self.view = Some((seq, view));
        self.answer()
    }

    /// Computes the current view's answer; `None` before the page has set a view.
    pub fn answer(&mut self) -> Option<Answer> {
        let (seq, view) = self.view.clone()?;
        self.who.update(&self.store, self.progress.is_some());
        let detected = self.detector.update(&self.store, self.generation);
        let error = match parse(&view.query) {
            Ok(q) => {
                let index = q.uses_text().then_some(&self.index);
                let rules = detected.rule_rows();
                let context = Context { rules: &rules, identities: Some(self.who.get()) };
                let rows = q.run_in(&self.store, index, &context);
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
        if let Some(role) = self.role {
            // One of several workers: the merge makes the facets, histogram and summaries.
            let mut part = view_part(s, role, rows, &self.sorted, view.sort, view.services);
            part.who = self.who.facet_counts(s, rows);
            part.identities = view.identities.then(|| self.who.part(s, rows));
            let stamp = detected.stamp();
            part.detections_stamp = stamp;
            part.detections_included = self.detections_sent != Some(stamp);
            self.detections_sent = Some(stamp);
            let detections = match part.detections_included {
                true => detected.kept(s, &Histogram::default()),
                false => Vec::new(),
            };
            return Some(Answer {
                seq,
                id: self.answer_id,
                generation: self.generation,
                error,
                count: rows.len(),
                findings: detected.findings(),
                detections,
                rule_problems: detected.problems(),
                rule_files: detected.files(),
                techniques: detected.techniques(),
                rules_run: detected.rules_run(),
                part: Some(Box::new(part)),
                ..Answer::default()
            });
        }
        let histogram = histogram(s, rows, HISTOGRAM_BUCKETS, Some(Column::Service));
        Some(Answer {
            seq,
            id: self.answer_id,
            generation: self.generation,
            error,
            count: rows.len(),
            facets: FACET_COLUMNS.iter().map(|&c| (c, facet(s, rows, c, FACET_TOP))).collect(),
            services: view.services.then(|| service_summary(s, rows)),
            who_facets: self.who.facets(s, rows, FACET_TOP),
            identities: view.identities.then(|| self.who.answer(s, rows)),
            findings: detected.findings(),
            detections: detected.detections(s, &histogram),
            histogram,
            rule_problems: detected.problems(),
            rule_files: detected.files(),
            techniques: detected.techniques(),
            rules_run: detected.rules_run(),
            part: None,
        })
    }

    /// Each detection's matches per bucket of `bins` (the merged histogram's, when this engine
    /// is one of several workers), by rule id.
    pub fn detection_buckets(&self, bins: Bins) -> Vec<(String, Vec<u32>)> {
        let hist = Histogram {
            start_ms: bins.start_ms,
            bucket_ms: bins.bucket_ms,
            counts: vec![0; bins.count],
            series: Vec::new(),
        };
        let s = &self.store;
        self.detector.with(s, self.generation, |c| c.buckets(s, &hist))
    }

    /// Rows `offset..offset + limit` (at most [`MAX_PAGE`]) of the current order.
    pub fn rows(&self, offset: usize, limit: usize, columns: &[String]) -> RowsPage {
        let s = &self.store;
        let end = offset.saturating_add(limit.min(MAX_PAGE)).min(self.sorted.len());
        let ids = self.sorted.get(offset.min(end)..end).unwrap_or(&[]);
        let mut raws = s.raw_reader();
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
                        cells: columns.iter().map(|c| cell(&mut raws, &self.who, r, c)).collect(),
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
        d.rules = self.detector.with(&self.store, self.generation, |c| c.rules_of(row));
        d.behind = self.who.behind(&self.store, row as usize);
        Some(d)
    }

    /// The row `by` positions from `from` in the current order.
    pub fn step(&self, from: Option<u32>, by: i64) -> Reply {
        let pos = step_position(&self.sorted, from, by);
        let row = pos.and_then(|p| self.sorted.get(p).copied());
        let event_id = row.and_then(|r| event_id_of(&self.store, r as usize));
        Reply::Selected { row, pos, event_id }
    }

    /// The first row whose eventID (an OCSF record's `metadata.uid`) is `event_id`.
    pub fn find(&self, event_id: &str) -> Reply {
        let quoted = event_id.replace('\\', "\\\\").replace('"', "\\\"");
        let clause = format!("eventID:\"{quoted}\" OR $.metadata.uid:\"{quoted}\"");
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
            ExportFormat::DetectionsCsv
            | ExportFormat::DetectionsJson
            | ExportFormat::AttackNavigator => {
                let s = &self.store;
                let (items, techniques) =
                    self.detector.with(s, self.generation, |c| (c.events(s), c.techniques()));
                if let Some(bytes) = write_detections(format, items, &techniques) {
                    out = bytes?;
                }
            }
        }
        Ok(out)
    }

    /// Rows `offset..offset + limit` of the current order as export lines (one of several
    /// workers' stretch of a merged export).
    pub fn export_lines(
        &self,
        format: LineFormat,
        columns: &[String],
        offset: usize,
        limit: usize,
    ) -> std::io::Result<Vec<String>> {
        let end = offset.saturating_add(limit).min(self.sorted.len());
        let rows = self.sorted.get(offset.min(end)..end).unwrap_or(&[]);
        let cols: Vec<CsvColumn> = columns.iter().map(|c| CsvColumn::parse(c)).collect();
        export_lines(&self.store, rows, format, &cols)
    }

    /// Forgets every event and file (the view stays).
    pub fn clear(&mut self) {
        let limits = self.store.limits();
        self.store = Store::with_limits(limits);
        self.index = TextIndex::default();
        self.matches.clear();
        self.sorted.clear();
        self.detector.clear();
        self.who.clear();
        self.progress = None;
        self.load_json = None;
        self.notice = None;
    }

    /// A load (or one more batch of its files) brings about `incoming` bytes of JSON: record
    /// blocks wait to be compressed when the worker is idle if the store will hold at most
    /// [`crate::store::DEFER_BYTES`] of records once the whole load is read, else they are
    /// compressed as they fill (see `store::texts`). The page sends a big drop in batches of 50
    /// files, all within a second or so, so the first batch's blocks may wait until a later
    /// batch shows the load is big; they are then drained, one with each block sealed.
    pub fn plan_compression(&mut self, incoming: u64) {
        let plain = self.store.raw_plain_bytes();
        let (start, queued) = self.load_json.get_or_insert((plain, 0));
        *queued = queued.saturating_add(incoming);
        let expected = start.saturating_add(*queued);
        let limit =
            if expected <= crate::store::DEFER_BYTES { crate::store::DEFER_BYTES } else { 0 };
        self.store.set_defer_limit(limit);
    }

    /// Puts `store` in place of the store (the same data less some rows): the index, the
    /// identities and the rules' hits are made again from it; the view is kept.
    pub(super) fn replace_store(&mut self, store: Store) {
        self.store = store;
        self.index = TextIndex::default();
        self.detector.clear();
        self.who.clear();
    }

    /// Reads files the caller holds (the built-in sample, which the worker generates), as a load
    /// of `File`s would: each file's text becomes the home of its records.
    pub fn load_owned(&mut self, files: impl IntoIterator<Item = (String, Vec<u8>)>) {
        for (path, bytes) in files {
            self.store.ingest_owned(&path, bytes);
        }
    }

    /// The status and the recomputed answer after a change of the rules (the data is the same
    /// generation).
    pub fn rules_changed(&mut self) -> Vec<Reply> {
        let answer = self.answer();
        let mut out = vec![Reply::Status(self.status())];
        out.extend(answer.map(Reply::Answer));
        out
    }

    /// The status and the recomputed answer after a change of the data.
    pub fn changed(&mut self) -> Vec<Reply> {
        let answer = self.refresh();
        let mut out = vec![Reply::Status(self.status())];
        out.extend(answer.map(Reply::Answer));
        out
    }
}

/// The file list's lines.
fn file_lines(store: &Store) -> Vec<FileLine> {
    store
        .files()
        .iter()
        .map(|f| FileLine {
            path: f.display_name(),
            status: f.status().into(),
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
    let mut raws = store.raw_reader();
    Some(RowDetail {
        row,
        pos: None,
        event_id: field_text_in(&mut raws, r, "eventID").unwrap_or_default(),
        raw: raws.get(r).to_string(),
        file,
        time_ms: store.time_ms(r),
        user: store.get(r, Column::User).to_string(),
        access_key: store.get(r, Column::AccessKey).to_string(),
        service: store.get(r, Column::Service).to_string(),
        action: store.get(r, Column::Action).to_string(),
        source_ip: store.get(r, Column::SourceIp).to_string(),
        rules: Vec::new(),
        behind: Default::default(),
    })
}

/// A row's event id: CloudTrail's `eventID`, or an OCSF record's `metadata.uid` (Security Lake
/// keeps CloudTrail's eventID there), so a shared link can name an OCSF event too.
fn event_id_of(store: &Store, row: usize) -> Option<String> {
    field_text(store, row, "eventID").or_else(|| field_text(store, row, "metadata.uid"))
}
