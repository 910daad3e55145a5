//! The app's shared state: what the data worker last said about the data, and what the user is
//! looking at.
//!
//! The events live in the data worker (`crates/worker/src/main.rs`), never on this thread. `Dataset`
//! holds the worker's latest replies as signals — the status (counts, progress, files), the
//! answer to the current view (count, facets, histogram, services), the page of rows the table
//! shows, the selected record — and `apply` routes each reply to its signal. `ViewState` holds
//! the signals of what the user is looking at; `crate::results` turns their changes into
//! requests. Both are `Copy` and go to children through context.

use leptos::prelude::*;
use trailglass_core::answer::SortKey;
use trailglass_core::engine::{Answer, FileLine, FileState, Reply, RowDetail, RowsPage, Status};

use crate::model::clauses::add_clause;
use crate::model::columns::{default_columns, ColumnDef};
use crate::model::load_choice::LoadChoice;

pub use trailglass_core::engine::Progress;

/// What the worker last said. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Dataset {
    /// Counts, load progress, notices.
    pub status: RwSignal<Status>,
    /// Every file read, with its counts or error.
    pub files: RwSignal<Vec<FileLine>>,
    /// The answer to the current view.
    pub answer: RwSignal<Answer>,
    /// The rows the table asked for last.
    pub page: RwSignal<RowsPage>,
    /// The record shown in the detail panel.
    pub detail: RwSignal<Option<RowDetail>>,
    /// Where the keyboard (or a link) put the selection in the current order; the table
    /// scrolls to it.
    pub selected_pos: RwSignal<Option<usize>>,
    /// A shared link's eventID, waiting for a load that brings it.
    pub pending_event: RwSignal<Option<String>>,
    /// The worker failed (it is gone: the page says so).
    pub failure: RwSignal<Option<String>>,
    /// An export that failed, said beside the export buttons.
    pub export_error: RwSignal<Option<String>>,
    /// The selected row: the same signal as `ViewState::selected` (a `Step` or `Find` reply
    /// moves it).
    pub selected: RwSignal<Option<u32>>,
    /// What the page itself says about the user's rule files (too big to read, unreadable, not
    /// remembered); what the engine made of them is in the answer.
    pub rule_notes: RwSignal<Vec<String>>,
    /// A dropped tree waiting for the user to choose what to read (the "Choose what to read"
    /// panel); its files wait in `web::loader`, not read yet.
    pub choice: RwSignal<Option<LoadChoice>>,
}

impl Dataset {
    pub fn new() -> Self {
        Self::with_selection(RwSignal::new(None))
    }

    /// A dataset whose `Selected` replies move `selected` (the view's selection).
    pub fn with_selection(selected: RwSignal<Option<u32>>) -> Self {
        Self {
            selected,
            status: RwSignal::new(Status::default()),
            files: RwSignal::new(Vec::new()),
            answer: RwSignal::new(Answer::default()),
            page: RwSignal::new(RowsPage::default()),
            detail: RwSignal::new(None),
            selected_pos: RwSignal::new(None),
            pending_event: RwSignal::new(None),
            failure: RwSignal::new(None),
            export_error: RwSignal::new(None),
            rule_notes: RwSignal::new(Vec::new()),
            choice: RwSignal::new(None),
        }
    }

    /// Whether a load is running.
    pub fn loading(&self) -> Signal<bool> {
        let status = self.status;
        Signal::derive(move || status.with(|s| s.progress.is_some()))
    }

    /// How many files could not be read (or not wholly).
    pub fn file_errors(&self) -> Signal<u64> {
        let files = self.files;
        Signal::derive(move || {
            files.with(|l| l.iter().filter(|f| f.status == FileState::Error).count() as u64)
        })
    }

    /// How many files the user left out with the load-time filter.
    pub fn files_left_out(&self) -> Signal<u64> {
        let files = self.files;
        Signal::derive(move || {
            files.with(|l| l.iter().filter(|f| f.status == FileState::LeftOut).count() as u64)
        })
    }

    /// Takes one reply of the worker into the signals. What needs the browser (the heap
    /// attribute, saving an export) is done first by `web::worker_client::route`.
    pub fn apply(&self, reply: Reply) {
        match reply {
            Reply::Ready => {}
            Reply::Status(mut s) => {
                if let Some(files) = s.files.take() {
                    self.files.set(files);
                }
                self.status.set(s);
            }
            Reply::Answer(a) => self.answer.set(a),
            Reply::Rows(p) => {
                if p.answer == self.answer.with_untracked(|a| a.id) {
                    self.page.set(p);
                }
            }
            Reply::Detail(d) => self.detail.set(d),
            Reply::Selected { row, pos, event_id } => {
                if let Some(r) = row {
                    if event_id.is_some() && event_id == self.pending_event.get_untracked() {
                        self.pending_event.set(None);
                    }
                    self.selected_pos.set(pos);
                    self.selected.set(Some(r));
                }
            }
            Reply::Exported { .. } => self.export_error.set(None),
            Reply::Failed { message } => self.export_error.set(Some(message)),
            // The workers' replies to the merge (`trailglass_core::shards`) never reach here.
            Reply::Bins { .. }
            | Reply::Range { .. }
            | Reply::Rank { .. }
            | Reply::Located { .. }
            | Reply::Lines { .. }
            | Reply::Keys { .. }
            | Reply::Pairs { .. }
            | Reply::Digests { .. }
            | Reply::IdTable { .. }
            | Reply::IdClaims { .. }
            | Reply::IdPairs { .. }
            | Reply::CorrParts { .. }
            | Reply::DetectionEvents { .. } => {}
        }
    }

    /// The worker is gone or unusable.
    pub fn fail(&self, message: String) {
        self.failure.set(Some(message));
        self.status.update(|s| s.progress = None);
    }
}

impl Default for Dataset {
    fn default() -> Self {
        Self::new()
    }
}

/// How the table is sorted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort { key: SortKey::Time, descending: false }
    }
}

/// Which main panel is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Panel {
    #[default]
    Table,
    Services,
    /// The rules that matched, the ATT&CK matrix, the user's rules.
    Detections,
    /// Who is behind the calls: one line per origin.
    Identities,
}

impl Panel {
    /// The panel's name in the URL (`view=`); the table has none.
    pub fn url_name(self) -> Option<&'static str> {
        match self {
            Panel::Table => None,
            Panel::Services => Some("services"),
            Panel::Detections => Some("detections"),
            Panel::Identities => Some("identities"),
        }
    }

    /// The panel a URL's `view=` names (the table for anything else).
    pub fn from_url_name(name: Option<&str>) -> Panel {
        match name {
            Some("services") => Panel::Services,
            Some("detections") => Panel::Detections,
            Some("identities") => Panel::Identities,
            _ => Panel::Table,
        }
    }
}

/// Colour theme: follow the system, or forced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

/// What the user is looking at: the search, the time range, the sort, the columns, the selected
/// event and display settings. All of it round-trips through the URL (`url_state`). Cheap to copy.
#[derive(Clone, Copy)]
pub struct ViewState {
    /// The committed query text (the search box commits it as the user pauses typing).
    pub query: RwSignal<String>,
    /// A brushed time range `[start, end)` in ms, applied on top of the query.
    pub range: RwSignal<Option<(i64, i64)>>,
    pub sort: RwSignal<Sort>,
    pub columns: RwSignal<Vec<ColumnDef>>,
    /// The selected event (a row id of the store).
    pub selected: RwSignal<Option<u32>>,
    /// Show times in the browser's local zone instead of UTC.
    pub local_time: RwSignal<bool>,
    pub panel: RwSignal<Panel>,
    pub theme: RwSignal<Theme>,
    /// Queries run recently, newest first (for the search box's history).
    pub recent: RwSignal<Vec<String>>,
}

impl ViewState {
    pub fn new() -> Self {
        Self {
            query: RwSignal::new(String::new()),
            range: RwSignal::new(None),
            sort: RwSignal::new(Sort::default()),
            columns: RwSignal::new(default_columns()),
            selected: RwSignal::new(None),
            local_time: RwSignal::new(false),
            panel: RwSignal::new(Panel::Table),
            theme: RwSignal::new(Theme::System),
            recent: RwSignal::new(Vec::new()),
        }
    }

    /// Narrows the search with one more clause (a facet or pivot click).
    pub fn add_clause(&self, clause: &str) {
        let q = add_clause(&self.query.get_untracked(), clause);
        self.set_query(q);
    }

    /// Commits a query and remembers it among the recent ones.
    pub fn set_query(&self, q: String) {
        let trimmed = q.trim().to_string();
        if !trimmed.is_empty() {
            self.recent.update(|r| remember(r, &trimmed));
        }
        self.query.set(q);
    }
}

impl Default for ViewState {
    fn default() -> Self {
        Self::new()
    }
}

/// Puts `q` first in the recent list, without repeats, keeping at most 12.
pub fn remember(recent: &mut Vec<String>, q: &str) {
    recent.retain(|r| r != q);
    recent.insert(0, q.to_string());
    recent.truncate(12);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_queries() {
        let mut r = Vec::new();
        for q in ["a", "b", "a", "c"] {
            remember(&mut r, q);
        }
        assert_eq!(r, vec!["c", "a", "b"]);
        for i in 0..20 {
            remember(&mut r, &format!("q{i}"));
        }
        assert_eq!(r.len(), 12);
        assert_eq!(r[0], "q19");
    }

    #[test]
    fn panels_in_the_url() {
        for p in [Panel::Table, Panel::Services, Panel::Detections, Panel::Identities] {
            assert_eq!(Panel::from_url_name(p.url_name()), p);
        }
        assert_eq!(Panel::Services.url_name(), Some("services"));
        assert_eq!(Panel::from_url_name(Some("nonsense")), Panel::Table);
    }
}
