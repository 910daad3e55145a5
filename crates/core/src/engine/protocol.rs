//! The messages between the page and the engine: what the page asks ([`Request`]), what the
//! engine tells it ([`Reply`]), and the values they carry. They cross `postMessage` as JSON, so
//! their serde shape (field names, tags, values) is the contract between the two threads; the
//! round-trip test in `engine/tests.rs` covers every variant. Nothing here computes anything
//! beyond small conversions.
//!
//! Fields added after the first version of a message carry `#[serde(default)]`, so JSON written
//! without them (a page or a test fixture of the earlier shape) still reads.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::notice::Notice;
use super::part::{Role, ViewPart};
pub use crate::answer::Detection;
use crate::answer::DetectionEvents;
use crate::answer::{
    Bins, Facet, FindingCount, FirstPairs, Histogram, IdentitiesAnswer, LineFormat, ServiceSummary,
    SortKey, SortPoint,
};
use crate::detect;
use crate::detect::CorrPart;
pub use crate::detect::{Level, RuleOrigin};
use crate::identity::{Behind, IdClaims, IdGraph, IdTable};
use crate::query::QueryError;
use crate::report::FileStatus;
use crate::store::{Column, Totals};
pub use crate::ReadOptions;

/// What the user is looking at: the search, a brushed time range `[start, end)` in ms, the sort,
/// and whether the per-service summary is wanted (it costs a pass over the matches).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViewSpec {
    pub query: String,
    pub range: Option<(i64, i64)>,
    pub sort: SortKey,
    pub descending: bool,
    pub services: bool,
    /// Whether the Identities view is wanted (it costs a pass over the matches).
    #[serde(default)]
    pub identities: bool,
}

impl Default for ViewSpec {
    fn default() -> Self {
        ViewSpec {
            query: String::new(),
            range: None,
            sort: SortKey::Time,
            descending: false,
            services: false,
            identities: false,
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

/// What became of a file, as the file list shows it (serialized as `"ok"`, `"error"`,
/// `"skipped"` or `"left-out"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileState {
    Ok,
    Error,
    Skipped,
    /// Not read: left out by the user's choice (the load-time filter).
    #[serde(rename = "left-out")]
    LeftOut,
}

impl FileState {
    /// The serialized name, also the page's CSS class and `data-status`.
    pub fn as_str(self) -> &'static str {
        match self {
            FileState::Ok => "ok",
            FileState::Error => "error",
            FileState::Skipped => "skipped",
            FileState::LeftOut => "left-out",
        }
    }
}

impl From<FileStatus> for FileState {
    fn from(s: FileStatus) -> Self {
        match s {
            FileStatus::Ok => FileState::Ok,
            FileStatus::Error => FileState::Error,
            FileStatus::Skipped => FileState::Skipped,
            FileStatus::LeftOut => FileState::LeftOut,
        }
    }
}

impl fmt::Display for FileState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A file the user left out with the load-time filter: its path and size in bytes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LeftOut {
    pub path: String,
    pub bytes: u64,
}

/// One line of the file list: a file (or archive member) and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileLine {
    pub path: String,
    pub status: FileState,
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
    /// Why the last load stopped early (cancelled, memory budget), if it did
    /// ([`Status::notice_text`] says it).
    pub notice: Option<Notice>,
    /// Rows covered by the text index (free text is fastest when this equals `totals.kept`).
    pub indexed: usize,
    /// Bytes of the worker's WebAssembly memory (filled in by the worker).
    pub heap_bytes: u64,
}

impl Status {
    /// The notice as the page shows it, with this status's counts.
    pub fn notice_text(&self) -> Option<String> {
        self.notice.as_ref().map(|n| n.text(&self.totals))
    }
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
    /// The facets of `origin` and `session` (who is behind the matches).
    #[serde(default)]
    pub who_facets: Vec<(String, Facet)>,
    /// The Identities view, when the view asked for it.
    #[serde(default)]
    pub identities: Option<IdentitiesAnswer>,
    /// The "worth a look" findings (ids and counts) over everything loaded (not only this view)
    /// that match events: the counts of the detections of the Trailglass findings rules, kept
    /// for the page's "Worth a look" list until it reads `detections`.
    pub findings: Vec<FindingCount>,
    /// Every rule that matched events, over everything loaded (like the findings, not only this
    /// view): most severe first, then count descending.
    #[serde(default)]
    pub detections: Vec<Detection>,
    /// Each ATT&CK technique of `detections` with its distinct matching events (an event two of
    /// its rules matched counts once), by technique id.
    #[serde(default)]
    pub techniques: Vec<(String, u64)>,
    /// How many rules ran over the data (built-in and the user's; correlation rules and the
    /// rules they count included).
    #[serde(default)]
    pub rules_run: usize,
    /// The rules that could not be compiled (built-in and the user's).
    #[serde(default)]
    pub rule_problems: Vec<RuleProblem>,
    /// The user's rule files, for the "your rules" list.
    #[serde(default)]
    pub rule_files: Vec<RuleFile>,
    /// From one of several data workers: its part of the answer, which the merge
    /// (`crate::shards`) makes the facets, histogram and summaries of (left empty here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<Box<ViewPart>>,
}

/// A rule that could not be compiled (it never stops the other rules).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleProblem {
    /// The rule file's name.
    pub file: String,
    /// Its title or id when the YAML got that far.
    pub rule: Option<String>,
    /// 1-based.
    pub line: u32,
    /// 1-based.
    pub column: u32,
    /// What is wrong, naming the unsupported construct.
    pub message: String,
}

impl From<&detect::RuleProblem> for RuleProblem {
    /// The rule engine keeps the construct apart; the page shows one sentence naming it.
    fn from(p: &detect::RuleProblem) -> Self {
        let message = if p.construct.is_empty() || p.message.contains(&p.construct) {
            p.message.clone()
        } else {
            format!("{} ({})", p.message, p.construct)
        };
        RuleProblem {
            file: p.file.clone(),
            rule: p.rule.clone(),
            line: p.line,
            column: p.column,
            message,
        }
    }
}

/// A loaded user rule file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleFile {
    pub name: String,
    /// Rules read from it (compiled or not).
    pub rules: u32,
    /// Rules of it that could not be compiled.
    pub problems: u32,
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
    /// The ids of the rules this event matched ([`Detection::rule`]).
    #[serde(default)]
    pub rules: Vec<String>,
    /// Who is behind this call: its origin and the chain of sessions to it.
    #[serde(default)]
    pub behind: Behind,
}

/// Export formats: the current answer's events (`Json`, `Ndjson`, `Csv`), or the detections
/// over everything loaded (`DetectionsCsv`, `DetectionsJson`, and `AttackNavigator`, an ATT&CK
/// Navigator layer of the techniques hit).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportFormat {
    Json,
    Ndjson,
    Csv,
    DetectionsCsv,
    DetectionsJson,
    AttackNavigator,
}

impl ExportFormat {
    /// (file name, MIME type).
    pub fn file(self) -> (&'static str, &'static str) {
        match self {
            ExportFormat::Json => ("trailglass-export.json", "application/json"),
            ExportFormat::Ndjson => ("trailglass-export.ndjson", "application/x-ndjson"),
            ExportFormat::Csv => ("trailglass-export.csv", "text/csv"),
            ExportFormat::DetectionsCsv => ("trailglass-detections.csv", "text/csv"),
            ExportFormat::DetectionsJson => ("trailglass-detections.json", "application/json"),
            ExportFormat::AttackNavigator => ("trailglass-attack-layer.json", "application/json"),
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
    /// are files the browser would not give (listed as unreadable); `left_out` the files the
    /// user chose not to read (the load-time filter: listed as left out, never read, no `File`
    /// sent); `options` what to leave out of the files read.
    Load {
        paths: Vec<String>,
        missing: Vec<String>,
        #[serde(default)]
        left_out: Vec<LeftOut>,
        #[serde(default)]
        options: ReadOptions,
    },
    /// Stop the running load after the file being read, keeping what was read.
    Cancel,
    /// Forget everything (and stop a load).
    Clear,
    /// A user's rule file (`.yml`/`.yaml`): compiled and run at once, replacing a file of the
    /// same name; the engine then re-answers the current view (Status and Answer).
    AddRules {
        name: String,
        text: String,
    },
    /// Forget a user's rule file; the engine re-answers the current view.
    RemoveRules {
        name: String,
    },
    // The requests of the merge (`crate::shards`) to one of several data workers; the page never
    // sends them. Row ids are ids in the whole tab ([`Role::global`]), positions the worker's own.
    /// Become one of several data workers: answers become parts, the sample is dealt round.
    Shard {
        role: Role,
    },
    /// The current matches' histogram over the merged buckets, split by service into `series`.
    Bins {
        bins: Bins,
        series: Vec<String>,
    },
    /// Where `lo` falls in the current order and the points from there to `hi`
    /// ([`Reply::Range`]).
    Range {
        lo: Option<SortPoint>,
        hi: Option<SortPoint>,
    },
    /// How many rows of the current order come before `point`.
    Rank {
        point: SortPoint,
    },
    /// A row's point and position in the current order.
    Locate {
        row: u32,
    },
    /// Rows `offset..offset + limit` of the current order as export lines ([`Reply::Lines`]).
    Lines {
        format: LineFormat,
        columns: Vec<String>,
        offset: usize,
        limit: usize,
    },
    /// The content keys of this worker's rows, by the worker that owns each ([`Reply::Keys`];
    /// `crate::engine::dedupe`).
    Keys,
    /// Keys other workers hold that this worker owns, as `(worker, encoded keys)`: which copies
    /// may be dropped ([`Reply::Pairs`]). `store` is the store this worker's keys came from.
    Owned {
        store: u64,
        from: Vec<(u32, String)>,
    },
    /// The second hash of each of these rows' texts ([`Reply::Digests`]).
    Digests {
        store: u64,
        rows: Vec<u32>,
    },
    /// Take these rows (this worker's own ids, of store `store`) out: duplicates of another
    /// worker's. Answered by the Status and Answer of the changed data.
    DropRows {
        store: u64,
        rows: Vec<u32>,
    },
    /// What this worker's identities link by ([`Reply::IdTable`]; `crate::identity::table`).
    IdTable,
    /// Resolve again with the whole tab's table (when the store is still `store` with `rows`
    /// rows); answered with what this worker can answer for the others ([`Reply::IdClaims`]).
    IdShare {
        store: u64,
        rows: u64,
        table: Box<IdTable>,
    },
    /// Follow the chains through the other workers' sessions; answered with this worker's
    /// first-time pairs ([`Reply::IdPairs`]).
    IdGraph {
        store: u64,
        rows: u64,
        graph: Box<IdGraph>,
    },
    /// The tab's first-time pairs; answered by the Status and Answer of the changed identities
    /// (nothing when the store moved on).
    IdFirsts {
        store: u64,
        rows: u64,
        pairs: Box<FirstPairs>,
    },
    /// This worker's matches of every correlation's rules ([`Reply::CorrParts`]; the windows
    /// over all workers' matches are the merge's: `crate::detect::fire_parts`).
    CorrParts,
    /// The rows of this worker that each correlation fired over every worker's matches (by rule
    /// id), for the store `store` with `rows` rows and the rules' `version`; answered by the
    /// Status and Answer of the changed detections (nothing when the store or rules moved on).
    CorrRows {
        store: u64,
        rows: u64,
        version: u64,
        fired: Vec<(String, Vec<u32>)>,
    },
    /// Every detection with its events' ids, and the techniques' event counts
    /// ([`Reply::DetectionEvents`]: what the merge writes the detections' exports from).
    DetectionEvents,
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
    // The replies of one of several data workers to the merge; `answer` names the worker's
    // answer they were computed on, so the merge can tell a stale one.
    Bins {
        answer: u64,
        histogram: Histogram,
        /// Each detection's matches per bucket, by rule id.
        #[serde(default)]
        detections: Vec<(String, Vec<u32>)>,
    },
    Range {
        answer: u64,
        start: usize,
        points: Vec<SortPoint>,
    },
    Rank {
        answer: u64,
        rank: usize,
    },
    Located {
        answer: u64,
        point: Option<SortPoint>,
        pos: Option<usize>,
    },
    Lines {
        answer: u64,
        lines: Vec<String>,
    },
    /// This worker's content keys (of store `store`), encoded, one string per owner worker (its
    /// own entry empty).
    Keys {
        store: u64,
        to: Vec<String>,
    },
    /// Candidate duplicates among the keys this worker owns (`engine::dedupe::encode_pairs`).
    Pairs {
        pairs: String,
    },
    /// The second hashes of the rows asked, in their order (base64 of little-endian `u64`s).
    Digests {
        store: u64,
        digests: String,
    },
    /// This worker's identity table, of store `store` with `rows` rows.
    IdTable {
        store: u64,
        rows: u64,
        table: Box<IdTable>,
    },
    /// What this worker answers for the other workers' chains (empty when its store moved on).
    IdClaims {
        claims: Box<IdClaims>,
    },
    /// This worker's first-time pairs (empty when its store moved on).
    IdPairs {
        pairs: Box<FirstPairs>,
    },
    /// This worker's matches of every correlation's rules, of store `store` with `rows` rows
    /// and the rules' `version`.
    CorrParts {
        store: u64,
        rows: u64,
        version: u64,
        parts: Vec<CorrPart>,
    },
    /// This worker's detections with their events' ids (every top value kept), and its
    /// distinct events per ATT&CK technique.
    DetectionEvents {
        items: Vec<DetectionEvents>,
        techniques: Vec<(String, u64)>,
    },
}

impl Reply {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_else(|e| format!(r#"{{"kind":"Failed","body":{{"message":"{e}"}}}}"#))
    }
}
